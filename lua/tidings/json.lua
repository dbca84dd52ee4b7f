-- tidings.json: a small JSON encoder and decoder for the command line and
-- the tools around it.
--
--   json.encode(value [, opts]) -> string
--   json.decode(string [, opts]) -> value | nil, message
--
-- Guarantees
--   * Deterministic output: object keys are sorted (byte order), unless the
--     table carries an explicit order (json.ordered / metatable __jsonorder:
--     those keys first, in that order, then the rest sorted).
--   * Exact integers: integral numbers up to 2^53 are written without a
--     fraction or exponent on every Lua version; Lua 5.3+ integers in full.
--     Other numbers use the shortest of %.15g/%.16g/%.17g that reads back
--     exactly.  inf and nan cannot be written (error).
--   * No locale: the decimal point is always '.', whatever LC_NUMERIC says,
--     on output and on input.
--   * Arrays vs objects: a table with keys 1..n is an array; an empty table
--     is an object unless it is marked with json.array(t) (or any metatable
--     with __jsontype = "array", or __name = "tidings.array").  json.object(t)
--     forces an object.  Sparse or mixed tables are an error, never a guess.
--   * json.null is the decoded JSON null (and encodes as null);
--     json.raw(s) embeds an already-encoded JSON text verbatim.
--
-- Decoder errors are `nil, "line L, column C: message"` (1-based), so callers
-- can prefix a file name.  Decoded arrays carry the array metatable, so a
-- decoded `[]` encodes back as `[]`.

local json = {}

local type, pairs, ipairs, next, select = type, pairs, ipairs, next, select
local tostring, tonumber, error, setmetatable, getmetatable =
  tostring, tonumber, error, setmetatable, getmetatable
local byte, char, find, format, gsub, sub, rep =
  string.byte, string.char, string.find, string.format, string.gsub, string.sub, string.rep
local concat, sort = table.concat, table.sort
local floor, huge = math.floor, math.huge
local math_type = math.type -- nil before 5.3

-- Sentinels and markers -------------------------------------------------

json.null = setmetatable({}, {
  __name = "tidings.json.null",
  __tostring = function() return "null" end,
  __newindex = function() error("json.null is read-only", 2) end,
})

local array_mt = { __jsontype = "array", __name = "tidings.array" }
local object_mt = { __jsontype = "object" }
local raw_mt = { __jsontype = "raw" }
json.array_mt = array_mt

--- Mark t (default: a new table) as an array; returns t.
function json.array(t)
  return setmetatable(t or {}, array_mt)
end

--- Mark t (default: a new table) as an object; returns t.
function json.object(t)
  return setmetatable(t or {}, object_mt)
end

--- An object whose listed keys are written first, in this order.
function json.ordered(t, keys)
  return setmetatable(t or {}, { __jsontype = "object", __jsonorder = keys })
end

--- Embed an encoded JSON text verbatim (the caller vouches for it).
function json.raw(s)
  if type(s) ~= "string" then
    error("bad argument #1 to 'raw' (string expected, got " .. type(s) .. ")", 2)
  end
  return setmetatable({ s }, raw_mt)
end

function json.is_array(t)
  local mt = getmetatable(t)
  return mt ~= nil and (mt.__jsontype == "array" or mt.__name == "tidings.array")
end

-- Numbers without the locale ----------------------------------------------

-- The decimal point the C library uses right now (a host may setlocale).
local function locale_point()
  return sub(format("%.1f", 0.5), 2, 2)
end

local function fmt_float(x, point)
  for _, f in ipairs({ "%.15g", "%.16g", "%.17g" }) do
    local s = format(f, x)
    if point ~= "." then s = gsub(s, "%" .. point, ".") end
    local back = s
    if point ~= "." then back = gsub(s, "%.", point) end
    if tonumber(back) == x then return s end
  end
  local s = format("%.17g", x)
  if point ~= "." then s = gsub(s, "%" .. point, ".") end
  return s
end

local TWO53 = 2 ^ 53

-- st: the encoder's state, whose decimal point is looked up on first use
-- (a format() per call showed in profiles of small documents); nil: look it up.
local function fmt_number(x, st)
  if math_type and math_type(x) == "integer" then
    return format("%d", x)
  end
  if x ~= x or x == huge or x == -huge then
    error("json.encode: cannot encode " .. tostring(x), 0)
  end
  if x == floor(x) and x > -TWO53 and x < TWO53 then
    if x == 0 then return "0" end -- also -0.0
    return format("%.0f", x)
  end
  local point = st and st.point
  if not point then
    point = locale_point()
    if st then st.point = point end
  end
  return fmt_float(x, point)
end
json.format_number = function(x) return fmt_number(x, nil) end

-- Encoder -----------------------------------------------------------------

local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}
for i = 0, 31 do
  local c = char(i)
  if not escapes[c] then escapes[c] = format("\\u%04x", i) end
end
escapes["\127"] = "\\u007f"

local function quote(s)
  if find(s, '[%c"\\]') then
    s = gsub(s, '[%c"\\]', escapes)
  end
  return '"' .. s .. '"'
end
json.quote = quote

local function keycmp(a, b) return a < b end

local encode_value

local function encode_table(t, out, n, st, depth)
  if depth > st.maxdepth then error("json.encode: nesting deeper than " .. st.maxdepth, 0) end
  local mt = getmetatable(t)
  local jt = mt and mt.__jsontype
  if jt == "raw" then
    n = n + 1; out[n] = t[1]; return n
  end
  if st.seen[t] then error("json.encode: reference cycle", 0) end
  st.seen[t] = true
  local is_array
  if jt == "array" or (mt and mt.__name == "tidings.array") then
    is_array = true
  elseif jt == "object" then
    is_array = false
  else
    is_array = t[1] ~= nil or false
  end
  local indent = st.indent
  local nl, nl_end, colon = "", "", ":"
  if indent then
    nl = "\n" .. rep(indent, depth + 1)
    nl_end = "\n" .. rep(indent, depth)
    colon = ": "
  end
  if is_array then
    local len = #t
    if jt ~= "array" then
      -- an unmarked table: every key must be 1..len (marked arrays are
      -- trusted to be sequences, which keeps the hot path lean)
      for k in pairs(t) do
        if type(k) ~= "number" or k < 1 or k > len or k ~= floor(k) then
          error("json.encode: table mixes array and object keys (key " .. tostring(k) .. ")", 0)
        end
      end
    end
    if len == 0 then n = n + 1; out[n] = "[]"; st.seen[t] = nil; return n end
    n = n + 1; out[n] = "["
    for i = 1, len do
      if i > 1 then n = n + 1; out[n] = "," end
      if indent then n = n + 1; out[n] = nl end
      local v = t[i]
      if math_type and math_type(v) == "integer" then
        n = n + 1; out[n] = tostring(v)
      else
        n = encode_value(v, out, n, st, depth + 1)
      end
    end
    if indent then n = n + 1; out[n] = nl_end end
    n = n + 1; out[n] = "]"
  else
    local order = mt and mt.__jsonorder
    local count = 0
    local done = 0
    n = n + 1; out[n] = "{"
    local keyq = st.keyq
    if order then
      for i = 1, #order do
        local k = order[i]
        local v = t[k]
        if v ~= nil then
          count = count + 1
          if count > 1 then n = n + 1; out[n] = "," end
          if indent then n = n + 1; out[n] = nl end
          local kq = keyq[k]
          if not kq then kq = quote(k) .. colon; keyq[k] = kq end
          n = n + 1; out[n] = kq
          n = encode_value(v, out, n, st, depth + 1)
          done = done + 1
        end
      end
    end
    -- the keys the order did not name (all of them without an order), sorted
    local total = 0
    for k in pairs(t) do
      if type(k) ~= "string" then
        error("json.encode: object key is a " .. type(k) .. " (" .. tostring(k) .. ")", 0)
      end
      total = total + 1
    end
    if total > done then
      local placed
      if order then
        placed = {}
        for i = 1, #order do placed[order[i]] = true end
      end
      local rest, nr = {}, 0
      for k in pairs(t) do
        if not (placed and placed[k]) then nr = nr + 1; rest[nr] = k end
      end
      sort(rest, keycmp)
      for i = 1, nr do
        local k = rest[i]
        count = count + 1
        if count > 1 then n = n + 1; out[n] = "," end
        if indent then n = n + 1; out[n] = nl end
        local kq = keyq[k]
        if not kq then kq = quote(k) .. colon; keyq[k] = kq end
        n = n + 1; out[n] = kq
        n = encode_value(t[k], out, n, st, depth + 1)
      end
    end
    local first = count == 0
    if first then out[n] = "{}"; st.seen[t] = nil; return n end
    if indent then n = n + 1; out[n] = nl_end end
    n = n + 1; out[n] = "}"
  end
  st.seen[t] = nil
  return n
end

encode_value = function(v, out, n, st, depth)
  local tv = type(v)
  if tv == "string" then
    n = n + 1; out[n] = quote(v)
  elseif tv == "number" then
    n = n + 1
    if math_type and math_type(v) == "integer" then out[n] = tostring(v) else out[n] = fmt_number(v, st) end
  elseif tv == "boolean" then
    n = n + 1; out[n] = v and "true" or "false"
  elseif v == nil or v == json.null then
    n = n + 1; out[n] = "null"
  elseif tv == "table" then
    n = encode_table(v, out, n, st, depth)
  else
    error("json.encode: cannot encode a " .. tv, 0)
  end
  return n
end

--- Encode a value.  opts.indent: a string (e.g. "  ") for pretty output.
function json.encode(v, opts)
  local st = {
    seen = {},
    keyq = {},
    point = nil, -- the decimal point, looked up when a number needs it
    indent = opts and opts.indent or nil,
    maxdepth = opts and opts.maxdepth or 1000,
  }
  local out = {}
  local n = encode_value(v, out, 0, st, 0)
  return concat(out, "", 1, n)
end

-- Decoder -----------------------------------------------------------------

local function position(s, i)
  local line, last = 1, 1
  local p = 1
  while true do
    local nl = find(s, "\n", p, true)
    if not nl or nl >= i then break end
    line = line + 1
    last = nl + 1
    p = nl + 1
  end
  return line, i - last + 1
end

local function fail(s, i, msg)
  local line, col = position(s, i)
  error({ json_error = format("line %d, column %d: %s", line, col, msg) }, 0)
end

local function utf8_char(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then
    return char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64,
    0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
end

local unescape_simple = {
  [34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [102] = "\f",
  [110] = "\n", [114] = "\r", [116] = "\t",
}

local decode_value

local function skip_ws(s, i)
  local _, e = find(s, "^[ \t\r\n]*", i)
  return e + 1
end

local function decode_string(s, i)
  -- s[i] is the opening quote
  local j = i + 1 -- start of the bytes not yet copied
  local p = j      -- where to search on (past a DEL, which stays in the text)
  local parts, np = nil, 0
  while true do
    local a = find(s, '["\\%c]', p)
    if not a then fail(s, i, "unterminated string") end
    local c = byte(s, a)
    if c == 34 then -- closing quote
      if not parts then return sub(s, i + 1, a - 1), a + 1 end
      np = np + 1; parts[np] = sub(s, j, a - 1)
      return concat(parts, "", 1, np), a + 1
    elseif c == 92 then
      parts = parts or {}
      np = np + 1; parts[np] = sub(s, j, a - 1)
      local e = byte(s, a + 1)
      if e == 117 then -- \uXXXX
        local hex = sub(s, a + 2, a + 5)
        if not find(hex, "^%x%x%x%x$") then fail(s, a, "bad \\u escape") end
        local cp = tonumber(hex, 16)
        local nexti = a + 6
        if cp >= 0xD800 and cp <= 0xDBFF then
          local lo = sub(s, a + 6, a + 11)
          if find(lo, "^\\u[dD][c-fC-F]%x%x$") then
            cp = 0x10000 + (cp - 0xD800) * 1024 + (tonumber(sub(lo, 3), 16) - 0xDC00)
            nexti = a + 12
          else
            cp = 0xFFFD -- lone surrogate: replacement character
          end
        elseif cp >= 0xDC00 and cp <= 0xDFFF then
          cp = 0xFFFD
        end
        np = np + 1; parts[np] = utf8_char(cp)
        j = nexti
      else
        local r = e and unescape_simple[e]
        if not r then fail(s, a, "bad escape") end
        np = np + 1; parts[np] = r
        j = a + 2
      end
      p = j
    elseif c == 127 then -- DEL is allowed in JSON strings
      p = a + 1
    else
      fail(s, a, "control character in string")
    end
  end
end

local function decode_number(s, i, st)
  local a, e = find(s, "^-?%d+", i)
  if not a then fail(s, i, "unexpected character") end
  local int = sub(s, a, e)
  if #int > 1 and find(int, "^-?0%d") then fail(s, i, "leading zero in number") end
  local _, fe = find(s, "^%.%d+", e + 1)
  local _, ee = find(s, "^[eE][-+]?%d+", (fe or e) + 1)
  local stop = ee or fe or e
  local text = sub(s, i, stop)
  if not fe and not ee then
    -- an integer literal: exact as an integer on 5.3+ when it fits
    if math_type and #int <= 19 then
      local v = math.tointeger(tonumber(text))
      if v and format("%d", v) == text then return v, stop + 1 end
    end
  end
  local point = st.point
  if not point then point = locale_point(); st.point = point end
  if point ~= "." then text = gsub(text, "%.", point) end
  local v = tonumber(text)
  if not v then fail(s, i, "bad number") end
  return v, stop + 1
end

local function decode_array(s, i, st, depth)
  if depth > st.maxdepth then fail(s, i, "nesting too deep") end
  local t, n = setmetatable({}, array_mt), 0
  i = skip_ws(s, i + 1)
  if byte(s, i) == 93 then return t, i + 1 end
  while true do
    local v
    v, i = decode_value(s, i, st, depth + 1)
    n = n + 1; t[n] = v
    i = skip_ws(s, i)
    local c = byte(s, i)
    if c == 93 then return t, i + 1 end
    if c ~= 44 then fail(s, i, "expected ',' or ']'") end
    i = skip_ws(s, i + 1)
  end
end

local function decode_object(s, i, st, depth)
  if depth > st.maxdepth then fail(s, i, "nesting too deep") end
  local t = {}
  i = skip_ws(s, i + 1)
  if byte(s, i) == 125 then return t, i + 1 end
  while true do
    if byte(s, i) ~= 34 then fail(s, i, "expected a string key") end
    local k
    k, i = decode_string(s, i)
    i = skip_ws(s, i)
    if byte(s, i) ~= 58 then fail(s, i, "expected ':'") end
    i = skip_ws(s, i + 1)
    local v
    v, i = decode_value(s, i, st, depth + 1)
    if v == json.null and st.null == nil then v = nil end
    t[k] = v
    i = skip_ws(s, i)
    local c = byte(s, i)
    if c == 125 then return t, i + 1 end
    if c ~= 44 then fail(s, i, "expected ',' or '}'") end
    i = skip_ws(s, i + 1)
  end
end

decode_value = function(s, i, st, depth)
  local c = byte(s, i)
  if c == 34 then return decode_string(s, i)
  elseif c == 123 then return decode_object(s, i, st, depth)
  elseif c == 91 then return decode_array(s, i, st, depth)
  elseif c == 116 then
    if sub(s, i, i + 3) == "true" then return true, i + 4 end
  elseif c == 102 then
    if sub(s, i, i + 4) == "false" then return false, i + 5 end
  elseif c == 110 then
    if sub(s, i, i + 3) == "null" then return json.null, i + 4 end
  elseif c == nil then
    fail(s, i, "unexpected end of input")
  else
    return decode_number(s, i, st)
  end
  fail(s, i, "unexpected character")
end

--- Decode a JSON text.  Returns the value, or nil and "line L, column C: msg".
-- opts.null: what a null inside an object becomes (default: the key is
-- dropped; pass json.null to keep it).  Nulls in arrays and at top level
-- are always json.null, so arrays keep their length.
function json.decode(s, opts)
  if type(s) ~= "string" then
    error("bad argument #1 to 'decode' (string expected, got " .. type(s) .. ")", 2)
  end
  local st = {
    point = nil, -- the decimal point, looked up when a number needs it
    null = opts and opts.null,
    maxdepth = opts and opts.maxdepth or 1000,
  }
  local ok, v, i = pcall(function()
    local i0 = skip_ws(s, 1)
    local v, i = decode_value(s, i0, st, 0)
    i = skip_ws(s, i)
    if i <= #s then fail(s, i, "trailing characters after the value") end
    return v, i
  end)
  if ok then return v end
  if type(v) == "table" and v.json_error then return nil, v.json_error end
  error(v, 0)
end

return json
