-- tidings.format.csv: the report model as CSV, one table per file
-- (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed).
--   M.tables(m) -> { {name = "documents", csv = "..."}, ... }  (fixed order)
--   M.render(m, opts) -> the one table opts.table (default "documents")
local report = require "tidings.report"
local json = require "tidings.json"

local M = {}

local function field(v)
  if v == nil then return "" end
  if type(v) == "number" then return json.format_number(v) end
  if type(v) == "boolean" then return v and "true" or "false" end
  v = tostring(v)
  if v:find('[,"\r\n]') then return '"' .. v:gsub('"', '""') .. '"' end
  return v
end

local function table_csv(header, rows)
  local out = {}
  local line = {}
  for i, h in ipairs(header) do line[i] = field(h) end
  out[1] = table.concat(line, ",")
  for _, r in ipairs(rows) do
    line = {}
    for i = 1, #header do line[i] = field(r[i]) end
    out[#out + 1] = table.concat(line, ",")
  end
  return table.concat(out, "\r\n") .. "\r\n"
end

M.NAMES = { "documents", "entities", "cooccurrence", "figures", "groups", "quotes", "duplicates", "stories",
  "timeline" }

function M.tables(m)
  local t = {}
  local rows = {}
  for _, d in ipairs(m.documents) do
    rows[#rows + 1] = { d.id, d.title, d.source, d.date, d.bytes, d.words, d.sentences,
      d.entities, d.numbers, d.quotes, d.boilerplate, d.boilerplate_bytes, d.story }
  end
  t[#t + 1] = { name = "documents", csv = table_csv({ "id", "title", "source", "date", "bytes", "words",
    "sentences", "entities", "numbers", "quotes", "boilerplate_spans", "boilerplate_bytes", "story" }, rows) }
  rows = {}
  for _, g in ipairs(m.entity_types) do
    for _, e in ipairs(g.entities) do
      local roles = {}
      for _, r in ipairs(e.roles) do roles[#roles + 1] = r.name end
      rows[#rows + 1] = { e.type, e.canonical, e.mentions, e.docs, table.concat(roles, "; "),
        e.first and e.first.doc, e.first and e.first.context }
    end
  end
  t[#t + 1] = { name = "entities", csv = table_csv({ "type", "canonical", "mentions", "documents", "roles",
    "first_document", "first_context" }, rows) }
  rows = {}
  for _, p in ipairs(m.cooccurrence) do rows[#rows + 1] = { p.a, p.a_type, p.b, p.b_type, p.sentences } end
  t[#t + 1] = { name = "cooccurrence", csv = table_csv({ "a", "a_type", "b", "b_type", "sentences" }, rows) }
  rows = {}
  for _, f in ipairs(m.figures) do
    rows[#rows + 1] = { f.doc, f.start, f["end"], f.text, f.kind, f.value, f.bound, f.low, f.high,
      f.unit, f.product, f.per, f.timex, f.context }
  end
  t[#t + 1] = { name = "figures", csv = table_csv({ "document", "start", "end", "text", "kind", "value",
    "bound", "low", "high", "unit", "product", "per", "timex", "sentence" }, rows) }
  rows = {}
  for _, g in ipairs(m.groups) do
    for _, v in ipairs(g.values) do
      rows[#rows + 1] = { g.story, g.label, report.value_text(v), v.bound, v.value, v.low, v.high, v.docs,
        v.mentions, table.concat(v.ids, " "), g.disagreement or false }
    end
  end
  t[#t + 1] = { name = "groups", csv = table_csv({ "story", "what", "value_text", "bound", "value", "low", "high",
    "documents", "mentions", "document_ids", "disagreement" }, rows) }
  rows = {}
  local function quotes(s, who)
    for _, q in ipairs(s.items) do rows[#rows + 1] = { who, q.doc, q.start, q["end"], q.text } end
  end
  for _, s in ipairs(m.speakers) do quotes(s, s.speaker) end
  if m.unattributed then quotes(m.unattributed, "") end
  t[#t + 1] = { name = "quotes", csv = table_csv({ "speaker", "document", "start", "end", "text" }, rows) }
  rows = {}
  for _, p in ipairs(m.duplicates) do
    rows[#rows + 1] = { p.a, p.b, p.shingles, p.words, p.entities, p.kind, p.story }
  end
  t[#t + 1] = { name = "duplicates", csv = table_csv({ "a", "b", "shingles", "words", "entities", "verdict",
    "story" }, rows) }
  rows = {}
  for _, st in ipairs(m.stories or {}) do
    for _, id in ipairs(st.documents) do
      local d = m.doc_by_id and m.doc_by_id[id] or {}
      rows[#rows + 1] = { st.id, st.title, id, d.title, d.date, d.source }
    end
  end
  t[#t + 1] = { name = "stories", csv = table_csv({ "story", "story_title", "document", "title", "date",
    "source" }, rows) }
  rows = {}
  for _, d in ipairs(m.timeline) do rows[#rows + 1] = { d.timex, d.mentions, d.docs } end
  t[#t + 1] = { name = "timeline", csv = table_csv({ "timex", "mentions", "documents" }, rows) }
  return t
end

function M.render(m, opts)
  local want = opts and opts.table or "documents"
  for _, t in ipairs(M.tables(m)) do
    if t.name == want then return t.csv end
  end
  error("no CSV table named '" .. tostring(want) .. "' (one of: " .. table.concat(M.NAMES, ", ") .. ")", 0)
end

return M
