/* bench/bench.h — shared helpers for the CPU benchmarks (qemu-sim machine, or the host through
 * bench/host/qsim.h).
 *
 * Every benchmark draws its input from a fixed-seed xorshift32 generator, prints one line
 * "<name> result 0x%08x" and exits 0, or prints "<name> FAIL ..." lines and exits 1 when a
 * self-check or the expected result does not match. BENCH_SMALL selects the smoke-test size.
 * The expected results (BENCH_EXPECT in each file) come from building the same source
 * natively against bench/host/qsim.h (ctest bench_host_NAME runs those builds).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "qsim.h"

#define BENCH_SEED 0x2545F491u

/* xorshift32 (Marsaglia 2003, shifts 13/17/5); state must not be 0. */
typedef struct bench_rng {
    uint32_t s;
} bench_rng;

static inline uint32_t bench_rng_next(bench_rng *r)
{
    uint32_t x = r->s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->s = x;
    return x;
}

static inline void bench_fill(bench_rng *r, uint32_t *buf, size_t nwords)
{
    for (size_t i = 0; i < nwords; i++)
        buf[i] = bench_rng_next(r);
}

/* Prints a FAIL line and returns 1 when got != want, else returns 0. */
static inline int bench_check(const char *name, const char *what, uint32_t got, uint32_t want)
{
    if (got == want) return 0;
    qs_printf("%s FAIL %s: got 0x%08x, expected 0x%08x\n", name, what, (unsigned)got,
              (unsigned)want);
    return 1;
}

/* Prints the result line and the process exit code: 0 when every check passed. */
static inline int bench_finish(const char *name, uint32_t result, uint32_t expect, int fails)
{
    qs_printf("%s result 0x%08x\n", name, (unsigned)result);
    fails += bench_check(name, "result", result, expect);
    return fails ? 1 : 0;
}

#endif
