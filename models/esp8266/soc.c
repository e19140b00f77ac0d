/* models/esp8266/soc.c — DPORT, WDEV counter/RNG, RTC, GPIO, IO_MUX and WDT registers; see
 * soc.h (reference/lx106.md §3.3, §3.5, §3.6, §3.8, §3.10, §3.12, §6). */
#include "esp8266/soc.h"

#include <string.h>

#define SOC_STRAP_FLASH 3u /* GPIO15 low, GPIO0 and GPIO2 high: boot from flash */

/* DPORT word offsets */
#define DPORT_EDGE_INT   0x04u
#define DPORT_SPI_READY  0x0Cu
#define DPORT_CPU_CLOCK  0x14u
#define DPORT_OTP_MAC0   0x50u
#define DPORT_OTP_MAC1   0x54u
#define DPORT_OTP_CHIPID 0x58u
#define DPORT_OTP_MAC2   0x5Cu

#define DPORT_SPI_IDLE (1u << 9)

/* WDEV offsets */
#define WDEV_US_COUNT   0xC00u
#define WDEV_RNG        0xE44u
#define WDEV_INT_MASK   0xC18u
#define WDEV_INT_STATUS 0xC20u
#define WDEV_INT_CLEAR  0xC24u
#define WDEV_COUNT_LO   0x1048u
#define WDEV_COUNT_HI   0x104Cu
#define WDEV_TIM_CTRL   0x1058u /* bit 31: timer 1 interrupt enabled */
#define WDEV_TIM1_ARM   0x10C8u /* bit 31: armed */
#define WDEV_TIM1_LO    0x10CCu
#define WDEV_TIM1_HI    0x10D0u
#define WDEV_INT_TIM1   (1u << 26)
#define WDEV_MAC_INUM   0u

/* RTC offsets (within 0x60000700) */
#define RTC_CTRL0          0x00u
#define RTC_SLP_VAL        0x04u
#define RTC_RESET_AUX      0x08u
#define RTC_SLEEP_NOW      (1u << 20) /* in RTC_RESET_AUX (0x708), libmain deep sleep */
#define RTC_RESET_CAUSE    0x14u
#define RTC_WAKE_CAUSE     0x18u
#define RTC_COUNTER        0x1Cu
#define RTC_INT_CLR        0x24u /* writing 1s clears RTC_WAKE_STATE bits (libphy) */
#define RTC_WAKE_STATE     0x28u /* bit 1: a light sleep ended (libphy pm_wait4wakeup) */
#define RTC_PWR_DOWN       0x40u /* libmain writes all-ones before a deep sleep */
#define RTC_STORE0         0x30u
#define RTC_GPIO16_OUT     0x68u
#define RTC_GPIO16_EN      0x74u
#define RTC_GPIO16_IN      0x8Cu
#define RTC_CTRL0_SW_RESET (1u << 31)

/* GPIO offsets */
#define GPIO_OUT         0x00u
#define GPIO_OUT_W1TS    0x04u
#define GPIO_OUT_W1TC    0x08u
#define GPIO_ENABLE      0x0Cu
#define GPIO_ENABLE_W1TS 0x10u
#define GPIO_ENABLE_W1TC 0x14u
#define GPIO_IN          0x18u
#define GPIO_STATUS      0x1Cu
#define GPIO_STATUS_W1TS 0x20u
#define GPIO_STATUS_W1TC 0x24u

#define GPIO_CALIB_SYNC  0x6Cu /* RTC_CALIB_SYNC (§3.5) */
#define GPIO_CALIB_VALUE 0x70u
#define GPIO_CALIB_START (1u << 31)
#define GPIO_CALIB_READY (1u << 31)

#define GPIO_PIN0    0x28u
#define GPIO_PIN_OD  (1u << 2) /* pad driver: open drain */
#define GPIO_INUM    4u        /* CPU interrupt, level (§1.2) */
#define IOMUX_PULLUP (1u << 7)

/* IO_MUX pad register of GPIOn (§3.6). */
static const uint8_t soc_gpio_pad[16] = {0x34, 0x18, 0x38, 0x14, 0x3C, 0x40, 0x1C, 0x20,
                                         0x24, 0x28, 0x2C, 0x30, 0x04, 0x08, 0x0C, 0x10};

/* WDT offsets (within 0x60000900) */
#define WDT_CTRL       0x00u
#define WDT_REG1       0x04u
#define WDT_REG2       0x08u
#define WDT_VAL        0x0Cu
#define WDT_FEED       0x14u
#define WDT_FEED_MAGIC 0x73u
#define WDT_TICK_PS    800000000ull /* 0.8 ms: stage n lasts 2^n ticks (an inference, soc.h) */
#define WDT_INUM       8u           /* CPU interrupt, edge (§1.2) */
#define WDT_EDGE_BIT   1u           /* EDGE_INT_ENABLE bit 0 */

static void wdt_on_expiry(void *opaque, sim_event *ev, uint64_t now);
static void wdev_on_tim1(void *opaque, sim_event *ev, uint64_t now);
static void gpio_update(esp_soc *s);
static void gpio_on_ext(void *opaque, sim_wire *w, uint32_t value);
static void rtc_gpio16_update(esp_soc *s);

static uint64_t soc_splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static uint32_t soc_mask(unsigned size)
{
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8u * size)) - 1u;
}

/* The word read, shifted to the accessed byte lane and masked to size. */
static uint32_t soc_lane(uint32_t word, uint32_t off, unsigned size)
{
    return (word >> ((off & 3u) * 8u)) & soc_mask(size);
}

/* A sub-word write merged into the stored word. */
static uint32_t soc_merge(uint32_t stored, uint32_t off, uint32_t value, unsigned size)
{
    if (size >= 4) return value;
    uint32_t shift = (off & 3u) * 8u, mask = soc_mask(size) << shift;
    return (stored & ~mask) | ((value << shift) & mask);
}

static void soc_set_otp(esp_soc *s, uint64_t seed)
{
    uint64_t h = soc_splitmix64(seed ^ 0x4D4143u); /* "MAC" */
    uint32_t b3 = (uint32_t)(h & 0xFFu), b4 = (uint32_t)((h >> 8) & 0xFFu);
    uint32_t b5 = (uint32_t)((h >> 16) & 0xFFu);
    s->dport[DPORT_OTP_MAC0 / 4] = b5 << 24;
    s->dport[DPORT_OTP_MAC1 / 4] = b3 << 8 | b4;
    s->dport[DPORT_OTP_CHIPID / 4] = 1u << 15;
    s->dport[DPORT_OTP_MAC2 / 4] = 0;
}

static void soc_set_reason(esp_soc *s, enum esp_reset_cause cause)
{
    if (cause == ESP_RESET_DEEP_SLEEP) {
        s->rtc[RTC_RESET_CAUSE / 4] = 5;
        s->rtc[RTC_WAKE_CAUSE / 4] = 8u << 8;
    } else {
        /* A software reset (RTC CTRL0 bit 31) shows as cause 2 to the ROM, like the reset pin:
         * chips print "rst cause:2" after system_restart/ESP.restart. */
        uint32_t r = cause == ESP_RESET_SOFTWARE ? (uint32_t)ESP_RESET_EXTERNAL : (uint32_t)cause;
        s->rtc[RTC_RESET_CAUSE / 4] = r & 0xFu;
        s->rtc[RTC_WAKE_CAUSE / 4] = 0;
    }
}

void esp_soc_init(esp_soc *s, sim_node *node, uint64_t rng_seed)
{
    memset(s, 0, sizeof(*s));
    s->node = node;
    sim_wire_init(&s->edge_enable, "3>dport.edge_int_enable", 0);
    sim_wire_init(&s->gpio_ext, "32<gpio.ext", 0);
    sim_wire_connect(&s->gpio_ext, gpio_on_ext, s);
    sim_wire_init(&s->gpio_drive, "32>gpio.drive", 0);
    sim_wire_init(&s->gpio_level, "16>gpio.level", 0);
    sim_wire_init(&s->gpio_pull, "16>gpio.pull", 0);
    sim_wire_init(&s->gpio16_drive, "2>rtc.gpio16_drive", SIM_DRIVE_Z);
    sim_wire_init(&s->gpio16, "1>rtc.gpio16", 1);
    sim_event_init(&s->wdt_ev, "wdt", wdt_on_expiry, s, 0);
    sim_event_init(&s->mac_tim1_ev, "mac-tim1", wdev_on_tim1, s, 0);
    s->rng_state = soc_splitmix64(rng_seed);
    if (s->rng_state == 0) s->rng_state = 0x9E3779B97F4A7C15ull;
    soc_set_otp(s, rng_seed);
    esp_rtc_clock_init(&s->rtc_clk, 0, 0, ESP_RTC_DEFAULT_JITTER_PPB, 0, rng_seed);
    esp_rtc_clock_power_on(&s->rtc_clk, sim_node_now(node));
    s->wdev_zero_ps = sim_node_now(node);
    s->strap = SOC_STRAP_FLASH;
    soc_set_reason(s, ESP_RESET_POWER_ON);
}

void esp_soc_reset(esp_soc *s, enum esp_reset_cause cause)
{
    uint32_t otp[4], store[4];
    s->wdt_stage = 0;
    if (sim_event_pending(&s->wdt_ev)) sim_sched_cancel(&s->node->sched, &s->wdt_ev);
    if (sim_event_pending(&s->mac_tim1_ev)) sim_sched_cancel(&s->node->sched, &s->mac_tim1_ev);
    memcpy(otp, &s->dport[DPORT_OTP_MAC0 / 4], sizeof(otp));
    memcpy(store, &s->rtc[RTC_STORE0 / 4], sizeof(store));
    memset(s->dport, 0, sizeof(s->dport));
    memset(s->rtc, 0, sizeof(s->rtc));
    s->light_sleep = false;
    memset(s->gpio, 0, sizeof(s->gpio));
    memset(s->iomux, 0, sizeof(s->iomux));
    memset(s->wdt, 0, sizeof(s->wdt));
    memset(s->wdev, 0, sizeof(s->wdev));
    memcpy(&s->dport[DPORT_OTP_MAC0 / 4], otp, sizeof(otp));
    if (cause != ESP_RESET_POWER_ON) memcpy(&s->rtc[RTC_STORE0 / 4], store, sizeof(store));
    soc_set_reason(s, cause);
    gpio_update(s); /* no interrupt type is set now: only the levels and gpio_drive follow */
    uint64_t now = sim_node_now(s->node);
    s->wdev_zero_ps = now; /* system_get_time starts at 0 after every reset (protocols.md D.4) */
    if (cause == ESP_RESET_POWER_ON)
        esp_rtc_clock_power_on(&s->rtc_clk, now);
    else if (cause == ESP_RESET_EXTERNAL || cause == ESP_RESET_DEEP_SLEEP)
        esp_rtc_clock_zero(&s->rtc_clk, now);
    s->cal_running = false;
    s->cal_value = 0;
    s->gpio16_wake_low = false;
    rtc_gpio16_update(s);
    sim_wire_set(&s->edge_enable, 0);
}

/* ---- DPORT ---------------------------------------------------------------------------------- */

uint32_t esp_dport_read(esp_soc *s, uint32_t off, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    uint32_t v = s->dport[reg / 4];
    if (reg == DPORT_SPI_READY) {
        v |= DPORT_SPI_IDLE;
        if (v & 1u) v |= 2u;
    }
    return soc_lane(v, off, size);
}

void esp_dport_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    if (reg >= DPORT_OTP_MAC0 && reg <= DPORT_OTP_MAC2) return; /* OTP: read-only */
    value = soc_merge(s->dport[reg / 4], off, value, size);
    s->dport[reg / 4] = value;
    if (reg == DPORT_EDGE_INT) sim_wire_set(&s->edge_enable, value & 7u);
    if (reg == DPORT_CPU_CLOCK && s->on_cpu_clock)
        s->on_cpu_clock(s->on_cpu_clock_opaque, (value & 1u) != 0);
}

/* ---- WDEV ----------------------------------------------------------------------------------- */

uint32_t esp_rng_next(esp_soc *s)
{
    uint64_t x = s->rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    s->rng_state = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

/* The 1 MHz count since the last reset (local time). */
static uint64_t wdev_us(const esp_soc *s)
{
    return (sim_node_now(s->node) - s->wdev_zero_ps) / 1000000u;
}

/* CPU interrupt 0 follows status & mask. */
static void wdev_irq_update(esp_soc *s)
{
    bool on = (s->wdev[WDEV_INT_STATUS / 4] & s->wdev[WDEV_INT_MASK / 4]) != 0;
    xt_set_irq_level(&s->node->cpu, WDEV_MAC_INUM, on);
}

static void wdev_on_tim1(void *opaque, sim_event *ev, uint64_t now)
{
    esp_soc *s = opaque;
    (void)ev;
    (void)now;
    s->wdev[WDEV_TIM1_ARM / 4] &= ~(1u << 31);
    if (s->wdev[WDEV_TIM_CTRL / 4] >> 31) {
        s->wdev[WDEV_INT_STATUS / 4] |= WDEV_INT_TIM1;
        wdev_irq_update(s);
    }
}

/* Timer 1 armed: schedules its match (at once if the compare value has passed). */
static void wdev_tim1_schedule(esp_soc *s)
{
    sim_sched *q = &s->node->sched;
    if (sim_event_pending(&s->mac_tim1_ev)) sim_sched_cancel(q, &s->mac_tim1_ev);
    if (!(s->wdev[WDEV_TIM1_ARM / 4] >> 31)) return;
    uint64_t at = (uint64_t)s->wdev[WDEV_TIM1_HI / 4] << 32 | s->wdev[WDEV_TIM1_LO / 4];
    uint64_t now = sim_node_now(s->node), us = wdev_us(s);
    uint64_t when = at <= us ? now : s->wdev_zero_ps + at * 1000000u;
    sim_sched_at(q, &s->mac_tim1_ev, when < now ? now : when);
}

uint32_t esp_wdev_read(esp_soc *s, uint32_t off, unsigned size)
{
    uint32_t reg = off & (ESP_WDEV_SIZE - 4u);
    uint32_t v;
    if (reg == WDEV_US_COUNT)
        v = (uint32_t)wdev_us(s) + s->wdev_us_offset;
    else if (reg == WDEV_RNG)
        v = esp_rng_next(s);
    else if (reg == WDEV_COUNT_LO)
        v = (uint32_t)wdev_us(s);
    else if (reg == WDEV_COUNT_HI)
        v = (uint32_t)(wdev_us(s) >> 32);
    else
        v = s->wdev[reg / 4];
    return soc_lane(v, off, size);
}

void esp_wdev_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t reg = off & (ESP_WDEV_SIZE - 4u);
    if (reg == WDEV_US_COUNT || reg == WDEV_RNG || reg == WDEV_COUNT_LO || reg == WDEV_COUNT_HI)
        return;
    value = soc_merge(s->wdev[reg / 4], off, value, size);
    if (reg == WDEV_INT_CLEAR) {
        s->wdev[WDEV_INT_STATUS / 4] &= ~value;
        wdev_irq_update(s);
        return;
    }
    s->wdev[reg / 4] = value;
    if (reg == WDEV_INT_MASK || reg == WDEV_INT_STATUS) wdev_irq_update(s);
    if (reg == WDEV_TIM1_ARM) wdev_tim1_schedule(s);
}

/* ---- RTC ------------------------------------------------------------------------------------ */

uint32_t esp_rtc_counter(esp_soc *s)
{
    return esp_rtc_clock_counter(&s->rtc_clk, sim_node_now(s->node));
}

uint64_t esp_rtc_alarm_at(esp_soc *s)
{
    return esp_rtc_clock_time_of_counter(&s->rtc_clk, sim_node_now(s->node),
                                         s->rtc[RTC_SLP_VAL / 4]);
}

int esp_gpio16_pin_drive(const esp_soc *s)
{
    if (s->gpio16_wake_low) return SIM_DRIVE_LOW;
    if (!(s->rtc[RTC_GPIO16_EN / 4] & 1u)) return SIM_DRIVE_Z;
    return (s->rtc[RTC_GPIO16_OUT / 4] & 1u) ? SIM_DRIVE_HIGH : SIM_DRIVE_LOW;
}

bool esp_gpio16_level(const esp_soc *s)
{
    if (s->gpio16_net) return s->gpio16_ext;
    int d = esp_gpio16_pin_drive(s);
    return d == SIM_DRIVE_Z ? s->gpio16_pullup : d == SIM_DRIVE_HIGH;
}

void esp_gpio16_ext(esp_soc *s, bool level)
{
    s->gpio16_ext = level;
}

static void rtc_gpio16_update(esp_soc *s)
{
    int d = esp_gpio16_pin_drive(s);
    sim_wire_set(&s->gpio16_drive, (uint32_t)d);
    sim_wire_set(&s->gpio16, d == SIM_DRIVE_LOW ? 0u : 1u);
}

void esp_soc_sleep(esp_soc *s)
{
    s->wdt_stage = 0;
    if (sim_event_pending(&s->wdt_ev)) sim_sched_cancel(&s->node->sched, &s->wdt_ev);
    memset(s->gpio, 0, sizeof(s->gpio));
    gpio_update(s);
    s->rtc[RTC_GPIO16_EN / 4] &= ~1u;
    s->cal_running = false;
    rtc_gpio16_update(s);
    sim_wire_set(&s->edge_enable, 0);
}

void esp_soc_power_off(esp_soc *s)
{
    memset(s->iomux, 0, sizeof(s->iomux));
    esp_soc_sleep(s);
}

void esp_soc_wake_pulse(esp_soc *s, bool on)
{
    s->gpio16_wake_low = on;
    rtc_gpio16_update(s);
}

/* ROM rtc_get_reset_reason (0x400025E0, S6): r = [0x714] & 0xF; for r == 5 the wake detail
 * ([0x718] >> 8) & 0x3F gives 6 (detail 1), 5 (detail 8) or 0; every path clears bit 21 of
 * [0x708]. */
uint32_t esp_rtc_reset_reason(esp_soc *s)
{
    uint32_t r = s->rtc[RTC_RESET_CAUSE / 4] & 0xFu;
    if (r == 5) {
        uint32_t d = (s->rtc[RTC_WAKE_CAUSE / 4] >> 8) & 0x3Fu;
        r = d == 1 ? 6u : d == 8 ? 5u : 0u;
    }
    s->rtc[RTC_RESET_AUX / 4] &= ~(1u << 21);
    return r;
}

uint32_t esp_rtc_read(esp_soc *s, uint32_t off, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    uint32_t v = s->rtc[reg / 4];
    if (reg == RTC_COUNTER) v = esp_rtc_counter(s);
    if (reg == RTC_WAKE_STATE && s->light_sleep &&
        (int32_t)(esp_rtc_counter(s) - s->rtc[RTC_SLP_VAL / 4]) >= 0) {
        s->light_sleep = false;
        v = s->rtc[reg / 4] |= 2u;
    }
    if (reg == RTC_GPIO16_IN) v = (v & ~1u) | (esp_gpio16_level(s) ? 1u : 0u);
    return soc_lane(v, off, size);
}

void esp_rtc_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    if (reg == RTC_COUNTER) return;
    value = soc_merge(s->rtc[reg / 4], off, value, size);
    if (reg == RTC_CTRL0) {
        s->rtc[reg / 4] = value & ~RTC_CTRL0_SW_RESET;
        if ((value & RTC_CTRL0_SW_RESET) && s->on_software_reset)
            s->on_software_reset(s->on_software_reset_opaque);
        return;
    }
    if (reg == RTC_RESET_AUX) {
        s->rtc[reg / 4] = value & ~RTC_SLEEP_NOW;
        if (!(value & RTC_SLEEP_NOW)) return;
        if (s->rtc[RTC_PWR_DOWN / 4]) { /* digital domain powered down: deep sleep */
            s->rtc[RTC_PWR_DOWN / 4] = 0;
            if (s->on_sleep) s->on_sleep(s->on_sleep_opaque);
        } else { /* light sleep: wakes at the alarm, execution goes on */
            s->light_sleep = true;
        }
        return;
    }
    if (reg == RTC_INT_CLR) {
        s->rtc[RTC_WAKE_STATE / 4] &= ~value;
        return;
    }
    s->rtc[reg / 4] = value;
    if (reg == RTC_GPIO16_OUT || reg == RTC_GPIO16_EN) rtc_gpio16_update(s);
}

/* ---- GPIO ----------------------------------------------------------------------------------- */

/* What the chip drives: bits 31:16 mask, 15:0 levels (see soc.h). */
static uint32_t gpio_chip_drive(const esp_soc *s)
{
    uint32_t out = s->gpio[GPIO_OUT / 4] & 0xFFFFu, drive = s->gpio[GPIO_ENABLE / 4] & 0xFFFFu;
    for (unsigned n = 0; n < 16; n++)
        if ((s->gpio[GPIO_PIN0 / 4 + n] & GPIO_PIN_OD) && (out >> n & 1u)) drive &= ~(1u << n);
    return drive << 16 | (out & drive);
}

static uint16_t gpio_pullups(const esp_soc *s)
{
    uint16_t pull = 0;
    for (unsigned n = 0; n < 16; n++)
        if (s->iomux[soc_gpio_pad[n] / 4] & IOMUX_PULLUP) pull |= (uint16_t)(1u << n);
    return pull;
}

int esp_gpio_pin_drive(const esp_soc *s, unsigned pin)
{
    uint32_t chip = gpio_chip_drive(s);
    if (pin > 15 || !(chip >> (16 + pin) & 1u)) return SIM_DRIVE_Z;
    return (chip >> pin & 1u) ? SIM_DRIVE_HIGH : SIM_DRIVE_LOW;
}

uint16_t esp_gpio_levels(const esp_soc *s)
{
    uint32_t chip = gpio_chip_drive(s), ext = s->gpio_ext.value;
    uint32_t cmask = chip >> 16, emask = ext >> 16 & ~cmask, pull = gpio_pullups(s);
    pull &= ~(cmask | emask);
    uint32_t lv = (chip & cmask) | (ext & emask) | pull;
    return (uint16_t)((lv & ~(uint32_t)s->gpio_net) | (ext & s->gpio_net));
}

/* After anything that can change a level or an interrupt type: edge and level detection into
 * STATUS, the INT 4 line, and gpio_drive for the outside. */
static void gpio_update(esp_soc *s)
{
    /* first what the chip drives: the outside may answer at once (a net changing gpio_ext
     * re-enters here), and the levels below must include that answer */
    sim_wire_set(&s->gpio_drive, gpio_chip_drive(s));
    sim_wire_set(&s->gpio_pull, gpio_pullups(s));
    uint16_t lv = esp_gpio_levels(s), rise = lv & ~s->gpio_levels, fall = s->gpio_levels & ~lv;
    s->gpio_levels = lv;
    uint32_t st = 0;
    for (unsigned n = 0; n < 16; n++) {
        bool hit;
        switch (s->gpio[GPIO_PIN0 / 4 + n] >> 7 & 7u) {
        case 1: hit = rise >> n & 1u; break;
        case 2: hit = fall >> n & 1u; break;
        case 3: hit = (rise | fall) >> n & 1u; break;
        case 4: hit = !(lv >> n & 1u); break;
        case 5: hit = lv >> n & 1u; break;
        default: hit = false; break;
        }
        st |= (uint32_t)hit << n;
    }
    s->gpio[GPIO_STATUS / 4] |= st;
    xt_set_irq_level(&s->node->cpu, GPIO_INUM, (s->gpio[GPIO_STATUS / 4] & 0xFFFFu) != 0);
    sim_wire_set(&s->gpio_level, lv);
}

static void gpio_on_ext(void *opaque, sim_wire *w, uint32_t value)
{
    (void)w;
    (void)value;
    gpio_update(opaque);
}

uint32_t esp_gpio_read(esp_soc *s, uint32_t off, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    uint32_t v;
    switch (reg) {
    case GPIO_OUT_W1TS:
    case GPIO_OUT_W1TC:
    case GPIO_ENABLE_W1TS:
    case GPIO_ENABLE_W1TC:
    case GPIO_STATUS_W1TS:
    case GPIO_STATUS_W1TC: v = 0; break;
    case GPIO_IN: v = (s->strap & 7u) << 16 | esp_gpio_levels(s); break;
    case GPIO_CALIB_VALUE:
        v = s->cal_running && sim_node_now(s->node) >= s->cal_ready_ps
                ? GPIO_CALIB_READY | s->cal_value
                : 0;
        break;
    default: v = s->gpio[reg / 4]; break;
    }
    return soc_lane(v, off, size);
}

void esp_gpio_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    switch (reg) {
    case GPIO_OUT_W1TS: s->gpio[GPIO_OUT / 4] |= soc_merge(0, off, value, size); break;
    case GPIO_OUT_W1TC: s->gpio[GPIO_OUT / 4] &= ~soc_merge(0, off, value, size); break;
    case GPIO_ENABLE_W1TS: s->gpio[GPIO_ENABLE / 4] |= soc_merge(0, off, value, size); break;
    case GPIO_ENABLE_W1TC: s->gpio[GPIO_ENABLE / 4] &= ~soc_merge(0, off, value, size); break;
    case GPIO_STATUS_W1TS: s->gpio[GPIO_STATUS / 4] |= soc_merge(0, off, value, size); break;
    case GPIO_STATUS_W1TC: s->gpio[GPIO_STATUS / 4] &= ~soc_merge(0, off, value, size); break;
    case GPIO_IN:
    case GPIO_CALIB_VALUE: return;
    case GPIO_CALIB_SYNC: {
        uint32_t old = s->gpio[reg / 4];
        value = soc_merge(old, off, value, size);
        s->gpio[reg / 4] = value;
        unsigned n = value & 0x3FFu;
        if ((value & GPIO_CALIB_START) && !(old & GPIO_CALIB_START)) {
            s->cal_running = true;
            s->cal_value = esp_rtc_clock_measure(&s->rtc_clk, sim_node_now(s->node),
                                                 n ? n - 1u : 0u, &s->cal_ready_ps);
        } else if (!(value & GPIO_CALIB_START)) {
            s->cal_running = false;
        }
        return;
    }
    default: s->gpio[reg / 4] = soc_merge(s->gpio[reg / 4], off, value, size); break;
    }
    gpio_update(s);
}

/* ---- IO_MUX ---------------------------------------------------------------------------------- */

uint32_t esp_iomux_read(esp_soc *s, uint32_t off, unsigned size)
{
    return soc_lane(s->iomux[(off & 0xFCu) / 4], off, size);
}

void esp_iomux_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t i = (off & 0xFCu) / 4;
    s->iomux[i] = soc_merge(s->iomux[i], off, value, size);
    gpio_update(s); /* a pull-up may have changed a level */
}

/* ---- hardware watchdog (§3.10) -------------------------------------------------------------- */

static uint64_t wdt_stage_ps(const esp_soc *s, unsigned stage)
{
    uint32_t n = s->wdt[(stage == 1 ? WDT_REG1 : WDT_REG2) / 4];
    return WDT_TICK_PS << (n > 31u ? 31u : n);
}

/* (Re)schedules the end of the current stage; a stage already over expires at now. */
static void wdt_schedule(esp_soc *s, uint64_t now)
{
    uint64_t end = s->wdt_stage_start_ps + wdt_stage_ps(s, s->wdt_stage);
    sim_sched_reschedule(&s->node->sched, &s->wdt_ev, end < now ? now : end);
}

static void wdt_start_stage(esp_soc *s, unsigned stage, uint64_t now)
{
    s->wdt_stage = stage;
    s->wdt_stage_start_ps = now;
    wdt_schedule(s, now);
}

static void wdt_stop(esp_soc *s)
{
    s->wdt_stage = 0;
    if (sim_event_pending(&s->wdt_ev)) sim_sched_cancel(&s->node->sched, &s->wdt_ev);
}

static void wdt_on_expiry(void *opaque, sim_event *ev, uint64_t now)
{
    esp_soc *s = opaque;
    (void)ev;
    if (s->wdt_stage == 1) {
        if (s->edge_enable.value & WDT_EDGE_BIT) xt_raise_edge(&s->node->cpu, WDT_INUM);
        wdt_start_stage(s, 2, now);
        return;
    }
    s->wdt_stage = 0;
    if (s->on_wdt_reset) s->on_wdt_reset(s->on_wdt_reset_opaque);
}

void esp_wdt_feed(esp_soc *s)
{
    if (s->wdt_stage) wdt_start_stage(s, 1, sim_node_now(s->node));
}

uint32_t esp_wdt_read(esp_soc *s, uint32_t off, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    uint32_t v = s->wdt[reg / 4];
    if (reg == WDT_VAL) {
        uint64_t now = sim_node_now(s->node);
        v = s->wdt_stage && now > s->wdt_stage_start_ps
                ? (uint32_t)((now - s->wdt_stage_start_ps) / WDT_TICK_PS)
                : 0u;
    }
    return soc_lane(v, off, size);
}

void esp_wdt_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t reg = off & 0xFCu, i = reg / 4;
    uint64_t now = sim_node_now(s->node);
    if (reg == WDT_VAL) return;
    value = soc_merge(s->wdt[i], off, value, size);
    s->wdt[i] = value;
    switch (reg) {
    case WDT_CTRL:
        if ((value & 1u) && !s->wdt_stage) wdt_start_stage(s, 1, now);
        if (!(value & 1u) && s->wdt_stage) wdt_stop(s);
        return;
    case WDT_REG1:
    case WDT_REG2:
        if (s->wdt_stage == (reg == WDT_REG1 ? 1u : 2u)) wdt_schedule(s, now);
        return;
    case WDT_FEED:
        if (value == WDT_FEED_MAGIC) esp_wdt_feed(s);
        return;
    default: return;
    }
}
