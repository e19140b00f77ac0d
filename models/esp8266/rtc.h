/* models/esp8266/rtc.h — the RTC slow clock: the internal RC oscillator that clocks the 32-bit
 * RTC counter (0x6000071C), its calibration against the crystal, and the deep-sleep alarm
 * (reference/lx106.md §3.5 RTC_CALIB, §3.8, §6; protocols.md D.1, D.2).
 *
 * Time base. Every time here is the node's LOCAL time in ps (sim_node_now: its crystal), so a
 * node's crystal error (clock_ppm) moves the RTC with everything else; the RC error below is on
 * top of it. The oscillator starts at local time `origin_ps` (power-on).
 *
 * Frequency. Nominal period ESP_RTC_NOMINAL_PS = 6.496 us (153.9 kHz: 2^32 ticks = 27,900 s =
 * 7 h 45 min, protocols.md D.2). The error is in ppb (parts per 10^9; + = runs fast): over a
 * stretch at error e the period is nominal * 10^9 / (10^9 + e) exactly. The error is piecewise
 * constant on wander segments of ESP_RTC_SEGMENT_PS (60 s) counted from origin: segment 0 runs
 * at ppb0, and at the start of segment k >= 1 the error moves by a step drawn uniformly from
 * [-wander_ppb, +wander_ppb] (a seeded random walk, like temperature drift), clamped to
 * [ESP_RTC_PPB_MIN, ESP_RTC_PPB_MAX]. The step of segment k is a pure function of (seed, k), so
 * the walk does not depend on when or how often the counter is read.
 *
 * Ticks. ticks(t) = floor(integral of frequency from origin to t): exact integer arithmetic, a
 * 128-bit product per segment; the fraction of a tick carries across segments. The counter
 * register is the low 32 bits of ticks(t) - zero_ticks + initial (esp_rtc_clock_counter).
 *
 * Calibration (RTC_CALIB_SYNC / RTC_CALIB_VALUE, GPIO block +0x6C / +0x70): the SDK's
 * pm_rtc_clock_cali (libphy phy_sleep.o) writes 0x101 then sets bit 31 of SYNC, waits for bit 31
 * of VALUE and computes cal = (VALUE & 0x0FFFFFFF) * 16 / 26 (26 MHz crystal), µs per tick in
 * Q12. That is Q12 exactly when VALUE counts crystal cycles over 256 RTC periods, so the model
 * measures (SYNC bits 9:0) - 1 periods (0x101 -> 256; our inference from the SDK's arithmetic):
 * from the first RTC edge after the start, VALUE = floor(duration * 26 MHz) + a jitter drawn
 * uniformly from [-j, +j] crystal cycles, j = duration_cycles * cal_jitter_ppb / 10^9 (the RC
 * oscillator's period jitter); the result is ready (bit 31) at the last edge.
 */
#ifndef MODELS_ESP8266_RTC_H
#define MODELS_ESP8266_RTC_H

#include <stdbool.h>
#include <stdint.h>

#define ESP_RTC_NOMINAL_PS         6496000ull        /* 6.496 us per tick (§6, D.2) */
#define ESP_RTC_SEGMENT_PS         60000000000000ull /* wander step every 60 s of node time */
#define ESP_RTC_PPB_MIN            (-300000000ll)    /* -30 % */
#define ESP_RTC_PPB_MAX            300000000ll       /* +30 % */
#define ESP_RTC_XTAL_HZ            26000000ull       /* the crystal the calibration counts */
#define ESP_RTC_DEFAULT_JITTER_PPB 100000u           /* calibration jitter: +-100 ppm */

typedef struct esp_rtc_clock {
    /* configuration (kept across resets) */
    int64_t ppb0;            /* error at power-on, ppb */
    uint32_t wander_ppb;     /* max step per segment, ppb (0 = constant) */
    uint32_t cal_jitter_ppb; /* calibration jitter, ppb of the measured duration */
    uint64_t seed;           /* wander steps and calibration jitter */
    uint32_t initial;        /* counter value right after power-on */
    /* state */
    uint64_t origin_ps;  /* local time of power-on */
    uint64_t seg;        /* wander segment of the cursor */
    int64_t seg_ppb;     /* error during segment seg */
    uint64_t seg_ticks;  /* whole ticks from origin to the start of segment seg */
    uint64_t seg_frac;   /* fraction of a tick there, in units of 1 / (nominal * 10^9) */
    uint64_t zero_ticks; /* ticks at the last counter restart */
    uint64_t cal_draws;  /* calibrations so far (jitter stream position) */
} esp_rtc_clock;

/* Configures the clock; it starts at power-on (esp_rtc_clock_power_on). */
void esp_rtc_clock_init(esp_rtc_clock *c, int64_t ppb0, uint32_t wander_ppb,
                        uint32_t cal_jitter_ppb, uint32_t initial, uint64_t seed);
/* The oscillator (re)starts at local time now: the walk restarts at ppb0, the counter reads
 * `initial`. */
void esp_rtc_clock_power_on(esp_rtc_clock *c, uint64_t now_ps);
/* The counter restarts from 0 at now (an external or deep-sleep reset); the oscillator runs on
 * with its phase and its walk. */
void esp_rtc_clock_zero(esp_rtc_clock *c, uint64_t now_ps);

/* Whole ticks from origin to t (t >= the last time asked: the cursor only moves forward). */
uint64_t esp_rtc_clock_ticks(esp_rtc_clock *c, uint64_t t_ps);
/* The counter register value at t. */
uint32_t esp_rtc_clock_counter(esp_rtc_clock *c, uint64_t t_ps);
/* The first local time at which ticks() reaches n (n >= ticks(now)); does not move the cursor. */
uint64_t esp_rtc_clock_time_of_tick(const esp_rtc_clock *c, uint64_t n);
/* The first local time at or after t_ps at which the COUNTER register reads value (counting
 * forward, wrapping at 2^32). */
uint64_t esp_rtc_clock_time_of_counter(esp_rtc_clock *c, uint64_t t_ps, uint32_t value);
/* The error (ppb) in force at t. */
int64_t esp_rtc_clock_ppb_at(esp_rtc_clock *c, uint64_t t_ps);

/* A calibration started at `start_ps` over `periods` RTC periods: *ready_ps = when the result is
 * there, return = crystal cycles measured (with jitter; each call draws the next jitter). */
uint32_t esp_rtc_clock_measure(esp_rtc_clock *c, uint64_t start_ps, unsigned periods,
                               uint64_t *ready_ps);
/* What system_rtc_clock_cali_proc returns for a measured VALUE: value * 16 / 26 (libphy). */
uint32_t esp_rtc_clock_cal_from_value(uint32_t value);

#endif
