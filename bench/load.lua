-- bench/load.lua: wrk script for bench/load.sh (wrk embeds LuaJIT).
--   wrk -s bench/load.lua URL -- BODY_FILE CONTENT_TYPE
-- POSTs the file's bytes on every request; at the end prints one line
--   LOAD requests=N duration_us=N bytes_in=N errors=N non2xx=N p50_us=N p90_us=N p99_us=N max_us=N
-- for load.sh to parse (wrk's own summary is printed above it).
local body_file, ctype

function init(args)
  body_file = args[1]
  ctype = args[2] or "text/plain"
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = ctype
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "LOAD requests=%d duration_us=%d bytes_in=%d errors=%d non2xx=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
