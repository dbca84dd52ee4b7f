-- server/handler.lua: nginx's Lua module (ngx_http_lua) <-> tidings.http.
-- All the work is in tidings.http (and the C module); this file only moves
-- bytes between nginx and it.  See server/nginx.conf.in.
local http = require "tidings.http"

local M = {}
local opts -- from init (the master), used by init_worker
local service -- one per worker: holds the tagger

--- In the master (init_by_lua): load the Lua and C modules once, before fork.
function M.init(o)
  opts = o or {}
  require "tidings"
  require "tidings.report"
  require "tidings.corpus"
  require "tidings.tagger"
end

--- In each worker (init_worker_by_lua): its service and its tagger.
function M.init_worker()
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.clock = function() ngx.update_time(); return ngx.now() end
  service = http.new(o)
  local seconds = service:warm()
  ngx.log(ngx.INFO, "tidings: worker ", ngx.worker.id(), " ready in ", string.format("%d", seconds * 1000), " ms")
end

local function read_body()
  ngx.req.read_body()
  local body = ngx.req.get_body_data()
  if body then return body end
  local path = ngx.req.get_body_file() -- only when client_body_buffer_size is smaller than the body
  if not path then return nil end
  local f = io.open(path, "rb")
  if not f then return nil end
  body = f:read("*a")
  f:close()
  return body
end

--- content_by_lua: one request.
function M.serve()
  local method = ngx.req.get_method()
  local body = method == "POST" and read_body() or nil
  local args = ngx.req.get_uri_args(32)
  local headers = ngx.req.get_headers(32)
  local status, ctype, out, docs, err = service:handle(method, ngx.var.uri, args, body, headers)
  if err then ngx.log(ngx.ERR, "tidings: ", tostring(err)) end
  ngx.var.tidings_docs = docs or 0
  ngx.status = status
  ngx.header["Content-Type"] = ctype
  ngx.header["Content-Length"] = #out
  if status == 405 then ngx.header["Allow"] = ngx.var.uri == "/v1/health" and "GET, HEAD" or "POST" end
  if method ~= "HEAD" then ngx.print(out) end
end

return M
