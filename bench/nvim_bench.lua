-- bench/nvim_bench.lua: how long :Tidings takes on a 10,000-line buffer, in
-- a real headless Neovim (the plugin's own code path, drawing included).
--
--   make build && lua5.4 bench/nvim_bench.lua [--lines N] [--runs N] [--text FILE]
--                                              [--distinct FILE|none]
--
-- Run by any Lua, it starts `nvim --headless` on itself; inside Neovim it
-- fills a scratch buffer with N lines (default 10,000) of news text, repeated
-- from corpus/*.txt (or --text FILE), and times each stage and the whole
-- M.refresh (= :Tidings all) several times, printing the median and the best
-- in milliseconds as a Markdown table.  M.refresh is the end-to-end figure:
-- the buffer's text, the analysis (tokens, entities, numbers, quotes), and
-- the span table of every span (row and column of each end); the highlights
-- and labels are drawn when Neovim redraws the lines on screen (timed on its
-- own row).  Also: :Tidings with one kind, the
-- live-mode re-analysis of one edited paragraph, and the statusline.
--
-- The default text repeats five articles, and repetition flatters the
-- analysis (the tagger's per-document caches hit, branches repeat): the
-- same number of bytes of text that never repeats costs about twice as much.
-- So the whole-buffer figures are also given for a second buffer of as many
-- bytes taken from the start of --distinct FILE (default: the Wikinews text
-- in ../shared/data/news_text/, when it is there; `none` skips them).

local function parse_args(argv)
  local o = { lines = 10000, runs = 7 }
  local i = 1
  while i <= #argv do
    local a = argv[i]
    if a == "--lines" then o.lines = tonumber(argv[i + 1]); i = i + 1
    elseif a == "--runs" then o.runs = tonumber(argv[i + 1]); i = i + 1
    elseif a == "--text" then o.text = argv[i + 1]; i = i + 1
    elseif a == "--distinct" then o.distinct = argv[i + 1]; i = i + 1
    else
      error("nvim_bench: unknown argument " .. tostring(a) .. " (--lines N, --runs N, --text FILE, --distinct FILE|none)", 0)
    end
    i = i + 1
  end
  assert(o.lines and o.lines > 0, "--lines needs a positive number")
  assert(o.runs and o.runs > 0, "--runs needs a positive number")
  return o
end

if not vim then
  -- Outside Neovim: start it on this file.
  local opts = parse_args(arg or {})
  local script = arg[0]
  local root = script:match("^(.*)/bench/[^/]*$") or "."
  local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
  local probe = io.popen("command -v nvim 2>/dev/null"):read("*a")
  if not probe:match("%S") then
    io.stderr:write("nvim_bench: nvim is not installed (apt-get install neovim)\n")
    os.exit(1)
  end
  local distinct = opts.distinct or (root .. "/../shared/data/news_text/wikinews_tosca.txt")
  local cmd = ("cd %s && TIDINGS_BENCH_LINES=%d TIDINGS_BENCH_RUNS=%d TIDINGS_BENCH_TEXT=%s " ..
    "TIDINGS_BENCH_DISTINCT=%s " ..
    "nvim --headless -u NONE -i NONE -n --cmd %s -c 'runtime plugin/tidings.lua' -c %s </dev/null")
    :format(q(root), opts.lines, opts.runs, q(opts.text or ""), q(distinct), q("set rtp+=" .. root),
      q("luafile bench/nvim_bench.lua"))
  local ok = os.execute(cmd)
  os.exit((ok == true or ok == 0) and 0 or 1)
end

-- Inside Neovim ---------------------------------------------------------------------------------
local api, fn, uv = vim.api, vim.fn, vim.loop
local out = {}
local function say(s) out[#out + 1] = s end
local function finish(code)
  io.stdout:write(table.concat(out, "\n"), "\n")
  vim.cmd(code == 0 and "qa!" or "cquit")
end

local ok_all, err_all = xpcall(function()
  local N = tonumber(os.getenv("TIDINGS_BENCH_LINES")) or 10000
  local RUNS = tonumber(os.getenv("TIDINGS_BENCH_RUNS")) or 7
  local textfile = os.getenv("TIDINGS_BENCH_TEXT") or ""

  local nv = require "tidings.nvim"
  local td, lerr = nv.load()
  if not td then error(lerr, 0) end

  -- source lines
  local src = {}
  local source
  if textfile ~= "" then
    for l in io.lines(textfile) do src[#src + 1] = l end
    source = textfile
  else
    local files = fn.glob("corpus/*.txt", false, true)
    table.sort(files)
    for _, f in ipairs(files) do
      for l in io.lines(f) do src[#src + 1] = l end
      src[#src + 1] = ""
    end
    source = ("corpus/*.txt (%d files, %d lines, repeated)"):format(#files, #src)
  end
  if #src == 0 then error("no source text", 0) end
  local lines = {}
  for i = 1, N do lines[i] = src[(i - 1) % #src + 1] end

  vim.cmd("enew")
  local buf = api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  local text = table.concat(lines, "\n")

  -- wall time (what the user waits) and this process's CPU time (os.clock:
  -- less sensitive to other load on the machine; on a busy machine the best
  -- CPU time is the steadiest figure)
  local function time(f)
    local samples, cpu = {}, {}
    local res
    for r = 1, RUNS do
      collectgarbage()
      local t0, c0 = uv.hrtime(), os.clock()
      res = f()
      samples[r] = (uv.hrtime() - t0) / 1e6
      cpu[r] = (os.clock() - c0) * 1e3
    end
    table.sort(samples)
    table.sort(cpu)
    local mid = math.floor((#samples + 1) / 2)
    return samples[mid], samples[1], res, cpu[mid], cpu[1]
  end

  local rows = {}
  local function row(name, f)
    local med, best, res, cpu, cpu_best = time(f)
    rows[#rows + 1] = { name, med, best, res, cpu, cpu_best }
    return res
  end

  row("buffer lines -> text", function()
    return #table.concat(api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  end)
  -- the parts of :Tidings all, each on its own: a new Doc for analyze and for
  -- the tagger; numbers and quotes on one analysed Doc whose entities are
  -- done (quotes read them from the Doc in C, as :Tidings does)
  local ntok = row("tidings.analyze (tokens, sentences)", function() return #td.analyze(text) end)
  row("analyze + doc:entities() (the tagger)", function() local d = td.analyze(text); return #d:entities() end)
  local doc = td.analyze(text)
  doc:entities()
  -- the entities of a tagged Doc as Lua values: rows, or the columns :Tidings reads
  row("doc:entities() again (tagged doc: the rows only)", function() return #doc:entities() end)
  if doc.entity_arrays then
    row("doc:entity_arrays() (tagged doc: the columns only)", function() return #doc:entity_arrays() end)
  end
  row("doc:numbers() (analysed doc)", function() return #doc:numbers() end)
  row("doc:quotes() (analysed doc, entities done)", function() return #doc:quotes() end)
  local ALL = { entities = true, numbers = true, quotes = true }
  -- (as :Tidings does: the entities as columns, doc:entity_arrays())
  local function count(found) return #found.entity_columns.start + #found.numbers + #found.quotes end
  local nitems = row("analysis as :Tidings all does it: analyze + entities + numbers + quotes", function()
    return count(nv._analyse(text, ALL, true))
  end)
  row("nv.items (for :Tidings list and hover): the same, one sorted list with labels", function()
    return #nv.items(text, ALL)
  end)
  nv.show("all", buf) -- state and highlight groups
  local found = nv._analyse(text, ALL, true)
  row("highlight only: line starts, the span table replaced", function() return nv._place(buf, found) end)
  -- the whole buffer at once (what a buffer under `large` lines gets)
  nv.setup { large = N + 1 }
  local nmarks = row(":Tidings all, whole buffer at once (analyse + highlight, end to end)", function()
    return nv.refresh(buf)
  end)
  -- the same number of bytes of text that does not repeat, in a buffer of
  -- its own (not shown in a window: the rows below keep theirs)
  local dfile = os.getenv("TIDINGS_BENCH_DISTINCT") or ""
  local f = dfile ~= "" and dfile ~= "none" and io.open(dfile, "rb")
  if f then
    local head = f:read(#text + 65536) or ""
    f:close()
    local dl, size = {}, 0
    for l in head:gmatch("([^\n]*)\n") do
      if size >= #text then break end
      dl[#dl + 1] = l
      size = size + #l + 1
    end
    local dbuf = api.nvim_create_buf(false, true)
    api.nvim_buf_set_lines(dbuf, 0, -1, false, dl)
    local dtext = table.concat(dl, "\n")
    local short = dfile:match("[^/]*$")
    row(("distinct text (%s, first %d lines, %d bytes): analysis"):format(short, #dl, #dtext), function()
      return count(nv._analyse(dtext, ALL, true))
    end)
    nv.show("all", dbuf)
    row("distinct text: :Tidings all, whole buffer at once (analyse + highlight, end to end)", function()
      return nv.refresh(dbuf)
    end)
    nv.off(dbuf)
    api.nvim_buf_delete(dbuf, { force = true })
  end
  row("redraw! of the screen (highlights and labels drawn for the lines shown)", function()
    vim.cmd("redraw!")
    return ("%dx%d"):format(vim.o.columns, vim.o.lines)
  end)
  row(":Tidings entities, whole buffer", function() return nv.show("entities", buf) end)
  row(":Tidings numbers, whole buffer", function() return nv.show("numbers", buf) end)
  row(":Tidings quotes, whole buffer", function() return nv.show("quotes", buf) end)
  -- chunked (the default above `large` lines): the screen now, the rest in the background
  nv.setup { large = math.min(nv.defaults.large, N - 1) }
  nv.show("all", buf)
  vim.wait(600000, function() return nv.pending(buf) == 0 end, 1)
  row(":Tidings all, chunked: until the screen is highlighted", function() return nv.refresh(buf) end)
  vim.wait(600000, function() return nv.pending(buf) == 0 end, 1)
  local longest = 0
  row(":Tidings all, chunked: until the background is done", function()
    local n = nv.refresh(buf)
    -- the longest the editor waits between two background steps
    local last = uv.hrtime()
    vim.wait(600000, function()
      local t = uv.hrtime()
      longest = math.max(longest, (t - last) / 1e6)
      last = t
      return nv.pending(buf) == 0
    end, 1)
    return n
  end)
  rows[#rows + 1] = { "chunked: longest step (editor busy)", longest, longest, "-", nil }
  local nchunked = #nv.spans(buf)
  -- live mode, large buffer: one paragraph in the middle edited and redone
  local mid = math.floor(N / 2)
  for r = mid, math.min(N - 1, mid + 40) do -- the longest paragraph line nearby
    if #lines[r + 1] > #lines[mid + 1] then mid = r end
  end
  local lo, hi = mid, mid + 1
  local function blank(r) return (lines[r + 1] or ""):match("^%s*$") ~= nil end
  while lo > 0 and not blank(lo - 1) do lo = lo - 1 end
  while hi < N and not blank(hi) do hi = hi + 1 end
  local pbytes = 0
  for r = lo + 1, hi do pbytes = pbytes + #lines[r] + 1 end
  row(("live: one edited paragraph (lines %d-%d, %d bytes)"):format(lo + 1, hi, pbytes),
    function() return nv.refresh(buf, lo, hi) end)
  row("statusline after a change (shows the last count)", function()
    api.nvim_buf_set_lines(buf, 0, 1, false, { lines[1] })
    return nv.statusline(buf)
  end)
  row("statusline count (when typing pauses)", function() return nv._stats(buf) end)
  row(":Tidings list (analyse + setloclist)", function() return #nv.list(buf) end)
  row(":Tidings off", function() nv.off(buf); return 0 end)

  say(("# :Tidings on a %d-line buffer (%d bytes, %d tokens) in Neovim %s"):format(N, #text, ntok,
    tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch)))
  say("")
  say(("Text: %s. %d runs each; %s. %d spans, %d highlighted at once, %d chunked."):format(source, RUNS,
    jit and jit.version or _VERSION, nitems, nmarks, nchunked))
  say("")
  local f = io.open("/proc/loadavg", "rb")
  local load = f and f:read("*l") or "?"
  if f then f:close() end
  say(("Load average at the end: %s (figures grow with other work on the machine)."):format(load:match("^%S+ %S+ %S+") or load))
  say("")
  say("| step | median ms | best ms | median CPU ms | best CPU ms | result |")
  say("|---|---:|---:|---:|---:|---:|")
  local function ms(x) return x and ("%.2f"):format(x) or "-" end
  for _, r in ipairs(rows) do
    say(("| %s | %.2f | %.2f | %s | %s | %s |"):format(r[1], r[2], r[3], ms(r[5]), ms(r[6]), tostring(r[4])))
  end
end, debug.traceback)

if not ok_all then
  say("nvim_bench failed: " .. tostring(err_all))
  finish(1)
else
  finish(0)
end
