/* tests/unit/test_asi2c.c — models/i2c/asi2c (the Initiator) against a Responder written here
 * (protocols.md A.4-A.6, asi2c.py's Responder._handler statement by statement), on one
 * i2c_bus and one sim_sched, with exact virtual times.
 *
 * The Responder (struct resp) is a bit-banged I2C controller: half period H = 1 us (soft I2C at
 * 400 kHz, A.6), 255 us clock-stretch timeout, _DELAY = 20 us before each transfer, its SYN IRQ
 * handler starting IRQ = 50 us after the rising edge (soft IRQ latency), and a reaction time
 * WL = 2 us when a waitfor sees the awaited SYN level. It reads SYN from the fake pins and
 * drives ACK by calling asi2c_ack_changed; its RST input is the Initiator's reset line (it boots
 * BOOT = 30 ms after RST is released, then runs _sync, polling SYN every 100 ms).
 *
 * Controller timing (as tests/unit/test_i2c.c): START's SDA fall at T, SCL falls at T+H, bit k of
 * frame j (k = 8 = ACK) rises at T + (2 + 2(9j+k))H. After the last frame's 9th bit, SDA goes low
 * at the next fall F, SCL rises at F+H and SDA (STOP) at F+2H; the transfer returns at the STOP. A
 * 2-byte transfer is therefore 57 us from START to STOP, a 6-byte one 129 us.
 *
 * A quiet exchange starting (SYN rise) at X, with the default arm_ps = 5 us:
 *   X+70      START of readfrom_into(0x12, 2) (IRQ 50 + _DELAY 20)
 *   X+124     send() complete (9th rise of the last byte); X+127 STOP, Responder ACK := 1,
 *             Initiator SYN := 0
 *   X+129     Responder sees SYN low (WL): ACK := 0, then ACK := 1 (request to send); the
 *             Initiator SYN := 1 and recv(2) is armed at X+134
 *   X+151     START of writeto(0x12, 2) (WL 2 + _DELAY 20); X+208 STOP, recv() complete,
 *             Responder ACK := 0, Initiator SYN := 0: the exchange lasts 208 us.
 * Start-up with asi2c_start at T0 = 1 ms: RST low 1..201 ms (SYN high), SYN low at 201 ms, the
 * Responder boots at 231 ms (ACK low), the Initiator's polls read ACK at 201 ms (high) and
 * 301 ms (low): synchronised at 301 ms, first exchange at X1 = 1301 ms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "i2c/asi2c.h"
#include "i2c/i2c_bus.h"
#include "sched.h"

#define US ASI2C_PS_US
#define MS ASI2C_PS_MS
#define S  ASI2C_PS_S

#define H     US         /* controller half period */
#define DELAY (20 * US)  /* Responder _DELAY */
#define IRQ   (50 * US)  /* SYN rise to handler */
#define WL    (2 * US)   /* Responder waitfor reaction */
#define BOOT  (30 * MS)  /* RST release to Responder _sync */
#define STO   (255 * US) /* soft I2C clock-stretch timeout */

#define T0       (1 * MS)    /* asi2c_start */
#define X1       (1301 * MS) /* first exchange */
#define QUIET_US 208         /* a quiet exchange */
#define D1       (X1 + QUIET_US * US)
/* The n-th quiet exchange of a run of quiet ones (1-based) starts here. */
#define XN(n) (X1 + ((uint64_t)(n)-1) * (100 * MS + QUIET_US * US))

/* A wait or transfer begun at t with limit lim_ms fails here (ms ticks, ticks_diff > lim). */
#define DEADLINE(t, lim_ms) (((t) / MS + (lim_ms) + 1) * MS)

typedef struct rig rig;

/* ---- the Responder ---------------------------------------------------------------------- */

enum {
    R_IDLE,
    R_BOOT,
    R_SYNC_POLL,
    RH_START,
    RH_READ_HDR,
    RH_HDR_DONE,
    RH_HDR_W0,
    RH_P1_W1,
    RH_P1_READ,
    RH_P1_DONE,
    RH_P1_W0,
    RH_RTS,
    RH_RTS_W1,
    RH_HDR_WRITE,
    RH_HDR_WDONE,
    RH_HDR_WW0,
    RH_P2_W1,
    RH_P2_WRITE,
    RH_P2_WDONE,
    RH_P2_W0,
    RH_END,
};

/* bit engine phases */
enum { E_START, E_FALL, E_RISE, E_SAMPLE, E_STOP1, E_STOP2 };

typedef struct resp {
    rig *g;
    int id;
    sim_event ev;     /* program */
    sim_event bit_ev; /* bit engine */
    sim_event to_ev;  /* clock-stretch timeout */
    i2c_bus_listener lis;
    int pc;
    bool in_reset, booted, irq_armed, crashed, died;
    const char *death; /* why the handler died */
    bool wsyn, wsyn_level;
    /* channel (asi2c.py) */
    uint8_t txsiz[2], txnull[2], sn[4], hdr[4], rxbuf[256], rxbyt[256], txbyt[64];
    size_t rxlen, txlen, n;
    bool cantx, dtx;
    /* app */
    const char *out[8]; /* lines to send */
    unsigned nout, iout;
    bool rx_hold; /* do not consume rxbyt */
    char got[16][64];
    unsigned ngot;
    /* knobs */
    size_t hdr_read_len, hdr_write_len;
    bool h2_override_once;
    uint8_t h2_hdr[2];
    bool die_after_h1, h2_wrong_dir;
    bool ignore_holdoff; /* send payloads even when the Initiator holds off */
    /* bit engine */
    struct {
        bool active, read, stopping, wrise;
        uint8_t *buf;
        size_t n, j;
        unsigned k;
        uint8_t cur;
        int phase, result, next;
    } x;
    unsigned handled;
    unsigned epoch; /* resets so far */
} resp;

#define MAXEV 4096
#define MAXTX 512

typedef struct txn {
    char text[160]; /* "S 25 00 00 P" */
    char acks[40];  /* per frame: 'A' ACK, 'N' NACK */
    uint64_t start, stop;
} txn;

struct rig {
    sim_sched sched;
    i2c_bus bus;
    asi2c a;
    resp r;
    i2c_dec dec;
    asi2c_config cfg;
    bool syn, ack;
    uint64_t syn_t[64];
    bool syn_v[64];
    unsigned nsyn; /* logged SYN edges (first 64) */
    unsigned syn_edges;
    uint64_t rst_t[64];
    bool rst_v[64];
    unsigned nrst;
    asi2c_event ev[MAXEV];
    unsigned nev;
    char lines[32][64];
    uint64_t line_t[32];
    unsigned nlines;
    txn tx[MAXTX];
    unsigned ntx;
    bool open;
    uint64_t crash_at;  /* crash the Responder when this exchange starts */
    uint64_t die_h1_at; /* the Responder dies after reading H1 of this exchange */
    bool dup_ack;       /* report every ACK change twice, plus a no-change call */
    uint64_t stretches[8];
    unsigned nstretch;
    bool trace; /* ASI2C_TRACE set: print every model event */
};

static void r_run(resp *r, uint64_t t);

/* Drives ACK; false if the Initiator reacted by resetting the Responder (stop then). */
static bool r_ack(resp *r, bool v, uint64_t t)
{
    unsigned epoch = r->epoch;
    r->g->ack = v;
    asi2c_ack_changed(&r->g->a, v, t);
    if (r->g->dup_ack) {
        asi2c_ack_changed(&r->g->a, v, t);
        asi2c_ack_changed(&r->g->a, v, t);
    }
    return epoch == r->epoch;
}

static void r_go(resp *r, int pc, uint64_t t)
{
    r->pc = pc;
    sim_sched_reschedule(&r->g->sched, &r->ev, t);
}

static void r_wait_syn(resp *r, bool v, int pc, uint64_t t)
{
    r->pc = pc;
    if (r->g->syn == v) {
        sim_sched_reschedule(&r->g->sched, &r->ev, t + WL);
        return;
    }
    r->wsyn = true;
    r->wsyn_level = v;
}

static void r_die(resp *r, const char *why)
{
    r->died = true;
    r->death = why;
    r->pc = R_IDLE;
}

/* The app writer: txbyt when writable (txbyt empty and cantx). */
static void r_writer(resp *r)
{
    if (r->txlen || !r->cantx || r->iout >= r->nout) return;
    const char *l = r->out[r->iout++];
    r->txlen = strlen(l);
    memcpy(r->txbyt, l, r->txlen);
    r->txsiz[0] = (uint8_t)(r->txlen & 0xFF);
    r->txsiz[1] = (uint8_t)(r->txlen >> 8);
}

static void r_consume(resp *r)
{
    if (!r->rxlen) return;
    assert_true(r->ngot < 16);
    size_t n = r->rxlen < 63 ? r->rxlen : 63;
    memcpy(r->got[r->ngot], r->rxbyt, n);
    r->got[r->ngot][n] = 0;
    r->ngot++;
    r->rxlen = 0;
}

/* ---- bit engine ---- */

static void x_sched(resp *r, int phase, uint64_t t)
{
    r->x.phase = phase;
    sim_sched_reschedule(&r->g->sched, &r->bit_ev, t);
}

/* Drives a line; false if that reset the Responder (the Initiator failed and pulsed RST from
 * inside the bus notification), in which case the caller must stop. */
static bool drv(resp *r, i2c_line line, bool v, uint64_t t)
{
    unsigned epoch = r->epoch;
    i2c_bus_drive(&r->g->bus, r->id, line, v, t);
    return epoch == r->epoch;
}

/* The level the controller puts on SDA for bit k of frame j. */
static bool x_bit(const resp *r)
{
    size_t j = r->x.j;
    unsigned k = r->x.k;
    if (k == 8) return (j == 0 || !r->x.read) ? true : j == r->x.n; /* ACK all but the last */
    if (j == 0) return ((0x12u << 1 | (r->x.read ? 1u : 0u)) >> (7 - k)) & 1u;
    if (r->x.read) return true;
    return (r->x.buf[j - 1] >> (7 - k)) & 1u;
}

static void x_finish(resp *r, uint64_t t)
{
    r->x.active = false;
    r->pc = r->x.next;
    r_run(r, t);
}

static void x_sample(resp *r, uint64_t t)
{
    bool sda = i2c_bus_level(&r->g->bus, I2C_SDA);
    size_t j = r->x.j;
    if (r->x.k < 8) {
        if (j > 0 && r->x.read) r->x.cur = (uint8_t)(r->x.cur << 1 | sda);
    } else {
        if ((j == 0 || !r->x.read) && sda) { /* NACK */
            if (j == 0) r->x.result = -1;    /* ENODEV */
            r->x.stopping = true;
        }
        if (j > 0 && r->x.read) r->x.buf[j - 1] = r->x.cur;
        r->x.cur = 0;
    }
    if (++r->x.k == 9) {
        r->x.k = 0;
        if (++r->x.j > r->x.n) r->x.stopping = true;
    }
    x_sched(r, E_FALL, t + H);
}

static void x_step(void *opaque, sim_event *ev, uint64_t t)
{
    resp *r = opaque;
    (void)ev;
    switch (r->x.phase) {
    case E_START:
        if (!drv(r, I2C_SDA, false, t)) return;
        x_sched(r, E_FALL, t + H);
        return;
    case E_FALL:
        if (!drv(r, I2C_SCL, false, t)) return;
        if (r->x.stopping) {
            if (!drv(r, I2C_SDA, false, t)) return;
            x_sched(r, E_STOP1, t + H);
            return;
        }
        if (!drv(r, I2C_SDA, x_bit(r), t)) return;
        x_sched(r, E_RISE, t + H);
        return;
    case E_RISE:
        if (!drv(r, I2C_SCL, true, t)) return;
        if (!i2c_bus_level(&r->g->bus, I2C_SCL)) { /* stretched */
            r->x.wrise = true;
            sim_sched_at(&r->g->sched, &r->to_ev, t + STO);
            return;
        }
        x_sample(r, t);
        return;
    case E_SAMPLE: x_sample(r, t); return;
    case E_STOP1:
        if (!drv(r, I2C_SCL, true, t)) return;
        x_sched(r, E_STOP2, t + H);
        return;
    case E_STOP2:
        if (!drv(r, I2C_SDA, true, t)) return;
        x_finish(r, t);
        return;
    }
}

/* Stretch timeout: soft I2C returns -ETIMEDOUT without a STOP; lines stay as they are. */
static void x_timeout(void *opaque, sim_event *ev, uint64_t t)
{
    resp *r = opaque;
    (void)ev;
    r->x.wrise = false;
    r->x.result = -2;
    x_finish(r, t);
}

static void r_bus(void *opaque, const i2c_edge *e)
{
    resp *r = opaque;
    if (r->x.wrise && e->line == I2C_SCL && e->level) {
        r->x.wrise = false;
        sim_sched_cancel(&r->g->sched, &r->to_ev);
        x_sched(r, E_SAMPLE, e->t_ps);
    }
}

/* readfrom_into (read) / writeto: n bytes, then r->pc = next (result in x.result). */
static void r_xfer(resp *r, bool read, uint8_t *buf, size_t n, int next, uint64_t t)
{
    memset(&r->x, 0, sizeof(r->x));
    r->x.active = true;
    r->x.read = read;
    r->x.buf = buf;
    r->x.n = n;
    r->x.next = next;
    r->x.phase = E_START;
    x_step(r, NULL, t);
}

/* ---- the program (Responder._run, _handler) ---- */

static void r_run(resp *r, uint64_t t)
{
    rig *g = r->g;
    for (;;) {
        switch (r->pc) {
        case R_IDLE: return;
        case R_BOOT: /* _sync: own := 0, wait for SYN low (100 ms polls) */
            r->booted = true;
            if (!r_ack(r, false, t)) return;
            r->pc = R_SYNC_POLL;
            break;
        case R_SYNC_POLL:
            if (g->syn) {
                r_go(r, R_SYNC_POLL, t + 100 * MS);
                return;
            }
            r->irq_armed = true;
            r->pc = R_IDLE;
            r_writer(r);
            return;
        case RH_START: r_go(r, RH_READ_HDR, t + DELAY); return;
        case RH_READ_HDR: r_xfer(r, true, r->sn, r->hdr_read_len, RH_HDR_DONE, t); return;
        case RH_HDR_DONE:
            if (r->x.result < 0) {
                r_die(r, "hdr read");
                return;
            }
            if (r->die_after_h1) {
                r_die(r, "after h1");
                return;
            }
            if (!r_ack(r, true, t)) return;
            r_wait_syn(r, false, RH_HDR_W0, t);
            return;
        case RH_HDR_W0:
            if (!r_ack(r, false, t)) return;
            r->n = r->sn[0] + ((size_t)(r->sn[1] & 0x7F) << 8);
            if (r->n > 200) {
                r_die(r, "ValueError");
                return;
            }
            r->cantx = !(r->sn[1] & 0x80) || r->ignore_holdoff;
            if (r->n) {
                r_wait_syn(r, true, RH_P1_W1, t);
                return;
            }
            r->pc = RH_RTS;
            break;
        case RH_P1_W1: r_go(r, RH_P1_READ, t + DELAY); return;
        case RH_P1_READ: r_xfer(r, true, r->rxbuf, r->n, RH_P1_DONE, t); return;
        case RH_P1_DONE:
            if (r->x.result < 0) {
                r_die(r, "p1 read");
                return;
            }
            if (!r_ack(r, true, t)) return;
            r_wait_syn(r, false, RH_P1_W0, t);
            return;
        case RH_P1_W0:
            if (!r_ack(r, false, t)) return;
            memcpy(r->rxbyt, r->rxbuf, r->n);
            r->rxlen = r->n;
            if (!r->rx_hold) r_consume(r);
            r->pc = RH_RTS;
            break;
        case RH_RTS:
            if (!r_ack(r, true, t)) return;
            r_wait_syn(r, true, RH_RTS_W1, t);
            return;
        case RH_RTS_W1: r_go(r, RH_HDR_WRITE, t + DELAY); return;
        case RH_HDR_WRITE: {
            r->dtx = r->txlen && r->cantx;
            uint8_t *siz = r->dtx ? r->txsiz : r->txnull;
            if (r->rxlen)
                siz[1] |= 0x80;
            else
                siz[1] &= 0x7F;
            r->hdr[0] = siz[0];
            r->hdr[1] = siz[1];
            r->hdr[2] = 0;
            if (r->h2_override_once) {
                r->h2_override_once = false;
                r->hdr[0] = r->h2_hdr[0];
                r->hdr[1] = r->h2_hdr[1];
            }
            bool read = r->h2_wrong_dir;
            r->h2_wrong_dir = false;
            r_xfer(r, read, r->hdr, r->hdr_write_len, RH_HDR_WDONE, t);
            return;
        }
        case RH_HDR_WDONE:
            if (r->x.result < 0) {
                r_die(r, "hdr write");
                return;
            }
            if (!r_ack(r, false, t)) return;
            r_wait_syn(r, false, RH_HDR_WW0, t);
            return;
        case RH_HDR_WW0:
            if (r->dtx) {
                if (!r_ack(r, true, t)) return;
                r_wait_syn(r, true, RH_P2_W1, t);
                return;
            }
            r->pc = RH_END;
            break;
        case RH_P2_W1: r_go(r, RH_P2_WRITE, t + DELAY); return;
        case RH_P2_WRITE: r_xfer(r, false, r->txbyt, r->txlen, RH_P2_WDONE, t); return;
        case RH_P2_WDONE:
            if (r->x.result < 0) {
                r_die(r, "p2 write");
                return;
            }
            if (!r_ack(r, false, t)) return;
            r_wait_syn(r, false, RH_P2_W0, t);
            return;
        case RH_P2_W0:
            r->txlen = 0;
            r->txsiz[0] = r->txsiz[1] = 0;
            r->pc = RH_END;
            break;
        case RH_END:
            r->handled++;
            r->irq_armed = true;
            r->pc = R_IDLE;
            r_writer(r);
            return;
        default: return;
        }
    }
}

static void r_ev(void *opaque, sim_event *ev, uint64_t t)
{
    (void)ev;
    r_run(opaque, t);
}

/* SYN changed (from the fake pins). */
static void r_syn(resp *r, bool high, uint64_t t)
{
    if (r->in_reset || !r->booted) return;
    if (r->wsyn && high == r->wsyn_level) {
        r->wsyn = false;
        sim_sched_reschedule(&r->g->sched, &r->ev, t + WL);
    }
    if (high && r->irq_armed && !r->crashed) { /* IRQ_RISING, then handler=None */
        r->irq_armed = false;
        r_go(r, RH_START, t + IRQ);
    }
}

static void r_cancel(resp *r, sim_event *ev)
{
    if (sim_event_pending(ev)) sim_sched_cancel(&r->g->sched, ev);
}

/* RST: active (low) holds the chip in reset (pins released, ACK pulled up); release boots. */
static void r_rst(resp *r, bool level, uint64_t t)
{
    if (!level) {
        r->in_reset = true;
        r->epoch++;
        r_cancel(r, &r->ev);
        r_cancel(r, &r->bit_ev);
        r_cancel(r, &r->to_ev);
        memset(&r->x, 0, sizeof(r->x));
        drv(r, I2C_SCL, true, t);
        drv(r, I2C_SDA, true, t);
        r->booted = r->irq_armed = r->crashed = r->died = r->wsyn = false;
        r->death = NULL;
        r->txlen = r->rxlen = 0;
        memset(r->txsiz, 0, 2);
        memset(r->txnull, 0, 2);
        r->cantx = true;
        r->pc = R_IDLE;
        if (!r->g->ack) r_ack(r, true, t);
        return;
    }
    if (!r->in_reset) return;
    r->in_reset = false;
    r_go(r, R_BOOT, t + BOOT);
}

/* ---- the rig ---------------------------------------------------------------------------- */

static void pin_syn(void *opaque, bool high, uint64_t t)
{
    rig *g = opaque;
    if (g->nsyn < 64) {
        g->syn_t[g->nsyn] = t;
        g->syn_v[g->nsyn] = high;
        g->nsyn++;
    }
    g->syn_edges++;
    g->syn = high;
    r_syn(&g->r, high, t);
}

static void pin_rst(void *opaque, bool high, uint64_t t)
{
    rig *g = opaque;
    if (g->nrst < 64) {
        g->rst_t[g->nrst] = t;
        g->rst_v[g->nrst] = high;
        g->nrst++;
    }
    r_rst(&g->r, high, t);
}

static bool pin_ack(void *opaque)
{
    return ((rig *)opaque)->ack;
}

static void on_event(void *opaque, const asi2c_event *e)
{
    rig *g = opaque;
    assert_true(g->nev < MAXEV);
    g->ev[g->nev++] = *e;
    if (g->trace)
        print_message("%12.6f ms %-14s x%llu %s %s n=%llu dur=%llu\n", (double)e->t_ps / MS,
                      asi2c_event_name(e->kind), (unsigned long long)e->index,
                      asi2c_step_name(e->step), asi2c_fail_name(e->reason),
                      (unsigned long long)e->n, (unsigned long long)e->duration_us);
    if (e->kind == ASI2C_EV_EXCHANGE_START) {
        if (e->index == g->crash_at) g->r.crashed = true;
        g->r.die_after_h1 = e->index == g->die_h1_at;
    }
}

static void on_line(void *opaque, const char *text, size_t len, uint64_t t)
{
    rig *g = opaque;
    assert_true(g->nlines < 32 && len < 64);
    memcpy(g->lines[g->nlines], text, len);
    g->lines[g->nlines][len] = 0;
    g->line_t[g->nlines] = t;
    g->nlines++;
}

static void tx_add(rig *g, const char *s)
{
    if (!g->open) return;
    txn *x = &g->tx[g->ntx];
    size_t l = strlen(x->text);
    snprintf(x->text + l, sizeof(x->text) - l, "%s", s);
}

static void on_dec(void *opaque, const i2c_event *e)
{
    rig *g = opaque;
    char b[8];
    switch (e->kind) {
    case I2C_EV_START:
        assert_true(g->ntx < MAXTX);
        memset(&g->tx[g->ntx], 0, sizeof(txn));
        g->tx[g->ntx].start = e->t_ps;
        g->open = true;
        tx_add(g, "S");
        break;
    case I2C_EV_ADDR:
    case I2C_EV_DATA:
        snprintf(b, sizeof(b), " %02X", e->byte);
        tx_add(g, b);
        break;
    case I2C_EV_ACK:
        if (g->open) {
            size_t l = strlen(g->tx[g->ntx].acks);
            if (l + 1 < sizeof(g->tx[g->ntx].acks)) g->tx[g->ntx].acks[l] = e->ack ? 'A' : 'N';
        }
        break;
    case I2C_EV_STRETCH:
        if (g->nstretch < 8) g->stretches[g->nstretch++] = e->stretch_ps;
        break;
    case I2C_EV_STOP:
        if (!g->open) break;
        tx_add(g, " P");
        g->tx[g->ntx].stop = e->t_ps;
        g->ntx++;
        g->open = false;
        break;
    default: break;
    }
}

static rig *rig_new_cfg(const asi2c_config *cfg)
{
    rig *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    sim_sched_init(&g->sched);
    i2c_bus_init(&g->bus);
    g->ack = true; /* pull-up; the Responder is held in reset until the first pulse ends */
    resp *r = &g->r;
    r->g = g;
    r->id = i2c_bus_attach(&g->bus);
    sim_event_init(&r->ev, "resp", r_ev, r, 1);
    sim_event_init(&r->bit_ev, "resp.bit", x_step, r, 1);
    sim_event_init(&r->to_ev, "resp.stretch_to", x_timeout, r, 1);
    i2c_bus_listen(&g->bus, &r->lis, r_bus, r);
    r->in_reset = true;
    r->cantx = true;
    r->hdr_read_len = r->hdr_write_len = 2;
    i2c_dec_init(&g->dec, on_dec, g);
    i2c_dec_attach(&g->dec, &g->bus);
    g->trace = getenv("ASI2C_TRACE") != NULL;
    g->cfg = *cfg;
    g->cfg.on_event = on_event;
    g->cfg.on_line = on_line;
    g->cfg.opaque = g;
    asi2c_pins pins = {pin_syn, pin_rst, pin_ack, g};
    assert_true(asi2c_init(&g->a, &g->cfg, &g->bus, &g->sched, &pins));
    return g;
}

static rig *rig_new(void)
{
    asi2c_config c = asi2c_config_default();
    return rig_new_cfg(&c);
}

static rig *rig_v3(void)
{
    asi2c_config c = asi2c_config_default();
    c.compat = ASI2C_COMPAT_MICROPYTHON_V3;
    return rig_new_cfg(&c);
}

static void rig_free(rig *g)
{
    assert_int_equal(g->bus.dropped, 0);
    asi2c_free(&g->a);
    sim_sched_free(&g->sched);
    free(g);
}

static void run(rig *g, uint64_t t)
{
    sim_sched_run_until(&g->sched, t);
}

/* The i-th event of kind k (0-based), or NULL. */
static const asi2c_event *ev_nth(const rig *g, asi2c_event_kind k, unsigned i)
{
    for (unsigned n = 0; n < g->nev; n++)
        if (g->ev[n].kind == k && i-- == 0) return &g->ev[n];
    return NULL;
}

static unsigned ev_count(const rig *g, asi2c_event_kind k)
{
    unsigned c = 0;
    for (unsigned n = 0; n < g->nev; n++)
        c += g->ev[n].kind == k;
    return c;
}

/* The first transaction starting at or after t. */
static const txn *tx_after(const rig *g, uint64_t t)
{
    for (unsigned i = 0; i < g->ntx; i++)
        if (g->tx[i].start >= t) return &g->tx[i];
    return NULL;
}

static unsigned tx_index_after(const rig *g, uint64_t t)
{
    for (unsigned i = 0; i < g->ntx; i++)
        if (g->tx[i].start >= t) return i;
    return g->ntx;
}

static void expect_done(const rig *g, unsigned i, uint64_t index, uint64_t t, uint64_t us)
{
    const asi2c_event *e = ev_nth(g, ASI2C_EV_EXCHANGE_DONE, i);
    assert_non_null(e);
    assert_int_equal(e->index, index);
    assert_int_equal(e->t_ps, t);
    assert_int_equal(e->duration_us, us);
}

static void expect_failure(const rig *g, unsigned i, uint64_t t, asi2c_fail reason, asi2c_step step)
{
    const asi2c_event *e = ev_nth(g, ASI2C_EV_FAILURE, i);
    assert_non_null(e);
    if (e->reason != reason || e->step != step || e->t_ps != t)
        fail_msg("failure %u: got %s in %s at %llu, want %s in %s at %llu", i,
                 asi2c_fail_name(e->reason), asi2c_step_name(e->step), (unsigned long long)e->t_ps,
                 asi2c_fail_name(reason), asi2c_step_name(step), (unsigned long long)t);
}

/* ---- tests: start-up -------------------------------------------------------------------- */

static void test_reset_pulse(void **state)
{
    (void)state;
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, 250 * MS);
    /* RST (active low by default) low at T0, high 200 ms later (A.2, A.4 step 1) */
    assert_int_equal(g->nrst, 2);
    assert_false(g->rst_v[0]);
    assert_int_equal(g->rst_t[0], T0);
    assert_true(g->rst_v[1]);
    assert_int_equal(g->rst_t[1], T0 + 200 * MS);
    /* SYN high at start (the constructor, close()), low when _sync begins */
    assert_int_equal(g->nsyn, 2);
    assert_true(g->syn_v[0]);
    assert_int_equal(g->syn_t[0], T0);
    assert_false(g->syn_v[1]);
    assert_int_equal(g->syn_t[1], T0 + 200 * MS);
    const asi2c_event *s = ev_nth(g, ASI2C_EV_RESET_START, 0);
    const asi2c_event *e = ev_nth(g, ASI2C_EV_RESET_END, 0);
    assert_non_null(s);
    assert_non_null(e);
    assert_int_equal(s->t_ps, T0);
    assert_int_equal(e->t_ps, T0 + 200 * MS);
    assert_int_equal(g->a.cnt.nboots, 0); /* the first pulse is not a reboot */
    assert_int_equal(ev_count(g, ASI2C_EV_REBOOT), 0);

    /* Other levels and lengths: active high, 50 ms. */
    asi2c_config c = asi2c_config_default();
    c.rst_active_level = true;
    c.rst_pulse_ps = 50 * MS;
    rig *h = rig_new_cfg(&c);
    asi2c_start(&h->a, T0);
    asi2c_start(&h->a, T0 + 1); /* only the first call counts */
    run(h, 100 * MS);
    assert_int_equal(h->nrst, 2);
    assert_true(h->rst_v[0]);
    assert_int_equal(h->rst_t[0], T0);
    assert_false(h->rst_v[1]);
    assert_int_equal(h->rst_t[1], T0 + 50 * MS);
    rig_free(h);
    rig_free(g);
}

static void test_sync_polls(void **state)
{
    (void)state;
    /* Default rig: ACK low at 231 ms, seen by the 301 ms poll; settle 1 s. */
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, 300 * MS);
    assert_false(g->a.synchronised);
    assert_false(g->ack); /* already low at 231 ms: _sync polls, it does not watch edges */
    run(g, 301 * MS);
    const asi2c_event *e = ev_nth(g, ASI2C_EV_SYNCED, 0);
    assert_non_null(e);
    assert_int_equal(e->t_ps, 301 * MS);
    run(g, X1 - 1);
    assert_null(ev_nth(g, ASI2C_EV_EXCHANGE_START, 0)); /* the 1 s settle */
    assert_int_equal(g->nsyn, 2);
    run(g, X1);
    e = ev_nth(g, ASI2C_EV_EXCHANGE_START, 0);
    assert_non_null(e);
    assert_int_equal(e->t_ps, X1);
    assert_int_equal(e->index, 1);
    assert_int_equal(g->syn_t[2], X1);
    rig_free(g);

    /* A Responder that needs 250 ms to boot: ACK low at 451 ms; polls at 201, 301, 401 read 1,
     * 501 reads 0. A 1 ms ACK low glitch between polls (at 350 ms) goes unnoticed. */
    g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, 201 * MS + 1);
    g->r.pc = R_IDLE;
    sim_sched_cancel(&g->sched, &g->r.ev);
    sim_sched_at(&g->sched, &g->r.ev, 201 * MS + 250 * MS);
    g->r.pc = R_BOOT;
    run(g, 350 * MS);
    g->ack = false;
    asi2c_ack_changed(&g->a, false, 350 * MS);
    g->ack = true;
    asi2c_ack_changed(&g->a, true, 351 * MS);
    run(g, 500 * MS);
    assert_null(ev_nth(g, ASI2C_EV_SYNCED, 0));
    run(g, 501 * MS);
    e = ev_nth(g, ASI2C_EV_SYNCED, 0);
    assert_non_null(e);
    assert_int_equal(e->t_ps, 501 * MS);
    run(g, 1501 * MS);
    e = ev_nth(g, ASI2C_EV_EXCHANGE_START, 0);
    assert_non_null(e);
    assert_int_equal(e->t_ps, 1501 * MS);
    rig_free(g);
}

/* ---- tests: exchanges ------------------------------------------------------------------- */

static void test_quiet_exchange(void **state)
{
    (void)state;
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, XN(3) - 1);
    assert_int_equal(g->ntx, 4); /* exactly two transactions per quiet exchange (A.6) */
    assert_string_equal(g->tx[0].text, "S 25 00 00 P");
    assert_string_equal(g->tx[0].acks, "AAN"); /* controller NACKs the last byte */
    assert_string_equal(g->tx[1].text, "S 24 00 00 P");
    assert_string_equal(g->tx[1].acks, "AAA");
    assert_int_equal(g->tx[0].start, X1 + 70 * US);
    assert_int_equal(g->tx[0].stop, X1 + 127 * US);
    assert_int_equal(g->tx[1].start, X1 + 151 * US);
    assert_int_equal(g->tx[1].stop, X1 + 208 * US);
    assert_string_equal(g->tx[2].text, "S 25 00 00 P");
    assert_string_equal(g->tx[3].text, "S 24 00 00 P");
    assert_int_equal(g->nstretch, 0); /* armed 5 us after SYN: before the Responder's 70 us */
    expect_done(g, 0, 1, D1, QUIET_US);
    expect_done(g, 1, 2, XN(2) + QUIET_US * US, QUIET_US);
    /* SYN during exchange 1: up at X, down at X+127 (after ACK), up at X+129 (ACK: request to
     * send), down at X+208 (ACK low after the header). */
    assert_int_equal(g->syn_t[2], X1);
    assert_true(g->syn_v[2]);
    assert_int_equal(g->syn_t[3], X1 + 127 * US);
    assert_false(g->syn_v[3]);
    assert_int_equal(g->syn_t[4], X1 + 129 * US);
    assert_true(g->syn_v[4]);
    assert_int_equal(g->syn_t[5], X1 + 208 * US);
    assert_false(g->syn_v[5]);
    /* the next exchange starts t_poll after the end of the previous one */
    assert_int_equal(ev_nth(g, ASI2C_EV_EXCHANGE_START, 1)->t_ps, D1 + 100 * MS);
    assert_int_equal(g->a.cnt.failures[ASI2C_FAIL_NONE], 0);
    assert_int_equal(g->a.cnt.nboots, 0);
    assert_int_equal(g->r.handled, 2);
    rig_free(g);
}

static void test_line_each_way(void **state)
{
    (void)state;
    rig *g = rig_new();
    assert_true(asi2c_send(&g->a, "hello\n", 6));
    g->r.out[0] = "world\n";
    g->r.nout = 1;
    asi2c_start(&g->a, T0);
    run(g, X1 - 1);
    assert_int_equal(g->a.txlen, 6); /* taken when synchronised (A.7) */
    run(g, X1 + 10 * MS);
    assert_int_equal(g->ntx, 4);
    assert_string_equal(g->tx[0].text, "S 25 06 00 P");
    assert_string_equal(g->tx[1].text, "S 25 68 65 6C 6C 6F 0A P");
    assert_string_equal(g->tx[1].acks, "AAAAAAN");
    assert_string_equal(g->tx[2].text, "S 24 06 00 P");
    assert_string_equal(g->tx[3].text, "S 24 77 6F 72 6C 64 0A P");
    assert_int_equal(g->r.ngot, 1);
    assert_string_equal(g->r.got[0], "hello\n");
    assert_int_equal(g->nlines, 1);
    assert_string_equal(g->lines[0], "world");
    /* Timing: H1 as quiet (ACK at X+127, SYN low); Responder sees it at X+129, ACK low, waits
     * SYN high: the Initiator raises SYN at X+129 for P1, armed at X+134; the Responder's
     * read starts at X+129+2+20 = X+151 and stops at X+151+129 = X+280 (6 bytes); ACK,
     * SYN low, ACK low at X+282 and ACK high (request to send) at once: SYN high at X+282;
     * writeto header at X+304, STOP X+361; ACK low, SYN low; Responder waits SYN low (X+363),
     * ACK high (dtx): SYN high at X+363; writeto payload at X+385, STOP X+514; ACK low: done. */
    assert_int_equal(g->tx[1].start, X1 + 151 * US);
    assert_int_equal(g->tx[3].start, X1 + 385 * US);
    expect_done(g, 0, 1, X1 + 514 * US, 514);
    const asi2c_event *d = ev_nth(g, ASI2C_EV_EXCHANGE_DONE, 0);
    assert_int_equal(d->tx_bytes, 6);
    assert_int_equal(d->rx_bytes, 6);
    assert_int_equal(g->line_t[0], X1 + 514 * US); /* app_read_ps 0: at the exchange's end */
    assert_int_equal(g->a.cnt.lines_tx, 1);
    assert_int_equal(g->a.cnt.bytes_tx, 6);
    assert_int_equal(g->a.cnt.lines_rx, 1);
    assert_int_equal(g->a.cnt.bytes_rx, 6);
    assert_int_equal(g->a.txsiz[0], 0); /* _txdone */

    /* A partial line waits for its newline; two lines in one payload. */
    g->r.out[1] = "par";
    g->r.out[2] = "tial\nx\ny\n";
    g->r.nout = 3;
    run(g, X1 + 1 * S);
    assert_int_equal(g->nlines, 4);
    assert_string_equal(g->lines[1], "partial");
    assert_string_equal(g->lines[2], "x");
    assert_string_equal(g->lines[3], "y");
    assert_int_equal(g->line_t[2], g->line_t[1]);
    assert_int_equal(g->a.cnt.lines_rx, 4);
    rig_free(g);
}

static void test_holdoff_slow_reader(void **state)
{
    (void)state;
    asi2c_config c = asi2c_config_default();
    c.app_read_ps = 250 * MS;
    rig *g = rig_new_cfg(&c);
    g->r.out[0] = "a\n";
    g->r.out[1] = "b\n";
    g->r.nout = 2;
    asi2c_start(&g->a, T0);
    run(g, X1 + 2 * S);
    /* Exchange 1 brings "a\n" (P2); the app reads it 250 ms later. Exchanges 2 and 3 (100 and
     * 200 ms later) carry the hold-off flag (00 80, A.3/A.7) so the Responder sends no payload
     * although "b\n" waits in its txbyt; exchange 4 has the flag clear and brings "b\n". */
    const asi2c_event *d1 = ev_nth(g, ASI2C_EV_EXCHANGE_DONE, 0);
    assert_int_equal(d1->rx_bytes, 2);
    assert_int_equal(g->line_t[0], d1->t_ps + 250 * MS);
    assert_string_equal(g->lines[0], "a");
    const asi2c_event *x2 = ev_nth(g, ASI2C_EV_EXCHANGE_START, 1);
    const asi2c_event *x3 = ev_nth(g, ASI2C_EV_EXCHANGE_START, 2);
    const asi2c_event *x4 = ev_nth(g, ASI2C_EV_EXCHANGE_START, 3);
    assert_string_equal(tx_after(g, x2->t_ps)->text, "S 25 00 80 P");
    assert_string_equal(g->tx[tx_index_after(g, x2->t_ps) + 1].text, "S 24 00 00 P");
    assert_string_equal(tx_after(g, x3->t_ps)->text, "S 25 00 80 P");
    assert_true(x3->t_ps < g->line_t[0] && g->line_t[0] < x4->t_ps);
    unsigned i4 = tx_index_after(g, x4->t_ps);
    assert_string_equal(g->tx[i4].text, "S 25 00 00 P");
    assert_string_equal(g->tx[i4 + 1].text, "S 24 02 00 P");
    assert_string_equal(g->tx[i4 + 2].text, "S 24 62 0A P");
    assert_int_equal(ev_nth(g, ASI2C_EV_EXCHANGE_DONE, 1)->rx_bytes, 0);
    assert_int_equal(ev_nth(g, ASI2C_EV_EXCHANGE_DONE, 2)->rx_bytes, 0);
    assert_int_equal(ev_nth(g, ASI2C_EV_EXCHANGE_DONE, 3)->rx_bytes, 2);
    /* "b\n" brings two more held-off exchanges (5 and 6) */
    assert_int_equal(g->a.cnt.holdoff_tx, 4);
    assert_int_equal(g->a.cnt.rx_overwritten, 0);
    assert_string_equal(g->lines[1], "b");
    rig_free(g);

    /* The other way: the Responder does not read, its H2 headers say 00 80, our cantx goes
     * false and our second line waits (no P1, txnull header) until it has read. */
    g = rig_new();
    g->r.rx_hold = true;
    assert_true(asi2c_send(&g->a, "x\n", 2));
    assert_true(asi2c_send(&g->a, "y\n", 2));
    asi2c_start(&g->a, T0);
    run(g, X1 + 250 * MS);
    assert_string_equal(g->tx[0].text, "S 25 02 00 P");
    assert_string_equal(g->tx[2].text, "S 24 00 80 P");
    assert_false(g->a.cantx);
    assert_int_equal(asi2c_queued(&g->a), 1); /* not writable (A.7) */
    assert_int_equal(g->a.txlen, 0);
    unsigned i2 = tx_index_after(g, ev_nth(g, ASI2C_EV_EXCHANGE_START, 1)->t_ps);
    assert_string_equal(g->tx[i2].text, "S 25 00 00 P");
    assert_string_equal(g->tx[i2 + 1].text, "S 24 00 80 P");
    assert_int_equal(g->a.cnt.holdoff_rx, 3);
    g->r.rx_hold = false;
    r_consume(&g->r);
    run(g, X1 + 500 * MS);
    assert_int_equal(g->r.ngot, 2);
    assert_string_equal(g->r.got[0], "x\n");
    assert_string_equal(g->r.got[1], "y\n");
    assert_int_equal(asi2c_queued(&g->a), 0);
    assert_int_equal(g->a.cnt.lines_tx, 2);
    rig_free(g);
}

/* ---- tests: failures -------------------------------------------------------------------- */

/* A dead Responder (crashed at exchange 2): send() never completes, the 5 s I2C timeout
 * fails it, nboots 1, reset pulse, resync, exchanges resume (A.8). */
static void test_i2c_timeout_reboot(void **state)
{
    (void)state;
    rig *g = rig_new();
    g->crash_at = 2;
    asi2c_start(&g->a, T0);
    uint64_t x2 = XN(2), f = DEADLINE(x2, 5000);
    assert_int_equal(f, 6402 * MS); /* X2 = 1401.208 ms: ticks 1401 + 5001 */
    run(g, f - 1);
    assert_int_equal(ev_count(g, ASI2C_EV_FAILURE), 0);
    assert_true(g->syn); /* SYN high all along */
    run(g, f);
    expect_failure(g, 0, f, ASI2C_FAIL_I2C_TIMEOUT, ASI2C_STEP_H1);
    const asi2c_event *rb = ev_nth(g, ASI2C_EV_REBOOT, 0);
    assert_non_null(rb);
    assert_int_equal(rb->n, 1);
    assert_int_equal(g->a.cnt.nboots, 1);
    assert_int_equal(g->a.cnt.failures[ASI2C_FAIL_I2C_TIMEOUT], 1);
    assert_int_equal(ev_nth(g, ASI2C_EV_RESET_START, 1)->t_ps, f);
    run(g, f + 3 * S);
    assert_int_equal(ev_nth(g, ASI2C_EV_RESET_END, 1)->t_ps, f + 200 * MS);
    assert_int_equal(ev_nth(g, ASI2C_EV_SYNCED, 1)->t_ps, f + 300 * MS);
    const asi2c_event *x3 = ev_nth(g, ASI2C_EV_EXCHANGE_START, 2);
    assert_int_equal(x3->t_ps, f + 1300 * MS);
    assert_int_equal(x3->index, 3);
    expect_done(g, 1, 3, f + 1300 * MS + QUIET_US * US, QUIET_US);
    /* A.9: the failed exchange is not timed; the counters lag by t_poll */
    unsigned timed = 0;
    for (unsigned i = 0; i < g->nev; i++)
        timed += g->ev[i].kind == ASI2C_EV_EXCHANGE_DONE && g->ev[i].t_ps + 100 * MS <= f + 3 * S;
    assert_int_equal(g->a.cnt.block_cnt, timed);
    assert_int_equal(g->a.cnt.block_cnt + 1, ev_count(g, ASI2C_EV_EXCHANGE_DONE));
    rig_free(g);
}

/* The Responder dies after reading H1 (never raises ACK): the 1 s waitfor in H1 step 3. */
static void test_handshake_timeout_reboot(void **state)
{
    (void)state;
    rig *g = rig_new();
    g->die_h1_at = 2;
    asi2c_start(&g->a, T0);
    uint64_t w = XN(2) + 124 * US; /* send() done, waitfor(1) begins */
    uint64_t f = DEADLINE(w, 1000);
    assert_int_equal(f, 2402 * MS);
    run(g, f - 1);
    assert_int_equal(ev_count(g, ASI2C_EV_FAILURE), 0);
    assert_string_equal(g->r.death, "after h1");
    assert_true(g->syn); /* still waiting for ACK high */
    run(g, f);
    expect_failure(g, 0, f, ASI2C_FAIL_ACK_HIGH, ASI2C_STEP_H1);
    assert_int_equal(g->a.cnt.nboots, 1);
    run(g, f + 2 * S);
    assert_int_equal(ev_nth(g, ASI2C_EV_SYNCED, 1)->t_ps, f + 300 * MS);
    expect_done(g, 1, 3, f + 1300 * MS + QUIET_US * US, QUIET_US);
    assert_int_equal(g->a.cnt.nboots, 1);

    /* The rounding: a wait that begins at 5.9999 ms of a tick gives up 1000.0001 ms later,
     * one that begins on a tick boundary 1001 ms later. */
    assert_int_equal(DEADLINE(5 * MS + 999999999ull, 1000) - (5 * MS + 999999999ull),
                     1000 * MS + 1);
    assert_int_equal(DEADLINE(5 * MS, 1000) - 5 * MS, 1001 * MS);
    rig_free(g);
}

/* An ACK edge exactly at the timeout instant: the loop reads rem() before the clock. */
static void test_timeout_tie(void **state)
{
    (void)state;
    rig *g = rig_new();
    g->die_h1_at = 2;
    asi2c_start(&g->a, T0);
    run(g, 2402 * MS - 1);
    g->ack = true; /* the level is there when the timeout fires (no ack_changed yet) */
    run(g, 2402 * MS);
    assert_int_equal(ev_count(g, ASI2C_EV_FAILURE), 0);
    assert_false(g->syn); /* waitfor(1) passed: SYN := 0, now waiting for ACK low */
    run(g, 3403 * MS);
    expect_failure(g, 0, 3403 * MS, ASI2C_FAIL_ACK_LOW, ASI2C_STEP_H1);
    rig_free(g);
}

static void test_oversize_rx_default(void **state)
{
    (void)state;
    rig *g = rig_new();
    g->r.h2_override_once = true;
    g->r.h2_hdr[0] = 201; /* rxbufsize + 1 */
    g->r.h2_hdr[1] = 0;
    asi2c_start(&g->a, T0);
    run(g, X1 + 3 * S);
    assert_string_equal(g->tx[1].text, "S 24 C9 00 P");
    const asi2c_event *o = ev_nth(g, ASI2C_EV_OVERSIZE, 0);
    assert_non_null(o);
    assert_int_equal(o->n, 201);
    assert_int_equal(o->t_ps, D1);
    expect_failure(g, 0, D1, ASI2C_FAIL_OVERSIZE, ASI2C_STEP_H2);
    assert_int_equal(g->a.cnt.nboots, 1);
    assert_int_equal(g->a.cnt.oversize_rx, 1);
    assert_int_equal(ev_nth(g, ASI2C_EV_RESET_START, 1)->t_ps, D1);
    expect_done(g, 0, 2, D1 + 1300 * MS + QUIET_US * US, QUIET_US); /* recovered */
    assert_int_equal(ev_count(g, ASI2C_EV_DEAD), 0);
    /* 200 is accepted */
    rig_free(g);
}

static void test_oversize_rx_v3(void **state)
{
    (void)state;
    rig *g = rig_v3();
    g->r.h2_override_once = true;
    g->r.h2_hdr[0] = 201;
    g->r.h2_hdr[1] = 0;
    asi2c_start(&g->a, T0);
    run(g, X1 + 20 * S);
    const asi2c_event *d = ev_nth(g, ASI2C_EV_DEAD, 0);
    assert_non_null(d);
    assert_int_equal(d->reason, ASI2C_FAIL_OVERSIZE);
    assert_int_equal(d->t_ps, D1);
    assert_int_equal(ev_nth(g, ASI2C_EV_OVERSIZE, 0)->t_ps, D1);
    /* ValueError is not an OSError: no reboot, nboots 0, the link stops for good */
    assert_int_equal(g->a.cnt.nboots, 0);
    assert_int_equal(ev_count(g, ASI2C_EV_FAILURE), 0);
    assert_int_equal(ev_count(g, ASI2C_EV_REBOOT), 0);
    assert_int_equal(ev_count(g, ASI2C_EV_EXCHANGE_START), 1);
    assert_int_equal(g->nrst, 2);
    assert_int_equal(g->syn_t[g->nsyn - 1], D1); /* SYN := 0 before the decode, then nothing */
    assert_false(g->syn);
    assert_int_equal(g->a.st, ASI2C_ST_DEAD);
    rig_free(g);
}

/* OVERSIZE fault: our header announces 201; the Responder's handler raises ValueError after
 * H1 (IRQ never re-armed), our H2 waitfor(1) times out; both modes reboot and recover. */
static void oversize_tx(asi2c_compat compat)
{
    asi2c_config c = asi2c_config_default();
    c.compat = compat;
    rig *g = rig_new_cfg(&c);
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    asi2c_fault(&g->a, ASI2C_FAULT_OVERSIZE, 1, D1 + 50 * MS);
    assert_int_equal(ev_nth(g, ASI2C_EV_FAULT, 0)->fault, ASI2C_FAULT_OVERSIZE);
    uint64_t x2 = XN(2);
    run(g, x2 + 1 * MS);
    assert_string_equal(g->r.death, "ValueError"); /* the Responder's handler died */
    run(g, x2 + 3 * S);
    unsigned i = tx_index_after(g, x2);
    assert_string_equal(g->tx[i].text, "S 25 C9 00 P");
    assert_true(g->tx[i + 1].start > x2 + 1 * S); /* nothing until the reboot */
    const asi2c_event *fa = ev_nth(g, ASI2C_EV_FAULT_APPLIED, 0);
    assert_non_null(fa);
    assert_int_equal(fa->t_ps, x2);
    /* H1 ends at X+129 (ACK low), H2's waitfor(1) begins there */
    uint64_t f = DEADLINE(x2 + 129 * US, 1000);
    expect_failure(g, 0, f, ASI2C_FAIL_ACK_HIGH, ASI2C_STEP_H2);
    assert_int_equal(g->a.cnt.nboots, 1);
    expect_done(g, 1, 3, f + 1300 * MS + QUIET_US * US, QUIET_US);
    assert_string_equal(g->tx[i + 1].text, "S 25 00 00 P"); /* the fault was one-shot */
    assert_int_equal(ev_count(g, ASI2C_EV_DEAD), 0);
    rig_free(g);
}

static void test_oversize_tx_fault(void **state)
{
    (void)state;
    oversize_tx(ASI2C_COMPAT_NONE);
    oversize_tx(ASI2C_COMPAT_MICROPYTHON_V3);
}

/* A.11 item 1: a line in txbyt when the Responder crashes. After the reboot v3's header still
 * announces it (stale txsiz) but no payload follows: the fresh Responder waits for SYN (P1),
 * we wait for ACK (H2): 1 s timeout, reboot, the same again. The default mode recovers. */
static void stale_txsiz(asi2c_compat compat)
{
    asi2c_config c = asi2c_config_default();
    c.compat = compat;
    rig *g = rig_new_cfg(&c);
    g->crash_at = 2;
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    assert_true(asi2c_send(&g->a, "zz\n", 3));
    assert_int_equal(g->a.txlen, 3); /* taken at once: the stream is writable */
    run(g, 6402 * MS);               /* exchange 2 fails: I2C timeout */
    expect_failure(g, 0, 6402 * MS, ASI2C_FAIL_I2C_TIMEOUT, ASI2C_STEP_H1);
    assert_null(tx_after(g, XN(2))); /* the crashed Responder never read the header */
    assert_int_equal(g->a.hdr[0], 3);
    run(g, 6402 * MS + 200 * MS);
    assert_int_equal(g->a.cnt.lines_dropped, 1);
    assert_int_equal(ev_nth(g, ASI2C_EV_LINE_DROPPED, 0)->n, 3);
    uint64_t x3 = 6402 * MS + 1300 * MS;
    run(g, x3 + 5 * S);
    if (compat == ASI2C_COMPAT_MICROPYTHON_V3) {
        assert_string_equal(tx_after(g, x3)->text, "S 25 03 00 P");
        /* H1 ends at X+129; the Responder waits for SYN high, we for ACK high */
        uint64_t f = DEADLINE(x3 + 129 * US, 1000);
        expect_failure(g, 1, f, ASI2C_FAIL_ACK_HIGH, ASI2C_STEP_H2);
        uint64_t x4 = f + 1300 * MS;
        assert_string_equal(tx_after(g, x4)->text, "S 25 03 00 P");
        expect_failure(g, 2, DEADLINE(x4 + 129 * US, 1000), ASI2C_FAIL_ACK_HIGH, ASI2C_STEP_H2);
        assert_int_equal(g->a.cnt.exchanges_done, 1); /* stuck */
        assert_int_equal(g->a.cnt.nboots, 3);
        assert_int_equal(g->r.handled, 1);
    } else {
        assert_string_equal(tx_after(g, x3)->text, "S 25 00 00 P");
        expect_done(g, 1, 3, x3 + QUIET_US * US, QUIET_US);
        assert_int_equal(g->a.cnt.nboots, 1);
        /* exchanges 3.. end at x3 + 208 us + k * 100.208 ms, k = 0..49 within 5 s */
        assert_int_equal(g->a.cnt.exchanges_done, 1 + 50);
    }
    rig_free(g);
}

static void test_stale_txsiz(void **state)
{
    (void)state;
    stale_txsiz(ASI2C_COMPAT_MICROPYTHON_V3);
    stale_txsiz(ASI2C_COMPAT_NONE);
}

/* A.11 item 2: cantx survives the reboot in v3. The Responder holds off (its rxbyt unread)
 * when it crashes; after the reboot v3 still thinks it may not send, so the queued line goes
 * out one exchange later than in the default mode. */
static uint64_t stale_cantx(asi2c_compat compat)
{
    asi2c_config c = asi2c_config_default();
    c.compat = compat;
    rig *g = rig_new_cfg(&c);
    g->r.rx_hold = true;
    g->crash_at = 2;
    assert_true(asi2c_send(&g->a, "x\n", 2));
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    assert_false(g->a.cantx);
    assert_true(asi2c_send(&g->a, "y\n", 2));
    assert_int_equal(asi2c_queued(&g->a), 1);
    run(g, 6402 * MS + 3 * S);
    assert_int_equal(g->a.cnt.nboots, 1);
    /* the first exchange that sends a payload after the reboot */
    uint64_t first = 0;
    for (unsigned i = 0; i < g->nev; i++)
        if (g->ev[i].kind == ASI2C_EV_EXCHANGE_DONE && g->ev[i].tx_bytes && g->ev[i].index > 2) {
            first = g->ev[i].index;
            break;
        }
    rig_free(g);
    return first;
}

static void test_stale_cantx(void **state)
{
    (void)state;
    assert_int_equal(stale_cantx(ASI2C_COMPAT_NONE), 3);
    assert_int_equal(stale_cantx(ASI2C_COMPAT_MICROPYTHON_V3), 4);
}

static void test_no_reset_line(void **state)
{
    (void)state;
    asi2c_config c = asi2c_config_default();
    c.rst_enabled = false;
    rig *g = rig_new_cfg(&c);
    g->crash_at = 2;
    g->r.in_reset = false; /* powered up on its own: boots at 30 ms */
    r_go(&g->r, R_BOOT, BOOT);
    asi2c_start(&g->a, T0);
    run(g, 20 * S);
    assert_int_equal(g->nrst, 0);
    assert_int_equal(ev_count(g, ASI2C_EV_RESET_START), 0);
    /* _sync at T0, ACK low at 30 ms, seen at 101 ms; exchange 1 at 1101 ms */
    assert_int_equal(ev_nth(g, ASI2C_EV_SYNCED, 0)->t_ps, 101 * MS);
    expect_done(g, 0, 1, 1101 * MS + QUIET_US * US, QUIET_US);
    uint64_t f = DEADLINE(1101 * MS + QUIET_US * US + 100 * MS, 5000);
    expect_failure(g, 0, f, ASI2C_FAIL_I2C_TIMEOUT, ASI2C_STEP_H1);
    const asi2c_event *d = ev_nth(g, ASI2C_EV_DEAD, 0);
    assert_non_null(d);
    assert_int_equal(d->t_ps, f);
    assert_int_equal(d->reason, ASI2C_FAIL_I2C_TIMEOUT);
    assert_int_equal(g->a.cnt.nboots, 1); /* counted before the raise */
    assert_int_equal(ev_count(g, ASI2C_EV_REBOOT), 0);
    assert_int_equal(ev_count(g, ASI2C_EV_EXCHANGE_START), 2);
    rig_free(g);
}

/* ---- tests: counters -------------------------------------------------------------------- */

static void test_counters(void **state)
{
    (void)state;
    rig *g = rig_new();
    g->crash_at = 4;
    asi2c_start(&g->a, T0);
    run(g, D1 + 100 * MS - 1); /* A.9: updated after the t_poll sleep */
    assert_int_equal(g->a.cnt.exchanges_done, 1);
    assert_int_equal(g->a.cnt.block_cnt, 0);
    assert_int_equal(g->a.cnt.block_sum, 0);
    assert_true(asi2c_send(&g->a, "hello\n", 6)); /* for exchange 2 */
    run(g, D1 + 100 * MS);
    assert_int_equal(g->a.cnt.block_cnt, 1);
    assert_int_equal(g->a.cnt.block_sum, QUIET_US);
    assert_int_equal(g->a.cnt.block_max, QUIET_US);
    /* Exchange 2 carries a line: P1 of 6 bytes. H1 as quiet to X+129; P1: SYN high at X+129,
     * read at X+151, STOP at X+280 (6 bytes: 21 + 18 * 6 us); ACK low at X+282, request to
     * send at once; header write at X+304, STOP at X+361: 361 us. */
    uint64_t x2 = XN(2), x3 = x2 + 361 * US + 100 * MS, x4 = x3 + 100 * MS + QUIET_US * US;
    run(g, x3 - 1);
    expect_done(g, 1, 2, x2 + 361 * US, 361);
    assert_int_equal(g->a.cnt.block_cnt, 1);
    run(g, x3);
    assert_int_equal(g->a.cnt.block_cnt, 2);
    assert_int_equal(g->a.cnt.block_sum, QUIET_US + 361);
    assert_int_equal(g->a.cnt.block_max, 361);
    run(g, x4); /* exchange 3 (quiet) counted; exchange 4 starts and the Responder crashes */
    assert_int_equal(g->a.cnt.block_cnt, 3);
    assert_int_equal(g->a.cnt.block_sum, QUIET_US + 361 + QUIET_US);
    assert_int_equal(g->a.cnt.block_max, 361);
    uint64_t f = DEADLINE(x4, 5000);
    run(g, f + 1300 * MS + QUIET_US * US + 100 * MS - 1);
    expect_failure(g, 0, f, ASI2C_FAIL_I2C_TIMEOUT, ASI2C_STEP_H1);
    assert_int_equal(g->a.cnt.block_cnt, 3); /* the failed exchange is never timed */
    assert_int_equal(g->a.cnt.exchanges, 5);
    run(g, f + 1300 * MS + QUIET_US * US + 100 * MS);
    assert_int_equal(g->a.cnt.block_cnt, 4);
    assert_int_equal(g->a.cnt.block_sum, 3 * QUIET_US + 361);
    assert_int_equal(g->a.cnt.nboots, 1);
    rig_free(g);
}

/* ---- tests: faults ---------------------------------------------------------------------- */

/* NACK: the next address is refused; the Responder's readfrom_into raises ENODEV (handler
 * dead), our send() never completes: I2C timeout, reboot, recovery. */
static void test_fault_nack(void **state)
{
    (void)state;
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    asi2c_fault(&g->a, ASI2C_FAULT_NACK, 1, D1 + 50 * MS);
    const asi2c_event *fe = ev_nth(g, ASI2C_EV_FAULT, 0);
    assert_non_null(fe);
    assert_int_equal(fe->param, 1);
    assert_int_equal(fe->t_ps, D1 + 50 * MS);
    uint64_t x2 = XN(2);
    run(g, x2 + 1 * MS);
    const asi2c_event *fa = ev_nth(g, ASI2C_EV_FAULT_APPLIED, 0);
    assert_non_null(fa);
    assert_int_equal(fa->fault, ASI2C_FAULT_NACK);
    assert_int_equal(fa->t_ps, x2 + 86 * US); /* the address byte's 8th rise */
    const txn *t = tx_after(g, x2);
    assert_string_equal(t->text, "S 25 P");
    assert_string_equal(t->acks, "N");
    assert_string_equal(g->r.death, "hdr read");
    run(g, 6402 * MS + 1400 * MS);
    expect_failure(g, 0, 6402 * MS, ASI2C_FAIL_I2C_TIMEOUT, ASI2C_STEP_H1);
    expect_done(g, 1, 3, 6402 * MS + 1300 * MS + QUIET_US * US, QUIET_US);
    assert_int_equal(g->a.cnt.faults_applied, 1);
    rig_free(g);
}

/* STRETCH shorter than the controller's 255 us: the exchange just takes longer. */
static void test_fault_stretch_short(void **state)
{
    (void)state;
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    asi2c_fault(&g->a, ASI2C_FAULT_STRETCH, 100 * US, D1 + 50 * MS);
    uint64_t x2 = XN(2);
    run(g, x2 + 10 * MS);
    /* held from the fall after the address (X+87) to X+86+100; the controller released SCL at
     * X+88: a 98 us stretch, and the exchange is 98 us longer */
    assert_int_equal(g->nstretch, 1);
    assert_int_equal(g->stretches[0], 98 * US);
    expect_done(g, 1, 2, x2 + (QUIET_US + 98) * US, QUIET_US + 98);
    assert_int_equal(ev_count(g, ASI2C_EV_FAILURE), 0);
    rig_free(g);
}

/* STRETCH longer than 255 us: the controller times out (its handler dies, SDA is left held
 * by our ACK); our send() times out after 5 s, the peripheral lets go, reboot, recovery. */
static void test_fault_stretch_long(void **state)
{
    (void)state;
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    asi2c_fault(&g->a, ASI2C_FAULT_STRETCH, 1 * MS, D1 + 50 * MS);
    uint64_t x2 = XN(2);
    run(g, x2 + 2 * MS);
    assert_string_equal(g->r.death, "hdr read");
    assert_int_equal(g->nstretch, 1);
    assert_int_equal(g->stretches[0], 998 * US); /* X+88 .. X+1086 */
    assert_true(i2c_bus_level(&g->bus, I2C_SCL));
    assert_false(i2c_bus_level(&g->bus, I2C_SDA)); /* our ACK bit, never clocked out */
    run(g, 6402 * MS);
    expect_failure(g, 0, 6402 * MS, ASI2C_FAIL_I2C_TIMEOUT, ASI2C_STEP_H1);
    assert_true(i2c_bus_level(&g->bus, I2C_SDA)); /* released by the abort */
    run(g, 6402 * MS + 1400 * MS);
    expect_done(g, 1, 3, 6402 * MS + 1300 * MS + QUIET_US * US, QUIET_US);
    rig_free(g);
}

/* SYNC_STUCK low: SYN cannot rise for 300 ms; the exchange starts when it is let go. */
static void test_fault_sync_stuck_low(void **state)
{
    (void)state;
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    unsigned nsyn = g->syn_edges;
    asi2c_fault(&g->a, ASI2C_FAULT_SYNC_STUCK_LOW, 300 * MS, D1 + 50 * MS);
    run(g, D1 + 350 * MS - 1);
    assert_int_equal(g->syn_edges, nsyn); /* SYN := 1 at X2 did not reach the pin */
    assert_int_equal(ev_count(g, ASI2C_EV_EXCHANGE_START), 2);
    run(g, D1 + 360 * MS);
    assert_int_equal(g->syn_t[nsyn], D1 + 350 * MS);
    assert_true(g->syn_v[nsyn]);
    expect_done(g, 1, 2, D1 + 350 * MS + QUIET_US * US, 250 * 1000 + QUIET_US);
    rig_free(g);
}

/* SYNC_STUCK high during H1: the Responder never sees SYN fall, our waitfor(0) times out. */
static void test_fault_sync_stuck_high(void **state)
{
    (void)state;
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    uint64_t x2 = XN(2), t = x2 + 100 * US;
    run(g, t);
    asi2c_fault(&g->a, ASI2C_FAULT_SYNC_STUCK_HIGH, 2 * S, t);
    run(g, 2402 * MS);
    expect_failure(g, 0, DEADLINE(x2 + 127 * US, 1000), ASI2C_FAIL_ACK_LOW, ASI2C_STEP_H1);
    assert_int_equal(DEADLINE(x2 + 127 * US, 1000), 2402 * MS);
    /* the pin stays high through the reboot until t + 2 s; the Responder's _sync waits for
     * it (100 ms polls from its boot at 2632 ms: armed at 3432 ms), our _sync for ACK low
     * (2702 ms); exchange 3 at 3702 ms succeeds */
    run(g, 3800 * MS);
    unsigned k = 0;
    while (k < g->nsyn && g->syn_t[k] != t + 2 * S)
        k++;
    assert_true(k < g->nsyn);
    assert_false(g->syn_v[k]);
    assert_true(g->syn_t[k - 1] < x2 + 1 * MS); /* nothing reached the pin in between */
    expect_done(g, 1, 3, 3702 * MS + QUIET_US * US, QUIET_US);
    rig_free(g);
}

/* ---- tests: bus anomalies --------------------------------------------------------------- */

static void test_bus_anomalies(void **state)
{
    (void)state;
    /* The controller reads 3 header bytes: send() completes with the 2nd, the 3rd reads FF
     * (OVERREAD), the exchange succeeds, 18 us longer. */
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    g->r.hdr_read_len = 3;
    uint64_t x2 = XN(2);
    run(g, x2 + 1 * MS);
    g->r.hdr_read_len = 2;
    assert_string_equal(tx_after(g, x2)->text, "S 25 00 00 FF P");
    assert_int_equal(g->a.cnt.i2c_errors[ASI2C_I2C_OVERREAD], 1);
    expect_done(g, 1, 2, x2 + (QUIET_US + 18) * US, QUIET_US + 18);
    /* It writes 3 header bytes: the 3rd is NACKed (OVERWRITE), recv() completes at STOP. */
    g->r.hdr_write_len = 3;
    uint64_t x3 = x2 + (QUIET_US + 18) * US + 100 * MS;
    run(g, x3 + 1 * MS);
    g->r.hdr_write_len = 2;
    assert_string_equal(g->tx[tx_index_after(g, x3) + 1].text, "S 24 00 00 00 P");
    assert_string_equal(g->tx[tx_index_after(g, x3) + 1].acks, "AAAN");
    assert_int_equal(g->a.cnt.i2c_errors[ASI2C_I2C_OVERWRITE], 1);
    expect_done(g, 2, 3, x3 + (QUIET_US + 18) * US, QUIET_US + 18);
    assert_int_equal(ev_count(g, ASI2C_EV_I2C_ERROR), 2);
    assert_int_equal(ev_nth(g, ASI2C_EV_I2C_ERROR, 1)->step, ASI2C_STEP_H2);
    assert_int_equal(ev_count(g, ASI2C_EV_FAILURE), 0);
    rig_free(g);

    /* It reads 1 byte (NACKs it): send() fails at once (HAL acknowledge failure). */
    g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    g->r.hdr_read_len = 1;
    run(g, XN(2) + 1 * MS);
    expect_failure(g, 0, XN(2) + (70 + 36) * US, ASI2C_FAIL_I2C_NACK, ASI2C_STEP_H1);
    assert_int_equal(g->a.cnt.nboots, 1);
    rig_free(g);

    /* It writes 1 byte: STOP before the 2nd, recv() fails (SHORT) at the STOP. */
    g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    g->r.hdr_write_len = 1;
    run(g, XN(2) + 1 * MS);
    expect_failure(g, 0, XN(2) + (151 + 39) * US, ASI2C_FAIL_I2C_SHORT, ASI2C_STEP_H2);
    rig_free(g);

    /* It reads where it should write (H2): the address in the wrong direction fails recv(). */
    g = rig_new();
    asi2c_start(&g->a, T0);
    run(g, D1 + 50 * MS);
    g->r.h2_wrong_dir = true;
    run(g, XN(2) + 1 * MS);
    expect_failure(g, 0, XN(2) + (151 + 16) * US, ASI2C_FAIL_I2C_DIR, ASI2C_STEP_H2);
    assert_int_equal(g->a.cnt.failures[ASI2C_FAIL_I2C_DIR], 1);
    rig_free(g);
}

/* arm_ps longer than the Responder's IRQ + _DELAY: we are addressed before being armed, ACK
 * and hold SCL until armed (A.11 item 5). */
static void test_arm_latency(void **state)
{
    (void)state;
    asi2c_config c = asi2c_config_default();
    c.arm_ps = 100 * US;
    rig *g = rig_new_cfg(&c);
    asi2c_start(&g->a, T0);
    run(g, X1 + 10 * MS);
    /* H1: armed at X+100, the controller released SCL at X+88: 12 us. H2: SYN and recv() at
     * X+141, armed at X+241; the controller released SCL at X+181: 60 us. */
    assert_int_equal(g->nstretch, 2);
    assert_int_equal(g->stretches[0], 12 * US);
    assert_int_equal(g->stretches[1], 60 * US);
    assert_int_equal(g->a.cnt.i2c_errors[ASI2C_I2C_HELD], 2);
    expect_done(g, 0, 1, X1 + 280 * US, 280);
    assert_string_equal(g->tx[0].text, "S 25 00 00 P");
    assert_string_equal(g->tx[1].text, "S 24 00 00 P");
    rig_free(g);
}

/* ---- tests: API ------------------------------------------------------------------------- */

static void test_queue_bounds(void **state)
{
    (void)state;
    rig *g = rig_new();
    for (int i = 0; i < ASI2C_TXQ_LINES; i++)
        assert_true(asi2c_send(&g->a, "l\n", 2));
    assert_false(asi2c_send(&g->a, "l\n", 2));
    assert_true(asi2c_send(&g->a, "", 0)); /* no-op */
    assert_int_equal(asi2c_queued(&g->a), ASI2C_TXQ_LINES);
    rig_free(g);

    g = rig_new();
    static char big[ASI2C_TX_MAX + 1];
    memset(big, 'x', sizeof(big));
    assert_false(asi2c_send(&g->a, big, ASI2C_TX_MAX + 1));
    for (int i = 0; i < ASI2C_TXQ_BYTES / ASI2C_TX_MAX; i++)
        assert_true(asi2c_send(&g->a, big, ASI2C_TX_MAX));
    assert_false(asi2c_send(&g->a, "l\n", 2));
    assert_int_equal(asi2c_queued(&g->a), ASI2C_TXQ_BYTES / ASI2C_TX_MAX);
    rig_free(g);

    /* queued lines go out one per exchange, in order */
    g = rig_new();
    assert_true(asi2c_send(&g->a, "1\n", 2));
    assert_true(asi2c_send(&g->a, "22\n", 3));
    assert_true(asi2c_send(&g->a, "333\n", 4));
    asi2c_start(&g->a, T0);
    run(g, X1 + 400 * MS);
    assert_int_equal(g->r.ngot, 3);
    assert_string_equal(g->r.got[0], "1\n");
    assert_string_equal(g->r.got[1], "22\n");
    assert_string_equal(g->r.got[2], "333\n");
    rig_free(g);

    /* invalid configurations */
    asi2c_config c = asi2c_config_default();
    i2c_bus b;
    sim_sched s;
    i2c_bus_init(&b);
    sim_sched_init(&s);
    asi2c a;
    asi2c_pins p = {pin_syn, pin_rst, pin_ack, NULL};
    c.rxbufsize = 0;
    assert_false(asi2c_init(&a, &c, &b, &s, &p));
    c = asi2c_config_default();
    c.rxbufsize = ASI2C_RXBUF_MAX + 1;
    assert_false(asi2c_init(&a, &c, &b, &s, &p));
    c = asi2c_config_default();
    c.addr = 0x80;
    assert_false(asi2c_init(&a, &c, &b, &s, &p));
    c = asi2c_config_default();
    p.drive_rst = NULL;
    assert_false(asi2c_init(&a, &c, &b, &s, &p));
    c.rst_enabled = false;
    assert_true(asi2c_init(&a, &c, &b, &s, &p));
    asi2c_free(&a);
    sim_sched_free(&s);
}

/* The app cannot run inside _sendrx: a line queued during an exchange is taken at its end
 * (taking it between H1 and P1 would send a payload the header did not announce). */
static void test_send_during_exchange(void **state)
{
    (void)state;
    rig *g = rig_new();
    asi2c_start(&g->a, T0);
    uint64_t x2 = XN(2);
    run(g, x2 + 100 * US); /* H1 header sent, waiting for ACK */
    assert_true(asi2c_send(&g->a, "late\n", 5));
    assert_int_equal(g->a.txlen, 0);
    assert_int_equal(asi2c_queued(&g->a), 1);
    run(g, x2 + QUIET_US * US);
    expect_done(g, 1, 2, x2 + QUIET_US * US, QUIET_US); /* still a quiet exchange */
    assert_int_equal(g->a.txlen, 5);                    /* taken at its end */
    run(g, XN(3) + 1 * MS);
    assert_string_equal(tx_after(g, XN(3))->text, "S 25 05 00 P");
    assert_int_equal(g->r.ngot, 1);
    assert_string_equal(g->r.got[0], "late\n");
    assert_int_equal(ev_count(g, ASI2C_EV_FAILURE), 0);
    rig_free(g);
}

/* Received payloads replace rxbyt (A.3): a Responder that ignores our hold-off overwrites the
 * unread "a\n"; the slow reader then sees only "b". */
static void test_rx_replaces(void **state)
{
    (void)state;
    asi2c_config c = asi2c_config_default();
    c.app_read_ps = 150 * MS;
    rig *g = rig_new_cfg(&c);
    g->r.ignore_holdoff = true;
    g->r.out[0] = "a\n";
    g->r.out[1] = "b\n";
    g->r.nout = 2;
    asi2c_start(&g->a, T0);
    run(g, X1 + 1 * S);
    assert_string_equal(g->tx[tx_index_after(g, XN(2))].text, "S 25 00 80 P"); /* held off */
    assert_int_equal(ev_nth(g, ASI2C_EV_EXCHANGE_DONE, 1)->rx_bytes, 2);       /* ignored */
    assert_int_equal(g->a.cnt.rx_overwritten, 1);
    assert_int_equal(g->nlines, 1);
    assert_string_equal(g->lines[0], "b");
    rig_free(g);
}

/* A line written during the reset pulse after a failure: v3 (synchronised never cleared)
 * takes it into txbyt, loses it when txbyt is cleared and keeps its length in txsiz (the
 * stale-txsiz loop); the default mode keeps it queued and sends it after the resync. */
static void write_during_reboot(asi2c_compat compat)
{
    asi2c_config c = asi2c_config_default();
    c.compat = compat;
    rig *g = rig_new_cfg(&c);
    g->crash_at = 2;
    asi2c_start(&g->a, T0);
    run(g, 6402 * MS + 100 * MS); /* exchange 2 failed at 6402 ms: in the reset pulse */
    assert_true(asi2c_send(&g->a, "mid\n", 4));
    run(g, 6402 * MS + 3 * S);
    uint64_t x3 = 6402 * MS + 1300 * MS;
    if (compat == ASI2C_COMPAT_MICROPYTHON_V3) {
        assert_int_equal(g->a.cnt.lines_dropped, 1);
        assert_string_equal(tx_after(g, x3)->text, "S 25 04 00 P");
        expect_failure(g, 1, DEADLINE(x3 + 129 * US, 1000), ASI2C_FAIL_ACK_HIGH, ASI2C_STEP_H2);
        assert_int_equal(g->r.ngot, 0);
    } else {
        assert_int_equal(g->a.cnt.lines_dropped, 0);
        assert_string_equal(tx_after(g, x3)->text, "S 25 04 00 P");
        assert_int_equal(g->r.ngot, 1);
        assert_string_equal(g->r.got[0], "mid\n");
        assert_int_equal(g->a.cnt.nboots, 1);
    }
    rig_free(g);
}

static void test_write_during_reboot(void **state)
{
    (void)state;
    write_during_reboot(ASI2C_COMPAT_MICROPYTHON_V3);
    write_during_reboot(ASI2C_COMPAT_NONE);
}

static bool ev_equal(const asi2c_event *x, const asi2c_event *y)
{
    return x->kind == y->kind && x->t_ps == y->t_ps && x->index == y->index && x->step == y->step &&
           x->reason == y->reason && x->n == y->n && x->duration_us == y->duration_us &&
           x->tx_bytes == y->tx_bytes && x->rx_bytes == y->rx_bytes && x->fault == y->fault &&
           x->param == y->param && x->error == y->error;
}

static void compare_runs(const rig *g, const rig *h)
{
    assert_int_equal(g->nev, h->nev);
    for (unsigned i = 0; i < g->nev; i++)
        if (!ev_equal(&g->ev[i], &h->ev[i]))
            fail_msg("event %u differs: %s at %llu vs %s at %llu", i,
                     asi2c_event_name(g->ev[i].kind), (unsigned long long)g->ev[i].t_ps,
                     asi2c_event_name(h->ev[i].kind), (unsigned long long)h->ev[i].t_ps);
    assert_int_equal(g->ntx, h->ntx);
    for (unsigned i = 0; i < g->ntx; i++) {
        assert_string_equal(g->tx[i].text, h->tx[i].text);
        assert_int_equal(g->tx[i].start, h->tx[i].start);
        assert_int_equal(g->tx[i].stop, h->tx[i].stop);
    }
    assert_int_equal(g->syn_edges, h->syn_edges);
    assert_memory_equal(g->syn_t, h->syn_t, sizeof(g->syn_t));
    assert_int_equal(g->nlines, h->nlines);
}

/* A busy run: lines both ways, a crash, an oversize fault, a slow reader. */
static rig *busy_run(bool dup_ack)
{
    asi2c_config c = asi2c_config_default();
    c.app_read_ps = 150 * MS;
    rig *g = rig_new_cfg(&c);
    g->dup_ack = dup_ack;
    g->crash_at = 5;
    g->r.out[0] = "r1\n";
    g->r.out[1] = "r2\n";
    g->r.out[2] = "r3\n";
    g->r.nout = 3;
    asi2c_send(&g->a, "i1\n", 3);
    asi2c_send(&g->a, "i2\n", 3);
    asi2c_start(&g->a, T0);
    run(g, 3 * S);
    asi2c_send(&g->a, "i3\n", 3);
    asi2c_fault(&g->a, ASI2C_FAULT_OVERSIZE, 1, 3 * S);
    run(g, 20 * S);
    return g;
}

static void test_determinism(void **state)
{
    (void)state;
    rig *g = busy_run(false), *h = busy_run(false);
    assert_true(g->nev > 50);
    assert_true(ev_count(g, ASI2C_EV_FAILURE) >= 2);
    assert_int_equal(g->nlines, 2); /* r3 was in the Responder's txbyt when it crashed */
    compare_runs(g, h);
    rig_free(h);
    /* Being told about "changes" that change nothing alters nothing. */
    h = busy_run(true);
    compare_runs(g, h);
    rig_free(h);
    rig_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_pulse),
        cmocka_unit_test(test_sync_polls),
        cmocka_unit_test(test_quiet_exchange),
        cmocka_unit_test(test_line_each_way),
        cmocka_unit_test(test_holdoff_slow_reader),
        cmocka_unit_test(test_i2c_timeout_reboot),
        cmocka_unit_test(test_handshake_timeout_reboot),
        cmocka_unit_test(test_timeout_tie),
        cmocka_unit_test(test_oversize_rx_default),
        cmocka_unit_test(test_oversize_rx_v3),
        cmocka_unit_test(test_oversize_tx_fault),
        cmocka_unit_test(test_stale_txsiz),
        cmocka_unit_test(test_stale_cantx),
        cmocka_unit_test(test_no_reset_line),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_fault_nack),
        cmocka_unit_test(test_fault_stretch_short),
        cmocka_unit_test(test_fault_stretch_long),
        cmocka_unit_test(test_fault_sync_stuck_low),
        cmocka_unit_test(test_fault_sync_stuck_high),
        cmocka_unit_test(test_bus_anomalies),
        cmocka_unit_test(test_arm_latency),
        cmocka_unit_test(test_queue_bounds),
        cmocka_unit_test(test_send_during_exchange),
        cmocka_unit_test(test_rx_replaces),
        cmocka_unit_test(test_write_during_reboot),
        cmocka_unit_test(test_determinism),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
