-- The Pandoc filter (filters/tidings.lua) run by real pandoc, whose embedded
-- Lua 5.3 loads build/5.3/tidings/core.so.
local json = require "tidings.json"

local root = os.getenv("TIDINGS_ROOT") or "."
local FILTER = root .. "/filters/tidings.lua"
local ARTICLE = root .. "/corpus/001_a06a34d55f99ecc1.txt"

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("*a")
  local ok, _, code = p:close()
  if type(ok) == "number" then code = ok; ok = code == 0 end -- Lua 5.1
  return ok == true or ok == 0, out, code
end

local function readfile(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local missing
if not sh("command -v pandoc") then
  missing = "pandoc is not installed (apt-get install pandoc)"
else
  local ok, out = sh("pandoc --version")
  local lua = ok and out:match("[Ss]cripting engine: Lua (%d+%.%d+)") or "5.3"
  if not io.open(root .. "/build/" .. lua .. "/tidings/core.so", "rb") then
    missing = "build/" .. lua .. "/tidings/core.so is missing (pandoc embeds Lua " .. lua ..
      "; make build with lua" .. lua .. " and liblua" .. lua .. "-dev installed)"
  end
end

-- pandoc [args] input -> output as a string
local function pandoc(args, input)
  local ok, out = sh(("pandoc %s --lua-filter %s %s"):format(args, q(FILTER), q(input)))
  assert(ok, "pandoc failed: " .. out)
  return out
end

-- Walk the JSON AST: every Span with its classes, attributes and plain text.
local function text_of(inlines, out)
  out = out or {}
  for _, el in ipairs(inlines) do
    local t, c = el.t, el.c
    if t == "Str" then out[#out + 1] = c
    elseif t == "Space" or t == "SoftBreak" then out[#out + 1] = " "
    elseif t == "Quoted" then
      out[#out + 1] = "“"; text_of(c[2], out); out[#out + 1] = "”"
    elseif t == "Span" or t == "Link" then text_of(c[2], out)
    elseif t == "Emph" or t == "Strong" then text_of(c, out)
    end
  end
  return out
end

local function spans_of(node, acc)
  acc = acc or {}
  if type(node) ~= "table" then return acc end
  if node.t == "Span" then
    local a = node.c[1]
    local attrs = {}
    for _, kv in ipairs(a[3]) do attrs[kv[1]] = kv[2] end
    local classes = {}
    for _, c in ipairs(a[2]) do classes[c] = true end
    acc[#acc + 1] = { classes = classes, attrs = attrs, text = table.concat(text_of(node.c[2])) }
  end
  for _, v in pairs(node) do
    if type(v) == "table" then spans_of(v, acc) end
  end
  return acc
end

local function meta_value(m)
  if m.t == "MetaMap" then
    local t = {}
    for k, v in pairs(m.c) do t[k] = meta_value(v) end
    return t
  elseif m.t == "MetaList" then
    local t = {}
    for i, v in ipairs(m.c) do t[i] = meta_value(v) end
    return t
  elseif m.t == "MetaString" then
    return m.c
  elseif m.t == "MetaInlines" then
    return table.concat(text_of(m.c))
  elseif m.t == "MetaBool" then
    return m.c
  end
end

describe("the Pandoc filter (filters/tidings.lua)", function()
  if missing then
    it("needs pandoc and the module built for its Lua", function()
      pending("skipped: " .. missing)
    end)
    return
  end

  local ast
  setup(function()
    ast = assert(json.decode(pandoc("-f markdown -t json", ARTICLE)))
  end)

  it("wraps entities in spans with type and canonical name", function()
    local found = {}
    for _, s in ipairs(spans_of(ast.blocks)) do
      if s.classes.entity then
        assert.truthy(s.attrs.type, s.text)
        assert.truthy(s.classes["entity-" .. s.attrs.type:lower()])
        found[s.text] = s.attrs.canonical
      end
    end
    assert.are.equal("Volodymyr Zelenskyy", found["Volodymyr Zelenskyy"])
    assert.are.equal("Volodymyr Zelenskyy", found["Zelenskyy"])
    assert.are.equal("Rustem Umerov", found["Rustem Umerov"])
    assert.truthy(found["Istanbul"])
  end)

  it("wraps numbers with kind and value, and quotations with their speaker", function()
    local numbers, quotes = 0, {}
    for _, s in ipairs(spans_of(ast.blocks)) do
      if s.classes.number then
        numbers = numbers + 1
        assert.truthy(s.attrs.kind, s.text)
        if s.attrs.value then assert.truthy(tonumber(s.attrs.value), s.attrs.value) end
      elseif s.classes.quote then
        quotes[s.text] = s.attrs.speaker
      end
    end
    assert.is_true(numbers > 0)
    assert.are.equal("Volodymyr Zelenskyy", quotes["Ceasefire is priority number one,"])
  end)

  it("adds the entities and figures to the metadata", function()
    local meta = meta_value({ t = "MetaMap", c = ast.meta })
    local t = meta.tidings
    assert.truthy(t, "no tidings metadata")
    assert.is_true(#t.entities > 0)
    local top = t.entities[1]
    assert.are.equal("Volodymyr Zelenskyy", top.name)
    assert.are.equal("PERSON", top.type)
    assert.is_true(tonumber(top.mentions) >= 5)
    assert.is_true(#t.figures > 0)
    for _, f in ipairs(t.figures) do assert.truthy(f.text and f.kind) end
    assert.is_true(#t.quotes > 0)
  end)

  it("changes no text: plain output is the same with and without the filter", function()
    for _, f in ipairs { ARTICLE, root .. "/corpus/000_9d58ac5a8d9a393c.txt" } do
      local with = pandoc("-f markdown -t plain", f)
      local ok, without = sh("pandoc -f markdown -t plain " .. q(f))
      assert(ok)
      assert.are.equal(without, with)
    end
  end)

  it("splits words, keeps emphasis and links, and writes data- attributes in HTML", function()
    local md = os.tmpname()
    local fh = assert(io.open(md, "wb"))
    fh:write("Zelenskyy's aide met *Vladimir Putin* in [Istanbul](https://example.org) on 3 March 2024.\n")
    fh:close()
    local html = pandoc("-f markdown -t html --wrap=none", md)
    local ast2 = json.decode(pandoc("-f markdown -t json", md))
    os.remove(md)
    assert.truthy(html:find('<span class="entity entity-person" data-type="PERSON" ' ..
      'data-canonical="Volodymyr Zelenskyy">Zelenskyy</span>’s', 1, true), html)
    assert.truthy(html:find('<span class="entity entity-person" data-type="PERSON" ' ..
      'data-canonical="Vladimir Putin"><em>Vladimir Putin</em></span>', 1, true), html)
    assert.truthy(html:find('data-canonical="Istanbul"><a href="https://example.org">Istanbul</a></span>', 1, true), html)
    local date
    for _, s in ipairs(spans_of(ast2.blocks)) do
      if s.classes.number then date = s end
    end
    assert.are.equal("3 March 2024", date.text)
    assert.are.equal("2024-03-03", date.attrs.timex)
  end)

  it("writes the Markdown report instead with -M tidings-report", function()
    local out = pandoc("-f markdown -t markdown -M tidings-report", ARTICLE)
    assert.truthy(out:find("^# tidings report"), out:sub(1, 200))
    assert.truthy(out:find("Volodymyr Zelenskyy", 1, true))
    local file = os.tmpname()
    pandoc("-f markdown -t markdown -M tidings-report=" .. q(file), ARTICLE)
    local md = readfile(file)
    os.remove(file)
    assert.truthy(md:find("^# tidings report\n"))
  end)
end)
