/* tests/fuzz/fuzz.h — the libFuzzer entry point every target defines. Built either with
 * clang -fsanitize=fuzzer (scripts/fuzz) or with driver.c, a deterministic seeded mutator that
 * ctest runs under ASan+UBSan. */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: abort, which both libFuzzer and the driver report as a crash. */
static inline void fuzz_check(bool ok)
{
    if (!ok) abort();
}

/* Folds v into an FNV-1a style running hash (traces compared between two runs of one input). */
static inline void fuzz_mix(uint64_t *hash, uint64_t v)
{
    *hash = (*hash ^ v) * 0x100000001B3ull;
}

#endif
