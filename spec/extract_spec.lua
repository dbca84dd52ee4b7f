-- spec/extract_spec.lua: the C fast path of `tidings extract`
-- (doc:extract_json, report.extract_json, doc:json_spans(true)) writes exactly
-- what the Lua path writes: json.encode(report.record(...)).
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"
local json = require "tidings.json"
local report = require "tidings.report"
local corpus = require "tidings.corpus"

local function rec(text, extra)
  local r = { index = 1, id = "doc", path = "doc.txt", title = "A title", text = text, meta = {} }
  for k, v in pairs(extra or {}) do r[k] = v end
  return r
end

local function same(r, opts)
  local slow = json.encode(report.record(r, tidings, opts))
  local fast = report.extract_json(r, tidings, opts)
  assert.are.equal(slow, fast)
  return fast
end

describe("tidings extract's fast path", function()
  it("writes the same bytes as json.encode(report.record) for every corpus/ document", function()
    local n = 0
    for r in corpus.open({ "corpus" }, { warn = function() end }):records() do
      same(r)
      same(r, { text = false })
      n = n + 1
    end
    assert.is_true(n >= 5)
  end)

  it("writes the same bytes for empty and space-only texts", function()
    same(rec(""))
    same(rec("   \n\n  "))
  end)

  it("escapes quotes, backslashes and control characters as tidings.json does", function()
    local s = same(rec('He said "no" \\ then\ttab\1\31\127 and \226\128\156curly\226\128\157 quotes.\r\n'))
    assert.truthy(s:find('\\"no\\" \\\\ then\\ttab\\u0001\\u001f\\u007f', 1, true))
  end)

  it("escapes the same at every position of long runs (the 16-byte scan and its tail)", function()
    local marks = { '"', "\\", "\1", "\31", "\127", "\t", "\n", "\r", "\8", "\12", "é", "“" }
    local seed = 7
    local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
    for _ = 1, 30 do
      local parts = {}
      for _ = 1, 1 + rnd(12) do
        parts[#parts + 1] = ("Word "):rep(rnd(9)):sub(1 + rnd(5))
        parts[#parts + 1] = marks[1 + rnd(#marks)]
      end
      same(rec(table.concat(parts)))
    end
  end)

  it("writes the same fractional, large and negative numbers", function()
    same(rec("Prices rose 2.5 percent to $1.25 billion, or 0.1 of a point; it fell to -3 degrees. " ..
      "The debt is 12345678901234 dollars and one-third of 7.77 million people."))
  end)

  it("writes what a quantity measures as its product, outside the text", function()
    local s = same(rec("Police seized 10 kg of heroin and 3 cups of sugar, and 5,000 tonnes of grain a day."))
    local nums = json.decode(s).numbers
    local got = {}
    for _, n in ipairs(nums) do if n.product then got[#got + 1] = n.text .. "|" .. n.product end end
    assert.are.same({ "10 kg|heroin", "3 cups|sugar", "5,000 tonnes|grain" }, got)
  end)

  it("writes the same entities, quotes with speakers, dates and metadata", function()
    local text = 'ANKARA, May 16, 2025 - Turkish Foreign Minister Hakan Fidan met Ukrainian officials ' ..
      'in Istanbul on Friday. "We want peace," Fidan said. Zelensky said: "Russia must stop." ' ..
      'Erdoğan called it “a historic day”.\n\nSource: Example News'
    same(rec(text, { meta = { source = "Example", categories = { "politics" } } }))
    same(rec(text, { date = "2025-05-16" }))
    same(rec(text), { reference = "2020-01-01" })
  end)

  it("writes the rows of entities/quotes/numbers methods a host put in place of the library's", function()
    -- with the library's own methods the C results are written directly;
    -- another method's rows take the row writers: both must match report.record
    local text = 'ANKARA, May 16, 2025 - Turkish Foreign Minister Hakan Fidan met officials in Istanbul. ' ..
      '"We want peace," Fidan said. It cost 2.5 million lira.'
    local methods = getmetatable(tidings.analyze("x")).__index
    local saved = { entities = methods.entities, numbers = methods.numbers, quotes = methods.quotes }
    local ok, err = pcall(function()
      methods.entities = function(doc)
        local rows = saved.entities(doc)
        for _, e in ipairs(rows) do e.canonical = e.canonical .. " (host)" end
        return rows
      end
      local with_host = same(rec(text))
      assert.truthy(with_host:find(' (host)"', 1, true))
      methods.entities = saved.entities
      methods.numbers = function(doc) local r = saved.numbers(doc); r[#r] = nil; return r end
      methods.quotes = function() return {} end
      local s = json.decode(same(rec(text)))
      assert.are.equal(0, #s.quotes)
    end)
    for k, v in pairs(saved) do methods[k] = v end
    assert(ok, err)
  end)

  it("writes a speaker no entity names as the words that name them", function()
    -- a role broken over a line: its white space as one space, as doc:quotes() names it
    local s = json.decode(same(rec('"We will not stop," said the\n  mayor.\n\n"No," a\nspokesman  said.')))
    assert.are.same({ "the mayor", "a spokesman" }, { s.quotes[1].speaker, s.quotes[2].speaker })
  end)

  it("finds the article's date in the first 400 bytes like report.record", function()
    local r = json.decode(report.extract_json(rec("May 3, 2021 The council met on Monday."), tidings, {}))
    assert.are.equal("2021-05-03", r.date)
  end)

  it("writes the same bytes for every kind of head field and boilerplate", function()
    local text = "By Jane Doe\n\nThe council met on Monday. \"We agreed,\" Smith said.\n\n" ..
      "Related Posts\nSomething else\n\nLeave a comment\n\nSource: Example News  \n"
    -- numbers, booleans, nested tables and arrays in meta; a number id; no id
    same(rec(text, { meta = { id = 7, score = 0.1, big = 2 ^ 53, flag = true, no = false,
      tags = json.array({ "a", "b" }), empty = json.array(), obj = { x = { y = 1.5 } } } }))
    same(rec(text, { id = 42, line = 3, meta = { source = "Meta source" } }))
    same(rec(text, { id = false }))
    same(rec(text, { id = nil, path = nil, title = nil }))
    same(rec(text, { line = 2.5 }))
    -- what the C writer leaves to the Lua encoder: a table where a string goes, a
    -- meta that is one level too deep only inside the record
    same(rec(text, { title = { "not", "a", "string" } }))
    same(rec(text, { id = json.raw('"raw"') }))
    local deep = {}
    local t = deep
    for _ = 1, 999 do t.x = {}; t = t.x end
    same(rec(text, { meta = deep }))
    t.x = {}
    assert.has_error(function() report.extract_json(rec(text, { meta = deep }), tidings, {}) end)
    assert.has_error(function() json.encode(report.record(rec(text, { meta = deep }), tidings, {})) end)
  end)

  it("writes metadata as tidings.json does (and leaves the rest to it)", function()
    local text = "The council met on Monday."
    local many = {}
    for i = 1, 70 do many["k" .. i] = i end
    local holes = json.array({ 1 })
    holes[3] = 3
    for _, meta in ipairs({
      { b = 1, a = 2, ab = 3, B = 4, ["é"] = 5, [""] = 6, ["a\0b"] = 7, ["a\0"] = 8 },
      { list = { 1, 2, 3 }, nulls = json.array({ json.null, 1 }), n = json.null, e = {}, ea = json.array() },
      { f = 1.5, g = 2 ^ 60, h = -0.0, i = 1e-7, j = 123456789012, k = -3 },
      { deep = { a = { b = { c = { d = json.array({ { x = "y" } }) } } } } },
      { o = json.ordered({ z = 1, a = 2 }, { "z" }) }, { r = json.raw("[1,2]") }, { obj = json.object({}) },
      { "a", "b" }, many, { holes = holes },
    }) do
      same(rec(text, { meta = meta }))
    end
    -- what json.encode refuses, extract refuses too
    for _, meta in ipairs({
      { x = 0 / 0 }, { x = math.huge }, { x = { 1, 2, nil, 4, y = 1 } }, { x = { [1.5] = 1 } },
      { x = function() end }, { [1] = "a", b = "c" },
    }) do
      assert.has_error(function() json.encode(report.record(rec(text, { meta = meta }), tidings, {})) end)
      assert.has_error(function() report.extract_json(rec(text, { meta = meta }), tidings, {}) end)
    end
    local cycle = {}
    cycle.self = cycle
    assert.has_error(function() report.extract_json(rec(text, { meta = { c = cycle } }), tidings, {}) end)
  end)

  it("ends the line with a newline when asked", function()
    local r = rec("One sentence. Two.")
    assert.are.equal(report.extract_json(r, tidings, {}) .. "\n", report.extract_json(r, tidings, { newline = true }))
    local odd = rec("One sentence.", { title = { 1 } })
    assert.are.equal(report.extract_json(odd, tidings, {}) .. "\n",
      report.extract_json(odd, tidings, { newline = true }))
  end)

  it("doc:json_spans() signs a text as report.signatures does its lower-cased words", function()
    local function check(text)
      local doc = tidings.analyze(text)
      local words = {}
      for i = 1, #doc do
        local t = doc:token(i)
        if t.kind == "word" then words[#words + 1] = t.text:lower() end
      end
      local sig, wsig = report.signatures(words)
      local _, _, nw, csig, cwsig = doc:json_spans()
      assert.are.equal(#words, nw)
      assert.are.same(sig, csig)
      assert.are.same(wsig, cwsig)
    end
    -- words of 1 to 14 bytes in every case, UTF-8 letters, stop words in capitals,
    -- repeats, and words that end the text (fewer than 8 bytes left to read)
    check("The THESE Those theIR A Ab ABC Abcd ABCDE abcdeF AbCdEfG ABCDEFGH AbcdefghI " ..
      "Abcdefghijklmn Élan ÉLAN naïve NAÏVE Zürich ZÜRICH Xy xy xY Zz zz ZZ abcdefgh abcdefgh Ok")
    check("Short")
    check("AbCdEfGh")
    check("one Two")
    check("")
    check("... !!!")
    local parts = {}
    local seed = 3
    local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
    local letters = { "a", "B", "z", "Z", "é", "Ö", "the", "THE", "and", "With", "m", "Q" }
    for _ = 1, 400 do
      local w = {}
      for k = 1, 1 + rnd(10) do w[k] = letters[1 + rnd(#letters)] end
      parts[#parts + 1] = table.concat(w)
    end
    check(table.concat(parts, " "))
  end)

  it("doc:json_spans(true) gives the sentences json.decode makes of doc:json_spans()", function()
    local doc = tidings.analyze("One. Two words here! And a third?\n\nFour")
    local _, sj = doc:json_spans()
    local _, st = doc:json_spans(true)
    assert.are.same(json.decode(sj), st)
    assert.are.equal(sj, json.encode(st))
    local _, empty = tidings.analyze(""):json_spans(true)
    assert.are.equal("[]", json.encode(empty))
  end)

  it("doc:extract_json needs the number formatter and takes only a string text", function()
    local doc = tidings.analyze("Hello world.")
    assert.has_error(function() doc:extract_json() end)
    assert.has_error(function() doc:extract_json(json.format_number, 42) end)
    assert.are.equal(9, select("#", doc:extract_json(json.format_number)))
    assert.are.equal('"Hello world."', select(10, doc:extract_json(json.format_number, "Hello world.")))
    assert.has_error(function() doc:extract_json(json.format_number, nil, "head") end)
    -- a head without the text or the boilerplate list: nil (the caller encodes in Lua)
    assert.is_nil(doc:extract_json(json.format_number, nil, {}))
    assert.is_nil(doc:extract_json(json.format_number, nil, { text = "Hello world.", boilerplate = { { 5, 99 } } }))
    assert.is_nil(doc:extract_json(json.format_number, nil, { text = "Hello world.", boilerplate = { { -1, 2 } } }))
    assert.is_nil(doc:extract_json(json.format_number, nil, { text = "Hello world.", boilerplate = { { 0, 2, 3 } } }))
    local line = doc:extract_json(json.format_number, nil, { text = "Hello world.", boilerplate = { { 0, 5, "k" } } })
    assert.truthy(line:find('"boilerplate":[{"start":0,"end":5,"kind":"k","text":"Hello"}]', 1, true))
    assert.truthy(line:find('"boilerplate_bytes":5', 1, true))
    local head = { text = "Hello world.", boilerplate = {}, null = json.null,
      meta = { b = json.array({ 1, json.null }), a = { "x" }, c = {} } }
    assert.truthy(doc:extract_json(json.format_number, nil, head):find('"meta":{"a":["x"],"b":[1,null],"c":{}}', 1, true))
    head.meta = json.ordered({ b = 1 }, { "b" })
    assert.is_nil(doc:extract_json(json.format_number, nil, head))
  end)
end)
