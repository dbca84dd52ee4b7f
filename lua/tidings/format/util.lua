-- tidings.format.util: small helpers shared by the formatters.  Numbers are
-- written digit by digit (never through the C locale).
local json = require "tidings.json"

local U = {}

local gsub, sub, find, byte, match = string.gsub, string.sub, string.find, string.byte, string.match
local floor = math.floor

--- 1234567 -> "1,234,567" (integers; other numbers as JSON writes them).
function U.thousands(x)
  if x == nil then return "" end
  local s = json.format_number(x)
  local sign, int, rest = match(s, "^(%-?)(%d+)(.*)$")
  if not int or find(rest, "[eE]") then return s end
  int = gsub(int:reverse(), "(%d%d%d)", "%1,"):reverse()
  if sub(int, 1, 1) == "," then int = sub(int, 2) end
  return sign .. int .. rest
end

--- x with exactly `digits` decimals, rounded half up ("0.25" for 0.25, 2).
function U.fixed(x, digits)
  local scale = 10 ^ digits
  local n = floor(x * scale + 0.5)
  local neg = n < 0
  if neg then n = -n end
  local s = json.format_number(n)
  if digits > 0 then
    if #s <= digits then s = string.rep("0", digits - #s + 1) .. s end
    s = sub(s, 1, #s - digits) .. "." .. sub(s, #s - digits + 1)
  end
  return (neg and "-" or "") .. s
end

--- Cut s to at most n bytes on a UTF-8 boundary, adding "…".
function U.clip(s, n)
  if #s <= n then return s end
  local i = n
  while i > 0 do
    local b = byte(s, i + 1)
    if not b or b < 0x80 or b >= 0xC0 then break end
    i = i - 1
  end
  return sub(s, 1, i) .. "…"
end

--- Markdown table-safe text: no line breaks, pipes and markup escaped.
function U.md_escape(s)
  s = gsub(tostring(s), "[\r\n]+", " ")
  return (gsub(s, "([|\\`*_%[%]<>#])", "\\%1"))
end

local HTML = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }
function U.html_escape(s)
  return (gsub(tostring(s), "[&<>\"']", HTML))
end

--- A document id made short for tables: its file name without extension.
function U.short_id(id)
  local base = match(id, "([^/]+)$") or id
  return (gsub(base, "%.[%w]+$", ""))
end

local TYPE_NAMES = {
  PERSON = "People", ORG = "Organisations", GPE = "Countries, cities, states",
  LOC = "Places", NORP = "Nationalities and groups", FAC = "Buildings and facilities",
  EVENT = "Events", PRODUCT = "Products", WORK_OF_ART = "Works", LAW = "Laws",
}
function U.type_name(t) return TYPE_NAMES[t] or t end

function U.version()
  local ok, td = pcall(require, "tidings")
  return ok and td._VERSION or "?"
end

return U
