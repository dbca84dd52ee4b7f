#!/usr/bin/env bash
# Runs the busted suite under each Lua given (5.4 5.3 5.2 5.1 jit), the
# rockspec install check, and ends with the line "N passed, N failed".
#   tools/run-tests.sh 5.4 5.1 jit          whole suite, these Luas
#   tools/run-tests.sh --only 5.4 spec/x    one spec path, one Lua
#   tools/run-tests.sh --asan [spec]        suite under ASan/UBSan (lua5.4)
set -u
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
passed=0 failed=0
declare -A bin=([5.4]=lua5.4 [5.3]=lua5.3 [5.2]=lua5.2 [5.1]=lua5.1 [jit]=luajit)

run_busted() {  # version cpath-dir spec [env...]
  local v=$1 cdir=$2 spec=$3; shift 3
  local out
  out=$(mktemp)
  echo "== busted under ${bin[$v]} ($spec)"
  timeout 1800 env "$@" TIDINGS_ROOT="$root" "${bin[$v]}" /usr/bin/busted --lpath="$root/lua/?.lua;$root/lua/?/init.lua" \
    --cpath="$cdir/?.so" -o utfTerminal "$spec" 2>&1 | tee "$out" | tail -n 40
  local line s f e
  line=$(grep -aE '[0-9]+ successes? / [0-9]+ failures? / [0-9]+ errors?' "$out" | tail -n 1)
  if [ -z "$line" ]; then
    echo "!! busted under ${bin[$v]} gave no summary"; failed=$((failed + 1))
  else
    s=$(sed -E 's/.*[^0-9]?([0-9]+) successes?.*/\1/' <<<"$line"); s=${line%% success*}; s=${s##* }
    f=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$line")
    e=$(sed -E 's/.* ([0-9]+) errors?.*/\1/' <<<"$line")
    passed=$((passed + s)); failed=$((failed + f + e))
  fi
  rm -f "$out"
}

check() {  # name command...
  local name=$1; shift
  if "$@" >/tmp/tidings-check.$$ 2>&1; then
    echo "ok   $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; tail -n 20 /tmp/tidings-check.$$; failed=$((failed + 1))
  fi
  rm -f /tmp/tidings-check.$$
}

rockspec_install() {
  local tree
  tree=$(mktemp -d)
  luarocks --lua-version=5.4 make --tree "$tree" rockspec/tidings-scm-1.rockspec >"$tree.log" 2>&1 ||
    { cat "$tree.log"; return 1; }
  (cd / && LUA_PATH="$tree/share/lua/5.4/?.lua;$tree/share/lua/5.4/?/init.lua" \
     LUA_CPATH="$tree/lib/lua/5.4/?.so" lua5.4 -e '
       local t = require "tidings"
       assert(package.searchpath("tidings.core", package.cpath):find("'"$tree"'", 1, true), "not the installed module")
       local doc = t.analyze("Mr. Putin met Erdoğan in Istanbul. Talks ended.")
       assert(#doc == 10 and #doc:sentences() == 2, "unexpected analysis")
       print("installed tidings " .. t._VERSION .. " works from " .. package.searchpath("tidings.core", package.cpath))')
  local rc=$?
  rm -rf "$tree" "$tree.log" csrc/*.o
  # luarocks builds in place: drop the module it left in the source tree
  [ -f tidings/core.so ] && rm -f tidings/core.so && rmdir tidings 2>/dev/null
  return $rc
}

case "${1:-}" in
  --only)
    run_busted "$2" "$root/build/$2" "${3:-spec}"
    ;;
  --asan)
    asan=$(gcc -print-file-name=libasan.so) ubsan=$(gcc -print-file-name=libubsan.so)
    run_busted 5.4 "$root/build/asan" "${2:-spec}" LD_PRELOAD="$asan $ubsan" \
      ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      TIDINGS_SANITIZED=1
    ;;
  *)
    [ $# -gt 0 ] || { echo "no Lua found (run make deps)"; exit 1; }
    for v in "$@"; do run_busted "$v" "$root/build/$v" spec; done
    check "rockspec: luarocks make installs it and require works outside the tree" rockspec_install
    check "sharding: corpus/ and a generated set split with GNU parallel, merged == single run" \
      bash tools/shard_test.sh lua5.4 120
    check "HTML report renders in headless Chromium (sections, charts, not blank)" \
      bash tools/check_html_report.sh lua5.4
    ;;
esac
echo
echo "$passed passed, $failed failed"
# for .ci/run, which adds up the runs
mkdir -p build && echo "$passed $failed" >>build/test-counts
[ "$failed" -eq 0 ]
