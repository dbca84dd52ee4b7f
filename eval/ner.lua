-- eval/ner.lua: accuracy and speed of the NER model on the shared data.
--
--   lua eval/ner.lua [MODEL]        (run from the project root; MODEL defaults
--                                    to data/model/ner.bin)
--
-- Data: ../shared/data (or $TIDINGS_DATA).  Prints, per corpus, precision,
-- recall and F1 per type:
--   * CoNLL-2003 dev (testa): the sentence file (gold sentence boundaries) and
--     the document file (tidings' own sentence segmentation); exact spans.
--   * WikiGold: exact spans (PER LOC ORG MISC, as in CoNLL).
--   * GUM news: overlap matching against the `name_*` spans of the named
--     entities (GUM mentions include determiners and nest).
-- Then tagging speed in tokens per second (one core): the raw model over
-- pre-tokenized docs, and tidings.analyze + model over the text.  The
-- model is given the bundled gazetteers' per-token bits, as in training.
--
-- This evaluates the raw statistical model (model:spans), without the
-- gazetteers and rules that doc:entities() adds on top.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local core = require "tidings.core"
local train = require "tidings.train"
local json = require "tidings.json"

local data = os.getenv("TIDINGS_DATA") or "../shared/data"
local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() return true end
  return false
end
if not exists(data .. "/conll2003/testa.sentences.jsonl") then
  print("eval/ner.lua: the shared data is absent (" .. data .. "/conll2003 not found); " ..
        "set TIDINGS_DATA to the folder holding conll2003/, wikigold/, gum_news/. Nothing evaluated.")
  os.exit(0)
end

local model_path = arg[1] or "data/model/ner.bin"
local f = assert(io.open(model_path, "rb"))
local bytes = f:read("*a")
f:close()
local t0 = os.clock()
local model, err = core.model_load(bytes)
local load_ms = (os.clock() - t0) * 1000
if not model then error(model_path .. ": " .. err) end
print(string.format("model %s: %s, %d bytes, checksum %08x, loaded in %s ms",
  model_path, model:name(), #bytes, model:checksum(), train.fmt(load_ms)))

-- the model was trained with the bundled gazetteers' bits as features
local gaz = train.gazetteer()
print("gazetteer features: " .. (gaz and "on (bundled gazetteers)" or "OFF (tidings.tagger not available)"))

local function report(title, res)
  print("")
  print(title)
  print(train.format_table(res))
end

-- CoNLL dev, gold sentences
local dev = assert(train.read_sentences(data .. "/conll2003/testa.sentences.jsonl"))
report("CoNLL-2003 dev (testa.sentences.jsonl, exact spans)", train.evaluate(model, dev, nil, gaz))

-- CoNLL dev, whole documents with tidings' sentence segmentation
local devdocs = assert(train.read_docs(data .. "/conll2003/testa.docs.jsonl"))
report("CoNLL-2003 dev (testa.docs.jsonl, tidings sentences, exact spans)", train.evaluate(model, devdocs, nil, gaz))

-- WikiGold
if exists(data .. "/wikigold/wikigold.sentences.jsonl") then
  local wg = assert(train.read_sentences(data .. "/wikigold/wikigold.sentences.jsonl"))
  report("WikiGold (sentences, exact spans)", train.evaluate(model, wg, nil, gaz))
end

-- GUM news: named entities, name_* spans, overlap
if exists(data .. "/gum_news/gum_news.docs.jsonl") then
  local items = {}
  for line in io.lines(data .. "/gum_news/gum_news.docs.jsonl") do
    local obj = assert(json.decode(line))
    local spans = {}
    for _, e in ipairs(obj.entities or {}) do
      local s, t = e.name_start or e.core_start or e.start, e.name_end or e.core_end or e["end"]
      spans[#spans + 1] = { s + 1, t, e.type }
    end
    items[#items + 1] = { text = obj.text, spans = spans }
  end
  report("GUM news (" .. #items .. " docs, name spans, overlap)", train.evaluate(model, items, "overlap", gaz))
end

-- Speed: the dev documents, several passes
local texts, ntok = {}, 0
for i, d in ipairs(devdocs) do texts[i] = d.text end
local docs, feats = {}, {}
for i, t in ipairs(texts) do
  docs[i] = assert(core.analyze(t)); ntok = ntok + #docs[i]
  feats[i] = gaz and gaz:gaz_features(docs[i]) or nil
end
local passes = 5
collectgarbage()
t0 = os.clock()
for _ = 1, passes do
  for i = 1, #docs do model:spans(docs[i], feats[i]) end
end
local dt = os.clock() - t0
print("")
print(string.format("speed: model only      %9d tokens/s (%d tokens x %d passes, %s s)",
  math.floor(ntok * passes / dt), ntok, passes, train.fmt(dt)))
collectgarbage()
t0 = os.clock()
for _ = 1, passes do
  for i = 1, #texts do model:spans(core.analyze(texts[i])) end
end
dt = os.clock() - t0
print(string.format("speed: analyze + model %9d tokens/s (without gazetteer lookup)", math.floor(ntok * passes / dt)))
if gaz then
  collectgarbage()
  t0 = os.clock()
  for _ = 1, passes do
    for i = 1, #texts do
      local d = core.analyze(texts[i])
      model:spans(d, gaz:gaz_features(d))
    end
  end
  dt = os.clock() - t0
  print(string.format("speed: analyze + gazetteer + model %9d tokens/s (gazetteer bits through a Lua table)",
    math.floor(ntok * passes / dt)))
end
