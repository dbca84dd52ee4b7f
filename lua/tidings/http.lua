-- tidings.http: the HTTP service's requests and answers, without a server.
--
--   local http = require "tidings.http"
--   local svc = http.new{ max_body = 4194304, budget = 10, clock = ngx.now }
--   local status, content_type, body, docs = svc:handle(method, path, args, body, headers)
--
-- server/handler.lua plugs this into nginx's Lua module; any other host (a
-- test, another server) can call it the same way.  Nothing here knows about
-- nginx: `args` is the decoded query string (name -> string), `headers` the
-- request headers with lower-case names.
--
-- Endpoints:
--   GET  /v1/health                    versions, model, this worker's counters
--   POST /v1/extract                   a text (or HTML, Markdown) body, or JSONL
--                                      of {"text": ...} objects -> the JSONL of
--                                      `tidings extract -` over the same bytes
--   POST /v1/report?format=json|md|html  the same inputs -> one report
--
-- Every answer to user input is 2xx or 4xx with a JSON error body
--   {"error": {"status": 400, "code": "bad_jsonl", "message": "...", "line": 3}}
-- A 5xx means a bug in tidings (reported with code "internal").

local json = require "tidings.json"
local report = require "tidings.report"
local corpus = require "tidings.corpus"

local M = {}

M.MAX_BODY = 4 * 1024 * 1024 -- bytes; nginx's client_max_body_size should agree
M.BUDGET = 10                 -- seconds of work per request
M.MAX_DOCUMENT = 256 * 1024   -- bytes of one document's text: some stages are not yet linear in
                              -- the number of mentions, and the budget is only checked between
                              -- documents, so this bounds the time one document can take

local format, find, match, sub = string.format, string.find, string.match, string.sub
local concat = table.concat
local ordered = json.ordered

-- Errors ------------------------------------------------------------------------------

local Reject = {}
Reject.__index = Reject

-- Stop the request with a 4xx answer.
local function reject(status, code, message, extra)
  error(setmetatable({ status = status, code = code, message = message, extra = extra }, Reject), 0)
end

local function error_body(status, code, message, extra)
  local e = { status = status, code = code, message = message }
  local order = { "status", "code", "message" }
  if extra then
    for _, k in ipairs({ "line", "offset", "documents", "limit" }) do
      if extra[k] ~= nil then e[k] = extra[k]; order[#order + 1] = k end
    end
  end
  return json.encode(ordered({ error = ordered(e, order) }, { "error" })) .. "\n"
end
M.error_body = error_body

-- A string that reads like a file (what tidings.corpus reads "-" from) -----------------

local StringFile = {}
StringFile.__index = StringFile

local function string_file(s)
  return setmetatable({ s = s, pos = 1 }, StringFile)
end

function StringFile:lines()
  return function()
    local s, pos = self.s, self.pos
    if pos > #s then return nil end
    local nl = find(s, "\n", pos, true)
    if nl then
      self.pos = nl + 1
      return sub(s, pos, nl - 1)
    end
    self.pos = #s + 1
    return sub(s, pos)
  end
end

function StringFile:read(what)
  if what ~= "*a" and what ~= "a" then error("StringFile:read: only '*a' is supported", 2) end
  local rest = sub(self.s, self.pos)
  self.pos = #self.s + 1
  return rest
end

function StringFile:close() return true end

-- Input -------------------------------------------------------------------------------

local INPUTS = { text = "text", md = "md", markdown = "md", html = "html", jsonl = "jsonl" }
local CONTENT_TYPES = {
  ["application/x-ndjson"] = "jsonl", ["application/jsonl"] = "jsonl", ["application/x-jsonl"] = "jsonl",
  ["application/json"] = "jsonl", ["text/html"] = "html", ["application/xhtml+xml"] = "html",
  ["text/markdown"] = "md", ["text/x-markdown"] = "md",
}

-- How to read the body: ?input=, else the Content-Type, else its first character
-- ('{' JSONL, '<' HTML, text otherwise), as `tidings extract -` decides.
local function input_format(args, headers, body)
  local f = args.input
  if f ~= nil then
    if not INPUTS[f] then
      reject(400, "bad_parameter", format("input must be text, md, html or jsonl, got '%s'", tostring(f)))
    end
    return INPUTS[f]
  end
  local ct = headers and headers["content-type"]
  if type(ct) == "string" then
    local mime = match(ct:lower(), "^%s*([^;%s]+)")
    if mime and CONTENT_TYPES[mime] then return CONTENT_TYPES[mime] end
  end
  local c = match(body, "^%s*(.)")
  if c == "{" then return "jsonl" end
  if c == "<" then return "html" end
  return "text"
end

local function check_options(args)
  local o = {}
  local ref = args.reference
  if ref ~= nil then
    if type(ref) ~= "string" or not match(ref, "^%d%d%d%d%-%d%d%-%d%d$") then
      reject(400, "bad_parameter", format("reference must be a date YYYY-MM-DD, got '%s'", tostring(ref)))
    end
    o.reference = ref
  end
  local inv = args.on_invalid
  if inv ~= nil and inv ~= "reject" and inv ~= "repair" then
    reject(400, "bad_parameter", format("on_invalid must be 'reject' or 'repair', got '%s'", tostring(inv)))
  end
  o.repair = inv == "repair"
  local nt = args.text
  if nt ~= nil and nt ~= "0" and nt ~= "1" then
    reject(400, "bad_parameter", format("text must be 0 or 1, got '%s'", tostring(nt)))
  end
  o.text = nt ~= "0"
  return o
end

-- A corpus warning (the CLI prints these and goes on) is a 400 here.
local function warning_to_reject(msg)
  local line, rest = match(msg, "^<stdin>:(%d+): (.*)$")
  line = tonumber(line)
  rest = rest or match(msg, "^<stdin>: (.*)$") or msg
  local off = tonumber(match(rest, "invalid UTF%-8 at byte (%d+)"))
  if off then
    local where = match(rest, "%((text line %d+, column %d+)%)") or ""
    local msg
    if line then
      msg = format("line %d: the \"text\" is not valid UTF-8 at its byte %d (%s)", line, off, where)
    else
      msg = format("the body is not valid UTF-8 at byte %d (%s)", off, (where:gsub("^text ", "")))
    end
    reject(400, "not_utf8", msg .. "; send ?on_invalid=repair to replace bad bytes with U+FFFD",
      { line = line, offset = off })
  end
  if line then reject(400, "bad_jsonl", format("line %d: %s", line, rest), { line = line }) end
  reject(400, "bad_input", rest)
end

-- Each document of the body as a corpus record, in order.  Raises rejects.
-- The corpus reader runs in a coroutine and only warns about bad input; the
-- warning is turned into an error here, outside it (nginx's Lua module does
-- not let errors cross coroutine.wrap).
local function each_record(body, args, headers, opts, fn)
  local fmt = input_format(args, headers, body)
  local pending
  local it = corpus.open({ "-" }, {
    format = fmt,
    stdin = string_file(body),
    on_invalid = opts.repair and "repair" or "skip",
    warn = function(msg)
      if opts.repair and find(msg, "; repaired ", 1, true) then return end
      pending = pending or msg
    end,
  })
  local n = 0
  for rec in it:records() do
    if pending then break end
    n = n + 1
    if #rec.text > opts.max_document then
      local where = rec.line and format("line %d: ", rec.line) or ""
      reject(413, "document_too_large", format("%sthe document's text is %d bytes; the limit for one document is %d",
        where, #rec.text, opts.max_document), { line = rec.line, limit = opts.max_document })
    end
    fn(rec, n)
  end
  if pending then warning_to_reject(pending) end
  return n, fmt
end

-- The service -------------------------------------------------------------------------

local Service = {}
Service.__index = Service

--- A service.  opts: max_body (bytes), max_document (bytes of one text),
-- budget (seconds per request), clock
-- (a function returning seconds; default tidings.core.clock), tidings (the
-- module to analyse with; default require "tidings").
function M.new(opts)
  opts = opts or {}
  local td = opts.tidings or require "tidings"
  local self = setmetatable({
    td = td,
    max_body = opts.max_body or M.MAX_BODY,
    budget = opts.budget or M.BUDGET,
    max_document = opts.max_document or M.MAX_DOCUMENT,
    clock = opts.clock or td.core.clock,
    started = nil,
    requests = 0,
    documents = 0,
    cpu = 0, -- CPU seconds spent answering (the rest of the worker's time is nginx's)
    model = nil,
  }, Service)
  self.started = self.clock()
  return self
end

--- Load what every request needs (the default tagger) now, not on the first
-- request.  Returns the seconds it took.
function Service:warm()
  local t0 = self.clock()
  local tagger = require "tidings.tagger"
  local ok, t = pcall(tagger.default)
  if ok and t then
    local info = t.info and t:info() or {}
    self.model = ordered({ name = info.model or json.null, checksum = info.checksum,
      gazetteer_phrases = info.phrases, patterns = info.patterns },
      { "name", "checksum", "gazetteer_phrases", "patterns" })
    -- warm the whole pipeline once
    local doc = self.td.analyze("Mr. Smith said on 3 May that prices rose 5% in Paris.")
    if doc.entities then doc:entities() end
    if doc.numbers then doc:numbers() end
    if doc.quotes then doc:quotes() end
  else
    self.model = { error = tostring(t) }
  end
  self.warm_seconds = self.clock() - t0
  return self.warm_seconds
end

local function read_statm()
  local f = io.open("/proc/self/statm", "r")
  if not f then return nil end
  local s = f:read("*l")
  f:close()
  local rss = s and tonumber(match(s, "^%d+%s+(%d+)"))
  return rss and rss * 4 -- kB, 4 kB pages
end

function Service:health()
  local v = self.td.versions()
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  if type(jit) == "table" and jit.status then
    v.jit_compiler = jit.status() and "on" or "off"
    keys[#keys + 1] = "jit_compiler"
  end
  local versions = ordered(v, keys)
  local worker = ordered({
    requests = self.requests, documents = self.documents, rss_kb = read_statm(),
    uptime = math.floor(self.clock() - self.started),
    warm_ms = self.warm_seconds and math.floor(self.warm_seconds * 1000 + 0.5) or nil,
    cpu_ms = math.floor(self.cpu * 1000 + 0.5),
  }, { "requests", "documents", "rss_kb", "uptime", "warm_ms", "cpu_ms" })
  local body = ordered({
    status = "ok", tidings = self.td._VERSION, versions = versions, model = self.model or json.null,
    limits = ordered({ max_body = self.max_body, max_document = self.max_document, budget_seconds = self.budget },
      { "max_body", "max_document", "budget_seconds" }),
    worker = worker,
  }, { "status", "tidings", "versions", "model", "limits", "worker" })
  return 200, "application/json", json.encode(body) .. "\n", 0
end

local function check_body(self, body)
  if body == nil or body == "" or not find(body, "%S") then
    reject(400, "empty", "the request body is empty: send a text, or JSONL of {\"text\": ...} objects")
  end
  if #body > self.max_body then
    reject(413, "too_large", format("the request body is %d bytes; the limit is %d", #body, self.max_body),
      { limit = self.max_body })
  end
end

-- Raise when the request has used up its time.
local function check_time(self, t0, n)
  if self.clock() - t0 > self.budget then
    reject(413, "time_budget", format("the request used its time budget of %s s after %d documents; " ..
      "send fewer or shorter documents per request", json.format_number(self.budget), n),
      { documents = n, limit = self.budget })
  end
end

function Service:extract(args, body, headers)
  check_body(self, body)
  local opts = check_options(args)
  opts.max_document = self.max_document
  local t0 = self.clock()
  local out = {}
  local n = each_record(body, args, headers, opts, function(rec, i)
    -- the same bytes as `tidings extract`, built in C (report.extract_json)
    out[i] = report.extract_json(rec, self.td, { reference = opts.reference, text = opts.text })
    check_time(self, t0, i)
  end)
  if n == 0 then reject(400, "empty", "the body holds no document") end
  out[n + 1] = ""
  return 200, "application/x-ndjson", concat(out, "\n"), n
end

local REPORT_FORMATS = { json = "json", md = "markdown", markdown = "markdown", html = "html", text = "text" }
local REPORT_TYPES = { json = "application/json", markdown = "text/markdown; charset=utf-8",
  html = "text/html; charset=utf-8", text = "text/plain; charset=utf-8" }

function Service:report(args, body, headers)
  local fmt = REPORT_FORMATS[args.format or "json"]
  if not fmt then
    reject(400, "bad_parameter", format("format must be json, md, html or text, got '%s'", tostring(args.format)))
  end
  local top
  if args.top ~= nil then
    top = tonumber(args.top)
    if not top or top ~= math.floor(top) or top < 1 or top > 1000 then
      reject(400, "bad_parameter", format("top must be an integer from 1 to 1000, got '%s'", tostring(args.top)))
    end
  end
  check_body(self, body)
  local opts = check_options(args)
  opts.max_document = self.max_document
  local t0 = self.clock()
  local agg = report.new()
  local n = each_record(body, args, headers, opts, function(rec, i)
    agg:add(report.record(rec, self.td, { reference = opts.reference }))
    check_time(self, t0, i)
  end)
  if n == 0 then reject(400, "empty", "the body holds no document") end
  local model = report.finish(agg, { top = top })
  local mod = require("tidings.format." .. fmt)
  local text = mod.render(model, { title = args.title })
  return 200, REPORT_TYPES[fmt], text, n
end

local ROUTES = {
  ["/v1/health"] = { GET = "health", HEAD = "health" },
  ["/v1/extract"] = { POST = "extract" },
  ["/v1/report"] = { POST = "report" },
}

--- Answer one request: status, content type, body, number of documents.
function Service:handle(method, path, args, body, headers)
  args = args or {}
  self.requests = self.requests + 1
  local route = ROUTES[path]
  if not route then
    return 404, "application/json", error_body(404, "not_found",
      format("no endpoint %s (there are GET /v1/health, POST /v1/extract, POST /v1/report)", tostring(path))), 0
  end
  local name = route[method]
  if not name then
    local allowed = {}
    for m in pairs(route) do allowed[#allowed + 1] = m end
    table.sort(allowed)
    return 405, "application/json", error_body(405, "method_not_allowed",
      format("%s %s is not allowed; use %s", tostring(method), path, concat(allowed, " or "))), 0
  end
  -- repeated query parameters arrive as tables: take none of them
  for k, v in pairs(args) do
    if type(v) ~= "string" then
      return 400, "application/json", error_body(400, "bad_parameter",
        format("query parameter '%s' must be given once, with a value", tostring(k))), 0
    end
  end
  local c0 = os.clock()
  local ok, status, ctype, out, n = pcall(self[name], self, args, body, headers)
  self.cpu = self.cpu + (os.clock() - c0)
  if ok then
    self.documents = self.documents + (n or 0)
    return status, ctype, out, n
  end
  local e = status
  if getmetatable(e) == Reject then
    return e.status, "application/json", error_body(e.status, e.code, e.message, e.extra), 0
  end
  return 500, "application/json", error_body(500, "internal", "internal error in tidings: " .. tostring(e)), 0, e
end

M.string_file = string_file
return M
