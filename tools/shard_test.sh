#!/usr/bin/env bash
# Shard test: split corpus/ and a larger generated set with GNU parallel,
# aggregate each shard anywhere, merge, and check the merged report equals
# the single run, byte for byte (json and md).  Also checks --jobs.
#   tools/shard_test.sh [LUA] [N_GENERATED]      (default lua5.4, 300)
# Needs GNU parallel (Debian: parallel).  Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
LUA=${1:-lua5.4}
NGEN=${2:-300}
if ! command -v parallel >/dev/null; then echo "shard test: GNU parallel is not installed (apt-get install parallel)"; exit 2; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/gen"
$LUA tools/gen_corpus.lua "$NGEN" "$T/gen" || exit 2
passed=0 failed=0
check() { # name file-a file-b
  if cmp -s "$2" "$3"; then passed=$((passed + 1)); echo "ok    $1"
  else failed=$((failed + 1)); echo "FAIL  $1"; diff "$2" "$3" | head -5; fi
}
for set in corpus "$T/gen"; do
  name=$(basename "$set")
  for fmt in json md; do
    $LUA bin/tidings report --quiet --format $fmt "$set" > "$T/single.$fmt"
  done
  for shards in 2 4 7; do
    # report partials, one per shard, run by GNU parallel, merged in reverse order
    parallel --will-cite -j 2 "$LUA bin/tidings report --quiet --format partial --shard {}/$shards $set > $T/part.{}" ::: $(seq 1 $shards)
    for fmt in json md; do
      $LUA bin/tidings merge --format $fmt $(ls "$T"/part.* | sort -r) > "$T/merged.$fmt"
      check "$name: $shards report shards merged == single ($fmt)" "$T/single.$fmt" "$T/merged.$fmt"
    done
    # merge of merges (associativity): first half, second half, then both
    half=$(( (shards + 1) / 2 ))
    $LUA bin/tidings merge --format partial $(ls "$T"/part.* | sort | head -n $half) > "$T/left.json"
    $LUA bin/tidings merge --format partial $(ls "$T"/part.* | sort | tail -n +$((half + 1))) > "$T/right.json"
    $LUA bin/tidings merge --format json "$T/right.json" "$T/left.json" > "$T/merged2.json"
    check "$name: $shards shards, merge of merges == single" "$T/single.json" "$T/merged2.json"
    rm -f "$T"/part.*
    # extract shards (the pure mapper) concatenated in any order, then merged
    parallel --will-cite -j 2 "$LUA bin/tidings extract --quiet --no-text --shard {}/$shards $set > $T/x.{}" ::: $(seq 1 $shards)
    cat $(ls "$T"/x.* | sort -r) > "$T/x.all"
    $LUA bin/tidings merge --format json "$T/x.all" > "$T/merged3.json" 2>/dev/null
    # without the text, contexts are empty: compare against a no-text single run
    $LUA bin/tidings extract --quiet --no-text "$set" > "$T/x.single"
    $LUA bin/tidings merge --format json "$T/x.single" > "$T/single3.json"
    check "$name: $shards extract shards merged == single extract merged" "$T/single3.json" "$T/merged3.json"
    rm -f "$T"/x.*
  done
  $LUA bin/tidings report --quiet --format json --jobs 2 "$set" > "$T/jobs.json"
  check "$name: --jobs 2 == single" "$T/single.json" "$T/jobs.json"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
