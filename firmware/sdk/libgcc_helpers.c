/* libgcc_helpers.c — the integer routines Debian's libgcc for xtensa-lx106 leaves to the
 * ESP8266 ROM (reference/lx106.md §4.9, §8.3).
 *
 * Why our own copies and not PROVIDEs to the ROM: picolibc (and libgcc's own __moddi3 and
 * friends) is compiled without -mlongcalls and reaches these helpers with CALL0 (+-512 KB), which
 * cannot reach the ROM at 0x4000xxxx from the flash window. These are ordinary .text, so the
 * linker script puts them in the flash window next to picolibc and libgcc.
 * Consequence: IRAM code that runs with the flash cache off must not divide (or must call the
 * ROM copies explicitly: rom___udivsi3 ... in espsim_rom.h).
 *
 * Written so that no C operator in here needs a helper itself: division is shift-and-subtract
 * after aligning the divisor with count-leading-zeros (NSAU), and the 32x32->64 multiply is built
 * from 16x16 products (MULL). Division by zero traps with an ILL instruction
 * (IllegalInstruction), as GCC's Xtensa division routines do.
 * The soft-float helpers are not here: they resolve to the ROM through the PROVIDEs (callable
 * from our -mlongcalls code; docs/firmware.md explains the limits). */
#include <stdint.h>

uint32_t __udivsi3(uint32_t n, uint32_t d);
uint32_t __umodsi3(uint32_t n, uint32_t d);
int32_t __divsi3(int32_t n, int32_t d);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
uint64_t __muldi3(uint64_t a, uint64_t b);
uint64_t __umulsidi3(uint32_t a, uint32_t b);

static inline __attribute__((always_inline, noreturn)) void div_by_zero(void)
{
    __builtin_trap(); /* ILL */
}

static uint32_t udivmod32(uint32_t n, uint32_t d, uint32_t *rem)
{
    if (d == 0) div_by_zero();
    if (n < d) {
        *rem = n;
        return 0;
    }
    /* d <= n: shift d up until its top bit lines up with n's (cannot overflow) */
    unsigned shift = (unsigned)(__builtin_clz(d) - __builtin_clz(n));
    uint32_t q = 0;
    d <<= shift;
    for (unsigned i = 0; i <= shift; i++) {
        q <<= 1;
        if (n >= d) {
            n -= d;
            q |= 1;
        }
        d >>= 1;
    }
    *rem = n;
    return q;
}

static unsigned clz64(uint64_t x)
{
    uint32_t hi = (uint32_t)(x >> 32);
    return hi ? (unsigned)__builtin_clz(hi) : 32u + (unsigned)__builtin_clz((uint32_t)x);
}

static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
    if (d == 0) div_by_zero();
    if ((n >> 32) == 0) { /* then d fits too, or d > n */
        if ((d >> 32) != 0) {
            *rem = n;
            return 0;
        }
        uint32_t r;
        uint32_t q = udivmod32((uint32_t)n, (uint32_t)d, &r);
        *rem = r;
        return q;
    }
    if (n < d) {
        *rem = n;
        return 0;
    }
    unsigned shift = clz64(d) - clz64(n);
    uint64_t q = 0;
    d <<= shift;
    for (unsigned i = 0; i <= shift; i++) {
        q <<= 1;
        if (n >= d) {
            n -= d;
            q |= 1;
        }
        d >>= 1;
    }
    *rem = n;
    return q;
}

uint32_t __udivsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    return udivmod32(n, d, &r);
}

uint32_t __umodsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    udivmod32(n, d, &r);
    return r;
}

int32_t __divsi3(int32_t n, int32_t d)
{
    uint32_t un = n < 0 ? 0u - (uint32_t)n : (uint32_t)n;
    uint32_t ud = d < 0 ? 0u - (uint32_t)d : (uint32_t)d;
    uint32_t r;
    uint32_t q = udivmod32(un, ud, &r);
    return (int32_t)(((n < 0) != (d < 0)) ? 0u - q : q);
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    return udivmod64(n, d, &r);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    udivmod64(n, d, &r);
    return r;
}

int64_t __divdi3(int64_t n, int64_t d)
{
    uint64_t un = n < 0 ? 0u - (uint64_t)n : (uint64_t)n;
    uint64_t ud = d < 0 ? 0u - (uint64_t)d : (uint64_t)d;
    uint64_t r;
    uint64_t q = udivmod64(un, ud, &r);
    return (int64_t)(((n < 0) != (d < 0)) ? 0u - q : q);
}

uint64_t __umulsidi3(uint32_t a, uint32_t b)
{
    uint32_t al = a & 0xFFFFu, ah = a >> 16, bl = b & 0xFFFFu, bh = b >> 16;
    uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint32_t mid = (ll >> 16) + (lh & 0xFFFFu) + (hl & 0xFFFFu); /* < 2^18 */
    uint32_t lo = (ll & 0xFFFFu) | (mid << 16);
    uint32_t hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
    return ((uint64_t)hi << 32) | lo;
}

uint64_t __muldi3(uint64_t a, uint64_t b)
{
    uint32_t alo = (uint32_t)a, ahi = (uint32_t)(a >> 32);
    uint32_t blo = (uint32_t)b, bhi = (uint32_t)(b >> 32);
    uint64_t p = __umulsidi3(alo, blo);
    uint32_t cross = alo * bhi + ahi * blo; /* only the low 32 bits reach the result */
    return p + ((uint64_t)cross << 32);
}
