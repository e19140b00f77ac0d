/* bench/matmul.c — integer matrix multiply C = A * B (MM_N x MM_N, 32-bit wrap-around), the
 * classic i-j-k loop with a register accumulator: l32i, l32i, mull, add per term. Checks:
 * Freivalds' test C*r == A*(B*r) for a pseudo-random vector r, and a 2x2 known answer; the result
 * is the FNV-1a of C. */
#include "bench.h"

#ifdef BENCH_SMALL
#define MM_N         48u
#define BENCH_EXPECT 0xb72e56fbu
#else
#define MM_N         320u
#define BENCH_EXPECT 0x70dea0c7u
#endif

QSIM_BIGBSS static uint32_t mm_a[MM_N * MM_N];
QSIM_BIGBSS static uint32_t mm_b[MM_N * MM_N];
QSIM_BIGBSS static uint32_t mm_c[MM_N * MM_N];
static uint32_t mm_r[MM_N], mm_br[MM_N];

static void mm_multiply(uint32_t *c, const uint32_t *a, const uint32_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            uint32_t s = 0;
            for (size_t k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

static void mm_vector(uint32_t *out, const uint32_t *m, const uint32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t s = 0;
        for (size_t k = 0; k < n; k++)
            s += m[i * n + k] * v[k];
        out[i] = s;
    }
}

int main(void)
{
    int fails = 0;
    static const uint32_t ka[4] = {1, 2, 3, 4}, kb[4] = {5, 6, 7, 0xFFFFFFFFu};
    uint32_t kc[4];
    mm_multiply(kc, ka, kb, 2); /* {{19, 4}, {43, 14}} mod 2^32 */
    fails += bench_check("matmul", "2x2 c00", kc[0], 19);
    fails += bench_check("matmul", "2x2 c01", kc[1], 4);
    fails += bench_check("matmul", "2x2 c10", kc[2], 43);
    fails += bench_check("matmul", "2x2 c11", kc[3], 14);

    bench_rng rng = {BENCH_SEED};
    bench_fill(&rng, mm_a, MM_N * MM_N);
    bench_fill(&rng, mm_b, MM_N * MM_N);
    bench_fill(&rng, mm_r, MM_N);
    mm_multiply(mm_c, mm_a, mm_b, MM_N);

    uint32_t cr[MM_N], abr[MM_N];
    mm_vector(cr, mm_c, mm_r, MM_N);
    mm_vector(mm_br, mm_b, mm_r, MM_N);
    mm_vector(abr, mm_a, mm_br, MM_N);
    uint32_t bad = 0;
    for (size_t i = 0; i < MM_N; i++)
        bad += cr[i] != abr[i];
    fails += bench_check("matmul", "Freivalds rows differing", bad, 0);
    return bench_finish("matmul", qs_fnv1a(2166136261u, mm_c, sizeof(mm_c)), BENCH_EXPECT, fails);
}
