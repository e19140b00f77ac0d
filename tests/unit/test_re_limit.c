/* tests/unit/test_re_limit.c — sim/re_limit: ordinary patterns pass; nested bounded repetition,
 * deep nesting and back-references are refused with a one-line reason; every accepted pattern
 * still compiles with regcomp() (the walk never rejects valid syntax it does not understand). */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "re_limit.h"

static bool ok(const char *re)
{
    char why[128] = "";
    bool r = re_limit_check(re, why, sizeof(why));
    assert_null(strchr(why, '\n'));
    return r;
}

static void test_ordinary(void **state)
{
    (void)state;
    const char *good[] = {"count: [0-9]+",    "^hello$",  "a{1,100}",    "(a{1,100}){1,100}",
                          "[]a-z[:digit:]]*", "x{0}",     "(ab|cd){2,}", "a)",
                          "\\(a\\)",          "[[.-.]]+", "(((((x)))))", ""};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        assert_true(ok(good[i]));
        regex_t r;
        if (regcomp(&r, good[i], REG_EXTENDED) == 0) regfree(&r);
    }
}

static void test_expansion(void **state)
{
    (void)state;
    assert_false(ok("((a{1,100}){1,100}){1,100}")); /* 10^6 atoms: 20 s and 1.8 GB in glibc */
    assert_false(ok("(a{1,1000}){1,1000}"));
    assert_false(ok("a{65537}"));
    assert_true(ok("a{65535}"));
    assert_false(ok("((ab){300}){300}")); /* operands count all their atoms */
    assert_false(ok("(a|b|c|d){20000}")); /* alternatives add */
    assert_false(ok("(a{1,300}){300,}")); /* open-ended: m + 1 copies */
    assert_false(ok("x{257}{256}"));      /* stacked intervals multiply */
    assert_true(ok("x{256}{256}"));       /* exactly the limit */
    char why[128];
    assert_false(re_limit_check("(a{1,1000}){1,1000}", why, sizeof(why)));
    assert_non_null(strstr(why, "65536 atoms"));
}

static void test_depth_and_backrefs(void **state)
{
    (void)state;
    char deep[200], why[128];
    memset(deep, '(', 64);
    deep[64] = 'a';
    memset(deep + 65, ')', 64);
    deep[129] = 0;
    assert_true(ok(deep));
    memset(deep, '(', 65);
    deep[65] = 'a';
    memset(deep + 66, ')', 65);
    deep[131] = 0;
    assert_false(re_limit_check(deep, why, sizeof(why)));
    assert_non_null(strstr(why, "deeper than 64"));
    assert_false(ok("(a*)*\\1"));
    assert_true(ok("a\\.b"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordinary),
        cmocka_unit_test(test_expansion),
        cmocka_unit_test(test_depth_and_backrefs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
