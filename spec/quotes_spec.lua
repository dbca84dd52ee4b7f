-- spec/quotes_spec.lua: doc:quotes(), direct quotations and their speakers.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"

local function quotes(text, opts)
  local doc = assert(tidings.analyze(text))
  return doc:quotes(opts or { entities = false }), doc
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

describe("doc:quotes", function()
  -- { text, quoted words, speaker (nil: none), how }
  local cases = {
    { "“A ceasefire will take place.” – Donald Trump", "A ceasefire will take place.", "Donald Trump", "dash" },
    { "Trump said, “I’ll meet with President Putin.”", "I’ll meet with President Putin.", "Trump", "before" },
    { "“There are two paths ahead of us,” Fidan told the delegations.",
      "There are two paths ahead of us,", "Fidan", "after" },
    { "“We are ready,” said Foreign Minister Hakan Fidan.", "We are ready,", "Hakan Fidan", "after" },
    { "“We are ready,” a senior official said.", "We are ready,", "a senior official", "after" },
    { "Peace is near, according to Dmitry Peskov, who said “talks went well.”",
      "talks went well.", "Dmitry Peskov", "according" },
    { "Ukrainian President Volodymyr Zelenskyy arrived. Zelenskyy criticized the move sharply, " ..
      "stating, “Russia does not want peace.”", "Russia does not want peace.", "Volodymyr Zelenskyy", "before" },
    { "Russia’s Foreign Ministry insulted him, calling him “a clown.”", "a clown.",
      "Russia’s Foreign Ministry", "before" },
    { "Kremlin spokesperson Dmitry Peskov said: “It will take time.”", "It will take time.",
      "Dmitry Peskov", "before" },
    { "The word \"ceasefire\" appears twice.", "ceasefire", nil, "none" },
    { "Senators Byron Dorgan and Mike Enzi introduced the \"Freedom to Travel to Cuba Act\" on Tuesday.",
      "Freedom to Travel to Cuba Act", nil, "none" },
    { "They used an unusual procedure called a \"standing division\" to approve it.",
      "standing division", nil, "none" },
    { "According to the country's state television service, \"A flying boat was tested.\"",
      "A flying boat was tested.", "the country's state television service", "according" },
    { "The kidnappers insisted they were \"acting ahead of justice\" and left.",
      "acting ahead of justice", "The kidnappers", "before" },
    { "\"We made it. This is history.\" Prominent activist Roula al-Dashti told reporters.",
      "We made it. This is history.", "Roula al-Dashti", "after" },
    { "“Nobody knows.”", "Nobody knows.", nil, "none" },
  }
  for _, c in ipairs(cases) do
    it(("reads %q"):format(c[1]), function()
      local qs = quotes(c[1])
      assert.are.equal(1, #qs)
      assert.are.equal(c[2], qs[1].text)
      assert.are.equal(c[3], qs[1].speaker)
      assert.are.equal(c[4], qs[1].how)
    end)
  end

  it("resolves he to the last person who was a sentence subject", function()
    local qs = quotes("Ukrainian Defense Minister Rustem Umerov confirmed the swap. " ..
      "“We know the date,” he said, “but we’re not disclosing it.”")
    assert.are.equal(2, #qs)
    for _, q in ipairs(qs) do
      assert.are.equal("Rustem Umerov", q.speaker)
      assert.is_true(q.pronoun)
    end
    assert.are.equal("after", qs[1].how)
    assert.are.equal("before", qs[2].how)
  end)

  it("reports a surname by the fullest name in the document", function()
    local qs = quotes("Turkish Foreign Minister Hakan Fidan opened the session.\n\n" ..
      "“Peace is possible,” Fidan said.")
    assert.are.equal("Hakan Fidan", qs[1].speaker)
    local text = "Turkish Foreign Minister Hakan Fidan opened the session.\n\n“Peace is possible,” Fidan said."
    assert.are.equal("Fidan", text:sub(qs[1].speaker_span.start, qs[1].speaker_span.stop))
  end)

  it("gives a quotation standing alone the speaker of the one before", function()
    local qs = quotes("“Two paths,” Fidan told them. “The choice is yours.”")
    assert.are.equal(2, #qs)
    assert.are.equal("Fidan", qs[2].speaker)
    assert.are.equal("continued", qs[2].how)
  end)

  it("does not take indirect speech for a quotation", function()
    assert.are.equal(0, #quotes("Peskov said that the talks would take time."))
  end)

  it("keeps nested ‘…’ inside the quotation", function()
    local qs = quotes("He said, “They called it ‘a farce’ and left.”")
    assert.are.equal(1, #qs)
    assert.are.equal("They called it ‘a farce’ and left.", qs[1].text)
  end)

  it("reads top-level ‘…’ as a quotation", function()
    local qs = quotes("Zelensky: ‘We are ready’")
    assert.are.equal(1, #qs)
    assert.are.equal("We are ready", qs[1].text)
    assert.is_true(qs[1].single)
  end)

  it("continues a quotation over paragraphs that open with a new mark", function()
    local text = "Fidan said: “The first paragraph goes on.\n\n“The second one ends it.”\n\nThen the writer."
    local qs = quotes(text)
    assert.are.equal(1, #qs)
    assert.is_true(qs[1].multi_paragraph)
    assert.are.equal("The first paragraph goes on.\n\n“The second one ends it.", qs[1].text)
    assert.are.equal("Fidan", qs[1].speaker)
  end)

  it("ends an unclosed quotation with its paragraph", function()
    local qs = quotes("He said “this never closes.\n\nA new paragraph.")
    assert.are.equal(1, #qs)
    assert.is_true(qs[1].unclosed)
    assert.are.equal("this never closes.", qs[1].text)
  end)

  it("pairs straight quotes", function()
    local qs = quotes('"Go now," Trump said. "Then stay."')
    assert.are.equal(2, #qs)
    assert.are.equal("Go now,", qs[1].text)
    assert.are.equal("Trump", qs[1].speaker)
    assert.are.equal("Then stay.", qs[2].text)
  end)

  it("does not read an inch mark as a quotation", function()
    assert.are.equal(0, #quotes('A 12" screen and a 15" one.'))
  end)

  it("gives 1-based inclusive offsets of the words and of the marks", function()
    local text = "Trump said, “I’ll meet him.”"
    local q = quotes(text)[1]
    assert.are.equal(q.text, text:sub(q.start, q.stop))
    assert.are.equal("“I’ll meet him.”", text:sub(q.outer.start, q.outer.stop))
    assert.are.equal("Trump", text:sub(q.cue.start, q.cue.stop))
  end)

  it("marks fragments inside the writer's sentence as partial", function()
    local qs = quotes("He referred to the delegation as a “dummy,” implying little.")
    assert.is_true(qs[1].partial)
  end)

  it("returns an empty array for a text without quotations or without text", function()
    for _, text in ipairs({ "", "   ", "No quotes here." }) do
      local qs = quotes(text)
      assert.are.equal(0, #qs)
      assert.are.equal("tidings.array", (getmetatable(qs) or {}).__name or "tidings.array")
    end
  end)

  it("uses entity spans and reports their canonical names", function()
    local text = "The president said, “We will win.”"
    local doc = assert(tidings.analyze(text))
    local qs = doc:quotes({ entities = {
      { start = 5, stop = 13, type = "PERSON", canonical = "Volodymyr Zelenskyy" },
    } })
    assert.are.equal("Volodymyr Zelenskyy", qs[1].speaker)
    assert.are.equal("person", qs[1].speaker_kind)
  end)

  it("rejects options that are not a table", function()
    local doc = assert(tidings.analyze("x"))
    assert.has_error(function() doc:quotes("no") end)
    assert.has_error(function() doc:quotes({ entities = 3 }) end)
  end)

  it("never fails on invalid UTF-8, NUL bytes or lone marks, and is deterministic", function()
    local pieces = { "“", "”", "\"", "‘", "’", "«", "»", "„", " he said", " Fidan", ",", ".", "\0",
      "\255", "\226\128", "\n\n", "\n", " – ", "According to", " Trump", " the minister said" }
    local seed = 7
    for _ = 1, 300 do
      local t = {}
      for j = 1, 40 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        t[j] = pieces[seed % #pieces + 1]
      end
      local text = table.concat(t)
      local a = quotes(text)
      local b = quotes(text)
      assert.are.equal(#a, #b)
      for i, q in ipairs(a) do
        assert.are.equal(q.text, text:sub(q.start, q.stop))
        assert.are.equal(b[i].speaker, q.speaker)
      end
    end
  end)
end)

describe("doc:quotes, one call after another", function()
  local function same(a, b)
    assert.are.equal(#a, #b)
    for i, q in ipairs(a) do
      assert.are.same({ q.text, q.start, q.stop, q.speaker, q.how },
        { b[i].text, b[i].start, b[i].stop, b[i].speaker, b[i].how })
    end
  end
  local small = "Trump said, “I’ll meet with President Putin.” “We are ready,” said Foreign Minister Hakan Fidan."

  it("gives the same answer before and after other texts (large ones too) have been through", function()
    local first = quotes(small)
    assert.are.equal(2, #first)
    quotes(("“It was,” Peskov said. "):rep(2000))          -- more tokens than `small`
    same(first, quotes(small))
    quotes(("“A ceasefire,” said Hakan Fidan. "):rep(80000)) -- over 2 MB: its memory is let go
    same(first, quotes(small))
    same(first, quotes(small, { entities = {} }))
  end)

  it("is right when the entities' __index calls doc:quotes meanwhile", function()
    local text = "Fidan arrived. “We are ready,” Fidan said. “So are we,” he added."
    local doc = assert(tidings.analyze(text))
    local other = assert(tidings.analyze(("“It was,” Peskov said. "):rep(50)))
    local a = text:find("Fidan said", 1, true)
    local b = text:find("Fidan arrived", 1, true)
    -- the second entity's __index runs another doc:quotes after the first
    -- entity has been read: the first must not be lost
    local inner
    local second = setmetatable({}, { __index = function(_, k)
      if k == "start" then inner = inner or other:quotes({ entities = false }); return b end
      if k == "stop" then return b + #"Fidan" - 1 end
      if k == "type" then return "PERSON" end
      if k == "canonical" then return "Fidan (second)" end
    end })
    local first = { start = a, stop = a + #"Fidan" - 1, type = "PERSON", canonical = "Hakan Fidan (canonical)" }
    local ents = { first, second }
    local got = doc:quotes({ entities = ents })
    assert.are.equal(50, #inner)
    assert.are.equal("Peskov", inner[50].speaker)
    assert.are.equal(2, #got)
    assert.are.equal("Hakan Fidan (canonical)", got[1].speaker)
    assert.are.equal("Hakan Fidan (canonical)", got[2].speaker)
    same(got, doc:quotes({ entities = ents }))
  end)
end)

describe("doc:quotes and the Doc's own entities", function()
  -- every field of every quotation, as one string per quotation
  local function rows(qs)
    local out = {}
    for i, q in ipairs(qs) do
      local function span(x) return x and (x.start .. "-" .. x.stop) or "-" end
      out[i] = table.concat({ q.text, q.start, q.stop, span(q.outer), q.how, q.speaker or "-",
        span(q.speaker_span), span(q.cue), q.speaker_kind or "-", tostring(q.pronoun),
        tostring(q.partial), tostring(q.unclosed), tostring(q.multi_paragraph), tostring(q.single) }, "|")
    end
    return out
  end

  it("gives what passing doc:entities() gives, before and after doc:entities() runs", function()
    local files = {}
    for path in pairs(dofile("spec/fixtures/corpus_quotes.lua")) do files[#files + 1] = path end
    table.sort(files)
    assert.is_true(#files >= 5)
    local speakers = 0
    for _, path in ipairs(files) do
      local text = read(path)
      local fresh = assert(tidings.analyze(text))
      local first = rows(fresh:quotes())          -- the tagger runs for the quotes
      local ents = fresh:entities()               -- the same entities, now as rows
      local passed = rows(fresh:quotes({ entities = ents }))
      assert.are.same(passed, first)
      assert.are.same(passed, rows(fresh:quotes()))
      local doc = assert(tidings.analyze(text))
      doc:entities()
      assert.are.same(passed, rows(doc:quotes()))
      for _, q in ipairs(fresh:quotes()) do if q.speaker then speakers = speakers + 1 end end
    end
    assert.is_true(speakers > 10)
  end)

  it("names a speaker by the canonical name of a Doc's own tagger", function()
    local t = assert(tidings.tagger({ defaults = false, model = false,
      gazetteer = { { "Zorbo Quixley", "PERSON", "Zorbo Q. Quixley" } } }))
    local doc = assert(t:analyze("“We will see,” said Zorbo Quixley. “Not today,” Zorbo Quixley added."))
    local qs = doc:quotes()
    assert.are.equal(2, #qs)
    assert.are.equal("Zorbo Q. Quixley", qs[1].speaker)
    assert.are.equal("person", qs[1].speaker_kind)
    assert.are.equal("Zorbo Q. Quixley", qs[2].speaker)
    assert.are.same(rows(qs), rows(doc:quotes({ entities = doc:entities() })))
  end)

  it("calls an entities method replaced in Lua, and falls back to the rules when it fails", function()
    local methods = tidings.Doc.__index
    local saved = methods.entities
    local text = "Fidan arrived. “We are ready,” Fidan said."
    local a = text:find("Fidan said", 1, true)
    local ok, err = pcall(function()
      methods.entities = function()
        return { { start = a, stop = a + 4, type = "PERSON", canonical = "Hakan Fidan (replaced)" } }
      end
      local qs = assert(tidings.analyze(text)):quotes()
      assert.are.equal("Hakan Fidan (replaced)", qs[1].speaker)
      methods.entities = function() error("no model here") end
      local doc = assert(tidings.analyze(text))
      assert.are.same(rows(doc:quotes({ entities = false })), rows(doc:quotes()))
    end)
    methods.entities = saved
    assert(ok, err)
  end)

  it("falls back to the rules when the default tagger cannot be made", function()
    local saved = package.loaded["tidings.tagger"]
    local text = "“We are ready,” said Foreign Minister Hakan Fidan."
    local ok, err = pcall(function()
      package.loaded["tidings.tagger"] = { default = function() error("no tagger here", 0) end }
      local doc = assert(tidings.analyze(text))
      local qs = doc:quotes()
      assert.are.same(rows(doc:quotes({ entities = false })), rows(qs))
      assert.are.equal("Hakan Fidan", qs[1].speaker)
    end)
    package.loaded["tidings.tagger"] = saved
    assert(ok, err)
  end)
end)

describe("the quotes lexicon", function()
  local function lexicon(class)
    local words = {}
    for line in io.lines("data/quotes_lexicon.txt") do
      local c, rest = line:match("^(%u+):%s*(.*)$")
      if c == class then for w in rest:gmatch("%S+") do words[#words + 1] = w end end
    end
    return words
  end

  it("is the header tools/gen_quotes_lexicon.lua makes of data/quotes_lexicon.txt", function()
    local tmp = os.tmpname()
    local saved = _G.arg
    _G.arg = { "data/quotes_lexicon.txt", tmp }
    local ok, err = pcall(dofile, "tools/gen_quotes_lexicon.lua")
    _G.arg = saved
    local made = ok and read(tmp)
    os.remove(tmp)
    assert(ok, err)
    assert.are.equal(read("csrc/quotes_lexicon.h"), made)
  end)

  it("finds every speech verb of the list through its index (and no other word)", function()
    local verbs = lexicon("SAY")
    assert.is_true(#verbs > 100)
    local n = 0
    for _, w in ipairs(verbs) do
      if not w:match("ing$") then -- “…,” adding X is not an attribution
        n = n + 1
        local q = quotes("“We are ready,” " .. w .. " Hakan Fidan.")[1]
        assert.are.equal("Hakan Fidan", q and q.speaker, w)
      end
    end
    assert.is_true(n > 100)
    for _, w in ipairs({ "sai", "saidd", "xyzzied", "s\0aid" }) do
      assert.is_nil(quotes("“We are ready,” " .. w .. " Hakan Fidan.")[1].speaker, w)
    end
  end)
end)

describe("doc:quotes on corpus/", function()
  local gold = dofile("spec/fixtures/corpus_quotes.lua")

  local function score(opts)
    local total, found, right, extra = 0, 0, 0, 0
    local paths = {}
    for path in pairs(gold) do paths[#paths + 1] = path end
    table.sort(paths)
    for _, path in ipairs(paths) do
      local doc = assert(tidings.analyze(read(path)))
      local got = doc:quotes(opts)
      local used = {}
      for _, g in ipairs(gold[path]) do
        total = total + 1
        for i, q in ipairs(got) do
          if not used[i] and q.text == g.text then
            used[i] = true
            found = found + 1
            for _, s in ipairs(g.speaker) do
              if q.speaker and q.speaker:lower() == s:lower() then right = right + 1; break end
            end
            break
          end
        end
      end
      for i in ipairs(got) do if not used[i] then extra = extra + 1 end end
    end
    return total, found, right, extra
  end

  it("finds every quotation and gives >= 90% the right speaker (name rules only)", function()
    local total, found, right, extra = score({ entities = false })
    print(("\n  quotes, name rules: %d/%d found, %d/%d right speaker (%.1f%%), %d extra")
      :format(found, total, right, total, 100 * right / total, extra))
    assert.are.equal(total, found)
    assert.are.equal(0, extra)
    assert.is_true(right / total >= 0.9)
  end)

  it("finds every quotation and gives >= 90% the right speaker (with doc:entities())", function()
    local total, found, right, extra = score(nil)
    print(("\n  quotes, with entities: %d/%d found, %d/%d right speaker (%.1f%%), %d extra")
      :format(found, total, right, total, 100 * right / total, extra))
    assert.are.equal(total, found)
    assert.are.equal(0, extra)
    assert.is_true(right / total >= 0.9)
  end)
end)
