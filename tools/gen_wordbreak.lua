#!/usr/bin/env lua
--[==[
gen_wordbreak.lua - generate csrc/wordbreak_table.h from the Unicode data files.

  lua tools/gen_wordbreak.lua [WordBreakProperty.txt [emoji-data.txt [output.h]]]

Defaults: /usr/share/unicode/auxiliary/WordBreakProperty.txt,
/usr/share/unicode/emoji/emoji-data.txt (Debian package unicode-data) and
csrc/wordbreak_table.h.  Use "-" as the output to write to stdout.

The table maps every code point to one byte: its Word_Break value in the low
five bits and TD_WB_EXTPICT (Extended_Pictographic=Yes, the only emoji
property UAX #29 uses) above them.  Lookup is two-stage: stage1[cp >> SHIFT]
names a block of 2^SHIFT bytes in stage2; identical blocks are stored once.
A separate 128-entry table serves ASCII without the indirection.

Runs under Lua 5.1, 5.2, 5.3, 5.4 and LuaJIT and writes the same bytes under
each (no pairs() order, no float formatting).
]==]

local function argn(i, default)
  local a = arg and arg[i]
  if a == nil or a == "" then return default end
  return a
end
local wb_path = argn(1, "/usr/share/unicode/auxiliary/WordBreakProperty.txt")
local emoji_path = argn(2, "/usr/share/unicode/emoji/emoji-data.txt")
local out_path = argn(3, "csrc/wordbreak_table.h")

local SHIFT = 7               -- 128-entry blocks: 210 distinct, 35.7 KB in all; smaller
                              -- blocks need more than 256 ids (a 16-bit stage1)
local NCP = 0x110000
local BLOCK = 1
for _ = 1, SHIFT do BLOCK = BLOCK * 2 end
local NBLOCKS = math.floor(NCP / BLOCK)

-- Word_Break values in the order of the C enum.  Other must be 0: code
-- points the file omits have Word_Break=Other.
local VALUES = {
  "Other", "CR", "LF", "Newline", "Extend", "ZWJ", "Regional_Indicator",
  "Format", "Katakana", "Hebrew_Letter", "ALetter", "Single_Quote",
  "Double_Quote", "MidNumLet", "MidLetter", "MidNum", "Numeric",
  "ExtendNumLet", "WSegSpace",
}
local EXTPICT = 32
local index = {}
for i, v in ipairs(VALUES) do index[v] = i - 1 end

local function die(msg)
  io.stderr:write("gen_wordbreak: ", msg, "\n")
  os.exit(1)
end

local function read_lines(path)
  local f, err = io.open(path, "rb")
  if not f then die(err) end
  local text = f:read("*a")
  f:close()
  local lines = {}
  for line in text:gmatch("[^\n]*") do lines[#lines + 1] = line end
  return lines
end

-- Parse "XXXX..YYYY ; Value # comment" lines; calls fn(lo, hi, value, lineno).
local function each_range(lines, path, fn)
  for n, line in ipairs(lines) do
    local data = line:gsub("#.*", "")
    if data:find("%S") then
      local lo, hi, value = data:match("^%s*(%x+)%.%.(%x+)%s*;%s*([%w_]+)%s*$")
      if not lo then
        lo, value = data:match("^%s*(%x+)%s*;%s*([%w_]+)%s*$")
        hi = lo
      end
      if not lo then die(path .. ":" .. n .. ": cannot parse: " .. line) end
      lo, hi = tonumber(lo, 16), tonumber(hi, 16)
      if hi < lo or hi >= NCP then die(path .. ":" .. n .. ": bad range") end
      fn(lo, hi, value, n)
    end
  end
end

-- Word_Break ------------------------------------------------------------
local wb_lines = read_lines(wb_path)
local version = (wb_lines[1] or ""):match("^#%s*WordBreakProperty%-(%d+%.%d+%.%d+)%.txt")
if not version then die(wb_path .. ": first line does not name the version") end
local wb_date = "unknown"
for i = 1, 5 do
  local d = (wb_lines[i] or ""):match("^#%s*Date:%s*(.-)%s*$")
  if d then wb_date = d break end
end

local prop = {}               -- prop[cp + 1], 0 when absent
for i = 1, NCP do prop[i] = 0 end
each_range(wb_lines, wb_path, function(lo, hi, value, n)
  local v = index[value]
  if not v then die(wb_path .. ":" .. n .. ": unknown Word_Break value " .. value) end
  for cp = lo, hi do
    if prop[cp + 1] ~= 0 then die(wb_path .. ":" .. n .. ": overlapping ranges") end
    prop[cp + 1] = v
  end
end)

-- Extended_Pictographic -------------------------------------------------
local em_lines = read_lines(emoji_path)
local em_version
for i = 1, 20 do
  em_version = em_version or (em_lines[i] or ""):match("Emoji Version (%d+%.%d+)")
end
if not em_version then die(emoji_path .. ": no 'Emoji Version' in the header") end
if version:sub(1, #em_version + 1) ~= em_version .. "." then
  die("version mismatch: Word_Break " .. version .. ", emoji-data " .. em_version)
end
local nextpict = 0
each_range(em_lines, emoji_path, function(lo, hi, value)
  if value == "Extended_Pictographic" then
    for cp = lo, hi do
      prop[cp + 1] = prop[cp + 1] + EXTPICT
      nextpict = nextpict + 1
    end
  end
end)
if nextpict == 0 then die(emoji_path .. ": no Extended_Pictographic code points") end

-- Two-stage table -------------------------------------------------------
local stage1, blocks, seen = {}, {}, {}
local chars = {}
for b = 0, NBLOCKS - 1 do
  local base = b * BLOCK
  for i = 1, BLOCK do chars[i] = string.char(prop[base + i]) end
  local key = table.concat(chars)
  local id = seen[key]
  if not id then
    id = #blocks
    blocks[#blocks + 1] = base
    seen[key] = id
  end
  stage1[b + 1] = id
end
if #blocks > 256 then die("more than 256 distinct blocks: widen stage1") end

-- Output ----------------------------------------------------------------
local out = {}
local function emit(s) out[#out + 1] = s end

local function emit_array(ctype, name, n, get)
  emit(("static const %s %s[%d] = {\n"):format(ctype, name, n))
  local line = " "
  for i = 1, n do
    local item = (" %d,"):format(get(i))
    if #line + #item > 79 then
      emit(line .. "\n")
      line = " "
    end
    line = line .. item
  end
  emit(line .. "\n};\n\n")
end

emit(([[
/*
 * wordbreak_table.h - Unicode Word_Break property and Extended_Pictographic.
 *
 * GENERATED by tools/gen_wordbreak.lua - do not edit; run
 *   lua tools/gen_wordbreak.lua
 * Sources (Debian package unicode-data):
 *   WordBreakProperty-%s.txt (%s)
 *   emoji-data.txt, Emoji Version %s (Extended_Pictographic only)
 * Derived from Unicode data files: Copyright (c) 2022 Unicode, Inc., used
 * under the Unicode License Agreement - Data Files and Software
 * (https://www.unicode.org/license.txt; terms of use:
 * https://www.unicode.org/terms_of_use.html).
 *
 * One byte per code point: Word_Break value (enum td_wb_prop) in the low five
 * bits, TD_WB_EXTPICT when the code point is Extended_Pictographic.
 *   prop = td_wb_stage2[(td_wb_stage1[cp >> TD_WB_SHIFT] << TD_WB_SHIFT)
 *                       | (cp & (TD_WB_BLOCK - 1))]
 * Included by wordbreak.c only.
 */
#ifndef TD_WORDBREAK_TABLE_H
#define TD_WORDBREAK_TABLE_H

#include <stdint.h>

#define TD_WB_UNICODE_VERSION "%s"
#define TD_WB_SHIFT %d
#define TD_WB_BLOCK %d
#define TD_WB_EXTPICT %d
#define TD_WB_PROPMASK %d

enum td_wb_prop {
]]):format(version, wb_date, em_version, version, SHIFT, BLOCK, EXTPICT, EXTPICT - 1))
for i, v in ipairs(VALUES) do
  emit(("  TD_WB_%s = %d,\n"):format(v, i - 1))
end
emit(("  TD_WB_NPROPS = %d\n};\n\n"):format(#VALUES))

emit("/* ASCII, indexed by byte. */\n")
emit_array("uint8_t", "td_wb_ascii", 128, function(i) return prop[i] end)
emit(("/* %d entries: block number for each %d code points. */\n"):format(NBLOCKS, BLOCK))
emit_array("uint8_t", "td_wb_stage1", NBLOCKS, function(i) return stage1[i] end)
emit(("/* %d distinct blocks of %d entries. */\n"):format(#blocks, BLOCK))
emit_array("uint8_t", "td_wb_stage2", #blocks * BLOCK, function(i)
  local b = math.floor((i - 1) / BLOCK)
  return prop[blocks[b + 1] + (i - 1) % BLOCK + 1]
end)
emit("#endif\n")

local text = table.concat(out)
if out_path == "-" then
  io.stdout:write(text)
else
  local f, err = io.open(out_path, "wb")
  if not f then die(err) end
  f:write(text)
  f:close()
  io.stderr:write(("gen_wordbreak: wrote %s (Unicode %s, %d blocks, %d bytes of tables)\n")
    :format(out_path, version, #blocks, 128 + NBLOCKS + #blocks * BLOCK))
end
