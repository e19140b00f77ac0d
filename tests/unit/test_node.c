/* tests/unit/test_node.c — sim/node: the ps <-> cycle clock (with ppm and frequency changes),
 * events cutting a running CPU budget at the exact cycle, hooks, guest calls from C, and the
 * lockup of an exception vector that faults on itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "node.h"

#define ROM  0x40000000u
#define IRAM 0x40100000u

static const uint8_t prog_gmain[] = {
    0x06, 0x02, 0x00, /* j 0xc */
    0x00,             /* literal byte */
    0x00,             /* literal byte */
    0x01,             /* literal byte */
    0x00,             /* literal byte */
    0x40,             /* literal byte */
    0x00,             /* literal byte */
    0x02,             /* literal byte */
    0x00,             /* literal byte */
    0x40,             /* literal byte */
    0xc2, 0xa1, 0x23, /* movi a12, 0x123 */
    0x41, 0xfd, 0xff, /* l32r a4, 0x4 */
    0xc0, 0x04, 0x00, /* callx0 a4 */
    0x20, 0xd2, 0x20, /* or a13, a2, a2 */
    0x41, 0xfc, 0xff, /* l32r a4, 0x8 */
    0xc0, 0x04, 0x00, /* callx0 a4 */
};

static const uint8_t prog_gfn[] = {
    0x30, 0x22, 0x80, /* add a2, a2, a3 */
    0xc2, 0xa7, 0x77, /* movi a12, 0x777 */
    0x52, 0xa0, 0x63, /* movi a5, 99 */
    0x80, 0x00, 0x00, /* ret */
};

static const uint8_t prog_spin2[] = {
    0x22, 0xc2, 0x01, /* addi a2, a2, 1 */
    0x46, 0xfe, 0xff, /* j 0x0 */
};

static void test_clock_exact(void **state)
{
    (void)state;
    sim_node *n = calloc(1, sizeof(*n));
    sim_node_init(n, "n", IRAM, 80000000u, 0, 0);
    assert_int_equal(sim_node_time_at(n, 80), 1000000u);                /* 80 cycles = 1 us */
    assert_int_equal(sim_node_time_at(n, 80000000u), 1000000000000ull); /* 1 s */
    assert_int_equal(sim_node_cycle_at(n, 1000000u), 80);
    assert_int_equal(sim_node_cycle_at(n, 1000001u), 81);                 /* rounded up */
    assert_int_equal(sim_node_global_at(n, 80000000u), 1000000000000ull); /* no error: same */
    sim_node_free(n);

    /* +100 ppm (fast oscillator), powered up at global 5 ms: the node's own clock reads 1 s
     * after 80e6 cycles; the world sees 1/1.0001 s of it, rounded down, after the offset */
    sim_node_init(n, "n", IRAM, 80000000u, 100, 5000000000ull);
    assert_int_equal(sim_node_time_at(n, 80000000u), 1000000000000ull);
    assert_int_equal(sim_node_global_at(n, 80000000u), 5000000000ull + 999900009999ull);
    for (uint64_t c = 0; c < 2000000u; c += 7919) {
        uint64_t t = sim_node_global_at(n, c);
        assert_int_equal(sim_node_cycle_at_global(n, t), c);
        assert_true(sim_node_global_at(n, sim_node_cycle_at_global(n, t + 1)) >= t + 1);
        assert_true(sim_node_global_at(n, sim_node_cycle_at_global(n, t + 1) - 1) < t + 1);
        uint64_t l = sim_node_time_at(n, c);
        assert_int_equal(sim_node_cycle_at(n, l), c);
    }
    /* local -> global: 10 ms on the node's crystal is 9.999 ms of world time, after boot */
    assert_int_equal(sim_node_global_from_local(n, 10000000000ull), 5000000000ull + 9999000099ull);
    assert_int_equal(sim_node_global_from_local(n, 12345), 5000000000ull + 12343);
    sim_node_free(n);

    /* -250 ppm, then 160 MHz: both clocks stay continuous across the change */
    sim_node_init(n, "n", IRAM, 80000000u, -250, 0);
    n->cpu.cycles = 8000000u;
    uint64_t before = sim_node_global_now(n), lbefore = sim_node_now(n);
    assert_int_equal(lbefore, 100000000000ull); /* 100 ms on the node's own clock */
    sim_node_set_cpu_hz(n, 160000000u);
    assert_int_equal(sim_node_global_now(n), before);
    assert_int_equal(sim_node_now(n), lbefore);
    n->cpu.cycles += 160;
    assert_int_equal(sim_node_global_now(n) - before, 1000250); /* floor(1 us / 0.99975) */
    assert_int_equal(sim_node_now(n) - lbefore, 1000000);
    sim_node_free(n);
    free(n);
}

typedef struct probe {
    sim_node *n;
    sim_event ev;
    uint64_t cycles_seen, time_seen;
    uint32_t ret;
    unsigned calls;
} probe;

static void on_probe(void *opaque, sim_event *ev, uint64_t now)
{
    probe *p = opaque;
    (void)ev;
    p->cycles_seen = p->n->cpu.cycles;
    p->time_seen = now;
}

static sim_node *node_with_code(const uint8_t *code, size_t n_code, uint8_t *rom, uint8_t *iram)
{
    sim_node *n = calloc(1, sizeof(*n));
    sim_node_init(n, "n", IRAM, 80000000u, 0, 0);
    sim_bus_region r = {.name = "rom",
                        .base = ROM,
                        .size = 0x10000u,
                        .flags = SIM_BUS_R | SIM_BUS_X | SIM_BUS_HOOK,
                        .host = rom};
    sim_bus_region i = {.name = "iram",
                        .base = IRAM,
                        .size = 0x10000u,
                        .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_X,
                        .host = iram};
    assert_int_not_equal(sim_bus_add(&n->bus, &r), 0);
    assert_int_not_equal(sim_bus_add(&n->bus, &i), 0);
    memcpy(iram, code, n_code);
    n->trampoline = ROM + 0xFFFC;
    return n;
}

/* An event scheduled while the CPU runs a long budget is seen at exactly its cycle. */
static void test_event_cuts_budget(void **state)
{
    (void)state;
    static uint8_t rom[0x10000], iram[0x10000];
    sim_node *n = node_with_code(prog_spin2, sizeof(prog_spin2), rom, iram);
    probe p = {.n = n};
    sim_event_init(&p.ev, "probe", on_probe, &p, 0);
    sim_sched_at(&n->sched, &p.ev, 12345678u); /* 987.65424 cycles -> 988 */
    assert_int_equal(sim_node_run_until(n, 100000000u), SIM_NODE_RUNNING);
    assert_int_equal(p.time_seen, 12345678u);
    /* the loop's instructions take 1 and 3 cycles: the event runs at the first boundary at or
     * after cycle 988 */
    assert_true(p.cycles_seen >= 988 && p.cycles_seen < 988 + 3);
    assert_true(n->cpu.cycles >= 8000);
    sim_node_free(n);
    free(n);
}

static void svc_done(void *opaque, sim_node *n, uint32_t ret)
{
    probe *p = opaque;
    p->ret = ret;
    n->cpu.a[2] = ret;       /* the service returns the guest function's result ... */
    n->cpu.pc = n->cpu.a[0]; /* ... to its caller */
}

/* A ROM service that calls back into guest code (like ets_run calling a task). */
static void svc_hook(void *opaque, sim_node *n, uint32_t pc)
{
    probe *p = opaque;
    (void)pc;
    p->calls++;
    const uint32_t args[2] = {5, 7};
    assert_true(sim_node_call(n, IRAM + 0x100, args, 2, svc_done, p));
}

static void halt_hook(void *opaque, sim_node *n, uint32_t pc)
{
    (void)opaque;
    (void)pc;
    sim_node_halt(n);
}

static void test_guest_call(void **state)
{
    (void)state;
    static uint8_t rom[0x10000], iram[0x10000];
    sim_node *n = node_with_code(prog_gmain, sizeof(prog_gmain), rom, iram);
    memcpy(iram + 0x100, prog_gfn, sizeof(prog_gfn));
    probe p = {.n = n};
    assert_true(sim_node_hook(n, ROM + 0x100, ROM + 0x100, svc_hook, &p, "svc"));
    assert_true(sim_node_hook(n, ROM + 0x200, ROM + 0x200, halt_hook, &p, "halt"));
    assert_false(sim_node_hook(n, ROM + 0x80, ROM + 0x100, halt_hook, &p, "overlap"));
    n->cpu.a[1] = 0x3FFFFF00u;
    assert_int_equal(sim_node_run_until(n, 1000000000u), SIM_NODE_HALTED);
    assert_int_equal(p.calls, 1);
    assert_int_equal(p.ret, 12);
    assert_int_equal(n->cpu.a[13], 12);
    assert_int_equal(n->cpu.a[12], 0x123); /* restored: the call is invisible to the caller */
    assert_int_equal(n->cpu.a[5], 0);
    assert_int_equal(n->ngcalls, 0);
    sim_node_free(n);
    free(n);
}

/* A fetch in the hook region with no hook is reported, never executed. */
static void test_unhooked_faults(void **state)
{
    (void)state;
    static uint8_t rom[0x10000], iram[0x10000];
    sim_node *n = node_with_code(prog_gmain, sizeof(prog_gmain), rom, iram);
    assert_int_equal(sim_node_run_until(n, 1000000000u), SIM_NODE_FAULTED);
    assert_non_null(strstr(n->fault_msg, "0x40000100"));
    sim_node_free(n);
    free(n);
}

/* Exception vectors: VECBASE + 0x50 (user), + 0x70 (double). */
#define VEC_USER   0x50u
#define VEC_DOUBLE 0x70u

static const uint8_t prog_ill[] = {0x00, 0x00, 0x00}; /* ill */

static const uint8_t prog_syscall_loop[] = {
    0x00, 0x50, 0x00, /* 0: syscall */
    0x46, 0xfe, 0xff, /* 3: j 0x0 */
};

/* A handler that steps over the faulting instruction and returns. */
static const uint8_t prog_step_over[] = {
    0x20, 0xb1, 0x03, /* rsr a2, epc1 */
    0x22, 0xc2, 0x03, /* addi a2, a2, 3 */
    0x20, 0xb1, 0x13, /* wsr a2, epc1 */
    0x32, 0xc3, 0x01, /* addi a3, a3, 1 */
    0x00, 0x30, 0x00, /* rfe */
};

/* A vector whose own first instruction faults re-enters (the double-exception vector) without an
 * instruction completing: on the chip a lockup. The node stops with a "CPU lockup" guest fault
 * after 16 such entries instead of spinning: with the vectors in unmapped space the fetch faults
 * cost no cycles, so without the check the run never ends (the test's TIMEOUT catches it). An
 * ordinary exception whose handler returns with RFE is not a lockup. */
static void test_vector_lockup(void **state)
{
    (void)state;
    static uint8_t rom[0x10000], iram[0x10000];

    /* vectors in unmapped space: every vector fetch faults */
    sim_node *n = node_with_code(prog_ill, sizeof(prog_ill), rom, iram);
    n->cpu.sr[XT_SR_PS] = 0x20; /* UM: the user vector */
    n->cpu.sr[XT_SR_VECBASE] = 0x50000000u;
    assert_int_equal(sim_node_run_until(n, 1000000000u), SIM_NODE_FAULTED);
    assert_non_null(strstr(n->fault_msg, "CPU lockup"));
    assert_non_null(strstr(n->fault_msg, "0x50000070"));
    assert_int_equal(n->cpu.pc, 0x50000070u); /* left at the vector that faults */
    uint64_t cycles = n->cpu.cycles;
    sim_node_free(n);
    free(n);

    /* vectors that hold ILL: the same lockup, deterministic, after a handful of cycles */
    memset(iram, 0, sizeof(iram));
    n = node_with_code(prog_ill, sizeof(prog_ill), rom, iram);
    n->cpu.sr[XT_SR_PS] = 0x20;
    n->cpu.sr[XT_SR_VECBASE] = IRAM + 0x100u; /* IRAM is zero: ILL at every vector */
    assert_int_equal(sim_node_run_until(n, 1000000000u), SIM_NODE_FAULTED);
    assert_non_null(strstr(n->fault_msg, "CPU lockup"));
    assert_non_null(strstr(n->fault_msg, "IllegalInstruction"));
    assert_int_equal(n->cpu.pc, IRAM + 0x100u + VEC_DOUBLE);
    assert_true(n->cpu.cycles < 100);
    assert_true(n->cpu.cycles >= cycles);
    sim_node_free(n);
    free(n);

    /* an exception handled at the vector, returning with RFE, 100,000 times: not a lockup */
    memset(iram, 0, sizeof(iram));
    n = node_with_code(prog_syscall_loop, sizeof(prog_syscall_loop), rom, iram);
    memcpy(iram + 0x100u + VEC_USER, prog_step_over, sizeof(prog_step_over));
    n->cpu.sr[XT_SR_PS] = 0x20;
    n->cpu.sr[XT_SR_VECBASE] = IRAM + 0x100u;
    assert_int_equal(sim_node_run_until(n, 20000000000u), SIM_NODE_RUNNING); /* 20 ms */
    assert_true(n->cpu.a[3] > 100000u);
    sim_node_free(n);
    free(n);
}

/* A model that returns to a0 without charging time (like _xtos_unhandled_interrupt). */
static void ret_hook(void *opaque, sim_node *n, uint32_t pc)
{
    (void)opaque;
    (void)pc;
    n->cpu.pc = n->cpu.a[0];
}

/* A model returning to an a0 that points at itself would repeat at one instant forever; after
 * SIM_NODE_SPIN_DISPATCHES such dispatches time passes (a cycle each), as for the chip spinning
 * there, so the run ends at its horizon (the test's TIMEOUT catches a hang). */
static void test_hook_spin(void **state)
{
    (void)state;
    static uint8_t rom[0x10000], iram[0x10000];
    sim_node *n = node_with_code(prog_ill, sizeof(prog_ill), rom, iram);
    assert_true(sim_node_hook(n, ROM + 0x300, ROM + 0x300, ret_hook, NULL, "ret"));
    n->cpu.pc = ROM + 0x300;
    n->cpu.a[0] = ROM + 0x300;
    assert_int_equal(sim_node_run_until(n, 1000000000u), SIM_NODE_RUNNING); /* 1 ms */
    assert_true(n->cpu.cycles >= 80000u);
    assert_int_equal(n->cpu.pc, ROM + 0x300);
    /* a model that returns elsewhere costs nothing extra */
    n->cpu.a[0] = IRAM + 0x10; /* zeros: ILL, then the vector, unmapped: lockup */
    n->cpu.sr[XT_SR_VECBASE] = 0x50000000u;
    assert_int_equal(sim_node_run_until(n, 2000000000u), SIM_NODE_FAULTED);
    sim_node_free(n);
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_exact),   cmocka_unit_test(test_event_cuts_budget),
        cmocka_unit_test(test_guest_call),    cmocka_unit_test(test_unhooked_faults),
        cmocka_unit_test(test_vector_lockup), cmocka_unit_test(test_hook_spin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
