--- tidings.nvim: entities, numbers and quotes in the Neovim buffer you are writing.
--
-- plugin/tidings.lua defines :Tidings and requires this module on first use.
-- Everything here works with Neovim 0.7 (Debian 12) and with current releases:
-- only APIs present in 0.7 are used, newer ones are feature-tested.
--
--   require("tidings.nvim").setup{ ... }     -- optional, see M.defaults
--   :Tidings entities|numbers|quotes|all|off|list|report|live|hover
--   %{v:lua.require'tidings.nvim'.statusline()}
--
-- Offsets: the library gives 1-based inclusive byte offsets into the text
-- table.concat(lines, "\n"); Neovim wants 0-based (row, byte column) pairs
-- with an exclusive end column.  `M.position` does the conversion.
local api, fn = vim.api, vim.fn
local uv = vim.uv or vim.loop -- vim.loop is deprecated since 0.10
local Spans = require "tidings.nvim_spans"

local M = {}

M.defaults = {
  virtual_text = true,   -- show canonical name / value / speaker after the line
  live = false,          -- start live mode with every :Tidings <kinds>
  debounce = 300,        -- ms of quiet before live mode re-analyses
  large = 2000,          -- lines; above this :Tidings works in chunks (visible ones first)
                         -- and live mode re-analyses only the edited paragraphs
  chunk = 100,           -- lines per chunk (grown to the next blank line)
  budget = 10,           -- ms of background work between two looks at the editor
  words_per_minute = 230,-- for the reading time in the statusline
  cpath = nil,           -- extra package.cpath entry for tidings/core.so (default: <plugin>/build/jit)
}
local config = vim.deepcopy(M.defaults)

M.ns = api.nvim_create_namespace("tidings")
M.label_ns = api.nvim_create_namespace("tidings_labels") -- drawn labels (ephemeral)

-- Highlight groups, linked to standard groups so colour schemes apply.
M.highlights = {
  TidingsPerson = "Identifier",
  TidingsOrg = "Type",
  TidingsPlace = "Constant",
  TidingsGroup = "PreProc",
  TidingsEntity = "Statement",
  TidingsNumber = "Number",
  TidingsDate = "Special",
  TidingsQuote = "String",
  TidingsVirtualText = "Comment",
}
local ENTITY_GROUP = {
  PERSON = "TidingsPerson", ORG = "TidingsOrg", GPE = "TidingsPlace", LOC = "TidingsPlace",
  FAC = "TidingsPlace", NORP = "TidingsGroup",
}
local DATE_KINDS = { date = true, time = true, duration = true, date_range = true, set = true }

local function define_highlights()
  for group, link in pairs(M.highlights) do
    vim.cmd(("highlight default link %s %s"):format(group, link))
  end
end

--- Merge user options into the configuration (calling it is optional).
function M.setup(opts)
  opts = opts or {}
  for k, v in pairs(opts) do
    if M.defaults[k] == nil and k ~= "cpath" then
      error(("tidings.nvim.setup: unknown option '%s'"):format(tostring(k)), 2)
    end
    config[k] = v
  end
  return M
end

function M.config() return config end

-- Loading the C module ------------------------------------------------------------------------

-- The plugin's root: this file is <root>/lua/tidings/nvim.lua.
function M.root()
  local src = debug.getinfo(1, "S").source
  if src:sub(1, 1) ~= "@" then return nil end
  return fn.fnamemodify(src:sub(2), ":p:h:h:h")
end

local td, load_err

--- The tidings module, or nil and why it could not be loaded.  When
-- `require "tidings.core"` fails, <plugin root>/build/jit/?.so (what `make
-- build` writes for LuaJIT, the Lua Neovim embeds) is added to package.cpath.
function M.load()
  if td then return td end
  local ok, err = pcall(require, "tidings.core")
  if not ok then
    -- Lua 5.1's require leaves a sentinel behind after an error: clear it.
    for _, name in ipairs({ "tidings.core", "tidings" }) do
      if type(package.loaded[name]) ~= "table" then package.loaded[name] = nil end
    end
    local extra = {}
    if config.cpath then extra[#extra + 1] = config.cpath end
    local root = M.root()
    if root then extra[#extra + 1] = root .. "/build/jit/?.so" end
    for _, p in ipairs(extra) do
      if not package.cpath:find(p, 1, true) then package.cpath = p .. ";" .. package.cpath end
    end
    ok, err = pcall(require, "tidings.core")
  end
  if not ok then
    load_err = ("cannot load the C module tidings.core: run `make build` in %s.\n%s")
      :format(M.root() or "the plugin's folder", tostring(err))
    return nil, load_err
  end
  local ok2, mod = pcall(require, "tidings")
  if not ok2 then
    if type(package.loaded.tidings) ~= "table" then package.loaded.tidings = nil end
    load_err = tostring(mod)
    return nil, load_err
  end
  td = mod
  return td
end

local function need()
  local t, err = M.load()
  if not t then
    -- the first line; the paths tried are in :checkhealth tidings
    error((tostring(err):match("^[^\n]*") or "") .. " (see :checkhealth tidings)", 0)
  end
  return t
end

-- Text and positions --------------------------------------------------------------------------

--- The buffer's text and the 0-based byte offset where each line starts.
local function buffer_text(buf, first, last)
  local lines = api.nvim_buf_get_lines(buf, first or 0, last or -1, false)
  local starts, pos = {}, 0
  for i = 1, #lines do
    starts[i] = pos
    pos = pos + #lines[i] + 1
  end
  return table.concat(lines, "\n"), starts, lines
end

-- The 0-based row of the line holding 0-based byte offset `off` (binary search).
local function row_of(starts, off)
  local lo, hi = 1, #starts
  while lo < hi do
    local mid = math.floor((lo + hi + 1) / 2)
    if starts[mid] <= off then lo = mid else hi = mid - 1 end
  end
  return lo - 1
end

--- Convert a library span (1-based inclusive byte offsets a..b into the joined
-- lines) to Neovim's (row, col, end_row, end_col): 0-based rows, 0-based byte
-- columns, end column exclusive.  `starts` is from buffer_text.
function M.position(starts, a, b)
  local r1 = row_of(starts, a - 1)
  local r2 = row_of(starts, b - 1)
  return r1, (a - 1) - starts[r1 + 1], r2, b - starts[r2 + 1]
end

-- M.position for items in order of their starts: a row cursor that moves
-- forward with them (the whole buffer's spans cost one pass over the lines,
-- not a search each).  Returns pos(a, b) -> the same four values.
local function positions(starts)
  local r, nst = 1, #starts
  return function(a, b)
    local a0, b0 = a - 1, b - 1
    if r > 1 and starts[r] > a0 then r = row_of(starts, a0) + 1 end -- out of order: search
    while r < nst and starts[r + 1] <= a0 do r = r + 1 end
    local r2 = r
    while r2 < nst and starts[r2 + 1] <= b0 do r2 = r2 + 1 end
    return r - 1, a0 - starts[r], r2 - 1, b - starts[r2]
  end
end

-- Analysis ------------------------------------------------------------------------------------

local report_mod -- tidings.report, loaded for the first number label (false: unavailable)

local function value_text(n)
  if report_mod == nil then
    local ok, r = pcall(require, "tidings.report")
    report_mod = ok and r or false
  end
  local v
  if report_mod and (n.value or n.low or n.high) then
    local ok2, s = pcall(report_mod.value_text, n)
    if ok2 then v = s end
  end
  local parts = {}
  if v then parts[#parts + 1] = v end
  if n.unit then parts[#parts + 1] = tostring(n.unit) end
  if n.per then parts[#parts + 1] = "per " .. tostring(n.per) end
  if n.timex and not v then parts[#parts + 1] = tostring(n.timex) end
  return table.concat(parts, " ")
end

-- The label of a library row of `kind`, and whether it says more than the
-- text does (only those labels are drawn).
-- `canonical`: the canonical name when it is not the text itself, else nil.
local function entity_label_of(etype, canonical, role)
  local label = etype or "?"
  if canonical then label = label .. " " .. canonical end
  if role then label = label .. " (" .. role .. ")" end
  return label, canonical ~= nil or role ~= nil
end

local function entity_label(e)
  local more = e.canonical ~= nil and e.canonical ~= e.text
  return entity_label_of(e.type, more and e.canonical or nil, e.role)
end

local function number_label(n)
  local v = value_text(n)
  return (n.kind or "number") .. (v ~= "" and (" " .. v) or ""), v ~= "" and v ~= n.text
end

local function quote_label(q)
  return "— " .. (q.speaker or "(unattributed)"), true
end

-- A quotation's span includes its marks.
local function quote_span(q)
  local o = q.outer or q
  return o.start or q.start, o.stop or q.stop
end

-- The entities of `doc` as columns { start, stop, type, canonical, role }
-- (canonical and role false when there is none): doc:entity_arrays() builds
-- no table per entity; a core.so without it gives the rows, copied here.
local function columns_of_rows(rows)
  local c = { start = {}, stop = {}, type = {}, canonical = {}, role = {} }
  for i, e in ipairs(rows or {}) do
    c.start[i], c.stop[i], c.type[i], c.role[i] = e.start, e.stop, e.type, e.role or false
    c.canonical[i] = e.canonical ~= nil and e.canonical ~= e.text and e.canonical
  end
  return c
end

local function entity_columns(doc)
  if doc.entity_arrays then
    local a, b, ty, canon, role = doc:entity_arrays()
    return { start = a, stop = b, type = ty, canonical = canon, role = role }
  end
  return columns_of_rows(doc:entities())
end

--- What the library finds in `text`: { entities =, numbers =, quotes = }
-- (the rows of doc:entities() etc., each sorted by start; a kind not asked
-- for is absent), or nil and a message.  With `columns`, the entities are
-- `entity_columns` instead of `entities` (for highlighting, which reads few).
local function analyse(text, kinds, columns)
  local t = need()
  local doc, err = t.analyze(text)
  if not doc then return nil, err end
  local found = {}
  if kinds.entities and doc.entities then
    if columns then found.entity_columns = entity_columns(doc) else found.entities = doc:entities() end
  end
  if kinds.numbers and doc.numbers then found.numbers = doc:numbers() end
  -- the speakers come from the Doc's entities, which doc:quotes() reads in
  -- C (those found above, or found now without building their rows)
  if kinds.quotes and doc.quotes then found.quotes = doc:quotes() end
  return found
end

-- The order of items: by start, the longer first, then by kind.
local function before(x, y)
  if x.a ~= y.a then return x.a < y.a end
  if x.b ~= y.b then return x.b > y.b end
  return x.kind < y.kind
end

-- `l` in that order: the library gives each kind sorted already, so this
-- only checks (a sort with a Lua comparator costs ~10 ms on 17,000 items).
local function in_order(l)
  for i = 2, #l do
    if before(l[i], l[i - 1]) then
      table.sort(l, before)
      break
    end
  end
  return l
end

-- Merge two lists in that order into a new one (x's item first on a tie).
local function merge(x, y)
  if #y == 0 then return x end
  if #x == 0 then return y end
  local out, i, j, nx, ny = {}, 1, 1, #x, #y
  for k = 1, nx + ny do
    local a, b = x[i], y[j]
    if b == nil or (a ~= nil and not before(b, a)) then
      out[k] = a
      i = i + 1
    else
      out[k] = b
      j = j + 1
    end
  end
  return out
end

--- The annotations of a text, as one sorted list of items
-- { kind = "entity"|"number"|"quote", a =, b = (1-based inclusive), text =,
--   type =, label =, hl = }.  `kinds` says which to compute.
function M.items(text, kinds)
  local found, err = analyse(text, kinds)
  if not found then return nil, err end
  local E, N, Q = {}, {}, {}
  for i, e in ipairs(found.entities or {}) do
    local label, show = entity_label(e)
    E[i] = { kind = "entity", a = e.start, b = e.stop, text = e.text, type = e.type,
      label = label, info = e, hl = ENTITY_GROUP[e.type] or "TidingsEntity", show = show }
  end
  for i, n in ipairs(found.numbers or {}) do
    local label, show = number_label(n)
    N[i] = { kind = "number", a = n.start, b = n.stop, text = n.text, type = n.kind,
      label = label, info = n, hl = DATE_KINDS[n.kind] and "TidingsDate" or "TidingsNumber", show = show }
  end
  for i, q in ipairs(found.quotes or {}) do
    local a, b = quote_span(q)
    local label, show = quote_label(q)
    Q[i] = { kind = "quote", a = a, b = b, text = q.text, type = "quote", label = label, info = q,
      hl = "TidingsQuote", show = show }
  end
  return merge(merge(in_order(E), in_order(N)), in_order(Q))
end

-- Per-buffer state ----------------------------------------------------------------------------

local state = {}   -- buf -> { kinds = {...}, live = bool, timer =, dirty = {lo, hi}, attached = bool,
                   --         sp = the spans shown (tidings.nvim_spans), drawn = last row drawn }
M._state = state

local function kinds_of(which)
  if which == "all" then return { entities = true, numbers = true, quotes = true } end
  return { [which] = true }
end

local function bufnr(buf)
  if buf == nil or buf == 0 then return api.nvim_get_current_buf() end
  return buf
end

-- Highlight group ids (ids stay valid when a colour scheme clears the
-- groups): Neovim takes an id without looking the name up per mark.
local hl_ids, hl_names
local function hl_id_table()
  if not hl_ids then
    hl_ids, hl_names = {}, {}
    for group in pairs(M.highlights) do
      local id = api.nvim_get_hl_id_by_name(group)
      hl_ids[group], hl_names[id] = id, group
    end
  end
  return hl_ids
end

local KIND_ENTITY, KIND_NUMBER, KIND_QUOTE = 1, 2, 3

-- The spans of what `analyse` found (offsets relative to row `row0`), as a
-- new Spans store, straight from the library's rows: no item tables.  The
-- three lists (each sorted by start) are walked together in the order of
-- M.items, and one row cursor serves them all (no search per span; a start
-- that goes back is searched, so an unsorted list would still be placed
-- right).  A span keeps the library's row it came from: its label is made
-- when Neovim first draws its line (see label_at), not for every span.
local function build(found, starts, row0)
  local sp = Spans.new()
  local ids = hl_id_table()
  local by_type = {}
  for t, g in pairs(ENTITY_GROUP) do by_type[t] = ids[g] end
  local other, num, date, quote = ids.TidingsEntity, ids.TidingsNumber, ids.TidingsDate, ids.TidingsQuote
  local EC = found.entity_columns or columns_of_rows(found.entities)
  local EA, EB, ET, ECA, ER = EC.start, EC.stop, EC.type, EC.canonical, EC.role
  local N, Q = found.numbers or {}, found.quotes or {}
  local pos = positions(starts)
  local function put(a, b, hl, kind, x)
    local r1, c1, r2, c2 = pos(a, b)
    sp:push(r1 + row0, c1, r2 + row0, c2, hl, kind, x)
  end
  -- the span of the next row of each kind (start math.huge: none left)
  local huge = math.huge
  local i, j, k = 1, 1, 1
  local ea, eb, na, nb, qa, qb
  local function next_e() local a = EA[i]; if a then ea, eb = a, EB[i] else ea, eb = huge, 0 end end
  local function next_n() local x = N[j]; if x then na, nb = x.start, x.stop else na, nb = huge, 0 end end
  local function next_q() local q = Q[k]; if q then qa, qb = quote_span(q) else qa, qb = huge, 0 end end
  next_e(); next_n(); next_q()
  for _ = 1, #EA + #N + #Q do
    -- M.items' order: by start, the longer first, then entity, number, quote
    if (ea < na or (ea == na and eb >= nb)) and (ea < qa or (ea == qa and eb >= qb)) then
      local ty, canon, role = ET[i], ECA[i], ER[i]
      -- the label now: a string only for the entities that have one
      local label = (canon or role) and entity_label_of(ty, canon or nil, role or nil) or false
      put(ea, eb, by_type[ty] or other, KIND_ENTITY, label)
      i = i + 1; next_e()
    elseif na < qa or (na == qa and nb >= qb) then
      local x = N[j]
      -- without any of these the label is the kind alone, never shown
      local has = x.value or x.low or x.high or x.unit or x.per or x.timex
      put(na, nb, DATE_KINDS[x.kind] and date or num, KIND_NUMBER, has and x or false)
      j = j + 1; next_n()
    else
      put(qa, qb, quote, KIND_QUOTE, Q[k])
      k = k + 1; next_q()
    end
  end
  return sp
end

-- The label of span i of store `sp`, made from its library row the first
-- time (and kept; false when it says nothing the text does not).
local function label_at(sp, i)
  local l = sp.x[i]
  if type(l) == "table" then
    local text, show
    local kind = sp.k[i]
    if kind == KIND_NUMBER then text, show = number_label(l)
    else text, show = quote_label(l) end
    l = show and text or false
    sp.x[i] = l
  end
  return l or nil
end

-- A quotation goes under the names and numbers inside it.
local function priority(kind) return kind == KIND_QUOTE and 90 or 110 end

-- Ask Neovim to draw rows [lo, hi) of `buf` again (hi nil: to the end):
-- nvim__buf_redraw_range up to 0.9, renamed nvim__redraw in 0.10 (same
-- 0-based, end-exclusive range); a full redraw if neither is there.
local function redraw(buf, lo, hi)
  hi = hi or api.nvim_buf_line_count(buf)
  if api.nvim__buf_redraw_range then
    api.nvim__buf_redraw_range(buf, lo, hi)
  elseif not (api.nvim__redraw and pcall(api.nvim__redraw, { buf = buf, range = { lo, hi }, flush = false })) then
    vim.cmd("redraw!")
  end
end

-- Replace the spans of rows [lo, hi) (hi nil: to the end) with `new` (an
-- empty store: remove them).
local function set_rows(buf, st, lo, hi, new)
  if not st.sp or (lo == 0 and hi == nil) then st.sp = new
  else st.sp:replace(lo, hi, new) end
  redraw(buf, lo, hi)
end

-- For bench/nvim_bench.lua: what M.refresh finds in a text (M._analyse),
-- and the spans of `buf` replaced with those of `found` (offsets into the
-- whole buffer's text), as M.refresh does after analysing.
M._analyse = analyse
function M._place(buf, found)
  buf = bufnr(buf)
  local st = state[buf] or {}
  state[buf] = st
  local _, starts = buffer_text(buf)
  set_rows(buf, st, 0, nil, build(found, starts, 0))
  return st.sp.n
end

--- The spans highlighted in `buf`, in order: a list of { row =, col =,
-- end_row =, end_col = (0-based, end exclusive), hl_group =, priority =,
-- label = (the virtual text, or nil) }.  What the decoration provider draws.
function M.spans(buf)
  local st = state[bufnr(buf)]
  local sp, out = st and st.sp, {}
  if not sp then return out end
  hl_id_table()
  for i = 1, sp.n do
    if sp:visible(i) then
      out[#out + 1] = { row = sp.r1[i], col = sp.c1[i], end_row = sp.r2[i], end_col = sp.c2[i],
        hl_group = hl_names[sp.g[i]], priority = priority(sp.k[i]), label = label_at(sp, i) }
    end
  end
  return out
end

-- Decoration provider: for each line Neovim draws, the spans that start on
-- it (and, when the line above was not drawn just before, those that run
-- into it from above) as ephemeral extmarks, and their labels as virtual
-- text at the end of the line; for this redraw only.
local mark_opts = { ephemeral = true }
local label_opts = { virt_text_pos = "eol", ephemeral = true }
local set_extmark = api.nvim_buf_set_extmark

local function draw(sp, buf, i)
  if not sp:visible(i) then return end
  mark_opts.end_row, mark_opts.end_col = sp.r2[i], sp.c2[i]
  mark_opts.hl_group, mark_opts.priority = sp.g[i], priority(sp.k[i])
  pcall(set_extmark, buf, M.ns, sp.r1[i], sp.c1[i], mark_opts)
end

local function draw_line(_, _, buf, row)
  local st = state[buf]
  local sp = st and st.sp
  if not sp or sp.n == 0 then return end
  local first = sp:first(row)
  if row ~= st.drawn + 1 and sp.h > 0 then
    for i = sp:first(row - sp.h), first - 1 do
      if sp.r2[i] >= row then draw(sp, buf, i) end
    end
  end
  st.drawn = row
  local chunks
  local labels = config.virtual_text
  local r1 = sp.r1
  local i = first
  while i <= sp.n and r1[i] == row do
    draw(sp, buf, i)
    if labels then
      local l = label_at(sp, i)
      if l and sp:visible(i) then
        chunks = chunks or {}
        chunks[#chunks + 1] = { " " .. l, "TidingsVirtualText" }
      end
    end
    i = i + 1
  end
  if chunks then
    label_opts.virt_text = chunks
    pcall(set_extmark, buf, M.label_ns, row, 0, label_opts)
  end
end

api.nvim_set_decoration_provider(M.ns, {
  on_win = function(_, _, buf)
    local st = state[buf]
    if not (st and st.sp and st.sp.n > 0) then return false end
    st.drawn = -2
    return true
  end,
  on_line = draw_line,
})

-- Chunks [lo, hi) of about `size` rows covering the buffer, each ending
-- before a blank line when there is one near (paragraphs stay whole).
local function chunks_of(lines, size)
  local out, lo, n = {}, 0, #lines
  while lo < n do
    local hi = math.min(n, lo + size)
    local cap = math.min(n, lo + size * 5)
    while hi < cap and not lines[hi + 1]:match("^%s*$") do hi = hi + 1 end
    out[#out + 1] = { lo, hi }
    lo = hi
  end
  return out
end

-- Analyse rows [lo, hi) of the snapshot `lines` and replace their spans.
local function do_chunk(buf, st, lines, lo, hi)
  local starts, pos = {}, 0
  for i = lo + 1, hi do
    starts[#starts + 1] = pos
    pos = pos + #lines[i] + 1
  end
  local found = analyse(table.concat(lines, "\n", lo + 1, hi), st.kinds, true)
  local new = (found and #starts > 0) and build(found, starts, lo) or Spans.new()
  set_rows(buf, st, lo, hi, new)
  return new.n
end

-- The rows shown in the windows that show `buf`: lo, hi (0-based, hi exclusive).
local function visible_rows(buf)
  local lo, hi
  for _, win in ipairs(fn.win_findbuf(buf)) do
    local a, b = fn.line("w0", win) - 1, fn.line("w$", win)
    lo = lo and math.min(lo, a) or a
    hi = hi and math.max(hi, b) or b
  end
  return lo or 0, hi or 1
end

-- A large buffer: the chunks on screen now, the others in the background, a
-- few milliseconds at a time, so the editor never waits for the whole text.
-- A newer refresh (or an edit) supersedes the work still queued.
local function refresh_chunked(buf, st)
  local lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  local tick = api.nvim_buf_get_changedtick(buf)
  local chunks = chunks_of(lines, config.chunk)
  local vlo, vhi = visible_rows(buf)
  local now, later = {}, {}
  for _, c in ipairs(chunks) do
    if c[2] > vlo and c[1] < vhi then now[#now + 1] = c else later[#later + 1] = c end
  end
  -- after the screen first, then before it
  table.sort(later, function(x, y)
    local ax, ay = x[1] >= vhi, y[1] >= vhi
    if ax ~= ay then return ax end
    return x[1] < y[1]
  end)
  st.gen = (st.gen or 0) + 1
  local gen = st.gen
  local n = 0
  for _, c in ipairs(now) do n = n + do_chunk(buf, st, lines, c[1], c[2]) end
  st.pending = #later
  local i = 1
  local function step()
    if st.gen ~= gen or not st.kinds or not api.nvim_buf_is_valid(buf) then return end
    if api.nvim_buf_get_changedtick(buf) ~= tick then
      -- the text moved under the snapshot: start again from the current text
      refresh_chunked(buf, st)
      return
    end
    local t0 = uv.hrtime()
    repeat
      local c = later[i]
      do_chunk(buf, st, lines, c[1], c[2])
      i = i + 1
      st.pending = #later - i + 1
    until i > #later or (uv.hrtime() - t0) > config.budget * 1e6
    if i <= #later then vim.defer_fn(step, 0) end
  end
  if #later > 0 then vim.defer_fn(step, 0) end
  return n
end

--- Chunks of a large buffer still waiting for the background (0 when done).
function M.pending(buf)
  local st = state[bufnr(buf)]
  return st and st.pending or 0
end

--- Analyse the lines [first, last) of `buf` (default: all) and highlight what
-- the buffer's kinds ask for.  Returns the number of spans found now (a
-- buffer of more than `large` lines continues in the background: M.pending).
function M.refresh(buf, first, last)
  buf = bufnr(buf)
  local st = state[buf]
  if not st or not st.kinds then return 0 end
  if first == nil and last == nil and api.nvim_buf_line_count(buf) > config.large then
    return refresh_chunked(buf, st)
  end
  if first == nil and last == nil then
    st.gen = (st.gen or 0) + 1 -- the whole buffer: cancels background work
    st.pending = 0
  end
  first = first or 0
  local text, starts = buffer_text(buf, first, last)
  local found, err = analyse(text, st.kinds, true)
  if not found then
    vim.notify("tidings: " .. tostring(err), vim.log.levels.WARN)
    return 0
  end
  local new = #starts > 0 and build(found, starts, first) or Spans.new()
  set_rows(buf, st, first, last, new)
  return new.n
end

-- Live mode -----------------------------------------------------------------------------------

local function stop_timer(st)
  if st.timer then
    st.timer:stop()
    if not st.timer:is_closing() then st.timer:close() end
    st.timer = nil
  end
end

-- Grow [lo, hi) to whole paragraphs (blank-line bounded), by at most
-- `chunk` lines each way (a text without blank lines is not redone whole).
local function paragraph_range(buf, lo, hi)
  local n = api.nvim_buf_line_count(buf)
  lo = math.max(0, math.min(lo, n - 1))
  hi = math.max(lo + 1, math.min(hi, n))
  local function blank(r) return (api.nvim_buf_get_lines(buf, r, r + 1, false)[1] or ""):match("^%s*$") ~= nil end
  local lo_min, hi_max = math.max(0, lo - config.chunk), math.min(n, hi + config.chunk)
  while lo > lo_min and not blank(lo - 1) do lo = lo - 1 end
  while hi < hi_max and not blank(hi) do hi = hi + 1 end
  return lo, hi
end

local function live_update(buf)
  local st = state[buf]
  if not st or not st.kinds or not api.nvim_buf_is_valid(buf) then return end
  local d = st.dirty
  st.dirty = nil
  if d and api.nvim_buf_line_count(buf) > config.large then
    local lo, hi = paragraph_range(buf, d[1], d[2])
    M.refresh(buf, lo, hi)
    st.region = { lo, hi }
  else
    M.refresh(buf)
    st.region = nil
  end
  st.updates = (st.updates or 0) + 1
end

-- Follow the buffer's changes while it shows spans: on_bytes moves the
-- spans with the text (as extmarks would move), on_lines notes the rows to
-- analyse again in live mode.  Detaches once the highlights are off.
local function attach(buf)
  local st = state[buf]
  if st.attached then return end
  st.attached = api.nvim_buf_attach(buf, false, {
    on_bytes = function(_, b, _, sr, sc, _, oer, oec, _, ner, nec)
      local s = state[b]
      if not s or not s.kinds then
        if s then s.attached = false end
        return true -- detach
      end
      if s.sp then s.sp:edit(sr, sc, oer, oec, ner, nec) end
    end,
    on_lines = function(_, b, _, first, last_old, last_new)
      local s = state[b]
      if not s or not s.kinds then
        if s then s.attached = false end
        return true
      end
      if not s.live then return end
      local delta = last_new - last_old
      if s.dirty then
        local lo, hi = s.dirty[1], s.dirty[2]
        if hi > first then hi = math.max(hi + delta, last_new) else hi = math.max(hi, last_new) end
        s.dirty = { math.min(lo, first), math.max(hi, first + 1) }
      else
        s.dirty = { first, math.max(last_new, first + 1) }
      end
      if not s.timer then s.timer = uv.new_timer() end
      s.timer:stop()
      s.timer:start(config.debounce, 0, vim.schedule_wrap(function() live_update(b) end))
    end,
    -- :edit! and the like: the old spans say nothing about the new text
    on_reload = function(_, b)
      local s = state[b]
      if s and s.sp then s.sp = Spans.new() end
    end,
    on_detach = function(_, b)
      local s = state[b]
      if s then s.attached = false; stop_timer(s) end
    end,
  })
end

--- Live mode on (true), off (false) or toggled (nil) for `buf`.
function M.live(buf, on)
  buf = bufnr(buf)
  local st = state[buf] or {}
  state[buf] = st
  if on == nil then on = not st.live end
  st.live = on
  if on then
    st.kinds = st.kinds or kinds_of("all")
    attach(buf)
    M.refresh(buf)
  else
    stop_timer(st)
  end
  return on
end

-- Commands ------------------------------------------------------------------------------------

--- Highlight `which` ("entities", "numbers", "quotes", "all") in `buf`.
function M.show(which, buf)
  buf = bufnr(buf)
  define_highlights()
  local st = state[buf] or {}
  state[buf] = st
  st.kinds = kinds_of(which or "all")
  if config.live and not st.live then
    M.live(buf, true) -- analyses too
    return st.sp and st.sp.n or 0
  end
  attach(buf)
  return M.refresh(buf)
end

--- Remove the highlights of `buf` and stop live mode.
function M.off(buf)
  buf = bufnr(buf)
  local st = state[buf]
  if st then
    st.live = false
    stop_timer(st)
    st.kinds = nil
    st.gen = (st.gen or 0) + 1
    st.pending = 0
    if st.sp then
      st.sp = nil
      redraw(buf, 0, nil)
    end
  end
end

local KIND_NAME = { entity = "entity", number = "number", quote = "quote" }

--- Fill the window's location list with the buffer's entities, numbers and
-- quotes (the kinds shown, or all).  Returns the items.
function M.list(buf, win)
  buf = bufnr(buf)
  win = win or api.nvim_get_current_win()
  local st = state[buf]
  local kinds = st and st.kinds or kinds_of("all")
  local text, starts = buffer_text(buf)
  local items, err = M.items(text, kinds)
  if not items then error("tidings: " .. tostring(err), 0) end
  local qf = {}
  local pos = positions(starts)
  for i, it in ipairs(items) do
    local r1, c1, r2, c2 = pos(it.a, it.b)
    local shown = it.text
    if it.kind == "quote" then shown = "“" .. it.text .. "”" end
    qf[i] = { bufnr = buf, lnum = r1 + 1, col = c1 + 1, end_lnum = r2 + 1, end_col = c2,
      text = ("%s %s: %s — %s"):format(KIND_NAME[it.kind], it.type or "?", shown, it.label) }
  end
  fn.setloclist(win, {}, " ", { title = "tidings: " .. (api.nvim_buf_get_name(buf) ~= "" and
    fn.fnamemodify(api.nvim_buf_get_name(buf), ":t") or "[No Name]"), items = qf })
  return qf
end

-- The texts to report on: the current buffer, or every file of the argument list.
local function report_records(which)
  local recs = {}
  local function add_buf(b, path)
    local text = table.concat(api.nvim_buf_get_lines(b, 0, -1, false), "\n")
    recs[#recs + 1] = { id = path ~= "" and path or ("buffer " .. b), path = path, text = text }
  end
  if which == "args" and fn.argc() > 0 then
    for i = 0, fn.argc() - 1 do
      local path = fn.argv(i)
      local b = fn.bufnr(path)
      if b > 0 and api.nvim_buf_is_loaded(b) then
        add_buf(b, path)
      else
        local f = io.open(path, "rb")
        if f then
          recs[#recs + 1] = { id = path, path = path, text = f:read("*a") }
          f:close()
        end
      end
    end
  else
    local b = api.nvim_get_current_buf()
    add_buf(b, fn.fnamemodify(api.nvim_buf_get_name(b), ":."))
  end
  return recs
end

--- The Markdown report of the current buffer (which == nil) or of the
-- argument list (which == "args"), as a string.
function M.report_text(which)
  local t = need()
  local report = require "tidings.report"
  local md = require "tidings.format.markdown"
  local agg = report.new()
  local recs = report_records(which)
  for _, rec in ipairs(recs) do agg:add(report.record(rec, t, {})) end
  local model = report.finish(agg, {})
  local title = which == "args" and fn.argc() > 0 and ("tidings report: %d files"):format(#recs)
    or ("tidings report: " .. (recs[1] and recs[1].id or ""))
  return md.render(model, { title = title })
end

--- Open the report in a scratch buffer (a new window); returns the buffer.
function M.report(which)
  local text = M.report_text(which)
  vim.cmd("new")
  local b = api.nvim_get_current_buf()
  vim.bo[b].buftype = "nofile"
  vim.bo[b].bufhidden = "wipe"
  vim.bo[b].swapfile = false
  local lines = vim.split(text, "\n", { plain = true })
  if lines[#lines] == "" then lines[#lines] = nil end
  api.nvim_buf_set_lines(b, 0, -1, false, lines)
  vim.bo[b].modifiable = false
  vim.bo[b].filetype = "markdown"
  pcall(api.nvim_buf_set_name, b, "tidings://report/" .. b)
  return b
end

--- Details of what is under the cursor, in a floating window.
function M.hover()
  local buf = api.nvim_get_current_buf()
  local cur = api.nvim_win_get_cursor(0)
  local row, col = cur[1] - 1, cur[2]
  local st = state[buf]
  -- a large buffer: the cursor's paragraph only
  local first, last = 0, nil
  if api.nvim_buf_line_count(buf) > config.large then first, last = paragraph_range(buf, row, row + 1) end
  local text, starts = buffer_text(buf, first, last)
  local items = M.items(text, st and st.kinds or kinds_of("all")) or {}
  local out = {}
  for _, it in ipairs(items) do
    local r1, c1, r2, c2 = M.position(starts, it.a, it.b)
    r1, r2 = r1 + first, r2 + first
    local after_start = row > r1 or (row == r1 and col >= c1)
    local before_end = row < r2 or (row == r2 and col < c2)
    if after_start and before_end then
      local shown = it.text or ""
      if #shown > 80 then shown = shown:sub(1, 77):gsub("[\128-\191]*$", ""):gsub("[\192-\255]$", "") .. "…" end
      out[#out + 1] = ("%s %s: %s%s"):format(KIND_NAME[it.kind], it.type or "?", shown,
        it.show and (" — " .. it.label) or "")
    end
  end
  if #out == 0 then out[1] = "tidings: nothing here" end
  return vim.lsp.util.open_floating_preview(out, "markdown", { border = "single" })
end

-- Statusline ----------------------------------------------------------------------------------

local stats_cache = {}   -- buf -> { tick =, s = }

--- "N words · M sentences · K min" for the current buffer (cached per change).
local function stats(buf)
  local tick = api.nvim_buf_get_changedtick(buf)
  local t = M.load()
  if not t then return "" end
  local text = buffer_text(buf)
  local doc = t.analyze(text)
  local s = ""
  if doc then
    local words = doc:count("word")
    local minutes = math.ceil(words / config.words_per_minute)
    s = ("%d words · %d sentences · %d min"):format(words, doc:nsentences(), minutes)
  end
  local c = stats_cache[buf] or {}
  c.tick, c.s = tick, s
  stats_cache[buf] = c
  return s
end

M._stats = stats -- for bench/nvim_bench.lua

--- "N words · M sentences · K min" for the current buffer.  Computed the first
-- time at once; after a change the last value is shown until typing pauses
-- for `debounce` ms, then counted again (a keystroke never waits for it).
function M.statusline(buf)
  buf = bufnr(buf)
  local tick = api.nvim_buf_get_changedtick(buf)
  local c = stats_cache[buf]
  if not c then return stats(buf) end
  if c.tick ~= tick then
    if not c.timer then c.timer = uv.new_timer() end
    c.timer:stop()
    c.timer:start(config.debounce, 0, vim.schedule_wrap(function()
      if api.nvim_buf_is_valid(buf) and stats_cache[buf] == c then
        stats(buf)
        vim.cmd("redrawstatus")
      end
    end))
  end
  return c.s
end

-- :Tidings ------------------------------------------------------------------------------------

M.subcommands = { "all", "entities", "numbers", "quotes", "off", "list", "report", "live", "hover" }

--- The :Tidings command: `args` is its argument string.
function M.command(args)
  local words = vim.split(vim.trim(args or ""), "%s+")
  local sub = words[1] ~= "" and words[1] or "all"
  if sub == "all" or sub == "entities" or sub == "numbers" or sub == "quotes" then
    local ok, err = pcall(M.show, sub)
    if not ok then vim.notify("tidings: " .. tostring(err), vim.log.levels.ERROR) end
  elseif sub == "off" then
    M.off()
  elseif sub == "list" then
    local ok, err = pcall(M.list)
    if not ok then
      err = tostring(err)
      vim.notify((err:find("^tidings: ") and "" or "tidings: ") .. err, vim.log.levels.ERROR)
      return
    end
    vim.cmd("lopen")
  elseif sub == "report" then
    local ok, err = pcall(M.report, words[2])
    if not ok then vim.notify("tidings: " .. tostring(err), vim.log.levels.ERROR) end
  elseif sub == "live" then
    local on
    if words[2] == "on" then on = true elseif words[2] == "off" then on = false end
    local ok, res = pcall(M.live, nil, on)
    if not ok then vim.notify("tidings: " .. tostring(res), vim.log.levels.ERROR) return end
    vim.notify("tidings: live mode " .. (res and "on" or "off"))
  elseif sub == "hover" then
    M.hover()
  else
    vim.notify(("tidings: unknown subcommand '%s' (expected %s)"):format(sub,
      table.concat(M.subcommands, ", ")), vim.log.levels.ERROR)
  end
end

function M.complete(arglead, cmdline)
  local words = vim.split(vim.trim(cmdline), "%s+")      -- words[1] is the command
  local pos = #words + (arglead == "" and 1 or 0)          -- the word being completed
  local choices
  if pos == 2 then choices = M.subcommands
  elseif pos == 3 and words[2] == "live" then choices = { "on", "off" }
  elseif pos == 3 and words[2] == "report" then choices = { "args" }
  else return {} end
  local out = {}
  for _, c in ipairs(choices) do
    if c:sub(1, #arglead) == arglead then out[#out + 1] = c end
  end
  return out
end

-- Colour schemes clear highlight groups: link them again.
api.nvim_create_autocmd("ColorScheme", {
  group = api.nvim_create_augroup("tidings_highlights", { clear = true }),
  callback = define_highlights,
})
api.nvim_create_autocmd("BufWipeout", {
  group = api.nvim_create_augroup("tidings_state", { clear = true }),
  callback = function(ev)
    local st = state[ev.buf]
    if st then stop_timer(st); st.gen = (st.gen or 0) + 1 end
    state[ev.buf] = nil
    local c = stats_cache[ev.buf]
    if c and c.timer then
      c.timer:stop()
      if not c.timer:is_closing() then c.timer:close() end
    end
    stats_cache[ev.buf] = nil
  end,
})
define_highlights()

return M
