#!/usr/bin/env bash
# Compares each shipped scenario's events.jsonl with its committed golden copy
# (scenarios/golden/NAME.events.jsonl), or rewrites the golden copies with --update.
# Only scenarios that have a golden file are compared (their event logs are meant to be stable).
# usage: golden.sh ESPSIM FIRMWARE_DIR OUT_DIR [--update]
set -u
espsim=$1 fwdir=$2 out=$3 mode=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
fail=0
for sc in "$here"/*.yaml; do
    name=$(basename "$sc" .yaml)
    gold="$here/golden/$name.events.jsonl"
    [ "$mode" = --update ] || [ -f "$gold" ] || continue
    "$espsim" run "$sc" --firmware-path "$fwdir" --timeout-wall 400s --out "$out/$name" >/dev/null 2>&1
    if [ "$mode" = --update ]; then
        cp "$out/$name/events.jsonl" "$gold" && echo "updated $gold"
    elif ! diff -u "$gold" "$out/$name/events.jsonl" >"$out/$name.golden.diff"; then
        echo "FAIL $name: events.jsonl differs from scenarios/golden/$name.events.jsonl:"
        head -20 "$out/$name.golden.diff"
        fail=1
    else
        echo "ok   $name"
    fi
done
exit $fail
