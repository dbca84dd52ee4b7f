--- tidings.nvim_spans: the highlighted spans of one Neovim buffer, kept in
-- Lua instead of one extmark each.
--
-- tidings.nvim draws them from here for the lines Neovim redraws (a
-- decoration provider), so highlighting a buffer costs one pass that fills
-- these arrays, not one nvim_buf_set_extmark call per span, and the lines
-- nobody looks at cost nothing more.  What extmarks did for free is done
-- here: `edit` moves the spans with the text on each change (Neovim's
-- on_bytes), with the gravities Neovim gives a highlight's ends.
--
-- A store holds parallel arrays, sorted by start (row, then column):
--   r1, c1   start: 0-based row and byte column
--   r2, c2   end: 0-based row, exclusive byte column
--   g        highlight group id
--   k        kind: 1 entity, 2 number, 3 quote
--   x        what the label is made from (the library's row), or the label
--            once made (a string, or false when there is none)
-- and `n` (the count) and `h` (an upper bound of r2 - r1 over the spans).
-- Nothing here calls Neovim: the store is plain Lua and is tested as such.
local S = {}
S.__index = S

local FIELDS = { "r1", "c1", "r2", "c2", "g", "k", "x" }

function S.new()
  return setmetatable({ n = 0, h = 0, r1 = {}, c1 = {}, r2 = {}, c2 = {}, g = {}, k = {}, x = {} }, S)
end

--- Append a span (the caller appends in order of starts).
function S:push(r1, c1, r2, c2, g, k, x)
  local n = self.n + 1
  self.n = n
  self.r1[n], self.c1[n], self.r2[n], self.c2[n], self.g[n], self.k[n], self.x[n] = r1, c1, r2, c2, g, k, x
  if r2 - r1 > self.h then self.h = r2 - r1 end
end

--- The index of the first span that starts on row `row` or later (n + 1: none).
function S:first(row)
  local r1 = self.r1
  local lo, hi = 1, self.n + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if r1[mid] < row then lo = mid + 1 else hi = mid end
  end
  return lo
end

--- Replace the spans that start on rows [lo, hi) (hi nil: to the end) with
-- those of store `new` (whose rows all lie in [lo, hi)).
function S:replace(lo, hi, new)
  local i0 = self:first(lo)
  local i1 = hi and self:first(hi) or self.n + 1
  local n, m = self.n, new.n
  local n2 = n - (i1 - i0) + m
  local shift = i0 + m - i1   -- where the spans after the range go
  for _, f in ipairs(FIELDS) do
    local a, b = self[f], new[f]
    -- (no table.move: Lua 5.1 runs this file's spec)
    if shift > 0 then for j = n, i1, -1 do a[j + shift] = a[j] end
    elseif shift < 0 then for j = i1, n do a[j + shift] = a[j] end end
    for j = 1, m do a[i0 + j - 1] = b[j] end
    for j = n2 + 1, n do a[j] = nil end
  end
  self.n = n2
  if new.h > self.h then self.h = new.h end
end

-- Where position (r, c) goes when the text from (sr, sc) to (or_, oc) is
-- replaced by text that ends at (nr, nc) (all absolute).  `right`: the
-- position stays after text inserted at it (a span's start), else before it
-- (a span's end), as Neovim's extmarks do by default.
local function move(r, c, sr, sc, or_, oc, nr, nc, right)
  if r < sr or (r == sr and (c < sc or (c == sc and not right))) then return r, c end
  if r > or_ then return r + (nr - or_), c end
  if r == or_ and c >= oc then return nr, nc + (c - oc) end
  -- inside the replaced text
  if right then return nr, nc end
  return sr, sc
end

--- An edit, as Neovim's on_bytes reports it: the text from (sr, sc) that
-- spanned old_rows rows and ended at column old_col (relative to sc when
-- old_rows is 0) now spans new_rows rows and ends at new_col.  Spans move
-- with the text around them; a span whose text was deleted shrinks to
-- nothing (and is not drawn) until the next analysis.
function S:edit(sr, sc, old_rows, old_col, new_rows, new_col)
  local or_, oc = sr + old_rows, old_rows == 0 and sc + old_col or old_col
  local nr, nc = sr + new_rows, new_rows == 0 and sc + new_col or new_col
  local d = nr - or_
  local r1, c1, r2, c2 = self.r1, self.c1, self.r2, self.c2
  local h = self.h
  local i = self:first(sr - h)
  local n = self.n
  while i <= n do
    local a = r1[i]
    if a > or_ then
      -- every later span lies wholly after the edit: rows shift, columns stay
      if d == 0 then break end
      for j = i, n do r1[j] = r1[j] + d; r2[j] = r2[j] + d end
      break
    end
    local b = r2[i]
    if b > sr or (b == sr and c2[i] >= sc) then
      r1[i], c1[i] = move(a, c1[i], sr, sc, or_, oc, nr, nc, true)
      b, c2[i] = move(b, c2[i], sr, sc, or_, oc, nr, nc, false)
      r2[i] = b
      if b - r1[i] > h then h = b - r1[i] end
    end
    i = i + 1
  end
  self.h = h
end

--- Whether span i covers some text (an edit can leave it empty or reversed).
function S:visible(i)
  local r1, r2 = self.r1[i], self.r2[i]
  return r1 < r2 or (r1 == r2 and self.c1[i] < self.c2[i])
end

return S
