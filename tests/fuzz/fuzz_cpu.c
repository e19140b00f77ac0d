/* fuzz_cpu: arbitrary bytes as code, exception vectors and data, on either machine.
 *
 * Input: byte 0 selects, the rest (the body) is placed at the selected region, where pc starts.
 *   bit 7     machine: 0 qemu-sim (models/qemu_sim), 1 esp8266 (models/esp8266)
 *   bits 2:0  region (fc_qsim[] / fc_esp[] below): every RAM, ROM and flash region of the
 *             machine's map, mapped or not, executable or not; on the esp8266 the flash window
 *             maps the body from the flash chip, and "rom" starts pc at one of the ROM models
 *             (hook addresses, chosen by the body's first bytes) with the body as data only
 *   bits 4:3  start state: 0 PS 0x20 (UM: the user vector), 1 PS 0 (the kernel vector), 2 PS
 *             0x1F (the reset state: EXCM set, every exception is a double one), 3 PS 0x20
 *             with INTENABLE 0x7FFF and CCOMPARE0 = 200 (interrupts on)
 *   bit 5     VECBASE = the region's base, so the body's bytes 0x10..0x7F are the vectors;
 *             otherwise the reset value 0x40000000 (qemu-sim: instram0, which also gets the
 *             body's first 256 bytes; esp8266: the ROM's vectors, C models)
 *   bit 6     the second run single-steps (a trace callback turns decoded blocks off)
 * The body also goes to a data area (qemu-sim dataram0, esp8266 DRAM; a2 points at it, a3 at
 * the code, a4..a15 are the body's first words). Every 3-byte word is decoded and disassembled.
 *
 * Invariants besides no crash, leak or UB: the run stops within its cycle bound; a second run
 * of the same input ends in exactly the same state (pc, cycles, instructions, a0-a15, every SR,
 * node state and fault message, console bytes); the cycle counter never goes backwards (checked
 * after every slice, and before every instruction of a stepped run). FUZZ_CPU_VERBOSE=1 in the
 * environment prints what each input ended in. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp8266/esp8266.h"
#include "fuzz.h"
#include "qemu_sim/qemu_sim.h"
#include "xt_disasm.h"

#define FC_SLICES        8u
#define FC_QSIM_INSNS    20000u       /* per run */
#define FC_ESP_PS        250000000ull /* 250 us of virtual time per run (20,000 cycles) */
#define FC_STACK         0x3FFFFF00u  /* a1: RAM on both machines */
#define FC_CCOMPARE_SOON 200u

typedef struct fc_region {
    uint32_t base, size;
} fc_region;

/* qemu-sim: its eight RAM regions (qemu_sim.h), instram1 first as before. */
static const fc_region fc_qsim[8] = {
    {0x40100000u, 0x100000u},  {0x40000000u, 0x100000u},  {0x40200000u, 0x100000u},
    {0x3FFC0000u, 0x40000u},   {0x3FF80000u, 0x40000u},   {0x3FF40000u, 0x40000u},
    {0x50000000u, 0x4000000u}, {0x60000000u, 0x8000000u},
};

/* esp8266 (esp8266.h): IRAM, its cache-bank half, the flash window at its start and 64 KB
 * before its end, DRAM, the ROM-owned system RAM (exception and interrupt tables), RTC memory
 * (not executable: fetches fault) and the ROM (size 0: pc at a ROM model). */
enum { FC_ESP_FLASH0 = 2, FC_ESP_FLASH_END = 3, FC_ESP_ROM = 7 };
static const fc_region fc_esp[8] = {
    {ESP_IRAM_BASE, ESP_IRAM_SIZE},
    {ESP_IRAM_BASE + 0x8000u, 0x8000u},
    {ESP_FLASH_WIN_BASE, ESP_FLASH_WINDOW},
    {ESP_FLASH_WIN_BASE + ESP_FLASH_WINDOW - 0x10000u, 0x10000u},
    {ESP_DRAM_BASE, ESP_DRAM_SIZE},
    {ESP_SYSRAM_BASE, 0x4000u},
    {ESP_RTCMEM_BASE, ESP_RTCMEM_SIZE},
    {ESP_ROM_BASE, 0},
};

/* What a run ends in; two runs of one input must give the same. */
typedef struct fc_result {
    uint32_t pc;
    uint64_t cycles, insns;
    uint32_t a[16];
    uint32_t sr[256];
    int state;
    char fault[2200]; /* fault message (qemu-sim: with its report and exit code) */
    uint64_t console; /* FNV-1a of every console byte (the UARTs' output goes nowhere else) */
    unsigned nconsole;
} fc_result;

typedef struct fc_run {
    const uint8_t *body;
    size_t size;
    uint8_t sel;
    bool step;            /* trace callback: no blocks */
    uint64_t last_cycles; /* per-instruction monotonicity in stepped runs */
    fc_result res;
} fc_run;

static void fc_check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_cpu: invariant broken: %s\n", what);
        abort();
    }
}

static uint32_t fc_word(const uint8_t *p, size_t size, size_t i)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < 4; k++)
        if (i + k < size) v |= (uint32_t)p[i + k] << (8 * k);
    return v;
}

/* The machine with the run it belongs to. The node comes first in both machines and the CPU's
 * callbacks get the node, so the trace callback finds the run from its opaque pointer. */
typedef struct fc_box {
    union {
        qsim q;
        esp8266 e;
    } m;
    fc_run *r;
} fc_box;

/* Stepped runs: called before every instruction; the cycle counter only moves forward. */
static void fc_trace(void *opaque, xt_cpu *c, uint32_t pc, const xt_insn *insn)
{
    fc_run *r = ((fc_box *)opaque)->r;
    (void)pc;
    (void)insn;
    fc_check(c->cycles >= r->last_cycles, "the cycle counter went backwards (stepped run)");
    r->last_cycles = c->cycles;
}

static void fc_console(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps)
{
    fc_run *r = opaque;
    (void)t_ps;
    r->res.console = (r->res.console ^ (uint64_t)(byte | uart << 8)) * 0x100000001B3ull;
    r->res.nconsole++;
}

static void fc_save(fc_run *r, const sim_node *n)
{
    const xt_cpu *c = &n->cpu;
    r->res.pc = c->pc;
    r->res.cycles = c->cycles;
    r->res.insns = c->insns;
    memcpy(r->res.a, c->a, sizeof(r->res.a));
    memcpy(r->res.sr, c->sr, sizeof(r->res.sr));
    r->res.state = (int)n->state;
    snprintf(r->res.fault, sizeof(r->res.fault), "%s", n->fault_msg);
}

/* Registers and start state common to both machines. */
static void fc_setup_cpu(fc_run *r, xt_cpu *c, uint32_t code, uint32_t data, uint32_t vecbase)
{
    for (unsigned i = 4; i < 16; i++)
        c->a[i] = fc_word(r->body, r->size, 4 * (i - 4));
    c->a[0] = code;
    c->a[1] = FC_STACK;
    c->a[2] = data;
    c->a[3] = code;
    c->pc = code;
    unsigned mode = (r->sel >> 3) & 3u;
    c->sr[XT_SR_PS] = mode == 1 ? 0x00u : mode == 2 ? 0x1Fu : 0x20u;
    if (mode == 3) {
        xt_write_sr(c, XT_SR_INTENABLE, 0x7FFFu);
        xt_write_sr(c, XT_SR_CCOMPARE0, FC_CCOMPARE_SOON);
    }
    if (r->sel & 0x20u) c->sr[XT_SR_VECBASE] = vecbase;
    if (r->step) c->cb.trace = fc_trace;
}

static void fc_run_qsim(fc_run *r)
{
    const fc_region *g = &fc_qsim[r->sel & 7u];
    FILE *null = fopen("/dev/null", "r+");
    fc_box *box = calloc(1, sizeof(*box));
    qsim *m = box ? &box->m.q : NULL;
    if (box) box->r = r;
    if (null && m && qsim_init(m, null, null, null)) {
        sim_bus *bus = &m->node.bus;
        size_t n = r->size < g->size ? r->size : g->size;
        sim_bus_poke(bus, g->base, r->body, n);
        if (g->base != 0x3FFC0000u)
            sim_bus_poke(bus, 0x3FFC0000u, r->body, r->size < 0x40000u ? r->size : 0x40000u);
        /* the reset VECBASE's vectors: the same bytes, so handlers are random too */
        if (g->base != 0x40000000u) sim_bus_poke(bus, 0x40000000u, r->body, n < 0x100 ? n : 0x100);
        xt_cpu *c = &m->node.cpu;
        fc_setup_cpu(r, c, g->base, 0x3FFC0000u, g->base);
        uint64_t last = c->cycles;
        for (unsigned k = 1; k <= FC_SLICES; k++) {
            qsim_result q = qsim_run(m, (uint64_t)FC_QSIM_INSNS * k / FC_SLICES);
            fc_check(c->cycles >= last, "qemu-sim: the cycle counter went backwards");
            last = c->cycles;
            if (q != QSIM_LIMIT) break;
        }
        fc_save(r, &m->node);
        snprintf(r->res.fault, sizeof(r->res.fault), "%s|%s|%d", m->node.fault_msg, m->report,
                 m->exited ? m->exit_code : -1);
    }
    if (m) qsim_free(m);
    free(box);
    if (null) fclose(null);
}

static void fc_run_esp(fc_run *r)
{
    const fc_region *g = &fc_esp[r->sel & 7u];
    char err[256];
    esp_config cfg = {.name = "fuzz", .cpu_mhz = 80, .seed = 1};
    fc_box *box = calloc(1, sizeof(*box));
    esp8266 *m = box ? &box->m.e : NULL;
    if (box) box->r = r;
    if (m && esp8266_init(m, &cfg, err, sizeof(err))) {
        m->console = fc_console;
        m->console_opaque = r;
        sim_bus *bus = &m->node.bus;
        unsigned idx = r->sel & 7u;
        uint32_t code = g->base;
        if (idx == FC_ESP_FLASH0 || idx == FC_ESP_FLASH_END) {
            /* flash-resident code: the window maps flash MB 0 */
            uint32_t off = g->base - ESP_FLASH_WIN_BASE;
            size_t n = r->size < g->size ? r->size : g->size;
            memcpy(m->flash.data + off, r->body, n);
            esp_flash_set_window(&m->flash, true, 0);
        } else if (idx == FC_ESP_ROM) {
            size_t nh = m->node.nhooks;
            code = nh ? m->node.hooks[fc_word(r->body, r->size, 0) % nh].begin : ESP_ROM_BASE;
        } else {
            size_t n = r->size < g->size ? r->size : g->size;
            sim_bus_poke(bus, g->base, r->body, n);
        }
        if (g->base != ESP_DRAM_BASE)
            sim_bus_poke(bus, ESP_DRAM_BASE, r->body, r->size < 0x10000u ? r->size : 0x10000u);
        xt_cpu *c = &m->node.cpu;
        fc_setup_cpu(r, c, code, ESP_DRAM_BASE, g->base);
        uint64_t last = c->cycles;
        uint64_t t0 = sim_node_global_now(&m->node);
        for (unsigned k = 1; k <= FC_SLICES; k++) {
            sim_node_state st = sim_node_run_until(&m->node, t0 + FC_ESP_PS * k / FC_SLICES);
            fc_check(c->cycles >= last, "esp8266: the cycle counter went backwards");
            last = c->cycles;
            if (st != SIM_NODE_RUNNING) break;
        }
        esp8266_drain_uarts(m);
        fc_save(r, &m->node);
    }
    if (m) esp8266_free(m);
    free(box);
}

static void fc_run_once(fc_run *r)
{
    memset(&r->res, 0, sizeof(r->res));
    r->last_cycles = 0;
    if (r->sel & 0x80u)
        fc_run_esp(r);
    else
        fc_run_qsim(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536 || size == 0) return 0;
    char text[128];
    for (size_t i = 0; i + 3 <= size; i += 3) {
        xt_insn d;
        xt_decode((uint32_t)data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16, &d);
        xt_disasm(&d, 0x40100000u + (uint32_t)i, text, sizeof(text));
    }
    fc_run runs[2];
    fc_run *a = &runs[0], *b = &runs[1];
    a->body = b->body = data + 1;
    a->size = b->size = size - 1;
    a->sel = b->sel = data[0];
    a->step = false;
    b->step = (data[0] & 0x40u) != 0;
    fc_run_once(a);
    fc_run_once(b);
    fc_check(a->res.pc == b->res.pc, "determinism: final pc");
    fc_check(a->res.cycles == b->res.cycles, "determinism: cycles");
    fc_check(a->res.insns == b->res.insns, "determinism: instructions");
    fc_check(!memcmp(a->res.a, b->res.a, sizeof(a->res.a)), "determinism: a0-a15");
    fc_check(!memcmp(a->res.sr, b->res.sr, sizeof(a->res.sr)), "determinism: special registers");
    fc_check(a->res.state == b->res.state, "determinism: node state");
    fc_check(!strcmp(a->res.fault, b->res.fault), "determinism: fault message");
    fc_check(a->res.console == b->res.console && a->res.nconsole == b->res.nconsole,
             "determinism: console output");
    if (getenv("FUZZ_CPU_VERBOSE")) /* corpus work: what each input ended in */
        fprintf(stderr,
                "fuzz_cpu: sel 0x%02x: pc 0x%08x, %llu cycles, %llu insns, state %d: %.200s\n",
                data[0], a->res.pc, (unsigned long long)a->res.cycles,
                (unsigned long long)a->res.insns, a->res.state, a->res.fault);
    return 0;
}
