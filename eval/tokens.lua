-- Tokenizer and sentence splitter accuracy on UD English-EWT test.
--   tokens:    spans of tidings.tokenize vs the gold `words` (syntactic words:
--              "do" "n't"), per sentence; precision/recall/F1 over exact spans.
--   sentences: each document re-joined from its sentences with one space
--              (no line breaks, so no help from layout), boundary P/R/F1.
-- Reads ../shared/data/ud_tokenization/ud_english_ewt_test.jsonl when present.
local tidings = require "tidings"
local json = require "tidings.json"

local path = (os.getenv("TIDINGS_DATA") or "../shared/data") .. "/ud_tokenization/ud_english_ewt_test.jsonl"
local f = io.open(path)
if not f then
  print("eval/tokens.lua: " .. path .. " not found; skipping (the data is not part of the project)")
  return
end

-- Gold word spans: find each word in the text, left to right.
local function gold_spans(text, words)
  local spans, pos = {}, 1
  for _, w in ipairs(words) do
    local a, b = text:find(w, pos, true)
    if not a then return nil end
    spans[#spans + 1] = a .. ":" .. b
    pos = b + 1
  end
  return spans
end

local tp, fp, fn, skipped, nsent = 0, 0, 0, 0, 0
local docs, order = {}, {}
local errors = {}
for line in f:lines() do
  local s = assert(json.decode(line))
  nsent = nsent + 1
  local gold = gold_spans(s.text, s.words)
  if not gold then
    skipped = skipped + 1
  else
    local want = {}
    for _, k in ipairs(gold) do want[k] = true end
    local doc = tidings.analyze(s.text)
    local got = {}
    for i = 1, #doc do
      local a, b = doc:span(i)
      local k = a .. ":" .. b
      got[k] = true
      if want[k] then tp = tp + 1 else
        fp = fp + 1
        errors[#errors + 1] = s.text:sub(a, b)
      end
    end
    for _, k in ipairs(gold) do if not got[k] then fn = fn + 1 end end
  end
  if not docs[s.doc_id] then docs[s.doc_id] = {}; order[#order + 1] = s.doc_id end
  table.insert(docs[s.doc_id], s.text)
end
f:close()

local function prf(tp_, fp_, fn_)
  local p, r = tp_ / math.max(1, tp_ + fp_), tp_ / math.max(1, tp_ + fn_)
  return p * 100, r * 100, (p + r > 0) and 200 * p * r / (p + r) or 0
end

-- Sentence boundaries: gold end offsets of each re-joined document.
local stp, sfp, sfn, punct_final, ngold, pfn = 0, 0, 0, 0, 0, 0
for _, id in ipairs(order) do
  local sents = docs[id]
  local text = table.concat(sents, " ")
  local gold, pos = {}, 0
  for _, s in ipairs(sents) do
    pos = pos + #s; gold[pos] = "other"; pos = pos + 1
    if s:find("[%.!?]['\"%)%]]*$") or s:find("\226\128[\157\153\166]$") then
      punct_final = punct_final + 1
      gold[pos - 1] = "punct"
    end
  end
  local doc = tidings.analyze(text)
  local got = {}
  for k = 1, doc:nsentences() do
    local _, stop = doc:sentence_span(k)
    got[stop] = true
    if gold[stop] then stp = stp + 1 else sfp = sfp + 1 end
  end
  for e, how in pairs(gold) do
    ngold = ngold + 1
    if not got[e] then sfn = sfn + 1; if how == "punct" then pfn = pfn + 1 end end
  end
end

local p, r, f1 = prf(tp, fp, fn)
local sp, sr, sf = prf(stp, sfp, sfn)
print("| UD English-EWT test | precision | recall | F1 |")
print("|---|---:|---:|---:|")
print(("| tokens (words, %d sentences, %d unalignable skipped) | %.2f | %.2f | %.2f |"):format(nsent - skipped, skipped, p, r, f1))
print(("| sentence boundaries (%d documents joined by spaces) | %.2f | %.2f | %.2f |"):format(#order, sp, sr, sf))
local pp, pr, pf = prf(punct_final - pfn, sfp, pfn)
print(("| sentence boundaries after final punctuation (%d of them) | %.2f | %.2f | %.2f |"):format(punct_final, pp, pr, pf))
print(("\n%.1f%% of the gold sentences end in final punctuation (. ! ? … and closing quotes); the others"):format(100 * punct_final / ngold))
print("(headers, signatures, list items, chat lines) end only at line breaks the data does not keep,")
print(("so a splitter's recall on space-joined documents is bounded near %.1f%%."):format(100 * punct_final / ngold))
if os.getenv("TIDINGS_EVAL_VERBOSE") then
  local c = {}
  for _, e in ipairs(errors) do c[e] = (c[e] or 0) + 1 end
  local l = {}
  for k, v in pairs(c) do l[#l + 1] = { k, v } end
  table.sort(l, function(a, b) return a[2] > b[2] end)
  for i = 1, math.min(60, #l) do io.write(l[i][1], "=", l[i][2], "  ") end
  print()
end
