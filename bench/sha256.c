/* bench/sha256.c — SHA-256 (FIPS 180-4) over a pseudo-random buffer, fed to the incremental
 * interface in uneven chunks, several passes. Checks: the FIPS 180-2 known answers for "abc",
 * "" and the 448-bit two-block message; the result is the FNV-1a of the final digest, which is
 * printed in full too. */
#include "bench.h"

#ifdef BENCH_SMALL
#define SHA_BUF_BYTES (64u * 1024u)
#define SHA_PASSES    1u
#define BENCH_EXPECT  0xcbfc67f6u
#else
#define SHA_BUF_BYTES (1024u * 1024u)
#define SHA_PASSES    4u
#define BENCH_EXPECT  0x0a460912u
#endif

typedef struct sha256_ctx {
    uint32_t h[8];
    uint8_t block[64];
    uint32_t used;  /* bytes in block */
    uint64_t total; /* bytes hashed */
} sha256_ctx;

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t sha256_ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_init(sha256_ctx *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (int i = 0; i < 8; i++)
        c->h[i] = iv[i];
    c->used = 0;
    c->total = 0;
}

static void sha256_compress(uint32_t *h, const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = sha256_ror(w[i - 15], 7) ^ sha256_ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = sha256_ror(w[i - 2], 17) ^ sha256_ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = sha256_ror(e, 6) ^ sha256_ror(e, 11) ^ sha256_ror(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = hh + s1 + ch + sha256_k[i] + w[i];
        uint32_t s0 = sha256_ror(a, 2) ^ sha256_ror(a, 13) ^ sha256_ror(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = s0 + maj;
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

static void sha256_update(sha256_ctx *c, const uint8_t *p, size_t n)
{
    c->total += n;
    if (c->used) {
        while (n && c->used < 64) {
            c->block[c->used++] = *p++;
            n--;
        }
        if (c->used < 64) return;
        sha256_compress(c->h, c->block);
        c->used = 0;
    }
    for (; n >= 64; p += 64, n -= 64)
        sha256_compress(c->h, p);
    while (n--)
        c->block[c->used++] = *p++;
}

static void sha256_final(sha256_ctx *c, uint8_t out[32])
{
    uint64_t bits = c->total * 8;
    uint8_t pad[72];
    size_t npad = (c->used < 56 ? 56 : 120) - c->used;
    pad[0] = 0x80;
    for (size_t i = 1; i < npad; i++)
        pad[i] = 0;
    for (int i = 0; i < 8; i++)
        pad[npad + i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(c, pad, npad + 8);
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

/* Compares a digest with 64 hex digits; prints a FAIL line on mismatch. */
static int sha256_check(const char *what, const char *msg, const char *hex)
{
    sha256_ctx c;
    uint8_t d[32];
    sha256_init(&c);
    sha256_update(&c, (const uint8_t *)msg, strlen(msg));
    sha256_final(&c, d);
    for (int i = 0; i < 64; i++) {
        unsigned nib = (d[i / 2] >> (i % 2 ? 0 : 4)) & 15u;
        char want = hex[i];
        unsigned w = (unsigned)(want <= '9' ? want - '0' : want - 'a' + 10);
        if (nib != w) {
            qs_printf("sha256 FAIL %s: wrong digest (hex digit %d)\n", what, i);
            return 1;
        }
    }
    return 0;
}

QSIM_BIGBSS static uint32_t sha_buf[SHA_BUF_BYTES / 4];

int main(void)
{
    int fails = 0;
    fails += sha256_check("\"abc\"", "abc",
                          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    fails += sha256_check("\"\"", "",
                          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    fails +=
        sha256_check("448-bit message", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

    bench_rng rng = {BENCH_SEED};
    bench_fill(&rng, sha_buf, SHA_BUF_BYTES / 4);
    sha256_ctx c;
    sha256_init(&c);
    const uint8_t *p = (const uint8_t *)sha_buf;
    for (uint32_t pass = 0; pass < SHA_PASSES; pass++) {
        size_t off = 0;
        while (off < SHA_BUF_BYTES) { /* chunks of 1..4093 bytes, so blocks straddle calls */
            size_t n = 1 + (bench_rng_next(&rng) & 4095u) % 4093u;
            if (n > SHA_BUF_BYTES - off) n = SHA_BUF_BYTES - off;
            sha256_update(&c, p + off, n);
            off += n;
        }
    }
    uint8_t d[32];
    sha256_final(&c, d);
    qs_printf("sha256 digest ");
    for (int i = 0; i < 32; i++)
        qs_printf("%02x", d[i]);
    qs_printf("\n");
    return bench_finish("sha256", qs_fnv1a(2166136261u, d, 32), BENCH_EXPECT, fails);
}
