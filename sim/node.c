/* sim/node.c — see node.h. */
#include "node.h"

#include "prof.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PS_PER_S 1000000000000ull
#define PPM_ONE  1000000ull

static void node_hook_dispatch(void *opaque, xt_cpu *cpu, uint32_t pc);
static bool node_breakpoint(void *opaque, xt_cpu *cpu, uint32_t pc);

/* Counts vector entries that make no progress (node.h, SIM_NODE_LOCKUP_ENTRIES); true once the
 * node has been stopped as locked up. cpu->insns does not yet count the faulting instruction:
 * between two entries it moves by at most one (the instruction that raised the first) when
 * nothing completed. */
static bool node_lockup(sim_node *n, unsigned cause, uint32_t pc, uint32_t vaddr, uint32_t vector)
{
    bool again = pc == vector && vector == n->lock_vector && n->cpu.insns - n->lock_insns <= 1u;
    n->lock_entries = again ? n->lock_entries + 1u : 1u;
    n->lock_vector = vector;
    n->lock_insns = n->cpu.insns;
    if (n->lock_entries < SIM_NODE_LOCKUP_ENTRIES) return false;
    const char *kind = (cause & XT_EXC_NMI)     ? "NMI"
                       : (cause & XT_EXC_DEBUG) ? "debug exception"
                                                : xt_cause_name(cause & 0xFFu);
    sim_node_fault(n,
                   "CPU lockup: the exception vector at 0x%08x faults on its own first instruction "
                   "(%s, cause %u, excvaddr=0x%08x), entered %u times in a row without an "
                   "instruction completing",
                   vector, kind, cause & 0xFFu, vaddr, n->lock_entries);
    return true;
}

static bool node_on_exception(void *opaque, xt_cpu *cpu, unsigned cause, uint32_t pc,
                              uint32_t vaddr, uint32_t vector)
{
    sim_node *n = opaque;
    (void)cpu;
    if (n->on_exception && !n->on_exception(n->on_exception_opaque, n, cause, pc, vaddr, vector))
        return false;
    if (node_lockup(n, cause, pc, vaddr, vector)) return false;
    if (n->prof) sim_prof_exception(n->prof, cause, pc, vaddr, vector);
    return true;
}

static void node_on_flow(void *opaque, xt_cpu *cpu, unsigned flow, uint32_t arg)
{
    sim_node *n = opaque;
    sim_prof *p = n->prof;
    if (!p) return;
    switch (flow) {
    case XT_FLOW_CALL: sim_prof_call(p, arg); break;
    case XT_FLOW_RET: sim_prof_ret(p, arg); break;
    case XT_FLOW_RFE:
    case XT_FLOW_RFI: sim_prof_return(p, arg); break;
    case XT_FLOW_SLEEP: sim_prof_sleep(p, true); break;
    case XT_FLOW_WAKE: sim_prof_sleep(p, false); break;
    case XT_FLOW_CACHED_EXEC: sim_prof_flash(p, arg, arg, true, false); break;
    case XT_FLOW_CACHED_READ: sim_prof_flash(p, cpu->pc, arg, false, false); break;
    default: break;
    }
}

void sim_node_attach_prof(sim_node *n, sim_prof *p)
{
    n->prof = p;
    n->cpu.cb.on_flow = p ? node_on_flow : NULL;
    if (!p) n->cpu.cache_watch = false;
}

void sim_node_note_rfe(sim_node *n)
{
    if (n->prof) sim_prof_return(n->prof, 1);
}

/* An event was scheduled before the current head: cut the running CPU budget so the event is
 * handled at its time, not at the end of the slice. */
static void node_on_earlier(void *opaque, uint64_t when)
{
    sim_node *n = opaque;
    if (!n->in_run) return;
    uint64_t c = sim_node_cycle_at(n, when);
    if (c < n->cpu.budget_end) {
        n->cpu.budget_end = c > n->cpu.cycles ? c : n->cpu.cycles;
        n->cpu.check_irq = true; /* leave the inner loop; xt_run re-reads budget_end */
    }
}

void sim_node_init(sim_node *n, const char *name, uint32_t reset_pc, uint32_t cpu_hz, int32_t ppm,
                   uint64_t boot_ps)
{
    memset(n, 0, sizeof(*n));
    n->name = name;
    n->cpu_hz = cpu_hz;
    n->ppm = ppm;
    n->base_ps = boot_ps;
    sim_bus_init(&n->bus);
    sim_sched_init(&n->sched);
    n->sched.on_earlier = node_on_earlier;
    n->sched.on_earlier_opaque = n;
    xt_callbacks cb = {
        .opaque = n,
        .hook = node_hook_dispatch,
        .breakpoint = node_breakpoint,
        .on_exception = node_on_exception,
    };
    xt_init(&n->cpu, &n->bus, &cb, reset_pc);
}

void sim_node_free(sim_node *n)
{
    xt_free(&n->cpu);
    sim_sched_free(&n->sched);
    sim_bus_free(&n->bus);
    free(n->hooks);
    free(n->gcalls);
    memset(n, 0, sizeof(*n));
}

/* ---- clock ---------------------------------------------------------------------------------- */

uint64_t sim_node_time_at(const sim_node *n, uint64_t cycles)
{
    unsigned __int128 d = cycles >= n->base_cycles ? cycles - n->base_cycles : 0;
    return n->local_base + (uint64_t)(d * PS_PER_S / n->cpu_hz);
}

uint64_t sim_node_cycle_at(const sim_node *n, uint64_t local_ps)
{
    if (local_ps == SIM_TIME_NEVER) return UINT64_MAX;
    if (local_ps <= n->local_base) return n->base_cycles;
    unsigned __int128 d = local_ps - n->local_base;
    unsigned __int128 c = (d * n->cpu_hz + PS_PER_S - 1) / PS_PER_S;
    if (c > UINT64_MAX - n->base_cycles) return UINT64_MAX;
    return n->base_cycles + (uint64_t)c;
}

/* Global time at a cycle, before truncation to 64 bits. */
static unsigned __int128 node_global_at_wide(const sim_node *n, uint64_t cycles)
{
    unsigned __int128 d = cycles >= n->base_cycles ? cycles - n->base_cycles : 0;
    unsigned __int128 num = d * PS_PER_S * PPM_ONE;
    unsigned __int128 den = (unsigned __int128)n->cpu_hz * (PPM_ONE + (int64_t)n->ppm);
    return num / den;
}

uint64_t sim_node_global_at(const sim_node *n, uint64_t cycles)
{
    return n->base_ps + (uint64_t)node_global_at_wide(n, cycles);
}

uint64_t sim_node_cycle_at_global(const sim_node *n, uint64_t global_ps)
{
    if (global_ps == SIM_TIME_NEVER) return UINT64_MAX;
    if (global_ps <= n->base_ps) return n->base_cycles;
    unsigned __int128 d = global_ps - n->base_ps;
    unsigned __int128 num = d * n->cpu_hz * (PPM_ONE + (int64_t)n->ppm);
    unsigned __int128 den = (unsigned __int128)PS_PER_S * PPM_ONE;
    unsigned __int128 c = (num + den - 1) / den;
    if (c > UINT64_MAX - n->base_cycles) return UINT64_MAX;
    return n->base_cycles + (uint64_t)c;
}

uint64_t sim_node_global_from_local(const sim_node *n, uint64_t local_ps)
{
    unsigned __int128 d = local_ps >= n->local_base ? local_ps - n->local_base : 0;
    return n->base_ps + (uint64_t)(d * PPM_ONE / (PPM_ONE + (int64_t)n->ppm));
}

void sim_node_set_cpu_hz(sim_node *n, uint32_t hz)
{
    if (hz == n->cpu_hz || hz == 0) return;
    n->base_ps = sim_node_global_now(n);
    n->local_base = sim_node_now(n);
    n->base_cycles = n->cpu.cycles;
    n->cpu_hz = hz;
}

/* ---- hooks ---------------------------------------------------------------------------------- */

bool sim_node_hook(sim_node *n, uint32_t begin, uint32_t end, sim_hook_fn fn, void *opaque,
                   const char *name)
{
    if (end < begin) return false;
    size_t i = 0;
    while (i < n->nhooks && n->hooks[i].end < begin)
        i++;
    if (i < n->nhooks && n->hooks[i].begin <= end) return false; /* overlap */
    if (n->nhooks == n->hooks_cap) {
        size_t cap = n->hooks_cap ? n->hooks_cap * 2 : 64;
        sim_hook *h = realloc(n->hooks, cap * sizeof(*h));
        if (!h) return false;
        n->hooks = h;
        n->hooks_cap = cap;
    }
    memmove(&n->hooks[i + 1], &n->hooks[i], (n->nhooks - i) * sizeof(*n->hooks));
    n->hooks[i] = (sim_hook){begin, end, fn, opaque, name};
    n->nhooks++;
    /* Outside hook regions (firmware code hooked by symbol) the CPU checks a breakpoint filter
     * before each instruction; only single addresses are supported there. */
    const sim_bus_region *r = sim_bus_find(&n->bus, begin);
    if (!r || !(r->flags & SIM_BUS_HOOK)) xt_bp_add(&n->cpu, begin);
    return true;
}

bool sim_node_unhook(sim_node *n, uint32_t addr)
{
    for (size_t i = 0; i < n->nhooks; i++)
        if (n->hooks[i].begin == addr) {
            memmove(&n->hooks[i], &n->hooks[i + 1], (n->nhooks - i - 1) * sizeof(*n->hooks));
            n->nhooks--;
            return true; /* the CPU's breakpoint filter may keep the bit: false positives are
                            allowed there */
        }
    return false;
}

const sim_hook *sim_node_find_hook(const sim_node *n, uint32_t addr)
{
    size_t lo = 0, hi = n->nhooks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (n->hooks[mid].end < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n->nhooks && n->hooks[lo].begin <= addr) return &n->hooks[lo];
    return NULL;
}

/* ---- guest calls ---------------------------------------------------------------------------- */

bool sim_node_call(sim_node *n, uint32_t fn, const uint32_t *args, unsigned nargs,
                   sim_gcall_fn cont, void *opaque)
{
    return sim_node_call_as(n, SIM_CTX_CALLBACK, 0, fn, args, nargs, cont, opaque);
}

bool sim_node_call_as(sim_node *n, unsigned kind, uint32_t detail, uint32_t fn,
                      const uint32_t *args, unsigned nargs, sim_gcall_fn cont, void *opaque)
{
    if (fn == 0) return false;
    if (n->ngcalls == n->gcalls_cap) {
        size_t cap = n->gcalls_cap ? n->gcalls_cap * 2 : 8;
        sim_gcall_frame *f = realloc(n->gcalls, cap * sizeof(*f));
        if (!f) {
            sim_node_fault(n, "out of memory for a guest call");
            return false;
        }
        n->gcalls = f;
        n->gcalls_cap = cap;
    }
    sim_gcall_frame *f = &n->gcalls[n->ngcalls++];
    memcpy(f->a, n->cpu.a, sizeof(f->a));
    f->pc = n->cpu.pc;
    f->sar = n->cpu.sr[XT_SR_SAR];
    f->fn = fn;
    f->cont = cont;
    f->opaque = opaque;
    for (unsigned i = 0; i < nargs && i < 6; i++)
        n->cpu.a[2 + i] = args[i];
    n->cpu.a[0] = n->trampoline;
    n->cpu.pc = fn;
    if (n->prof) sim_prof_enter(n->prof, (sim_ctx)kind, fn, detail);
    return true;
}

void sim_node_drop_calls(sim_node *n)
{
    n->ngcalls = 0;
    if (n->prof) sim_prof_reset(n->prof);
}

static void node_call_return(sim_node *n)
{
    if (n->ngcalls == 0) {
        sim_node_fault(n, "return to the guest-call trampoline 0x%08x with no call pending",
                       n->trampoline);
        return;
    }
    sim_gcall_frame f = n->gcalls[--n->ngcalls];
    uint32_t ret = n->cpu.a[2];
    if (n->cpu.a[1] != f.a[1]) {
        sim_node_fault(n,
                       "guest function 0x%08x returned with a1=0x%08x, expected 0x%08x "
                       "(stack not balanced)",
                       f.fn, n->cpu.a[1], f.a[1]);
        return;
    }
    memcpy(n->cpu.a, f.a, sizeof(f.a));
    n->cpu.sr[XT_SR_SAR] = f.sar;
    n->cpu.pc = f.pc;
    if (n->prof) sim_prof_leave(n->prof);
    if (f.cont) f.cont(f.opaque, n, ret);
}

static void node_hook_dispatch(void *opaque, xt_cpu *cpu, uint32_t pc)
{
    sim_node *n = opaque;
    (void)cpu;
    if (pc == n->trampoline && n->trampoline) {
        node_call_return(n);
        return;
    }
    const sim_hook *h = sim_node_find_hook(n, pc);
    if (n->prof) sim_prof_hook(n->prof, pc);
    uint64_t cycles = n->cpu.cycles;
    size_t ngcalls = n->ngcalls;
    if (h)
        h->fn(h->opaque, n, pc);
    else if (n->unhooked)
        n->unhooked(n->unhooked_opaque, n, pc);
    else
        sim_node_fault(n, "execution reached 0x%08x, where no code or model exists", pc);
    /* SIM_NODE_SPIN_DISPATCHES: nothing changed, so the next dispatch would do the same */
    bool same = n->cpu.pc == pc && n->cpu.cycles == cycles && n->ngcalls == ngcalls &&
                !n->cpu.waiting && !n->cpu.stop && n->state == SIM_NODE_RUNNING;
    if (!same) {
        n->spin_count = 0;
        return;
    }
    n->spin_count = n->spin_pc == pc ? n->spin_count + 1u : 1u;
    n->spin_pc = pc;
    if (n->spin_count >= SIM_NODE_SPIN_DISPATCHES) xt_charge(&n->cpu, 1);
}

static bool node_breakpoint(void *opaque, xt_cpu *cpu, uint32_t pc)
{
    sim_node *n = opaque;
    (void)cpu;
    const sim_hook *h = sim_node_find_hook(n, pc);
    if (!h || h->begin != pc) return false;
    h->fn(h->opaque, n, pc);
    return true;
}

uint64_t sim_node_next_activity(const sim_node *n)
{
    /* awake, or asleep with an interrupt already pending (a world event raised it): now */
    if (!n->cpu.waiting || xt_irq_pending(&n->cpu)) return sim_node_global_now(n);
    uint64_t t = SIM_TIME_NEVER;
    uint64_t ev = sim_sched_next(&n->sched);
    if (ev != SIM_TIME_NEVER) t = sim_node_global_from_local(n, ev);
    uint64_t cc = sim_node_global_at(n, n->cpu.ccompare_at);
    return cc < t ? cc : t;
}

uint64_t sim_node_due(const sim_node *n)
{
    if (n->state != SIM_NODE_RUNNING) return SIM_TIME_NEVER;
    if (!n->cpu.waiting || xt_irq_pending(&n->cpu)) return 0;
    /* the first cycle at which something happens: an event is run once the clock reaches it */
    uint64_t wake = n->cpu.ccompare_at;
    uint64_t ev = sim_sched_next(&n->sched);
    if (ev != SIM_TIME_NEVER) {
        uint64_t c = sim_node_cycle_at(n, ev);
        if (c < wake) wake = c;
    }
    if (wake <= n->cpu.cycles) return 0;
    if (wake == UINT64_MAX) return SIM_TIME_NEVER;
    /* run_until(h) reaches cycle C = min{c : global_at(c) >= h}; C >= wake iff
     * global_at(wake - 1) < h (global_at is monotonic); saturated, not truncated */
    unsigned __int128 g = n->base_ps + node_global_at_wide(n, wake - 1) + 1;
    return g >= SIM_TIME_NEVER ? SIM_TIME_NEVER : (uint64_t)g;
}

/* ---- run ------------------------------------------------------------------------------------ */

void sim_node_fault(sim_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->fault_msg, sizeof(n->fault_msg), fmt, ap);
    va_end(ap);
    n->state = SIM_NODE_FAULTED;
    xt_request_stop(&n->cpu, XT_STOP_REQUEST);
    if (n->on_stop) n->on_stop(n->on_stop_opaque, n);
}

void sim_node_halt(sim_node *n)
{
    if (n->state == SIM_NODE_RUNNING) n->state = SIM_NODE_HALTED;
    xt_request_stop(&n->cpu, XT_STOP_REQUEST);
    if (n->on_stop) n->on_stop(n->on_stop_opaque, n);
}

sim_node_state sim_node_run_until(sim_node *n, uint64_t t_end)
{
    while (n->state == SIM_NODE_RUNNING) {
        sim_sched_run_until(&n->sched, sim_node_now(n));
        if (n->state != SIM_NODE_RUNNING) break;
        uint64_t end = sim_node_cycle_at_global(n, t_end);
        if (n->cpu.cycles >= end) break;
        uint64_t target = sim_node_cycle_at(n, sim_sched_next(&n->sched));
        if (target > end) target = end;
        uint64_t budget = target > n->cpu.cycles ? target - n->cpu.cycles : 1;
        n->in_run = true;
        xt_stop why = xt_run(&n->cpu, budget);
        n->in_run = false;
        if (why == XT_STOP_FATAL && n->state == SIM_NODE_RUNNING) {
            /* on_exception vetoed the exception without a message */
            sim_node_fault(n, "fatal exception at 0x%08x", n->cpu.pc);
        }
    }
    return n->state;
}
