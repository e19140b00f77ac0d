/* sim/re_limit.h — bounds on user regular expressions (POSIX extended, as scenario files and
 * `espsim test --filter` take them) before regcomp() sees them. glibc expands a bounded
 * repetition {m,n} into n copies of its operand, so nested bounds such as
 * ((a{1,100}){1,100}){1,100} cost memory and time exponential in the text's length (architecture.md
 * §9: bad input is an error, never a stalled host). Back-references make matching exponential and
 * are refused too. */
#ifndef SIM_RE_LIMIT_H
#define SIM_RE_LIMIT_H

#include <stdbool.h>
#include <stddef.h>

/* Most atoms a pattern may expand to (each bounded repetition multiplies its operand). */
#define RE_LIMIT_ATOMS 65536u
/* Deepest nesting of parenthesised groups. */
#define RE_LIMIT_DEPTH 64u

/* True if `re` stays within both limits. Otherwise false, with a one-line reason (no newline)
 * in why. Syntax errors are left to regcomp(): the walk accepts anything it cannot parse. */
bool re_limit_check(const char *re, char *why, size_t whysize);

#endif
