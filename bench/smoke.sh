#!/bin/sh
# bench/smoke.sh ESPSIM QEMU PROGRAM.elf — differential smoke test of one benchmark: runs the
# program on `espsim run --machine qemu-sim` and on `qemu-system-xtensa -M sim -cpu lx106
# -semihosting`, and passes only if both print the same stdout and both exit 0 (the benchmark's
# self-check). Exit 77 (ctest SKIP) when QEMU is not installed. A wall-clock limit per run
# (SMOKE_TIMEOUT, default 30 s) turns a hang, e.g. QEMU spinning in an exception vector, into a
# failure.
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 ESPSIM QEMU PROGRAM.elf" >&2
    exit 2
fi
espsim=$1 qemu=$2 elf=$3
limit=${SMOKE_TIMEOUT:-30}
if [ -z "$qemu" ] || ! command -v "$qemu" >/dev/null 2>&1; then
    echo "qemu-system-xtensa not found: skipped" >&2
    exit 77
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

timeout "$limit" "$espsim" run --machine qemu-sim --stats "$elf" \
    </dev/null >"$tmp/espsim.out" 2>"$tmp/espsim.err"
rc_espsim=$?
timeout "$limit" "$qemu" -M sim -cpu lx106 -semihosting -nographic -monitor none -kernel "$elf" \
    </dev/null >"$tmp/qemu.out" 2>"$tmp/qemu.err"
rc_qemu=$?

echo "--- espsim (exit $rc_espsim)"
cat "$tmp/espsim.out" "$tmp/espsim.err"
echo "--- qemu (exit $rc_qemu)"
cat "$tmp/qemu.out" "$tmp/qemu.err"

ok=1
if ! cmp -s "$tmp/espsim.out" "$tmp/qemu.out"; then
    echo "FAIL: stdout differs (- qemu, + espsim):"
    diff "$tmp/qemu.out" "$tmp/espsim.out"
    ok=0
fi
if [ "$rc_espsim" -ne "$rc_qemu" ]; then
    echo "FAIL: exit codes differ: espsim $rc_espsim, qemu $rc_qemu (124 = timed out)"
    ok=0
elif [ "$rc_espsim" -ne 0 ]; then
    echo "FAIL: both exited $rc_espsim (the benchmark's self-check failed)"
    ok=0
fi
[ $ok -eq 1 ] && echo "PASS"
[ $ok -eq 1 ]
