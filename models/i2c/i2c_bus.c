/* models/i2c/i2c_bus.c — open-drain bus resolution, the transaction decoder and the target
 * helper (contracts in i2c_bus.h, user documentation in docs/i2c.md). No allocation, no
 * clock: all time comes from the callers, in picoseconds. */
#include "i2c/i2c_bus.h"

#include <stddef.h>
#include <string.h>

/* ---- bus -------------------------------------------------------------------------------- */

void i2c_bus_init(i2c_bus *b)
{
    memset(b, 0, sizeof(*b));
    b->line[I2C_SDA].level = true;
    b->line[I2C_SCL].level = true;
}

int i2c_bus_attach(i2c_bus *b)
{
    if (b->nparts >= I2C_BUS_MAX_PARTS) return -1;
    return b->nparts++;
}

void i2c_bus_listen(i2c_bus *b, i2c_bus_listener *l, i2c_bus_fn fn, void *opaque)
{
    l->fn = fn;
    l->opaque = opaque;
    l->next = NULL;
    if (b->tail)
        b->tail->next = l;
    else
        b->head = l;
    b->tail = l;
}

/* Queues e and, unless a notification is already running (then the outer loop delivers it),
 * delivers the queue in FIFO order to every listener. */
static void bus_notify(i2c_bus *b, const i2c_edge *e)
{
    if (b->qlen == I2C_BUS_QUEUE) {
        b->dropped++;
        return;
    }
    b->queue[(b->qhead + b->qlen) % I2C_BUS_QUEUE] = *e;
    b->qlen++;
    if (b->dispatching) return;
    b->dispatching = true;
    while (b->qlen) {
        i2c_edge cur = b->queue[b->qhead];
        b->qhead = (b->qhead + 1) % I2C_BUS_QUEUE;
        b->qlen--;
        for (i2c_bus_listener *l = b->head; l; l = l->next)
            l->fn(l->opaque, &cur);
    }
    b->dispatching = false;
}

void i2c_bus_drive(i2c_bus *b, int id, i2c_line line, bool level, uint64_t now_ps)
{
    if (id < 0 || id >= b->nparts || (line != I2C_SDA && line != I2C_SCL)) return;
    if (now_ps < b->now_ps) now_ps = b->now_ps;
    b->now_ps = now_ps;
    i2c_bus_line *ln = &b->line[line];
    uint32_t bit = 1u << id;
    uint32_t old = ln->pulls;
    uint32_t pulls = level ? old & ~bit : old | bit;
    if (pulls == old) return;
    ln->pulls = pulls;
    i2c_edge e = {.line = line, .t_ps = now_ps, .by = id};
    if (old == 0) { /* falls: a new low phase */
        ln->level = false;
        ln->released = false;
    } else if (pulls == 0) { /* rises: the last holder let go */
        ln->level = true;
        e.level = true;
        e.stretch_ps = ln->released ? now_ps - ln->release_ps : 0;
    } else { /* stays low: remember the first release of this low phase */
        if (level && !ln->released) {
            ln->released = true;
            ln->release_ps = now_ps;
        }
        return;
    }
    ln->changed_ps = now_ps;
    bus_notify(b, &e);
}

bool i2c_bus_level(const i2c_bus *b, i2c_line line)
{
    return line == I2C_SCL ? b->line[I2C_SCL].level : b->line[I2C_SDA].level;
}

uint64_t i2c_bus_changed_ps(const i2c_bus *b, i2c_line line)
{
    return line == I2C_SCL ? b->line[I2C_SCL].changed_ps : b->line[I2C_SDA].changed_ps;
}

bool i2c_bus_pulling(const i2c_bus *b, int id, i2c_line line)
{
    if (id < 0 || id >= I2C_BUS_MAX_PARTS) return false;
    return (b->line[line == I2C_SCL ? I2C_SCL : I2C_SDA].pulls >> id) & 1u;
}

/* ---- decoder ---------------------------------------------------------------------------- */

static const char *const i2c_event_names[] = {
    [I2C_EV_START] = "START",     [I2C_EV_RESTART] = "RESTART", [I2C_EV_STOP] = "STOP",
    [I2C_EV_ADDR] = "ADDR",       [I2C_EV_DATA] = "DATA",       [I2C_EV_ACK] = "ACK",
    [I2C_EV_STRETCH] = "STRETCH", [I2C_EV_ERROR] = "ERROR",
};

const char *i2c_event_name(i2c_event_kind k)
{
    return (unsigned)k < sizeof(i2c_event_names) / sizeof(i2c_event_names[0]) ? i2c_event_names[k]
                                                                              : "?";
}

void i2c_dec_init(i2c_dec *d, i2c_dec_fn fn, void *opaque)
{
    memset(d, 0, sizeof(*d));
    d->fn = fn;
    d->opaque = opaque;
    d->sda = true;
    d->scl = true;
}

static void dec_on_bus(void *opaque, const i2c_edge *e)
{
    i2c_dec_edge(opaque, e);
}

/* Sets d's view (idle) to b's current lines and time. */
static void dec_sync(i2c_dec *d, const i2c_bus *b)
{
    d->sda = i2c_bus_level(b, I2C_SDA);
    d->scl = i2c_bus_level(b, I2C_SCL);
    d->now_ps = b->now_ps;
    d->scl_fall_ps = i2c_bus_changed_ps(b, I2C_SCL);
}

void i2c_dec_attach(i2c_dec *d, i2c_bus *b)
{
    dec_sync(d, b);
    i2c_bus_listen(b, &d->listener, dec_on_bus, d);
}

/* Emits an event of kind k at t, with the transaction's address fields filled in. */
static void dec_emit(i2c_dec *d, i2c_event *ev, i2c_event_kind k, uint64_t t)
{
    ev->kind = k;
    ev->t_ps = t;
    ev->index = d->index;
    ev->addr = d->addr;
    ev->read = d->read;
    if (d->fn) d->fn(d->opaque, ev);
}

/* SCL edge. Rising: sample SDA as the next bit of the frame. Falling: a frame whose 9th bit
 * was sampled ends (the next frame starts). */
static void dec_scl(i2c_dec *d, bool level, uint64_t t, uint64_t stretch_ps)
{
    d->scl = level;
    if (!level) {
        d->scl_fall_ps = t;
        d->sampled = false;
        if (d->active && d->nbits == 9) {
            d->nbits = 0;
            d->shift = 0;
            d->index++;
        } else if (!d->active && !d->idle_err) {
            d->idle_err = true;
            i2c_event ev = {.error = I2C_ERR_NO_START};
            dec_emit(d, &ev, I2C_EV_ERROR, t);
        }
        return;
    }
    d->scl_low_ps = t - d->scl_fall_ps;
    if (stretch_ps) {
        i2c_event ev = {.low_ps = d->scl_low_ps, .stretch_ps = stretch_ps};
        dec_emit(d, &ev, I2C_EV_STRETCH, t);
    }
    if (!d->active) return;
    d->sampled = true;
    d->nbits++;
    if (d->nbits <= 8) d->shift = (uint8_t)(d->shift << 1 | d->sda);
    if (d->nbits == 8) {
        i2c_event ev = {.byte = d->shift};
        if (d->index == 0) {
            d->addr = d->shift >> 1;
            d->read = d->shift & 1u;
            dec_emit(d, &ev, I2C_EV_ADDR, t);
        } else {
            dec_emit(d, &ev, I2C_EV_DATA, t);
        }
    } else if (d->nbits == 9) {
        i2c_event ev = {.ack = !d->sda};
        dec_emit(d, &ev, I2C_EV_ACK, t);
    }
}

/* SDA edge. While SCL is low it is just data; while SCL is high it is a START (falling) or a
 * STOP (rising). The bit sampled at the rise of the current high phase belongs to that
 * condition, not to the frame, so a condition after exactly one new sample is clean. */
static void dec_sda(i2c_dec *d, bool level, uint64_t t)
{
    d->sda = level;
    if (!d->scl) return;
    if (d->active) {
        unsigned done = d->nbits - (d->sampled ? 1u : 0u);
        if (done) {
            /* done is 1..8; 8 with nbits 9 means the condition came in the ACK bit's high
             * phase (the 9th bit is never shifted in). */
            i2c_event ev = {.error = level ? I2C_ERR_STOP_IN_BYTE : I2C_ERR_START_IN_BYTE,
                            .bits = (uint8_t)done,
                            .byte = d->nbits == 9 ? d->shift : (uint8_t)(d->shift >> 1)};
            dec_emit(d, &ev, I2C_EV_ERROR, t);
        }
    }
    i2c_event ev = {0};
    i2c_event_kind k = level ? I2C_EV_STOP : d->active ? I2C_EV_RESTART : I2C_EV_START;
    d->active = !level;
    d->nbits = 0;
    d->shift = 0;
    d->sampled = false;
    d->idle_err = false;
    if (!level) {
        d->index = 0;
        d->addr = 0;
        d->read = false;
    }
    dec_emit(d, &ev, k, t);
}

void i2c_dec_edge(i2c_dec *d, const i2c_edge *e)
{
    uint64_t t = e->t_ps < d->now_ps ? d->now_ps : e->t_ps;
    d->now_ps = t;
    if (e->line == I2C_SCL) {
        if (e->level != d->scl) dec_scl(d, e->level, t, e->level ? e->stretch_ps : 0);
    } else if (e->line == I2C_SDA) {
        if (e->level != d->sda) dec_sda(d, e->level, t);
    }
}

/* ---- target ----------------------------------------------------------------------------- */

/* Ends our part in the current transaction (STOP or (repeated) START seen). */
static void tgt_end(i2c_target *t, uint64_t now)
{
    bool was = t->selected;
    t->selected = false;
    t->ack_pending = false;
    t->nacked = false;
    t->sending = false;
    if (was && t->ops && t->ops->stop) t->ops->stop(t->opaque, now);
}

/* Decoder events: decide what to drive at the next SCL falling edge. */
static void tgt_on_event(void *opaque, const i2c_event *e)
{
    i2c_target *t = opaque;
    const i2c_target_ops *ops = t->ops;
    switch (e->kind) {
    case I2C_EV_START:
    case I2C_EV_RESTART:
    case I2C_EV_STOP: tgt_end(t, e->t_ps); break;
    case I2C_EV_ADDR:
        if (e->addr == t->addr) {
            bool ack = ops && ops->addr ? ops->addr(t->opaque, e->read, e->t_ps) : true;
            t->selected = ack;
            t->ack_pending = ack;
        }
        break;
    case I2C_EV_DATA:
        if (t->selected && !e->read)
            t->ack_pending = ops && ops->write ? ops->write(t->opaque, e->byte, e->t_ps) : true;
        break;
    case I2C_EV_ACK:
        if (t->selected && e->read && e->index > 0) {
            if (!e->ack) t->nacked = true;
            if (ops && ops->read_ack) ops->read_ack(t->opaque, e->ack, e->t_ps);
        }
        break;
    default: break;
    }
}

/* SCL has just fallen (the decoder has seen it: dec.nbits is the number of bits done in the
 * current frame, 0..8). Sets our SDA output for the low phase that starts now. */
static void tgt_on_scl_fall(i2c_target *t, uint64_t now)
{
    if (t->hold_pending) {
        t->hold_pending = false;
        t->holding = true;
        i2c_bus_drive(t->bus, t->id, I2C_SCL, false, now);
    }
    bool low = false;
    unsigned n = t->dec.nbits;
    if (t->selected) {
        if (n == 8) { /* the 9th clock: our ACK, or the controller's after a byte we sent */
            low = t->ack_pending;
            t->ack_pending = false;
        } else if (t->dec.read) {
            if (n == 0) { /* a new byte to send, unless the controller NACKed the last */
                t->sending = !t->nacked;
                if (t->sending)
                    t->out = t->ops && t->ops->read ? t->ops->read(t->opaque, now) : 0xFF;
            }
            if (t->sending) low = !((t->out >> (7 - n)) & 1u);
        }
    }
    i2c_bus_drive(t->bus, t->id, I2C_SDA, !low, now);
}

static void tgt_on_bus(void *opaque, const i2c_edge *e)
{
    i2c_target *t = opaque;
    bool scl_was = t->dec.scl;
    i2c_dec_edge(&t->dec, e);
    if (scl_was && !t->dec.scl) tgt_on_scl_fall(t, t->dec.now_ps);
}

bool i2c_target_init(i2c_target *t, i2c_bus *b, uint8_t addr7, const i2c_target_ops *ops,
                     void *opaque)
{
    memset(t, 0, sizeof(*t));
    if (addr7 > 0x7F) return false;
    t->id = i2c_bus_attach(b);
    if (t->id < 0) return false;
    t->bus = b;
    t->addr = addr7;
    t->ops = ops;
    t->opaque = opaque;
    i2c_dec_init(&t->dec, tgt_on_event, t);
    dec_sync(&t->dec, b);
    i2c_bus_listen(b, &t->listener, tgt_on_bus, t);
    return true;
}

void i2c_target_hold_scl(i2c_target *t, uint64_t now_ps)
{
    if (t->holding) return;
    if (i2c_bus_level(t->bus, I2C_SCL)) {
        t->hold_pending = true;
        return;
    }
    t->holding = true;
    i2c_bus_drive(t->bus, t->id, I2C_SCL, false, now_ps);
}

void i2c_target_release_scl(i2c_target *t, uint64_t now_ps)
{
    t->hold_pending = false;
    if (!t->holding) return;
    t->holding = false;
    i2c_bus_drive(t->bus, t->id, I2C_SCL, true, now_ps);
}
