-- tidings.format.json: the report model as one JSON document (sorted keys,
-- two-space indent), for programs.
local json = require "tidings.json"

local M = {}

function M.render(m, opts)
  local t = {}
  for k, v in pairs(m) do
    if k ~= "doc_by_id" then t[k] = v end
  end
  t.tidings_report = 1
  -- the aggregate's bookkeeping is not part of the report
  for _, d in ipairs(m.documents) do d.parts = nil end
  return json.encode(t, { indent = "  " }) .. "\n"
end

return M
