-- spec/entity_arrays_spec.lua: doc:entity_arrays(), doc:entities() as
-- parallel arrays (what the Neovim plugin highlights from).
local tidings = require "tidings"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- The rows rebuilt from the arrays, as doc:entities() gives them (minus score).
local function rows_of(doc)
  local a, b, ty, canon, role = doc:entity_arrays()
  local out = {}
  for i = 1, #a do
    local text = doc:text():sub(a[i], b[i])
    out[i] = { start = a[i], stop = b[i], type = ty[i], text = text,
      canonical = canon[i] or text, role = role[i] or nil }
  end
  return out, { #a, #b, #ty, #canon, #role }
end

local function rows(doc)
  local out = {}
  for i, e in ipairs(doc:entities()) do
    out[i] = { start = e.start, stop = e.stop, type = e.type, text = e.text, canonical = e.canonical, role = e.role }
  end
  return out
end

describe("doc:entity_arrays()", function()
  it("gives the rows of doc:entities() as five arrays, on every corpus article", function()
    local root = os.getenv("TIDINGS_ROOT") or "."
    for _, name in ipairs({ "000_9d58ac5a8d9a393c", "001_a06a34d55f99ecc1", "002_73fcbddf5ea62b94" }) do
      local text = read(root .. "/corpus/" .. name .. ".txt")
      local fresh = tidings.analyze(text)
      local got, lens = rows_of(fresh)        -- arrays first: the tagger runs for them
      assert.is_true(#got > 10, name)
      assert.are.same({ #got, #got, #got, #got, #got }, lens)
      assert.are.same(rows(fresh), got, name)
    end
  end)

  it("marks a canonical name equal to the text, and a missing role, with false", function()
    local doc = tidings.analyze("Ukrainian President Volodymyr Zelenskyy arrived. Zelenskyy spoke in London.")
    local a, b, ty, canon, role = doc:entity_arrays()
    local seen = {}
    for i = 1, #a do seen[doc:text():sub(a[i], b[i])] = { ty[i], canon[i], role[i] } end
    assert.are.same({ "PERSON", "Volodymyr Zelenskyy", false }, seen["Zelenskyy"])
    assert.are.same({ "GPE", false, false }, seen["London"])
    assert.are.same({ "PERSON", false, "Ukrainian President" }, seen["Volodymyr Zelenskyy"])
  end)

  it("gives empty arrays for a text without entities, and rejects what is not a Doc", function()
    local a, b, ty, canon, role = tidings.analyze("nothing to see here."):entity_arrays()
    assert.are.same({ {}, {}, {}, {}, {} }, { a, b, ty, canon, role })
    local doc = tidings.analyze("Putin met Macron in Paris.")
    assert.has_error(function() doc.entity_arrays("not a doc") end)
    assert.has_error(function() doc.entity_arrays(nil) end)
  end)
end)
