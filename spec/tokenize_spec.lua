-- tidings.tokenize / doc:token: UD-style news tokens.
local tidings = require "tidings"

local function toks(s, opts) return table.concat(tidings.tokenize(s, opts), "|") end

describe("tidings.tokenize", function()
  local cases = {
    { "possessives split, curly or straight", "Russia’s Putin's", "Russia|’s|Putin|'s" },
    { "clitics split as in UD", "don't can't won't I'm we've they'll she'd you're",
      "do|n't|ca|n't|wo|n't|I|'m|we|'ve|they|'ll|she|'d|you|'re" },
    { "cannot becomes can not", "cannot", "can|not" },
    { "names with apostrophes stay whole", "O'Brien rock'n'roll", "O'Brien|rock'n'roll" },
    { "a plural possessive leaves the apostrophe", "parents' rights", "parents|'|rights" },
    { "abbreviations keep their full stop", "Mr. Gen. Jan. U.S. e.g. etc.", "Mr.|Gen.|Jan.|U.S.|e.g.|etc." },
    { "an initial keeps its full stop", "J. Smith", "J.|Smith" },
    { "a sentence-final full stop is a token", "It ended.", "It|ended|." },
    { "numbers with separators stay whole", "1,000 3.5 09:30 0930 18th 1,000,000", "1,000|3.5|09:30|0930|18th|1,000,000" },
    { "money: the symbol is a token, the amount with its suffix another", "$5bn €300k", "$|5bn|€|300k" },
    { "percent is a token", "3.5%", "3.5|%" },
    { "hyphenated words split at the hyphen", "30-day Ukraine-Russia", "30|-|day|Ukraine|-|Russia" },
    { "known prefixes keep the hyphen", "e-mail co-operate anti-American", "e-mail|co-operate|anti-American" },
    { "number ranges split, phone numbers do not", "16-18 853-7906", "16|-|18|853-7906" },
    { "quotes and dashes are tokens", "“Peace”—now ‘yes’ – no", "“|Peace|”|—|now|‘|yes|’|–|no" },
    { "URLs whole, sentence punctuation off", "See https://example.com/a?b=1. Or www.bbc.co.uk.",
      "See|https://example.com/a?b=1|.|Or|www.bbc.co.uk|." },
    { "e-mail addresses whole", "Write to jane.doe@example.co.uk, now", "Write|to|jane.doe@example.co.uk|,|now" },
    { "handles and hashtags whole", "@Reuters #Ukraine #1", "@Reuters|#Ukraine|#|1" },
    { "ellipses and runs of marks are one token", "Wait... what?! No!!!", "Wait|...|what|?!|No|!!!" },
    { "a leading decimal point is part of the number", "a .5 rise", "a|.5|rise" },
    { "any script's letters form words", "Erdoğan Зеленський 中文 ไทย", "Erdoğan|Зеленський|中文|ไทย" },
    { "Unicode digits form numbers", "٣٤٥ १२३", "٣٤٥|१२३" },
    { "an emoji sequence is one symbol", "ok 👍🏽 👨‍👩‍👧 🇺🇦", "ok|👍🏽|👨‍👩‍👧|🇺🇦" },
    { "AT&T stays whole", "AT&T", "AT&T" },
  }
  for _, c in ipairs(cases) do
    it(c[1] .. ": " .. c[2], function()
      assert.are.equal(c[3], toks(c[2]))
    end)
  end

  it("keeps hyphenated words whole with hyphens = false", function()
    assert.are.equal("30-day|Ukraine-Russia", toks("30-day Ukraine-Russia", { hyphens = false }))
  end)

  it("never loses a byte: tokens plus white space rebuild the text", function()
    local s = "Mr. Putin’s “deal”\n\n\tis 1,000\255 drones\0 😀 "
    local doc = tidings.analyze(s)
    local out, last = {}, 0
    for i = 1, #doc do
      local a, b = doc:span(i)
      assert.is_true(a > last)
      assert.is_truthy(s:sub(last + 1, a - 1):match("^%s*$"))
      out[#out + 1] = s:sub(last + 1, b)
      last = b
    end
    assert.are.equal(s, table.concat(out) .. s:sub(last + 1))
  end)
end)

describe("doc:token kinds", function()
  it("labels words, numbers, punctuation, symbols, URLs, e-mails, handles and hashtags", function()
    local doc = tidings.analyze("Kyiv 273 . $ https://x.org a@b.com @un #peace")
    local kinds = {}
    for _, t in doc:tokens() do kinds[#kinds + 1] = t.kind end
    assert.are.same({ "word", "number", "punct", "symbol", "url", "email", "handle", "hashtag" }, kinds)
  end)

  it("marks each invalid byte as its own symbol with exact offsets", function()
    local doc = tidings.analyze("ab\255\254cd")
    assert.are.equal(4, #doc)
    assert.are.same({ text = "\255", start = 3, stop = 3, kind = "symbol" }, doc:token(2))
    assert.are.same({ text = "\254", start = 4, stop = 4, kind = "symbol" }, doc:token(3))
  end)

  it("treats NUL bytes as ordinary bytes", function()
    local doc = tidings.analyze("a\0b c")
    assert.are.equal("a", doc:token(1).text)
    assert.are.equal("\0", doc:token(2).text)
    assert.are.equal("c", doc:token(#doc).text)
  end)
end)
