-- spec/schema_spec.lua: every line `tidings extract` writes is valid against
-- schema/extract.schema.json, so the schema stays the documentation of the
-- output.  The validator knows the keywords that schema uses (type, enum,
-- required, properties, additionalProperties, items, prefixItems, minItems,
-- maxItems, minimum, $ref to #/$defs) and fails on any other, so a new
-- keyword in the schema cannot go unchecked.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"
local json = require "tidings.json"
local report = require "tidings.report"
local corpus = require "tidings.corpus"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local schema = json.decode(read("schema/extract.schema.json"))

local KNOWN = { type = true, enum = true, required = true, properties = true,
  additionalProperties = true, items = true, prefixItems = true, minItems = true, maxItems = true,
  minimum = true, ["$ref"] = true, description = true, title = true, ["$defs"] = true,
  ["$schema"] = true, ["$id"] = true }

local function type_of(v)
  if type(v) == "string" then return "string" end
  if type(v) == "boolean" then return "boolean" end
  if type(v) == "number" then return (v == math.floor(v)) and "integer" or "number" end
  if v == json.null then return "null" end
  if type(v) == "table" then return json.is_array(v) and "array" or "object" end
  return type(v)
end

local function type_ok(want, got)
  if type(want) == "table" then
    for _, w in ipairs(want) do if type_ok(w, got) then return true end end
    return false
  end
  return want == got or (want == "number" and got == "integer")
end

local function check(s, v, where)
  for k in pairs(s) do
    if not KNOWN[k] then error(where .. ": the validator does not know the keyword " .. k) end
  end
  if s["$ref"] then
    local name = s["$ref"]:match("^#/%$defs/(.+)$")
    assert(name and schema["$defs"][name], where .. ": unknown $ref " .. tostring(s["$ref"]))
    check(schema["$defs"][name], v, where)
  end
  local t = type_of(v)
  if s.type and not type_ok(s.type, t) then
    error(where .. ": " .. t .. " where the schema says " .. json.encode(s.type))
  end
  if s.enum then
    local ok = false
    for _, e in ipairs(s.enum) do if e == v then ok = true end end
    if not ok then error(where .. ": " .. json.encode(v) .. " is not one of " .. json.encode(s.enum)) end
  end
  if s.minimum and t ~= "string" and v < s.minimum then error(where .. ": below " .. s.minimum) end
  if t == "object" then
    for _, k in ipairs(s.required or {}) do
      if v[k] == nil then error(where .. ": the required " .. k .. " is missing") end
    end
    for k, x in pairs(v) do
      local ps = s.properties and s.properties[k]
      if ps then
        check(ps, x, where .. "." .. k)
      elseif s.additionalProperties == false then
        error(where .. ": " .. k .. " is not in the schema")
      elseif type(s.additionalProperties) == "table" then
        check(s.additionalProperties, x, where .. "." .. k)
      end
    end
  elseif t == "array" then
    local n = #v
    if s.minItems and n < s.minItems then error(where .. ": fewer than " .. s.minItems .. " items") end
    if s.maxItems and n > s.maxItems then error(where .. ": more than " .. s.maxItems .. " items") end
    for i = 1, n do
      local is = (s.prefixItems and s.prefixItems[i]) or s.items
      if is then check(is, v[i], where .. "[" .. i .. "]") end
    end
  end
end

local function valid(line)
  check(schema, json.decode(line), "record")
  return true
end

describe("schema/extract.schema.json", function()
  it("accepts every corpus/ record, with and without the text", function()
    local n = 0
    for r in corpus.open({ "corpus" }, { warn = function() end }):records() do
      assert.is_true(valid(report.extract_json(r, tidings, {})))
      assert.is_true(valid(report.extract_json(r, tidings, { text = false })))
      n = n + 1
    end
    assert.is_true(n >= 5)
  end)

  it("accepts records with every kind of number, metadata, boilerplate and quotes", function()
    local text = "Related Posts\nKYIV, May 16, 2025 - Russia launched 273 offensive drones, " ..
      "more than 5,000 a week, between 5 and 10 missiles and about 10 kg of explosives; " ..
      "prices rose 2.5% to $1.25bn on Friday. Talks began at 09:30 GMT and lasted 30 days, every Monday. " ..
      "\"We will not stop,\" said Volodymyr Zelenskyy. \"Nobody knows.\"\nLeave a comment\n"
    local r = { index = 1, id = "x", path = "x.jsonl", line = 3, title = "T", text = text,
      meta = { source = "wire", tags = json.array({ "a", "b" }), n = 2 } }
    local line = report.extract_json(r, tidings, {})
    assert.is_true(valid(line))
    local rec = json.decode(line)
    local kinds = {}
    for _, x in ipairs(rec.numbers) do kinds[x.kind] = true end
    for _, k in ipairs({ "cardinal", "money", "percent", "quantity", "date", "time", "duration", "range", "set" }) do
      assert.is_true(kinds[k] or false, "no " .. k .. " in the sample")
    end
    assert.is_true(#rec.quotes >= 2)
  end)

  it("rejects what it should (the validator can fail)", function()
    local line = report.extract_json({ index = 1, id = "x", path = "x.txt", text = "It cost $5." }, tidings, {})
    local rec = json.decode(line)
    rec.numbers[1].colour = "red"
    assert.has_error(function() check(schema, rec, "record") end)
    rec.numbers[1].colour = nil
    rec.numbers[1].kind = "weight"
    assert.has_error(function() check(schema, rec, "record") end)
    rec.numbers[1].kind = "money"
    rec.stats = nil
    assert.has_error(function() check(schema, rec, "record") end)
  end)
end)
