/* tests/fuzz/fuzz.h — the libFuzzer entry point every target defines. Built either with
 * clang -fsanitize=fuzzer (scripts/fuzz) or with driver.c, a deterministic seeded mutator that
 * ctest runs under ASan+UBSan. */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
