/* models/rom/rom_exc.c — the ROM's exception vectors and the fatal-exception report
 * (reference/lx106.md §1.8, §4.4).
 *
 * User vector (VECBASE 0x40000000 + 0x50): like the ROM (and the NONOS SDK vector) it opens a
 * 256-byte exception frame (a1 -= 256), saves a2..a4 at +20/+24/+28 and jumps through the
 * dispatch table at 0x3FFFC000 indexed by EXCCAUSE. Firmware-installed handlers therefore run as
 * on the chip; causes nobody handles reach _xtos_unhandled_exception, where espsim stops the
 * node with the report the chip's SDK would print, symbolized:
 *   Exception (28): LoadProhibited
 *   epc1=0x40100348 epc2=0x00000000 epc3=0x00000000 excvaddr=0x00000000 depc=0x00000000
 *   pc 0x40100348 <fault_here+0x8> (main.c:12)
 *   a0 0x40100360 <user_init+0x10> (main.c:20)
 *   >>>stack>>> ... <<<stack<<<
 * The kernel, double-exception, debug and NMI vectors of the ROM have no useful handler on the
 * chip: reaching them stops the node with the same report.
 *
 * C handlers (§4.4): _xtos_set_exception_handler(cause, fn) stores fn in the C table at
 * 0x3FFFC100 and points the dispatch entry at _xtos_c_wrapper_handler, which saves the rest of
 * the frame (+0 EPC1, +4 PS, +8 SAR, +16 a0, +20..+72 a2..a15, +76 cause), opens interrupts
 * (PS.EXCM = 0, INTLEVEL 0), calls fn(frame, cause) as a guest call and then returns from the
 * exception with every register, EPC1 and PS taken back from the frame (the handler may edit
 * them, e.g. to emulate the faulting load and step over it), like _xtos_return_from_exc + RFE.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "rom_internal.h"

#define ROM_VEC_DEBUG  0x40000010u
#define ROM_VEC_NMI    0x40000020u
#define ROM_VEC_KERNEL 0x40000030u
#define ROM_VEC_USER   0x40000050u
#define ROM_VEC_DOUBLE 0x40000070u

/* Writes the report and stops the node. sp is the stack pointer of the interrupted code. */
static void rom_fatal(esp8266 *m, const char *what, uint32_t sp, uint32_t a0)
{
    xt_cpu *c = &m->node.cpu;
    sim_text r = {.len = 0};
    unsigned cause = c->sr[XT_SR_EXCCAUSE];
    if (what)
        sim_text_add(&r, "%s\n", what);
    else
        sim_text_add(&r, "Exception (%u): %s\n", cause, xt_cause_name(cause));
    sim_text_add(&r, "epc1=0x%08x epc2=0x%08x epc3=0x%08x excvaddr=0x%08x depc=0x%08x\n",
                 c->sr[XT_SR_EPC1], c->sr[XT_SR_EPC1 + 1], c->sr[XT_SR_EPC1 + 2],
                 c->sr[XT_SR_EXCVADDR], c->sr[XT_SR_DEPC]);
    char sym[512];
    esp8266_symbolize(m, c->sr[XT_SR_EPC1], sym, sizeof(sym));
    sim_text_add(&r, "pc %s\n", sym);
    esp8266_symbolize(m, a0, sym, sizeof(sym));
    sim_text_add(&r, "a0 %s\n", sym);
    sim_text_add(&r, ">>>stack>>>\nsp: %08x\n", sp);
    uint32_t end = sp + 256u;
    if (end > 0x40000000u || end < sp) end = 0x40000000u;
    for (uint32_t a = sp & ~15u; a < end; a += 16) {
        uint32_t w[4] = {0, 0, 0, 0};
        bool any = false;
        for (unsigned i = 0; i < 4; i++)
            any |= sim_bus_peek(&m->node.bus, a + 4 * i, &w[i], 4);
        if (!any) break;
        sim_text_add(&r, "%08x:  %08x %08x %08x %08x\n", a, w[0], w[1], w[2], w[3]);
    }
    sim_text_add(&r, "<<<stack<<<");
    sim_node_fault(&m->node, "%s", r.buf);
}

/* VECBASE + 0x50 with the ROM's VECBASE: open the frame and dispatch through the table. */
static void rom_user_vector(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    xt_cpu *c = &n->cpu;
    (void)pc;
    uint32_t frame = c->a[1] - 256u;
    uint32_t handler = 0;
    bool ok = sim_bus_write(&n->bus, frame + 20, 4, c->a[2]) == SIM_BUS_OK &&
              sim_bus_write(&n->bus, frame + 24, 4, c->a[3]) == SIM_BUS_OK &&
              sim_bus_write(&n->bus, frame + 28, 4, c->a[4]) == SIM_BUS_OK &&
              sim_bus_read(&n->bus, ESP_ROM_EXC_TABLE + 4u * (c->sr[XT_SR_EXCCAUSE] & 63u), 4,
                           &handler) == SIM_BUS_OK;
    if (!ok) {
        rom_fatal(m, "Exception with a stack pointer outside RAM (the frame cannot be saved)",
                  c->a[1], c->a[0]);
        return;
    }
    c->a[1] = frame;
    c->pc = handler;
    xt_charge(c, 8);
}

/* _xtos_unhandled_exception: a1 is the exception frame opened by the vector. */
static void rom_unhandled_exception(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    (void)pc;
    rom_fatal(m, NULL, n->cpu.a[1] + 256u, n->cpu.a[0]);
}

/* _xtos_unhandled_interrupt: the default handler of every interrupt slot; returns. */
static void rom_unhandled_interrupt(void *opaque, sim_node *n, uint32_t pc)
{
    (void)opaque;
    (void)pc;
    n->cpu.pc = n->cpu.a[0];
}

static void rom_dead_vector(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    const char *what = pc == ROM_VEC_DOUBLE ? "Double exception (no handler in the ROM)"
                       : pc == ROM_VEC_KERNEL
                           ? "Kernel exception (PS.UM = 0; no handler in the ROM)"
                       : pc == ROM_VEC_NMI ? "NMI (no handler installed at the ROM's VECBASE)"
                                           : "Debug exception (BREAK; no debugger attached)";
    sim_text r = {.len = 0};
    unsigned cause = n->cpu.sr[XT_SR_EXCCAUSE];
    sim_text_add(&r, "%s, last EXCCAUSE %u (%s)", what, cause, xt_cause_name(cause));
    rom_fatal(m, r.buf, n->cpu.a[1], n->cpu.a[0]);
}

#define ROM_XTOS_SET_EXC_HANDLER 0x40000454u
#define ROM_XTOS_C_WRAPPER       0x40000598u
#define ROM_XTOS_P_NONE          0x4000DBF8u

/* _xtos_set_exception_handler(cause, fn) -> previous fn (0 if none) */
static void rom_set_exception_handler(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    (void)pc;
    uint32_t cause = rom_arg(m, 0), fn = rom_arg(m, 1), prev = 0;
    if (cause < 64) {
        uint32_t ct = ESP_ROM_EXC_CTABLE + 4 * cause;
        if (!rom_read32(m, ct, &prev)) return;
        if (prev == ROM_XTOS_P_NONE) prev = 0;
        if (!rom_write32(m, ct, fn ? fn : ROM_XTOS_P_NONE) ||
            !rom_write32(m, ESP_ROM_EXC_TABLE + 4 * cause,
                         fn ? ROM_XTOS_C_WRAPPER : ESP_ROM_UNHANDLED_EXC))
            return;
    }
    rom_return(m, prev);
    xt_charge(&n->cpu, 20);
}

bool rom_frame_save(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    uint32_t frame = c->a[1], w[20];
    if (!sim_bus_peek(&m->node.bus, frame, w, sizeof(w))) return false;
    w[0] = c->sr[XT_SR_EPC1];
    w[1] = c->sr[XT_SR_PS];
    w[2] = c->sr[XT_SR_SAR];
    w[4] = c->a[0];
    for (unsigned i = 5; i < 16; i++)
        w[5 + (i - 2)] = c->a[i];
    w[19] = c->sr[XT_SR_EXCCAUSE];
    sim_bus_poke(&m->node.bus, frame, w, sizeof(w));
    return true;
}

void rom_frame_return(esp8266 *m, uint32_t cycles)
{
    xt_cpu *c = rom_cpu(m);
    uint32_t frame = c->a[1], w[19];
    if (!sim_bus_peek(&m->node.bus, frame, w, sizeof(w))) {
        sim_node_fault(&m->node, "exception frame at 0x%08x is not in RAM", frame);
        return;
    }
    c->a[0] = w[4];
    for (unsigned i = 2; i < 16; i++)
        c->a[i] = w[5 + (i - 2)];
    c->a[1] = frame + 256u;
    c->sr[XT_SR_SAR] = w[2] & 63u;
    c->sr[XT_SR_EPC1] = w[0];
    c->sr[XT_SR_PS] = w[1] & c->ps_wmask & ~XT_PS_EXCM; /* RFE clears EXCM */
    c->pc = w[0];
    c->check_irq = true;
    xt_charge(c, cycles);
    sim_node_note_rfe(&m->node);
}

/* After the C handler: restore everything from the frame and return from the exception. */
static void rom_c_wrapper_done(void *opaque, sim_node *n, uint32_t ret)
{
    (void)n;
    (void)ret;
    rom_frame_return(opaque, 40);
}

/* _xtos_c_wrapper_handler: entered from the vector with a1 = frame, a2..a4 saved. */
static void rom_c_wrapper(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    xt_cpu *c = &n->cpu;
    (void)pc;
    uint32_t frame = c->a[1], cause = c->sr[XT_SR_EXCCAUSE] & 63u, fn = 0;
    if (!rom_frame_save(m)) {
        rom_fatal(m, "Exception with a stack pointer outside RAM (the frame cannot be saved)",
                  frame + 256u, c->a[0]);
        return;
    }
    if (!rom_read32(m, ESP_ROM_EXC_CTABLE + 4 * cause, &fn)) return;
    if (fn == ROM_XTOS_P_NONE || fn == 0) {
        rom_fatal(m, NULL, frame + 256u, c->a[0]);
        return;
    }
    c->sr[XT_SR_PS] = (c->sr[XT_SR_PS] & ~(XT_PS_EXCM | XT_PS_INTLEVEL)) | XT_PS_UM;
    c->check_irq = true;
    const uint32_t args[2] = {frame, cause};
    xt_charge(c, 40);
    sim_node_call(n, fn, args, 2, rom_c_wrapper_done, m);
}

bool esp_rom_exc_init(esp_rom *r)
{
    esp8266 *m = r->chip;
    sim_node *n = &m->node;
    return sim_node_hook(n, ROM_VEC_DEBUG, ROM_VEC_DEBUG, rom_dead_vector, m,
                         "_DebugExceptionVector") &&
           sim_node_hook(n, ROM_VEC_NMI, ROM_VEC_NMI, rom_dead_vector, m, "_NMIExceptionVector") &&
           sim_node_hook(n, ROM_VEC_KERNEL, ROM_VEC_KERNEL, rom_dead_vector, m,
                         "_KernelExceptionVector") &&
           sim_node_hook(n, ROM_VEC_USER, ROM_VEC_USER, rom_user_vector, m,
                         "_UserExceptionVector") &&
           sim_node_hook(n, ROM_VEC_DOUBLE, ROM_VEC_DOUBLE, rom_dead_vector, m,
                         "_DoubleExceptionVector") &&
           sim_node_hook(n, ESP_ROM_UNHANDLED_EXC, ESP_ROM_UNHANDLED_EXC, rom_unhandled_exception,
                         m, "_xtos_unhandled_exception") &&
           sim_node_hook(n, ESP_ROM_UNHANDLED_INT, ESP_ROM_UNHANDLED_INT, rom_unhandled_interrupt,
                         m, "_xtos_unhandled_interrupt") &&
           sim_node_hook(n, ROM_XTOS_SET_EXC_HANDLER, ROM_XTOS_SET_EXC_HANDLER,
                         rom_set_exception_handler, m, "_xtos_set_exception_handler") &&
           sim_node_hook(n, ROM_XTOS_C_WRAPPER, ROM_XTOS_C_WRAPPER, rom_c_wrapper, m,
                         "_xtos_c_wrapper_handler");
}
