-- spec/report_spec.lua: tidings.report (aggregation, merging, the model) and
-- the formatters.  Records are written by hand here, in the shape
-- `tidings extract` prints, so these specs do not depend on the taggers.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local json = require "tidings.json"
local report = require "tidings.report"

-- A record with text and the spans found in it (0-based start, exclusive end).
local function rec(id, source, text, spans)
  local sents = {}
  local pos = 0
  for s in text:gmatch("[^.!?]+[.!?]?%s*") do
    sents[#sents + 1] = { pos, pos + #s }
    pos = pos + #s
  end
  local function sentence_of(a)
    for i, s in ipairs(sents) do if a >= s[1] and a < s[2] then return i end end
  end
  local words = {}
  for w in text:gmatch("%a+") do words[#words + 1] = w:lower() end
  local sig, wsig = report.signatures(words)
  local r = { id = id, path = id, source = source, title = "T " .. id, text = text,
    stats = { bytes = #text, words = #words, sentences = #sents, tokens = #words, boilerplate_bytes = 0 },
    boilerplate = {}, sentences = sents, tokens = {}, entities = {}, numbers = {}, quotes = {},
    signature = { shingles = sig, words = wsig } }
  for _, s in ipairs(spans or {}) do
    local a, b = text:find(s.text, 1, true)
    assert(a, "span text not in the record: " .. s.text)
    local item = { start = a - 1, ["end"] = b, text = s.text, sentence = sentence_of(a - 1) }
    for k, v in pairs(s) do if k ~= "list" then item[k] = v end end
    table.insert(r[s.list], item)
  end
  -- what a record looks like after a trip through JSON
  return json.decode(json.encode(r))
end

local A = rec("a.txt", "Outlet A",
  "Donald Trump met Vladimir Putin in Istanbul. They exchanged 1,000 POWs after nearly three years of war. " ..
  "\"We want peace,\" Putin said.",
  {
    { list = "entities", text = "Donald Trump", type = "PERSON", canonical = "Donald Trump", role = "President" },
    { list = "entities", text = "Vladimir Putin", type = "PERSON", canonical = "Vladimir Putin" },
    { list = "entities", text = "Istanbul", type = "GPE", canonical = "Istanbul" },
    { list = "numbers", text = "1,000 POWs", kind = "cardinal", value = 1000, unit = "POWs", bound = "=" },
    { list = "numbers", text = "nearly three years", kind = "duration", value = 3, unit = "year", bound = "~", timex = "P3Y" },
    { list = "quotes", text = "We want peace,", speaker = "Vladimir Putin" },
  })
local B = rec("b.txt", "Outlet B",
  "Putin and Trump spoke. Russia and Ukraine swapped 1,000 POWs, more than three years into the war.",
  {
    { list = "entities", text = "Putin", type = "PERSON", canonical = "Vladimir Putin" },
    { list = "entities", text = "Trump", type = "PERSON", canonical = "Donald Trump" },
    { list = "numbers", text = "1,000 POWs", kind = "cardinal", value = 1000, unit = "POWs", bound = "=" },
    { list = "numbers", text = "more than three years", kind = "duration", value = 3, unit = "years", bound = ">", timex = "P3Y" },
  })
local C = rec("c.txt", "Outlet C",
  "Officials said 1,000 prisoners of war were exchanged on 2025-05-16. \"It is a start,\" a diplomat said.",
  {
    { list = "numbers", text = "1,000 prisoners of war", kind = "cardinal", value = 1000, unit = "prisoners of war", bound = "=" },
    { list = "numbers", text = "2025-05-16", kind = "date", timex = "2025-05-16" },
    { list = "quotes", text = "It is a start," },
  })
-- a syndicated copy of A
local A2 = rec("a-copy.txt", "Outlet D", A.text, {})

local function agg_of(...)
  local agg = report.new()
  for _, r in ipairs({ ... }) do agg:add(r) end
  return agg
end

local function model_json(agg)
  return require("tidings.format.json").render(report.finish(agg))
end

describe("tidings.report aggregate", function()
  it("counts documents, words and sentences in the overview", function()
    local m = report.finish(agg_of(A, B, C))
    assert.are.equal(3, m.overview.documents)
    assert.are.equal(A.stats.words + B.stats.words + C.stats.words, m.overview.words)
    assert.are.equal(3, m.overview.sources)
  end)

  it("merges entities by canonical name across documents, with roles and first mention", function()
    local m = report.finish(agg_of(A, B, C))
    local people = m.entity_types[1]
    assert.are.equal("PERSON", people.type)
    local putin
    for _, e in ipairs(people.entities) do if e.canonical == "Vladimir Putin" then putin = e end end
    assert.are.equal(2, putin.mentions)
    assert.are.equal(2, putin.docs)
    assert.are.equal("a.txt", putin.first.doc)
    assert.are.equal("Donald Trump met Vladimir Putin in Istanbul.", putin.first.context)
    local trump = people.entities[1].canonical == "Donald Trump" and people.entities[1] or people.entities[2]
    assert.are.equal("President", trump.roles[1].name)
  end)

  it("counts who appears with whom in a sentence", function()
    local m = report.finish(agg_of(A, B))
    local top = m.cooccurrence[1]
    assert.are.equal("Donald Trump", top.a)
    assert.are.equal("Vladimir Putin", top.b)
    assert.are.equal(2, top.sentences)
  end)

  it("groups one quantity reported by several sources (1,000 POWs in 3 sources)", function()
    local m = report.finish(agg_of(A, B, C))
    local g
    for _, x in ipairs(m.groups) do if x.unit == "pow" then g = x end end
    assert.is_truthy(g, "no group for POWs")
    -- "prisoners of war" counts the same thing as "POWs" only if the unit says so:
    -- C's unit normalises to "prisoner", so two sources here
    assert.are.equal(2, g.docs)
    assert.are.equal(1, #g.values)
    assert.are.equal("1,000", report.value_text(g.values[1]))
    assert.is_falsy(g.disagreement)
  end)

  it("flags a disagreement: 'nearly three years' vs 'more than three years'", function()
    local m = report.finish(agg_of(A, B, C))
    assert.are.equal(1, #m.disagreements)
    local d = m.disagreements[1]
    assert.are.equal("year", d.unit)
    local texts = {}
    for _, v in ipairs(d.values) do texts[#texts + 1] = report.value_text(v) end
    table.sort(texts)
    assert.are.same({ "about 3", "more than 3" }, texts)
  end)

  it("keeps quantities of different things apart: 10 kg of heroin is not 5 kg of cocaine", function()
    local function seized(id, text, value, product)
      return rec(id, "Outlet " .. id, text, {
        { list = "numbers", text = value .. " kg", kind = "quantity", value = value, unit = "kg",
          product = product } })
    end
    -- one story (figures are compared within a story only)
    local port = " at the port of Rotterdam on Monday, Dutch customs officials said after the raid."
    local m = report.finish(agg_of(
      seized("p.txt", "Police seized 10 kg of heroin" .. port, 10, "heroin"),
      seized("q.txt", "Police seized 5 kg of cocaine" .. port, 5, "cocaine"),
      seized("r.txt", "Police seized 12 kg of heroin" .. port, 12, "heroin")))
    assert.are.equal(1, #m.stories)
    local labels = {}
    for _, g in ipairs(m.groups) do labels[#labels + 1] = g.label end
    -- only heroin is reported by two sources; it disagrees (10 vs 12), cocaine is apart
    assert.are.same({ "kg of heroin" }, labels)
    assert.are.equal(1, #m.disagreements)
    assert.are.equal("heroin", m.disagreements[1].product)
    local values = {}
    for _, v in ipairs(m.disagreements[1].values) do values[#values + 1] = v.value end
    table.sort(values)
    assert.are.same({ 10, 12 }, values)
    assert.are.equal("kg of heroin", report.counts_text(m.figures[1]))
  end)

  it("lists quotes by speaker and unattributed ones apart", function()
    local m = report.finish(agg_of(A, B, C))
    assert.are.equal("Vladimir Putin", m.speakers[1].speaker)
    assert.are.equal("We want peace,", m.speakers[1].items[1].text)
    assert.are.equal(1, m.unattributed.quotes)
  end)

  it("puts dated mentions on the timeline", function()
    local m = report.finish(agg_of(A, B, C))
    assert.are.equal("2025-05-16", m.timeline[1].timex)
  end)

  it("finds a syndicated copy with MinHash and not an unrelated document", function()
    local m = report.finish(agg_of(A, B, C, A2))
    assert.are.equal("copy", m.duplicates[1].kind)
    assert.are.same({ "a-copy.txt", "a.txt" }, { m.duplicates[1].a, m.duplicates[1].b })
    assert.are.equal(1, m.duplicates[1].shingles)
    for _, p in ipairs(m.duplicates) do
      assert.is_false(p.kind == "copy" and (p.a == "c.txt" or p.b == "c.txt"))
    end
  end)
end)

describe("tidings.report stories", function()
  local stories = require "tidings.stories"
  local function km(id, text, value, date, ents)
    local spans = { { list = "numbers", text = value .. " km", kind = "quantity", value = value, unit = "km" } }
    for _, e in ipairs(ents) do
      spans[#spans + 1] = { list = "entities", text = e[1], type = e[2], canonical = e[1] }
    end
    local r = rec(id, "Outlet " .. id, text, spans)
    r.date = date
    return r
  end
  local QUAKE = { { "Sendai", "GPE" }, { "Japan Meteorological Agency", "ORG" }, { "Japan", "GPE" } }
  local RUN = { { "Eliud Kipchoge", "PERSON" }, { "Berlin Marathon", "EVENT" }, { "Berlin", "GPE" } }
  local quake1 = km("quake1.txt", "A magnitude 6.1 earthquake struck near Sendai in Japan on Monday. " ..
    "The quake was 10 km deep, the Japan Meteorological Agency said, and no tsunami warning was issued.",
    10, "2025-03-03", QUAKE)
  local quake2 = km("quake2.txt", "An earthquake of magnitude 6.1 shook Sendai, Japan, on Monday at a " ..
    "depth of 30 km, according to the Japan Meteorological Agency. No tsunami warning was issued.",
    30, "2025-03-04", QUAKE)
  local quake3 = km("quake3.txt", "The Japan Meteorological Agency said the magnitude 6.1 earthquake near " ..
    "Sendai in Japan on Monday was 10 km deep. No tsunami warning was issued for the coast.",
    10, "2025-03-03", QUAKE)
  local run1 = km("run1.txt", "Kenyan runner Eliud Kipchoge won the Berlin Marathon on Sunday. He broke " ..
    "away from the pack after 30 km and finished alone, organisers in Berlin said.", 30, "2025-09-28", RUN)
  local run2 = km("run2.txt", "Eliud Kipchoge pulled clear of the field after 30 km to win the Berlin " ..
    "Marathon on Sunday, the organisers said; he finished alone in Berlin.", 30, "2025-09-28", RUN)

  it("does not compare figures of unrelated stories (10 km here, 30 km there)", function()
    local m = report.finish(agg_of(quake1, quake3, run1, run2))
    assert.are.equal(2, #m.stories)
    assert.are.equal(0, #m.disagreements)
    -- each story reports its own figure, agreeing
    assert.are.equal(2, #m.groups)
    for _, g in ipairs(m.groups) do
      assert.are.equal(1, #g.values)
      assert.are.equal(2, g.docs)
      assert.is_falsy(g.disagreement)
    end
  end)

  it("flags 10 vs 30 km between two versions of one story, under the story's title", function()
    local m = report.finish(agg_of(quake1, quake2, run1))
    assert.are.equal(1, #m.stories)
    assert.are.same({ "quake1.txt", "quake2.txt" }, m.stories[1].documents)
    assert.are.equal(quake1.title, m.stories[1].title) -- the earliest document names it
    assert.are.equal(1, #m.disagreements)
    local d = m.disagreements[1]
    assert.are.equal("km", d.unit)
    assert.are.equal(1, d.story)
    local values = {}
    for _, v in ipairs(d.values) do values[#values + 1] = v.value end
    table.sort(values)
    assert.are.same({ 10, 30 }, values)
    local md = require("tidings.format.markdown").render(m, {})
    assert.truthy(md:find("**Story 1: " .. quake1.title .. "** (2 documents)", 1, true))
  end)

  it("sees no disagreement when the sources have a value in common (10 and 30 km vs 30 km)", function()
    local both = km("quake5.txt", quake2.text .. " An aftershock was 10 km deep.", 30, "2025-03-04", QUAKE)
    local a = both.text:find("10 km", #quake2.text, true)
    table.insert(both.numbers, { start = a - 1, ["end"] = a + 4, text = "10 km",
      kind = "quantity", value = 10, unit = "km" })
    local m = report.finish(agg_of(both, quake2))
    assert.are.equal(1, #m.stories)
    assert.are.equal(1, #m.groups)
    assert.are.equal(2, #m.groups[1].values)
    assert.are.equal(0, #m.disagreements)
    -- but 10 km alone against 30 km alone is one
    assert.are.equal(1, #report.finish(agg_of(both, quake2, quake1)).disagreements)
  end)

  it("sees no disagreement between figures said in unlike sentences (two facts)", function()
    local other = km("quake6.txt", "An earthquake of magnitude 6.1 shook Sendai, Japan, on Monday, " ..
      "according to the Japan Meteorological Agency. No tsunami warning was issued. " ..
      "Rescue teams drove 30 km to reach a cut-off village.", 30, "2025-03-04", QUAKE)
    local m = report.finish(agg_of(quake1, other))
    assert.are.equal(1, #m.stories)
    assert.are.equal(1, #m.groups)
    assert.are.equal(0, #m.disagreements)
    -- without the texts (extract --no-text) the values decide alone
    local function notext(r) local c = json.decode(json.encode(r)); c.text = nil; return c end
    assert.are.equal(1, #report.finish(agg_of(notext(quake1), notext(other))).disagreements)
  end)

  it("compares every figure when told the documents are one story", function()
    local m = report.finish(agg_of(quake1, run1), { one_story = true })
    assert.are.equal(1, #m.stories)
    assert.are.equal(1, #m.groups)
    assert.are.equal("km", m.groups[1].unit)
    assert.are.equal(2, #m.groups[1].values)
    -- (not a disagreement: "10 km deep" and "after 30 km" share no words)
    assert.are.equal(0, #m.disagreements)
    assert.are.equal(0, #report.finish(agg_of(quake1, run1)).groups)
  end)

  it("does not join dated documents further apart than a week", function()
    local late = km("quake4.txt", quake2.text, 30, "2025-04-20", QUAKE)
    local m = report.finish(agg_of(quake1, late))
    assert.are.equal(0, #m.stories)
    assert.are.equal(0, #m.disagreements)
    assert.are.equal(1, #report.finish(agg_of(quake1, quake2)).stories)
  end)

  it("does not chain stories: a cluster joins another when half the pairs between them are linked", function()
    -- document k names entities of groups k and k+1: neighbours share three,
    -- others none; same words everywhere, no copies, no dates
    local docs = {}
    for k = 1, 6 do
      local ents, sig, wsig = {}, {}, {}
      for g = k, k + 1 do for e = 1, 3 do ents[#ents + 1] = string.format("GPE\tplace %d-%d", g, e) end end
      table.sort(ents)
      for i = 1, 32 do sig[i] = k * 100 + i; wsig[i] = i end
      docs[k] = { id = "d" .. k, words = 100, ents = ents, sig = sig, wsig = wsig }
    end
    local pairs_found, clusters = stories.find(docs, {})
    assert.are.equal(5, #pairs_found) -- the neighbours
    assert.is_true(#clusters >= 2)
    for _, c in ipairs(clusters) do assert.is_true(#c <= 3) end
    local old = stories.DENSITY
    stories.DENSITY = 0 -- connected components: one chain
    local ok, _, chain = pcall(stories.find, docs, {})
    stories.DENSITY = old
    assert(ok, _)
    assert.are.equal(1, #chain)
    assert.are.equal(6, #chain[1])
  end)

  it("counts days from 1970-01-01 on the Gregorian calendar", function()
    assert.are.equal(0, stories.day_number("1970-01-01"))
    assert.are.equal(11017, stories.day_number("2000-03-01"))
    assert.are.equal(-1, stories.day_number("1969-12-31"))
    assert.is_nil(stories.day_number("2025-05"))
    assert.is_nil(stories.day_number(nil))
  end)

  -- a corpus of unrelated documents over a made-up vocabulary, with one story
  -- told twice (other words, other order: no copy) and one copy
  local function generated(n)
    local seed = 7
    local function rand(m) seed = (seed * 48271) % 2147483647; return seed % m + 1 end
    local function word(j) -- letters only, distinct for each j
      local s = ""
      repeat s = s .. string.char(97 + j % 26); j = math.floor(j / 26) until j == 0
      return "q" .. s
    end
    local docs, words_of = {}, {}
    for i = 1, n do
      local ws, spans = {}, {}
      for k = 1, 40 do ws[k] = word(rand(20000)) end
      if i == n then -- the story of document 100, retold
        local old = words_of[100]
        for k = 1, 40 do ws[k] = (k % 3 == 0) and word(rand(20000)) or old[41 - k] end
      end
      words_of[i] = ws
      local text = table.concat(ws, " ") .. "."
      if i == n - 1 then text = docs[50].text end -- a copy
      local r = rec(string.format("g%04d", i), "G", text, spans)
      docs[i] = r
    end
    return docs
  end

  it("finds same-story pairs and copies beyond 400 documents, as a comparison of all pairs does", function()
    local docs = generated(450)
    local agg = report.new()
    for _, r in ipairs(docs) do agg:add(r) end
    local m = report.finish(agg)
    local found = {}
    for _, p in ipairs(m.duplicates) do found[#found + 1] = p.a .. " " .. p.b .. " " .. p.kind end
    table.sort(found)
    assert.are.same({ "g0050 g0449 copy", "g0100 g0450 same story" }, found)
    assert.are.equal(2, #m.stories)
    -- the joins miss nothing a comparison of every pair finds
    local list = {}
    for _, d in pairs(agg.docs) do list[#list + 1] = d end
    table.sort(list, function(a, b) return a.id < b.id end)
    local p1 = stories.find(list, {})
    local p2 = stories.find(list, { all_pairs = true })
    assert.are.equal(#p2, #p1)
    assert.are.equal(json.encode(p2), json.encode(p1))
  end)
end)

describe("tidings.report merge", function()
  local single = model_json(agg_of(A, B, C, A2))

  it("gives the single run's report for any split and order (commutative)", function()
    local x = agg_of(C, A)
    local y = agg_of(A2, B)
    assert.are.equal(single, model_json(x:merge(y)))
    assert.are.equal(single, model_json(agg_of(B, A2):merge(agg_of(A, C))))
  end)

  it("is associative: (a+b)+c == a+(b+c), through partial JSON", function()
    local function part(...) return assert(report.from_json(agg_of(...):to_json())) end
    local left = part(A):merge(part(B)):merge(part(C, A2))
    local right = part(A):merge(part(B):merge(part(C, A2)))
    assert.are.equal(single, model_json(left))
    assert.are.equal(single, model_json(right))
  end)

  it("writes the same partial bytes whatever order documents came in", function()
    assert.are.equal(agg_of(A, B, C):to_json(), agg_of(C, B, A):to_json())
  end)

  it("keeps the N first figures by (document, offset) when capping", function()
    local old = report.ITEM_CAP
    report.ITEM_CAP = 2
    local ok, err = pcall(function()
      local m1 = report.finish(agg_of(A, B, C))
      local m2 = report.finish(agg_of(C):merge(agg_of(B)):merge(agg_of(A)))
      assert.are.equal(2, #m1.figures)
      assert.are.equal(6, m1.figures_total)
      assert.are.equal(json.encode(m1.figures), json.encode(m2.figures))
      assert.are.equal("a.txt", m1.figures[1].doc)
    end)
    report.ITEM_CAP = old
    assert(ok, err)
  end)

  it("refuses what is not a partial report, and other versions", function()
    assert.is_nil((report.from_json('{"x":1}')))
    local v, err = report.from_json('{"tidings_partial":99}')
    assert.is_nil(v)
    assert.matches("version 99", err)
    assert.is_nil((report.from_json("{")))
  end)
end)

describe("tidings.report helpers", function()
  it("writes values with bounds and thousands separators", function()
    assert.are.equal("more than 300,000", report.value_text({ bound = ">", value = 300000 }))
    assert.are.equal("5–10", report.value_text({ bound = "=", low = 5, high = 10 }))
    assert.are.equal("1.5", report.value_text({ value = 1.5 }))
  end)

  it("normalises what a figure counts", function()
    assert.are.equal("pow", report.norm_unit("POWs"))
    assert.are.equal("drone", report.norm_unit("offensive drones"))
    assert.are.equal("prisoner", report.norm_unit("prisoners of war"))
    assert.is_nil(report.norm_unit(""))
  end)

  it("blanks removed spans without moving any offset", function()
    local s = "Related Posts\nBody text.\nShare this"
    local out = report.blank_spans(s, { { 0, 13 }, { 25, 35 } })
    assert.are.equal(#s, #out)
    assert.are.equal("             \nBody text.\n          ", out)
  end)
end)

describe("tidings.format", function()
  local m = report.finish(agg_of(A, B, C, A2))

  it("markdown has every section and the disagreement", function()
    local md = require("tidings.format.markdown").render(m, { title = "Test" })
    for _, h in ipairs({ "# Test", "## Overview", "## Entities", "## Numbers", "### Where the sources disagree",
      "## Quotes", "## Near-duplicates and same-story documents" }) do
      assert.truthy(md:find(h, 1, true), "missing " .. h)
    end
    assert.truthy(md:find("more than 3 (Outlet B)", 1, true))
  end)

  it("html is one self-contained page with inline SVG charts", function()
    local html = require("tidings.format.html").render(m, {})
    assert.truthy(html:find("^<!DOCTYPE html>"))
    for _, id in ipairs({ 'id="overview"', 'id="entities"', 'id="numbers"', 'id="quotes"', 'id="duplicates"' }) do
      assert.truthy(html:find(id, 1, true), "missing " .. id)
    end
    local _, svgs = html:gsub("<svg ", "")
    assert.are.equal(3, svgs)
    assert.falsy(html:find("<script", 1, true))
    assert.falsy(html:find('src="http', 1, true))
    assert.falsy(html:find('href="http', 1, true))
  end)

  it("csv has one table per file, RFC 4180 quoting", function()
    local csv = require "tidings.format.csv"
    local tables = csv.tables(m)
    assert.are.equal(#csv.NAMES, #tables)
    local q = csv.render(m, { table = "quotes" })
    assert.truthy(q:find('^speaker,document,start,end,text\r\n'))
    assert.truthy(q:find('"We want peace,"', 1, true))
    assert.has_error(function() csv.render(m, { table = "nope" }) end)
  end)

  it("json is deterministic", function()
    local f = require "tidings.format.json"
    assert.are.equal(f.render(m), f.render(report.finish(agg_of(A2, C, B, A))))
  end)

  it("text fits a terminal", function()
    local t = require("tidings.format.text").render(m)
    assert.truthy(t:find("OVERVIEW", 1, true))
    assert.truthy(t:find("! year:", 1, true))
  end)
end)
