/* models/esp8266/esp8266.h — the ESP8266 machine: the one table of the address map, the
 * peripherals, the ROM model, boot from an ELF, a v1 image or a flash dump, and fault reports
 * (reference/lx106.md §3, §4, §5; architecture.md §4, §5, §9).
 *
 * Address map (esp8266.c, esp_map[]):
 *   0x3FF00000  4 KB  DPORT                      MMIO
 *   0x3FF20000  4 KB  Wi-Fi MAC (us counter, RNG) MMIO
 *   0x3FFE8000 96 KB  DRAM (user 80 KB + ROM-owned system RAM 0x3FFFC000..0x3FFFFFFF)
 *   0x40000000 64 KB  boot ROM: a hook region (fetches run C models), 32-bit data reads only
 *   0x40100000 64 KB  IRAM (32 KB + the two 16 KB cache banks), 32-bit data access only
 *   0x40200000  1 MB  flash window (when Cache_Read_Enable'd), 32-bit data reads only
 *   0x60000000  4 KB  peripherals (UART0, SPI1, SPI0, GPIO, timers, RTC, IO_MUX, WDT, ..., UART1)
 *   0x60001000  4 KB  RTC memory (1 KB used)
 * Faults: anything below 0x20000000 -> 20/28/29 (the ROM's region attributes 0x2222211F);
 * byte/half-word access to ROM/IRAM/flash -> 3 (LoadStoreError); other unmapped space ->
 * 2 (fetch) / 3 (data); the flash window while disabled -> 2 / 3.
 */
#ifndef MODELS_ESP8266_H
#define MODELS_ESP8266_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "elf_load.h"
#include "lines.h"
#include "esp8266/flash.h"
#include "esp8266/regs.h"
#include "esp8266/soc.h"
#include "esp8266/timer.h"
#include "esp8266/uart.h"
#include "net.h"
#include "node.h"
#include "rom/rom.h"

#define ESP_ROM_BASE       0x40000000u
#define ESP_ROM_SIZE       0x10000u
#define ESP_IRAM_BASE      0x40100000u
#define ESP_IRAM_SIZE      0x10000u
#define ESP_DRAM_BASE      0x3FFE8000u
#define ESP_DRAM_SIZE      0x18000u
#define ESP_SYSRAM_BASE    0x3FFFC000u /* ROM-owned part of DRAM */
#define ESP_FLASH_WIN_BASE 0x40200000u
#define ESP_DPORT_BASE     0x3FF00000u
#define ESP_WDEV_BASE      0x3FF20000u
#define ESP_PERIPH_BASE    0x60000000u
#define ESP_RTCMEM_BASE    0x60001000u
#define ESP_RTCMEM_SIZE    0x1000u
/* Return address for guest calls made by C models: inside the ROM, where no ROM routine is. */
#define ESP_TRAMPOLINE 0x4000FFF0u
/* _ResetVector (§1.3): the CPU starts here; the ROM boot model runs as a hook. */
#define ESP_ROM_RESET_VECTOR 0x40000080u

typedef struct esp_config {
    const char *name;  /* node name for messages */
    uint32_t cpu_mhz;  /* 80 or 160 */
    int32_t ppm;       /* clock error */
    uint64_t boot_ps;  /* boot offset in global time */
    uint64_t seed;     /* RNG seed */
    size_t flash_size; /* bytes, when no flash file is given (default 1 MB) */
    /* RTC slow clock (rtc.h). Without rtc_ppb_set the error is drawn from the seed, uniform in
     * [-ESP_RTC_DEFAULT_SPREAD_PPB, +ESP_RTC_DEFAULT_SPREAD_PPB]; without rtc_jitter_set the
     * calibration jitter is ESP_RTC_DEFAULT_JITTER_PPB. */
    bool rtc_ppb_set;
    int64_t rtc_ppb;         /* error of the RC oscillator, ppb (+ = fast) */
    uint32_t rtc_wander_ppb; /* random-walk step per minute, ppb (0 = none) */
    bool rtc_jitter_set;
    uint32_t rtc_jitter_ppb; /* calibration jitter, ppb */
    uint32_t rtc_initial;    /* counter value right after power-on */
    bool gpio16_rst;         /* the board wires GPIO16 to RST (deep-sleep wake) */
} esp_config;

#define ESP_RTC_DEFAULT_SPREAD_PPB 30000000 /* +-3 % */

/* Power state. SLEEP: deep sleep (everything stopped but the RTC; a reset is a deep-sleep wake).
 * RESET_HELD: the RST pin is low; the chip boots when it is released. OFF: no supply
 * (esp8266_power_off): pins released, RST ignored, only a power-on reset starts it. */
enum esp_power { ESP_POWER_ON, ESP_POWER_SLEEP, ESP_POWER_RESET_HELD, ESP_POWER_OFF };

/* A chip pin connected to the outside (esp8266_pin_connect / esp8266_pin_attach): the chip tells
 * the outside how it drives the pin through drive(); the outside tells the chip the pin's
 * resolved level through esp8266_pin_input. */
typedef void (*esp_pin_drive_fn)(void *opaque, unsigned pin, sim_drive d, bool pullup,
                                 uint64_t t_ps);
typedef struct esp_pin {
    struct esp8266 *m;
    unsigned pin;           /* 0..16; ESP_PIN_RST for the RST pin */
    esp_pin_drive_fn drive; /* NULL: not connected */
    void *opaque;
    sim_drive last_d; /* what drive() was last told */
    bool last_pull;
    sim_net *net; /* esp8266_pin_attach: the net, participant id and listener */
    int id;
    sim_net_listener listener;
} esp_pin;
#define ESP_PIN_RST 17u
#define ESP_NPINS   18u

/* What the machine tells its observer about sleep (on_sleep). */
enum esp_sleep_event {
    ESP_SLEEP_ENTER,   /* deep sleep began; t = local time of the RTC alarm */
    ESP_SLEEP_NO_WAKE, /* the alarm fired but GPIO16 is not wired to RST: still asleep */
};

/* Receives every byte a UART sends (t_ps = GLOBAL time when its stop bit ended). */
typedef void (*esp_console_fn)(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps);

typedef struct esp8266 {
    sim_node node;
    esp_config cfg;

    uint8_t *rom_mem; /* ROM region contents (data reads, e.g. the chip-id word) */
    uint8_t *iram;
    uint8_t *dram;
    uint8_t *rtcmem;
    unsigned flash_region; /* bus region index of the flash window */

    esp_flash flash;
    esp_uart uart[2];
    esp_soc soc;
    esp_frc frc;
    esp_rom rom;

    esp_console_fn console;
    void *console_opaque;

    esp_regs regs; /* registers with no model: plain storage, first accesses reported */
    /* `--log unmapped`: called once per unmodelled register word (pc = the accessing
     * instruction) */
    void (*on_unmodelled)(void *opaque, uint32_t addr, unsigned size, bool write, uint32_t value,
                          uint32_t pc);
    /* the same for a call of a routine without a model (what names it; ra = return address) */
    void (*on_unmodelled_call)(void *opaque, const char *what, uint32_t ra);
    void *on_unmodelled_opaque;
    /* Power, deep sleep and the RST pin */
    enum esp_power power;
    bool rst_after_sleep;    /* RESET_HELD entered from SLEEP: the boot will be a deep-sleep wake */
    sim_wire rst;            /* "1<esp.rst": the RST pin as the board drives it (0 = held low) */
    uint64_t rst_t_ps;       /* global time of the last RST change given with a time */
    esp_pin pins[ESP_NPINS]; /* GPIO0..16 and RST on outside nets (net NULL: not attached) */
    sim_event rst_ev;        /* acts on an RST change or a sleep request between instructions */
    sim_event alarm_ev;      /* deep sleep: the RTC alarm, then the end of the GPIO16 pulse */
    bool sleep_req;          /* RTC 0x708 bit 20 written */
    bool pulsing;            /* the GPIO16 wake pulse is on */
    void (*on_sleep)(void *opaque, enum esp_sleep_event ev, uint64_t t_local);
    void *on_sleep_opaque;
    sim_event reset_ev;     /* a software reset requested by the guest */
    sim_event wdt_reset_ev; /* the hardware watchdog's stage 2 expired */
    unsigned reset_count;
    unsigned power_ons; /* power-on resets so far (the RTC-memory garbage stream) */
    enum esp_reset_cause last_reset;

    /* Observer of resets (scenario runner): called at the start of every reset with the cause
     * and the rst_info record about to be written. */
    void (*on_reset)(void *opaque, enum esp_reset_cause cause, const uint32_t info[7]);
    void *on_reset_opaque;

    const sim_elf *elf;     /* symbols for reports; may be NULL */
    const sim_lines *lines; /* file:line for reports; may be NULL */
    uint32_t entry;         /* application entry (from the image) */
} esp8266;

/* Builds the machine with an erased flash of cfg->flash_size bytes (or 1 MB). */
bool esp8266_init(esp8266 *m, const esp_config *cfg, char *err, size_t errsize);
/* Sets the flash-cache miss penalty from the flash header's mode and clock and the CPU clock
 * (docs/timing-model.md); called at reset and when the CPU clock changes. */
void esp8266_cache_timing(esp8266 *m);
void esp8266_free(esp8266 *m);

/* Firmware. Each puts the image into flash (the v1 image at offset 0, flash-resident code at
 * its window offset; the rest of the flash erased, or kept if a dump was loaded first) and
 * resets the chip: the ROM boot model then loads it exactly as from a
 * flash dump, so all three paths print the same boot output. */
bool esp8266_load_elf(esp8266 *m, const sim_elf *elf, char *err, size_t errsize);
/* A v1 image (optionally followed by flash-resident code, as `espsim image` writes it) given
 * in memory; name is used in messages. */
bool esp8266_load_bytes(esp8266 *m, const uint8_t *data, size_t len, const char *name, char *err,
                        size_t errsize);
bool esp8266_load_image(esp8266 *m, const char *path, char *err, size_t errsize);
/* A whole flash dump (512 KB .. 16 MB, a power of two, with a v1 image at offset 0) as the
 * flash, then a power-on reset: reads the file and goes the way of esp8266_load_flash_bytes,
 * with messages naming path; persist writes the flash back to path (esp_flash_save). */
bool esp8266_load_flash(esp8266 *m, const char *path, bool persist, char *err, size_t errsize);
/* The same for a dump in memory (copied; no backing file). err gets one line naming
 * ESP_FLASH_DUMP_NAME: wrong size, or what esp_image_parse says of the image at offset 0. On
 * failure the machine is unchanged. */
bool esp8266_load_flash_bytes(esp8266 *m, const uint8_t *data, size_t size, char *err,
                              size_t errsize);
#define ESP_FLASH_DUMP_NAME "flash dump"
/* Espressif's PHY init data (esp_init_data_default*.bin, at most 4 KB) into the sector the NONOS
 * SDK reads it from by default: flash size - 0x4000 (the SDK's flash-download table;
 * docs/nonos-sdk.md). The sector is erased first. */
bool esp8266_put_init_data(esp8266 *m, const char *path, char *err, size_t errsize);
/* Reads an init-data file (1..4096 bytes) into buf; *len = its size. */
bool esp_read_init_data(const char *path, uint8_t buf[4096], size_t *len, char *err,
                        size_t errsize);
#define ESP_INIT_DATA_FROM_END 0x4000u

/* The SDK's reset record (protocols.md C.7): struct rst_info, 7 words {reason, exccause, epc1,
 * epc2, epc3, excvaddr, depc} at RTC memory block 0 (0x60001100), which system_get_rst_info
 * reads. Its reasons are the SDK's numbering, not the ROM's. */
enum esp_rst_reason {
    ESP_RST_POWER_ON = 0,
    ESP_RST_HW_WDT = 1,
    ESP_RST_EXCEPTION = 2,
    ESP_RST_SOFT_WDT = 3,
    ESP_RST_SOFT_RESTART = 4,
    ESP_RST_DEEP_SLEEP = 5,
    ESP_RST_EXTERNAL = 6,
};
#define ESP_RST_INFO_ADDR 0x60001100u

/* Resets the chip (power-on, external, watchdog or software): CPU, peripherals and ROM state
 * restart, RTC memory survives (power-on fills it with seeded random bytes, as silicon powers
 * up with garbage), rst_info gets the matching SDK reason (power-on 0, watchdog 1, software 4,
 * deep sleep 5, external 6), and the ROM boot model runs from flash again. An external reset of
 * a chip in deep sleep is a deep-sleep wake (cause 5, reason 5). */
void esp8266_reset(esp8266 *m, enum esp_reset_cause cause);
/* The same with an explicit rst_info record (soft-WDT and exception resets). */
void esp8266_reset_with_info(esp8266 *m, enum esp_reset_cause cause, const uint32_t info[7]);

/* Fault injection (scenario crash kinds), applied between instructions:
 *   ESP_CRASH_HALT       the CPU stops for good (the node is halted; peripherals freeze)
 *   ESP_CRASH_HANG       the guest spins with interrupts masked (PS.INTLEVEL 15) in place, so
 *                        only the watchdogs can end it
 *   ESP_CRASH_EXCEPTION  a LoadProhibited (28) exception at the current pc, as a NULL read
 *                        would raise, through the normal vectors and handlers */
enum esp_crash { ESP_CRASH_HALT, ESP_CRASH_HANG, ESP_CRASH_EXCEPTION };
void esp8266_crash(esp8266 *m, enum esp_crash kind);

/* Deep sleep (protocols.md D.4; libmain system_deep_sleep_local_2, libphy pm_set_sleep_cycles).
 * Writing RTC 0x708 bit 20 puts the chip to sleep between instructions: the CPU, watchdogs,
 * timers, UARTs and GPIO0-15 stop (outputs released), RAM is lost at the wake, the RTC counter,
 * RTC memory and flash stay. The RTC alarm fires when the counter reaches SLP_VAL (0x704):
 * GPIO16 then goes low for ESP_WAKE_PULSE_PS. With cfg.gpio16_rst that pulse pulls RST low and
 * its end boots the chip (cause 5, reason deep-sleep); without it nothing happens and the chip
 * sleeps until a reset or power cycle (on_sleep tells the observer both ways). */
#define ESP_WAKE_PULSE_PS 2000000ull /* 2 us: our choice (the reset ends the pulse on silicon) */

/* The RST pin: low holds the chip in reset (power RESET_HELD), high releases it (a boot with
 * cause external, or deep sleep if it was asleep). Acts between instructions. Same as setting
 * m->rst. */
void esp8266_set_rst(esp8266 *m, bool level);
/* The same at global time t_ps (a peer outside the node). A chip that stopped (halt, fault) is
 * woken by RST going low: its clock jumps to t_ps and it is held in reset, so releasing RST
 * boots it (cause external): what the reset line of a crashed board does. A chip that is OFF
 * ignores RST. */
void esp8266_set_rst_at(esp8266 *m, bool level, uint64_t t_ps);

/* Connects GPIO pin 0..16, or the RST pin (ESP_PIN_RST: an input with the chip's pull-up), to
 * the outside: from now on the chip reads the pin's level only from esp8266_pin_input (initially
 * `level`), and calls drive(opaque, pin, d, pullup, t) whenever its drive or pad pull-up changes
 * (and once now). Returns false for a bad pin or one already connected. */
bool esp8266_pin_connect(esp8266 *m, unsigned pin, esp_pin_drive_fn drive, void *opaque,
                         bool level);
/* The resolved level of a connected pin changed (at global time t_ps). */
void esp8266_pin_input(esp8266 *m, unsigned pin, bool level, uint64_t t_ps);
/* Connects a pin to an outside net (sim/net.h) as a participant named part. The chip drives the net
 * as its registers say (push-pull, open drain, released; the pad pull-up as a weak pull-up) and
 * reads the net's resolved level instead of its own drive: contention, wired-AND and pull-ups of
 * other participants are what the guest sees. GPIO16 and RST also read the board pull-up of
 * cfg.gpio16_rst. At most one net per pin; returns false for a bad pin, a pin already attached
 * or a full net. */
bool esp8266_pin_attach(esp8266 *m, unsigned pin, sim_net *net, const char *part);

/* Removes the supply: UARTs drain, every pin is released, the CPU stops (the node halts). */
void esp8266_power_off(esp8266 *m);

/* Hands one console byte to m->console; t_local is the node's local time (converted here). */
void esp8266_console_byte(esp8266 *m, unsigned uart, uint8_t byte, uint64_t t_local);

/* After the node stopped (fault, halt, timeout): lets both UARTs finish sending what their TX
 * FIFOs hold, as the chip's UARTs would, without running the CPU. */
void esp8266_drain_uarts(esp8266 *m);

/* "0x40201234 <user_init+0x34> (app/main.c:42)": symbol + offset, and file:line when the ELF
 * has debug info. */
void esp8266_symbolize(const esp8266 *m, uint32_t addr, char *buf, size_t size);
/* Symbol name covering addr (ROM names for the ROM, else the ELF's) and the offset into it, or
 * NULL; opaque is the esp8266 (sim_prof_symbolize_fn). */
const char *esp8266_symbol(void *opaque, uint32_t addr, uint32_t *off);

#endif
