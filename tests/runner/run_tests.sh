#!/bin/bash
# tests/runner/run_tests.sh DRIVER FAKE_RUN — checks `espsim test` (sim/cli/cli_test.c).
# DRIVER is a program whose `DRIVER test ...` is `espsim test ...` (runner_driver, or espsim
# itself); FAKE_RUN stands in for `espsim run` through ESPSIM_TEST_EXEC.
set -u
drv=$1
export ESPSIM_TEST_EXEC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FAKE_STATE=$tmp/state
mkdir "$tmp/state"
cd "$tmp" || exit 1
fail=0
ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    fail=1
}
check() { # check NAME COMMAND...: passes when COMMAND succeeds
    local name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
# t OUTDIR ARGS...: runs `test ARGS --out OUTDIR`, sets rc, stderr in OUTDIR.stderr
t() {
    local out=$1
    shift
    timeout 120 "$drv" test "$@" --out "$out" >"$out.stdout" 2>"$out.stderr"
    rc=$?
}
# expect_err NAME PATTERN ARGS...: exit 2 and exactly one stderr line matching PATTERN
expect_err() {
    local name=$1 pat=$2
    shift 2
    timeout 60 "$drv" test "$@" >err.out 2>err.err
    local r=$? lines
    lines=$(wc -l <err.err)
    if [ "$r" -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -qE -- "$pat" err.err; then
        bad "$name: exit $r, $lines stderr lines: $(head -c 300 err.err)"
    else
        ok "$name: $(cat err.err)"
    fi
}
# mk FILE [DIRECTIVE...]: a scenario file with fake_run directives
mk() {
    local f=$1
    shift
    mkdir -p "$(dirname "$f")"
    { echo "version: 1"; for d in "$@"; do echo "# fake-$d"; done; } >"$f"
}
runs() { grep -E '^(PASS|FAIL)  ' "$1/summary.txt" | awk '{print $2}'; }

# ---- suites ------------------------------------------------------------------------------------
mk pass/a.yaml
mk pass/b.yaml "sleep: 0.3"
mk pass/c.yaml
mk pass/sub/d.yaml "sleep: 0.2"
mk pass/sub/e.yaml
mk pass/sub/deep/f.yaml
mk pass/g.yaml "sleep: 0.1"
mk pass/h.yaml
mk pass/.hidden/x.yaml "exit: 1"
echo "not a scenario" >pass/notes.txt
echo "not a scenario" >pass/sub/readme.md
all=$'pass/a.yaml\npass/b.yaml\npass/c.yaml\npass/g.yaml\npass/h.yaml\npass/sub/d.yaml\npass/sub/deep/f.yaml\npass/sub/e.yaml'

mk mixed/1-pass.yaml
mk mixed/2-expect.yaml "exit: 1" "sleep: 0.2"
mk mixed/3-guest.yaml "exit: 3"
mk mixed/4-pass.yaml "sleep: 0.3"
mk mixed/5-config.yaml "exit: 2" "no-junit"
mk mixed/6-hang.yaml "exit: 4" "sleep: 0.1"
mk mixed/7-signal.yaml "signal: KILL"
mk mixed/8-green.yaml "exit: 3" "green-junit"

# ---- collection, order, per-run outputs ----------------------------------------------------------
t o_all pass -j 2
check "all passing: exit 0" [ "$rc" -eq 0 ]
check "recursive *.yaml, sorted by path, hidden and other files skipped" \
    [ "$(runs o_all)" = "$all" ]
check "per-run outputs and run.log" \
    grep -q "fake run of pass/sub/deep/f.yaml" o_all/pass/sub/deep/f/run.log
check "per-run junit.xml kept" [ -s o_all/pass/a/junit.xml ]
check "combined junit has 8 suites" [ "$(grep -c '^  <testsuite ' o_all/junit.xml)" -eq 8 ]
check "combined junit totals" grep -q 'tests="16" failures="0" errors="0"' o_all/junit.xml
check "summary counts" grep -qx 'passed: 8' o_all/summary.txt
if command -v xmllint >/dev/null; then
    check "combined junit is well-formed" xmllint --noout o_all/junit.xml
fi

# ---- non-terminal progress: one line per finished run --------------------------------------------
check "non-terminal: 8 PASS lines" [ "$(grep -cE '^PASS  pass/[a-z/]+\.yaml  \([0-9]+\.[0-9] s host\)$' o_all.stderr)" -eq 8 ]
check "non-terminal: nothing else on stderr" [ "$(wc -l <o_all.stderr)" -eq 8 ]
check "no terminal escapes when not a terminal" bash -c "! grep -q $'\e' o_all.stderr"

# ---- sharding ------------------------------------------------------------------------------------
: >shards
for k in 1 2 3; do
    t o_sh$k pass --shard $k/3 -j 2
    check "shard $k/3: exit 0" [ "$rc" -eq 0 ]
    runs o_sh$k >>shards
done
check "shards: union of 1/3 2/3 3/3 is the whole set" [ "$(sort -u shards)" = "$(sort <<<"$all")" ]
check "shards: disjoint" [ "$(wc -l <shards)" -eq 8 ]
check "shard 1/3 is indices 0,3,6 of the sorted list" \
    [ "$(runs o_sh1 | tr '\n' ' ')" = "pass/a.yaml pass/g.yaml pass/sub/deep/f.yaml " ]
t o_sh_empty pass/a.yaml pass/b.yaml --shard 3/3
check "empty shard: exit 0, no runs" \
    bash -c "[ $rc -eq 0 ] && grep -qx 'runs: 0' o_sh_empty/summary.txt && grep -q 'tests=\"0\"' o_sh_empty/junit.xml"

# ---- filter --------------------------------------------------------------------------------------
t o_filter pass --filter 'sub/'
check "filter sub/" [ "$(runs o_filter | tr '\n' ' ')" = "pass/sub/d.yaml pass/sub/deep/f.yaml pass/sub/e.yaml " ]
t o_filter2 pass --filter '^pass/[bc]\.yaml$'
check "filter anchored ERE" [ "$(runs o_filter2 | tr '\n' ' ')" = "pass/b.yaml pass/c.yaml " ]
t o_filter3 pass --filter 'sub/' --shard 2/2
check "filter before shard" [ "$(runs o_filter3)" = "pass/sub/deep/f.yaml" ]

# ---- repeat ----------------------------------------------------------------------------------------
t o_rep pass/a.yaml pass/sub/d.yaml --repeat 3 -j 3
check "repeat: exit 0" [ "$rc" -eq 0 ]
check "repeat: each run has its own dir" bash -c \
    'for n in a sub/d; do for k in 1 2 3; do [ -s o_rep/pass/$n.repeat-$k/events.jsonl ] || exit 1; done; done'
check "repeat: 6 runs" grep -qx 'runs: 6' o_rep/summary.txt
check "repeat: 6 suites, named by repeat" \
    bash -c '[ "$(grep -c "^  <testsuite name=\"[a-z]* \[repeat [123]\]\"" o_rep/junit.xml)" -eq 6 ]'

# ---- pass-through ----------------------------------------------------------------------------------
t o_seed pass/a.yaml --seed 42 --firmware-path fw1:fw2
check "--seed and --firmware-path reach the run" \
    grep -q '"seed":"42","firmware_path":"fw1:fw2"' o_seed/pass/a/events.jsonl
t o_limit pass/a.yaml --limit uart=1K,vcd=unlimited
check "--limit reaches the run" grep -q '"limit":"uart=1K,vcd=unlimited"' o_limit/pass/a/events.jsonl
expect_err "--limit checked" "unknown limit 'disk'" pass/a.yaml --limit disk=1G

# ---- exit 5 (an output limit) ranks above 3 and 1, below 4 and 2 ----------------------------------
mk lim/1-guest.yaml "exit: 3"
mk lim/2-limit.yaml "exit: 5"
mk lim/3-expect.yaml "exit: 1"
t o_lim lim -j 2
check "output limit: exit 5 over 3 and 1" [ "$rc" -eq 5 ]
check "output limit: counted" grep -qx 'output-limit: 1' o_lim/summary.txt
check "output limit: named" grep -qE '^FAIL  lim/2-limit.yaml  exit 5 \(output limit\)' o_lim/summary.txt
mk lim/4-hang.yaml "exit: 4"
t o_lim4 lim -j 2
check "hang guard (4) over output limit (5)" [ "$rc" -eq 4 ]

# ---- -j 1 and -j 4 give the same combined report ---------------------------------------------------
t o_j1 mixed -j 1
rc1=$rc
t o_j4 mixed -j 4
check "-j 1 vs -j 4: same exit code" [ "$rc1" -eq "$rc" ]
check "-j 1 vs -j 4: same junit.xml" cmp o_j1/junit.xml o_j4/junit.xml
check "-j 1 vs -j 4: same summary.txt" cmp o_j1/summary.txt o_j4/summary.txt
# The sleeps should make -j 4 finish out of sorted order; only a note if the host was too slow.
if [ "$(grep -oE "^(PASS|FAIL)  [^ ]*" o_j4.stderr)" = "$(grep -oE "^(PASS|FAIL)  [^ ]*" o_j1.stderr)" ]; then
    echo "note: -j 4 happened to finish in sorted order"
fi
if command -v xmllint >/dev/null; then
    check "mixed junit is well-formed" xmllint --noout o_j4/junit.xml
fi
check "config error without junit.xml: synthesized error carrying its stderr" \
    grep -q '<error type="run" message="exit 2 (config or input error): mixed/5-config.yaml:1:1: fake: config problem (exit 2)' o_j4/junit.xml
check "signal: synthesized error" grep -q 'message="killed by signal 9 (Killed)' o_j4/junit.xml
check "signal: clear message on stderr" grep -qE '^FAIL  mixed/7-signal.yaml  killed by signal 9 \(Killed\)' o_j4.stderr
check "exit 3 with a green junit.xml still fails in the combined report" \
    grep -q 'testsuite name="mixed/8-green.yaml" tests="1" failures="0" errors="1"' o_j4/junit.xml
check "non-terminal FAIL lines" \
    [ "$(grep -cE '^FAIL  mixed/[0-9a-z-]+\.yaml  (exit [0-9]|killed by signal 9).*  \([0-9]+\.[0-9] s host\)$' o_j4.stderr)" -eq 6 ]
check "summary lists the failures" grep -qE '^FAIL  mixed/3-guest.yaml  exit 3 \(guest fault or virtual timeout\): mixed/3-guest.yaml: fake failure' o_j4/summary.txt

# child junit.xml variants and hostile stderr
mk odd/wrapped.yaml "junit: wrapped"
mk odd/garbage.yaml "junit: garbage"
mk odd/binary.yaml "exit: 2" "no-junit" 'stderr: \x01bad\xff\xfe \xc2\xb5s <&> "q"\tend'
t o_odd odd
check "odd: exit 2" [ "$rc" -eq 2 ]
if command -v xmllint >/dev/null; then
    check "odd: junit well-formed" xmllint --noout o_odd/junit.xml
fi
check "odd: a <testsuites> wrapper is unwrapped" [ "$(grep -c '<testsuites' o_odd/junit.xml)" -eq 1 ]
check "odd: both suites merged, self-closing kept" \
    bash -c "grep -q \"<testsuite name='w1'\" o_odd/junit.xml && grep -q '<testsuite name=\"w2\" tests=\"0\"/>' o_odd/junit.xml"
check "odd: junit.xml without <testsuite> on exit 0 is an error" \
    grep -q 'message="exit 0 (passed) but no junit.xml with a &lt;testsuite&gt;"' o_odd/junit.xml
check "odd: control and invalid bytes replaced, markup escaped" \
    grep -qF 'message="exit 2 (config or input error): ?bad?? µs &lt;&amp;&gt; &quot;q&quot;&#9;end; no junit.xml"' o_odd/junit.xml

# stale outputs of an earlier run are not merged
t o_stale mixed/5-config.yaml
check "stale junit.xml from an earlier run is not merged" \
    bash -c '! grep -q "name=\"5-config\"" o_stale/junit.xml'
cp o_j4/mixed/1-pass/junit.xml o_stale/mixed/5-config/junit.xml
t o_stale mixed/5-config.yaml
check "stale junit.xml removed before the run" \
    bash -c '[ ! -e o_stale/mixed/5-config/junit.xml ] && ! grep -q "name=\"1-pass\"" o_stale/junit.xml'

# ---- exit-code precedence: 2 > 4 > 3 > 1 > 0 ---------------------------------------------------------
prec() { # prec WANT FILES...
    local want=$1
    shift
    t o_prec "$@" -j 3
    check "precedence: $* -> $want" [ "$rc" -eq "$want" ]
}
prec 0 mixed/1-pass.yaml mixed/4-pass.yaml
prec 1 mixed/1-pass.yaml mixed/2-expect.yaml
prec 3 mixed/2-expect.yaml mixed/3-guest.yaml
prec 3 mixed/8-green.yaml
prec 4 mixed/2-expect.yaml mixed/3-guest.yaml mixed/6-hang.yaml
prec 4 mixed/2-expect.yaml mixed/3-guest.yaml mixed/7-signal.yaml
prec 2 mixed/2-expect.yaml mixed/3-guest.yaml mixed/6-hang.yaml mixed/5-config.yaml
prec 2 mixed

# ---- --verify-determinism ------------------------------------------------------------------------------
t o_ver pass -j 2 --verify-determinism
check "verify: deterministic suite passes" [ "$rc" -eq 0 ]
check "verify: summary" grep -qx 'determinism-mismatch: 0' o_ver/summary.txt
check "verify: second tree with -j 1" \
    bash -c '[ -s o_ver/.verify/pass/sub/e/events.jsonl ] && grep -q "running again with -j 1" o_ver.stderr'
check "verify: determinism suite in junit" grep -q '<testsuite name="determinism" tests="8" failures="0"' o_ver/junit.xml

mk nondet/a.yaml
mk nondet/pid.yaml "events: pid"
t o_nd nondet --verify-determinism -j 1
check "verify: pid in events.jsonl -> exit 1" [ "$rc" -eq 1 ]
check "verify: second pass with -j 2 when -j 1" grep -q 'running again with -j 2' o_nd.stderr
check "verify: names the scenario and the first differing line" \
    grep -qE '^DIFF  nondet/pid.yaml  not deterministic: events.jsonl line 2: "\{"t_ps":5,"event":"pid","pid":[0-9]+\}" vs "\{"t_ps":5,"event":"pid","pid":[0-9]+\}"$' o_nd.stderr
check "verify: only the nondeterministic scenario" bash -c '! grep -q "DIFF  nondet/a.yaml" o_nd.stderr'
check "verify: summary and junit" \
    bash -c 'grep -qx "determinism-mismatch: 1" o_nd/summary.txt && grep -q "<failure type=\"determinism\" message=\"events.jsonl line 2" o_nd/junit.xml'

mk nduart/u.yaml "uart: counter"
t o_nu nduart --verify-determinism -j 2
check "verify: UART log difference -> exit 1" [ "$rc" -eq 1 ]
check "verify: names the UART log" \
    grep -qE '^DIFF  nduart/u.yaml  not deterministic: node0.uart.log line 1: ".*u 1" vs ".*u 2"$' o_nu.stderr
t o_nm mixed --verify-determinism -j 3
check "verify: failures keep their own precedence (config error -> 2)" [ "$rc" -eq 2 ]
check "verify: identical failing runs are deterministic" grep -qx 'determinism-mismatch: 0' o_nm/summary.txt

# ---- output names ------------------------------------------------------------------------------------------
mk yml/k.yml
t o_yml yml/k.yml
check "an explicit *.yml file runs (and is named without .yml)" [ -s o_yml/yml/k/events.jsonl ]
t o_names ./pass/../pass/a.yaml
check "'.' dropped and '..' mapped inside --out" [ -s o_names/pass/__/pass/a/events.jsonl ]
expect_err "two paths, one output dir" "share the output directory" pass/a.yaml ./pass/a.yaml --out o_col

# ---- bad input: one line, exit 2 ------------------------------------------------------------------------------
expect_err "missing path" "^espsim: nosuch/x.yaml: No such file or directory$" nosuch/x.yaml
expect_err "missing path among others" "^espsim: nosuch: " pass nosuch
expect_err "a file that is not a scenario" "not a scenario file" pass/notes.txt
mkdir -p emptydir
expect_err "no scenario under a directory" "no scenario file" emptydir
expect_err "no paths" "no scenario files or directories" --out o_x
for s in 0/3 4/3 1/0 a/b 1/3x /3 1/ 3 "" -1/3 1/99999999999999999999; do
    expect_err "bad --shard '$s'" "bad --shard .*K/N" pass --shard "$s"
done
expect_err "--shard without value" "missing value" pass --shard
expect_err "bad -j 0" "bad -j" pass -j 0
expect_err "bad -jx" "bad -j" pass -jx
expect_err "bad --repeat 0" "bad --repeat" pass --repeat 0
expect_err "bad --seed" "bad number for --seed" pass --seed 12abc
expect_err "bad --filter" "bad --filter" pass --filter '('
expect_err "filter matching nothing" "matches no scenario" pass --filter zzz
expect_err "--filter nested repetition" "too complex" pass --filter '((a{1,100}){1,100}){1,100}'
expect_err "unknown option" "unknown option: --bogus" pass --bogus
ESPSIM_TEST_EXEC=$tmp/nosuch expect_err "runner not executable" "cannot execute" pass
check "--help exits 0" "$drv" test --help >/dev/null

# ---- terminal progress (needs script(1)) ------------------------------------------------------------------------
if command -v script >/dev/null; then
    script -qec "'$drv' test pass -j 2 --out o_tty" /dev/null >tty.out 2>&1 </dev/null
    check "terminal: updating progress line" grep -q $'\r\e\[K\[ *[0-9]/8\] [0-9] passed 0 failed' tty.out
    check "terminal: no per-run PASS lines" bash -c '! grep -q "^PASS  " tty.out'
    check "terminal: same summary as without" cmp o_tty/summary.txt o_all/summary.txt
fi

exit $fail
