-- spec/nvim/driver.lua: run inside a real headless Neovim by spec/nvim_spec.lua.
--
--   nvim --headless -u NONE -i NONE -n --cmd 'set rtp+=<repo>' \
--        -c 'runtime plugin/tidings.lua' -c 'luafile spec/nvim/driver.lua'
--
-- Environment: TIDINGS_NVIM_OUT (the JSON file to write), TIDINGS_NVIM_FILE
-- (the article to open), TIDINGS_NVIM_SCENARIO ("main" or "install").
-- Each scenario's result (or its error) goes into the JSON; then Neovim quits.
local api, fn = vim.api, vim.fn
local out_path = assert(os.getenv("TIDINGS_NVIM_OUT"), "TIDINGS_NVIM_OUT not set")
local scenario = os.getenv("TIDINGS_NVIM_SCENARIO") or "main"
local result = { nvim = tostring(vim.version().major) .. "." .. tostring(vim.version().minor) }

-- The spans the plugin draws (nv.spans), each with the text it covers.
local function marks(buf)
  local nv = require "tidings.nvim"
  local list = {}
  for _, m in ipairs(nv.spans(buf)) do
    local ok, parts = pcall(api.nvim_buf_get_text, buf, m.row, m.col, m.end_row, m.end_col, {})
    local text = ok and table.concat(parts, "\n") or nil
    -- a wrong column can cut a character: keep the JSON encodable
    if text and not pcall(fn.json_encode, text) then text = "<invalid UTF-8: " .. text:gsub(".", function(c)
      return ("%02x"):format(c:byte()) end) .. ">" end
    -- the label drawn at the end of the line (as it is drawn: after a space)
    list[#list + 1] = { row = m.row, col = m.col, end_row = m.end_row, end_col = m.end_col, hl = m.hl_group,
      priority = m.priority, virt = m.label and (" " .. m.label) or "", text = text }
  end
  return list
end

local function loclist()
  local list = {}
  for i, e in ipairs(fn.getloclist(0)) do
    list[i] = { lnum = e.lnum, col = e.col, end_lnum = e.end_lnum, end_col = e.end_col, text = e.text,
      bufnr = e.bufnr }
  end
  return list
end

-- What the library itself finds in the buffer's text (the expected spans).
local function expected(buf)
  local td = assert(require("tidings.nvim").load())
  local text = table.concat(api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  local doc = td.analyze(text)
  local exp = { entities = {}, numbers = {}, quotes = {} }
  for _, e in ipairs(doc:entities()) do exp.entities[#exp.entities + 1] = text:sub(e.start, e.stop) end
  for _, n in ipairs(doc:numbers()) do exp.numbers[#exp.numbers + 1] = text:sub(n.start, n.stop) end
  for _, q in ipairs(doc:quotes()) do
    local o = q.outer or q
    exp.quotes[#exp.quotes + 1] = text:sub(o.start, o.stop)
  end
  return exp
end

local scenarios = {}

function scenarios.main()
  local file = assert(os.getenv("TIDINGS_NVIM_FILE"), "TIDINGS_NVIM_FILE not set")
  vim.cmd("edit " .. fn.fnameescape(file))
  local buf = api.nvim_get_current_buf()
  local r = {}
  r.lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  r.expected = expected(buf)
  vim.cmd("Tidings entities")
  r.entities = marks(buf)
  vim.cmd("Tidings numbers")
  r.numbers = marks(buf)
  vim.cmd("Tidings quotes")
  r.quotes = marks(buf)
  vim.cmd("Tidings all")
  r.all = marks(buf)
  -- a colour scheme clears the groups; the marks keep theirs, linked again
  vim.cmd("colorscheme default")
  vim.cmd("Tidings all")
  r.after_colorscheme = marks(buf)
  r.person_link = fn.synIDattr(fn.synIDtrans(fn.hlID("TidingsPerson")), "name")
  vim.cmd("Tidings list")          -- opens the location-list window
  r.loclist_window = vim.bo.buftype
  vim.cmd("wincmd p")
  r.loclist = loclist()
  r.loclist_title = fn.getloclist(0, { title = 1 }).title
  r.statusline = require("tidings.nvim").statusline()
  vim.cmd("Tidings off")
  r.off = marks(buf)
  vim.cmd("Tidings report")
  local rb = api.nvim_get_current_buf()
  r.report = { buftype = vim.bo[rb].buftype, filetype = vim.bo[rb].filetype, modified = vim.bo[rb].modified,
    lines = api.nvim_buf_get_lines(rb, 0, 5, false), other = rb ~= buf }
  vim.cmd("close")
  -- the report of the argument list: this article and another one
  local other = file:gsub("001_a06a34d55f99ecc1", "000_9d58ac5a8d9a393c")
  vim.cmd("args " .. fn.fnameescape(file) .. " " .. fn.fnameescape(other))
  vim.cmd("Tidings report args")
  r.report_args = api.nvim_buf_get_lines(0, 0, 8, false)
  vim.cmd("close")
  -- hover: the cursor on Volodymyr Zelenskyy
  for i, line in ipairs(r.lines) do
    local a = line:find("Volodymyr Zelenskyy", 1, true)
    if a then api.nvim_win_set_cursor(0, { i, a + 2 }) break end
  end
  local fbuf, fwin = require("tidings.nvim").hover()
  r.hover = api.nvim_buf_get_lines(fbuf, 0, -1, false)
  r.hover_float = api.nvim_win_get_config(fwin).relative ~= ""
  api.nvim_win_close(fwin, true)
  r.complete = fn.getcompletion("Tidings ", "cmdline")
  return r
end

-- Multi-byte text: Erdoğan, curly quotes, emoji (4-byte and a flag sequence).
function scenarios.multibyte()
  vim.cmd("enew")
  local buf = api.nvim_get_current_buf()
  local lines = {
    "😀 Turkish President Recep Tayyip Erdoğan met Vladimir Putin in Istanbul on Monday.",
    "",
    "🇹🇷 “We want peace in Ukraine,” Erdoğan said. Turkey will send 3 million euros.",
    "“Çok güzel,” said Erdoğan’s adviser İbrahim Kalın in Ankara.",
  }
  api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  local r = { lines = lines, expected = expected(buf) }
  vim.cmd("Tidings all")
  r.all = marks(buf)
  vim.cmd("Tidings list")
  vim.cmd("wincmd p")
  r.loclist = loclist()
  vim.cmd("lclose")
  vim.cmd("Tidings off")
  -- a hard-wrapped paragraph: a quotation over two lines
  api.nvim_buf_set_lines(buf, 0, -1, false, {
    "“We will not give up,",
    "not now, not ever,” Volodymyr Zelenskyy told reporters in Kyiv.",
  })
  vim.cmd("Tidings all")
  r.wrapped = marks(buf)
  vim.cmd("Tidings off")
  -- M.position on its own: lines "ab", "", "çd" (starts 0, 3, 4)
  local nv = require "tidings.nvim"
  local starts = { 0, 3, 4 }
  r.position = {
    { nv.position(starts, 1, 2) },   -- "ab"
    { nv.position(starts, 5, 7) },   -- "çd" (ç is 2 bytes)
    { nv.position(starts, 2, 6) },   -- "b\n\nç": rows 0..2
  }
  return r
end

-- Live mode: an edit is analysed again after the debounce, also in a "large"
-- buffer, where only the edited paragraph is redone.
function scenarios.live()
  local nv = require "tidings.nvim"
  nv.setup { debounce = 20 }
  vim.cmd("enew")
  local buf = api.nvim_get_current_buf()
  api.nvim_buf_set_lines(buf, 0, -1, false, { "Vladimir Putin spoke in Moscow.", "", "Nothing here yet." })
  vim.cmd("Tidings live on")
  local r = { before = marks(buf) }
  api.nvim_buf_set_lines(buf, 2, 3, false, { "Angela Merkel visited Paris on 3 May 2021." })
  local st = nv._state[buf]
  vim.wait(2000, function() return (st.updates or 0) >= 1 end, 10)
  r.after = marks(buf)
  -- a large buffer: 50 paragraphs, the limit lowered to 10 lines
  nv.setup { large = 10 }
  local big = {}
  for i = 1, 50 do
    big[#big + 1] = ("Paragraph %d: Emmanuel Macron met Olaf Scholz in Berlin."):format(i)
    big[#big + 1] = ""
  end
  api.nvim_buf_set_lines(buf, 0, -1, false, big)
  vim.wait(2000, function() return (st.updates or 0) >= 2 end, 10)
  r.big_before = #marks(buf)
  local e = expected(buf)
  r.big_expected = #e.entities + #e.numbers + #e.quotes
  local n0 = st.updates
  api.nvim_buf_set_lines(buf, 40, 41, false, { "Paragraph 21: Joe Biden met Xi Jinping in Beijing." })
  vim.wait(2000, function() return st.updates > n0 end, 10)
  r.big_after = marks(buf)
  r.big_region = st.region
  r.big_lines = api.nvim_buf_line_count(buf)
  vim.cmd("Tidings live off")
  api.nvim_buf_set_lines(buf, 0, 1, false, { "Boris Johnson left London." })
  vim.wait(200)
  r.after_off = marks(buf)
  nv.setup { debounce = nv.defaults.debounce, large = nv.defaults.large }
  vim.cmd("Tidings off")
  return r
end

-- A large buffer: the lines on screen at once, the rest in the background.
function scenarios.chunked()
  local nv = require "tidings.nvim"
  nv.setup { large = 50, chunk = 10 }
  vim.cmd("enew")
  local buf = api.nvim_get_current_buf()
  local big = {}
  for i = 1, 150 do
    big[#big + 1] = ("Paragraph %d: Emmanuel Macron met Olaf Scholz in Berlin."):format(i)
    big[#big + 1] = ""
  end
  api.nvim_buf_set_lines(buf, 0, -1, false, big)
  vim.cmd("normal! 150G")   -- the screen shows the middle
  local r = { top = fn.line("w0") - 1, bottom = fn.line("w$") }
  vim.cmd("Tidings all")
  r.now = marks(buf)
  r.pending_now = nv.pending(buf)
  r.finished = vim.wait(10000, function() return nv.pending(buf) == 0 end, 5)
  r.done = marks(buf)
  local e = expected(buf)
  r.expected = #e.entities + #e.numbers + #e.quotes
  -- hover in a large buffer looks at the cursor's paragraph
  local line = api.nvim_buf_get_lines(buf, 150, 151, false)[1]
  api.nvim_win_set_cursor(0, { 151, (line:find("Olaf", 1, true)) })
  local fbuf, fwin = nv.hover()
  r.hover = api.nvim_buf_get_lines(fbuf, 0, -1, false)
  api.nvim_win_close(fwin, true)
  vim.cmd("Tidings off")
  nv.setup { large = nv.defaults.large, chunk = nv.defaults.chunk }
  return r
end

-- What the screen shows: the labels drawn at the ends of the lines.
function scenarios.render()
  local nv = require "tidings.nvim"
  vim.cmd("enew")
  local buf = api.nvim_get_current_buf()
  api.nvim_buf_set_lines(buf, 0, -1, false, {
    "Ukrainian President Volodymyr Zelenskyy arrived.",
    "Zelenskyy spoke.",
    "Nothing else.",
  })
  local function screen()
    vim.cmd("redraw!")
    local rows = {}
    for r = 1, 3 do
      local t = {}
      for c = 1, vim.o.columns do t[c] = fn.screenstring(r, c) end
      rows[r] = (table.concat(t):gsub("%s+$", ""))
    end
    return rows
  end
  -- the highlight attribute of each column of screen row r (1-based)
  local function attrs(row)
    local t = {}
    for c = 1, vim.o.columns do t[c] = fn.screenattr(row, c) end
    return t
  end
  local r = {}
  vim.cmd("Tidings all")
  r.shown = screen()
  r.attrs = { attrs(1), attrs(2), attrs(3) }
  -- text typed before a name (live mode off): the highlight moves with it
  api.nvim_buf_set_text(buf, 1, 0, 1, 0, { "Today, " })
  r.edited = screen()
  r.edited_attrs = attrs(2)
  api.nvim_buf_set_text(buf, 1, 0, 1, #"Today, ", { "" })
  nv.setup { virtual_text = false }
  r.no_virtual_text = screen()
  nv.setup { virtual_text = true }
  r.again = screen()
  vim.cmd("Tidings off")
  r.off = screen()
  return r
end

-- As a plugin manager installs it: the repository root on 'runtimepath' and
-- nothing on package.cpath; the plugin finds build/jit/ itself.  Also the help.
function scenarios.install()
  local r = { cpath_before = package.cpath }
  r.loaded_before = package.loaded["tidings.nvim"] ~= nil
  r.loaded_core_before = package.loaded["tidings.core"] ~= nil
  r.command = fn.exists(":Tidings")
  vim.cmd("enew")
  local buf = api.nvim_get_current_buf()
  api.nvim_buf_set_lines(buf, 0, -1, false, { "Recep Tayyip Erdoğan met Vladimir Putin in Sochi." })
  vim.cmd("Tidings all")
  r.marks = marks(buf)
  r.core = package.searchpath("tidings.core", package.cpath)
  local ok_setup, err_setup = pcall(require("tidings.nvim").setup, { virtual_txt = false })
  r.setup_typo = ok_setup and "accepted" or tostring(err_setup)
  -- help: copy doc/ to a temporary folder (helptags writes a tags file there)
  local root = require("tidings.nvim").root()
  local tmp = fn.tempname()
  fn.mkdir(tmp .. "/doc", "p")
  fn.writefile(fn.readfile(root .. "/doc/tidings.txt", "b"), tmp .. "/doc/tidings.txt", "b")
  vim.cmd("helptags " .. fn.fnameescape(tmp .. "/doc"))
  vim.opt.runtimepath:append(tmp)
  local ok, err = pcall(vim.cmd, "help tidings")
  r.help = ok and fn.expand("%:t") or tostring(err)
  local tags = {}
  for _, t in ipairs({ "tidings.txt", ":Tidings", "tidings-setup", "tidings-statusline", "tidings-live",
    "tidings-install", "tidings-health" }) do
    tags[#tags + 1] = { tag = t, ok = pcall(vim.cmd, "help " .. t) }
  end
  r.tags = tags
  fn.delete(tmp, "rf")
  -- :checkhealth tidings
  vim.cmd("checkhealth tidings")
  r.health = api.nvim_buf_get_lines(0, 0, -1, false)
  return r
end

local list = scenario == "install" and { "install" } or { "main", "multibyte", "live", "chunked", "render" }
for _, name in ipairs(list) do
  local ok, res = xpcall(scenarios[name], debug.traceback)
  result[name] = ok and res or { error = tostring(res) }
end
-- Whatever happened, write something and quit (an error here must not leave
-- Neovim waiting).
local ok, encoded = pcall(fn.json_encode, result)
if not ok then encoded = fn.json_encode({ error = "json_encode: " .. tostring(encoded) }) end
local f = io.open(out_path, "wb")
if f then
  f:write(encoded)
  f:close()
end
vim.cmd("qa!")
