/* models/rom/rom_intr.c — the ROM's interrupt plumbing: the XTOS handler table and enable masks,
 * the level-1 interrupt dispatcher and the return from an exception frame (reference/lx106.md
 * §1.2, §1.8, §4.1, §4.4).
 *
 * Tables in ROM RAM: handler of interrupt n at 0x3FFFC278 - 8n, its argument at 0x3FFFC27C - 8n
 * (the unhandled stub 0x4000DC3C when none), software enable word0 at 0x3FFFC200 and the
 * virtual-priority word1 at 0x3FFFC204; INTENABLE is always written as word0 & word1.
 *
 * _xtos_l1int_handler (0x4000048C) is reached through the exception dispatch table (EXCCAUSE 4)
 * with a1 = the 256-byte exception frame and a2..a4 already saved there by whichever user
 * vector ran (the ROM's, modelled in rom_exc.c, or firmware's own at VECBASE 0x40100000, as in
 * the NONOS SDK). It saves the rest like the ROM's C wrapper (+0 EPC1, +4 PS, +8 SAR, +16 a0,
 * +20..+72 a2..a15, +76 cause), then, while INTERRUPT & INTENABLE has a level-1 bit, takes the
 * highest-numbered one, clears it with INTCLEAR semantics (edge and software bits; level bits
 * follow their device, a timer bit its CCOMPARE0), and calls handler(arg, frame) as a guest
 * call with PS = 0x21 (UM, INTLEVEL 1). When none is pending it restores every register from
 * the frame and returns from the exception (RFE: pc = EPC1 and PS from the frame, EXCM
 * cleared). Costs: L1INT_ENTRY_CYCLES at entry (table), L1INT_DISPATCH_CYCLES per handler,
 * FRAME_RETURN_CYCLES for the return.
 *
 * Deviation: the ROM narrows INTENABLE with the interrupt's virtual-priority mask and lowers
 * INTLEVEL to 0 around each handler, so higher virtual priorities can nest; here handlers run
 * at INTLEVEL 1 and do not nest: an interrupt raised during a handler is taken by the same
 * dispatch loop right after it. _xtos_syscall_handler, _xtos_alloca_handler and
 * _xtos_cause3_handler are not modelled (reaching them reports an unimplemented ROM function).
 */
#include "rom_runtime.h"

#define L1INT_DISPATCH_CYCLES 20u
#define FRAME_RETURN_CYCLES   30u
#define L1INT_HANDLER_PS      0x21u /* UM | INTLEVEL 1 */
#define ROM_INT_COUNT         15u   /* interrupts 0..14 have table slots */

static uint32_t int_handler_slot(uint32_t n)
{
    return ROM_RT_INT_TABLE - 8u * n;
}

bool rom_intr_attach(esp8266 *m, uint32_t n, uint32_t fn, uint32_t arg, uint32_t *prev)
{
    uint8_t level;
    *prev = 0;
    if (n >= ROM_INT_COUNT) return true;
    if (!rom_read(m, ROM_RT_INT_LEVELS + n, &level, 1)) return false;
    if (level >= 3) return true;
    uint32_t slot = int_handler_slot(n), old;
    if (!rom_read32(m, slot, &old)) return false;
    if (!rom_write32(m, slot, fn ? fn : ESP_ROM_UNHANDLED_INT) || !rom_write32(m, slot + 4, arg))
        return false;
    *prev = old == ESP_ROM_UNHANDLED_INT ? 0 : old;
    return true;
}

static bool intr_apply(esp8266 *m, uint32_t word0, uint32_t vpri)
{
    if (!rom_write32(m, ESP_ROM_INT_ENABLED, word0) || !rom_write32(m, ESP_ROM_INT_VPRI, vpri))
        return false;
    xt_write_sr(rom_cpu(m), XT_SR_INTENABLE, word0 & vpri);
    return true;
}

bool rom_intr_ints(esp8266 *m, uint32_t mask, bool on, uint32_t *old)
{
    uint32_t vpri;
    if (!rom_read32(m, ESP_ROM_INT_ENABLED, old) || !rom_read32(m, ESP_ROM_INT_VPRI, &vpri))
        return false;
    return intr_apply(m, on ? *old | mask : *old & ~mask, vpri);
}

/* ets_isr_attach(int n, fn(arg, frame), void *arg) = _xtos_set_interrupt_handler_arg: for
 * 0 <= n <= 14 whose level byte at 0x3FFFD650 + n is < 3, stores fn (NULL: the unhandled stub)
 * and arg. Returns the previous handler, 0 if it was the stub or n was refused. */
void rom_svc_ets_isr_attach(esp8266 *m)
{
    uint32_t prev;
    if (!rom_intr_attach(m, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2), &prev)) return;
    rom_return(m, prev);
}

/* _xtos_set_interrupt_handler(n, fn): the argument is n, as in XTOS. */
void rom_svc_set_interrupt_handler(esp8266 *m)
{
    uint32_t prev;
    if (!rom_intr_attach(m, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 0), &prev)) return;
    rom_return(m, prev);
}

/* ets_isr_mask(mask) = _xtos_ints_off: word0 &= ~mask; returns the old word0. */
void rom_svc_ets_isr_mask(esp8266 *m)
{
    uint32_t old;
    if (!rom_intr_ints(m, rom_arg(m, 0), false, &old)) return;
    rom_return(m, old);
}

/* ets_isr_unmask(mask) = _xtos_ints_on: word0 |= mask; returns the old word0. */
void rom_svc_ets_isr_unmask(esp8266 *m)
{
    uint32_t old;
    if (!rom_intr_ints(m, rom_arg(m, 0), true, &old)) return;
    rom_return(m, old);
}

/* unsigned _xtos_set_vpri(unsigned vpri): word1 = vpri; returns the old word1. */
void rom_svc_set_vpri(esp8266 *m)
{
    uint32_t word0, old;
    if (!rom_read32(m, ESP_ROM_INT_ENABLED, &word0) || !rom_read32(m, ESP_ROM_INT_VPRI, &old) ||
        !intr_apply(m, word0, rom_arg(m, 0)))
        return;
    rom_return(m, old);
}

/* unsigned _xtos_set_intlevel(int level): PS.INTLEVEL = level; returns the old PS. */
void rom_svc_set_intlevel(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    uint32_t ps = c->sr[XT_SR_PS];
    xt_write_sr(c, XT_SR_PS, (ps & ~XT_PS_INTLEVEL) | (rom_arg(m, 0) & XT_PS_INTLEVEL));
    rom_return(m, ps);
}

/* unsigned _xtos_set_min_intlevel(int level): raises PS.INTLEVEL to at least level; returns the
 * old PS. */
void rom_svc_set_min_intlevel(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    uint32_t ps = c->sr[XT_SR_PS], lvl = rom_arg(m, 0) & XT_PS_INTLEVEL;
    if ((ps & XT_PS_INTLEVEL) < lvl) xt_write_sr(c, XT_SR_PS, (ps & ~XT_PS_INTLEVEL) | lvl);
    rom_return(m, ps);
}

/* void _xtos_restore_intlevel(unsigned ps): WSR.PS (the value a set_*intlevel returned). */
void rom_svc_restore_intlevel(esp8266 *m)
{
    xt_write_sr(rom_cpu(m), XT_SR_PS, rom_arg(m, 0));
    rom_return_void(m);
}

/* ---- exception frames ------------------------------------------------------------------------ */

/* _xtos_return_from_exc: a1 = the frame. */
void rom_svc_return_from_exc(esp8266 *m)
{
    rom_frame_return(m, FRAME_RETURN_CYCLES);
}

static void l1int_next(esp8266 *m);

static void l1int_handler_done(void *opaque, sim_node *n, uint32_t ret)
{
    (void)n;
    (void)ret;
    l1int_next(opaque);
}

/* One turn of the dispatch loop: the next pending interrupt's handler, or the return. */
static void l1int_next(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    uint32_t pending = xt_read_sr(c, XT_SR_INTERRUPT) & c->sr[XT_SR_INTENABLE] & XT_INT_LEVEL1_MASK;
    if (!pending) {
        rom_frame_return(m, FRAME_RETURN_CYCLES);
        return;
    }
    uint32_t n = 31u - (uint32_t)__builtin_clz(pending), h[2];
    xt_write_sr(c, XT_SR_INTCLEAR, 1u << n);
    if (!rom_read(m, int_handler_slot(n), h, 8)) return;
    c->sr[XT_SR_PS] = L1INT_HANDLER_PS;
    c->check_irq = true;
    xt_charge(c, L1INT_DISPATCH_CYCLES);
    const uint32_t args[2] = {h[1], c->a[1]};
    if (!sim_node_call_as(&m->node, SIM_CTX_HANDLER, n, h[0], args, 2, l1int_handler_done, m))
        sim_node_fault(&m->node, "level-1 interrupt %u has a NULL handler at 0x%08x", n,
                       int_handler_slot(n));
}

/* _xtos_l1int_handler: a1 = frame, a2..a4 saved by the vector. */
void rom_svc_l1int_handler(esp8266 *m)
{
    if (!rom_frame_save(m)) {
        sim_node_fault(&m->node, "level-1 interrupt: exception frame at 0x%08x is not in RAM",
                       rom_cpu(m)->a[1]);
        return;
    }
    l1int_next(m);
}
