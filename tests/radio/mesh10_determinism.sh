#!/usr/bin/env bash
# tests/radio/mesh10_determinism.sh ESPSIM FIRMWARE_DIR SCENARIO OUT
# espnow_mesh10 three times: alone with `espsim run`, with `espsim test -j 2` next to a copy of
# itself, and alone again while two CPU burners load the host. air.pcap, every NODE.pcap,
# events.jsonl and the UART logs must be byte-identical across the three (issue 10: results
# never depend on host speed, load, thread count or run order).
set -euo pipefail
espsim=$(realpath "$1") fw=$(realpath "$2") scen=$(realpath "$3") out=$4
rm -rf "$out"
mkdir -p "$out/pair"
out=$(cd "$out" && pwd)
"$espsim" run "$scen" --firmware-path "$fw" --out "$out/one" >/dev/null
cp "$scen" "$out/pair/a.yaml"
cp "$scen" "$out/pair/b.yaml"
(cd "$out" && "$espsim" test pair -j 2 --firmware-path "$fw" --out "$out/two" >/dev/null)
burn() { while :; do :; done; }
burn & b1=$!
burn & b2=$!
"$espsim" run "$scen" --firmware-path "$fw" --out "$out/three" >/dev/null
kill "$b1" "$b2" 2>/dev/null || true
wait 2>/dev/null || true
n=0
for f in "$out/one"/*.pcap "$out/one"/events.jsonl "$out/one"/*.uart.log; do
    b=$(basename "$f")
    for other in "$out/two/pair/a/$b" "$out/two/pair/b/$b" "$out/three/$b"; do
        cmp -s "$f" "$other" || { echo "mesh10_determinism: $b differs: $f vs $other" >&2; exit 1; }
    done
    n=$((n + 1))
done
[ "$n" -ge 12 ] || { echo "mesh10_determinism: only $n outputs compared" >&2; exit 1; }
echo "mesh10_determinism: $n files identical over 4 runs"
