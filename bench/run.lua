-- bench/run.lua - speed and memory of tidings against its peers, in one run.
--
--   lua5.4 bench/run.lua [options]      (or luajit; `make bench` runs it)
--
-- Every tool reads the same text: the source file repeated end to end and
-- cut just after the first newline at or beyond the target size (the C
-- drivers build it with the same rule, bench/bench.h).  Each measurement is
-- the best of 3 runs: os.clock (CPU time) for the Lua rows, CLOCK_MONOTONIC
-- inside the C drivers, which run as subprocesses built by the Makefile.
-- MB means 10^6 bytes throughout.
--
-- Rows for later stages are feature-tested: when a Doc has `entities` or
-- `numbers` methods, or bin/tidings exists, they are timed too (see the
-- `later_rows` list); nothing needs changing here when those land.

local HELP = [[
usage: bench/run.lua [options]
  --text FILE    source text (default: $TIDINGS_BENCH_TEXT, else
                 ../shared/data/news_text/wikinews_tosca.txt from the project root)
  --size MB      size of the main input, default 20
  --scale LIST   sizes of the linearity series, default 1,10,100
  --later-size MB  input size for the slower later stages (entities,
                 numbers, the CLI), default 2
  --runs N       runs per measurement (the best counts), default 3
  --out FILE     where the Markdown goes, default bench/results.md ('-': nowhere)
  --drivers DIR  where the C drivers are, default build/bench
  --quick        a smoke run: --size 2 --scale 1,2,4 --later-size 1
  --check        exit with status 1 when a target is missed
  --help]]

local unpack = table.unpack or unpack

---------------------------------------------------------------------------
-- Where things are

local script = (arg and arg[0]) or "bench/run.lua"
local bench_dir = script:match("^(.*)/[^/]*$") or "."
local root = (bench_dir == "bench" and ".") or bench_dir:match("^(.*)/bench$") or (bench_dir .. "/..")
local luaver = (type(jit) == "table") and "jit" or _VERSION:match("%d+%.%d+")

package.path = table.concat({ root .. "/lua/?.lua", root .. "/lua/?/init.lua",
  bench_dir .. "/?.lua", package.path }, ";")
package.cpath = root .. "/build/" .. luaver .. "/?.so;" .. package.cpath

local opts = {
  text = os.getenv("TIDINGS_BENCH_TEXT") or (root .. "/../shared/data/news_text/wikinews_tosca.txt"),
  size = 20, scale = { 1, 10, 100 }, runs = 3, later_size = 2,
  out = bench_dir .. "/results.md", drivers = root .. "/build/bench", check = false,
}

local function usage_error(msg)
  io.stderr:write("bench/run.lua: ", msg, "\n", HELP, "\n")
  os.exit(2)
end

local function parse_sizes(s)
  local t = {}
  for x in s:gmatch("[^,]+") do
    local n = tonumber(x)
    if not n or n <= 0 then usage_error("bad size list '" .. s .. "'") end
    t[#t + 1] = n
  end
  return t
end

do
  local a, i = arg or {}, 1
  while a[i] do
    local o, v = a[i], a[i + 1]
    local function need() if v == nil then usage_error(o .. " needs a value") end; i = i + 1; return v end
    if o == "--text" then opts.text = need()
    elseif o == "--size" then opts.size = tonumber(need()) or usage_error("bad --size")
    elseif o == "--scale" then opts.scale = parse_sizes(need())
    elseif o == "--runs" then opts.runs = math.floor(tonumber(need()) or usage_error("bad --runs"))
    elseif o == "--out" then opts.out = need()
    elseif o == "--drivers" then opts.drivers = need()
    elseif o == "--later-size" then opts.later_size = tonumber(need()) or usage_error("bad --later-size")
    elseif o == "--quick" then opts.size = 2; opts.scale = { 1, 2, 4 }; opts.later_size = 1
    elseif o == "--check" then opts.check = true
    elseif o == "--child-memory" then -- internal: ROW:BYTES, see memory_of
      local id, bytes = need():match("^(%d+):(%d+)$")
      opts.child, opts.child_bytes = tonumber(id), tonumber(bytes)
      if not opts.child then usage_error("bad --child-memory") end
    elseif o == "--help" or o == "-h" then print(HELP); os.exit(0)
    else usage_error("unknown option '" .. tostring(o) .. "'") end
    i = i + 1
  end
  if opts.runs < 1 then usage_error("--runs must be at least 1") end
end

---------------------------------------------------------------------------
-- Numbers to text without the locale (string.format("%f") would use it)

local function fixed(x, d)
  if x ~= x or x == math.huge then return "n/a" end
  local neg = x < 0
  if neg then x = -x end
  local m = 10 ^ d
  local n = math.floor(x * m + 0.5)
  local ip = math.floor(n / m)
  local s = string.format("%d", ip)
  if d > 0 then s = s .. "." .. string.format("%0" .. d .. "d", n - ip * m) end
  return neg and ("-" .. s) or s
end

local function grouped(n)
  local s = string.format("%d", math.floor(n + 0.5))
  local sign, digits = s:match("^(-?)(%d+)$")
  local head = #digits % 3
  if head == 0 then head = 3 end
  return sign .. digits:sub(1, head) .. digits:sub(head + 1):gsub("%d%d%d", ",%0")
end

local function mb(bytes) return fixed(bytes / 1e6, 1) .. " MB" end
local function ratio(x) return fixed(x, x < 10 and 2 or 1) .. "×" end

---------------------------------------------------------------------------
-- The machine

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function file_exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local function proc_status()
  local f = io.open("/proc/self/status", "r")
  if not f then return {} end
  local t = {}
  for line in f:lines() do
    local k, v = line:match("^(Vm%a+):%s+(%d+) kB")
    if k then t[k] = tonumber(v) * 1024 end
  end
  f:close()
  return t
end

-- Reset the peak RSS (VmHWM) to the current RSS: Linux >= 4.0.
local function reset_peak()
  local f = io.open("/proc/self/clear_refs", "w")
  if not f then return false end
  local ok = f:write("5")
  return (f:close() and ok) and true or false
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function cpu_model()
  local s = readfile("/proc/cpuinfo") or ""
  return s:match("model name%s*:%s*([^\n]+)") or "unknown CPU"
end

local function full_gc() collectgarbage(); collectgarbage() end

-- Collect until the heap stops shrinking: Lua 5.1 and LuaJIT keep a
-- concatenation buffer as large as the largest string built (the text) and
-- halve it once per cycle, which would show as memory given back mid-run.
local function settle()
  local last = math.huge
  for _ = 1, 60 do
    collectgarbage()
    local now = collectgarbage("count")
    if now >= last then break end
    last = now
  end
end

---------------------------------------------------------------------------
-- The input

local src = readfile(opts.text)
if not src or #src == 0 then
  io.stderr:write(([[
bench: the benchmark text %s is not there, so nothing was measured.
       It is Wikinews text from the project's shared data folder (../shared/data,
       not part of the repository).  Point to any large UTF-8 text instead with
       make bench BENCH_TEXT=/path/to/file  (or --text FILE, or TIDINGS_BENCH_TEXT).
]]):format(opts.text))
  os.exit(0)
end

-- The text of about `target` bytes (the rule in bench/bench.h).
local function build_text(target, from)
  from = from or src
  target = math.floor(target)
  local big = from:rep(math.floor(target / #from) + 1)
  local cut = big:find("\n", target, true)
  return cut and big:sub(1, cut) or big
end

---------------------------------------------------------------------------
-- Measuring a Lua function: best-of-N CPU time here, memory in a child

local have_tidings, tidings = pcall(require, "tidings")
if not have_tidings then
  io.stderr:write("bench: tidings did not load (", tostring(tidings):match("^[^\n]*"),
    "); run `make build` first - its rows are skipped\n")
  tidings = nil
end
local baselines = require "baselines"
local have_lpeg = baselines.lpeg_available()

-- Best of opts.runs runs; a small input gets more runs, until half a
-- second was spent on it (at most 30), as in the C drivers (bench.h).
local function time_runs(fn, text, fixed)
  local best, count, spent, runs = math.huge, nil, 0, 0
  while (fixed and runs < fixed) or (not fixed and (runs < opts.runs or (runs < 30 and spent < 0.5))) do
    full_gc()
    local t0 = os.clock()
    local res, n = fn(text)
    local t = os.clock() - t0
    if t < best then best = t end
    count = n
    spent, runs = spent + t, runs + 1
    res = nil -- luacheck: ignore (drop it before the next run)
  end
  return best, count
end

-- Memory is measured in a fresh process (this script again, with
-- --child-memory), so that memory freed by earlier measurements and kept
-- by malloc or by Lua cannot hide what the row needs.  In the child, after
-- the text is built and everything collected:
--   peak  the RSS high-water mark above the RSS before the run (the peak
--         is reset first through /proc/self/clear_refs, Linux >= 4.0)
--   heap  collectgarbage("count") delta with the result still held, after
--         a full collection: what Lua's collector sees
--   rss   resident memory delta with the result held, after a full
--         collection: this sees the C arrays too (the core allocates
--         through lua_getallocf, which bypasses Lua's accounting)
local function interpreter()
  local i = -1
  while arg and arg[i - 1] do i = i - 1 end
  local parts = {}
  for k = i, -1 do parts[#parts + 1] = shell_quote(arg[k]) end
  return #parts > 0 and table.concat(parts, " ") or "lua"
end

local function child_memory(row, bytes)
  local text = build_text(bytes)
  settle()
  local heap0 = collectgarbage("count") * 1024
  local resettable = reset_peak()
  local rss0 = proc_status().VmRSS or 0
  local res = row.run(text)
  local st = proc_status()
  settle()
  local heap = collectgarbage("count") * 1024 - heap0
  local rss = (proc_status().VmRSS or 0) - rss0
  io.write(("memory heap=%d rss=%d peak=%d reset=%d held=%s\n"):format(
    heap, rss, st.VmHWM and st.VmHWM - rss0 or -1, resettable and 1 or 0, type(res)))
end

-- glibc keeps freed memory for reuse (and raises its mmap threshold after
-- big frees), which would let a row run in pages that reading and building
-- the text left behind (Lua 5.1 reads a file in 8 KiB pieces).  In the
-- child, every block of 4 KiB or more is mmap'ed and so returned on free,
-- and the heap top is trimmed.  Only the child runs so; timings do not.
local CHILD_ENV = "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4096:glibc.malloc.trim_threshold=131072"

local function memory_of(id, bytes)
  local cmd = ("%s %s %s --text %s --child-memory %d:%d 2>&1"):format(CHILD_ENV, interpreter(),
    shell_quote(script), shell_quote(opts.text), id, bytes)
  local p = io.popen(cmd)
  local out = p:read("*a")
  p:close()
  local t = {}
  for k, v in (out:match("memory ([^\n]*)") or ""):gmatch("(%w+)=(%S+)") do t[k] = tonumber(v) or v end
  if not t.heap then return nil, out:match("^[^\n]*") end
  if t.reset ~= 1 or t.peak < 0 then t.peak = nil end
  return t
end

local function measure_lua(row, text)
  local ok, seconds, tokens = pcall(time_runs, row.run, text)
  if not ok then
    return { tool = row.tool, what = row.what, failed = tostring(seconds):match("^[^\n]*") }
  end
  local m = memory_of(row.id, #text) or {}
  local r = { tool = row.tool, what = row.what, bytes = #text, seconds = seconds, tokens = tokens,
    peak = m.peak, heap = m.heap, rss = m.rss, kind = "lua" }
  if row.memsize then r.memsize = row.memsize(text) end
  return r
end

---------------------------------------------------------------------------
-- The C drivers (subprocesses; they rebuild the same text from the file)

local function run_driver(name, bytes, runs)
  local exe = opts.drivers .. "/" .. name
  if not file_exists(exe) then return nil, exe .. " is not built (make bench builds it)" end
  local p = io.popen(shell_quote(exe) .. " " .. shell_quote(opts.text) .. " " ..
    string.format("%d", bytes) .. (runs and string.format(" %d", runs) or "") .. " 2>&1")
  local out = p:read("*a")
  p:close()
  local got = { results = {}, memory = {}, version = {} }
  for line in out:gmatch("[^\n]+") do
    local kind, rest = line:match("^(%a+) (.*)$")
    local t = {}
    for k, v in (rest or ""):gmatch("([%w_]+)=(%S+)") do t[k] = tonumber(v) or v end
    if kind == "result" and t.tool then got.results[t.tool] = t
    elseif kind == "memory" then got.memory = t
    elseif kind == "version" then got.version = t end
  end
  if next(got.results) == nil then
    return nil, name .. " failed: " .. (out:match("^[^\n]*") or "no output")
  end
  return got
end

local function driver_row(got, id, tool, what)
  local r = got.results[id]
  if not r then return nil end
  local mem = got.memory
  return { tool = tool, what = what, bytes = r.bytes, seconds = r.ns / 1e9,
    tokens = r.tokens, raw = r, kind = "c",
    peak = (mem.maxrss_kb and mem.base_kb and mem.peak_reset == 1) and (mem.maxrss_kb - mem.base_kb) * 1024 or nil }
end

---------------------------------------------------------------------------
-- The rows

local function doc_has(method)
  if not tidings then return false end
  local ok, doc = pcall(tidings.analyze, "A test.")
  if not (ok and doc) then return false end
  local found, m = pcall(function() return doc[method] end)
  return found and type(m) == "function"
end

local lua_rows = {
  { tool = "tidings.analyze", what = "tokens + sentences into a Doc (C, from Lua)",
    enabled = function() return tidings ~= nil end,
    run = function(s) local d = tidings.analyze(s); return d, #d end,
    memsize = function(s) -- the Doc's own count of its bytes, when it has one
      local d = tidings.analyze(s)
      local ok, n = pcall(function() return d:memsize() end)
      return ok and tonumber(n) or nil
    end },
  { tool = "tidings.tokenize", what = "array of token strings",
    enabled = function() return tidings ~= nil end,
    run = function(s) local t = tidings.tokenize(s); return t, #t end },
  { tool = "LPeg tokenizer", what = "array of token strings (bench/baselines.lua)",
    enabled = function() return have_lpeg end,
    run = function(s) local t = baselines.lpeg(s); return t, #t end },
  { tool = "Lua gmatch tokenizer", what = "array of token strings (bench/baselines.lua)",
    enabled = function() return true end,
    run = function(s) local t = baselines.gmatch(s); return t, #t end },
}

-- Stages that later issues add; each is timed when it exists.
local later_rows = {
  { tool = "analyze + doc:entities()", what = "entity tagging through tidings.analyze",
    enabled = function() return doc_has("entities") end,
    run = function(s) local d = tidings.analyze(s); d:entities(); return d, #d end },
  { tool = "analyze + doc:numbers()", what = "the number pass through tidings.analyze",
    enabled = function() return doc_has("numbers") end,
    run = function(s) local d = tidings.analyze(s); d:numbers(); return d, #d end },
}

local all_rows = {}
for _, list in ipairs { lua_rows, later_rows } do
  for _, r in ipairs(list) do
    all_rows[#all_rows + 1] = r
    r.id = #all_rows
  end
end

if opts.child then -- the memory of one row, in this fresh process
  local row = all_rows[opts.child]
  if not row or not opts.child_bytes then usage_error("bad --child-memory") end
  child_memory(row, opts.child_bytes)
  os.exit(0)
end

-- `tidings extract` on the CLI: wall time of the whole command, one worker,
-- over the JSONL version of the text (one article a line, as a corpus is
-- given to it) found beside the text file, built to the same size by the
-- same rule; MB/s counts the JSONL file's bytes.
local function measure_extract(bytes)
  local cli = root .. "/bin/tidings"
  local jsonl_path = opts.text:gsub("%.txt$", ".jsonl")
  local clock = tidings and tidings.core and tidings.core.clock
  if not clock or jsonl_path == opts.text or not file_exists(cli) then return nil end
  local jsonl = readfile(jsonl_path)
  if not jsonl then return nil end
  local input = build_text(bytes, jsonl)
  jsonl = nil -- luacheck: ignore
  local tmp = os.tmpname()
  local path = tmp .. ".jsonl"
  local f = assert(io.open(path, "wb"))
  f:write(input)
  f:close()
  local cmd = ("%s %s extract --jobs 1 --quiet -o /dev/null %s 2>&1; echo \"rc=$?\""):format(
    interpreter(), shell_quote(cli), shell_quote(path))
  local best, err = math.huge, nil
  for _ = 1, opts.runs do
    local t0 = clock()
    local p = io.popen(cmd)
    local out = p:read("*a")
    p:close()
    local t = clock() - t0
    local rc = tonumber(out:match("rc=(%d+)%s*$"))
    if rc ~= 0 then err = (out:match("^([^\n]*)") or "") .. " (exit " .. tostring(rc) .. ")" break end
    if t < best then best = t end
  end
  os.remove(path)
  os.remove(tmp)
  return { tool = "tidings extract (CLI)", what = "JSONL in, JSONL out, --jobs 1, wall time",
    bytes = #input, seconds = not err and best or nil, failed = err, kind = "cli" }
end

---------------------------------------------------------------------------
-- Run everything

local function say(...) io.stderr:write(...) io.stderr:write("\n") end

local loadavg = (readfile("/proc/loadavg") or "?"):match("^(%S+ %S+ %S+)") or "?"
local ncpu = 0
for line in (readfile("/proc/cpuinfo") or ""):gmatch("[^\n]+") do
  if line:match("^processor%s*:") then ncpu = ncpu + 1 end
end

local main_bytes = opts.size * 1e6
local text = build_text(main_bytes)
say(("bench: %s of text from %s, best of %d runs each"):format(mb(#text), opts.text, opts.runs))

local rows = {}
for _, row in ipairs(lua_rows) do
  if row.enabled() then
    say("  timing ", row.tool)
    rows[#rows + 1] = measure_lua(row, text)
  else
    rows[#rows + 1] = { tool = row.tool, what = row.what, missing = "not available" }
  end
end
-- The later stages are slower: they get a smaller input of their own,
-- with tidings.analyze timed again on it to compare against.
local later = {}
local later_text = build_text(opts.later_size * 1e6)
local analyze_later
for _, row in ipairs(later_rows) do
  if row.enabled() then
    say("  timing ", row.tool, " on ", mb(#later_text))
    later[#later + 1] = measure_lua(row, later_text)
    if not analyze_later and tidings then
      analyze_later = time_runs(lua_rows[1].run, later_text)
    end
  end
end
local extract = tidings and measure_extract(#later_text)
if extract then later[#later + 1] = extract end
later_text = nil -- luacheck: ignore

say("  running the C drivers")
local drv_notes = {}
local tok, tok_err = run_driver("tokenize_c", #text)
local icu, icu_err = run_driver("icu_words", #text)
if tok then
  rows[#rows + 1] = driver_row(tok, "td_tokenize", "td_tokenize (C)", "bytes → tokens, from C")
  rows[#rows + 1] = driver_row(tok, "td_tokenize_sentences", "td_tokenize + td_sentences (C)", "tokens + sentences, from C")
  rows[#rows + 1] = driver_row(tok, "td_wb_next", "td_wb_next (C)", "UAX #29 word segments, from C")
else
  drv_notes[#drv_notes + 1] = tok_err
end
if icu then
  rows[#rows + 1] = driver_row(icu, "icu_words", "ICU word BreakIterator", "over UTF-16, conversion not included")
  local conv, brk = icu.results.icu_convert, icu.results.icu_words
  if conv and brk then
    local r = driver_row(icu, "icu_words", "ICU word BreakIterator + conversion", "UTF-8 → UTF-16, then the above")
    r.seconds = (conv.ns + brk.ns) / 1e9
    r.cpu_seconds = (conv.cpu_ns + brk.cpu_ns) / 1e9
    rows[#rows + 1] = r
  end
  rows[#rows + 1] = driver_row(icu, "icu_words_utext", "ICU word BreakIterator (UText)", "straight over UTF-8 (utext_openUTF8)")
else
  drv_notes[#drv_notes + 1] = icu_err
end
for _, got in ipairs { tok or false, icu or false } do
  for name, r in pairs(got and got.results or {}) do
    if r.bytes ~= #text then
      drv_notes[#drv_notes + 1] = ("%s read %d bytes, not %d: its text differs from the Lua rows'"):format(name, r.bytes, #text)
    end
  end
end
for _, n in ipairs(drv_notes) do say("  ", n) end

local function find(tool)
  for _, r in ipairs(rows) do if r.tool == tool and r.seconds then return r end end
end
local function mbps(r) return r and r.seconds and r.seconds > 0 and r.bytes / 1e6 / r.seconds or nil end

-- The fairest ICU figure is its fastest variant.
local icu_best
for _, name in ipairs { "ICU word BreakIterator", "ICU word BreakIterator (UText)" } do
  local r = find(name)
  if r and (not icu_best or mbps(r) > mbps(icu_best)) then icu_best = r end
end
local gmatch_row = find("Lua gmatch tokenizer")

-- Doc memory: exact from the C counting allocator; from Lua, the held Doc.
local doc_c = tok and tok.results.td_tokenize_sentences
local analyze_row = find("tidings.analyze")

-- Linearity: tokenize_c and tidings.analyze over the scaling series, every
-- size with the same number of runs: with "more runs for small inputs" the
-- small sizes got the best of up to 30 runs and 100 MB the best of 3, and
-- on a busy machine that alone made 100 MB look slower per byte.
local LINEAR_RUNS = math.max(opts.runs, 5)
local scale = {}
for _, size in ipairs(opts.scale) do
  say(("  scaling: %s"):format(mb(size * 1e6)))
  local t = (size * 1e6 == main_bytes) and text or build_text(size * 1e6)
  local entry = { bytes = #t }
  local got = run_driver("tokenize_c", #t, LINEAR_RUNS)
  if got and got.results.td_tokenize_sentences then
    entry.c = got.results.td_tokenize_sentences.ns / 1e9
    entry.c_cpu = got.results.td_tokenize_sentences.cpu_ns / 1e9
  end
  if tidings then
    entry.lua = time_runs(lua_rows[1].run, t, LINEAR_RUNS)
  end
  t = nil -- luacheck: ignore
  full_gc()
  scale[#scale + 1] = entry
end

---------------------------------------------------------------------------
-- Targets

local targets = {}
local failed = 0
local function target(name, value, shown, ok)
  if value == nil then
    targets[#targets + 1] = { name, shown or "not measured", "n/a" }
    return
  end
  if not ok then failed = failed + 1 end
  targets[#targets + 1] = { name, shown, ok and "pass" or "**FAIL**" }
end

do
  local c = find("td_tokenize + td_sentences (C)")
  local function vs_icu(r)
    if not (r and icu_best) then return nil end
    local x = mbps(r) / mbps(icu_best)
    local shown = ("%s (%s vs %s MB/s)"):format(ratio(x), fixed(mbps(r), 1), fixed(mbps(icu_best), 1))
    if r.raw.cpu_ns and icu_best.raw.cpu_ns and r.raw.cpu_ns > 0 then
      shown = shown .. "; on CPU time " .. ratio(icu_best.raw.cpu_ns / icu_best.bytes / (r.raw.cpu_ns / r.bytes))
    end
    return x, shown
  end
  local x, shown = vs_icu(c)
  target("C tokenizer (td_tokenize + td_sentences) ≥ 10× ICU words (its fastest variant), wall clock", x, shown, x and x >= 10)
  local y, shown2 = vs_icu(find("td_tokenize (C)"))
  target("td_tokenize alone ≥ 10× ICU words (its fastest variant), wall clock", y, shown2, y and y >= 10)
  local a = analyze_row
  local z = a and gmatch_row and mbps(a) / mbps(gmatch_row)
  target("tidings.analyze (tokens + sentences, from Lua) ≥ 5× the gmatch tokenizer", z,
    z and ("%s (%s vs %s MB/s)"):format(ratio(z), fixed(mbps(a), 1), fixed(mbps(gmatch_row), 1)), z and z >= 5)
  if doc_c then
    local k = doc_c.doc_bytes / doc_c.bytes
    target("a Doc costs ≤ 3× the text (C core, exact: finished Doc)", k,
      ("%s (%s for %s of text)"):format(ratio(k), mb(doc_c.doc_bytes), mb(doc_c.bytes)), k <= 3)
  else
    target("a Doc costs ≤ 3× the text (C core, exact: finished Doc)", nil)
  end
  if a and a.memsize then
    local k = a.memsize / a.bytes
    target("a Doc costs ≤ 3× the text (from Lua: doc:memsize())", k,
      ("%s (%s)"):format(ratio(k), mb(a.memsize)), k <= 3)
  end
  if a and type(jit) == "table" then
    target("a Doc costs ≤ 3× the text (from Lua)", nil,
      "not judged under LuaJIT: its own allocator reuses freed memory, so RSS deltas undercount")
  elseif a then
    local held = math.max(a.heap or 0, a.rss or 0)
    local k = held / a.bytes
    target("a Doc costs ≤ 3× the text (from Lua: held Doc, the larger of the Lua heap and RSS deltas)", k,
      ("%s (%s)"):format(ratio(k), mb(held)), k <= 3)
  else
    target("a Doc costs ≤ 3× the text (from Lua)", nil)
  end
  -- Linear: the time per byte at every size within 30% of the series'
  -- median (fixed costs may make the smallest input a little slower per
  -- byte; anything worse than linear shows at the large end).  CPU time on
  -- both sides: waiting for a busy CPU is not the algorithm's doing.
  for _, which in ipairs { "c_cpu", "lua" } do
    local per = {}
    for _, e in ipairs(scale) do
      if e[which] then per[#per + 1] = e[which] / e.bytes end
    end
    local label = which == "c_cpu" and "td_tokenize + td_sentences (C, CPU time)" or "tidings.analyze (CPU time)"
    local name = ("time grows linearly: %s, time per byte at each size within 30%% of the median"):format(label)
    if #per >= 2 then
      local sorted = { unpack(per) }
      table.sort(sorted)
      local median = #sorted % 2 == 1 and sorted[(#sorted + 1) / 2]
        or (sorted[#sorted / 2] + sorted[#sorted / 2 + 1]) / 2
      local worst, shown = 0, {}
      for i, x in ipairs(per) do
        local dev = math.abs(x / median - 1)
        if dev > worst then worst = dev end
        shown[i] = fixed(x / median, 2)
      end
      target(name, worst, ("per byte vs median: %s (sizes in order)"):format(table.concat(shown, ", ")), worst <= 0.30)
    else
      target(name, nil)
    end
  end
  for _, r in ipairs(later) do
    if r.tool == "analyze + doc:entities()" and r.seconds then
      local tps = r.tokens / r.seconds
      target("entity tagging through tidings.analyze ≥ 1M tokens/s", tps,
        grouped(tps) .. " tokens/s", tps >= 1e6)
    elseif r.tool == "analyze + doc:numbers()" and r.seconds and analyze_later then
      local over = r.seconds / analyze_later - 1
      target("the number pass adds ≤ 20% to tidings.analyze's time", over,
        ("+%s%% (%s ms vs %s ms on %s)"):format(fixed(over * 100, 1), fixed(r.seconds * 1e3, 1),
          fixed(analyze_later * 1e3, 1), mb(r.bytes)), over <= 0.20)
    elseif r.tool == "tidings extract (CLI)" then
      local v = r.seconds and mbps(r)
      target("tidings extract end to end ≥ 10 MB/s per core", v,
        v and (fixed(v, 2) .. " MB/s") or ("failed: " .. tostring(r.failed)), v and v >= 10)
    end
  end
end

---------------------------------------------------------------------------
-- The Markdown

local out = {}
local function w(...) out[#out + 1] = table.concat({ ... }) end

local versions = tidings and tidings.versions() or {}
local icu_version = icu and icu.version.icu or "n/a"
w("# tidings benchmark")
w("")
w("Written by `bench/run.lua` (`make bench`); figures from one run on one machine.")
w("")
w("- date: ", os.date("!%Y-%m-%d %H:%M UTC"))
w("- machine: ", cpu_model())
w("- Lua: ", (type(jit) == "table" and jit.version) or _VERSION, "; tidings ",
  tostring(versions.tidings or versions.version or (tidings and tidings._VERSION) or "not loaded"),
  "; ICU ", icu_version, "; LPeg ", have_lpeg and tostring((require "lpeg").version()) or "not installed")
w("- input: `", opts.text, "` repeated to ", grouped(#text), " bytes (", mb(#text), "), cut after a newline")
w("- time: best of ", tostring(opts.runs), " runs (small inputs: more, until 0.5 s were spent); ",
  "CPU time (os.clock) for Lua rows, CLOCK_MONOTONIC in the C drivers")
w("- load average when the run began: ", loadavg, " (", tostring(ncpu), " CPUs); other work on the machine slows every row")
w("")
w("## Throughput")
w("")
w("| tool | what is timed | input | MB/s | tokens | tokens/s | peak memory above the text | × ICU words | × gmatch |")
w("|---|---|--:|--:|--:|--:|--:|--:|--:|")
local function row_line(r)
  if r.missing or not r.seconds then
    w("| ", r.tool, " | ", r.what or "", " | ", "", " | ",
      r.failed and ("failed: " .. r.failed:gsub("|", "\\|")) or (r.missing or "n/a"), " | | | | | |")
    return
  end
  local s = mbps(r)
  local cell = fixed(s, 1)
  if r.raw and r.raw.cpu_ns and r.raw.cpu_ns > 0 and r.raw.ns > 1.1 * r.raw.cpu_ns then
    cell = cell .. " (CPU: " .. fixed(r.bytes / 1e6 / (r.cpu_seconds or r.raw.cpu_ns / 1e9), 1) .. ")"
  end
  w("| ", r.tool, " | ", r.what, " | ", mb(r.bytes), " | ", cell, " | ",
    r.tokens and grouped(r.tokens) or "", " | ",
    r.tokens and grouped(r.tokens / r.seconds) or "", " | ",
    r.peak and mb(r.peak) or "n/a", " | ",
    icu_best and ratio(s / mbps(icu_best)) or "", " | ",
    gmatch_row and ratio(s / mbps(gmatch_row)) or "", " |")
end
for _, r in ipairs(rows) do row_line(r) end
for _, r in ipairs(later) do row_line(r) end
w("")
w("Tokens are each tool's own: tidings' tokens; ICU's and td_wb_next's segments that do not start with ",
  "white space; the baselines' array entries (gmatch splits every non-ASCII byte). ",
  "Peak memory: the RSS high-water mark above the RSS before the run (Linux clear_refs reset), ",
  "so it counts the result and the scratch, not the input text; for the C drivers it includes ",
  "ICU's UTF-16 copy and every measured pass.")
if icu then
  local conv = icu.results.icu_convert
  local brk = icu.results.icu_words
  w("")
  w(("ICU detail: UTF-8 → UTF-16 conversion alone %s MB/s (%s ms); %s segments in all, %s word-status "
    .. "segments (rule status ≥ UBRK_WORD_NONE_LIMIT), %s not starting with white space. "
    .. "td_wb_next found %s segments, %s not starting with white space.")
    :format(fixed(conv.bytes / 1e6 / (conv.ns / 1e9), 1), fixed(conv.ns / 1e6, 1), grouped(brk.segments),
      grouped(brk.words), grouped(brk.tokens),
      tok and tok.results.td_wb_next and grouped(tok.results.td_wb_next.segments) or "n/a",
      tok and tok.results.td_wb_next and grouped(tok.results.td_wb_next.tokens) or "n/a"))
end
for _, n in ipairs(drv_notes) do w(""); w("Note: ", n) end
do -- wall time well above CPU time means the driver waited for a CPU
  local worst, name = 1, nil
  for _, r in ipairs(rows) do
    if r.raw and r.raw.cpu_ns and r.raw.cpu_ns > 0 and r.raw.ns / r.raw.cpu_ns > worst then
      worst, name = r.raw.ns / r.raw.cpu_ns, r.tool
    end
  end
  if worst > 1.1 then
    w("")
    w(("Note: the machine was busy: %s took %s its CPU time in wall-clock time; "
      .. "the C rows (wall clock) are pessimistic against the Lua rows (CPU time)."):format(name, ratio(worst)))
  end
end
w("")
w("## Doc memory")
w("")
w("| measure | bytes | × text |")
w("|---|--:|--:|")
if doc_c then
  w("| C core, counting allocator: finished Doc (", grouped(doc_c.tokens), " tokens, ",
    grouped(doc_c.sentences), " sentences) | ", grouped(doc_c.doc_bytes), " | ", ratio(doc_c.doc_bytes / doc_c.bytes), " |")
  w("| C core, counting allocator: most held at once while building (a realloc counts old + new) | ",
    grouped(doc_c.doc_peak), " | ", ratio(doc_c.doc_peak / doc_c.bytes), " |")
end
if analyze_row then
  local a = analyze_row
  if a.memsize then
    w("| Lua: doc:memsize(), the Doc's own count | ", grouped(a.memsize), " | ", ratio(a.memsize / a.bytes), " |")
  end
  w("| Lua: collectgarbage(\"count\") delta, Doc held (sees the userdata, not the C arrays) | ",
    grouped(a.heap), " | ", ratio(a.heap / a.bytes), " |")
  w("| Lua: resident memory delta, Doc held after a full collection | ", grouped(a.rss), " | ", ratio(a.rss / a.bytes), " |")
  if a.peak then
    w("| Lua: peak RSS above the start while tidings.analyze ran | ", grouped(a.peak), " | ", ratio(a.peak / a.bytes), " |")
  end
end
w("")
w("## Linearity")
w("")
w("Every size: the best of ", tostring(LINEAR_RUNS), " runs.")
w("")
w("| input | td_tokenize + td_sentences (C), wall | per MB | the same, CPU | per MB | tidings.analyze (Lua), CPU | per MB |")
w("|--:|--:|--:|--:|--:|--:|--:|")
for _, e in ipairs(scale) do
  local m = e.bytes / 1e6
  w("| ", mb(e.bytes), " | ", e.c and (fixed(e.c * 1e3, 1) .. " ms") or "n/a", " | ",
    e.c and (fixed(e.c * 1e3 / m, 2) .. " ms") or "", " | ",
    e.c_cpu and (fixed(e.c_cpu * 1e3, 1) .. " ms") or "n/a", " | ",
    e.c_cpu and (fixed(e.c_cpu * 1e3 / m, 2) .. " ms") or "", " | ",
    e.lua and (fixed(e.lua * 1e3, 1) .. " ms") or "n/a", " | ",
    e.lua and (fixed(e.lua * 1e3 / m, 2) .. " ms") or "", " |")
end
w("")
w("## Targets (issue 2 and later)")
w("")
w("| target | measured | result |")
w("|---|---|---|")
for _, t in ipairs(targets) do w("| ", t[1], " | ", t[2], " | ", t[3], " |") end
w("")

local md = table.concat(out, "\n") .. "\n"
io.write(md)
if opts.out ~= "-" then
  local f, err = io.open(opts.out, "w")
  if f then
    f:write(md)
    f:close()
    say("bench: wrote ", opts.out)
  else
    say("bench: cannot write ", tostring(err))
  end
end
if opts.check and failed > 0 then
  say(("bench: %d target(s) missed"):format(failed))
  os.exit(1)
end
