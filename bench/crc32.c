/* bench/crc32.c — table-driven CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) over a
 * pseudo-random buffer, several passes chained into one CRC (the CRC of the buffer repeated
 * CRC_PASSES times). The headline kernel: one byte per iteration of l8ui, xor, extui, addx4,
 * l32i, srli, xor. Checks: CRC-32("123456789") = 0xCBF43926 and table-driven == bitwise over
 * the first 4 KB. The full size runs 256 passes (2.4 G guest instructions, ~2 s on QEMU) so that
 * each tool's start-up (0.05-0.1 s) is a few per cent of its run and the ratio to QEMU measures
 * the kernel, not the start-up (docs/performance.md). */
#include "bench.h"

#ifdef BENCH_SMALL
#define CRC_BUF_BYTES (64u * 1024u)
#define CRC_PASSES    2u
#define BENCH_EXPECT  0xe1f08bedu
#else
#define CRC_BUF_BYTES (1024u * 1024u)
#define CRC_PASSES    256u
#define BENCH_EXPECT  0x926bf23fu
#endif

QSIM_BIGBSS static uint32_t crc_buf[CRC_BUF_BYTES / 4];
static uint32_t crc_table[256];

static void crc32_init_table(uint32_t *t)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
}

/* Continues a CRC: crc32_update(t, crc32_update(t, 0, a), b) is the CRC of a then b. */
static uint32_t crc32_update(const uint32_t *t, uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = t[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

static uint32_t crc32_bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

int main(void)
{
    int fails = 0;
    crc32_init_table(crc_table);
    fails += bench_check("crc32", "crc32(\"123456789\")",
                         crc32_update(crc_table, 0, (const uint8_t *)"123456789", 9), 0xCBF43926u);

    bench_rng rng = {BENCH_SEED};
    bench_fill(&rng, crc_buf, CRC_BUF_BYTES / 4);
    const uint8_t *p = (const uint8_t *)crc_buf;
    fails += bench_check("crc32", "table vs bitwise", crc32_update(crc_table, 0, p, 4096),
                         crc32_bitwise(0, p, 4096));

    uint32_t crc = 0;
    for (uint32_t pass = 0; pass < CRC_PASSES; pass++)
        crc = crc32_update(crc_table, crc, p, CRC_BUF_BYTES);
    return bench_finish("crc32", crc, BENCH_EXPECT, fails);
}
