/* apps/check.h — the guest-side check reporting shared by the self-checking apps (rom_check,
 * ets_check). Each check prints "ok NAME" or "FAIL NAME: got X expected Y" through os_printf
 * and is counted in n_checks / n_failed; check_summary() prints
 *   PREFIX: N checks, M failed
 *   VERDICT PASS | VERDICT FAIL
 * Header-only (static functions): include it from exactly one file per app. */
#ifndef APPS_CHECK_H
#define APPS_CHECK_H

#include <string.h>

#include "osapi.h"

static unsigned n_checks, n_failed;

/* ---------------------------------------------------------------- reporting */

static __attribute__((unused)) void pass(const char *name)
{
    n_checks++;
    os_printf("ok %s\n", name);
}

static __attribute__((unused)) void fail_begin(const char *name)
{
    n_checks++;
    n_failed++;
    os_printf("FAIL %s: ", name);
}

static __attribute__((unused)) void check_u32(const char *name, uint32 got, uint32 exp)
{
    if (got == exp) {
        pass(name);
        return;
    }
    fail_begin(name);
    os_printf("got 0x%08x (%d) expected 0x%08x (%d)\n", got, (int)got, exp, (int)exp);
}

static __attribute__((unused)) void check_u64(const char *name, uint64 got, uint64 exp)
{
    if (got == exp) {
        pass(name);
        return;
    }
    fail_begin(name);
    os_printf("got 0x%08x%08x expected 0x%08x%08x\n", (uint32)(got >> 32), (uint32)got,
              (uint32)(exp >> 32), (uint32)exp);
}

static __attribute__((unused)) void check_range(const char *name, uint32 got, uint32 lo, uint32 hi)
{
    if (got >= lo && got <= hi) {
        pass(name);
        return;
    }
    fail_begin(name);
    os_printf("got %u expected %u..%u\n", got, lo, hi);
}

static __attribute__((unused)) void check_true(const char *name, bool cond, const char *what)
{
    if (cond) {
        pass(name);
        return;
    }
    fail_begin(name);
    os_printf("got false expected %s\n", what);
}

static __attribute__((unused)) void check_str(const char *name, const char *got, const char *exp)
{
    if (got && strcmp(got, exp) == 0) {
        pass(name);
        return;
    }
    fail_begin(name);
    os_printf("got \"%s\" expected \"%s\"\n", got ? got : "(null)", exp);
}

static __attribute__((unused)) void check_bytes(const char *name, const void *got, const void *exp,
                                                size_t n)
{
    const uint8 *g = got, *e = exp;
    for (size_t i = 0; i < n; i++) {
        if (g[i] != e[i]) {
            fail_begin(name);
            os_printf("got 0x%02x expected 0x%02x at byte %u\n", g[i], e[i], (unsigned)i);
            return;
        }
    }
    pass(name);
}

static __attribute__((unused)) void check_fill(const char *name, const void *got, uint8 exp,
                                               size_t n)
{
    const uint8 *g = got;
    for (size_t i = 0; i < n; i++) {
        if (g[i] != exp) {
            fail_begin(name);
            os_printf("got 0x%02x expected 0x%02x at byte %u\n", g[i], exp, (unsigned)i);
            return;
        }
    }
    pass(name);
}

static __attribute__((unused)) int sign(int v)
{
    return v < 0 ? -1 : v > 0 ? 1 : 0;
}

static void check_summary(const char *prefix, const char *verdict)
{
    os_printf("%s: %u checks, %u failed\n", prefix, n_checks, n_failed);
    os_printf("%s %s\n", verdict, n_failed ? "FAIL" : "PASS");
}

#endif
