#!/usr/bin/env bash
# The three ways to boot firmware (ELF, image from `espsim image`, whole flash dump) go through the
# same ROM boot model: their console output and exit code must be identical, byte for byte,
# including virtual timestamps.
# usage: same_output.sh ESPSIM APP.elf APP.bin APP-flash1m.bin UNTIL
set -u
espsim=$1 elf=$2 bin=$3 flash=$4 until=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$espsim" run "$elf" --until "$until" --timestamps --timeout 5s >"$tmp/elf.out" 2>&1; rc1=$?
"$espsim" run "$bin" --until "$until" --timestamps --timeout 5s >"$tmp/bin.out" 2>&1; rc2=$?
"$espsim" run --flash "$flash" --until "$until" --timestamps --timeout 5s >"$tmp/flash.out" 2>&1; rc3=$?
cat "$tmp/elf.out"
fail=0
[ "$rc1" -eq 0 ] || { echo "ELF run exited $rc1"; fail=1; }
[ "$rc1" -eq "$rc2" ] && [ "$rc1" -eq "$rc3" ] || { echo "exit codes differ: $rc1 $rc2 $rc3"; fail=1; }
diff -u "$tmp/elf.out" "$tmp/bin.out" || fail=1
diff -u "$tmp/elf.out" "$tmp/flash.out" || fail=1
grep -q "ets Jan  8 2013" "$tmp/elf.out" || { echo "no boot banner"; fail=1; }
exit $fail
