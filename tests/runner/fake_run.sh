#!/bin/bash
# tests/runner/fake_run.sh — a stand-in for `espsim run SCENARIO --out DIR [--seed N]
# [--firmware-path DIRS]` (the runner_cli test points ESPSIM_TEST_EXEC here). It writes the files
# a scenario run writes (junit.xml, events.jsonl, summary.txt, node0.uart.log) and behaves as
# directives in the scenario file say:
#   # fake-exit: N        exit with N (default 0); 1 marks a step failed in junit.xml
#   # fake-signal: SIG    kill itself with SIG after writing the outputs
#   # fake-sleep: SECS    sleep first (shuffles the completion order)
#   # fake-no-junit       write no junit.xml (as a config error would)
#   # fake-green-junit    junit.xml says every step passed, whatever the exit code
#   # fake-events: pid    put the process id into events.jsonl (not deterministic)
#   # fake-uart: counter  put a counter from $FAKE_STATE/counter into the UART log
#   # fake-stderr: TEXT   print TEXT (printf %b escapes) on stderr first
#   # fake-junit: KIND    "wrapped": two suites inside <testsuites>, one self-closing;
#                         "garbage": a junit.xml without any <testsuite>
set -u
[ "${1:-}" = run ] || { echo "fake_run: expected 'run'" >&2; exit 2; }
file=${2:-}
shift 2
out='' seed=none fwpath=none limit=none
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --firmware-path) fwpath=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    *) echo "fake_run: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || { echo "fake_run: no --out" >&2; exit 2; }
[ -r "$file" ] || { echo "$file: cannot read" >&2; exit 2; }
directive() { sed -n "s/^# fake-$1:* *//p" "$file" | head -n 1; }
has() { grep -q "^# fake-$1" "$file"; }

code=$(directive exit); code=${code:-0}
text=$(directive stderr); [ -n "$text" ] && printf '%b\n' "$text" >&2
sleep_s=$(directive sleep); [ -n "$sleep_s" ] && sleep "$sleep_s"
echo "fake run of $file"
mkdir -p "$out"
name=$(basename "$file" .yaml)

if has no-junit; then
    echo "$file:1:1: fake: config problem (exit $code)" >&2
    exit "$code"
fi

{
    printf '{"t_ps":0,"event":"start","scenario":"%s","seed":"%s","firmware_path":"%s","limit":"%s"}\n' \
        "$name" "$seed" "$fwpath" "$limit"
    [ "$(directive events)" = pid ] && printf '{"t_ps":5,"event":"pid","pid":%d}\n' $$
    printf '{"t_ps":10,"event":"end","exit":%d}\n' "$code"
} >"$out/events.jsonl"

counter=
if [ "$(directive uart)" = counter ]; then
    n=$(cat "$FAKE_STATE/counter" 2>/dev/null || echo 0)
    counter=$((n + 1))
    echo "$counter" >"$FAKE_STATE/counter"
fi
printf '[0.000000] boot %s %s\n' "$name" "$counter" >"$out/node0.uart.log"
echo "exit $code" >"$out/summary.txt"

case $(directive junit) in
wrapped)
    printf '%s\n' '<?xml version="1.0"?>' '<testsuites>' \
        "<testsuite name='w1' tests='1' failures='0' errors='0'><testcase name='x > y'/></testsuite>" \
        '<testsuite name="w2" tests="0"/>' '</testsuites>' >"$out/junit.xml"
    exit "$code" ;;
garbage)
    echo '<testsuitesX><testsuiteX/>' >"$out/junit.xml"
    exit "$code" ;;
esac
fail=0
[ "$code" != 0 ] && ! has green-junit && fail=1
{
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuite name=\"$name\" tests=\"2\" failures=\"$fail\" errors=\"0\">"
    echo "  <testcase classname=\"$name\" name=\"step 1: wait-serial\"/>"
    if [ "$fail" = 1 ]; then
        echo "  <testcase classname=\"$name\" name=\"step 2: counter\">"
        echo "    <failure message=\"fake failure &lt;exit $code&gt;\"/>"
        echo "  </testcase>"
    else
        echo "  <testcase classname=\"$name\" name=\"step 2: counter\"/>"
    fi
    echo "</testsuite>"
} >"$out/junit.xml"

[ "$code" != 0 ] && echo "$file: fake failure (exit $code)" >&2
sig=$(directive signal)
[ -n "$sig" ] && kill -s "$sig" $$
exit "$code"
