-- tidings.corpus: turn command-line inputs into a stream of documents.
--
--   local it = corpus.open({ "corpus/", "more.jsonl", "-" }, opts)
--   for rec in it:records() do ... end
--   it.stats  -> { documents =, skipped =, repaired =, errors =, bytes = }
--
-- Inputs: files; folders, walked recursively in byte order of names (hidden
-- entries and README*/LICENSE* files skipped), taking *.txt *.md *.markdown *.html *.htm *.jsonl
-- *.ndjson; "-" for standard input.  JSONL: one JSON object per line with a
-- "text" field, every other field kept in rec.meta.  HTML is stripped to text
-- (script/style/head dropped, block elements become paragraph breaks,
-- character references decoded); its <title> and date <meta> are kept.
--
-- A record: { index =, id =, path =, line =, format =, text =, title =,
--             date =, meta = }.  `index` counts every document seen in input
-- order (also the ones skipped), so N workers given select = index % N agree
-- on who owns what without talking to each other.
--
-- opts:
--   on_invalid  "skip" (default) or "repair": what to do with a document that
--               is not valid UTF-8.  Either way a warning names the file, the
--               line (JSONL) and the byte offset: never silently.
--   warn        function(message) for warnings (default: io.stderr)
--   select      function(index) -> boolean: only these documents are read in
--               full (the others are counted and passed over)
--   format      "auto" (default), "text", "md", "html" or "jsonl": how to read
--               files whose extension says nothing, and standard input
--   stdin       a file handle to use for "-" (default io.stdin)

local json = require "tidings.json"

local corpus = {}

local core_mod
local function core()
  if core_mod == nil then
    local ok, m = pcall(require, "tidings.core")
    core_mod = ok and m or false
    if not ok then
      error("tidings.corpus needs the compiled module tidings.core: " .. tostring(m), 0)
    end
  end
  return core_mod
end

local find, sub, gsub, lower, byte, format, match, gmatch =
  string.find, string.sub, string.gsub, string.lower, string.byte, string.format,
  string.match, string.gmatch
local concat, sort = table.concat, table.sort

local EXT_FORMAT = {
  txt = "text", text = "text",
  md = "md", markdown = "md",
  html = "html", htm = "html", xhtml = "html",
  jsonl = "jsonl", ndjson = "jsonl",
}
corpus.EXT_FORMAT = EXT_FORMAT

local function ext_of(path)
  local e = match(path, "%.([%w]+)$")
  return e and lower(e)
end

local function join(dir, name)
  if sub(dir, -1) == "/" then return dir .. name end
  return dir .. "/" .. name
end

-- Expand the command-line paths into a list of { path =, format =, size = }.
-- Problems (missing path, unreadable folder) are returned as messages.
function corpus.expand(paths, fmt)
  local c = core()
  local out, problems = {}, {}
  local function walk(dir, depth)
    if depth > 64 then
      problems[#problems + 1] = dir .. ": folders nested too deep (a symbolic link loop?)"
      return
    end
    local names, err = c.listdir(dir)
    if not names then problems[#problems + 1] = err; return end
    sort(names)
    for _, name in ipairs(names) do
      -- hidden entries and a folder's README/LICENSE are not articles
      local upper = name:upper()
      if sub(name, 1, 1) ~= "." and not find(upper, "^README") and not find(upper, "^LICEN[CS]E") then
        local p = join(dir, name)
        local st = c.stat(p)
        if st and st.type == "directory" then
          walk(p, depth + 1)
        elseif st and st.type == "file" then
          local f = EXT_FORMAT[ext_of(name) or ""]
          if f then out[#out + 1] = { path = p, format = f, size = st.size } end
        end
      end
    end
  end
  for _, p in ipairs(paths) do
    if p == "-" then
      out[#out + 1] = { path = "-", format = fmt ~= "auto" and fmt or "auto", size = nil }
    else
      local st, err = c.stat(p)
      if not st then
        problems[#problems + 1] = err
      elseif st.type == "directory" then
        walk(p, 0)
      else
        local f = (fmt and fmt ~= "auto") and fmt or EXT_FORMAT[ext_of(p) or ""] or "text"
        out[#out + 1] = { path = p, format = f, size = st.size }
      end
    end
  end
  return out, problems
end

-- HTML to text ----------------------------------------------------------------

local ENTITIES = {
  amp = "&", lt = "<", gt = ">", quot = '"', apos = "'", nbsp = " ",
  mdash = "—", ndash = "–", hellip = "…", lsquo = "‘", rsquo = "’",
  ldquo = "“", rdquo = "”", sbquo = "‚", bdquo = "„", laquo = "«", raquo = "»",
  copy = "©", reg = "®", trade = "™", euro = "€", pound = "£", yen = "¥",
  cent = "¢", deg = "°", middot = "·", bull = "•", times = "×", minus = "−",
  shy = "", zwj = "", zwnj = "", thinsp = " ", ensp = " ", emsp = " ",
  eacute = "é", egrave = "è", aacute = "á", agrave = "à", iacute = "í",
  oacute = "ó", uacute = "ú", ccedil = "ç", ntilde = "ñ", ouml = "ö",
  uuml = "ü", auml = "ä", szlig = "ß", Eacute = "É", Ouml = "Ö", Uuml = "Ü",
  Auml = "Ä", scaron = "š", Scaron = "Š", gbreve = "ğ", Gbreve = "Ğ",
}

local function utf8_char(cp)
  local floor = math.floor
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then return string.char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then
    return string.char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return string.char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64,
    0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
end

local function decode_entity(name)
  local cp
  if sub(name, 1, 2) == "#x" or sub(name, 1, 2) == "#X" then
    cp = tonumber(sub(name, 3), 16)
  elseif sub(name, 1, 1) == "#" then
    cp = tonumber(sub(name, 2), 10)
  else
    return ENTITIES[name]
  end
  if not cp or cp == 0 or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then
    return "\239\191\189"
  end
  return utf8_char(cp)
end

function corpus.decode_entities(s)
  return (gsub(s, "&(#?[%w]+);", function(name) return decode_entity(name) end))
end

-- A case-insensitive Lua pattern for a tag name.
local function ci(word)
  return (gsub(word, "%a", function(c) return "[" .. lower(c) .. c:upper() .. "]" end))
end

local DROP = { "script", "style", "noscript", "template", "svg", "iframe", "head", "object" }
local BLOCK = {
  p = true, div = true, br = true, hr = true, li = true, ul = true, ol = true,
  h1 = true, h2 = true, h3 = true, h4 = true, h5 = true, h6 = true, tr = true,
  td = true, th = true, table = true, section = true, article = true, header = true,
  footer = true, nav = true, aside = true, blockquote = true, pre = true,
  figure = true, figcaption = true, dd = true, dt = true, dl = true, main = true,
  form = true, title = true, address = true, details = true, summary = true,
}

--- Strip an HTML page to text.  Returns text, title, date (either may be nil).
function corpus.html_to_text(html)
  local title = match(html, "<" .. ci("title") .. "[^>]*>(.-)</" .. ci("title") .. "%s*>")
  if title then title = corpus.decode_entities(gsub(gsub(title, "<[^>]*>", ""), "%s+", " ")) end
  local date
  for tag in gmatch(html, "<[mM][eE][tT][aA]%s[^>]*>") do
    local l = lower(tag)
    if find(l, "published_time", 1, true) or find(l, "name=[\"']date[\"']")
      or find(l, "pubdate", 1, true) or find(l, "dc.date", 1, true) then
      date = match(tag, "[cC][oO][nN][tT][eE][nN][tT]%s*=%s*[\"']([^\"']*)[\"']")
      if date then break end
    end
  end
  if not date then date = match(html, "<time[^>]-datetime%s*=%s*[\"']([^\"']+)[\"']") end
  local s = gsub(html, "<!%-%-.-%-%->", "")
  s = gsub(s, "<!%[CDATA%[.-%]%]>", "")
  s = gsub(s, "<![^>]*>", "")
  for _, t in ipairs(DROP) do
    s = gsub(s, "<" .. ci(t) .. "[%s>].-</" .. ci(t) .. "%s*>", " ")
  end
  s = gsub(s, "<(/?)([%a][%w]*)[^>]*>", function(_, name)
    if BLOCK[lower(name)] then
      return lower(name) == "br" and "\n" or "\n\n"
    end
    return ""
  end)
  s = gsub(s, "<[^>]*>", "")
  s = corpus.decode_entities(s)
  s = gsub(s, "\r\n?", "\n")
  s = gsub(s, "[ \t\f\v]+", " ")
  s = gsub(s, " *\n *", "\n")
  s = gsub(s, "\n\n\n+", "\n\n")
  s = gsub(gsub(s, "^%s+", ""), "%s+$", "")
  if date then date = match(date, "^%s*(.-)%s*$") end
  return s .. "\n", title, date ~= "" and date or nil
end

-- Titles ---------------------------------------------------------------------

--- The title of a plain-text article: among its first three non-empty lines,
-- the first that looks like a headline (2 to 30 words, no final full stop);
-- otherwise the first line.  Markdown: the first "# " heading.
function corpus.guess_title(text, fmt)
  if fmt == "md" then
    local h = match(text, "^#%s+([^\n]+)") or match(text, "\n#%s+([^\n]+)")
    if h then return (gsub(h, "%s+#*%s*$", "")) end
  end
  local first, n = nil, 0
  for line in gmatch(text, "[^\n]+") do
    line = match(line, "^%s*(.-)%s*$")
    if line ~= "" then
      n = n + 1
      first = first or line
      local words = 0
      for _ in gmatch(line, "%S+") do words = words + 1 end
      if words >= 3 and words <= 30 and #line <= 300 and not find(line, "[.:]$") then
        return (gsub(line, "^#+%s*", ""))
      end
      if n >= 3 then break end
    end
  end
  if first and #first <= 300 then return first end
  return nil
end

-- UTF-8 ------------------------------------------------------------------------

-- Line and column (1-based, in bytes) of byte offset `off` in s.
local function line_col(s, off)
  local line, last = 1, 0
  local p = 1
  while true do
    local nl = find(s, "\n", p, true)
    if not nl or nl >= off then break end
    line = line + 1; last = nl; p = nl + 1
  end
  return line, off - last
end
corpus.line_col = line_col

-- Documents ----------------------------------------------------------------------

local Iter = {}
Iter.__index = Iter

function corpus.open(paths, opts)
  opts = opts or {}
  local on_invalid = opts.on_invalid or "skip"
  if on_invalid ~= "skip" and on_invalid ~= "repair" then
    error("bad option 'on_invalid' (\"skip\" or \"repair\" expected, got " .. tostring(on_invalid) .. ")", 2)
  end
  local files, problems = corpus.expand(paths, opts.format or "auto")
  local total = 0
  for _, f in ipairs(files) do total = total + (f.size or 0) end
  local self = setmetatable({
    files = files,
    on_invalid = on_invalid,
    warn = opts.warn or function(msg) io.stderr:write("tidings: ", msg, "\n") end,
    select = opts.select,
    stdin = opts.stdin or io.stdin,
    bytes_total = total,
    bytes_done = 0,
    stats = { documents = 0, skipped = 0, repaired = 0, errors = 0, inputs = #files },
  }, Iter)
  for _, p in ipairs(problems) do
    self.stats.errors = self.stats.errors + 1
    self.warn(p)
  end
  return self
end

-- Validate (and maybe repair) rec.text; returns rec or nil when skipped.
-- where names the input in warnings (with ":lineno" when given).
function Iter:check_utf8(rec, where, lineno)
  local c = core()
  local bad = c.utf8_check(rec.text)
  if not bad then return rec end
  if lineno then where = format("%s:%d", where, lineno) end
  local line, col = line_col(rec.text, bad)
  local at = format("invalid UTF-8 at byte %d (text line %d, column %d)", bad - 1, line, col)
  if self.on_invalid == "repair" then
    local fixed, n = c.utf8_repair(rec.text)
    rec.text = fixed
    rec.repaired = n
    self.stats.repaired = self.stats.repaired + 1
    self.warn(format("%s: %s; repaired %d byte%s with U+FFFD", where, at, n, n == 1 and "" or "s"))
    return rec
  end
  self.stats.skipped = self.stats.skipped + 1
  self.warn(format("%s: %s; skipped (use --on-invalid repair to keep it)", where, at))
  return nil
end

local function read_all(path, stdin)
  if path == "-" then return stdin:read("*a") end
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s, rerr = f:read("*a")
  f:close()
  if not s then return nil, path .. ": " .. tostring(rerr) end
  return s
end

local function sniff(text)
  local c = match(text, "^%s*(.)")
  if c == "{" then return "jsonl" end
  if c == "<" then return "html" end
  return "text"
end

-- Build a record from a whole-file text.
local function make_record(index, path, fmt, text)
  local rec = { index = index, id = path == "-" and "stdin" or path, path = path, format = fmt, meta = {} }
  if fmt == "html" then
    local t, title, date = corpus.html_to_text(text)
    rec.text, rec.title, rec.date = t, title, date
    if rec.title == nil then rec.title = corpus.guess_title(t, "text") end
  else
    rec.text = text
    rec.title = corpus.guess_title(text, fmt)
  end
  return rec
end

-- Check a whole-file text's UTF-8 (as read, so offsets are the file's own),
-- build its record and hand it on; a text refused by check_utf8 is skipped.
function Iter:_yield_text(yield, index, path, fmt, text, where)
  local checked = self:check_utf8({ text = text }, where)
  local rec = checked and make_record(index, path, fmt, checked.text)
  if rec then
    rec.repaired = checked.repaired
    self.stats.documents = self.stats.documents + 1
    yield(rec)
  end
end

local META_SKIP = { text = true }

-- Build a record from one JSONL line (already decoded).
local function jsonl_record(index, path, lineno, obj)
  local meta = {}
  for k, v in pairs(obj) do
    if not META_SKIP[k] then meta[k] = v end
  end
  local id = obj.id
  if type(id) == "number" then id = json.format_number(id) end
  if type(id) ~= "string" or id == "" then id = format("%s:%d", path == "-" and "stdin" or path, lineno) end
  local title = type(obj.title) == "string" and obj.title or nil
  local date = type(obj.date) == "string" and obj.date or nil
  local rec = {
    index = index, id = id, path = path, line = lineno, format = "jsonl",
    text = obj.text, meta = meta, title = title, date = date,
  }
  if not title then rec.title = corpus.guess_title(obj.text, "text") end
  return rec
end

-- Decode one JSONL line: json.decode(line)'s value or nil, message.  A
-- line of plain values (strings, integers, booleans, null, arrays, objects)
-- is decoded whole in C (core.json_object).  Otherwise the article text is
-- cut out and decoded in C (core.jsonl_text), so the Lua decoder reads only
-- the small metadata around it; when the C scan cannot vouch for the line,
-- or what is left does not decode, the whole line goes through json.decode
-- (which also writes the error messages).
local function decode_line(line)
  local obj = core().json_object(line, json.array_mt, json.null)
  if obj then return obj end
  local text, rest = core().jsonl_text(line)
  if text then
    local obj = json.decode(rest)
    if type(obj) == "table" then
      obj.text = text
      return obj
    end
  end
  return json.decode(line)
end
corpus.decode_line = decode_line

--- Iterate over the documents: `for rec in it:records() do`.
function Iter:records()
  return coroutine.wrap(function() self:_run() end)
end

function Iter:_take(index)
  return self.select == nil or self.select(index)
end

function Iter:_run()
  local index = 0
  local yield = coroutine.yield
  for _, f in ipairs(self.files) do
    local path, fmt = f.path, f.format
    local where = path == "-" and "<stdin>" or path
    if fmt == "jsonl" or fmt == "auto" then
      -- open as a stream; "auto" (stdin only) decides on the first line
      local h, err
      if path == "-" then h = self.stdin else h, err = io.open(path, "rb") end
      if not h then
        self.stats.errors = self.stats.errors + 1
        self.warn(tostring(err))
      else
        local lineno = 0
        local first = true
        local whole -- for "auto" that turns out not to be JSONL
        for line in h:lines() do
          lineno = lineno + 1
          self.bytes_done = self.bytes_done + #line + 1
          if first and fmt == "auto" then
            local kind = sniff(line)
            if kind ~= "jsonl" then
              whole = { line, "\n", h:read("*a") or "" }
              fmt = kind
              break
            end
            fmt = "jsonl"
          end
          first = false
          if find(line, "%S") then
            index = index + 1
            if self:_take(index) then
              local obj, jerr = decode_line(line)
              if not obj then
                self.stats.errors = self.stats.errors + 1
                self.warn(format("%s:%d: invalid JSON: %s", where, lineno, (gsub(jerr, "^line 1, ", ""))))
              elseif type(obj) ~= "table" or json.is_array(obj) then
                self.stats.errors = self.stats.errors + 1
                self.warn(format("%s:%d: expected a JSON object with a \"text\" field", where, lineno))
              elseif type(obj.text) ~= "string" then
                self.stats.errors = self.stats.errors + 1
                self.warn(format("%s:%d: no \"text\" string in the object", where, lineno))
              else
                local rec = self:check_utf8(jsonl_record(index, path, lineno, obj), where, lineno)
                if rec then
                  self.stats.documents = self.stats.documents + 1
                  yield(rec)
                end
              end
            end
          end
        end
        if h ~= self.stdin then h:close() end
        if whole then
          local text = concat(whole)
          index = index + 1
          if self:_take(index) then
            self:_yield_text(yield, index, path, fmt, text, where)
          end
        end
      end
    else
      index = index + 1
      if self:_take(index) then
        local text, err = read_all(path, self.stdin)
        if not text then
          self.stats.errors = self.stats.errors + 1
          self.warn(tostring(err))
        else
          self.bytes_done = self.bytes_done + #text
          if fmt == "auto" then fmt = sniff(text) end
          self:_yield_text(yield, index, path, fmt, text, where)
        end
      else
        self.bytes_done = self.bytes_done + (f.size or 0)
      end
    end
  end
end

return corpus
