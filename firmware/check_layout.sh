#!/bin/sh
# firmware/check_layout.sh READELF NM APP.elf — checks that an app linked with
# firmware/sdk/ld/eagle.app.ld has the intended memory layout (docs/firmware.md):
#   .text (IRAM) at 0x40100000, .irom0.text at 0x40210000, the entry call_user_start in IRAM;
#   every allocated section inside DRAM 0x3FFE8000..0x3FFFBFFF, IRAM 0x40100000..0x40107FFF or
#   the flash window 0x40210000..0x402FFFFF (nothing in the ROM-owned 0x3FFFC000..);
#   no undefined symbols; ROM PROVIDEs resolved (Cache_Read_Enable = 0x40004678).
set -eu
readelf=$1 nm=$2 elf=$3
fail() { echo "check_layout: $elf: $*" >&2; exit 1; }

sections=$("$readelf" -SW "$elf" | sed -n 's/^ *\[ *[0-9]*\] //p')
echo "$sections" | awk '
  function hex(s,   i, c, v) { v = 0; s = tolower(s)
    for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
    return v }
  $1 == "NULL" { next }
  {
    name = $1; addr = hex($3); size = hex($5); flags = $7
    if (name == ".text" && addr != hex("40100000")) { print ".text at " $3; bad = 1 }
    if (name == ".irom0.text" && addr != hex("40210000")) { print ".irom0.text at " $3; bad = 1 }
    if (flags !~ /A/ || size == 0) next
    end = addr + size
    ok = (addr >= hex("3ffe8000") && end <= hex("3fffc000")) ||
         (addr >= hex("40100000") && end <= hex("40108000")) ||
         (addr >= hex("40210000") && end <= hex("40300000"))
    if (!ok) { print name " at " $3 " size " $5 " is outside DRAM/IRAM/flash window"; bad = 1 }
  }
  END { exit bad }' >&2 || fail "bad section placement"

entry=$("$readelf" -hW "$elf" | awk '/Entry point/ { print $NF }')
start=$("$nm" "$elf" | awk '$3 == "call_user_start" { print "0x" $1 }')
[ -n "$start" ] || fail "no call_user_start"
[ "$((entry))" -eq "$((start))" ] || fail "entry $entry is not call_user_start ($start)"
[ "$((start))" -ge "$((0x40100000))" ] && [ "$((start))" -lt "$((0x40108000))" ] ||
  fail "call_user_start ($start) is not in IRAM"

undef=$("$nm" -u "$elf")
[ -z "$undef" ] || fail "undefined symbols: $undef"
cre=$("$nm" "$elf" | awk '$3 == "Cache_Read_Enable" { print $1 }')
[ "$cre" = "40004678" ] || fail "Cache_Read_Enable = '$cre', expected the ROM address 40004678"
echo "check_layout: $elf: ok"
