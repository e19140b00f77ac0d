#!/usr/bin/env bash
# Bad inputs to the qemu-sim machine end with exactly one line on stderr naming the file or address, the documented exit
# code, and never a crash (this also runs in the ASan+UBSan build).
# usage: bad_inputs.sh ESPSIM SPIN_ELF JUMP_UNMAPPED_ELF OUTSIDE_ELF (SPIN_ELF: a valid program
# that loops forever)
set -u
espsim=$1 good=$2 jump=$3 outside=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/expect.sh"

: >"$tmp/empty.elf"
echo "this is not an ELF file" >"$tmp/text.elf"
head -c 100 "$good" >"$tmp/trunc-header.elf"
size=$(stat -c %s "$good")
head -c $((size / 2)) "$good" >"$tmp/trunc-half.elf"
cp "$good" "$tmp/arm.elf"
printf '\x28\x00' | dd of="$tmp/arm.elf" bs=1 seek=18 conv=notrunc status=none   # e_machine = ARM
cp "$good" "$tmp/be.elf"
printf '\x02' | dd of="$tmp/be.elf" bs=1 seek=5 conv=notrunc status=none         # big-endian

expect missing      2 "nonexistent\.elf: cannot open"          -- run --machine qemu-sim /nonexistent.elf
expect empty        2 "empty\.elf: empty file"                  -- run --machine qemu-sim "$tmp/empty.elf"
expect text         2 "text\.elf: not an ELF file"              -- run --machine qemu-sim "$tmp/text.elf"
expect trunc-header 2 "trunc-header\.elf: .*(truncated|corrupt|not an ELF)" -- run --machine qemu-sim "$tmp/trunc-header.elf"
expect trunc-half   2 "trunc-half\.elf: .*(truncated|corrupt)"  -- run --machine qemu-sim "$tmp/trunc-half.elf"
expect non-xtensa   2 "arm\.elf: ELF machine 40 is not Xtensa"  -- run --machine qemu-sim "$tmp/arm.elf"
expect big-endian   2 "be\.elf: not a 32-bit little-endian ELF" -- run --machine qemu-sim "$tmp/be.elf"
expect host-binary  2 "true: not a 32-bit little-endian ELF"    -- run --machine qemu-sim /bin/true
expect directory    2 "/tmp: not a regular file"                -- run --machine qemu-sim /tmp
expect outside      2 "outside\.elf: segment at 0x10000000-0x1000000b is outside every memory region" -- run --machine qemu-sim "$outside"
expect unmapped     3 "InstrPIFAddrError \(cause 14\) at 0x12345678" -- run --machine qemu-sim "$jump"
expect limit        3 "virtual timeout: 1000 instructions"      -- run --machine qemu-sim --max-insns 1000 "$good"
expect no-program   2 "no program given"                        -- run --machine qemu-sim
expect bad-option   2 "unknown option: --bogus"                 -- run --machine qemu-sim --bogus "$good"
expect bad-machine  2 "unknown machine"                         -- run --machine esp32 "$good"
expect bad-number   2 "bad number for --max-insns"              -- run --machine qemu-sim --max-insns -5 "$good"
expect bad-command  2 "unknown command"                         -- frobnicate
# -h/--help after any command prints usage on stdout and exits 0 (not an "unknown option")
for cmd in run lint disasm image test; do
    if ! "$espsim" $cmd --help >"$tmp/help.out" 2>"$tmp/help.err" || ! grep -q "^usage: espsim" "$tmp/help.out" ||
        [ -s "$tmp/help.err" ]; then
        echo "FAIL help-$cmd: $cmd --help did not print usage and exit 0"
        fail=1
    fi
done
exit $fail
