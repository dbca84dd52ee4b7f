-- tidings.tagger: independent taggers with user gazetteers, PCRE2 patterns and models.
local tidings = require "tidings"

local function tmpfile(content)
  local name = os.tmpname()
  local f = assert(io.open(name, "wb"))
  f:write(content)
  f:close()
  return name
end

local function find(doc, text)
  for _, e in ipairs(doc:entities()) do if e.text == text then return e end end
end

describe("tidings.tagger", function()
  it("adds gazetteer entries from a table, with user types and canonical names", function()
    local t = assert(tidings.tagger{ gazetteer = {
      { "Acme Rockets", "ORG" }, { "Widgetron", "PRODUCT", "Widgetron 3000" }, { "Zorblax", "ALIEN" } } })
    local doc = t:analyze("Acme Rockets sells the Widgetron to Zorblax.")
    assert.are.equal("ORG", find(doc, "Acme Rockets").type)
    assert.are.equal("Widgetron 3000", find(doc, "Widgetron").canonical)
    assert.are.equal("ALIEN", find(doc, "Zorblax").type)
  end)

  it("reads a gazetteer file", function()
    local name = tmpfile("# a comment\nBlue Lagoon Works\tORG\nGlimmerdale\tcity\tGlimmerdale\n")
    local t = assert(tidings.tagger{ gazetteer = name })
    os.remove(name)
    local doc = t:analyze("Blue Lagoon Works moved to Glimmerdale.")
    assert.are.equal("ORG", find(doc, "Blue Lagoon Works").type)
    assert.are.equal("GPE", find(doc, "Glimmerdale").type)
  end)

  it("gives nil and the file and line of a bad gazetteer line", function()
    local name = tmpfile("Good Name\tORG\nno class here\n")
    local t, err = tidings.tagger{ gazetteer = name }
    os.remove(name)
    assert.is_nil(t)
    assert.are.equal(name .. ":2: expected phrase<TAB>class[<TAB>canonical]", err)
    local name2 = tmpfile("Good Name\tORG\nBad\tnot-a-class\n")
    t, err = tidings.tagger{ gazetteer = name2 }
    os.remove(name2)
    assert.is_nil(t)
    assert.truthy(err:find(name2 .. ":2: unknown class", 1, true))
  end)

  it("gives nil and a message for a missing gazetteer file", function()
    local t, err = tidings.tagger{ gazetteer = "/nonexistent/x.tsv" }
    assert.is_nil(t)
    assert.truthy(err:find("/nonexistent/x.tsv", 1, true))
  end)

  it("marks entities with PCRE2 patterns, which win over other sources", function()
    local t = assert(tidings.tagger{ patterns = {
      { type = "TICKER", pcre = [[\$[A-Z]{2,5}\b]] },
      { type = "ORG", pcre = [[(?i)reuters]] } } })
    local doc = t:analyze("Shares of $ACME rose, Reuters reported.")
    local e = find(doc, "$ACME")
    assert.are.equal("TICKER", e.type)
    assert.are.equal(1, e.score)
    assert.are.equal("ORG", find(doc, "Reuters").type)
  end)

  it("gives nil and the 1-based offset of a bad pattern", function()
    local t, err = tidings.tagger{ patterns = { { type = "X", pcre = "ab(c" } } }
    assert.is_nil(t)
    assert.truthy(err:find("pattern 1 (ab(c):", 1, true), err)
    assert.truthy(err:find("at offset 5", 1, true), err)
  end)

  it("gives nil and a message for a missing or corrupt model file", function()
    local t, err = tidings.tagger{ model = "/nonexistent/model.bin" }
    assert.is_nil(t)
    assert.truthy(err:find("/nonexistent/model.bin", 1, true))
    local name = tmpfile("this is not a model")
    t, err = tidings.tagger{ model = name }
    os.remove(name)
    assert.is_nil(t)
    assert.truthy(err:find(name, 1, true))
  end)

  it("raises for misuse: unknown options and wrong types", function()
    assert.has_error(function() tidings.tagger{ gazeteer = {} } end)
    assert.has_error(function() tidings.tagger("x") end)
    assert.has_error(function() tidings.tagger{ patterns = { { type = "X" } } } end)
    assert.has_error(function() tidings.tagger{ gazetteer = { { 1, 2 } } } end)
  end)

  it("keeps two taggers in one Lua state independent", function()
    local a = assert(tidings.tagger{ gazetteer = { { "Florp", "ALIEN" } } })
    local b = assert(tidings.tagger{ gazetteer = { { "Florp", "PRODUCT" } }, model = false })
    local text = "We saw Florp."
    assert.are.equal("ALIEN", find(a:analyze(text), "Florp").type)
    assert.are.equal("PRODUCT", find(b:analyze(text), "Florp").type)
    local e = find(tidings.analyze(text), "Florp")
    assert.is_true(e == nil or e.type ~= "ALIEN")
    assert.are.equal("ALIEN", find(a:analyze(text), "Florp").type)
  end)

  it("can leave the bundled gazetteers out", function()
    local t = assert(tidings.tagger{ defaults = false, model = false })
    assert.are.equal(0, t:info().phrases)
    assert.are.equal(0, #t:analyze("Kyiv and Moscow."):entities())
  end)

  it("reports what it holds", function()
    local t = assert(tidings.tagger{ patterns = { { type = "X", pcre = "x" } } })
    local info = t:info()
    assert.is_true(info.phrases > 10000)
    assert.are.equal(1, info.patterns)
  end)

  it("survives many taggers and docs being collected", function()
    for _ = 1, 20 do
      local t = assert(tidings.tagger{ gazetteer = { { "Quux", "ORG" } }, defaults = false, model = false })
      for _ = 1, 20 do t:analyze("Quux and Quux."):entities() end
    end
    collectgarbage()
    collectgarbage()
  end)
end)
