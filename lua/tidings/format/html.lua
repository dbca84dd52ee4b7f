-- tidings.format.html: the report model as one self-contained HTML page:
-- inline CSS, inline SVG charts (entities bar chart, co-occurrence graph,
-- timeline of dated mentions), no script, no external resource.
local report = require "tidings.report"
local util = require "tidings.format.util"

local M = {}

local h = util.html_escape
local num = util.thousands
local fx = function(x) return util.fixed(x, 1) end
local concat, format = table.concat, string.format

local CSS = [[
:root{--ink:#1d2430;--mute:#5b6575;--line:#e3e7ee;--bg:#f6f7f9;--card:#fff;--acc:#2f6fde;
--PERSON:#2f6fde;--ORG:#d9822b;--GPE:#2e9e6a;--LOC:#7a5cc4;--NORP:#c44f6a;--FAC:#8a8f3c;--other:#6b7785;--warn:#b3261e}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#172033;color:#fff;padding:28px 40px}
header h1{margin:0 0 4px;font-size:26px;font-weight:650}
header p{margin:0;color:#b9c3d6}
nav{display:flex;gap:18px;padding:10px 40px;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0}
nav a{color:var(--mute);text-decoration:none;font-weight:600;font-size:14px}
main{max-width:1180px;margin:0 auto;padding:20px 40px 60px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:20px 0}
h2{margin:0 0 14px;font-size:20px}
h3{margin:18px 0 8px;font-size:16px}
.stats{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}
.stat{flex:1 1 120px;background:var(--bg);border-radius:8px;padding:10px 14px}
.stat b{display:block;font-size:24px}
.stat span{color:var(--mute);font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--mute);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.ctx{color:var(--mute);font-size:13px}
.tag{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;color:#fff;background:var(--other)}
.warn{color:var(--warn);font-weight:600}
.dis{border-left:4px solid var(--warn);background:#fdf3f2;padding:8px 12px;margin:8px 0;border-radius:4px}
blockquote{margin:8px 0;padding:6px 14px;border-left:3px solid var(--acc);background:var(--bg);border-radius:4px}
blockquote cite{display:block;color:var(--mute);font-size:13px;font-style:normal}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:20px}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
svg text{font-family:inherit}
.empty{color:var(--mute);font-style:italic}
footer{color:var(--mute);text-align:center;font-size:13px}
]]

local TYPE_VAR = { PERSON = true, ORG = true, GPE = true, LOC = true, NORP = true, FAC = true }
local function color(t) return "var(--" .. (TYPE_VAR[t] and t or "other") .. ")" end

local function doc_label(m, id)
  local d = m.doc_by_id[id]
  return (d and d.source) or util.short_id(id)
end

-- Horizontal bar chart of the most mentioned entities (all types).
local function bar_chart(m)
  local all = {}
  for _, g in ipairs(m.entity_types) do
    for _, e in ipairs(g.entities) do all[#all + 1] = e end
  end
  table.sort(all, function(a, b)
    if a.mentions ~= b.mentions then return a.mentions > b.mentions end
    return a.canonical < b.canonical
  end)
  local n = math.min(#all, 15)
  if n == 0 then return '<p class="empty">No entities found.</p>' end
  local max = all[1].mentions
  local row, left, width = 24, 190, 330
  local H = n * row + 10
  local o = { format('<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-label="Most mentioned entities">',
    left + width + 50, H) }
  for i = 1, n do
    local e = all[i]
    local y = (i - 1) * row + 4
    local w = math.max(2, math.floor(e.mentions / max * width + 0.5))
    o[#o + 1] = format('<text x="%d" y="%d" text-anchor="end" font-size="13" fill="#1d2430">%s</text>',
      left - 8, y + 15, h(util.clip(e.canonical, 28)))
    o[#o + 1] = format('<rect x="%d" y="%d" width="%d" height="17" rx="3" fill="%s"><title>%s: %d mentions</title></rect>',
      left, y + 2, w, color(e.type), h(e.canonical), e.mentions)
    o[#o + 1] = format('<text x="%d" y="%d" font-size="12" fill="#5b6575">%d</text>', left + w + 6, y + 15, e.mentions)
  end
  o[#o + 1] = "</svg>"
  return concat(o)
end

-- Co-occurrence graph: the entities of the strongest pairs on a circle.
local function graph(m)
  local pairs_ = {}
  for i, p in ipairs(m.cooccurrence) do if i <= 30 then pairs_[#pairs_ + 1] = p end end
  if #pairs_ == 0 then return '<p class="empty">No two entities named in one sentence.</p>' end
  local nodes, index, types = {}, {}, {}
  local function node(name, t)
    if not index[name] then nodes[#nodes + 1] = name; index[name] = #nodes; types[name] = t end
  end
  for _, p in ipairs(pairs_) do node(p.a, p.a_type); node(p.b, p.b_type) end
  local W, H = 560, 420
  local cx, cy, r = W / 2, H / 2, 150
  local pos = {}
  for i, name in ipairs(nodes) do
    local a = (i - 1) / #nodes * 2 * math.pi - math.pi / 2
    pos[name] = { cx + r * math.cos(a), cy + r * math.sin(a), a }
  end
  local max = pairs_[1].sentences
  local o = { format('<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-label="Who appears with whom">', W, H) }
  for _, p in ipairs(pairs_) do
    local a, b = pos[p.a], pos[p.b]
    o[#o + 1] = format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2f6fde" stroke-opacity="%s" stroke-width="%s"><title>%s + %s: %d</title></line>',
      fx(a[1]), fx(a[2]), fx(b[1]), fx(b[2]), fx(0.25 + 0.6 * p.sentences / max),
      fx(1 + 4 * p.sentences / max), h(p.a), h(p.b), p.sentences)
  end
  for _, name in ipairs(nodes) do
    local p = pos[name]
    local right = math.cos(p[3]) >= 0
    local lx = p[1] + (right and 9 or -9)
    o[#o + 1] = format('<circle cx="%s" cy="%s" r="6" fill="%s"/>', fx(p[1]), fx(p[2]), color(types[name]))
    o[#o + 1] = format('<text x="%s" y="%s" font-size="12" text-anchor="%s" fill="#1d2430">%s</text>',
      fx(lx), fx(p[2] + 4), right and "start" or "end", h(util.clip(name, 24)))
  end
  o[#o + 1] = "</svg>"
  return concat(o)
end

-- Timeline: dated mentions on a line, one tick per date.
local function timeline(m)
  local pts = {}
  for _, t in ipairs(m.timeline) do
    local y, mo, d = t.timex:match("^(%d%d%d%d)%-?(%d?%d?)%-?(%d?%d?)")
    if y then
      local v = tonumber(y) + ((tonumber(mo) or 1) - 1) / 12 + ((tonumber(d) or 1) - 1) / 365
      pts[#pts + 1] = { v = v, t = t }
    end
  end
  if #pts == 0 then return '<p class="empty">No dated events found.</p>' end
  local lo, hi = pts[1].v, pts[#pts].v
  if hi - lo < 1 / 12 then lo = lo - 1 / 24; hi = hi + 1 / 24 end
  local W, left, right = 1000, 40, 40
  local H = 150
  local o = { format('<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-label="Timeline">', W, H) }
  o[#o + 1] = format('<line x1="%d" y1="80" x2="%d" y2="80" stroke="#9aa4b5" stroke-width="2"/>', left, W - right)
  local lastx = -100
  local row = 0
  for _, p in ipairs(pts) do
    local x = left + (p.v - lo) / (hi - lo) * (W - left - right)
    local r = math.min(12, 4 + 2 * p.t.docs)
    o[#o + 1] = format('<circle cx="%s" cy="80" r="%d" fill="#2f6fde" fill-opacity="0.75"><title>%s: %d mentions in %d documents</title></circle>',
      fx(x), r, h(p.t.timex), p.t.mentions, p.t.docs)
    if x - lastx > 70 then row = 0 else row = (row + 1) % 3 end
    lastx = x
    local ty = row % 2 == 0 and (60 - 14 * math.floor(row / 2)) or (112 + 14 * math.floor(row / 2))
    o[#o + 1] = format('<text x="%s" y="%d" font-size="12" text-anchor="middle" fill="#1d2430">%s</text>',
      fx(x), ty, h(p.t.timex))
  end
  o[#o + 1] = "</svg>"
  return concat(o)
end

local function stat(n, label)
  return format('<div class="stat"><b>%s</b><span>%s</span></div>', n, h(label))
end

function M.render(m, opts)
  opts = opts or {}
  local ov = m.overview
  local title = opts.title or "tidings report"
  local o = {}
  local function w(...) for i = 1, select("#", ...) do o[#o + 1] = select(i, ...) end end
  w('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    '<title>', h(title), '</title><style>', CSS, '</style></head><body>\n')
  w('<header><h1>', h(title), '</h1><p>', num(ov.documents), ' documents · ', num(ov.words), ' words',
    ov.first_date and (' · ' .. h(ov.first_date) .. (ov.last_date ~= ov.first_date and (' – ' .. h(ov.last_date)) or '')) or '',
    '</p></header>\n')
  w('<nav><a href="#overview">Overview</a><a href="#entities">Entities</a><a href="#numbers">Numbers</a>',
    '<a href="#quotes">Quotes</a><a href="#duplicates">Duplicates</a></nav><main>\n')

  -- overview
  w('<section id="overview"><h2>Overview</h2><div class="stats">',
    stat(num(ov.documents), "documents"), stat(num(ov.words), "words"), stat(num(ov.sentences), "sentences"),
    stat(num(ov.sources), "sources"), stat(num(ov.entities), "entity mentions"),
    stat(num(ov.numbers), "figures"), stat(num(ov.quotes), "quotations"), '</div>')
  w('<table><tr><th>#</th><th>document</th><th>source</th><th>date</th><th class="n">words</th>',
    '<th class="n">sentences</th><th class="n">boilerplate removed</th></tr>')
  for i, d in ipairs(m.documents) do
    w(format('<tr><td class="n">%d</td><td>%s<div class="ctx">%s</div></td><td>%s</td><td>%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td></tr>',
      i, h(d.title or "(untitled)"), h(d.id), h(d.source or ""), h(d.date or ""), num(d.words), num(d.sentences),
      d.boilerplate > 0 and (d.boilerplate .. " spans, " .. num(d.boilerplate_bytes) .. " B") or "—"))
  end
  w('</table></section>\n')

  -- entities
  w('<section id="entities"><h2>Entities</h2><div class="grid"><div><h3>Most mentioned</h3>', bar_chart(m),
    '</div><div><h3>Who appears with whom</h3>', graph(m), '</div></div>')
  for _, g in ipairs(m.entity_types) do
    w('<h3><span class="tag" style="background:', color(g.type), '">', h(g.type), '</span> ',
      h(util.type_name(g.type)), ' (', num(g.total), ')</h3>')
    w('<table><tr><th>name</th><th class="n">mentions</th><th class="n">docs</th><th>roles</th><th>first mention</th></tr>')
    for _, e in ipairs(g.entities) do
      local roles = {}
      for i, r in ipairs(e.roles) do if i <= 3 then roles[#roles + 1] = h(r.name) end end
      w(format('<tr><td><b>%s</b></td><td class="n">%d</td><td class="n">%d</td><td>%s</td><td class="ctx">%s%s</td></tr>',
        h(e.canonical), e.mentions, e.docs, concat(roles, "; "),
        e.first and e.first.context and h(util.clip(e.first.context, 220)) or "",
        e.first and (" — <i>" .. h(doc_label(m, e.first.doc)) .. "</i>") or ""))
    end
    w('</table>')
  end
  if #m.entity_types == 0 then w('<p class="empty">No entities found.</p>') end
  w('</section>\n')

  -- numbers
  w('<section id="numbers"><h2>Numbers</h2>')
  local stories = m.stories or {}
  if #m.disagreements > 0 then
    w('<h3 class="warn">Where the sources disagree</h3>')
    w('<p class="ctx">Within one story (documents about the same event; see the stories below).</p>')
    local last
    for _, g in ipairs(m.disagreements) do
      if g.story ~= last then
        last = g.story
        local st = stories[g.story]
        if st then w(format('<h4>Story %d: %s <span class="ctx">%d documents</span></h4>', st.id, h(st.title), st.size)) end
      end
      local parts = {}
      for _, v in ipairs(g.values) do
        local who = {}
        for i, id in ipairs(v.ids) do if i <= 4 then who[#who + 1] = h(doc_label(m, id)) end end
        parts[#parts + 1] = "<b>" .. h(report.value_text(v)) .. "</b> (" .. concat(who, ", ") .. ")"
      end
      w('<div class="dis"><b>', h(g.label), '</b>: ', concat(parts, " vs "), '</div>')
    end
  end
  if #m.groups > 0 then
    local many = #stories > 1
    w('<h3>Reported by several sources</h3><table><tr>', many and '<th class="n">story</th>' or '',
      '<th>what</th><th>values</th><th class="n">sources</th><th class="n">mentions</th></tr>')
    for _, g in ipairs(m.groups) do
      local vals = {}
      for _, v in ipairs(g.values) do vals[#vals + 1] = h(report.value_text(v)) .. " ×" .. v.docs end
      w(format('<tr>%s<td>%s%s</td><td>%s</td><td class="n">%d</td><td class="n">%d</td></tr>',
        many and ('<td class="n">' .. g.story .. '</td>') or '', h(g.label),
        g.disagreement and ' <span class="warn">⚠ differs</span>' or "", concat(vals, "; "), g.docs, g.mentions))
    end
    w('</table>')
  end
  w('<h3>Timeline</h3>', timeline(m))
  w('<h3>Every figure</h3>')
  if #m.figures == 0 then
    w('<p class="empty">No figures found.</p>')
  else
    if m.figures_total > #m.figures then
      w(format('<p class="ctx">The first %d of %s, by document.</p>', #m.figures, num(m.figures_total)))
    end
    w('<table><tr><th>figure</th><th>kind</th><th>value</th><th>counts</th><th>sentence</th><th>source</th></tr>')
    for _, f in ipairs(m.figures) do
      local value = f.timex or ((f.value or f.low) and report.value_text(f)) or ""
      w(format('<tr><td><b>%s</b></td><td>%s</td><td>%s</td><td>%s</td><td class="ctx">%s</td><td>%s</td></tr>',
        h(f.text or ""), h(f.kind or ""), h(value), h(report.counts_text(f)),
        h(util.clip(f.context or "", 260)), h(doc_label(m, f.doc))))
    end
    w('</table>')
  end
  w('</section>\n')

  -- quotes
  w('<section id="quotes"><h2>Quotes</h2>')
  local function quotes(s, label)
    w('<h3>', h(label), format(' <span class="ctx">%d quote%s in %d document%s</span>', s.quotes,
      s.quotes == 1 and "" or "s", s.docs, s.docs == 1 and "" or "s"), '</h3>')
    for _, q in ipairs(s.items) do
      w('<blockquote>“', h(util.clip(q.text or "", 700)), '”<cite>— ', h(doc_label(m, q.doc)), '</cite></blockquote>')
    end
  end
  for _, s in ipairs(m.speakers) do quotes(s, s.speaker) end
  if m.unattributed then quotes(m.unattributed, "Unattributed") end
  if #m.speakers == 0 and not m.unattributed then w('<p class="empty">No quotations found.</p>') end
  w('</section>\n')

  -- duplicates
  w('<section id="duplicates"><h2>Near-duplicates and same-story documents</h2>')
  if #m.duplicates == 0 then
    w('<p class="empty">No near-duplicate or same-story pairs.</p>')
  else
    if #stories > 0 then
      w('<h3>Stories</h3><table><tr><th class="n">#</th><th>story</th><th class="n">documents</th><th>dates</th><th>sources</th></tr>')
      for _, st in ipairs(stories) do
        local who = {}
        for _, id in ipairs(st.documents) do who[#who + 1] = h(doc_label(m, id)) end
        w(format('<tr><td class="n">%d</td><td>%s</td><td class="n">%d</td><td>%s</td><td>%s</td></tr>', st.id,
          h(st.title), st.size, st.first_date and (h(st.first_date) ..
          (st.last_date ~= st.first_date and (" – " .. h(st.last_date)) or "")) or "", concat(who, ", ")))
      end
      w('</table>')
    end
    w('<table><tr><th>document</th><th>document</th><th class="n">shingles</th><th class="n">words</th><th class="n">entities</th><th>verdict</th></tr>')
    for _, p in ipairs(m.duplicates) do
      w(format('<tr><td>%s</td><td>%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td><td>%s</td></tr>',
        h(p.a_title or p.a), h(p.b_title or p.b), util.fixed(p.shingles, 2), util.fixed(p.words, 2),
        p.entities and util.fixed(p.entities, 2) or "—", h(p.kind)))
    end
    w('</table><p class="ctx">MinHash estimates: shingles = share of 5-word sequences (copies); words = share of content words; entities = share of named entities (same story).</p>')
  end
  w('</section>\n<footer>Made by tidings ', h(util.version()), '</footer></main></body></html>\n')
  return concat(o)
end

return M
