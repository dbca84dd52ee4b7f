-- Thousands of Docs created and dropped do not grow memory.
local tidings = require "tidings"

describe("memory", function()
  it("does not grow when thousands of Docs are created and dropped", function()
    local text = ("Mr. Putin met Erdoğan in Istanbul on Friday. "):rep(200)
    local function churn(n)
      for _ = 1, n do
        local doc = tidings.analyze(text)
        doc:sentences()
        tidings.tokenize(text)
      end
      collectgarbage()
      collectgarbage()
      return collectgarbage("count")
    end
    churn(200)  -- warm up: metatables, interned strings
    local before = churn(200)
    local after = churn(3000)
    assert.is_true(after < before * 1.1 + 64, ("memory grew from %.0f KB to %.0f KB"):format(before, after))
  end)

  it("frees a Doc's arrays when it is collected (the collector is told their size)", function()
    local doc = tidings.analyze(("word "):rep(100000))
    assert.is_true(doc:memsize() >= 100000 * 12)
    assert.is_true(doc:memsize() <= 3 * #doc:text(), "a Doc costs at most 3x its text")
  end)
end)

describe("module loading", function()
  it("creates no globals", function()
    local before = {}
    for k in pairs(_G) do before[k] = true end
    package.loaded["tidings"], package.loaded["tidings.core"] = nil, nil
    require "tidings"
    for k in pairs(_G) do
      assert.is_true(before[k] ~= nil, "new global: " .. tostring(k))
    end
  end)
end)
