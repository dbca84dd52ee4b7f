-- bench/model_load.lua: how long the bundled model takes to load (the unit
-- tests only check that it loads).
--
--   lua5.4 bench/model_load.lua [MODEL]     (default data/model/ner.bin)
--
-- Run from the repository root after `make build`.  Prints the best of ten
-- loads, CPU time (os.clock), reading the file not included.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/5.4/?.so;" .. package.cpath
local core = require "tidings.core"

local path = arg[1] or "data/model/ner.bin"
local f = assert(io.open(path, "rb"))
local data = f:read("*a")
f:close()
local best = math.huge
for _ = 1, 10 do
  local t = os.clock()
  local m = assert(core.model_load(data))
  t = os.clock() - t
  if t < best then best = t end
  m = nil
  collectgarbage()
end
print(("%s: %.1f MB, loaded in %.1f ms (best of 10, CPU time)"):format(path, #data / 1e6, best * 1000))
