/* models/rom/rom_libgcc.c — the GCC runtime helpers the ESP8266 ROM provides
 * (reference/lx106.md §4.9): integer division and 64-bit multiply, and IEEE single/double
 * soft-float on bit patterns (float in a2; double in a2:a3, low word in a2; results likewise).
 *
 * Floating point uses the host's IEEE arithmetic on the decoded values: round to nearest even,
 * subnormals kept, and this file is compiled with -ffp-contract=off so no operation is fused.
 * What the host leaves open is fixed here so results do not depend on the host:
 *   - a NaN result is the first NaN operand with its quiet bit set, or the default NaN
 *     0x7FC00000 / 0x7FF8000000000000 when the operation itself is invalid (inf - inf, 0 * inf,
 *     0 / 0, inf / inf);
 *   - float -> int conversions follow GCC's Xtensa routines (libgcc ieee754-sf.S/-df.S):
 *     truncation toward zero, saturation, NaN -> 0x7FFFFFFF (signed) or 0xFFFFFFFF (unsigned);
 *     the unsigned ones return the two's complement of a negative in-range value, and
 *     0x80000000 for negatives of magnitude >= 2^31.
 * Integer division by zero executes ILL like GCC's routines (IllegalInstruction at the
 * routine's address); INT_MIN / -1 wraps to INT_MIN. */
#include <math.h>
#include <string.h>

#include "rom_services.h"

/* ---- arguments ----------------------------------------------------------------------------- */

static uint64_t rom_arg64(esp8266 *m, unsigned pair) /* pair 0 = a2:a3, 1 = a4:a5 */
{
    xt_cpu *c = rom_cpu(m);
    return (uint64_t)c->a[3 + 2 * pair] << 32 | c->a[2 + 2 * pair];
}

static void rom_div_by_zero(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    xt_exception(c, XT_CAUSE_ILLEGAL, c->sr[XT_SR_EXCVADDR]);
}

/* ---- integer ------------------------------------------------------------------------------- */

/* int32 __divsi3(int32 a, int32 b) */
void rom_svc_divsi3(esp8266 *m)
{
    int32_t a = (int32_t)rom_arg(m, 0), b = (int32_t)rom_arg(m, 1);
    if (b == 0) {
        rom_div_by_zero(m);
        return;
    }
    if (a == INT32_MIN && b == -1) {
        rom_return(m, (uint32_t)INT32_MIN);
        return;
    }
    rom_return(m, (uint32_t)(a / b));
}

/* uint32 __udivsi3(uint32 a, uint32 b) */
void rom_svc_udivsi3(esp8266 *m)
{
    uint32_t a = rom_arg(m, 0), b = rom_arg(m, 1);
    if (b == 0) {
        rom_div_by_zero(m);
        return;
    }
    rom_return(m, a / b);
}

/* uint32 __umodsi3(uint32 a, uint32 b) */
void rom_svc_umodsi3(esp8266 *m)
{
    uint32_t a = rom_arg(m, 0), b = rom_arg(m, 1);
    if (b == 0) {
        rom_div_by_zero(m);
        return;
    }
    rom_return(m, a % b);
}

/* int64 __divdi3(int64 a, int64 b) */
void rom_svc_divdi3(esp8266 *m)
{
    int64_t a = (int64_t)rom_arg64(m, 0), b = (int64_t)rom_arg64(m, 1);
    if (b == 0) {
        rom_div_by_zero(m);
        return;
    }
    if (a == INT64_MIN && b == -1) {
        rom_return64(m, (uint64_t)INT64_MIN);
        return;
    }
    rom_return64(m, (uint64_t)(a / b));
}

/* uint64 __udivdi3(uint64 a, uint64 b) */
void rom_svc_udivdi3(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0), b = rom_arg64(m, 1);
    if (b == 0) {
        rom_div_by_zero(m);
        return;
    }
    rom_return64(m, a / b);
}

/* uint64 __umoddi3(uint64 a, uint64 b) */
void rom_svc_umoddi3(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0), b = rom_arg64(m, 1);
    if (b == 0) {
        rom_div_by_zero(m);
        return;
    }
    rom_return64(m, a % b);
}

/* int64 __muldi3(int64 a, int64 b): the low 64 bits of the product. */
void rom_svc_muldi3(esp8266 *m)
{
    rom_return64(m, rom_arg64(m, 0) * rom_arg64(m, 1));
}

/* uint64 __umulsidi3(uint32 a, uint32 b) */
void rom_svc_umulsidi3(esp8266 *m)
{
    rom_return64(m, (uint64_t)rom_arg(m, 0) * rom_arg(m, 1));
}

/* ---- IEEE bit patterns --------------------------------------------------------------------- */

#define SF_QUIET  0x00400000u
#define SF_DEFNAN 0x7FC00000u
#define DF_QUIET  0x0008000000000000ull
#define DF_DEFNAN 0x7FF8000000000000ull
#define SF_SIGN   0x80000000u
#define DF_SIGN   0x8000000000000000ull

static float sf(uint32_t b)
{
    float f;
    memcpy(&f, &b, sizeof(f));
    return f;
}

static uint32_t sf_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof(b));
    return b;
}

static double df(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof(d));
    return d;
}

static uint64_t df_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof(b));
    return b;
}

static bool sf_isnan(uint32_t b)
{
    return (b & 0x7FFFFFFFu) > 0x7F800000u;
}

static bool df_isnan(uint64_t b)
{
    return (b & ~DF_SIGN) > 0x7FF0000000000000ull;
}

/* The result of a binary operation with the NaN rules above. */
static uint32_t sf_result(uint32_t a, uint32_t b, float r)
{
    if (!isnan(r)) return sf_bits(r);
    if (sf_isnan(a)) return a | SF_QUIET;
    if (sf_isnan(b)) return b | SF_QUIET;
    return SF_DEFNAN;
}

static uint64_t df_result(uint64_t a, uint64_t b, double r)
{
    if (!isnan(r)) return df_bits(r);
    if (df_isnan(a)) return a | DF_QUIET;
    if (df_isnan(b)) return b | DF_QUIET;
    return DF_DEFNAN;
}

/* ---- single precision ---------------------------------------------------------------------- */

void rom_svc_addsf3(esp8266 *m)
{
    uint32_t a = rom_arg(m, 0), b = rom_arg(m, 1);
    rom_return(m, sf_result(a, b, sf(a) + sf(b)));
}

void rom_svc_subsf3(esp8266 *m)
{
    uint32_t a = rom_arg(m, 0), b = rom_arg(m, 1);
    rom_return(m, sf_result(a, b, sf(a) - sf(b)));
}

void rom_svc_mulsf3(esp8266 *m)
{
    uint32_t a = rom_arg(m, 0), b = rom_arg(m, 1);
    rom_return(m, sf_result(a, b, sf(a) * sf(b)));
}

/* The unsigned conversion of GCC's Xtensa __fixunssfsi/__fixunsdfsi on a decoded value. */
static uint32_t rom_fixuns(double v, bool nan)
{
    if (nan) return 0xFFFFFFFFu;
    double mag = signbit(v) ? -v : v;
    if (mag >= 4294967296.0) return signbit(v) ? 0x80000000u : 0xFFFFFFFFu;
    if (mag >= 2147483648.0) return signbit(v) ? 0x80000000u : (uint32_t)mag;
    uint32_t u = (uint32_t)mag; /* truncates toward zero */
    return signbit(v) ? 0u - u : u;
}

/* uint32 __fixunssfsi(float) */
void rom_svc_fixunssfsi(esp8266 *m)
{
    uint32_t a = rom_arg(m, 0);
    rom_return(m, rom_fixuns((double)sf(a), sf_isnan(a)));
}

/* float __floatsisf(int32), __floatunsisf(uint32): rounded to nearest even. */
void rom_svc_floatsisf(esp8266 *m)
{
    rom_return(m, sf_bits((float)(int32_t)rom_arg(m, 0)));
}

void rom_svc_floatunsisf(esp8266 *m)
{
    rom_return(m, sf_bits((float)rom_arg(m, 0)));
}

/* ---- double precision ---------------------------------------------------------------------- */

void rom_svc_adddf3(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0), b = rom_arg64(m, 1);
    rom_return64(m, df_result(a, b, df(a) + df(b)));
}

void rom_svc_subdf3(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0), b = rom_arg64(m, 1);
    rom_return64(m, df_result(a, b, df(a) - df(b)));
}

void rom_svc_muldf3(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0), b = rom_arg64(m, 1);
    rom_return64(m, df_result(a, b, df(a) * df(b)));
}

/* x / 0 = signed infinity, 0 / 0 = default NaN (IEEE). */
void rom_svc_divdf3(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0), b = rom_arg64(m, 1);
    rom_return64(m, df_result(a, b, df(a) / df(b)));
}

/* int32 __fixdfsi(double): truncation, saturating; NaN -> 0x7FFFFFFF. */
void rom_svc_fixdfsi(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0);
    double v = df(a);
    uint32_t r;
    if (df_isnan(a))
        r = 0x7FFFFFFFu;
    else if ((signbit(v) ? -v : v) >= 2147483648.0)
        r = signbit(v) ? 0x80000000u : 0x7FFFFFFFu;
    else
        r = (uint32_t)(int32_t)v;
    rom_return(m, r);
}

/* uint32 __fixunsdfsi(double) */
void rom_svc_fixunsdfsi(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0);
    rom_return(m, rom_fixuns(df(a), df_isnan(a)));
}

/* float __truncdfsf2(double): rounded to nearest even; a NaN keeps its sign and the top 22 bits
 * of its payload and becomes quiet. */
void rom_svc_truncdfsf2(esp8266 *m)
{
    uint64_t a = rom_arg64(m, 0);
    uint32_t r;
    if (df_isnan(a))
        r = (uint32_t)(a >> 32 & SF_SIGN) | SF_DEFNAN | (uint32_t)(a >> 29 & 0x3FFFFFu);
    else
        r = sf_bits((float)df(a));
    rom_return(m, r);
}

/* double __extendsfdf2(float): exact; a NaN keeps sign and payload and becomes quiet. */
void rom_svc_extendsfdf2(esp8266 *m)
{
    uint32_t a = rom_arg(m, 0);
    uint64_t r;
    if (sf_isnan(a))
        r = (uint64_t)(a & SF_SIGN) << 32 | DF_DEFNAN | (uint64_t)(a & 0x3FFFFFu) << 29;
    else
        r = df_bits((double)sf(a));
    rom_return64(m, r);
}

/* double __floatsidf(int32), __floatunsidf(uint32): exact. */
void rom_svc_floatsidf(esp8266 *m)
{
    rom_return64(m, df_bits((double)(int32_t)rom_arg(m, 0)));
}

void rom_svc_floatunsidf(esp8266 *m)
{
    rom_return64(m, df_bits((double)rom_arg(m, 0)));
}
