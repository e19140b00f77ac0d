#!/usr/bin/env bash
# tests/scenarios/bad_scenarios.sh — every broken scenario in bad/ is rejected with exit code 2
# and exactly one line on stderr that holds FILE:LINE:COL and the text of the file's first line,
# "# expect: TEXT" (a fixed string, not a pattern). Also: files too large, too many nodes,
# missing files, several files at once, and that every file in good/ passes.
# usage: bad_scenarios.sh ESPSIM FIRMWARE_DIR BAD_DIR GOOD_DIR
# (FIRMWARE_DIR holds hello.elf and friends: passed as --firmware-path.)
set -u
espsim=$1 fwdir=$2 bad=$3 good=$4

# RUN_TOO=1: every bad file must also make `espsim run FILE` exit 2 with the same one line.
RUN_TOO=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
count=0

# check NAME FILE TEXT POSITIONED -- espsim args...: exit 2, one stderr line containing TEXT and
# FILE followed by ":LINE:COL: " (POSITIONED=1) or ": " (0).
check() {
    local name=$1 file=$2 text=$3 positioned=$4
    shift 5
    timeout 20 "$espsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local lines err
    lines=$(wc -l <"$tmp/err")
    err=$(cat "$tmp/err")
    if [ "$rc" -ne 2 ]; then
        echo "FAIL $name: exit $rc, expected 2"; cat "$tmp/err"; fail=1; return
    fi
    if [ "$lines" -ne 1 ]; then
        echo "FAIL $name: $lines lines on stderr, expected 1"; cat "$tmp/err"; fail=1; return
    fi
    if [ -s "$tmp/out" ]; then
        echo "FAIL $name: unexpected stdout:"; cat "$tmp/out"; fail=1; return
    fi
    local rest=${err#*"$file"}
    if [ "$rest" = "$err" ]; then
        echo "FAIL $name: stderr does not name $file: $err"; fail=1; return
    fi
    if [ "$positioned" = 1 ] && ! [[ $rest =~ ^:[0-9]+:[0-9]+:\  ]]; then
        echo "FAIL $name: no LINE:COL after the file name: $err"; fail=1; return
    fi
    if [[ $err != *"$text"* ]]; then
        echo "FAIL $name: stderr lacks \"$text\": $err"; fail=1; return
    fi
    echo "ok   $name: $err"
}

for f in "$bad"/*.yaml; do
    name=$(basename "$f")
    first=$(head -n 1 "$f")
    text=${first#"# expect: "}
    if [ "$text" = "$first" ] || [ -z "$text" ]; then
        echo "FAIL $name: first line is not \"# expect: TEXT\""; fail=1; continue
    fi
    count=$((count + 1))
    check "lint $name" "$f" "$text" 1 -- lint --firmware-path "$fwdir" "$f"
    if [ "$RUN_TOO" = 1 ]; then
        check "run $name" "$f" "$text" 1 -- run "$f" --firmware-path "$fwdir"
    fi
done
if [ "$count" -lt 25 ]; then
    echo "FAIL only $count files in $bad (expected at least 25)"; fail=1
fi

# Generated: too large, too many nodes, missing, a directory.
big=$tmp/big.yaml
{ echo "version: 1"; echo "duration: 1s"; echo "nodes: [{name: a, firmware: hello.elf}]";
  head -c 1100000 /dev/zero | tr '\0' '#'; echo; } >"$big"
check "lint too large" "$big" "file too large (more than 1 MB)" 0 -- lint "$big"
many=$tmp/many.yaml
{ echo "version: 1"; echo "duration: 1s"; echo "nodes:"
  for i in $(seq 0 10000); do echo "  - {name: n$i, firmware: hello.elf}"; done; } >"$many"
check "lint too many nodes" "$many" "nodes: too many entries (10001; the limit is 10000)" 1 \
    -- lint --firmware-path "$fwdir" "$many"
check "lint missing" "$tmp/nonexistent.yaml" "cannot open: No such file or directory" 0 \
    -- lint "$tmp/nonexistent.yaml"
mkdir "$tmp/dir.yaml"
check "lint directory" "$tmp/dir.yaml" "not a regular file" 0 -- lint "$tmp/dir.yaml"

# Several files: all are checked, one line per bad file, exit 2 if any fails.
goods=("$good"/*.yaml)
timeout 20 "$espsim" lint --firmware-path "$fwdir" "${goods[0]}" "$bad/version-2.yaml" \
    "$bad/seed-negative.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ] || [ "$(wc -l <"$tmp/err")" -ne 2 ] || [ -s "$tmp/out" ]; then
    echo "FAIL several files: exit $rc, stderr:"; cat "$tmp/err"; fail=1
else
    echo "ok   several files: exit 2, two lines"
fi

# Every good file passes; -v prints "ok FILE" for each.
timeout 20 "$espsim" lint -v --firmware-path "$fwdir" "${goods[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ] || [ "$(wc -l <"$tmp/out")" -ne "${#goods[@]}" ]; then
    echo "FAIL good files: exit $rc"; cat "$tmp/out" "$tmp/err"; fail=1
else
    echo "ok   good files: $(tr '\n' ' ' <"$tmp/out")"
fi
timeout 20 "$espsim" lint --firmware-path "$fwdir" "${goods[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ] || [ -s "$tmp/out" ]; then
    echo "FAIL good files are not silent without -v: exit $rc"; cat "$tmp/out" "$tmp/err"
    fail=1
fi
exit $fail
