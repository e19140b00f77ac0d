#!/bin/sh
# firmware/nonos/strip_libc.sh AR NM IN.a OUT.a — the C library for apps linked against
# Espressif's NONOS SDK: Debian's picolibc without the functions the boot ROM provides, as the
# SDK does to its own libc.a (its lib/strip_libc_funcs.txt): the ROM's memcpy, memset, ...
# (eagle.rom.addr.v6.ld PROVIDEs) are then the ones linked.
set -eu
ar=$1 nm=$2 in=$3 out=$4
cp "$in" "$out.tmp"
members=$("$nm" -A "$out.tmp" 2>/dev/null |
  awk '$(NF-1) == "T" && $NF ~ /^(bzero|memcmp|memcpy|memmove|memset|rand|strcmp|strcpy|strlen|strncmp|strncpy|strstr)$/ {
         n = split($1, f, ":"); print f[n - 1] }' | sort -u)
for m in $members; do
  "$ar" d "$out.tmp" "$m"
done
mv "$out.tmp" "$out"
