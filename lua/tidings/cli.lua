-- tidings.cli: the `tidings` command line (bin/tidings is a 3-line launcher).
--
--   require("tidings.cli").main(arg) -> exit code
--
-- Exit codes (also in `tidings --help`):
--   0  success
--   1  finished, but some inputs were skipped or unreadable (each reported on
--      stderr with its file and line)
--   2  usage error: unknown command or option, bad option value
--   3  fatal: nothing could be read, the output could not be written, a
--      partial report is corrupt, or a worker process failed
--   4  internal error (a bug: please report it with the message)

local json = require "tidings.json"

local cli = {}

local EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FATAL, EXIT_BUG = 0, 1, 2, 3, 4
cli.EXIT = { ok = 0, input = 1, usage = 2, fatal = 3, bug = 4 }

local format, concat = string.format, table.concat

-- Errors that end the run with a given exit code.
local Fail = {}
Fail.__index = Fail
Fail.__tostring = function(e) return e.msg end
local function fail(code, msg, ...)
  error(setmetatable({ code = code, msg = format(msg, ...) }, Fail), 0)
end

local function lazy_core()
  return require "tidings.core"
end

-- Help -------------------------------------------------------------------------------

local COMMON = [[
Inputs (PATH...):
  FILE            .txt/.md as text, .html/.htm stripped to text, .jsonl/.ndjson
                  as one JSON object a line with a "text" field (other fields
                  are kept as metadata: id, title, date, source, ...)
  FOLDER          walked recursively, names in byte order; takes *.txt *.md
                  *.html *.htm *.jsonl *.ndjson (hidden files, README* and
                  LICENSE* are skipped)
  -               standard input (JSONL if its first line starts with '{',
                  HTML if with '<', text otherwise)

Input options:
  --on-invalid skip|repair
                  a document that is not valid UTF-8 is skipped (default) or
                  repaired (each bad byte becomes U+FFFD); either way stderr
                  names the file, line and byte offset
  --input-format auto|text|md|html|jsonl
                  how to read files whatever their extension (default auto)
  --reference DATE
                  YYYY-MM-DD: "today" for relative dates in documents that
                  carry no date of their own
  --shard K/N     only documents K, K+N, K+2N, ... (1 <= K <= N): run N
                  shards anywhere (GNU parallel, a batch engine), then merge
  --jobs N        run N worker processes on this machine; output identical to
                  a single process
  --quiet, -q     no progress bar and no warnings (errors still set the exit
                  code)
]]

local HELP = {}

HELP.main = [[
usage: tidings COMMAND [OPTIONS] PATH...

News text to structured facts: who appears, what numbers are claimed by whom,
who said what, and where the sources disagree.

Commands:
  report     a report over all documents (html, md, json, csv, text)
  extract    one JSON object per document (JSONL): tokens, sentences,
             entities, numbers, quotes, boilerplate
  tokens     the tokens of each document, one per line
  entities   the people, organisations and places of each document
  numbers    the numbers, quantities, dates and times of each document
  quotes     the quotations of each document, with their speakers
  merge      combine partial reports or extract output into one report
  train      train the entity tagger from CoNLL-style JSONL

Run `tidings COMMAND --help` for the options of a command.
`tidings --version` prints the versions of tidings and its libraries.

Exit codes:
  0  success
  1  finished, but some inputs were skipped or unreadable (see stderr)
  2  usage error (unknown command or option, bad value)
  3  fatal: nothing could be read, output could not be written, a partial
     report is corrupt, or a worker failed
  4  internal error
]]

HELP.report = [[
usage: tidings report [OPTIONS] PATH...

Aggregate the documents into one report: overview, entities by type (merged by
canonical name, with co-occurrence), numbers grouped by what they count (with
disagreements between sources of one story flagged), quotes by speaker, and
near-duplicate and same-story documents with the story clusters they form.

Options:
  --format F      html, md, json, csv, text or partial (default: from the
                  extension of -o; else text on a terminal, md otherwise).
                  partial writes the mergeable aggregate for `tidings merge`.
  -o, --output F  write to F instead of standard output (csv: F is a folder
                  that receives one .csv file per table)
  --table NAME    csv to standard output: which table (documents, entities,
                  cooccurrence, figures, groups, quotes, duplicates, stories,
                  timeline)
  --title TEXT    the report's title
  --top N         entities shown per type (default 25)
  --one-story     the documents are all about one story (compare every
                  figure across all of them); by default stories are found
                  from shared words, named entities and dates
]] .. "\n" .. COMMON

HELP.extract = [[
usage: tidings extract [OPTIONS] PATH...

One JSON object per document and line (JSONL), keys in a fixed order:
id, path, line, title, date, source, meta, stats, text, boilerplate,
sentences, tokens, entities, numbers, quotes, signature.  Offsets are 0-based
byte positions, "end" exclusive, into "text".  The schema is
schema/extract.schema.json.  Output is byte-identical on every run and Lua.

Options:
  --format jsonl  the only format (default)
  --no-text       leave the document text out of each object
  -o, --output F  write to F instead of standard output
]] .. "\n" .. COMMON

HELP.tokens = [[
usage: tidings tokens [OPTIONS] PATH...

Each document's tokens, one a line: start-stop (1-based, inclusive bytes),
kind, text.  Sentences are separated by a blank line.

Options:
  -o, --output F  write to F instead of standard output
]] .. "\n" .. COMMON

HELP.entities = [[
usage: tidings entities [OPTIONS] PATH...

Each document's entities, one a line: position, type, the text, the
canonical name it was tied to, and the role seen next to it.

Options:
  -o, --output F  write to F instead of standard output
]] .. "\n" .. COMMON

HELP.numbers = [[
usage: tidings numbers [OPTIONS] PATH...

Each document's numbers, quantities, dates and times, one a line: position,
kind, the text, its value with bound, what it counts, and its TIMEX value.

Options:
  -o, --output F  write to F instead of standard output
]] .. "\n" .. COMMON

HELP.quotes = [[
usage: tidings quotes [OPTIONS] PATH...

Each document's direct quotations with their speakers ("unattributed" when
none was found).

Options:
  -o, --output F  write to F instead of standard output
]] .. "\n" .. COMMON

HELP.merge = [[
usage: tidings merge [OPTIONS] FILE...

Combine partial reports (`tidings report --format partial`) and/or extract
output (`tidings extract`, JSONL) into one report.  Merging is associative and
order-independent: merging shards in any grouping or order gives the same
report as one run over all documents.  "-" reads standard input.

  tidings report --shard 1/2 --format partial corpus/ > a.json
  tidings report --shard 2/2 --format partial corpus/ > b.json
  tidings merge a.json b.json --format md -o report.md

Options: --format, -o, --table, --title, --top, --one-story as for
`tidings report`; --quiet.
]]

HELP.train = [[
usage: tidings train [OPTIONS] TRAIN.jsonl -o MODEL

Train the entity tagger (an averaged perceptron) from CoNLL-style JSONL: one
object a line with "tokens" and "tags" (BIO, IOB1 or BILOU).  The same input,
options and seed give the same model bytes.

Options:
  -o, --output F  the model file to write (required)
  --dev FILE      score each epoch on FILE and keep the best epoch's model
  --epochs N      training epochs (default 10)
  --seed N        shuffling seed (default 1)
  --bits N        feature hash bits (default 20)
  --clusters FILE word clusters (word<TAB>id...)
  --prune X       drop weights smaller than X in the saved model (default 0)
  --history N     two-pass model with the prediction history, trained on N
                  held-out folds (the bundled model uses 4; default: none)
  --name NAME     the model's name
  --quiet, -q     no progress lines
]]

-- Argument parsing -----------------------------------------------------------------------

-- Options: name -> { takes value?, key }
local OPTS = {
  ["--format"] = { true, "format" }, ["-o"] = { true, "output" }, ["--output"] = { true, "output" },
  ["--reference"] = { true, "reference" }, ["--jobs"] = { true, "jobs" }, ["-j"] = { true, "jobs" },
  ["--quiet"] = { false, "quiet" }, ["-q"] = { false, "quiet" },
  ["--on-invalid"] = { true, "on_invalid" }, ["--input-format"] = { true, "input_format" },
  ["--shard"] = { true, "shard" }, ["--table"] = { true, "table" }, ["--title"] = { true, "title" },
  ["--top"] = { true, "top" }, ["--no-text"] = { false, "no_text" },
  ["--one-story"] = { false, "one_story" },
  ["--help"] = { false, "help" }, ["-h"] = { false, "help" },
  ["--worker"] = { false, "worker" }, -- internal: the protocol between --jobs and its workers
  -- train
  ["--dev"] = { true, "dev" }, ["--epochs"] = { true, "epochs" }, ["--seed"] = { true, "seed" },
  ["--bits"] = { true, "bits" }, ["--clusters"] = { true, "clusters" }, ["--prune"] = { true, "prune" },
  ["--history"] = { true, "history" },
  ["--name"] = { true, "name" },
}

local ALLOWED = {
  report = { "format", "output", "reference", "jobs", "quiet", "on_invalid", "input_format", "shard",
    "table", "title", "top", "one_story", "help", "worker" },
  extract = { "format", "output", "reference", "jobs", "quiet", "on_invalid", "input_format", "shard",
    "no_text", "help", "worker" },
  merge = { "format", "output", "quiet", "table", "title", "top", "one_story", "help" },
  train = { "output", "dev", "epochs", "seed", "bits", "clusters", "prune", "history", "name", "quiet", "help" },
}
for _, c in ipairs({ "tokens", "entities", "numbers", "quotes" }) do
  ALLOWED[c] = { "output", "reference", "jobs", "quiet", "on_invalid", "input_format", "shard", "help", "worker" }
end

--- Parse argv (without the command).  Returns opts, paths; raises usage errors.
function cli.parse(cmd, argv)
  local allowed = {}
  for _, k in ipairs(ALLOWED[cmd]) do allowed[k] = true end
  local opts, paths = {}, {}
  local i = 1
  local only_paths = false
  while i <= #argv do
    local a = argv[i]
    if only_paths or a == "-" or a:sub(1, 1) ~= "-" then
      paths[#paths + 1] = a
    elseif a == "--" then
      only_paths = true
    else
      local name, value = a:match("^(%-%-[^=]+)=(.*)$")
      name = name or a
      local spec = OPTS[name]
      if not spec or not allowed[spec[2]] then
        fail(EXIT_USAGE, "tidings %s: unknown option '%s' (see tidings %s --help)", cmd, name, cmd)
      end
      if spec[1] then
        if value == nil then
          i = i + 1
          value = argv[i]
          if value == nil then fail(EXIT_USAGE, "tidings %s: option '%s' needs a value", cmd, name) end
        end
        opts[spec[2]] = value
      else
        if value ~= nil then fail(EXIT_USAGE, "tidings %s: option '%s' takes no value", cmd, name) end
        opts[spec[2]] = true
      end
    end
    i = i + 1
  end
  return opts, paths
end

local function int_opt(cmd, opts, key, lo, hi, label)
  local v = opts[key]
  if v == nil then return nil end
  local n = tonumber(v)
  if not n or n ~= math.floor(n) or n < lo or n > hi then
    fail(EXIT_USAGE, "tidings %s: --%s must be an integer from %d to %d, got '%s'", cmd, label or key, lo, hi, v)
  end
  return n
end

local function check_common(cmd, opts)
  if opts.on_invalid and opts.on_invalid ~= "skip" and opts.on_invalid ~= "repair" then
    fail(EXIT_USAGE, "tidings %s: --on-invalid must be 'skip' or 'repair', got '%s'", cmd, opts.on_invalid)
  end
  local fmts = { auto = true, text = true, md = true, html = true, jsonl = true }
  if opts.input_format and not fmts[opts.input_format] then
    fail(EXIT_USAGE, "tidings %s: --input-format must be auto, text, md, html or jsonl, got '%s'", cmd,
      opts.input_format)
  end
  if opts.reference and not opts.reference:match("^%d%d%d%d%-%d%d%-%d%d$") then
    fail(EXIT_USAGE, "tidings %s: --reference must be a date YYYY-MM-DD, got '%s'", cmd, opts.reference)
  end
  opts.jobs = int_opt(cmd, opts, "jobs", 1, 256) or 1
  if opts.shard then
    local k, n = opts.shard:match("^(%d+)/(%d+)$")
    k, n = tonumber(k), tonumber(n)
    if not k or n < 1 or k < 1 or k > n then
      fail(EXIT_USAGE, "tidings %s: --shard must be K/N with 1 <= K <= N, got '%s'", cmd, opts.shard)
    end
    opts.shard_k, opts.shard_n = k, n
  end
  if opts.jobs > 1 and opts.shard then
    fail(EXIT_USAGE, "tidings %s: --jobs and --shard cannot be combined", cmd)
  end
  opts.top = int_opt(cmd, opts, "top", 1, 100000)
end

-- Output -------------------------------------------------------------------------------

local function open_output(path)
  if not path or path == "-" then return io.stdout, false end
  local f, err = io.open(path, "wb")
  if not f then fail(EXIT_FATAL, "cannot write %s", err) end
  return f, true
end

local function write_or_fail(f, s, where)
  local ok, err = f:write(s)
  if not ok then fail(EXIT_FATAL, "cannot write %s: %s", where or "output", tostring(err)) end
end

-- Progress ------------------------------------------------------------------------------

local Progress = {}
Progress.__index = Progress

local function new_progress(opts, it)
  local core = lazy_core()
  local p = setmetatable({ it = it, core = core, t0 = core.clock(), last = 0, shown = false,
    enabled = not opts.quiet and not opts.worker and core.isatty(2) }, Progress)
  return p
end

local function human_bytes(n)
  local util = require "tidings.format.util"
  if n >= 1e9 then return util.fixed(n / 1e9, 2) .. " GB" end
  if n >= 1e6 then return util.fixed(n / 1e6, 1) .. " MB" end
  if n >= 1e3 then return util.fixed(n / 1e3, 1) .. " kB" end
  return tostring(math.floor(n)) .. " B"
end

function Progress:tick(force)
  if not self.enabled then return end
  local now = self.core.clock()
  local el = now - self.t0
  if not force and (el < 1.0 or now - self.last < 0.2) then return end -- long runs only
  self.last = now
  local util = require "tidings.format.util"
  local done, total = self.it.bytes_done, self.it.bytes_total
  local rate = el > 0 and done / el or 0
  local line
  local docs = self.it.stats.documents
  if total and total > 0 then
    local frac = math.min(1, done / total)
    local width = 24
    local fill = math.floor(frac * width + 0.5)
    local eta = rate > 0 and (total - done) / rate or 0
    line = format("\r[%s%s] %3d%%  %s docs  %s/s  ETA %ds ", string.rep("#", fill), string.rep(".", width - fill),
      math.floor(frac * 100), util.thousands(docs), human_bytes(rate), math.floor(eta + 0.5))
  else
    line = format("\r%s docs  %s  %s/s ", util.thousands(docs), human_bytes(done), human_bytes(rate))
  end
  io.stderr:write(line)
  self.shown = true
end

function Progress:done()
  if self.shown then io.stderr:write("\r\27[K") end
end

-- Documents ------------------------------------------------------------------------------

local function open_corpus(cmd, opts, paths)
  local corpus = require "tidings.corpus"
  if #paths == 0 then fail(EXIT_USAGE, "tidings %s: no input (give files, folders or - for stdin)", cmd) end
  local warnings = 0
  local sel
  if opts.shard_n then
    local k, n = opts.shard_k, opts.shard_n
    sel = function(i) return (i - 1) % n == k - 1 end
  end
  local it = corpus.open(paths, {
    on_invalid = opts.on_invalid or "skip",
    format = opts.input_format or "auto",
    select = sel,
    warn = function(msg)
      warnings = warnings + 1
      if not opts.quiet then
        if opts._progress and opts._progress.shown then io.stderr:write("\r\27[K") end
        io.stderr:write("tidings: ", msg, "\n")
      end
    end,
  })
  return it
end

local function input_status(it)
  local s = it.stats
  if s.documents == 0 and (s.errors > 0 or s.skipped > 0) then return EXIT_FATAL end
  if s.errors > 0 or s.skipped > 0 then return EXIT_INPUT end
  return EXIT_OK
end

-- Per-document views ----------------------------------------------------------------------

local function view_tokens(r, out)
  local text = r.text
  out[#out + 1] = format("# %s%s\n", r.id, r.title and ("  " .. r.title) or "")
  local si, sents = 1, r.sentences
  local tokens = r.tokens
  if getmetatable(tokens) and getmetatable(tokens).__jsontype == "raw" then
    tokens = json.decode(tokens[1]) -- the C fast path gives JSON text
  end
  for _, t in ipairs(tokens) do
    while sents[si] and t[1] >= sents[si][2] do
      si = si + 1
      out[#out + 1] = "\n"
    end
    out[#out + 1] = format("%d-%d\t%s\t%s\n", t[1] + 1, t[2], t[3], text:sub(t[1] + 1, t[2]))
  end
  out[#out + 1] = "\n"
end

local function view_entities(r, out)
  out[#out + 1] = format("# %s%s\n", r.id, r.title and ("  " .. r.title) or "")
  for _, e in ipairs(r.entities) do
    out[#out + 1] = format("%d-%d\t%s\t%s%s%s\n", e.start + 1, e["end"], e.type or "?", e.text,
      (e.canonical and e.canonical ~= e.text) and ("\t→ " .. e.canonical) or "",
      e.role and ("\t[" .. e.role .. "]") or "")
  end
  out[#out + 1] = "\n"
end

local function view_numbers(r, out)
  local report = require "tidings.report"
  out[#out + 1] = format("# %s%s\n", r.id, r.title and ("  " .. r.title) or "")
  for _, n in ipairs(r.numbers) do
    local value = (n.value or n.low) and report.value_text(n) or ""
    local what = (n.unit or "") .. (n.per and (" per " .. n.per) or "")
    out[#out + 1] = format("%d-%d\t%s\t%s\t%s%s%s\n", n.start + 1, n["end"], n.kind or "?", n.text, value,
      what ~= "" and ("\t" .. what) or "", n.timex and ("\t" .. n.timex) or "")
  end
  out[#out + 1] = "\n"
end

local function view_quotes(r, out)
  out[#out + 1] = format("# %s%s\n", r.id, r.title and ("  " .. r.title) or "")
  for _, q in ipairs(r.quotes) do
    out[#out + 1] = format("%d-%d\t%s\t“%s”\n", q.start + 1, q["end"], q.speaker or "(unattributed)", q.text)
  end
  out[#out + 1] = "\n"
end

local VIEWS = { tokens = view_tokens, entities = view_entities, numbers = view_numbers, quotes = view_quotes }

-- Workers (--jobs N) -------------------------------------------------------------------------

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- The command that runs this CLI again: the interpreter and script we run as.
local function self_command()
  local a = _G.arg or {}
  local lo = 0
  while a[lo - 1] do lo = lo - 1 end
  local parts = {}
  for i = lo, 0 do parts[#parts + 1] = shell_quote(a[i]) end
  if #parts == 0 or not a[0] then fail(EXIT_FATAL, "--jobs: cannot tell how this program was started") end
  return concat(parts, " ")
end

-- Rebuild a worker's argument list: same options, plus --shard K/N --worker.
local function worker_args(cmd, opts, paths, k, n)
  local args = { cmd, "--worker", "--quiet", "--shard", k .. "/" .. n }
  local function add(flag, v) if v then args[#args + 1] = flag; args[#args + 1] = tostring(v) end end
  add("--reference", opts.reference)
  add("--on-invalid", opts.on_invalid)
  add("--input-format", opts.input_format)
  if opts.no_text then args[#args + 1] = "--no-text" end
  args[#args + 1] = "--"
  for _, p in ipairs(paths) do args[#args + 1] = p end
  local q = {}
  for i, v in ipairs(args) do q[i] = shell_quote(v) end
  return concat(q, " ")
end

-- Run N workers; return their output files, stderr files, and exit codes.
local function run_workers(cmd, opts, paths)
  local n = opts.jobs
  local base = self_command()
  local procs = {}
  for k = 1, n do
    local out, err = os.tmpname(), os.tmpname()
    local line = format("%s %s > %s 2> %s; echo $?", base, worker_args(cmd, opts, paths, k, n),
      shell_quote(out), shell_quote(err))
    local p = io.popen(line, "r")
    if not p then fail(EXIT_FATAL, "--jobs: cannot start a worker process") end
    procs[k] = { pipe = p, out = out, err = err }
  end
  for _, pr in ipairs(procs) do
    local status = pr.pipe:read("*a")
    pr.pipe:close()
    pr.code = tonumber(status:match("(%d+)%s*$")) or EXIT_FATAL
  end
  return procs
end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local s = f:read("*a") or ""
  f:close()
  return s
end

local function cleanup(procs)
  for _, pr in ipairs(procs) do os.remove(pr.out); os.remove(pr.err) end
end

-- Relay workers' stderr in shard order; return the worst worker exit code.
local function worker_status(procs, opts)
  local worst = EXIT_OK
  for _, pr in ipairs(procs) do
    local e = slurp(pr.err)
    if e ~= "" and (not opts.quiet or pr.code >= EXIT_FATAL) then io.stderr:write(e) end
    if pr.code > worst then worst = pr.code end
  end
  return worst
end

-- Worker framing: each document's output is "\30<index> <bytes>\n<payload>";
-- this is the part before the payload.
local function frame_head(index, payload)
  return "\30" .. index .. " " .. #payload .. "\n"
end

-- Read a worker's framed output as an iterator of index, payload.
local function frames(s)
  local pos = 1
  return function()
    if pos > #s then return nil end
    local idx, len, after = s:match("^\30(%d+) (%d+)\n()", pos)
    if not idx then fail(EXIT_FATAL, "--jobs: a worker wrote malformed output") end
    local payload = s:sub(after, after + tonumber(len) - 1)
    pos = after + tonumber(len)
    return tonumber(idx), payload
  end
end

-- Document commands (extract and the views) -----------------------------------------------------

local function load_tidings()
  local ok, td = pcall(require, "tidings")
  if not ok then fail(EXIT_FATAL, "cannot load the tidings module: %s", tostring(td)) end
  return td
end

local function run_docs(cmd, opts, paths)
  local out, close = open_output(opts.output)
  if opts.jobs > 1 then
    local procs = run_workers(cmd, opts, paths)
    local status = worker_status(procs, opts)
    if status >= EXIT_FATAL then cleanup(procs); if close then out:close() end; return status end
    -- k-way merge by document index: each worker's indexes ascend
    local heads, iters = {}, {}
    for k, pr in ipairs(procs) do
      iters[k] = frames(slurp(pr.out))
      heads[k] = { iters[k]() }
    end
    while true do
      local best
      for k = 1, #procs do
        if heads[k][1] and (not best or heads[k][1] < heads[best][1]) then best = k end
      end
      if not best then break end
      write_or_fail(out, heads[best][2], opts.output)
      heads[best] = { iters[best]() }
    end
    cleanup(procs)
    if close then out:close() end
    return status
  end

  local td = load_tidings()
  local report = require "tidings.report"
  local it = open_corpus(cmd, opts, paths)
  local progress = new_progress(opts, it)
  opts._progress = progress
  local view = VIEWS[cmd]
  -- one write per document into a large buffer (not a terminal: there the
  -- lines show as they come)
  if close or not lazy_core().isatty(1) then out:setvbuf("full", 65536) end
  local xopts = { reference = opts.reference, text = not opts.no_text, newline = true }
  local ropts = { reference = opts.reference }
  for rec in it:records() do
    local s
    if cmd == "extract" then
      -- the JSON line built in C (report.extract_json)
      s = report.extract_json(rec, td, xopts)
    else
      local r = report.record(rec, td, ropts)
      local parts = {}
      view(r, parts)
      s = concat(parts)
    end
    if opts.worker then write_or_fail(out, frame_head(rec.index, s), opts.output) end
    write_or_fail(out, s, opts.output)
    progress:tick()
  end
  progress:done()
  if close then out:close() else out:flush() end
  return input_status(it)
end

-- Reports -----------------------------------------------------------------------------------------

local FORMATS = { html = "html", md = "markdown", markdown = "markdown", json = "json", csv = "csv",
  text = "text", txt = "text", partial = "partial" }

local function pick_format(cmd, opts)
  local f = opts.format
  if not f and opts.output then
    local ext = opts.output:match("%.(%w+)$")
    f = ext and FORMATS[ext:lower()] and ext:lower() or nil
    if not f and not ext then f = "csv" end -- a folder
  end
  if not f then
    f = lazy_core().isatty(1) and "text" or "md"
  end
  if not FORMATS[f] then
    fail(EXIT_USAGE, "tidings %s: --format must be html, md, json, csv, text or partial, got '%s'", cmd, f)
  end
  return FORMATS[f]
end

local function write_report(cmd, opts, agg)
  local report = require "tidings.report"
  local fmt = pick_format(cmd, opts)
  if fmt == "partial" then
    local out, close = open_output(opts.output)
    write_or_fail(out, agg:to_json() .. "\n", opts.output)
    if close then out:close() end
    return
  end
  local model = report.finish(agg, { top = opts.top, one_story = opts.one_story })
  local render_opts = { title = opts.title, table = opts.table }
  if fmt == "csv" and opts.output and opts.output ~= "-" then
    local csv = require "tidings.format.csv"
    local core = lazy_core()
    local st = core.stat(opts.output)
    if not st then
      local ok = os.execute("mkdir -p " .. shell_quote(opts.output))
      if ok ~= true and ok ~= 0 then fail(EXIT_FATAL, "cannot create folder %s", opts.output) end
    elseif st.type ~= "directory" then
      fail(EXIT_USAGE, "tidings %s: with --format csv, -o names a folder (one file per table)", cmd)
    end
    for _, t in ipairs(csv.tables(model)) do
      local path = opts.output:gsub("/$", "") .. "/" .. t.name .. ".csv"
      local f, err = io.open(path, "wb")
      if not f then fail(EXIT_FATAL, "cannot write %s", err) end
      write_or_fail(f, t.csv, path)
      f:close()
    end
    return
  end
  local mod = require("tidings.format." .. fmt)
  local ok, text = pcall(mod.render, model, render_opts)
  if not ok then fail(EXIT_USAGE, "tidings %s: %s", cmd, tostring(text)) end
  local out, close = open_output(opts.output)
  write_or_fail(out, text, opts.output)
  if close then out:close() end
end

local function run_report(cmd, opts, paths)
  local report = require "tidings.report"
  pick_format(cmd, opts) -- usage errors before any work
  if opts.jobs > 1 then
    local procs = run_workers(cmd, opts, paths)
    local status = worker_status(procs, opts)
    if status >= EXIT_FATAL then cleanup(procs); return status end
    local agg = report.new()
    for _, pr in ipairs(procs) do
      local part, err = report.from_json(slurp(pr.out))
      if not part then cleanup(procs); fail(EXIT_FATAL, "--jobs: a worker's partial report: %s", err) end
      agg:merge(part)
    end
    cleanup(procs)
    write_report(cmd, opts, agg)
    return status
  end
  local td = load_tidings()
  local it = open_corpus(cmd, opts, paths)
  local progress = new_progress(opts, it)
  opts._progress = progress
  local agg = report.new()
  for rec in it:records() do
    agg:add(report.record(rec, td, { reference = opts.reference }))
    progress:tick()
  end
  progress:done()
  if opts.worker then
    io.stdout:write(agg:to_json(), "\n")
  else
    write_report(cmd, opts, agg)
  end
  return input_status(it)
end

local function run_merge(cmd, opts, paths)
  local report = require "tidings.report"
  pick_format(cmd, opts)
  if #paths == 0 then fail(EXIT_USAGE, "tidings merge: no input (partial reports or extract JSONL, - for stdin)") end
  local agg = report.new()
  local status = EXIT_OK
  for _, path in ipairs(paths) do
    local f, err
    if path == "-" then f = io.stdin else f, err = io.open(path, "rb") end
    if not f then fail(EXIT_FATAL, "cannot read %s", err) end
    local lineno = 0
    for line in f:lines() do
      lineno = lineno + 1
      if line:find("%S") then
        local t, jerr = json.decode(line)
        local where = format("%s:%d", path == "-" and "<stdin>" or path, lineno)
        if not t then
          fail(EXIT_FATAL, "%s: invalid JSON: %s", where, (jerr:gsub("^line 1, ", "")))
        elseif type(t) == "table" and t.tidings_partial ~= nil then
          local part, perr = report.from_json(line)
          if not part then fail(EXIT_FATAL, "%s: %s", where, perr) end
          agg:merge(part)
        elseif type(t) == "table" and type(t.id) == "string" and type(t.stats) == "table" then
          agg:add(t)
        else
          fail(EXIT_FATAL, "%s: neither a partial report nor a `tidings extract` record", where)
        end
      end
    end
    if f ~= io.stdin then f:close() end
  end
  write_report(cmd, opts, agg)
  return status
end

local function run_train(cmd, opts, paths)
  if #paths ~= 1 then fail(EXIT_USAGE, "tidings train: give exactly one training file (see tidings train --help)") end
  if not opts.output then fail(EXIT_USAGE, "tidings train: -o MODEL is required") end
  local ok, train = pcall(require, "tidings.train")
  if not ok then fail(EXIT_FATAL, "cannot load tidings.train: %s", tostring(train)) end
  local o = { input = paths[1], output = opts.output, dev = opts.dev, clusters = opts.clusters, name = opts.name }
  o.epochs = int_opt(cmd, opts, "epochs", 1, 1000)
  o.seed = int_opt(cmd, opts, "seed", 0, 2 ^ 31 - 1)
  o.bits = int_opt(cmd, opts, "bits", 10, 28)
  if opts.history then o.history = int_opt(cmd, opts, "history", 2, 20) end
  if opts.prune then
    o.prune = tonumber(opts.prune)
    if not o.prune or o.prune < 0 then fail(EXIT_USAGE, "tidings train: --prune must be a number >= 0") end
  end
  if not opts.quiet then o.log = function(line) io.stderr:write("tidings train: ", line, "\n") end end
  local res, err = train.run(o)
  if not res then fail(EXIT_FATAL, "tidings train: %s", tostring(err)) end
  io.stdout:write(format("wrote %s: %d bytes, epoch %d, checksum %s\n", opts.output, res.size, res.epoch,
    tostring(res.checksum)))
  return EXIT_OK
end

local COMMANDS = {
  report = run_report, extract = run_docs, tokens = run_docs, entities = run_docs,
  numbers = run_docs, quotes = run_docs, merge = run_merge, train = run_train,
}

local function version_text()
  local ok, td = pcall(require, "tidings")
  if not ok then return "tidings (core module not loadable: " .. tostring(td) .. ")\n" end
  local v = td.versions and td.versions() or {}
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = { "tidings " .. tostring(td._VERSION) }
  for _, k in ipairs(keys) do
    if type(v[k]) ~= "table" then out[#out + 1] = format("  %-10s %s", k, tostring(v[k])) end
  end
  return concat(out, "\n") .. "\n"
end

--- Run the command line; returns the exit code.
function cli.main(argv)
  argv = argv or {}
  local cmd = argv[1]
  if cmd == nil or cmd == "--help" or cmd == "-h" or cmd == "help" then
    local topic = cmd == "help" and argv[2]
    if topic and HELP[topic] then io.stdout:write(HELP[topic]); return EXIT_OK end
    io.stdout:write(HELP.main)
    return cmd == nil and EXIT_USAGE or EXIT_OK
  end
  if cmd == "--version" or cmd == "version" then
    io.stdout:write(version_text())
    return EXIT_OK
  end
  local run = COMMANDS[cmd]
  if not run then
    io.stderr:write(format("tidings: unknown command '%s' (see tidings --help)\n", cmd))
    return EXIT_USAGE
  end
  local rest = {}
  for i = 2, #argv do rest[#rest + 1] = argv[i] end
  local ok, code = xpcall(function()
    local opts, paths = cli.parse(cmd, rest)
    if opts.help then io.stdout:write(HELP[cmd]); return EXIT_OK end
    if cmd ~= "train" and cmd ~= "merge" then check_common(cmd, opts) else opts.jobs = 1 end
    if cmd == "merge" then opts.top = int_opt(cmd, opts, "top", 1, 100000) end
    if cmd == "extract" and opts.format and opts.format ~= "jsonl" then
      fail(EXIT_USAGE, "tidings extract: --format must be jsonl, got '%s'", opts.format)
    end
    return run(cmd, opts, paths)
  end, function(e)
    if getmetatable(e) == Fail then return e end
    return { bug = true, msg = tostring(e), trace = debug.traceback("", 2) }
  end)
  if ok then return code end
  if getmetatable(code) == Fail then
    local msg = code.msg
    if not msg:match("^tidings") then msg = "tidings: " .. msg end
    io.stderr:write(msg, "\n")
    return code.code
  end
  io.stderr:write("tidings: internal error: ", code.msg, code.trace or "", "\n")
  return EXIT_BUG
end

return cli
