-- tidings.stories: which documents are copies of each other or report the
-- same story, and the story clusters they form.  Works on the document
-- summaries of a report aggregate (report.finish calls it after any merge):
-- each has `id`, `words`, `date`, `sig` and `wsig` (MinHash signatures of
-- its 5-word shingles and of its content words) and `ents` (its sorted set
-- of entity keys).
--
--   stories.find(docs, opts) -> pairs, clusters
--
-- Pairs: every copy (shingles >= opts.near, default 0.5) and same-story
-- pair.  Same story: the documents share content words (MinHash estimate
-- >= opts.story, default 0.2) and some named entities (Jaccard >= 0.1), or
-- they share many named entities (Jaccard >= 0.3, at least 3) and some
-- content words (>= 0.1); dated documents more than opts.story_days (7)
-- apart are never the same story.  Word overlap alone is a weak sign: five
-- articles on one event share only 12-25% of their content words, and with
-- 32 MinHash functions unrelated long articles reach 0.2 by chance, so in a
-- few thousand documents one article became "the same story" as a hundred.
--
-- Candidates: no comparison of all pairs.  Each signature is a set of
-- (position, value) tokens, each entity set a set of keys; a prefix-filter
-- similarity join (as in AllPairs/PPJoin) orders tokens rarest first and
-- indexes only the first |S| - t + 3 tokens of each set, where t is the
-- least overlap the threshold needs: two sets that reach it share at least
-- three tokens of both prefixes, and only such pairs are compared.  So the candidates hold every pair a
-- comparison of all pairs would accept (no recall lost, see the spec), and
-- the common tokens, which make the big buckets, are left out of the index.
-- Cost: O(N k log k) to build, plus the candidate pairs (in practice a few
-- per document; only a corpus of near-copies makes it quadratic, and then
-- the list of pairs itself is).  Memory O(N k).
--
-- Clusters: union-find over the pairs, strongest first, keeping every
-- cluster's dated documents within opts.story_days of each other, and
-- joining two clusters only when at least half of the pairs between them
-- are linked (average linkage): plain connected components chain related
-- stories into one (2,900 undated Wikinews articles: one "story" of 169 on
-- the Middle East, Iraq and Iran; with this rule 10 at most).  Cost: each
-- join attempt walks the links of the smaller cluster, and a refused
-- attempt is not repeated until one side grows.  Only clusters of two or
-- more documents are returned, each a sorted list of document indexes.

local stories = {}

stories.MIN_WORDS = 10        -- shorter documents are compared with nothing
stories.ENT_WITH_WORDS = 0.1  -- entity Jaccard needed beside the word rule
stories.ENT_STORY = 0.3       -- entity Jaccard that makes a story with...
stories.ENT_SHARED = 3        -- ...at least this many shared entities...
stories.WORDS_WITH_ENT = 0.1  -- ...and this much word overlap
stories.DAYS = 7
stories.DENSITY = 0.5         -- share of linked pairs two clusters need to join

local sort, floor = table.sort, math.floor

local function sig_similarity(a, b)
  local k = #a
  if k == 0 or #b ~= k then return 0 end
  local same = 0
  for i = 1, k do if a[i] == b[i] then same = same + 1 end end
  return same / k
end
stories.sig_similarity = sig_similarity

-- Shared elements of two sorted arrays of strings.
local function overlap(a, b)
  local i, j, n = 1, 1, 0
  while i <= #a and j <= #b do
    local x, y = a[i], b[j]
    if x == y then n = n + 1; i = i + 1; j = j + 1
    elseif x < y then i = i + 1
    else j = j + 1 end
  end
  return n
end

-- Days since 1970-01-01 of an ISO date (proleptic Gregorian), nil unless a
-- full date.
local function day_number(s)
  if type(s) ~= "string" then return nil end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m < 1 or m > 12 or d < 1 or d > 31 then return nil end
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
stories.day_number = day_number

-- The least overlap m of two sets of n with m / n >= thr (as the
-- similarity is compared); 0 when any pair qualifies.
local function least_matches(n, thr)
  if thr <= 0 then return 0 end
  for m = 1, n do
    if m / n >= thr then return m end
  end
  return n + 1 -- nothing of this size can reach it
end

-- Prefix-filter similarity join.  sets[i]: an array of distinct tokens (or
-- nil); need(n): the least overlap a set of n tokens needs.  With prefixes
-- of n - need + c tokens, two sets that reach the overlap share at least c
-- tokens of both prefixes (the c-th shared token, rarest first, has at most
-- n - need + c - 1 tokens before it), so only pairs counted c times are
-- candidates.  Calls emit(j, i) for each candidate pair j < i.
local SHARED_IN_PREFIX = 3
local function join(sets, need, emit)
  local df = {}
  for i = 1, #sets do
    local s = sets[i]
    if s then for _, t in ipairs(s) do df[t] = (df[t] or 0) + 1 end end
  end
  local rarer = function(x, y)
    local a, b = df[x], df[y]
    if a ~= b then return a < b end
    return x < y
  end
  local index, count, touched = {}, {}, {}
  for i = 1, #sets do
    local s = sets[i]
    local t = s and need(#s)
    if t and t >= 1 and t <= #s then
      local c = t < SHARED_IN_PREFIX and t or SHARED_IN_PREFIX
      local order = {}
      for n, tok in ipairs(s) do order[n] = tok end
      sort(order, rarer)
      local nt = 0
      for n = 1, #order - t + c do
        local tok = order[n]
        if df[tok] > 1 then
          local list = index[tok]
          if list then
            for _, j in ipairs(list) do
              local k = count[j]
              if k then count[j] = k + 1 else count[j] = 1; nt = nt + 1; touched[nt] = j end
            end
          else
            list = {}; index[tok] = list
          end
          list[#list + 1] = i
        end
      end
      for n = 1, nt do
        local j = touched[n]
        if count[j] >= c then emit(j, i) end
        count[j] = nil; touched[n] = nil
      end
    end
  end
end

-- A signature as tokens: value and position in one number (values are
-- below 2^31, so value * 64 + position is exact in a double).
local function sig_tokens(s)
  if type(s) ~= "table" or #s == 0 or #s > 64 then return nil end
  local out = {}
  for i = 1, #s do
    local v = s[i]
    if type(v) ~= "number" then return nil end
    out[i] = v * 64 + (i - 1)
  end
  return out
end

--- The verdict on one pair: "copy", "same story" or nil, with the
-- shingle, word and entity similarities (entities nil when a side has none).
function stories.compare(a, b, opts)
  opts = opts or {}
  local near, story = opts.near or 0.5, opts.story or 0.2
  local js = sig_similarity(a.sig or {}, b.sig or {})
  local jw = sig_similarity(a.wsig or {}, b.wsig or {})
  local ea, eb = a.ents or {}, b.ents or {}
  local je, shared
  if #ea > 0 and #eb > 0 then
    shared = overlap(ea, eb)
    je = shared / (#ea + #eb - shared)
  end
  local kind
  if (a.words or 0) >= stories.MIN_WORDS and (b.words or 0) >= stories.MIN_WORDS then
    if js >= near then
      kind = "copy"
    else
      local same
      if je == nil then
        same = jw >= story
      else
        same = (jw >= story and je >= stories.ENT_WITH_WORDS) or
          (je >= stories.ENT_STORY and shared >= stories.ENT_SHARED and jw >= stories.WORDS_WITH_ENT)
      end
      local da, db = day_number(a.date), day_number(b.date)
      if same and da and db and math.abs(da - db) > (opts.story_days or stories.DAYS) then same = false end
      if same then kind = "same story" end
    end
  end
  return kind, js, jw, je
end

--- Pairs and clusters of docs (an array, in a fixed order).  opts.near,
-- opts.story, opts.story_days as above; opts.all_pairs: compare every pair
-- instead (the reference the joins are checked against); opts.one_story:
-- one cluster of all documents (the pairs are still found).
function stories.find(docs, opts)
  opts = opts or {}
  local near, story = opts.near or 0.5, opts.story or 0.2
  local n = #docs
  local found = {}
  local seen = {}
  local function check(j, i)
    local a, b = docs[j], docs[i]
    local kind, js, jw, je = stories.compare(a, b, opts)
    if kind then
      -- a pair may come from more than one join
      local key = j * (n + 1) + i
      if seen[key] then return end
      seen[key] = true
      found[#found + 1] = { i = j, j = i, kind = kind, shingles = js, words = jw, entities = je }
    end
  end
  if opts.all_pairs or near <= 0 or story <= 0 then
    for i = 1, n do for j = i + 1, n do check(i, j) end end
  else
    local shingles, words, ents = {}, {}, {}
    for i, d in ipairs(docs) do
      if (d.words or 0) >= stories.MIN_WORDS then
        shingles[i] = sig_tokens(d.sig)
        words[i] = sig_tokens(d.wsig)
        if d.ents and #d.ents > 0 then ents[i] = d.ents end
      end
    end
    -- each join's candidates first pass the cheap test of the rule it
    -- stands for; a pair that fails it but passes another rule is a
    -- candidate of that rule's join
    join(shingles, function(k) return least_matches(k, near) end, function(j, i)
      if sig_similarity(docs[j].sig, docs[i].sig) >= near then check(j, i) end
    end)
    join(words, function(k) return least_matches(k, story) end, function(j, i)
      if sig_similarity(docs[j].wsig, docs[i].wsig) >= story then check(j, i) end
    end)
    -- Jaccard >= t needs overlap >= t * max(|A|, |B|) >= t * |A|, and the
    -- rule wants ENT_SHARED entities in common
    join(ents, function(k)
      return math.max(stories.ENT_SHARED, least_matches(k, stories.ENT_STORY))
    end, function(j, i)
      if sig_similarity(docs[j].wsig, docs[i].wsig) >= stories.WORDS_WITH_ENT then check(j, i) end
    end)
  end

  -- union-find, strongest pair first; a cluster's dated documents stay
  -- within story_days of each other
  sort(found, function(x, y)
    local cx, cy = x.kind == "copy", y.kind == "copy"
    if cx ~= cy then return cx end
    local sx = cx and x.shingles or math.max(x.words, x.entities or 0)
    local sy = cy and y.shingles or math.max(y.words, y.entities or 0)
    if sx ~= sy then return sx > sy end
    if x.i ~= y.i then return x.i < y.i end
    return x.j < y.j
  end)
  local days = opts.story_days or stories.DAYS
  local parent, lo, hi, members, adj = {}, {}, {}, {}, {}
  for i = 1, n do
    parent[i] = i
    members[i] = { i }
    local dn = day_number(docs[i].date)
    lo[i], hi[i] = dn, dn
  end
  for _, p in ipairs(found) do
    local x, y = adj[p.i], adj[p.j]
    if not x then x = {}; adj[p.i] = x end
    if not y then y = {}; adj[p.j] = y end
    x[#x + 1] = p.j; y[#y + 1] = p.i
  end
  local function root(x)
    while parent[x] ~= x do
      parent[x] = parent[parent[x]]
      x = parent[x]
    end
    return x
  end
  -- pairs linked between two clusters (walking the smaller one's links)
  local function links_between(a, b)
    if #members[a] > #members[b] then a, b = b, a end
    local count = 0
    for _, x in ipairs(members[a]) do
      for _, y in ipairs(adj[x] or {}) do
        if root(y) == b then count = count + 1 end
      end
    end
    return count
  end
  local refused = {}
  for _, p in ipairs(found) do
    local a, b = root(p.i), root(p.j)
    if a ~= b then
      if b < a then a, b = b, a end -- the root is the cluster's first document
      local l = (lo[a] and lo[b]) and math.min(lo[a], lo[b]) or lo[a] or lo[b]
      local h = (hi[a] and hi[b]) and math.max(hi[a], hi[b]) or hi[a] or hi[b]
      local ma, mb = members[a], members[b]
      -- a cluster's state is its root and size: a refusal holds until one grows
      local key = a .. ":" .. #ma .. ":" .. b .. ":" .. #mb
      if (not l or h - l <= days) and not refused[key] then
        if links_between(a, b) >= stories.DENSITY * #ma * #mb then
          parent[b] = a
          for _, x in ipairs(mb) do ma[#ma + 1] = x end
          members[b] = nil
          lo[a], hi[a] = l, h
        else
          refused[key] = true
        end
      end
    end
  end
  local clusters = {}
  if opts.one_story then -- the user says so
    if n >= 2 then
      local all = {}
      for i = 1, n do all[i] = i end
      clusters[1] = all
    end
    return found, clusters
  end
  for r = 1, n do
    local list = members[r]
    if list and #list >= 2 then
      sort(list)
      clusters[#clusters + 1] = list
    end
  end
  return found, clusters
end

return stories
