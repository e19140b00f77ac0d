#!/bin/sh
# tests/nonos/nonos_check.sh [--no-symbols] ESPSIM SDK_DIR APP.elf EXIT_CODE UNTIL TIMEOUT [TEXT...]
# Boots APP-flash1m.bin (an app linked against Espressif's NONOS SDK, firmware/nonos) from a
# whole flash dump with its ELF's symbols (none with --no-symbols: as a prebuilt image runs),
# until UART0 prints UNTIL (or TIMEOUT of virtual time), and checks the exit code and that
# every TEXT appears in the output; a TEXT written !TEXT must not appear. Exits 77 (ctest:
# skipped) when the SDK or the app is missing, saying why.
set -u
symbols=yes
if [ "${1:-}" = "--no-symbols" ]; then
  symbols=
  shift
fi
espsim=$1 sdk=$2 elf=$3 want_rc=$4 until_text=$5 timeout=$6
shift 6
if [ -z "$sdk" ] || [ ! -f "$sdk/lib/libmain.a" ]; then
  echo "SKIPPED: Espressif's ESP8266_NONOS_SDK not found (configure with ESPSIM_NONOS_SDK=DIR)"
  exit 77
fi
dump=${elf%.elf}-flash1m.bin
if [ ! -f "$elf" ] || [ ! -f "$dump" ]; then
  echo "SKIPPED: $elf or $dump not built"
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# ${symbols:+...}: the option pair, one field each, or nothing with --no-symbols
"$espsim" run --flash "$dump" ${symbols:+--symbols "$elf"} --timeout "$timeout" \
  --timeout-wall 300s --until "$until_text" >"$out" 2>&1
rc=$?
cat "$out"
status=0
if [ "$rc" -ne "$want_rc" ]; then
  echo "nonos_check: $elf: exit code $rc, expected $want_rc" >&2
  status=1
fi
for text in "$@"; do
  case $text in
  !*)
    if grep -qF -- "${text#!}" "$out"; then
      echo "nonos_check: $elf: output has \"${text#!}\"" >&2
      status=1
    fi
    ;;
  *)
    if ! grep -qF -- "$text" "$out"; then
      echo "nonos_check: $elf: output lacks \"$text\"" >&2
      status=1
    fi
    ;;
  esac
done
exit $status
