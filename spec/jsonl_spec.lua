-- spec/jsonl_spec.lua: the JSONL input fast path (core.jsonl_text, csrc/jsonl.c,
-- corpus.decode_line) reads every line exactly as json.decode does: same
-- value, same error message.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local json = require "tidings.json"
local corpus = require "tidings.corpus"
local core = require "tidings.core"

-- Deep equality, arrays and objects told apart as tidings.json does.
local function same(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b or (a ~= a and b ~= b) end
  if a == json.null or b == json.null then return a == b end
  if json.is_array(a) ~= json.is_array(b) then return false end
  for k, v in pairs(a) do if not same(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local function agrees(line)
  local want, werr = json.decode(line)
  local got, gerr = corpus.decode_line(line)
  assert(same(want, got), "different value for " .. string.format("%q", line))
  assert.are.equal(werr, gerr)
end

describe("corpus.decode_line (JSONL input)", function()
  local lines = {
    '{"id": "a", "text": "plain"}',
    '{"text": "plain"}',
    '  {"text" : "x" , "n": 1.5, "i": 42, "b": true, "z": null}  ',
    '{"text": "q\\"uote\\\\ back\\/slash \\b\\f\\n\\r\\t end"}',
    '{"text": "\\u00e9\\u20ac\\u0000\\uD83D\\uDE00 pair"}',
    '{"text": "lone \\ud800 high, lone \\udc00 low, \\ud800\\u0041 high then A"}',
    '{"text": "high at the end \\ud800"}',
    '{"text": "\\uDBFF\\uDFFF max, \\ud83d\\ude00 lower case"}',
    '{"text": "DEL \127 and bytes \200\255 as they are"}',
    '{"text": "é “quote” ok"}',
    '{"meta": {"text": "nested"}, "text": "top", "list": ["text", {"text": 1}]}',
    '{"title": "T", "categories": ["a", "b"], "date": null, "text": "body"}',
    -- the line the fast path hands back to the full decoder
    '{"text": "first", "text": "second"}',
    '{"te\\u0078t": "escaped key"}',
    '{"te\\u0078t": "escaped key", "text": "plain key"}',
    '{"text": 42}',
    '{"text": ["a"]}',
    '{"title": "no text"}',
    '["text", "an array"]',
    '"text"',
    '{}',
    -- errors: the same message as json.decode
    '{"text": "bad \\x escape"}',
    '{"text": "bad \\u12 escape"}',
    '{"text": "bad \\u12"}',
    '{"text": "control \1 char"}',
    '{"text": "unterminated}',
    '{"text": "x"',
    '{"text": "x",}',
    '{"text": "x"} trailing',
    '{"text": "x" "y": 1}',
    '{"a": [1}, "text": "x"}',
    '{"a": tru, "text": "x"}',
    '{"a": 01, "text": "x"}',
    '{"text": "x", "b": {"c": [1, 2}}',
    '{"text": "ends with a backslash\\"}',
    '{text: "x"}',
    '',
    '   ',
  }
  for i, line in ipairs(lines) do
    it("agrees with json.decode on line " .. i .. ": " .. line:sub(1, 50), function()
      agrees(line)
    end)
  end

  it("agrees with json.decode on random lines (escapes, nesting, truncation)", function()
    local seed = 12345
    local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
    local atoms = { "a", " ", "é", "\\n", "\\\"", "\\\\", "\\/", "\\u0041", "\\ud83d\\ude00", "\\ud800",
      "\\udc00x", "\\u00", "\\q", "\1", "\127", '"', "{", "}", "[", "]", ",", ":", "text" }
    for _ = 1, 3000 do
      local parts = {}
      for k = 1, rnd(12) do parts[k] = atoms[rnd(#atoms) + 1] end
      local body = table.concat(parts)
      local shapes = {
        '{"text": "' .. body .. '"}',
        '{"id": 1, "text": "' .. body .. '", "x": [1, {"text": "y"}]}',
        '{"m": "' .. body .. '", "text": "t"}',
        '{"text": "t", "m": ' .. body .. '}',
      }
      local line = shapes[rnd(#shapes) + 1]
      if rnd(5) == 0 then line = line:sub(1, rnd(#line + 1)) end
      agrees(line)
    end
  end)

  it("core.json_object decodes a line of plain values whole, as json.decode does", function()
    -- numbers compared with their subtype too: an id 3 and 3.0 are written differently
    local function strict(a, b)
      if type(a) == "number" and math.type and math.type(a) ~= math.type(b) then return false end
      if type(a) ~= "table" or type(b) ~= "table" or a == json.null then return same(a, b) end
      if json.is_array(a) ~= json.is_array(b) then return false end
      for k, v in pairs(a) do if not strict(v, b[k]) then return false end end
      for k in pairs(b) do if a[k] == nil then return false end end
      return true
    end
    local plain = {
      '{"id": 123456789012345, "n": -7, "z": 0, "a": [null, 1, "x", [], {}], ' ..
        '"o": {"k": null, "d": {"e": [true, false]}}, "text": "t \\u00e9 \\ud83d\\ude00 \\n"}',
      '{"k": 1, "k": null, "text": "a later null leaves the key out"}',
      '{"text": "x", "text": "y"}',
      ' {"text" : "" ,"e":{} } ',
      '{"deep": [[[[[[[[[[-1]]]]]]]]]], "text": "x"}',
      '{"te\\u0078t": "escaped key"}',
      '{}',
    }
    for _, line in ipairs(plain) do
      local got = core.json_object(line, json.array_mt, json.null)
      assert(got ~= nil, "not decoded: " .. line)
      assert(strict(json.decode(line), got), "different value for " .. line)
      agrees(line)
    end
    -- left to the Lua decoder: its number rules and its error messages
    local left = { '{"x": 1.5}', '{"x": 1e3}', '{"x": -0}', '{"x": 0123}', '{"x": 1234567890123456}',
      '{"x": -}', '[1]', '"s"', '{"x": 1,}', '{"text": "bad \\q"}', '{"a": 1} x', '{"text": "\\u12"}',
      '{"a": tru}', '{"a": nul}', '{"a" 1}', '{"a": [1 2]}', '{"a": "ctl \1"}', '' }
    for _, line in ipairs(left) do
      assert(core.json_object(line, json.array_mt, json.null) == nil, "decoded: " .. line)
      agrees(line)
    end
    local deep = ("["):rep(300) .. ("]"):rep(300)
    assert.is_nil(core.json_object('{"d": ' .. deep .. '}', json.array_mt, json.null))
    agrees('{"d": ' .. deep .. '}')
    assert.has_error(function() core.json_object() end)
    assert.has_error(function() core.json_object("{}", nil, json.null) end)
  end)

  it("core.jsonl_text returns the text and the line without it", function()
    local text, rest = core.jsonl_text('{"id": 7, "text": "a\\nb", "t": "x"}')
    assert.are.equal("a\nb", text)
    assert.are.equal('{"id": 7, "text": null, "t": "x"}', rest)
    assert.is_nil(core.jsonl_text('{"text": "a\\qb"}'))
    assert.is_nil(core.jsonl_text("[1]"))
    assert.has_error(function() core.jsonl_text() end)
    assert.has_error(function() core.jsonl_text({}) end)
  end)

  it("reads a JSONL file through the fast path with the same records", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write('{"id": "x1", "title": "One", "text": "Alice said \\"hi\\".\\nBob left.", "tags": ["a"]}\n')
    f:write('{"text": "bad \\z"}\n')
    f:write('{"id": 3, "text": "Third \\u00e9"}\n')
    f:close()
    local warnings, recs = {}, {}
    for r in corpus.open({ path }, { format = "jsonl", warn = function(m) warnings[#warnings + 1] = m end })
      :records() do
      recs[#recs + 1] = r
    end
    os.remove(path)
    assert.are.equal(2, #recs)
    assert.are.equal("Alice said \"hi\".\nBob left.", recs[1].text)
    assert.are.equal("x1", recs[1].id)
    assert.is_true(same(json.array({ "a" }), recs[1].meta.tags))
    assert.is_nil(recs[1].meta.text)
    assert.are.equal("3", recs[2].id)
    assert.are.equal("Third é", recs[2].text)
    assert.are.equal(1, #warnings)
    assert.truthy(warnings[1]:find(":2: invalid JSON: column 15: bad escape", 1, true))
  end)
end)
