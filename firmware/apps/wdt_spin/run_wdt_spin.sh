#!/bin/sh
# firmware/apps/wdt_spin/run_wdt_spin.sh ESPSIM APP.elf REASON MIN_S MAX_S [ROM_CAUSE]
# Test firmware_run_wdt_spin (and _locked): runs the app on the esp8266 machine until it prints
# "WDT_RESET_SEEN reason=REASON" (virtual timeout 20 s) and checks
#   - exit code 0 (the text was seen);
#   - the ROM's boot banner (" ets Jan  8 2013,rst cause:") appears twice: a second boot;
#   - the watchdog reset came MIN_S..MAX_S seconds (virtual) after "spinning";
#   - with ROM_CAUSE, the second banner says "rst cause:ROM_CAUSE".
set -u
espsim=$1 elf=$2 reason=$3 min_s=$4 max_s=$5 rom_cause=${6:-}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$espsim" run "$elf" --timeout 20s --timeout-wall 300s --timestamps \
  --until "WDT_RESET_SEEN reason=$reason" >"$out" 2>&1
rc=$?
cat "$out"; echo
status=0
fail() { echo "run_wdt_spin: $elf: $*" >&2; status=1; }
[ "$rc" -eq 0 ] || fail "exit code $rc, expected 0 (\"WDT_RESET_SEEN reason=$reason\" not seen)"
banners=$(grep -c 'ets Jan  8 2013,rst cause:' "$out")
[ "$banners" -ge 2 ] || fail "boot banner seen $banners times, expected a second boot"
# virtual time of "spinning" and of the second banner: "[   3.456789] text"
times=$(awk -F'[][]' '
  /spinning$/ && !s { s = $2 + 0 }
  /ets Jan  8 2013,rst cause:/ { n++; if (n == 2) b = $2 + 0 }
  END { printf "%s %s\n", s, b }' "$out")
set -- $times
if [ $# -eq 2 ]; then
  awk -v s="$1" -v b="$2" -v lo="$min_s" -v hi="$max_s" 'BEGIN {
    d = b - s; printf "run_wdt_spin: reset %.6f s after \"spinning\" (expected %s..%s s)\n", d, lo, hi
    exit !(d >= lo && d <= hi) }' || fail "reset not within $min_s..$max_s s of \"spinning\""
else
  fail "no \"spinning\" line or no second banner"
fi
if [ -n "$rom_cause" ]; then
  second=$(grep 'ets Jan  8 2013,rst cause:' "$out" | sed -n 2p)
  case $second in
  *"rst cause:$rom_cause,"*) ;;
  *) fail "second banner \"$second\" lacks rst cause:$rom_cause" ;;
  esac
fi
grep -q "rst_info.reason $reason" "$out" || fail "no \"rst_info.reason $reason\" line"
exit $status
