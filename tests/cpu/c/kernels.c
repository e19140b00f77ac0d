/* tests/cpu/c/kernels.c — compiled C as firmware is: integer kernels whose results are printed
 * as digests (CRC-32, sorting, 64-bit arithmetic through the libgcc helpers, division by
 * variables and constants, bit fields, switch tables, function pointers, recursion, memory
 * and string functions, volatile accesses). Built at -O2 and -Os (tests/cpu/CMakeLists.txt). */
#include "qsim.h"

#define N 256

static uint32_t rng_state = 0x12345678u;

static uint32_t rng(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static uint32_t crc32(const uint8_t *p, unsigned n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void sort_i32(int32_t *a, int n)
{
    /* shell sort: variable strides and signed compares */
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++) {
            int32_t v = a[i];
            int j = i;
            while (j >= gap && a[j - gap] > v) {
                a[j] = a[j - gap];
                j -= gap;
            }
            a[j] = v;
        }
}

static int cmp_u16(const void *x, const void *y)
{
    uint16_t a = *(const uint16_t *)x, b = *(const uint16_t *)y;
    return (a > b) - (a < b);
}

static void isort(void *base, unsigned n, unsigned size, int (*cmp)(const void *, const void *))
{
    uint8_t tmp[16];
    uint8_t *b = base;
    for (unsigned i = 1; i < n; i++) {
        memcpy(tmp, b + i * size, size);
        unsigned j = i;
        while (j > 0 && cmp(b + (j - 1) * size, tmp) > 0) {
            memmove(b + j * size, b + (j - 1) * size, size);
            j--;
        }
        memcpy(b + j * size, tmp, size);
    }
}

static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

struct packed_bits {
    unsigned a : 3;
    unsigned b : 7;
    signed c : 5;
    unsigned d : 17;
};

static uint32_t bitfields(void)
{
    struct packed_bits s = {0, 0, 0, 0};
    uint32_t h = 0;
    for (int i = 0; i < 64; i++) {
        uint32_t r = rng();
        s.a += r;
        s.b ^= r >> 3;
        s.c = (int)(r >> 7) - 16;
        s.d += r >> 11;
        h = h * 31u + s.a + (s.b << 3) + (uint32_t)(s.c * 7) + s.d;
    }
    return h;
}

static __attribute__((noinline)) uint32_t dispatch(uint32_t op, uint32_t x, uint32_t y)
{
    switch (op & 15u) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return x * y;
    case 3: return x & y;
    case 4: return x | y;
    case 5: return x ^ y;
    case 6: return x << (y & 31u);
    case 7: return x >> (y & 31u);
    case 8: return (uint32_t)((int32_t)x >> (y & 31u));
    case 9: return y ? x / y : 0xFFFFFFFFu;
    case 10: return y ? x % y : x;
    case 11: return (int32_t)y ? (uint32_t)((int32_t)x / (int32_t)(y | 1u)) : 0u;
    case 12: return (uint32_t)((int32_t)x % (int32_t)(y | 1u));
    case 13: return (x << 7) | (x >> 25);
    case 14: return (uint32_t)__builtin_clz(x | 1u) + (uint32_t)__builtin_ctz(y | 0x80000000u);
    default: return (uint32_t)__builtin_popcount(x ^ y);
    }
}

static uint32_t (*const ops[4])(uint32_t, uint32_t, uint32_t) = {dispatch, dispatch, dispatch,
                                                                 dispatch};

int main(void)
{
    static uint8_t bytes[N];
    static int32_t words[N];
    static uint16_t halves[64];

    for (unsigned i = 0; i < N; i++)
        bytes[i] = (uint8_t)rng();
    qs_printf("crc32 = %08x\n", crc32(bytes, N));
    qs_printf("crc32(\"123456789\") = %08x\n", crc32((const uint8_t *)"123456789", 9));

    for (unsigned i = 0; i < N; i++)
        words[i] = (int32_t)rng();
    sort_i32(words, N);
    qs_printf("sorted: min %d max %d digest %08x\n", (int)words[0], (int)words[N - 1],
              qs_fnv1a(0x811C9DC5u, words, sizeof(words)));
    for (unsigned i = 0; i < 64; i++)
        halves[i] = (uint16_t)rng();
    isort(halves, 64, sizeof(halves[0]), cmp_u16);
    qs_printf("isort u16 digest %08x first %u last %u\n",
              qs_fnv1a(0x811C9DC5u, halves, sizeof(halves)), halves[0], halves[63]);

    /* 64-bit arithmetic (libgcc helpers) */
    uint64_t acc = 0x0123456789ABCDEFull;
    int64_t sacc = -1234567890123ll;
    for (int i = 0; i < 32; i++) {
        uint64_t r = ((uint64_t)rng() << 32) | rng();
        acc = acc * (r | 1u) + (acc >> 13);
        acc ^= r / ((r >> 40) | 1u);
        acc += r % 1000003u;
        sacc = sacc / 3 - (int64_t)(r >> 33) * 7 + sacc % 11;
    }
    qs_printf("u64 acc = %08x%08x\n", (unsigned)(acc >> 32), (unsigned)acc);
    qs_printf("s64 acc = %08x%08x\n", (unsigned)((uint64_t)sacc >> 32), (unsigned)sacc);

    /* 32-bit division by variables and constants, both signs */
    uint32_t dh = 0;
    for (int i = 0; i < 200; i++) {
        int32_t x = (int32_t)rng(), y = (int32_t)(rng() >> (i & 31)) | 1;
        dh = dh * 33u + (uint32_t)(x / y) + (uint32_t)(x % y) * 3u + (uint32_t)x / 10u +
             (uint32_t)(x / 7) + (uint32_t)x % 1000u;
    }
    qs_printf("div digest = %08x\n", dh);

    qs_printf("bitfields = %08x\n", bitfields());

    uint32_t sh = 0;
    for (uint32_t i = 0; i < 64; i++)
        sh = sh * 17u + ops[i & 3](i, rng(), rng() & 0xFFFFu);
    qs_printf("switch digest = %08x\n", sh);

    qs_printf("fib(20) = %u\n", fib(20));

    /* memory and string functions */
    char s1[40], s2[40];
    memset(s1, 'x', sizeof(s1));
    memcpy(s1, "hello, espsim", 14);
    memmove(s1 + 2, s1, 12);
    s1[sizeof(s1) - 1] = 0;
    memcpy(s2, s1, sizeof(s2));
    s2[5] = 'Y';
    qs_printf("strlen %u memcmp %d %d s1 %s\n", (unsigned)strlen(s1), memcmp(s1, s2, 5) == 0,
              memcmp(s1, s2, 6) < 0, s1);

    /* volatile accesses (MEMW) and unaligned-looking byte packing */
    volatile uint32_t v = 0;
    for (int i = 0; i < 10; i++)
        v = v * 3u + (uint32_t)i;
    uint8_t pack[7] = {1, 2, 3, 4, 5, 6, 7};
    uint32_t w = (uint32_t)pack[1] | (uint32_t)pack[2] << 8 | (uint32_t)pack[3] << 16 |
                 (uint32_t)pack[4] << 24;
    qs_printf("volatile %u packed %08x\n", (unsigned)v, w);

    qs_printf("%d %i %u %x %X %c %s %p %% %08x %5d|\n", -42, 7, 3000000000u, 0xbeef, 0xBEEF, 'q',
              "str", (void *)0x3ffc0000, 0x1234, 5);
    return 0;
}
