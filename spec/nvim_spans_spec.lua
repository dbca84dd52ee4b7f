-- spec/nvim_spans_spec.lua: the span store of the Neovim plugin (plain Lua:
-- how spans follow edits as extmarks would, and how rows are replaced).
local Spans = require "tidings.nvim_spans"

-- A store from { {r1, c1, r2, c2}, ... } (in order); kinds and groups are the index.
local function store(list)
  local sp = Spans.new()
  for i, s in ipairs(list) do sp:push(s[1], s[2], s[3], s[4], i, 1, "label " .. i) end
  return sp
end

local function dump(sp)
  local out = {}
  for i = 1, sp.n do out[i] = { sp.r1[i], sp.c1[i], sp.r2[i], sp.c2[i], sp.g[i] } end
  return out
end

describe("tidings.nvim_spans", function()
  it("finds the first span of a row", function()
    local sp = store({ { 0, 1, 0, 3 }, { 2, 0, 2, 4 }, { 2, 5, 2, 6 }, { 7, 0, 8, 1 } })
    assert.are.equal(1, sp:first(0))
    assert.are.equal(2, sp:first(1))
    assert.are.equal(2, sp:first(2))
    assert.are.equal(4, sp:first(3))
    assert.are.equal(5, sp:first(9))
    assert.are.equal(1, sp.h)
  end)

  it("moves the spans after text typed on their line, not those before it", function()
    local sp = store({ { 0, 0, 0, 5 }, { 0, 10, 0, 15 }, { 1, 0, 1, 3 } })
    sp:edit(0, 7, 0, 0, 0, 2)           -- two bytes typed at column 7
    assert.are.same({ { 0, 0, 0, 5, 1 }, { 0, 12, 0, 17, 2 }, { 1, 0, 1, 3, 3 } }, dump(sp))
  end)

  it("keeps text typed at a span's end outside it, and pushes a span at whose start text is typed", function()
    local sp = store({ { 0, 4, 0, 8 } })
    sp:edit(0, 8, 0, 0, 0, 3)           -- after the span
    assert.are.same({ { 0, 4, 0, 8, 1 } }, dump(sp))
    sp:edit(0, 4, 0, 0, 0, 3)           -- before it, at its start
    assert.are.same({ { 0, 7, 0, 11, 1 } }, dump(sp))
    sp:edit(0, 9, 0, 0, 0, 1)           -- inside it: it grows
    assert.are.same({ { 0, 7, 0, 12, 1 } }, dump(sp))
  end)

  it("shifts the rows below inserted and deleted lines", function()
    local sp = store({ { 0, 0, 0, 2 }, { 3, 1, 4, 2 }, { 9, 0, 9, 1 } })
    sp:edit(1, 0, 0, 0, 2, 0)           -- two lines inserted before row 1
    assert.are.same({ { 0, 0, 0, 2, 1 }, { 5, 1, 6, 2, 2 }, { 11, 0, 11, 1, 3 } }, dump(sp))
    sp:edit(1, 0, 3, 0, 0, 0)           -- rows 1-3 deleted
    assert.are.same({ { 0, 0, 0, 2, 1 }, { 2, 1, 3, 2, 2 }, { 8, 0, 8, 1, 3 } }, dump(sp))
  end)

  it("moves a span's end when a line break is typed inside it, and its columns after one before it", function()
    local sp = store({ { 0, 10, 0, 20 } })
    sp:edit(0, 15, 0, 0, 1, 0)          -- Enter at column 15: the rest goes to row 1, column 0
    assert.are.same({ { 0, 10, 1, 5, 1 } }, dump(sp))
    assert.are.equal(1, sp.h)
    sp:edit(0, 2, 0, 0, 1, 0)           -- Enter at column 2, before the span
    assert.are.same({ { 1, 8, 2, 5, 1 } }, dump(sp))
  end)

  it("joins lines: the next line's spans move to the end of the line above", function()
    local sp = store({ { 1, 3, 1, 6 } })
    sp:edit(0, 12, 1, 0, 0, 1)          -- the line break after column 12 replaced by a space
    assert.are.same({ { 0, 16, 0, 19, 1 } }, dump(sp))
  end)

  it("collapses a span whose text is deleted, and hides it", function()
    local sp = store({ { 0, 4, 0, 8 }, { 0, 10, 0, 12 } })
    sp:edit(0, 3, 0, 6, 0, 0)           -- columns 3-8 deleted
    assert.are.same({ { 0, 3, 0, 3, 1 }, { 0, 4, 0, 6, 2 } }, dump(sp))
    assert.is_false(sp:visible(1))
    assert.is_true(sp:visible(2))
  end)

  it("replaces the spans of a row range and keeps the others in order", function()
    local sp = store({ { 0, 0, 0, 1 }, { 2, 0, 2, 1 }, { 2, 3, 2, 4 }, { 5, 0, 5, 1 } })
    local new = Spans.new()
    new:push(1, 0, 1, 2, 10, 2, false)
    new:push(3, 0, 4, 2, 11, 3, false)
    new:push(3, 5, 3, 6, 12, 1, false)
    sp:replace(1, 4, new)
    assert.are.same({ { 0, 0, 0, 1, 1 }, { 1, 0, 1, 2, 10 }, { 3, 0, 4, 2, 11 }, { 3, 5, 3, 6, 12 },
      { 5, 0, 5, 1, 4 } }, dump(sp))
    assert.are.same({ "label 1", false, false, false, "label 4" }, sp.x)
    assert.are.equal(1, sp.h)
    sp:replace(1, 4, Spans.new())       -- removed; nothing left behind the end
    assert.are.same({ { 0, 0, 0, 1, 1 }, { 5, 0, 5, 1, 4 } }, dump(sp))
    assert.is_nil(sp.r1[3])
    sp:replace(3, nil, Spans.new())     -- to the end
    assert.are.same({ { 0, 0, 0, 1, 1 } }, dump(sp))
  end)
end)
