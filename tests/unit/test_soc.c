/* tests/unit/test_soc.c — models/esp8266/soc: DPORT (CPU clock callback, edge-enable wire,
 * SPI idle bit, OTP MAC), the WDEV us counter and RNG, the RTC counter (rate, restart, wrap),
 * the ROM reset-reason algorithm for every cause, STORE survival, CTRL0 software reset, GPIO
 * W1TS/W1TC and IN, IO_MUX/WDT storage; the hardware watchdog (stages, INT 8, reset callback,
 * feeding, disabling, VAL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp8266/soc.h"
#include "xt_config.h"

typedef struct rig {
    sim_node node;
    esp_soc s;
    int clock_calls;
    bool last_160;
    unsigned sw_resets;
    unsigned wdt_resets;
    uint64_t wdt_reset_at;
} rig;

static rig *rig_new(uint64_t seed)
{
    rig *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    sim_node_init(&r->node, "n", 0x40000080u, 80000000u, 0, 0);
    esp_soc_init(&r->s, &r->node, seed);
    return r;
}

static void rig_free(rig *r)
{
    sim_node_free(&r->node);
    free(r);
}

static void set_time(rig *r, uint64_t t_ps)
{
    r->node.cpu.cycles = sim_node_cycle_at(&r->node, t_ps);
    sim_sched_run_until(&r->node.sched, sim_node_now(&r->node));
}

static void on_clock(void *opaque, bool mhz160)
{
    rig *r = opaque;
    r->clock_calls++;
    r->last_160 = mhz160;
}

static void on_sw_reset(void *opaque)
{
    rig *r = opaque;
    r->sw_resets++;
    esp_soc_reset(&r->s, ESP_RESET_SOFTWARE);
}

static void test_dport(void **state)
{
    (void)state;
    rig *r = rig_new(1);
    r->s.on_cpu_clock = on_clock;
    r->s.on_cpu_clock_opaque = r;
    esp_dport_write(&r->s, 0x14, 1, 4);
    assert_int_equal(r->clock_calls, 1);
    assert_true(r->last_160);
    assert_int_equal(esp_dport_read(&r->s, 0x14, 4), 1);
    esp_dport_write(&r->s, 0x14, 0, 4);
    assert_int_equal(r->clock_calls, 2);
    assert_false(r->last_160);

    /* EDGE_INT_ENABLE drives the wire (bits 2:0) */
    assert_string_equal(r->s.edge_enable.name, "3>dport.edge_int_enable");
    esp_dport_write(&r->s, 0x04, 0xFF, 4);
    assert_int_equal(r->s.edge_enable.value, 7);
    esp_dport_write(&r->s, 0x04, 0x02, 4);
    assert_int_equal(r->s.edge_enable.value, 2);

    /* SPI_READY: idle bit 9 always; flush handshake bit 1 follows bit 0 */
    assert_int_equal(esp_dport_read(&r->s, 0x0C, 4), 1u << 9);
    esp_dport_write(&r->s, 0x0C, 1, 4);
    assert_int_equal(esp_dport_read(&r->s, 0x0C, 4), (1u << 9) | 3u);

    /* the 256-byte block repeats */
    assert_int_equal(esp_dport_read(&r->s, 0x114, 4), 0);
    esp_dport_write(&r->s, 0x128, 0x5, 4);
    assert_int_equal(esp_dport_read(&r->s, 0x28, 4), 0x5);

    /* OTP: 18:FE:34 OUI layout, read-only, derived from the seed */
    uint32_t mac0 = esp_dport_read(&r->s, 0x50, 4), mac1 = esp_dport_read(&r->s, 0x54, 4);
    assert_int_equal(esp_dport_read(&r->s, 0x5C, 4), 0);
    assert_int_equal((mac1 >> 16) & 0xFF, 0);
    assert_int_equal(mac0 & 0x00FFFFFFu, 0);
    esp_dport_write(&r->s, 0x54, 0xFFFFFFFFu, 4);
    assert_int_equal(esp_dport_read(&r->s, 0x54, 4), mac1);
    rig *same = rig_new(1), *other = rig_new(2);
    assert_int_equal(esp_dport_read(&same->s, 0x50, 4), mac0);
    assert_int_equal(esp_dport_read(&same->s, 0x54, 4), mac1);
    assert_true(esp_dport_read(&other->s, 0x50, 4) != mac0 ||
                esp_dport_read(&other->s, 0x54, 4) != mac1);
    rig_free(same);
    rig_free(other);
    rig_free(r);
}

static void test_wdev_counter(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    assert_int_equal(esp_wdev_read(&r->s, 0xC00, 4), 0);
    r->node.cpu.cycles = 80u * 1234u + 79u; /* 1234.9875 us */
    assert_int_equal(esp_wdev_read(&r->s, 0xC00, 4), 1234);
    r->node.cpu.cycles = 80u * 1235u;
    assert_int_equal(esp_wdev_read(&r->s, 0xC00, 4), 1235);
    r->s.wdev_us_offset = 0xFFFFFFFFu; /* 32-bit wrap */
    assert_int_equal(esp_wdev_read(&r->s, 0xC00, 4), 1234);
    r->s.wdev_us_offset = 0;
    /* one hour */
    set_time(r, 3600ull * 1000000000000ull);
    assert_int_equal(esp_wdev_read(&r->s, 0xC00, 4), 3600000000u);
    /* 2^32 us + 5 us wraps */
    set_time(r, (4294967296ull + 5u) * 1000000u);
    assert_int_equal(esp_wdev_read(&r->s, 0xC00, 4), 5);
    /* read-only; other words are storage */
    esp_wdev_write(&r->s, 0xC00, 7, 4);
    assert_int_equal(esp_wdev_read(&r->s, 0xC00, 4), 5);
    esp_wdev_write(&r->s, 0x204, 0xCAFE, 4);
    assert_int_equal(esp_wdev_read(&r->s, 0x204, 4), 0xCAFE);
    rig_free(r);
}

static void test_rng(void **state)
{
    (void)state;
    rig *a = rig_new(42), *b = rig_new(42), *c = rig_new(43), *z = rig_new(0);
    uint32_t va[16], vc[16];
    bool differs = false;
    for (unsigned i = 0; i < 16; i++) {
        va[i] = esp_wdev_read(&a->s, 0xE44, 4);
        assert_int_equal(esp_rng_next(&b->s), va[i]);
        vc[i] = esp_rng_next(&c->s);
        if (vc[i] != va[i]) differs = true;
    }
    assert_true(differs);
    /* not stuck, not constant */
    assert_int_not_equal(va[0], va[1]);
    uint32_t z0 = esp_rng_next(&z->s), z1 = esp_rng_next(&z->s);
    assert_true(z0 != 0 || z1 != 0);
    assert_int_not_equal(z0, z1);
    /* the stream survives a reset */
    uint32_t next = esp_rng_next(&b->s);
    esp_soc_reset(&a->s, ESP_RESET_SOFTWARE);
    assert_int_equal(esp_rng_next(&a->s), next);
    rig_free(a);
    rig_free(b);
    rig_free(c);
    rig_free(z);
}

static void test_rtc_counter(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    const uint64_t p = ESP_RTC_NOMINAL_PS; /* the soc's own default: no error */
    assert_int_equal(esp_rtc_read(&r->s, 0x1C, 4), 0);
    set_time(r, 1000ull * p - 12500u); /* one 80 MHz cycle earlier */
    assert_int_equal(esp_rtc_counter(&r->s), 999);
    set_time(r, 1000ull * p);
    assert_int_equal(esp_rtc_read(&r->s, 0x1C, 4), 1000);
    /* 153.94 kHz: one second is 153940 whole ticks (10^12 / 6496000 = 153940.89) */
    set_time(r, 1000000000000ull);
    assert_int_equal(esp_rtc_counter(&r->s), 153940);
    esp_rtc_write(&r->s, 0x1C, 0, 4); /* read-only */
    assert_int_equal(esp_rtc_counter(&r->s), 153940);

    /* watchdog and software resets leave it counting (protocols.md D.4) */
    esp_soc_reset(&r->s, ESP_RESET_WATCHDOG);
    assert_int_equal(esp_rtc_counter(&r->s), 153940);
    esp_soc_reset(&r->s, ESP_RESET_SOFTWARE);
    assert_int_equal(esp_rtc_counter(&r->s), 153940);
    /* an external reset restarts it from 0, the phase of the oscillator goes on: the next tick
     * of the oscillator (153941 at 153941 * p) is tick 1 of the counter */
    esp_soc_reset(&r->s, ESP_RESET_EXTERNAL);
    assert_int_equal(esp_rtc_counter(&r->s), 0);
    set_time(r, 153941ull * p - 12500u);
    assert_int_equal(esp_rtc_counter(&r->s), 0);
    set_time(r, 153941ull * p);
    assert_int_equal(esp_rtc_counter(&r->s), 1);

    /* 32-bit wrap: 2^32 + 5 ticks after the restart */
    set_time(r, (153940ull + 4294967296ull + 5u) * p);
    assert_int_equal(esp_rtc_counter(&r->s), 5);
    /* deep-sleep wake: 0 again */
    esp_soc_reset(&r->s, ESP_RESET_DEEP_SLEEP);
    assert_int_equal(esp_rtc_counter(&r->s), 0);
    /* power-on: the configured initial value */
    r->s.rtc_clk.initial = 0xFFFFFFF0u;
    esp_soc_reset(&r->s, ESP_RESET_POWER_ON);
    assert_int_equal(esp_rtc_counter(&r->s), 0xFFFFFFF0u);
    uint64_t t0 = sim_node_now(&r->node);
    set_time(r, t0 + 16u * p);
    assert_int_equal(esp_rtc_counter(&r->s), 0);
    rig_free(r);
}

/* RTC_CALIB_SYNC / VALUE as libphy's pm_rtc_clock_cali drives them (rtc.h). */
static void test_rtc_calibration(void **state)
{
    (void)state;
    rig *r = rig_new(7);
    esp_rtc_clock_init(&r->s.rtc_clk, 0, 0, 0, 0, 7); /* no error, no jitter */
    esp_rtc_clock_power_on(&r->s.rtc_clk, 0);
    set_time(r, 1000000000u); /* 1 ms */
    esp_gpio_write(&r->s, 0x6C, 0x101u, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x70, 4), 0); /* nothing started */
    esp_gpio_write(&r->s, 0x6C, 0x80000101u, 4);
    uint64_t t = sim_node_now(&r->node);
    assert_int_equal(esp_gpio_read(&r->s, 0x70, 4), 0); /* not ready yet */
    /* 256 periods of 6.496 us = 1662.976 us = 43237.376 crystal cycles at 26 MHz; ready at the
     * 256th edge after the first edge following the start (154th tick, 153 before the start) */
    uint64_t first = 154ull * ESP_RTC_NOMINAL_PS;
    set_time(r, first + 256ull * ESP_RTC_NOMINAL_PS - 12500u);
    assert_true(sim_node_now(&r->node) > t);
    assert_int_equal(esp_gpio_read(&r->s, 0x70, 4), 0);
    set_time(r, first + 256ull * ESP_RTC_NOMINAL_PS);
    uint32_t v = esp_gpio_read(&r->s, 0x70, 4);
    assert_int_equal(v, 0x80000000u | 43237u);
    /* the SDK's formula gives Q12 us per tick: 43237 * 16 / 26 = 26607 (6.4958 us) */
    assert_int_equal(esp_rtc_clock_cal_from_value(v & 0x0FFFFFFFu), 26607u);
    /* clearing the start bit forgets the result */
    esp_gpio_write(&r->s, 0x6C, 0x101u, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x70, 4), 0);
    rig_free(r);
}

/* GPIO16 (RTC pad): the wire follows OUT/ENABLE, the wake pulse pulls it low, IN reads it. */
static void test_gpio16(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    assert_int_equal(r->s.gpio16.value, 1);
    esp_rtc_write(&r->s, 0x74, 1, 4); /* enable, OUT = 0: driven low */
    assert_int_equal(r->s.gpio16.value, 0);
    assert_int_equal(esp_rtc_read(&r->s, 0x8C, 4) & 1u, 0);
    esp_rtc_write(&r->s, 0x68, 1, 4);
    assert_int_equal(r->s.gpio16.value, 1);
    assert_int_equal(esp_rtc_read(&r->s, 0x8C, 4) & 1u, 1);
    esp_soc_sleep(&r->s); /* outputs released */
    assert_int_equal(esp_rtc_read(&r->s, 0x74, 4) & 1u, 0);
    esp_soc_wake_pulse(&r->s, true);
    assert_int_equal(r->s.gpio16.value, 0);
    esp_soc_wake_pulse(&r->s, false);
    assert_int_equal(r->s.gpio16.value, 1);
    rig_free(r);
}

static void test_reset_reason(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    /* after init: power-on */
    assert_int_equal(esp_rtc_reset_reason(&r->s), 1);
    const enum esp_reset_cause causes[] = {ESP_RESET_POWER_ON, ESP_RESET_EXTERNAL,
                                           ESP_RESET_SOFTWARE, ESP_RESET_WATCHDOG,
                                           ESP_RESET_DEEP_SLEEP};
    const uint32_t reported[] = {1, 2, 2 /* software reads like the pin */, 4, 5};
    for (unsigned i = 0; i < 5; i++) {
        esp_soc_reset(&r->s, causes[i]);
        esp_rtc_write(&r->s, 0x08, 0x00A00001u, 4); /* bit 21 and neighbours set */
        assert_int_equal(esp_rtc_reset_reason(&r->s), reported[i]);
        assert_int_equal(esp_rtc_read(&r->s, 0x08, 4), 0x00800001u); /* only bit 21 cleared */
    }
    /* deep-sleep register pair: [0x718] bits 13:8 pick 6, 5 or 0 */
    esp_rtc_write(&r->s, 0x14, 5, 4);
    esp_rtc_write(&r->s, 0x18, 1u << 8, 4);
    assert_int_equal(esp_rtc_reset_reason(&r->s), 6);
    esp_rtc_write(&r->s, 0x18, (8u << 8) | 0xC0FFu, 4); /* other bits ignored */
    assert_int_equal(esp_rtc_reset_reason(&r->s), 5);
    esp_rtc_write(&r->s, 0x18, 3u << 8, 4);
    esp_rtc_write(&r->s, 0x08, 1u << 21, 4);
    assert_int_equal(esp_rtc_reset_reason(&r->s), 0);
    assert_int_equal(esp_rtc_read(&r->s, 0x08, 4), 0);
    /* only bits 3:0 of [0x714] count */
    esp_rtc_write(&r->s, 0x14, 0x34, 4);
    assert_int_equal(esp_rtc_reset_reason(&r->s), 4);
    rig_free(r);
}

static void test_store_and_sw_reset(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    r->s.on_software_reset = on_sw_reset;
    r->s.on_software_reset_opaque = r;
    for (unsigned i = 0; i < 4; i++)
        esp_rtc_write(&r->s, 0x30 + 4 * i, 0x1111u * (i + 1), 4);
    esp_rtc_write(&r->s, 0x04, 0x1234, 4); /* SLP_VAL: not kept */
    esp_gpio_write(&r->s, 0x00, 0xFF, 4);
    esp_dport_write(&r->s, 0x04, 7, 4);

    /* ROM software_reset: CTRL0 |= bit 31 */
    esp_rtc_write(&r->s, 0x00, esp_rtc_read(&r->s, 0x00, 4) | 0x80000000u, 4);
    assert_int_equal(r->sw_resets, 1);
    assert_int_equal(esp_rtc_read(&r->s, 0x00, 4) & 0x80000000u, 0);
    assert_int_equal(esp_rtc_reset_reason(&r->s), 2); /* the ROM sees software like the pin */
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(esp_rtc_read(&r->s, 0x30 + 4 * i, 4), 0x1111u * (i + 1));
    assert_int_equal(esp_rtc_read(&r->s, 0x04, 4), 0);
    assert_int_equal(esp_gpio_read(&r->s, 0x00, 4), 0);
    assert_int_equal(r->s.edge_enable.value, 0);
    assert_int_not_equal(esp_dport_read(&r->s, 0x54, 4) | esp_dport_read(&r->s, 0x50, 4), 0);

    /* other bits of CTRL0 are plain storage and do not reset */
    esp_rtc_write(&r->s, 0x00, 0x70, 4);
    assert_int_equal(r->sw_resets, 1);
    assert_int_equal(esp_rtc_read(&r->s, 0x00, 4), 0x70);

    esp_soc_reset(&r->s, ESP_RESET_WATCHDOG);
    assert_int_equal(esp_rtc_read(&r->s, 0x3C, 4), 0x4444u);
    esp_soc_reset(&r->s, ESP_RESET_DEEP_SLEEP);
    assert_int_equal(esp_rtc_read(&r->s, 0x30, 4), 0x1111u);
    /* power loss clears them */
    esp_soc_reset(&r->s, ESP_RESET_POWER_ON);
    assert_int_equal(esp_rtc_read(&r->s, 0x30, 4), 0);
    rig_free(r);
}

static void test_gpio(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    /* IN: strap bits 18:16 (flash boot = 3) */
    assert_int_equal(esp_gpio_read(&r->s, 0x18, 4), 3u << 16);
    esp_gpio_write(&r->s, 0x04, 0x0030, 4); /* OUT_W1TS */
    esp_gpio_write(&r->s, 0x04, 0x0001, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x00, 4), 0x0031);
    esp_gpio_write(&r->s, 0x08, 0x0010, 4); /* OUT_W1TC */
    assert_int_equal(esp_gpio_read(&r->s, 0x00, 4), 0x0021);
    assert_int_equal(esp_gpio_read(&r->s, 0x04, 4), 0);
    /* outputs show in IN only when enabled */
    assert_int_equal(esp_gpio_read(&r->s, 0x18, 4), 3u << 16);
    esp_gpio_write(&r->s, 0x10, 0x0020, 4); /* ENABLE_W1TS */
    assert_int_equal(esp_gpio_read(&r->s, 0x0C, 4), 0x0020);
    assert_int_equal(esp_gpio_read(&r->s, 0x18, 4), (3u << 16) | 0x20);
    esp_gpio_write(&r->s, 0x0C, 0x0021, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x18, 4), (3u << 16) | 0x21);
    esp_gpio_write(&r->s, 0x14, 0x0001, 4); /* ENABLE_W1TC */
    assert_int_equal(esp_gpio_read(&r->s, 0x18, 4), (3u << 16) | 0x20);
    esp_gpio_write(&r->s, 0x18, 0xFFFF, 4); /* IN ignores writes */
    assert_int_equal(esp_gpio_read(&r->s, 0x18, 4), (3u << 16) | 0x20);
    r->s.strap = 1; /* UART download mode */
    assert_int_equal((esp_gpio_read(&r->s, 0x18, 4) >> 16) & 7, 1);
    /* STATUS with W1TS / W1TC */
    esp_gpio_write(&r->s, 0x20, 0x0104, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 0x0104);
    esp_gpio_write(&r->s, 0x24, 0x0004, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 0x0100);
    /* pin registers are storage; byte writes merge */
    esp_gpio_write(&r->s, 0x28 + 4 * 5, 0x0380, 4);
    esp_gpio_write(&r->s, 0x28 + 4 * 5 + 1, 0x04, 1);
    assert_int_equal(esp_gpio_read(&r->s, 0x28 + 4 * 5, 4), 0x0480);
    assert_int_equal(esp_gpio_read(&r->s, 0x28 + 4 * 5 + 1, 1), 0x04);

    /* GPIO16 in the RTC block */
    esp_rtc_write(&r->s, 0x68, 1, 4);
    assert_int_equal(esp_rtc_read(&r->s, 0x8C, 4) & 1, 0);
    esp_rtc_write(&r->s, 0x74, 1, 4);
    assert_int_equal(esp_rtc_read(&r->s, 0x8C, 4) & 1, 1);

    /* IO_MUX and WDT keep what is written; WDT FEED accepted */
    esp_iomux_write(&r->s, 0x18, 0x30, 4);
    esp_iomux_write(&r->s, 0x19, 0x01, 1);
    assert_int_equal(esp_iomux_read(&r->s, 0x18, 4), 0x130);
    esp_wdt_write(&r->s, 0x00, 0x3C, 4);
    esp_wdt_write(&r->s, 0x14, 0x73, 4);
    assert_int_equal(esp_wdt_read(&r->s, 0x00, 4), 0x3C);
    assert_int_equal(esp_wdt_read(&r->s, 0x14, 2), 0x73);
    rig_free(r);
}

/* ---- GPIO pins and interrupts (§3.5, §3.6) -------------------------------------------------- */

#define EXT(mask, lv) ((uint32_t)(mask) << 16 | (uint32_t)(lv))
#define INT4          (1u << 4)

static uint32_t gpio_in(rig *r)
{
    return esp_gpio_read(&r->s, 0x18, 4) & 0xFFFFu;
}

static void gpio_set_type(rig *r, unsigned pin, unsigned type)
{
    esp_gpio_write(&r->s, 0x28 + 4 * pin, type << 7, 4);
}

static void test_gpio_pins(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    /* floating inputs read 0; a pad pull-up (IO_MUX bit 7; GPIO4's pad is at 0x3C) reads 1 */
    assert_int_equal(gpio_in(r), 0);
    esp_iomux_write(&r->s, 0x3C, 1u << 7, 4);
    assert_int_equal(gpio_in(r), 1u << 4);
    /* the outside drives GPIO4 low and GPIO5 high */
    sim_wire_set(&r->s.gpio_ext, EXT(0x30, 0x20));
    assert_int_equal(gpio_in(r), 0x20);
    assert_int_equal(esp_gpio_levels(&r->s), 0x20);
    /* push-pull output beats the outside: GPIO5 driven low by the chip */
    esp_gpio_write(&r->s, 0x10, 0x20, 4); /* ENABLE_W1TS */
    assert_int_equal(gpio_in(r), 0);
    assert_int_equal(r->s.gpio_drive.value, EXT(0x20, 0x00));
    /* open drain (PIN5 bit 2): OUT = 1 releases the pin to the outside (high here) */
    esp_gpio_write(&r->s, 0x28 + 4 * 5, 1u << 2, 4);
    esp_gpio_write(&r->s, 0x04, 0x20, 4); /* OUT_W1TS */
    assert_int_equal(r->s.gpio_drive.value, EXT(0, 0));
    assert_int_equal(gpio_in(r), 0x20);
    /* released open drain with nobody driving: the pull-up decides, else 0 */
    sim_wire_set(&r->s.gpio_ext, EXT(0x10, 0x00));
    assert_int_equal(gpio_in(r), 0);
    esp_iomux_write(&r->s, 0x40, 1u << 7, 4); /* GPIO5's pad pull-up */
    assert_int_equal(gpio_in(r), 0x20);
    /* a chip reset clears the chip's side; the outside keeps driving GPIO4 low */
    esp_soc_reset(&r->s, ESP_RESET_EXTERNAL);
    assert_int_equal(gpio_in(r), 0);
    assert_int_equal(r->s.gpio_drive.value, 0);
    sim_wire_set(&r->s.gpio_ext, EXT(0x10, 0x10));
    assert_int_equal(gpio_in(r), 0x10);
    rig_free(r);
}

static void test_gpio_interrupts(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    xt_cpu *c = &r->node.cpu;
    /* rising edge on GPIO12 */
    gpio_set_type(r, 12, 1);
    sim_wire_set(&r->s.gpio_ext, EXT(1u << 12, 0));
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 0);
    assert_int_equal(c->irq_lines & INT4, 0);
    sim_wire_set(&r->s.gpio_ext, EXT(1u << 12, 1u << 12));
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 1u << 12);
    assert_int_equal(c->irq_lines & INT4, INT4);
    /* the falling edge does not count; W1TC acknowledges and drops INT 4 */
    sim_wire_set(&r->s.gpio_ext, EXT(1u << 12, 0));
    esp_gpio_write(&r->s, 0x24, 1u << 12, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 0);
    assert_int_equal(c->irq_lines & INT4, 0);
    /* falling edge, made by the chip's own output (GPIO2, push-pull) */
    gpio_set_type(r, 2, 2);
    esp_gpio_write(&r->s, 0x04, 1u << 2, 4);
    esp_gpio_write(&r->s, 0x10, 1u << 2, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 0);
    esp_gpio_write(&r->s, 0x08, 1u << 2, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 1u << 2);
    esp_gpio_write(&r->s, 0x24, 1u << 2, 4);
    /* any edge on GPIO0: both directions */
    gpio_set_type(r, 0, 3);
    sim_wire_set(&r->s.gpio_ext, EXT(1u << 0, 1u << 0));
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 1u << 0);
    esp_gpio_write(&r->s, 0x24, 1u << 0, 4);
    sim_wire_set(&r->s.gpio_ext, EXT(1u << 0, 0));
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 1u << 0);
    esp_gpio_write(&r->s, 0x24, 1u << 0, 4);
    /* low level on GPIO13 (floating = 0): set at once, and again right after each W1TC while
     * the level lasts; gone once the pin goes high */
    gpio_set_type(r, 13, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 1u << 13);
    esp_gpio_write(&r->s, 0x24, 1u << 13, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 1u << 13);
    assert_int_equal(c->irq_lines & INT4, INT4);
    sim_wire_set(&r->s.gpio_ext, EXT(1u << 13, 1u << 13));
    esp_gpio_write(&r->s, 0x24, 1u << 13, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 0);
    assert_int_equal(c->irq_lines & INT4, 0);
    /* high level on GPIO14 through its pad pull-up (0x0C) */
    gpio_set_type(r, 14, 5);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 0);
    esp_iomux_write(&r->s, 0x0C, 1u << 7, 4);
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 1u << 14);
    /* type 0 (disabled) everywhere: no status, whatever the pins do */
    for (unsigned n = 0; n < 16; n++)
        gpio_set_type(r, n, 0);
    esp_gpio_write(&r->s, 0x24, 0xFFFF, 4);
    sim_wire_set(&r->s.gpio_ext, EXT(0xFFFF, 0xAAAA));
    sim_wire_set(&r->s.gpio_ext, EXT(0xFFFF, 0x5555));
    assert_int_equal(esp_gpio_read(&r->s, 0x1C, 4), 0);
    assert_int_equal(c->irq_lines & INT4, 0);
    rig_free(r);
}

/* ---- hardware watchdog ---------------------------------------------------------------------- */

#define WDT_S1_PS 1638400000000ull /* REG1 = 11: 2^11 * 0.8 ms */
#define WDT_S2_PS 6553600000000ull /* REG2 = 13: 2^13 * 0.8 ms */
#define CYCLE_PS  12500u           /* one cycle at 80 MHz */
#define INT8      (1u << 8)

static void on_wdt_reset(void *opaque)
{
    rig *r = opaque;
    r->wdt_resets++;
    r->wdt_reset_at = r->node.sched.now;
}

/* Moves the node to t_ps (a multiple of 12500 ps) and runs the events due by then. */
static void run_to(rig *r, uint64_t t_ps)
{
    assert_int_equal(t_ps % CYCLE_PS, 0);
    r->node.cpu.cycles = t_ps / CYCLE_PS;
    sim_sched_run_until(&r->node.sched, t_ps);
}

static uint32_t take_irqs(rig *r)
{
    uint32_t v = r->node.cpu.sr[XT_SR_INTERRUPT];
    r->node.cpu.sr[XT_SR_INTERRUPT] = 0;
    return v;
}

/* The SDK's boot configuration (protocols.md C.7): stages 0xB / 0xD, WDT edge interrupt on. */
static rig *wdt_rig(uint64_t t0)
{
    rig *r = rig_new(0);
    r->s.on_wdt_reset = on_wdt_reset;
    r->s.on_wdt_reset_opaque = r;
    run_to(r, t0);
    esp_dport_write(&r->s, 0x04, 1, 4);
    esp_wdt_write(&r->s, 0x04, 11, 4);
    esp_wdt_write(&r->s, 0x08, 13, 4);
    esp_wdt_write(&r->s, 0x00, 1, 4);
    return r;
}

static void test_wdt_feed_keeps_quiet(void **state)
{
    (void)state;
    rig *r = wdt_rig(0);
    assert_true(sim_event_pending(&r->s.wdt_ev));
    /* fed every second for one hour of virtual time, alternating register and ROM-model feeds */
    const uint64_t s = 1000000000000ull;
    for (uint64_t i = 1; i <= 3600; i++) {
        run_to(r, i * s);
        if (i & 1)
            esp_wdt_write(&r->s, 0x14, 0x73, 4);
        else
            esp_wdt_feed(&r->s);
    }
    assert_int_equal(take_irqs(r), 0);
    assert_int_equal(r->wdt_resets, 0);
    assert_int_equal(r->s.wdt_stage, 1);
    assert_int_equal(r->s.wdt_ev.when, 3600 * s + WDT_S1_PS);
    /* another value is no feed */
    run_to(r, 3600 * s + WDT_S1_PS - CYCLE_PS);
    esp_wdt_write(&r->s, 0x14, 0x72, 4);
    assert_int_equal(esp_wdt_read(&r->s, 0x14, 4), 0x72);
    run_to(r, 3600 * s + WDT_S1_PS);
    assert_int_equal(take_irqs(r), INT8);
    rig_free(r);
}

static void test_wdt_stages(void **state)
{
    (void)state;
    const uint64_t t0 = 5000000ull * CYCLE_PS; /* 62.5 ms */
    rig *r = wdt_rig(t0);
    /* VAL: whole 0.8 ms ticks in the current stage */
    assert_int_equal(esp_wdt_read(&r->s, 0x0C, 4), 0);
    run_to(r, t0 + 1000000000u); /* 1 ms */
    assert_int_equal(esp_wdt_read(&r->s, 0x0C, 4), 1);
    run_to(r, t0 + 8000000000u); /* 8 ms */
    assert_int_equal(esp_wdt_read(&r->s, 0x0C, 4), 10);
    esp_wdt_write(&r->s, 0x0C, 99, 4); /* read-only */
    assert_int_equal(esp_wdt_read(&r->s, 0x0C, 4), 10);

    /* stage 1 ends 1.6384 s after the enable: INT 8 (edge), stage 2 starts */
    uint64_t t1 = t0 + WDT_S1_PS;
    assert_int_equal(r->s.wdt_ev.when, t1);
    run_to(r, t1 - CYCLE_PS);
    assert_int_equal(take_irqs(r), 0);
    run_to(r, t1);
    assert_int_equal(take_irqs(r), INT8);
    assert_int_equal(r->s.wdt_stage, 2);
    assert_int_equal(esp_wdt_read(&r->s, 0x0C, 4), 0);
    assert_int_equal(r->wdt_resets, 0);

    /* stage 2 ends 6.5536 s later: the reset callback */
    uint64_t t2 = t1 + WDT_S2_PS;
    run_to(r, t2 - CYCLE_PS);
    assert_int_equal(esp_wdt_read(&r->s, 0x0C, 4), 8191);
    assert_int_equal(r->wdt_resets, 0);
    run_to(r, t2);
    assert_int_equal(r->wdt_resets, 1);
    assert_int_equal(r->wdt_reset_at, t2);
    assert_int_equal(take_irqs(r), 0);
    /* then it stops (the machine resets the chip) */
    assert_int_equal(r->s.wdt_stage, 0);
    assert_false(sim_event_pending(&r->s.wdt_ev));
    run_to(r, t2 + 100 * WDT_S2_PS);
    assert_int_equal(r->wdt_resets, 1);
    rig_free(r);
}

static void test_wdt_gate_feed_retime(void **state)
{
    (void)state;
    rig *r = wdt_rig(0);
    /* the INT 8 edge is gated by EDGE_INT_ENABLE bit 0; stage 2 runs regardless */
    esp_dport_write(&r->s, 0x04, 6, 4);
    run_to(r, WDT_S1_PS);
    assert_int_equal(take_irqs(r), 0);
    assert_int_equal(r->s.wdt_stage, 2);
    /* a feed in stage 2 restarts stage 1 */
    run_to(r, WDT_S1_PS + 1000 * CYCLE_PS);
    esp_wdt_feed(&r->s);
    assert_int_equal(r->s.wdt_stage, 1);
    uint64_t fed = WDT_S1_PS + 1000 * CYCLE_PS;
    assert_int_equal(r->s.wdt_ev.when, fed + WDT_S1_PS);
    /* REG1 written during stage 1 re-times it from the stage start */
    esp_wdt_write(&r->s, 0x04, 12, 4);
    assert_int_equal(r->s.wdt_ev.when, fed + 2 * WDT_S1_PS);
    esp_wdt_write(&r->s, 0x08, 0, 4); /* REG2: next stage 2 lasts 0.8 ms */
    assert_int_equal(r->s.wdt_ev.when, fed + 2 * WDT_S1_PS);
    run_to(r, fed + 2 * WDT_S1_PS);
    assert_int_equal(r->s.wdt_ev.when, fed + 2 * WDT_S1_PS + 800000000u);
    /* shortening a stage that is already over expires it at once */
    uint64_t f2 = fed + 2 * WDT_S1_PS + 400000000u;
    run_to(r, f2);
    assert_int_equal(r->wdt_resets, 0);
    esp_wdt_feed(&r->s);
    run_to(r, f2 + WDT_S1_PS); /* half of stage 1 (REG1 = 12) */
    esp_wdt_write(&r->s, 0x04, 0, 4);
    assert_int_equal(r->s.wdt_ev.when, f2 + WDT_S1_PS);
    run_to(r, f2 + WDT_S1_PS);
    assert_int_equal(r->s.wdt_stage, 2);
    run_to(r, f2 + WDT_S1_PS + 800000000u);
    assert_int_equal(r->wdt_resets, 1);
    assert_int_equal(take_irqs(r), 0); /* gated all along */
    rig_free(r);
}

static void test_wdt_disable_and_reset(void **state)
{
    (void)state;
    rig *r = wdt_rig(0);
    /* disabling stops it; feeding a stopped WDT does nothing */
    run_to(r, WDT_S1_PS / 2);
    esp_wdt_write(&r->s, 0x00, 0x3C, 4);
    assert_false(sim_event_pending(&r->s.wdt_ev));
    esp_wdt_feed(&r->s);
    esp_wdt_write(&r->s, 0x14, 0x73, 4);
    assert_false(sim_event_pending(&r->s.wdt_ev));
    assert_int_equal(esp_wdt_read(&r->s, 0x0C, 4), 0);
    run_to(r, 3600000000000000ull);
    assert_int_equal(take_irqs(r), 0);
    assert_int_equal(r->wdt_resets, 0);
    /* enabling again starts stage 1 from the write; other CTRL bits do not restart it */
    const uint64_t t = 3600000000000000ull;
    esp_wdt_write(&r->s, 0x00, 0x3D, 4);
    assert_int_equal(r->s.wdt_ev.when, t + WDT_S1_PS);
    run_to(r, t + 1000 * CYCLE_PS);
    esp_wdt_write(&r->s, 0x00, 0x01, 4);
    assert_int_equal(r->s.wdt_ev.when, t + WDT_S1_PS);
    /* a chip reset stops it and clears its registers */
    esp_soc_reset(&r->s, ESP_RESET_WATCHDOG);
    assert_false(sim_event_pending(&r->s.wdt_ev));
    assert_int_equal(r->s.wdt_stage, 0);
    assert_int_equal(esp_wdt_read(&r->s, 0x00, 4), 0);
    assert_int_equal(esp_wdt_read(&r->s, 0x04, 4), 0);
    run_to(r, t + 100 * WDT_S2_PS);
    assert_int_equal(take_irqs(r), 0);
    assert_int_equal(r->wdt_resets, 0);
    rig_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dport),
        cmocka_unit_test(test_wdev_counter),
        cmocka_unit_test(test_rng),
        cmocka_unit_test(test_rtc_counter),
        cmocka_unit_test(test_rtc_calibration),
        cmocka_unit_test(test_gpio16),
        cmocka_unit_test(test_reset_reason),
        cmocka_unit_test(test_store_and_sw_reset),
        cmocka_unit_test(test_gpio),
        cmocka_unit_test(test_gpio_pins),
        cmocka_unit_test(test_gpio_interrupts),
        cmocka_unit_test(test_wdt_feed_keeps_quiet),
        cmocka_unit_test(test_wdt_stages),
        cmocka_unit_test(test_wdt_gate_feed_retime),
        cmocka_unit_test(test_wdt_disable_and_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
