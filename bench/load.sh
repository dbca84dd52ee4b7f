#!/usr/bin/env bash
# bench/load.sh - load test of the HTTP service (server/) with wrk, on loopback only.
#
#   bench/load.sh [--requests N] [--max-seconds S] [--connections C] [--body FILE]
#
# Starts nginx (server/serve.sh) under a temporary prefix, POSTs one document
# (default: corpus/001_a06a34d55f99ecc1.txt, 3.3 kB) to /v1/extract until about
# N requests (default 100000) have been answered or S seconds (default 300) have
# passed, then stops nginx.  Prints a Markdown table:
#   throughput in documents/s and MB/s, p50/p90/p99 latency, errors and non-2xx,
#   worker RSS before and after, worker CPU seconds, and the in-process
#   throughput of the same work (report.record + JSON, LuaJIT, one core) for
#   comparison: "per worker CPU-second" against "in-process per CPU-second".
# Needs: nginx, libnginx-mod-http-lua, wrk, luajit, curl; build/jit (make build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requests=100000 max_seconds=300 connections=8
body=$root/corpus/001_a06a34d55f99ecc1.txt
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) requests=$2; shift 2 ;;
    --max-seconds) max_seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --body) body=$2; shift 2 ;;
    *) echo "load.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in wrk curl luajit; do
  command -v $tool >/dev/null || { echo "load.sh: $tool is not installed (make deps)" >&2; exit 3; }
done
msg=$("$root/server/serve.sh" check) || { echo "load.sh: $msg" >&2; exit 3; }
[ -f "$body" ] || { echo "load.sh: no such file $body" >&2; exit 2; }

workers=$(nproc 2>/dev/null || echo 2)
prefix=$(mktemp -d /tmp/tidings-load.XXXXXX)
port=$(( 30000 + RANDOM % 20000 ))
url=http://127.0.0.1:$port/v1/extract
cleanup() { "$root/server/serve.sh" stop --prefix "$prefix" >/dev/null 2>&1 || true; rm -rf "$prefix"; }
trap cleanup EXIT

"$root/server/serve.sh" start --prefix "$prefix" --port "$port" --workers "$workers" 2>/dev/null
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/v1/health" && break; sleep 0.1; done
master=$(<"$prefix/logs/nginx.pid")
worker_pids() { ps -o pid= --ppid "$master" | tr -d ' '; }
rss_kb() { local t=0 p; for p in $(worker_pids); do t=$(( t + $(ps -o rss= -p "$p" | tr -d ' ') )); done; echo $t; }
cpu_ticks() { local t=0 p; for p in $(worker_pids); do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo $t; }
hz=$(getconf CLK_TCK)

# check the answer once, then warm up every worker
curl -sf -o /dev/null --data-binary @"$body" "$url" || { echo "load.sh: the service did not answer" >&2; exit 3; }
wrk -t2 -c"$connections" -d2s -s "$root/bench/load.lua" "$url" -- "$body" >/dev/null
rss_before=$(rss_kb)
cpu_before=$(cpu_ticks)

# a short run to estimate the rate, then the long one
run() { wrk -t2 -c"$connections" -d"$1"s --latency -s "$root/bench/load.lua" "$url" -- "$body"; }
probe=$(run 5 | grep '^LOAD')
rate=$(sed -E 's/.*requests=([0-9]+) duration_us=([0-9]+).*/\1 \2/' <<<"$probe" | awk '{printf "%d", $1 / ($2 / 1e6)}')
seconds=$(( (requests + rate - 1) / (rate > 0 ? rate : 1) - 5 ))
[ "$seconds" -lt 1 ] && seconds=1
[ "$seconds" -gt "$max_seconds" ] && seconds=$max_seconds
out=$(run "$seconds")
line=$(grep '^LOAD' <<<"$out")
rss_after=$(rss_kb)
cpu_after=$(cpu_ticks)

get() { sed -E "s/.*[ ]$1=([0-9]+).*/\1/" <<<" $line"; }
getp() { sed -E "s/.*[ ]$1=([0-9]+).*/\1/" <<<" $probe"; }
n=$(( $(get requests) + $(getp requests) ))
dur_us=$(( $(get duration_us) + $(getp duration_us) ))
errors=$(( $(get errors) + $(getp errors) ))
non2xx=$(( $(get non2xx) + $(getp non2xx) ))
size=$(stat -c %s "$body")

# the same work in one process (LuaJIT, one core), for comparison
inproc=$(cd "$root" && LOAD_BODY="$body" luajit -e '
  package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
  package.cpath = "build/jit/?.so;" .. package.cpath
  local td, report, json, corpus = require "tidings", require "tidings.report", require "tidings.json", require "tidings.corpus"
  local f = assert(io.open(os.getenv("LOAD_BODY"), "rb")); local text = f:read("*a"); f:close()
  local function once()
    local rec = { id = "stdin", path = "-", format = "text", text = text, meta = {}, title = corpus.guess_title(text, "text") }
    return json.encode(report.record(rec, td, {}))
  end
  for _ = 1, 50 do once() end
  local n, t0 = 0, os.clock()
  while os.clock() - t0 < 5 do once(); n = n + 1 end
  io.write(string.format("%d", n / (os.clock() - t0)))')

awk -v n="$n" -v us="$dur_us" -v size="$size" -v err="$errors" -v non="$non2xx" \
    -v p50="$(get p50_us)" -v p90="$(get p90_us)" -v p99="$(get p99_us)" -v max="$(get max_us)" \
    -v rb="$rss_before" -v ra="$rss_after" -v cb="$cpu_before" -v ca="$cpu_after" -v hz="$hz" \
    -v w="$workers" -v c="$connections" -v inproc="$inproc" -v cores="$(nproc)" -v body="${body#$root/}" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
BEGIN {
  s = us / 1e6; rate = n / s; cpu = (ca - cb) / hz
  printf "## HTTP service load test (bench/load.sh)\n\n"
  printf "POST /v1/extract, body %s (%d bytes), %d nginx workers, wrk -t2 -c%d, loopback, %d cores shared by wrk and nginx.\n\n", body, size, w, c, cores
  printf "| measure | value |\n|---|---:|\n"
  printf "| machine load average (1/5/15 min) at the end | %s |\n", load
  printf "| requests answered | %d in %.1f s |\n", n, s
  printf "| throughput | %.0f documents/s, %.2f MB/s of input |\n", rate, rate * size / 1e6
  printf "| latency p50 / p90 / p99 / max | %.1f / %.1f / %.1f / %.1f ms |\n", p50 / 1000, p90 / 1000, p99 / 1000, max / 1000
  printf "| socket errors / non-2xx answers | %d / %d |\n", err, non
  printf "| worker RSS (all workers) before / after | %.1f / %.1f MB (%+.1f MB) |\n", rb / 1024, ra / 1024, (ra - rb) / 1024
  printf "| worker CPU time | %.1f s: %.0f documents per worker CPU-second |\n", cpu, (cpu > 0 ? n / cpu : 0)
  printf "| in-process, same work, one core (LuaJIT) | %d documents per CPU-second |\n", inproc
  if (inproc > 0 && cpu > 0) printf "| service per CPU-second / in-process | %.0f%% (target >= 80%%) |\n", 100 * (n / cpu) / inproc
}'
