-- spec/numbers_tables_spec.lua: the word lists of the number pass keep the
-- properties its fast lookups rely on (csrc/numbers.c, numbers_dates.c):
--   * td_num_lexicon is sorted by byte order, so the entries of one word are
--     adjacent (an atom keeps the index of the first and a count);
--   * the word table stores a list index in 10 bits: at most 1024 entries in
--     the lexicon, the starters and the lone starters each;
--   * words are lower-case and at most 23 bytes (W_MAXLEN: longer ones are
--     never looked up);
--   * the holiday index (by first letter, 512 entries) covers the table only
--     when every first word starts with a-z; otherwise holiday() scans it all.

local root = os.getenv("TIDINGS_ROOT") or "."

local function readall(path)
  local f = assert(io.open(root .. "/" .. path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- the text between `open` (plain) and the next line that is "};"
local function body(src, open)
  local a = assert(src:find(open, 1, true), "not found: " .. open)
  local b = assert(src:find("\n};", a, true), "no end for: " .. open)
  return src:sub(a + #open, b)
end

local function strings(text)
  local out = {}
  for w in text:gmatch('"([^"]*)"') do out[#out + 1] = w end
  return out
end

local numbers_c = readall("csrc/numbers.c")
local lexicon_c = readall("csrc/numbers_lexicon.c")
local dates_c = readall("csrc/numbers_dates.c")

local lexicon = {}
for w in body(lexicon_c, "const td_lex td_num_lexicon[] = {"):gmatch('\n%s*{"([^"]*)",') do
  lexicon[#lexicon + 1] = w
end
local starters = strings(body(numbers_c, "static const char *const starters[] = {"))
local lone = strings(body(numbers_c, "static const char *const lone_starters[] = {"))
local holiday_first = {}
for w in body(dates_c, "static const holi holidays[] = {"):gmatch('{%s*{%s*"([^"]*)"') do
  holiday_first[#holiday_first + 1] = w
end

local function check_words(name, list)
  assert.is_true(#list > 0, name .. ": no words found (did the declaration change?)")
  assert.is_true(#list <= 1024, ("%s: %d words, the word table holds 1024"):format(name, #list))
  for _, w in ipairs(list) do
    assert.is_true(#w <= 23, ("%s: '%s' is longer than 23 bytes"):format(name, w))
    assert.is_nil(w:find("%u"), ("%s: '%s' is not lower-case"):format(name, w))
  end
end

describe("the number pass's word lists", function()
  it("lexicon: sorted by byte order, lower-case, short enough, at most 1024 entries", function()
    check_words("td_num_lexicon", lexicon)
    for i = 2, #lexicon do
      assert.is_true(lexicon[i - 1] <= lexicon[i],
        ("td_num_lexicon: '%s' comes after '%s' (keep it sorted)"):format(lexicon[i], lexicon[i - 1]))
    end
  end)

  it("starters and lone starters: lower-case, short enough, at most 1024 each", function()
    check_words("starters", starters)
    check_words("lone_starters", lone)
  end)

  it("holidays: at most 512, every first word starts with a-z", function()
    assert.is_true(#holiday_first > 0, "no holidays found (did the declaration change?)")
    assert.is_true(#holiday_first <= 512, ("%d holidays, the index holds 512"):format(#holiday_first))
    for _, w in ipairs(holiday_first) do
      assert.is_truthy(w:find("^[a-z]"), ("holiday '%s' does not start with a-z"):format(w))
    end
  end)
end)
