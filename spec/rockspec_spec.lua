-- The rockspec lists every committed source (tools/gen-rockspec.lua).
describe("rockspec/tidings-scm-1.rockspec", function()
  it("is up to date with csrc/ and lua/", function()
    local root = os.getenv("TIDINGS_ROOT") or "."
    local ok = os.execute(("cd '%s' && lua5.4 tools/gen-rockspec.lua --check"):format(root))
    assert.is_true(ok == true or ok == 0)
  end)
end)
