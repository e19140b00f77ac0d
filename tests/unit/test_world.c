/* tests/unit/test_world.c — sim/rng streams (deterministic, independent per purpose and index)
 * and sim/world stepping (every node reaches the horizon; world events run at their time,
 * before the nodes catch up; while every node sleeps in WAITI the world jumps to the first
 * wake-up instead of stepping quantum by quantum). */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_streams),
        cmocka_unit_test(test_world_steps),
        cmocka_unit_test(test_world_idle_jump),
        cmocka_unit_test(test_pending_irq_wakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
