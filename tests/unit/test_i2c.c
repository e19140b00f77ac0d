/* tests/unit/test_i2c.c — models/i2c/i2c_bus: wired-AND resolution of three participants,
 * change times and stretch attribution, nested changes from listeners (FIFO order, queue
 * overflow), time clamping; the decoder and the target at 0x12 against a controller
 * bit-banged here (half period H = 1 us, as MicroPython's soft I2C at 400 kHz, protocols.md
 * A.6): a write (S 24 5A C3 P) ACKed, a read (S 25 00 00 P) with the last byte NACKed, bit
 * order of read bytes, a repeated START, address mismatch and address refused (NACK),
 * clock stretching with its exact duration, STOP and START inside a byte (error, recovery at
 * the next START), clocks on an idle bus. Every event is checked for kind, time and fields.
 *
 * Controller timing: with the START's SDA fall at T, SCL falls at T+H and bit k of frame j
 * (k = 0..8, 8 = ACK) has its rising edge at T + (2 + 2(9j + k))H and its falling edge H
 * later. STOP: SDA low at the last fall F, SCL rise at F+H, SDA rise (STOP) at F+2H. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "i2c/i2c_bus.h"

#define H  1000000ull /* ps: half an SCL period */
#define T0 (10 * H)   /* when the first START of each test begins */

/* Time of the rising edge of bit k of frame j after a START at t0. */
#define RISE(t0, j, k) ((t0) + (2 + 2 * (9 * (j) + (k))) * H)
#define FALL(t0, j, k) (RISE(t0, j, k) + H)

typedef struct edge_rec {
    i2c_line line;
    bool level;
    uint64_t t;
    int by;
} edge_rec;

typedef struct rig {
    i2c_bus bus;
    i2c_dec dec;
    i2c_target tgt;
    i2c_bus_listener watch;
    int ctl;    /* the controller's participant id */
    uint64_t t; /* the controller's clock (ps) */
    i2c_event ev[128];
    unsigned nev;
    edge_rec edges[1024];
    unsigned nedges;
    bool scl_high;    /* the watcher's view of SCL */
    unsigned bad_sda; /* SDA edges by a non-controller while SCL was high */
    /* target side */
    bool refuse_addr;   /* addr callback returns NACK */
    bool stretch_addr;  /* addr callback asks for a clock stretch */
    unsigned nack_from; /* write callback NACKs bytes from this count on (0 = never) */
    unsigned naddr;
    uint8_t wr[16];
    uint64_t wr_ps[16];
    unsigned nwr;
    uint8_t rd[16]; /* bytes the target supplies */
    uint64_t rd_ps[16];
    unsigned nrd;
    bool rd_ack[16];
    uint64_t rd_ack_ps[16];
    unsigned nrd_ack;
    uint64_t stop_ps[8];
    unsigned nstop;
} rig;

/* ---- target callbacks ------------------------------------------------------------------- */

static bool t_addr(void *opaque, bool read, uint64_t t_ps)
{
    rig *r = opaque;
    (void)read;
    r->naddr++;
    if (r->stretch_addr) i2c_target_hold_scl(&r->tgt, t_ps);
    return !r->refuse_addr;
}

static bool t_write(void *opaque, uint8_t byte, uint64_t t_ps)
{
    rig *r = opaque;
    assert_true(r->nwr < 16);
    r->wr[r->nwr] = byte;
    r->wr_ps[r->nwr] = t_ps;
    r->nwr++;
    return !(r->nack_from && r->nwr >= r->nack_from);
}

static uint8_t t_read(void *opaque, uint64_t t_ps)
{
    rig *r = opaque;
    assert_true(r->nrd < 16);
    r->rd_ps[r->nrd] = t_ps;
    return r->rd[r->nrd++];
}

static void t_read_ack(void *opaque, bool ack, uint64_t t_ps)
{
    rig *r = opaque;
    assert_true(r->nrd_ack < 16);
    r->rd_ack[r->nrd_ack] = ack;
    r->rd_ack_ps[r->nrd_ack] = t_ps;
    r->nrd_ack++;
}

static void t_stop(void *opaque, uint64_t t_ps)
{
    rig *r = opaque;
    assert_true(r->nstop < 8);
    r->stop_ps[r->nstop++] = t_ps;
}

static const i2c_target_ops tops = {t_addr, t_write, t_read, t_read_ack, t_stop};

/* ---- observers -------------------------------------------------------------------------- */

static void on_event(void *opaque, const i2c_event *e)
{
    rig *r = opaque;
    assert_true(r->nev < 128);
    r->ev[r->nev++] = *e;
}

static void on_edge(void *opaque, const i2c_edge *e)
{
    rig *r = opaque;
    assert_true(r->nedges < 1024);
    r->edges[r->nedges++] = (edge_rec){e->line, e->level, e->t_ps, e->by};
    if (e->line == I2C_SCL) r->scl_high = e->level;
    if (e->line == I2C_SDA && r->scl_high && e->by != r->ctl) r->bad_sda++;
}

static rig *rig_new(void)
{
    rig *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    i2c_bus_init(&r->bus);
    r->ctl = i2c_bus_attach(&r->bus);
    assert_int_equal(r->ctl, 0);
    i2c_bus_listen(&r->bus, &r->watch, on_edge, r);
    r->scl_high = true;
    i2c_dec_init(&r->dec, on_event, r);
    i2c_dec_attach(&r->dec, &r->bus);
    assert_true(i2c_target_init(&r->tgt, &r->bus, 0x12, &tops, r));
    assert_int_equal(r->tgt.id, 1);
    r->t = T0;
    return r;
}

static void rig_free(rig *r)
{
    assert_int_equal(r->bad_sda, 0);
    assert_int_equal(r->bus.dropped, 0);
    free(r);
}

/* ---- the controller (bit-banged, SCL low between bits) ---------------------------------- */

static void sda(rig *r, bool v)
{
    i2c_bus_drive(&r->bus, r->ctl, I2C_SDA, v, r->t);
}

static void scl(rig *r, bool v)
{
    i2c_bus_drive(&r->bus, r->ctl, I2C_SCL, v, r->t);
}

static void wait(rig *r)
{
    r->t += H;
}

/* Bus idle: SDA falls now, SCL falls H later. */
static void c_start(rig *r)
{
    sda(r, 0);
    wait(r);
    scl(r, 0);
}

/* One bit: SDA := v, H later SCL rises (SDA sampled), H later it falls. Asserts that nobody
 * stretches. Returns the sampled level. */
static bool c_bit(rig *r, bool v)
{
    sda(r, v);
    wait(r);
    scl(r, 1);
    assert_true(i2c_bus_level(&r->bus, I2C_SCL));
    bool got = i2c_bus_level(&r->bus, I2C_SDA);
    wait(r);
    scl(r, 0);
    return got;
}

/* Writes a byte MSB first, then releases SDA for the 9th bit. Returns true on ACK. */
static bool c_write(rig *r, uint8_t b)
{
    for (int i = 7; i >= 0; i--)
        c_bit(r, (b >> i) & 1);
    return !c_bit(r, 1);
}

/* Reads a byte (SDA released), then sends ACK (ack) or NACK. */
static uint8_t c_read(rig *r, bool ack)
{
    unsigned v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 1 | c_bit(r, 1);
    c_bit(r, !ack);
    return (uint8_t)v;
}

/* From SCL low (at the last fall F): SDA low at F, SCL up at F+H, SDA up (STOP) at F+2H. */
static void c_stop(rig *r)
{
    sda(r, 0);
    wait(r);
    scl(r, 1);
    wait(r);
    sda(r, 1);
    wait(r);
}

/* From SCL low (at F): SDA up at F, SCL up at F+H, SDA down (RESTART) at F+2H, SCL down at
 * F+3H. */
static void c_restart(rig *r)
{
    sda(r, 1);
    wait(r);
    scl(r, 1);
    wait(r);
    sda(r, 0);
    wait(r);
    scl(r, 0);
}

/* ---- expected events -------------------------------------------------------------------- */

#define EV(k, t, ...) ((i2c_event){.kind = (k), .t_ps = (t), __VA_ARGS__})

/* Whether g matches x in kind, time and the fields that kind defines. */
static bool ev_match(const i2c_event *g, const i2c_event *x)
{
    if (g->kind != x->kind || g->t_ps != x->t_ps) return false;
    switch (x->kind) {
    case I2C_EV_ADDR:
    case I2C_EV_DATA:
        return g->byte == x->byte && g->addr == x->addr && g->read == x->read &&
               g->index == x->index;
    case I2C_EV_ACK: return g->ack == x->ack && g->index == x->index;
    case I2C_EV_STRETCH: return g->low_ps == x->low_ps && g->stretch_ps == x->stretch_ps;
    case I2C_EV_ERROR: return g->error == x->error && g->bits == x->bits && g->byte == x->byte;
    default: return true;
    }
}

static void check_events(const rig *r, const i2c_event *exp, unsigned n)
{
    for (unsigned i = 0; i < n || i < r->nev; i++) {
        const i2c_event *g = i < r->nev ? &r->ev[i] : NULL, *x = i < n ? &exp[i] : NULL;
        if (g && x && ev_match(g, x)) continue;
        if (g)
            print_message("event %u: got %s t=%llu byte=%02x addr=%02x read=%d ack=%d index=%u "
                          "error=%d bits=%u low=%llu stretch=%llu\n",
                          i, i2c_event_name(g->kind), (unsigned long long)g->t_ps, g->byte, g->addr,
                          g->read, g->ack, g->index, g->error, g->bits,
                          (unsigned long long)g->low_ps, (unsigned long long)g->stretch_ps);
        if (x)
            print_message("event %u: want %s t=%llu byte=%02x\n", i, i2c_event_name(x->kind),
                          (unsigned long long)x->t_ps, x->byte);
        fail_msg("event %u differs (%u events, %u expected)", i, r->nev, n);
    }
}

/* The SDA edges the target caused, in order. */
static unsigned target_sda_edges(const rig *r, edge_rec *out, unsigned max)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->nedges; i++)
        if (r->edges[i].by == r->tgt.id && r->edges[i].line == I2C_SDA && n < max)
            out[n++] = r->edges[i];
    return n;
}

/* ---- bus -------------------------------------------------------------------------------- */

typedef struct counter {
    unsigned n;
    i2c_edge last;
} counter;

static void count_edge(void *opaque, const i2c_edge *e)
{
    counter *c = opaque;
    c->n++;
    c->last = *e;
}

static void test_wired_and(void **state)
{
    (void)state;
    i2c_bus b;
    i2c_bus_init(&b);
    int a = i2c_bus_attach(&b), p = i2c_bus_attach(&b), c = i2c_bus_attach(&b);
    assert_int_equal(a, 0);
    assert_int_equal(p, 1);
    assert_int_equal(c, 2);
    counter cnt = {0};
    i2c_bus_listener l;
    i2c_bus_listen(&b, &l, count_edge, &cnt);
    assert_true(i2c_bus_level(&b, I2C_SDA));
    assert_true(i2c_bus_level(&b, I2C_SCL));

    i2c_bus_drive(&b, a, I2C_SDA, 0, 100);
    assert_int_equal(cnt.n, 1);
    assert_false(cnt.last.level);
    assert_int_equal(cnt.last.t_ps, 100);
    assert_int_equal(cnt.last.by, a);
    i2c_bus_drive(&b, p, I2C_SDA, 0, 200); /* already low: no change */
    i2c_bus_drive(&b, a, I2C_SDA, 1, 300); /* p still pulls */
    i2c_bus_drive(&b, c, I2C_SDA, 0, 400);
    i2c_bus_drive(&b, p, I2C_SDA, 1, 500); /* c still pulls */
    assert_int_equal(cnt.n, 1);
    assert_false(i2c_bus_level(&b, I2C_SDA));
    assert_int_equal(i2c_bus_changed_ps(&b, I2C_SDA), 100);
    assert_true(i2c_bus_level(&b, I2C_SCL)); /* the other line is independent */
    assert_true(i2c_bus_pulling(&b, c, I2C_SDA));
    assert_false(i2c_bus_pulling(&b, a, I2C_SDA));
    i2c_bus_drive(&b, c, I2C_SDA, 1, 600); /* the last one lets go */
    assert_int_equal(cnt.n, 2);
    assert_true(cnt.last.level);
    assert_int_equal(cnt.last.t_ps, 600);
    assert_int_equal(cnt.last.by, c);
    assert_int_equal(cnt.last.stretch_ps, 300); /* from a's release at 300 */
    assert_int_equal(i2c_bus_changed_ps(&b, I2C_SDA), 600);

    /* All 8 combinations on SCL: high iff nobody pulls; one notification per real change. */
    unsigned changes = cnt.n;
    bool prev = true;
    for (unsigned m = 0; m < 16; m++) {
        unsigned mask = (m * 5u) & 7u; /* 0 5 2 7 4 1 6 3, twice */
        for (int id = 0; id < 3; id++) /* pulls first, so no all-released moment between */
            if ((mask >> id) & 1u) i2c_bus_drive(&b, id, I2C_SCL, 0, 1000 + m);
        for (int id = 0; id < 3; id++)
            if (!((mask >> id) & 1u)) i2c_bus_drive(&b, id, I2C_SCL, 1, 1000 + m);
        bool want = mask == 0;
        assert_int_equal(i2c_bus_level(&b, I2C_SCL), want);
        if (want != prev) changes++;
        prev = want;
        assert_int_equal(cnt.n, changes);
    }

    /* A pulse by one participant alone has no stretch; re-driving the same level is a no-op;
     * unknown ids and lines are ignored. */
    for (int id = 0; id < 3; id++)
        i2c_bus_drive(&b, id, I2C_SCL, 1, 2000);
    i2c_bus_drive(&b, a, I2C_SCL, 0, 2100);
    i2c_bus_drive(&b, a, I2C_SCL, 0, 2150);
    i2c_bus_drive(&b, a, I2C_SCL, 1, 2200);
    assert_int_equal(cnt.last.stretch_ps, 0);
    assert_int_equal(cnt.last.t_ps, 2200);
    changes = cnt.n;
    i2c_bus_drive(&b, 3, I2C_SCL, 0, 2300);
    i2c_bus_drive(&b, -1, I2C_SCL, 0, 2300);
    i2c_bus_drive(&b, a, (i2c_line)2, 0, 2300);
    assert_int_equal(cnt.n, changes);
    assert_true(i2c_bus_level(&b, I2C_SCL));

    /* 32 participants at most. */
    while (b.nparts < I2C_BUS_MAX_PARTS)
        assert_true(i2c_bus_attach(&b) >= 0);
    assert_int_equal(i2c_bus_attach(&b), -1);
    i2c_bus_drive(&b, 31, I2C_SDA, 0, 3000);
    assert_false(i2c_bus_level(&b, I2C_SDA));
    assert_true(i2c_bus_pulling(&b, 31, I2C_SDA));
}

static void test_time_clamped(void **state)
{
    (void)state;
    i2c_bus b;
    i2c_bus_init(&b);
    int a = i2c_bus_attach(&b);
    counter cnt = {0};
    i2c_bus_listener l;
    i2c_bus_listen(&b, &l, count_edge, &cnt);
    i2c_bus_drive(&b, a, I2C_SCL, 0, 5000);
    i2c_bus_drive(&b, a, I2C_SDA, 0, 4000); /* earlier: taken as 5000 */
    assert_int_equal(cnt.last.t_ps, 5000);
    assert_int_equal(i2c_bus_changed_ps(&b, I2C_SDA), 5000);
}

/* A listener that reacts to the first SCL fall by toggling SDA 40 times. */
typedef struct toggler {
    i2c_bus *b;
    int id;
    bool done;
    i2c_edge seen[64];
    unsigned n;
} toggler;

static void toggle_edge(void *opaque, const i2c_edge *e)
{
    toggler *tg = opaque;
    if (tg->n < 64) tg->seen[tg->n++] = *e;
    if (tg->done || e->line != I2C_SCL || e->level) return;
    tg->done = true;
    for (int i = 0; i < 40; i++)
        i2c_bus_drive(tg->b, tg->id, I2C_SDA, i & 1, e->t_ps);
}

static void test_nested_changes(void **state)
{
    (void)state;
    i2c_bus b;
    i2c_bus_init(&b);
    int a = i2c_bus_attach(&b);
    toggler tg = {.b = &b, .id = i2c_bus_attach(&b)};
    i2c_bus_listener l1, l2;
    counter cnt = {0};
    i2c_bus_listen(&b, &l1, toggle_edge, &tg);
    i2c_bus_listen(&b, &l2, count_edge, &cnt);
    i2c_bus_drive(&b, a, I2C_SCL, 0, 7);
    /* The SCL fall reaches the second listener before any of the nested SDA changes, which
     * come afterwards in order; 16 fit in the queue, 24 are applied but not notified. */
    assert_int_equal(cnt.n, 1 + I2C_BUS_QUEUE);
    assert_int_equal(tg.n, 1 + I2C_BUS_QUEUE);
    assert_int_equal(tg.seen[0].line, I2C_SCL);
    for (unsigned i = 1; i < tg.n; i++) {
        assert_int_equal(tg.seen[i].line, I2C_SDA);
        assert_int_equal(tg.seen[i].level, (i - 1) & 1);
    }
    assert_int_equal(b.dropped, 40 - I2C_BUS_QUEUE);
    assert_true(i2c_bus_level(&b, I2C_SDA)); /* the last drive released it */
}

/* ---- decoder + target ------------------------------------------------------------------- */

static void test_write(void **state)
{
    (void)state;
    rig *r = rig_new();
    c_start(r);
    assert_true(c_write(r, 0x24));
    assert_true(c_write(r, 0x5A));
    assert_true(c_write(r, 0xC3));
    c_stop(r);
    const i2c_event exp[] = {
        EV(I2C_EV_START, T0),
        EV(I2C_EV_ADDR, RISE(T0, 0, 7), .byte = 0x24, .addr = 0x12, .read = false, .index = 0),
        EV(I2C_EV_ACK, RISE(T0, 0, 8), .ack = true, .index = 0),
        EV(I2C_EV_DATA, RISE(T0, 1, 7), .byte = 0x5A, .addr = 0x12, .index = 1),
        EV(I2C_EV_ACK, RISE(T0, 1, 8), .ack = true, .index = 1),
        EV(I2C_EV_DATA, RISE(T0, 2, 7), .byte = 0xC3, .addr = 0x12, .index = 2),
        EV(I2C_EV_ACK, RISE(T0, 2, 8), .ack = true, .index = 2),
        EV(I2C_EV_STOP, FALL(T0, 2, 8) + 2 * H),
    };
    check_events(r, exp, sizeof(exp) / sizeof(exp[0]));
    assert_int_equal(r->naddr, 1);
    assert_int_equal(r->nwr, 2);
    assert_int_equal(r->wr[0], 0x5A);
    assert_int_equal(r->wr[1], 0xC3);
    assert_int_equal(r->wr_ps[0], RISE(T0, 1, 7));
    assert_int_equal(r->wr_ps[1], RISE(T0, 2, 7));
    assert_int_equal(r->nstop, 1);
    assert_int_equal(r->stop_ps[0], FALL(T0, 2, 8) + 2 * H);
    assert_int_equal(r->nrd, 0);
    /* The target's own SDA edges: it pulls at the fall ending bit 8 (visible only for 0xC3,
     * whose last bit is 1) and lets go at the fall ending the 9th. */
    edge_rec te[8];
    assert_int_equal(target_sda_edges(r, te, 8), 4);
    assert_true(te[0].level);
    assert_int_equal(te[0].t, FALL(T0, 0, 8));
    assert_true(te[1].level);
    assert_int_equal(te[1].t, FALL(T0, 1, 8));
    assert_false(te[2].level);
    assert_int_equal(te[2].t, FALL(T0, 2, 7));
    assert_true(te[3].level);
    assert_int_equal(te[3].t, FALL(T0, 2, 8));
    assert_false(i2c_bus_pulling(&r->bus, r->tgt.id, I2C_SDA));
    rig_free(r);
}

static void test_write_nack(void **state)
{
    (void)state;
    rig *r = rig_new();
    r->nack_from = 2; /* ACK the first data byte, NACK the second */
    c_start(r);
    assert_true(c_write(r, 0x24));
    assert_true(c_write(r, 0x01));
    assert_false(c_write(r, 0x02));
    c_stop(r);
    assert_int_equal(r->nwr, 2);
    assert_int_equal(r->nev, 8);
    assert_int_equal(r->ev[6].kind, I2C_EV_ACK);
    assert_false(r->ev[6].ack);
    assert_int_equal(r->ev[6].t_ps, RISE(T0, 2, 8));
    rig_free(r);
}

static void test_read(void **state)
{
    (void)state;
    rig *r = rig_new();
    r->rd[0] = 0x00;
    r->rd[1] = 0x00;
    c_start(r);
    assert_true(c_write(r, 0x25));
    assert_int_equal(c_read(r, true), 0x00);
    assert_int_equal(c_read(r, false), 0x00);
    c_stop(r);
    const i2c_event exp[] = {
        EV(I2C_EV_START, T0),
        EV(I2C_EV_ADDR, RISE(T0, 0, 7), .byte = 0x25, .addr = 0x12, .read = true, .index = 0),
        EV(I2C_EV_ACK, RISE(T0, 0, 8), .ack = true, .index = 0),
        EV(I2C_EV_DATA, RISE(T0, 1, 7), .byte = 0x00, .addr = 0x12, .read = true, .index = 1),
        EV(I2C_EV_ACK, RISE(T0, 1, 8), .ack = true, .index = 1),
        EV(I2C_EV_DATA, RISE(T0, 2, 7), .byte = 0x00, .addr = 0x12, .read = true, .index = 2),
        EV(I2C_EV_ACK, RISE(T0, 2, 8), .ack = false, .index = 2),
        EV(I2C_EV_STOP, FALL(T0, 2, 8) + 2 * H),
    };
    check_events(r, exp, sizeof(exp) / sizeof(exp[0]));
    /* Asked for exactly two bytes, each at the fall that starts it; nothing after the NACK. */
    assert_int_equal(r->nrd, 2);
    assert_int_equal(r->rd_ps[0], FALL(T0, 0, 8));
    assert_int_equal(r->rd_ps[1], FALL(T0, 1, 8));
    assert_int_equal(r->nrd_ack, 2);
    assert_true(r->rd_ack[0]);
    assert_int_equal(r->rd_ack_ps[0], RISE(T0, 1, 8));
    assert_false(r->rd_ack[1]);
    assert_int_equal(r->rd_ack_ps[1], RISE(T0, 2, 8));
    assert_int_equal(r->nstop, 1);
    /* Address ACK: pulls at the fall ending bit 8 (0x25 ends with a 1), keeps SDA low for the
     * 0 bits, lets go at the fall ending bit 8 of each byte (the controller's ACK bit). */
    edge_rec te[8];
    assert_int_equal(target_sda_edges(r, te, 8), 3);
    assert_false(te[0].level);
    assert_int_equal(te[0].t, FALL(T0, 0, 7));
    assert_true(te[1].level);
    assert_int_equal(te[1].t, FALL(T0, 1, 7));
    assert_true(te[2].level);
    assert_int_equal(te[2].t, FALL(T0, 2, 7));
    rig_free(r);
}

static void test_read_bit_order(void **state)
{
    (void)state;
    rig *r = rig_new();
    r->rd[0] = 0x12; /* none of them reads the same bit-reversed */
    r->rd[1] = 0xC5;
    r->rd[2] = 0x80;
    c_start(r);
    assert_true(c_write(r, 0x25));
    assert_int_equal(c_read(r, true), 0x12);
    assert_int_equal(c_read(r, true), 0xC5);
    assert_int_equal(c_read(r, false), 0x80);
    c_stop(r);
    assert_int_equal(r->nrd, 3);
    assert_int_equal(r->nev, 10);
    assert_int_equal(r->ev[3].byte, 0x12);
    assert_int_equal(r->ev[5].byte, 0xC5);
    assert_int_equal(r->ev[7].byte, 0x80);
    assert_int_equal(r->ev[9].kind, I2C_EV_STOP);
    rig_free(r);
}

static void test_repeated_start(void **state)
{
    (void)state;
    rig *r = rig_new();
    r->rd[0] = 0x77;
    c_start(r);
    assert_true(c_write(r, 0x24));
    assert_true(c_write(r, 0x01));
    c_restart(r);
    const uint64_t t1 = FALL(T0, 1, 8) + 2 * H; /* the RESTART */
    assert_true(c_write(r, 0x25));
    assert_int_equal(c_read(r, false), 0x77);
    c_stop(r);
    const i2c_event exp[] = {
        EV(I2C_EV_START, T0),
        EV(I2C_EV_ADDR, RISE(T0, 0, 7), .byte = 0x24, .addr = 0x12, .read = false, .index = 0),
        EV(I2C_EV_ACK, RISE(T0, 0, 8), .ack = true, .index = 0),
        EV(I2C_EV_DATA, RISE(T0, 1, 7), .byte = 0x01, .addr = 0x12, .index = 1),
        EV(I2C_EV_ACK, RISE(T0, 1, 8), .ack = true, .index = 1),
        EV(I2C_EV_RESTART, t1),
        EV(I2C_EV_ADDR, RISE(t1, 0, 7), .byte = 0x25, .addr = 0x12, .read = true, .index = 0),
        EV(I2C_EV_ACK, RISE(t1, 0, 8), .ack = true, .index = 0),
        EV(I2C_EV_DATA, RISE(t1, 1, 7), .byte = 0x77, .addr = 0x12, .read = true, .index = 1),
        EV(I2C_EV_ACK, RISE(t1, 1, 8), .ack = false, .index = 1),
        EV(I2C_EV_STOP, FALL(t1, 1, 8) + 2 * H),
    };
    check_events(r, exp, sizeof(exp) / sizeof(exp[0]));
    assert_int_equal(r->nwr, 1);
    assert_int_equal(r->nrd, 1);
    assert_int_equal(r->naddr, 2);
    assert_int_equal(r->nstop, 2); /* the RESTART ends the write, the STOP the read */
    assert_int_equal(r->stop_ps[0], t1);
    assert_int_equal(r->stop_ps[1], FALL(t1, 1, 8) + 2 * H);
    rig_free(r);
}

static void test_addr_mismatch(void **state)
{
    (void)state;
    rig *r = rig_new();
    c_start(r);
    assert_false(c_write(r, 0x26)); /* 0x13, write: SDA stays high on the 9th clock */
    assert_false(c_write(r, 0x55)); /* the controller goes on anyway: still nobody answers */
    c_stop(r);
    const i2c_event exp[] = {
        EV(I2C_EV_START, T0),
        EV(I2C_EV_ADDR, RISE(T0, 0, 7), .byte = 0x26, .addr = 0x13, .read = false, .index = 0),
        EV(I2C_EV_ACK, RISE(T0, 0, 8), .ack = false, .index = 0),
        EV(I2C_EV_DATA, RISE(T0, 1, 7), .byte = 0x55, .addr = 0x13, .index = 1),
        EV(I2C_EV_ACK, RISE(T0, 1, 8), .ack = false, .index = 1),
        EV(I2C_EV_STOP, FALL(T0, 1, 8) + 2 * H),
    };
    check_events(r, exp, sizeof(exp) / sizeof(exp[0]));
    assert_int_equal(r->naddr, 0);
    assert_int_equal(r->nwr, 0);
    assert_int_equal(r->nstop, 0);
    edge_rec te[4];
    assert_int_equal(target_sda_edges(r, te, 4), 0);

    /* Our address, but the target refuses it (a pyb slave not yet armed): NACK, no data. */
    r->refuse_addr = true;
    r->nev = 0;
    uint64_t t0 = r->t;
    c_start(r);
    assert_false(c_write(r, 0x25));
    c_stop(r);
    assert_int_equal(r->naddr, 1);
    assert_int_equal(r->nrd, 0);
    assert_int_equal(r->nev, 4);
    assert_int_equal(r->ev[2].kind, I2C_EV_ACK);
    assert_false(r->ev[2].ack);
    assert_int_equal(r->ev[2].t_ps, RISE(t0, 0, 8));
    assert_int_equal(target_sda_edges(r, te, 4), 0);
    rig_free(r);
}

static void test_clock_stretch(void **state)
{
    (void)state;
    rig *r = rig_new();
    r->stretch_addr = true; /* asked at the 8th rise: starts at the next fall */
    c_start(r);
    for (int i = 7; i >= 0; i--)
        c_bit(r, (0x24 >> i) & 1);
    assert_int_equal(r->t, FALL(T0, 0, 7));
    assert_true(i2c_bus_pulling(&r->bus, r->tgt.id, I2C_SCL));
    sda(r, 1);
    wait(r);
    scl(r, 1); /* released at RISE(T0,0,8), but the target holds it */
    const uint64_t released = r->t;
    assert_int_equal(released, RISE(T0, 0, 8));
    assert_false(i2c_bus_level(&r->bus, I2C_SCL));
    unsigned before = r->nev;
    r->t += 7 * H;
    i2c_target_release_scl(&r->tgt, r->t);
    const uint64_t rose = r->t;
    assert_true(i2c_bus_level(&r->bus, I2C_SCL));
    assert_false(i2c_bus_level(&r->bus, I2C_SDA)); /* the target's ACK */
    wait(r);
    scl(r, 0);
    assert_int_equal(r->nev, before + 2);
    assert_int_equal(r->dec.scl_low_ps, 8 * H); /* fall at RISE-H .. rise at RISE+7H */

    /* A stretch asked while SCL is low starts at once: after bit 2 of the data byte. */
    r->stretch_addr = false;
    c_bit(r, 1);
    c_bit(r, 0);
    const uint64_t fall2 = r->t;
    i2c_target_hold_scl(&r->tgt, r->t);
    sda(r, 1);
    wait(r);
    scl(r, 1);
    assert_false(i2c_bus_level(&r->bus, I2C_SCL));
    const uint64_t released2 = r->t;
    r->t += 3 * H;
    i2c_target_release_scl(&r->tgt, r->t);
    const uint64_t rose2 = r->t;
    wait(r);
    scl(r, 0);
    for (int i = 4; i >= 0; i--)
        c_bit(r, (0xB7 >> i) & 1); /* 1, 0, 1 (stretched), then 1 0111: byte 0xB7 */
    assert_false(c_bit(r, 1));     /* ACK */
    c_stop(r);
    assert_int_equal(r->nwr, 1);
    assert_int_equal(r->wr[0], 0xB7);

    /* Frame 1 starts at the ACK clock's fall d0: unstretched, bit k would rise at
     * d0 + (1 + 2k)H; the stretch of bit 2 delays bits 2.. by 3H. */
    const uint64_t d0 = rose + H;
    assert_int_equal(rose2, d0 + (1 + 2 * 2) * H + 3 * H);
    const i2c_event exp[] = {
        EV(I2C_EV_START, T0),
        EV(I2C_EV_ADDR, RISE(T0, 0, 7), .byte = 0x24, .addr = 0x12, .index = 0),
        EV(I2C_EV_STRETCH, rose, .low_ps = 8 * H, .stretch_ps = 7 * H),
        EV(I2C_EV_ACK, rose, .ack = true, .index = 0),
        EV(I2C_EV_STRETCH, rose2, .low_ps = rose2 - fall2, .stretch_ps = rose2 - released2),
        EV(I2C_EV_DATA, d0 + (1 + 2 * 7) * H + 3 * H, .byte = 0xB7, .addr = 0x12, .index = 1),
        EV(I2C_EV_ACK, d0 + (1 + 2 * 8) * H + 3 * H, .ack = true, .index = 1),
        EV(I2C_EV_STOP, d0 + (1 + 2 * 8) * H + 3 * H + 3 * H), /* fall +H, STOP +2H */
    };
    check_events(r, exp, sizeof(exp) / sizeof(exp[0]));
    assert_int_equal(rose2 - released2, 3 * H);
    assert_int_equal(rose2 - fall2, 4 * H);
    rig_free(r);
}

static void test_stop_in_byte(void **state)
{
    (void)state;
    rig *r = rig_new();
    c_start(r);
    for (int i = 7; i >= 4; i--)
        c_bit(r, (0x24 >> i) & 1); /* 0 0 1 0, then STOP */
    c_stop(r);
    const uint64_t stop = FALL(T0, 0, 3) + 2 * H;
    uint64_t t1 = r->t;
    c_start(r);
    assert_true(c_write(r, 0x24));
    assert_true(c_write(r, 0x99));
    c_stop(r);
    const i2c_event exp[] = {
        EV(I2C_EV_START, T0),
        EV(I2C_EV_ERROR, stop, .error = I2C_ERR_STOP_IN_BYTE, .bits = 4, .byte = 0x2),
        EV(I2C_EV_STOP, stop),
        EV(I2C_EV_START, t1),
        EV(I2C_EV_ADDR, RISE(t1, 0, 7), .byte = 0x24, .addr = 0x12, .index = 0),
        EV(I2C_EV_ACK, RISE(t1, 0, 8), .ack = true, .index = 0),
        EV(I2C_EV_DATA, RISE(t1, 1, 7), .byte = 0x99, .addr = 0x12, .index = 1),
        EV(I2C_EV_ACK, RISE(t1, 1, 8), .ack = true, .index = 1),
        EV(I2C_EV_STOP, FALL(t1, 1, 8) + 2 * H),
    };
    check_events(r, exp, sizeof(exp) / sizeof(exp[0]));
    assert_int_equal(r->naddr, 1);
    assert_int_equal(r->nwr, 1);
    assert_int_equal(r->wr[0], 0x99);
    rig_free(r);
}

static void test_start_in_byte(void **state)
{
    (void)state;
    rig *r = rig_new();
    /* Our address, ACKed; then 3 bits of a data byte (1 0 1) and a repeated START. */
    c_start(r);
    assert_true(c_write(r, 0x24));
    c_bit(r, 1);
    c_bit(r, 0);
    c_bit(r, 1);
    c_restart(r);
    const uint64_t t1 = FALL(T0, 1, 2) + 2 * H;
    assert_true(c_write(r, 0x24));
    assert_true(c_write(r, 0x42));
    c_stop(r);
    const i2c_event exp[] = {
        EV(I2C_EV_START, T0),
        EV(I2C_EV_ADDR, RISE(T0, 0, 7), .byte = 0x24, .addr = 0x12, .index = 0),
        EV(I2C_EV_ACK, RISE(T0, 0, 8), .ack = true, .index = 0),
        EV(I2C_EV_ERROR, t1, .error = I2C_ERR_START_IN_BYTE, .bits = 3, .byte = 0x5),
        EV(I2C_EV_RESTART, t1),
        EV(I2C_EV_ADDR, RISE(t1, 0, 7), .byte = 0x24, .addr = 0x12, .index = 0),
        EV(I2C_EV_ACK, RISE(t1, 0, 8), .ack = true, .index = 0),
        EV(I2C_EV_DATA, RISE(t1, 1, 7), .byte = 0x42, .addr = 0x12, .index = 1),
        EV(I2C_EV_ACK, RISE(t1, 1, 8), .ack = true, .index = 1),
        EV(I2C_EV_STOP, FALL(t1, 1, 8) + 2 * H),
    };
    check_events(r, exp, sizeof(exp) / sizeof(exp[0]));
    assert_int_equal(r->nwr, 1); /* the broken byte is never delivered */
    assert_int_equal(r->wr[0], 0x42);
    assert_int_equal(r->nstop, 2);
    rig_free(r);
}

static void test_clock_without_start(void **state)
{
    (void)state;
    rig *r = rig_new();
    /* Nine clocks on an idle bus (bus recovery): one error, at the first fall. */
    for (int i = 0; i < 9; i++) {
        scl(r, 0);
        wait(r);
        scl(r, 1);
        wait(r);
    }
    uint64_t t1 = r->t;
    c_start(r);
    assert_true(c_write(r, 0x24));
    c_stop(r);
    const i2c_event exp[] = {
        EV(I2C_EV_ERROR, T0, .error = I2C_ERR_NO_START),
        EV(I2C_EV_START, t1),
        EV(I2C_EV_ADDR, RISE(t1, 0, 7), .byte = 0x24, .addr = 0x12, .index = 0),
        EV(I2C_EV_ACK, RISE(t1, 0, 8), .ack = true, .index = 0),
        EV(I2C_EV_STOP, FALL(t1, 0, 8) + 2 * H),
    };
    check_events(r, exp, sizeof(exp) / sizeof(exp[0]));
    rig_free(r);
}

/* A decoder fed directly (as a VCD checker would): repeated levels are ignored, a time in the
 * past is clamped, unknown lines are ignored. */
static void test_decoder_direct(void **state)
{
    (void)state;
    rig *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    i2c_dec_init(&r->dec, on_event, r);
    i2c_edge e = {.line = I2C_SDA, .level = true, .t_ps = 10};
    i2c_dec_edge(&r->dec, &e); /* already high */
    e.line = (i2c_line)7;
    e.level = false;
    i2c_dec_edge(&r->dec, &e);
    assert_int_equal(r->nev, 0);
    e = (i2c_edge){.line = I2C_SDA, .level = false, .t_ps = 100};
    i2c_dec_edge(&r->dec, &e);
    e = (i2c_edge){.line = I2C_SDA, .level = true, .t_ps = 50};
    i2c_dec_edge(&r->dec, &e);
    assert_int_equal(r->nev, 2);
    assert_int_equal(r->ev[0].kind, I2C_EV_START);
    assert_int_equal(r->ev[0].t_ps, 100);
    assert_int_equal(r->ev[1].kind, I2C_EV_STOP); /* START then STOP: no error */
    assert_int_equal(r->ev[1].t_ps, 100);
    assert_string_equal(i2c_event_name(I2C_EV_RESTART), "RESTART");
    assert_string_equal(i2c_event_name((i2c_event_kind)99), "?");
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wired_and),           cmocka_unit_test(test_time_clamped),
        cmocka_unit_test(test_nested_changes),      cmocka_unit_test(test_write),
        cmocka_unit_test(test_write_nack),          cmocka_unit_test(test_read),
        cmocka_unit_test(test_read_bit_order),      cmocka_unit_test(test_repeated_start),
        cmocka_unit_test(test_addr_mismatch),       cmocka_unit_test(test_clock_stretch),
        cmocka_unit_test(test_stop_in_byte),        cmocka_unit_test(test_start_in_byte),
        cmocka_unit_test(test_clock_without_start), cmocka_unit_test(test_decoder_direct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
