-- Bad input: clear errors or nil, message; never a crash or a silent wrong answer.
local tidings = require "tidings"

describe("bad input", function()
  it("raises an error naming the argument for a non-string text", function()
    for _, f in ipairs { "analyze", "tokenize", "segments" } do
      assert.has_error(function() tidings[f](42) end,
        ("bad argument #1 to '%s' (string expected, got number)"):format(f))
      assert.has_error(function() tidings[f](nil) end)
    end
  end)

  it("raises an error for a non-table options argument", function()
    assert.has_error(function() tidings.analyze("x", "strict") end,
      "bad argument #2 to 'analyze' (table expected, got string)")
  end)

  it("raises an error naming an unknown option", function()
    assert.has_error(function() tidings.analyze("x", { strcit = true }) end,
      "bad argument #2 to 'analyze' (unknown option 'strcit')")
  end)

  it("raises an error for a reference date that is not YYYY-MM-DD", function()
    assert.has_error(function() tidings.analyze("x", { reference = "yesterday" }) end,
      "bad argument #2 to 'analyze' (option 'reference' must be a 'YYYY-MM-DD[Thh:mm[:ss]]' string)")
    assert.has_error(function() tidings.analyze("x", { reference = 20250516 }) end)
    assert.is_truthy(tidings.analyze("x", { reference = "2025-05-16" }))
  end)

  it("rejects Doc methods on something that is not a Doc", function()
    local doc = tidings.analyze("x")
    assert.has_error(function() doc.token({}, 1) end)
    assert.has_error(function() doc:token("one") end)
  end)

  it("returns nil and the byte offset of invalid UTF-8 in strict mode", function()
    local doc, err = tidings.analyze("ok \226\130 bad", { strict = true })
    assert.is_nil(doc)
    assert.are.equal("invalid UTF-8 at byte 4", err)
    local toks, err2 = tidings.tokenize("\192\128", { strict = true })
    assert.is_nil(toks)
    assert.are.equal("invalid UTF-8 at byte 1", err2)
  end)

  it("rejects overlongs, surrogates and code points above U+10FFFF", function()
    for _, bad in ipairs { "\192\175", "\237\160\128", "\244\144\128\128", "\255" } do
      assert.is_nil(tidings.analyze("a" .. bad, { strict = true }))
      local doc = tidings.analyze("a" .. bad)
      for i = 2, #doc do assert.are.equal("symbol", doc:token(i).kind) end
    end
  end)

  it("handles a 100 MB string", function()
    local unit = "Russian and Ukrainian delegations met in Istanbul on Friday, officials said. "
    local big = unit:rep(math.ceil(100 * 1024 * 1024 / #unit))
    local copies = math.floor(#big / #unit)
    local doc = tidings.analyze(big)
    assert.are.equal(13 * copies, #doc)
    assert.are.equal(copies, doc:nsentences())
    local a, b = doc:span(#doc)
    assert.are.same({ #big - 1, #big - 1 }, { a, b })  -- the final "."
    doc, big = nil, nil
    collectgarbage()
  end)

  it("keeps the text alive as long as the Doc", function()
    local doc = tidings.analyze(("word "):rep(1000) .. "end")
    collectgarbage()
    collectgarbage()
    assert.are.equal("end", doc:token(#doc).text)
  end)
end)
