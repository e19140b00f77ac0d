/* bench/memops.c — memcpy/memmove/memcmp/memset-heavy: random-length copies between random
 * offsets of two buffers (half of them word-aligned, so both the word and the byte paths of the
 * runtime's memcpy run), each verified with memcmp, then one byte flipped and the sign of
 * memcmp checked, with an overlapping memmove and a memset now and then. The result is the
 * FNV-1a of the destination buffer mixed with a running tally of the operations. */
#include "bench.h"

#ifdef BENCH_SMALL
#define MEM_BUF_BYTES (64u * 1024u)
#define MEM_OPS       200u
#define BENCH_EXPECT  0xfc3c7446u
#else
#define MEM_BUF_BYTES (1024u * 1024u)
#define MEM_OPS       5000u
#define BENCH_EXPECT  0x7c788dabu
#endif
#define MEM_MAX_LEN 8192u

QSIM_BIGBSS static uint32_t mem_src[MEM_BUF_BYTES / 4];
QSIM_BIGBSS static uint32_t mem_dst[MEM_BUF_BYTES / 4];

static int mem_sign(int v)
{
    return (v > 0) - (v < 0);
}

int main(void)
{
    int fails = 0;
    static const char ka[] = "memops-known-answer", kb[] = "memops-known-bnswer";
    char kt[sizeof(ka)];
    memcpy(kt, ka, sizeof(ka));
    fails += bench_check("memops", "memcmp equal", (uint32_t)memcmp(kt, ka, sizeof(ka)), 0);
    fails += bench_check("memops", "memcmp less", (uint32_t)mem_sign(memcmp(ka, kb, sizeof(ka))),
                         (uint32_t)-1);
    memmove(kt + 1, kt, 6); /* "m" + "memops" + "known-answer" */
    fails += bench_check("memops", "memmove overlap", (uint32_t)memcmp(kt, "mmemopsknown-", 13), 0);

    bench_rng rng = {BENCH_SEED};
    bench_fill(&rng, mem_src, MEM_BUF_BYTES / 4);
    uint8_t *src = (uint8_t *)mem_src, *dst = (uint8_t *)mem_dst;
    uint32_t tally = 0, bad = 0;
    for (uint32_t op = 0; op < MEM_OPS; op++) {
        uint32_t r = bench_rng_next(&rng);
        uint32_t len = 1 + (r & (MEM_MAX_LEN - 1));
        uint32_t so = bench_rng_next(&rng) & (MEM_BUF_BYTES - 1);
        uint32_t d0 = bench_rng_next(&rng) & (MEM_BUF_BYTES - 1);
        if (r & 0x80000000u) { /* word-aligned copy */
            so &= ~3u;
            d0 &= ~3u;
        }
        if (so + len > MEM_BUF_BYTES) so = MEM_BUF_BYTES - len;
        if (d0 + len > MEM_BUF_BYTES) d0 = MEM_BUF_BYTES - len;
        memcpy(dst + d0, src + so, len);
        bad += memcmp(dst + d0, src + so, len) != 0;

        uint32_t k = bench_rng_next(&rng) % len;
        uint8_t old = dst[d0 + k];
        dst[d0 + k] = (uint8_t)(old ^ (1u << (r >> 28 & 7u)));
        int want = dst[d0 + k] > old ? 1 : -1;
        bad += mem_sign(memcmp(dst + d0, src + so, len)) != want;
        dst[d0 + k] = old;

        if ((op & 7u) == 3u && len > 16) { /* overlapping moves, both directions */
            memmove(dst + d0 + 3, dst + d0, len - 16);
            memmove(dst + d0, dst + d0 + 5, len - 16);
        }
        if ((op & 15u) == 9u) memset(dst + d0, (int)(r & 0xFFu), len / 2);
        tally = tally * 31u + len + k;
    }
    fails += bench_check("memops", "failed compares", bad, 0);
    return bench_finish("memops", qs_fnv1a(tally, mem_dst, sizeof(mem_dst)), BENCH_EXPECT, fails);
}
