#!/usr/bin/env bash
# tests/cpu/difftest.sh — run one guest ELF on QEMU (the oracle) and on espsim's qemu-sim
# machine; compare stdout and exit code byte for byte.
#
# usage: difftest.sh ESPSIM PROGRAM.elf [TIMEOUT_SECONDS]
#   ESPSIM           path of the espsim binary
#   TIMEOUT_SECONDS  wall-clock limit per run (default 20)
# environment:
#   QEMU_XTENSA      QEMU binary (default: qemu-system-xtensa from PATH)
#   DIFFTEST_KEEP    directory to keep qemu.out/espsim.out/*.err in (default: a temp dir)
#
# Exit status: 0 identical; 1 outputs or exit codes differ, or a run timed out;
# 2 usage error or QEMU missing (QEMU is a hard dependency: scripts/deps.sh installs it).
set -u

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 ESPSIM PROGRAM.elf [TIMEOUT_SECONDS]" >&2
    exit 2
fi
espsim=$1
elf=$2
limit=${3:-20}
qemu=${QEMU_XTENSA:-qemu-system-xtensa}
name=$(basename "$elf" .elf)

if ! command -v "$qemu" >/dev/null 2>&1; then
    echo "difftest: $qemu not found: QEMU is required for the CPU tests" \
         "(scripts/deps.sh installs qemu-system-misc)" >&2
    exit 2
fi
for f in "$espsim" "$elf"; do
    if [ ! -e "$f" ]; then
        echo "difftest: $f: no such file" >&2
        exit 2
    fi
done

if [ -n "${DIFFTEST_KEEP:-}" ]; then
    dir=$DIFFTEST_KEEP
    mkdir -p "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/difftest.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
fi

# -icount shift=0,sleep=off: deterministic virtual time (one instruction = 1 ns), and WAITI
# jumps straight to the next timer deadline. -singlestep: one instruction per translation
# block, which sidesteps a QEMU 7.2 bug where SSL/SSA8B setting SAR = 32 followed by SRL/SRA
# in the same block returns the operand unshifted (docs/random-testing.md).
timeout -k 2 "$limit" "$qemu" -M sim -cpu lx106 -semihosting -nographic -monitor none \
    -icount shift=0,sleep=off -singlestep -kernel "$elf" </dev/null >"$dir/qemu.out" 2>"$dir/qemu.err"
qrc=$?
timeout -k 2 "$limit" "$espsim" run --machine qemu-sim "$elf" \
    </dev/null >"$dir/espsim.out" 2>"$dir/espsim.err"
erc=$?

fail=0
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
    echo "difftest: $name: QEMU did not finish within ${limit}s (guest hang?)"
    fail=1
fi
if [ $erc -eq 124 ] || [ $erc -eq 137 ]; then
    echo "difftest: $name: espsim did not finish within ${limit}s"
    fail=1
fi
if [ ! -s "$dir/qemu.out" ]; then
    echo "difftest: $name: QEMU printed nothing (exit code $qrc): the test proves nothing"
    fail=1
fi
if ! cmp -s "$dir/qemu.out" "$dir/espsim.out"; then
    echo "difftest: $name: stdout differs (--- qemu, +++ espsim):"
    diff -u --label qemu --label espsim "$dir/qemu.out" "$dir/espsim.out" | head -n 400
    fail=1
fi
if [ $qrc -ne $erc ]; then
    echo "difftest: $name: exit code differs: qemu $qrc, espsim $erc"
    fail=1
fi
if [ $fail -ne 0 ]; then
    if [ -s "$dir/espsim.err" ]; then
        echo "espsim stderr:"
        head -n 20 "$dir/espsim.err"
    fi
    if [ -s "$dir/qemu.err" ]; then
        echo "qemu stderr:"
        head -n 20 "$dir/qemu.err"
    fi
    exit 1
fi
echo "difftest: $name: identical ($(wc -l <"$dir/qemu.out") lines, exit code $qrc)"
exit 0
