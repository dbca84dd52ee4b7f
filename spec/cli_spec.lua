-- spec/cli_spec.lua: the `tidings` command line, run as a user runs it
-- (bin/tidings under the Lua running this spec), on corpus/ and on small
-- inputs made here.
local root = os.getenv("TIDINGS_ROOT") or "."
local lua = type(jit) == "table" and "luajit" or ("lua" .. _VERSION:match("%d+%.%d+"))

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function tmpdir()
  local p = os.tmpname()
  os.remove(p)
  assert(os.execute("mkdir -p " .. q(p)))
  return p
end

local function write(path, s)
  local f = assert(io.open(path, "wb")); f:write(s); f:close()
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a"); f:close(); return s
end

-- Run the CLI; returns stdout, stderr, exit code.
local function tidings(args, stdin)
  local out, err = os.tmpname(), os.tmpname()
  local cmd = string.format("cd %s && %s bin/tidings %s > %s 2> %s", q(root), lua, args, q(out), q(err))
  if stdin then
    local inp = os.tmpname()
    write(inp, stdin)
    cmd = cmd .. " < " .. q(inp)
  else
    cmd = cmd .. " < /dev/null"
  end
  local p = io.popen(cmd .. "; echo $?")
  local code = tonumber(p:read("*a"):match("(%d+)%s*$"))
  p:close()
  local o, e = read(out), read(err)
  os.remove(out); os.remove(err)
  return o, e, code
end

local fx = tmpdir()
write(fx .. "/good.txt", "Kremlin talks resume\n\nThe talks resumed in Istanbul on Friday. Both sides met.\n")
write(fx .. "/bad.txt", "Caf\233 au lait in Kyiv.\n") -- Latin-1, not UTF-8
write(fx .. "/page.html", "<html><head><title>A page</title></head><body><script>var x;</script>" ..
  "<p>Delegations met in Istanbul.</p><p>They spoke for two hours.</p></body></html>")
write(fx .. "/docs.jsonl", '{"id":"j1","text":"Ukraine and Russia met.","source":"Wire"}\n' ..
  '{"text": "broken\n' ..
  '{"id":"j3","title":"x"}\n')

describe("tidings CLI", function()
  it("prints help for every sub-command and exits 0", function()
    for _, c in ipairs({ "report", "extract", "tokens", "entities", "numbers", "quotes", "merge", "train" }) do
      local out, _, code = tidings(c .. " --help")
      assert.are.equal(0, code, c)
      assert.truthy(out:find("usage: tidings " .. c, 1, true), c)
    end
    local out, _, code = tidings("--help")
    assert.are.equal(0, code)
    assert.truthy(out:find("Exit codes:", 1, true))
  end)

  it("exits 2 on an unknown command, an unknown option or a bad value", function()
    local _, err, code = tidings("frobnicate")
    assert.are.equal(2, code)
    assert.truthy(err:find("unknown command 'frobnicate'", 1, true))
    _, err, code = tidings("report --bogus corpus")
    assert.are.equal(2, code)
    assert.truthy(err:find("unknown option '--bogus'", 1, true))
    _, err, code = tidings("report --format pdf corpus")
    assert.are.equal(2, code)
    _, err, code = tidings("extract --jobs zero corpus")
    assert.are.equal(2, code)
    assert.truthy(err:find("--jobs", 1, true))
    _, err, code = tidings("extract --reference 16/05/2025 corpus")
    assert.are.equal(2, code)
    _, _, code = tidings("extract")
    assert.are.equal(2, code)
  end)

  it("prints --version", function()
    local out, _, code = tidings("--version")
    assert.are.equal(0, code)
    assert.truthy(out:find("^tidings %d"))
  end)

  it("extracts one JSON object per document with fixed keys and 0-based offsets", function()
    local json = require "tidings.json"
    local out, err, code = tidings("extract " .. q(fx .. "/good.txt"))
    assert.are.equal(0, code, err)
    local lines = {}
    for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.are.equal(1, #lines)
    assert.truthy(lines[1]:find('^{"id":'))
    local r = assert(json.decode(lines[1]))
    assert.are.equal("Kremlin talks resume", r.title)
    local t = r.tokens[1]
    assert.are.same({ 0, 7, "word" }, { t[1], t[2], t[3] })
    assert.are.equal("Kremlin", r.text:sub(t[1] + 1, t[2]))
    assert.are.equal(3, r.stats.sentences) -- the headline is a sentence of its own
  end)

  it("is byte-identical from run to run and with --jobs", function()
    local a = tidings("extract corpus")
    local b = tidings("extract corpus")
    local c, err, code = tidings("extract --jobs 2 corpus")
    assert.are.equal(0, code, err)
    assert.are.equal(a, b)
    assert.are.equal(a, c)
    local r1 = tidings("report --format md corpus")
    local r2 = tidings("report --format md --jobs 3 corpus")
    assert.are.equal(r1, r2)
  end)

  it("skips invalid UTF-8 by default, naming the file and offset, and exits 1", function()
    local out, err, code = tidings("extract " .. q(fx .. "/bad.txt") .. " " .. q(fx .. "/good.txt"))
    assert.are.equal(1, code)
    assert.truthy(err:find("bad.txt: invalid UTF-8 at byte 3", 1, true), err)
    assert.truthy(err:find("skipped", 1, true))
    local n = select(2, out:gsub("\n", ""))
    assert.are.equal(1, n)
  end)

  it("repairs invalid UTF-8 with --on-invalid repair, and says so", function()
    local out, err, code = tidings("extract --on-invalid repair " .. q(fx .. "/bad.txt"))
    assert.are.equal(0, code)
    assert.truthy(err:find("repaired 1 byte", 1, true), err)
    assert.truthy(out:find("Caf\239\191\189 au lait", 1, true))
  end)

  it("exits 3 when nothing could be read", function()
    local _, err, code = tidings("extract " .. q(fx .. "/nope.txt"))
    assert.are.equal(3, code)
    assert.truthy(err:find("nope.txt", 1, true))
  end)

  it("reads JSONL, keeps metadata, and names file:line for bad lines", function()
    local json = require "tidings.json"
    local out, err, code = tidings("extract " .. q(fx .. "/docs.jsonl"))
    assert.are.equal(1, code)
    assert.truthy(err:find("docs.jsonl:2: invalid JSON", 1, true), err)
    assert.truthy(err:find('docs.jsonl:3: no "text"', 1, true), err)
    local r = assert(json.decode(out:match("[^\n]+")))
    assert.are.equal("j1", r.id)
    assert.are.equal("Wire", r.source)
    assert.are.equal(1, r.line)
  end)

  it("strips HTML to text and takes its title", function()
    local json = require "tidings.json"
    local out, err, code = tidings("extract " .. q(fx .. "/page.html"))
    assert.are.equal(0, code, err)
    local r = assert(json.decode(out))
    assert.are.equal("A page", r.title)
    assert.are.equal("Delegations met in Istanbul.\n\nThey spoke for two hours.\n", r.text)
  end)

  it("reads standard input with -", function()
    local out, _, code = tidings("tokens -", "Hello Kyiv.")
    assert.are.equal(0, code)
    assert.truthy(out:find("1-5\tword\tHello", 1, true))
    out, _, code = tidings("extract -", '{"id":"s1","text":"Hi."}\n')
    assert.are.equal(0, code)
    assert.truthy(out:find('^{"id":"s1"'))
  end)

  it("merges shards into the single run's report (--shard + merge)", function()
    local single = tidings("report --format json corpus")
    local p1 = os.tmpname(); local p2 = os.tmpname(); local p3 = os.tmpname()
    tidings("report --format partial --shard 1/3 corpus -o " .. q(p1))
    tidings("report --format partial --shard 2/3 corpus -o " .. q(p2))
    tidings("report --format partial --shard 3/3 corpus -o " .. q(p3))
    local merged, err, code = tidings("merge --format json " .. q(p3) .. " " .. q(p1) .. " " .. q(p2))
    assert.are.equal(0, code, err)
    assert.are.equal(single, merged)
    -- and from extract output
    local x = os.tmpname()
    tidings("extract corpus -o " .. q(x))
    local fromx = tidings("merge --format json " .. q(x))
    assert.are.equal(single, fromx)
    os.remove(p1); os.remove(p2); os.remove(p3); os.remove(x)
  end)

  it("writes reports in every format; csv as one file per table", function()
    for _, f in ipairs({ "md", "html", "json", "text" }) do
      local out, err, code = tidings("report --format " .. f .. " corpus")
      assert.are.equal(0, code, err)
      assert.truthy(#out > 500, f)
    end
    local dir = tmpdir()
    local _, err, code = tidings("report --format csv -o " .. q(dir .. "/csv") .. " corpus")
    assert.are.equal(0, code, err)
    local docs = read(dir .. "/csv/documents.csv")
    assert.truthy(docs:find("^id,title,"))
    assert.are.equal(6, select(2, docs:gsub("\r\n", "")))
    assert.truthy(read(dir .. "/csv/entities.csv"))
    assert.truthy(read(dir .. "/csv/quotes.csv"))
    -- the five articles are one story
    local st = read(dir .. "/csv/stories.csv")
    assert.truthy(st:find("^story,story_title,document,"))
    assert.are.equal(6, select(2, st:gsub("\r\n1,", "")) + 1)
  end)

  it("--one-story makes all documents one story", function()
    local out, err, code = tidings("report --format csv --table stories --one-story corpus")
    assert.are.equal(0, code, err)
    assert.truthy(out:find("^story,story_title,document,"))
    assert.are.equal(5, select(2, out:gsub("\r\n1,", "")))
    local _, bad, c2 = tidings("extract --one-story corpus")
    assert.are.equal(2, c2)
    assert.truthy(bad:find("one-story", 1, true))
  end)

  it("exits 3 when the output cannot be written", function()
    local _, err, code = tidings("report --format md -o /nonexistent/dir/r.md corpus")
    assert.are.equal(3, code)
    assert.truthy(err:find("/nonexistent/dir/r.md", 1, true))
  end)
end)
