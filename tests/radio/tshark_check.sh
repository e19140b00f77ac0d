#!/usr/bin/env bash
# tests/radio/tshark_check.sh — checks a medium capture (models/radio/pcap, protocols.md B.6)
# with Wireshark's dissectors, an implementation independent of ours.
#
#   tshark_check.sh [--tk HEX] PCAP [PRODUCER [ARGS...]]
#
# With PRODUCER, first runs `RADIO_PCAP_OUT=PCAP PRODUCER ARGS...` (e.g. unit_radio_pcap, which
# then keeps its capture there). Then fails (exit 1) if:
#   - tshark -r PCAP -T fields -e wlan.fc.type_subtype -e wlan.sa -e wlan.da
#     -e radiotap.dbm_antsignal exits non-zero, prints anything on stderr (except tshark's
#     "Running as user root" notice), prints no record, or a record lacks type/subtype or signal;
#   - any frame is malformed or has an expert error, or its FCS does not verify (every record
#     carries its true FCS; radiotap's bad-FCS flag marks frames that were not received);
#   - with --tk HEX (a 16-byte CCMP temporal key): the capture has no protected frame, or a
#     protected action frame does not decrypt (Wireshark checks the MIC, so this cross-checks our
#     CCMP nonce and AAD for management frames).
# Needs tshark (Wireshark >= 3.0 for "tk" keys). Exit 77 (ctest SKIP_RETURN_CODE) if absent.
set -uo pipefail

tk=""
if [ "${1:-}" = "--tk" ]; then
    tk="${2:-}"
    shift 2 || { echo "usage: $0 [--tk HEX] PCAP [PRODUCER [ARGS...]]" >&2; exit 2; }
fi
if [ $# -lt 1 ]; then
    echo "usage: $0 [--tk HEX] PCAP [PRODUCER [ARGS...]]" >&2
    exit 2
fi
pcap="$1"
shift
command -v tshark >/dev/null 2>&1 || { echo "tshark not found: skipped"; exit 77; }

fail() {
    echo "tshark_check: $pcap: $*" >&2
    exit 1
}

if [ $# -gt 0 ]; then
    RADIO_PCAP_OUT="$pcap" "$@" >/dev/null 2>&1 || fail "producer $1 failed"
fi
[ -s "$pcap" ] || fail "missing or empty"

errf="$(mktemp)"
trap 'rm -f "$errf"' EXIT

# Runs tshark on the capture with extra arguments; stdout to stdout; fails on stderr output.
run_tshark() {
    local out
    out="$(tshark -n -r "$pcap" "$@" 2>"$errf")" || {
        cat "$errf" >&2
        fail "tshark exited with an error"
    }
    if grep -v -E '^Running as user ".*" and group ".*"\. This could be dangerous\.$' "$errf" |
        grep -q .; then
        cat "$errf" >&2
        fail "tshark wrote to stderr"
    fi
    printf '%s' "$out"
}

fields="$(run_tshark -T fields -e wlan.fc.type_subtype -e wlan.sa -e wlan.da \
    -e radiotap.dbm_antsignal)" || exit 1
[ -n "$fields" ] || fail "no records"
printf '%s\n' "$fields"
awk -F'\t' '$1 == "" || $4 == "" { bad = 1 } END { exit bad }' <<<"$fields" ||
    fail "a record without type/subtype or signal"

broken="$(run_tshark -Y '_ws.malformed || _ws.expert.severity == error')" || exit 1
[ -z "$broken" ] || { printf '%s\n' "$broken" >&2; fail "malformed frames"; }

fcs="$(run_tshark -o wlan.check_checksum:TRUE -T fields -e frame.number -e wlan.fcs.status)" ||
    exit 1
awk -F'\t' '$2 != "1" { print "frame " $1 ": FCS status " $2; bad = 1 } END { exit bad }' \
    <<<"$fcs" >&2 || fail "FCS does not verify"

if [ -n "$tk" ]; then
    keys=(-o wlan.enable_decryption:TRUE -o "uat:80211_keys:\"tk\",\"$tk\"")
    prot="$(run_tshark "${keys[@]}" -Y 'wlan.fc.protected == 1' -T fields -e frame.number)" ||
        exit 1
    [ -n "$prot" ] || fail "--tk given but no protected frame"
    undec="$(run_tshark "${keys[@]}" -T fields -e frame.number \
        -Y 'wlan.fc.protected == 1 && wlan.fc.type_subtype == 0x000d && !wlan.fixed.category_code')" ||
        exit 1
    [ -z "$undec" ] || fail "protected frames that do not decrypt with the key: $(tr '\n' ' ' <<<"$undec")"
    echo "decrypted frames: $(tr '\n' ' ' <<<"$prot")"
fi
echo "tshark_check: $pcap: ok"
