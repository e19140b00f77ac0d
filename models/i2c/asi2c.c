/* models/i2c/asi2c.c — the asi2c Initiator (contracts in asi2c.h, behaviour in docs/asi2c.md,
 * protocol in protocols.md part A). The Python original's _run coroutine is a state machine
 * (asi2c_state) driven by the model's events; its blocking _sendrx is a small program
 * (pc = the statement to run next) that advances on ACK edges and on I2C completions. */
#include "i2c/asi2c.h"

#include <string.h>

/* _sendrx, statement by statement (A.5). Each value names what runs when the program resumes
 * there; W1/W0 = the waitfor(1)/waitfor(0) that follows a transfer or starts a step. */
enum {
    PC_H1,    /* build header, SYN := 1, send(hdr) */
    PC_H1_W1, /* send done: waitfor(1), SYN := 0 */
    PC_H1_W0, /* waitfor(0); P1 if txbyt and cantx */
    PC_P1_W1, /* send(txbyt) done: waitfor(1), SYN := 0 */
    PC_P1_W0, /* waitfor(0), _txdone */
    PC_H2_W1, /* waitfor(1), SYN := 1, recv(2) */
    PC_H2_W0, /* recv done: waitfor(0), SYN := 0, decode */
    PC_P2_W1, /* waitfor(1), SYN := 1, recv(n) */
    PC_P2_W0, /* recv done: waitfor(0), SYN := 0, rxbyt := data */
};

static void xchg_run(asi2c *a, uint64_t now);
static void fail(asi2c *a, asi2c_fail reason, uint64_t now);

/* ---- helpers ---------------------------------------------------------------------------- */

static void emit(asi2c *a, asi2c_event *e)
{
    if (a->cfg.on_event) a->cfg.on_event(a->cfg.opaque, e);
}

static void emit_simple(asi2c *a, asi2c_event_kind k, uint64_t t)
{
    asi2c_event e = {.kind = k, .t_ps = t, .index = a->cnt.exchanges};
    emit(a, &e);
}

static void asi2c_i2c_err(asi2c *a, asi2c_i2c_error err, uint64_t t)
{
    a->cnt.i2c_errors[err]++;
    asi2c_event e = {.kind = ASI2C_EV_I2C_ERROR,
                     .t_ps = t,
                     .index = a->cnt.exchanges,
                     .step = a->st == ASI2C_ST_XCHG ? a->step : ASI2C_STEP_NONE,
                     .error = err};
    emit(a, &e);
}

/* The instant a wait or transfer begun at t fails: the first tick boundary at which
 * ticks_diff(ticks, start) > limit (asi2c.h "Time"). */
static uint64_t deadline(const asi2c *a, uint64_t t, uint64_t limit_ps)
{
    uint64_t tick = a->cfg.tick_ps;
    return (t / tick + limit_ps / tick + 1) * tick;
}

static bool ack_read(const asi2c *a)
{
    return a->pins.read_ack ? a->pins.read_ack(a->pins.opaque) : a->ack;
}

static void cancel(asi2c *a, sim_event *ev)
{
    if (sim_event_pending(ev)) sim_sched_cancel(a->sched, ev);
}

/* Drives the SYN pin to the program's level unless a SYNC_STUCK fault overrides it. */
static void syn_update(asi2c *a, uint64_t now)
{
    bool eff = a->syn_stuck ? a->syn_stuck_level : a->syn;
    if (eff == a->syn_pin) return;
    a->syn_pin = eff;
    a->pins.drive_syn(a->pins.opaque, eff, now);
}

static void syn_set(asi2c *a, bool level, uint64_t now)
{
    a->syn = level;
    syn_update(a, now);
}

static void rst_set(asi2c *a, bool active, uint64_t now)
{
    bool level = active ? a->cfg.rst_active_level : !a->cfg.rst_active_level;
    a->pins.drive_rst(a->pins.opaque, level, now);
}

/* Releases SCL unless an unarmed address or a STRETCH fault still needs it held. */
static void scl_update(asi2c *a, uint64_t now)
{
    if (!a->held && !a->f_stretching) i2c_target_release_scl(&a->tgt, now);
}

/* The pyb I2C peripheral after an error (i2c_reset_after_error): lets go of both lines and
 * forgets the transaction in progress. i2c_target has no call for this, so the target's
 * transaction state is cleared here (its fields are public). */
static void tgt_abort(asi2c *a, uint64_t now)
{
    a->held = false;
    a->f_stretching = false;
    cancel(a, &a->ev_stretch);
    a->bound = false;
    a->was_bound = false;
    i2c_target_release_scl(&a->tgt, now);
    a->tgt.selected = false;
    a->tgt.ack_pending = false;
    a->tgt.sending = false;
    a->tgt.nacked = false;
    i2c_bus_drive(a->bus, a->tgt.id, I2C_SDA, true, now);
}

/* ---- the application side (A.7) -------------------------------------------------------- */

/* The writer task: takes the next queued line as txbyt while the stream is writable. It
 * only runs while _run is suspended (never inside _sendrx). */
static void writer_pump(asi2c *a)
{
    if (a->st == ASI2C_ST_XCHG || a->st == ASI2C_ST_IDLE || a->st == ASI2C_ST_DEAD) return;
    if (!a->synchronised || a->txlen || !a->cantx || !a->txq_lines) return;
    size_t l = a->txq_len[a->txq_first];
    for (size_t i = 0; i < l; i++)
        a->txbyt[i] = a->txq[(a->txq_head + i) % ASI2C_TXQ_BYTES];
    a->txq_head = (a->txq_head + l) % ASI2C_TXQ_BYTES;
    a->txq_bytes -= l;
    a->txq_first = (a->txq_first + 1) % ASI2C_TXQ_LINES;
    a->txq_lines--;
    a->txlen = l;
    a->txsiz[0] = (uint8_t)(l & 0xFF); /* write(): txsiz = l & 0xff, l >> 8 (A.3) */
    a->txsiz[1] = (uint8_t)(l >> 8);
}

static void deliver(asi2c *a, uint64_t now)
{
    a->cnt.lines_rx++;
    if (a->cfg.on_line) a->cfg.on_line(a->cfg.opaque, a->line, a->line_len, now);
    a->line_len = 0;
}

/* The reader task: readline() until rxbyt is empty (A.7), keeping a partial line. */
static void reader_run(asi2c *a, uint64_t now)
{
    size_t n = a->rxlen;
    uint8_t buf[ASI2C_RXBUF_MAX];
    memcpy(buf, a->rxbyt, n);
    a->rxlen = 0;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            deliver(a, now);
            continue;
        }
        a->line[a->line_len++] = (char)buf[i];
        if (a->line_len == ASI2C_LINE_MAX) {
            a->cnt.lines_split++;
            deliver(a, now);
        }
    }
}

static void reader_sched(asi2c *a, uint64_t now)
{
    if (a->read_due) {
        a->read_due = false;
        reader_run(a, now);
        return;
    }
    if (!a->rxlen) return;
    if (a->cfg.app_read_ps == 0)
        reader_run(a, now);
    else if (!sim_event_pending(&a->ev_read))
        sim_sched_at(a->sched, &a->ev_read, now + a->cfg.app_read_ps);
}

static void on_read(void *opaque, sim_event *ev, uint64_t now)
{
    asi2c *a = opaque;
    (void)ev;
    if (a->st == ASI2C_ST_XCHG)
        a->read_due = true; /* the app cannot run inside _sendrx: read at its end */
    else
        reader_run(a, now);
}

/* ---- _run (A.4) ------------------------------------------------------------------------- */

static void dead(asi2c *a, asi2c_fail reason, uint64_t now)
{
    a->st = ASI2C_ST_DEAD;
    cancel(a, &a->ev_run);
    cancel(a, &a->ev_timeout);
    cancel(a, &a->ev_arm);
    a->xf = ASI2C_XF_NONE;
    a->bound = false;
    a->waiting = false;
    asi2c_event e = {
        .kind = ASI2C_EV_DEAD, .t_ps = now, .index = a->cnt.exchanges, .reason = reason};
    emit(a, &e);
}

/* _sync's loop body: ACK low -> synchronised, settle; else poll again (A.4 step 3). */
static void sync_check(asi2c *a, uint64_t now)
{
    if (ack_read(a)) {
        writer_pump(a); /* the app runs during sleep_ms(100) */
        sim_sched_at(a->sched, &a->ev_run, now + a->cfg.sync_poll_ps);
        return;
    }
    a->synchronised = true;
    a->st = ASI2C_ST_SETTLE;
    emit_simple(a, ASI2C_EV_SYNCED, now);
    writer_pump(a);
    sim_sched_at(a->sched, &a->ev_run, now + a->cfg.settle_ps);
}

/* A.4 step 2 and the start of step 3. */
static void after_reset(asi2c *a, uint64_t now)
{
    if (a->txlen) { /* txbyt := b'' */
        a->cnt.lines_dropped++;
        asi2c_event e = {
            .kind = ASI2C_EV_LINE_DROPPED, .t_ps = now, .index = a->cnt.exchanges, .n = a->txlen};
        emit(a, &e);
        a->txlen = 0;
    }
    a->rxlen = 0; /* rxbyt := b'' */
    if (a->cfg.compat == ASI2C_COMPAT_NONE) {
        /* Correction of A.11 items 1 and 2: v3 keeps both across the reboot. */
        a->txsiz[0] = a->txsiz[1] = 0;
        a->cantx = true;
    }
    a->st = ASI2C_ST_SYNC;
    syn_set(a, false, now);
    sync_check(a, now);
}

/* reboot(): close() (SYN := 1), then the reset pulse (A.4 step 1). */
static void reboot(asi2c *a, uint64_t now)
{
    a->st = ASI2C_ST_RESET;
    if (a->cfg.compat == ASI2C_COMPAT_NONE) a->synchronised = false; /* v3 never clears it */
    syn_set(a, true, now);
    if (!a->cfg.rst_enabled) {
        after_reset(a, now);
        return;
    }
    rst_set(a, true, now);
    emit_simple(a, ASI2C_EV_RESET_START, now);
    writer_pump(a); /* the app runs during sleep_ms(rstim) */
    sim_sched_at(a->sched, &a->ev_run, now + a->cfg.rst_pulse_ps);
}

static void xchg_start(asi2c *a, uint64_t now)
{
    a->st = ASI2C_ST_XCHG;
    a->cnt.exchanges++;
    a->xstart_ps = now;
    a->x_tx = a->x_rx = 0;
    a->pc = PC_H1;
    a->step = ASI2C_STEP_H1;
    emit_simple(a, ASI2C_EV_EXCHANGE_START, now);
    if (a->st == ASI2C_ST_XCHG) xchg_run(a, now);
}

static void xchg_done(asi2c *a, uint64_t now)
{
    a->last_us = now / ASI2C_PS_US - a->xstart_ps / ASI2C_PS_US;
    a->cnt.exchanges_done++;
    a->st = ASI2C_ST_POLL;
    a->step = ASI2C_STEP_NONE;
    asi2c_event e = {.kind = ASI2C_EV_EXCHANGE_DONE,
                     .t_ps = now,
                     .index = a->cnt.exchanges,
                     .duration_us = a->last_us,
                     .tx_bytes = a->x_tx,
                     .rx_bytes = a->x_rx};
    emit(a, &e);
    sim_sched_at(a->sched, &a->ev_run, now + a->cfg.t_poll_ps);
    reader_sched(a, now);
    writer_pump(a);
}

static void on_run(void *opaque, sim_event *ev, uint64_t now)
{
    asi2c *a = opaque;
    (void)ev;
    switch (a->st) {
    case ASI2C_ST_RESET:
        rst_set(a, false, now);
        emit_simple(a, ASI2C_EV_RESET_END, now);
        after_reset(a, now);
        break;
    case ASI2C_ST_SYNC: sync_check(a, now); break;
    case ASI2C_ST_SETTLE: xchg_start(a, now); break;
    case ASI2C_ST_POLL: /* A.9: counters after the t_poll sleep */
        if (a->last_us > a->cnt.block_max) a->cnt.block_max = a->last_us;
        a->cnt.block_cnt++;
        a->cnt.block_sum += a->last_us;
        xchg_start(a, now);
        break;
    default: break;
    }
}

/* An exchange failed (A.8): count, then reboot; without a reset line _run dies. */
static void fail(asi2c *a, asi2c_fail reason, uint64_t now)
{
    if (a->st != ASI2C_ST_XCHG) return;
    asi2c_event e = {.kind = ASI2C_EV_FAILURE,
                     .t_ps = now,
                     .index = a->cnt.exchanges,
                     .step = a->step,
                     .reason = reason};
    a->cnt.failures[reason]++;
    cancel(a, &a->ev_timeout);
    cancel(a, &a->ev_arm);
    a->waiting = false;
    a->wait_passed = false;
    bool i2c = a->xf != ASI2C_XF_NONE;
    a->xf = ASI2C_XF_NONE;
    a->bound = false;
    /* Out of _sendrx; the app cannot run before reboot()'s first sleep. */
    a->st = ASI2C_ST_RESET;
    if (a->cfg.compat == ASI2C_COMPAT_NONE) a->synchronised = false;
    if (i2c) tgt_abort(a, now);
    emit(a, &e);
    a->cnt.nboots++;
    if (!a->cfg.rst_enabled) { /* raise OSError('Responder fail.') */
        dead(a, reason, now);
        return;
    }
    asi2c_event r = {
        .kind = ASI2C_EV_REBOOT, .t_ps = now, .index = a->cnt.exchanges, .n = a->cnt.nboots};
    emit(a, &r);
    reboot(a, now);
}

/* ---- the exchange program (A.5) -------------------------------------------------------- */

/* waitfor(v): true if ACK is at v now (or the awaited edge has just arrived); else starts
 * waiting with the 1 s timeout and returns false. */
static bool waitfor(asi2c *a, bool v, uint64_t now)
{
    if (a->wait_passed) {
        a->wait_passed = false;
        return true;
    }
    if (ack_read(a) == v) return true;
    a->waiting = true;
    a->wait_level = v;
    sim_sched_at(a->sched, &a->ev_timeout, deadline(a, now, a->cfg.hs_timeout_ps));
    return false;
}

static void xf_arm(asi2c *a, uint64_t now)
{
    a->xf = ASI2C_XF_ARMED;
    if (!a->held) return;
    a->held = false;
    scl_update(a, now);
    if (a->held_read != a->xf_read) {
        fail(a, ASI2C_FAIL_I2C_DIR, now);
        return;
    }
    a->bound = true;
    a->was_bound = true;
}

/* send() (read = true: the controller reads buf) or recv() into buf: armed arm_ps later; the
 * I2C timeout runs from the call. */
static void xf_start(asi2c *a, bool read, uint8_t *buf, size_t len, uint64_t now)
{
    a->xf = ASI2C_XF_ARMING;
    a->xf_read = read;
    a->xf_buf = buf;
    a->xf_len = len;
    a->xf_pos = 0;
    a->bound = false;
    sim_sched_at(a->sched, &a->ev_timeout, deadline(a, now, a->cfg.i2c_timeout_ps));
    if (a->cfg.arm_ps)
        sim_sched_at(a->sched, &a->ev_arm, now + a->cfg.arm_ps);
    else
        xf_arm(a, now);
}

static void xf_done(asi2c *a, uint64_t now)
{
    a->xf = ASI2C_XF_NONE;
    a->bound = false;
    cancel(a, &a->ev_timeout);
    xchg_run(a, now);
}

static void on_arm(void *opaque, sim_event *ev, uint64_t now)
{
    (void)ev;
    xf_arm(opaque, now);
}

/* One pass: runs statements until the program must wait or ends. */
static void xchg_pass(asi2c *a, uint64_t now)
{
    for (;;) {
        if (a->st != ASI2C_ST_XCHG) return;
        switch (a->pc) {
        case PC_H1: { /* steps 1-2: siz = txsiz if cantx else txnull, bit 7 = bool(rxbyt) */
            a->step = ASI2C_STEP_H1;
            uint8_t *siz = a->cantx ? a->txsiz : a->txnull;
            if (a->rxlen)
                siz[1] |= 0x80; /* in place, as in asi2c_i.py (A.3) */
            else
                siz[1] &= 0x7F;
            a->hdr[0] = siz[0];
            a->hdr[1] = siz[1];
            if (a->rxlen) a->cnt.holdoff_tx++;
            if (a->f_oversize) { /* the OVERSIZE fault: announce rxbufsize + 1 */
                a->f_oversize--;
                unsigned n = a->cfg.rxbufsize + 1u;
                a->hdr[0] = (uint8_t)(n & 0xFF);
                a->hdr[1] = (uint8_t)((a->hdr[1] & 0x80) | ((n >> 8) & 0x7F));
                a->cnt.faults_applied++;
                asi2c_event e = {.kind = ASI2C_EV_FAULT_APPLIED,
                                 .t_ps = now,
                                 .index = a->cnt.exchanges,
                                 .fault = ASI2C_FAULT_OVERSIZE};
                emit(a, &e);
            }
            syn_set(a, true, now);
            a->pc = PC_H1_W1;
            xf_start(a, true, a->hdr, 2, now);
            return;
        }
        case PC_H1_W1: /* step 3 */
            if (a->xf != ASI2C_XF_NONE || !waitfor(a, true, now)) return;
            syn_set(a, false, now);
            a->pc = PC_H1_W0;
            break;
        case PC_H1_W0: /* step 4; P1 only with txbyt and cantx (step 6) */
            if (!waitfor(a, false, now)) return;
            if (a->txlen && a->cantx) {
                a->step = ASI2C_STEP_P1;
                syn_set(a, true, now);
                a->pc = PC_P1_W1;
                xf_start(a, true, a->txbyt, a->txlen, now);
                return;
            }
            a->pc = PC_H2_W1;
            break;
        case PC_P1_W1: /* step 7 */
            if (a->xf != ASI2C_XF_NONE || !waitfor(a, true, now)) return;
            syn_set(a, false, now);
            a->pc = PC_P1_W0;
            break;
        case PC_P1_W0: /* steps 7-8: _txdone */
            if (!waitfor(a, false, now)) return;
            a->x_tx = a->txlen;
            a->cnt.lines_tx++;
            a->cnt.bytes_tx += a->txlen;
            a->txlen = 0;
            a->txsiz[0] = a->txsiz[1] = 0;
            a->pc = PC_H2_W1;
            break;
        case PC_H2_W1: /* steps 9-10 */
            a->step = ASI2C_STEP_H2;
            if (!waitfor(a, true, now)) return;
            syn_set(a, true, now);
            a->pc = PC_H2_W0;
            xf_start(a, false, a->sn, 2, now);
            return;
        case PC_H2_W0: { /* steps 11-12 */
            if (a->xf != ASI2C_XF_NONE || !waitfor(a, false, now)) return;
            syn_set(a, false, now);
            size_t n = a->sn[0] + ((size_t)(a->sn[1] & 0x7F) << 8);
            if (n > a->cfg.rxbufsize) {
                a->cnt.oversize_rx++;
                asi2c_event e = {.kind = ASI2C_EV_OVERSIZE,
                                 .t_ps = now,
                                 .index = a->cnt.exchanges,
                                 .step = ASI2C_STEP_H2,
                                 .n = n};
                emit(a, &e);
                if (a->cfg.compat == ASI2C_COMPAT_MICROPYTHON_V3)
                    dead(a, ASI2C_FAIL_OVERSIZE, now); /* ValueError kills _run (A.11 item 3) */
                else
                    fail(a, ASI2C_FAIL_OVERSIZE, now);
                return;
            }
            a->cantx = !(a->sn[1] & 0x80);
            if (a->sn[1] & 0x80) a->cnt.holdoff_rx++;
            if (!n) {
                xchg_done(a, now);
                return;
            }
            a->rx_n = n;
            a->pc = PC_P2_W1;
            break;
        }
        case PC_P2_W1: /* steps 13-14 */
            a->step = ASI2C_STEP_P2;
            if (!waitfor(a, true, now)) return;
            syn_set(a, true, now);
            a->pc = PC_P2_W0;
            xf_start(a, false, a->rxbuf, a->rx_n, now);
            return;
        case PC_P2_W0: /* step 15: rxbyt = bytes(mv) replaces (A.3) */
            if (a->xf != ASI2C_XF_NONE || !waitfor(a, false, now)) return;
            syn_set(a, false, now);
            if (a->rxlen) a->cnt.rx_overwritten++;
            memcpy(a->rxbyt, a->rxbuf, a->rx_n);
            a->rxlen = a->rx_n;
            a->x_rx = a->rx_n;
            a->cnt.bytes_rx += a->rx_n;
            xchg_done(a, now);
            return;
        default: return;
        }
    }
}

static void xchg_run(asi2c *a, uint64_t now)
{
    if (a->busy) {
        a->again = true;
        return;
    }
    a->busy = true;
    do {
        a->again = false;
        xchg_pass(a, now);
    } while (a->again);
    a->busy = false;
}

static void on_timeout(void *opaque, sim_event *ev, uint64_t now)
{
    asi2c *a = opaque;
    (void)ev;
    if (a->st != ASI2C_ST_XCHG) return;
    if (a->waiting) {
        a->waiting = false;
        if (ack_read(a) == a->wait_level) { /* the loop tests rem() before the clock */
            a->wait_passed = true;
            xchg_run(a, now);
            return;
        }
        fail(a, a->wait_level ? ASI2C_FAIL_ACK_HIGH : ASI2C_FAIL_ACK_LOW, now);
        return;
    }
    if (a->xf != ASI2C_XF_NONE) fail(a, ASI2C_FAIL_I2C_TIMEOUT, now);
}

/* ---- the I2C target ------------------------------------------------------------------- */

static bool t_addr(void *opaque, bool read, uint64_t t)
{
    asi2c *a = opaque;
    a->bound = false;
    a->was_bound = false;
    if (a->f_nack) {
        a->f_nack--;
        a->cnt.faults_applied++;
        asi2c_event e = {.kind = ASI2C_EV_FAULT_APPLIED,
                         .t_ps = t,
                         .index = a->cnt.exchanges,
                         .fault = ASI2C_FAULT_NACK};
        emit(a, &e);
        return false;
    }
    if (a->f_stretch_ps) {
        a->f_stretching = true;
        i2c_target_hold_scl(&a->tgt, t);
        sim_sched_reschedule(a->sched, &a->ev_stretch, t + a->f_stretch_ps);
        a->f_stretch_ps = 0;
        a->cnt.faults_applied++;
        asi2c_event e = {.kind = ASI2C_EV_FAULT_APPLIED,
                         .t_ps = t,
                         .index = a->cnt.exchanges,
                         .fault = ASI2C_FAULT_STRETCH};
        emit(a, &e);
    }
    if (a->xf == ASI2C_XF_ARMED) {
        if (read != a->xf_read) {
            fail(a, ASI2C_FAIL_I2C_DIR, t); /* the hardware ACKs its address regardless */
            return true;
        }
        a->bound = true;
        a->was_bound = true;
        return true;
    }
    a->held = true; /* not armed: ACK and stretch until send()/recv() arms (STM32) */
    a->held_read = read;
    i2c_target_hold_scl(&a->tgt, t);
    asi2c_i2c_err(a, ASI2C_I2C_HELD, t);
    return true;
}

static bool t_write(void *opaque, uint8_t byte, uint64_t t)
{
    asi2c *a = opaque;
    if (a->bound && !a->xf_read && a->xf_pos < a->xf_len) {
        a->xf_buf[a->xf_pos++] = byte;
        return true;
    }
    asi2c_i2c_err(a, a->was_bound ? ASI2C_I2C_OVERWRITE : ASI2C_I2C_UNARMED, t);
    return false;
}

static uint8_t t_read(void *opaque, uint64_t t)
{
    asi2c *a = opaque;
    if (a->bound && a->xf_read && a->xf_pos < a->xf_len) return a->xf_buf[a->xf_pos++];
    asi2c_i2c_err(a, a->was_bound ? ASI2C_I2C_OVERREAD : ASI2C_I2C_UNARMED, t);
    return 0xFF;
}

/* The controller's ACK/NACK after byte xf_pos: the last armed byte completes send() either
 * way; a NACK before it is an error (HAL: acknowledge failure). */
static void t_read_ack(void *opaque, bool ack, uint64_t t)
{
    asi2c *a = opaque;
    if (!a->bound || !a->xf_read) return;
    if (a->xf_pos == a->xf_len)
        xf_done(a, t);
    else if (!ack)
        fail(a, ASI2C_FAIL_I2C_NACK, t);
}

/* STOP or repeated START: recv() completes if all n bytes came; anything still bound is
 * short. */
static void t_stop(void *opaque, uint64_t t)
{
    asi2c *a = opaque;
    bool bound = a->bound;
    a->bound = false;
    a->was_bound = false;
    if (!bound) return;
    if (!a->xf_read && a->xf_pos == a->xf_len)
        xf_done(a, t);
    else
        fail(a, ASI2C_FAIL_I2C_SHORT, t);
}

static const i2c_target_ops asi2c_tops = {t_addr, t_write, t_read, t_read_ack, t_stop};

static void on_stretch(void *opaque, sim_event *ev, uint64_t now)
{
    asi2c *a = opaque;
    (void)ev;
    a->f_stretching = false;
    scl_update(a, now);
}

static void on_stuck(void *opaque, sim_event *ev, uint64_t now)
{
    asi2c *a = opaque;
    (void)ev;
    a->syn_stuck = false;
    syn_update(a, now);
}

/* ---- API ------------------------------------------------------------------------------- */

asi2c_config asi2c_config_default(void)
{
    return (asi2c_config){
        .addr = 0x12,
        .t_poll_ps = 100 * ASI2C_PS_MS,
        .rxbufsize = 200,
        .hs_timeout_ps = 1000 * ASI2C_PS_MS,
        .i2c_timeout_ps = 5000 * ASI2C_PS_MS,
        .tick_ps = ASI2C_PS_MS,
        .sync_poll_ps = 100 * ASI2C_PS_MS,
        .settle_ps = ASI2C_PS_S,
        .arm_ps = 5 * ASI2C_PS_US,
        .rst_enabled = true,
        .rst_active_level = false,
        .rst_pulse_ps = 200 * ASI2C_PS_MS,
        .app_read_ps = 0,
        .compat = ASI2C_COMPAT_NONE,
    };
}

bool asi2c_init(asi2c *a, const asi2c_config *cfg, i2c_bus *bus, sim_sched *sched,
                const asi2c_pins *pins)
{
    memset(a, 0, sizeof(*a));
    if (cfg->rxbufsize == 0 || cfg->rxbufsize > ASI2C_RXBUF_MAX || cfg->addr > 0x7F ||
        cfg->tick_ps == 0 || !pins->drive_syn || (cfg->rst_enabled && !pins->drive_rst))
        return false;
    a->cfg = *cfg;
    a->pins = *pins;
    a->bus = bus;
    a->sched = sched;
    if (!i2c_target_init(&a->tgt, bus, cfg->addr, &asi2c_tops, a)) return false;
    sim_event_init(&a->ev_run, "asi2c.run", on_run, a, cfg->prio);
    sim_event_init(&a->ev_timeout, "asi2c.timeout", on_timeout, a, cfg->prio);
    sim_event_init(&a->ev_arm, "asi2c.arm", on_arm, a, cfg->prio);
    sim_event_init(&a->ev_read, "asi2c.read", on_read, a, cfg->prio);
    sim_event_init(&a->ev_stretch, "asi2c.stretch", on_stretch, a, cfg->prio);
    sim_event_init(&a->ev_stuck, "asi2c.stuck", on_stuck, a, cfg->prio);
    a->st = ASI2C_ST_IDLE;
    a->cantx = true; /* Channel.__init__ */
    a->ack = true;   /* pull-up */
    a->syn = true;   /* own.init(value=1) */
    a->syn_pin = true;
    return true;
}

void asi2c_start(asi2c *a, uint64_t t_ps)
{
    if (a->st != ASI2C_ST_IDLE) return;
    a->pins.drive_syn(a->pins.opaque, a->syn_pin, t_ps); /* SYN high (the constructor) */
    reboot(a, t_ps);
}

void asi2c_free(asi2c *a)
{
    cancel(a, &a->ev_run);
    cancel(a, &a->ev_timeout);
    cancel(a, &a->ev_arm);
    cancel(a, &a->ev_read);
    cancel(a, &a->ev_stretch);
    cancel(a, &a->ev_stuck);
    a->st = ASI2C_ST_DEAD;
}

void asi2c_ack_changed(asi2c *a, bool level, uint64_t t_ps)
{
    if (level == a->ack) return;
    a->ack = level;
    if (a->st != ASI2C_ST_XCHG || !a->waiting || level != a->wait_level) return;
    a->waiting = false;
    cancel(a, &a->ev_timeout);
    a->wait_passed = true;
    xchg_run(a, t_ps);
}

bool asi2c_send(asi2c *a, const char *line, size_t len)
{
    if (len == 0) return true;
    if (len > ASI2C_TX_MAX || a->txq_lines == ASI2C_TXQ_LINES ||
        a->txq_bytes + len > ASI2C_TXQ_BYTES)
        return false;
    size_t tail = (a->txq_head + a->txq_bytes) % ASI2C_TXQ_BYTES;
    for (size_t i = 0; i < len; i++)
        a->txq[(tail + i) % ASI2C_TXQ_BYTES] = (uint8_t)line[i];
    a->txq_bytes += len;
    a->txq_len[(a->txq_first + a->txq_lines) % ASI2C_TXQ_LINES] = (uint16_t)len;
    a->txq_lines++;
    writer_pump(a);
    return true;
}

size_t asi2c_queued(const asi2c *a)
{
    return a->txq_lines;
}

void asi2c_fault(asi2c *a, asi2c_fault_kind kind, uint64_t param, uint64_t t_ps)
{
    asi2c_event e = {.kind = ASI2C_EV_FAULT,
                     .t_ps = t_ps,
                     .index = a->cnt.exchanges,
                     .fault = kind,
                     .param = param};
    emit(a, &e);
    switch (kind) {
    case ASI2C_FAULT_NACK: a->f_nack = param; break;
    case ASI2C_FAULT_STRETCH: a->f_stretch_ps = param; break;
    case ASI2C_FAULT_OVERSIZE: a->f_oversize = param ? param : 1; break;
    case ASI2C_FAULT_SYNC_STUCK_LOW:
    case ASI2C_FAULT_SYNC_STUCK_HIGH:
        a->syn_stuck = true;
        a->syn_stuck_level = kind == ASI2C_FAULT_SYNC_STUCK_HIGH;
        a->cnt.faults_applied++;
        e.kind = ASI2C_EV_FAULT_APPLIED;
        emit(a, &e);
        syn_update(a, t_ps);
        sim_sched_reschedule(a->sched, &a->ev_stuck, t_ps + param);
        break;
    }
}

static const char *const step_names[] = {"NONE", "H1", "P1", "H2", "P2"};
static const char *const fail_names[] = {"NONE",     "ACK_HIGH",  "ACK_LOW", "I2C_TIMEOUT",
                                         "I2C_NACK", "I2C_SHORT", "I2C_DIR", "OVERSIZE"};
static const char *const fault_names[] = {"NACK", "STRETCH", "SYNC_STUCK_LOW", "SYNC_STUCK_HIGH",
                                          "OVERSIZE"};
static const char *const i2c_error_names[] = {"OVERREAD", "OVERWRITE", "UNARMED", "HELD"};
static const char *const event_names[] = {
    "RESET_START", "RESET_END", "SYNCED", "EXCHANGE_START", "EXCHANGE_DONE", "FAILURE",  "REBOOT",
    "OVERSIZE",    "DEAD",      "FAULT",  "FAULT_APPLIED",  "LINE_DROPPED",  "I2C_ERROR"};

#define NAME(tab, i) ((unsigned)(i) < sizeof(tab) / sizeof(tab[0]) ? tab[i] : "?")

const char *asi2c_step_name(asi2c_step s)
{
    return NAME(step_names, s);
}

const char *asi2c_fail_name(asi2c_fail f)
{
    return NAME(fail_names, f);
}

const char *asi2c_fault_name(asi2c_fault_kind f)
{
    return NAME(fault_names, f);
}

const char *asi2c_i2c_error_name(asi2c_i2c_error e)
{
    return NAME(i2c_error_names, e);
}

const char *asi2c_event_name(asi2c_event_kind k)
{
    return NAME(event_names, k);
}
