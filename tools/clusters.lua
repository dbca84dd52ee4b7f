-- tools/clusters.lua: make the word-cluster file the NER model uses.
--
--   lua tools/clusters.lua OUT.tsv [TEXT ...] [--conll JSONL ...]
--
-- Tokenizes each plain-text file (one paragraph a line) and each CoNLL-style
-- JSONL file (the `tokens` of every sentence) with tidings' own tokenizer,
-- then runs the exchange clustering (tools/clusters.c, compiled to
-- build/clusters) over them.  Environment: CLUSTERS_MIN (default 3),
-- CLUSTERS_ITERS (default 15), CLUSTERS_K (default "64 256 1024").
-- The recipe used for the committed file is in data/model/README.md.
local core = require "tidings.core"
local json = require "tidings.json"

local out = assert(arg[1], "usage: lua tools/clusters.lua OUT.tsv [TEXT ...] [--conll JSONL ...]")
local tmp = os.tmpname()
local f = assert(io.open(tmp, "wb"))
local conll = false
local ntok = 0
for i = 2, #arg do
  local a = arg[i]
  if a == "--conll" then conll = true
  elseif conll then
    for line in io.lines(a) do
      local obj = assert(json.decode(line))
      local toks = core.tokenize(table.concat(obj.tokens, " "))
      ntok = ntok + #toks
      f:write(table.concat(toks, " "), "\n")
    end
  else
    for line in io.lines(a) do
      if line:find("%S") then
        local toks = core.tokenize(line)
        ntok = ntok + #toks
        f:write(table.concat(toks, " "), "\n")
      end
    end
  end
end
f:close()
io.stderr:write("tokens: ", ntok, "\n")
local cmd = string.format("build/clusters %s %s %s < %s > %s",
  os.getenv("CLUSTERS_MIN") or "3", os.getenv("CLUSTERS_ITERS") or "15",
  os.getenv("CLUSTERS_K") or "64 256 1024", tmp, out)
io.stderr:write(cmd, "\n")
local ok = os.execute(cmd)
os.remove(tmp)
if ok ~= true and ok ~= 0 then error("clustering failed") end
