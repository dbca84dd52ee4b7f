-- tidings.format.text: the report model as plain text for a terminal.
local report = require "tidings.report"
local util = require "tidings.format.util"

local M = {}
local num, clip = util.thousands, util.clip

local function doc_label(m, id)
  local d = m.doc_by_id[id]
  return (d and d.source) or util.short_id(id)
end

function M.render(m, opts)
  local out = {}
  local function w(...) for i = 1, select("#", ...) do out[#out + 1] = select(i, ...) end end
  local ov = m.overview
  w("OVERVIEW\n")
  w(string.format("  %s documents, %s words, %s sentences, %s sources", num(ov.documents),
    num(ov.words), num(ov.sentences), num(ov.sources)))
  if ov.first_date then w(", dated ", ov.first_date, ov.last_date ~= ov.first_date and (" to " .. ov.last_date) or "") end
  w("\n")
  for i, d in ipairs(m.documents) do
    w(string.format("  %2d. %s\n      %s · %s words · %d sentences%s\n", i, d.title or "(untitled)", d.id,
      num(d.words), d.sentences, d.boilerplate > 0 and
      string.format(" · boilerplate removed: %d spans, %s bytes", d.boilerplate, num(d.boilerplate_bytes)) or ""))
  end
  w("\nENTITIES\n")
  if #m.entity_types == 0 then w("  (none)\n") end
  for _, g in ipairs(m.entity_types) do
    w("  ", util.type_name(g.type), " (", num(g.total), ")\n")
    for _, e in ipairs(g.entities) do
      local role = e.roles[1] and ("  [" .. e.roles[1].name .. "]") or ""
      w(string.format("    %-32s %4d mentions in %d doc%s%s\n", e.canonical, e.mentions, e.docs,
        e.docs == 1 and "" or "s", role))
    end
  end
  if #m.cooccurrence > 0 then
    w("  Together in a sentence:\n")
    for i, p in ipairs(m.cooccurrence) do
      if i > 15 then break end
      w(string.format("    %s + %s: %d\n", p.a, p.b, p.sentences))
    end
  end
  w("\nNUMBERS\n")
  local stories = m.stories or {}
  local last
  for _, g in ipairs(m.disagreements) do
    if g.story ~= last then
      last = g.story
      local st = stories[g.story]
      if st then w(string.format("  story %d: %s (%d documents)\n", st.id, st.title, st.size)) end
    end
    local parts = {}
    for _, v in ipairs(g.values) do
      local who = {}
      for i, id in ipairs(v.ids) do if i <= 3 then who[#who + 1] = doc_label(m, id) end end
      parts[#parts + 1] = report.value_text(v) .. " (" .. table.concat(who, ", ") .. ")"
    end
    w("  ! ", g.label, ": ", table.concat(parts, " vs "), "\n")
  end
  for _, g in ipairs(m.groups) do
    if not g.disagreement then
      local vals = {}
      for _, v in ipairs(g.values) do vals[#vals + 1] = report.value_text(v) end
      w(string.format("  = %s: %s in %d sources%s\n", g.label, table.concat(vals, "; "), g.docs,
        #stories > 1 and (" (story " .. g.story .. ")") or ""))
    end
  end
  w(string.format("  %s figures in all\n", num(m.figures_total)))
  w("\nQUOTES\n")
  for _, s in ipairs(m.speakers) do
    w(string.format("  %s (%d)\n", s.speaker, s.quotes))
    for _, q in ipairs(s.items) do w("    “", clip(q.text or "", 200), "” — ", doc_label(m, q.doc), "\n") end
  end
  if m.unattributed then
    w(string.format("  unattributed (%d)\n", m.unattributed.quotes))
    for _, q in ipairs(m.unattributed.items) do w("    “", clip(q.text or "", 200), "” — ", doc_label(m, q.doc), "\n") end
  end
  if #m.speakers == 0 and not m.unattributed then w("  (none)\n") end
  w("\nSTORIES\n")
  if #stories == 0 then w("  (none)\n") end
  for _, st in ipairs(stories) do
    local who = {}
    for _, id in ipairs(st.documents) do who[#who + 1] = doc_label(m, id) end
    w(string.format("  %d. %s (%d documents%s): %s\n", st.id, st.title, st.size,
      st.first_date and (", " .. st.first_date .. (st.last_date ~= st.first_date and (" to " .. st.last_date) or "")) or "",
      table.concat(who, ", ")))
  end
  w("\nNEAR-DUPLICATES\n")
  if #m.duplicates == 0 then w("  (none)\n") end
  for _, p in ipairs(m.duplicates) do
    w(string.format("  %s ~ %s: shingles %s, words %s, entities %s (%s)\n", util.short_id(p.a), util.short_id(p.b),
      util.fixed(p.shingles, 2), util.fixed(p.words, 2), p.entities and util.fixed(p.entities, 2) or "-", p.kind))
  end
  return table.concat(out)
end

return M
