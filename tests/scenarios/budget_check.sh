#!/usr/bin/env bash
# tests/scenarios/budget_check.sh — scenario budgets (docs/profiling.md): `fail: true` turns
# budget_demo's violations into a failed run (exit 1, one "budget" event per violation), budgets
# its handlers keep give exit 0 and no "budget" event, a handler budget naming a symbol no
# firmware has is a one-line error with the file position (exit 2).
# usage: budget_check.sh ESPSIM FIRMWARE_DIR OUT_DIR
set -u
espsim=$1 fwdir=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
fail=0
run() { "$espsim" run "$here/budgets/$1.yaml" --firmware-path "$fwdir" --out "$out/$1" >"$out/$1.out" 2>"$out/$1.err"; }
mkdir -p "$out"
run fail; rc=$?
n=$(grep -c '"event":"budget"' "$out/fail/events.jsonl")
[ "$rc" -eq 1 ] || { echo "FAIL fail.yaml: exit $rc, expected 1"; fail=1; }
[ "$n" -eq 6 ] || { echo "FAIL fail.yaml: $n budget events, expected 6"; fail=1; }
grep -q "timing budget violations" "$out/fail.err" || { echo "FAIL fail.yaml: no message"; cat "$out/fail.err"; fail=1; }
grep -q '"event":"end","exit":1' "$out/fail/events.jsonl" || { echo "FAIL fail.yaml: end event without exit 1"; fail=1; }
run lifted; rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL lifted.yaml: exit $rc, expected 0"; cat "$out/lifted.err"; fail=1; }
if grep -q '"event":"budget"' "$out/lifted/events.jsonl"; then
    echo "FAIL lifted.yaml: budget events:"; grep '"event":"budget"' "$out/lifted/events.jsonl"; fail=1
fi
run unknown-handler; rc=$?
lines=$(wc -l <"$out/unknown-handler.err")
if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] ||
   ! grep -q "unknown-handler.yaml:6:14: budgets.handlers: no node's firmware defines 'no_such_function'" "$out/unknown-handler.err"; then
    echo "FAIL unknown-handler.yaml: exit $rc, $lines lines:"; cat "$out/unknown-handler.err"; fail=1
fi
[ $fail -eq 0 ] && echo "budget_check: ok"
exit $fail
