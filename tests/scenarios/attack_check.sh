#!/usr/bin/env bash
# tests/scenarios/attack_check.sh — guest isolation and output limits (docs/reliability.md).
#   1. attack/attack_world.yaml: ten nodes running firmware/apps/attack end with the guest faults
#      the chip reports (checked in events.jsonl: cause, name, EXCVADDR) or keep running, the
#      ESP-NOW pair beside them loses nothing; exit 0.
#   2. limits/*.yaml: every flood stops with exit 5 and one stderr line naming the file and the
#      limit, and the files of the limit's kind add up to exactly the limit.
#   3. `espsim test` over limits/ exits 5 and counts them as output-limit runs.
# usage: attack_check.sh ESPSIM FIRMWARE_DIR SCENARIO_DIR OUT_DIR
set -u
espsim=$1 fw=$2 dir=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
fail=0
bad() { echo "FAIL $*"; fail=1; }

# ---- 1. the attack world ----
w=$out/world
timeout 900 "$espsim" run "$dir/attack/attack_world.yaml" --firmware-path "$fw" --out "$w" \
    --timeout-wall 600s \
    >"$out/world.out" 2>"$out/world.err"
rc=$?
[ "$rc" -eq 0 ] || { bad "attack_world: exit $rc"; cat "$out/world.err"; }
fault() { # NODE TEXT...: the node's fault report in events.jsonl holds every TEXT
    local node=$1 line
    shift
    line=$(grep "\"node\":\"$node\",\"event\":\"fault\"" "$w/events.jsonl")
    [ -n "$line" ] || { bad "attack_world: no fault event for $node"; return; }
    for t in "$@"; do
        case "$line" in *"$t"*) ;; *) bad "attack_world: $node fault report lacks '$t'";; esac
    done
    echo "ok   $node: $(printf '%s' "$line" | sed 's/.*"report":"\([^\\]*\).*/\1/')"
}
fault simcall '"cause":0' 'Exception (0): IllegalInstruction' 'attack_simcall'
fault stack '"cause":3' 'stack pointer outside RAM' 'excvaddr=0x3ffe7ffc'
fault nullsend '"cause":28' 'Exception (28): LoadProhibited' 'excvaddr=0x00000000'
for n in write read jump; do
    fault $n '"cause":3' 'Exception (3): LoadStoreError' 'excvaddr=0x40000000' 'attack_st32'
done
for n in periph uart irq exhaust ping echo; do
    if grep -q "\"node\":\"$n\",\"event\":\"fault\"" "$w/events.jsonl"; then
        bad "attack_world: $n faulted"
    fi
done
n=$(grep -c '"event":"reset"' "$w/events.jsonl")
[ "$n" -ge 100 ] || bad "attack_world: periph rebooted only $n times"
grep -q '"event":"end","exit":0' "$w/events.jsonl" || bad "attack_world: no end event with exit 0"

# ---- the GDB stub listens on the loopback interface only (/proc/net/tcp: 0100007F:PORT, LISTEN) ----
"$espsim" run "$fw/hello.elf" --gdb 0 >/dev/null 2>"$out/gdb.err" &
gpid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/.*waiting for GDB on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/gdb.err")
    [ -n "$port" ] && break
    sleep 0.1
done
if [ -z "$port" ]; then
    bad "gdb: no port printed: $(cat "$out/gdb.err")"
else
    hex=$(printf '%04X' "$port")
    listen=$(awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A" {print $2}' /proc/net/tcp /proc/net/tcp6)
    [ "$listen" = "0100007F:$hex" ] && echo "ok   gdb stub listens on 127.0.0.1:$port only" ||
        bad "gdb: listening sockets on port $port: '$listen'"
fi
kill "$gpid" 2>/dev/null
wait "$gpid" 2>/dev/null

# ---- 2. the limits ----
# check FILE KIND SIZE PATTERN: exit 5; one line; the files matching PATTERN sum to SIZE
check() {
    local f=$1 kind=$2 size=$3 pat=$4 name o rc lines sum
    name=$(basename "$f" .yaml)
    o=$out/$name
    timeout 300 "$espsim" run "$dir/limits/$f" --firmware-path "$fw" --out "$o" --timeout-wall 240s \
        >"$out/$name.out" 2>"$out/$name.err"
    rc=$?
    lines=$(wc -l <"$out/$name.err")
    [ "$rc" -eq 5 ] || { bad "$name: exit $rc, expected 5"; cat "$out/$name.err"; return; }
    [ "$lines" -eq 1 ] || bad "$name: $lines lines on stderr"
    grep -q "^espsim: $dir/limits/$f:[0-9]*: output limit: $o/.* reached limits\.$kind = " \
        "$out/$name.err" || bad "$name: message: $(cat "$out/$name.err")"
    sum=$(find "$o" -maxdepth 1 -type f -regextype posix-extended -regex "$pat" -printf '%s\n' |
          awk '{s += $1} END {print s + 0}')
    [ "$sum" -eq "$size" ] || bad "$name: files $pat hold $sum bytes, expected $size"
    grep -q "\"exit\":5" "$o/events.jsonl" 2>/dev/null || [ "$kind" = events ] ||
        [ "$kind" = output ] || bad "$name: no end event with exit 5"
    grep -q "result: FAIL (exit 5)" "$o/summary.txt" || bad "$name: summary.txt"
    [ "$fail" -eq 0 ] && echo "ok   $name: $(cat "$out/$name.err")"
}
check uart_flood.yaml uart 16384 '.*/flood\.uart\.log'
check events_flood.yaml events 32768 '.*/events\.jsonl'
check vcd_flood.yaml vcd 262144 '.*\.vcd'
check pcap_flood.yaml pcap 65536 '.*\.pcap'
check output_total.yaml output 204800 '.*\.(log|vcd|jsonl|pcap)' # not summary.txt, junit.xml

# --limit replaces the file's limits: the UART log unlimited, events.jsonl at 8 KiB
o=$out/cli-limit
timeout 300 "$espsim" run "$dir/limits/uart_flood.yaml" --firmware-path "$fw" --out "$o" \
    --limit uart=unlimited,events=8K --timeout-wall 240s >/dev/null 2>"$out/cli-limit.err"
rc=$?
size=$(stat -c %s "$o/events.jsonl")
if [ "$rc" -eq 5 ] && [ "$size" -eq 8192 ] && grep -q "^espsim: $dir/limits/uart_flood.yaml: output limit: $o/events.jsonl reached limits.events = 8 KiB (one file, from --limit)" "$out/cli-limit.err"; then
    echo "ok   --limit: $(cat "$out/cli-limit.err")"
else
    bad "--limit: exit $rc, events.jsonl $size bytes: $(cat "$out/cli-limit.err")"
fi

# ---- 3. espsim test ----
timeout 600 "$espsim" test "$dir/limits" -j 2 --firmware-path "$fw" --out "$out/test" \
    --timeout-wall 240s \
    >"$out/test.out" 2>&1
rc=$?
[ "$rc" -eq 5 ] || { bad "espsim test limits/: exit $rc, expected 5"; cat "$out/test.out"; }
grep -q "^output-limit: 5$" "$out/test/summary.txt" || bad "espsim test: summary.txt counts"

[ "$fail" -eq 0 ] && echo "attack_check: all ok"
exit $fail
