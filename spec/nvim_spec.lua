-- spec/nvim_spec.lua: the Neovim plugin, in a real headless Neovim.
--
-- Neovim runs spec/nvim/driver.lua, which opens a corpus article (and some
-- multi-byte text), runs :Tidings ..., and writes the extmarks, the location
-- list, the report and so on as JSON; the assertions are here.  Neovim embeds
-- LuaJIT, so it loads build/jit/tidings/core.so (`make build` writes it).
-- Without nvim, or without that module, the specs are pending, with the reason.
local json = require "tidings.json"

local root = os.getenv("TIDINGS_ROOT") or "."
local ARTICLE = root .. "/corpus/001_a06a34d55f99ecc1.txt"
local JIT_MODULE = root .. "/build/jit/tidings/core.so"

local function sh_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function have_nvim()
  local p = io.popen("command -v nvim 2>/dev/null")
  local out = p:read("*a")
  p:close()
  return out:match("%S") ~= nil
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

-- Run the driver; returns the decoded JSON (or raises with Neovim's output).
local function run_driver(scenario, with_cpath)
  local out = os.tmpname()
  local log = os.tmpname()
  local cmd = table.concat({
    "cd", sh_quote(root), "&&",
    -- Neovim gets neither our Lua paths nor the sanitizer runtime of `make asan`
    "env -u LUA_CPATH -u LUA_CPATH_5_1 -u LUA_PATH -u LUA_PATH_5_1 -u LD_PRELOAD",
    "TIDINGS_NVIM_OUT=" .. sh_quote(out), "TIDINGS_NVIM_FILE=" .. sh_quote(ARTICLE),
    "TIDINGS_NVIM_SCENARIO=" .. scenario,
    "timeout 60 nvim --headless -u NONE -i NONE -n",
    "--cmd", sh_quote("set rtp+=" .. root),
    with_cpath and ("--cmd " .. sh_quote("lua package.cpath = '" .. root .. "/build/jit/?.so;' .. package.cpath")) or "",
    "-c", sh_quote("runtime plugin/tidings.lua"),
    "-c", sh_quote("luafile " .. root .. "/spec/nvim/driver.lua"),
    ">", sh_quote(log), "2>&1 </dev/null",
  }, " ")
  os.execute(cmd)
  local f = io.open(out, "rb")
  local s = f and f:read("*a") or ""
  if f then f:close() end
  os.remove(out)
  local lf = io.open(log, "rb")
  local logtext = lf and lf:read("*a") or ""
  if lf then lf:close() end
  os.remove(log)
  local v, err = json.decode(s)
  if type(v) ~= "table" then
    error("the Neovim driver gave no result (" .. tostring(err) .. "); its output:\n" .. logtext, 0)
  end
  return v
end

-- Sorted copies, to compare lists of span texts as multisets.
local function sorted(t)
  local c = {}
  for i, v in ipairs(t) do c[i] = v end
  table.sort(c)
  return c
end

local function texts(marks)
  local t = {}
  for i, m in ipairs(marks) do t[i] = m.text end
  return t
end

local function find_mark(marks, text, row)
  for _, m in ipairs(marks) do
    if m.text == text and (row == nil or m.row == row) then return m end
  end
end

local function no_error(r, name)
  assert.is_table(r[name], name .. " scenario missing")
  if r[name].error then error(name .. " scenario failed in Neovim:\n" .. r[name].error, 0) end
  return r[name]
end

describe("tidings in Neovim", function()
  if not have_nvim() then
    it("needs nvim", function()
      pending("nvim is not installed: `apt-get install neovim` (make deps installs it)")
    end)
    return
  end
  if not exists(JIT_MODULE) then
    it("needs the LuaJIT build of the C module", function()
      pending("build/jit/tidings/core.so is missing: run `make build` (needs libluajit-5.1-dev)")
    end)
    return
  end

  -- Each driver run happens once; its result (or its failure) is kept.
  local runs = {}
  local function run_once(scenario, with_cpath)
    if not runs[scenario] then
      local ok, res = pcall(run_driver, scenario, with_cpath)
      runs[scenario] = { ok = ok, res = res }
    end
    local r = runs[scenario]
    if not r.ok then error(r.res, 0) end
    return r.res
  end
  local function results() return run_once("main", true) end
  local function install() return run_once("install", false) end

  describe("on a corpus article", function()
    it(":Tidings entities highlights exactly the library's entity spans", function()
      local r = no_error(results(), "main")
      assert.is_true(#r.expected.entities > 10)
      assert.are.same(sorted(r.expected.entities), sorted(texts(r.entities)))
      local groups = { TidingsPerson = true, TidingsOrg = true, TidingsPlace = true, TidingsGroup = true,
        TidingsEntity = true }
      for _, m in ipairs(r.entities) do assert.is_true(groups[m.hl], "unexpected group " .. tostring(m.hl)) end
    end)

    it("puts 'Volodymyr Zelenskyy' at the byte columns of its line, as TidingsPerson", function()
      local r = no_error(results(), "main")
      local row, col
      for i, line in ipairs(r.lines) do
        local a = line:find("Volodymyr Zelenskyy", 1, true)
        if a then row, col = i - 1, a - 1 break end
      end
      assert.is_number(row)
      local m = find_mark(r.entities, "Volodymyr Zelenskyy", row)
      assert.is_table(m, "no extmark on Volodymyr Zelenskyy")
      assert.are.same({ row, col, row, col + #"Volodymyr Zelenskyy", "TidingsPerson" },
        { m.row, m.col, m.end_row, m.end_col, m.hl })
    end)

    it("shows the canonical name in virtual text when the text says less", function()
      local r = no_error(results(), "main")
      local found = false
      for _, m in ipairs(r.entities) do
        if m.text == "Zelenskyy" and m.virt:find("Volodymyr Zelenskyy", 1, true) then found = true end
      end
      assert.is_true(found, "no 'Zelenskyy' mark with the canonical name")
    end)

    it(":Tidings numbers highlights the library's numbers, with their values", function()
      local r = no_error(results(), "main")
      assert.is_true(#r.expected.numbers > 0)
      assert.are.same(sorted(r.expected.numbers), sorted(texts(r.numbers)))
      for _, m in ipairs(r.numbers) do
        assert.is_true(m.hl == "TidingsNumber" or m.hl == "TidingsDate")
      end
      local m = find_mark(r.numbers, "over 300,000")
      assert.is_table(m)
      assert.truthy(m.virt:find("300,000", 1, true))
    end)

    it(":Tidings quotes highlights the quotations with their marks, and names the speaker", function()
      local r = no_error(results(), "main")
      assert.is_true(#r.expected.quotes > 0)
      assert.are.same(sorted(r.expected.quotes), sorted(texts(r.quotes)))
      for _, m in ipairs(r.quotes) do
        assert.are.equal("TidingsQuote", m.hl)
        assert.truthy(m.text:find("^[\"“‘']") or m.text:find("^\226\128"), m.text)
        assert.truthy(m.virt:find("^ — "), m.virt)
      end
    end)

    it(":Tidings all shows the three kinds together; :Tidings off removes them", function()
      local r = no_error(results(), "main")
      local e = r.expected
      assert.are.equal(#e.entities + #e.numbers + #e.quotes, #r.all)
      assert.are.same({}, r.off)
    end)

    it("puts quotations under the names and numbers inside them (priority 90 < 110)", function()
      local r = no_error(results(), "main")
      for _, m in ipairs(r.all) do
        assert.are.equal(m.hl == "TidingsQuote" and 90 or 110, m.priority, m.text)
      end
    end)

    it("keeps its groups, linked again, after a colour scheme", function()
      local r = no_error(results(), "main")
      assert.are.same(r.all, r.after_colorscheme)
      assert.are.equal("Identifier", r.person_link)
    end)

    it(":Tidings list fills the location list with every span at Neovim's positions", function()
      local r = no_error(results(), "main")
      assert.are.equal("quickfix", r.loclist_window)
      assert.are.equal(#r.all, #r.loclist)
      assert.truthy(r.loclist_title:find("001_a06a34d55f99ecc1.txt", 1, true))
      for _, e in ipairs(r.loclist) do
        assert.is_true(e.lnum >= 1 and e.col >= 1)
        if e.lnum == e.end_lnum then
          local span = r.lines[e.lnum]:sub(e.col, e.end_col)
          local shown = e.text:match("^%a+ [^:]+: (.-) — ")
          assert.is_string(shown, e.text)
          if shown:sub(1, 3) == "“" then shown = shown:sub(4, -4) end
          assert.truthy(span:find(shown, 1, true), ("%q not in %q"):format(shown, span))
        end
      end
    end)

    it(":Tidings report opens the Markdown report in a scratch buffer", function()
      local r = no_error(results(), "main")
      local rep = r.report
      assert.is_true(rep.other)
      assert.are.equal("nofile", rep.buftype)
      assert.are.equal("markdown", rep.filetype)
      assert.is_false(rep.modified)
      assert.truthy(rep.lines[1]:find("^# tidings report"))
      assert.truthy(table.concat(rep.lines, "\n"):find("## Overview", 1, true))
    end)

    it(":Tidings report args reports on every file of the argument list", function()
      local r = no_error(results(), "main")
      local head = table.concat(r.report_args, "\n")
      assert.truthy(head:find("2 files", 1, true), head)
      assert.truthy(head:find("2 documents", 1, true), head)
    end)

    it(":Tidings hover shows what is under the cursor in a floating window", function()
      local r = no_error(results(), "main")
      assert.is_true(r.hover_float)
      local h = table.concat(r.hover, "\n")
      assert.truthy(h:find("entity PERSON", 1, true), h)
      assert.truthy(h:find("President", 1, true), h)
    end)

    it("gives words, sentences and reading time for the statusline", function()
      local r = no_error(results(), "main")
      local w, s, m = r.statusline:match("^(%d+) words · (%d+) sentences · (%d+) min$")
      assert.is_string(w, r.statusline)
      assert.is_true(tonumber(w) > 300 and tonumber(s) > 10 and tonumber(m) >= 1)
    end)

    it("completes the subcommands", function()
      local r = no_error(results(), "main")
      for _, c in ipairs({ "all", "entities", "numbers", "quotes", "off", "list", "report", "live" }) do
        local found = false
        for _, x in ipairs(r.complete) do if x == c then found = true end end
        assert.is_true(found, c)
      end
    end)
  end)

  describe("on multi-byte text", function()
    it("highlights 'Erdoğan' at its byte columns, after emoji and curly quotes", function()
      local r = no_error(results(), "multibyte")
      local line = r.lines[3]
      local col = line:find("Erdoğan", 1, true) - 1
      assert.is_true(col > 30) -- after a flag (8 bytes) and “…” (3 bytes each)
      local m = find_mark(r.all, "Erdoğan", 2)
      assert.is_table(m)
      assert.are.same({ 2, col, 2, col + 8 }, { m.row, m.col, m.end_row, m.end_col })
      local full = find_mark(r.all, "Recep Tayyip Erdoğan", 0)
      assert.is_table(full)
      local a = r.lines[1]:find("Recep", 1, true) - 1
      assert.are.same({ a, a + #"Recep Tayyip Erdoğan" }, { full.col, full.end_col })
    end)

    it("highlights a curly-quoted quotation from its opening to its closing mark", function()
      local r = no_error(results(), "multibyte")
      local q = "“We want peace in Ukraine,”"
      local m = find_mark(r.all, q, 2)
      assert.is_table(m)
      local a = r.lines[3]:find(q, 1, true) - 1
      assert.are.same({ a, a + #q }, { m.col, m.end_col })
      assert.are.equal("TidingsQuote", m.hl)
    end)

    it("highlights every span the library finds, each at its own text", function()
      local r = no_error(results(), "multibyte")
      local e = r.expected
      local all = {}
      for _, k in ipairs({ "entities", "numbers", "quotes" }) do
        for _, t in ipairs(e[k]) do all[#all + 1] = t end
      end
      assert.are.same(sorted(all), sorted(texts(r.all)))
    end)

    it("highlights a quotation wrapped over two lines from row to row", function()
      local r = no_error(results(), "multibyte")
      local m
      for _, x in ipairs(r.wrapped) do if x.hl == "TidingsQuote" then m = x end end
      assert.is_table(m, "no quotation found in the wrapped paragraph")
      assert.are.same({ 0, 0, 1, #"not now, not ever,”" }, { m.row, m.col, m.end_row, m.end_col })
      assert.are.equal("“We will not give up,\nnot now, not ever,”", m.text)
    end)

    it("converts 1-based inclusive offsets to 0-based rows and exclusive byte columns", function()
      local r = no_error(results(), "multibyte")
      assert.are.same({ { 0, 0, 0, 2 }, { 2, 0, 2, 3 }, { 0, 1, 2, 2 } }, r.position)
    end)

    it("gives the location list 1-based byte columns", function()
      local r = no_error(results(), "multibyte")
      local found = false
      for _, e in ipairs(r.loclist) do
        if r.lines[e.lnum]:sub(e.col, e.end_col) == "İbrahim Kalın" then found = true end
      end
      assert.is_true(found)
    end)
  end)

  describe("live mode", function()
    it("highlights what was typed after the debounce", function()
      local r = no_error(results(), "live")
      assert.is_nil(find_mark(r.before, "Angela Merkel"))
      local m = find_mark(r.after, "Angela Merkel", 2)
      assert.is_table(m)
      assert.are.same({ 0, 13 }, { m.col, m.end_col })
      assert.is_table(find_mark(r.after, "Vladimir Putin", 0))
    end)

    it("in a large buffer redoes only the edited paragraph and keeps the rest", function()
      local r = no_error(results(), "live")
      assert.are.equal(100, r.big_lines)
      assert.is_true(r.big_before >= 150) -- each paragraph: Macron, Scholz, Berlin at least
      assert.are.equal(r.big_expected, r.big_before)
      assert.are.same({ 40, 41 }, r.big_region)
      assert.is_table(find_mark(r.big_after, "Joe Biden", 40))
      assert.is_table(find_mark(r.big_after, "Xi Jinping", 40))
      assert.is_nil(find_mark(r.big_after, "Emmanuel Macron", 40))
      assert.is_table(find_mark(r.big_after, "Emmanuel Macron", 0))
      assert.is_table(find_mark(r.big_after, "Olaf Scholz", 98))
    end)

    it("stops with :Tidings live off", function()
      local r = no_error(results(), "live")
      assert.is_nil(find_mark(r.after_off, "Boris Johnson"))
    end)
  end)

  describe("a large buffer", function()
    it("is highlighted where the window shows it at once, the rest in the background", function()
      local r = no_error(results(), "chunked")
      assert.is_true(r.top > 50, "the window should show the middle")
      assert.is_true(r.pending_now > 0)
      assert.is_true(#r.now > 0 and #r.now < r.expected)
      for _, m in ipairs(r.now) do
        assert.is_true(m.row >= r.top - 40 and m.row < r.bottom + 40, "far from the screen: row " .. m.row)
      end
      local seen = false
      for _, m in ipairs(r.now) do if m.row >= r.top and m.row < r.bottom then seen = true end end
      assert.is_true(seen)
      assert.is_true(r.finished)
      assert.are.equal(r.expected, #r.done)
      assert.is_table(find_mark(r.done, "Emmanuel Macron", 0))
      assert.is_table(find_mark(r.done, "Berlin", 298))
    end)

    it("hovers with the cursor's paragraph", function()
      local r = no_error(results(), "chunked")
      assert.are.same({ "entity PERSON: Olaf Scholz" }, r.hover)
    end)
  end)

  describe("on the screen", function()
    it("draws the labels at the ends of the lines, and not with virtual_text = false or after :Tidings off",
      function()
        local r = no_error(results(), "render")
        assert.are.equal("Zelenskyy spoke.  PERSON Volodymyr Zelenskyy", r.shown[2])
        assert.are.equal("Nothing else.", r.shown[3])
        assert.truthy(r.shown[1]:find("^Ukrainian President Volodymyr Zelenskyy arrived%.  PERSON "), r.shown[1])
        assert.are.same({ "Ukrainian President Volodymyr Zelenskyy arrived.", "Zelenskyy spoke.", "Nothing else." },
          r.no_virtual_text)
        assert.are.same(r.shown, r.again)
        assert.are.same(r.no_virtual_text, r.off)
      end)
  end)

  describe("the highlights on the screen", function()
    -- the columns (1-based) of `word` in `line` share one attribute, unlike plain text's
    local function highlighted(attrs, line, word)
      local a = line:find(word, 1, true)
      for c = a, a + #word - 1 do
        if attrs[c] ~= attrs[a] then return false end
      end
      return attrs[a] ~= attrs[#line], attrs[a]
    end

    it("colours the names where they are, and not the text around them", function()
      local r = no_error(results(), "render")
      local ok, person = highlighted(r.attrs[1], r.shown[1], "Volodymyr Zelenskyy")
      assert.is_true(ok)
      local ok2, person2 = highlighted(r.attrs[2], r.shown[2], "Zelenskyy")
      assert.is_true(ok2)
      assert.are.equal(person, person2)
      local plain = r.attrs[2][#"Zelenskyy " + 1]   -- "spoke."
      assert.are_not.equal(person, plain)
      for c = 1, #"Nothing else." do assert.are.equal(plain, r.attrs[3][c]) end
    end)

    it("moves a highlight with the text when text is typed before it", function()
      local r = no_error(results(), "render")
      assert.truthy(r.edited[2]:find("^Today, Zelenskyy spoke%.  PERSON Volodymyr Zelenskyy"), r.edited[2])
      local person = r.attrs[2][1]
      local a = #"Today, " + 1
      for c = a, a + #"Zelenskyy" - 1 do assert.are.equal(person, r.edited_attrs[c]) end
      for c = 1, a - 1 do assert.are_not.equal(person, r.edited_attrs[c]) end
      assert.are_not.equal(person, r.edited_attrs[a + #"Zelenskyy"])
    end)
  end)

  describe("installed as a plugin (repository root on 'runtimepath')", function()
    it("defines :Tidings without loading anything", function()
      local r = no_error(install(), "install")
      assert.are.equal(2, r.command)
      assert.is_false(r.loaded_before)
      assert.is_false(r.loaded_core_before)
    end)

    it("rejects an unknown setup option, naming it", function()
      local r = no_error(install(), "install")
      assert.truthy(r.setup_typo:find("unknown option 'virtual_txt'", 1, true), r.setup_typo)
    end)

    it("finds build/jit/tidings/core.so by itself", function()
      local r = no_error(install(), "install")
      assert.is_string(r.core)
      assert.truthy(r.core:find("build/jit/tidings/core.so", 1, true), r.core)
      assert.is_table(find_mark(r.marks, "Recep Tayyip Erdoğan", 0))
    end)

    it("has help tags for the commands and topics", function()
      local r = no_error(install(), "install")
      assert.are.equal("tidings.txt", r.help)
      for _, t in ipairs(r.tags) do assert.is_true(t.ok, t.tag) end
    end)

    it(":checkhealth tidings reports the module, its versions and the stages", function()
      local r = no_error(install(), "install")
      local h = table.concat(r.health, "\n")
      assert.truthy(h:find("OK: tidings.core loads from", 1, true), h)
      assert.truthy(h:find("utf8proc: ", 1, true), h)
      assert.truthy(h:find("OK: analysis works", 1, true), h)
      assert.falsy(h:find("ERROR", 1, true), h)
    end)
  end)
end)
