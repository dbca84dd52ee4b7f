-- eval/entities.lua: accuracy and speed of doc:entities() (model + gazetteers + rules)
-- on the shared data, after mapping OntoNotes types back to CoNLL's four:
--   PERSON -> PER;  GPE, LOC, FAC -> LOC;  ORG -> ORG;  NORP, EVENT, PRODUCT,
--   WORK_OF_ART, LAW -> MISC.
--
--   lua5.4 eval/entities.lua [MODEL]     (from the project root; default: the bundled model)
--
-- Data: ../shared/data (or $TIDINGS_DATA).  CoNLL-2003 dev documents and WikiGold, exact
-- spans.  The raw model alone is measured by eval/ner.lua; the difference between the two
-- is what the gazetteers, rules and filters of entities.c add or cost.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"
local json = require "tidings.json"
local core = require "tidings.core"

local data = os.getenv("TIDINGS_DATA") or "../shared/data"
local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() return true end
  return false
end
if not exists(data .. "/conll2003/testa.docs.jsonl") then
  print("eval/entities.lua: the shared data is absent (" .. data .. "/conll2003 not found); " ..
        "set TIDINGS_DATA to the folder holding conll2003/ and wikigold/. Nothing evaluated.")
  os.exit(0)
end

local tagger = assert(tidings.tagger{ model = arg[1] })
local info = tagger:info()
print(("tagger: %d gazetteer phrases, model %s"):format(info.phrases, tostring(info.model)))

local back = { PERSON = "PER", GPE = "LOC", LOC = "LOC", FAC = "LOC", ORG = "ORG", NORP = "MISC",
               EVENT = "MISC", PRODUCT = "MISC", WORK_OF_ART = "MISC", LAW = "MISC" }
local order = { "PER", "LOC", "ORG", "MISC" }

local function read_docs(path)
  local docs = {}
  for line in io.lines(path) do docs[#docs + 1] = assert(json.decode(line)) end
  return docs
end

local function pct(x) return ("%.1f"):format(100 * x) end

local function evaluate(title, docs)
  local st = {}
  for _, t in ipairs(order) do st[t] = { tp = 0, fp = 0, fn = 0 } end
  local all = { tp = 0, fp = 0, fn = 0 }
  local ntok, t0 = 0, core.clock and core.clock() or os.clock()
  for _, d in ipairs(docs) do
    local doc = tagger:analyze(d.text)
    ntok = ntok + #doc
    local gold, pred = {}, {}
    for _, e in ipairs(d.entities) do gold[(e.start + 1) .. ":" .. e["end"]] = e.type end
    for _, e in ipairs(doc:entities()) do
      local t = back[e.type]
      if t then pred[e.start .. ":" .. e.stop] = t end
    end
    for k, t in pairs(pred) do
      local s = st[t]
      if gold[k] == t then s.tp = s.tp + 1; all.tp = all.tp + 1
      else s.fp = s.fp + 1; all.fp = all.fp + 1 end
    end
    for k, t in pairs(gold) do
      if pred[k] ~= t and st[t] then st[t].fn = st[t].fn + 1; all.fn = all.fn + 1 end
    end
  end
  local secs = (core.clock and core.clock() or os.clock()) - t0
  print("")
  print(title)
  print(("%-6s %7s %7s %7s %7s"):format("type", "P", "R", "F1", "gold"))
  local function row(name, s)
    local p = s.tp / math.max(1, s.tp + s.fp)
    local r = s.tp / math.max(1, s.tp + s.fn)
    local f = (p + r > 0) and 2 * p * r / (p + r) or 0
    print(("%-6s %7s %7s %7s %7d"):format(name, pct(p), pct(r), pct(f), s.tp + s.fn))
  end
  for _, t in ipairs(order) do row(t, st[t]) end
  row("all", all)
  print(("%d tokens, analyze + entities %.0f tokens/s"):format(ntok, ntok / secs))
end

evaluate("CoNLL-2003 dev (testa.docs.jsonl) through doc:entities(), exact spans",
         read_docs(data .. "/conll2003/testa.docs.jsonl"))
if exists(data .. "/wikigold/wikigold.docs.jsonl") then
  evaluate("WikiGold through doc:entities(), exact spans", read_docs(data .. "/wikigold/wikigold.docs.jsonl"))
end
