/* models/esp8266/soc.h — the small register blocks: DPORT (0x3FF00000), the Wi-Fi MAC block's
 * microsecond counter and RNG (0x3FF20000), RTC (0x60000700), IO_MUX (0x60000800), GPIO
 * (0x60000300) and the hardware watchdog (0x60000900) (reference/lx106.md §3.3, §3.5, §3.6,
 * §3.8, §3.10, §3.12). The timers FRC1/FRC2 are in timer.h.
 *
 * Time-derived registers read the node clock: the WDEV counter at 0x3FF20C00 is
 * floor(t / 1 us) + offset (32 bits), the RTC counter at 0x6000071C ticks at the RTC slow clock
 * (rtc_clk, rtc.h: an RC oscillator with its own error and wander). The RNG at 0x3FF20E44 is a
 * seeded xorshift stream: deterministic for a given seed. DPORT 0x3FF00014 bit 0 selects 160 MHz:
 * the soc calls on_cpu_clock.
 *
 * Details (soc.c):
 * - DPORT: the 256-byte block repeats every 0x100. 0x04 drives edge_enable (bits 2:0). 0x0C
 *   reads bit 9 (SPI idle) set and bit 1 following bit 0 (cache flush handshake done at once).
 *   Every write to 0x14 calls on_cpu_clock(bit 0). 0x50..0x5C (OTP_MAC0, MAC1, CHIPID, MAC2)
 *   are read-only: MAC 18:FE:34:b3:b4:b5 in esptool's layout (MAC2 = 0 and MAC1[23:16] = 0
 *   select the 18:FE:34 OUI; MAC1 = b3 << 8 | b4; MAC0 = b5 << 24; CHIPID = 0, so the chip
 *   reads as an ESP8266EX, chip id b3b4b5), b3..b5 = low bytes of splitmix64(seed ^ "MAC").
 * - WDEV: 0xC00 = floor((sim_node_now - wdev_zero_ps) / 10^6 ps) + wdev_us_offset (the node's
 *   local clock since the last reset, 32 bits,
 *   read-only); 0xE44 = esp_rng_next (xorshift64*, state = splitmix64(seed), never 0);
 *   other words are kept in wdev[].
 *   Wi-Fi MAC interrupt and timer 1 (what libpp's wDev_ProcessFiq, wDev_MacTim1SetFunc and
 *   wDev_MacTim1Arm use; read off the closed library, docs/nonos-sdk.md): 0xC20 = interrupt
 *   status, 0xC24 = write 1s to clear status bits, 0xC18 = interrupt mask; CPU interrupt 0
 *   (level) is high while status & mask != 0. 0x1048/0x104C = a 64-bit 1 MHz count (the same
 *   count as 0xC00 without the offset), read-only; 0x10CC/0x10D0 = timer 1's compare value,
 *   0x10C8 bit 31 = armed: at the match the bit clears and, if 0x1058 bit 31 (timer 1
 *   enable) is set, status bit 26 rises. The rest of the MAC is plain storage.
 * - RTC: CTRL0 bit 31 is not stored; writing it calls on_software_reset after the write.
 *   0x71C reads esp_rtc_counter and ignores writes; 0x704 (SLP_VAL) is the counter value at
 *   which a sleeping chip's alarm fires (libphy pm_set_sleep_cycles writes counter + cycles);
 *   0x708 bit 20 is not stored: writing it calls on_sleep (libmain system_deep_sleep_local_2
 *   ends with that write; the model treats every such sleep as deep sleep). 0x78C (GPIO16 IN)
 *   bit 0 reads the pad: its driven level, else 1 with gpio16_pullup, else 0 (floating reads
 *   0, as for GPIO0-15); the rest is plain storage.
 * - RTC_CALIB (GPIO +0x6C SYNC, +0x70 VALUE; rtc.h): SYNC bit 31 going 0 -> 1 starts a
 *   measurement of (bits 9:0) - 1 slow-clock periods; VALUE reads 0 until it is ready, then
 *   bit 31 | crystal cycles (bits 19:0). Other SYNC bits are storage.
 * - GPIO (§3.5): OUT/ENABLE/STATUS with their W1TS/W1TC registers (which read 0); IN (0x18)
 *   reads strap << 16 | esp_gpio_levels() and ignores writes; the rest is plain storage.
 *   Pin levels (GPIO0-15): a pin the chip drives (ENABLE bit set, and not an open-drain pin,
 *   PIN n bit 2, whose OUT bit is 1) has its OUT level, whatever the outside does (the chip
 *   wins a conflict); else the level the outside drives on gpio_ext; else 1 if its pad's
 *   pull-up (IO_MUX bit 7, pad table §3.6) is on; else 0 (a floating input reads 0: our
 *   choice). The pad function is not checked. gpio_drive tells the outside what the chip
 *   drives. Interrupts: PIN n bits 9:7 = 1 rising, 2 falling, 3 any edge, 4 low, 5 high level;
 *   an edge sets STATUS bit n when the level changes (by a register write, an IO_MUX pull-up
 *   change or gpio_ext), a level type sets it whenever the level matches (again right after a
 *   W1TC that clears it while the level persists). CPU INT 4 (level) is high while STATUS
 *   bits 15:0 are non-zero. A chip reset clears the registers; gpio_ext (the outside) stays.
 * - IO_MUX: plain storage (the GPIO pull-ups are read from it). All reset values are 0.
 * - WDT (§3.10, §1.2; protocols.md C.7): CTRL (+0x00) bit 0 enables (0 -> 1 starts stage 1 at
 *   the write, 1 -> 0 stops; other bits are storage). REG1 (+0x04) / REG2 (+0x08) set the
 *   stage-1 / stage-2 lengths: stage n lasts 2^REGn * 0.8 ms exactly (REGn above 31 taken as
 *   31), so 11 -> 1.6384 s, 12 -> 3.2768 s, 13 -> 6.5536 s. This mapping is an INFERENCE: §3.10
 *   only says the ROM turns its arguments 3/6/12 into 11/12/13, and C.7 says the SDK sets
 *   0xB/0xD at boot and the chip "bites ~6 s (up to ~8 s)" after feeding stops; with 11/13 this
 *   model resets 1.6384 + 6.5536 = 8.192 s after the last feed. Writing REGn during stage n
 *   re-times that stage from its start (expiring at once if that time has passed).
 *   FEED (+0x14): writing 0x73 (or esp_wdt_feed) restarts stage 1 from now while enabled;
 *   the written value is stored and reads back. VAL (+0x0C, read-only, our choice): the number
 *   of whole 0.8 ms ticks elapsed in the current stage (counts up from 0 at each stage start
 *   or feed; 0 while stopped). Stage 1 expiry raises CPU INT 8 (edge) if EDGE_INT_ENABLE bit 0
 *   is set at that moment (else the edge is lost) and starts stage 2; stage 2 expiry stops the
 *   WDT and calls on_wdt_reset (the machine then resets the chip with cause 4). The time base
 *   runs on the node's local clock (sim_node_now: drifts with its crystal). esp_soc_reset stops it.
 * - Sub-word writes merge into the stored word.
 * Reset causes: esp_soc_reset(cause) writes [0x714] = cause for power-on (1), external (2),
 * software (3) and watchdog (4), [0x718] = 0; for deep sleep [0x714] = 5 and [0x718] = 8 << 8,
 * so esp_rtc_reset_reason() returns the cause in every case. (Real chips print "rst cause:2"
 * after system_restart; 3 is this header's choice for software_reset, see the enum.)
 */
#ifndef MODELS_ESP8266_SOC_H
#define MODELS_ESP8266_SOC_H

#include <stdbool.h>
#include <stdint.h>

#include "esp8266/rtc.h"
#include "net.h"
#include "node.h"
#include "wire.h"

/* Reset causes as the ROM reports them (rtc_get_reset_reason, §3.8) */
enum esp_reset_cause {
    ESP_RESET_POWER_ON = 1,
    ESP_RESET_EXTERNAL = 2,
    ESP_RESET_SOFTWARE = 3, /* RTC CTRL0 bit 31; the ROM then reports 2, as for the pin */
    ESP_RESET_WATCHDOG = 4,
    ESP_RESET_DEEP_SLEEP = 5,
};

typedef struct esp_soc {
    sim_node *node;

    /* DPORT */
    uint32_t dport[64]; /* 0x3FF00000..0x3FF000FF, word index */
    void (*on_cpu_clock)(void *opaque, bool mhz160);
    void *on_cpu_clock_opaque;
    sim_wire edge_enable; /* "3>dport.edge_int_enable": bit0 WDT, bit1 FRC1, bit2 FRC2 */

    /* WDEV */
    uint32_t wdev_us_offset; /* added to the 1 MHz count (SDK WdevTimOffSet) */
    uint64_t wdev_zero_ps;   /* local time of the last reset: the 1 MHz count restarts there */
    uint64_t rng_state;
    uint32_t wdev[2048];   /* 0x3FF20000..0x3FF21FFF plain storage, word index */
    sim_event mac_tim1_ev; /* the Wi-Fi MAC's timer 1 match (libpp's soft watchdog) */

    /* RTC (0x60000700..0x600007FF) */
    uint32_t rtc[64];
    bool light_sleep;      /* a light sleep (0x708 bit 20 with 0x740 = 0) waits for its alarm */
    esp_rtc_clock rtc_clk; /* the slow clock behind the counter at 0x71C (rtc.h) */
    void (*on_software_reset)(void *opaque); /* CTRL0 bit 31 written */
    void *on_software_reset_opaque;
    void (*on_sleep)(void *opaque); /* 0x708 bit 20 written: the chip goes to sleep */
    void *on_sleep_opaque;
    /* GPIO16, the RTC pad: "1>rtc.gpio16" = 0 while the chip drives it low (ENABLE 0x774 bit 0
     * with OUT 0x768 bit 0 clear, or the deep-sleep wake pulse), else 1 (driven high or
     * released: boards pull it up through RST). */
    sim_wire gpio16;
    bool gpio16_wake_low; /* the RTC alarm drives the pad low (esp_soc_wake_pulse) */
    bool gpio16_pullup;   /* the board pulls the pad up (wired to RST): IN reads 1 when released */
    /* RTC_CALIB_SYNC / RTC_CALIB_VALUE (GPIO block +0x6C / +0x70, rtc.h) */
    bool cal_running;
    uint64_t cal_ready_ps; /* local time the result is there */
    uint32_t cal_value;    /* crystal cycles measured */

    /* GPIO (0x60000300..0x600003FF), IO_MUX (0x60000800..), WDT (0x60000900..) */
    uint32_t gpio[64];
    uint32_t iomux[64];
    uint32_t wdt[64];
    /* Hardware watchdog state (§3.10): stage 0 = stopped, 1 or 2 = running that stage */
    unsigned wdt_stage;
    uint64_t wdt_stage_start_ps; /* when the current stage started (enable, feed, stage 1 end) */
    sim_event wdt_ev;            /* end of the current stage */
    void (*on_wdt_reset)(void *opaque); /* stage 2 expired: the chip must reset (cause 4) */
    void *on_wdt_reset_opaque;
    uint32_t strap; /* GPIO_IN bits 18:16 at reset: 3 = flash boot (GPIO0 and GPIO2 high) */
    /* GPIO pins seen from outside: bits 31:16 = mask of pins driven, bits 15:0 = their levels.
     * gpio_ext ("32<gpio.ext") is driven by the outside (set it with sim_wire_set; the soc
     * listens); gpio_drive ("32>gpio.drive") is what the chip drives (connect to listen). */
    sim_wire gpio_ext;
    sim_wire gpio_drive;
    sim_wire gpio_level;  /* "16>gpio.level": esp_gpio_levels after every update (to watch pins) */
    sim_wire gpio_pull;   /* "16>gpio.pull": pads whose pull-up (IO_MUX bit 7) is on */
    uint16_t gpio_levels; /* pin levels at the last update (edge detection) */
    /* Pins on an outside net (sim/net.h, wired by esp8266_pin_attach): their level is the net's
     * resolved level, given in gpio_ext bits 15:0 (mask bits ignored), whatever the chip drives;
     * the chip takes part in the net through gpio_drive and gpio_pull. GPIO16 likewise with
     * gpio16_net / gpio16_ext and the "2>rtc.gpio16_drive" wire (a sim_drive value). */
    uint16_t gpio_net;
    bool gpio16_net, gpio16_ext;
    sim_wire gpio16_drive;
} esp_soc;

void esp_soc_init(esp_soc *s, sim_node *node, uint64_t rng_seed);
/* Sets what a reset leaves behind: reset cause registers (0x60000714/0x60000718) and the RTC
 * counter (protocols.md D.4): power-on restarts the slow clock (the counter reads its configured
 * initial value), an external or deep-sleep reset restarts the counter at 0, a watchdog or
 * software reset leaves it counting. DPORT (except the OTP words), WDEV storage, GPIO, IO_MUX,
 * WDT and the RTC registers return to their reset values (the watchdog stops and its event is
 * cancelled; edge_enable goes to 0; on_cpu_clock is
 * not called: the machine sets the CPU clock itself). STORE0-3 (0x60000730..0x6000073C) survive
 * every cause but power-on, which clears them; strap, the RNG stream, wdev_us_offset, the
 * slow clock's configuration and the callbacks are kept. RTC memory is not here. esp_soc_init
 * leaves the state of a power-on reset. */
void esp_soc_reset(esp_soc *s, enum esp_reset_cause cause);

uint32_t esp_dport_read(esp_soc *s, uint32_t off, unsigned size);
void esp_dport_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size);
uint32_t esp_wdev_read(esp_soc *s, uint32_t off, unsigned size); /* off within 0x3FF20000 */
#define ESP_WDEV_SIZE 0x2000u
void esp_wdev_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size);
uint32_t esp_rtc_read(esp_soc *s, uint32_t off, unsigned size); /* off within 0x60000700 */
void esp_rtc_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size);
uint32_t esp_gpio_read(esp_soc *s, uint32_t off, unsigned size);
void esp_gpio_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size);
uint32_t esp_iomux_read(esp_soc *s, uint32_t off, unsigned size);
void esp_iomux_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size);
uint32_t esp_wdt_read(esp_soc *s, uint32_t off, unsigned size); /* off within 0x60000900 */
void esp_wdt_write(esp_soc *s, uint32_t off, uint32_t value, unsigned size);
/* Feeds the hardware watchdog as a write of 0x73 to FEED would (for the ROM ets_wdt_* and the
 * SDK soft-WDT models): restarts stage 1 from now if the WDT is enabled, else does nothing. */
void esp_wdt_feed(esp_soc *s);

/* Levels of GPIO0-15 now (bit n = GPIOn), as GPIO_IN bits 15:0 read them. */
uint16_t esp_gpio_levels(const esp_soc *s);
/* How the chip drives GPIO pin 0..15 (sim_drive: Z, LOW, HIGH; an open-drain pin drives only LOW
 * or Z), and GPIO16 (RTC pad, including the deep-sleep wake pulse). */
int esp_gpio_pin_drive(const esp_soc *s, unsigned pin);
int esp_gpio16_pin_drive(const esp_soc *s);
/* Level of GPIO16 as RTC_GPIO16_IN bit 0 reads it. */
bool esp_gpio16_level(const esp_soc *s);
/* The outside net's level of GPIO16 changed (gpio16_net). */
void esp_gpio16_ext(esp_soc *s, bool level);

/* Value of the RTC counter (0x6000071C) now. */
uint32_t esp_rtc_counter(esp_soc *s);
/* Local time at which the counter next reads SLP_VAL (0x704), counting from now. */
uint64_t esp_rtc_alarm_at(esp_soc *s);
/* Deep sleep: stops the watchdog and releases every GPIO output (GPIO0-15 and GPIO16); the RTC
 * block and its counter keep running. */
void esp_soc_sleep(esp_soc *s);
/* No supply: as esp_soc_sleep, and the pad pull-ups are off too. */
void esp_soc_power_off(esp_soc *s);
/* Drives GPIO16 low (on) or lets it go (off): the deep-sleep wake output. */
void esp_soc_wake_pulse(esp_soc *s, bool on);
/* Next 32-bit word of the hardware RNG stream. */
uint32_t esp_rng_next(esp_soc *s);
/* Raw reset reason as rtc_get_reset_reason computes it from the registers (§3.8). */
uint32_t esp_rtc_reset_reason(esp_soc *s);

#endif
