-- bench/numbers.lua: what doc:numbers() adds to tidings.analyze on news text.
--
--   lua5.4 bench/numbers.lua [FILE]      (default ../shared/data/news_text/wikinews_tosca.txt)
--
-- The file is cut at blank lines into blocks (titles and paragraphs); every
-- block is analysed, then analysed again with doc:numbers().  The best of
-- three runs is reported (CPU time, os.clock).
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local tidings = require "tidings"

local path = arg[1] or "../shared/data/news_text/wikinews_tosca.txt"
local f = io.open(path, "rb")
if not f then
  print("bench/numbers.lua: " .. path .. " not found (the shared data is absent): nothing to measure")
  os.exit(0)
end
local text = f:read("*a")
f:close()

local blocks = {}
for b in (text .. "\n\n"):gmatch("(.-)\n\n") do if #b > 0 then blocks[#blocks + 1] = b end end

local best_a, best_n, count = math.huge, math.huge, 0
for _ = 1, 3 do
  local t0 = os.clock()
  for _, s in ipairs(blocks) do tidings.analyze(s) end
  local t1 = os.clock()
  count = 0
  for _, s in ipairs(blocks) do count = count + #tidings.analyze(s):numbers() end
  local t2 = os.clock()
  best_a = math.min(best_a, t1 - t0)
  best_n = math.min(best_n, (t2 - t1) - (t1 - t0))
end
print(("%d blocks, %.1f MB: analyze %.3f s; doc:numbers() adds %.3f s (+%.0f%%); %d results")
  :format(#blocks, #text / 1e6, best_a, best_n, 100 * best_n / best_a, count))
