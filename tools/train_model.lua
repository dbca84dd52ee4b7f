-- tools/train_model.lua: the recipe of the bundled model, data/model/ner.bin.
--
--   make build
--   LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="build/5.4/?.so;;" \
--     lua5.4 tools/train_model.lua [DATA_DIR] [--clusters]
--
-- DATA_DIR defaults to ../shared/data.  With --clusters the word clusters
-- (data/model/clusters.tsv) are first made again from Wikinews and the
-- CoNLL-2003 training text (about 7 minutes; tools/clusters.lua).  Training
-- takes about a minute: CoNLL-2003 train documents only; the dev documents
-- (testa) choose the epoch and are never trained on.  Same data, same seed:
-- the same bytes.  With the prediction history, four first-pass models are
-- trained first (each without a quarter of the documents) to give every
-- training document the history of a model that has not seen it.  See
-- data/model/README.md for the figures.
local train = require "tidings.train"

local data = "../shared/data"
local reclusters = false
for i = 1, #arg do
  if arg[i] == "--clusters" then reclusters = true else data = arg[i] end
end
local f = io.open(data .. "/conll2003/train.docs.jsonl", "rb")
if not f then
  io.stderr:write("tools/train_model.lua: " .. data .. "/conll2003 not found (the shared data is absent)\n")
  os.exit(1)
end
f:close()

if reclusters then
  assert(os.execute("cc -O2 -o build/clusters tools/clusters.c -lm"))
  local cmd = "CLUSTERS_MIN=2 CLUSTERS_ITERS=8 CLUSTERS_K='64 256 1024' lua5.4 tools/clusters.lua data/model/clusters.tsv " ..
    data .. "/news_text/wikinews_tosca.txt --conll " .. data .. "/conll2003/train.sentences.jsonl"
  print(cmd)
  local ok = os.execute(cmd)
  assert(ok == true or ok == 0, "clustering failed")
end

local res = assert(train.run{
  input = data .. "/conll2003/train.docs.jsonl",
  dev = data .. "/conll2003/testa.docs.jsonl",
  output = "data/model/ner.bin",
  clusters = "data/model/clusters.tsv",
  name = "tidings-ner-conll2003-2",
  epochs = 10, seed = 1, bits = 20,
  history = 4,   -- prediction history from 4 held-out folds (two-pass tagging)
  log = function(line) print(line) end,
})
print(string.format("data/model/ner.bin: %d bytes, epoch %d, dev F1 %s, checksum %08x",
  res.size, res.epoch, train.fmt(res.dev_f1), res.checksum))
