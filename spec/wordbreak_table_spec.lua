-- spec/wordbreak_table_spec.lua: csrc/wordbreak_table.h is what
-- tools/gen_wordbreak.lua makes from the Unicode data files (Debian's
-- unicode-data, installed by `make deps`).

local WB = "/usr/share/unicode/auxiliary/WordBreakProperty.txt"
local EMOJI = "/usr/share/unicode/emoji/emoji-data.txt"
local COMMITTED = "csrc/wordbreak_table.h"

local function readall(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function run(cmd)
  local ok = os.execute(cmd)
  return ok == true or ok == 0              -- 5.2+ / 5.1
end

-- The generator runs under any Lua 5.x; use the first interpreter found.
local function interpreter()
  for _, name in ipairs({ "lua5.4", "lua5.3", "lua5.2", "lua5.1", "luajit", "lua" }) do
    if run("command -v " .. name .. " >/dev/null 2>&1") then return name end
  end
end

describe("csrc/wordbreak_table.h", function()
  it("is exactly what tools/gen_wordbreak.lua generates from the Unicode data", function()
    assert(io.open(WB, "rb"), WB .. " is missing: install Debian's unicode-data (make deps)")
    local lua = assert(interpreter(), "no Lua interpreter on PATH")
    local out = os.tmpname()
    local ok = run(("%s tools/gen_wordbreak.lua %s %s %s 2>/dev/null"):format(lua, WB, EMOJI, out))
    local generated = ok and readall(out) or ""
    os.remove(out)
    assert.is_true(ok, "tools/gen_wordbreak.lua failed")
    assert.is_true(generated == readall(COMMITTED),
      COMMITTED .. " differs from a fresh run of tools/gen_wordbreak.lua: regenerate and commit it")
  end)

  it("records the Unicode version of the data", function()
    local version = readall(COMMITTED):match('#define TD_WB_UNICODE_VERSION "([%d.]+)"')
    assert.are.equal("15.0.0", version)
    local header = readall(WB):match("^#%s*WordBreakProperty%-([%d.]+)%.txt")
    assert.are.equal(header, version)
  end)
end)
