-- eval/quotes.lua: doc:quotes() and tidings.clean() measured.
--
--   lua5.4 eval/quotes.lua [--data DIR] [--sample N] [--seed S]
--
-- Run from the repository root with LUA_PATH/LUA_CPATH pointing at the build
-- (`make eval` does).
--
-- 1. corpus/ against spec/fixtures/corpus_quotes.lua (hand-made gold: every
--    quotation of the five articles and its speaker): quotations found, right
--    speaker, extra quotations; with the built-in name rules and with
--    doc:entities().  Always available.
-- 2. Wikinews (../shared/data/news_text/wikinews_tosca.jsonl, or --data DIR):
--    quotations per article, how they were attributed, the share with a
--    speaker, speed of quotes() and clean(), lines clean() removes.  No gold
--    exists there: --sample N prints N quotations (chosen by --seed) with
--    their context, to be judged by hand.  When the data is absent the
--    script says so and stops after part 1.
local tidings = require "tidings"
local json = require "tidings.json"

local data_dir, sample, seed = "../shared/data", 0, 1
local i = 1
while arg[i] do
  if arg[i] == "--data" then data_dir = arg[i + 1]; i = i + 2
  elseif arg[i] == "--sample" then sample = tonumber(arg[i + 1]); i = i + 2
  elseif arg[i] == "--seed" then seed = tonumber(arg[i + 1]); i = i + 2
  else io.stderr:write("usage: eval/quotes.lua [--data DIR] [--sample N] [--seed S]\n"); os.exit(2) end
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

-- 1. corpus/
local gold = dofile("spec/fixtures/corpus_quotes.lua")
local paths = {}
for path in pairs(gold) do paths[#paths + 1] = path end
table.sort(paths)
for _, mode in ipairs({ "name rules", "doc:entities()" }) do
  local total, found, right, extra = 0, 0, 0, 0
  local wrong = {}
  for _, path in ipairs(paths) do
    local doc = assert(tidings.analyze(assert(read(path))))
    local got = doc:quotes(mode == "name rules" and { entities = false } or nil)
    local used = {}
    for _, g in ipairs(gold[path]) do
      total = total + 1
      for k, q in ipairs(got) do
        if not used[k] and q.text == g.text then
          used[k] = true
          found = found + 1
          local ok = false
          for _, s in ipairs(g.speaker) do
            if q.speaker and q.speaker:lower() == s:lower() then ok = true end
          end
          if ok then right = right + 1
          else wrong[#wrong + 1] = ("    %s: %q -> %s (want %s)"):format(path, g.text:sub(1, 40),
            tostring(q.speaker), g.speaker[1]) end
          break
        end
      end
    end
    for k in ipairs(got) do if not used[k] then extra = extra + 1 end end
  end
  print(("corpus/ quotes (%s): %d/%d found, %d/%d right speaker (%.1f%%), %d extra")
    :format(mode, found, total, right, total, 100 * right / total, extra))
  for _, w in ipairs(wrong) do print(w) end
end

-- 2. Wikinews
local file = data_dir .. "/news_text/wikinews_tosca.jsonl"
local f = io.open(file, "rb")
if not f then
  print(("Wikinews: %s is absent; skipping the large-text part."):format(file))
  return
end
local docs, bytes = {}, 0
for line in f:lines() do
  local obj = json.decode(line)
  if obj and type(obj.text) == "string" then
    docs[#docs + 1] = obj.text
    bytes = bytes + #obj.text
  end
end
f:close()

local clock = os.clock
local analyzed = {}
for k, text in ipairs(docs) do analyzed[k] = assert(tidings.analyze(text)) end
local t0 = clock()
local all, hows, withspk, kinds = {}, {}, 0, {}
for k, doc in ipairs(analyzed) do
  for _, q in ipairs(doc:quotes({ entities = false })) do
    all[#all + 1] = { doc = k, q = q }
    hows[q.how] = (hows[q.how] or 0) + 1
    if q.speaker then
      withspk = withspk + 1
      kinds[q.speaker_kind] = (kinds[q.speaker_kind] or 0) + 1
    end
  end
end
local t1 = clock()
local cut, reasons = 0, {}
for _, text in ipairs(docs) do
  local _, removed = tidings.clean(text)
  for _, r in ipairs(removed) do
    cut = cut + 1
    reasons[r.reason] = (reasons[r.reason] or 0) + 1
  end
end
local t2 = clock()

local function list(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  for n, k in ipairs(keys) do keys[n] = ("%s %d"):format(k, t[k]) end
  return table.concat(keys, ", ")
end
local mb = bytes / 1e6
print(("Wikinews: %d articles, %.1f MB"):format(#docs, mb))
print(("  quotes: %d (%.2f per article), %d with a speaker (%.1f%%); %.1f MB/s (name rules)")
  :format(#all, #all / #docs, withspk, 100 * withspk / math.max(1, #all), mb / (t1 - t0)))
print("  attributed by: " .. list(hows))
print("  speaker kinds: " .. list(kinds))
print(("  clean: %d lines removed in %d articles; %.1f MB/s"):format(cut, #docs, mb / (t2 - t1)))
if cut > 0 then print("  removed as: " .. list(reasons)) end

if sample > 0 and #all > 0 then
  print(("\nsample of %d quotations (seed %d): judge each speaker by hand"):format(sample, seed))
  local state = seed
  for n = 1, sample do
    state = (state * 1103515245 + 12345) % 2147483648
    local e = all[state % #all + 1]
    local text, q = docs[e.doc], e.q
    local ctx = text:sub(math.max(1, q.outer.start - 160), math.min(#text, q.outer.stop + 80)):gsub("%s+", " ")
    print(("%2d. [%s] %s\n    %s\n"):format(n, q.how, tostring(q.speaker), ctx))
  end
end
