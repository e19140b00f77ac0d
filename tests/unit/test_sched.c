/* tests/unit/test_sched.c — sim/sched: ordering by (time, prio, seq), cancel, re-scheduling from
 * a callback, the "earlier than head" notification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sched.h"

typedef struct order {
    char log[64];
    size_t n;
    unsigned earlier;
    uint64_t last_earlier;
} order;

typedef struct tagged {
    sim_event ev;
    char tag;
    order *o;
    unsigned repeat; /* re-schedule itself this many times, 10 ps apart */
} tagged;

static void on_event(void *opaque, sim_event *ev, uint64_t now)
{
    tagged *t = opaque;
    (void)now;
    t->o->log[t->o->n++] = t->tag;
    if (t->repeat) {
        t->repeat--;
        /* re-arming from the callback is allowed */
        (void)ev;
    }
}

static void on_earlier(void *opaque, uint64_t when)
{
    order *o = opaque;
    o->earlier++;
    o->last_earlier = when;
}

static void test_order(void **state)
{
    (void)state;
    sim_sched s;
    order o = {{0}, 0, 0, 0};
    sim_sched_init(&s);
    s.on_earlier = on_earlier;
    s.on_earlier_opaque = &o;
    tagged t[6];
    const char tags[] = "abcdef";
    const uint64_t when[] = {300, 100, 100, 200, 100, 50};
    const int prio[] = {0, 1, 0, 0, 1, 0};
    for (int i = 0; i < 6; i++) {
        t[i] = (tagged){.tag = tags[i], .o = &o};
        sim_event_init(&t[i].ev, "t", on_event, &t[i], prio[i]);
        sim_sched_at(&s, &t[i].ev, when[i]);
    }
    /* strictly earlier than the head each time: a(300) into an empty queue, b(100), f(50) */
    assert_int_equal(o.earlier, 3);
    assert_int_equal(o.last_earlier, 50);
    assert_int_equal(sim_sched_next(&s), 50);
    sim_sched_cancel(&s, &t[3].ev); /* d */
    assert_false(sim_event_pending(&t[3].ev));
    assert_int_equal(sim_sched_run_until(&s, 100), 4);
    o.log[o.n] = 0;
    /* f@50; at 100: c (prio 0) then b, e (prio 1, in scheduling order) */
    assert_string_equal(o.log, "fcbe");
    assert_int_equal(sim_sched_run_until(&s, 1000), 1);
    assert_int_equal(o.log[4], 'a');
    assert_int_equal(sim_sched_next(&s), SIM_TIME_NEVER);
    sim_sched_free(&s);
}

typedef struct periodic {
    sim_event ev;
    sim_sched *s;
    unsigned count;
    uint64_t times[8];
} periodic;

static void on_tick(void *opaque, sim_event *ev, uint64_t now)
{
    periodic *p = opaque;
    p->times[p->count++] = now;
    if (p->count < 5) sim_sched_at(p->s, ev, now + 1000);
}

static void test_rearm_in_callback(void **state)
{
    (void)state;
    sim_sched s;
    sim_sched_init(&s);
    periodic p = {.s = &s};
    sim_event_init(&p.ev, "tick", on_tick, &p, 0);
    sim_sched_at(&s, &p.ev, 500);
    assert_int_equal(sim_sched_run_until(&s, 3600), 4); /* 500, 1500, 2500, 3500 */
    assert_int_equal(p.times[3], 3500);
    assert_int_equal(sim_sched_next(&s), 4500);
    sim_sched_run_until(&s, 10000);
    assert_int_equal(p.count, 5);
    sim_sched_free(&s);
}

static void test_many_random(void **state)
{
    (void)state;
    enum { N = 1000 };
    static tagged t[N];
    sim_sched s;
    order o = {{0}, 0, 0, 0};
    sim_sched_init(&s);
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        t[i] = (tagged){.tag = 'x', .o = &o};
        sim_event_init(&t[i].ev, "r", on_event, &t[i], (int)(x & 3));
        sim_sched_at(&s, &t[i].ev, x % 5000);
        o.n = 0;
    }
    for (int i = 0; i < N; i += 3)
        sim_sched_cancel(&s, &t[i].ev);
    size_t k = 0;
    uint64_t prev_when = 0;
    int prev_prio = -1;
    uint64_t prev_seq = 0;
    while (sim_sched_next(&s) != SIM_TIME_NEVER) {
        sim_event *head = s.heap[0];
        if (head->when == prev_when && head->prio == prev_prio) assert_true(head->seq > prev_seq);
        if (head->when == prev_when) assert_true(head->prio >= prev_prio);
        assert_true(head->when >= prev_when);
        prev_when = head->when;
        prev_prio = head->prio;
        prev_seq = head->seq;
        k++;
        o.n = 0;
        sim_sched_run_until(&s, head->when > 0 ? head->when - 1 : 0); /* nothing earlier */
        o.n = 0;
        sim_sched_cancel(&s, head);
    }
    assert_int_equal(k, N - (N + 2) / 3);
    sim_sched_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_rearm_in_callback),
        cmocka_unit_test(test_many_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
