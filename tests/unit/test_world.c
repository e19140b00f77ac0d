/* tests/unit/test_world.c — sim/rng streams (deterministic, independent per purpose and index)
 * and sim/world stepping (every node reaches the horizon; world events run at their time,
 * before the nodes catch up; while every node sleeps in WAITI the world jumps to the first
 * wake-up instead of stepping quantum by quantum; sleeping nodes are not stepped, a touched
 * node runs on time, and lazy stepping gives the eager stepping's results). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rng.h"
#include "world.h"

static void test_rng_streams(void **state)
{
    (void)state;
    sim_rng a, b, c, d;
    sim_rng_stream(&a, 42, "loss", 1, 2);
    sim_rng_stream(&b, 42, "loss", 1, 2);
    sim_rng_stream(&c, 42, "loss", 1, 3);
    sim_rng_stream(&d, 42, "jitter", 1, 2);
    bool differ_c = false, differ_d = false;
    for (int i = 0; i < 100; i++) {
        uint64_t x = sim_rng_next(&a);
        assert_int_equal(x, sim_rng_next(&b));
        differ_c |= x != sim_rng_next(&c);
        differ_d |= x != sim_rng_next(&d);
    }
    assert_true(differ_c);
    assert_true(differ_d);
    unsigned hist[10] = {0};
    for (int i = 0; i < 10000; i++)
        hist[sim_rng_below(&a, 10)]++;
    for (int i = 0; i < 10; i++)
        assert_true(hist[i] > 850 && hist[i] < 1150);
    assert_int_equal(sim_rng_seed_for(7, "x", 0, 0), sim_rng_seed_for(7, "x", 0, 0));
    assert_int_not_equal(sim_rng_seed_for(7, "x", 0, 0), sim_rng_seed_for(8, "x", 0, 0));
}

/* A node with 4 KB of IRAM at its reset vector holding one 3-byte instruction. */
static sim_node *make_node(uint8_t *iram, uint32_t hz, int32_t ppm, const uint8_t insn[3])
{
    sim_node *n = calloc(1, sizeof(sim_node));
    assert_non_null(n);
    sim_node_init(n, "n", 0x40100000u, hz, ppm, 0);
    sim_bus_region r = {.name = "iram",
                        .base = 0x40100000u,
                        .size = 0x1000u,
                        .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_X,
                        .host = iram};
    assert_int_not_equal(sim_bus_add(&n->bus, &r), 0);
    memcpy(iram, insn, 3);
    return n;
}

static void free_nodes(sim_world *w, sim_node *n[2])
{
    sim_world_free(w);
    for (int i = 0; i < 2; i++) {
        sim_node_free(n[i]);
        free(n[i]);
    }
}

typedef struct probe {
    sim_event ev;
    sim_world *w;
    uint64_t seen_now[2];
    bool stop;
} probe;

static void on_world_event(void *opaque, sim_event *ev, uint64_t now)
{
    probe *p = opaque;
    (void)ev;
    (void)now;
    /* nodes have not run past the world time when a world event runs */
    for (size_t i = 0; i < 2; i++)
        p->seen_now[i] = sim_node_global_now(p->w->nodes[i]);
    p->stop = true;
}

static void test_world_steps(void **state)
{
    (void)state;
    static uint8_t iram[2][0x1000];
    static const uint8_t loop[3] = {0x06, 0xFF, 0xFF}; /* j . : each node loops forever */
    sim_node *n[2] = {make_node(iram[0], 80000000u, 0, loop),
                      make_node(iram[1], 160000000u, 100, loop)};
    sim_world w;
    sim_world_init(&w, 100000000ull); /* 100 us */
    assert_true(sim_world_add(&w, n[0]));
    assert_true(sim_world_add(&w, n[1]));
    probe p = {.w = &w};
    sim_event_init(&p.ev, "probe", on_world_event, &p, 0);
    sim_sched_at(&w.sched, &p.ev, 250000000ull); /* 250 us, between quantum boundaries */
    sim_world_run_until(&w, 1000000000ull, &p.stop);
    assert_true(p.stop);
    assert_int_equal(w.now, 250000000ull);
    for (int i = 0; i < 2; i++) {
        assert_true(p.seen_now[i] >= 250000000ull);
        assert_true(p.seen_now[i] < 250000000ull + 50000ull); /* within one instruction */
    }
    p.stop = false;
    sim_world_run_until(&w, 1000000000ull, NULL);
    assert_int_equal(w.now, 1000000000ull);
    for (int i = 0; i < 2; i++)
        assert_true(sim_node_global_now(n[i]) >= 1000000000ull);
    free_nodes(&w, n);
}

typedef struct idle_probe {
    sim_event ev;
    sim_world *w;
    uint64_t fired_local, fired_global, world_now;
    unsigned steps;
} idle_probe;

static void on_node_event(void *opaque, sim_event *ev, uint64_t now)
{
    idle_probe *p = opaque;
    (void)ev;
    p->fired_local = now;
    p->world_now = p->w->now;
}

static void count_step(void *opaque, sim_world *w)
{
    (void)w;
    ((idle_probe *)opaque)->steps++;
}

static void test_world_idle_jump(void **state)
{
    (void)state;
    static uint8_t iram[2][0x1000];
    static const uint8_t sleep[3] = {0x00, 0x70, 0x00}; /* waiti 0, no interrupt enabled */
    sim_node *n[2] = {make_node(iram[0], 80000000u, 0, sleep),
                      make_node(iram[1], 80000000u, 250, sleep)};
    sim_world w;
    sim_world_init(&w, 100000000ull); /* 100 us */
    assert_true(sim_world_add(&w, n[0]));
    assert_true(sim_world_add(&w, n[1]));
    idle_probe p = {.w = &w};
    w.on_step = count_step;
    w.on_step_opaque = &p;
    /* a node-local event 1 s into node 1's (fast, +250 ppm) clock */
    sim_event_init(&p.ev, "wake", on_node_event, &p, 0);
    sim_sched_at(&n[1]->sched, &p.ev, 1000000000000ull);
    p.fired_global = sim_node_global_from_local(n[1], 1000000000000ull);
    sim_world_run_until(&w, 3600000000000000ull, NULL); /* 1 h */
    assert_int_equal(w.now, 3600000000000000ull);
    for (int i = 0; i < 2; i++) {
        assert_true(n[i]->cpu.waiting);
        assert_true(sim_node_global_now(n[i]) >= w.now);
    }
    assert_int_equal(p.fired_local, 1000000000000ull);
    /* the world stopped at the node's wake-up, not a quantum later */
    assert_true(p.world_now <= p.fired_global);
    /* 36,000,000 quanta in an hour; a handful of steps when idle (sleeping nodes still wake at
     * each CCOUNT == CCOMPARE0 wrap, 53.7 s at 80 MHz) */
    assert_true(p.steps < 3 * (3600u / 53u + 2u));
    free_nodes(&w, n);
}

/* A node asleep in WAITI whose interrupt a world event has just raised must run now: the world
 * may not jump (or take a long step) to its next timer event, or a busy node would then run a
 * whole step past world events scheduled in between (its results would depend on whether other
 * nodes happened to be busy). */
static void test_pending_irq_wakes(void **state)
{
    (void)state;
    static uint8_t iram[2][0x1000];
    static const uint8_t sleep[3] = {0x00, 0x70, 0x00}; /* waiti 0 */
    sim_node *n[2] = {make_node(iram[0], 80000000u, 0, sleep),
                      make_node(iram[1], 80000000u, 0, sleep)};
    sim_world w;
    sim_world_init(&w, 100000000ull);
    assert_true(sim_world_add(&w, n[0]));
    assert_true(sim_world_add(&w, n[1]));
    sim_world_run_until(&w, 1000000000ull, NULL);
    assert_true(n[0]->cpu.waiting);
    assert_true(sim_node_next_activity(n[0]) > w.now);
    /* a level-1 line, enabled: as a GPIO edge from a world-level delivery would raise it */
    n[0]->cpu.sr[XT_SR_PS] = 0x20u; /* UM, INTLEVEL 0, as firmware runs after boot */
    n[0]->cpu.sr[XT_SR_INTENABLE] = 1u << 4;
    xt_set_irq_level(&n[0]->cpu, 4, true);
    assert_int_equal(sim_node_next_activity(n[0]), sim_node_global_now(n[0]));
    /* masked by PS.INTLEVEL it does not wake the core */
    n[0]->cpu.sr[XT_SR_PS] = (n[0]->cpu.sr[XT_SR_PS] & ~XT_PS_INTLEVEL) | 3u;
    assert_true(sim_node_next_activity(n[0]) > w.now);
    free_nodes(&w, n);
}

/* ---- lazy stepping: sleeping nodes are skipped, touched nodes are woken on time ----------- */

static const uint8_t k_loop[3] = {0x06, 0xFF, 0xFF};  /* j . */
static const uint8_t k_sleep[3] = {0x00, 0x70, 0x00}; /* waiti 0 */

/* nodes[0] loops (so the world steps quantum by quantum), the others sleep in WAITI. */
static sim_node **make_sleepers(sim_world *w, uint8_t (*iram)[0x1000], size_t n, bool eager,
                                uint64_t quantum_ps)
{
    sim_node **v = calloc(n, sizeof(*v));
    assert_non_null(v);
    sim_world_init(w, quantum_ps);
    w->eager = eager;
    for (size_t i = 0; i < n; i++) {
        int32_t ppm = (int32_t)(i * 37 % 101) - 50; /* clocks that drift apart */
        v[i] = make_node(iram[i], i % 2 ? 160000000u : 80000000u, ppm, i ? k_sleep : k_loop);
        assert_true(sim_world_add(w, v[i]));
    }
    return v;
}

static void free_sleepers(sim_world *w, sim_node **v, size_t n)
{
    sim_world_free(w);
    for (size_t i = 0; i < n; i++) {
        sim_node_free(v[i]);
        free(v[i]);
    }
    free(v);
}

static void test_sleepers_skipped(void **state)
{
    (void)state;
    static uint8_t iram[4][0x1000];
    sim_world w;
    sim_node **n = make_sleepers(&w, iram, 4, false, 100000000ull); /* 100 us */
    sim_world_run_until(&w, 100000000000ull, NULL);                 /* 100 ms: 1000 quanta */
    assert_int_equal(w.nsteps, 1000);
    assert_int_equal(w.slots[0].steps, 1000);
    for (size_t i = 1; i < 4; i++) {
        /* one step runs the WAITI; the next wake-up (a CCOMPARE0 wrap) is 26 s or more away */
        assert_int_equal(w.slots[i].steps, 1);
        assert_true(n[i]->cpu.waiting);
        /* skipped, yet every clock is at the world's time when the run returns */
        assert_true(sim_node_global_now(n[i]) >= w.now);
        assert_true(sim_node_global_now(n[i]) < w.now + 12500u);
    }
    assert_int_equal(w.node_steps, 1003);
    free_sleepers(&w, n, 4);
}

/* A world event schedules an event on a sleeping node, or raises its interrupt, after
 * sim_node_touch: the node runs in the step that holds that time, as every node did when all
 * were stepped every quantum. */
typedef struct touch_probe {
    sim_world *w;
    sim_node *target;
    sim_event world_ev, node_ev;
    uint64_t node_at;                  /* local time the node event is scheduled for */
    uint64_t fired_local, fired_world; /* when it ran: its time, the world's step start */
    uint64_t fired_global;             /* the node's global clock then */
    bool irq;                          /* raise interrupt 4 instead */
    bool irq_seen;                     /* the target was awake after the step with the irq */
    uint64_t irq_world;                /* the world time of that step's end */
} touch_probe;

static void on_probe_node_event(void *opaque, sim_event *ev, uint64_t now)
{
    touch_probe *p = opaque;
    (void)ev;
    p->fired_local = now;
    p->fired_world = p->w->now;
    p->fired_global = sim_node_global_now(p->target);
}

static void on_probe_world_event(void *opaque, sim_event *ev, uint64_t now)
{
    touch_probe *p = opaque;
    (void)ev;
    (void)now;
    sim_node_touch(p->target);
    if (p->irq) {
        xt_set_irq_level(&p->target->cpu, 4, true);
        return;
    }
    p->node_at = sim_node_now(p->target) + 10000000ull; /* 10 us on its own clock */
    sim_event_init(&p->node_ev, "probe", on_probe_node_event, p, 0);
    sim_sched_at(&p->target->sched, &p->node_ev, p->node_at);
}

static void on_probe_step(void *opaque, sim_world *w)
{
    touch_probe *p = opaque;
    if (p->irq && !p->irq_seen && w->now > 250010000ull && !p->target->cpu.waiting) {
        p->irq_seen = true;
        p->irq_world = w->now;
    }
}

static void test_touch_wakes(void **state)
{
    (void)state;
    static uint8_t iram[3][0x1000];
    for (int irq = 0; irq < 2; irq++) {
        sim_world w;
        sim_node **n = make_sleepers(&w, iram, 3, false, 100000000ull);
        touch_probe p = {.w = &w, .target = n[2], .irq = irq};
        if (irq) { /* interrupt 4 enabled at level 1; its vector loops */
            n[2]->cpu.sr[XT_SR_PS] = 0x20u;
            n[2]->cpu.sr[XT_SR_INTENABLE] = 1u << 4;
            n[2]->cpu.sr[XT_SR_VECBASE] = 0x40100000u;
            memcpy(iram[2] + XT_VEC_USER, k_loop, 3);
        }
        w.on_step = on_probe_step;
        w.on_step_opaque = &p;
        sim_event_init(&p.world_ev, "touch", on_probe_world_event, &p, 0);
        sim_sched_at(&w.sched, &p.world_ev, 250010000ull); /* 250.01 us: inside a quantum */
        sim_world_run_until(&w, 1000000000ull, NULL);      /* 1 ms */
        if (irq) {
            /* woken in the step right after the world event */
            assert_true(p.irq_seen);
            assert_int_equal(p.irq_world, 350010000ull);
            assert_int_equal(n[2]->cpu.pc & ~0xFu, 0x40100050u);
        } else {
            uint64_t g = sim_node_global_from_local(n[2], p.node_at);
            assert_int_equal(p.fired_local, p.node_at);
            /* run in the step that holds its time, at that time (to the cycle) */
            assert_true(p.fired_world <= g && g < p.fired_world + w.quantum);
            assert_true(p.fired_global >= g && p.fired_global < g + 12500u);
        }
        free_sleepers(&w, n, 3);
    }
}

/* Lazy and eager stepping give identical results: nodes sleeping with self-rescheduling events
 * on drifting clocks, world events touching them, one node busy. The quantum (30.001 ns) is
 * shorter than three cycles, so events keep falling within a cycle of a step's end, where
 * rounding decides in which step they run (sim_node_due's edge). */
typedef struct tick_node {
    sim_event ev;
    sim_node *node;
    sim_world *w;
    uint64_t period;
    uint64_t log[256][3]; /* local time, global clock, world step start */
    size_t nlog;
} tick_node;

static void on_tick(void *opaque, sim_event *ev, uint64_t now)
{
    tick_node *t = opaque;
    if (t->nlog < 256) {
        t->log[t->nlog][0] = now;
        t->log[t->nlog][1] = sim_node_global_now(t->node);
        t->log[t->nlog][2] = t->w->now;
        t->nlog++;
    }
    sim_sched_at(&t->node->sched, ev, now + t->period);
}

typedef struct poke {
    sim_event ev;
    sim_world *w;
    tick_node *ticks;
    size_t n, k;
} poke;

static void on_poke(void *opaque, sim_event *ev, uint64_t now)
{
    poke *p = opaque;
    tick_node *t = &p->ticks[1 + p->k % (p->n - 1)];
    sim_node_touch(t->node); /* re-time its next tick from "now" on its clock */
    sim_sched_reschedule(&t->node->sched, &t->ev, sim_node_now(t->node) + 333333u);
    p->k++;
    sim_sched_at(&p->w->sched, ev, now + 7777777u);
}

static void run_ticks(bool eager, tick_node *ticks, size_t n, uint64_t cycles[])
{
    static uint8_t iram[6][0x1000];
    sim_world w;
    sim_node **v = make_sleepers(&w, iram, n, eager, 30001u);
    for (size_t i = 0; i < n; i++) {
        ticks[i] = (tick_node){.node = v[i], .w = &w, .period = 1234567u + 100003u * i};
        sim_event_init(&ticks[i].ev, "tick", on_tick, &ticks[i], 0);
        sim_sched_at(&v[i]->sched, &ticks[i].ev, 500000u * i + 1u);
    }
    poke p = {.w = &w, .ticks = ticks, .n = n};
    sim_event_init(&p.ev, "poke", on_poke, &p, 0);
    sim_sched_at(&w.sched, &p.ev, 5555555u);
    sim_world_run_until(&w, 100000000ull, NULL); /* 100 us, then the rest */
    sim_world_run_until(&w, 300000000ull, NULL);
    for (size_t i = 0; i < n; i++)
        cycles[i] = v[i]->cpu.cycles;
    /* eager: 6 nodes x 10,000 steps; lazy: the busy node, plus about a step per tick */
    if (!eager) assert_true(w.node_steps < 10000 + 5 * 300);
    free_sleepers(&w, v, n);
}

static void test_lazy_equals_eager(void **state)
{
    (void)state;
    enum { N = 6 };
    static tick_node lazy[N], eager[N];
    uint64_t cl[N], ce[N];
    run_ticks(false, lazy, N, cl);
    run_ticks(true, eager, N, ce);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(cl[i], ce[i]);
        assert_true(lazy[i].nlog > 100);
        assert_int_equal(lazy[i].nlog, eager[i].nlog);
        assert_memory_equal(lazy[i].log, eager[i].log, sizeof(lazy[i].log));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_streams),       cmocka_unit_test(test_world_steps),
        cmocka_unit_test(test_world_idle_jump),   cmocka_unit_test(test_pending_irq_wakes),
        cmocka_unit_test(test_sleepers_skipped),  cmocka_unit_test(test_touch_wakes),
        cmocka_unit_test(test_lazy_equals_eager),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
