/* models/rom/rom_services.h — private to the ROM service files (rom_services.c, rom_console.c,
 * rom_mem.c, rom_libgcc.c, rom_flash.c, rom_misc.c): ROM addresses by name, the service
 * functions the table in rom_services.c lists, and the wait helpers they share. User-facing
 * description: docs/rom.md.
 *
 * Waiting without host loops. A ROM routine that busy-waits (ets_delay_us, the flash routines,
 * uart_tx_one_char waiting for the TX FIFO, uart_rx_one_char_block) is modelled as a hook that
 * leaves pc unchanged while the condition is false and charges time up to the earliest of: the
 * time it waits for, the end of the CPU's budget (the next event on the node) and the next
 * CCOMPARE0 match. The run loop then handles what is due (UART bytes, timers, interrupts: an
 * interrupt taken there returns to the same hook) and re-enters the hook, which checks again.
 * So events are handled at their exact times while a ROM routine waits, as on the chip.
 * State that must survive the wait lives where the ROM keeps it, in guest registers (the timed
 * wait: a2:a3 = deadline in ps, a4 = the value to return), which interrupt handlers and guest
 * calls preserve; re-entry addresses are inside the routine's own code (rom_addr below).
 */
#ifndef MODELS_ROM_SERVICES_H
#define MODELS_ROM_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "rom_internal.h"
#include "rom_symbols.inc"

/* ROM_<name>: the address of every ROM function in the public symbol list. */
enum rom_addr {
#define ROM_ADDR_ENUM(name, addr) ROM_##name = addr,
    ESP_ROM_FUNCS(ROM_ADDR_ENUM)
#undef ROM_ADDR_ENUM
};

/* uart_div_modify is missing from eagle.rom.addr.v6.ld (NONOS 3.x); its address comes from the
 * SDK 0.9.4 ld file (reference/lx106.md §4.6). */
#define ROM_uart_div_modify 0x400039D8u

/* Re-entry points of services that wait or print, inside the routine they belong to. */
#define ROM_PRINT_CONT    ((uint32_t)ROM_ets_vprintf + 4u)    /* next step of a console job */
#define ROM_DELAY_CONT    ((uint32_t)ROM_ets_delay_us + 4u)   /* ets_delay_us waiting */
#define ROM_SPI_WAIT_CONT ((uint32_t)ROM_Wait_SPI_Idle + 4u)  /* flash operation in progress */
#define ROM_RESET_SPIN    ((uint32_t)ROM_software_reset + 4u) /* waiting for the reset */

/* Deepest nesting of console jobs (ets_printf from an interrupt handler that interrupted
 * ets_printf, ...). Deeper nesting stops the node. */
#define ROM_OUT_NEST ESP_ROM_OUT_NEST

/* ---- wait helpers (rom_misc.c) ------------------------------------------------------------ */

/* Charges time toward t_ps (global ps; SIM_TIME_NEVER = no deadline) without passing the
 * budget end or CCOMPARE0, at least one cycle. Returns true, charging nothing, once now >=
 * t_ps. A caller that gets false leaves pc unchanged (it is re-entered). */
bool rom_wait_until(esp8266 *m, uint64_t t_ps);
/* Returns ret to the caller once global time reaches t_ps: now if it already has, else by
 * moving pc to cont (a ROM_*_CONT served by rom_svc_wait_cont) with the deadline in a2:a3 and
 * ret in a4. */
void rom_wait_then_return(esp8266 *m, uint32_t cont, uint64_t t_ps, uint32_t ret);

/* ---- console (rom_console.c) --------------------------------------------------------------- */

void rom_svc_ets_write_char(esp8266 *m);
void rom_svc_ets_vprintf(esp8266 *m);
void rom_svc_print_cont(esp8266 *m);
void rom_svc_ets_install_putc1(esp8266 *m);
void rom_svc_ets_install_uart_printf(esp8266 *m);
void rom_svc_ets_install_putc2(esp8266 *m);
void rom_svc_ets_printf(esp8266 *m);
void rom_svc_ets_uart_printf(esp8266 *m);
void rom_svc_ets_getc(esp8266 *m);
void rom_svc_ets_putc(esp8266 *m);
void rom_svc_uart_div_modify(esp8266 *m);
void rom_svc_uart_tx_one_char(esp8266 *m);
void rom_svc_uart_rx_one_char_block(esp8266 *m);
void rom_svc_uart_rx_one_char(esp8266 *m);
void rom_svc_uart_putc(esp8266 *m);

/* ---- memory, strings, rand (rom_mem.c) ---------------------------------------------------- */

void rom_svc_srand(esp8266 *m);
void rom_svc_rand(esp8266 *m);
void rom_svc_memset(esp8266 *m);
void rom_svc_memcpy(esp8266 *m); /* also memmove, ets_memcpy, ets_memmove */
void rom_svc_memcmp(esp8266 *m);
void rom_svc_bzero(esp8266 *m);
void rom_svc_strcpy(esp8266 *m);
void rom_svc_strncpy(esp8266 *m);
void rom_svc_strcmp(esp8266 *m);
void rom_svc_strncmp(esp8266 *m);
void rom_svc_strlen(esp8266 *m);
void rom_svc_strstr(esp8266 *m);

/* ---- libgcc helpers (rom_libgcc.c) -------------------------------------------------------- */

void rom_svc_divsi3(esp8266 *m);
void rom_svc_udivsi3(esp8266 *m);
void rom_svc_umodsi3(esp8266 *m);
void rom_svc_divdi3(esp8266 *m);
void rom_svc_udivdi3(esp8266 *m);
void rom_svc_umoddi3(esp8266 *m);
void rom_svc_muldi3(esp8266 *m);
void rom_svc_umulsidi3(esp8266 *m);
void rom_svc_addsf3(esp8266 *m);
void rom_svc_subsf3(esp8266 *m);
void rom_svc_mulsf3(esp8266 *m);
void rom_svc_fixunssfsi(esp8266 *m);
void rom_svc_adddf3(esp8266 *m);
void rom_svc_subdf3(esp8266 *m);
void rom_svc_muldf3(esp8266 *m);
void rom_svc_divdf3(esp8266 *m);
void rom_svc_fixdfsi(esp8266 *m);
void rom_svc_fixunsdfsi(esp8266 *m);
void rom_svc_truncdfsf2(esp8266 *m);
void rom_svc_extendsfdf2(esp8266 *m);
void rom_svc_floatunsisf(esp8266 *m);
void rom_svc_floatsisf(esp8266 *m);
void rom_svc_floatunsidf(esp8266 *m);
void rom_svc_floatsidf(esp8266 *m);

/* ---- flash (rom_flash.c) ------------------------------------------------------------------ */

void rom_svc_wait_spi_idle(esp8266 *m);
void rom_svc_spi_flash_attach(esp8266 *m);
void rom_svc_cache_read_enable(esp8266 *m);
void rom_svc_cache_read_disable(esp8266 *m);
void rom_svc_spi_ok(esp8266 *m); /* SPIUnlock, SPILock, SPIReadModeCnfig */
void rom_svc_spi_erase_chip(esp8266 *m);
void rom_svc_spi_erase_block(esp8266 *m);
void rom_svc_spi_erase_sector(esp8266 *m);
void rom_svc_spi_write(esp8266 *m);
void rom_svc_spi_read(esp8266 *m);
void rom_svc_spi_erase_area(esp8266 *m);
void rom_svc_spi_param_cfg(esp8266 *m);

/* ---- for the closed SDK libraries (rom_sdk.c) --------------------------------------------- */

void rom_svc_spi_read_status(esp8266 *m);
void rom_svc_spi_write_status(esp8266 *m);
void rom_svc_spi_write_enable(esp8266 *m);
void rom_svc_enable_qmode(esp8266 *m);
void rom_svc_phy_get_romfuncs(esp8266 *m);
void rom_svc_phy_nop(esp8266 *m);
void rom_svc_i2c_read(esp8266 *m);
void rom_svc_i2c_read_mask(esp8266 *m);
void rom_svc_i2c_write(esp8266 *m);
void rom_svc_i2c_write_mask(esp8266 *m);
void rom_svc_lldesc_build_chain(esp8266 *m);
void rom_svc_roundup2(esp8266 *m);
void rom_svc_gpio_output_set(esp8266 *m);
void rom_svc_gpio_input_get(esp8266 *m); /* rom_chip_v5_disable_cca, rom_chip_v5_enable_cca */

/* ---- misc (rom_misc.c) -------------------------------------------------------------------- */

void rom_svc_wait_cont(esp8266 *m); /* ROM_DELAY_CONT, ROM_SPI_WAIT_CONT */
void rom_svc_ets_intr_lock(esp8266 *m);
void rom_svc_ets_intr_unlock(esp8266 *m);
void rom_svc_ets_set_user_start(esp8266 *m);
void rom_svc_rtc_get_reset_reason(esp8266 *m);
void rom_svc_software_reset(esp8266 *m);
void rom_svc_reset_spin(esp8266 *m);
void rom_svc_ets_delay_us(esp8266 *m);
void rom_svc_ets_update_cpu_frequency(esp8266 *m);
void rom_svc_ets_get_cpu_frequency(esp8266 *m);
void rom_svc_xthal_get_ccount(esp8266 *m);
void rom_svc_xthal_set_ccompare(esp8266 *m);
void rom_svc_xthal_get_ccompare(esp8266 *m);
void rom_svc_xthal_get_interrupt(esp8266 *m);
void rom_svc_xthal_set_intclear(esp8266 *m);

#endif
