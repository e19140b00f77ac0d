/* models/rom/rom_misc.c — the ROM's small system routines (reference/lx106.md §4.4, §4.7, §3.8,
 * §7) and the timed-wait machinery the waiting services share (rom_services.h). */
#include <stdint.h>

#include "rom_services.h"

#define ROM_RAM_INTR_PS    0x3FFFDCC0u /* PS saved by ets_intr_lock (§4.1) */
#define ROM_RAM_USER_START 0x3FFFDCD0u /* ets_set_user_start (§4.1) */
#define ROM_RTC_CTRL0      0x60000700u /* bit 31 = software reset (§3.8) */
#define ROM_PS_PER_US      1000000ull

/* ---- waiting ------------------------------------------------------------------------------- */

bool rom_wait_until(esp8266 *m, uint64_t t_ps)
{
    sim_node *n = &m->node;
    xt_cpu *c = &n->cpu;
    if (t_ps != SIM_TIME_NEVER && sim_node_now(n) >= t_ps) return true;
    uint64_t limit = c->budget_end;
    if (c->ccompare_at > c->cycles && c->ccompare_at < limit) limit = c->ccompare_at;
    if (t_ps != SIM_TIME_NEVER) {
        uint64_t target = sim_node_cycle_at(n, t_ps);
        if (target < limit) limit = target;
    }
    xt_charge(c, limit > c->cycles ? limit - c->cycles : 1u);
    return false;
}

void rom_wait_then_return(esp8266 *m, uint32_t cont, uint64_t t_ps, uint32_t ret)
{
    xt_cpu *c = rom_cpu(m);
    if (sim_node_now(&m->node) >= t_ps) {
        rom_return(m, ret);
        return;
    }
    c->a[2] = (uint32_t)t_ps;
    c->a[3] = (uint32_t)(t_ps >> 32);
    c->a[4] = ret;
    c->pc = cont;
}

/* ROM_DELAY_CONT / ROM_SPI_WAIT_CONT: a2:a3 = deadline (ps), a4 = return value. */
void rom_svc_wait_cont(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    uint64_t t = (uint64_t)c->a[3] << 32 | c->a[2];
    if (rom_wait_until(m, t)) rom_return(m, c->a[4]);
}

/* ---- interrupts (§4.4) --------------------------------------------------------------------- */

/* void ets_intr_lock(void): RSIL 3, old PS saved at 0x3FFFDCC0. */
void rom_svc_ets_intr_lock(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    uint32_t ps = c->sr[XT_SR_PS];
    c->sr[XT_SR_PS] = (ps & ~XT_PS_INTLEVEL) | 3u;
    c->check_irq = true;
    if (!rom_write32(m, ROM_RAM_INTR_PS, ps)) return;
    rom_return_void(m);
}

/* void ets_intr_unlock(void): RSIL 0 (the saved PS is not restored). A pending interrupt is
 * taken at the return address. */
void rom_svc_ets_intr_unlock(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    c->sr[XT_SR_PS] &= ~XT_PS_INTLEVEL;
    c->check_irq = true;
    rom_return_void(m);
}

/* void ets_set_user_start(void (*fn)(void)) */
void rom_svc_ets_set_user_start(esp8266 *m)
{
    if (!rom_write32(m, ROM_RAM_USER_START, rom_arg(m, 0))) return;
    rom_return_void(m);
}

/* ---- reset --------------------------------------------------------------------------------- */

/* uint32 rtc_get_reset_reason(void) (§3.8; the soc computes it and clears bit 21 of 0x708). */
void rom_svc_rtc_get_reset_reason(esp8266 *m)
{
    rom_return(m, esp_rtc_reset_reason(&m->soc));
}

/* void software_reset(void): RTC CTRL0 |= 1 << 31 through the bus, so the machine's reset path
 * runs (it resets the chip at the next event boundary); the routine never returns. */
void rom_svc_software_reset(esp8266 *m)
{
    uint32_t v;
    if (!rom_read32(m, ROM_RTC_CTRL0, &v)) return;
    if (!rom_write32(m, ROM_RTC_CTRL0, v | 0x80000000u)) return;
    xt_cpu *c = rom_cpu(m);
    if (c->pc == ROM_software_reset) c->pc = ROM_RESET_SPIN; /* unless the reset already ran */
}

/* ROM_RESET_SPIN: wait for the reset. */
void rom_svc_reset_spin(esp8266 *m)
{
    rom_wait_until(m, SIM_TIME_NEVER);
}

/* ---- time and clock (§4.7, §7) ------------------------------------------------------------- */

/* void ets_delay_us(uint32 us): returns at the first cycle at or after entry + us microseconds
 * of virtual time (see docs/rom.md: the ROM itself counts us x [0x3FFFC704] CCOUNT ticks). */
void rom_svc_ets_delay_us(esp8266 *m)
{
    uint64_t t = sim_node_now(&m->node) + (uint64_t)rom_arg(m, 0) * ROM_PS_PER_US;
    rom_wait_then_return(m, ROM_DELAY_CONT, t, 0);
}

/* void ets_update_cpu_frequency(uint32 mhz): only the MHz word changes, as in the ROM. */
void rom_svc_ets_update_cpu_frequency(esp8266 *m)
{
    if (!rom_write32(m, ESP_ROM_CPU_MHZ, rom_arg(m, 0))) return;
    rom_return_void(m);
}

/* uint32 ets_get_cpu_frequency(void) */
void rom_svc_ets_get_cpu_frequency(esp8266 *m)
{
    uint32_t v;
    if (!rom_read32(m, ESP_ROM_CPU_MHZ, &v)) return;
    rom_return(m, v);
}

/* ---- HAL (§4.4): one instruction each in the ROM --------------------------------------- */

/* uint32 xthal_get_ccount(void): CCOUNT at entry. */
void rom_svc_xthal_get_ccount(esp8266 *m)
{
    rom_return(m, xt_get_ccount(rom_cpu(m)));
}

/* void xthal_set_ccompare(int n, unsigned value): the LX106 has CCOMPARE0 only; other n are
 * ignored. */
void rom_svc_xthal_set_ccompare(esp8266 *m)
{
    if (rom_arg(m, 0) == 0) xt_write_sr(rom_cpu(m), XT_SR_CCOMPARE0, rom_arg(m, 1));
    rom_return_void(m);
}

/* unsigned xthal_get_ccompare(int n): 0 for n != 0. */
void rom_svc_xthal_get_ccompare(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    rom_return(m, rom_arg(m, 0) == 0 ? c->sr[XT_SR_CCOMPARE0] : 0u);
}

/* unsigned xthal_get_interrupt(void) = xthal_get_intread: RSR.INTERRUPT. */
void rom_svc_xthal_get_interrupt(esp8266 *m)
{
    rom_return(m, xt_read_sr(rom_cpu(m), XT_SR_INTERRUPT));
}

/* void xthal_set_intclear(unsigned mask): WSR.INTCLEAR clears software and edge bits only. */
void rom_svc_xthal_set_intclear(esp8266 *m)
{
    xt_write_sr(rom_cpu(m), XT_SR_INTCLEAR, rom_arg(m, 0));
    rom_return_void(m);
}
