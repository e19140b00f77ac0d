# tests/cli/expect.sh — sourced by the bad-input scripts. Needs $espsim and $tmp; sets fail=1 on
# a failed expectation.
#   expect NAME EXPECTED_RC PATTERN -- espsim args...
# passes when espsim exits with EXPECTED_RC and prints exactly one line on stderr matching the
# extended regular expression PATTERN.
fail=0
expect() {
    local name=$1 want=$2 pat=$3
    shift 4
    timeout 20 "$espsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local lines
    lines=$(wc -l <"$tmp/err")
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; cat "$tmp/err"; fail=1; return
    fi
    if [ "$lines" -ne 1 ]; then
        echo "FAIL $name: $lines lines on stderr, expected 1"; cat "$tmp/err"; fail=1; return
    fi
    if ! grep -qE -- "$pat" "$tmp/err"; then
        echo "FAIL $name: stderr does not match /$pat/:"; cat "$tmp/err"; fail=1; return
    fi
    echo "ok   $name: $(cat "$tmp/err")"
}
