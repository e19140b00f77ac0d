/* fuzz_asi2c: the asi2c Initiator (models/i2c/asi2c) against a Responder scripted by the input,
 * on one i2c_bus and one sim_sched, for 20 s of virtual time or until 5 s after the script has
 * run out (FZ_END_PS, FZ_TAIL_PS). The Responder is a bit-banged
 * I2C controller at pin level (it drives SDA/SCL edges on the bus; the Initiator's i2c_target
 * decodes them), drives the ACK line and obeys the Initiator's SYN and reset lines. The script
 * chooses the header bytes it writes (any length field, hold-off bit, header length 0..3, the
 * wrong direction), its payloads (any length, mismatched with the header; pattern bytes or the
 * input's), raw edges, NACKs, aborted bytes, missing STOPs, clock stretches (the Initiator's
 * STRETCH fault, the Responder's stretch timeout), ACK glitches, crashes and hangs; it also queues
 * lines for the Initiator (asi2c_send) and injects the Initiator's faults (asi2c_fault).
 *
 * Nothing may crash, leak or trip UBSan, and (abort otherwise): times never decrease (model
 * events, received lines, pin and bus edges); every event's names (asi2c_event_name, and the
 * step, reason, fault and error names it carries) are known; exchanges are bracketed (one
 * START, then exactly one DONE, FAILURE or DEAD); payloads received never exceed rxbufsize,
 * payloads sent never exceed ASI2C_TX_MAX, an OVERSIZE length is in rxbufsize+1..ASI2C_LEN_MAX;
 * lines are at most ASI2C_LINE_MAX bytes without '\n'; the queue holds at most ASI2C_TXQ_LINES
 * lines and ASI2C_TXQ_BYTES bytes and asi2c_send refuses exactly what asi2c.h says; counters
 * agree (failures == nboots, done <= started); the bus never drops a notification; the same
 * input gives the same trace twice (hashed).
 *
 * Input: 2 config bytes, then ops until the input ends (the Responder's script).
 *   c0: bit 0 compat micropython-v3; bit 1 no reset line; bit 2 reset active high;
 *       bits 4..3 rxbufsize {200, 1, ASI2C_RXBUF_MAX, 33}; bit 5 arm_ps 0 (else 5 us);
 *       bit 6 app_read_ps 3 ms (else 0); bit 7 fast timing (t_poll 2 ms, sync poll 5 ms, settle
 *       5 ms, reset pulse 2 ms, handshake timeout 20 ms, I2C timeout 50 ms, Responder boot 1 ms;
 *       else the defaults and a 30 ms boot).
 *   c1: bits 1..0 controller half period {1, 2.5, 0.5, 10} us; bits 3..2 its clock-stretch
 *       timeout {255 us, 5 ms, 100 ms, 10 s}; bits 5..4 its reaction to SYN {2 us, 0, 50 us,
 *       1 ms}; bit 6 every ACK change reported twice (plus no-change calls); bit 7 no
 *       automatic ACK := 0 at boot (the script syncs by itself).
 *   op byte: bits 3..0 code (mod 10), bits 7..4 a; arguments follow.
 *   0 DELAY m: (m + 1) << a us.
 *   1 WAIT_SYN: until SYN == a&1, at most {1, 10, 100 ms, 1, 2, 6, 20, 30 s}[a >> 1].
 *   2 ACK: ACK := a&1; a&2: a glitch (back to the old level at the same instant).
 *   3 XFER n [e p [q]]: a transaction of n data bytes; a&1 read (else write); a&2 write data
 *     from the input (n bytes follow; else a pattern); a&4 the e/p bytes follow; a&8 no STOP at
 *     the end. e&1: abort after p bits (STOP, or none with a&8); e&2: NACK read byte p (1-based)
 *     early; e&4: the address byte on the wire is q (else 0x12 << 1 | read).
 *   4 EXCH [m0 m1] [l] h0 h1: one exchange as asi2c.py's Responder handler does it (A.5): wait
 *     SYN high, read H1 (dies if n > 200), read P1 if announced, ACK/SYN handshakes, then H2 =
 *     h0 h1 and P2 (its length from H2, capped at FZ_PAYLOAD_MAX). a&1: the P2 length is
 *     m0 | m1 << 8 (masked to 11 bits) whatever H2 says; a&2: P2 bytes from the input; a&4:
 *     H2 transfer length l & 3 (bytes past h1 are 0); a&8: H2 read instead of written. A wait
 *     that times out (2 s; 20 s for the first) or a failed transfer kills the handler.
 *   5 SEND m: asi2c_send of ((a & 7) << 8 | m) bytes (a pattern), ending in '\n' unless a&8.
 *   6 FAULT p: asi2c_fault kind a % 5; param NACK p & 15, STRETCH p * 20 us, SYNC_STUCK
 *     p * 5 ms, OVERSIZE p & 7.
 *   7 RAW: the Responder drives line a&1 (0 SDA, 1 SCL) to a&2, then waits a half period.
 *   8 CRASH [m]: stops until the next reset; a&1 lines frozen (else released); a&2 ACK floats
 *     high; a&4 a hang: resumes after m * 10 ms instead.
 *   9 NOP.
 * The Responder boots boot_ps after RST is released (at 0 without a reset line): ACK := 0
 * (unless c1 bit 7), then the script continues; a reset aborts the op in progress.
 * Seeds: tests/fuzz/corpus/asi2c/ (make_seeds.py writes them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "i2c/asi2c.h"
#include "i2c/i2c_bus.h"
#include "sched.h"

#define US ASI2C_PS_US
#define MS ASI2C_PS_MS
#define S  ASI2C_PS_S

#define FZ_END_PS      (20 * S) /* virtual time per run, at most */
#define FZ_TAIL_PS     (5 * S)  /* ... and at most this long after the script's end */
#define FZ_BYTE_BUDGET 16384    /* data bytes the Responder may clock per run; then 0-byte xfers */
#define FZ_PAYLOAD_MAX 1100     /* longest transfer (bytes), > ASI2C_RXBUF_MAX */
#define FZ_RESP_RXBUF  200      /* the Responder's rxbufsize (asi2c.py) */
#define FZ_QUEUE       32       /* micro-ops of one EXCH */
#define FZ_MAX_STEPS   4000000u /* scheduler steps per run: more is a livelock */

enum { U_DELAY, U_WAIT_SYN, U_ACK, U_XFER, U_SEND, U_FAULT, U_RAW, U_CRASH, U_P1, U_P2 };
enum { SRC_PATTERN, SRC_INPUT, SRC_H2 };
enum { DST_NONE, DST_H1 };

typedef struct fz_uop {
    uint8_t kind;
    bool level, glitch, die; /* die: a timeout or error flushes the handler (EXCH) */
    uint64_t ps;             /* DELAY; WAIT_SYN timeout; CRASH hang (0 = until reset) */
    /* XFER */
    bool read, no_stop;
    uint8_t src, dst;
    size_t n, src_off;
    int abort_bits, nack_at, addr; /* -1: none / default */
    /* SEND, FAULT, RAW, CRASH, P2 */
    unsigned arg;
    size_t len;
} fz_uop;

/* bit engine phases */
enum { E_S0, E_S0B, E_S0C, E_S1, E_FALL, E_RISE, E_SAMPLE, E_P1, E_P1B, E_P2 };

typedef struct fz {
    sim_sched sched;
    i2c_bus bus;
    asi2c a;
    asi2c_config cfg;
    const uint8_t *in;
    size_t size, pos;
    /* Responder parameters (c1) */
    uint64_t half_ps, sto_ps, react_ps, boot_ps;
    bool dup_ack, manual_boot;
    /* Responder state */
    int id;
    i2c_bus_listener lis;
    sim_event ev_prog, ev_bit, ev_sto, ev_wto, ev_boot, ev_wake, ev_start;
    unsigned epoch; /* resets so far: a call that returns with it changed must stop */
    bool in_reset, booted, crashed, wsyn, wsyn_level, wsyn_die;
    bool syn, ack, rst;
    fz_uop q[FZ_QUEUE];
    size_t qh, qn;
    uint8_t h1[2], h2[4];
    size_t p2_len;
    uint8_t p2_src;
    size_t p2_off;
    uint8_t xbuf[FZ_PAYLOAD_MAX];
    size_t budget;
    struct {
        bool active, read, stopping, wrise, no_stop, die;
        size_t n, j;
        unsigned k, nbits;
        int abort_bits, nack_at;
        uint8_t addr, cur, dst;
        int phase, after, result;
    } x;
    /* checks */
    uint64_t script_end_ps; /* when the script ran out (SIM_TIME_NEVER before) */
    uint64_t last_ps;
    bool in_xchg;
    uint64_t rx_total, line_bytes;
    uint64_t hash;
    bool trace; /* FUZZ_ASI2C_TRACE set: print the model's events (debugging seeds) */
} fz;

static const uint64_t fz_wait_ps[8] = {1 * MS, 10 * MS, 100 * MS, 1 * S,
                                       2 * S,  6 * S,   20 * S,   30 * S};

static void fz_time(fz *f, uint64_t t)
{
    fuzz_check(t >= f->last_ps);
    f->last_ps = t;
    fuzz_mix(&f->hash, t);
}

static bool fz_name_ok(const char *s)
{
    return s && strcmp(s, "?") != 0;
}

static void fz_at(fz *f, sim_event *ev, uint64_t when)
{
    sim_sched_reschedule(&f->sched, ev, when);
}

static void fz_cancel(fz *f, sim_event *ev)
{
    if (sim_event_pending(ev)) sim_sched_cancel(&f->sched, ev);
}

/* ---- the Initiator's callbacks ---------------------------------------------------------- */

static void fz_on_event(void *opaque, const asi2c_event *e)
{
    fz *f = opaque;
    fz_time(f, e->t_ps);
    fuzz_check(fz_name_ok(asi2c_event_name(e->kind)));
    if (f->trace)
        fprintf(stderr, "%12.6f ms %-14s #%llu %s %s n=%llu rx=%zu tx=%zu %s\n",
                (double)e->t_ps / (double)MS, asi2c_event_name(e->kind),
                (unsigned long long)e->index, asi2c_step_name(e->step), asi2c_fail_name(e->reason),
                (unsigned long long)e->n, e->rx_bytes, e->tx_bytes,
                e->kind == ASI2C_EV_I2C_ERROR ? asi2c_i2c_error_name(e->error) : "");
    fuzz_mix(&f->hash, (uint64_t)e->kind << 48 | (uint64_t)e->step << 40 |
                           (uint64_t)e->reason << 32 | (uint64_t)e->fault << 24 |
                           (uint64_t)e->error << 16);
    fuzz_mix(&f->hash, e->index);
    switch (e->kind) {
    case ASI2C_EV_EXCHANGE_START:
        fuzz_check(!f->in_xchg);
        f->in_xchg = true;
        fuzz_check(e->index == f->a.cnt.exchanges);
        break;
    case ASI2C_EV_EXCHANGE_DONE:
        fuzz_check(f->in_xchg);
        f->in_xchg = false;
        fuzz_check(e->rx_bytes <= f->cfg.rxbufsize && e->tx_bytes <= ASI2C_TX_MAX);
        f->rx_total += e->rx_bytes;
        fuzz_mix(&f->hash, e->duration_us);
        fuzz_mix(&f->hash, (uint64_t)e->tx_bytes << 32 | e->rx_bytes);
        break;
    case ASI2C_EV_FAILURE:
        fuzz_check(f->in_xchg);
        f->in_xchg = false;
        fuzz_check(fz_name_ok(asi2c_step_name(e->step)) && e->step != ASI2C_STEP_NONE);
        fuzz_check(fz_name_ok(asi2c_fail_name(e->reason)) && e->reason != ASI2C_FAIL_NONE &&
                   e->reason < ASI2C_FAIL_COUNT);
        break;
    case ASI2C_EV_DEAD:
        fuzz_check(fz_name_ok(asi2c_fail_name(e->reason)) && e->reason != ASI2C_FAIL_NONE);
        f->in_xchg = false;
        break;
    case ASI2C_EV_OVERSIZE:
        fuzz_check(f->in_xchg && e->step == ASI2C_STEP_H2);
        fuzz_check(e->n > f->cfg.rxbufsize && e->n <= ASI2C_LEN_MAX);
        fuzz_mix(&f->hash, e->n);
        break;
    case ASI2C_EV_REBOOT: fuzz_check(!f->in_xchg && e->n == f->a.cnt.nboots); break;
    case ASI2C_EV_FAULT:
    case ASI2C_EV_FAULT_APPLIED:
        fuzz_check(fz_name_ok(asi2c_fault_name(e->fault)));
        fuzz_mix(&f->hash, e->param);
        break;
    case ASI2C_EV_I2C_ERROR:
        fuzz_check(fz_name_ok(asi2c_i2c_error_name(e->error)));
        fuzz_check(fz_name_ok(asi2c_step_name(e->step)));
        break;
    case ASI2C_EV_LINE_DROPPED:
        fuzz_check(e->n >= 1 && e->n <= ASI2C_TX_MAX);
        fuzz_mix(&f->hash, e->n);
        break;
    default: break;
    }
}

static void fz_on_line(void *opaque, const char *text, size_t len, uint64_t t_ps)
{
    fz *f = opaque;
    fz_time(f, t_ps);
    fuzz_check(len <= ASI2C_LINE_MAX);
    if (f->trace) fprintf(stderr, "%12.6f ms line %zu bytes\n", (double)t_ps / (double)MS, len);
    fuzz_check(!memchr(text, '\n', len));
    f->line_bytes += len;
    fuzz_mix(&f->hash, len);
    for (size_t i = 0; i < len; i++)
        fuzz_mix(&f->hash, (uint8_t)text[i]);
}

static void r_reset(fz *f, uint64_t t);
static void r_syn(fz *f, bool high, uint64_t t);

static void pin_syn(void *opaque, bool high, uint64_t t)
{
    fz *f = opaque;
    fz_time(f, t);
    fuzz_mix(&f->hash, 0x5000 | high);
    f->syn = high;
    r_syn(f, high, t);
}

static void pin_rst(void *opaque, bool high, uint64_t t)
{
    fz *f = opaque;
    fz_time(f, t);
    fuzz_mix(&f->hash, 0x6000 | high);
    f->rst = high;
    if (high == f->cfg.rst_active_level) {
        r_reset(f, t);
    } else if (f->in_reset) {
        f->in_reset = false;
        fz_at(f, &f->ev_boot, t + f->boot_ps);
    }
}

static bool pin_ack(void *opaque)
{
    const fz *f = opaque;
    return f->ack;
}

/* ---- the Responder: pins -------------------------------------------------------------- */

/* Drives ACK (through asi2c_ack_changed); false if the Initiator reset the Responder. */
static bool r_ack(fz *f, bool v, uint64_t t)
{
    unsigned epoch = f->epoch;
    f->ack = v;
    fuzz_mix(&f->hash, 0x7000 | v);
    asi2c_ack_changed(&f->a, v, t);
    if (f->dup_ack && epoch == f->epoch) {
        asi2c_ack_changed(&f->a, f->ack, t);
        asi2c_ack_changed(&f->a, f->ack, t);
    }
    return epoch == f->epoch;
}

/* Drives a bus line; false if that reset the Responder (from inside the notification). */
static bool r_drv(fz *f, i2c_line line, bool v, uint64_t t)
{
    unsigned epoch = f->epoch;
    i2c_bus_drive(&f->bus, f->id, line, v, t);
    return epoch == f->epoch;
}

static void r_flush(fz *f)
{
    f->qh = f->qn = 0;
}

/* RST active: everything stops, the pins are released, ACK floats high. */
static void r_reset(fz *f, uint64_t t)
{
    if (f->in_reset) return;
    f->in_reset = true;
    f->booted = false;
    f->crashed = false;
    f->epoch++;
    fz_cancel(f, &f->ev_prog);
    fz_cancel(f, &f->ev_bit);
    fz_cancel(f, &f->ev_sto);
    fz_cancel(f, &f->ev_wto);
    fz_cancel(f, &f->ev_boot);
    fz_cancel(f, &f->ev_wake);
    memset(&f->x, 0, sizeof(f->x));
    f->wsyn = false;
    r_flush(f);
    i2c_bus_drive(&f->bus, f->id, I2C_SCL, true, t);
    i2c_bus_drive(&f->bus, f->id, I2C_SDA, true, t);
    if (!f->ack) {
        f->ack = true;
        asi2c_ack_changed(&f->a, true, t);
    }
}

static void r_syn(fz *f, bool high, uint64_t t)
{
    if (!f->wsyn || high != f->wsyn_level || f->in_reset || !f->booted || f->crashed) return;
    f->wsyn = false;
    fz_cancel(f, &f->ev_wto);
    fz_at(f, &f->ev_prog, t + f->react_ps);
}

/* ---- the Responder: bit engine (a soft I2C controller, as tests/unit/test_asi2c.c) ------- */

static void x_sched(fz *f, int phase, uint64_t t)
{
    f->x.phase = phase;
    fz_at(f, &f->ev_bit, t);
}

static void x_finish(fz *f, uint64_t t)
{
    f->x.active = false;
    if (f->x.result >= 0 && f->x.read && f->x.dst == DST_H1) {
        f->h1[0] = f->x.n > 0 ? f->xbuf[0] : 0xFF;
        f->h1[1] = f->x.n > 1 ? f->xbuf[1] : 0xFF;
    }
    if (f->x.result < 0 && f->x.die) r_flush(f); /* the handler dies on OSError */
    fz_at(f, &f->ev_prog, t);
}

/* Releases SCL and continues with phase `after` once it is high (or fails after sto_ps). */
static void x_raise_scl(fz *f, int after, uint64_t t)
{
    if (!r_drv(f, I2C_SCL, true, t)) return;
    if (i2c_bus_level(&f->bus, I2C_SCL)) {
        x_sched(f, after, t);
        return;
    }
    f->x.wrise = true;
    f->x.after = after;
    fz_at(f, &f->ev_sto, t + f->sto_ps);
}

/* The level the controller puts on SDA for bit k of frame j (k == 8: the ACK bit). */
static bool x_bit(const fz *f)
{
    size_t j = f->x.j;
    unsigned k = f->x.k;
    if (k == 8) {
        if (j == 0 || !f->x.read) return true; /* the target ACKs */
        return j == f->x.n || (f->x.nack_at >= 0 && j == (size_t)f->x.nack_at);
    }
    if (j == 0) return (f->x.addr >> (7 - k)) & 1u;
    if (f->x.read) return true;
    return (f->xbuf[j - 1] >> (7 - k)) & 1u;
}

static void x_sample(fz *f, uint64_t t)
{
    bool sda = i2c_bus_level(&f->bus, I2C_SDA);
    size_t j = f->x.j;
    if (f->x.k < 8) {
        if (j > 0 && f->x.read) f->x.cur = (uint8_t)(f->x.cur << 1 | sda);
    } else {
        if ((j == 0 || !f->x.read) && sda) { /* NACK: address -> ENODEV, data -> stop */
            if (j == 0) f->x.result = -1;
            f->x.stopping = true;
        }
        if (j > 0 && f->x.read) {
            f->xbuf[j - 1] = f->x.cur;
            if (x_bit(f)) f->x.stopping = true; /* we NACKed it */
        }
        f->x.cur = 0;
    }
    f->x.nbits++;
    if (f->x.abort_bits >= 0 && f->x.nbits == (unsigned)f->x.abort_bits) f->x.stopping = true;
    if (++f->x.k == 9) {
        f->x.k = 0;
        if (++f->x.j > f->x.n) f->x.stopping = true;
    }
    if (f->x.stopping && f->x.no_stop) { /* leave the lines as they are */
        x_finish(f, t);
        return;
    }
    x_sched(f, E_FALL, t + f->half_ps);
}

static void x_step(void *opaque, sim_event *ev, uint64_t t)
{
    fz *f = opaque;
    (void)ev;
    switch (f->x.phase) {
    case E_S0: /* bus idle: START at once; else SCL low, SDA high, SCL high first */
        if (i2c_bus_level(&f->bus, I2C_SDA) && i2c_bus_level(&f->bus, I2C_SCL)) {
            x_sched(f, E_S1, t);
            return;
        }
        if (!r_drv(f, I2C_SCL, false, t) || !r_drv(f, I2C_SDA, true, t)) return;
        x_sched(f, E_S0B, t + f->half_ps);
        return;
    case E_S0B: x_raise_scl(f, E_S0C, t); return;
    case E_S0C: x_sched(f, E_S1, t + f->half_ps); return;
    case E_S1:
        if (!r_drv(f, I2C_SDA, false, t)) return;
        if (f->x.abort_bits == 0) f->x.stopping = true;
        x_sched(f, E_FALL, t + f->half_ps);
        return;
    case E_FALL:
        if (!r_drv(f, I2C_SCL, false, t)) return;
        if (f->x.stopping) {
            if (!r_drv(f, I2C_SDA, false, t)) return;
            x_sched(f, E_P1, t + f->half_ps);
            return;
        }
        if (!r_drv(f, I2C_SDA, x_bit(f), t)) return;
        x_sched(f, E_RISE, t + f->half_ps);
        return;
    case E_RISE: x_raise_scl(f, E_SAMPLE, t); return;
    case E_SAMPLE: x_sample(f, t); return;
    case E_P1: x_raise_scl(f, E_P1B, t); return;
    case E_P1B: x_sched(f, E_P2, t + f->half_ps); return;
    case E_P2:
        if (!r_drv(f, I2C_SDA, true, t)) return;
        x_finish(f, t);
        return;
    default: return;
    }
}

/* Clock-stretch timeout: soft I2C's -ETIMEDOUT, no STOP, lines as they are. */
static void x_timeout(void *opaque, sim_event *ev, uint64_t t)
{
    fz *f = opaque;
    (void)ev;
    f->x.wrise = false;
    f->x.result = -2;
    x_finish(f, t);
}

static void fz_on_edge(void *opaque, const i2c_edge *e)
{
    fz *f = opaque;
    fz_time(f, e->t_ps);
    fuzz_mix(&f->hash, (uint64_t)e->line << 40 | (uint64_t)e->level << 32 | (uint32_t)e->by);
    fuzz_mix(&f->hash, e->stretch_ps);
    if (f->x.wrise && e->line == I2C_SCL && e->level) {
        f->x.wrise = false;
        fz_cancel(f, &f->ev_sto);
        x_sched(f, f->x.after, e->t_ps);
    }
}

static void x_start(fz *f, const fz_uop *u, uint64_t t)
{
    size_t n = u->n;
    if (n > FZ_PAYLOAD_MAX) n = FZ_PAYLOAD_MAX;
    if (f->budget < n) n = 0; /* the byte budget is spent: address only */
    f->budget -= n;
    if (!u->read) {
        for (size_t i = 0; i < n; i++) {
            switch (u->src) {
            case SRC_INPUT: f->xbuf[i] = f->in[u->src_off + i]; break;
            case SRC_H2: f->xbuf[i] = i < sizeof(f->h2) ? f->h2[i] : 0; break;
            default: { /* '\n' every period (2..41) bytes; none when period is 42 */
                size_t period = 2 + u->src_off % 41;
                bool nl = period <= 41 && i % period == period - 1;
                f->xbuf[i] = (uint8_t)(nl ? '\n' : 'a' + (i + u->src_off) % 26);
                break;
            }
            }
        }
    }
    memset(&f->x, 0, sizeof(f->x));
    f->x.active = true;
    f->x.read = u->read;
    f->x.n = n;
    f->x.no_stop = u->no_stop;
    f->x.die = u->die;
    f->x.dst = u->dst;
    f->x.abort_bits = u->abort_bits;
    f->x.nack_at = u->nack_at;
    f->x.addr = u->addr >= 0 ? (uint8_t)u->addr : (uint8_t)(f->cfg.addr << 1 | u->read);
    x_sched(f, E_S0, t);
}

/* ---- the Responder: script ------------------------------------------------------------ */

static bool in_byte(fz *f, uint8_t *b)
{
    if (f->pos >= f->size) return false;
    *b = f->in[f->pos++];
    return true;
}

static uint8_t in_byte0(fz *f)
{
    uint8_t b = 0;
    in_byte(f, &b);
    return b;
}

static void q_push(fz *f, fz_uop u)
{
    fuzz_check(f->qh + f->qn < FZ_QUEUE);
    f->q[f->qh + f->qn++] = u;
}

/* Inserts u right after the uop just popped (at the head). */
static void q_insert(fz *f, size_t at, fz_uop u)
{
    fuzz_check(f->qh + f->qn < FZ_QUEUE);
    size_t i = f->qh + at;
    memmove(&f->q[i + 1], &f->q[i], (f->qh + f->qn - i) * sizeof(fz_uop));
    f->q[i] = u;
    f->qn++;
}

static fz_uop u_make(uint8_t kind)
{
    return (fz_uop){.kind = kind, .abort_bits = -1, .nack_at = -1, .addr = -1};
}

static fz_uop u_wait(bool level, uint64_t ps, bool die)
{
    fz_uop u = u_make(U_WAIT_SYN);
    u.level = level;
    u.ps = ps;
    u.die = die;
    return u;
}

static fz_uop u_ack(bool level)
{
    fz_uop u = u_make(U_ACK);
    u.level = level;
    return u;
}

static fz_uop u_delay(uint64_t ps)
{
    fz_uop u = u_make(U_DELAY);
    u.ps = ps;
    return u;
}

static fz_uop u_xfer(bool read, size_t n, uint8_t src, size_t off, uint8_t dst)
{
    fz_uop u = u_make(U_XFER);
    u.read = read;
    u.n = n;
    u.src = src;
    u.src_off = off;
    u.dst = dst;
    u.die = true;
    return u;
}

/* Takes n bytes of the input as data; returns how many there were. */
static size_t in_take(fz *f, size_t n, size_t *off)
{
    *off = f->pos;
    if (n > f->size - f->pos) n = f->size - f->pos;
    f->pos += n;
    return n;
}

/* Decodes the next op into the queue; false at the end of the script. */
static bool fz_decode(fz *f)
{
    uint8_t op;
    if (!in_byte(f, &op)) return false;
    unsigned a = op >> 4;
    fz_uop u = u_make(U_DELAY);
    switch ((op & 15u) % 10u) {
    case 0:
        u.ps = ((uint64_t)in_byte0(f) + 1) << a;
        u.ps *= US;
        break;
    case 1: u = u_wait(a & 1u, fz_wait_ps[a >> 1], false); break;
    case 2:
        u = u_ack(a & 1u);
        u.glitch = a & 2u;
        break;
    case 3: {
        size_t n = in_byte0(f);
        u = u_xfer(a & 1u, n, SRC_PATTERN, f->pos, DST_NONE);
        u.die = false;
        u.no_stop = a & 8u;
        if (a & 4u) {
            uint8_t e = in_byte0(f), p = in_byte0(f);
            if (e & 1u) u.abort_bits = p;
            if (e & 2u) u.nack_at = p;
            if (e & 4u) u.addr = in_byte0(f);
        }
        if (!u.read && (a & 2u)) {
            u.src = SRC_INPUT;
            u.n = in_take(f, n, &u.src_off);
        }
        break;
    }
    case 4: { /* EXCH */
        size_t m = 0, hl = 2;
        bool explicit_len = a & 1u;
        if (explicit_len) {
            m = in_byte0(f);
            m |= (size_t)in_byte0(f) << 8;
            m &= 0x7FF;
        }
        if (a & 4u) hl = in_byte0(f) & 3u;
        f->h2[0] = in_byte0(f);
        f->h2[1] = in_byte0(f);
        f->h2[2] = f->h2[3] = 0;
        size_t n2 = f->h2[0] + ((size_t)(f->h2[1] & 0x7F) << 8);
        f->p2_len = explicit_len ? m : n2;
        if (f->p2_len > FZ_PAYLOAD_MAX) f->p2_len = FZ_PAYLOAD_MAX;
        f->p2_src = SRC_PATTERN;
        f->p2_off = f->h2[0] ^ f->h2[1];
        if (a & 2u) {
            f->p2_src = SRC_INPUT;
            f->p2_len = in_take(f, f->p2_len, &f->p2_off);
        }
        q_push(f, u_wait(true, 20 * S, true)); /* the SYN rising edge (the IRQ) */
        q_push(f, u_delay(70 * US));           /* IRQ latency + _DELAY */
        q_push(f, u_xfer(true, 2, SRC_PATTERN, 0, DST_H1));
        q_push(f, u_ack(true));
        q_push(f, u_wait(false, 2 * S, true));
        q_push(f, u_ack(false));
        q_push(f, u_make(U_P1));
        q_push(f, u_ack(true)); /* request to send */
        q_push(f, u_wait(true, 2 * S, true));
        q_push(f, u_delay(20 * US));
        q_push(f, u_xfer(a & 8u, hl, SRC_H2, 0, DST_NONE));
        q_push(f, u_ack(false));
        q_push(f, u_wait(false, 2 * S, true));
        q_push(f, u_make(U_P2));
        return true;
    }
    case 5:
        u = u_make(U_SEND);
        u.len = (size_t)(a & 7u) << 8 | in_byte0(f);
        u.arg = a & 8u;
        break;
    case 6:
        u = u_make(U_FAULT);
        u.arg = a % 5u;
        u.len = in_byte0(f);
        break;
    case 7:
        u = u_make(U_RAW);
        u.arg = a;
        break;
    case 8:
        u = u_make(U_CRASH);
        u.arg = a;
        if (a & 4u) u.ps = (uint64_t)in_byte0(f) * 10 * MS;
        break;
    default: return true; /* NOP */
    }
    q_push(f, u);
    return true;
}

static void fz_send(fz *f, size_t len, bool no_nl)
{
    char line[(7 << 8) | 0xFF];
    for (size_t i = 0; i < len; i++)
        line[i] = (char)('A' + (i + f->a.cnt.exchanges) % 26);
    if (len && !no_nl) line[len - 1] = '\n';
    bool fits = len <= ASI2C_TX_MAX && asi2c_queued(&f->a) < ASI2C_TXQ_LINES &&
                f->a.txq_bytes + len <= ASI2C_TXQ_BYTES;
    bool ok = asi2c_send(&f->a, line, len);
    fuzz_check(ok == (len == 0 || fits));
    fuzz_mix(&f->hash, (uint64_t)ok << 32 | len);
}

static void fz_fault(fz *f, unsigned kind, unsigned p, uint64_t t)
{
    uint64_t param = 0;
    switch (kind) {
    case ASI2C_FAULT_NACK: param = p & 15u; break;
    case ASI2C_FAULT_STRETCH: param = (uint64_t)p * 20 * US; break;
    case ASI2C_FAULT_SYNC_STUCK_LOW:
    case ASI2C_FAULT_SYNC_STUCK_HIGH: param = (uint64_t)p * 5 * MS; break;
    default: param = p & 7u; break;
    }
    asi2c_fault(&f->a, (asi2c_fault_kind)kind, param, t);
}

/* Runs the script until it must wait (an event resumes it) or ends. */
static void fz_prog(fz *f, uint64_t t)
{
    for (;;) {
        if (f->in_reset || !f->booted || f->crashed || f->x.active || f->wsyn) return;
        if (!f->qn && !fz_decode(f)) {
            if (f->script_end_ps == SIM_TIME_NEVER) f->script_end_ps = t;
            return;
        }
        if (!f->qn) continue;
        fz_uop u = f->q[f->qh];
        f->qh++;
        f->qn--;
        if (!f->qn) f->qh = 0;
        unsigned epoch = f->epoch;
        switch (u.kind) {
        case U_DELAY: fz_at(f, &f->ev_prog, t + u.ps); return;
        case U_WAIT_SYN:
            if (f->syn == u.level) {
                fz_at(f, &f->ev_prog, t + f->react_ps);
                return;
            }
            f->wsyn = true;
            f->wsyn_level = u.level;
            f->wsyn_die = u.die;
            fz_at(f, &f->ev_wto, t + u.ps);
            return;
        case U_ACK:
            if (u.glitch) {
                bool old = f->ack;
                if (!r_ack(f, u.level, t) || !r_ack(f, old, t)) return;
            } else if (!r_ack(f, u.level, t)) {
                return;
            }
            break;
        case U_XFER: x_start(f, &u, t); return;
        case U_SEND: fz_send(f, u.len, u.arg); break;
        case U_FAULT: fz_fault(f, u.arg, (unsigned)u.len, t); break;
        case U_RAW:
            if (!r_drv(f, (u.arg & 1u) ? I2C_SCL : I2C_SDA, u.arg & 2u, t)) return;
            fz_at(f, &f->ev_prog, t + f->half_ps);
            return;
        case U_CRASH:
            f->crashed = true;
            r_flush(f);
            if (!(u.arg & 1u)) {
                if (!r_drv(f, I2C_SCL, true, t) || !r_drv(f, I2C_SDA, true, t)) return;
            }
            if ((u.arg & 2u) && !f->ack && !r_ack(f, true, t)) return;
            if (u.ps) fz_at(f, &f->ev_wake, t + u.ps);
            return;
        case U_P1: { /* decode H1 (A.5 step 5); read P1 if announced */
            size_t n = f->h1[0] + ((size_t)(f->h1[1] & 0x7F) << 8);
            if (n > FZ_RESP_RXBUF) { /* ValueError: the handler dies */
                r_flush(f);
                break;
            }
            if (n) {
                q_insert(f, 0, u_wait(true, 2 * S, true));
                q_insert(f, 1, u_delay(20 * US));
                q_insert(f, 2, u_xfer(true, n, SRC_PATTERN, 0, DST_NONE));
                q_insert(f, 3, u_ack(true));
                q_insert(f, 4, u_wait(false, 2 * S, true));
                q_insert(f, 5, u_ack(false));
            }
            break;
        }
        case U_P2:
            if (f->p2_len) {
                q_insert(f, 0, u_ack(true));
                q_insert(f, 1, u_wait(true, 2 * S, true));
                q_insert(f, 2, u_delay(20 * US));
                q_insert(f, 3, u_xfer(false, f->p2_len, f->p2_src, f->p2_off, DST_NONE));
                q_insert(f, 4, u_ack(false));
                q_insert(f, 5, u_wait(false, 2 * S, true));
            }
            break;
        default: break;
        }
        if (epoch != f->epoch) return;
    }
}

static void on_prog(void *opaque, sim_event *ev, uint64_t t)
{
    (void)ev;
    fz_prog(opaque, t);
}

static void on_wto(void *opaque, sim_event *ev, uint64_t t)
{
    fz *f = opaque;
    (void)ev;
    f->wsyn = false;
    if (f->wsyn_die) r_flush(f); /* the real Responder would spin forever */
    fz_prog(f, t);
}

static void on_boot(void *opaque, sim_event *ev, uint64_t t)
{
    fz *f = opaque;
    (void)ev;
    f->booted = true;
    fuzz_mix(&f->hash, 0xB007);
    if (!f->manual_boot && f->ack && !r_ack(f, false, t)) return; /* _sync: own := 0 */
    fz_prog(f, t);
}

static void on_wake(void *opaque, sim_event *ev, uint64_t t)
{
    fz *f = opaque;
    (void)ev;
    f->crashed = false;
    fz_prog(f, t);
}

static void on_start(void *opaque, sim_event *ev, uint64_t t)
{
    fz *f = opaque;
    (void)ev;
    asi2c_start(&f->a, t);
}

/* ---- the run ---------------------------------------------------------------------------- */

static void fz_config(fz *f, uint8_t c0, uint8_t c1)
{
    static const uint16_t rxbuf[4] = {200, 1, ASI2C_RXBUF_MAX, 33};
    static const uint64_t half[4] = {1 * US, 2500 * 1000, 500 * 1000, 10 * US};
    static const uint64_t sto[4] = {255 * US, 5 * MS, 100 * MS, 10 * S};
    static const uint64_t react[4] = {2 * US, 0, 50 * US, 1 * MS};
    asi2c_config c = asi2c_config_default();
    c.compat = (c0 & 1u) ? ASI2C_COMPAT_MICROPYTHON_V3 : ASI2C_COMPAT_NONE;
    c.rst_enabled = !(c0 & 2u);
    c.rst_active_level = c0 & 4u;
    c.rxbufsize = rxbuf[(c0 >> 3) & 3u];
    if (c0 & 32u) c.arm_ps = 0;
    if (c0 & 64u) c.app_read_ps = 3 * MS;
    f->boot_ps = 30 * MS;
    if (c0 & 128u) { /* fast timing */
        c.t_poll_ps = 2 * MS;
        c.sync_poll_ps = 5 * MS;
        c.settle_ps = 5 * MS;
        c.rst_pulse_ps = 2 * MS;
        c.hs_timeout_ps = 20 * MS;
        c.i2c_timeout_ps = 50 * MS;
        f->boot_ps = 1 * MS;
    }
    c.on_event = fz_on_event;
    c.on_line = fz_on_line;
    c.opaque = f;
    f->cfg = c;
    f->half_ps = half[c1 & 3u];
    f->sto_ps = sto[(c1 >> 2) & 3u];
    f->react_ps = react[(c1 >> 4) & 3u];
    f->dup_ack = c1 & 64u;
    f->manual_boot = c1 & 128u;
}

static void fz_state_check(fz *f)
{
    const asi2c *a = &f->a;
    fuzz_check(asi2c_queued(a) <= ASI2C_TXQ_LINES && a->txq_bytes <= ASI2C_TXQ_BYTES);
    fuzz_check(a->rxlen <= f->cfg.rxbufsize && a->txlen <= ASI2C_TX_MAX);
    fuzz_check(a->line_len < ASI2C_LINE_MAX);
    fuzz_check(a->cnt.exchanges_done <= a->cnt.exchanges);
    uint64_t nf = 0;
    for (int i = 0; i < ASI2C_FAIL_COUNT; i++)
        nf += a->cnt.failures[i];
    fuzz_check(nf == a->cnt.nboots && a->cnt.failures[ASI2C_FAIL_NONE] == 0);
    fuzz_check(f->rx_total == a->cnt.bytes_rx && f->line_bytes <= a->cnt.bytes_rx);
    fuzz_check(f->bus.dropped == 0);
    for (int l = 0; l < 2; l++)
        fuzz_check(f->bus.line[l].level == (f->bus.line[l].pulls == 0));
}

static uint64_t fz_run(const uint8_t *data, size_t size)
{
    fz *f = calloc(1, sizeof(*f));
    fuzz_check(f != NULL);
    f->hash = 0xCBF29CE484222325ull;
    f->in = data;
    f->size = size;
    f->trace = getenv("FUZZ_ASI2C_TRACE") != NULL;
    f->pos = size < 2 ? size : 2;
    fz_config(f, size > 0 ? data[0] : 0, size > 1 ? data[1] : 0);
    f->budget = FZ_BYTE_BUDGET;
    f->syn = true;
    f->ack = true;
    f->rst = !f->cfg.rst_active_level;
    sim_sched_init(&f->sched);
    i2c_bus_init(&f->bus);
    asi2c_pins pins = {pin_syn, f->cfg.rst_enabled ? pin_rst : NULL, pin_ack, f};
    fuzz_check(asi2c_init(&f->a, &f->cfg, &f->bus, &f->sched, &pins));
    f->id = i2c_bus_attach(&f->bus);
    fuzz_check(f->id >= 0);
    i2c_bus_listen(&f->bus, &f->lis, fz_on_edge, f);
    sim_event_init(&f->ev_prog, "fz.prog", on_prog, f, 1);
    sim_event_init(&f->ev_bit, "fz.bit", x_step, f, 1);
    sim_event_init(&f->ev_sto, "fz.sto", x_timeout, f, 1);
    sim_event_init(&f->ev_wto, "fz.wto", on_wto, f, 1);
    sim_event_init(&f->ev_boot, "fz.boot", on_boot, f, 1);
    sim_event_init(&f->ev_wake, "fz.wake", on_wake, f, 1);
    sim_event_init(&f->ev_start, "fz.start", on_start, f, 1);
    if (f->cfg.rst_enabled)
        f->in_reset = true; /* boots when the Initiator's first pulse ends */
    else
        sim_sched_at(&f->sched, &f->ev_boot, 0);
    sim_sched_at(&f->sched, &f->ev_start, 1 * MS);
    unsigned steps = 0;
    f->script_end_ps = SIM_TIME_NEVER;
    for (;;) {
        uint64_t end = FZ_END_PS;
        if (f->script_end_ps < end && f->script_end_ps + FZ_TAIL_PS < end)
            end = f->script_end_ps + FZ_TAIL_PS;
        if (sim_sched_next(&f->sched) > end) break;
        sim_sched_run_until(&f->sched, sim_sched_next(&f->sched));
        fz_state_check(f);
        fuzz_check(++steps < FZ_MAX_STEPS);
    }
    if (f->trace)
        fprintf(stderr, "end: %u scheduler steps, %zu bytes clocked, %llu exchanges\n", steps,
                (size_t)FZ_BYTE_BUDGET - f->budget, (unsigned long long)f->a.cnt.exchanges);
    fuzz_mix(&f->hash, f->a.cnt.exchanges_done);
    fuzz_mix(&f->hash, f->a.cnt.nboots);
    fuzz_mix(&f->hash, f->a.cnt.lines_rx);
    fuzz_mix(&f->hash, f->a.cnt.lines_tx);
    uint64_t h = f->hash;
    asi2c_free(&f->a);
    sim_sched_free(&f->sched);
    free(f);
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check(fz_run(data, size) == fz_run(data, size));
    return 0;
}
