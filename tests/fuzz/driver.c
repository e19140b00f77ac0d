/* tests/fuzz/driver.c — runs a fuzz target without libFuzzer: every corpus file as given, then
 * N inputs made by seeded mutations of them (bit flips, byte sets, truncation, insertion, block
 * duplication). Deterministic for a given seed, so a failure in ctest reproduces exactly.
 *   driver [--seed S] [--iterations N] [--max-len L] FILE...
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

typedef struct drv_rng {
    uint64_t s;
} drv_rng;

static uint64_t drv_next(drv_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t drv_below(drv_rng *r, size_t n)
{
    return n ? (size_t)(drv_next(r) % n) : 0;
}

typedef struct drv_input {
    uint8_t *data;
    size_t size;
} drv_input;

static bool drv_read(const char *path, drv_input *in)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    in->data = buf;
    in->size = n;
    return buf != NULL;
}

static size_t drv_mutate(drv_rng *r, uint8_t *buf, size_t size, size_t max)
{
    unsigned k = 1 + (unsigned)drv_below(r, 8);
    for (unsigned i = 0; i < k; i++) {
        switch (drv_below(r, 6)) {
        case 0: /* flip a bit */
            if (size) buf[drv_below(r, size)] ^= (uint8_t)(1u << drv_below(r, 8));
            break;
        case 1: /* set a byte to an interesting value */
            if (size) {
                static const uint8_t vals[] = {0x00, 0xFF, 0x7F, 0x80, 0x01, 0x10, 0x40, 0xE9};
                buf[drv_below(r, size)] = vals[drv_below(r, sizeof(vals))];
            }
            break;
        case 2: /* truncate */ size = drv_below(r, size + 1); break;
        case 3: { /* insert random bytes */
            size_t n = 1 + drv_below(r, 16);
            if (size + n > max) break;
            size_t at = drv_below(r, size + 1);
            memmove(buf + at + n, buf + at, size - at);
            for (size_t j = 0; j < n; j++)
                buf[at + j] = (uint8_t)drv_next(r);
            size += n;
            break;
        }
        case 4: { /* copy a block over another place */
            if (size < 2) break;
            size_t n = 1 + drv_below(r, size / 2);
            size_t from = drv_below(r, size - n + 1), to = drv_below(r, size - n + 1);
            memmove(buf + to, buf + from, n);
            break;
        }
        default: /* overwrite a 32-bit word with a random one */
            if (size >= 4) {
                uint32_t v = (uint32_t)drv_next(r);
                memcpy(buf + drv_below(r, size - 3), &v, 4);
            }
            break;
        }
    }
    return size;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    unsigned long iterations = 1000;
    size_t max = 1u << 16;
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first += 2) {
        if (first + 1 >= argc) break;
        if (!strcmp(argv[first], "--seed"))
            seed = strtoull(argv[first + 1], NULL, 0);
        else if (!strcmp(argv[first], "--iterations"))
            iterations = strtoul(argv[first + 1], NULL, 0);
        else if (!strcmp(argv[first], "--max-len"))
            max = strtoul(argv[first + 1], NULL, 0);
        else {
            fprintf(stderr, "driver: unknown option %s\n", argv[first]);
            return 2;
        }
    }
    size_t ncorpus = (size_t)(argc - first);
    drv_input *corpus = calloc(ncorpus ? ncorpus : 1, sizeof(*corpus));
    uint8_t *buf = malloc(max);
    if (!corpus || !buf) return 2;
    for (size_t i = 0; i < ncorpus; i++) {
        if (!drv_read(argv[first + (int)i], &corpus[i])) {
            fprintf(stderr, "driver: cannot read %s\n", argv[first + (int)i]);
            return 2;
        }
        LLVMFuzzerTestOneInput(corpus[i].data, corpus[i].size);
    }
    drv_rng r = {seed};
    for (unsigned long it = 0; it < iterations; it++) {
        size_t size;
        if (ncorpus) {
            const drv_input *src = &corpus[drv_below(&r, ncorpus)];
            size = src->size < max ? src->size : max;
            memcpy(buf, src->data, size);
        } else {
            size = drv_below(&r, 256);
            for (size_t j = 0; j < size; j++)
                buf[j] = (uint8_t)drv_next(&r);
        }
        size = drv_mutate(&r, buf, size, max);
        LLVMFuzzerTestOneInput(buf, size);
    }
    printf("driver: %zu corpus inputs, %lu mutated inputs, seed %llu: no crash\n", ncorpus,
           iterations, (unsigned long long)seed);
    for (size_t i = 0; i < ncorpus; i++)
        free(corpus[i].data);
    free(corpus);
    free(buf);
    return 0;
}
