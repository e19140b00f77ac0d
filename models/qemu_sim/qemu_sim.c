/* models/qemu_sim/qemu_sim.c — see qemu_sim.h. */
#include "qemu_sim.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xt_disasm.h"

static const struct {
    const char *name;
    uint32_t base, size;
} qsim_map[QSIM_NREGIONS] = {
    {"datarom0", 0x3FF40000u, 0x40000u},  {"dataram1", 0x3FF80000u, 0x40000u},
    {"dataram0", 0x3FFC0000u, 0x40000u},  {"instram0", 0x40000000u, 0x100000u},
    {"instram1", 0x40100000u, 0x100000u}, {"instrom0", 0x40200000u, 0x100000u},
    {"sysrom0", 0x50000000u, 0x4000000u}, {"sysram0", 0x60000000u, 0x8000000u},
};

#define QSIM_RESET_PC  0x50000000u
#define QSIM_ENOSYS    88u
#define QSIM_EINVAL    22u
#define QSIM_EBADF     9u
#define QSIM_SYS_EXIT  1u
#define QSIM_SYS_READ  3u
#define QSIM_SYS_WRITE 4u

/* Semihosting read/write: copies through host memory. A buffer outside RAM fails with
 * -1/EINVAL; QEMU 7.2 instead returns the length without writing anything (documented in
 * docs/cpu-differences.md; no test depends on it). */
static void qsim_rw(qsim *m, xt_cpu *c, bool is_write)
{
    uint32_t fd = c->a[3], addr = c->a[4], len = c->a[5];
    FILE *f = is_write ? (fd == 1 ? m->out : fd == 2 ? m->err : NULL) : (fd == 0 ? m->in : NULL);
    if (!f) {
        c->a[2] = (uint32_t)-1;
        c->a[3] = QSIM_EBADF;
        return;
    }
    uint32_t done = 0;
    uint8_t buf[4096];
    while (done < len) {
        uint32_t n = len - done > sizeof(buf) ? (uint32_t)sizeof(buf) : len - done;
        if (is_write) {
            if (!sim_bus_peek(&m->node.bus, addr + done, buf, n)) break;
            fwrite(buf, 1, n, f);
            done += n;
        } else {
            size_t got = fread(buf, 1, n, f);
            if (got && !sim_bus_poke(&m->node.bus, addr + done, buf, got)) break;
            done += (uint32_t)got;
            if (got < n) break;
        }
    }
    if (done < len && is_write) {
        c->a[2] = done ? done : (uint32_t)-1;
        c->a[3] = QSIM_EINVAL;
        return;
    }
    if (is_write) fflush(f);
    c->a[2] = done;
    c->a[3] = 0;
}

static void qsim_simcall(void *opaque, xt_cpu *c)
{
    qsim *m = opaque; /* the node, first member of qsim */
    switch (c->a[2]) {
    case QSIM_SYS_EXIT:
        m->exit_code = (int)(c->a[3] & 0xFFu);
        m->exited = true;
        xt_request_stop(c, XT_STOP_REQUEST);
        return;
    case QSIM_SYS_READ: qsim_rw(m, c, false); return;
    case QSIM_SYS_WRITE: qsim_rw(m, c, true); return;
    default:
        c->a[2] = (uint32_t)-1;
        c->a[3] = QSIM_ENOSYS;
        return;
    }
}

static void qsim_symbolize(const qsim *m, uint32_t addr, char *buf, size_t n)
{
    const sim_elf_symbol *s = m->elf ? sim_elf_symbol_at(m->elf, addr) : NULL;
    if (s)
        snprintf(buf, n, "0x%08x <%s+0x%x>", addr, s->name, addr - s->addr);
    else
        snprintf(buf, n, "0x%08x", addr);
}

static void qsim_describe(const qsim *m, const qsim_exc *e, char *buf, size_t n)
{
    char where[160];
    qsim_symbolize(m, e->pc, where, sizeof(where));
    if (e->cause & XT_EXC_DEBUG)
        snprintf(buf, n, "debug exception at %s", where);
    else if (e->cause & XT_EXC_NMI)
        snprintf(buf, n, "NMI at %s", where);
    else {
        unsigned cause = e->cause & 0xFFu;
        snprintf(buf, n, "%s (cause %u) at %s, excvaddr=0x%08x", xt_cause_name(cause), cause, where,
                 e->vaddr);
    }
}

/* Exceptions are normal guest business; only a handler that faults on its very first
 * instruction (the vector itself is the faulting pc) is an endless loop worth stopping. */
static bool qsim_on_exception(void *opaque, sim_node *n, unsigned cause, uint32_t pc,
                              uint32_t vaddr, uint32_t vector)
{
    qsim *m = opaque;
    const xt_cpu *c = &n->cpu;
    qsim_exc e = {cause, pc, vaddr, vector};
    bool nested = (c->sr[XT_SR_PS] & XT_PS_EXCM) != 0;
    if (pc == vector) {
        char a[300], b[300];
        m->last = e;
        qsim_describe(m, nested ? &m->first : &e, a, sizeof(a));
        qsim_describe(m, &e, b, sizeof(b));
        if (nested && m->first.vector != 0)
            snprintf(m->report, sizeof(m->report), "guest fault: %s; its handler faulted again: %s",
                     a, b);
        else
            snprintf(m->report, sizeof(m->report), "guest fault: %s; no handler at the vector", b);
        return false;
    }
    if (!nested) m->first = e;
    return true;
}

static void qsim_trace(void *opaque, xt_cpu *c, uint32_t pc, const xt_insn *insn)
{
    qsim *m = opaque; /* the node, first member of qsim */
    char text[96];
    xt_disasm(insn, pc, text, sizeof(text));
    fprintf(m->trace, "pc=%08x", pc);
    for (unsigned i = 0; i < 16; i++)
        fprintf(m->trace, " a%u=%08x", i, c->a[i]);
    fprintf(m->trace, " sar=%02x ps=%08x ; %s\n", c->sr[XT_SR_SAR], c->sr[XT_SR_PS], text);
}

bool qsim_init(qsim *m, FILE *out, FILE *err, FILE *in)
{
    memset(m, 0, sizeof(*m));
    m->out = out ? out : stdout;
    m->err = err ? err : stderr;
    m->in = in ? in : stdin;
    sim_node_init(&m->node, "qemu-sim", QSIM_RESET_PC, 80000000u, 0, 0);
    for (unsigned i = 0; i < QSIM_NREGIONS; i++) {
        /* Anonymous mappings: zero pages materialise only when touched, so 200 MB of guest
         * RAM costs what the program uses (and nothing for sanitizer shadow). */
        void *p = mmap(NULL, qsim_map[i].size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) return false;
        m->mem[i] = p;
        sim_bus_region r = {
            .name = qsim_map[i].name,
            .base = qsim_map[i].base,
            .size = qsim_map[i].size,
            .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_X,
            .host = m->mem[i],
        };
        if (!sim_bus_add(&m->node.bus, &r)) return false;
    }
    m->node.cpu.cb.simcall = qsim_simcall;
    m->node.on_exception = qsim_on_exception;
    m->node.on_exception_opaque = m;
    return true;
}

void qsim_free(qsim *m)
{
    sim_node_free(&m->node);
    for (unsigned i = 0; i < QSIM_NREGIONS; i++)
        if (m->mem[i]) munmap(m->mem[i], qsim_map[i].size);
    memset(m, 0, sizeof(*m));
}

bool qsim_load(qsim *m, const sim_elf *elf, char *errbuf, size_t errsize)
{
    m->elf = elf;
    if (!sim_elf_load(elf, &m->node.bus, errbuf, errsize)) return false;
    if (m->trace) m->node.cpu.cb.trace = qsim_trace;
    xt_reset(&m->node.cpu);
    return true;
}

/* True if some enabled interrupt could still end the current WAITI. */
static bool qsim_can_wake(const xt_cpu *c)
{
    return (c->sr[XT_SR_INTENABLE] & (1u << XT_INT_TIMER0)) && xt_cintlevel(c) < 1;
}

qsim_result qsim_run(qsim *m, uint64_t max_insns)
{
    xt_cpu *c = &m->node.cpu;
    for (;;) {
        uint64_t budget = 1ull << 24;
        if (max_insns) {
            if (c->insns >= max_insns) return QSIM_LIMIT;
            /* cycles >= instructions, so this never overshoots the instruction limit */
            if (max_insns - c->insns < budget) budget = max_insns - c->insns;
        }
        /* events (a profiler's samples) run at their times; the slice ends at the next one */
        sim_sched_run_until(&m->node.sched, sim_node_now(&m->node));
        uint64_t next = sim_sched_next(&m->node.sched);
        if (next != SIM_TIME_NEVER) {
            uint64_t at = sim_node_cycle_at_global(&m->node, next);
            uint64_t left = at > c->cycles ? at - c->cycles : 1;
            if (left < budget) budget = left;
        }
        m->node.in_run = true;
        xt_stop why = xt_run(c, budget);
        m->node.in_run = false;
        if (m->exited) return QSIM_EXITED;
        if (why == XT_STOP_FATAL) return QSIM_FAULT;
        if (why == XT_STOP_IDLE && !qsim_can_wake(c)) {
            char where[160];
            qsim_symbolize(m, c->pc, where, sizeof(where));
            snprintf(m->report, sizeof(m->report),
                     "guest deadlock: WAITI with no enabled interrupt that can wake it, at %s "
                     "(PS=0x%02x INTENABLE=0x%04x)",
                     where, c->sr[XT_SR_PS], c->sr[XT_SR_INTENABLE]);
            return QSIM_DEADLOCK;
        }
    }
}
