#!/usr/bin/env python3
"""tests/radio/espnow_check.py — ESP-NOW acceptance checks on shipped scenarios (issue 10).

  espnow_check.py ESPSIM FIRMWARE_DIR SCENARIO_DIR OUT_DIR

Runs espnow_pingpong, espnow_lossy and espnow_encrypted and checks, failing with a message:
  pingpong  1000 pings all delivered, every send callback OK, every RTT within what the medium
            predicts: floor = 2 DIFS + 2 airtime(75-byte MPDU) + SIFS + airtime(ACK), at most
            2 x 31 backoff slots more, plus at most PROC_US of firmware processing (both
            nodes' ISR, pp task, callback and send: rtt_min - floor, ~75 us); the mean within 5 sigma
            of floor + 2 x 15.5 slots (uniform backoff) + processing.
  lossy     30 % loss per direction: per transmission the link-loss fraction within 5 sigma of
            0.3; failed send callbacks within 5 sigma of 1000 x 0.51^6 (binomial); pings lost
            end to end at most the 5-sigma bound of 1000 x 2 x 0.3^6.
  captures  every pcap (air and per node) passes tests/radio/tshark_check.sh (no tshark
            warning, FCS, no malformed frame; CCMP decrypts with the key for encrypted), and the
            source, destination and body tshark extracts from each first transmission equal what
            espnow_node sends (type, sequence number, pattern; echoes equal their ping).
Exit 77 (skip) without tshark.
"""
import math
import os
import re
import shutil
import subprocess
import sys

DIFS, SIFS, SLOT = 50, 10, 20
ACK_US = 192 + 14 * 8
PROC_US = 500  # bound on firmware + SDK-model processing per round trip (the echoer's
# once-a-second report, printed from a timer callback, can delay the echo that arrives then)


def airtime_us(mpdu):
    return 192 + 8 * mpdu


def fail(msg):
    print("espnow_check: " + msg, file=sys.stderr)
    sys.exit(1)


def run(espsim, fw, scen, out):
    r = subprocess.run([espsim, "run", scen, "--firmware-path", fw, "--out", out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{scen}: exit {r.returncode}: {r.stderr.strip()}")


def done_line(out, node):
    text = open(os.path.join(out, node + ".uart.log")).read()
    m = re.search(r"espnow_node: done (.*)", text)
    if not m:
        fail(f"{out}: {node} printed no done line")
    toks = m.group(1).split()
    return {toks[i]: int(toks[i + 1]) for i in range(0, len(toks) - 1, 2)}


def summary_link(out, a, b):
    for line in open(os.path.join(out, "summary.txt")):
        m = re.match(rf"\s+{a} -> {b}: (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) \|(.*)\|", line)
        if m:
            st = dict(zip("sent tx retries acked failed delivered dup".split(),
                          map(int, m.groups()[:7])))
            causes = m.group(8).split()
            st.update({causes[i]: int(causes[i + 1]) for i in range(0, len(causes) - 1, 2)})
            return st
    fail(f"{out}: no link {a} -> {b} in summary.txt")


def tshark_fields(pcap, *extra):
    r = subprocess.run(["tshark", "-n", "-r", pcap, *extra, "-T", "fields", "-e", "wlan.sa",
                        "-e", "wlan.da", "-e", "wlan.fc.retry", "-e", "data.data",
                        "-Y", "wlan.fc.type_subtype == 0x000d"], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{pcap}: tshark failed: {r.stderr.strip()}")
    return [l.split("\t") for l in r.stdout.splitlines() if l]


def check_bodies(pcap, a, b, count, length, extra=()):
    """First transmissions a->b are pings 0..count-1 with espnow_node's pattern; b->a echoes."""
    pings, echoes = {}, {}
    for sa, da, retry, data in tshark_fields(pcap, *extra):
        if retry in ("1", "True"):
            continue
        body = bytes.fromhex(data)[11:]  # 4 random bytes, element 221 + length, OUI, type, ver
        if len(body) != length:
            fail(f"{pcap}: body of {len(body)} bytes, expected {length}")
        seq = int.from_bytes(body[1:5], "little")
        if any(body[i] != (seq + i) & 0xFF for i in range(9, length)):
            fail(f"{pcap}: frame seq {seq} breaks the body pattern")
        if (sa, da, chr(body[0])) == (a, b, "P"):
            pings[seq] = body
        elif (sa, da, chr(body[0])) == (b, a, "E"):
            echoes[seq] = body
        else:
            fail(f"{pcap}: unexpected frame {sa} -> {da} type {body[0]:#x}")
    if sorted(pings) != list(range(count)):
        fail(f"{pcap}: pings seen {len(pings)}, expected seq 0..{count - 1}")
    for seq, e in echoes.items():
        if e[1:] != pings[seq][1:]:
            fail(f"{pcap}: echo {seq} differs from its ping")
    return len(pings), len(echoes)


def tshark_check(here, pcap, tk=None):
    cmd = [os.path.join(here, "tshark_check.sh")] + (["--tk", tk] if tk else []) + [pcap]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{pcap}: tshark_check failed:\n{r.stderr}")


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    espsim, fw, scen, out = sys.argv[1:]
    if not shutil.which("tshark"):
        print("tshark not found: skipped")
        return 77
    here = os.path.dirname(os.path.abspath(__file__))
    A, B = "5c:cf:7f:00:00:01", "5c:cf:7f:00:00:02"

    # --- pingpong: perfect medium, RTT as predicted ---
    o = os.path.join(out, "pingpong")
    run(espsim, fw, os.path.join(scen, "espnow_pingpong.yaml"), o)
    d = done_line(o, "pinger")
    want = dict(sent=1000, received=1000, lost=0, dup=0, send_ok=1000, send_fail=0, send_err=0,
                corrupt=0)
    for k, v in want.items():
        if d[k] != v:
            fail(f"pingpong: {k} = {d[k]}, expected {v}")
    floor = 2 * DIFS + 2 * airtime_us(43 + 32) + SIFS + ACK_US
    if not floor <= d["rtt_min"] <= floor + PROC_US:
        fail(f"pingpong: rtt_min {d['rtt_min']} us outside [{floor}, {floor + PROC_US}]")
    if d["rtt_max"] > floor + 2 * 31 * SLOT + PROC_US:
        fail(f"pingpong: rtt_max {d['rtt_max']} us above {floor + 2 * 31 * SLOT + PROC_US}")
    mean = floor + 2 * 15.5 * SLOT + (d["rtt_min"] - floor)
    sd = SLOT * math.sqrt(2 * (32 * 32 - 1) / 12) / math.sqrt(1000)
    if abs(d["rtt_avg"] - mean) > 5 * sd + 40:
        fail(f"pingpong: rtt_avg {d['rtt_avg']} us, model predicts {mean:.0f} +- {5 * sd + 40:.0f}")
    for pcap in ("air.pcap", "pinger.pcap", "echoer.pcap"):
        tshark_check(here, os.path.join(o, pcap))
    n_p, n_e = check_bodies(os.path.join(o, "air.pcap"), A, B, 1000, 32)
    if n_e != 1000:
        fail(f"pingpong: {n_e} echoes in air.pcap, expected 1000")

    # --- lossy: 30 % per direction ---
    o = os.path.join(out, "lossy")
    run(espsim, fw, os.path.join(scen, "espnow_lossy.yaml"), o)
    d = done_line(o, "pinger")
    for a, b in (("pinger", "echoer"), ("echoer", "pinger")):
        st = summary_link(o, a, b)
        tx = st["tx"] - st.get("collision", 0)
        frac = st.get("link", 0) / tx
        sd = math.sqrt(0.3 * 0.7 / tx)
        if abs(frac - 0.3) > 5 * sd:
            fail(f"lossy: {a} -> {b} link loss {frac:.3f} of {tx}, expected 0.3 +- {5 * sd:.3f}")
        if st["retries"] != st["tx"] - st["sent"]:
            fail(f"lossy: {a} -> {b} retries {st['retries']} != tx - sent")
    p = 0.51 ** 6
    mu, sd = 1000 * p, math.sqrt(1000 * p * (1 - p))
    if abs(d["send_fail"] - mu) > 5 * sd:
        fail(f"lossy: send_fail {d['send_fail']}, model predicts {mu:.1f} +- {5 * sd:.1f}")
    q = 2 * 0.3 ** 6
    if d["lost"] > 1000 * q + 5 * math.sqrt(1000 * q) + 1:
        fail(f"lossy: {d['lost']} pings lost end to end, model predicts {1000 * q:.1f}")
    tshark_check(here, os.path.join(o, "air.pcap"))

    # --- encrypted: CCMP decrypts with the LMK; the wrong key gets nothing back ---
    o = os.path.join(out, "encrypted")
    run(espsim, fw, os.path.join(scen, "espnow_encrypted.yaml"), o)
    key = "00112233445566778899aabbccddeeff"
    tshark_check(here, os.path.join(o, "air.pcap"))
    dec = ["-o", "wlan.enable_decryption:TRUE", "-o", f'uat:80211_keys:"tk","{key}"',
           "-Y", "wlan.fc.type_subtype == 0x000d"]
    r = subprocess.run(["tshark", "-n", "-r", os.path.join(o, "air.pcap"), *dec, "-T", "fields",
                        "-e", "wlan.sa", "-e", "wlan.fc.protected", "-e", "data.data"],
                       capture_output=True, text=True)
    ok = {A: 0, B: 0, "5c:cf:7f:00:00:03": 0}
    total = dict(ok)
    for row in (l.split("\t") for l in r.stdout.splitlines() if l):
        sa, prot, data = (row + ["", "", ""])[:3]
        if prot not in ("1", "True"):
            fail(f"encrypted: an unprotected frame from {sa}")
        total[sa] = total.get(sa, 0) + 1
        if data[8:10] == "dd" and data[12:22] == "18fe340401":  # plaintext: element 221, OUI
            ok[sa] = ok.get(sa, 0) + 1
    if ok[A] != total[A] or ok[B] != total[B] or total[A] < 100 or total[B] < 100:
        fail(f"encrypted: decrypted {ok[A]}/{total[A]} pinger and {ok[B]}/{total[B]} echoer frames")
    if ok["5c:cf:7f:00:00:03"] or not total["5c:cf:7f:00:00:03"]:
        fail("encrypted: the intruder's frames (another key) must not decrypt with the LMK")
    print("espnow_check: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
