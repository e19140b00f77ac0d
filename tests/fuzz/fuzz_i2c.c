/* fuzz_i2c: arbitrary bytes as a sequence of edges on an I2C bus (models/i2c/i2c_bus) with
 * three free participants, a decoder and a target at 0x12 attached, plus a second decoder fed
 * the raw, unresolved edges (repeats and times going backwards included), as a VCD checker
 * would feed it. Nothing may crash, leak or trip UBSan, and these invariants must hold
 * (abort otherwise): each line's level is "nobody pulls"; event times never decrease; an
 * ADDR byte is addr << 1 | R/W; the decoder's bit count stays in 0..9; the target changes
 * SDA only while SCL is low; the same input gives the same events twice (determinism).
 *
 * Input: 2 bytes per step (a trailing odd byte is ignored).
 *   byte 0: bits 1..0 who (0..2 = participant, 3 = the target's owner), bit 2 line
 *           (0 SDA, 1 SCL), bit 3 level, bits 7..4 s (time shift)
 *   byte 1: m; the step happens m << s ps after the previous one (0 = the same instant)
 *   who 3: line SDA -> level 0 i2c_target_hold_scl, 1 i2c_target_release_scl;
 *          line SCL -> the target refuses its address while level is 1.
 *   s == 15 also feeds the raw decoder a time m ps in the past.
 * Seeds: tests/fuzz/corpus/i2c/ (make_seeds.py writes them). */
#include <stdlib.h>

#include "fuzz.h"
#include "i2c/i2c_bus.h"

typedef struct fz {
    i2c_bus bus;
    i2c_dec dec, raw;
    i2c_target tgt;
    i2c_bus_listener watch;
    int part[3];
    bool refuse;
    bool scl_high; /* the watcher's view */
    uint8_t next_read;
    uint64_t last_ps, raw_last_ps;
    uint64_t hash;
} fz;

static void fz_event_common(fz *f, const i2c_event *e, uint64_t *last)
{
    fuzz_check(e->t_ps >= *last);
    *last = e->t_ps;
    fuzz_check((unsigned)e->kind <= I2C_EV_ERROR);
    if (e->kind == I2C_EV_ADDR) fuzz_check(e->byte == (uint8_t)(e->addr << 1 | e->read));
    if (e->kind == I2C_EV_ERROR && e->error != I2C_ERR_NO_START)
        fuzz_check(e->bits >= 1 && e->bits <= 8);
    fuzz_mix(&f->hash, (uint64_t)e->kind << 56 | (uint64_t)e->byte << 48 | (uint64_t)e->ack << 40 |
                           (uint64_t)e->error << 32 | e->bits);
    fuzz_mix(&f->hash, e->t_ps);
    fuzz_mix(&f->hash, e->stretch_ps);
}

static void fz_on_event(void *opaque, const i2c_event *e)
{
    fz *f = opaque;
    fz_event_common(f, e, &f->last_ps);
    fuzz_check(f->dec.nbits <= 9);
}

static void fz_on_raw(void *opaque, const i2c_event *e)
{
    fz *f = opaque;
    fz_event_common(f, e, &f->raw_last_ps);
    fuzz_check(f->raw.nbits <= 9);
}

static void fz_on_edge(void *opaque, const i2c_edge *e)
{
    fz *f = opaque;
    if (e->line == I2C_SCL) f->scl_high = e->level;
    if (e->line == I2C_SDA && e->by == f->tgt.id) fuzz_check(!f->scl_high);
    fuzz_mix(&f->hash, (uint64_t)e->line << 40 | (uint64_t)e->level << 32 | (uint32_t)e->by);
}

static bool fz_addr(void *opaque, bool read, uint64_t t_ps)
{
    fz *f = opaque;
    (void)read;
    (void)t_ps;
    return !f->refuse;
}

static bool fz_write(void *opaque, uint8_t byte, uint64_t t_ps)
{
    fz *f = opaque;
    if (byte == 0x5A) i2c_target_hold_scl(&f->tgt, t_ps); /* the pending-stretch path */
    return !(byte & 0x80);                                /* NACK bytes with bit 7 set */
}

static uint8_t fz_read(void *opaque, uint64_t t_ps)
{
    fz *f = opaque;
    (void)t_ps;
    return f->next_read++;
}

static const i2c_target_ops fz_ops = {fz_addr, fz_write, fz_read, NULL, NULL};

static uint64_t fz_run(const uint8_t *data, size_t size)
{
    fz f = {.scl_high = true, .hash = 0xCBF29CE484222325ull};
    i2c_bus_init(&f.bus);
    for (int i = 0; i < 3; i++)
        f.part[i] = i2c_bus_attach(&f.bus);
    i2c_bus_listen(&f.bus, &f.watch, fz_on_edge, &f);
    i2c_dec_init(&f.dec, fz_on_event, &f);
    i2c_dec_attach(&f.dec, &f.bus);
    fuzz_check(i2c_target_init(&f.tgt, &f.bus, 0x12, &fz_ops, &f));
    i2c_dec_init(&f.raw, fz_on_raw, &f);
    uint64_t t = 0;
    for (size_t i = 0; i + 1 < size; i += 2) {
        unsigned who = data[i] & 3u, s = data[i] >> 4, m = data[i + 1];
        i2c_line line = (data[i] >> 2) & 1u ? I2C_SCL : I2C_SDA;
        bool level = (data[i] >> 3) & 1u;
        t += (uint64_t)m << s;
        if (who == 3) {
            if (line == I2C_SCL)
                f.refuse = level;
            else if (level)
                i2c_target_release_scl(&f.tgt, t);
            else
                i2c_target_hold_scl(&f.tgt, t);
        } else {
            i2c_bus_drive(&f.bus, f.part[who], line, level, t);
            uint64_t raw_t = s == 15 ? (t > m ? t - m : 0) : t;
            i2c_edge e = {.line = line, .level = level, .t_ps = raw_t, .by = -1};
            i2c_dec_edge(&f.raw, &e);
        }
        for (int l = 0; l < 2; l++)
            fuzz_check(f.bus.line[l].level == (f.bus.line[l].pulls == 0));
        fuzz_check(f.bus.dropped == 0);
    }
    return f.hash;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check(fz_run(data, size) == fz_run(data, size));
    return 0;
}
