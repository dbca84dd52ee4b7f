--- tidings.tagger: entity taggers (gazetteers + user patterns + statistical model).
--
--   local tagger, err = tidings.tagger{
--     gazetteer = { {"Acme Corp", "ORG"}, {"Kyiv", "city", "Kyiv"}, ... } or "file.tsv",
--     patterns  = { {type = "TICKER", pcre = [[\$[A-Z]{2,5}\b]]}, ... },
--     model     = "path/to/ner.bin",        -- default: the bundled model
--     defaults  = true,                     -- false: without the bundled gazetteers
--   }
--   local doc = tagger:analyze(text [, opts])   -- doc:entities() uses this tagger
--
-- Bad data (a pattern that does not compile, a malformed gazetteer line, a
-- corrupt or missing model file) gives nil, message; misuse raises an error.
-- The default tagger (used by tidings.analyze docs) is made on first use.
local core = require "tidings.core"

local M = {}

-- The bundled gazetteers, in priority order (the first typed entry of a phrase wins).
M.GAZETTEERS = { "people", "organisations", "countries", "places", "cities", "demonyms",
                 "titles", "keywords", "firstnames" }
M.MODEL = "model/ner.bin"

local function readfile(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("*a")
  f:close()
  return s
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local function dirname(p) return p:match("^(.*)[/\\][^/\\]*$") or "." end

-- Where data/ is: $TIDINGS_DATA_DIR; next to the source tree (lua/tidings/ -> ../../data);
-- after `luarocks make`: the rock's copy_directories copy, <tree>/lib/luarocks/rocks-5.x/tidings/<ver>/data.
local data_dir
function M.data_dir()
  if data_dir then return data_dir end
  local candidates = {}
  local env = os.getenv("TIDINGS_DATA_DIR")
  if env and env ~= "" then candidates[#candidates + 1] = env end
  local src = debug.getinfo(1, "S").source
  if src:sub(1, 1) == "@" then
    local here = dirname(src:sub(2))                    -- .../lua/tidings
    candidates[#candidates + 1] = here .. "/../../data"  -- source tree
    candidates[#candidates + 1] = here .. "/data"        -- installed beside the module
    -- a LuaRocks tree: <tree>/share/lua/5.x/tidings/tagger.lua
    local tree, ver = here:match("^(.*)/share/lua/(%d%.%d)/tidings$")
    if tree and core.listdir then
      local rocks = tree .. "/lib/luarocks/rocks-" .. ver .. "/tidings"
      local list = core.listdir(rocks)
      if type(list) == "table" then
        table.sort(list)
        for i = #list, 1, -1 do
          local name = type(list[i]) == "table" and list[i].name or list[i]
          candidates[#candidates + 1] = rocks .. "/" .. tostring(name) .. "/data"
        end
      end
    end
  end
  for _, d in ipairs(candidates) do
    if exists(d .. "/gazetteers/countries.tsv") then data_dir = d; return d end
  end
  return nil
end

local function fail(msg) return nil, msg end

local function load_gazetteer_file(t, path)
  local text, err = readfile(path)
  if not text then return fail("cannot read gazetteer " .. tostring(err)) end
  return t:load_tsv(text, path)
end

local function argerr(n, msg) error(("bad argument #%d to 'tagger' (%s)"):format(n, msg), 3) end

local known = { gazetteer = true, patterns = true, model = true, defaults = true }

--- A new, independent tagger.
function M.new(spec)
  if spec == nil then spec = {} end
  if type(spec) ~= "table" then argerr(1, "table expected, got " .. type(spec)) end
  for k in pairs(spec) do
    if not known[k] then argerr(1, "unknown option '" .. tostring(k) .. "'") end
  end
  local t = core.tagger_new()
  local ok, err
  -- the bundled gazetteers first, so the user's entries override them
  if spec.defaults ~= false then
    local dir = M.data_dir()
    if dir then
      for _, name in ipairs(M.GAZETTEERS) do
        local path = dir .. "/gazetteers/" .. name .. ".tsv"
        if exists(path) then
          ok, err = load_gazetteer_file(t, path)
          if not ok then return fail(err) end
        end
      end
    end
  end
  local g = spec.gazetteer
  if type(g) == "string" then
    ok, err = load_gazetteer_file(t, g)
    if not ok then return fail(err) end
  elseif type(g) == "table" then
    for i, e in ipairs(g) do
      if type(e) ~= "table" or type(e[1]) ~= "string" or type(e[2]) ~= "string" then
        argerr(1, ("gazetteer entry %d must be {phrase, class [, canonical]}"):format(i))
      end
      ok, err = t:add(e[1], e[2], e[3])
      if not ok then return fail(("gazetteer entry %d (%s): %s"):format(i, e[1], err)) end
    end
  elseif g ~= nil then
    argerr(1, "option 'gazetteer' must be a file name or a table")
  end
  if spec.patterns ~= nil then
    if type(spec.patterns) ~= "table" then argerr(1, "option 'patterns' must be a table") end
    for i, p in ipairs(spec.patterns) do
      if type(p) ~= "table" or type(p.pcre) ~= "string" or type(p.type) ~= "string" then
        argerr(1, ("pattern %d must be {type = string, pcre = string}"):format(i))
      end
      ok, err = t:pattern(p.pcre, p.type)
      if not ok then return fail(("pattern %d (%s): %s"):format(i, p.pcre, err)) end
    end
  end
  local model = spec.model
  if model == nil then
    local dir = M.data_dir()
    if dir and exists(dir .. "/" .. M.MODEL) then model = dir .. "/" .. M.MODEL end
  elseif model ~= false and type(model) ~= "string" then
    argerr(1, "option 'model' must be a file name or false")
  end
  if model then
    local bytes, rerr = readfile(model)
    if not bytes then return fail("cannot read model " .. tostring(rerr)) end
    ok, err = t:model(bytes, model)
    if not ok then return fail(err) end
  end
  return t
end

local default
--- The shared default tagger, made on first use.
function M.default()
  if not default then
    local err
    default, err = M.new()
    if not default then error("tidings: the default tagger failed: " .. tostring(err), 0) end
  end
  return default
end

-- tagger:analyze(text [, opts]) -> Doc whose entities() uses the tagger
local methods = core.tagger_methods()
function methods.analyze(self, text, opts)
  local tidings = require "tidings"
  local doc, err = tidings.analyze(text, opts)
  if not doc then return nil, err end
  return core.entities_bind(doc, self)
end

return M
