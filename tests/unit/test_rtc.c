/* tests/unit/test_rtc.c — models/esp8266/rtc: the RTC slow clock's arithmetic. Exact tick
 * counts at a given error, the 32-bit counter wrap, counter restarts, the inverse
 * (time_of_tick / time_of_counter across the wrap), the seeded random walk (same ticks however
 * often the clock is read, steps within bounds, clamp), and the calibration measurement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "esp8266/rtc.h"

#define S_PS  1000000000000ull
#define H_PS  (3600ull * S_PS)
#define P_NOM ESP_RTC_NOMINAL_PS

/* floor(t * (10^9 + ppb) / (nominal * 10^9)) without the model's code */
static uint64_t expect_ticks(uint64_t t, int64_t ppb)
{
    unsigned __int128 num = (unsigned __int128)t * (uint64_t)(1000000000ll + ppb);
    return (uint64_t)(num / ((unsigned __int128)P_NOM * 1000000000u));
}

static void test_nominal_and_wrap(void **state)
{
    (void)state;
    esp_rtc_clock c;
    esp_rtc_clock_init(&c, 0, 0, 0, 0, 1);
    esp_rtc_clock_power_on(&c, 0);
    assert_int_equal(esp_rtc_clock_counter(&c, 0), 0);
    assert_int_equal(esp_rtc_clock_counter(&c, P_NOM - 1u), 0);
    assert_int_equal(esp_rtc_clock_counter(&c, P_NOM), 1);
    /* the overflow period: 2^32 ticks of 6.496 us = 27,900.26 s = 7 h 45 min */
    uint64_t wrap = (1ull << 32) * P_NOM;
    assert_true(wrap / S_PS == 27900u);
    assert_int_equal(esp_rtc_clock_counter(&c, wrap - 1u), 0xFFFFFFFFu);
    assert_int_equal(esp_rtc_clock_counter(&c, wrap), 0);
    assert_int_equal(esp_rtc_clock_counter(&c, wrap + 3u * P_NOM), 3);
    assert_int_equal(esp_rtc_clock_ticks(&c, wrap), 1ull << 32);
    /* 24 h: three wraps and the remainder */
    uint64_t t24 = 24u * H_PS;
    uint64_t n = esp_rtc_clock_ticks(&c, t24);
    assert_int_equal(n, expect_ticks(t24, 0));
    assert_int_equal(n >> 32, 3);
    assert_int_equal(esp_rtc_clock_counter(&c, t24), (uint32_t)n);
}

static void test_error_ppm(void **state)
{
    (void)state;
    const int64_t ppbs[] = {2000000, -2000000, 50000000, -250000000, 300000000, 0};
    for (size_t i = 0; i < sizeof(ppbs) / sizeof(ppbs[0]); i++) {
        esp_rtc_clock c;
        esp_rtc_clock_init(&c, ppbs[i], 0, 0, 0, 1);
        esp_rtc_clock_power_on(&c, 5 * S_PS);
        /* read at many points: the segment cursor must not change the result */
        for (uint64_t t = 0; t <= 25u * H_PS; t += H_PS / 7u)
            assert_int_equal(esp_rtc_clock_ticks(&c, 5 * S_PS + t), expect_ticks(t, ppbs[i]));
    }
    /* +2000 ppm: one hour is 2000 ppm more ticks, to the tick */
    esp_rtc_clock c;
    esp_rtc_clock_init(&c, 2000000, 0, 0, 0, 1);
    esp_rtc_clock_power_on(&c, 0);
    uint64_t fast = esp_rtc_clock_ticks(&c, H_PS), nom = expect_ticks(H_PS, 0);
    assert_true(fast - nom >= nom / 500u - 1u && fast - nom <= nom / 500u + 1u);
    /* the clamp: -40 % is taken as -30 % */
    esp_rtc_clock_init(&c, -400000000, 0, 0, 0, 1);
    assert_int_equal(c.ppb0, ESP_RTC_PPB_MIN);
}

static void test_restart(void **state)
{
    (void)state;
    esp_rtc_clock c;
    esp_rtc_clock_init(&c, 0, 0, 0, 0xFFFFFF00u, 1);
    esp_rtc_clock_power_on(&c, 0);
    assert_int_equal(esp_rtc_clock_counter(&c, 0), 0xFFFFFF00u);
    assert_int_equal(esp_rtc_clock_counter(&c, 256u * P_NOM), 0);
    /* zero at a point between two ticks: the counter reads 0 until the oscillator's next edge */
    uint64_t t = 1000u * P_NOM + P_NOM / 2u;
    esp_rtc_clock_zero(&c, t);
    assert_int_equal(esp_rtc_clock_counter(&c, t), 0);
    assert_int_equal(esp_rtc_clock_counter(&c, 1001u * P_NOM - 1u), 0);
    assert_int_equal(esp_rtc_clock_counter(&c, 1001u * P_NOM), 1);
    /* a later power-on starts at 0: the initial value applies to the configured first boot and
     * every power-on until a restart clears it */
    esp_rtc_clock_power_on(&c, 2000u * P_NOM);
    assert_int_equal(esp_rtc_clock_counter(&c, 2000u * P_NOM), 0);
}

static void test_inverse(void **state)
{
    (void)state;
    esp_rtc_clock c;
    esp_rtc_clock_init(&c, 12345678, 20000, 0, 0, 99); /* +1.23 %, wander 20 ppm/min */
    esp_rtc_clock_power_on(&c, 777);
    uint64_t n = 1;
    for (int i = 0; i < 2000; i++) {
        uint64_t t = esp_rtc_clock_time_of_tick(&c, n);
        assert_true(t > 777);
        esp_rtc_clock probe = c;
        assert_int_equal(esp_rtc_clock_ticks(&probe, t), n);
        probe = c;
        assert_int_equal(esp_rtc_clock_ticks(&probe, t - 1u), n - 1u);
        n = n * 3u + 17u;
        if (n > (5ull << 32)) n = n % (5ull << 32) + 1u;
    }
    /* time_of_counter across the wrap */
    esp_rtc_clock_init(&c, 0, 0, 0, 0xFFFFFFF0u, 1);
    esp_rtc_clock_power_on(&c, 0);
    uint64_t t5 = esp_rtc_clock_time_of_counter(&c, 0, 5);
    assert_int_equal(t5, 21u * P_NOM);
    assert_int_equal(esp_rtc_clock_time_of_counter(&c, t5, 5), t5);           /* already there */
    assert_int_equal(esp_rtc_clock_time_of_counter(&c, t5 + 1u, 5), t5 + 1u); /* still 5 */
    assert_int_equal(esp_rtc_clock_time_of_counter(&c, t5 + P_NOM, 5),
                     ((1ull << 32) + 21u) * P_NOM); /* 6 now: once round */
}

static void test_wander(void **state)
{
    (void)state;
    const uint32_t w = 50000; /* 50 ppm per minute */
    esp_rtc_clock a, b, other;
    esp_rtc_clock_init(&a, 1000000, w, 0, 0, 42);
    esp_rtc_clock_init(&b, 1000000, w, 0, 0, 42);
    esp_rtc_clock_init(&other, 1000000, w, 0, 0, 43);
    esp_rtc_clock_power_on(&a, 0);
    esp_rtc_clock_power_on(&b, 0);
    esp_rtc_clock_power_on(&other, 0);
    /* read a every 10 s, b once: same ticks at 10 h */
    for (uint64_t t = 0; t < 10u * H_PS; t += 10u * S_PS)
        (void)esp_rtc_clock_ticks(&a, t);
    uint64_t ta = esp_rtc_clock_ticks(&a, 10u * H_PS), tb = esp_rtc_clock_ticks(&b, 10u * H_PS);
    assert_int_equal(ta, tb);
    assert_true(ta != esp_rtc_clock_ticks(&other, 10u * H_PS)); /* another seed, another walk */
    /* each minute's step is within +-w; the walk moved at all */
    esp_rtc_clock c;
    esp_rtc_clock_init(&c, 1000000, w, 0, 0, 42);
    esp_rtc_clock_power_on(&c, 0);
    int64_t prev = esp_rtc_clock_ppb_at(&c, 0), moved = 0;
    assert_int_equal(prev, 1000000);
    for (unsigned k = 1; k <= 600; k++) {
        int64_t e = esp_rtc_clock_ppb_at(&c, k * ESP_RTC_SEGMENT_PS);
        assert_true(e - prev <= (int64_t)w && prev - e <= (int64_t)w);
        moved |= e - prev;
        prev = e;
        /* and constant within the minute */
        assert_int_equal(esp_rtc_clock_ppb_at(&c, k * ESP_RTC_SEGMENT_PS + 59u * S_PS), e);
    }
    assert_true(moved != 0);
    /* a clock at the clamp stays within it */
    esp_rtc_clock_init(&c, ESP_RTC_PPB_MAX, 10000000, 0, 0, 5);
    esp_rtc_clock_power_on(&c, 0);
    for (unsigned k = 1; k <= 300; k++) {
        int64_t e = esp_rtc_clock_ppb_at(&c, k * ESP_RTC_SEGMENT_PS);
        assert_true(e <= ESP_RTC_PPB_MAX && e >= ESP_RTC_PPB_MIN);
    }
}

static void test_measure(void **state)
{
    (void)state;
    esp_rtc_clock c;
    /* no jitter: 256 periods at +2000 ppm = 256 * 6.496 / 1.002 us, in 26 MHz cycles */
    esp_rtc_clock_init(&c, 2000000, 0, 0, 0, 3);
    esp_rtc_clock_power_on(&c, 0);
    uint64_t ready;
    uint32_t v = esp_rtc_clock_measure(&c, S_PS, 256, &ready);
    assert_true(v >= 43150u && v <= 43151u); /* 43237.376 / 1.002 = 43151.08 */
    assert_true(ready > S_PS && ready < S_PS + 2000000000ull);
    /* with jitter: within +-100 ppm of the duration, deterministic, and not constant */
    esp_rtc_clock j1, j2;
    esp_rtc_clock_init(&j1, 0, 0, 100000, 0, 3);
    esp_rtc_clock_init(&j2, 0, 0, 100000, 0, 3);
    esp_rtc_clock_power_on(&j1, 0);
    esp_rtc_clock_power_on(&j2, 0);
    uint32_t lo = 0xFFFFFFFFu, hi = 0;
    for (unsigned i = 1; i <= 200; i++) {
        uint32_t x = esp_rtc_clock_measure(&j1, i * S_PS, 256, &ready);
        assert_int_equal(x, esp_rtc_clock_measure(&j2, i * S_PS, 256, &ready));
        assert_true(x >= 43237u - 5u && x <= 43238u + 5u); /* j = 4 cycles */
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    assert_true(hi - lo >= 4u);
    assert_int_equal(esp_rtc_clock_cal_from_value(43237u), 26607u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nominal_and_wrap), cmocka_unit_test(test_error_ppm),
        cmocka_unit_test(test_restart),          cmocka_unit_test(test_inverse),
        cmocka_unit_test(test_wander),           cmocka_unit_test(test_measure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
