/* sim/prof.c — contexts, budgets, IRAM risks, samples and traces; see prof.h. */
#include "prof.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "xt.h"

#define PS_PER_US UINT64_C(1000000)

const char *sim_ctx_name(sim_ctx kind)
{
    static const char *const names[SIM_CTX_COUNT] = {
        [SIM_CTX_MAIN] = "main",     [SIM_CTX_ISR] = "interrupt",     [SIM_CTX_NMI] = "nmi",
        [SIM_CTX_EXC] = "exception", [SIM_CTX_HANDLER] = "isr",       [SIM_CTX_TASK] = "task",
        [SIM_CTX_TIMER] = "timer",   [SIM_CTX_CALLBACK] = "callback", [SIM_CTX_IDLE_CB] = "idle-cb",
        [SIM_CTX_IDLE] = "idle",
    };
    return (unsigned)kind < SIM_CTX_COUNT ? names[kind] : "?";
}

static bool ctx_is_irq(sim_ctx k)
{
    return k == SIM_CTX_ISR || k == SIM_CTX_NMI || k == SIM_CTX_HANDLER;
}

/* ---- clock ----------------------------------------------------------------------------------- */

static uint64_t prof_now(const sim_prof *p)
{
    return sim_node_now(p->node);
}

static uint64_t prof_local_at(const sim_prof *p, uint64_t cycles)
{
    return sim_node_time_at(p->node, cycles);
}

/* ---- growable arrays ------------------------------------------------------------------------ */

static bool grow(sim_prof *p, void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) return true;
    size_t c = *cap ? *cap * 2 : 16;
    void *a = realloc(*arr, c * elem);
    if (!a) {
        p->oom = true;
        return false;
    }
    *arr = a;
    *cap = c;
    return true;
}

/* ---- stacks ---------------------------------------------------------------------------------- */

static void prof_snapshot(const sim_prof *p, sim_prof_stack *s)
{
    uint32_t n = p->ncalls < SIM_PROF_CALLS ? p->ncalls : SIM_PROF_CALLS;
    uint32_t keep = n < SIM_PROF_SNAP - 1 ? n : SIM_PROF_SNAP - 1;
    memcpy(s->a, p->calls + (n - keep), keep * sizeof(uint32_t));
    s->a[keep] = p->node->cpu.pc;
    s->n = keep + 1;
}

static void push_call(sim_prof *p, uint32_t v)
{
    if (p->ncalls < SIM_PROF_CALLS) p->calls[p->ncalls] = v;
    p->ncalls++;
}

/* ---- statistics ------------------------------------------------------------------------------ */

static unsigned hist_index(uint64_t ps)
{
    uint64_t ns = ps / 1000u;
    if (ns < 32) return (unsigned)ns;
    unsigned msb = 63u - (unsigned)__builtin_clzll(ns);
    if (msb > 35) return SIM_PROF_HIST - 1;
    return (msb - 4u) * 32u + (unsigned)((ns >> (msb - 5u)) & 31u);
}

static uint64_t hist_upper_ps(unsigned idx)
{
    if (idx < 32) return (uint64_t)(idx + 1) * 1000u;
    unsigned o = idx / 32u + 4u, sub = idx % 32u;
    uint64_t lower = (uint64_t)(32u + sub) << (o - 5u);
    return (lower + (1ull << (o - 5u))) * 1000u;
}

uint64_t sim_prof_percentile(const sim_prof_stat *s, unsigned pct)
{
    if (!s->count) return 0;
    uint64_t want = (s->count * pct + 99u) / 100u, seen = 0;
    if (want == 0) want = 1;
    for (unsigned i = 0; i < SIM_PROF_HIST; i++) {
        seen += s->hist[i];
        if (seen >= want) {
            uint64_t u = hist_upper_ps(i);
            return u < s->max_ps ? u : s->max_ps;
        }
    }
    return s->max_ps;
}

static sim_prof_stat *stat_find(sim_prof *p, sim_ctx kind, uint32_t fn)
{
    if (p->nstats * 2 >= p->stats_cap) {
        size_t cap = p->stats_cap ? p->stats_cap * 2 : 32;
        sim_prof_stat *t = calloc(cap, sizeof(*t));
        if (!t) {
            p->oom = true;
            return NULL;
        }
        for (size_t i = 0; i < p->stats_cap; i++) {
            if (!p->stats[i].used) continue;
            size_t h = (p->stats[i].fn * 2654435761u + p->stats[i].kind) & (cap - 1);
            while (t[h].used)
                h = (h + 1) & (cap - 1);
            t[h] = p->stats[i];
        }
        free(p->stats);
        p->stats = t;
        p->stats_cap = cap;
    }
    size_t h = (fn * 2654435761u + kind) & (p->stats_cap - 1);
    while (p->stats[h].used) {
        if (p->stats[h].fn == fn && p->stats[h].kind == kind) return &p->stats[h];
        h = (h + 1) & (p->stats_cap - 1);
    }
    sim_prof_stat *s = &p->stats[h];
    s->used = true;
    s->kind = kind;
    s->fn = fn;
    p->nstats++;
    return s;
}

static void stat_add(sim_prof *p, sim_ctx kind, uint32_t fn, uint64_t dur, bool violated)
{
    sim_prof_stat *s = stat_find(p, kind, fn);
    if (!s) return;
    s->count++;
    s->total_ps += dur;
    if (dur > s->max_ps) s->max_ps = dur;
    s->hist[hist_index(dur)]++;
    if (violated) s->violations++;
}

static void add_violation(sim_prof *p, sim_ctx kind, uint32_t fn, uint32_t detail, uint64_t start,
                          uint64_t dur, uint64_t budget, bool unfinished, const sim_prof_stack *st)
{
    p->viol_total++;
    if (p->nviol >= 1000) return;
    if (!grow(p, (void **)&p->viol, &p->viol_cap, p->nviol, sizeof(*p->viol))) return;
    sim_prof_violation *v = &p->viol[p->nviol++];
    *v = (sim_prof_violation){.kind = kind,
                              .fn = fn,
                              .detail = detail,
                              .start_ps = start,
                              .dur_ps = dur,
                              .budget_ps = budget,
                              .unfinished = unfinished,
                              .stack = *st};
}

/* ---- budgets --------------------------------------------------------------------------------- */

static uint64_t budget_for(const sim_prof *p, sim_ctx kind, uint32_t fn)
{
    for (size_t i = 0; i < p->cfg.noverrides; i++)
        if (p->cfg.overrides[i].fn == fn) return p->cfg.overrides[i].ps;
    switch (kind) {
    case SIM_CTX_ISR:
    case SIM_CTX_NMI:
    case SIM_CTX_HANDLER: return p->cfg.isr_ps;
    case SIM_CTX_TASK:
    case SIM_CTX_TIMER:
    case SIM_CTX_CALLBACK: return p->cfg.task_ps;
    default: return 0;
    }
}

/* A context that ran budgeted contexts of its own class (an interrupt entry that dispatched to
 * handlers, the ROM's timer task that called timer callbacks) is judged through them. */
static bool frame_budgeted(const sim_prof_frame *f)
{
    return f->budget_ps && !f->handlers;
}

static bool same_class(sim_ctx outer, sim_ctx inner)
{
    if (ctx_is_irq(outer)) return ctx_is_irq(inner);
    return (outer == SIM_CTX_TASK || outer == SIM_CTX_TIMER || outer == SIM_CTX_CALLBACK) &&
           (inner == SIM_CTX_TASK || inner == SIM_CTX_TIMER || inner == SIM_CTX_CALLBACK);
}

static void frame_deadline(void *opaque, sim_event *ev, uint64_t now)
{
    sim_prof_frame *f = opaque;
    (void)ev;
    (void)now;
    if (!frame_budgeted(f)) return;
    f->over = true;
    prof_snapshot(f->owner, &f->snap);
}

static void busy_deadline(void *opaque, sim_event *ev, uint64_t now)
{
    sim_prof *p = opaque;
    (void)ev;
    (void)now;
    prof_snapshot(p, &p->busy_snap);
}

static void schedule_local(sim_prof *p, sim_event *ev, uint64_t local_ps)
{
    sim_sched_reschedule(&p->node->sched, ev, sim_node_global_from_local(p->node, local_ps));
}

static void cancel(sim_prof *p, sim_event *ev)
{
    if (sim_event_pending(ev)) sim_sched_cancel(&p->node->sched, ev);
}

/* ---- the IRAM watch -------------------------------------------------------------------------- */

static void update_watch(sim_prof *p)
{
    bool irq = false;
    for (unsigned i = 0; i < p->depth && !irq; i++)
        irq = ctx_is_irq(p->frames[i].kind);
    xt_cpu *c = &p->node->cpu;
    if (irq && !c->cache_watch) c->cache.last = 0; /* every line is checked while watched */
    c->cache_watch = irq;
}

void sim_prof_flash(sim_prof *p, uint32_t pc, uint32_t addr, bool fetch, bool window_off)
{
    uint32_t handler = 0;
    for (unsigned i = p->depth; i-- > 0;)
        if (ctx_is_irq(p->frames[i].kind)) {
            handler = p->frames[i].fn;
            break;
        }
    for (size_t i = 0; i < p->nrisks; i++) {
        sim_prof_risk *r = &p->risks[i];
        if (r->handler == handler && r->fetch == fetch) {
            r->count++;
            r->window_off |= window_off;
            return;
        }
    }
    if (p->nrisks >= 256) return;
    if (!grow(p, (void **)&p->risks, &p->risks_cap, p->nrisks, sizeof(*p->risks))) return;
    p->risks[p->nrisks++] = (sim_prof_risk){.handler = handler,
                                            .pc = pc,
                                            .addr = addr,
                                            .fetch = fetch,
                                            .window_off = window_off,
                                            .t_ps = prof_now(p),
                                            .count = 1};
}

/* ---- trace ------------------------------------------------------------------------------------
 */

static unsigned trace_tid(sim_ctx k)
{
    switch (k) {
    case SIM_CTX_ISR:
    case SIM_CTX_NMI:
    case SIM_CTX_HANDLER: return SIM_TRACE_TID_IRQ;
    case SIM_CTX_TASK: return SIM_TRACE_TID_TASK;
    case SIM_CTX_TIMER: return SIM_TRACE_TID_TIMER;
    case SIM_CTX_EXC: return SIM_TRACE_TID_EXC;
    default: return SIM_TRACE_TID_CALLBACK;
    }
}

static void trace_frame(sim_prof *p, const sim_prof_frame *f, uint64_t end_cycles)
{
    if (!p->cfg.trace) return;
    char name[96], args[64];
    sim_prof_name(p, f->fn, name, sizeof(name));
    args[0] = 0;
    if (f->kind == SIM_CTX_TASK) snprintf(args, sizeof(args), "\"prio\":%u", f->detail);
    if (f->kind == SIM_CTX_HANDLER) snprintf(args, sizeof(args), "\"irq\":%u", f->detail);
    if (f->kind == SIM_CTX_ISR || f->kind == SIM_CTX_NMI || f->kind == SIM_CTX_EXC)
        snprintf(args, sizeof(args), "\"cause\":%u", f->detail);
    sim_trace_span(p->cfg.trace, p->cfg.trace_pid, trace_tid(f->kind), name, sim_ctx_name(f->kind),
                   sim_node_global_at(p->node, f->start_cycles),
                   sim_node_global_at(p->node, end_cycles), args[0] ? args : NULL);
}

/* ---- contexts -------------------------------------------------------------------------------- */

static sim_prof_frame *push_frame(sim_prof *p, sim_ctx kind, uint32_t fn, uint32_t detail,
                                  unsigned level)
{
    if (p->depth == SIM_PROF_DEPTH) {
        p->lost_depth++;
        return NULL;
    }
    if (p->depth && same_class(p->frames[p->depth - 1].kind, kind) && budget_for(p, kind, fn))
        p->frames[p->depth - 1].handlers++;
    sim_prof_frame *f = &p->frames[p->depth++];
    f->kind = kind;
    f->level = level;
    f->fn = fn;
    f->detail = detail;
    f->start_cycles = p->node->cpu.cycles;
    f->call_base = p->ncalls;
    f->handlers = 0;
    f->over = false;
    f->budget_ps = budget_for(p, kind, fn);
    push_call(p, SIM_PROF_MARK | (uint32_t)kind);
    push_call(p, fn);
    if (f->budget_ps)
        schedule_local(p, &f->deadline, prof_local_at(p, f->start_cycles) + f->budget_ps);
    update_watch(p);
    return f;
}

static void pop_frame(sim_prof *p, bool unfinished)
{
    if (p->lost_depth) {
        p->lost_depth--;
        return;
    }
    if (!p->depth) return;
    sim_prof_frame *f = &p->frames[p->depth - 1];
    uint64_t end = p->node->cpu.cycles;
    uint64_t start_ps = prof_local_at(p, f->start_cycles), dur = prof_local_at(p, end) - start_ps;
    cancel(p, &f->deadline);
    bool violated = frame_budgeted(f) && dur > f->budget_ps;
    if (violated) {
        sim_prof_stack now;
        if (!f->over) prof_snapshot(p, &now);
        add_violation(p, f->kind, f->fn, f->detail, start_ps, dur, f->budget_ps, unfinished,
                      f->over ? &f->snap : &now);
    }
    if (f->kind != SIM_CTX_MAIN && f->kind != SIM_CTX_IDLE)
        stat_add(p, f->kind, f->fn, dur, violated);
    trace_frame(p, f, end);
    p->ncalls = f->call_base;
    p->depth--;
    update_watch(p);
}

void sim_prof_enter(sim_prof *p, sim_ctx kind, uint32_t fn, uint32_t detail)
{
    push_frame(p, kind, fn, detail, 0);
}

void sim_prof_leave(sim_prof *p)
{
    /* Guest calls return in order; exception frames above one are closed with it. */
    while (!p->lost_depth && p->depth && p->frames[p->depth - 1].level != 0)
        pop_frame(p, false);
    pop_frame(p, false);
}

void sim_prof_exception(sim_prof *p, unsigned cause, uint32_t pc, uint32_t vaddr, uint32_t vector)
{
    unsigned c = cause & 0xFFu;
    bool bus_error =
        !(cause & (XT_EXC_NMI | XT_EXC_DEBUG)) &&
        (c == XT_CAUSE_INSTR_FETCH_ERROR || c == XT_CAUSE_LOAD_STORE_ERROR || (c >= 12 && c <= 15));
    if (bus_error && p->node->cpu.cache_watch)
        sim_prof_flash(p, pc, vaddr, c == XT_CAUSE_INSTR_FETCH_ERROR || c == 12 || c == 14, true);
    sim_ctx kind = SIM_CTX_EXC;
    unsigned level = 1;
    if (cause & XT_EXC_NMI) {
        kind = SIM_CTX_NMI;
        level = 3;
    } else if (cause & XT_EXC_DEBUG) {
        level = XT_DEBUG_LEVEL;
    } else if (cause == XT_CAUSE_LEVEL1_INTERRUPT) {
        kind = SIM_CTX_ISR;
    }
    push_frame(p, kind, vector, cause & 0xFFu, level);
}

void sim_prof_return(sim_prof *p, unsigned level)
{
    if (p->lost_depth) {
        p->lost_depth--;
        return;
    }
    for (unsigned i = p->depth; i-- > 0;) {
        if (p->frames[i].level == level) {
            while (p->depth > i)
                pop_frame(p, false);
            return;
        }
        if (p->frames[i].level == 0) return; /* a guest call is still open: not ours */
    }
}

void sim_prof_call(sim_prof *p, uint32_t target)
{
    push_call(p, target);
}

void sim_prof_hook(sim_prof *p, uint32_t pc)
{
    uint32_t floor = p->depth ? p->frames[p->depth - 1].call_base + 2u : 0u;
    if (p->ncalls > floor && p->ncalls <= SIM_PROF_CALLS && p->calls[p->ncalls - 1] == pc)
        p->ncalls--;
}

void sim_prof_ret(sim_prof *p, uint32_t to)
{
    (void)to;
    uint32_t floor = p->depth ? p->frames[p->depth - 1].call_base + 2u : 0u;
    if (p->ncalls > floor) p->ncalls--;
}

/* ---- busy time and sampling -------------------------------------------------------------------
 */

static void sample_event(void *opaque, sim_event *ev, uint64_t now)
{
    sim_prof *p = opaque;
    (void)ev;
    if (p->asleep) return; /* resumed (and the idle time counted) at the wake-up */
    sim_prof_stack st;
    prof_snapshot(p, &st);
    uint64_t h = 1469598103934665603ull;
    for (uint32_t i = 0; i < st.n; i++)
        h = (h ^ st.a[i]) * 1099511628211ull;
    if (p->ntab * 10 >= p->tab_cap * 7) {
        size_t cap = p->tab_cap ? p->tab_cap * 2 : 256;
        sim_prof_sample *t = calloc(cap, sizeof(*t));
        if (!t) {
            p->oom = true;
            return;
        }
        for (size_t i = 0; i < p->tab_cap; i++) {
            if (!p->tab[i].count) continue;
            size_t j = p->tab[i].hash & (cap - 1);
            while (t[j].count)
                j = (j + 1) & (cap - 1);
            t[j] = p->tab[i];
        }
        free(p->tab);
        p->tab = t;
        p->tab_cap = cap;
    }
    size_t j = h & (p->tab_cap - 1);
    while (p->tab[j].count && !(p->tab[j].hash == h && p->tab[j].stack.n == st.n &&
                                !memcmp(p->tab[j].stack.a, st.a, st.n * sizeof(uint32_t))))
        j = (j + 1) & (p->tab_cap - 1);
    if (!p->tab[j].count) {
        p->tab[j].hash = h;
        p->tab[j].stack = st;
        p->ntab++;
    }
    p->tab[j].count++;
    p->samples++;
    sim_sched_at(&p->node->sched, &p->sample_ev, now + p->cfg.sample_ps);
}

void sim_prof_sleep(sim_prof *p, bool asleep)
{
    if (asleep == p->asleep) return;
    uint64_t now = p->node->cpu.cycles;
    if (asleep) {
        p->asleep = true;
        uint64_t dur = prof_local_at(p, now) - prof_local_at(p, p->busy_start_cycles);
        cancel(p, &p->busy_deadline);
        if (p->cfg.busy_ps && dur > p->cfg.busy_ps)
            add_violation(p, SIM_CTX_IDLE, 0, 0, prof_local_at(p, p->busy_start_cycles), dur,
                          p->cfg.busy_ps, false, &p->busy_snap);
        p->sleep_start_g = sim_node_global_at(p->node, now);
        cancel(p, &p->sample_ev); /* asleep: no sample events; counted in bulk at the wake-up */
        return;
    }
    p->asleep = false;
    p->busy_start_cycles = now;
    if (p->cfg.busy_ps)
        schedule_local(p, &p->busy_deadline, prof_local_at(p, now) + p->cfg.busy_ps);
    if (p->cfg.sample_ps && !sim_event_pending(&p->sample_ev)) {
        uint64_t g = sim_node_global_at(p->node, now), per = p->cfg.sample_ps;
        p->idle_samples += g / per - p->sleep_start_g / per;
        sim_sched_at(&p->node->sched, &p->sample_ev, (g / per + 1) * per);
    }
}

/* ---- life cycle ----------------------------------------------------------------------------- */

void sim_prof_init(sim_prof *p, sim_node *n, const sim_prof_config *cfg)
{
    memset(p, 0, sizeof(*p));
    p->node = n;
    p->cfg = *cfg;
    for (unsigned i = 0; i < SIM_PROF_DEPTH; i++) {
        sim_event_init(&p->frames[i].deadline, "prof-budget", frame_deadline, &p->frames[i], 0);
        p->frames[i].owner = p;
    }
    sim_event_init(&p->busy_deadline, "prof-busy", busy_deadline, p, 0);
    sim_event_init(&p->sample_ev, "prof-sample", sample_event, p, 0);
    p->busy_start_cycles = n->cpu.cycles;
    if (p->cfg.busy_ps)
        schedule_local(p, &p->busy_deadline, prof_local_at(p, n->cpu.cycles) + p->cfg.busy_ps);
    if (p->cfg.sample_ps)
        sim_sched_at(&n->sched, &p->sample_ev, sim_node_global_now(n) + p->cfg.sample_ps);
}

void sim_prof_reset(sim_prof *p)
{
    for (unsigned i = 0; i < SIM_PROF_DEPTH; i++)
        cancel(p, &p->frames[i].deadline);
    p->depth = p->lost_depth = 0;
    p->ncalls = 0;
    p->asleep = false;
    p->busy_start_cycles = p->node->cpu.cycles;
    if (p->cfg.busy_ps)
        schedule_local(p, &p->busy_deadline,
                       prof_local_at(p, p->busy_start_cycles) + p->cfg.busy_ps);
    if (p->cfg.sample_ps && !sim_event_pending(&p->sample_ev))
        sim_sched_at(&p->node->sched, &p->sample_ev,
                     sim_node_global_now(p->node) + p->cfg.sample_ps);
    update_watch(p);
}

void sim_prof_finish(sim_prof *p)
{
    uint64_t now = p->node->cpu.cycles;
    while (p->depth) {
        sim_prof_frame *f = &p->frames[p->depth - 1];
        uint64_t dur = prof_local_at(p, now) - prof_local_at(p, f->start_cycles);
        if (frame_budgeted(f) && dur > f->budget_ps) {
            pop_frame(p, true);
        } else {
            /* still open within budget: not counted */
            cancel(p, &f->deadline);
            p->ncalls = f->call_base;
            p->depth--;
        }
    }
    p->lost_depth = 0;
    if (!p->asleep && p->cfg.busy_ps) {
        uint64_t dur = prof_local_at(p, now) - prof_local_at(p, p->busy_start_cycles);
        if (dur > p->cfg.busy_ps)
            add_violation(p, SIM_CTX_IDLE, 0, 0, prof_local_at(p, p->busy_start_cycles), dur,
                          p->cfg.busy_ps, true, &p->busy_snap);
    }
    cancel(p, &p->busy_deadline);
    cancel(p, &p->sample_ev);
    p->node->cpu.cache_watch = false;
}

void sim_prof_free(sim_prof *p)
{
    for (unsigned i = 0; i < SIM_PROF_DEPTH; i++)
        cancel(p, &p->frames[i].deadline);
    cancel(p, &p->busy_deadline);
    cancel(p, &p->sample_ev);
    free(p->stats);
    free(p->viol);
    free(p->risks);
    free(p->tab);
    memset(p, 0, sizeof(*p));
}

/* ---- reports --------------------------------------------------------------------------------- */

void sim_prof_name(const sim_prof *p, uint32_t addr, char *out, size_t size)
{
    if ((addr & 0xFFFFFF00u) == SIM_PROF_MARK) {
        snprintf(out, size, "[%s]", sim_ctx_name((sim_ctx)(addr & 0xFFu)));
        return;
    }
    uint32_t off = 0;
    const char *s = p->cfg.symbolize ? p->cfg.symbolize(p->cfg.symbolize_opaque, addr, &off) : NULL;
    if (!s)
        snprintf(out, size, "0x%08x", addr);
    else if (off)
        snprintf(out, size, "%s+0x%x", s, off);
    else
        snprintf(out, size, "%s", s);
}

/* Function name only (no offset), for folded stacks and tables. */
static void func_name(const sim_prof *p, uint32_t addr, char *out, size_t size)
{
    if ((addr & 0xFFFFFF00u) == SIM_PROF_MARK) {
        sim_prof_name(p, addr, out, size);
        return;
    }
    uint32_t off = 0;
    const char *s = p->cfg.symbolize ? p->cfg.symbolize(p->cfg.symbolize_opaque, addr, &off) : NULL;
    if (s)
        snprintf(out, size, "%s", s);
    else
        snprintf(out, size, "0x%08x", addr);
}

static void print_us(FILE *out, uint64_t ps)
{
    fprintf(out, " %12" PRIu64 ".%03" PRIu64, ps / PS_PER_US, ps % PS_PER_US / 1000u);
}

static int stat_cmp(const void *a, const void *b)
{
    const sim_prof_stat *x = *(const sim_prof_stat *const *)a,
                        *y = *(const sim_prof_stat *const *)b;
    if (x->total_ps != y->total_ps) return x->total_ps < y->total_ps ? 1 : -1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return x->fn < y->fn ? -1 : x->fn > y->fn;
}

static void print_stack(const sim_prof *p, FILE *out, const sim_prof_stack *st)
{
    for (uint32_t i = st->n; i-- > 0;) {
        char name[96];
        if (i == st->n - 1)
            sim_prof_name(p, st->a[i], name, sizeof(name));
        else
            func_name(p, st->a[i], name, sizeof(name));
        fprintf(out, "      %s %s\n", i == st->n - 1 ? "at" : "in", name);
    }
}

void sim_prof_report(const sim_prof *p, FILE *out, const char *node_name)
{
    const sim_prof_stat **v = calloc(p->nstats ? p->nstats : 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; v && i < p->stats_cap; i++)
        if (p->stats[i].used) v[n++] = &p->stats[i];
    if (v) qsort(v, n, sizeof(*v), stat_cmp);
    fprintf(out, "profile %s: %zu handlers, %" PRIu64 " violations\n", node_name, n, p->viol_total);
    fprintf(out, "  %-9s %-36s %9s %16s %16s %16s %16s\n", "kind", "handler", "count", "total us",
            "mean us", "p99 us", "max us");
    for (size_t i = 0; i < n; i++) {
        const sim_prof_stat *s = v[i];
        char name[96];
        sim_prof_name(p, s->fn, name, sizeof(name));
        fprintf(out, "  %-9s %-36s %9" PRIu64, sim_ctx_name(s->kind), name, s->count);
        print_us(out, s->total_ps);
        print_us(out, s->total_ps / s->count);
        print_us(out, sim_prof_percentile(s, 99));
        print_us(out, s->max_ps);
        fputc('\n', out);
    }
    free(v);
    for (size_t i = 0; i < p->nviol; i++) {
        const sim_prof_violation *x = &p->viol[i];
        char name[96] = "busy";
        if (x->kind != SIM_CTX_IDLE) sim_prof_name(p, x->fn, name, sizeof(name));
        fprintf(out,
                "  VIOLATION %s %s: %" PRIu64 ".%03" PRIu64 " us > budget %" PRIu64
                " us at %" PRIu64 ".%06" PRIu64 " s%s\n",
                x->kind == SIM_CTX_IDLE ? "busy" : sim_ctx_name(x->kind), name,
                x->dur_ps / PS_PER_US, x->dur_ps % PS_PER_US / 1000u, x->budget_ps / PS_PER_US,
                x->start_ps / UINT64_C(1000000000000),
                x->start_ps % UINT64_C(1000000000000) / 1000000u,
                x->unfinished ? " (still running at the end)" : "");
        print_stack(p, out, &x->stack);
    }
    if (p->viol_total > p->nviol)
        fprintf(out, "  ... %" PRIu64 " more violations not listed\n", p->viol_total - p->nviol);
    for (size_t i = 0; i < p->nrisks; i++) {
        const sim_prof_risk *r = &p->risks[i];
        char h[96], pc[96];
        sim_prof_name(p, r->handler, h, sizeof(h));
        sim_prof_name(p, r->pc, pc, sizeof(pc));
        fprintf(out,
                "  IRAM-RISK interrupt handler %s %s the flash window at %s (0x%08x), %" PRIu64
                " times, first at %" PRIu64 ".%06" PRIu64 " s: %s\n",
                h, r->fetch ? "executes from" : "reads", pc, r->addr, r->count,
                r->t_ps / UINT64_C(1000000000000), r->t_ps % UINT64_C(1000000000000) / 1000000u,
                r->window_off
                    ? "then faulted with the flash window off (a flash operation in progress), "
                      "as the chip does"
                    : "crashes the chip if it runs during a flash operation");
    }
    if (p->oom) fprintf(out, "  (profile incomplete: out of memory)\n");
}

typedef struct folded_line {
    char *text;
    uint64_t count;
} folded_line;

static int folded_cmp(const void *a, const void *b)
{
    return strcmp(((const folded_line *)a)->text, ((const folded_line *)b)->text);
}

/* One line per distinct symbolized stack (samples at different pcs of one function merge). */
void sim_prof_write_folded(const sim_prof *p, FILE *out, const char *node_name)
{
    folded_line *lines = calloc(p->ntab ? p->ntab : 1, sizeof(*lines));
    size_t n = 0;
    for (size_t i = 0; lines && i < p->tab_cap; i++) {
        const sim_prof_sample *s = &p->tab[i];
        if (!s->count) continue;
        char buf[SIM_PROF_SNAP * 100 + 200];
        size_t o = (size_t)snprintf(buf, sizeof(buf), "%s", node_name);
        if (s->stack.n && (s->stack.a[0] & 0xFFFFFF00u) != SIM_PROF_MARK)
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, ";[main]");
        char prev[96] = "";
        for (uint32_t k = 0; k < s->stack.n && o < sizeof(buf); k++) {
            char name[96];
            func_name(p, s->stack.a[k], name, sizeof(name));
            if (k == s->stack.n - 1 && !strcmp(name, prev)) break; /* pc inside the last frame */
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, ";%s", name);
            snprintf(prev, sizeof(prev), "%s", name);
        }
        lines[n].text = strdup(buf);
        lines[n].count = s->count;
        if (lines[n].text) n++;
    }
    if (lines) qsort(lines, n, sizeof(*lines), folded_cmp);
    for (size_t i = 0; i < n;) {
        uint64_t c = 0;
        size_t j = i;
        while (j < n && !strcmp(lines[j].text, lines[i].text))
            c += lines[j++].count;
        fprintf(out, "%s %" PRIu64 "\n", lines[i].text, c);
        for (; i < j; i++)
            free(lines[i].text);
    }
    free(lines);
    if (p->idle_samples) fprintf(out, "%s;[idle] %" PRIu64 "\n", node_name, p->idle_samples);
}

/* ---- Chrome trace ---------------------------------------------------------------------------- */

static void trace_sep(sim_trace *t)
{
    fputs(t->events ? ",\n" : "\n", t->f);
    t->events++;
}

static void trace_ts(FILE *f, const char *key, uint64_t ps)
{
    fprintf(f, "\"%s\":%" PRIu64 ".%06" PRIu64, key, ps / PS_PER_US, ps % PS_PER_US);
}

void sim_trace_open(sim_trace *t, FILE *f, uint64_t max_events)
{
    memset(t, 0, sizeof(*t));
    t->f = f;
    t->max_events = max_events;
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", f);
}

void sim_trace_process(sim_trace *t, unsigned pid, const char *name)
{
    static const char *const tracks[] = {"",           "interrupts", "tasks", "timers", "callbacks",
                                         "exceptions", "radio tx",   "i2c",   "gpio",   "radio rx"};
    trace_sep(t);
    fprintf(t->f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%u,\"args\":{\"name\":\"%s\"}}",
            pid, name);
    for (unsigned i = 1; i < sizeof(tracks) / sizeof(tracks[0]); i++) {
        trace_sep(t);
        fprintf(t->f,
                "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":"
                "\"%s\"}}",
                pid, i, tracks[i]);
    }
}

static bool trace_room(sim_trace *t)
{
    if (t->max_events && t->events >= t->max_events) {
        t->dropped++;
        return false;
    }
    return true;
}

void sim_trace_span(sim_trace *t, unsigned pid, unsigned tid, const char *name, const char *cat,
                    uint64_t start_ps, uint64_t end_ps, const char *args_json)
{
    if (!trace_room(t)) return;
    trace_sep(t);
    fprintf(t->f, "{\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"name\":\"%s\",\"cat\":\"%s\",", pid, tid,
            name, cat);
    trace_ts(t->f, "ts", start_ps);
    fputc(',', t->f);
    trace_ts(t->f, "dur", end_ps - start_ps);
    if (args_json) fprintf(t->f, ",\"args\":{%s}", args_json);
    fputc('}', t->f);
}

void sim_trace_instant(sim_trace *t, unsigned pid, unsigned tid, const char *name, const char *cat,
                       uint64_t t_ps, const char *args_json)
{
    if (!trace_room(t)) return;
    trace_sep(t);
    fprintf(t->f, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":%u,\"tid\":%u,\"name\":\"%s\",\"cat\":\"%s\",",
            pid, tid, name, cat);
    trace_ts(t->f, "ts", t_ps);
    if (args_json) fprintf(t->f, ",\"args\":{%s}", args_json);
    fputc('}', t->f);
}

void sim_trace_close(sim_trace *t)
{
    fprintf(t->f, "\n],\"otherData\":{\"dropped_events\":%" PRIu64 "}}\n", t->dropped);
}
