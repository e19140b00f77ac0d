#!/usr/bin/env python3
"""tests/nonos/espnow_real_check.py — ESP-NOW between Espressif's real libespnow and espsim's
SDK model (issue 11 acceptance; docs/nonos-sdk.md).

  espnow_real_check.py ESPSIM SDK_DIR FIRMWARE_DIR SCENARIO OUT_DIR

Runs tests/nonos/espnow_real_sdk.yaml: nonos_espnow (linked against the closed SDK) sends 100
frames to espnow_node's echoer, which sends each back. Checks: the scenario passes (the real
side's send callbacks all OK, 100 echoes received with the right bytes), the echoer's link
shows 100 delivered each way, tshark reads air.pcap without warnings (tests/radio/
tshark_check.sh), and the bodies tshark extracts are the 100 pings and their 100 echoes byte for
byte (tests/radio/espnow_check.check_bodies). Exit 77 (skip) without the SDK or tshark.
"""
import os
import re
import shutil
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "radio"))
import espnow_check  # noqa: E402


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    espsim, sdk, fw, scen, out = sys.argv[1:]
    if not sdk or not os.path.isfile(os.path.join(sdk, "lib", "libmain.a")):
        print("SKIPPED: Espressif's ESP8266_NONOS_SDK not found (configure with ESPSIM_NONOS_SDK)")
        return 77
    if not shutil.which("tshark"):
        print("SKIPPED: tshark not found")
        return 77
    espnow_check.run(espsim, fw, scen, out)
    text = open(os.path.join(out, "real.uart.log")).read()
    m = re.search(r"nonos_espnow: done sent (\d+) send_ok (\d+) send_fail (\d+) received (\d+) "
                  r"bad (\d+)", text)
    if not m or m.groups() != ("100", "100", "0", "100", "0"):
        espnow_check.fail(f"real: done line {m.group(0) if m else None}")
    echo = "5c:cf:7f:00:00:02"
    to = espnow_check.summary_link(out, "real", "echoer")
    back = espnow_check.summary_link(out, "echoer", "real")
    if to["delivered"] != 100 or back["delivered"] != 100:
        espnow_check.fail(f"delivered real->echoer {to['delivered']}, back {back['delivered']}")
    pcap = os.path.join(out, "air.pcap")
    espnow_check.tshark_check(os.path.join(here, "..", "radio"), pcap)
    srcs = {f[0] for f in espnow_check.tshark_fields(pcap)} - {echo}
    if len(srcs) != 1 or not next(iter(srcs)).startswith("18:fe:34:"):
        espnow_check.fail(f"sources besides the echoer: {srcs} (expected the SDK's eFuse MAC)")
    pings, echoes = espnow_check.check_bodies(pcap, next(iter(srcs)), echo, 100, 16)
    if (pings, echoes) != (100, 100):
        espnow_check.fail(f"{pings} pings, {echoes} echoes in the capture")
    print(f"espnow_real_check: 100 frames each way, source {next(iter(srcs))}, tshark agrees")
    return 0


if __name__ == "__main__":
    sys.exit(main())
