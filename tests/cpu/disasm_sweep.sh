#!/bin/sh
# tests/cpu/disasm_sweep.sh — exhaustive disassembler/decoder check against objdump.
#
# usage: tests/cpu/disasm_sweep.sh [BUILD_DIR] [disasm_sweep options]
# Builds the cpu_disasm_sweep target in BUILD_DIR (default: build) and runs it with --full
# (every encoding, about 11 M words, ~20 s) plus any further options, e.g. --seed 7 --verbose.
# Exit status is the tool's: 0 no mismatch, 1 mismatches, 2 error, 77 objdump missing.
set -eu

build=${1:-build}
[ $# -gt 0 ] && shift

cmake --build "$build" --target cpu_disasm_sweep >/dev/null
exec "$build/tests/cpu/cpu_disasm_sweep" --full "$@"
