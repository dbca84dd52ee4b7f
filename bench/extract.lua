-- bench/extract.lua: how fast `tidings extract` is, stage by stage and end to
-- end, and whether its memory stays flat while streaming.
--
--   lua5.4 bench/extract.lua [--size MB] [--stream MB] [--lua CMD] [--check] [FILE]
--
-- FILE        JSONL with a `text` field (default
--             ../shared/data/news_text/wikinews_tosca.jsonl, the Wikinews dump).
-- --size MB   the stages and the end-to-end run use the first MB of FILE
--             (whole lines; default 2).
-- --stream MB also stream FILE repeated to about MB megabytes through
--             `tidings extract -` and report its CPU rate and maximum RSS
--             (default 0: skipped; 200 is the figure in the README).
-- --lua CMD   the interpreter for the end-to-end runs (default lua5.4).
-- --check     first check that the fast path (report.extract_json) writes the
--             same bytes as json.encode(report.record(...)) for every document
--             of corpus/ and of the slice; exit status 1 when one differs.
--
-- Run from the repository root after `make build`.  Stage rows are CPU time
-- (os.clock), best of three, over the documents' text bytes; each row adds one
-- stage to analyze, so the difference to the previous row is that stage's
-- cost.  End-to-end rows are the CPU time (user + system) of a whole
-- `bin/tidings extract` process from GNU time, over the input file's bytes.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/" .. (type(jit) == "table" and "jit" or _VERSION:match("%d+%.%d+")) .. "/?.so;"
  .. package.cpath

local args, opts = {}, { size = 2, stream = 0, lua = "lua5.4", check = false }
do
  local i = 1
  while arg[i] do
    local a = arg[i]
    if a == "--size" or a == "--stream" or a == "--lua" then
      opts[a:sub(3)] = a == "--lua" and arg[i + 1] or tonumber(arg[i + 1])
      if opts[a:sub(3)] == nil then io.stderr:write(a, " needs a value\n"); os.exit(2) end
      i = i + 2
    elseif a == "--check" then
      opts.check = true
      i = i + 1
    elseif a == "-h" or a == "--help" then
      print((io.open("bench/extract.lua"):read("*a"):match("^(.-)\npackage"):gsub("%-%- ?", "")))
      os.exit(0)
    else
      args[#args + 1] = a
      i = i + 1
    end
  end
end

local path = args[1] or "../shared/data/news_text/wikinews_tosca.jsonl"
local f = io.open(path, "rb")
if not f then
  print("bench/extract.lua: " .. path .. " not found (the shared data is absent): nothing measured")
  os.exit(0)
end

local tidings = require "tidings"
local json = require "tidings.json"
local report = require "tidings.report"

-- the first --size MB of whole lines
local lines, bytes, limit = {}, 0, opts.size * 1e6
for line in f:lines() do
  if bytes + #line + 1 > limit and #lines > 0 then break end
  lines[#lines + 1] = line
  bytes = bytes + #line + 1
end
f:close()
local slice = os.tmpname()
os.remove(slice)
slice = slice .. ".jsonl"
do
  local out = assert(io.open(slice, "wb"))
  out:write(table.concat(lines, "\n"), "\n")
  out:close()
end
-- the records as the command line makes them
local corpus = require "tidings.corpus"
local function records(paths)
  local list = {}
  for rec in corpus.open(paths, { warn = function() end }):records() do list[#list + 1] = rec end
  return list
end
local recs, textbytes = records({ slice }), 0
for _, r in ipairs(recs) do textbytes = textbytes + #r.text end

if opts.check then
  local bad, n = 0, 0
  local sets = { recs }
  if io.open("corpus/README.md") then sets[2] = records({ "corpus" }) end
  for _, set in ipairs(sets) do
    for _, r in ipairs(set) do
      n = n + 1
      local fast = report.extract_json(r, tidings, {})
      local slow = json.encode(report.record(r, tidings, {}))
      if fast ~= slow then
        bad = bad + 1
        if bad <= 3 then print("DIFFERENT: " .. tostring(r.id)) end
      end
    end
  end
  print(("check: %d of %d records identical (report.extract_json vs json.encode(report.record))")
    :format(n - bad, n))
  if bad > 0 then os.remove(slice); os.exit(1) end
  print()
end

local function best_of(fn)
  local b = math.huge
  for _ = 1, 3 do
    collectgarbage()
    local t0 = os.clock()
    fn()
    b = math.min(b, os.clock() - t0)
  end
  return b
end
local function best(fn)
  return best_of(function() for _, r in ipairs(recs) do fn(r) end end)
end

print(("%s: %d documents, %.2f MB of text (%.2f MB of JSONL), %s"):format(path, #recs,
  textbytes / 1e6, bytes / 1e6, _VERSION .. (type(jit) == "table" and " (" .. jit.version .. ")" or "")))
print()
print("| stage (cumulative) | CPU s | MB/s of text |")
print("|---|---:|---:|")
local function row(name, fn)
  local t = best(fn)
  print(("| %s | %.3f | %.1f |"):format(name, t, textbytes / t / 1e6))
end
do -- reading the input is not a stage of analyze: its own row
  local t = best_of(function() for _ in corpus.open({ slice }, { warn = function() end }):records() do end end)
  print(("| read + decode the JSONL (the corpus iterator; not cumulative) | %.3f | %.1f |"):format(t,
    textbytes / t / 1e6))
end
row("tidings.clean", function(r) tidings.clean(r.text) end)
row("analyze", function(r) tidings.analyze(r.text) end)
row("analyze + doc:json_spans()", function(r) tidings.analyze(r.text):json_spans() end)
row("analyze + doc:entities()", function(r) tidings.analyze(r.text):entities() end)
row("analyze + doc:numbers()", function(r) tidings.analyze(r.text):numbers() end)
row("analyze + entities + quotes", function(r)
  local d = tidings.analyze(r.text); d:entities(); d:quotes() -- as extract_json: quotes read them in C
end)
row("analyze + doc:extract_json()", function(r) tidings.analyze(r.text):extract_json(json.format_number) end)
row("report.extract_json (a whole record)", function(r) report.extract_json(r, tidings, {}) end)
row("json.encode(report.record) (the Lua path)", function(r) json.encode(report.record(r, tidings, {})) end)

-- End to end: a whole process under GNU time.
local function timed(cmd)
  local tf = os.tmpname()
  local ok = os.execute(("/usr/bin/time -f '%%U %%S %%M %%e' -o %s sh -c %q"):format(tf, cmd))
  local h = io.open(tf)
  local s = h and h:read("*a") or ""
  if h then h:close() end
  os.remove(tf)
  local u, sy, rss, wall = s:match("([%d.]+) ([%d.]+) (%d+) ([%d.]+)%s*$")
  if not u or (ok ~= true and ok ~= 0) then
    print("  (failed: " .. cmd .. "): " .. s)
    return nil
  end
  return tonumber(u) + tonumber(sy), tonumber(rss), tonumber(wall)
end

print()
print("| end to end (" .. opts.lua .. ") | input MB | CPU s | MB/s per core | wall s | max RSS MB |")
print("|---|---:|---:|---:|---:|---:|")
local cmd = ("%s bin/tidings extract --jobs 1 --quiet %s > /dev/null"):format(opts.lua, slice)
local cpu, rss, wall = timed(cmd)
if cpu then
  print(("| `tidings extract` %.1f MB | %.2f | %.2f | %.1f | %.2f | %.0f |"):format(bytes / 1e6,
    bytes / 1e6, cpu, bytes / cpu / 1e6, wall, rss / 1024))
end
os.remove(slice)

if opts.stream > 0 then
  local size = io.open(path, "rb"):seek("end")
  local n = math.max(1, math.floor(opts.stream * 1e6 / size + 0.5))
  local total = n * size
  local copies = {}
  for i = 1, n do copies[i] = tostring(i) end
  local scmd = ("for i in %s; do cat %q; done | %s bin/tidings extract --jobs 1 --quiet - > /dev/null")
    :format(table.concat(copies, " "), path, opts.lua)
  cpu, rss, wall = timed(scmd)
  if cpu then
    print(("| streaming %d copies of the file through `-` | %.0f | %.1f | %.1f | %.1f | %.0f |"):format(n,
      total / 1e6, cpu, total / cpu / 1e6, wall, rss / 1024))
  end
  -- the same on one copy: flat memory means the two maximum RSS agree
  scmd = ("cat %q | %s bin/tidings extract --jobs 1 --quiet - > /dev/null"):format(path, opts.lua)
  cpu, rss, wall = timed(scmd)
  if cpu then
    print(("| one copy through `-` (memory baseline) | %.0f | %.1f | %.1f | %.1f | %.0f |"):format(
      size / 1e6, cpu, size / cpu / 1e6, wall, rss / 1024))
  end
end
