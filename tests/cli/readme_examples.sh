#!/usr/bin/env bash
# tests/cli/readme_examples.sh REPO BUILD_DIR — runs every command of README.md's "Using it"
# block (the sh block after "From the repository root after `scripts/demo`") as written, with
# `espsim` = BUILD_DIR/sim/cli/espsim, in a scratch directory that looks like the repository
# root (scenarios/ and build/ linked), so their outputs stay out of the tree. The view runs
# with SDL's dummy video driver. Each must exit 0.
set -uo pipefail
repo=$(realpath "$1") build=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ln -s "$repo/scenarios" "$tmp/scenarios"
ln -s "$build" "$tmp/build"
mkdir -p "$tmp/bin"
ln -s "$build/sim/cli/espsim" "$tmp/bin/espsim"
block=$(awk '/^From the repository root after `scripts\/demo`/ { f = 1; next }
             f && /^```sh/ { g = 1; next } g && /^```/ { exit } g { print }' "$repo/README.md")
[ -n "$block" ] || { echo "readme_examples: the block was not found in README.md" >&2; exit 1; }
n=0 fail=0
while IFS= read -r line; do
    cmd="${line%%#*}"
    [ -n "${cmd// /}" ] || continue
    n=$((n + 1))
    if (cd "$tmp" && PATH="$tmp/bin:$PATH" SDL_VIDEODRIVER=dummy eval "$cmd") >"$tmp/out" 2>&1; then
        echo "ok   $cmd"
    else
        echo "FAIL $cmd (exit $?):"; tail -5 "$tmp/out"; fail=1
    fi
done <<<"$block"
[ "$n" -ge 8 ] || { echo "readme_examples: only $n commands found" >&2; exit 1; }
exit $fail
