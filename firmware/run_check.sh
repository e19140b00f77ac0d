#!/bin/sh
# firmware/run_check.sh ESPSIM APP.elf EXIT_CODE [--until TEXT] [TEXT...] — runs an app on the
# esp8266 machine and checks its exit code and that every TEXT appears in its output (stdout +
# stderr). Used by the firmware_run_* tests (firmware/CMakeLists.txt).
set -u
espsim=$1 elf=$2 want_rc=$3
shift 3
until_text=
if [ "${1:-}" = "--until" ]; then
  until_text=$2
  shift 2
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if [ -n "$until_text" ]; then
  "$espsim" run "$elf" --timeout 5s --timeout-wall 300s --until "$until_text" >"$out" 2>&1
else
  "$espsim" run "$elf" --timeout 5s --timeout-wall 300s >"$out" 2>&1
fi
rc=$?
cat "$out"
status=0
if [ "$rc" -ne "$want_rc" ]; then
  echo "run_check: $elf: exit code $rc, expected $want_rc" >&2
  status=1
fi
for text in "$@"; do
  if ! grep -qF -- "$text" "$out"; then
    echo "run_check: $elf: output lacks \"$text\"" >&2
    status=1
  fi
done
if grep -qE '^FAIL|no fault' "$out"; then
  echo "run_check: $elf: a check failed" >&2
  status=1
fi
exit $status
