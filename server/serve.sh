#!/usr/bin/env bash
# server/serve.sh - run the tidings HTTP service on nginx + its Lua module.
#
#   server/serve.sh [start|stop|conf|check] [options]
#     start        write the configuration and start nginx (default)
#     stop         stop the nginx running under the prefix (waits for it)
#     conf         only write PREFIX/conf/nginx.conf
#     check        exit 0 if nginx and its Lua module are installed, else say why
#   options:
#     --prefix DIR     nginx prefix: conf/, logs/, tmp/ (default build/server)
#     --port N         loopback port (default 8642)
#     --workers N      worker processes (default: number of cores)
#     --max-body N     bytes (default 4194304)
#     --max-document N bytes of one document's text (default 262144)
#     --budget S       seconds of work per request (default 10)
#     --foreground     stay in the foreground (Ctrl-C stops it); default for `make serve`
#
# Needs Debian's nginx and libnginx-mod-http-lua, and build/jit/tidings/core.so (make build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
action=start
prefix=$root/build/server port=8642 workers=$(nproc 2>/dev/null || echo 2)
max_body=4194304 max_document=262144 budget=10 foreground=0
case "${1:-}" in start|stop|conf|check) action=$1; shift ;; esac
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --max-body) max_body=$2; shift 2 ;;
    --max-document) max_document=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --foreground) foreground=1; shift ;;
    *) echo "serve.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for v in "$port" "$workers" "$max_body" "$max_document" "$budget"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "serve.sh: '$v' is not a whole number" >&2; exit 2; }
done
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

# another nginx or module folder: NGINX=/path/to/nginx NGINX_MODULES=/path/to/modules
nginx_bin=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
moddir=${NGINX_MODULES:-/usr/lib/nginx/modules}
have() {
  [ -x "$nginx_bin" ] || { echo "nginx is not installed (apt-get install nginx libnginx-mod-http-lua)"; return 1; }
  [ -f "$moddir/ngx_http_lua_module.so" ] ||
    { echo "nginx's Lua module is not installed (apt-get install libnginx-mod-http-lua)"; return 1; }
  [ -f "$root/build/jit/tidings/core.so" ] ||
    { echo "build/jit/tidings/core.so is missing (make build; needs luajit and libluajit-5.1-dev)"; return 1; }
}

write_conf() {
  local load="" daemon="" buffer="buffer=64k flush=1s"
  [ -f "$moddir/ndk_http_module.so" ] && load="load_module $moddir/ndk_http_module.so;"$'\n'
  load+="load_module $moddir/ngx_http_lua_module.so;"
  [ "$foreground" = 1 ] && daemon="daemon off;"
  mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp"
  local tmpl
  tmpl=$(<"$root/server/nginx.conf.in")
  tmpl=${tmpl//@LOAD_MODULES@/$load}
  tmpl=${tmpl//@DAEMON@/$daemon}
  tmpl=${tmpl//@WORKERS@/$workers}
  tmpl=${tmpl//@LISTEN@/127.0.0.1:$port}
  tmpl=${tmpl//@ROOT@/$root}
  tmpl=${tmpl//@MAX_BODY@/$max_body}
  tmpl=${tmpl//@MAX_DOCUMENT@/$max_document}
  tmpl=${tmpl//@BUDGET@/$budget}
  tmpl=${tmpl//@ACCESS_LOG_BUFFER@/$buffer}
  printf '%s\n' "$tmpl" >"$prefix/conf/nginx.conf"
  # workers run as the master's user when it is not root; as root, nginx
  # would switch to "nobody", who must be able to read the tree
  if [ "$(id -u)" = 0 ]; then
    sed -i "1i user $(id -un) $(id -gn);" "$prefix/conf/nginx.conf"
  fi
}

run_nginx() { "$nginx_bin" -p "$prefix/" -c "$prefix/conf/nginx.conf" -e "$prefix/logs/error.log" "$@"; }

case $action in
  check) have ;;
  conf) write_conf; echo "$prefix/conf/nginx.conf" ;;
  stop)
    pidfile=$prefix/logs/nginx.pid
    [ -f "$pidfile" ] || { echo "serve.sh: no nginx running under $prefix"; exit 0; }
    pid=$(<"$pidfile")
    run_nginx -s quit 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
    kill -TERM "$pid" 2>/dev/null || true
    ;;
  start)
    msg=$(have) || { echo "serve.sh: $msg" >&2; exit 3; }
    write_conf
    run_nginx -t -q || { echo "serve.sh: the configuration does not load (see above)" >&2; exit 3; }
    echo "tidings on http://127.0.0.1:$port/v1/health ($workers workers; logs in $prefix/logs)" >&2
    if [ "$foreground" = 1 ]; then exec "$nginx_bin" -p "$prefix/" -c "$prefix/conf/nginx.conf" -e "$prefix/logs/error.log"; fi
    run_nginx
    ;;
esac
