/* tests/unit/test_prof.c — sim/prof: durations on the node's clock, statistics and percentiles,
 * budgets per kind and per handler, nesting rules, the shadow call stack, sampling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "node.h"
#include "prof.h"

#define US 80u /* cycles per microsecond at 80 MHz */

typedef struct fix {
    sim_node n;
    sim_prof p;
} fix;

static fix *fix_new(const sim_prof_config *cfg)
{
    fix *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    sim_node_init(&f->n, "t", 0x40100000u, 80000000u, 0, 0);
    sim_prof_init(&f->p, &f->n, cfg);
    sim_node_attach_prof(&f->n, &f->p);
    return f;
}

static void fix_free(fix *f)
{
    sim_prof_free(&f->p);
    sim_node_free(&f->n);
    free(f);
}

static const sim_prof_stat *find_stat(const sim_prof *p, sim_ctx kind, uint32_t fn)
{
    for (size_t i = 0; i < p->stats_cap; i++)
        if (p->stats[i].used && p->stats[i].kind == kind && p->stats[i].fn == fn)
            return &p->stats[i];
    return NULL;
}

static void span(fix *f, sim_ctx kind, uint32_t fn, uint64_t us)
{
    sim_prof_enter(&f->p, kind, fn, 0);
    f->n.cpu.cycles += us * US;
    sim_prof_leave(&f->p);
}

/* 100 task runs of 1..100 us: count, total, max exact; p50 and p99 within one bucket (1/32). */
static void test_stats_and_percentiles(void **state)
{
    (void)state;
    sim_prof_config cfg = {.task_ps = 1000000000ull};
    fix *f = fix_new(&cfg);
    for (uint64_t us = 1; us <= 100; us++)
        span(f, SIM_CTX_TASK, 0x40100100u, us);
    const sim_prof_stat *s = find_stat(&f->p, SIM_CTX_TASK, 0x40100100u);
    assert_non_null(s);
    assert_int_equal(s->count, 100);
    assert_int_equal(s->total_ps, 5050ull * 1000000u);
    assert_int_equal(s->max_ps, 100ull * 1000000u);
    uint64_t p50 = sim_prof_percentile(s, 50), p99 = sim_prof_percentile(s, 99);
    assert_true(p50 >= 50ull * 1000000u && p50 <= 50ull * 1000000u * 33 / 32);
    assert_true(p99 >= 99ull * 1000000u && p99 <= 100ull * 1000000u);
    assert_int_equal(sim_prof_percentile(s, 100), s->max_ps);
    assert_int_equal(f->p.viol_total, 0);
    fix_free(f);
}

/* Budgets: a handler over 50 us is a violation with its duration; an override lifts it; the
 * interrupt entry that dispatched to handlers is not judged itself. */
static void test_budgets(void **state)
{
    (void)state;
    sim_prof_budget_override ov = {.fn = 0x40100300u, .ps = 100ull * 1000000u};
    sim_prof_config cfg = {.isr_ps = 50ull * 1000000u,
                           .task_ps = 15000ull * 1000000u,
                           .overrides = &ov,
                           .noverrides = 1};
    fix *f = fix_new(&cfg);
    sim_prof_exception(&f->p, XT_CAUSE_LEVEL1_INTERRUPT, 0, 0, 0x40100050u);
    span(f, SIM_CTX_HANDLER, 0x40100200u, 60); /* over */
    span(f, SIM_CTX_HANDLER, 0x40100300u, 60); /* over 50 but within its 100 us override */
    span(f, SIM_CTX_HANDLER, 0x40100400u, 49); /* within */
    sim_prof_return(&f->p, 1);
    assert_int_equal(f->p.depth, 0);
    assert_int_equal(f->p.viol_total, 1);
    assert_int_equal(f->p.viol[0].fn, 0x40100200u);
    assert_int_equal(f->p.viol[0].kind, SIM_CTX_HANDLER);
    assert_int_equal(f->p.viol[0].dur_ps, 60ull * 1000000u);
    assert_int_equal(f->p.viol[0].budget_ps, 50ull * 1000000u);
    /* the entry lasted 169 us but is judged through its handlers */
    const sim_prof_stat *isr = find_stat(&f->p, SIM_CTX_ISR, 0x40100050u);
    assert_non_null(isr);
    assert_int_equal(isr->max_ps, 169ull * 1000000u);
    assert_int_equal(isr->violations, 0);
    /* an entry without handlers (a vector doing its own work) is judged */
    sim_prof_exception(&f->p, XT_CAUSE_LEVEL1_INTERRUPT, 0, 0, 0x40100050u);
    f->n.cpu.cycles += 51 * US;
    sim_prof_return(&f->p, 1);
    assert_int_equal(f->p.viol_total, 2);
    assert_int_equal(f->p.viol[1].kind, SIM_CTX_ISR);
    /* a 16 ms task */
    span(f, SIM_CTX_TASK, 0x40100500u, 16000);
    assert_int_equal(f->p.viol_total, 3);
    fix_free(f);
}

/* Calls and returns build the stack a violation reports; a RET never pops the context's own
 * entry; hooks (C models) drop the call into them. */
static void test_call_stack(void **state)
{
    (void)state;
    sim_prof_config cfg = {.task_ps = 10ull * 1000000u};
    fix *f = fix_new(&cfg);
    sim_prof_enter(&f->p, SIM_CTX_TASK, 0x40100100u, 3);
    sim_prof_call(&f->p, 0x40100200u);
    sim_prof_call(&f->p, 0x40000300u);
    sim_prof_hook(&f->p, 0x40000300u); /* a ROM service: no RET comes back */
    sim_prof_call(&f->p, 0x40100400u);
    f->n.cpu.pc = 0x40100410u;
    f->n.cpu.cycles += 20 * US;
    sim_prof_ret(&f->p, 0);
    sim_prof_ret(&f->p, 0);
    sim_prof_ret(&f->p, 0); /* one too many: stays at the task's entry */
    assert_int_equal(f->p.ncalls, 2);
    sim_prof_call(&f->p, 0x40100600u);
    sim_prof_leave(&f->p);
    assert_int_equal(f->p.ncalls, 0);
    assert_int_equal(f->p.viol_total, 1);
    const sim_prof_stack *st = &f->p.viol[0].stack;
    assert_int_equal(st->n, 4);
    assert_int_equal(st->a[0], SIM_PROF_MARK | SIM_CTX_TASK);
    assert_int_equal(st->a[1], 0x40100100u);
    assert_int_equal(st->a[2], 0x40100600u);
    assert_int_equal(st->a[3], 0x40100410u); /* the pc */
    assert_int_equal(f->p.viol[0].detail, 3);
    fix_free(f);
}

/* The budget deadline is an event on the node's queue: when it runs the stack is captured
 * there, not where the handler finally returns. */
static void test_deadline_snapshot(void **state)
{
    (void)state;
    sim_prof_config cfg = {.isr_ps = 50ull * 1000000u};
    fix *f = fix_new(&cfg);
    sim_prof_enter(&f->p, SIM_CTX_HANDLER, 0x40100200u, 7);
    sim_prof_call(&f->p, 0x40100300u);
    f->n.cpu.pc = 0x40100310u;
    f->n.cpu.cycles += 60 * US;
    assert_int_equal(sim_sched_run_until(&f->n.sched, sim_node_now(&f->n)), 1);
    sim_prof_ret(&f->p, 0);
    f->n.cpu.pc = 0x40100220u;
    f->n.cpu.cycles += 10 * US;
    sim_prof_leave(&f->p);
    assert_int_equal(f->p.viol_total, 1);
    assert_int_equal(f->p.viol[0].dur_ps, 70ull * 1000000u);
    assert_int_equal(f->p.viol[0].stack.a[f->p.viol[0].stack.n - 1], 0x40100310u);
    assert_int_equal(f->p.viol[0].stack.a[f->p.viol[0].stack.n - 2], 0x40100300u);
    fix_free(f);
}

/* Busy: from wake-up to the next WAITI; the sampler counts idle time without running. */
static void test_busy_and_samples(void **state)
{
    (void)state;
    sim_prof_config cfg = {.busy_ps = 500ull * 1000000000u, .sample_ps = 100ull * 1000000u};
    fix *f = fix_new(&cfg);
    f->n.cpu.cycles += 400000 * US; /* 400 ms busy from reset */
    sim_sched_run_until(&f->n.sched, sim_node_now(&f->n));
    sim_prof_sleep(&f->p, true);
    assert_int_equal(f->p.viol_total, 0);
    f->n.cpu.cycles += 1000000 * US; /* 1 s asleep */
    sim_prof_sleep(&f->p, false);
    f->n.cpu.cycles += 600000 * US; /* 600 ms busy */
    sim_sched_run_until(&f->n.sched, sim_node_now(&f->n));
    sim_prof_sleep(&f->p, true);
    assert_int_equal(f->p.viol_total, 1);
    assert_int_equal(f->p.viol[0].kind, SIM_CTX_IDLE);
    assert_int_equal(f->p.viol[0].dur_ps, 600ull * 1000000000u);
    /* 10 samples per ms awake (1000 ms), 10,000 idle ones */
    assert_true(f->p.samples >= 9990 && f->p.samples <= 10010);
    assert_true(f->p.idle_samples >= 9990 && f->p.idle_samples <= 10010);
    fix_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_and_percentiles),
        cmocka_unit_test(test_budgets),
        cmocka_unit_test(test_call_stack),
        cmocka_unit_test(test_deadline_snapshot),
        cmocka_unit_test(test_busy_and_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
