/* sim/rng.c — see rng.h. */
#include "rng.h"

static uint64_t rng_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t sim_rng_seed_for(uint64_t seed, const char *purpose, uint64_t a, uint64_t b)
{
    uint64_t h = 0xCBF29CE484222325ull; /* FNV-1a over the purpose name */
    for (const char *p = purpose; p && *p; p++) {
        h ^= (uint8_t)*p;
        h *= 0x100000001B3ull;
    }
    uint64_t x = seed ^ h;
    uint64_t k = rng_splitmix(&x);
    x ^= a * 0xD6E8FEB86659FD93ull;
    k ^= rng_splitmix(&x);
    x ^= b * 0xA0761D6478BD642Full;
    return k ^ rng_splitmix(&x);
}

void sim_rng_stream(sim_rng *r, uint64_t seed, const char *purpose, uint64_t a, uint64_t b)
{
    uint64_t x = sim_rng_seed_for(seed, purpose, a, b);
    for (unsigned i = 0; i < 4; i++)
        r->s[i] = rng_splitmix(&x);
}

static inline uint64_t rng_rotl(uint64_t v, int k)
{
    return (v << k) | (v >> (64 - k));
}

uint64_t sim_rng_next(sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

uint64_t sim_rng_below(sim_rng *r, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do
        v = sim_rng_next(r);
    while (v >= limit);
    return v % n;
}
