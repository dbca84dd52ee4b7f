-- spec/model_spec.lua: the statistical NER model (csrc/model.c): training,
-- the model file, tagging, and tidings.train's helpers.  Needs no shared data.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"
local core = require "tidings.core"
local train = require "tidings.train"

-- A tiny labelled set: text and gold spans (1-based inclusive bytes, type index).
local TYPES = { "PER", "LOC", "ORG", "MISC" }
local SENTENCES = {
  "Vladimir Putin met Donald Trump in Istanbul .",
  "Reuters said Putin was in Moscow on Monday .",
  "The European Union welcomed the talks in Istanbul .",
  "Turkish officials said Erdogan spoke to Zelensky .",
  "Donald Trump flew to Saudi Arabia .",
}
local GOLD = {
  { { "Vladimir Putin", 1 }, { "Donald Trump", 1 }, { "Istanbul", 2 } },
  { { "Reuters", 3 }, { "Putin", 1 }, { "Moscow", 2 } },
  { { "European Union", 3 }, { "Istanbul", 2 } },
  { { "Turkish", 4 }, { "Erdogan", 1 }, { "Zelensky", 1 } },
  { { "Donald Trump", 1 }, { "Saudi Arabia", 2 } },
}

local function spans_of(text, gold)
  local out, from = {}, 1
  for _, g in ipairs(gold) do
    local s, e = text:find(g[1], from, true)
    out[#out + 1] = { s, e, g[2] }
    from = e + 1
  end
  return out
end

local function tiny_model(seed, epochs)
  local tr = core.model_trainer{ name = "tiny", types = TYPES, bits = 16, seed = seed or 7, clsets = 1 }
  tr:cluster("Putin", { 3 })
  tr:cluster("Trump", { 3 })
  tr:cluster("Istanbul", { 5 })
  for i, text in ipairs(SENTENCES) do
    local doc = assert(tidings.analyze(text))
    assert.are.equal(0, tr:add(doc, spans_of(text, GOLD[i])))
  end
  for _ = 1, epochs or 8 do tr:epoch() end
  return tr:save()
end

describe("tidings model training", function()
  it("is reproducible: the same data, options and seed give the same bytes", function()
    local a, b = tiny_model(7), tiny_model(7)
    assert.are.equal(a, b)
    assert.is_true(#a > 100)
  end)

  it("learns its training sentences", function()
    local m = assert(core.model_load(tiny_model()))
    for i, text in ipairs(SENTENCES) do
      local doc = tidings.analyze(text)
      local got = {}
      for _, sp in ipairs(m:spans(doc)) do got[#got + 1] = { text:sub(sp[1], sp[2]), sp[3] } end
      local want = {}
      for _, g in ipairs(GOLD[i]) do want[#want + 1] = { g[1], TYPES[g[2]] } end
      assert.are.same(want, got)
    end
  end)

  it("names the model, its types and a CRC-32 checksum", function()
    local bytes = tiny_model()
    local m = assert(core.model_load(bytes))
    assert.are.equal("tiny", m:name())
    assert.are.same(TYPES, m:types())
    local c = m:checksum()
    assert.is_true(c >= 0 and c < 2 ^ 32)
  end)

  it("gives one BILOU label per token, forming valid sequences", function()
    local m = assert(core.model_load(tiny_model()))
    local doc = tidings.analyze(SENTENCES[1])
    local labels = m:labels(doc)
    assert.are.equal(#doc, #labels)
    assert.are.equal("B-PER", labels[1])
    assert.are.equal("L-PER", labels[2])
    assert.are.equal("O", labels[3])
    assert.are.equal("U-LOC", labels[7])
  end)

  it("accepts per-token gazetteer bits while training and tagging", function()
    local tr = core.model_trainer{ name = "gaz", types = TYPES, bits = 16 }
    local text = "Kyiv is far ."
    local doc = tidings.analyze(text)
    local gaz = {}
    for i = 1, #doc do gaz[i] = i == 1 and 8 or 0 end
    assert.are.equal(0, tr:add(doc, { { 1, 4, 2 } }, gaz))
    for _ = 1, 3 do tr:epoch() end
    local m = assert(core.model_load(tr:save()))
    assert.are.same({ { 1, 4, "LOC" } }, m:spans(doc, gaz))
    assert.has_error(function() m:spans(doc, { 1 }) end)
  end)

  it("counts gold spans that do not fall on token edges", function()
    local tr = core.model_trainer{ types = TYPES, bits = 16 }
    local doc = tidings.analyze("Putinism rises .")
    assert.are.equal(1, tr:add(doc, { { 1, 5, 1 } }))
  end)

  it("rejects bad options as argument errors", function()
    assert.has_error(function() core.model_trainer{ types = {} } end)
    assert.has_error(function() core.model_trainer{ types = TYPES, bits = 40 } end)
    assert.has_error(function() core.model_trainer("x") end)
    local m = assert(core.model_load(tiny_model()))
    assert.has_error(function() m:spans("not a doc") end)
  end)
end)

describe("tidings model file", function()
  local bytes = tiny_model()

  it("loads a good file", function()
    assert.is_truthy(core.model_load(bytes))
  end)

  it("returns nil and a message for every truncation", function()
    local step = math.max(1, math.floor(#bytes / 200))
    for n = 0, #bytes - 1, step do
      local m, err = core.model_load(bytes:sub(1, n))
      assert.is_nil(m)
      assert.is_string(err)
    end
    local m, err = core.model_load(bytes:sub(1, #bytes - 1))
    assert.is_nil(m)
    assert.is_string(err)
  end)

  it("returns nil and a message for garbage and for a flipped byte", function()
    local m, err = core.model_load(string.rep("\0", 4096))
    assert.is_nil(m)
    assert.matches("magic", err)
    m, err = core.model_load("TDNERMDL" .. string.rep("\255", 200))
    assert.is_nil(m)
    assert.is_string(err)
    for _, at in ipairs({ 9, 20, 40, math.floor(#bytes / 2), #bytes - 8 }) do
      local c = bytes:byte(at)
      local bad = bytes:sub(1, at - 1) .. string.char((c + 1) % 256) .. bytes:sub(at + 1)
      m, err = core.model_load(bad)
      assert.is_nil(m)
      assert.is_string(err)
    end
  end)

  -- (its load time is measured in bench/, not asserted here)
  it("loads the bundled model and finds the seed names", function()
    local f = assert(io.open("data/model/ner.bin", "rb"), "data/model/ner.bin is part of the repository")
    local data = f:read("*a")
    f:close()
    local m = assert(core.model_load(data))
    local text = "Russian President Vladimir Putin met Donald Trump in Istanbul on Friday ."
    local doc = tidings.analyze(text)
    local ok, tagger = pcall(require, "tidings.tagger")
    local g = ok and tagger.new{ model = false } or nil
    local found = {}
    for _, sp in ipairs(m:spans(doc, g and g:gaz_features(doc) or nil)) do
      found[text:sub(sp[1], sp[2])] = sp[3]
    end
    assert.are.equal("PER", found["Vladimir Putin"])
    assert.are.equal("PER", found["Donald Trump"])
    assert.are.equal("LOC", found["Istanbul"])
  end)
end)

describe("tidings.train helpers", function()
  it("reads BIO, IOB1 and BILOU tags into spans", function()
    assert.are.same({ { 1, 2, "PER" }, { 4, 4, "LOC" } },
      train.tag_spans({ "B-PER", "I-PER", "O", "B-LOC" }))
    assert.are.same({ { 1, 2, "PER" }, { 3, 3, "PER" } },
      train.tag_spans({ "I-PER", "I-PER", "B-PER" }))
    assert.are.same({ { 1, 3, "ORG" }, { 4, 4, "LOC" } },
      train.tag_spans({ "B-ORG", "I-ORG", "L-ORG", "U-LOC" }))
  end)

  it("scores exact spans per type, CoNLL style", function()
    local res = train.score({
      { gold = { { 1, 5, "PER" }, { 10, 12, "LOC" } }, pred = { { 1, 5, "PER" }, { 10, 13, "LOC" } } },
    })
    assert.are.equal(1, res.types.PER.tp)
    assert.are.equal(1, res.types.LOC.fp)
    assert.are.equal(1, res.types.LOC.fn)
    assert.are.equal(50, res.all.f)
  end)

  it("scores overlapping spans in overlap mode", function()
    local res = train.score({ { gold = { { 1, 9, "ORG" } }, pred = { { 5, 12, "ORG" } } } }, "overlap")
    assert.are.equal(100, res.all.f)
  end)
end)

describe("tidings.train.run (tidings train)", function()
  local function write(path, lines)
    local f = assert(io.open(path, "wb"))
    f:write(table.concat(lines, "\n"), "\n")
    f:close()
  end
  local sent = os.tmpname()
  write(sent, {
    '{"tokens":["Vladimir","Putin","met","Donald","Trump","."],"tags":["B-PER","I-PER","O","B-PER","I-PER","O"]}',
    '{"tokens":["Reuters","reported","from","Istanbul","."],"tags":["B-ORG","O","O","B-LOC","O"]}',
  })
  local docs = os.tmpname()
  write(docs, {
    '{"text":"Putin flew to Moscow.\\nReuters said so.","entities":[{"start":0,"end":5,"type":"PER"},{"start":14,"end":20,"type":"LOC"},{"start":22,"end":29,"type":"ORG"}]}',
  })
  local clusters = os.tmpname()
  write(clusters, { "Putin\t1\t5", "Trump\t1\t5", "Moscow\t2\t9" })

  it("trains from sentence files and document files, reproducibly, scoring on dev", function()
    local out = os.tmpname()
    local a = assert(train.run{ input = sent, dev = docs, output = out, epochs = 3, seed = 5,
                                bits = 16, clusters = clusters, gazetteer = false })
    local b = assert(train.run{ input = sent, dev = docs, epochs = 3, seed = 5, bits = 16,
                                clusters = clusters, gazetteer = false })
    assert.are.equal(a.bytes, b.bytes)
    assert.are.same({ "PER", "LOC", "ORG", "MISC" }, a.types)
    assert.is_number(a.dev_f1)
    local f = assert(io.open(out, "rb"))
    assert.are.equal(a.bytes, f:read("*a"))
    f:close()
    os.remove(out)
    local c = assert(train.run{ input = docs, epochs = 2, bits = 16, gazetteer = false })
    assert.is_truthy(core.model_load(c.bytes))
  end)

  it("trains a two-pass model with the prediction history of held-out folds", function()
    local a = assert(train.run{ input = sent, dev = docs, epochs = 3, seed = 5, bits = 16,
                                clusters = clusters, gazetteer = false, history = 2 })
    local b = assert(train.run{ input = sent, dev = docs, epochs = 3, seed = 5, bits = 16,
                                clusters = clusters, gazetteer = false, history = 2 })
    assert.are.equal(a.bytes, b.bytes)
    local m = assert(core.model_load(a.bytes))
    assert.is_true(m:has_history())
    local plain = assert(core.model_load(assert(train.run{ input = sent, epochs = 1, bits = 16,
                                                           gazetteer = false }).bytes))
    assert.is_false(plain:has_history())
    -- the history of a token: how the other mentions of a capitalised word
    -- were tagged (bit k-1 for type k, 0x8000 for left out); none for others
    local doc = core.analyze("Putin met Trump. Putin left. Trump stayed.")
    local hist = plain:history(doc)
    assert.are.equal(#doc, #hist)
    for i = 1, #doc do
      local t = doc:token(i)
      assert.is_true(math.type == nil or math.type(hist[i]) == "integer")
      if not t.text:match("^%u") then assert.are.equal(0, hist[i]) end
      if t.text == "Putin" or t.text == "Trump" then assert.is_true(hist[i] > 0) end
    end
    assert.is_table(m:spans(doc))
    local tr = core.model_trainer{ name = "x", types = { "PER" }, bits = 16 }
    assert.has_error(function() tr:add(doc, {}, nil, { 0 }) end)
    local r, err = train.run{ input = sent, history = 1 }
    assert.is_nil(r)
    assert.matches("history", err)
  end)

  it("returns nil and a message for missing files and bad options", function()
    local r, err = train.run{ input = "/nonexistent/train.jsonl" }
    assert.is_nil(r)
    assert.is_string(err)
    r, err = train.run{ input = sent, bits = 40 }
    assert.is_nil(r)
    assert.matches("bits", err)
  end)
end)
