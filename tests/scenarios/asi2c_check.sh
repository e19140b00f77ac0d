#!/bin/sh
# tests/scenarios/asi2c_check.sh ESPSIM FIRMWARE_DIR OUT
# The asi2c link on the wire (issue 9): runs scenarios/asi2c_echo.yaml, has sigrok-cli's I2C
# decoder read signals.vcd (channels pyb_scl, pyb_sda), and checks that
#  - the first exchange, a quiet one, is exactly `S 25 00 00 P` then `S 24 00 00 P`
#    (read from address 0x12, then write to it; protocols.md A.6);
#  - the line "hello over i2c\n" crosses the bus both ways: announced in a header read by the
#    Responder (S 25 0F 00 P), read as its payload, and written back in the echo (S 24 ... P);
#  - every transaction is one of those shapes (no repeated START, no register byte).
# Then runs scenarios/asi2c_crashes.yaml and prints the link's counts.
set -u
espsim=$1 fw=$2 out=$3
here=$(cd "$(dirname "$0")/../../scenarios" && pwd)
fail() { echo "asi2c_check: $*" >&2; exit 1; }
rm -rf "$out"
"$espsim" run "$here/asi2c_echo.yaml" --firmware-path "$fw" --out "$out/echo" >/dev/null ||
  fail "asi2c_echo failed"
vcd=$out/echo/signals.vcd
# one transaction per line: S, the address byte in hex (0x12 << 1 | R/W), data bytes, P
tr=$(sigrok-cli -I vcd:downsample=100:compress=1000 -i "$vcd" -P i2c:scl=pyb_scl:sda=pyb_sda \
       -A i2c=start:repeat-start:stop:address-read:address-write:data-read:data-write |
     awk '/: Start$/ { printf "S" }
          /: Start repeat$/ { printf " Sr" }
          /Address read: / { printf " %02X", ("0x" $NF) * 2 + 1 }
          /Address write: / { printf " %02X", ("0x" $NF) * 2 }
          /Data (read|write): / { printf " %s", toupper($NF) }
          /: Stop$/ { printf " P\n" }') || fail "sigrok-cli cannot decode $vcd"
n=$(echo "$tr" | wc -l)
[ "$n" -ge 20 ] || fail "only $n transactions decoded: $tr"
first=$(echo "$tr" | sed -n 1p) second=$(echo "$tr" | sed -n 2p)
[ "$first" = "S 25 00 00 P" ] || fail "first transaction is '$first', expected 'S 25 00 00 P'"
[ "$second" = "S 24 00 00 P" ] || fail "second transaction is '$second', expected 'S 24 00 00 P'"
hello="68 65 6C 6C 6F 20 6F 76 65 72 20 69 32 63 0A"
echo "$tr" | grep -qx "S 25 0F 00 P" || fail "no header announcing 15 bytes to the Responder"
echo "$tr" | grep -qx "S 25 $hello P" || fail "the Responder never read the line: $tr"
echo "$tr" | grep -qx "S 24 0F 00 P" || fail "no header announcing the 15-byte echo"
echo "$tr" | grep -qx "S 24 $hello P" || fail "the echo never crossed the bus"
bad=$(echo "$tr" | grep -vE '^S 2[45]( [0-9A-F]{2})+ P$' | head -3)
[ -z "$bad" ] || fail "malformed transactions: $bad"
quiet=$(echo "$tr" | grep -cx "S 25 00 00 P")
echo "asi2c_check: $n transactions, $quiet quiet headers; first exchange: $first / $second"
# crashes: the counts
"$espsim" run "$here/asi2c_crashes.yaml" --firmware-path "$fw" --out "$out/crashes" >/dev/null ||
  fail "asi2c_crashes failed (see $out/crashes/summary.txt)"
crashes=$(grep -c '"action":"crash"' "$out/crashes/events.jsonl")
stats=$(grep '"asi2c-stats"' "$out/crashes/events.jsonl" | tail -1 |
        sed 's/.*"nboots":\([0-9]*\).*"lines_tx":\([0-9]*\).*"echoed":\([0-9]*\),"lost":\([0-9]*\),"duplicated":\([0-9]*\),"reordered":\([0-9]*\).*"recovery_max_us":\([0-9]*\).*/nboots \1 lines_tx \2 echoed \3 lost \4 duplicated \5 reordered \6 recovery_max_us \7/')
echo "asi2c_check: crashes $crashes, $stats"
nb=$(echo "$stats" | awk '{ print $2 }') lost=$(echo "$stats" | awk '{ print $8 }')
[ "$nb" = "$crashes" ] || fail "nboots $nb != crashes $crashes"
[ "$lost" -le $((2 * crashes)) ] || fail "lost $lost lines: more than one per direction per crash"
echo "asi2c_check: ok"
