#!/usr/bin/env bash
# Formats the project's C sources with the committed .clang-format (style rule 10).
#   scripts/format.sh          rewrite files in place
#   scripts/format.sh --check  list files that are not formatted; exit 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' | grep -v -E '^(bench/host/|tests/cpu/asm/)')
if [ "${1:-}" = "--check" ]; then
    bad=0
    for f in "${files[@]}"; do
        if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
            echo "not formatted: $f"
            bad=1
        fi
    done
    exit $bad
fi
clang-format -i "${files[@]}"
