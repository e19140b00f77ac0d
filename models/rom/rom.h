/* models/rom/rom.h — the ESP8266 boot ROM's services as C models (reference/lx106.md §4;
 * architecture.md §4).
 *
 * Every ROM function firmware may call is installed as a hook at its address (the table comes
 * from the public ROM symbol list, rom_symbols.inc). A hooked service reads its arguments from
 * a2..a7 (more on the stack at a1), does its work, writes a2 (and a3), charges its documented
 * cycle cost and returns to a0. ROM state lives where the ROM keeps it: in the ROM-owned RAM at
 * 0x3FFFC000.. (§4.1), so firmware that reads those words directly sees the same values.
 * Services that call back into firmware (ets_printf through a putc1 the firmware installed, the
 * task scheduler, interrupt dispatch) use guest calls (sim_node_call).
 * A ROM address without a model stops the node with
 *   unimplemented ROM function NAME (0xADDR) called from SYMBOL+OFF
 */
#ifndef MODELS_ROM_H
#define MODELS_ROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sched.h"

struct esp8266;

/* ROM-owned RAM and ROM addresses the models use (reference/lx106.md §4.1, §4.4). */
#define ESP_ROM_EXC_TABLE     0x3FFFC000u /* 64 handlers indexed by EXCCAUSE */
#define ESP_ROM_EXC_CTABLE    0x3FFFC100u /* 64 C-level handlers */
#define ESP_ROM_INT_ENABLED   0x3FFFC200u /* interrupts enabled by software */
#define ESP_ROM_INT_VPRI      0x3FFFC204u /* virtual-priority mask */
#define ESP_ROM_CPU_MHZ       0x3FFFC704u /* ets_get_cpu_frequency word */
#define ESP_ROM_PUTC1         0x3FFFDD48u /* 0x3FFFDD3C + 12 */
#define ESP_ROM_PUTC2         0x3FFFDD4Cu /* 0x3FFFDD3C + 16 */
#define ESP_ROM_UART_INDEX    0x3FFFDE50u /* byte: UART used by uart_tx_one_char */
#define ESP_ROM_UNHANDLED_EXC 0x4000DC44u /* _xtos_unhandled_exception */
#define ESP_ROM_UNHANDLED_INT 0x4000DC3Cu /* _xtos_unhandled_interrupt */
/* The ROM's internal UART character writer (what ets_install_uart_printf installs as putc1).
 * Its real address is not in the public symbol list; espsim models it at this otherwise unused
 * ROM address, so a putc1 pointer equal to it means "the ROM UART writer". */
#define ESP_ROM_UART_PUTC 0x4000FF00u
/* Where the application returns to in the ROM's main (§5.1). */
#define ESP_ROM_USER_RETURN 0x40001100u

/* ROM-internal routines whose real addresses are not public, modelled at otherwise unused ROM
 * addresses (the ROM's data area, never executed on the chip): */
#define ESP_ROM_TIMER_ISR  0x4000FF10u /* the FRC2 ISR ets_timer_init attaches: ets_post(31,0,0) */
#define ESP_ROM_TIMER_TASK 0x4000FF20u /* the priority-31 task: runs ets_timer_handler_isr */
#define ESP_ROM_HANG       0x4000FF30u /* a spin loop for injected hangs (esp8266_crash) */
#define ESP_ROM_SLEEP      0x4000FF34u /* where a chip in deep sleep or held in reset is parked */

/* espsim extension entry points: closed-SDK (libmain) services that espsim models in C. The
 * project's firmware/sdk binds its functions of these names to these addresses in its linker
 * script, so they work from images without symbols too. Firmware linked with Espressif's own
 * SDK runs its own code for them instead. Semantics: reference/protocols.md C.6, C.7. */
#define ESP_ROM_EXT_TIMER_ARM_NEW    0x4000FF40u /* ets_timer_arm_new(t, time, repeat, is_ms) */
#define ESP_ROM_EXT_TIMER_REINIT     0x4000FF44u /* system_timer_reinit(void) */
#define ESP_ROM_EXT_SOFT_WDT_FEED    0x4000FF48u /* system_soft_wdt_feed(void) */
#define ESP_ROM_EXT_SOFT_WDT_STOP    0x4000FF4Cu /* system_soft_wdt_stop(void) */
#define ESP_ROM_EXT_SOFT_WDT_RESTART 0x4000FF50u /* system_soft_wdt_restart(void) */

/* ESP-NOW and Wi-Fi (libespnow, libmain; models/sdk/espnow.c, protocols.md B.4, B.5): the same
 * scheme, ESP_ROM_EXT_<NAME> = 0x4000FF60 + 4 i in this order. */
#define ESP_ROM_EXT_ESP_NOW_INIT               0x4000FF60u
#define ESP_ROM_EXT_ESP_NOW_DEINIT             0x4000FF64u
#define ESP_ROM_EXT_ESP_NOW_SET_SELF_ROLE      0x4000FF68u
#define ESP_ROM_EXT_ESP_NOW_GET_SELF_ROLE      0x4000FF6Cu
#define ESP_ROM_EXT_ESP_NOW_ADD_PEER           0x4000FF70u
#define ESP_ROM_EXT_ESP_NOW_DEL_PEER           0x4000FF74u
#define ESP_ROM_EXT_ESP_NOW_SET_KOK            0x4000FF78u
#define ESP_ROM_EXT_ESP_NOW_REGISTER_RECV_CB   0x4000FF7Cu
#define ESP_ROM_EXT_ESP_NOW_UNREGISTER_RECV_CB 0x4000FF80u
#define ESP_ROM_EXT_ESP_NOW_REGISTER_SEND_CB   0x4000FF84u
#define ESP_ROM_EXT_ESP_NOW_UNREGISTER_SEND_CB 0x4000FF88u
#define ESP_ROM_EXT_ESP_NOW_SEND               0x4000FF8Cu
#define ESP_ROM_EXT_ESP_NOW_GET_CNT_INFO       0x4000FF90u
#define ESP_ROM_EXT_ESP_NOW_IS_PEER_EXIST      0x4000FF94u
#define ESP_ROM_EXT_ESP_NOW_FETCH_PEER         0x4000FF98u
#define ESP_ROM_EXT_ESP_NOW_GET_PEER_CHANNEL   0x4000FF9Cu
#define ESP_ROM_EXT_ESP_NOW_SET_PEER_CHANNEL   0x4000FFA0u
#define ESP_ROM_EXT_ESP_NOW_GET_PEER_ROLE      0x4000FFA4u
#define ESP_ROM_EXT_ESP_NOW_SET_PEER_ROLE      0x4000FFA8u
#define ESP_ROM_EXT_ESP_NOW_GET_PEER_KEY       0x4000FFACu
#define ESP_ROM_EXT_ESP_NOW_SET_PEER_KEY       0x4000FFB0u
#define ESP_ROM_EXT_WIFI_SET_OPMODE            0x4000FFB4u
#define ESP_ROM_EXT_WIFI_SET_OPMODE_CURRENT    0x4000FFB8u
#define ESP_ROM_EXT_WIFI_GET_OPMODE            0x4000FFBCu
#define ESP_ROM_EXT_WIFI_SET_CHANNEL           0x4000FFC0u
#define ESP_ROM_EXT_WIFI_GET_CHANNEL           0x4000FFC4u
#define ESP_ROM_EXT_WIFI_GET_MACADDR           0x4000FFC8u
#define ESP_ROM_EXT_WIFI_SET_MACADDR           0x4000FFCCu
#define ESP_ROM_EXT_ESPNOW_COUNT               28u
/* The pp task (ETS priority 32, protocols.md C.3) that runs ESP-NOW callbacks, and its queue. */
#define ESP_ROM_EXT_PP_TASK  0x4000FFD0u
#define ESP_ROM_EXT_PP_QUEUE 0x3FFFDDE0u /* 4 events, below UartDev (0x3FFFDE10) */
#define ESP_ROM_EXT_PP_QLEN  4u
/* ets_task's 32 task blocks of 16 bytes, priority p at +16(p-1), +0 = handler (0: free). */
#define ESP_ROM_TASK_BLOCKS 0x3FFFDAC0u
#define ESP_ROM_EXT_PP_PRIO 32u
/* The Wi-Fi MAC interrupt handler (CPU interrupt 0, level) that posts to the pp task. */
#define ESP_ROM_EXT_MAC_ISR 0x4000FFD4u
#define ESP_ROM_MAC_INUM    0u

/* libphy's PHY function table (rom_sdk.c): ESP_ROM_PHY_FUNCS pointers at ESP_ROM_PHY_TABLE, then
 * a 0 word, where the ROM keeps its table (phy_get_romfuncs returns the word at
 * ESP_ROM_PHY_TABLE_PTR; pvvx's rom_phy.h, reference/lx106.md S11: 71 entries, +0..+280, and a
 * NULL at +284, ending before the ROM data copied to 0x3FFFC860). Entry k points to a stub at
 * ESP_ROM_PHY_STUBS + 4k (the ROM's data area, like the routines above). */
#define ESP_ROM_PHY_TABLE_PTR 0x3FFFC730u
#define ESP_ROM_PHY_TABLE     0x3FFFC734u
#define ESP_ROM_PHY_STUBS     0x4000F000u
#define ESP_ROM_PHY_FUNCS     71u
/* Entries of that table that are the ROM's I2C-to-analog routines (rom_sdk.c), inferred from
 * libphy's calls: +144 (block, host, reg), +148 (block, host, reg, msb, lsb), +152 (block,
 * host, reg, data), +156 (block, host, reg, msb, lsb, data), the argument lists of
 * rom_i2c_readReg, rom_i2c_readReg_Mask, rom_i2c_writeReg and rom_i2c_writeReg_Mask. They point
 * at those routines. */
#define ESP_ROM_PHY_I2C_FIRST 36u
/* Analog registers the rom_i2c_* model remembers (SDK 3.0.x libphy writes 28 at boot). */
#define ESP_ROM_ANA_REGS 64u

/* Strings of the ROM's initialised data (copied from 0x4000EBE8 to 0x3FFFC860.. at reset,
 * reference/lx106.md §4.1) that firmware reads by address. libmain's ets_vsnprintf (behind
 * os_sprintf and ets_snprintf) takes its digits from the first two (index = digit value, 0..15:
 * lower case unless the conversion is %X) and prints the third for a NULL %s; the two format
 * strings are the ROM's exception report (pvvx's esp8266web wdt.c names all three addresses
 * D7CC, D814, D870). */
#define ESP_ROM_STR_EPC      0x3FFFD7CCu /* "epc1=0x%08x, epc2=0x%08x, ... depc=0x%08x\n" */
#define ESP_ROM_STR_FATAL    0x3FFFD814u /* "Fatal exception (%d): \n" */
#define ESP_ROM_STR_DIGITS   0x3FFFD848u /* "0123456789abcdef" */
#define ESP_ROM_STR_DIGITS_X 0x3FFFD85Cu /* "0123456789ABCDEF" */
#define ESP_ROM_STR_NULL     0x3FFFD870u /* "<null>" */

/* Console jobs that may be in progress at once (rom_console.c; nesting = ets_printf called from
 * an interrupt handler while another ets_printf is printing). */
#define ESP_ROM_OUT_NEST 4u

/* The SDK's software watchdog (rom_wdt.c; protocols.md C.7): host state of the MAC timer that
 * drives it. Its expiries are node events, so they happen while a task spins. */
typedef struct esp_rom_soft_wdt {
    sim_event ev;   /* next MAC-timer expiry, or the reset waiting for the UARTs to drain */
    unsigned epoch; /* esp8266.reset_count when last armed: an expiry from before a reset is void */
    bool flag;      /* expired once since the last feed */
    bool resetting; /* expired twice: resetting once the UART TX FIFOs are empty */
} esp_rom_soft_wdt;

/* One analog register written through rom_i2c_writeReg*: block, host id, register, value. */
typedef struct esp_rom_ana_reg {
    uint8_t block, host, reg, value;
} esp_rom_ana_reg;

/* One modelled ROM routine. */
typedef struct esp_rom_service {
    const char *name;
    uint32_t addr;
    void (*fn)(struct esp8266 *m);
    uint32_t cycles; /* documented cost charged per call (fixed part) */
} esp_rom_service;

typedef struct esp_rom {
    struct esp8266 *chip;
    /* ets_printf / ets_vprintf in progress: the formatted text is sent one character at a time
     * through the firmware's putc1/putc2 by guest calls. */
    char *out;
    size_t out_len, out_pos, out_cap;
    uint32_t out_putc[2]; /* guest functions to call per character (0 = none) */
    unsigned out_stage;
    uint32_t out_ret; /* value ets_printf returns */
    uint32_t printed; /* characters printed by the ROM console, for tests */
    void *hook_ctx;   /* per-service hook contexts (rom.c) */
    uint8_t phy_called[(ESP_ROM_PHY_FUNCS + 7) / 8]; /* PHY table stubs reported (rom_sdk.c) */
    /* rom_console.c: the current job prints out[out_base, out_len) through out_vputc (the putc
     * given to ets_vprintf; ets_write_char = putc1 then putc2, read per character); jobs
     * started while one is in progress (an interrupt handler printing) nest, LIFO. */
    uint32_t out_vputc;
    size_t out_base;
    unsigned out_depth; /* jobs in progress, including the current one */
    struct esp_rom_out_job {
        size_t base, pos;
        uint32_t vputc, putc[2], ret;
        unsigned stage;
    } out_nest[ESP_ROM_OUT_NEST]; /* the interrupted jobs */
    esp_rom_soft_wdt soft_wdt;    /* rom_wdt.c */
    /* rom_sdk.c: the analog registers written since reset (the others read 0) */
    esp_rom_ana_reg ana[ESP_ROM_ANA_REGS];
    unsigned ana_n;
} esp_rom;

/* Installs every modelled service as a hook, plus the handler for unmodelled ROM addresses. */
bool esp_rom_init(esp_rom *r, struct esp8266 *m);
void esp_rom_free(esp_rom *r);
/* Fills the ROM-owned RAM (0x3FFFC000..0x3FFFFFFF) and ROM data words with what the real ROM
 * leaves there at reset (§4.1), before the boot model loads the application. */
void esp_rom_reset(esp_rom *r);

/* The table of modelled services (sorted by address) and the name of any ROM address. */
const esp_rom_service *esp_rom_services(size_t *count);
const char *esp_rom_name(uint32_t addr); /* NULL if the address is not a ROM symbol */
/* The ROM symbol at or below addr (inside the ROM region) and the offset from it, or NULL. */
const char *esp_rom_nearest(uint32_t addr, uint32_t *offset);

/* For models outside the ROM that stand in for closed SDK code (models/sdk): the ROM's own task,
 * interrupt and guest-memory primitives, with its semantics (rom_task.c, rom_intr.c). Each
 * returns false after raising the guest exception a bad pointer causes. */
bool esp_rom_task_create(struct esp8266 *m, uint32_t fn, uint32_t prio, uint32_t queue,
                         uint32_t qlen);
/* ets_post: *full = true if the queue was full (the event is dropped). */
bool esp_rom_post(struct esp8266 *m, uint32_t prio, uint32_t sig, uint32_t par, bool *full);
bool esp_rom_isr_attach(struct esp8266 *m, uint32_t inum, uint32_t fn, uint32_t arg);
bool esp_rom_int_enable(struct esp8266 *m, uint32_t mask);
bool esp_rom_read(struct esp8266 *m, uint32_t addr, void *dst, size_t len);
bool esp_rom_write(struct esp8266 *m, uint32_t addr, const void *src, size_t len);

#endif
