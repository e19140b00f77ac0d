/* models/esp8266/rtc.c — the RTC slow clock; see rtc.h (reference/lx106.md §3.5, §6;
 * protocols.md D.1, D.2). */
#include "esp8266/rtc.h"

#include <string.h>

typedef unsigned __int128 rtc_u128;

#define RTC_GIGA 1000000000ull
#define RTC_D    (ESP_RTC_NOMINAL_PS * RTC_GIGA) /* one tick, in fraction units */

static uint64_t rtc_mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* Rate in fraction units per ps at error ppb: 10^9 + ppb (> 0 within the clamp). */
static uint64_t rtc_rate(int64_t ppb)
{
    return (uint64_t)((int64_t)RTC_GIGA + ppb);
}

/* The walk's step at the start of segment k >= 1: uniform in [-w, +w] ppb. */
static int64_t rtc_step(const esp_rtc_clock *c, uint64_t k)
{
    if (!c->wander_ppb) return 0;
    uint64_t span = 2ull * c->wander_ppb + 1u;
    uint64_t h = rtc_mix(c->seed ^ rtc_mix(k * 0xD1B54A32D192ED03ull));
    return (int64_t)(h % span) - (int64_t)c->wander_ppb;
}

static int64_t rtc_clamp(int64_t ppb)
{
    if (ppb < ESP_RTC_PPB_MIN) return ESP_RTC_PPB_MIN;
    if (ppb > ESP_RTC_PPB_MAX) return ESP_RTC_PPB_MAX;
    return ppb;
}

/* Moves a cursor (a copy or the clock itself) to the segment after its current one. */
static void rtc_next_segment(const esp_rtc_clock *cfg, esp_rtc_clock *cur)
{
    rtc_u128 num = (rtc_u128)cur->seg_frac + (rtc_u128)ESP_RTC_SEGMENT_PS * rtc_rate(cur->seg_ppb);
    cur->seg_ticks += (uint64_t)(num / RTC_D);
    cur->seg_frac = (uint64_t)(num % RTC_D);
    cur->seg++;
    cur->seg_ppb = rtc_clamp(cur->seg_ppb + rtc_step(cfg, cur->seg));
}

static uint64_t rtc_seg_start(const esp_rtc_clock *c)
{
    return c->origin_ps + c->seg * ESP_RTC_SEGMENT_PS;
}

void esp_rtc_clock_init(esp_rtc_clock *c, int64_t ppb0, uint32_t wander_ppb,
                        uint32_t cal_jitter_ppb, uint32_t initial, uint64_t seed)
{
    memset(c, 0, sizeof(*c));
    c->ppb0 = rtc_clamp(ppb0);
    c->wander_ppb = wander_ppb;
    c->cal_jitter_ppb = cal_jitter_ppb;
    c->initial = initial;
    c->seed = seed;
    c->seg_ppb = c->ppb0;
}

void esp_rtc_clock_power_on(esp_rtc_clock *c, uint64_t now_ps)
{
    c->origin_ps = now_ps;
    c->seg = 0;
    c->seg_ppb = c->ppb0;
    c->seg_ticks = 0;
    c->seg_frac = 0;
    c->zero_ticks = 0;
}

uint64_t esp_rtc_clock_ticks(esp_rtc_clock *c, uint64_t t_ps)
{
    if (t_ps < c->origin_ps) return 0;
    while (t_ps - c->origin_ps >= (c->seg + 1) * ESP_RTC_SEGMENT_PS)
        rtc_next_segment(c, c);
    uint64_t start = rtc_seg_start(c);
    uint64_t dt = t_ps > start ? t_ps - start : 0;
    rtc_u128 num = (rtc_u128)c->seg_frac + (rtc_u128)dt * rtc_rate(c->seg_ppb);
    return c->seg_ticks + (uint64_t)(num / RTC_D);
}

void esp_rtc_clock_zero(esp_rtc_clock *c, uint64_t now_ps)
{
    c->zero_ticks = esp_rtc_clock_ticks(c, now_ps);
    c->initial = 0; /* only a power-on starts at the configured value */
}

uint32_t esp_rtc_clock_counter(esp_rtc_clock *c, uint64_t t_ps)
{
    return (uint32_t)(esp_rtc_clock_ticks(c, t_ps) - c->zero_ticks + c->initial);
}

uint64_t esp_rtc_clock_time_of_tick(const esp_rtc_clock *c, uint64_t n)
{
    esp_rtc_clock cur = *c;
    for (;;) {
        uint64_t start = rtc_seg_start(&cur);
        uint64_t rate = rtc_rate(cur.seg_ppb);
        if (n <= cur.seg_ticks) return start;
        rtc_u128 need = (rtc_u128)(n - cur.seg_ticks) * RTC_D;
        rtc_u128 have = (rtc_u128)cur.seg_frac + (rtc_u128)ESP_RTC_SEGMENT_PS * rate;
        if (need <= have) {
            if (need <= cur.seg_frac) return start;
            rtc_u128 dt = (need - cur.seg_frac + rate - 1u) / rate;
            return start + (uint64_t)dt;
        }
        rtc_next_segment(c, &cur);
    }
}

uint64_t esp_rtc_clock_time_of_counter(esp_rtc_clock *c, uint64_t t_ps, uint32_t value)
{
    uint64_t base = esp_rtc_clock_ticks(c, t_ps);
    uint32_t cur = (uint32_t)(base - c->zero_ticks + c->initial);
    uint32_t delta = value - cur;
    if (delta == 0) return t_ps;
    return esp_rtc_clock_time_of_tick(c, base + delta);
}

int64_t esp_rtc_clock_ppb_at(esp_rtc_clock *c, uint64_t t_ps)
{
    (void)esp_rtc_clock_ticks(c, t_ps);
    return c->seg_ppb;
}

uint32_t esp_rtc_clock_measure(esp_rtc_clock *c, uint64_t start_ps, unsigned periods,
                               uint64_t *ready_ps)
{
    uint64_t n0 = esp_rtc_clock_ticks(c, start_ps) + 1u;
    uint64_t t0 = esp_rtc_clock_time_of_tick(c, n0);
    uint64_t t1 = esp_rtc_clock_time_of_tick(c, n0 + periods);
    *ready_ps = t1;
    uint64_t cycles = (uint64_t)((rtc_u128)(t1 - t0) * ESP_RTC_XTAL_HZ / 1000000000000ull);
    uint64_t j = (uint64_t)((rtc_u128)cycles * c->cal_jitter_ppb / RTC_GIGA);
    if (j) {
        uint64_t h = rtc_mix(c->seed ^ 0x43414C4Cull ^ rtc_mix(++c->cal_draws)); /* "CALL" */
        int64_t d = (int64_t)(h % (2u * j + 1u)) - (int64_t)j;
        cycles = (uint64_t)((int64_t)cycles + d);
    }
    return (uint32_t)(cycles & 0xFFFFFu); /* RTC_CALIB_VALUE bits 19:0 (§3.5) */
}

uint32_t esp_rtc_clock_cal_from_value(uint32_t value)
{
    return (uint32_t)(((uint64_t)value << 4) / 26u);
}
