--- :checkhealth tidings — whether the C module loads under Neovim's LuaJIT,
-- what it is made of (versions) and which entity model it uses.
local M = {}

-- Neovim 0.10 has vim.health.start/ok/...; 0.8-0.9 vim.health.report_*;
-- 0.7 only the `health` module with report_*.
local function reporter()
  local h = vim.health
  if not (h and (h.start or h.report_start)) then
    local ok, mod = pcall(require, "health")
    if ok then h = mod end
  end
  return {
    start = h.start or h.report_start,
    ok = h.ok or h.report_ok,
    info = h.info or h.report_info,
    warn = h.warn or h.report_warn,
    error = h.error or h.report_error,
  }
end

function M.check()
  local r = reporter()
  r.start("tidings: the C module")
  if type(jit) == "table" then
    r.info("Neovim's Lua: " .. tostring(jit.version) .. " (" .. _VERSION .. ")")
  else
    r.info("Neovim's Lua: " .. _VERSION)
  end
  local nv = require("tidings.nvim")
  local td, err = nv.load()
  if not td then
    r.error(err, {
      "run `make build` in " .. tostring(nv.root()) .. " (it writes build/jit/tidings/core.so)",
      "or set package.cpath, or require('tidings.nvim').setup{ cpath = '/path/to/?.so' }",
    })
    return
  end
  local path = package.searchpath and package.searchpath("tidings.core", package.cpath)
  r.ok("tidings.core loads" .. (path and (" from " .. path) or ""))
  local ok, v = pcall(td.versions)
  if ok and type(v) == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do r.info(("%s: %s"):format(k, tostring(v[k]))) end
  else
    r.warn("tidings.versions() failed: " .. tostring(v))
  end
  local ok2, doc = pcall(td.analyze, "President Erdoğan said “yes” 😀 to 3 million people.")
  if ok2 and doc then
    r.ok(("analysis works (%d tokens in a test sentence)"):format(#doc))
  else
    r.error("analysis of a test sentence failed: " .. tostring(doc))
  end

  r.start("tidings: entities, numbers, quotes")
  local dd = pcall(require, "tidings.tagger") and require("tidings.tagger")
  if dd then
    local okd, dir = pcall(dd.data_dir)
    if okd and dir then r.info("data folder: " .. vim.fn.fnamemodify(dir, ":p")) else r.warn("no data folder found (gazetteers, model)") end
    local okt, tagger = pcall(dd.default)
    if not okt then
      r.error("the default entity tagger failed: " .. tostring(tagger))
    elseif tagger and tagger.info then
      local info = tagger:info()
      r.ok(("entity tagger: %s gazetteer phrases, %s patterns"):format(tostring(info.phrases), tostring(info.patterns)))
      if info.model then
        r.ok(("model: %s (checksum %s)"):format(tostring(info.model), tostring(info.checksum)))
      else
        r.warn("no statistical model loaded: entities come from gazetteers and patterns only")
      end
    end
  end
  if ok2 and doc then
    for _, m in ipairs({ "entities", "numbers", "quotes" }) do
      if doc[m] then
        local okm, res = pcall(doc[m], doc)
        if okm then r.ok(("doc:%s() works (%d found in the test sentence)"):format(m, #res))
        else r.error(("doc:%s() failed: %s"):format(m, tostring(res))) end
      else
        r.warn(("doc:%s() is not in this build: :Tidings %s shows nothing"):format(m, m))
      end
    end
  end
end

return M
