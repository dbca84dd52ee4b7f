#!/usr/bin/env bash
# Render the HTML report of corpus/ in headless Chromium and fail on a blank
# or broken page: the DOM (after rendering) must hold every section and the
# three SVG charts, and the screenshot must not be (nearly) uniform.
#   tools/check_html_report.sh [LUA] [SCREENSHOT.png]   (default lua5.4, a temp file)
# `make report-png` passes doc/report.png to refresh the README's screenshot.
# Needs Debian's chromium.  Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
LUA=${1:-lua5.4}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SHOT=${2:-$T/report.png}
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then echo "html check: chromium is not installed (apt-get install chromium)"; exit 2; fi
$LUA bin/tidings report corpus/ --quiet --format html --title "Istanbul talks, May 2025: five outlets compared" \
  -o "$T/report.html" || { echo "html check: tidings report failed"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$T/profile" --window-size=1280,2000)
timeout 120 "$CHROME" "${flags[@]}" --dump-dom "file://$T/report.html" > "$T/dom.html" 2> "$T/chrome.log"
timeout 120 "$CHROME" "${flags[@]}" --screenshot="$SHOT" "file://$T/report.html" >> "$T/chrome.log" 2>&1
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok    $1"; else failed=$((failed + 1)); echo "FAIL  $1"; fi; }
for id in overview entities numbers quotes duplicates; do
  check "rendered DOM has section #$id" "grep -q 'id=\"$id\"' '$T/dom.html'"
done
check "rendered DOM has the entity bar chart and co-occurrence graph (SVG)" "[ \$(grep -o '<svg ' '$T/dom.html' | wc -l) -ge 2 ]"
check "rendered DOM has the timeline (or says there are no dated events)" "grep -q -e 'aria-label=\"Timeline\"' -e 'No dated events' '$T/dom.html'"
check "rendered DOM names Vladimir Putin" "grep -q 'Vladimir Putin' '$T/dom.html'"
check "screenshot was written" "[ -s '$SHOT' ]"
# A blank 1280x2000 page compresses to a few kB; the report is far larger.
check "screenshot is not blank (> 40 kB of PNG)" "[ \$(stat -c %s '$SHOT' 2>/dev/null || echo 0) -gt 40000 ]"
# Distinct colours in a sample of pixel rows (python3 when present: PNG decode with zlib).
if command -v python3 >/dev/null; then
  check "screenshot has many colours" "python3 - '$SHOT' <<'PY'
import sys, zlib, struct
d = open(sys.argv[1], 'rb').read()
pos, idat, w, h = 8, b'', 0, 0
while pos < len(d):
    n, t = struct.unpack('>I4s', d[pos:pos+8]); body = d[pos+8:pos+8+n]; pos += 12 + n
    if t == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif t == b'IDAT': idat += body
raw = zlib.decompress(idat)
bpp = 4 if ctype == 6 else 3
stride = w * bpp + 1
colours = set()
for y in range(0, h, 97):
    row = raw[y * stride + 1:(y + 1) * stride]   # filtered bytes: still a fair sample
    colours.update(row[i:i + bpp] for i in range(0, len(row), bpp * 7))
sys.exit(0 if len(colours) > 50 else 1)
PY"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
