-- spec/segments_spec.lua: tidings.segments, the UAX #29 word segmenter.
-- (Decimal escapes only: Lua 5.1 has no "\x".)
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"
local unpack = unpack or table.unpack

local TEST_FILE = "/usr/share/unicode/auxiliary/WordBreakTest.txt"

-- UTF-8 encoder that works on every Lua (5.1 has no utf8.char).
local function utf8char(cp)
  local floor = math.floor
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then
    return string.char(0xC0 + floor(cp / 0x40), 0x80 + cp % 0x40)
  end
  if cp < 0x10000 then
    return string.char(0xE0 + floor(cp / 0x1000), 0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
  end
  return string.char(0xF0 + floor(cp / 0x40000), 0x80 + floor(cp / 0x1000) % 0x40,
    0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

-- "÷ 0041 × 0308 ÷ 0020 ÷" -> { "A\204\136", " " }
local function parse_test_line(line)
  local data = line:gsub("#.*", "")
  if not data:find("%x") then return nil end
  local segments, current = {}, {}
  for item in data:gmatch("%S+") do
    if item == "\195\183" then              -- ÷
      if #current > 0 then
        segments[#segments + 1] = table.concat(current)
        current = {}
      end
    elseif item ~= "\195\151" then          -- not ×: a code point
      current[#current + 1] = utf8char(tonumber(item, 16))
    end
  end
  return segments
end

local function show(list)
  local out = {}
  for i, s in ipairs(list) do
    out[i] = (s:gsub("[^%w%p ]", function(c) return ("\\%d"):format(c:byte()) end))
  end
  return "{" .. table.concat(out, "|") .. "}"
end

describe("tidings.segments", function()
  it("passes every line of the Unicode WordBreakTest.txt", function()
    local f = io.open(TEST_FILE, "rb")
    assert(f, TEST_FILE .. " is missing: install Debian's unicode-data (make deps)")
    local total, failures = 0, {}
    local lineno = 0
    for line in f:lines() do
      lineno = lineno + 1
      local want = parse_test_line(line)
      if want then
        total = total + 1
        local got = tidings.segments(table.concat(want))
        local ok = #got == #want
        for i = 1, #want do ok = ok and got[i] == want[i] end
        if not ok and #failures < 10 then
          failures[#failures + 1] = ("line %d: want %s got %s"):format(lineno, show(want), show(got))
        end
        if not ok then failures.n = (failures.n or 0) + 1 end
      end
    end
    f:close()
    assert.is_true(total > 1800, "only " .. total .. " test lines read")
    assert.are.equal(0, failures.n or 0, table.concat(failures, "\n"))
  end)

  it("returns an empty array for the empty string", function()
    assert.are.same({}, tidings.segments(""))
  end)

  it("splits words, spaces and punctuation, keeping inner periods", function()
    assert.are.same({ "The", " ", "U.S", ".", " ", "economy", " ", "grew", " ", "3.5", "%", "." },
      tidings.segments("The U.S. economy grew 3.5%."))
  end)

  it("keeps apostrophes, decimal commas and underscores inside words", function()
    assert.are.same({ "can't", " ", "1,000,000", " ", "snake_case" },
      tidings.segments("can't 1,000,000 snake_case"))
  end)

  it("keeps CR LF together and breaks around every line break", function()
    assert.are.same({ "a", "\r\n", "\n", "b" }, tidings.segments("a\r\n\nb"))
  end)

  it("keeps runs of spaces together", function()
    assert.are.same({ "a", "   ", "b" }, tidings.segments("a   b"))
  end)

  it("makes each invalid UTF-8 byte a segment of its own", function()
    assert.are.same({ "\255", "\254", "abc" }, tidings.segments("\255\254abc"))
    -- a truncated sequence, then a lone continuation byte
    assert.are.same({ "\226", "\130", "x", "\128" }, tidings.segments("\226\130x\128"))
  end)

  it("treats NUL bytes as ordinary characters", function()
    assert.are.same({ "a", "\0", "\0", "b" }, tidings.segments("a\0\0b"))
  end)

  it("keeps emoji ZWJ sequences and modifiers whole", function()
    local zwj = "\226\128\141"
    local family = "👨" .. zwj .. "👩" .. zwj .. "👧"
    assert.are.same({ family, " ", "👍🏽" }, tidings.segments(family .. " 👍🏽"))
  end)

  it("pairs regional indicators into flags", function()
    -- UA, RU, then a lone U
    assert.are.same({ "🇺🇦", "🇷🇺", "🇺" }, tidings.segments("🇺🇦🇷🇺🇺"))
  end)

  it("splits CJK ideographs and hiragana one by one but keeps katakana runs", function()
    assert.are.same({ "東", "京", "で", "テレビ", "を" }, tidings.segments("東京でテレビを"))
  end)

  it("splits Thai letters singly, keeping combining vowels and tone marks", function()
    -- Thai letters are Word_Break=Other (they need a dictionary); marks are Extend
    assert.are.same({ "กิ", "น", " ", "๒๕๖๗" }, tidings.segments("กิน ๒๕๖๗"))
  end)

  it("keeps letters with combining marks whole", function()
    assert.are.same({ "Erdog\204\134an" }, tidings.segments("Erdog\204\134an"))
  end)

  it("always concatenates back to the text, for random bytes", function()
    local seed = 20250521                   -- Park-Miller: exact in floats and integers
    local function rand(n)
      seed = (seed * 16807) % 2147483647
      return seed % n
    end
    local pool = { 0x00, 0x0A, 0x0D, 0x20, 0x22, 0x27, 0x2C, 0x2E, 0x3A, 0x41, 0x5F, 0x61, 0x31,
      0x80, 0x8D, 0xA6, 0xBF, 0xC3, 0xD7, 0xE2, 0xE3, 0xF0, 0x9F, 0x87, 0xFF }
    for round = 1, 2000 do
      local bytes = {}
      for i = 1, rand(40) do
        bytes[i] = rand(3) == 0 and rand(256) or pool[rand(#pool) + 1]
      end
      local text = string.char(unpack(bytes))
      local segs = tidings.segments(text)
      for i, s in ipairs(segs) do
        assert(#s > 0, "empty segment in round " .. round .. " at " .. i)
      end
      assert.are.equal(text, table.concat(segs), "round " .. round)
    end
  end)
end)
