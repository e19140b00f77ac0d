#!/usr/bin/env python3
"""Checks rtc_clock's readings in a scenario run against the RTC model's prediction.

usage: rtc_check.py OUT_DIR NODE:PPM [NODE:PPM ...]

For each NODE (crystal exact, RTC error PPM, powered on at t = 0) it reads OUT_DIR/events.jsonl:
  - the RC period the model runs at: 6.496 us * 10^9 / (10^9 + ppm * 1000) (models/esp8266/rtc.h),
    so the true calibration is cal_true = 4096 * period_us;
  - the firmware's cal (rtc_clock's "cal=" field) must be within the calibration jitter
    (100 ppm) plus one count of quantisation of cal_true;
  - its last "t=" reading must equal true time * cal / cal_true (what the firmware computes from
    an exact counter with the cal it measured) to within 20 ms: this is where a wrong counter
    rate, a lost or extra wrap (7.75 h) or a bad missed-overflow correction shows;
  - its wraps count must be floor(true ticks / 2^32), and each "wrap N" line must come within
    61 s after the model's N-th overflow (rtc_clock reads the counter once a minute).
Prints the predicted and the observed error of each node. Exit 1 on any mismatch.
"""
import json
import re
import sys

NOMINAL_PS = 6496000
REPORT = re.compile(r"^rtc_clock: t=(\d+) up=(\d+) ticks=(\d+) wraps=(\d+) cal=(\d+)$")
WRAP = re.compile(r"^rtc_clock: wrap (\d+) at ")


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    lines = {}
    with open(f"{out}/events.jsonl") as f:
        for raw in f:
            e = json.loads(raw)
            if e["event"] == "uart":
                lines.setdefault(e["node"], []).append((e["t_ps"], e["text"]))
    bad = 0
    for spec in specs:
        node, ppm = spec.split(":")
        ppb = int(ppm) * 1000
        period_ps = NOMINAL_PS * 1e9 / (1e9 + ppb)
        cal_true = 4096 * period_ps / 1e6
        reports = [(t, REPORT.match(x)) for t, x in lines.get(node, []) if REPORT.match(x)]
        wraps = [(t, int(WRAP.match(x).group(1))) for t, x in lines.get(node, []) if WRAP.match(x)]
        if not reports:
            print(f"FAIL {node}: no rtc_clock report")
            bad = 1
            continue
        t_ps, m = reports[-1]
        t_fw, cal, nwraps = int(m.group(1)), int(m.group(5)), int(m.group(4))
        t_true = t_ps / 1e6
        predicted = t_true * cal / cal_true
        problems = []
        if abs(cal - cal_true) > cal_true * 100e-6 + 1:
            problems.append(f"cal {cal} is not within 100 ppm + 1 of {cal_true:.2f}")
        if abs(t_fw - predicted) > 20000:
            problems.append(f"t={t_fw} us, predicted {predicted:.0f} us")
        ticks = t_ps / period_ps
        if nwraps != int(ticks // 2**32):
            problems.append(f"wraps={nwraps}, the model's counter wrapped {int(ticks // 2**32)} times")
        for tw, n in wraps:
            expect = n * 2**32 * period_ps
            if not 0 <= tw - expect <= 61e12:
                problems.append(f"wrap {n} seen at {tw / 1e12:.3f} s, overflow at {expect / 1e12:.3f} s")
        print(f"{'FAIL' if problems else 'ok  '} {node}: rtc {ppm} ppm, cal {cal} "
              f"(true {cal_true:.2f}), at {t_true / 1e6:.3f} s: error {(t_fw - t_true) / 1e6:+.6f} s, "
              f"predicted {(predicted - t_true) / 1e6:+.6f} s, {nwraps} wraps" +
              ("".join("; " + p for p in problems)))
        bad |= bool(problems)
    return bad


if __name__ == "__main__":
    sys.exit(main())
