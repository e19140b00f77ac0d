#!/usr/bin/env bash
# tests/radio/nodes100.sh ESPSIM FIRMWARE_DIR OUT
# 100 ESP-NOW nodes in one world (issue 10: "tested to 100"): each broadcasts 10 frames, one a
# second, starts spread 9 ms apart, with radio.rx_broadcast so they hear each other. Every node
# must finish with sent 10, send_ok 10; air.pcap must hold the 1000 frames; every node must
# receive at least 95 % of the 990 broadcasts of the others (collisions take the rest).
set -euo pipefail
espsim=$1 fw=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
y="$out/nodes100.yaml"
{
    echo "version: 1"
    echo "name: nodes100"
    echo "seed: 100"
    echo "duration: 13s"
    echo "radio: {model: perfect, rx_broadcast: true, rx_queue: 32}"
    echo "nodes:"
    for i in $(seq 0 99); do
        echo "  - {name: n$i, firmware: espnow_node.elf, config: {role: broadcaster, count: 10, interval: 1000, start: $((500 + 9 * i)), wait: 1500}}"
    done
    echo "expect:"
    for i in $(seq 0 99); do
        echo "  - counter: {node: n$i, pattern: \"done sent 10 received [0-9]+ send_ok 10 send_fail 0 send_err 0\", min: 1, max: 1}"
    done
} >"$y"
"$espsim" run "$y" --firmware-path "$fw" --out "$out/run" >/dev/null
grep -q "^radio: 1000 frames in air.pcap$" "$out/run/summary.txt" ||
    { echo "nodes100: expected 1000 frames in air.pcap:" >&2; grep '^radio:' "$out/run/summary.txt" >&2; exit 1; }
low=$(grep -ho "done sent 10 received [0-9]*" "$out"/run/*.uart.log | awk '$5 < 941 { n++ } END { print n + 0 }')
[ "$low" -eq 0 ] || { echo "nodes100: $low nodes received fewer than 941 of 990 broadcasts" >&2; exit 1; }
echo "nodes100: 100 nodes, 1000 broadcasts, every node received >= 95 %"
