#!/bin/sh
# tests/scenarios/vcd_check.sh ESPSIM FIRMWARE_DIR OUT
# NODE.gpio.vcd is a VCD that sigrok reads (docs/scenarios.md "Outputs"): runs good/gpio.yaml,
# has sigrok-cli parse dut.gpio.vcd (16 channels gpio0..gpio15) and turn it into samples at
# 100 ns, and checks the transitions sigrok sees against the run's own events.jsonl: GPIO4
# falls when the gpio action ran, GPIO5 (the firmware's answer) rises when wait-gpio passed,
# GPIO4 rises at 150 ms (the second action), each within one 100 ns sample.
set -u
espsim=$1 fw=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "vcd_check: $*" >&2; exit 1; }
rm -rf "$out"
"$espsim" run "$here/good/gpio.yaml" --firmware-path "$fw" --out "$out" >/dev/null ||
  fail "the scenario failed"
vcd=$out/dut.gpio.vcd
show=$(sigrok-cli -I vcd:downsample=100 -i "$vcd" --show) || fail "sigrok-cli cannot read $vcd"
echo "$show" | grep -q '^Channels: 16$' || fail "expected 16 channels: $show"
echo "$show" | grep -q '^- gpio15: logic$' || fail "no gpio15 channel: $show"
# transitions as "channel level time_ns" (sample k covers k*100 ns)
trans=$(sigrok-cli -I vcd:downsample=100 -i "$vcd" -C gpio4,gpio5 -O csv |
  awk -F, '/^[01],[01]$/ { if (k && $1 != a) printf "gpio4 %s %d\n", $1, k * 100;
                          if (k && $2 != b) printf "gpio5 %s %d\n", $2, k * 100;
                          a = $1; b = $2; k++ }')
echo "$trans"
# times (ns) from events.jsonl
ev_ns() { grep "$1" "$out/events.jsonl" | head -1 | sed 's/^{"t_ps":\([0-9]*\),.*/\1/' |
          awk '{ printf "%d\n", $1 / 1000 }'; }
act=$(ev_ns '"action":"gpio","pin":4,"level":"0"')
pass=$(ev_ns '"kind":"wait-gpio","result":"pass","detail":"GPIO5 reads 1"')
[ -n "$act" ] && [ -n "$pass" ] || fail "events.jsonl lacks the gpio action or the wait-gpio pass"
near() { # near NAME EXPECTED_NS: the transition NAME ("gpio4 0") is within 100 ns of EXPECTED
  t=$(echo "$trans" | awk -v n="$1" '$1 " " $2 == n { print $3; exit }')
  [ -n "$t" ] || fail "sigrok saw no transition $1"
  awk -v t="$t" -v e="$2" 'BEGIN { d = t - e; if (d < 0) d = -d; exit !(d <= 100) }' ||
    fail "$1 at $t ns, expected $2 ns"
}
act2=$(ev_ns '"action":"gpio","pin":4,"level":"1"')
near "gpio4 0" "$act"
near "gpio5 1" "$pass"
# GPIO4: up when user_init turns the pad pull-up on, down at the first action, up at the second
seq=$(echo "$trans" | awk '$1 == "gpio4" { printf "%s", $2 }')
[ "$seq" = 101 ] || fail "GPIO4 went $seq, expected 1 0 1"
last=$(echo "$trans" | awk '$1 == "gpio4" { t = $3 } END { print t }')
awk -v t="$last" -v e="$act2" 'BEGIN { d = t - e; if (d < 0) d = -d; exit !(d <= 100) }' ||
  fail "GPIO4 rose at $last ns, expected $act2 ns"
echo "vcd_check: ok"
