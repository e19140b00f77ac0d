/* fuzz_radio: arbitrary bytes through the 802.11/ESP-NOW frame code and the medium
 * (models/radio). Nothing may crash, leak or trip UBSan, and (abort otherwise):
 * - frames: radio_frame_parse of the input as an MPDU, and of the input with a correct FCS
 *   appended; a parsed ESP-NOW body lies inside the input and is <= 250 bytes; CCMP decrypt
 *   with a fixed key either fails or gives a frame that parses and re-encrypts to the input;
 * - medium: the input is a script for 4 ports (below); after running every event, every send
 *   the medium accepted got exactly one tx_done, nothing is still queued, event times never
 *   decreased, and the same script gives the same trace twice (determinism).
 *
 * Script: 3 bytes per step. byte 0: bits 1..0 port, bits 4..2 op, bits 7..5 arg; byte 1:
 * body length / channel / group; byte 2: time advance in 10 us units.
 *   op 0,1 unicast to port (arg & 3) | 2 broadcast | 3 set channel 1 + byte1 % 14 |
 *   op 4 radio on/off (arg & 1) | 5 group byte1 % 3 | 6 heal | 7 link loss arg / 7 to arg & 3 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "radio/frame.h"
#include "radio/medium.h"

#define NPORT 4

typedef struct fz {
    uint64_t hash, last_t;
    uint64_t accepted, done;
} fz;

static radio_cause fz_rx(void *opaque, const radio_rx_info *rx)
{
    fz *f = opaque;
    fuzz_check(rx->t_ps >= f->last_t && rx->len <= RADIO_MPDU_MAX &&
               radio_fcs_ok(rx->mpdu, rx->len));
    f->last_t = rx->t_ps;
    fuzz_mix(&f->hash, rx->t_ps ^ rx->len ^ rx->from << 40);
    return rx->len & 1 ? RADIO_CAUSE_COUNT : RADIO_CAUSE_KEY;
}

static void fz_done(void *opaque, uint64_t t, uint32_t tag, bool ok, unsigned retries)
{
    fz *f = opaque;
    fuzz_check(t >= f->last_t);
    f->last_t = t;
    f->done++;
    fuzz_mix(&f->hash, t ^ (uint64_t)tag << 32 ^ ok ^ (uint64_t)retries << 8);
}

static const radio_port_ops fz_ops = {fz_rx, fz_done};

static uint64_t fz_medium(const uint8_t *data, size_t size)
{
    sim_sched s;
    sim_sched_init(&s);
    radio_medium_config c;
    radio_medium_config_default(&c);
    c.seed = 42;
    c.model = RADIO_MODEL_LOSS;
    c.loss = 0.2;
    c.queue = 4;
    char err[128];
    radio_medium *m = radio_medium_new(&c, &s, err, sizeof(err));
    fuzz_check(m != NULL);
    fz f = {.hash = 0xCBF29CE484222325ull};
    uint8_t mac[NPORT][6];
    for (unsigned i = 0; i < NPORT; i++) {
        const uint8_t a[6] = {0x02, 0, 0, 0, 0, (uint8_t)(i + 1)};
        memcpy(mac[i], a, 6);
        fuzz_check(radio_medium_add_port(m, mac[i], 1, &fz_ops, &f) == i);
    }
    uint64_t t = 0;
    uint16_t seq = 0;
    static const uint8_t body[RADIO_ESPNOW_MAX];
    for (size_t k = 0; k + 3 <= size; k += 3) {
        unsigned port = data[k] & 3u, op = (data[k] >> 2) & 7u, arg = data[k] >> 5;
        t += (uint64_t)data[k + 2] * 10000000ull;
        sim_sched_run_until(&s, t);
        if (op <= 2) {
            radio_espnow_tx tx = {.seq = seq++, .body = body, .body_len = data[k + 1] % 251u};
            memcpy(tx.sa, mac[port], 6);
            if (op == 2)
                memset(tx.da, 0xFF, 6);
            else
                memcpy(tx.da, mac[arg & 3u], 6);
            tx.duration_us = op == 2 ? 0 : radio_medium_ack_duration_us(m);
            uint8_t mpdu[RADIO_MPDU_MAX];
            size_t n = radio_espnow_build(&tx, mpdu, sizeof(mpdu));
            fuzz_check(n == 43 + tx.body_len);
            f.accepted += radio_medium_send(m, port, t, mpdu, n, (uint32_t)k);
        } else if (op == 3) {
            fuzz_check(radio_medium_set_channel(m, port, 1u + data[k + 1] % 14u));
        } else if (op == 4) {
            radio_medium_set_radio(m, port, arg & 1u);
        } else if (op == 5) {
            radio_medium_set_group(m, port, data[k + 1] % 3u);
        } else if (op == 6) {
            radio_medium_heal(m);
        } else if ((arg & 3u) != port) {
            fuzz_check(radio_medium_set_link_loss(m, port, arg & 3u, (double)arg / 7.0));
        }
    }
    /* radios back on so every queued frame completes */
    for (unsigned i = 0; i < NPORT; i++)
        radio_medium_set_radio(m, i, true);
    sim_sched_run_until(&s, UINT64_MAX - 1);
    fuzz_check(f.done == f.accepted);
    for (unsigned i = 0; i < NPORT; i++)
        fuzz_check(radio_medium_queued(m, i) == 0);
    radio_medium_free(m);
    sim_sched_free(&s);
    return f.hash;
}

static void fz_frames(const uint8_t *data, size_t size)
{
    static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    uint8_t buf[2048 + RADIO_FCS_LEN], out[2048], again[2048 + 64];
    if (size > 2048) size = 2048;
    radio_frame_info fi;
    memcpy(buf, data, size);
    for (int pass = 0; pass < 2; pass++) {
        size_t n = size;
        if (pass) { /* the same bytes with a valid FCS, so the parser gets past it */
            uint32_t fcs = radio_crc32(buf, size);
            for (unsigned i = 0; i < 4; i++)
                buf[size + i] = (uint8_t)(fcs >> (8 * i));
            n = size + RADIO_FCS_LEN;
        }
        if (radio_frame_parse(buf, n, &fi) && fi.kind == RADIO_KIND_ESPNOW && fi.body) {
            fuzz_check(fi.body >= buf && fi.body + fi.body_len <= buf + n &&
                       fi.body_len <= RADIO_ESPNOW_MAX);
        }
        size_t plain;
        uint64_t pn;
        if (radio_ccmp_decrypt(key, buf, n, out, sizeof(out), &plain, &pn)) {
            fuzz_check(radio_frame_parse(out, plain, &fi));
            size_t m = radio_ccmp_encrypt(key, pn, out, plain, again, sizeof(again));
            fuzz_check(m == n);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_frames(data, size);
    if (size > 3 * 400) size = 3 * 400; /* bounded scripts: keep each input fast */
    fuzz_check(fz_medium(data, size) == fz_medium(data, size));
    return 0;
}
