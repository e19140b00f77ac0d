/* sim/rng.h — deterministic random streams (architecture.md §2: one scenario seed; independent
 * streams derived per (purpose, a, b), e.g. (\"loss\", link, node), so adding a node does not
 * change the draws of another link). xoshiro256** seeded through splitmix64 over a hash of the
 * stream's name. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

typedef struct sim_rng {
    uint64_t s[4];
} sim_rng;

/* The stream for (seed, purpose, a, b). Same inputs, same stream, on every host. */
void sim_rng_stream(sim_rng *r, uint64_t seed, const char *purpose, uint64_t a, uint64_t b);
uint64_t sim_rng_next(sim_rng *r);
/* Uniform in [0, n) without modulo bias (n > 0). */
uint64_t sim_rng_below(sim_rng *r, uint64_t n);
/* A 64-bit seed for a model that keeps its own generator. */
uint64_t sim_rng_seed_for(uint64_t seed, const char *purpose, uint64_t a, uint64_t b);

#endif
