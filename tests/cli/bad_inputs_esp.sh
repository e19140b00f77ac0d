#!/usr/bin/env bash
# Bad inputs to the esp8266 machine: one line on stderr naming the problem, exit 2, no crash.
# usage: bad_inputs_esp.sh ESPSIM ESP_TINY_ELF QSIM_ELF
set -u
espsim=$1 elf=$2 qsim_elf=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/expect.sh"

"$espsim" image "$elf" -o "$tmp/good.bin" || { echo "FAIL: espsim image"; exit 1; }
"$espsim" image "$elf" -o "$tmp/good1m.bin" --flash-size 1M || { echo "FAIL: espsim image 1M"; exit 1; }
size=$(stat -c %s "$tmp/good.bin")
echo "some notes, not firmware" >"$tmp/text.bin"
head -c 20 "$tmp/good.bin" >"$tmp/trunc.bin"
cp "$tmp/good.bin" "$tmp/badsum.bin"
last=$(od -An -tu1 -j $((size - 1)) -N1 "$tmp/badsum.bin" | tr -d ' ')
printf "$(printf '\\%03o' $(((last + 1) & 255)))" | dd of="$tmp/badsum.bin" bs=1 seek=$((size - 1)) conv=notrunc status=none
cp "$tmp/good.bin" "$tmp/outside.bin"
printf '\x00\x00\x00\x20' | dd of="$tmp/outside.bin" bs=1 seek=8 conv=notrunc status=none
cp "$elf" "$tmp/arm.elf"
printf '\x28\x00' | dd of="$tmp/arm.elf" bs=1 seek=18 conv=notrunc status=none
head -c 1000 "$tmp/good1m.bin" >"$tmp/small-flash.bin"
head -c 1048576 /dev/zero | tr '\0' '\377' >"$tmp/blank-flash.bin"
: >"$tmp/empty.bin"

expect text          2 "text\.bin: neither an ELF file nor an ESP8266 image"      -- run "$tmp/text.bin"
expect empty         2 "empty\.bin: empty file"                                   -- run "$tmp/empty.bin"
expect truncated     2 "trunc\.bin: truncated: segment 0"                         -- run "$tmp/trunc.bin"
expect bad-checksum  2 "badsum\.bin: image checksum 0x[0-9a-f]+ does not match"   -- run "$tmp/badsum.bin"
expect image-outside 2 "outside\.bin: segment 0 at 0x20000000 .* is outside RAM"  -- run "$tmp/outside.bin"
expect elf-outside   2 "segment at 0x[0-9a-f]+-0x[0-9a-f]+ is outside RAM and the flash window" -- run "$qsim_elf"
expect non-xtensa    2 "arm\.elf: ELF machine 40 is not Xtensa"                   -- run "$tmp/arm.elf"
expect flash-size    2 "small-flash\.bin: .*(size|bytes)"                         -- run --flash "$tmp/small-flash.bin"
expect flash-blank   2 "blank-flash\.bin: not an ESP8266 image \(magic 0xff"      -- run --flash "$tmp/blank-flash.bin"
expect flash-missing 2 "nope\.bin: .*(cannot open|No such file)"                  -- run --flash "$tmp/nope.bin"
expect cpu-mhz       2 "--cpu-mhz must be 80 or 160"                              -- run --cpu-mhz 100 "$elf"
expect no-unit       2 "bad --timeout \(missing unit"                             -- run --timeout 10 "$elf"
expect negative      2 "bad --timeout \(negative value"                           -- run --timeout -5s "$elf"
expect persist-only  2 "--flash-persist needs --flash"                            -- run --flash-persist "$elf"
expect image-noout   2 "usage: espsim image"                                      -- image "$elf"
expect image-size    2 "--flash-size must be a power of two"                      -- image "$elf" -o "$tmp/x.bin" --flash-size 3M
exit $fail
