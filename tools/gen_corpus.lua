-- tools/gen_corpus.lua N DIR: a larger generated corpus for the shard test.
-- Documents are made by a fixed pseudo-random recombination of the
-- paragraphs of corpus/*.txt (so entities, numbers and quotes recur across
-- documents), plus exact copies every 25th document (near-duplicates).
-- Deterministic: the same N gives the same files on every Lua.
local n, dir = tonumber(arg[1]), arg[2]
assert(n and dir, "usage: lua tools/gen_corpus.lua N DIR")
local paras = {}
local p = io.popen("ls corpus/*.txt")
for path in p:lines() do
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  for para in (text .. "\n\n"):gmatch("(.-)\n%s*\n") do
    if #para > 40 then paras[#paras + 1] = para end
  end
end
p:close()
local seed = 42
local function rand(m) seed = (seed * 48271) % 2147483647; return seed % m + 1 end
local docs = {}
for i = 1, n do
  local out
  if i % 25 == 0 then
    out = docs[i - 1]
  else
    local k = 3 + rand(8)
    local parts = { "Generated report " .. i }
    for _ = 1, k do parts[#parts + 1] = paras[rand(#paras)] end
    out = table.concat(parts, "\n\n") .. "\n"
  end
  docs[i] = out
  local f = assert(io.open(string.format("%s/gen_%04d.txt", dir, i), "wb"))
  f:write(out)
  f:close()
end
