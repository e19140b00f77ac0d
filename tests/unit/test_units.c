/* tests/unit/test_units.c — sim/units: durations with units into picoseconds, sizes, and the
 * errors a user gets for a missing unit, a negative value or garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "units.h"

static void test_durations(void **state)
{
    (void)state;
    uint64_t ps;
    const char *why;
    assert_true(sim_parse_duration("10s", &ps, &why));
    assert_int_equal(ps, 10000000000000ull);
    assert_true(sim_parse_duration("500 ms", &ps, &why));
    assert_int_equal(ps, 500000000000ull);
    assert_true(sim_parse_duration("1.5s", &ps, &why));
    assert_int_equal(ps, 1500000000000ull);
    assert_true(sim_parse_duration("2min", &ps, &why));
    assert_int_equal(ps, 120000000000000ull);
    assert_true(sim_parse_duration("7h", &ps, &why));
    assert_int_equal(ps, 25200000000000000ull);
    assert_true(sim_parse_duration("250us", &ps, &why));
    assert_int_equal(ps, 250000000ull);
    assert_true(sim_parse_duration("0.2us", &ps, &why)); /* 200 ns: the 0.2 us timer tick */
    assert_int_equal(ps, 200000ull);
    assert_true(sim_parse_duration("3.2 us", &ps, &why));
    assert_int_equal(ps, 3200000ull);
    assert_true(sim_parse_duration("40ns", &ps, &why));
    assert_int_equal(ps, 40000ull);
    assert_true(sim_parse_duration("0.0000005ps", &ps, &why)); /* rounds to nearest */
    assert_int_equal(ps, 0);
}

static void test_duration_errors(void **state)
{
    (void)state;
    uint64_t ps;
    const char *why = NULL;
    assert_false(sim_parse_duration("10", &ps, &why));
    assert_non_null(strstr(why, "missing unit"));
    assert_false(sim_parse_duration("-5s", &ps, &why));
    assert_non_null(strstr(why, "negative"));
    assert_false(sim_parse_duration("5 fortnights", &ps, &why));
    assert_non_null(strstr(why, "unknown unit"));
    assert_false(sim_parse_duration("s", &ps, &why));
    assert_false(sim_parse_duration("", &ps, &why));
    assert_false(sim_parse_duration("1.s", &ps, &why));
    assert_false(sim_parse_duration("99999999999999999999s", &ps, &why));
    assert_false(sim_parse_duration("6000000h", &ps, &why));
    assert_non_null(strstr(why, "too large"));
}

static void test_sizes(void **state)
{
    (void)state;
    uint64_t b;
    const char *why;
    assert_true(sim_parse_size("512K", &b, &why));
    assert_int_equal(b, 524288);
    assert_true(sim_parse_size("4MB", &b, &why));
    assert_int_equal(b, 4194304);
    assert_true(sim_parse_size("65536", &b, &why));
    assert_int_equal(b, 65536);
    assert_false(sim_parse_size("1.5M", &b, &why));
    assert_true(sim_parse_size("2GiB", &b, &why));
    assert_int_equal(b, 2147483648ull);
    assert_true(sim_parse_size("3G", &b, &why));
    assert_int_equal(b, 3221225472ull);
    assert_false(sim_parse_size("2T", &b, &why));
    assert_false(sim_parse_size("20000000000G", &b, &why));
}

static void test_format(void **state)
{
    (void)state;
    char buf[32];
    sim_format_seconds(1234567890123ull, buf, sizeof(buf));
    assert_string_equal(buf, "1.234567");
    sim_format_seconds(0, buf, sizeof(buf));
    assert_string_equal(buf, "0.000000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_duration_errors),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
