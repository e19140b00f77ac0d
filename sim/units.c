/* sim/units.c — see units.h. Integer arithmetic only (no floating point on time paths). */
#include "units.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    uint64_t ps;
} unit_durations[] = {
    {"ps", 1ull},
    {"ns", 1000ull},
    {"us", 1000000ull},
    {"ms", 1000000000ull},
    {"s", 1000000000000ull},
    {"min", 60000000000000ull},
    {"h", 3600000000000000ull},
};

/* Splits "12.5ms" into integer part, fraction digits and unit. */
static bool unit_split(const char *t, uint64_t *ip, uint64_t *frac, uint64_t *fdiv,
                       const char **unit, const char **why)
{
    *ip = 0;
    *frac = 0;
    *fdiv = 1;
    while (*t == ' ')
        t++;
    if (*t == '-') {
        *why = "negative value";
        return false;
    }
    if (*t < '0' || *t > '9') {
        *why = "expected a number";
        return false;
    }
    while (*t >= '0' && *t <= '9') {
        if (*ip > (UINT64_MAX - 9) / 10) {
            *why = "number too large";
            return false;
        }
        *ip = *ip * 10 + (uint64_t)(*t++ - '0');
    }
    if (*t == '.') {
        t++;
        if (*t < '0' || *t > '9') {
            *why = "expected digits after the decimal point";
            return false;
        }
        while (*t >= '0' && *t <= '9') {
            if (*fdiv < 1000000000000ull) {
                *frac = *frac * 10 + (uint64_t)(*t - '0');
                *fdiv *= 10;
            }
            t++;
        }
    }
    while (*t == ' ')
        t++;
    *unit = t;
    return true;
}

bool sim_parse_duration(const char *text, uint64_t *ps, const char **why)
{
    uint64_t ip, frac, fdiv;
    const char *unit;
    if (!unit_split(text, &ip, &frac, &fdiv, &unit, why)) return false;
    if (!*unit) {
        *why = "missing unit (us, ms, s, min, h)";
        return false;
    }
    for (size_t i = 0; i < sizeof(unit_durations) / sizeof(unit_durations[0]); i++) {
        if (strcmp(unit, unit_durations[i].name) != 0) continue;
        uint64_t u = unit_durations[i].ps;
        if (ip > UINT64_MAX / u) {
            *why = "duration too large";
            return false;
        }
        unsigned __int128 f = (unsigned __int128)frac * u;
        uint64_t fps = (uint64_t)((f + fdiv / 2) / fdiv);
        if (ip * u > UINT64_MAX - fps) {
            *why = "duration too large";
            return false;
        }
        *ps = ip * u + fps;
        return true;
    }
    *why = "unknown unit (use ps, ns, us, ms, s, min, h)";
    return false;
}

bool sim_parse_size(const char *text, uint64_t *bytes, const char **why)
{
    uint64_t ip, frac, fdiv;
    const char *unit;
    if (!unit_split(text, &ip, &frac, &fdiv, &unit, why)) return false;
    if (frac) {
        *why = "sizes are whole numbers";
        return false;
    }
    uint64_t mul = 1;
    if (!*unit || !strcmp(unit, "B"))
        mul = 1;
    else if (!strcmp(unit, "K") || !strcmp(unit, "KB") || !strcmp(unit, "KiB"))
        mul = 1024;
    else if (!strcmp(unit, "M") || !strcmp(unit, "MB") || !strcmp(unit, "MiB"))
        mul = 1024 * 1024;
    else if (!strcmp(unit, "G") || !strcmp(unit, "GB") || !strcmp(unit, "GiB"))
        mul = 1024ull * 1024 * 1024;
    else {
        *why = "unknown size unit (use K, M or G)";
        return false;
    }
    if (ip > UINT64_MAX / mul) {
        *why = "size too large";
        return false;
    }
    *bytes = ip * mul;
    return true;
}

void sim_format_seconds(uint64_t ps, char *buf, size_t size)
{
    uint64_t us = ps / 1000000ull;
    snprintf(buf, size, "%llu.%06llu", (unsigned long long)(us / 1000000ull),
             (unsigned long long)(us % 1000000ull));
}
