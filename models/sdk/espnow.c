/* models/sdk/espnow.c — ESP-NOW and Wi-Fi services of the closed SDK in C (contract in
 * espnow.h; protocols.md B.3-B.5 for limits and callback semantics, C.3 for the pp task).
 *
 * Host state per node: the peer table, callbacks, Wi-Fi mode/channel/MAC and a FIFO of callbacks
 * waiting for the pp task. Everything is forgotten at a chip reset (sdk_espnow_reset bumps the
 * epoch: medium completions of frames sent before it are ignored).
 */
#include "sdk/espnow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "sdk/nonos.h"
#include "esp8266/esp8266.h"
#include "rng.h"
#include "rom/rom.h"

#define FETCH_BUF      0x3FFFDE00u /* 6 bytes of ROM RAM for esp_now_fetch_peer's result */
#define NULL_MODE      0u
#define STATION_MODE   1u
#define SOFTAP_MODE    2u
#define STATIONAP_MODE 3u
#define ROLE_MAX       4u   /* ESP_NOW_ROLE_MAX */
#define STACK_RESERVE  288u /* below a1 for a callback's MAC and data (16-byte aligned) */

typedef struct peer {
    bool used, has_key;
    uint8_t mac[RADIO_MAC_LEN];
    uint8_t role, channel;
    uint8_t key[16];
} peer;

/* A frame the medium has not completed yet (completions come in submission order). */
typedef struct inflight {
    uint8_t mac[RADIO_MAC_LEN];
    unsigned epoch;
} inflight;

typedef struct pending {
    bool is_rx;
    uint8_t status;
    uint8_t mac[RADIO_MAC_LEN];
    uint8_t len;
    uint8_t data[RADIO_ESPNOW_MAX];
} pending;

struct sdk_espnow {
    esp8266 *m;
    radio_medium *med;
    sdk_espnow_config cfg;
    size_t port;
    unsigned epoch;
    sdk_espnow_stats st;
    /* SDK state (reset with the chip) */
    bool init;
    uint8_t role, opmode, channel;
    uint8_t sta_mac[RADIO_MAC_LEN], ap_mac[RADIO_MAC_LEN];
    uint8_t kok[16];
    uint32_t recv_cb, send_cb;
    peer peers[ESPNOW_MAX_PEERS];
    unsigned fetch_pos;
    uint16_t seq;
    uint64_t pn;
    sim_rng rnd;
    /* callbacks waiting for the pp task */
    pending *q;
    size_t qhead, qn, qcap, q_rx;
    bool posted;
    inflight *fl;
    size_t fhead, fn, fcap;
    struct sdk_espnow_hooks *hooks;
    uint32_t pp_sp;   /* a1 of the pp task while its callback runs */
    uint32_t pp_prio; /* ETS priority of the callback task */
    /* Firmware on Espressif's own SDK (nonos.h): frames come from libnet80211's
     * ieee80211_send_action_vendor_spec and go to libespnow's mt_recv_action_cb / mt_send_cb,
     * which then call the application's callbacks (docs/nonos-sdk.md). */
    bool real;
    uint32_t real_recv_fn, real_send_fn;
};

/* Doubles a ring of n elements of size bytes (at least 16), unwrapping it to start at 0. */
static bool ring_grow(void **buf, size_t size, size_t *head, size_t n, size_t *cap)
{
    size_t ncap = *cap ? *cap * 2 : 16;
    unsigned char *b = malloc(ncap * size);
    if (!b) return false;
    for (size_t i = 0; i < n; i++)
        memcpy(b + i * size, (unsigned char *)*buf + ((*head + i) % *cap) * size, size);
    free(*buf);
    *buf = b;
    *cap = ncap;
    *head = 0;
    return true;
}

/* ---- guest access ---------------------------------------------------------------------------- */

static uint32_t arg(sdk_espnow *s, unsigned i)
{
    return s->m->node.cpu.a[2 + i];
}

static void ret(sdk_espnow *s, uint32_t v, uint32_t cycles)
{
    xt_cpu *c = &s->m->node.cpu;
    c->a[2] = v;
    c->pc = c->a[0];
    xt_charge(c, cycles);
}

static bool read_mac(sdk_espnow *s, uint32_t addr, uint8_t mac[RADIO_MAC_LEN])
{
    return esp_rom_read(s->m, addr, mac, RADIO_MAC_LEN);
}

/* ---- state ----------------------------------------------------------------------------------- */

static void sdk_clear(sdk_espnow *s)
{
    s->init = false;
    s->role = 0;
    s->opmode = STATION_MODE;
    s->channel = (uint8_t)s->cfg.channel;
    memcpy(s->sta_mac, s->cfg.mac, RADIO_MAC_LEN);
    memcpy(s->ap_mac, s->cfg.mac, RADIO_MAC_LEN);
    s->ap_mac[0] = (uint8_t)(s->ap_mac[0] + 2u);
    memset(s->kok, 0, sizeof(s->kok));
    s->recv_cb = s->send_cb = 0;
    memset(s->peers, 0, sizeof(s->peers));
    s->fetch_pos = 0;
    s->qhead = s->qn = s->q_rx = 0;
    s->posted = false;
}

void sdk_espnow_mac(const sdk_espnow *s, uint8_t mac[RADIO_MAC_LEN])
{
    memcpy(mac, s->opmode == SOFTAP_MODE ? s->ap_mac : s->sta_mac, RADIO_MAC_LEN);
}

static void sync_port(sdk_espnow *s)
{
    uint8_t mac[RADIO_MAC_LEN];
    sdk_espnow_mac(s, mac);
    radio_medium_set_mac(s->med, s->port, mac);
    radio_medium_set_channel(s->med, s->port, s->channel);
}

static void radio_up(sdk_espnow *s)
{
    sync_port(s);
    radio_medium_set_radio(s->med, s->port, true);
}

/* Real SDK: the station MAC libmain derives from the eFuse words (18:FE:34 + MAC1[15:0] +
 * MAC0[31:24], soc.h), which the firmware believes it has; the scenario's mac is not used. */
static void real_mac(sdk_espnow *s)
{
    const uint32_t *otp = &s->m->soc.dport[0x50 / 4];
    uint8_t mac[RADIO_MAC_LEN] = {
        0x18, 0xFE, 0x34, (uint8_t)(otp[1] >> 8), (uint8_t)otp[1], (uint8_t)(otp[0] >> 24)};
    memcpy(s->sta_mac, mac, RADIO_MAC_LEN);
    s->opmode = STATION_MODE;
}

void sdk_espnow_reset(sdk_espnow *s)
{
    sim_node_touch(&s->m->node);
    s->epoch++;
    sdk_clear(s);
    s->pp_prio = ESP_ROM_EXT_PP_PRIO;
    if (s->real) {
        real_mac(s);
        radio_up(s); /* the SDK's radio is on from boot; callbacks start with the first frame */
        return;
    }
    sync_port(s);
    radio_medium_set_radio(s->med, s->port, false);
}

void sdk_espnow_stop(sdk_espnow *s)
{
    sim_node_touch(&s->m->node);
    radio_medium_set_radio(s->med, s->port, false);
}

size_t sdk_espnow_port(const sdk_espnow *s)
{
    return s->port;
}

const sdk_espnow_stats *sdk_espnow_stats_get(const sdk_espnow *s)
{
    return &s->st;
}

static peer *find_peer(sdk_espnow *s, const uint8_t mac[RADIO_MAC_LEN])
{
    for (unsigned i = 0; i < ESPNOW_MAX_PEERS; i++)
        if (s->peers[i].used && memcmp(s->peers[i].mac, mac, RADIO_MAC_LEN) == 0)
            return &s->peers[i];
    return NULL;
}

static void count_peers(const sdk_espnow *s, unsigned *all, unsigned *enc)
{
    *all = *enc = 0;
    for (unsigned i = 0; i < ESPNOW_MAX_PEERS; i++)
        if (s->peers[i].used) {
            ++*all;
            if (s->peers[i].has_key) ++*enc;
        }
}

static unsigned enc_limit(const sdk_espnow *s)
{
    return s->opmode == STATION_MODE || s->opmode == NULL_MODE ? ESPNOW_MAX_ENC_STA
                                                               : ESPNOW_MAX_ENC_AP;
}

/* ---- the callback FIFO, the MAC interrupt and the pp task ----------------------------------- */

static pending *push(sdk_espnow *s, bool is_rx)
{
    if (s->qn == s->qcap && !ring_grow((void **)&s->q, sizeof(*s->q), &s->qhead, s->qn, &s->qcap))
        return NULL;
    pending *p = &s->q[(s->qhead + s->qn) % s->qcap];
    memset(p, 0, offsetof(pending, data));
    p->is_rx = is_rx;
    s->qn++;
    if (is_rx) s->q_rx++;
    /* the MAC raises its interrupt; the handler posts to the pp task. Under the real SDK,
     * interrupt 0 belongs to libpp's wDev_ProcessFiq: the model posts to its task directly. */
    if (!s->real) xt_set_irq_level(&s->m->node.cpu, ESP_ROM_MAC_INUM, true);
    return p;
}

/* Posts to the pp task while callbacks wait and none is posted. False after a guest fault. */
static bool post_pp(sdk_espnow *s)
{
    if (!s->qn || s->posted) return true;
    bool full;
    if (!esp_rom_post(s->m, s->pp_prio, 0, 0, &full)) return false;
    s->posted = !full;
    return true;
}

/* ESP_ROM_EXT_MAC_ISR(arg, frame): acknowledge the interrupt, post to the pp task once. */
static void mac_isr(sdk_espnow *s)
{
    xt_set_irq_level(&s->m->node.cpu, ESP_ROM_MAC_INUM, false);
    if (!post_pp(s)) return;
    ret(s, 0, ESPNOW_ISR_CYCLES);
}

static void pp_callback_done(void *opaque, sim_node *n, uint32_t r)
{
    sdk_espnow *s = opaque;
    (void)r;
    n->cpu.a[1] = s->pp_sp;  /* the pp task's own stack pointer */
    n->cpu.pc = n->cpu.a[0]; /* return from the pp task to ets_run */
}

/* Under the real SDK: mt_recv_action_cb(mac, ie, ie_len) with the ESP-NOW vendor element
 * rebuilt (DD, length, 18:FE:34, type 4, version 1, body: protocols.md B.2), or
 * mt_send_cb(eb) with the two words of libpp's TX record it reads: eb+16 -> header whose +4
 * is the destination MAC, eb+36 -> status record whose byte 15 is 1 when the frame was
 * acknowledged (libespnow turns that into status 0). All on the task's stack. */
static void real_call(sdk_espnow *s, const pending *p, uint32_t fn, uint32_t sp)
{
    xt_cpu *c = &s->m->node.cpu;
    uint32_t args[3];
    unsigned nargs;
    if (p->is_rx) {
        uint8_t ie[7 + RADIO_ESPNOW_MAX] = {0xDD, (uint8_t)(p->len + 5u), 0x18, 0xFE, 0x34, 4, 1};
        memcpy(ie + 7, p->data, p->len);
        uint32_t mac_at = sp + 16u, ie_at = sp + 32u;
        if (!esp_rom_write(s->m, mac_at, p->mac, RADIO_MAC_LEN) ||
            !esp_rom_write(s->m, ie_at, ie, 7u + p->len))
            return;
        args[0] = mac_at, args[1] = ie_at, args[2] = 7u + p->len, nargs = 3;
        s->st.rx++;
    } else {
        uint32_t eb = sp + 16u, hdr = sp + 64u, st = sp + 96u;
        uint8_t zero[80] = {0}, status = p->status == 0 ? 1u : 2u;
        if (!esp_rom_write(s->m, eb, zero, sizeof(zero)) ||
            !esp_rom_write(s->m, eb + 16u, &hdr, 4) || !esp_rom_write(s->m, eb + 36u, &st, 4) ||
            !esp_rom_write(s->m, hdr + 4u, p->mac, RADIO_MAC_LEN) ||
            !esp_rom_write(s->m, st + 15u, &status, 1))
            return;
        args[0] = eb, nargs = 1;
    }
    s->pp_sp = c->a[1];
    c->a[1] = sp;
    if (!sim_node_call(&s->m->node, fn, args, nargs, pp_callback_done, s)) c->a[1] = s->pp_sp;
}

/* Under the real SDK the callback task is created at the first frame event, at the highest
 * ETS priority in 23..30 that the SDK left free (libpp's own task is 32, the ROM timers 31). */
static bool real_start(sdk_espnow *s)
{
    if (s->init) return true;
    uint32_t prio = 0;
    for (uint32_t p = 30; p >= 23 && !prio; p--) {
        uint32_t fn = 0;
        if (!esp_rom_read(s->m, ESP_ROM_TASK_BLOCKS + 16u * (p - 1u), &fn, 4)) return false;
        if (!fn) prio = p;
    }
    if (!prio || !esp_rom_task_create(s->m, ESP_ROM_EXT_PP_TASK, prio, ESP_ROM_EXT_PP_QUEUE,
                                      ESP_ROM_EXT_PP_QLEN))
        return false;
    s->pp_prio = prio;
    s->init = true;
    s->recv_cb = s->real_recv_fn;
    s->send_cb = s->real_send_fn;
    return true;
}

/* ESP_ROM_EXT_PP_TASK(ETSEvent *e): one waiting callback per dispatch. */
static void pp_task(sdk_espnow *s)
{
    s->posted = false;
    if (!s->qn) {
        ret(s, 0, ESPNOW_TASK_CYCLES);
        return;
    }
    pending p = s->q[s->qhead];
    s->qhead = (s->qhead + 1) % s->qcap;
    s->qn--;
    if (p.is_rx) s->q_rx--;
    if (!post_pp(s)) return;
    uint32_t fn = p.is_rx ? s->recv_cb : s->send_cb;
    xt_cpu *c = &s->m->node.cpu;
    xt_charge(c, ESPNOW_TASK_CYCLES);
    if (!fn) {
        c->pc = c->a[0];
        return;
    }
    uint32_t sp = (c->a[1] - STACK_RESERVE) & ~15u, mac_at = sp + 16u, data_at = sp + 32u;
    if (s->real) {
        real_call(s, &p, fn, sp);
        return;
    }
    if (!esp_rom_write(s->m, mac_at, p.mac, RADIO_MAC_LEN) ||
        (p.is_rx && !esp_rom_write(s->m, data_at, p.data, p.len)))
        return;
    uint32_t args[3] = {mac_at, p.is_rx ? data_at : p.status, p.len};
    if (p.is_rx) s->st.rx++;
    s->pp_sp = c->a[1];
    c->a[1] = sp; /* the callback's frame goes below the copied data */
    if (!sim_node_call(&s->m->node, fn, args, p.is_rx ? 3u : 2u, pp_callback_done, s))
        c->a[1] = s->pp_sp;
}

/* ---- medium callbacks ------------------------------------------------------------------------ */

static radio_cause port_rx(void *opaque, const radio_rx_info *rx)
{
    sdk_espnow *s = opaque;
    sim_node_touch(&s->m->node); /* a world-level delivery */
    uint8_t plain[RADIO_MPDU_MAX];
    const uint8_t *mpdu = rx->mpdu;
    size_t len = rx->len;
    radio_frame_info fi;
    if (!radio_frame_parse(mpdu, len, &fi)) return RADIO_CAUSE_FILTERED;
    if (fi.protected_) {
        peer *p = find_peer(s, fi.a2);
        uint64_t pn;
        if (!p || !p->has_key ||
            !radio_ccmp_decrypt(p->key, mpdu, len, plain, sizeof(plain), &len, &pn) ||
            !radio_frame_parse(plain, len, &fi)) {
            s->st.rx_key++;
            return RADIO_CAUSE_KEY;
        }
    }
    if (s->real && fi.kind == RADIO_KIND_ESPNOW && !real_start(s)) return RADIO_CAUSE_FILTERED;
    if (fi.kind != RADIO_KIND_ESPNOW || !s->init || !s->recv_cb) return RADIO_CAUSE_FILTERED;
    if (radio_mac_is_group(fi.a1) && !s->cfg.rx_broadcast) {
        s->st.rx_filtered++;
        return RADIO_CAUSE_FILTERED;
    }
    unsigned limit = s->cfg.rx_queue ? s->cfg.rx_queue : ESPNOW_RX_QUEUE;
    if (s->q_rx >= limit) {
        s->st.rx_queue++;
        return RADIO_CAUSE_QUEUE;
    }
    pending *q = push(s, true);
    if (!q) return RADIO_CAUSE_QUEUE;
    memcpy(q->mac, fi.a2, RADIO_MAC_LEN);
    q->len = (uint8_t)fi.body_len;
    memcpy(q->data, fi.body, fi.body_len);
    if (s->real) post_pp(s);
    return RADIO_CAUSE_COUNT;
}

static void port_tx_done(void *opaque, uint64_t t_ps, uint32_t tag, bool ok, unsigned retries)
{
    sdk_espnow *s = opaque;
    sim_node_touch(&s->m->node);
    (void)t_ps;
    (void)tag;
    (void)retries;
    if (ok)
        s->st.send_ok++;
    else
        s->st.send_fail++;
    if (!s->fn) return; /* cannot happen: every frame sent was recorded */
    inflight f = s->fl[s->fhead];
    s->fhead = (s->fhead + 1) % s->fcap;
    s->fn--;
    if (f.epoch != s->epoch || !s->init || !s->send_cb) return;
    pending *q = push(s, false);
    if (!q) return;
    memcpy(q->mac, f.mac, RADIO_MAC_LEN);
    q->status = ok ? 0 : 1;
    if (s->real) post_pp(s);
}

static const radio_port_ops port_ops = {port_rx, port_tx_done};

/* ---- sending --------------------------------------------------------------------------------- */

static bool send_one(sdk_espnow *s, const peer *p, const uint8_t *data, size_t len)
{
    uint8_t plain[RADIO_MPDU_MAX], prot[RADIO_MPDU_MAX];
    uint8_t rnd[4];
    uint64_t r = sim_rng_next(&s->rnd);
    memcpy(rnd, &r, 4);
    bool group = radio_mac_is_group(p->mac);
    radio_espnow_tx tx = {.seq = s->seq, .body = data, .body_len = len};
    memcpy(tx.da, p->mac, RADIO_MAC_LEN);
    sdk_espnow_mac(s, tx.sa);
    memcpy(tx.random, rnd, 4);
    if (!group) tx.duration_us = radio_medium_ack_duration_us(s->med);
    size_t n = radio_espnow_build(&tx, plain, sizeof(plain));
    const uint8_t *mpdu = plain;
    if (!n) return false;
    if (p->has_key && !group) {
        n = radio_ccmp_encrypt(p->key, s->pn, plain, n, prot, sizeof(prot));
        if (!n) return false;
        s->pn++;
        mpdu = prot;
    }
    if (s->fn == s->fcap && !ring_grow((void **)&s->fl, sizeof(*s->fl), &s->fhead, s->fn, &s->fcap))
        return false;
    if (!radio_medium_send(s->med, s->port, sim_node_global_now(&s->m->node), mpdu, n, 0))
        return false;
    inflight *f = &s->fl[(s->fhead + s->fn) % s->fcap];
    memcpy(f->mac, p->mac, RADIO_MAC_LEN);
    f->epoch = s->epoch;
    s->fn++;
    s->seq = (uint16_t)((s->seq + 1u) & 0xFFFu);
    s->st.sends++;
    return true;
}

static void api_send(sdk_espnow *s)
{
    uint32_t da = arg(s, 0), data = arg(s, 1);
    int32_t len = (int32_t)arg(s, 2);
    uint8_t body[RADIO_ESPNOW_MAX];
    int rc = -1;
    unsigned frames = 0;
    if (s->init && len > 0 && len <= (int32_t)RADIO_ESPNOW_MAX) {
        /* a bad body pointer faults as libespnow's copy would (the exception is raised) */
        if (!esp_rom_read(s->m, data, body, (size_t)len)) return;
        if (da) {
            uint8_t mac[RADIO_MAC_LEN];
            if (!read_mac(s, da, mac)) return;
            peer *p = find_peer(s, mac);
            if (p && send_one(s, p, body, (size_t)len)) rc = 0, frames = 1;
        } else {
            unsigned sent = 0, tried = 0;
            for (unsigned i = 0; i < ESPNOW_MAX_PEERS; i++)
                if (s->peers[i].used) {
                    tried++;
                    sent += send_one(s, &s->peers[i], body, (size_t)len);
                }
            if (tried && sent == tried) rc = 0;
            frames = sent;
        }
    }
    if (rc) s->st.send_errs++;
    ret(s, (uint32_t)rc, ESPNOW_CALL_CYCLES + frames * ESPNOW_SEND_CYCLES);
}

/* Real SDK: int ieee80211_send_action_vendor_spec(conn, const uint8 *da, const uint8 *ie,
 * uint16 ie_len, uint8 tx_cb_id, ...) as libespnow's mt_send_self_protocol calls it: ie is the
 * ESP-NOW vendor element; the frame goes on the medium unencrypted (the MAC's crypto engine is
 * not modelled). Returns 0 when queued, 1 otherwise (libespnow then returns -5). */
static void api_vendor_send(sdk_espnow *s)
{
    uint8_t ie[7 + RADIO_ESPNOW_MAX];
    uint32_t ie_len = arg(s, 3) & 0xFFFFu;
    peer p = {.used = true};
    uint32_t rc = 1;
    if (!read_mac(s, arg(s, 1), p.mac)) return;
    if (ie_len >= 7u && ie_len <= sizeof(ie) && !esp_rom_read(s->m, arg(s, 2), ie, ie_len))
        return; /* the read faulted */
    if (ie_len >= 7u && ie_len <= sizeof(ie) && ie[0] == 0xDD && ie[2] == 0x18 && ie[3] == 0xFE &&
        ie[4] == 0x34 && ie[5] == 4 && real_start(s) && send_one(s, &p, ie + 7, ie_len - 7u))
        rc = 0;
    if (rc) s->st.send_errs++;
    ret(s, rc, ESPNOW_CALL_CYCLES + (rc ? 0u : ESPNOW_SEND_CYCLES));
}

/* ---- the rest of the API --------------------------------------------------------------------- */

static void api_init(sdk_espnow *s)
{
    if (!esp_rom_task_create(s->m, ESP_ROM_EXT_PP_TASK, ESP_ROM_EXT_PP_PRIO, ESP_ROM_EXT_PP_QUEUE,
                             ESP_ROM_EXT_PP_QLEN) ||
        !esp_rom_isr_attach(s->m, ESP_ROM_MAC_INUM, ESP_ROM_EXT_MAC_ISR, 0) ||
        !esp_rom_int_enable(s->m, 1u << ESP_ROM_MAC_INUM))
        return;
    s->init = true;
    radio_up(s);
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_deinit(sdk_espnow *s)
{
    s->init = false;
    s->recv_cb = s->send_cb = 0;
    memset(s->peers, 0, sizeof(s->peers));
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_set_self_role(sdk_espnow *s)
{
    uint32_t role = arg(s, 0) & 0xFFu;
    if (role >= ROLE_MAX) {
        ret(s, (uint32_t)-1, ESPNOW_CALL_CYCLES);
        return;
    }
    s->role = (uint8_t)role;
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_get_self_role(sdk_espnow *s)
{
    ret(s, s->role, ESPNOW_CALL_CYCLES);
}

static bool read_key(sdk_espnow *s, uint32_t key, uint32_t key_len, bool *has, uint8_t out[16])
{
    *has = false;
    if (!key || key_len == 0) return true;
    if (key_len != 16) return false;
    *has = true;
    return esp_rom_read(s->m, key, out, 16);
}

static void api_add_peer(sdk_espnow *s)
{
    uint8_t mac[RADIO_MAC_LEN], key[16];
    bool has;
    if (!read_mac(s, arg(s, 0), mac)) return;
    uint32_t role = arg(s, 1) & 0xFFu, ch = arg(s, 2) & 0xFFu, k = arg(s, 3),
             klen = arg(s, 4) & 0xFFu;
    unsigned all, enc;
    count_peers(s, &all, &enc);
    bool ok = k == 0 || klen == 0 || klen == 16;
    if (ok && !read_key(s, k, klen, &has, key)) {
        if (k && klen == 16) return; /* the read faulted */
        ok = false;
    }
    ok = ok && s->init && !find_peer(s, mac) && all < ESPNOW_MAX_PEERS && role < ROLE_MAX &&
         ch <= 14 && !(has && radio_mac_is_group(mac)) && !(has && enc >= enc_limit(s));
    if (ok) {
        peer *p = NULL;
        for (unsigned i = 0; i < ESPNOW_MAX_PEERS && !p; i++)
            if (!s->peers[i].used) p = &s->peers[i];
        *p = (peer){.used = true, .has_key = has, .role = (uint8_t)role, .channel = (uint8_t)ch};
        memcpy(p->mac, mac, RADIO_MAC_LEN);
        if (has) memcpy(p->key, key, 16);
    }
    ret(s, ok ? 0 : (uint32_t)-1, ESPNOW_CALL_CYCLES);
}

/* The peer named by argument 0, or NULL after returning -1 (or after a fault). */
static peer *arg_peer(sdk_espnow *s, bool *faulted)
{
    uint8_t mac[RADIO_MAC_LEN];
    *faulted = !read_mac(s, arg(s, 0), mac);
    if (*faulted) return NULL;
    peer *p = find_peer(s, mac);
    if (!p) ret(s, (uint32_t)-1, ESPNOW_CALL_CYCLES);
    return p;
}

static void api_del_peer(sdk_espnow *s)
{
    bool f;
    peer *p = arg_peer(s, &f);
    if (!p) return;
    memset(p, 0, sizeof(*p));
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_set_kok(sdk_espnow *s)
{
    uint32_t k = arg(s, 0), len = arg(s, 1) & 0xFFu;
    if (!k || len != 16) {
        ret(s, (uint32_t)-1, ESPNOW_CALL_CYCLES);
        return;
    }
    if (!esp_rom_read(s->m, k, s->kok, 16)) return;
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_register_recv(sdk_espnow *s)
{
    s->recv_cb = arg(s, 0);
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_unregister_recv(sdk_espnow *s)
{
    s->recv_cb = 0;
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_register_send(sdk_espnow *s)
{
    s->send_cb = arg(s, 0);
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_unregister_send(sdk_espnow *s)
{
    s->send_cb = 0;
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_get_cnt_info(sdk_espnow *s)
{
    unsigned all, enc;
    count_peers(s, &all, &enc);
    uint8_t a = (uint8_t)all, e = (uint8_t)enc;
    if ((arg(s, 0) && !esp_rom_write(s->m, arg(s, 0), &a, 1)) ||
        (arg(s, 1) && !esp_rom_write(s->m, arg(s, 1), &e, 1)))
        return;
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

/* int esp_now_is_peer_exist(mac): 1 if it is a peer, 0 if not (-1 for NULL). */
static void api_is_peer_exist(sdk_espnow *s)
{
    uint8_t mac[RADIO_MAC_LEN];
    if (!arg(s, 0)) {
        ret(s, (uint32_t)-1, ESPNOW_CALL_CYCLES);
        return;
    }
    if (!read_mac(s, arg(s, 0), mac)) return;
    ret(s, find_peer(s, mac) ? 1u : 0u, ESPNOW_CALL_CYCLES);
}

/* u8 *esp_now_fetch_peer(bool restart): the next peer's MAC (a static buffer), NULL at the end. */
static void api_fetch_peer(sdk_espnow *s)
{
    if (arg(s, 0) & 0xFFu) s->fetch_pos = 0;
    while (s->fetch_pos < ESPNOW_MAX_PEERS && !s->peers[s->fetch_pos].used)
        s->fetch_pos++;
    if (s->fetch_pos >= ESPNOW_MAX_PEERS) {
        ret(s, 0, ESPNOW_CALL_CYCLES);
        return;
    }
    if (!esp_rom_write(s->m, FETCH_BUF, s->peers[s->fetch_pos].mac, RADIO_MAC_LEN)) return;
    s->fetch_pos++;
    ret(s, FETCH_BUF, ESPNOW_CALL_CYCLES);
}

static void api_get_peer_channel(sdk_espnow *s)
{
    bool f;
    peer *p = arg_peer(s, &f);
    if (p) ret(s, p->channel, ESPNOW_CALL_CYCLES);
}

static void api_set_peer_channel(sdk_espnow *s)
{
    bool f;
    peer *p = arg_peer(s, &f);
    if (!p) return;
    uint32_t ch = arg(s, 1) & 0xFFu;
    if (ch > 14) {
        ret(s, (uint32_t)-1, ESPNOW_CALL_CYCLES);
        return;
    }
    p->channel = (uint8_t)ch;
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_get_peer_role(sdk_espnow *s)
{
    bool f;
    peer *p = arg_peer(s, &f);
    if (p) ret(s, p->role, ESPNOW_CALL_CYCLES);
}

static void api_set_peer_role(sdk_espnow *s)
{
    bool f;
    peer *p = arg_peer(s, &f);
    if (!p) return;
    uint32_t role = arg(s, 1) & 0xFFu;
    if (role >= ROLE_MAX) {
        ret(s, (uint32_t)-1, ESPNOW_CALL_CYCLES);
        return;
    }
    p->role = (uint8_t)role;
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

/* int esp_now_get_peer_key(mac, key, u8 *key_len): copies the LMK (len 16) or len 0. */
static void api_get_peer_key(sdk_espnow *s)
{
    bool f;
    peer *p = arg_peer(s, &f);
    if (!p) return;
    uint8_t len = p->has_key ? 16 : 0;
    if ((p->has_key && arg(s, 1) && !esp_rom_write(s->m, arg(s, 1), p->key, 16)) ||
        (arg(s, 2) && !esp_rom_write(s->m, arg(s, 2), &len, 1)))
        return;
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

static void api_set_peer_key(sdk_espnow *s)
{
    bool f, has;
    uint8_t key[16];
    peer *p = arg_peer(s, &f);
    if (!p) return;
    uint32_t k = arg(s, 1), klen = arg(s, 2) & 0xFFu;
    unsigned all, enc;
    count_peers(s, &all, &enc);
    if (k && klen && klen != 16) {
        ret(s, (uint32_t)-1, ESPNOW_CALL_CYCLES);
        return;
    }
    if (!read_key(s, k, klen, &has, key)) return;
    if (has && (radio_mac_is_group(p->mac) || (!p->has_key && enc >= enc_limit(s)))) {
        ret(s, (uint32_t)-1, ESPNOW_CALL_CYCLES);
        return;
    }
    p->has_key = has;
    memcpy(p->key, key, 16);
    ret(s, 0, ESPNOW_CALL_CYCLES);
}

/* bool wifi_set_opmode(uint8 mode) and wifi_set_opmode_current: 0..3; a non-null mode brings the
 * interface up (the radio hears and ACKs frames on its channel). */
static void api_set_opmode(sdk_espnow *s)
{
    uint32_t mode = arg(s, 0) & 0xFFu;
    if (mode > STATIONAP_MODE) {
        ret(s, 0, ESPNOW_CALL_CYCLES);
        return;
    }
    s->opmode = (uint8_t)mode;
    if (mode != NULL_MODE)
        radio_up(s);
    else
        radio_medium_set_radio(s->med, s->port, false);
    ret(s, 1, ESPNOW_CALL_CYCLES);
}

static void api_get_opmode(sdk_espnow *s)
{
    ret(s, s->opmode, ESPNOW_CALL_CYCLES);
}

static void api_set_channel(sdk_espnow *s)
{
    uint32_t ch = arg(s, 0) & 0xFFu;
    if (!radio_channel_mhz(ch)) {
        ret(s, 0, ESPNOW_CALL_CYCLES);
        return;
    }
    s->channel = (uint8_t)ch;
    sync_port(s);
    ret(s, 1, ESPNOW_CALL_CYCLES);
}

static void api_get_channel(sdk_espnow *s)
{
    ret(s, s->channel, ESPNOW_CALL_CYCLES);
}

/* bool wifi_get_macaddr(uint8 if_index, uint8 *mac): 0 station, 1 softAP. */
static void api_get_macaddr(sdk_espnow *s)
{
    uint32_t ifx = arg(s, 0) & 0xFFu;
    if (ifx > 1 || !arg(s, 1)) {
        ret(s, 0, ESPNOW_CALL_CYCLES);
        return;
    }
    if (!esp_rom_write(s->m, arg(s, 1), ifx ? s->ap_mac : s->sta_mac, RADIO_MAC_LEN)) return;
    ret(s, 1, ESPNOW_CALL_CYCLES);
}

/* bool wifi_set_macaddr(uint8 if_index, uint8 *mac): a group address is refused. */
static void api_set_macaddr(sdk_espnow *s)
{
    uint32_t ifx = arg(s, 0) & 0xFFu;
    uint8_t mac[RADIO_MAC_LEN];
    if (ifx > 1 || !arg(s, 1)) {
        ret(s, 0, ESPNOW_CALL_CYCLES);
        return;
    }
    if (!read_mac(s, arg(s, 1), mac)) return;
    if (radio_mac_is_group(mac)) {
        ret(s, 0, ESPNOW_CALL_CYCLES);
        return;
    }
    memcpy(ifx ? s->ap_mac : s->sta_mac, mac, RADIO_MAC_LEN);
    sync_port(s);
    ret(s, 1, ESPNOW_CALL_CYCLES);
}

/* ---- installation ---------------------------------------------------------------------------- */

typedef struct entry {
    const char *name;
    uint32_t addr;
    void (*fn)(sdk_espnow *s);
} entry;

static const entry entries[] = {
    {"esp_now_init", ESP_ROM_EXT_ESP_NOW_INIT, api_init},
    {"esp_now_deinit", ESP_ROM_EXT_ESP_NOW_DEINIT, api_deinit},
    {"esp_now_set_self_role", ESP_ROM_EXT_ESP_NOW_SET_SELF_ROLE, api_set_self_role},
    {"esp_now_get_self_role", ESP_ROM_EXT_ESP_NOW_GET_SELF_ROLE, api_get_self_role},
    {"esp_now_add_peer", ESP_ROM_EXT_ESP_NOW_ADD_PEER, api_add_peer},
    {"esp_now_del_peer", ESP_ROM_EXT_ESP_NOW_DEL_PEER, api_del_peer},
    {"esp_now_set_kok", ESP_ROM_EXT_ESP_NOW_SET_KOK, api_set_kok},
    {"esp_now_register_recv_cb", ESP_ROM_EXT_ESP_NOW_REGISTER_RECV_CB, api_register_recv},
    {"esp_now_unregister_recv_cb", ESP_ROM_EXT_ESP_NOW_UNREGISTER_RECV_CB, api_unregister_recv},
    {"esp_now_register_send_cb", ESP_ROM_EXT_ESP_NOW_REGISTER_SEND_CB, api_register_send},
    {"esp_now_unregister_send_cb", ESP_ROM_EXT_ESP_NOW_UNREGISTER_SEND_CB, api_unregister_send},
    {"esp_now_send", ESP_ROM_EXT_ESP_NOW_SEND, api_send},
    {"esp_now_get_cnt_info", ESP_ROM_EXT_ESP_NOW_GET_CNT_INFO, api_get_cnt_info},
    {"esp_now_is_peer_exist", ESP_ROM_EXT_ESP_NOW_IS_PEER_EXIST, api_is_peer_exist},
    {"esp_now_fetch_peer", ESP_ROM_EXT_ESP_NOW_FETCH_PEER, api_fetch_peer},
    {"esp_now_get_peer_channel", ESP_ROM_EXT_ESP_NOW_GET_PEER_CHANNEL, api_get_peer_channel},
    {"esp_now_set_peer_channel", ESP_ROM_EXT_ESP_NOW_SET_PEER_CHANNEL, api_set_peer_channel},
    {"esp_now_get_peer_role", ESP_ROM_EXT_ESP_NOW_GET_PEER_ROLE, api_get_peer_role},
    {"esp_now_set_peer_role", ESP_ROM_EXT_ESP_NOW_SET_PEER_ROLE, api_set_peer_role},
    {"esp_now_get_peer_key", ESP_ROM_EXT_ESP_NOW_GET_PEER_KEY, api_get_peer_key},
    {"esp_now_set_peer_key", ESP_ROM_EXT_ESP_NOW_SET_PEER_KEY, api_set_peer_key},
    {"wifi_set_opmode", ESP_ROM_EXT_WIFI_SET_OPMODE, api_set_opmode},
    {"wifi_set_opmode_current", ESP_ROM_EXT_WIFI_SET_OPMODE_CURRENT, api_set_opmode},
    {"wifi_get_opmode", ESP_ROM_EXT_WIFI_GET_OPMODE, api_get_opmode},
    {"wifi_set_channel", ESP_ROM_EXT_WIFI_SET_CHANNEL, api_set_channel},
    {"wifi_get_channel", ESP_ROM_EXT_WIFI_GET_CHANNEL, api_get_channel},
    {"wifi_get_macaddr", ESP_ROM_EXT_WIFI_GET_MACADDR, api_get_macaddr},
    {"wifi_set_macaddr", ESP_ROM_EXT_WIFI_SET_MACADDR, api_set_macaddr},
    {"(pp task)", ESP_ROM_EXT_PP_TASK, pp_task},
    {"(Wi-Fi MAC interrupt)", ESP_ROM_EXT_MAC_ISR, mac_isr},
};

typedef struct hook_ctx {
    sdk_espnow *s;
    void (*fn)(sdk_espnow *s);
} hook_ctx;

struct sdk_espnow_hooks {
    hook_ctx ctx[2 * (sizeof(entries) / sizeof(entries[0])) + 1];
};

static void hook(void *opaque, sim_node *n, uint32_t pc)
{
    (void)n;
    (void)pc;
    const hook_ctx *h = opaque;
    h->fn(h->s);
}

sdk_espnow *sdk_espnow_new(esp8266 *m, radio_medium *med, const sdk_espnow_config *cfg,
                           const sim_elf *elf, char *err, size_t errsize)
{
    if (!radio_channel_mhz(cfg->channel) || radio_mac_is_group(cfg->mac)) {
        snprintf(err, errsize, "espnow: channel must be 1..14 and the MAC a unicast address");
        return NULL;
    }
    sdk_espnow *s = calloc(1, sizeof(*s));
    struct sdk_espnow_hooks *hk = calloc(1, sizeof(*hk));
    if (!s || !hk) {
        free(s);
        free(hk);
        snprintf(err, errsize, "espnow: out of memory");
        return NULL;
    }
    s->m = m;
    s->med = med;
    s->cfg = *cfg;
    s->hooks = hk;
    sim_rng_stream(&s->rnd, cfg->seed, "espnow.random", cfg->index, 0);
    sdk_clear(s);
    s->port = radio_medium_add_port(med, s->sta_mac, s->channel, &port_ops, s);
    if (s->port == SIZE_MAX) {
        snprintf(err, errsize, "espnow: the medium has no room for another node");
        sdk_espnow_free(s);
        return NULL;
    }
    radio_medium_set_radio(med, s->port, false);
    s->pp_prio = ESP_ROM_EXT_PP_PRIO;
    size_t k = 0;
    /* Firmware linked against Espressif's SDK runs its own libmain/libespnow: no by-symbol
     * replacement of them (docs/nonos-sdk.md). */
    bool real_sdk = sdk_nonos_is_real_sdk(elf);
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        void (*fn)(sdk_espnow *) = entries[i].fn;
        hk->ctx[k] = (hook_ctx){s, fn};
        if (!sim_node_hook(&m->node, entries[i].addr, entries[i].addr, hook, &hk->ctx[k],
                           entries[i].name)) {
            snprintf(err, errsize, "espnow: cannot hook %s at 0x%08x", entries[i].name,
                     entries[i].addr);
            sdk_espnow_free(s);
            return NULL;
        }
        k++;
        uint32_t at;
        if (elf && !real_sdk && entries[i].name[0] != '(' &&
            sim_elf_lookup(elf, entries[i].name, &at) && at != entries[i].addr) {
            hk->ctx[k] = (hook_ctx){s, fn};
            if (!sim_node_hook(&m->node, at, at, hook, &hk->ctx[k], entries[i].name)) {
                snprintf(err, errsize, "espnow: cannot hook %s at 0x%08x", entries[i].name, at);
                sdk_espnow_free(s);
                return NULL;
            }
            k++;
        }
    }
    uint32_t send_at;
    if (real_sdk && sim_elf_lookup(elf, "ieee80211_send_action_vendor_spec", &send_at) &&
        sim_elf_lookup(elf, "mt_recv_action_cb", &s->real_recv_fn) &&
        sim_elf_lookup(elf, "mt_send_cb", &s->real_send_fn)) {
        s->real = true;
        hk->ctx[k] = (hook_ctx){s, api_vendor_send};
        if (!sim_node_hook(&m->node, send_at, send_at, hook, &hk->ctx[k],
                           "ieee80211_send_action_vendor_spec")) {
            snprintf(err, errsize, "espnow: cannot hook ieee80211_send_action_vendor_spec");
            sdk_espnow_free(s);
            return NULL;
        }
        real_mac(s);
        radio_up(s);
    }
    return s;
}

void sdk_espnow_free(sdk_espnow *s)
{
    if (!s) return;
    free(s->q);
    free(s->fl);
    free(s->hooks);
    free(s);
}
