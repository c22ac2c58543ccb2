#!/usr/bin/env bash
# Opens an HTML report in headless Chromium, saves a screenshot, and fails (exit 1) on a console
# error or a blank page. Installs Debian's chromium when it is missing.
#   scripts/check-report.sh report.html report.png
set -euo pipefail
html=$(realpath "$1")
png=${2:-${1%.html}.png}
if ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
log=$(mktemp)
profile=$(mktemp -d)
trap 'rm -rf "$log" "$profile"' EXIT
# --enable-logging=stderr prints the page's console messages; --virtual-time-budget lets scripts run.
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --enable-logging=stderr --v=0 --virtual-time-budget=3000 --window-size=1200,2400 \
  --screenshot="$png" "file://$html" >"$log" 2>&1 || { cat "$log"; echo "chromium failed on $html"; exit 1; }
if grep -E 'CONSOLE.*(Uncaught|Error|error)|:ERROR:CONSOLE' "$log" >/dev/null; then
  grep -E 'CONSOLE' "$log"
  echo "console error in $html"
  exit 1
fi
python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, chunks, width, height, ctype = 8, [], 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        chunks.append(body)
    pos += 12 + length
raw = zlib.decompress(b"".join(chunks))
channels = {2: 3, 6: 4}[ctype]
stride = width * channels
rows, previous = [], bytearray(stride)
i = 0
for _ in range(height):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = previous[x]; c = previous[x - channels] if x >= channels else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); previous = line
inked = sum(1 for line in rows[::4] for x in range(0, stride, channels * 4) if min(line[x:x + 3]) < 200)
total = len(rows[::4]) * len(range(0, stride, channels * 4))
share = inked / total
print(f"{sys.argv[1]}: {width}x{height}, {share:.1%} of sampled pixels drawn")
sys.exit(0 if share > 0.02 else "blank page: nothing drawn")
PY
