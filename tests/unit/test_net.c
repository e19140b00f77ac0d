/* tests/unit/test_net.c — sim/net: resolution (push-pull, open drain, pull-up, floating),
 * wired-AND, contention reported once per episode, listeners with times, re-entrant drives and
 * the oscillation cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net.h"

typedef struct rec {
    unsigned n;
    bool level[32];
    uint64_t t[32];
    unsigned contentions;
    uint32_t c_high, c_low;
    uint64_t c_t;
} rec;

static void on_change(void *opaque, sim_net *net, bool level, uint64_t t)
{
    rec *r = opaque;
    (void)net;
    if (r->n < 32) {
        r->level[r->n] = level;
        r->t[r->n] = t;
    }
    r->n++;
}

static void on_contention(void *opaque, sim_net *net, uint32_t high, uint32_t low, uint64_t t)
{
    rec *r = opaque;
    (void)net;
    r->contentions++;
    r->c_high = high;
    r->c_low = low;
    r->c_t = t;
}

static void test_net_resolution(void **state)
{
    (void)state;
    sim_net n;
    rec r = {0};
    sim_net_listener l;
    sim_net_init(&n, "sda");
    sim_net_listen(&n, &l, on_change, &r);
    int a = sim_net_attach(&n, "a"), b = sim_net_attach(&n, "b"), pu = sim_net_attach(&n, "pu");
    assert_int_equal(a, 0);
    assert_int_equal(pu, 2);
    assert_true(sim_net_floating(&n));
    assert_false(sim_net_level(&n)); /* floating reads 0 */
    sim_net_pullup(&n, pu, true, 10);
    assert_true(sim_net_level(&n));
    assert_int_equal(r.n, 1);
    assert_int_equal(r.t[0], 10);
    /* wired-AND: either open-drain driver pulls low; released by both -> pull-up */
    sim_net_drive(&n, a, SIM_DRIVE_LOW, 20);
    sim_net_drive(&n, b, SIM_DRIVE_LOW, 30);
    assert_false(sim_net_level(&n));
    sim_net_drive(&n, a, SIM_DRIVE_Z, 40);
    assert_false(sim_net_level(&n));
    sim_net_drive(&n, b, SIM_DRIVE_Z, 50);
    assert_true(sim_net_level(&n));
    assert_int_equal(r.n, 3);
    assert_int_equal(r.t[1], 20);
    assert_int_equal(r.t[2], 50);
    /* push-pull high without pull-up */
    sim_net_pullup(&n, pu, false, 60);
    assert_false(sim_net_level(&n));
    sim_net_drive(&n, a, SIM_DRIVE_HIGH, 70);
    assert_true(sim_net_level(&n));
    assert_false(n.contention);
    /* an earlier time is clamped */
    sim_net_drive(&n, a, SIM_DRIVE_LOW, 5);
    assert_int_equal(n.changed_ps, 70);
    assert_int_equal(n.edges, 6);
}

static void test_net_contention(void **state)
{
    (void)state;
    sim_net n;
    rec r = {0};
    sim_net_init(&n, "syn");
    n.on_contention = on_contention;
    n.on_contention_opaque = &r;
    int a = sim_net_attach(&n, "esp"), b = sim_net_attach(&n, "pyb");
    sim_net_drive(&n, a, SIM_DRIVE_HIGH, 100);
    sim_net_drive(&n, b, SIM_DRIVE_LOW, 200);
    assert_true(n.contention);
    assert_false(sim_net_level(&n)); /* documented: contention reads 0 */
    assert_int_equal(r.contentions, 1);
    assert_int_equal(r.c_high, 1u << a);
    assert_int_equal(r.c_low, 1u << b);
    assert_int_equal(r.c_t, 200);
    /* still the same episode */
    sim_net_pullup(&n, a, true, 250);
    assert_int_equal(r.contentions, 1);
    sim_net_drive(&n, b, SIM_DRIVE_Z, 300);
    assert_false(n.contention);
    assert_true(sim_net_level(&n));
    sim_net_drive(&n, b, SIM_DRIVE_LOW, 400);
    assert_int_equal(r.contentions, 2);
    assert_int_equal(n.contentions, 2);
}

/* A listener that answers every change by driving the net back: an oscillator. */
typedef struct osc {
    sim_net *n;
    int id;
    unsigned calls;
} osc;

static void osc_fn(void *opaque, sim_net *net, bool level, uint64_t t)
{
    osc *o = opaque;
    (void)net;
    o->calls++;
    sim_net_drive(o->n, o->id, level ? SIM_DRIVE_LOW : SIM_DRIVE_Z, t);
}

static void test_net_reentrant(void **state)
{
    (void)state;
    sim_net n;
    sim_net_init(&n, "loop");
    int pu = sim_net_attach(&n, "pu"), id = sim_net_attach(&n, "osc");
    osc o = {&n, id, 0};
    sim_net_listener l;
    rec r = {0};
    sim_net_listener l2;
    sim_net_listen(&n, &l, osc_fn, &o);
    sim_net_listen(&n, &l2, on_change, &r);
    sim_net_pullup(&n, pu, true, 1);
    /* bounded: SIM_NET_ROUNDS rounds, then counted as an oscillation */
    assert_int_equal(o.calls, SIM_NET_ROUNDS);
    assert_int_equal(n.oscillations, 1);
    /* every listener saw the same rounds */
    assert_int_equal(r.n, SIM_NET_ROUNDS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_net_resolution),
        cmocka_unit_test(test_net_contention),
        cmocka_unit_test(test_net_reentrant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
