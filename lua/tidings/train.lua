-- tidings.train: train the statistical NER model from CoNLL-style JSONL.
--
--   train.run{ input = "train.sentences.jsonl", output = "model.bin",
--              epochs = 10, seed = 1, bits = 20, clusters = "clusters.tsv",
--              dev = "dev.sentences.jsonl", prune = 0, name = "...",
--              gazetteer = true (default: when tidings.tagger is available),
--              log = function(line) end }          -> summary table | nil, message
--
-- Input: one JSON object a line, either a sentence with `tokens` (strings)
-- and `tags` (BIO, IOB1 or BILOU: "B-PER", "I-PER", "O", ...), which
-- becomes a document of its tokens joined by one space, or a document with
-- `text` and `entities` ({start, end, type}, 0-based bytes, end exclusive).
-- Documents are better: the model has document-level features (how a word
-- is written elsewhere in the document).  Texts are tokenized and split into
-- sentences by tidings itself and the entity spans projected onto its
-- tokens, so the model learns from exactly what it will see at run time.
--
-- Training is an averaged perceptron (csrc/model.c) whose sentence order is
-- shuffled with `seed`: the same input, options and seed give the same
-- model bytes.  With `dev`, the model is scored after every epoch and the
-- best epoch's model is the one written (dev is never trained on).
-- With gazetteer features (the default), each token's TD_GAZ_* bits from the
-- bundled gazetteers are features; doc:entities() passes the same bits.
--
-- Clusters file: one word a line, `word<TAB>id1[<TAB>id2 ...]`, most
-- frequent words first; ids are positive integers, one column per cluster
-- granularity (see tools/clusters.c).
local core = require "tidings.core"
local json = require "tidings.json"

local train = {}

local CONLL_TYPES = { "PER", "LOC", "ORG", "MISC" }

local function lines(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local data = f:read("*a")
  f:close()
  return data
end

-- Entity spans over a tag sequence: { {first, last, type}, ... } token indices.
local function tag_spans(tags)
  local spans, cur = {}, nil
  for i = 1, #tags + 1 do
    local tag = tags[i] or "O"
    local pos, ty = tag:match("^([BILUES])%-(.+)$")
    if not pos then pos, ty = "O", nil end
    if pos == "E" then pos = "L" elseif pos == "S" then pos = "U" end
    local continues = cur and ty == cur[3] and (pos == "I" or pos == "L")
    if not continues then
      if cur then spans[#spans + 1] = cur; cur = nil end
      if ty then cur = { i, i, ty } end
    else
      cur[2] = i
    end
    if cur and (pos == "L" or pos == "U") then spans[#spans + 1] = cur; cur = nil end
  end
  return spans
end
train.tag_spans = tag_spans

-- Read a CoNLL-style JSONL file into { {text=, spans={ {start, stop, type}, ... }}, ... }
-- with 1-based inclusive byte offsets into text.
function train.read_sentences(path)
  local data, err = lines(path)
  if not data then return nil, err end
  local out, n = {}, 0
  for line in data:gmatch("[^\n]+") do
    n = n + 1
    local obj, jerr = json.decode(line)
    if not obj then return nil, path .. ":" .. n .. ": " .. jerr end
    local toks, tags = obj.tokens, obj.tags
    if type(toks) ~= "table" or type(tags) ~= "table" or #toks ~= #tags then
      return nil, path .. ":" .. n .. ": expected `tokens` and `tags` of equal length"
    end
    local starts, stops, pos, parts = {}, {}, 1, {}
    for i, t in ipairs(toks) do
      starts[i] = pos
      stops[i] = pos + #t - 1
      parts[i] = t
      pos = pos + #t + 1
    end
    local spans = {}
    for _, s in ipairs(tag_spans(tags)) do
      spans[#spans + 1] = { starts[s[1]], stops[s[2]], s[3] }
    end
    out[#out + 1] = { text = table.concat(parts, " "), spans = spans }
  end
  return out
end

-- Read a *.docs.jsonl file (`text`, `entities` with 0-based exclusive
-- offsets) into the same shape as read_sentences.
function train.read_docs(path)
  local data, err = lines(path)
  if not data then return nil, err end
  local out, n = {}, 0
  for line in data:gmatch("[^\n]+") do
    n = n + 1
    local obj, jerr = json.decode(line)
    if not obj then return nil, path .. ":" .. n .. ": " .. jerr end
    local spans = {}
    for _, e in ipairs(obj.entities or {}) do
      spans[#spans + 1] = { e.start + 1, e["end"], e.type }
    end
    out[#out + 1] = { text = obj.text, spans = spans, raw = obj }
  end
  return out
end

-- Either kind of file: documents (`text` + `entities`) or sentences
-- (`tokens` + `tags`), told apart by the first line.
function train.read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local first = f:read("*l") or ""
  f:close()
  local obj = json.decode(first)
  if type(obj) == "table" and type(obj.text) == "string" and obj.tokens == nil then
    return train.read_docs(path)
  end
  return train.read_sentences(path)
end

local function types_of(sents)
  local seen, list = {}, {}
  for _, s in ipairs(sents) do
    for _, sp in ipairs(s.spans) do
      if not seen[sp[3]] then seen[sp[3]] = true; list[#list + 1] = sp[3] end
    end
  end
  local conll = true
  for _, t in ipairs(list) do
    local ok = false
    for _, c in ipairs(CONLL_TYPES) do if c == t then ok = true end end
    conll = conll and ok
  end
  if conll then return { "PER", "LOC", "ORG", "MISC" } end
  table.sort(list)
  return list
end

-- Read a clusters file: returns { {word, {ids...}}, ... }, ngranularities.
function train.read_clusters(path)
  local data, err = lines(path)
  if not data then return nil, err end
  local out, nsets = {}, nil
  local ln = 0
  for line in data:gmatch("[^\n]+") do
    ln = ln + 1
    if line:sub(1, 1) ~= "#" then
      local word, rest = line:match("^([^\t]+)\t(.+)$")
      if not word then return nil, path .. ":" .. ln .. ": expected word<TAB>id..." end
      local ids = {}
      for id in rest:gmatch("[^\t]+") do
        local v = tonumber(id)
        if not v or v < 0 or v % 1 ~= 0 then return nil, path .. ":" .. ln .. ": bad cluster id" end
        ids[#ids + 1] = v
      end
      nsets = nsets or #ids
      if #ids ~= nsets or nsets > 4 then
        return nil, path .. ":" .. ln .. ": every line needs the same number (1..4) of ids"
      end
      out[#out + 1] = { word, ids }
    end
  end
  return out, nsets or 0
end

-- Score predicted spans against gold spans, CoNLL style (exact boundaries
-- and type).  `pairs` is a list of { gold = {...}, pred = {...} } with spans
-- { start, stop, type }.  mode "overlap": a prediction is right when it
-- overlaps a gold span of the same type not matched yet.
function train.score(docs, mode)
  local stats = {}
  local function st(t)
    stats[t] = stats[t] or { tp = 0, fp = 0, fn = 0 }
    return stats[t]
  end
  for _, d in ipairs(docs) do
    local used = {}
    if mode == "overlap" then
      for _, p in ipairs(d.pred) do
        local hit = false
        for gi, g in ipairs(d.gold) do
          if not used[gi] and g[3] == p[3] and p[1] <= g[2] and g[1] <= p[2] then
            used[gi] = true; hit = true; break
          end
        end
        if hit then st(p[3]).tp = st(p[3]).tp + 1 else st(p[3]).fp = st(p[3]).fp + 1 end
      end
      for gi, g in ipairs(d.gold) do
        if not used[gi] then st(g[3]).fn = st(g[3]).fn + 1 end
      end
    else
      local gold = {}
      for _, g in ipairs(d.gold) do gold[g[1] .. ":" .. g[2] .. ":" .. g[3]] = (gold[g[1] .. ":" .. g[2] .. ":" .. g[3]] or 0) + 1 end
      for _, p in ipairs(d.pred) do
        local k = p[1] .. ":" .. p[2] .. ":" .. p[3]
        if (gold[k] or 0) > 0 then gold[k] = gold[k] - 1; st(p[3]).tp = st(p[3]).tp + 1
        else st(p[3]).fp = st(p[3]).fp + 1 end
      end
      for k, c in pairs(gold) do
        local t = k:match("[^:]+$")
        st(t).fn = st(t).fn + c
      end
    end
  end
  local all = { tp = 0, fp = 0, fn = 0 }
  local rows = {}
  for t, s in pairs(stats) do
    all.tp, all.fp, all.fn = all.tp + s.tp, all.fp + s.fp, all.fn + s.fn
    rows[#rows + 1] = t
  end
  table.sort(rows)
  local function prf(s)
    local p = s.tp + s.fp > 0 and s.tp / (s.tp + s.fp) or 0
    local r = s.tp + s.fn > 0 and s.tp / (s.tp + s.fn) or 0
    local f = p + r > 0 and 2 * p * r / (p + r) or 0
    return { p = p * 100, r = r * 100, f = f * 100, tp = s.tp, fp = s.fp, fn = s.fn }
  end
  local res = { types = {}, order = rows, all = prf(all) }
  for _, t in ipairs(rows) do res.types[t] = prf(stats[t]) end
  return res
end

-- A gazetteer-only tagger whose per-token TD_GAZ_* bits feed the model
-- (the bundled gazetteers, as doc:entities() uses them); nil when the
-- entities module is not available.
function train.gazetteer()
  local ok, tagger = pcall(require, "tidings.tagger")
  if not ok then return nil end
  local t = tagger.new{ model = false }
  return t
end

-- Tag each item ({text=, spans=}) with the raw model and score.  `gaz` is
-- the gazetteer tagger the model was trained with (or nil).
function train.evaluate(model, items, mode, gaz)
  local docs = {}
  for i, it in ipairs(items) do
    local doc = assert(core.analyze(it.text))
    docs[i] = { gold = it.spans, pred = model:spans(doc, gaz and gaz:gaz_features(doc) or nil) }
  end
  return train.score(docs, mode)
end

local function fmt(x) -- one decimal, no locale
  local v = math.floor(x * 10 + 0.5)
  return string.format("%d.%d", math.floor(v / 10), v % 10)
end
train.fmt = fmt

function train.format_table(res)
  local out = { string.format("%-6s %7s %7s %7s %7s", "type", "P", "R", "F1", "gold") }
  local function row(name, s)
    out[#out + 1] = string.format("%-6s %7s %7s %7s %7d", name, fmt(s.p), fmt(s.r), fmt(s.f), s.tp + s.fn)
  end
  for _, t in ipairs(res.order) do row(t, res.types[t]) end
  row("all", res.all)
  return table.concat(out, "\n")
end

function train.run(opts)
  assert(type(opts) == "table", "train.run: options table expected")
  local log = opts.log or function() end
  local input = assert(opts.input, "train.run: `input` is required")
  local epochs = opts.epochs or 10
  if type(epochs) ~= "number" or epochs < 1 then return nil, "epochs must be a number >= 1" end
  if opts.bits ~= nil and (type(opts.bits) ~= "number" or opts.bits < 16 or opts.bits > 24) then
    return nil, "bits must be 16..24 (2^bits feature buckets)"
  end
  local sents, err = train.read(input)
  if not sents then return nil, err end
  local types = opts.types or types_of(sents)
  local tindex = {}
  for i, t in ipairs(types) do tindex[t] = i end
  local clusters, nsets = nil, 0
  if opts.clusters then
    clusters, nsets = train.read_clusters(opts.clusters)
    if not clusters then return nil, nsets end
  end
  local folds = opts.history
  if folds ~= nil and (type(folds) ~= "number" or folds < 2 or folds ~= math.floor(folds)) then
    return nil, "history must be a number of folds >= 2"
  end
  local function new_trainer()
    local t = core.model_trainer{
      name = opts.name or "tidings-ner", types = types, bits = opts.bits or 20,
      seed = opts.seed or 1, clsets = nsets,
    }
    if clusters then for _, c in ipairs(clusters) do t:cluster(c[1], c[2]) end end
    return t
  end
  local tr = new_trainer()
  if clusters then log(string.format("%d cluster words, %d granularities", #clusters, nsets)) end
  local gaz = nil
  if opts.gazetteer ~= false then
    gaz = train.gazetteer()
    if not gaz and opts.gazetteer then return nil, "the gazetteers (tidings.tagger) are not available" end
    log(gaz and "gazetteer features: on" or "gazetteer features: off (tidings.tagger not available)")
  end
  local docs, spanss, gazs = {}, {}, {}
  for k, s in ipairs(sents) do
    local spans = {}
    for i, sp in ipairs(s.spans) do
      local ti = tindex[sp[3]]
      if not ti then return nil, "type " .. sp[3] .. " is not in the trainer's types" end
      spans[i] = { sp[1], sp[2], ti }
    end
    docs[k] = assert(core.analyze(s.text))
    spanss[k] = spans
    gazs[k] = gaz and gaz:gaz_features(docs[k]) or nil
  end
  -- Prediction history: each text gets the history a first-pass model makes
  -- without having seen it (folds: text k is held out of model k % folds).
  local hists = {}
  if folds then
    local fold_epochs = opts.history_epochs or 8
    for f = 0, folds - 1 do
      local tf = new_trainer()
      for k = 1, #docs do
        if (k - 1) % folds ~= f then tf:add(docs[k], spanss[k], gazs[k]) end
      end
      for _ = 1, fold_epochs do tf:epoch() end
      local fm = assert(core.model_load(tf:save(opts.prune or 0)))
      for k = 1, #docs do
        if (k - 1) % folds == f then hists[k] = fm:history(docs[k], gazs[k]) end
      end
      log(string.format("history: fold %d of %d tagged (%d epochs)", f + 1, folds, fold_epochs))
    end
  end
  local misaligned, nspans = 0, 0
  for k = 1, #docs do
    nspans = nspans + #spanss[k]
    misaligned = misaligned + tr:add(docs[k], spanss[k], gazs[k], hists[k])
    -- and without the history, so that the first pass (and a text too short
    -- to repeat a name) is tagged as well as by a model without it
    if folds then tr:add(docs[k], spanss[k], gazs[k]) end
  end
  log(string.format("%d texts, %d entities (%d not on token edges, skipped)", #sents, nspans, misaligned))
  local dev
  if opts.dev then
    dev, err = train.read(opts.dev)
    if not dev then return nil, err end
  end
  local best, best_f, best_epoch = nil, -1, 0
  for e = 1, epochs do
    local nerr = tr:epoch()
    local line = string.format("epoch %d: %d training tokens mis-tagged", e, nerr)
    if dev then
      local bytes = tr:save(opts.prune or 0)
      local m = assert(core.model_load(bytes))
      local res = train.evaluate(m, dev, nil, gaz)
      line = line .. string.format(", dev F1 %s", fmt(res.all.f))
      if res.all.f > best_f then best, best_f, best_epoch = bytes, res.all.f, e end
    end
    log(line)
  end
  if not best then best, best_epoch = tr:save(opts.prune or 0), epochs end
  if opts.output then
    local f, ferr = io.open(opts.output, "wb")
    if not f then return nil, ferr end
    f:write(best)
    f:close()
  end
  local m = assert(core.model_load(best))
  return { bytes = best, size = #best, epoch = best_epoch, dev_f1 = best_f >= 0 and best_f or nil,
           checksum = m:checksum(), types = types, gazetteer = gaz ~= nil }
end

return train
