#!/usr/bin/env bash
# tests/view/view_check.sh ESPSIM SCENARIO OUT — `espsim view` renders (issue 15): under Xvfb
# when xvfb-run exists, else with SDL's dummy video driver, the demo scenario runs to 16.2 s
# (inside the radio partition, after the responder's crash and reset) and writes a screenshot;
# it must be a PNG of 1100 x 720 pixels, and the run must have written its event log up to then.
set -euo pipefail
espsim=$1 scen=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
run=("$espsim" view "$scen" --speed max --stop-at 16.2s --out "$out/run" --screenshot "$out/view.png")
if command -v xvfb-run >/dev/null 2>&1; then
    xvfb-run -a "${run[@]}" >"$out/log" 2>&1 || true
else
    SDL_VIDEODRIVER=dummy "${run[@]}" >"$out/log" 2>&1 || true
fi
[ -s "$out/view.png" ] || { cat "$out/log" >&2; echo "view_check: no screenshot" >&2; exit 1; }
python3 - "$out/view.png" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", d[16:24])
assert (w, h) == (1100, 720), f"screenshot is {w}x{h}"
PY
grep -q '"action":"partition"' "$out/run/events.jsonl" || { echo "view_check: the run did not reach the partition" >&2; exit 1; }
echo "view_check: rendered $out/view.png"
