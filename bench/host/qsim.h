/* bench/host/qsim.h — a host stand-in for firmware/qsim-rt/qsim.h, so the benchmarks can be
 * built natively (cc -Ibench/host bench/crc32.c) to compute and cross-check their expected
 * results independently of any Xtensa CPU model. Little-endian hosts only (as is the lx106). */
#ifndef QSIM_RT_H
#define QSIM_RT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QSIM_BIGBSS
#define qs_printf printf
#define qs_exit   exit

static inline uint32_t qs_fnv1a(uint32_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 16777619u;
    }
    return h;
}

#endif
