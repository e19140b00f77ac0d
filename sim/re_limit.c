/* sim/re_limit.c — the expanded size and nesting depth of a POSIX extended regular expression
 * (re_limit.h). A recursive walk over alternation, concatenation and postfix repetition; the
 * recursion is bounded by RE_LIMIT_DEPTH. */
#include "re_limit.h"

#include <stdint.h>
#include <stdio.h>

typedef struct re_walk {
    const char *p;  /* next character */
    unsigned depth; /* open groups */
    bool too_deep;  /* RE_LIMIT_DEPTH exceeded */
    bool backref;   /* \1 .. \9 seen */
} re_walk;

/* Saturating product and sum: sizes are capped just above the limit. */
static uint64_t re_cap(uint64_t v)
{
    return v > (uint64_t)RE_LIMIT_ATOMS + 1 ? (uint64_t)RE_LIMIT_ATOMS + 1 : v;
}

static uint64_t re_alt(re_walk *w);

/* A bracket expression after its '[': up to the closing ']' ([]...], [^]...], [:class:] and
 * [.x.]/[=x=] inside). An unterminated one ends the text (regcomp reports it). */
static void re_bracket(re_walk *w)
{
    if (*w->p == '^') w->p++;
    if (*w->p == ']') w->p++;
    while (*w->p && *w->p != ']') {
        if (w->p[0] == '[' && (w->p[1] == ':' || w->p[1] == '.' || w->p[1] == '=')) {
            char end = w->p[1];
            w->p += 2;
            while (*w->p && !(w->p[0] == end && w->p[1] == ']'))
                w->p++;
            if (*w->p) w->p += 2;
        } else {
            w->p++;
        }
    }
    if (*w->p) w->p++;
}

/* Decimal digits, saturated at 100,000 (larger bounds are regcomp's error anyway). */
static bool re_number(const char **s, uint64_t *v)
{
    if (**s < '0' || **s > '9') return false;
    *v = 0;
    while (**s >= '0' && **s <= '9') {
        if (*v < 100000) *v = *v * 10 + (uint64_t)(**s - '0');
        (*s)++;
    }
    return true;
}

/* A postfix interval at w->p ('{' m [',' [n]] '}'): sets the multiplier (n, or m + 1 when
 * open-ended) and consumes it. False (nothing consumed) if the text there is not an interval. */
static bool re_interval(re_walk *w, uint64_t *mult)
{
    const char *s = w->p + 1;
    uint64_t m, n;
    if (!re_number(&s, &m)) return false;
    n = m;
    if (*s == ',') {
        s++;
        if (!re_number(&s, &n)) n = m + 1;
    }
    if (*s != '}') return false;
    w->p = s + 1;
    *mult = n > 0 ? n : 1;
    return true;
}

/* One atom and its postfix operators. */
static uint64_t re_piece(re_walk *w)
{
    uint64_t size = 1;
    char ch = *w->p++;
    if (ch == '(') {
        if (++w->depth > RE_LIMIT_DEPTH) w->too_deep = true;
        size = w->too_deep ? 1 : re_alt(w);
        if (*w->p == ')') w->p++;
        w->depth--;
    } else if (ch == '[') {
        re_bracket(w);
    } else if (ch == '\\' && *w->p) {
        if (*w->p >= '1' && *w->p <= '9') w->backref = true;
        w->p++;
    }
    for (;;) {
        uint64_t mult;
        if (*w->p == '*' || *w->p == '+' || *w->p == '?') {
            w->p++;
            size = re_cap(size + 1);
        } else if (*w->p == '{' && re_interval(w, &mult)) {
            size = re_cap(size * mult);
        } else {
            return size;
        }
    }
}

/* Alternatives up to an unmatched ')' or the end; every branch is compiled, so sizes add. */
static uint64_t re_alt(re_walk *w)
{
    uint64_t size = 0;
    while (*w->p && !w->too_deep) {
        if (*w->p == ')' && w->depth > 0) break;
        if (*w->p == '|') {
            w->p++;
            continue;
        }
        size = re_cap(size + re_piece(w));
    }
    return size;
}

bool re_limit_check(const char *re, char *why, size_t whysize)
{
    re_walk w = {.p = re};
    uint64_t size = 0;
    while (*w.p && !w.too_deep) {
        size = re_cap(size + re_alt(&w));
        if (*w.p == ')') w.p++; /* unmatched at top level: a literal in ERE */
    }
    if (w.too_deep) {
        snprintf(why, whysize, "groups nested deeper than %u", RE_LIMIT_DEPTH);
        return false;
    }
    if (size > RE_LIMIT_ATOMS) {
        snprintf(why, whysize, "expands to more than %u atoms (nested or large {m,n} repetition)",
                 RE_LIMIT_ATOMS);
        return false;
    }
    if (w.backref) {
        snprintf(why, whysize, "back-references (\\1 .. \\9) are not supported");
        return false;
    }
    return true;
}
