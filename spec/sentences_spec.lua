-- doc:sentences(): news sentence boundaries.
local tidings = require "tidings"

local function sents(s)
  local out = {}
  for _, x in ipairs(tidings.analyze(s):sentences()) do out[#out + 1] = x.text end
  return out
end

describe("doc:sentences", function()
  it("splits at full stops, question and exclamation marks", function()
    assert.are.same({ "Talks began.", "Did they end?", "No!" }, sents("Talks began. Did they end? No!"))
  end)

  it("does not split after titles and initials", function()
    assert.are.same({ "Mr. Putin met Gen. J. Smith." }, sents("Mr. Putin met Gen. J. Smith."))
  end)

  it("reads 'U.S. President' as one sentence and 'the U.S. The' as two", function()
    assert.are.same({ "U.S. President Trump spoke." }, sents("U.S. President Trump spoke."))
    assert.are.same({ "He flew to the U.S.", "The talks ended." }, sents("He flew to the U.S. The talks ended."))
  end)

  it("keeps decimals and ellipses inside a sentence", function()
    assert.are.same({ "Growth was 3.5 per cent... or less." }, sents("Growth was 3.5 per cent... or less."))
  end)

  it("keeps a closing quote with the sentence it closes", function()
    assert.are.same({ "“We want peace.”", "He left." }, sents("“We want peace.” He left."))
    assert.are.same({ "He said: \"It is over.\"", "Then he left." }, sents("He said: \"It is over.\" Then he left."))
  end)

  it("does not split when the quote is followed by its attribution", function()
    assert.are.same({ "“Is it over?” he asked." }, sents("“Is it over?” he asked."))
  end)

  it("ends headlines and bylines at the line break", function()
    assert.are.same({ "Russia and Ukraine Hold Talks", "By Jane Doe", "The talks began on Friday." },
      sents("Russia and Ukraine Hold Talks\nBy Jane Doe\nThe talks began on Friday."))
  end)

  it("always ends a sentence at a blank line", function()
    assert.are.same({ "Peace talks", "resumed today" }, sents("Peace talks\n\nresumed today"))
  end)

  it("joins a wrapped line that continues in lower case", function()
    assert.are.same({ "The delegations met in\nIstanbul on Friday." }, sents("The delegations met in\nIstanbul on Friday."))
    assert.are.same({ "The talks were\nheld on Friday." }, sents("The talks were\nheld on Friday."))
  end)

  it("gives 1-based inclusive byte spans and token ranges", function()
    local doc = tidings.analyze("Ja. Nein.")
    local s = doc:sentences()
    assert.are.same({ text = "Ja.", start = 1, stop = 3, first_token = 1, last_token = 2 }, s[1])
    assert.are.same({ text = "Nein.", start = 5, stop = 9, first_token = 3, last_token = 4 }, s[2])
    assert.are.same({ 5, 9, 3, 4 }, { doc:sentence_span(2) })
    assert.are.equal(2, doc:nsentences())
  end)

  it("splits the corpus articles into sensible sentences", function()
    local root = os.getenv("TIDINGS_ROOT") or "."
    local f = assert(io.open(root .. "/corpus/002_73fcbddf5ea62b94.txt", "rb"))
    local text = f:read("*a")
    f:close()
    local s = tidings.analyze(text):sentences()
    assert.are.equal("Russia and Ukraine Officials Arrive in Istanbul for Direct Peace Talks", s[1].text)
    for _, x in ipairs(s) do
      assert.is_falsy(x.text:find("\n\n"), "no sentence spans a blank line")
    end
  end)
end)
