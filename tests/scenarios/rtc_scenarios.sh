#!/usr/bin/env bash
# The RTC scenarios, run and checked against the model (rtc_check.py): 24 h of counter overflows
# with and without a missed read, RC errors of +2,000 ppm and -3 %, and deep sleep with and
# without the GPIO16 -> RST wire.
# usage: rtc_scenarios.sh ESPSIM FIRMWARE_DIR OUT_DIR
set -u
espsim=$1 fw=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
sc=$here/../../scenarios
fail=0
for name in rtc_overflow_24h rtc_drift deep_sleep_cycle; do
    if ! "$espsim" run "$sc/$name.yaml" --firmware-path "$fw" --out "$out/$name"; then
        echo "FAIL $name: the scenario failed"
        fail=1
    fi
done
python3 "$here/rtc_check.py" "$out/rtc_overflow_24h" reader:0 sleepy:0 || fail=1
python3 "$here/rtc_check.py" "$out/rtc_drift" fast:2000 slow:-30000 || fail=1
# the unwired node's alarm fired and it stayed asleep; the wired one never logged that
ev=$out/deep_sleep_cycle/events.jsonl
if grep -q '"node":"unwired","event":"rtc-alarm","wake":false' "$ev" &&
    ! grep -q '"node":"wired","event":"rtc-alarm"' "$ev" &&
    [ "$(grep -c '"node":"wired","event":"deep-sleep"' "$ev")" = 3 ]; then
    echo "ok   deep_sleep_cycle: 3 sleeps and wakes of 'wired', 'unwired' slept through its alarm"
else
    echo "FAIL deep_sleep_cycle: deep-sleep / rtc-alarm events are not as expected"
    fail=1
fi
exit $fail
