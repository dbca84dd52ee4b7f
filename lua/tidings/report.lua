-- tidings.report: from documents to a report, in three steps that can run on
-- different machines.
--
--   1. report.record(rec, tidings, opts) -> record
--      Analyse one document (the mapper; what `tidings extract` prints):
--      spans with JSON offsets (0-based start, exclusive end), plus the few
--      numbers the report needs (counts, MinHash signatures).
--   2. report.new() -> aggregate;  agg:add(record);  agg:merge(other)
--      The aggregate is a plain JSON-able table (a "partial" report) and
--      merging is associative and order-independent: every field is a sum, a
--      union, or "the N smallest by a fixed total order".  A corpus can thus
--      be sharded, each shard aggregated anywhere, the partials merged in any
--      order, and the result is the same as one run over everything.
--   3. report.finish(agg, opts) -> model
--      Sort, group, flag disagreements and find near-duplicates: the model
--      the formatters (tidings.format.*) render.  No formatting here.

local json = require "tidings.json"
local stories = require "tidings.stories"

local report = {}

report.PARTIAL_VERSION = 2   -- 2: per-document figures and entity sets (stories)
report.ITEM_CAP = 200        -- figures / quotes kept per group
report.DOC_ID_CAP = 50       -- document ids kept per value
report.SIG_K = 32            -- MinHash functions per signature
report.SHINGLE = 5           -- words per shingle

local find, sub, gsub, lower, format, match, byte, rep, gmatch =
  string.find, string.sub, string.gsub, string.lower, string.format, string.match,
  string.byte, string.rep, string.gmatch
local floor = math.floor
local sort, concat = table.sort, table.concat
local array, ordered = json.array, json.ordered

-- MinHash ----------------------------------------------------------------------
-- Hashes are integers below P = 2^31 - 1 computed with products below 2^53,
-- so every Lua (doubles or 64-bit integers) gets the same values.

local P = 2147483647
local HA, HB = {}, {}
do -- a fixed linear congruential sequence for the k hash functions
  local x = 12345
  for i = 1, 64 do
    x = (x * 48271) % P; HA[i] = 1 + x % 2097151     -- a < 2^21
    x = (x * 48271) % P; HB[i] = x
  end
end

local function word_hash(w)
  local h = 0
  for i = 1, #w do h = (h * 257 + byte(w, i)) % P end
  return h
end

local STOP = {}
for w in ("a an the and or but of in on at to for from by with as is was were be been " ..
  "are it its this that these those he she they we you i his her their our has have had " ..
  "not no will would could should can may said says also than then there which who what " ..
  "when where while after before about into over more most"):gmatch("%S+") do STOP[w] = true end

-- k-function MinHash of a set of integer hashes (keys of `set`).
local function minhash(set, k)
  local sig = {}
  for i = 1, k do sig[i] = P end
  for x in pairs(set) do
    for i = 1, k do
      local h = (HA[i] * x + HB[i]) % P
      if h < sig[i] then sig[i] = h end
    end
  end
  return array(sig)
end

--- Two signatures of a list of lower-cased words: 5-word shingles (copies)
-- and the set of content words (same story).
function report.signatures(words, k)
  k = k or report.SIG_K
  local wh = {}
  local cache = {}
  for i, w in ipairs(words) do
    local h = cache[w]
    if not h then h = word_hash(w); cache[w] = h end
    wh[i] = h
  end
  local shingles, content = {}, {}
  local n, S = #wh, report.SHINGLE
  if n < S then
    if n > 0 then
      local h = 0
      for i = 1, n do h = (h * 31 + wh[i]) % P end
      shingles[h] = true
    end
  else
    for i = 1, n - S + 1 do
      local h = 0
      for j = i, i + S - 1 do h = (h * 31 + wh[j]) % P end
      shingles[h] = true
    end
  end
  for i, w in ipairs(words) do
    if not STOP[w] and #w > 2 then content[wh[i]] = true end
  end
  if next(shingles) == nil then return array(), array() end
  return minhash(shingles, k), (next(content) and minhash(content, k) or array())
end

report.sig_similarity = stories.sig_similarity

-- Step 1: one document -> a record --------------------------------------------------

local function span_of(t)
  -- a Lua span {start=, stop=} (1-based inclusive) -> JSON start, end
  return t.start - 1, t.stop
end

-- Index of the sentence (1-based) containing byte offset off (0-based).
local function sentence_at(sents, off)
  local lo, hi = 1, #sents
  while lo <= hi do
    local mid = floor((lo + hi) / 2)
    local s = sents[mid]
    if off < s[1] then hi = mid - 1
    elseif off >= s[2] then lo = mid + 1
    else return mid end
  end
  return nil
end

-- Replace the removed spans by spaces (newlines kept), so every offset of the
-- analysed text is an offset of the original.
local function blank_spans(text, spans)
  if #spans == 0 then return text end
  local out, pos = {}, 1
  for _, s in ipairs(spans) do
    local a, b = s[1] + 1, s[2]
    if a > pos then out[#out + 1] = sub(text, pos, a - 1) end
    if a < pos then a = pos end
    if b >= a then out[#out + 1] = (gsub(sub(text, a, b), "[^\n]", " ")) end
    if b + 1 > pos then pos = b + 1 end
  end
  out[#out + 1] = sub(text, pos)
  return concat(out)
end
report.blank_spans = blank_spans

local function iso_date(s)
  if type(s) ~= "string" then return nil end
  local d = match(s, "^%s*(%d%d%d%d%-%d%d%-%d%d)")
  if d then return d end
  d = match(s, "^%s*(%d%d%d%d%-%d%d)$")
  return d
end
report.iso_date = iso_date

local SOURCE_KEYS = { "source", "outlet", "publisher", "site", "site_name", "domain" }

local function source_of(rec, text)
  local m = rec.meta
  if m then
    for _, k in ipairs(SOURCE_KEYS) do
      if type(m[k]) == "string" and m[k] ~= "" then return m[k] end
    end
  end
  -- a plain find first: scanning every text with a pattern cost more than
  -- the rest of the record's assembly
  if find(text, "ource:", 1, true) then
    local s = match(text, "\n[Ss]ource:%s*([^\n]+)")
    if s and #s <= 60 then return (gsub(s, "%s+$", "")) end
  end
  if find(text, "\nDiscover more from ", 1, true) then
    local s = match(text, "\nDiscover more from ([^\n]+)")
    if s and #s <= 60 then return (gsub(s, "%s+$", "")) end
  end
  return nil
end

local function opt_num(v)
  if type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge then return v end
  return nil
end

local RECORD_ORDER = { "id", "path", "line", "title", "date", "source", "meta", "stats", "text",
  "boilerplate", "sentences", "tokens", "entities", "numbers", "quotes", "signature" }

-- The part of a record shared by report.record and report.extract_json:
-- the removed boilerplate spans ({ start, end, kind } in JSON offsets, in
-- order), the date, the Doc.
local function prepare(rec, td, opts)
  local text = rec.text
  local list = {}
  local analysed = text
  local _, spans = td.clean(text)
  if type(spans) == "table" then
    for _, s in ipairs(spans) do
      local a, b = s.start, s.stop
      if type(a) == "number" and type(b) == "number" and b >= a then
        list[#list + 1] = { a - 1, b, s.kind or s.reason or s.rule or s.type }
      end
    end
    if #list > 1 then
      sort(list, function(x, y) return x[1] < y[1] or (x[1] == y[1] and x[2] < y[2]) end)
    end
    analysed = blank_spans(text, list)
  end
  local date = iso_date(rec.date) or iso_date(rec.meta and rec.meta.date)
  local reference = date or opts.reference
  local doc = td.analyze(analysed, reference and { reference = reference } or nil)
  return text, list, analysed, date, doc
end

-- The record's "boilerplate" array from prepare's spans.
local function removed_of(text, list)
  local removed = array()
  for i, s in ipairs(list) do
    removed[i] = ordered({ start = s[1], ["end"] = s[2], kind = s[3],
      text = sub(text, s[1] + 1, s[2]) }, { "start", "end", "kind", "text" })
  end
  return removed
end

-- The record table around its parts.
local function assemble(rec, opts, text, removed, date, stats, sents, tokens, entities, numbers,
                        quotes, signature)
  local bp_bytes = 0
  for _, s in ipairs(removed) do bp_bytes = bp_bytes + (s["end"] - s.start) end
  stats.boilerplate_bytes = bp_bytes
  local meta = rec.meta or {}
  return ordered({
    id = rec.id, path = rec.path, line = rec.line, title = rec.title, date = date,
    source = source_of(rec, text),
    meta = next(meta) and meta or nil,
    stats = ordered(stats, { "bytes", "tokens", "words", "sentences", "boilerplate_bytes" }),
    text = opts.text ~= false and text or nil,
    boilerplate = removed, sentences = sents, tokens = tokens,
    entities = entities, numbers = numbers, quotes = quotes,
    signature = signature,
  }, RECORD_ORDER)
end

--- Analyse one corpus record with the tidings module `td`.
-- opts.reference: ISO date for relative dates when the document has none.
-- opts.text: include the text in the record (default true).
function report.record(rec, td, opts)
  opts = opts or {}
  local text, list, analysed, date, doc = prepare(rec, td, opts)
  local removed = removed_of(text, list)

  -- tokens: [start, end, kind]; words for the signatures
  local ntok = #doc
  local tokens, sents, nwords, sig_shingles, sig_words
  if doc.json_spans and not opts.lua_spans then
    -- the C fast path (csrc/lua_extract.c): same output, 20x faster
    local tj
    tj, sents, nwords, sig_shingles, sig_words = doc:json_spans(true)
    tokens = json.raw(tj)
  else
    tokens = array()
    local words = {}
    nwords = 0
    for i = 1, ntok do
      local a, b, kind = doc:span(i)
      tokens[i] = array({ a - 1, b, kind })
      if kind == "word" then
        nwords = nwords + 1
        words[nwords] = lower(sub(analysed, a, b))
      end
    end
    sents = array()
    for i, s in ipairs(doc:sentences()) do
      sents[i] = array({ s.start - 1, s.stop })
    end
    sig_shingles, sig_words = report.signatures(words)
  end

  local entities = array()
  for _, e in ipairs(doc:entities()) do
    local a, b = span_of(e)
    entities[#entities + 1] = ordered({
      start = a, ["end"] = b, text = e.text, type = e.type,
      canonical = e.canonical or e.text, role = e.role,
      sentence = sentence_at(sents, a),
    }, { "start", "end", "text", "type", "canonical", "role", "sentence" })
  end
  local numbers = array()
  for _, n in ipairs(doc:numbers()) do
    local a, b = span_of(n)
    numbers[#numbers + 1] = ordered({
      start = a, ["end"] = b, text = n.text, kind = n.kind,
      value = opt_num(n.value), unit = n.unit, product = n.product, per = n.per,
      bound = n.bound, low = opt_num(n.low), high = opt_num(n.high), timex = n.timex,
      sentence = sentence_at(sents, a),
    }, { "start", "end", "text", "kind", "value", "unit", "product", "per", "bound", "low", "high", "timex",
        "sentence" })
  end
  local quotes = array()
  for _, q in ipairs(doc:quotes()) do
    local a, b = span_of(q)
    local sp = q.speaker_span
    local spj
    if type(sp) == "table" then
      local sa, sb = sp.start or sp[1], sp.stop or sp[2]
      if sa and sb then spj = array({ sa - 1, sb }) end
    end
    quotes[#quotes + 1] = ordered({
      start = a, ["end"] = b, text = q.text, speaker = q.speaker, speaker_span = spj,
      sentence = sentence_at(sents, a),
    }, { "start", "end", "text", "speaker", "speaker_span", "sentence" })
  end

  if not date then
    -- a full date near the top (a dateline) is the article's date
    for _, n in ipairs(numbers) do
      if n.start > 400 then break end
      if n.kind == "date" and type(n.timex) == "string" and match(n.timex, "^%d%d%d%d%-%d%d%-%d%d$") then
        date = n.timex
        break
      end
    end
  end

  local out = assemble(rec, opts, text, removed, date,
    { bytes = #text, tokens = ntok, words = nwords, sentences = #sents },
    sents, tokens, entities, numbers, quotes,
    ordered({ shingles = sig_shingles, words = sig_words }, { "shingles", "words" }))
  if opts.keep_doc then return out, doc, analysed end
  return out
end

--- The record of report.record as one line of JSON text (what `tidings
-- extract` prints; opts.newline adds the "\n"): the same bytes as
-- json.encode(report.record(rec, td, opts)), written in C
-- (doc:extract_json with a head table, csrc/lua_extract.c), so the Lua work
-- per document is a few field reads and does not grow with its length.
function report.extract_json(rec, td, opts)
  opts = opts or {}
  local text, list, _, date, doc = prepare(rec, td, opts)
  local nl = opts.newline and "\n" or ""
  if not doc.extract_json then return json.encode(report.record(rec, td, opts)) .. nl end
  local with_text = opts.text ~= false
  local meta = rec.meta
  local line = doc:extract_json(json.format_number, with_text and text or nil, {
    id = rec.id, path = rec.path, line = rec.line, title = rec.title, date = date,
    source = source_of(rec, text), meta = meta and next(meta) and meta or nil, null = json.null,
    text = text, boilerplate = list, newline = opts.newline,
  })
  if line then return line end
  -- what the C writer does not take (a table where a string goes, metadata
  -- beyond plain values and tables): the Lua encoder, and its errors
  local tj, sj, nsents, nwords, sigj, ej, nj, qj, first_date, textj =
    doc:extract_json(json.format_number, with_text and text or nil)
  local raw = json.raw
  local out = assemble(rec, { text = false }, text, removed_of(text, list), date or first_date,
    { bytes = #text, tokens = #doc, words = nwords, sentences = nsents },
    raw(sj), raw(tj), raw(ej), raw(nj), raw(qj), raw(sigj))
  if with_text then out.text = raw(textj) end
  return json.encode(out) .. nl
end

-- Step 2: the aggregate ---------------------------------------------------------------

local Agg = {}
Agg.__index = Agg

function report.new()
  return setmetatable({
    tidings_partial = report.PARTIAL_VERSION,
    docs = {},      -- id -> document summary
    entities = {},  -- type \t canonical -> entity
    cooc = {},      -- key \n key -> sentences together
    groups = {},    -- number group key -> group
    figures = { n = 0, items = array() }, -- every figure (capped list)
    speakers = {},  -- speaker ("" = unattributed) -> quotes
    dates = {},     -- timex -> dated mentions
  }, Agg)
end

-- Total order of items: document id, then offset.
local function item_lt(a, b)
  if a.doc ~= b.doc then return a.doc < b.doc end
  return a.start < b.start
end

-- Per list, once it has been trimmed: its cap-th smallest item then.  The
-- list always holds cap items at or below it (trimming and merging only ever
-- drop larger ones), so an item above it can never be among the cap smallest
-- and is not added: no sort for it.  (Weak keys: the lists stay plain arrays.)
local cutoff = setmetatable({}, { __mode = "k" })

-- Add item to list (the cap smallest by item_lt are kept); false when the
-- item cannot be kept.
local function add_item(list, item, cap)
  local c = cutoff[list]
  if c and item_lt(c, item) then return false end
  list[#list + 1] = item
  if #list > 2 * cap then
    sort(list, item_lt)
    for i = #list, cap + 1, -1 do list[i] = nil end
    cutoff[list] = list[cap]
  end
  return true
end

local function trim_items(list, cap)
  sort(list, item_lt)
  for i = #list, cap + 1, -1 do list[i] = nil end
end

-- The sorted union of two arrays of strings (a new array).
local function union_sorted(a, b)
  local set, out = {}, array()
  for _, v in ipairs(a) do if not set[v] then set[v] = true; out[#out + 1] = v end end
  for _, v in ipairs(b) do if not set[v] then set[v] = true; out[#out + 1] = v end end
  sort(out)
  return out
end

local function context(text, sents, si, a, b)
  if not text then return nil end
  local s = si and sents[si]
  local ca, cb = s and s[1] or a, s and s[2] or b
  if cb - ca > 400 then -- a long sentence: a window around the span
    ca = math.max(ca, a - 150); cb = math.min(cb, b + 150)
  end
  local c = sub(text, ca + 1, cb)
  c = gsub(c, "%s+", " ")
  return (gsub(gsub(c, "^ ", ""), " $", ""))
end

report.CTX_CAP = 48           -- word hashes kept per document and figure group
report.CTX_SHARED = 2        -- words two figures' sentences share to be one fact

-- The content words of sentence si around a figure [a, b) (0-based), the
-- figure's own words left out: a sorted array of word hashes, or nil.
local function sentence_words(text, sents, si, a, b)
  local s = si and sents[si]
  if not s then return nil end
  local ca, cb = s[1], s[2]
  if cb - ca > 600 then ca = math.max(ca, a - 200); cb = math.min(cb, b + 200) end
  local set, out = {}, array()
  for p, w, q in gmatch(sub(text, ca + 1, cb), "()(%a+)()") do
    local ws, we = ca + p - 1, ca + q - 1
    if (we <= a or ws >= b) and #w > 2 then
      w = lower(w)
      if not STOP[w] then
        local h = word_hash(w)
        if not set[h] then set[h] = true; out[#out + 1] = h end
      end
    end
  end
  if #out == 0 then return nil end
  sort(out)
  return out
end

-- The sorted union of two arrays of hashes, the CTX_CAP smallest kept (so
-- the same in any merge order).
local function union_hashes(a, b)
  local set, out = {}, array()
  for _, list in ipairs({ a or {}, b or {} }) do
    for _, h in ipairs(list) do
      if not set[h] then set[h] = true; out[#out + 1] = h end
    end
  end
  sort(out)
  for i = #out, report.CTX_CAP + 1, -1 do out[i] = nil end
  return out
end

-- Elements two sorted arrays share.
local function shared_count(a, b)
  local i, j, n = 1, 1, 0
  while i <= #a and j <= #b do
    local x, y = a[i], b[j]
    if x == y then n = n + 1; i = i + 1; j = j + 1
    elseif x < y then i = i + 1
    else j = j + 1 end
  end
  return n
end

local function norm_unit(u)
  if type(u) ~= "string" or u == "" then return nil end
  u = lower(u)
  u = match(u, "^(.-) of ") or u
  u = match(u, "(%S+)%s*$") or u
  u = gsub(u, "[%p]+$", "")
  if #u > 3 and sub(u, -1) == "s" and sub(u, -2) ~= "ss" then u = sub(u, 1, -2) end
  return u ~= "" and u or nil
end
report.norm_unit = norm_unit

-- What a quantity is of ("10 kg of heroin" -> "heroin"), as a group key part:
-- so 10 kg of heroin and 5 kg of cocaine are not one figure in two versions.
local function norm_product(p)
  if type(p) ~= "string" then return nil end
  p = gsub(gsub(lower(p), "%s+", " "), "^ ", "")
  p = gsub(gsub(p, "[%p ]+$", ""), "^[%p ]+", "")
  return p ~= "" and p or nil
end

local function value_key(n)
  local function f(x) return x and json.format_number(x) or "" end
  return (n.bound or "=") .. "|" .. f(n.value) .. "|" .. f(n.low) .. "|" .. f(n.high)
end

local GROUPED = { cardinal = true, quantity = true, money = true, percent = true,
  duration = true, range = true, fraction = true }

--- Add one record (as made by report.record, or decoded from extract JSON).
function Agg:add(r)
  local id = r.id
  local text = r.text
  local sents = r.sentences or {}
  local st = r.stats or {}
  local d = self.docs[id]
  if not d then
    d = { id = id, path = r.path, title = r.title, date = r.date, source = r.source,
      bytes = 0, words = 0, sentences = 0, tokens = 0, boilerplate_bytes = 0, boilerplate = 0,
      entities = 0, numbers = 0, quotes = 0, parts = 0 }
    self.docs[id] = d
  end
  d.parts = d.parts + 1
  d.bytes = d.bytes + (st.bytes or 0)
  d.words = d.words + (st.words or 0)
  d.sentences = d.sentences + (st.sentences or 0)
  d.tokens = d.tokens + (st.tokens or 0)
  d.boilerplate_bytes = d.boilerplate_bytes + (st.boilerplate_bytes or 0)
  d.boilerplate = d.boilerplate + #(r.boilerplate or {})
  d.entities = d.entities + #(r.entities or {})
  d.numbers = d.numbers + #(r.numbers or {})
  d.quotes = d.quotes + #(r.quotes or {})
  local sig = r.signature or {}
  d.sig = d.sig or sig.shingles
  d.wsig = d.wsig or sig.words
  -- what finish() needs per document to find stories and to group figures
  -- within one: its entity set (ents), its grouped figures (figs: key ->
  -- mentions) and the words around them (ctx: group key -> word hashes)
  d.figs = d.figs or {}
  d.ctx = d.ctx or {}
  local when = d.date or "~" -- sorts after every ISO date

  -- entities: per canonical name; co-occurrence per sentence
  local seen_doc = {}
  local by_sentence = {}
  for _, e in ipairs(r.entities or {}) do
    local key = (e.type or "?") .. "\t" .. (e.canonical or e.text)
    local ent = self.entities[key]
    if not ent then
      ent = { type = e.type or "?", canonical = e.canonical or e.text, mentions = 0, docs = 0,
        roles = {}, variants = {} }
      self.entities[key] = ent
    end
    ent.mentions = ent.mentions + 1
    if not seen_doc[key] then seen_doc[key] = true; ent.docs = ent.docs + 1 end
    if e.role then ent.roles[e.role] = (ent.roles[e.role] or 0) + 1 end
    if e.text then ent.variants[e.text] = (ent.variants[e.text] or 0) + 1 end
    local first = ent.first
    if not first or when < first.when or (when == first.when and (id < first.doc
        or (id == first.doc and e.start < first.start))) then
      ent.first = { when = when, doc = id, start = e.start, text = e.text,
        context = context(text, sents, e.sentence, e.start, e["end"]) }
    end
    if e.sentence then
      local list = by_sentence[e.sentence]
      if not list then list = {}; by_sentence[e.sentence] = list end
      list[key] = true
    end
  end
  local ents = array()
  for k in pairs(seen_doc) do ents[#ents + 1] = k end
  d.ents = d.ents and union_sorted(d.ents, ents) or union_sorted(ents, {})
  for _, set in pairs(by_sentence) do
    local keys = {}
    for k in pairs(set) do keys[#keys + 1] = k end
    sort(keys)
    for i = 1, #keys do
      for j = i + 1, #keys do
        local pk = keys[i] .. "\n" .. keys[j]
        self.cooc[pk] = (self.cooc[pk] or 0) + 1
      end
    end
  end

  -- numbers: every figure; grouped by what they count; dates on a timeline
  local seen_val = {}
  for _, n in ipairs(r.numbers or {}) do
    local item = { doc = id, start = n.start, ["end"] = n["end"], text = n.text, kind = n.kind,
      value = n.value, unit = n.unit, product = n.product, per = n.per, bound = n.bound, low = n.low,
      high = n.high, timex = n.timex, source = r.source }
    self.figures.n = self.figures.n + 1
    local kept = add_item(self.figures.items, item, report.ITEM_CAP)
    local unit = norm_unit(n.unit)
    if GROUPED[n.kind] and unit then
      local product = norm_product(n.product)
      local gk = (n.kind == "duration" and "duration" or "amount") .. ":" .. unit ..
        (product and (" of " .. product) or "") .. (n.per and ("/" .. lower(n.per)) or "")
      local g = self.groups[gk]
      if not g then
        g = { key = gk, unit = unit, product = product, per = n.per and lower(n.per) or nil,
          values = {}, items = array() }
        self.groups[gk] = g
      end
      kept = add_item(g.items, item, report.ITEM_CAP) or kept
      local vk = value_key(n)
      if not g.values[vk] then
        g.values[vk] = { bound = n.bound or "=", value = n.value, low = n.low, high = n.high }
      end
      -- who reports which value is kept per document: only finish() knows
      -- the stories, and a figure is compared within its story only
      local fk = gk .. "\t" .. vk
      d.figs[fk] = (d.figs[fk] or 0) + 1
      -- and the words around it: two documents disagree on a figure only
      -- where they say it in like words ("13 civilians killed in Israel"
      -- vs "200 Lebanese civilians killed" do; "the 2007 election" vs "the
      -- last three elections" do not)
      local words = text and sentence_words(text, sents, n.sentence, n.start, n["end"])
      if words then d.ctx[gk] = union_hashes(d.ctx[gk], words) end
    elseif (n.kind == "date" or n.kind == "time") and type(n.timex) == "string"
        and match(n.timex, "^%d%d%d%d") then
      local t = self.dates[n.timex]
      if not t then t = { timex = n.timex, mentions = 0, docs = 0, items = array() }; self.dates[n.timex] = t end
      t.mentions = t.mentions + 1
      local sk = "date\0" .. n.timex
      if not seen_val[sk] then seen_val[sk] = true; t.docs = t.docs + 1 end
      kept = add_item(t.items, item, 20) or kept
    end
    -- the context only for an item some list keeps (for now)
    if kept then item.context = context(text, sents, n.sentence, n.start, n["end"]) end
  end

  -- quotes by speaker
  for _, q in ipairs(r.quotes or {}) do
    local who = q.speaker or ""
    local s = self.speakers[who]
    if not s then s = { speaker = who, quotes = 0, docs = 0, items = array() }; self.speakers[who] = s end
    s.quotes = s.quotes + 1
    local sk = "q\0" .. who
    if not seen_val[sk] then seen_val[sk] = true; s.docs = s.docs + 1 end
    add_item(s.items, { doc = id, start = q.start, ["end"] = q["end"], text = q.text,
      source = r.source }, report.ITEM_CAP)
  end
  return self
end

local function merge_counts(a, b)
  for k, v in pairs(b) do a[k] = (a[k] or 0) + v end
end

local function merge_items(a, b, cap)
  for _, it in ipairs(b) do a[#a + 1] = it end
  trim_items(a, cap)
end


--- Merge another aggregate into this one (associative, commutative).
function Agg:merge(o)
  for id, od in pairs(o.docs) do
    local d = self.docs[id]
    if not d then
      self.docs[id] = od
    else
      for _, k in ipairs({ "parts", "bytes", "words", "sentences", "tokens", "boilerplate_bytes",
        "boilerplate", "entities", "numbers", "quotes" }) do
        d[k] = (d[k] or 0) + (od[k] or 0)
      end
      d.ents = union_sorted(d.ents or {}, od.ents or {})
      d.figs = d.figs or {}
      merge_counts(d.figs, od.figs or {})
      d.ctx = d.ctx or {}
      for gk, words in pairs(od.ctx or {}) do d.ctx[gk] = union_hashes(d.ctx[gk], words) end
    end
  end
  for key, oe in pairs(o.entities) do
    local e = self.entities[key]
    if not e then
      self.entities[key] = oe
    else
      e.mentions = e.mentions + oe.mentions
      e.docs = e.docs + oe.docs
      merge_counts(e.roles, oe.roles)
      merge_counts(e.variants, oe.variants)
      local a, b = e.first, oe.first
      if b and (not a or b.when < a.when or (b.when == a.when and (b.doc < a.doc
          or (b.doc == a.doc and b.start < a.start)))) then
        e.first = b
      end
    end
  end
  merge_counts(self.cooc, o.cooc)
  self.figures.n = self.figures.n + o.figures.n
  merge_items(self.figures.items, o.figures.items, report.ITEM_CAP)
  for gk, og in pairs(o.groups) do
    local g = self.groups[gk]
    if not g then
      self.groups[gk] = og
    else
      merge_items(g.items, og.items, report.ITEM_CAP)
      for vk, ov in pairs(og.values) do
        if not g.values[vk] then g.values[vk] = ov end
      end
    end
  end
  for who, os_ in pairs(o.speakers) do
    local s = self.speakers[who]
    if not s then
      self.speakers[who] = os_
    else
      s.quotes = s.quotes + os_.quotes
      s.docs = s.docs + os_.docs
      merge_items(s.items, os_.items, report.ITEM_CAP)
    end
  end
  for tx, ot in pairs(o.dates) do
    local t = self.dates[tx]
    if not t then
      self.dates[tx] = ot
    else
      t.mentions = t.mentions + ot.mentions
      t.docs = t.docs + ot.docs
      merge_items(t.items, ot.items, 20)
    end
  end
  return self
end

-- Normalise capped lists so that the partial's bytes do not depend on the
-- order documents arrived in.
function Agg:normalize()
  trim_items(self.figures.items, report.ITEM_CAP)
  for _, g in pairs(self.groups) do trim_items(g.items, report.ITEM_CAP) end
  for _, s in pairs(self.speakers) do trim_items(s.items, report.ITEM_CAP) end
  for _, t in pairs(self.dates) do trim_items(t.items, 20) end
  return self
end

--- The partial aggregate as JSON (what `tidings report --format partial` writes).
function Agg:to_json()
  self:normalize()
  local t = {}
  for k, v in pairs(self) do t[k] = v end
  return json.encode(t)
end

local function fix_arrays(t)
  -- decoded objects that were empty tables: restore the array markers we rely on
  for _, it in ipairs({ "items" }) do
    if t[it] and not json.is_array(t[it]) then t[it] = array(t[it]) end
  end
end

--- Read a partial aggregate back.  Returns agg or nil, message.
function report.from_json(s)
  local t, err = json.decode(s)
  if not t then return nil, err end
  if type(t) ~= "table" or t.tidings_partial == nil then
    return nil, "not a tidings partial report (no \"tidings_partial\" field)"
  end
  if t.tidings_partial ~= report.PARTIAL_VERSION then
    return nil, format("partial report version %s, this tidings reads version %d",
      tostring(t.tidings_partial), report.PARTIAL_VERSION)
  end
  local agg = report.new()
  for k, v in pairs(t) do agg[k] = v end
  agg.figures.items = array(agg.figures.items or {})
  for _, g in pairs(agg.groups) do fix_arrays(g); g.values = g.values or {} end
  for _, s in pairs(agg.speakers) do fix_arrays(s) end
  for _, d in pairs(agg.dates) do fix_arrays(d) end
  for _, e in pairs(agg.entities) do e.roles = e.roles or {}; e.variants = e.variants or {} end
  for _, d in pairs(agg.docs) do
    d.ents = array(d.ents or {}); d.figs = d.figs or {}
    d.ctx = d.ctx or {}
    for gk, words in pairs(d.ctx) do d.ctx[gk] = array(words) end
    if d.sig then d.sig = array(d.sig) end
    if d.wsig then d.wsig = array(d.wsig) end
  end
  return agg
end

-- Step 3: the report model ------------------------------------------------------------

local function sorted_counts(t)
  local list = {}
  for k, v in pairs(t) do list[#list + 1] = { name = k, count = v } end
  sort(list, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.name < b.name
  end)
  return list
end

local function bound_words(b)
  return ({ ["="] = "", [">"] = "more than ", [">="] = "at least ", ["<"] = "less than ",
    ["<="] = "up to ", ["~"] = "about " })[b or "="] or (b .. " ")
end
report.bound_words = bound_words

--- A value as words: "more than 1,000", "5–10", "about 3".
--- What a figure counts, as the reports write it: "kg of heroin per week".
function report.counts_text(f)
  local s = f.unit or ""
  if f.product then s = s .. (s ~= "" and " of " or "") .. f.product end
  if f.per then s = s .. " per " .. f.per end
  return s
end

function report.value_text(v)
  local num = function(x)
    if x == nil then return "?" end
    return require("tidings.format.util").thousands(x)
  end
  if v.low or v.high then
    return bound_words(v.bound) .. num(v.low) .. "–" .. num(v.high)
  end
  return bound_words(v.bound) .. num(v.value)
end

--- Turn the aggregate into the report model.
-- opts.top: how many entities per type (default 25); opts.near, opts.story,
-- opts.story_days: what makes a copy or the same story (tidings.stories).
function report.finish(agg, opts)
  opts = opts or {}
  agg:normalize()
  local top = opts.top or 25
  local m = { overview = {}, documents = {}, entity_types = {}, cooccurrence = {},
    groups = {}, disagreements = {}, figures = {}, figures_total = agg.figures.n,
    speakers = {}, unattributed = nil, duplicates = {}, timeline = {}, stories = {} }

  -- documents and overview
  local docs = {}
  for _, d in pairs(agg.docs) do docs[#docs + 1] = d end
  sort(docs, function(a, b) return a.id < b.id end)
  local ov = { documents = #docs, bytes = 0, words = 0, sentences = 0, tokens = 0,
    boilerplate_bytes = 0, entities = 0, numbers = 0, quotes = 0, sources = 0 }
  local sources, dates = {}, {}
  for _, d in ipairs(docs) do
    for _, k in ipairs({ "bytes", "words", "sentences", "tokens", "boilerplate_bytes",
      "entities", "numbers", "quotes" }) do
      ov[k] = ov[k] + (d[k] or 0)
    end
    if d.source then sources[d.source] = (sources[d.source] or 0) + 1 end
    if d.date then dates[#dates + 1] = d.date end
  end
  sort(dates)
  ov.sources_list = sorted_counts(sources)
  ov.sources = #ov.sources_list
  ov.first_date, ov.last_date = dates[1], dates[#dates]
  m.overview = ov
  m.documents = {}
  local doc_by_id = agg.docs

  -- entities by type
  local by_type = {}
  for key, e in pairs(agg.entities) do
    local list = by_type[e.type]
    if not list then list = {}; by_type[e.type] = list end
    list[#list + 1] = { key = key, type = e.type, canonical = e.canonical, mentions = e.mentions,
      docs = e.docs, roles = sorted_counts(e.roles), variants = sorted_counts(e.variants),
      first = e.first }
  end
  local TYPE_ORDER = { PERSON = 1, ORG = 2, GPE = 3, LOC = 4, NORP = 5, FAC = 6, EVENT = 7,
    PRODUCT = 8, WORK_OF_ART = 9, LAW = 10 }
  local types = {}
  for t in pairs(by_type) do types[#types + 1] = t end
  sort(types, function(a, b)
    local oa, ob = TYPE_ORDER[a] or 99, TYPE_ORDER[b] or 99
    if oa ~= ob then return oa < ob end
    return a < b
  end)
  local entity_rank = function(a, b)
    if a.mentions ~= b.mentions then return a.mentions > b.mentions end
    if a.docs ~= b.docs then return a.docs > b.docs end
    return a.canonical < b.canonical
  end
  local shown = {}
  for _, t in ipairs(types) do
    local list = by_type[t]
    sort(list, entity_rank)
    local total = #list
    for i = #list, top + 1, -1 do list[i] = nil end
    for _, e in ipairs(list) do shown[e.key] = e end
    m.entity_types[#m.entity_types + 1] = { type = t, entities = list, total = total }
  end

  -- co-occurrence among the shown entities
  for pk, n in pairs(agg.cooc) do
    local a, b = match(pk, "^(.-)\n(.*)$")
    if shown[a] and shown[b] then
      m.cooccurrence[#m.cooccurrence + 1] = { a = shown[a].canonical, a_type = shown[a].type,
        b = shown[b].canonical, b_type = shown[b].type, sentences = n }
    end
  end
  sort(m.cooccurrence, function(x, y)
    if x.sentences ~= y.sentences then return x.sentences > y.sentences end
    if x.a ~= y.a then return x.a < y.a end
    return x.b < y.b
  end)
  for i = #m.cooccurrence, (opts.pairs or 40) + 1, -1 do m.cooccurrence[i] = nil end

  -- stories: clusters of copies and same-story documents (found here, after
  -- any merge: the aggregate only carries each document's signatures)
  local pairs_found, clusters = stories.find(docs, opts)
  local story_of = {}
  m.stories = {}
  for _, list in ipairs(clusters) do
    local members = {}
    for _, i in ipairs(list) do members[#members + 1] = docs[i] end
    -- the earliest document names the story
    sort(members, function(x, y)
      local dx, dy = x.date or "~", y.date or "~"
      if dx ~= dy then return dx < dy end
      return x.id < y.id
    end)
    local ids, dated = array(), {}
    for i, d in ipairs(members) do
      ids[i] = d.id
      if d.date then dated[#dated + 1] = d.date end
    end
    sort(dated)
    m.stories[#m.stories + 1] = { title = members[1].title or members[1].id, first = members[1].id,
      documents = ids, size = #ids, first_date = dated[1], last_date = dated[#dated] }
  end
  sort(m.stories, function(x, y)
    if x.size ~= y.size then return x.size > y.size end
    local dx, dy = x.first_date or "~", y.first_date or "~"
    if dx ~= dy then return dx < dy end
    return x.first < y.first
  end)
  for n, st in ipairs(m.stories) do
    st.id = n
    for _, id in ipairs(st.documents) do story_of[id] = st end
  end

  -- number groups and disagreements, within a story: figures from unrelated
  -- articles ("10 km" here, "30 km" there) are not two versions of one fact
  for _, st in ipairs(m.stories) do
    local by_key = {}
    local in_story = {}
    local members = {}
    for _, id in ipairs(st.documents) do in_story[id] = true; members[#members + 1] = id end
    sort(members)
    for _, id in ipairs(members) do
      for fk, count in pairs(doc_by_id[id].figs or {}) do
        local gk, vk = match(fk, "^(.*)\t([^\t]*)$")
        local g = gk and agg.groups[gk]
        local meta = g and g.values[vk]
        if meta then
          local b = by_key[gk]
          if not b then b = { mentions = 0, values = {}, by_doc = {}, ndocs = 0 }; by_key[gk] = b end
          b.mentions = b.mentions + count
          local set = b.by_doc[id]
          if not set then set = {}; b.by_doc[id] = set; b.ndocs = b.ndocs + 1 end
          set[vk] = true
          local v = b.values[vk]
          if not v then
            v = { bound = meta.bound, value = meta.value, low = meta.low, high = meta.high,
              mentions = 0, docs = 0, ids = array() }
            b.values[vk] = v
          end
          v.mentions = v.mentions + count
          v.docs = v.docs + 1
          if #v.ids < report.DOC_ID_CAP then v.ids[#v.ids + 1] = id end
        end
      end
    end
    for gk, b in pairs(by_key) do
      local g = agg.groups[gk]
      local values = {}
      for _, v in pairs(b.values) do values[#values + 1] = v end
      sort(values, function(x, y)
        if x.docs ~= y.docs then return x.docs > y.docs end
        return report.value_text(x) < report.value_text(y)
      end)
      local ndocs = 0
      for _, v in ipairs(values) do ndocs = ndocs + v.docs end
      local items = array()
      for _, it in ipairs(g.items) do
        if in_story[it.doc] then items[#items + 1] = it end
      end
      local gm = { key = g.key, story = st.id, story_title = st.title, unit = g.unit, product = g.product,
        per = g.per, mentions = b.mentions, values = values, items = items, docs = ndocs }
      gm.label = g.unit .. (g.product and (" of " .. g.product) or "") .. (g.per and (" per " .. g.per) or "")
      -- a disagreement: two documents of the story report the quantity and
      -- have no value or bound in common (one giving 10 and 30 while
      -- another gives 30 is more likely two facts than two versions)
      if #values >= 2 then
        gm.disagreement = false
        local sets, ctxs = {}, {}
        for _, id in ipairs(members) do
          if b.by_doc[id] then
            sets[#sets + 1] = b.by_doc[id]
            ctxs[#sets] = doc_by_id[id].ctx and doc_by_id[id].ctx[gk] or false
          end
        end
        for x = 1, #sets do
          for y = x + 1, #sets do
            local common = false
            for vk in pairs(sets[x]) do
              if sets[y][vk] then common = true; break end
            end
            -- without the texts (extract --no-text) the values decide alone
            if not common and ctxs[x] and ctxs[y] then
              common = shared_count(ctxs[x], ctxs[y]) < report.CTX_SHARED
            end
            if not common then gm.disagreement = true; break end
          end
          if gm.disagreement then break end
        end
      end
      if ndocs >= 2 then m.groups[#m.groups + 1] = gm end
      if gm.disagreement then m.disagreements[#m.disagreements + 1] = gm end
    end
  end
  local group_rank = function(a, b)
    if a.story ~= b.story then return a.story < b.story end
    if a.docs ~= b.docs then return a.docs > b.docs end
    if a.mentions ~= b.mentions then return a.mentions > b.mentions end
    return a.key < b.key
  end
  sort(m.groups, group_rank)
  sort(m.disagreements, group_rank)
  m.figures = agg.figures.items

  -- quotes by speaker
  local speakers = {}
  for _, s in pairs(agg.speakers) do
    if s.speaker == "" then m.unattributed = s else speakers[#speakers + 1] = s end
  end
  sort(speakers, function(a, b)
    if a.quotes ~= b.quotes then return a.quotes > b.quotes end
    return a.speaker < b.speaker
  end)
  m.speakers = speakers

  -- timeline of dated mentions
  for _, t in pairs(agg.dates) do m.timeline[#m.timeline + 1] = t end
  sort(m.timeline, function(a, b) return a.timex < b.timex end)

  -- near-duplicates and same-story pairs
  for _, p in ipairs(pairs_found) do
    local a, b = docs[p.i], docs[p.j]
    local sa, sb = story_of[a.id], story_of[b.id]
    m.duplicates[#m.duplicates + 1] = { a = a.id, b = b.id, a_title = a.title, b_title = b.title,
      shingles = p.shingles, words = p.words, entities = p.entities, kind = p.kind,
      story = sa and sa == sb and sa.id or nil }
  end
  sort(m.duplicates, function(x, y)
    if x.shingles ~= y.shingles then return x.shingles > y.shingles end
    if x.words ~= y.words then return x.words > y.words end
    if x.a ~= y.a then return x.a < y.a end
    return x.b < y.b
  end)
  for i, d in ipairs(docs) do
    local c = {}
    for k, v in pairs(d) do
      if k ~= "ents" and k ~= "figs" and k ~= "ctx" then c[k] = v end
    end
    c.story = story_of[d.id] and story_of[d.id].id or nil
    m.documents[i] = c
  end
  m.doc_by_id = doc_by_id
  return m
end

return report
