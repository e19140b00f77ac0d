/* tests/unit/test_rom_task.c — the ROM's run-time services on a whole esp8266 machine
 * (models/rom/rom_task.c, rom_intr.c, rom_timer.c, rom_wdt.c; docs/rom.md): the ETS task queue
 * (ets_task/ets_post/ets_run/ets_set_idle_cb), interrupt plumbing (handler table, enable masks,
 * the level-1 dispatcher), the software timers on FRC2 and the soft watchdog. Services are called
 * by setting their arguments, a0 = a test hook that halts the node and pc = the service; ets_run
 * never returns, so those tests run the node for a stretch of virtual time and look at what the
 * guest recorded. Guest code is the byte array below, with its assembly (produced once with
 * xtensa-lx106-elf-as and objdump). Times are virtual (WDEV microseconds, CCOUNT), never wall
 * time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp8266/esp8266.h"
#include "rom/rom_symbols.inc"

enum {
#define T_ADDR(name, addr) R_##name = addr,
    ESP_ROM_FUNCS(T_ADDR)
#undef T_ADDR
};

#define HALT      0x4000FF80u /* test hook: the called service returns here */
#define STACK     0x3FFFB000u
#define PROG      0x40100100u
#define LOG       0x3FFE9000u /* rec: count, then {event*, sig, par, ccount} */
#define TLOG      0x3FFEA000u /* tlog: count, then {arg, us} */
#define QUEUES    0x3FFF2000u /* event queues */
#define TIMERS    0x3FFF3000u /* ETSTimer structs, 32 bytes apart */
#define PARAMS    0x3FFF3800u /* isr_post arguments */
#define PS_PER_US 1000000ull
#define PS_PER_MS 1000000000ull
#define PS_PER_S  1000000000000ull
#define UNARMED   0xFFFFFFFFu

#define TASK_BASE  0x3FFFDAC0u
#define READY      0x3FFFDAB8u
#define CUR_PRIO   0x3FFFC6FCu
#define TIMER_HEAD 0x3FFFDDB0u
#define INT_TABLE  0x3FFFC278u
#define FRC2_COUNT 0x60000624u
#define FRC2_CTRL  0x60000628u
#define FRC2_ALARM 0x60000630u

/* Guest code at PROG (0x40100100). */
static const uint8_t prog[] = {
    0x00, 0x90, 0xfe, 0x3f, /* .word 0x3ffe9000 */
    /* rec: 0x40100104 */
    0x31, 0xff, 0xff,       /* l32r a3, 40100100 */
    0x42, 0x23, 0x00,       /* l32i a4, a3, 0 */
    0xc0, 0x54, 0x11,       /* slli a5, a4, 4 */
    0x30, 0x55, 0x80,       /* add a5, a5, a3 */
    0x22, 0x65, 0x01,       /* s32i a2, a5, 4 */
    0x62, 0x22, 0x00,       /* l32i a6, a2, 0 */
    0x62, 0x65, 0x02,       /* s32i a6, a5, 8 */
    0x62, 0x22, 0x01,       /* l32i a6, a2, 4 */
    0x62, 0x65, 0x03,       /* s32i a6, a5, 12 */
    0x60, 0xea, 0x03,       /* rsr.ccount a6 */
    0x62, 0x65, 0x04,       /* s32i a6, a5, 16 */
    0x42, 0xc4, 0x01,       /* addi a4, a4, 1 */
    0x42, 0x63, 0x00,       /* s32i a4, a3, 0 */
    0x80, 0x00, 0x00,       /* ret */
    0x00, 0x00,             /* (padding) */
    0x00, 0xa0, 0xfe, 0x3f, /* .word 0x3ffea000 */
    0x00, 0x0c, 0xf2, 0x3f, /* .word 0x3ff20c00 */
    /* tlog: 0x40100138 */
    0x31, 0xfe, 0xff,       /* l32r a3, 40100130 */
    0x51, 0xfe, 0xff,       /* l32r a5, 40100134 */
    0x42, 0x23, 0x00,       /* l32i a4, a3, 0 */
    0x52, 0x25, 0x00,       /* l32i a5, a5, 0 */
    0x30, 0x64, 0xb0,       /* addx8 a6, a4, a3 */
    0x22, 0x66, 0x01,       /* s32i a2, a6, 4 */
    0x52, 0x66, 0x02,       /* s32i a5, a6, 8 */
    0x42, 0xc4, 0x01,       /* addi a4, a4, 1 */
    0x42, 0x63, 0x00,       /* s32i a4, a3, 0 */
    0x80, 0x00, 0x00,       /* ret */
    0x00, 0x00,             /* (padding) */
    0x24, 0x0e, 0x00, 0x40, /* .word 0x40000e24 */
    /* isr_post: 0x4010015c */
    0x12, 0xc1, 0xf0, /* addi a1, a1, -16 */
    0x02, 0x61, 0x00, /* s32i a0, a1, 0 */
    0x32, 0x22, 0x01, /* l32i a3, a2, 4 */
    0x42, 0x22, 0x02, /* l32i a4, a2, 8 */
    0x22, 0x22, 0x00, /* l32i a2, a2, 0 */
    0x01, 0xfb, 0xff, /* l32r a0, 40100158 */
    0xc0, 0x00, 0x00, /* callx0 a0 */
    0x02, 0x21, 0x00, /* l32i a0, a1, 0 */
    0x12, 0xc1, 0x10, /* addi a1, a1, 16 */
    0x80, 0x00, 0x00, /* ret */
    0x00, 0x00,       /* (padding) */
    /* spin: 0x4010017c */
    0x06, 0xff, 0xff,       /* j 4010017c */
    0x00,                   /* (padding) */
    0x38, 0x01, 0x10, 0x40, /* .word 0x40100138 */
    0x00, 0xa0, 0xfe, 0x3f, /* .word 0x3ffea000 */
    0x40, 0xff, 0x00, 0x40, /* .word 0x4000ff40 */
    /* rearm: 0x4010018c */
    0x12, 0xc1, 0xf0,       /* addi a1, a1, -16 */
    0x02, 0x61, 0x00,       /* s32i a0, a1, 0 */
    0x22, 0x61, 0x01,       /* s32i a2, a1, 4 */
    0x01, 0xfa, 0xff,       /* l32r a0, 40100180 */
    0xc0, 0x00, 0x00,       /* callx0 a0 */
    0x31, 0xfa, 0xff,       /* l32r a3, 40100184 */
    0x32, 0x23, 0x00,       /* l32i a3, a3, 0 */
    0xe6, 0x33, 0x11,       /* bgei a3, 3, 401001b6 */
    0x22, 0x21, 0x01,       /* l32i a2, a1, 4 */
    0x32, 0xa0, 0x05,       /* movi a3, 5 */
    0x42, 0xa0, 0x00,       /* movi a4, 0 */
    0x52, 0xa0, 0x01,       /* movi a5, 1 */
    0x01, 0xf6, 0xff,       /* l32r a0, 40100188 */
    0xc0, 0x00, 0x00,       /* callx0 a0 */
    0x02, 0x21, 0x00,       /* l32i a0, a1, 0 */
    0x12, 0xc1, 0x10,       /* addi a1, a1, 16 */
    0x80, 0x00, 0x00,       /* ret */
    0x00,                   /* (padding) */
    0x38, 0x01, 0x10, 0x40, /* .word 0x40100138 */
    0x00, 0xa0, 0xfe, 0x3f, /* .word 0x3ffea000 */
    0xcc, 0x2e, 0x00, 0x40, /* .word 0x40002ecc */
    0xa8, 0x61, 0x00, 0x00, /* .word 0x000061a8 */
    /* slow: 0x401001d0 */
    0x12, 0xc1, 0xf0, /* addi a1, a1, -16 */
    0x02, 0x61, 0x00, /* s32i a0, a1, 0 */
    0x01, 0xfa, 0xff, /* l32r a0, 401001c0 */
    0xc0, 0x00, 0x00, /* callx0 a0 */
    0x31, 0xfa, 0xff, /* l32r a3, 401001c4 */
    0x32, 0x23, 0x00, /* l32i a3, a3, 0 */
    0x66, 0x13, 0x08, /* bnei a3, 1, 401001ee */
    0x21, 0xf9, 0xff, /* l32r a2, 401001cc */
    0x01, 0xf8, 0xff, /* l32r a0, 401001c8 */
    0xc0, 0x00, 0x00, /* callx0 a0 */
    0x02, 0x21, 0x00, /* l32i a0, a1, 0 */
    0x12, 0xc1, 0x10, /* addi a1, a1, 16 */
    0x80, 0x00, 0x00, /* ret */
    0x00,             /* (padding) */
    /* busy: 0x401001f8 */
    0x22, 0xc2, 0xff,       /* addi a2, a2, -1 */
    0x56, 0x92, 0xff,       /* bnez a2, 401001f8 */
    0x80, 0x00, 0x00,       /* ret */
    0x00, 0x00, 0x00,       /* (padding) */
    0x80, 0x96, 0x98, 0x00, /* .word 0x00989680 */
    0xcc, 0x2e, 0x00, 0x40, /* .word 0x40002ecc */
    /* hog: 0x4010020c */
    0x21, 0xfe, 0xff, /* l32r a2, 40100204 */
    0x31, 0xfe, 0xff, /* l32r a3, 40100208 */
    0xa0, 0x03, 0x00, /* jx a3 */
};
#define REC      0x40100104u /* rec(ETSEvent *e): log {e, sig, par, CCOUNT} at LOG */
#define TLOGF    0x40100138u /* tlog(void *arg): log {arg, WDEV us} at TLOG */
#define ISR_POST 0x4010015Cu /* isr_post(uint32 *p, frame): ets_post(p[0], p[1], p[2]) */
#define SPIN     0x4010017Cu /* spin(): j . */
#define REARM    0x4010018Cu /* rearm(t): tlog(t); ets_timer_arm_new(t, 5, 0, 1) while < 3 */
#define SLOW     0x401001D0u /* slow(arg): tlog(arg); the first time ets_delay_us(25000) */
#define BUSY     0x401001F8u /* busy(n): n turns of a 2-instruction loop */
#define HOG      0x4010020Cu /* hog(e): ets_delay_us(10 s), a task that never yields */

typedef struct t_env {
    esp8266 m;
    char out[4096]; /* UART0 bytes */
    size_t nout;
    sim_event soft_irq; /* raises software interrupt 7 when due */
    uint64_t t0;        /* start of the current test stretch (ps) */
    uint32_t us0;       /* WDEV counter at t0 */
} t_env;

static void t_sink(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps)
{
    t_env *e = opaque;
    (void)t_ps;
    if (uart == 0 && e->nout < sizeof(e->out) - 1) e->out[e->nout++] = (char)byte;
}

static void t_halt(void *opaque, sim_node *n, uint32_t pc)
{
    (void)opaque;
    (void)pc;
    sim_node_halt(n);
}

static void t_soft_irq(void *opaque, sim_event *ev, uint64_t now)
{
    t_env *e = opaque;
    (void)ev;
    (void)now;
    xt_write_sr(&e->m.node.cpu, XT_SR_INTERRUPT, 1u << 7); /* INTSET */
}

static t_env *env_new(void)
{
    t_env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    esp_config cfg = {.name = "rt", .cpu_mhz = 80, .flash_size = 1u << 20, .seed = 1};
    char err[256];
    assert_true(esp8266_init(&e->m, &cfg, err, sizeof(err)));
    assert_true(sim_node_hook(&e->m.node, HALT, HALT, t_halt, e, "test-halt"));
    e->m.console = t_sink;
    e->m.console_opaque = e;
    sim_event_init(&e->soft_irq, "test-soft-irq", t_soft_irq, e, 0);
    xt_cpu *c = &e->m.node.cpu;
    c->sr[XT_SR_PS] = 0x20; /* UM, INTLEVEL 0: as the boot ROM hands over to the application */
    c->a[1] = STACK;
    assert_true(sim_bus_poke(&e->m.node.bus, PROG, prog, sizeof(prog)));
    return e;
}

static void env_free(t_env *e)
{
    esp8266_free(&e->m);
    free(e);
}

static void poke32(t_env *e, uint32_t addr, uint32_t v)
{
    assert_true(sim_bus_poke(&e->m.node.bus, addr, &v, 4));
}

static uint32_t peek32(t_env *e, uint32_t addr)
{
    uint32_t v = 0;
    assert_true(sim_bus_peek(&e->m.node.bus, addr, &v, 4));
    return v;
}

static uint8_t peek8(t_env *e, uint32_t addr)
{
    uint8_t v = 0;
    assert_true(sim_bus_peek(&e->m.node.bus, addr, &v, 1));
    return v;
}

/* A register through the bus (MMIO included). */
static uint32_t reg(t_env *e, uint32_t addr)
{
    uint32_t v = 0;
    assert_int_equal(sim_bus_read(&e->m.node.bus, addr, 4, &v), SIM_BUS_OK);
    return v;
}

static void wreg(t_env *e, uint32_t addr, uint32_t v)
{
    assert_int_equal(sim_bus_write(&e->m.node.bus, addr, 4, v), SIM_BUS_OK);
}

static uint32_t wdev_us(t_env *e)
{
    return reg(e, 0x3FF20C00u);
}

/* Runs fn(args) until it returns to HALT (within 100 s of virtual time). */
static uint32_t call(t_env *e, uint32_t fn, const uint32_t *args, unsigned n)
{
    xt_cpu *c = &e->m.node.cpu;
    for (unsigned i = 0; i < n; i++)
        c->a[2 + i] = args[i];
    c->a[0] = HALT;
    c->pc = fn;
    c->waiting = false; /* the test moves the CPU out of a WAITI in ets_run */
    e->m.node.state = SIM_NODE_RUNNING;
    assert_int_equal(sim_node_run_until(&e->m.node, sim_node_now(&e->m.node) + 100 * PS_PER_S),
                     SIM_NODE_HALTED);
    assert_int_equal(c->pc, HALT);
    return c->a[2];
}

#define CALL(e, fn, ...)                                                                           \
    call(e, fn, (const uint32_t[]){__VA_ARGS__},                                                   \
         sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))
#define CALL0(e, fn) call(e, fn, NULL, 0)

/* Marks the start of a stretch of virtual time (t0, us0). */
static void mark(t_env *e)
{
    e->t0 = sim_node_now(&e->m.node);
    e->us0 = wdev_us(e);
}

/* Enters ets_run (which never returns) and runs the node until t0 + ps. */
static sim_node_state run_ets(t_env *e, uint64_t ps)
{
    xt_cpu *c = &e->m.node.cpu;
    c->a[0] = HALT;
    c->a[1] = STACK;
    c->pc = R_ets_run;
    e->m.node.state = SIM_NODE_RUNNING;
    return sim_node_run_until(&e->m.node, e->t0 + ps);
}

/* Runs on from where the node is until t0 + ps. */
static sim_node_state run_on(t_env *e, uint64_t ps)
{
    return sim_node_run_until(&e->m.node, e->t0 + ps);
}

static uint32_t log_n(t_env *e)
{
    return peek32(e, LOG);
}

/* Field f (0 event*, 1 sig, 2 par, 3 ccount) of rec's entry i. */
static uint32_t log_at(t_env *e, uint32_t i, unsigned f)
{
    return peek32(e, LOG + 4 + 16 * i + 4 * f);
}

static uint32_t tlog_n(t_env *e)
{
    return peek32(e, TLOG);
}

static uint32_t tlog_arg(t_env *e, uint32_t i)
{
    return peek32(e, TLOG + 4 + 8 * i);
}

/* Microseconds after mark() at which tlog's entry i was written. */
static uint32_t tlog_us(t_env *e, uint32_t i)
{
    return peek32(e, TLOG + 8 + 8 * i) - e->us0;
}

/* us is within [want - 4, want + late]: an FRC2 tick (3.2 us) may end before the arming
 * instant is a whole tick later, and dispatch takes a few microseconds. */
static bool near(uint32_t us, uint32_t want, uint32_t late)
{
    return us + 4 >= want && us <= want + late;
}

static uint32_t task_block(uint32_t prio)
{
    return TASK_BASE + 16 * (prio - 1);
}

static uint32_t timer(unsigned i)
{
    return TIMERS + 32 * i;
}

static const char *uart_text(t_env *e)
{
    esp8266_drain_uarts(&e->m);
    e->out[e->nout] = 0;
    return e->out;
}

/* ---- task queue ------------------------------------------------------------------------------ */

/* ets_task fills the block; ets_post queues up to qlen events (0) and then refuses (1). */
static void test_task_queue_full(void **state)
{
    (void)state;
    t_env *e = env_new();
    uint32_t q = QUEUES;
    CALL(e, R_ets_task, REC, 5, q, 3);
    uint32_t b = task_block(5);
    assert_int_equal(peek32(e, b), REC);
    assert_int_equal(peek32(e, b + 4), q);
    assert_int_equal(peek32(e, b + 8), 3); /* qlen 3, write 0, read 0, pending 0 */
    assert_int_equal(peek32(e, b + 12), 1u << 4);
    assert_int_equal(peek32(e, READY), 0);

    assert_int_equal(CALL(e, R_ets_post, 5, 0x11, 0x21), 0);
    assert_int_equal(peek32(e, READY), 1u << 4);
    assert_int_equal(CALL(e, R_ets_post, 5, 0x12, 0x22), 0);
    assert_int_equal(CALL(e, R_ets_post, 5, 0x13, 0x23), 0);
    assert_int_equal(CALL(e, R_ets_post, 5, 0x14, 0x24), 1); /* full: dropped */
    assert_int_equal(peek8(e, b + 9), 0);                    /* write index wrapped */
    assert_int_equal(peek8(e, b + 11), 3);                   /* pending */
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(peek32(e, q + 8 * i), 0x11 + i);
        assert_int_equal(peek32(e, q + 8 * i + 4), 0x21 + i);
    }
    /* a post to an empty priority is also refused (qlen 0), and prio is a byte */
    assert_int_equal(CALL(e, R_ets_post, 0x106, 1, 2), 1);
    assert_int_equal(peek32(e, READY), 1u << 4);

    /* ets_run takes one event per turn: after the three, the queue is empty again */
    mark(e);
    assert_int_equal(run_ets(e, PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(log_n(e), 3);
    assert_int_equal(peek32(e, READY), 0);
    assert_int_equal(peek8(e, b + 10), 0); /* read index wrapped */
    assert_int_equal(peek8(e, b + 11), 0);
    assert_int_equal(CALL(e, R_ets_post, 5, 0x15, 0x25), 0);
    assert_int_equal(peek32(e, q), 0x15); /* slot 0 again */
    env_free(e);
}

/* Strict priority, FIFO within a priority, one event per turn with the highest priority
 * re-evaluated after each (a task posting to a higher priority is served next), and the handler
 * gets a pointer into its queue slot. */
static void test_run_order(void **state)
{
    (void)state;
    t_env *e = env_new();
    uint32_t q3 = QUEUES, q10 = QUEUES + 0x40, q32 = QUEUES + 0x80, q4 = QUEUES + 0xC0,
             q12 = QUEUES + 0x100;
    CALL(e, R_ets_task, REC, 3, q3, 4);
    CALL(e, R_ets_task, REC, 10, q10, 2);
    CALL(e, R_ets_task, REC, 32, q32, 1);
    CALL(e, R_ets_task, ISR_POST, 4, q4, 1); /* posts (sig, par, next word) */
    CALL(e, R_ets_task, REC, 12, q12, 2);
    poke32(e, q4 + 8, 0x77); /* the third word isr_post reads */
    CALL(e, R_ets_post, 3, 1, 0x101);
    CALL(e, R_ets_post, 3, 2, 0x102);
    CALL(e, R_ets_post, 10, 3, 0x103);
    CALL(e, R_ets_post, 4, 12, 0x99); /* -> ets_post(12, 0x99, 0x77) */
    CALL(e, R_ets_post, 10, 4, 0x104);
    CALL(e, R_ets_post, 32, 5, 0x105);
    CALL(e, R_ets_post, 3, 6, 0x106);
    assert_int_equal(log_n(e), 0); /* nothing runs before ets_run */

    mark(e);
    assert_int_equal(run_ets(e, PS_PER_MS), SIM_NODE_RUNNING);
    static const uint32_t want[][3] = {
        /* event*, sig, par */
        {QUEUES + 0x80, 5, 0x105},    /* prio 32 */
        {QUEUES + 0x40, 3, 0x103},    /* prio 10, FIFO */
        {QUEUES + 0x48, 4, 0x104},    /* then prio 4 posts to 12, which comes next */
        {QUEUES + 0x100, 0x99, 0x77}, /* prio 12 */
        {QUEUES + 0x00, 1, 0x101},    /* prio 3, FIFO */
        {QUEUES + 0x08, 2, 0x102},    {QUEUES + 0x10, 6, 0x106},
    };
    assert_int_equal(log_n(e), 7);
    for (uint32_t i = 0; i < 7; i++) {
        assert_int_equal(log_at(e, i, 0), want[i][0]);
        assert_int_equal(log_at(e, i, 1), want[i][1]);
        assert_int_equal(log_at(e, i, 2), want[i][2]);
    }
    (void)q3;
    (void)q10;
    (void)q32;
    (void)q12;
    /* idle: nothing ready, running priority 0, asleep in ets_run */
    assert_int_equal(peek32(e, READY), 0);
    assert_int_equal(peek8(e, CUR_PRIO), 0);
    assert_int_equal(e->m.node.cpu.pc, R_ets_run);
    assert_true(e->m.node.cpu.waiting);
    assert_int_equal(e->m.node.cpu.a[1], STACK);
    env_free(e);
}

/* With nothing ready ets_run calls the idle callback, then sleeps (WAITI 0): virtual time jumps
 * to the next event without executing instructions. A post from an interrupt handler wakes it:
 * the task runs at once, then the idle callback and the sleep again. */
static void test_idle_and_isr_post(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    CALL(e, R_ets_set_idle_cb, TLOGF, 0x1D1E);
    assert_int_equal(peek32(e, 0x3FFFDAB0u), TLOGF);
    assert_int_equal(peek32(e, 0x3FFFDAB4u), 0x1D1E);
    CALL(e, R_ets_task, REC, 7, QUEUES, 2);
    poke32(e, PARAMS, 7);
    poke32(e, PARAMS + 4, 0x55);
    poke32(e, PARAMS + 8, 0x66);
    assert_int_equal(CALL(e, R_ets_isr_attach, 7, ISR_POST, PARAMS), 0);
    CALL(e, R_ets_isr_unmask, 1u << 7);

    mark(e);
    uint64_t insns0 = c->insns, cycles0 = c->cycles;
    sim_sched_at(&e->m.node.sched, &e->soft_irq, e->t0 + 100 * PS_PER_MS);
    assert_int_equal(run_ets(e, 1000 * PS_PER_MS), SIM_NODE_RUNNING);

    assert_int_equal(tlog_n(e), 2); /* idle, (task), idle */
    assert_int_equal(tlog_arg(e, 0), 0x1D1E);
    assert_true(tlog_us(e, 0) < 5);
    assert_true(tlog_us(e, 1) >= 100000 && tlog_us(e, 1) < 100020);
    assert_int_equal(log_n(e), 1);
    assert_int_equal(log_at(e, 0, 0), QUEUES);
    assert_int_equal(log_at(e, 0, 1), 0x55);
    assert_int_equal(log_at(e, 0, 2), 0x66);
    uint32_t dt = log_at(e, 0, 3) - (uint32_t)(c->ccount_base + cycles0);
    assert_true(dt >= 8000000 && dt < 8000000 + 1600);               /* 100 ms (+ < 20 us) */
    assert_int_equal(xt_read_sr(c, XT_SR_INTERRUPT) & (1u << 7), 0); /* the handler cleared it */
    /* 1 s of virtual time, a few hundred instructions */
    assert_true(c->cycles - cycles0 >= 80000000);
    assert_true(c->insns - insns0 < 400);
    assert_true(c->waiting);
    assert_int_equal(c->pc, R_ets_run);
    env_free(e);
}

/* ---- interrupts --------------------------------------------------------------------------------
 */

static void test_isr_table_and_masks(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    /* attach: returns the previous handler, 0 for the stub; NULL installs the stub */
    assert_int_equal(CALL(e, R_ets_isr_attach, 9, TLOGF, 0x99), 0);
    assert_int_equal(peek32(e, INT_TABLE - 8 * 9), TLOGF);
    assert_int_equal(peek32(e, INT_TABLE - 8 * 9 + 4), 0x99);
    assert_int_equal(CALL(e, R_ets_isr_attach, 9, REC, 0x98), TLOGF);
    assert_int_equal(CALL(e, R_ets_isr_attach, 9, 0, 0), REC);
    assert_int_equal(peek32(e, INT_TABLE - 8 * 9), ESP_ROM_UNHANDLED_INT);
    assert_int_equal(CALL(e, R__xtos_set_interrupt_handler_arg, 3, TLOGF, 0x33), 0);
    assert_int_equal(CALL(e, R__xtos_set_interrupt_handler, 4, TLOGF), 0);
    assert_int_equal(peek32(e, INT_TABLE - 8 * 4 + 4), 4);        /* the argument is n */
    assert_int_equal(CALL(e, R_ets_isr_attach, 15, TLOGF, 0), 0); /* no slot: refused */
    assert_int_equal(peek32(e, INT_TABLE - 8 * 15), 0);

    /* masks: INTENABLE = word0 & vpri */
    assert_int_equal(CALL(e, R_ets_isr_unmask, 0x680), 0);
    assert_int_equal(c->sr[XT_SR_INTENABLE], 0x680);
    assert_int_equal(CALL(e, R__xtos_ints_on, 0x1), 0x680);
    assert_int_equal(CALL(e, R_ets_isr_mask, 0x200), 0x681);
    assert_int_equal(peek32(e, ESP_ROM_INT_ENABLED), 0x481);
    assert_int_equal(CALL(e, R__xtos_set_vpri, 0x400), 0xFFFFFFFFu);
    assert_int_equal(c->sr[XT_SR_INTENABLE], 0x400);
    assert_int_equal(CALL(e, R__xtos_ints_off, 0x400), 0x481);
    assert_int_equal(c->sr[XT_SR_INTENABLE], 0);
    assert_int_equal(CALL(e, R__xtos_set_vpri, 0xFFFFFFFFu), 0x400);
    assert_int_equal(c->sr[XT_SR_INTENABLE], 0x81);

    /* interrupt level helpers return the old PS */
    c->sr[XT_SR_PS] = 0x20;
    assert_int_equal(CALL(e, R__xtos_set_intlevel, 3), 0x20);
    assert_int_equal(c->sr[XT_SR_PS], 0x23);
    assert_int_equal(CALL(e, R__xtos_set_min_intlevel, 1), 0x23);
    assert_int_equal(c->sr[XT_SR_PS], 0x23);
    CALL(e, R__xtos_restore_intlevel, 0x20);
    assert_int_equal(c->sr[XT_SR_PS], 0x20);
    assert_int_equal(CALL(e, R__xtos_set_min_intlevel, 2), 0x20);
    assert_int_equal(c->sr[XT_SR_PS], 0x22);
    CALL(e, R__xtos_restore_intlevel, 0x20);
    env_free(e);
}

/* The level-1 dispatcher: every pending enabled interrupt, highest number first, each cleared,
 * handler(arg, frame); then every register and PS restored and the interrupted code resumed. */
static void test_l1_dispatch(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    CALL(e, R_ets_isr_attach, 7, TLOGF, 7);
    CALL(e, R_ets_isr_attach, 9, TLOGF, 9);
    CALL(e, R_ets_isr_attach, 10, TLOGF, 10);
    CALL(e, R_ets_isr_unmask, (1u << 7) | (1u << 9));
    c->sr[XT_SR_PS] = 0x23; /* locked while the lines go up */
    xt_raise_edge(c, 9);
    xt_raise_edge(c, 10); /* not enabled: stays pending, no handler call */
    xt_write_sr(c, XT_SR_INTERRUPT, 1u << 7);
    for (unsigned i = 5; i < 16; i++)
        c->a[i] = 0xA0000000u + i;
    c->sr[XT_SR_SAR] = 17;
    c->sr[XT_SR_PS] = 0x20;
    CALL(e, BUSY, 3); /* taken at busy's first instruction */
    assert_int_equal(tlog_n(e), 2);
    assert_int_equal(tlog_arg(e, 0), 9);
    assert_int_equal(tlog_arg(e, 1), 7);
    assert_int_equal(xt_read_sr(c, XT_SR_INTERRUPT) & ((1u << 7) | (1u << 9) | (1u << 10)),
                     1u << 10);
    for (unsigned i = 5; i < 16; i++)
        assert_int_equal(c->a[i], 0xA0000000u + i);
    assert_int_equal(c->a[1], STACK);
    assert_int_equal(c->sr[XT_SR_SAR], 17);
    assert_int_equal(c->sr[XT_SR_PS], 0x20);
    /* the frame the handlers saw: EPC1 = busy, PS with EXCM, cause 4 */
    uint32_t frame = STACK - 256;
    assert_int_equal(peek32(e, frame), BUSY);
    assert_int_equal(peek32(e, frame + 4), 0x30);
    assert_int_equal(peek32(e, frame + 16), HALT);
    assert_int_equal(peek32(e, frame + 20), 3); /* a2 */
    assert_int_equal(peek32(e, frame + 76), XT_CAUSE_LEVEL1_INTERRUPT);
    env_free(e);
}

/* An interrupt raised while ets_intr_lock holds INTLEVEL 3 is delivered when ets_intr_unlock
 * lowers it, and not before. */
static void test_locked_interrupt(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    CALL(e, R_ets_isr_attach, 7, TLOGF, 0xAB);
    CALL(e, R_ets_isr_unmask, 1u << 7);
    CALL0(e, R_ets_intr_lock);
    xt_write_sr(c, XT_SR_INTERRUPT, 1u << 7);
    CALL(e, BUSY, 1000);
    assert_int_equal(tlog_n(e), 0);
    assert_int_equal(xt_read_sr(c, XT_SR_INTERRUPT) & (1u << 7), 1u << 7);
    CALL0(e, R_ets_intr_unlock);
    assert_int_equal(tlog_n(e), 1);
    assert_int_equal(tlog_arg(e, 0), 0xAB);
    assert_int_equal(xt_read_sr(c, XT_SR_INTERRUPT) & (1u << 7), 0);
    assert_int_equal(c->sr[XT_SR_PS], 0x20);
    assert_int_equal(c->a[1], STACK);
    env_free(e);
}

/* ---- timers -----------------------------------------------------------------------------------
 */

/* ets_timer_init: empty list, ISR on interrupt 10, DPORT edge enable, task 31, FRC2 at /256. */
static void test_timer_init(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    poke32(e, TIMER_HEAD, 0x1234);
    CALL0(e, R_ets_timer_init);
    assert_int_equal(peek32(e, TIMER_HEAD), 0);
    assert_int_equal(peek32(e, INT_TABLE - 8 * 10), ESP_ROM_TIMER_ISR);
    assert_int_equal(peek32(e, INT_TABLE - 8 * 10 + 4), 0);
    assert_int_equal(reg(e, 0x3FF00004u) & 4u, 4u);
    assert_int_equal(c->sr[XT_SR_INTENABLE] & (1u << 10), 1u << 10);
    uint32_t b = task_block(31);
    assert_int_equal(peek32(e, b), ESP_ROM_TIMER_TASK);
    assert_int_equal(peek32(e, b + 4), 0x3FFFDDC0u);
    assert_int_equal(peek32(e, b + 8), 4);
    assert_int_equal(reg(e, FRC2_CTRL) & 0xFFu, 0x88);
    assert_int_equal(reg(e, FRC2_ALARM), 0);

    /* setfn / done */
    uint32_t t = timer(0);
    poke32(e, t + 4, 5);
    CALL(e, R_ets_timer_setfn, t, TLOGF, 0x42);
    assert_int_equal(peek32(e, t), UNARMED);
    assert_int_equal(peek32(e, t + 4), 0);
    assert_int_equal(peek32(e, t + 8), 0);
    assert_int_equal(peek32(e, t + 12), TLOGF);
    assert_int_equal(peek32(e, t + 16), 0x42);
    CALL(e, R_ets_timer_done, t);
    assert_int_equal(peek32(e, t), UNARMED);
    assert_int_equal(peek32(e, t + 12), 0);
    assert_int_equal(peek32(e, t + 16), 0);
    env_free(e);
}

static void timers_start(t_env *e)
{
    CALL0(e, R_ets_timer_init);
}

/* Arms timer i (tlog(arg = the timer) unless fn is given) through ets_timer_arm_new. */
static void arm(t_env *e, unsigned i, uint32_t fn, uint32_t time, bool repeat, bool is_ms)
{
    uint32_t t = timer(i);
    if (peek32(e, t + 12) == 0 && fn == 0) CALL(e, R_ets_timer_setfn, t, TLOGF, t);
    if (fn) CALL(e, R_ets_timer_setfn, t, fn, t);
    CALL(e, ESP_ROM_EXT_TIMER_ARM_NEW, t, time, repeat, is_ms);
}

/* Equal deadlines: the newest timer goes first in the list and runs first. */
static void test_timer_equal_deadlines(void **state)
{
    (void)state;
    t_env *e = env_new();
    timers_start(e);
    for (unsigned i = 0; i < 3; i++)
        CALL(e, R_ets_timer_setfn, timer(i), TLOGF, timer(i));
    wreg(e, FRC2_CTRL, 0); /* FRC2 stopped: the three read the same COUNT */
    uint32_t now = reg(e, FRC2_COUNT);
    for (unsigned i = 0; i < 3; i++)
        CALL(e, R_ets_timer_arm, timer(i), 10, 0);
    assert_int_equal(reg(e, FRC2_COUNT), now);
    assert_int_equal(peek32(e, TIMER_HEAD), timer(2));
    assert_int_equal(peek32(e, timer(2)), timer(1));
    assert_int_equal(peek32(e, timer(1)), timer(0));
    assert_int_equal(peek32(e, timer(0)), 0);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(peek32(e, timer(i) + 4), now + 3125); /* 10 ms = 3125 ticks */
    assert_int_equal(reg(e, FRC2_ALARM), now + 3125);
    wreg(e, FRC2_CTRL, 0x88);
    mark(e);
    assert_int_equal(run_ets(e, 50 * PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(tlog_n(e), 3);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(tlog_arg(e, i), timer(2 - i));
        assert_int_equal(peek32(e, timer(i)), UNARMED); /* fired one-shots are unlinked */
    }
    assert_true(near(tlog_us(e, 0), 10000, 50));
    assert_int_equal(peek32(e, TIMER_HEAD), 0);
    env_free(e);
}

/* A periodic timer keeps its phase: expire advances by exactly the period, whatever the
 * dispatch latency; ordering among several timers follows their deadlines. */
static void test_timer_periodic_phase(void **state)
{
    (void)state;
    t_env *e = env_new();
    timers_start(e);
    mark(e);
    arm(e, 0, 0, 10, true, true);  /* every 10 ms */
    arm(e, 1, 0, 25, false, true); /* once at 25 ms */
    uint32_t e0 = peek32(e, timer(0) + 4);
    assert_int_equal(peek32(e, timer(0) + 8), 3125);
    assert_int_equal(peek32(e, timer(1) + 8), 0);
    assert_int_equal(run_ets(e, 1005 * PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(tlog_n(e), 101);
    uint32_t k = 0;
    for (uint32_t i = 0; i < tlog_n(e); i++) {
        if (tlog_arg(e, i) == timer(1)) {
            assert_int_equal(i, 2);                       /* between the 20 ms and 30 ms calls */
            assert_true(near(tlog_us(e, i), 24998, 100)); /* 7812 ticks of 3.2 us */
            continue;
        }
        k++;
        assert_true(near(tlog_us(e, i), 10000 * k, 100));
    }
    assert_int_equal(k, 100);
    assert_int_equal(peek32(e, timer(0) + 4), e0 + 100 * 3125); /* re-inserted for the 101st */
    assert_int_equal(peek32(e, TIMER_HEAD), timer(0));
    /* disarm unlinks it and clears the period */
    CALL(e, R_ets_timer_disarm, timer(0));
    assert_int_equal(peek32(e, timer(0)), UNARMED);
    assert_int_equal(peek32(e, timer(0) + 8), 0);
    assert_int_equal(peek32(e, TIMER_HEAD), 0);
    env_free(e);
}

/* A callback that re-arms its own one-shot timer (ets_timer_arm_new from task context). */
static void test_timer_rearm_from_callback(void **state)
{
    (void)state;
    t_env *e = env_new();
    timers_start(e);
    mark(e);
    arm(e, 0, REARM, 5, false, true);
    assert_int_equal(run_ets(e, 100 * PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(tlog_n(e), 3);
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(tlog_arg(e, i), timer(0));
        assert_true(near(tlog_us(e, i), 4998 * (i + 1), 300)); /* 1562 ticks each */
    }
    assert_int_equal(peek32(e, timer(0)), UNARMED);
    assert_int_equal(peek32(e, TIMER_HEAD), 0);
    env_free(e);
}

/* system_timer_reinit: FRC2 at /16, 5 ticks per microsecond; ms arguments are scaled. */
static void test_timer_us_mode(void **state)
{
    (void)state;
    t_env *e = env_new();
    timers_start(e);
    CALL0(e, ESP_ROM_EXT_TIMER_REINIT);
    assert_int_equal(reg(e, FRC2_CTRL) & 0xFFu, 0x84);
    wreg(e, FRC2_CTRL, 0x04); /* stopped, still / 16: exact tick counts */
    uint32_t now = reg(e, FRC2_COUNT);
    arm(e, 0, 0, 1000, true, false); /* 1000 us */
    assert_int_equal(peek32(e, timer(0) + 4), now + 5000);
    assert_int_equal(peek32(e, timer(0) + 8), 5000);
    arm(e, 1, 0, 2, false, true); /* 2 ms */
    assert_int_equal(peek32(e, timer(1) + 4), now + 10000);
    arm(e, 2, 0, 100, false, false); /* inside the 1280-tick lead: alarm at now + 1280 */
    assert_int_equal(peek32(e, timer(2) + 4), now + 500);
    assert_int_equal(reg(e, FRC2_ALARM), now + 500 + 64 + 1280);
    CALL(e, R_ets_timer_disarm, timer(2));
    assert_int_equal(reg(e, FRC2_ALARM), now + 5000);
    wreg(e, FRC2_CTRL, 0x84);
    mark(e);
    assert_int_equal(run_ets(e, 3500 * PS_PER_US), SIM_NODE_RUNNING);
    /* timer 0 at 1000, 2000, 3000 us; at 2000 it was re-inserted after timer 1 was armed, so
     * it is the newer of the two equal deadlines and runs first */
    assert_int_equal(tlog_n(e), 4);
    static const unsigned who[4] = {0, 0, 1, 0};
    static const uint32_t when[4] = {1000, 2000, 2000, 3000};
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(tlog_arg(e, i), timer(who[i]));
        assert_true(near(tlog_us(e, i), when[i], 40));
    }
    env_free(e);
}

/* A handler call that has been running over 15 ms re-bases periodic timers on "now". */
static void test_timer_rebase(void **state)
{
    (void)state;
    t_env *e = env_new();
    timers_start(e);
    mark(e);
    arm(e, 0, SLOW, 10, true, true); /* the first call busy-waits 25 ms */
    uint32_t e0 = peek32(e, timer(0) + 4);
    assert_int_equal(run_ets(e, 60 * PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(tlog_n(e), 4);
    assert_true(near(tlog_us(e, 0), 10000, 100));
    /* the 20 ms expiry is overdue when the first call ends at 35 ms: it runs at once and is
     * re-based on "now" (35 ms + 10 ms) instead of keeping the phase (30 ms, 40 ms...) */
    assert_true(near(tlog_us(e, 1), 35000, 100));
    assert_true(near(tlog_us(e, 2), 45000, 100));
    assert_true(near(tlog_us(e, 3), 55000, 100));
    uint32_t e4 = peek32(e, timer(0) + 4); /* for 65 ms: e0 + 55 ms */
    assert_true(e4 - e0 >= 17185 && e4 - e0 < 17220);
    env_free(e);
}

/* Range checks print the SDK's messages and leave the timer unarmed. */
static void test_timer_errors(void **state)
{
    (void)state;
    t_env *e = env_new();
    timers_start(e);
    uint32_t t = timer(0);
    CALL(e, R_ets_timer_setfn, t, 0, 0);
    CALL(e, ESP_ROM_EXT_TIMER_ARM_NEW, t, 10, 0, 1);
    assert_string_equal(uart_text(e), "timer:0x3fff3000 cb is null\r\n");
    e->nout = 0;
    CALL(e, R_ets_timer_setfn, t, TLOGF, 0);
    CALL(e, R_ets_timer_arm, t, 6870948, 1);
    assert_string_equal(uart_text(e), "err3,exceed max time value\r\n");
    assert_int_equal(peek32(e, t), UNARMED);
    assert_int_equal(peek32(e, t + 8), 0);
    e->nout = 0;
    CALL(e, R_ets_timer_arm, t, 6870947, 1); /* the largest accepted */
    assert_int_equal(peek32(e, t + 8), 1717736u * 1250u + 3u * 312u);
    assert_int_equal(peek32(e, TIMER_HEAD), t);
    CALL(e, R_ets_timer_arm, t, 13744, 0); /* re-arming an armed timer disarms it first */
    assert_int_equal(peek32(e, t + 8), 0);
    CALL(e, R_ets_timer_disarm, t);
    CALL0(e, ESP_ROM_EXT_TIMER_REINIT);
    CALL(e, ESP_ROM_EXT_TIMER_ARM_NEW, t, 428497, 0, 1);
    CALL(e, ESP_ROM_EXT_TIMER_ARM_NEW, t, 428496730, 0, 0);
    assert_string_equal(uart_text(e),
                        "err1,exceed max time value\r\nerr2,exceed max time value\r\n");
    assert_int_equal(peek32(e, t), UNARMED);
    CALL(e, ESP_ROM_EXT_TIMER_ARM_NEW, t, 428496729, 1, 0);
    assert_int_equal(peek32(e, t + 8), 2142483645u);
    assert_int_equal(peek32(e, TIMER_HEAD), t);

    /* ets_timer_done on an armed timer: the ROM's message, then it hangs */
    e->nout = 0;
    xt_cpu *c = &e->m.node.cpu;
    c->a[2] = t;
    c->a[0] = HALT;
    c->pc = R_ets_timer_done;
    e->m.node.state = SIM_NODE_RUNNING;
    assert_int_equal(sim_node_run_until(&e->m.node, sim_node_now(&e->m.node) + 10 * PS_PER_MS),
                     SIM_NODE_RUNNING);
    assert_int_equal(c->pc, R_ets_timer_done + 4);
    assert_string_equal(uart_text(e), "ets_timer.c 231\r\n");
    env_free(e);
}

/* One virtual hour of a 1 s periodic timer: exactly 3600 callbacks on time, with the CPU asleep
 * in between (few instructions per second). */
static void test_timer_idle_hour(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    timers_start(e);
    mark(e);
    arm(e, 0, 0, 1000, true, true);
    uint64_t insns0 = c->insns;
    assert_int_equal(run_ets(e, 3600 * PS_PER_S + 500 * PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(tlog_n(e), 3600);
    for (uint32_t i = 0; i < 3600; i++) {
        uint32_t want = 1000000u * (i + 1);
        assert_true(near(tlog_us(e, i), want, 50));
    }
    assert_true(c->insns - insns0 < 3600u * 200u);
    assert_true(c->waiting);
    env_free(e);
}

/* ---- soft watchdog -----------------------------------------------------------------------------
 */

/* A task that never returns to ets_run: the first expiry (1.6 s) sets the flag, the second
 * (3.2 s) resets the chip with rst_info reason 3, once the UART has sent what it holds. */
static void test_soft_wdt_reset(void **state)
{
    (void)state;
    t_env *e = env_new();
    unsigned resets = e->m.reset_count;
    CALL(e, R_ets_task, HOG, 5, QUEUES, 1);
    CALL(e, R_ets_post, 5, 0, 0);
    mark(e);
    CALL0(e, ESP_ROM_EXT_SOFT_WDT_RESTART);
    assert_int_equal(run_ets(e, 3195 * PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(e->m.reset_count, resets);
    assert_true(e->m.rom.soft_wdt.flag);
    /* 100 bytes in the TX FIFO (8.7 ms at 115200 baud): the restart waits for them */
    char pattern[101];
    for (unsigned i = 0; i < 100; i++) {
        pattern[i] = (char)('A' + i % 26);
        assert_true(esp_uart_tx_push(&e->m.uart[0], (uint8_t)pattern[i]));
    }
    pattern[100] = 0;
    uint64_t drained = esp_uart_tx_idle_at(&e->m.uart[0]);
    assert_true(drained > e->t0 + 3200 * PS_PER_MS);
    run_on(e, 3201 * PS_PER_MS);
    assert_int_equal(e->m.reset_count, resets); /* 3.2 s expiry seen, UART still sending */
    assert_true(e->m.rom.soft_wdt.resetting);
    run_on(e, 3300 * PS_PER_MS);
    assert_int_equal(e->m.reset_count, resets + 1);
    assert_true(e->nout > 100);
    assert_memory_equal(e->out, pattern, 100); /* nothing lost, nothing printed before */
    e->out[e->nout] = 0;
    assert_non_null(strstr(e->out + 100, "rst cause:2")); /* the ROM's banner after it */
    assert_int_equal(e->m.last_reset, ESP_RESET_SOFTWARE);
    uint32_t info[7];
    memcpy(info, e->m.rtcmem + (ESP_RST_INFO_ADDR - ESP_RTCMEM_BASE), sizeof(info));
    assert_int_equal(info[0], ESP_RST_SOFT_WDT);
    for (unsigned i = 1; i < 7; i++)
        assert_int_equal(info[i], 0);
    env_free(e);
}

/* No reset while the scheduler keeps getting control: an idle ets_run (woken by the expiry
 * itself), or a busy one; system_soft_wdt_feed also clears the flag; _stop postpones 70 s. */
static void test_soft_wdt_fed(void **state)
{
    (void)state;
    t_env *e = env_new();
    unsigned resets = e->m.reset_count;
    timers_start(e);
    mark(e);
    CALL0(e, ESP_ROM_EXT_SOFT_WDT_RESTART);
    arm(e, 0, 0, 500, true, true);
    assert_int_equal(run_ets(e, 10100 * PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(e->m.reset_count, resets);
    assert_int_equal(tlog_n(e), 20);
    CALL(e, R_ets_timer_disarm, timer(0));
    assert_int_equal(run_ets(e, 20 * PS_PER_S), SIM_NODE_RUNNING); /* idle only */
    assert_int_equal(e->m.reset_count, resets);

    /* feed and stop from code that does not return to ets_run */
    mark(e);
    CALL0(e, ESP_ROM_EXT_SOFT_WDT_RESTART);
    CALL(e, R_ets_delay_us, 2000000); /* expiry at 1.6 s: flag */
    assert_true(e->m.rom.soft_wdt.flag);
    CALL0(e, ESP_ROM_EXT_SOFT_WDT_FEED);
    assert_false(e->m.rom.soft_wdt.flag);
    CALL(e, R_ets_delay_us, 2000000); /* 3.2 s: flag again, no reset */
    assert_int_equal(e->m.reset_count, resets);
    CALL0(e, ESP_ROM_EXT_SOFT_WDT_STOP);
    CALL(e, R_ets_delay_us, 60000000); /* a minute without feeding */
    assert_int_equal(e->m.reset_count, resets);
    assert_false(e->m.rom.soft_wdt.flag);
    /* while interrupts are masked the expiry cannot be taken */
    CALL0(e, ESP_ROM_EXT_SOFT_WDT_RESTART);
    CALL0(e, R_ets_intr_lock);
    CALL(e, R_ets_delay_us, 5000000);
    assert_int_equal(e->m.reset_count, resets);
    CALL0(e, R_ets_intr_unlock);
    env_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_task_queue_full),
        cmocka_unit_test(test_run_order),
        cmocka_unit_test(test_idle_and_isr_post),
        cmocka_unit_test(test_isr_table_and_masks),
        cmocka_unit_test(test_l1_dispatch),
        cmocka_unit_test(test_locked_interrupt),
        cmocka_unit_test(test_timer_init),
        cmocka_unit_test(test_timer_equal_deadlines),
        cmocka_unit_test(test_timer_periodic_phase),
        cmocka_unit_test(test_timer_rearm_from_callback),
        cmocka_unit_test(test_timer_us_mode),
        cmocka_unit_test(test_timer_rebase),
        cmocka_unit_test(test_timer_errors),
        cmocka_unit_test(test_timer_idle_hour),
        cmocka_unit_test(test_soft_wdt_reset),
        cmocka_unit_test(test_soft_wdt_fed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
