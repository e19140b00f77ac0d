/* tests/unit/test_timer.c — models/esp8266/timer: FRC1 count-down at /1, /16, /256, auto-reload
 * and one-shot stop at 0, edge vs level interrupts and INT clear, DPORT EDGE_INT_ENABLE gating,
 * NMI routing, FRC2 count-up from LOAD, the alarm at the exact tick, 32-bit wrap, an alarm in
 * the past (fires after a full wrap), prescaler/enable re-basing, reset. Time is driven on a bare
 * node (80 MHz: one cycle = one APB tick = 12500 ps) by moving its cycle counter and running the
 * event queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp8266/timer.h"
#include "xt_config.h"

#define APB     12500ull       /* ps */
#define DIV16   (16ull * APB)  /* 200 ns */
#define DIV_256 (256ull * APB) /* 3.2 us */
#define EN      0x80u          /* CTRL enable */
#define RELOAD  0x40u
#define LEVEL   0x01u
#define STATUS  0x100u
#define IRQ9    (1u << 9)
#define IRQ10   (1u << 10)
#define NMI     (1u << 14)

typedef struct rig {
    sim_node node;
    esp_soc s;
    esp_frc t;
} rig;

static rig *rig_new(void)
{
    rig *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    sim_node_init(&r->node, "n", 0x40000080u, 80000000u, 0, 0);
    esp_soc_init(&r->s, &r->node, 1);
    esp_frc_init(&r->t, &r->node, &r->s);
    esp_dport_write(&r->s, 0x04, 7, 4); /* all edge interrupts enabled */
    return r;
}

static void rig_free(rig *r)
{
    esp_frc_free(&r->t);
    sim_node_free(&r->node);
    free(r);
}

/* Moves the node to t_ps (a multiple of 12500 ps) and runs the events due by then. */
static void run_to(rig *r, uint64_t t_ps)
{
    assert_int_equal(t_ps % APB, 0);
    r->node.cpu.cycles = t_ps / APB;
    sim_sched_run_until(&r->node.sched, t_ps);
}

static uint64_t now(rig *r)
{
    return sim_node_now(&r->node);
}

/* The CPU's latched edge interrupts; cleared after reading (as WSR.INTCLEAR would). */
static uint32_t take_irqs(rig *r)
{
    uint32_t v = r->node.cpu.sr[XT_SR_INTERRUPT];
    r->node.cpu.sr[XT_SR_INTERRUPT] = 0;
    return v;
}

static uint32_t rd(rig *r, uint32_t off)
{
    return esp_frc_read(&r->t, off, 4);
}

static void wr(rig *r, uint32_t off, uint32_t v)
{
    esp_frc_write(&r->t, off, v, 4);
}

static void test_frc1_countdown(void **state)
{
    (void)state;
    const uint64_t ticks[3] = {APB, DIV16, DIV_256};
    for (unsigned d = 0; d < 3; d++) {
        rig *r = rig_new();
        uint64_t tick = ticks[d], t0 = 1000 * APB;
        run_to(r, t0);
        wr(r, ESP_FRC1_CTRL, EN | (d << 2));
        wr(r, ESP_FRC1_LOAD, 1000);
        assert_int_equal(rd(r, ESP_FRC1_COUNT), 1000);
        assert_int_equal(rd(r, ESP_FRC1_CTRL), EN | (d << 2));
        if (tick > APB) {
            run_to(r, t0 + tick - APB); /* just before the first tick */
            assert_int_equal(rd(r, ESP_FRC1_COUNT), 1000);
        }
        run_to(r, t0 + tick);
        assert_int_equal(rd(r, ESP_FRC1_COUNT), 999);
        run_to(r, t0 + 500 * tick);
        assert_int_equal(rd(r, ESP_FRC1_COUNT), 500);
        /* the interrupt comes exactly when COUNT reaches 0 */
        uint64_t zero = t0 + 1000 * tick;
        assert_true(sim_event_pending(&r->t.frc1_ev));
        assert_int_equal(r->t.frc1_ev.when, zero);
        run_to(r, zero - APB);
        assert_int_equal(take_irqs(r), 0);
        assert_int_equal(rd(r, ESP_FRC1_COUNT), 1);
        run_to(r, zero);
        assert_int_equal(take_irqs(r), IRQ9);
        /* one-shot: stops at 0 */
        assert_int_equal(rd(r, ESP_FRC1_COUNT), 0);
        assert_false(sim_event_pending(&r->t.frc1_ev));
        run_to(r, zero + 5000 * tick);
        assert_int_equal(rd(r, ESP_FRC1_COUNT), 0);
        assert_int_equal(take_irqs(r), 0);
        rig_free(r);
    }
}

static void test_frc1_reload(void **state)
{
    (void)state;
    rig *r = rig_new();
    /* the SDK hw_timer: enable | /16 | edge | autoload, 1 ms = 5000 ticks (§3.7) */
    wr(r, ESP_FRC1_CTRL, EN | RELOAD | (1u << 2));
    wr(r, ESP_FRC1_LOAD, 5000);
    const uint64_t ms = 1000000000ull;
    for (unsigned i = 1; i <= 10; i++) {
        assert_int_equal(r->t.frc1_ev.when, i * ms);
        run_to(r, i * ms - APB);
        assert_int_equal(take_irqs(r), 0);
        run_to(r, i * ms);
        assert_int_equal(take_irqs(r), IRQ9);
        assert_int_equal(rd(r, ESP_FRC1_COUNT), 5000); /* reloaded at the same tick */
    }
    run_to(r, 10 * ms + DIV16);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 4999);
    /* LOAD is 23 bits; a new LOAD restarts the count from it at once */
    wr(r, ESP_FRC1_LOAD, 0xFFFFFFFFu);
    assert_int_equal(rd(r, ESP_FRC1_LOAD), 0x7FFFFF);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 0x7FFFFF);
    assert_int_equal(r->t.frc1_ev.when, 10 * ms + DIV16 + 0x7FFFFFull * DIV16);
    /* COUNT ignores writes; a byte write to LOAD merges */
    wr(r, ESP_FRC1_COUNT, 3);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 0x7FFFFF);
    esp_frc_write(&r->t, ESP_FRC1_LOAD + 1, 0x01, 1);
    assert_int_equal(rd(r, ESP_FRC1_LOAD), 0x7F01FF);
    assert_int_equal(esp_frc_read(&r->t, ESP_FRC1_LOAD + 1, 1), 0x01);
    rig_free(r);
}

static void test_frc1_oneshot_restart(void **state)
{
    (void)state;
    rig *r = rig_new();
    wr(r, ESP_FRC1_CTRL, EN);
    assert_false(sim_event_pending(&r->t.frc1_ev)); /* COUNT 0: nothing to count */
    wr(r, ESP_FRC1_LOAD, 10);
    run_to(r, 10 * APB);
    assert_int_equal(take_irqs(r), IRQ9);
    /* stopped at 0: setting auto-reload or re-enabling does not restart it */
    wr(r, ESP_FRC1_CTRL, EN | RELOAD);
    wr(r, ESP_FRC1_CTRL, 0);
    wr(r, ESP_FRC1_CTRL, EN | RELOAD);
    assert_false(sim_event_pending(&r->t.frc1_ev));
    run_to(r, 100 * APB);
    assert_int_equal(take_irqs(r), 0);
    /* LOAD 0 raises nothing */
    wr(r, ESP_FRC1_LOAD, 0);
    assert_false(sim_event_pending(&r->t.frc1_ev));
    /* a LOAD write restarts it */
    wr(r, ESP_FRC1_LOAD, 20);
    assert_int_equal(r->t.frc1_ev.when, 120 * APB);
    run_to(r, 160 * APB);
    assert_int_equal(take_irqs(r), IRQ9);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 20); /* fired at 120, 140, 160; reloaded */
    /* a LOAD write while disabled loads COUNT but does not count */
    wr(r, ESP_FRC1_CTRL, RELOAD);
    wr(r, ESP_FRC1_LOAD, 7);
    run_to(r, 200 * APB);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 7);
    assert_false(sim_event_pending(&r->t.frc1_ev));
    wr(r, ESP_FRC1_CTRL, EN | RELOAD);
    assert_int_equal(r->t.frc1_ev.when, 207 * APB);
    rig_free(r);
}

static void test_edge_vs_level(void **state)
{
    (void)state;
    rig *r = rig_new();
    /* edge: every expiry raises an edge; the status is never latched */
    wr(r, ESP_FRC1_CTRL, EN | RELOAD);
    wr(r, ESP_FRC1_LOAD, 100);
    for (unsigned i = 1; i <= 3; i++) {
        run_to(r, i * 100 * APB);
        assert_int_equal(take_irqs(r), IRQ9);
        assert_int_equal(rd(r, ESP_FRC1_CTRL) & STATUS, 0);
    }
    /* INT reads LOAD (S7) */
    assert_int_equal(rd(r, ESP_FRC1_INT), 100);

    /* level: the status holds; no new interrupt until INT is written */
    wr(r, ESP_FRC1_CTRL, EN | RELOAD | LEVEL);
    run_to(r, 400 * APB);
    assert_int_equal(take_irqs(r), IRQ9);
    assert_int_equal(rd(r, ESP_FRC1_CTRL), EN | RELOAD | LEVEL | STATUS);
    run_to(r, 600 * APB); /* two more expiries while held */
    assert_int_equal(take_irqs(r), 0);
    assert_int_equal(rd(r, ESP_FRC1_CTRL) & STATUS, STATUS);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 100);       /* still counting */
    wr(r, ESP_FRC1_CTRL, EN | RELOAD | LEVEL | STATUS); /* bit 8 is read-only */
    assert_int_equal(r->t.frc1_ctrl, EN | RELOAD | LEVEL);
    wr(r, ESP_FRC1_INT, 0); /* any write clears */
    assert_int_equal(rd(r, ESP_FRC1_CTRL) & STATUS, 0);
    run_to(r, 700 * APB);
    assert_int_equal(take_irqs(r), IRQ9);
    assert_int_equal(rd(r, ESP_FRC1_CTRL) & STATUS, STATUS);
    esp_frc_write(&r->t, ESP_FRC1_INT, 1, 1);
    assert_int_equal(rd(r, ESP_FRC1_CTRL) & STATUS, 0);

    /* FRC2 level */
    wr(r, ESP_FRC2_CTRL, EN | LEVEL);
    wr(r, ESP_FRC2_ALARM, 10);
    run_to(r, 710 * APB);
    assert_int_equal(take_irqs(r) & IRQ10, IRQ10);
    assert_int_equal(rd(r, ESP_FRC2_CTRL), EN | LEVEL | STATUS);
    wr(r, ESP_FRC2_INT, 0);
    assert_int_equal(rd(r, ESP_FRC2_CTRL), EN | LEVEL);
    rig_free(r);
}

static void test_dport_gating(void **state)
{
    (void)state;
    rig *r = rig_new();
    esp_dport_write(&r->s, 0x04, 0, 4);
    wr(r, ESP_FRC1_CTRL, EN | RELOAD);
    wr(r, ESP_FRC1_LOAD, 100);
    wr(r, ESP_FRC2_CTRL, EN);
    wr(r, ESP_FRC2_ALARM, 150);
    run_to(r, 200 * APB);
    assert_int_equal(take_irqs(r), 0);  /* both gated: the edges are lost */
    esp_dport_write(&r->s, 0x04, 2, 4); /* FRC1 only */
    assert_int_equal(take_irqs(r), 0);  /* opening the gate raises nothing retroactively */
    wr(r, ESP_FRC2_ALARM, 250);
    run_to(r, 300 * APB);
    assert_int_equal(take_irqs(r), IRQ9); /* FRC1 at 300; FRC2 at 250 lost */
    esp_dport_write(&r->s, 0x04, 4, 4);   /* FRC2 only */
    wr(r, ESP_FRC2_ALARM, 350);
    run_to(r, 400 * APB);
    assert_int_equal(take_irqs(r), IRQ10);
    esp_dport_write(&r->s, 0x04, 6, 4);
    wr(r, ESP_FRC2_ALARM, 500);
    run_to(r, 500 * APB);
    assert_int_equal(take_irqs(r), IRQ9 | IRQ10);
    rig_free(r);
}

static void test_nmi_routing(void **state)
{
    (void)state;
    rig *r = rig_new();
    esp_dport_write(&r->s, 0x00, 1, 4); /* route FRC1 to the NMI (inference, timer.h) */
    wr(r, ESP_FRC1_CTRL, EN | RELOAD);
    wr(r, ESP_FRC1_LOAD, 100);
    wr(r, ESP_FRC2_CTRL, EN);
    wr(r, ESP_FRC2_ALARM, 100);
    run_to(r, 100 * APB);
    assert_int_equal(take_irqs(r), NMI | IRQ10); /* FRC2 is not routed */
    /* still gated by EDGE_INT_ENABLE bit 1 */
    esp_dport_write(&r->s, 0x04, 5, 4);
    run_to(r, 200 * APB);
    assert_int_equal(take_irqs(r), 0);
    esp_dport_write(&r->s, 0x04, 7, 4);
    esp_dport_write(&r->s, 0x00, 0, 4);
    run_to(r, 300 * APB);
    assert_int_equal(take_irqs(r), IRQ9);
    rig_free(r);
}

static void test_frc2_count_up(void **state)
{
    (void)state;
    rig *r = rig_new();
    assert_int_equal(esp_frc2_count(&r->t), 0);
    /* the ROM timer service: CTRL 0x88 = enable, /256 (C.6) */
    wr(r, ESP_FRC2_CTRL, 0x88);
    assert_int_equal(esp_frc2_tick_ps(&r->t), 3200000u);
    wr(r, ESP_FRC2_LOAD, 100);
    assert_int_equal(rd(r, ESP_FRC2_COUNT), 100);
    assert_int_equal(rd(r, ESP_FRC2_LOAD), 100);
    assert_int_equal(rd(r, ESP_FRC2_INT), 100);
    run_to(r, 10 * DIV_256 - APB);
    assert_int_equal(rd(r, ESP_FRC2_COUNT), 109);
    run_to(r, 10 * DIV_256);
    assert_int_equal(rd(r, ESP_FRC2_COUNT), 110);
    assert_int_equal(esp_frc2_count(&r->t), 110);
    /* one second = 312500 ticks */
    run_to(r, 1000000000000ull);
    assert_int_equal(esp_frc2_count(&r->t), 100 + 312500);
    wr(r, ESP_FRC2_COUNT, 5); /* read-only */
    assert_int_equal(esp_frc2_count(&r->t), 100 + 312500);
    /* system_timer_reinit: 0x84 = /16, 0.2 us */
    wr(r, ESP_FRC2_CTRL, 0x84);
    assert_int_equal(esp_frc2_tick_ps(&r->t), 200000u);
    run_to(r, 1000000000000ull + 5 * DIV16);
    assert_int_equal(esp_frc2_count(&r->t), 100 + 312500 + 5);
    rig_free(r);
}

static void test_frc2_alarm_exact(void **state)
{
    (void)state;
    rig *r = rig_new();
    wr(r, ESP_FRC2_CTRL, 0x88);
    run_to(r, 7 * APB); /* not on a tick boundary of the /256 clock */
    uint32_t c = esp_frc2_count(&r->t);
    assert_int_equal(c, 0);
    esp_frc2_set_alarm(&r->t, c + 50);
    assert_int_equal(rd(r, ESP_FRC2_ALARM), 50);
    uint64_t at = 50 * DIV_256;
    assert_int_equal(r->t.frc2_ev.when, at);
    run_to(r, at - APB);
    assert_int_equal(take_irqs(r), 0);
    assert_int_equal(esp_frc2_count(&r->t), 49);
    run_to(r, at);
    assert_int_equal(take_irqs(r), IRQ10);
    assert_int_equal(esp_frc2_count(&r->t), 50);
    assert_int_equal(rd(r, ESP_FRC2_CTRL) & STATUS, 0); /* edge: not latched */
    /* the next match is a full wrap later */
    assert_int_equal(r->t.frc2_ev.when, at + (1ull << 32) * DIV_256);
    /* re-programming moves it */
    wr(r, ESP_FRC2_ALARM, 60);
    assert_int_equal(r->t.frc2_ev.when, 60 * DIV_256);
    /* a LOAD write moves COUNT and re-evaluates the alarm */
    run_to(r, 55 * DIV_256);
    wr(r, ESP_FRC2_LOAD, 40);
    assert_int_equal(r->t.frc2_ev.when, 55 * DIV_256 + 20 * DIV_256);
    /* disabling stops counting and the alarm; enabling resumes from the frozen count */
    run_to(r, 65 * DIV_256);
    wr(r, ESP_FRC2_CTRL, 0x08);
    assert_false(sim_event_pending(&r->t.frc2_ev));
    run_to(r, 1000 * DIV_256);
    assert_int_equal(esp_frc2_count(&r->t), 50);
    assert_int_equal(take_irqs(r), 0);
    wr(r, ESP_FRC2_CTRL, 0x88);
    assert_int_equal(r->t.frc2_ev.when, 1010 * DIV_256);
    run_to(r, 1010 * DIV_256);
    assert_int_equal(take_irqs(r), IRQ10);
    rig_free(r);
}

static void test_frc2_wrap(void **state)
{
    (void)state;
    rig *r = rig_new();
    wr(r, ESP_FRC2_CTRL, EN);
    wr(r, ESP_FRC2_LOAD, 0xFFFFFFF0u);
    wr(r, ESP_FRC2_ALARM, 5);
    assert_int_equal(r->t.frc2_ev.when, 0x15 * APB);
    run_to(r, 0x10 * APB);
    assert_int_equal(esp_frc2_count(&r->t), 0);
    run_to(r, 0x20 * APB);
    assert_int_equal(esp_frc2_count(&r->t), 0x10);
    assert_int_equal(take_irqs(r), IRQ10);
    /* a long way round: 2^32 + 3 ticks after the load */
    run_to(r, (0x100000000ull + 3) * APB);
    assert_int_equal(esp_frc2_count(&r->t), 0xFFFFFFF3u);
    rig_free(r);
}

static void test_frc2_alarm_past(void **state)
{
    (void)state;
    rig *r = rig_new();
    wr(r, ESP_FRC2_CTRL, 0x84); /* /16 */
    run_to(r, 100 * DIV16);
    assert_int_equal(esp_frc2_count(&r->t), 100);
    /* ALARM == COUNT now: it does not fire now but when COUNT next becomes 100 */
    esp_frc2_set_alarm(&r->t, 100);
    assert_int_equal(r->t.frc2_ev.when, 100 * DIV16 + (1ull << 32) * DIV16);
    /* ALARM just passed: 2^32 - 1 ticks */
    esp_frc2_set_alarm(&r->t, 99);
    assert_int_equal(r->t.frc2_ev.when, 100 * DIV16 + ((1ull << 32) - 1) * DIV16);
    run_to(r, 100 * DIV16 + ((1ull << 32) - 2) * DIV16);
    assert_int_equal(take_irqs(r), 0);
    run_to(r, 100 * DIV16 + ((1ull << 32) - 1) * DIV16);
    assert_int_equal(take_irqs(r), IRQ10);
    assert_int_equal(esp_frc2_count(&r->t), 99);
    /* LOAD == ALARM: loading is no match */
    wr(r, ESP_FRC2_LOAD, 99);
    assert_int_equal(r->t.frc2_ev.when, now(r) + (1ull << 32) * DIV16);
    rig_free(r);
}

static void test_prescaler_rebase(void **state)
{
    (void)state;
    rig *r = rig_new();
    /* FRC1 at /16 from 1000; at 10.5 ticks switch to /1 */
    wr(r, ESP_FRC1_CTRL, EN | (1u << 2));
    wr(r, ESP_FRC1_LOAD, 1000);
    uint64_t t = 10 * DIV16 + 8 * APB;
    run_to(r, t);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 990);
    wr(r, ESP_FRC1_CTRL, EN);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 990);
    run_to(r, t + APB);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 989); /* one full new tick after the write */
    assert_int_equal(r->t.frc1_ev.when, t + 990 * APB);
    /* /256 */
    wr(r, ESP_FRC1_CTRL, EN | (2u << 2));
    assert_int_equal(r->t.frc1_ev.when, t + APB + 989 * DIV_256);
    /* disabling freezes the count; enabling continues */
    run_to(r, t + APB + 9 * DIV_256);
    wr(r, ESP_FRC1_CTRL, 2u << 2);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 980);
    assert_false(sim_event_pending(&r->t.frc1_ev));
    run_to(r, t + APB + 500 * DIV_256);
    assert_int_equal(rd(r, ESP_FRC1_COUNT), 980);
    wr(r, ESP_FRC1_CTRL, EN | (2u << 2));
    assert_int_equal(r->t.frc1_ev.when, t + APB + 500 * DIV_256 + 980 * DIV_256);
    /* INT_HOLD / reload changes do not re-base */
    run_to(r, t + APB + 500 * DIV_256 + 100 * APB);
    wr(r, ESP_FRC1_CTRL, EN | (2u << 2) | LEVEL | RELOAD);
    assert_int_equal(r->t.frc1_ev.when, t + APB + 500 * DIV_256 + 980 * DIV_256);

    /* FRC2: /256 -> /16 mid-tick */
    wr(r, ESP_FRC2_CTRL, 0x88);
    uint64_t b = now(r);
    run_to(r, b + 20 * DIV_256 + 100 * APB);
    assert_int_equal(esp_frc2_count(&r->t), 20);
    wr(r, ESP_FRC2_ALARM, 30);
    assert_int_equal(r->t.frc2_ev.when, b + 30 * DIV_256);
    uint64_t w = now(r);
    wr(r, ESP_FRC2_CTRL, 0x84);
    assert_int_equal(esp_frc2_count(&r->t), 20);
    assert_int_equal(r->t.frc2_ev.when, w + 10 * DIV16);
    run_to(r, w + 10 * DIV16);
    assert_int_equal(take_irqs(r) & IRQ10, IRQ10);
    assert_int_equal(esp_frc2_count(&r->t), 30);
    rig_free(r);
}

static void test_reset_and_storage(void **state)
{
    (void)state;
    rig *r = rig_new();
    wr(r, ESP_FRC1_CTRL, EN | RELOAD | LEVEL);
    wr(r, ESP_FRC1_LOAD, 10);
    wr(r, ESP_FRC2_CTRL, EN);
    wr(r, ESP_FRC2_ALARM, 10);
    run_to(r, 10 * APB);
    assert_int_equal(rd(r, ESP_FRC1_CTRL) & STATUS, STATUS);
    wr(r, 0x40, 0x1234); /* other words: storage */
    esp_frc_write(&r->t, 0x41, 0x56, 1);
    assert_int_equal(rd(r, 0x40), 0x5634);
    esp_frc_reset(&r->t);
    assert_false(sim_event_pending(&r->t.frc1_ev));
    assert_false(sim_event_pending(&r->t.frc2_ev));
    const uint32_t regs[] = {
        ESP_FRC1_LOAD,  ESP_FRC1_COUNT, ESP_FRC1_CTRL, ESP_FRC1_INT,   ESP_FRC2_LOAD,
        ESP_FRC2_COUNT, ESP_FRC2_CTRL,  ESP_FRC2_INT,  ESP_FRC2_ALARM, 0x40};
    for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
        assert_int_equal(rd(r, regs[i]), 0);
    run_to(r, 1000 * APB);
    assert_int_equal(esp_frc2_count(&r->t), 0);
    rig_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frc1_countdown),
        cmocka_unit_test(test_frc1_reload),
        cmocka_unit_test(test_frc1_oneshot_restart),
        cmocka_unit_test(test_edge_vs_level),
        cmocka_unit_test(test_dport_gating),
        cmocka_unit_test(test_nmi_routing),
        cmocka_unit_test(test_frc2_count_up),
        cmocka_unit_test(test_frc2_alarm_exact),
        cmocka_unit_test(test_frc2_wrap),
        cmocka_unit_test(test_frc2_alarm_past),
        cmocka_unit_test(test_prescaler_rebase),
        cmocka_unit_test(test_reset_and_storage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
