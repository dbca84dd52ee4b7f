-- tidings.format.markdown: the report model as a Markdown document that reads
-- well on its own (GitHub-flavoured tables).
local report = require "tidings.report"
local util = require "tidings.format.util"

local M = {}

local esc = util.md_escape
local num = util.thousands

local function doc_label(m, id)
  local d = m.doc_by_id[id]
  if d and d.source then return d.source end
  return util.short_id(id)
end

function M.render(m, opts)
  opts = opts or {}
  local out = {}
  local function w(...) for i = 1, select("#", ...) do out[#out + 1] = select(i, ...) end end
  local ov = m.overview
  w("# ", esc(opts.title or "tidings report"), "\n\n")

  -- 1. overview
  w("## Overview\n\n")
  w(string.format("%s documents · %s words · %s sentences · %s sources",
    num(ov.documents), num(ov.words), num(ov.sentences), num(ov.sources)))
  if ov.first_date then
    w(" · dated ", ov.first_date, ov.last_date ~= ov.first_date and (" to " .. ov.last_date) or "")
  end
  w("\n\n")
  w(string.format("Found %s entity mentions, %s figures and %s quotations; removed %s bytes of boilerplate.\n\n",
    num(ov.entities), num(ov.numbers), num(ov.quotes), num(ov.boilerplate_bytes)))
  w("| # | document | source | date | words | sentences | boilerplate removed |\n")
  w("|---:|---|---|---|---:|---:|---:|\n")
  for i, d in ipairs(m.documents) do
    w(string.format("| %d | %s<br>%s | %s | %s | %s | %s | %s |\n", i, esc(d.title or "(untitled)"),
      esc(d.id), esc(d.source or ""), d.date or "", num(d.words), num(d.sentences),
      d.boilerplate > 0 and string.format("%d spans, %s bytes", d.boilerplate, num(d.boilerplate_bytes)) or "—"))
  end
  w("\n")

  -- 2. entities
  w("## Entities\n\n")
  if #m.entity_types == 0 then w("_No entities found._\n\n") end
  for _, group in ipairs(m.entity_types) do
    w("### ", util.type_name(group.type), " (", num(group.total), ")\n\n")
    w("| name | mentions | documents | roles | also written | first mention |\n")
    w("|---|---:|---:|---|---|---|\n")
    for _, e in ipairs(group.entities) do
      local roles, variants = {}, {}
      for i, r in ipairs(e.roles) do if i <= 3 then roles[#roles + 1] = esc(r.name) end end
      for i, v in ipairs(e.variants) do
        if i <= 4 and v.name ~= e.canonical then variants[#variants + 1] = esc(v.name) end
      end
      local first = e.first and e.first.context and
        (util.clip(esc(e.first.context), 160) .. " — _" .. esc(doc_label(m, e.first.doc)) .. "_") or ""
      w(string.format("| **%s** | %d | %d | %s | %s | %s |\n", esc(e.canonical), e.mentions, e.docs,
        table.concat(roles, "; "), table.concat(variants, "; "), first))
    end
    w("\n")
  end
  if #m.cooccurrence > 0 then
    w("### Who appears with whom\n\nPairs named in the same sentence.\n\n")
    w("| with | with | sentences |\n|---|---|---:|\n")
    for _, p in ipairs(m.cooccurrence) do
      w(string.format("| %s | %s | %d |\n", esc(p.a), esc(p.b), p.sentences))
    end
    w("\n")
  end

  -- 3. numbers
  w("## Numbers\n\n")
  local stories = m.stories or {}
  if #m.disagreements > 0 then
    w("### Where the sources disagree\n\n")
    w("Within one story (documents about the same event; see Stories below).\n\n")
    local last
    for _, g in ipairs(m.disagreements) do
      if g.story ~= last then
        last = g.story
        local st = stories[g.story]
        if last ~= nil and st then
          -- a blank line ends the previous story's list
          if g ~= m.disagreements[1] then w("\n") end
          w(string.format("**Story %d: %s** (%d documents)\n\n", st.id, esc(st.title), st.size))
        end
      end
      w("- **", esc(g.label), "**: ")
      local parts = {}
      for _, v in ipairs(g.values) do
        local who = {}
        for i, id in ipairs(v.ids) do if i <= 4 then who[#who + 1] = esc(doc_label(m, id)) end end
        parts[#parts + 1] = string.format("%s (%s)", esc(report.value_text(v)), table.concat(who, ", "))
      end
      w(table.concat(parts, " vs "), "\n")
    end
    w("\n")
  end
  if #m.groups > 0 then
    -- the story column only when there is more than one story
    local many = #stories > 1
    w("### Figures reported by several sources\n\n")
    w(many and "| story | what | values | sources | mentions |\n|---:|---|---|---:|---:|\n"
      or "| what | values | sources | mentions |\n|---|---|---:|---:|\n")
    for _, g in ipairs(m.groups) do
      local vals = {}
      for _, v in ipairs(g.values) do
        vals[#vals + 1] = string.format("%s ×%d", esc(report.value_text(v)), v.docs)
      end
      w(string.format("| %s%s%s | %s | %d | %d |\n", many and (tostring(g.story) .. " | ") or "",
        esc(g.label), g.disagreement and " ⚠" or "", table.concat(vals, "; "), g.docs, g.mentions))
    end
    w("\n")
  end
  w("### Every figure\n\n")
  if #m.figures == 0 then
    w("_No figures found._\n\n")
  else
    if m.figures_total > #m.figures then
      w(string.format("The first %d of %s, by document.\n\n", #m.figures, num(m.figures_total)))
    end
    w("| figure | kind | value | counts | sentence | source |\n|---|---|---|---|---|---|\n")
    for _, f in ipairs(m.figures) do
      local value = f.timex or ((f.value or f.low) and report.value_text(f)) or ""
      w(string.format("| %s | %s | %s | %s | %s | %s |\n", esc(f.text or ""), f.kind or "",
        esc(value), esc(report.counts_text(f)),
        util.clip(esc(f.context or ""), 200), esc(doc_label(m, f.doc))))
    end
    w("\n")
  end

  -- 4. quotes
  w("## Quotes\n\n")
  if #m.speakers == 0 and not m.unattributed then w("_No quotations found._\n\n") end
  for _, s in ipairs(m.speakers) do
    w("### ", esc(s.speaker), string.format(" (%d quote%s, %d document%s)\n\n", s.quotes,
      s.quotes == 1 and "" or "s", s.docs, s.docs == 1 and "" or "s"))
    for _, q in ipairs(s.items) do
      w("> ", esc(util.clip(q.text or "", 600)), "\n>\n> — _", esc(doc_label(m, q.doc)), "_\n\n")
    end
  end
  if m.unattributed then
    local s = m.unattributed
    w(string.format("### Unattributed (%d)\n\n", s.quotes))
    for _, q in ipairs(s.items) do
      w("> ", esc(util.clip(q.text or "", 600)), "\n>\n> — _", esc(doc_label(m, q.doc)), "_\n\n")
    end
  end

  -- 5. duplicates
  w("## Near-duplicates and same-story documents\n\n")
  if #m.duplicates == 0 then
    w("_No near-duplicate or same-story pairs._\n\n")
  else
    if #stories > 0 then
      w("### Stories\n\nDocuments joined by the pairs below (figures are compared within a story only).\n\n")
      for _, st in ipairs(stories) do
        local who = {}
        for _, id in ipairs(st.documents) do who[#who + 1] = esc(doc_label(m, id)) end
        local dates = st.first_date and (" · " .. st.first_date ..
          (st.last_date ~= st.first_date and (" to " .. st.last_date) or "")) or ""
        w(string.format("%d. **%s** — %d documents%s: %s\n", st.id, esc(st.title), st.size, dates,
          table.concat(who, ", ")))
      end
      w("\n")
    end
    w("Estimated from MinHash signatures: shingles = share of 5-word sequences (copies), words = share of content words; entities = share of named entities (same story).\n\n")
    w("| document | document | shingles | words | entities | verdict |\n|---|---|---:|---:|---:|---|\n")
    for _, p in ipairs(m.duplicates) do
      w(string.format("| %s | %s | %s | %s | %s | %s |\n", esc(p.a_title or p.a), esc(p.b_title or p.b),
        util.fixed(p.shingles, 2), util.fixed(p.words, 2), p.entities and util.fixed(p.entities, 2) or "—", p.kind))
    end
    w("\n")
  end
  if #m.timeline > 0 then
    w("## Timeline\n\n| date | mentions | documents | example |\n|---|---:|---:|---|\n")
    for _, t in ipairs(m.timeline) do
      local ex = t.items[1]
      w(string.format("| %s | %d | %d | %s |\n", t.timex, t.mentions, t.docs,
        ex and util.clip(esc(ex.context or ex.text or ""), 160) or ""))
    end
    w("\n")
  end
  w("_Made by tidings ", util.version(), "._\n")
  return table.concat(out)
end

return M
