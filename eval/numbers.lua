-- eval/numbers.lua: score doc:numbers() against the development halves of
-- Microsoft Recognizers-Text's English specs (Number, NumberWithUnit,
-- DateTime) and Facebook Duckling's English corpus.
--
--   lua5.4 eval/numbers.lua [--data DIR] [--verbose] [--file PATTERN]
--
-- Run from the repository root with LUA_PATH/LUA_CPATH pointing at the build
-- (`make eval` does).  The data lives in ../shared/data (or --data DIR); when
-- it is absent the script says so and exits 0.
--
-- What "a case passes" means
-- Recognizers: a case is one Input with its expected Results.  Cases marked
-- NotSupported for "dotnet" (the reference implementation fails them too) are
-- left out.  Our results are projected onto the model's types:
--   Number*      number      <- cardinal, fraction
--   Ordinal*     ordinal     <- ordinal (relative ones, "end-1", asked for with
--                               opts.relative except in SuppressExtendedTypes files)
--   Percent*     percentage  <- percent
--   NumberRange* numberrange <- a range, or a number with a bound
--   Currency     currency    <- money
--   Dimension    dimension   <- quantity (not temperature)
--   Temperature  temperature <- quantity in degrees
--   Age          age         <- quantity of dimension "age" ("29 years old")
--   DateTime/*   datetimeV2.* / date, time, ... <- date, time, duration, set, time range
-- STRICT pass: every expected result is matched by one projected result with
-- the same text (case-insensitive, trimmed; outside NumberRange a result
-- with a bound also matches without its modifier, since recognizers leave
-- "about", "more than" out of the text) and the same resolution, and no
-- projected result is left over.  Resolution: numbers equal to 1e-9
-- (relative); percentage value; range bounds (low/high, which side is open);
-- currency value (cents converted) and ISO code or currency family;
-- dimension value and unit; datetime timex (any of the expected values; an
-- interval "(A,B,P)" is compared as "A/B"; our resolved or as-written timex
-- may match).  Extractor files (no resolution) compare text only.
-- LENIENT pass: every expected text is found, resolution and extra results
-- ignored.
--
-- Duckling: each phrase of an example group must give, as a whole (a leading
-- "at", "on", "in", "for", "during" or "@" may stay outside the result; a
-- quantity's product is a field beside its text: "3 cups" + "of" + product
-- "sugar"), one result of the right dimension with the group's value (and
-- product: Just "sugar" or none) (the group's reference, 2013-02-12T04:30 but one,
-- bare weekdays resolved forwards as Duckling does).  Negative groups pass
-- when a phrase gives no result covering it.  Times compare the date/time
-- fields down to the value's grain; a time of day without a date ("T15:20")
-- compares its clock only.  Duckling's reference is at -02:00; we write
-- the zone as said, so a result with a zone is not compared to it.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"
local json = require "tidings.json"

local data = "../shared/data"
local verbose, only = false, nil
do
  local i = 1
  while arg and arg[i] do
    if arg[i] == "--data" then data = arg[i + 1]; i = i + 1
    elseif arg[i] == "--verbose" or arg[i] == "-v" then verbose = true
    elseif arg[i] == "--file" then only = arg[i + 1]; i = i + 1
    end
    i = i + 1
  end
end

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a") or f:read("*a")
  f:close()
  return s
end

local rec_dir = data .. "/recognizers/Specs"
local duck_file = data .. "/duckling/duckling_en_examples.jsonl"
if not readfile(duck_file) and not readfile(rec_dir .. "/Number/English/NumberModel.json") then
  print("eval/numbers.lua: data not found under " .. data .. " (recognizers/, duckling/): nothing to score")
  os.exit(0)
end

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end
local function lower(s) return trim(s):lower() end
local function numeq(a, b)
  if a == nil or b == nil then return false end
  if a == b then return true end
  local d = math.abs(a - b)
  return d <= 1e-9 * math.max(math.abs(a), math.abs(b)) or d < 1e-12
end

-- ---- recognizers -------------------------------------------------------

local function list_files(dir)
  local out = {}
  local p = io.popen('ls "' .. dir .. '" 2>/dev/null')
  if p then
    for name in p:lines() do if name:match("%.json$") then out[#out + 1] = name end end
    p:close()
  end
  table.sort(out)
  return out
end

-- recognizers unit names -> our unit symbols
local dim_units = {
  Kilometer = "km", Meter = "m", Centimeter = "cm", Millimeter = "mm", Decimeter = "dm", Picometer = "pm",
  Mile = "mi", Foot = "ft", Inch = "in", Yard = "yd", Kilogram = "kg", Gram = "g", Milligram = "mg",
  Microgram = "µg", ["Metric ton"] = "t", Ton = "ton", Pound = "lb", Ounce = "oz", Dram = "dr",
  Liter = "L", Milliliter = "mL", Gallon = "gal", Barrel = "bbl", Teaspoon = "tsp", Tablespoon = "tbsp",
  Cup = "cup", Pint = "pt", Hectare = "ha", Acre = "acre", ["Square meter"] = "m²",
  ["Square kilometer"] = "km²", ["Square foot"] = "ft²", ["Square mile"] = "mi²", ["Cubic foot"] = "ft³",
  ["Cubic meter"] = "m³", Bit = "bit", Byte = "B", Kilobyte = "kB", Megabyte = "MB", Gigabyte = "GB",
  Terabyte = "TB", Degree = "°", Radian = "rad", ["Kilometer per hour"] = "km/h", ["Mile per hour"] = "mph",
  Knot = "kn", Watt = "W", Kilowatt = "kW", Megawatt = "MW",
}
local temp_units = { C = "°C", F = "°F", Degree = "°", K = "K" }
-- currency families for results without an ISO code
local cur_family = { Dollar = "USD", Pound = "GBP", Pence = "GBP", Penny = "GBP", Cent = "USD", Euro = "EUR",
  Franc = "CHF", Rupee = "INR", Yen = "JPY", Yuan = "CNY", Ruble = "RUB", Bitcoin = "XBT", Satoshi = "XBT" }
local cur_sub = { Cent = 0.01, Pence = 0.01, Penny = 0.01, Satoshi = 1e-8 }

local function parse_range(v)
  -- "[20,30)" "(,100]" "(30,)"
  local lb, lo, hi, rb = v:match("^([%[%(])%s*([^,]*),%s*([^%]%)]*)([%]%)])$")
  if not lb then return nil end
  return { lo = tonumber(lo), hi = tonumber(hi), loinc = lb == "[", hiinc = rb == "]" }
end

-- Recognizers write periods as "(start,end,duration)"; we write TIMEX3
-- values ("2016-Q3", "2016-H2", "197" for a decade) or "start/end".
local function timex_norm(t)
  if not t then return nil end
  -- clock times without their zero seconds and minutes, on both sides: "T16:00:00" = "T16"
  t = t:gsub("T(%d%d):00:00", "T%1"):gsub("T(%d%d:%d%d):00", "T%1"):gsub("T(%d%d):00([^:%d])", "T%1%2"):gsub("T(%d%d):00$", "T%1")
  -- our "A/B" with sides of different grains ("2015/2018-02"): both as days, as they write them
  do
    local a, b = t:match("^([%dX][%dX][%dX][%dX][%-%d]*)/([%dX][%dX][%dX][%dX][%-%d]*)$")
    if a and #a ~= #b and #a <= 10 and #b <= 10 then
      local function pad(x) if #x == 4 then return x .. "-01-01" elseif #x == 7 then return x .. "-01" end return x end
      t = pad(a) .. "/" .. pad(b)
    end
  end
  -- our "A/B" over whole months reads like their "(A,B,P)"
  do
    local y1, m1, y2, m2 = t:match("^(%d%d%d%d)%-(%d%d)%-01/(%d%d%d%d)%-(%d%d)%-01$")
    if y1 then
      local n = (tonumber(y2) - tonumber(y1)) * 12 + tonumber(m2) - tonumber(m1)
      if n > 0 then t = ("(%s-%s-01,%s-%s-01,P%dM)"):format(y1, m1, y2, m2, n) end
    end
  end
  local a, b, p = t:match("^%(([^,]+),([^,]+),([^)]*)%)$")
  if a then
    local y, m, d = a:match("^([%dX][%dX][%dX][%dX])%-(%d%d)%-(%d%d)$")
    if y and d == "01" then
      m = tonumber(m)
      if p == "P3M" and m % 3 == 1 then return y .. "-Q" .. ((m - 1) // 3 + 1) end
      if p == "P6M" and (m == 1 or m == 7) then return y .. "-H" .. (m == 1 and 1 or 2) end
      if p == "P10Y" and m == 1 and y:sub(4) == "0" then return y:sub(1, 3) end
      if p == "P100Y" and m == 1 and y:sub(3) == "00" then return y:sub(1, 2) end
      if p == "P1Y" and m == 1 then return y end
      if p == "P1M" then return y .. "-" .. ("%02d"):format(m) end
    end
    -- whole years or months on both sides: "2014/2018", "2016-04/2017-06"
    local ya, ma, da = a:match("^([%dX][%dX][%dX][%dX])%-(%d%d)%-(%d%d)$")
    local yb, mb, db = b:match("^([%dX][%dX][%dX][%dX])%-(%d%d)%-(%d%d)$")
    if ya and yb and da == "01" and db == "01" then
      if ma == "01" and mb == "01" then return ya .. "/" .. yb end
      return ya .. "-" .. ma .. "/" .. yb .. "-" .. mb
    end
    return a .. "/" .. b
  end
  return t
end

-- which of our kinds each model sees
local function family_of(path)
  local top, file = path:match("([^/]+)/English/(.+)%.json$")
  if top == "DateTime" then return "datetime" end
  if file:find("^Ordinal") then return "ordinal" end
  if file:find("^Percent") then return "percent" end
  if file:find("^NumberRange") then return "range" end
  if file:find("^Number") then return "number" end
  if file:find("^Currency") then return "currency" end
  if file:find("^Dimension") then return "dimension" end
  if file:find("^Temperature") then return "temperature" end
  if file:find("^Age") then return "age" end
  return "other"
end

local function project(fam, n)
  local k = n.kind
  if fam == "number" then return k == "cardinal" or k == "fraction" end
  if fam == "ordinal" then return k == "ordinal" end
  if fam == "percent" then return k == "percent" or (k == "range" and n.unit == "%") end
  if fam == "range" then return k == "range" or (n.bound ~= nil and n.bound ~= "~" and n.value ~= nil) end
  if fam == "currency" then return k == "money" or (k == "range" and n.dim == "currency") end
  if fam == "dimension" then return k == "quantity" and n.dim ~= "temperature" and n.dim ~= "age" end
  if fam == "temperature" then return k == "quantity" and (n.dim == "temperature" or n.dim == "degree") end
  if fam == "age" then return k == "quantity" and n.dim == "age" end
  if fam == "datetime" then
    return k == "date" or k == "time" or k == "duration" or k == "set" or (k == "range" and n.dim == "time")
  end
  return false
end

-- does our result n resolve like the expected result e?
local function resolution_ok(fam, e, n)
  local res = e.Resolution or e.Value
  if res == nil or res == json.null then return true end
  if fam == "ordinal" and res.relativeTo ~= nil and res.relativeTo ~= "start" then
    -- a relative ordinal: "end-1", "current+1" (value) is offset -1 / +1 from relativeTo
    return n.rel == res.relativeTo and numeq(n.value, tonumber(res.offset))
  end
  if fam == "ordinal" and n.rel ~= nil then return false end
  if fam == "number" or fam == "ordinal" then
    local v = tonumber(res.value or res.offset)
    if v == nil then return false end
    return numeq(n.value, v)
  elseif fam == "percent" then
    if res.value == nil or res.value == json.null then return n.value == nil end
    local v = tonumber((tostring(res.value):gsub("%%$", "")))
    return numeq(n.value, v)
  elseif fam == "range" then
    local r = parse_range(res.value or "")
    if not r then return false end
    if n.kind == "range" then return numeq(n.low, r.lo) and numeq(n.high, r.hi) end
    local b, v = n.bound, n.value
    if b == ">" then return r.hi == nil and numeq(v, r.lo) and not r.loinc end
    if b == ">=" then return r.hi == nil and numeq(v, r.lo) and r.loinc end
    if b == "<" then return r.lo == nil and numeq(v, r.hi) and not r.hiinc end
    if b == "<=" then return r.lo == nil and numeq(v, r.hi) and r.hiinc end
    if b == "=" then return numeq(v, r.lo) and numeq(v, r.hi) end
    return false
  elseif fam == "currency" then
    local v = tonumber(res.value)
    if res.value == nil or res.value == json.null then v = nil end
    local unit = res.unit
    if v and cur_sub[unit] then v = v * cur_sub[unit] end
    if v == nil then return n.value == nil end
    if not numeq(n.value, v) then return false end
    local iso = res.isoCurrency or cur_family[unit]
    if iso and n.unit ~= iso then return false end
    return true
  elseif fam == "age" then
    local v = tonumber(res.value)
    return v ~= nil and numeq(n.value, v) and type(res.unit) == "string" and n.unit == res.unit:lower()
  elseif fam == "dimension" or fam == "temperature" then
    local v = res.value ~= json.null and tonumber(res.value) or nil
    local want = (fam == "temperature" and temp_units or dim_units)[res.unit]
    if v ~= nil and not numeq(n.value, v) then return false end
    if want == nil then return false end
    return n.unit == want
  elseif fam == "datetime" then
    -- Recognizers keep a stated zone out of the timex (it goes to a separate
    -- timeZone field): compare our clock as said, without its zone suffix
    local function nozone(x)
      if not x then return nil end
      return (x:gsub("(T%d%d[:%d]*)Z", "%1"):gsub("(T%d%d[:%d]*)[+-]%d%d:%d%d", "%1"))
    end
    local ours = { timex_norm(nozone(n.timex)), timex_norm(nozone(n.timex_raw)) }
    local wants = {}
    if res.values then
      for _, vv in ipairs(res.values) do wants[#wants + 1] = timex_norm(vv.timex) end
    elseif res.Timex then
      wants[1] = timex_norm(res.Timex)
    end
    if #wants == 0 then return true end
    for _, w in ipairs(wants) do
      for _, o in ipairs(ours) do if o and o == w then return true end end
    end
    return false
  end
  return false
end

local function ref_of(case)
  local r = case.Context and case.Context.ReferenceDateTime
  if type(r) == "string" then return r:sub(1, 19) end
  return "2016-11-07"
end

local function score_case(fam, case, extractor, nopts)
  local ok, doc = pcall(tidings.analyze, case.Input, { reference = ref_of(case) })
  if not ok or not doc then return false, false, "analyze failed" end
  local got = {}
  for _, n in ipairs(doc:numbers(nopts)) do
    if project(fam, n) then got[#got + 1] = n end
  end
  local used = {}
  local strict, lenient = true, true
  local why = {}
  for _, e in ipairs(case.Results) do
    local et = lower(e.Text)
    local found_text, found = false, false
    for gi, n in ipairs(got) do
      local nt = lower(n.text)
      -- recognizers leave modifiers out of the text ("about $ 14 million" -> "$ 14 million")
      if fam ~= "range" and n.bound and #nt > #et and nt:sub(-#et) == et and nt:sub(-#et - 1, -#et - 1) == " " then nt = et end
      if not used[gi] and nt == et then
        found_text = true
        if extractor or resolution_ok(fam, e, n) then used[gi] = true; found = true; break end
      end
    end
    if not found_text then lenient = false end
    if not found then
      strict = false
      -- with the expected resolution when the text was found, to tell the two failures apart
      local want = ""
      local res = found_text and (e.Resolution or e.Value)
      if type(res) == "table" and type(res.values) == "table" then
        local ws = {}
        for _, vv in ipairs(res.values) do ws[#ws + 1] = tostring(vv.timex or vv.value) end
        want = " want " .. table.concat(ws, "|")
      end
      why[#why + 1] = "missed [" .. e.Text .. "]" .. want
    end
  end
  for gi, n in ipairs(got) do
    if not used[gi] then
      strict = false
      why[#why + 1] = ("extra [%s] %s %s %s"):format(n.text, n.kind, tostring(n.value or n.low or ""), tostring(n.timex or n.unit or ""))
    end
  end
  return strict, lenient, table.concat(why, "; ")
end

local totals = {}
local function add(group, key, s, l)
  totals[group] = totals[group] or {}
  local t = totals[group][key] or { n = 0, s = 0, l = 0 }
  totals[group][key] = t
  t.n = t.n + 1
  if s then t.s = t.s + 1 end
  if l then t.l = t.l + 1 end
end

local function pct(a, b) return b > 0 and ("%5.1f%%"):format(100 * a / b) or "    -" end

local have_rec = false
for _, top in ipairs { "Number", "NumberWithUnit", "DateTime" } do
  local dir = rec_dir .. "/" .. top .. "/English"
  for _, name in ipairs(list_files(dir)) do
    local path = dir .. "/" .. name
    if not only or path:find(only, 1, true) then
      local text = readfile(path)
      if text then
        have_rec = true
        text = text:gsub("^\239\187\191", "")
        local cases = assert(json.decode(text))
        local fam = family_of(path)
        local extractor = name:find("Extractor") ~= nil
        -- the recognizers' models report relative ordinals ("last", "next
        -- one") unless the file is for their SuppressExtendedTypes mode
        local nopts = { relative = not name:find("SuppressExtendedTypes", 1, true) }
        for _, case in ipairs(cases) do
          local ns = (case.NotSupported or ""):lower()
          if not ns:find("dotnet") and type(case.Input) == "string" then
            local s, l, why = score_case(fam, case, extractor, nopts)
            add(top, name, s, l)
            add("recognizers", top, s, l)
            if verbose and not s then print(("FAIL %s: %q  %s"):format(name, case.Input, why)) end
          end
        end
      end
    end
  end
end

-- ---- duckling ----------------------------------------------------------

local duck_cur = { Dollar = "USD", Pound = "GBP", Cent = "USD", Rial = "IRR", Unnamed = false }

local function hs_number(s)
  s = s:gsub("[()]", "")
  return tonumber(s)
end

local function parse_tuple(s)
  local t = {}
  for x in s:gmatch("%-?%d+") do t[#t + 1] = tonumber(x) end
  return t
end

-- our timex -> y, m, d, hh, mi, grain ("year", "month", "week", "day", "hour", "minute", "quarter")
local function parse_timex(tx)
  if not tx then return nil end
  local y, w = tx:match("^(%d%d%d%d)%-W(%d%d)$")
  if y then return { y = tonumber(y), week = tonumber(w), grain = "week" } end
  local q
  y, q = tx:match("^(%d%d%d%d)%-Q(%d)$")
  if y then return { y = tonumber(y), m = (tonumber(q) - 1) * 3 + 1, d = 1, grain = "quarter" } end
  local m, d, hh, mi
  y, m, d, hh, mi = tx:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d)")
  if y then return { y = tonumber(y), m = tonumber(m), d = tonumber(d), hh = tonumber(hh), mi = tonumber(mi), grain = "minute" } end
  y, m, d, hh = tx:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d)")
  if y then return { y = tonumber(y), m = tonumber(m), d = tonumber(d), hh = tonumber(hh), mi = 0, grain = "hour" } end
  y, m, d = tx:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if y then return { y = tonumber(y), m = tonumber(m), d = tonumber(d), grain = "day" } end
  y, m = tx:match("^(%d%d%d%d)%-(%d%d)$")
  if y then return { y = tonumber(y), m = tonumber(m), d = 1, grain = "month" } end
  y = tx:match("^(%d%d%d%d)$")
  if y then return { y = tonumber(y), m = 1, d = 1, grain = "year" } end
  return nil
end

local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local function week_monday(y, w)
  local jan4 = days_from_civil(y, 1, 4)
  local wd = (jan4 + 3) % 7   -- 0 = Monday
  return jan4 - wd + 7 * (w - 1)
end

-- Duckling states times at the reference's offset (-02:00); we write the
-- zone that was said ("T08:00Z"): move such a time to -02:00 first.
local function to_duck_zone(tx)
  if not tx then return tx end
  local head, hh, mi, rest, z = tx:match("^(.-)T(%d%d):?(%d*)(.-)(Z)$")
  if not head then head, hh, mi, rest, z = tx:match("^(.-)T(%d%d):?(%d*)(.-)([+-]%d%d:%d%d)$") end
  if not head then return tx end
  local off = 0
  if z ~= "Z" then off = tonumber(z:sub(2, 3)) * 60 + tonumber(z:sub(5, 6)); if z:sub(1, 1) == "-" then off = -off end end
  local mins = tonumber(hh) * 60 + (tonumber(mi) or 0) - off - 120
  local dd = mins // 1440
  mins = mins % 1440
  local clock = ("T%02d:%02d"):format(mins // 60, mins % 60) .. rest
  local y, m, d = head:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if y and dd ~= 0 then
    local z0 = days_from_civil(tonumber(y), tonumber(m), tonumber(d)) + dd + 719468
    local era = z0 // 146097
    local doe = z0 - era * 146097
    local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    local mp = (5 * doy + 2) // 153
    local dn = doy - (153 * mp + 2) // 5 + 1
    local mn = mp < 10 and mp + 3 or mp - 9
    head = ("%04d-%02d-%02d"):format(yoe + era * 400 + (mn <= 2 and 1 or 0), mn, dn)
  end
  return head .. clock
end

local function time_matches(tx, want, grain)
  grain = grain:lower()
  tx = to_duck_zone(tx)
  -- a time of day without a date ("T15:20"): Duckling puts it on the
  -- reference day or the next; compare the clock only
  local hh, mi, ss = (tx or ""):match("^T(%d%d):?(%d*):?(%d*)")
  if hh then
    if grain ~= "hour" and grain ~= "minute" and grain ~= "second" then return false end
    if tonumber(hh) ~= want[4] then return false end
    if grain == "hour" then return true end
    if (tonumber(mi) or 0) ~= want[5] then return false end
    return grain == "minute" or (tonumber(ss) or 0) == want[6]
  end
  local t = parse_timex(tx)
  if not t then return false end
  if grain == "week" then
    if t.grain ~= "week" then return false end
    return week_monday(t.y, t.week) == days_from_civil(want[1], want[2], want[3])
  end
  if t.grain == "week" then return false end
  if t.y ~= want[1] then return false end
  if grain == "year" then return t.grain == "year" end
  if grain == "quarter" then return t.grain == "quarter" and t.m == want[2] end
  if t.m ~= want[2] then return false end
  if grain == "month" then return t.grain == "month" end
  if t.d ~= want[3] then return false end
  if grain == "day" then return t.grain == "day" end
  if not t.hh or t.hh ~= want[4] then return false end
  if grain == "hour" then return true end
  return t.mi == want[5]
end

local function duck_value_ok(ex, n)
  local dim, v = ex.dimension, ex.value_expr
  if dim == "Numeral" then
    return (n.kind == "cardinal" or n.kind == "fraction") and numeq(n.value, hs_number(v:match("NumeralValue%s+(.+)$")))
  elseif dim == "Ordinal" then
    return n.kind == "ordinal" and numeq(n.value, tonumber(v:match("OrdinalData%s+(%S+)")))
  elseif dim == "AmountOfMoney" then
    local kind, cur, rest = v:match("^(%a+)%s+(%a+)%s+(.+)$")
    local iso = duck_cur[cur]
    if iso == nil then iso = cur end
    local mult = cur == "Cent" and 0.01 or 1
    if kind == "simple" then
      local x = hs_number(rest) * mult
      if iso == false then return (n.kind == "cardinal" or n.kind == "money") and numeq(n.value, x) end
      return n.kind == "money" and n.unit == iso and numeq(n.value, x)
    elseif kind == "between" then
      local a, b = rest:match("%(([^,]+),%s*([^)]+)%)")
      return n.kind == "range" and numeq(n.low, hs_number(a) * mult) and numeq(n.high, hs_number(b) * mult) and (not iso or n.unit == iso)
    elseif kind == "above" or kind == "under" then
      local x = hs_number(rest) * mult
      local bok = kind == "above" and (n.bound == ">" or n.bound == ">=") or (n.bound == "<" or n.bound == "<=")
      return n.kind == "money" and bok and numeq(n.value, x) and (not iso or n.unit == iso)
    end
    return false
  elseif dim == "Duration" then
    local x, unit = v:match("DurationData%s+(%S+)%s+(%a+)")
    local secs = { second = 1, minute = 60, hour = 3600, day = 86400, night = 86400, week = 604800,
                   fortnight = 1209600, month = 2592000, quarter = 7776000, year = 31536000 }
    if n.kind ~= "duration" or not n.value or not secs[n.unit or ""] then return false end
    return numeq(n.value * secs[n.unit], tonumber(x) * secs[unit:lower()])
  elseif dim == "Quantity" then
    local kind, unit, rest = v:match("^(%a+)%s+(%a+)%s+(.+)$")
    local conv = { g = { "Gram", 1 }, kg = { "Gram", 1000 }, mg = { "Gram", 0.001 }, lb = { "Pound", 1 }, cup = { "Cup", 1 } }
    if unit == "Unnamed" then return n.kind == "cardinal" and numeq(n.value, hs_number(rest:match("^(%S+)"))) end
    local function val(x) local c = conv[x.unit or ""]; if c and c[1] == unit then return x.value and x.value * c[2] end end
    -- the product ("sugar" in "3 cups of sugar"): ours is a field beside the text
    local want_product = rest:match('Just%s+"([^"]*)"')
    if (n.product and n.product:lower()) ~= want_product then return false end
    if kind == "simple" then
      return n.kind == "quantity" and numeq(val(n), hs_number(rest:match("^(%S+)")))
    elseif kind == "between" then
      local a, b = rest:match("%(([^,]+),%s*([^)]+)%)")
      local c = conv[n.unit or ""]
      return n.kind == "range" and c and c[1] == unit and numeq(n.low * c[2], hs_number(a)) and numeq(n.high * c[2], hs_number(b))
    elseif kind == "above" then
      return n.kind == "quantity" and (n.bound == ">" or n.bound == ">=") and numeq(val(n), hs_number(rest:match("^(%S+)")))
    elseif kind == "under" then   -- as for money ("under Cup 3 Nothing": at most, less than)
      return n.kind == "quantity" and (n.bound == "<" or n.bound == "<=") and numeq(val(n), hs_number(rest:match("^(%S+)")))
    end
    return false
  elseif dim == "Time" then
    if n.kind ~= "date" and n.kind ~= "time" and n.kind ~= "range" then return false end
    local grain = v:match("%)%s+(%a+)") or v:match("%)%)%s+(%a+)")
    if v:find("^datetimeInterval") then
      local a, b = v:match("%(%((.-)%),%s*%((.-)%)%)")
      local ta, tb = parse_tuple(a), parse_tuple(b)
      -- a TIMEX3 part of the day ("2013-02-12TEV") stands for Duckling's
      -- interval of it: morning from 0:00, afternoon from 12:00, evening and
      -- night from 18:00; compare where it starts
      local day, part = (n.timex or ""):match("^(.-)T(%u%u)$")
      local starts = { MO = 0, AF = 12, EV = 18, NI = 18 }
      if part and starts[part] and n.kind ~= "range" then
        return time_matches(day .. ("T%02d"):format(starts[part]), ta, "hour") and (grain == "Hour" or grain == "hour")
      end
      if n.kind ~= "range" then return false end
      local s, e = (n.timex or ""):match("^(.-)/(.+)$")
      if not s then return false end
      if not time_matches(s, ta, grain) then return false end
      -- Duckling's end is exclusive: compare the start of our end's successor loosely by field
      local te = parse_timex(to_duck_zone(e))
      return te ~= nil or to_duck_zone(e):match("^T%d%d") ~= nil   -- a clock time alone ends it too
    elseif v:find("^datetimeOpenInterval") then
      local dir, tup = v:match("datetimeOpenInterval%s+(%a+)%s+%((.-)%)")
      local want = parse_tuple(tup)
      local bok = (dir == "After" and (n.bound == ">" or n.bound == ">=")) or (dir == "Before" and (n.bound == "<" or n.bound == "<="))
      grain = v:match("%)%s+(%a+)%s*$") or "day"
      return bok and time_matches(n.timex, want, grain)
    else
      local tup = v:match("%((.-)%)")
      grain = v:match("%)%s+(%a+)")
      return time_matches(n.timex, parse_tuple(tup), grain)
    end
  end
  return false
end

local have_duck = false
do
  local text = readfile(duck_file)
  if text then
    have_duck = true
    for line in text:gmatch("[^\n]+") do
      local ex = assert(json.decode(line))
      -- each example's own reference (one group is said on 2013-02-15), without its zone
      local ref = type(ex.reference_time) == "string" and ex.reference_time:match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d") or "2013-02-12T04:30"
      for _, phrase in ipairs(ex.phrases) do
        local doc = tidings.analyze(phrase, { reference = ref })
        local res = doc:numbers { reference = ref, future = true }
        local pass
        if ex.negative then
          pass = true
          for _, n in ipairs(res) do
            if lower(n.text) == lower(phrase) and (n.kind == "date" or n.kind == "time") then pass = false end
          end
        else
          pass = false
          -- a leading preposition is not part of the value: "on 2/15", "at 15h00", "in 2014"
          local bare = lower(phrase):gsub("^(%a+)%s+", function(w)
            if w == "at" or w == "on" or w == "in" or w == "for" or w == "during" then return "" end
          end):gsub("^@%s*", "")
          for _, n in ipairs(res) do
            local nt = lower(n.text)
            -- a quantity's product is outside its text, as Recognizers-Text
            -- keeps it ("190,000 square meters" of property): the phrase is
            -- the text, "of" and the product
            if n.product then nt = nt .. " of " .. lower(n.product) end
            if (nt == lower(phrase) or nt == bare) and duck_value_ok(ex, n) then pass = true end
          end
        end
        add("duckling", ex.dimension, pass, pass)
        add("duckling", "(all)", pass, pass)
        if verbose and not pass then
          local got = {}
          for _, n in ipairs(res) do got[#got + 1] = ("[%s] %s %s %s"):format(n.text, n.kind, tostring(n.value or n.low), tostring(n.timex or n.unit)) end
          print(("FAIL duckling %s %q want %s; got %s"):format(ex.dimension, phrase, tostring(ex.value_expr), table.concat(got, " ")))
        end
      end
    end
  end
end

-- ---- report ------------------------------------------------------------

local function report(group, title)
  local t = totals[group]
  if not t then return end
  print(title)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local r = t[k]
    print(("  %-44s %5d cases  strict %s  lenient %s"):format(k, r.n, pct(r.s, r.n), pct(r.l, r.n)))
  end
end

if have_rec then
  for _, top in ipairs { "Number", "NumberWithUnit", "DateTime" } do report(top, "recognizers " .. top .. " (per file)") end
  report("recognizers", "recognizers totals (targets: Number, NumberWithUnit >= 90%, DateTime >= 75%)")
else
  print("recognizers specs not found under " .. rec_dir)
end
if have_duck then
  report("duckling", "duckling phrases (target >= 85%)")
else
  print("duckling examples not found: " .. duck_file)
end
