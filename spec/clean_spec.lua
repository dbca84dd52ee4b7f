-- spec/clean_spec.lua: tidings.clean, boilerplate out and the article body in.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function reasons(removed)
  local t = {}
  for i, r in ipairs(removed) do t[i] = r.reason end
  return table.concat(t, ",")
end

-- Every segment maps body bytes back to the same bytes of the text, and
-- every removed span is the text it claims.
local function check_maps(text, body, removed, segments)
  for _, g in ipairs(segments) do
    assert.are.equal(text:sub(g.start, g.stop), body:sub(g.body, g.body + g.stop - g.start))
  end
  for _, r in ipairs(removed) do
    assert.are.equal(r.text, text:sub(r.start, r.stop))
  end
end

local article = table.concat({
  "Talks resume in Istanbul",
  "",
  "By Jane Smith",
  "",
  "4 Min Read",
  "",
  "Negotiators from both sides met on Friday for the first direct talks in three years.",
  "",
  "Share This Article",
  "",
  "The meeting lasted less than two hours and ended with a prisoner exchange agreed.",
  "",
  "Related Posts",
  "",
  "Leave a comment",
}, "\n")

describe("tidings.clean", function()
  -- { line, reason } for the built-in rules (a line between two paragraphs)
  local rules = {
    { "By Jane Smith", "byline" }, { "By", "byline" }, { "Liam Avatar", "avatar" },
    { "4 Min Read", "read-time" }, { "Related Posts", "related" },
    { "READ ALSO: UK PM: Putin Must Face Consequences", "related" },
    { "Leave a Reply", "comments" }, { "Share This Article", "share" },
    { "Subscribe now to keep reading and get access to the full archive.", "subscribe" },
    { "Discover more from Scoop Hub", "subscribe" }, { "+ posts", "author-box" },
    { "About The Author", "author-box" }, { "Source: BBC", "source" },
    { "© 2025 Example Media. All rights reserved.", "copyright" }, { "Advertisement", "advert" },
    { "Tags: Ukraine, Russia", "tags" },
  }
  local para = "The talks took place at a historic palace along the Bosphorus in Istanbul."
  local para2 = "Both countries agreed to release 1,000 prisoners of war each, officials said."
  for _, c in ipairs(rules) do
    it(("removes %q as %s"):format(c[1], c[2]), function()
      local text = para .. "\n\n" .. c[1] .. "\n\n" .. para2
      local body, removed = tidings.clean(text)
      assert.are.equal(1, #removed)
      assert.are.equal(c[2], removed[1].reason)
      assert.are.equal(c[1], removed[1].text)
      assert.are.equal(para .. "\n\n" .. para2, body)
    end)
  end

  it("keeps prose that merely starts like a widget", function()
    local text = "By Friday the two delegations had agreed to swap 1,000 prisoners of war each."
    local body, removed = tidings.clean(text)
    assert.are.equal(text, body)
    assert.are.equal(0, #removed)
  end)

  it("cleans an article: byline, read time, widgets; body keeps its paragraphs", function()
    local body, removed, segments = tidings.clean(article)
    assert.are.equal("byline,read-time,share,related,comments", reasons(removed))
    assert.are.equal("Talks resume in Istanbul\n\nNegotiators from both sides met on Friday for the first " ..
      "direct talks in three years.\n\nThe meeting lasted less than two hours and ended with a prisoner " ..
      "exchange agreed.", body)
    check_maps(article, body, removed, segments)
  end)

  it("removes a repeated headline and lede, and the avatar and byline between", function()
    local text = read("corpus/000_9d58ac5a8d9a393c.txt")
    local body, removed, segments = tidings.clean(text)
    assert.are.equal("repeated,repeated,avatar,byline,avatar", reasons(removed))
    assert.are.equal(1, removed[1].start)
    local title = "Turkiye Hosts Historic Ukraine-Russia Talks Amid Escalating Conflict"
    assert.are.equal(title .. "\n\nSince then", body:sub(1, #title + 12))
    local _, count = body:gsub("Turkiye Hosts Historic", "")
    assert.are.equal(1, count)
    check_maps(text, body, removed, segments)
  end)

  it("removes the kicker, the author beside the read time and the trailing labels", function()
    local _, r1 = tidings.clean(read("corpus/001_a06a34d55f99ecc1.txt"))
    assert.are.equal("kicker,author-box,related", reasons(r1))
    local _, r3 = tidings.clean(read("corpus/003_498463504bab3454.txt"))
    assert.are.equal("author,read-time,related,subscribe,subscribe,share,comments,subscribe,subscribe,subscribe",
      reasons(r3))
    local _, r4 = tidings.clean(read("corpus/004_aa322a804f1c0caf.txt"))
    assert.are.equal("source,trailer,trailer,author-box,comments,comments", reasons(r4))
  end)

  it("keeps a paragraph that the text repeats later on", function()
    local text = "Title of the story here\n\nFirst paragraph of the story, long enough to be prose.\n\n" ..
      "Second paragraph that will be repeated word for word below.\n\n" ..
      "Second paragraph that will be repeated word for word below."
    local body, removed = tidings.clean(text)
    assert.are.equal(0, #removed)
    assert.are.equal(text, body)
  end)

  it("leaves a clean article alone", function()
    local text = read("corpus/002_73fcbddf5ea62b94.txt")
    local body, removed = tidings.clean(text)
    assert.are.equal(0, #removed)
    assert.are.equal(text, body)
  end)

  it("keeps every quotation of the corpus in the body", function()
    local gold = dofile("spec/fixtures/corpus_quotes.lua")
    for path, quotes in pairs(gold) do
      local body = tidings.clean(read(path))
      for _, q in ipairs(quotes) do
        assert.is_truthy(body:find(q.text, 1, true))
      end
    end
  end)

  it("adds user patterns after the built-in ones", function()
    local text = "A paragraph about talks that ends properly here.\n\nPROMO: buy now\n\nBy Jane Smith"
    local body, removed = tidings.clean(text, { patterns = { { name = "promo", pcre = "^PROMO:" } } })
    assert.are.equal("promo,byline", reasons(removed))
    assert.are.equal("A paragraph about talks that ends properly here.", body)
  end)

  it("can drop the built-in rules and the heuristics", function()
    local body, removed = tidings.clean(article, { defaults = false, structure = false })
    assert.are.equal(article:gsub("\n\n", "\n\n"), body)
    assert.are.equal(0, #removed)
  end)

  it("returns nil and a message with the 1-based offset for a bad pattern", function()
    local body, err = tidings.clean("x", { patterns = { { name = "ok", pcre = "a" }, { name = "bad", pcre = "ab(c" } } })
    assert.is_nil(body)
    assert.are.equal("bad pattern 2 ('bad'): missing closing parenthesis at offset 5", err)
  end)

  it("raises errors that name the argument for misuse", function()
    assert.has_error(function() tidings.clean(nil) end)
    assert.has_error(function() tidings.clean("x", "y") end)
    assert.has_error(function() tidings.clean("x", { patterns = "y" }) end)
    assert.has_error(function() tidings.clean("x", { patterns = { { name = "n" } } }) end)
    assert.has_error(function() tidings.clean("x", { colour = true }) end)
    assert.has_error(function() tidings.clean("x", { defaults = "no" }) end)
  end)

  it("gives an empty body for an empty text", function()
    local body, removed, segments = tidings.clean("")
    assert.are.equal("", body)
    assert.are.equal(0, #removed)
    assert.are.equal(0, #segments)
    body = tidings.clean("\n\n  \n")
    assert.are.equal("", body)
  end)

  it("never fails on invalid UTF-8 or NUL bytes, and maps them faithfully", function()
    local text = "Bad \255\254 bytes and a NUL \0 inside a long enough line of prose here.\n\nBy J\255ne\n\n\0\n\nLeave a comment"
    local body, removed, segments = tidings.clean(text)
    check_maps(text, body, removed, segments)
    assert.are.equal("comments", removed[#removed].reason)
    local pieces = { "By ", "Share", "\n", "\n\n", "\255", "\0", "Leave a comment", " word", ".", "“", "Liam Avatar" }
    local seed = 11
    for _ = 1, 200 do
      local t = {}
      for j = 1, 30 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        t[j] = pieces[seed % #pieces + 1]
      end
      local s = table.concat(t)
      local b1, r1, g1 = tidings.clean(s)
      local b2 = tidings.clean(s)
      assert.are.equal(b1, b2)
      check_maps(s, b1, r1, g1)
    end
  end)

  it("compiles a cleaner once and reuses it", function()
    local c = assert(tidings.cleaner({ patterns = { { name = "promo", pcre = "(?i)^promo\\b" } } }))
    local rules = c:rules()
    assert.are.equal("promo", rules[#rules])
    for _ = 1, 50 do
      local body, removed = c:clean("Promo here\n\nA sentence of prose that is long enough to stay.")
      assert.are.equal("A sentence of prose that is long enough to stay.", body)
      assert.are.equal("promo", removed[1].reason)
    end
  end)

  it("lists the built-in rules", function()
    local list = tidings.boilerplate_patterns()
    assert.is_true(#list >= 10)
    assert.are.equal("byline", list[1].name)
    assert.are.equal("string", type(list[1].pcre))
  end)
end)
