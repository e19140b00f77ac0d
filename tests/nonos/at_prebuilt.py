#!/usr/bin/env python3
"""tests/nonos/at_prebuilt.py ESPSIM SDK_DIR WORKDIR — Espressif's prebuilt AT firmware.

A firmware nobody here built (issue 11): the AT firmware that Espressif's SDK repository ships
prebuilt as bin/at/512+512/user1.1024.new.2.bin (AT 1.7.6, SDK 3.0.6-dev). It is not part of
the SDK release and is never committed here: point ESPSIM_AT_FIRMWARE at that file to run this
test; without it the test is skipped (exit 77) and says so.

The flash dump is laid out as that repository's bin/at/README.md says for 8 Mbit: the SDK's
boot_v1.7.bin at 0 (its size byte set to map 2, 512 KB + 512 KB, as the flash tools do),
user1 at 0x1000, esp_init_data_default_v08.bin at 0xFC000, 0xFF elsewhere. A scenario then
injects AT commands into UART0 and waits for the answers (docs/nonos-sdk.md, "Checked by hand").
"""
import os
import subprocess
import sys

FLASH = 0x100000
STEPS = [  # (time, command, regexes of the UART0 lines of the answer, in order)
    ("1s", "AT", [r"^OK$"]),
    ("1500ms", "AT+GMR", [r"^AT version:1\.7\.6\.0\(", r"^SDK version:3\.0\.", r"^OK$"]),
    ("2s", "AT+CWMODE?", [r"^\+CWMODE:2$", r"^OK$"]),
    ("2500ms", "AT+CIPAPMAC?", [r'^\+CIPAPMAC:"1a:fe:34(:[0-9a-f]{2}){3}"$', r"^OK$"]),
]


def yq(text):
    """text as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    espsim, sdk, work = sys.argv[1:4]
    user1 = os.environ.get("ESPSIM_AT_FIRMWARE", "")
    if not user1 or not os.path.isfile(user1):
        print("SKIPPED: set ESPSIM_AT_FIRMWARE to Espressif's prebuilt "
              "bin/at/512+512/user1.1024.new.2.bin to run this test")
        return 77
    boot_path = os.path.join(sdk, "bin", "boot_v1.7.bin")
    init_path = os.path.join(sdk, "bin", "esp_init_data_default_v08.bin")
    if not (os.path.isfile(boot_path) and os.path.isfile(init_path)):
        print(f"SKIPPED: {boot_path} or {init_path} not found (ESPSIM_NONOS_SDK)")
        return 77
    os.makedirs(work, exist_ok=True)
    flash = bytearray(b"\xff" * FLASH)
    boot = bytearray(open(boot_path, "rb").read())
    boot[3] = (2 << 4) | (boot[3] & 0x0F)  # size map 2: 8 Mbit, 512 KB + 512 KB
    app = open(user1, "rb").read()
    init = open(init_path, "rb").read()
    flash[0:len(boot)] = boot
    flash[0x1000:0x1000 + len(app)] = app
    flash[0xFC000:0xFC000 + len(init)] = init
    with open(os.path.join(work, "at_flash.bin"), "wb") as f:
        f.write(flash)

    yaml = ["version: 1", "name: at-prebuilt", "seed: 1", "duration: 4s",
            "outputs: {vcd: false}", "nodes:", "  - {name: esp, flash: at_flash.bin}",
            "timeline:"]
    for at, cmd, _ in STEPS:
        yaml.append(f'  - {{at: {at}, action: uart-inject, node: esp, text: "{cmd}\\r\\n"}}')
    yaml += ["expect:", '  - wait-serial: {node: esp, pattern: "^ready$", timeout: 1s}']
    for _, _, lines in STEPS:
        for pat in lines:
            yaml.append(f"  - wait-serial: {{node: esp, pattern: {yq(pat)}, timeout: 1s}}")
    yaml.append('  - counter: {node: esp, pattern: "pll_cal exceeds", max: 0}')
    scn = os.path.join(work, "at_prebuilt.yaml")
    with open(scn, "w") as f:
        f.write("\n".join(yaml) + "\n")
    out = os.path.join(work, "out")
    rc = subprocess.run([espsim, "run", scn, "--out", out, "--timeout-wall", "300s"]).returncode
    log = os.path.join(out, "esp.uart.log")
    if os.path.isfile(log):
        sys.stdout.write(open(log, errors="replace").read())
    if rc != 0:
        print(f"at_prebuilt: espsim exit {rc}, expected 0 (see {out}/summary.txt)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
