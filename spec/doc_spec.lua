-- The Doc: shape of results, offsets, positions, versions.
local tidings = require "tidings"

describe("tidings.analyze", function()
  local text = "Erdoğan met Putin."
  local doc = tidings.analyze(text)

  it("returns a Doc whose length is the number of tokens", function()
    assert.are.equal(4, #doc)
    assert.are.equal("tidings.Doc: 19 bytes, 4 tokens, 1 sentences", tostring(doc))
  end)

  it("gives 1-based inclusive byte offsets, as string.find does", function()
    local t = doc:token(1)
    assert.are.same({ text = "Erdoğan", start = 1, stop = 8, kind = "word" }, t)
    assert.are.equal(t.text, text:sub(t.start, t.stop))
    assert.are.equal(text:find("Putin", 1, true), doc:token(3).start)
  end)

  it("counts tokens by kind with doc:count", function()
    local doc = tidings.analyze("Mr. Smith paid $5 on 3 May, he said.")
    local words, by_kind = 0, {}
    for i = 1, #doc do
      local _, _, kind = doc:span(i)
      by_kind[kind] = (by_kind[kind] or 0) + 1
      if kind == "word" then words = words + 1 end
    end
    assert.are.equal(#doc, doc:count())
    assert.are.equal(words, doc:count("word"))
    assert.is_true(words > 0)
    for kind, n in pairs(by_kind) do assert.are.equal(n, doc:count(kind)) end
    assert.are.equal(0, tidings.analyze(""):count("word"))
    assert.has_error(function() doc:count("verb") end)
    assert.has_error(function() doc:count({}) end)
  end)

  it("returns nil for a token index out of range", function()
    assert.is_nil(doc:token(0))
    assert.is_nil(doc:token(5))
    assert.is_nil(doc:span(5))
  end)

  it("iterates tokens in order with doc:tokens()", function()
    local seen = {}
    for i, t in doc:tokens() do seen[i] = t.text end
    assert.are.same({ "Erdoğan", "met", "Putin", "." }, seen)
  end)

  it("has a table-free fast path, doc:span(i)", function()
    assert.are.same({ 10, 12, "word" }, { doc:span(2) })
  end)

  it("exposes token flags", function()
    local f = doc:flags(1)
    assert.is_true(f % (2 * tidings.flags.upper_initial) >= tidings.flags.upper_initial)
  end)

  it("converts byte positions to character and UTF-16 positions", function()
    local d = tidings.analyze("ğ😀x")  -- 2 + 4 + 1 bytes
    assert.are.equal(1, d:char_pos(1))
    assert.are.equal(1, d:char_pos(2))   -- inside ğ
    assert.are.equal(2, d:char_pos(3))
    assert.are.equal(3, d:char_pos(7))
    assert.are.equal(4, d:char_pos(8))   -- one past the end
    assert.are.equal(2, d:utf16_pos(3))
    assert.are.equal(4, d:utf16_pos(7))  -- the emoji takes two UTF-16 units
    assert.are.equal(5, d:utf16_pos(8))
    assert.has_error(function() d:char_pos(9) end)
  end)

  it("returns the analysed text with doc:text()", function()
    assert.are.equal(text, doc:text())
  end)

  it("gives an empty Doc for an empty string", function()
    local d = tidings.analyze("")
    assert.are.equal(0, #d)
    assert.are.same({}, d:sentences())
  end)

  it("marks result arrays so that empty ones serialise as arrays", function()
    assert.are.equal(tidings.core.array_mt, getmetatable(tidings.analyze(""):sentences()))
  end)

  it("is deterministic", function()
    local a = tidings.tokenize("Mr. Putin’s 1,000 drones, U.S. e-mail")
    local b = tidings.tokenize("Mr. Putin’s 1,000 drones, U.S. e-mail")
    assert.are.same(a, b)
  end)
end)

describe("tidings.versions", function()
  it("names the module, Lua, utf8proc, PCRE2 and Unicode versions", function()
    local v = tidings.versions()
    assert.are.equal(tidings._VERSION, v.tidings)
    assert.are.equal(_VERSION, v.lua)
    assert.is_string(v.utf8proc)
    assert.is_string(v.pcre2)
    assert.are.equal("15.0.0", v.unicode)
  end)
end)
