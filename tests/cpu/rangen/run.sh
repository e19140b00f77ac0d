#!/usr/bin/env bash
# tests/cpu/rangen/run.sh — differential testing of espsim against QEMU with random programs
# (docs/random-testing.md).
#
#   run.sh --espsim PATH [--seed S] [--count N] [--start I] [--jobs J] [--keep DIR]
#          [--length L] [--rangen PATH] [--timeout SECS]
#
# For each index I in [start, start+count): rangen writes a program, xtensa-lx106-elf-gcc links
# it with firmware/qsim-rt/qsim.ld, QEMU (-M sim -cpu lx106) and `espsim run --machine qemu-sim`
# run it, and their stdout and exit codes are compared. On a mismatch both run again with
# per-instruction traces and tracecmp.py prints the first instruction whose effects differ.
# Reports come out sorted by index whatever --jobs is; the last line is "N programs, M mismatches"
# and the exit status is 1 if M > 0 (2 for usage errors).
#
# Without --rangen, rangen.c is compiled into the work directory with ${CC:-cc}. QEMU_XTENSA and
# XTENSA_GCC in the environment override the qemu-system-xtensa and xtensa-lx106-elf-gcc names.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
DEFAULT_SEED=48879 # 0xBEEF; the CI run and docs/random-testing.md use it

# ---- worker: one index; configuration comes from RG_* in the environment ------------------------
if [[ ${1:-} == --worker ]]; then
    i=$2
    d=$RG_WORK/p$i
    res=$RG_WORK/res/$i
    mkdir -p "$d"
    # -singlestep: one instruction per translation block, so QEMU's per-block optimisations
    # cannot hide or fake differences (QEMU 7.2 mistranslates SSL/SSA8B + SRL/SRA with SAR = 32
    # inside one block; docs/random-testing.md); -icount: deterministic CCOUNT
    qemu=("$QEMU_XTENSA" -M sim -cpu lx106 -semihosting -nographic -monitor none
          -singlestep -icount "shift=0,sleep=off" -kernel "$d/prog.elf")
    (
        if ! "$RG_RANGEN" --seed "$RG_SEED" --index "$i" ${RG_LENGTH:+--length "$RG_LENGTH"} \
                > "$d/prog.S" 2> "$d/rangen.err"; then
            echo "index $i: MISMATCH (rangen failed)"; sed 's/^/  /' "$d/rangen.err"
            exit 0
        fi
        if ! "$XTENSA_GCC" -nostdlib -nostartfiles -T "$root/firmware/qsim-rt/qsim.ld" \
                -o "$d/prog.elf" "$d/prog.S" > "$d/build.log" 2>&1; then
            echo "index $i: MISMATCH (assembling the generated program failed)"
            head -n 20 "$d/build.log" | sed 's/^/  /'
            exit 0
        fi
        timeout "$RG_TIMEOUT" "${qemu[@]}" > "$d/qemu.out" 2> "$d/qemu.err" < /dev/null
        qrc=$?
        timeout "$RG_TIMEOUT" "$RG_ESPSIM" run --machine qemu-sim --max-insns 2000000 \
            "$d/prog.elf" > "$d/espsim.out" 2> "$d/espsim.err" < /dev/null
        erc=$?
        # a complete digest is 16 register lines and 8 memory lines, then exit(0): anything else
        # means the program itself went wrong, even if both simulators agree about it
        if [[ $qrc -ne 0 || $(grep -c . "$d/qemu.out") -ne 24 ]]; then
            echo "index $i: MISMATCH (the program did not complete on QEMU: exit $qrc)"
            head -n 5 "$d/qemu.err" | sed 's/^/  qemu: /'
        elif [[ $qrc -eq $erc ]] && cmp -s "$d/qemu.out" "$d/espsim.out"; then
            echo "index $i: ok"
            [[ -n $RG_KEEP ]] || rm -rf "$d"
            exit 0
        else
            echo "index $i: MISMATCH (exit codes: qemu $qrc, espsim $erc)"
        fi
        if ! cmp -s "$d/qemu.out" "$d/espsim.out"; then
            echo "  output (--- qemu, +++ espsim):"
            diff "$d/qemu.out" "$d/espsim.out" | head -n 24 | sed 's/^/    /'
        fi
        [[ -s $d/espsim.err ]] && head -n 5 "$d/espsim.err" | sed 's/^/  espsim: /'
        # traces: QEMU logs the state before every instruction with -singlestep -d cpu,nochain;
        # cap the log (a faulting program spins in QEMU) and espsim's instruction count
        ( ulimit -f 1000000
          timeout "$RG_TIMEOUT" "${qemu[@]}" -d cpu,nochain -D "$d/qemu.trace" \
              > /dev/null 2>&1 < /dev/null )
        timeout "$RG_TIMEOUT" "$RG_ESPSIM" run --machine qemu-sim --max-insns 200000 \
            --trace "$d/espsim.trace" "$d/prog.elf" > /dev/null 2>&1 < /dev/null
        python3 "$here/tracecmp.py" "$d/qemu.trace" "$d/espsim.trace" 2>&1 | sed 's/^/  /'
        [[ ${PIPESTATUS[0]} -ne 0 ]] ||
            echo "  (registers agree at every step: the difference is in memory, see the output)"
        echo "  reproduce: $here/run.sh --espsim $RG_ESPSIM --seed $RG_SEED --start $i --count 1" \
             "${RG_LENGTH:+--length $RG_LENGTH }--keep DIR"
        [[ -n $RG_KEEP ]] || rm -f "$d/qemu.trace" "$d/espsim.trace"
    ) > "$res.tmp" 2>&1
    mv "$res.tmp" "$res"
    exit 0
fi

# ---- driver ------------------------------------------------------------------------------------
usage() {
    sed -n '4,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,3\}//' >&2
    exit 2
}

espsim="" seed=$DEFAULT_SEED count=100 start=0 jobs=$(nproc 2>/dev/null || echo 1) keep="" length=""
rangen="" tmo=20
while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || usage
    case $1 in
    --espsim) espsim=$2 ;;
    --seed) seed=$2 ;;
    --count) count=$2 ;;
    --start) start=$2 ;;
    --jobs) jobs=$2 ;;
    --keep) keep=$2 ;;
    --length) length=$2 ;;
    --rangen) rangen=$2 ;;
    --timeout) tmo=$2 ;;
    *) usage ;;
    esac
    shift 2
done
[[ -n $espsim ]] || usage
for n in "$count" "$start" "$jobs" "$tmo"; do [[ $n =~ ^[0-9]+$ ]] || usage; done
[[ $jobs -ge 1 ]] || jobs=1
espsim=$(cd "$(dirname "$espsim")" && pwd)/$(basename "$espsim")
[[ -x $espsim ]] || { echo "run.sh: $espsim: not executable" >&2; exit 2; }
export QEMU_XTENSA=${QEMU_XTENSA:-qemu-system-xtensa}
export XTENSA_GCC=${XTENSA_GCC:-xtensa-lx106-elf-gcc}
for tool in "$XTENSA_GCC" "$QEMU_XTENSA" python3 timeout; do
    command -v "$tool" > /dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done

if [[ -n $keep ]]; then
    mkdir -p "$keep" && work=$(cd "$keep" && pwd) || exit 2
    rm -rf "$work/res"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/rangen.XXXXXX") || exit 2
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/res"

if [[ -z $rangen ]]; then
    rangen=$work/rangen
    ${CC:-cc} -std=c11 -O2 -o "$rangen" "$here/rangen.c" || exit 2
fi
rangen=$(cd "$(dirname "$rangen")" && pwd)/$(basename "$rangen")

export RG_WORK=$work RG_RANGEN=$rangen RG_ESPSIM=$espsim RG_SEED=$seed RG_LENGTH=$length
export RG_KEEP=$keep RG_TIMEOUT=$tmo

t0=$(date +%s)
if [[ $count -gt 0 ]]; then
    seq "$start" $((start + count - 1)) | xargs -P "$jobs" -n 1 "${BASH_SOURCE[0]}" --worker
fi
t1=$(date +%s)

mismatches=0
for ((i = start; i < start + count; i++)); do
    r=$work/res/$i
    if [[ ! -f $r ]]; then
        echo "index $i: MISMATCH (no result: the worker died)"
        mismatches=$((mismatches + 1))
    elif ! grep -q '^index [0-9]*: ok$' "$r"; then
        cat "$r"
        mismatches=$((mismatches + 1))
    fi
done
echo "seed $seed, indices $start..$((start + count - 1))${length:+, length $length}"
echo "run.sh: $((t1 - t0)) s with $jobs job(s)" >&2 # kept off stdout, which is deterministic
echo "$count programs, $mismatches mismatches"
[[ $mismatches -eq 0 ]]
