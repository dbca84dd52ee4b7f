--- tidings: news text to structured facts.
-- The public API.  The work is done in C (tidings.core); this module checks
-- arguments and options so mistakes get errors that name them.
local core = require "tidings.core"

local M = {
  _VERSION = core._VERSION,
  core = core,
  flags = core.flags,
  Doc = core.Doc,
}

-- Options each entry point accepts; others are an error (a typo must not be
-- silently ignored).
local analyze_options = { strict = true, hyphens = true, reference = true }

local function check_text(fname, text)
  if type(text) ~= "string" then
    error(("bad argument #1 to '%s' (string expected, got %s)"):format(fname, type(text)), 3)
  end
end

local function check_opts(fname, opts, known)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error(("bad argument #2 to '%s' (table expected, got %s)"):format(fname, type(opts)), 3)
  end
  for k in pairs(opts) do
    if not known[k] then
      error(("bad argument #2 to '%s' (unknown option '%s')"):format(fname, tostring(k)), 3)
    end
  end
  return opts
end

--- Analyse a text: tokens and sentences now, entities/numbers/quotes on demand.
-- opts.strict: invalid UTF-8 gives nil, message instead of SYMBOL tokens.
-- opts.hyphens: false keeps hyphenated words whole (default true: split).
function M.analyze(text, opts)
  check_text("analyze", text)
  opts = check_opts("analyze", opts, analyze_options)
  local doc, err = core.analyze(text, opts.strict, opts.hyphens ~= false)
  if not doc then return nil, err end
  if opts.reference ~= nil then
    if type(opts.reference) ~= "string" or not opts.reference:match("^%d%d%d%d%-%d%d%-%d%d") then
      error("bad argument #2 to 'analyze' (option 'reference' must be a 'YYYY-MM-DD[Thh:mm[:ss]]' string)", 2)
    end
    local uv = M._private(doc)
    uv.reference = opts.reference
  end
  return doc
end

--- An independent entity tagger (gazetteers, patterns, model): see tidings/tagger.lua.
function M.tagger(spec)
  return require("tidings.tagger").new(spec)
end

--- The tokens of a text as an array of strings.
function M.tokenize(text, opts)
  check_text("tokenize", text)
  opts = check_opts("tokenize", opts, { strict = true, hyphens = true })
  return core.tokenize(text, opts.strict, opts.hyphens ~= false)
end

--- UAX #29 word-boundary segments; table.concat(result) == text.
function M.segments(text)
  check_text("segments", text)
  return core.segments(text)
end

--- Versions of everything tidings is made of.
function M.versions()
  local v = core.versions()
  v.lua = _VERSION
  if type(jit) == "table" then v.luajit = jit.version end
  -- the bundled model's name and checksum (loads the default tagger once)
  local ok, tagger = pcall(require("tidings.tagger").default)
  if ok and tagger then
    local info = tagger:info()
    v.model = info.model
    if info.checksum then v.model_checksum = ("%08x"):format(info.checksum) end
  else
    v.model = "unavailable: " .. tostring(tagger)
  end
  return v
end

--- Boilerplate out, article body in: body, removed, segments.
-- removed = { {start=, stop=, reason=, text=}, ... } in offsets of `text`;
-- segments map the body back to `text` (see csrc/lua_clean.c).
-- opts.patterns = { {name=, pcre=}, ... } adds rules; a bad one gives nil, message.
-- opts.defaults = false drops the built-in rules; opts.structure = false the heuristics.
function M.clean(text, opts)
  check_text("clean", text)
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #2 to 'clean' (table expected, got %s)"):format(type(opts)), 2)
  end
  return core.clean(text, opts)
end

--- A reusable cleaner (rules compiled once): cleaner:clean(text), cleaner:rules().
function M.cleaner(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #1 to 'cleaner' (table expected, got %s)"):format(type(opts)), 2)
  end
  return core.cleaner(opts)
end

--- The built-in boilerplate rules: { {name=, pcre=}, ... }.
function M.boilerplate_patterns()
  return core.boilerplate_patterns()
end

-- The Doc's private table (keeps the text; caches results of later stages).
function M._private(doc)
  return core.private(doc)
end

return M
