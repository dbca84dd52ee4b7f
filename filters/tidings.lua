-- filters/tidings.lua: a Pandoc Lua filter (Pandoc embeds Lua 5.3).
--
--   pandoc article.md --lua-filter filters/tidings.lua -o article.html
--       wraps each entity, number and quotation in a Span:
--         [Putin]{.entity .entity-person type=PERSON canonical="Vladimir Putin"}
--         [5%]{.number .number-percent kind=percent value=5 unit=%}
--         [We agreed,]{.quote speaker="Vladimir Putin"}
--       (in HTML every attribute is data-NAME: <span class="entity entity-person"
--       data-type="PERSON" ...>) and adds
--       the document's entities, figures and quotes to its metadata, under
--       `tidings` (entities: name/type/mentions; figures: text/kind/value/unit;
--       quotes: speaker/text).
--   pandoc article.md --lua-filter filters/tidings.lua -M tidings-report -o report.md
--       replaces the document by tidings' Markdown report of it (read back by
--       Pandoc, so any output format works); -M tidings-report=FILE.md also
--       writes tidings' own Markdown to FILE.md byte for byte.
--   -M tidings-reference=YYYY-MM-DD   "today" for relative dates (default: the
--       document's date metadata)
--
-- The text that tidings reads is the document's paragraphs, headers and plain
-- blocks (list items, block quotes and notes included), one after the other
-- separated by a blank line; a span is wrapped only where its ends fall on the
-- document's own inline boundaries or inside a word (which is then split): a
-- span that would cut through emphasis or a link is left unwrapped (it is
-- still in the metadata).
--
-- The compiled module is looked for beside this file: ../build/<5.x>/tidings/core.so
-- (`make build` makes build/5.3/ when lua5.3 and liblua5.3-dev are installed).

local here = (PANDOC_SCRIPT_FILE or ""):match("^(.*)[/\\][^/\\]*$") or "."
local root = here .. "/.."
local luaver = _VERSION:match("%d+%.%d+")
package.path = root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;" .. package.path
package.cpath = root .. "/build/" .. luaver .. "/?.so;" .. package.cpath

local ok_td, tidings = pcall(require, "tidings")
if not ok_td then
  error("filters/tidings.lua: cannot load the tidings module for Lua " .. luaver ..
    " (run `make build` in " .. root .. "): " .. tostring(tidings), 0)
end
local report = require "tidings.report"
local json = require "tidings.json"
local stringify = pandoc.utils.stringify

local concat, sort = table.concat, table.sort
local num = json.format_number -- never through the locale

-- Text of the inlines ------------------------------------------------------------------
-- measure() turns inlines into nodes { el, a, b [, inner_a, inner_b, children] }:
-- byte offsets (0-based, b exclusive) in the text it appends to `buf`.

local CONTAINERS = { Emph = true, Strong = true, Underline = true, Strikeout = true, Superscript = true,
  Subscript = true, SmallCaps = true, Span = true, Link = true, Cite = true, Quoted = true }
local QUOTE_MARKS = { DoubleQuote = { "“", "”" }, SingleQuote = { "‘", "’" } }

local function measure(inlines, buf)
  local nodes = {}
  for _, el in ipairs(inlines) do
    local t = el.t
    local a = buf.len
    local node = { el = el, a = a }
    local function put(s) buf[#buf + 1] = s; buf.len = buf.len + #s end
    if t == "Str" then
      put(el.text)
      node.str = true
    elseif t == "Space" or t == "SoftBreak" then
      put(" ")
    elseif t == "LineBreak" then
      put("\n")
    elseif t == "Code" or t == "Math" then
      put(el.text)
    elseif CONTAINERS[t] then
      local marks = t == "Quoted" and QUOTE_MARKS[el.quotetype] or nil
      if marks then put(marks[1]) end
      node.inner_a = buf.len
      node.children = measure(el.content, buf)
      node.inner_b = buf.len
      if marks then put(marks[2]) end
    end -- RawInline, Note, Image: no text
    node.b = buf.len
    nodes[#nodes + 1] = node
  end
  return nodes
end

-- Wrapping ------------------------------------------------------------------------------

-- Split Str nodes at span ends that fall inside them.
local function split_strs(nodes, spans)
  local out = {}
  for _, n in ipairs(nodes) do
    if n.str and n.b - n.a > 1 then
      local cuts = {}
      for _, s in ipairs(spans) do
        if s.a > n.a and s.a < n.b then cuts[s.a] = true end
        if s.b > n.a and s.b < n.b then cuts[s.b] = true end
      end
      local list = {}
      for c in pairs(cuts) do list[#list + 1] = c end
      if #list == 0 then
        out[#out + 1] = n
      else
        sort(list)
        local text, prev = n.el.text, n.a
        list[#list + 1] = n.b
        for _, c in ipairs(list) do
          out[#out + 1] = { el = pandoc.Str(text:sub(prev - n.a + 1, c - n.a)), a = prev, b = c, str = true }
          prev = c
        end
      end
    else
      out[#out + 1] = n
    end
  end
  return out
end

local build

local function rebuild_container(n, spans)
  local inner = {}
  for _, s in ipairs(spans) do
    if not s.used and s.a >= n.inner_a and s.b <= n.inner_b then inner[#inner + 1] = s end
  end
  if #inner == 0 then return n.el end
  local el = n.el:clone()
  el.content = build(n.children, inner)
  return el
end

-- The inlines of `nodes` with the spans (outermost first) wrapped where they fit.
function build(nodes, spans)
  nodes = split_strs(nodes, spans)
  local out = {}
  local i = 1
  while i <= #nodes do
    local n = nodes[i]
    local taken, j
    for _, s in ipairs(spans) do
      if not s.used and s.a == n.a and s.b > s.a then
        for k = i, #nodes do
          if nodes[k].b == s.b then j = k; break end
          if nodes[k].b > s.b then break end
        end
        if j then taken = s; break end
      end
    end
    if taken then
      taken.used = true
      local inner = {}
      for _, s in ipairs(spans) do
        if not s.used and s.a >= taken.a and s.b <= taken.b then inner[#inner + 1] = s end
      end
      local group = {}
      for k = i, j do group[#group + 1] = nodes[k] end
      out[#out + 1] = pandoc.Span(build(group, inner), taken.attr)
      i = j + 1
    else
      out[#out + 1] = n.children and rebuild_container(n, spans) or n.el
      i = i + 1
    end
  end
  return out
end

-- Attributes ------------------------------------------------------------------------------

-- HTML has attributes of its own called type, value and role: there every
-- attribute becomes data-NAME; other formats keep the plain names.
local HTML = type(FORMAT) == "string" and (FORMAT:match("html") or FORMAT:match("epub")) and true or false

local function attr(classes, pairs_list)
  local kv = {}
  for _, p in ipairs(pairs_list) do
    if p[2] ~= nil and p[2] ~= "" then kv[#kv + 1] = { HTML and "data-" .. p[1] or p[1], p[2] } end
  end
  return pandoc.Attr("", classes, kv)
end

local function slug(s) return (tostring(s or "other"):lower():gsub("[^%w]+", "-")) end

local function entity_attr(e)
  return attr({ "entity", "entity-" .. slug(e.type) },
    { { "type", e.type }, { "canonical", e.canonical }, { "role", e.role } })
end

local function number_attr(n)
  local value = n.value and num(n.value) or nil
  return attr({ "number", "number-" .. slug(n.kind) }, {
    { "kind", n.kind }, { "value", value },
    { "low", n.low and num(n.low) or nil }, { "high", n.high and num(n.high) or nil },
    { "bound", n.bound }, { "unit", n.unit }, { "per", n.per }, { "timex", n.timex } })
end

local function quote_attr(q)
  return attr({ "quote" }, { { "speaker", q.speaker or "unattributed" } })
end

-- The filter ---------------------------------------------------------------------------------

local blocks = {}   -- in walk order: { text =, offset = }
local record        -- report.record of the whole document
local per_block     -- block index -> spans (block-local offsets), outermost first
local replaced      -- the document was replaced by the report

local function collect(b)
  local buf = { len = 0 }
  measure(b.content, buf)
  blocks[#blocks + 1] = { text = concat(buf) }
end

local function option(meta, name)
  local v = meta[name]
  if v == nil then return nil end
  if type(v) == "boolean" then return v end
  local s = stringify(v)
  if s == "" or s == "false" or s == "no" or s == "0" then return false end
  return s
end

local function metadata(r)
  -- entities merged by canonical name, most mentioned first
  local by, order = {}, {}
  for _, e in ipairs(r.entities) do
    local key = (e.type or "") .. "\0" .. (e.canonical or e.text)
    local m = by[key]
    if not m then
      m = { name = e.canonical or e.text, type = e.type or "", mentions = 0, first = #order + 1 }
      by[key] = m
      order[#order + 1] = m
    end
    m.mentions = m.mentions + 1
  end
  sort(order, function(x, y)
    if x.mentions ~= y.mentions then return x.mentions > y.mentions end
    return x.first < y.first
  end)
  local entities = {}
  for i, m in ipairs(order) do
    entities[i] = { name = m.name, type = m.type, mentions = tostring(m.mentions) }
  end
  local figures = {}
  for _, n in ipairs(r.numbers) do
    local f = { text = n.text, kind = n.kind or "" }
    if n.value then f.value = num(n.value) end
    if n.unit then f.unit = n.unit end
    if n.timex then f.timex = n.timex end
    figures[#figures + 1] = f
  end
  local quotes = {}
  for _, q in ipairs(r.quotes) do
    quotes[#quotes + 1] = { speaker = q.speaker or "unattributed", text = q.text }
  end
  -- MetaList, so that an empty list stays a list (a plain {} would become a map)
  local list = pandoc.MetaList or function(t) return t end
  return { entities = list(entities), figures = list(figures), quotes = list(quotes) }
end

local function analyse(doc)
  local parts, off = {}, 0
  for i, b in ipairs(blocks) do
    b.offset = off
    parts[i] = b.text
    off = off + #b.text + 2
  end
  local text = concat(parts, "\n\n")
  local input = PANDOC_STATE and PANDOC_STATE.input_files and PANDOC_STATE.input_files[1]
  local rec = {
    id = input or "stdin", path = input or "-", format = "md", text = text, meta = {},
    title = doc.meta.title and stringify(doc.meta.title) or nil,
    date = doc.meta.date and stringify(doc.meta.date) or nil,
  }
  local reference = option(doc.meta, "tidings-reference")
  record = report.record(rec, tidings, { reference = type(reference) == "string" and reference or nil, text = false })

  local want = option(doc.meta, "tidings-report")
  if want then
    local agg = report.new()
    agg:add(record)
    local title = option(doc.meta, "tidings-title")
    local md = require("tidings.format.markdown").render(report.finish(agg, {}),
      { title = type(title) == "string" and title or nil })
    if type(want) == "string" and want ~= "true" and want ~= "yes" and want ~= "1" then
      -- a file name: tidings' own Markdown, byte for byte
      local f, err = io.open(want, "wb")
      if not f then error("filters/tidings.lua: cannot write the report: " .. tostring(err), 0) end
      f:write(md)
      f:close()
    end
    replaced = true
    return pandoc.read(md, "markdown")
  end

  -- spans per block, in block-local offsets; outermost first (quotes before
  -- what they contain), then by position
  per_block = {}
  local rank = { quote = 1, entity = 2, number = 3 }
  local function add(kind, a, b, at)
    -- the block that holds [a, b)
    local lo, hi = 1, #blocks
    while lo < hi do
      local mid = (lo + hi + 1) // 2
      if blocks[mid].offset <= a then lo = mid else hi = mid - 1 end
    end
    local blk = blocks[lo]
    if not blk or b > blk.offset + #blk.text then return end -- crosses blocks
    local list = per_block[lo] or {}
    per_block[lo] = list
    list[#list + 1] = { a = a - blk.offset, b = b - blk.offset, kind = kind, attr = at }
  end
  for _, q in ipairs(record.quotes) do add("quote", q.start, q["end"], quote_attr(q)) end
  for _, e in ipairs(record.entities) do add("entity", e.start, e["end"], entity_attr(e)) end
  for _, n in ipairs(record.numbers) do add("number", n.start, n["end"], number_attr(n)) end
  for _, list in pairs(per_block) do
    sort(list, function(x, y)
      if x.a ~= y.a then return x.a < y.a end
      if x.b ~= y.b then return x.b > y.b end
      return rank[x.kind] < rank[y.kind]
    end)
  end
  doc.meta.tidings = metadata(record)
  return doc
end

local visited = 0
local function wrap(b)
  if replaced then return nil end
  visited = visited + 1
  local spans = per_block and per_block[visited]
  if not spans then return nil end
  local buf = { len = 0 }
  local nodes = measure(b.content, buf)
  b.content = build(nodes, spans)
  return b
end

return {
  { Para = collect, Plain = collect, Header = collect },
  { Pandoc = analyse },
  { Para = wrap, Plain = wrap, Header = wrap },
}
