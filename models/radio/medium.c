/* models/radio/medium.c — the 802.11 medium (contract in medium.h; DCF, ACK and retry from
 * reference/protocols.md B.3 and 802.11b's DSSS PHY).
 *
 * State per port: a ring of queued frames, the one in progress at its head, and one event for
 * its DCF (attempt, ACK timeout). Every transmission on the air (data or ACK) is an `air`
 * record with an end event; records stay after their end for RECENT_PS so later judgements see
 * every overlap, then return to a free list (no allocation once warmed up). Links (directed port
 * pairs) are allocated on first use and hold the statistics, loss settings and the loss stream.
 */
#include "radio/medium.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* A record may matter to a frame that started before it ended: keep it this long after its
 * end (longer than the longest frame: 2.7 ms at 1 Mb/s). */
#define RECENT_PS  5000000000ull
#define DUP_CACHE  8u /* (sender, sequence) pairs a receiver remembers */
#define PS_PER_US  1000000ull
#define OFF_DUR    2u
#define OFF_A1     4u
#define OFF_A2     10u
#define OFF_SEQCTL 22u

typedef struct job {
    uint8_t mpdu[RADIO_MPDU_MAX];
    size_t len;
    uint32_t tag;
    uint64_t t_submit;
    unsigned retries, cw, slots;
    bool group;
    uint64_t wait_from; /* the current DIFS + backoff wait began here */
} job;

typedef struct air air;
struct air {
    sim_event ev; /* its end */
    radio_medium *m;
    air *next;
    size_t from;
    size_t to; /* data: addressed port (unicast) or SIZE_MAX; ACK: the data frame's sender */
    unsigned channel, group;
    uint64_t start, end, nav_end; /* nav_end: end + the Duration field */
    bool is_ack, ended;
    uint8_t mpdu[RADIO_MPDU_MAX];
    size_t len;
};

typedef struct link {
    radio_link_stats st;
    bool loss_set, ge_set, ge_bad;
    double loss;
    radio_ge ge;
    sim_rng rng;
} link;

typedef struct dup_entry {
    size_t from;
    uint16_t seqctl;
    bool used;
} dup_entry;

typedef enum port_state { PORT_IDLE, PORT_WAIT, PORT_TX, PORT_ACK_WAIT } port_state;

typedef struct mport {
    radio_medium *m;
    size_t index;
    uint8_t mac[RADIO_MAC_LEN];
    unsigned channel, group;
    bool on;
    double x, y, z;
    uint64_t moves; /* position changes, for the shadowing draw */
    const radio_port_ops *ops;
    void *opaque;
    job *q; /* ring of cfg.queue */
    size_t qhead, qn;
    port_state state;
    sim_event ev; /* attempt or ACK timeout */
    sim_rng backoff;
    dup_entry dup[DUP_CACHE];
    unsigned dup_next;
    link **links; /* to every port, allocated on use */
} mport;

struct radio_medium {
    radio_medium_config cfg;
    sim_sched *sched;
    mport **ports;
    size_t nports, cap;
    air *airs; /* on the air or recently ended, newest first */
    air *free_airs;
    uint64_t ack_ps; /* ACK airtime */
    void (*on_air)(void *, const radio_air_info *);
    void (*on_rx)(void *, size_t, const radio_rx_info *);
    void *obs;
};

static const char *const cause_names[RADIO_CAUSE_COUNT] = {
    "link", "collision", "channel", "weak", "off", "key", "queue", "filtered"};

const char *radio_cause_name(radio_cause c)
{
    return (unsigned)c < RADIO_CAUSE_COUNT ? cause_names[c] : "?";
}

void radio_medium_config_default(radio_medium_config *c)
{
    memset(c, 0, sizeof(*c));
    c->model = RADIO_MODEL_PERFECT;
    c->rate_kbps = 1000;
    c->rssi_dbm = -40;
    c->tx_power_dbm = 20;
    c->exponent = 3.0;
    c->ref_loss_db = 40;
    c->noise_dbm = -98;
    c->sensitivity_dbm = -95;
    c->capture_db = 10;
    c->retry_limit = 5;
    c->cw_min = 31;
    c->cw_max = 1023;
    c->queue = 16;
}

/* ---- statistics ------------------------------------------------------------------------------ */

static unsigned lat_bucket(uint64_t us)
{
    if (us < 1000) return (unsigned)(us / 10);
    if (us < 10000) return 100u + (unsigned)((us - 1000) / 100);
    if (us < 100000) return 190u + (unsigned)((us - 10000) / 1000);
    return RADIO_LAT_BUCKETS - 1u;
}

static uint64_t lat_bucket_top_us(unsigned b)
{
    if (b < 100) return 10ull * (b + 1);
    if (b < 190) return 1000ull + 100ull * (b - 99);
    if (b < 280) return 10000ull + 1000ull * (b - 189);
    return UINT64_MAX;
}

uint64_t radio_link_stats_percentile_us(const radio_link_stats *s, double p)
{
    if (!s || !s->lat_count || !(p > 0)) return 0;
    if (p >= 100) return (s->lat_max_ps + PS_PER_US - 1) / PS_PER_US;
    uint64_t need = (uint64_t)ceil(p / 100.0 * (double)s->lat_count), acc = 0;
    if (need == 0) need = 1;
    for (unsigned b = 0; b < RADIO_LAT_BUCKETS; b++) {
        acc += s->lat[b];
        if (acc >= need) {
            uint64_t top = lat_bucket_top_us(b),
                     max_us = (s->lat_max_ps + PS_PER_US - 1) / PS_PER_US;
            return top < max_us ? top : max_us;
        }
    }
    return (s->lat_max_ps + PS_PER_US - 1) / PS_PER_US;
}

static void lat_add(radio_link_stats *s, uint64_t ps)
{
    s->lat[lat_bucket(ps / PS_PER_US)]++;
    s->lat_count++;
    if (ps > s->lat_max_ps) s->lat_max_ps = ps;
}

static link *get_link(radio_medium *m, size_t from, size_t to)
{
    mport *p = m->ports[from];
    if (!p->links[to]) {
        link *l = calloc(1, sizeof(*l));
        if (!l) abort(); /* a few KB: out of memory is not recoverable here */
        sim_rng_stream(&l->rng, m->cfg.seed, "loss", from, to);
        p->links[to] = l;
    }
    return p->links[to];
}

const radio_link_stats *radio_medium_link(const radio_medium *m, size_t from, size_t to)
{
    if (from >= m->nports || to >= m->nports || !m->ports[from]->links[to]) return NULL;
    return &m->ports[from]->links[to]->st;
}

/* ---- set-up ---------------------------------------------------------------------------------- */

radio_medium *radio_medium_new(const radio_medium_config *cfg, sim_sched *sched, char *err,
                               size_t errsize)
{
    const char *why = NULL;
    if (radio_airtime_ps(RADIO_ACK_LEN, cfg->rate_kbps, cfg->short_preamble) == 0)
        why = "rate must be 1000, 2000, 5500 or 11000 kb/s";
    else if (!(cfg->loss >= 0 && cfg->loss <= 1))
        why = "loss must be within 0..1";
    else if (cfg->ge.on &&
             !(cfg->ge.p_gb >= 0 && cfg->ge.p_gb <= 1 && cfg->ge.p_bg >= 0 && cfg->ge.p_bg <= 1 &&
               cfg->ge.loss_good >= 0 && cfg->ge.loss_good <= 1 && cfg->ge.loss_bad >= 0 &&
               cfg->ge.loss_bad <= 1))
        why = "Gilbert-Elliott probabilities must be within 0..1";
    else if (cfg->cw_min > cfg->cw_max || cfg->cw_max > 65535)
        why = "cw_min must be <= cw_max <= 65535";
    else if (cfg->queue == 0 || cfg->queue > 4096)
        why = "queue must be 1..4096";
    else if (cfg->retry_limit > 255)
        why = "retry_limit must be <= 255";
    else if (!(cfg->adjacent_leak_db >= 0) || !(cfg->shadowing_db >= 0) || !(cfg->exponent >= 0))
        why = "adjacent_leak, shadowing and exponent must be >= 0";
    if (why) {
        if (err && errsize) snprintf(err, errsize, "radio: %s", why);
        return NULL;
    }
    radio_medium *m = calloc(1, sizeof(*m));
    if (!m) {
        if (err && errsize) snprintf(err, errsize, "radio: out of memory");
        return NULL;
    }
    m->cfg = *cfg;
    m->sched = sched;
    m->ack_ps = radio_airtime_ps(RADIO_ACK_LEN, cfg->rate_kbps, cfg->short_preamble);
    return m;
}

static void free_air_list(air *a)
{
    while (a) {
        air *n = a->next;
        free(a);
        a = n;
    }
}

void radio_medium_free(radio_medium *m)
{
    if (!m) return;
    for (air *a = m->airs; a; a = a->next)
        if (sim_event_pending(&a->ev)) sim_sched_cancel(m->sched, &a->ev);
    free_air_list(m->airs);
    free_air_list(m->free_airs);
    for (size_t i = 0; i < m->nports; i++) {
        mport *p = m->ports[i];
        if (sim_event_pending(&p->ev)) sim_sched_cancel(m->sched, &p->ev);
        for (size_t j = 0; j < m->nports; j++)
            free(p->links[j]);
        free(p->links);
        free(p->q);
        free(p);
    }
    free(m->ports);
    free(m);
}

uint64_t radio_medium_min_latency_ps(const radio_medium *m)
{
    (void)m;
    return RADIO_DIFS_PS;
}

uint16_t radio_medium_ack_duration_us(const radio_medium *m)
{
    return (uint16_t)((RADIO_SIFS_PS + m->ack_ps + PS_PER_US - 1) / PS_PER_US);
}

static void port_event(void *opaque, sim_event *ev, uint64_t now);

size_t radio_medium_add_port(radio_medium *m, const uint8_t mac[RADIO_MAC_LEN], unsigned channel,
                             const radio_port_ops *ops, void *opaque)
{
    if (m->nports >= RADIO_MAX_PORTS || !radio_channel_mhz(channel)) return SIZE_MAX;
    size_t n = m->nports + 1;
    if (n > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        mport **pp = realloc(m->ports, cap * sizeof(*pp));
        if (!pp) return SIZE_MAX;
        m->ports = pp;
        m->cap = cap;
    }
    mport *p = calloc(1, sizeof(*p));
    if (!p) return SIZE_MAX;
    p->q = calloc(m->cfg.queue, sizeof(*p->q));
    p->links = calloc(n, sizeof(*p->links));
    if (!p->q || !p->links) {
        free(p->q);
        free(p->links);
        free(p);
        return SIZE_MAX;
    }
    for (size_t i = 0; i < m->nports; i++) {
        link **l = realloc(m->ports[i]->links, n * sizeof(*l));
        if (!l) {
            free(p->q);
            free(p->links);
            free(p);
            return SIZE_MAX;
        }
        l[m->nports] = NULL;
        m->ports[i]->links = l;
    }
    p->m = m;
    p->index = m->nports;
    memcpy(p->mac, mac, RADIO_MAC_LEN);
    p->channel = channel;
    p->on = true;
    p->ops = ops;
    p->opaque = opaque;
    sim_event_init(&p->ev, "radio.dcf", port_event, p, 0);
    sim_rng_stream(&p->backoff, m->cfg.seed, "backoff", p->index, 0);
    m->ports[m->nports++] = p;
    return p->index;
}

size_t radio_medium_port_count(const radio_medium *m)
{
    return m->nports;
}

size_t radio_medium_find(const radio_medium *m, const uint8_t mac[RADIO_MAC_LEN])
{
    for (size_t i = 0; i < m->nports; i++)
        if (memcmp(m->ports[i]->mac, mac, RADIO_MAC_LEN) == 0) return i;
    return SIZE_MAX;
}

bool radio_medium_set_mac(radio_medium *m, size_t port, const uint8_t mac[RADIO_MAC_LEN])
{
    if (port >= m->nports) return false;
    memcpy(m->ports[port]->mac, mac, RADIO_MAC_LEN);
    return true;
}

bool radio_medium_set_channel(radio_medium *m, size_t port, unsigned channel)
{
    if (port >= m->nports || !radio_channel_mhz(channel)) return false;
    m->ports[port]->channel = channel;
    return true;
}

unsigned radio_medium_channel(const radio_medium *m, size_t port)
{
    return port < m->nports ? m->ports[port]->channel : 0;
}

bool radio_medium_set_radio(radio_medium *m, size_t port, bool on)
{
    if (port >= m->nports) return false;
    m->ports[port]->on = on;
    return true;
}

bool radio_medium_set_position(radio_medium *m, size_t port, double x, double y, double z)
{
    if (port >= m->nports || !isfinite(x) || !isfinite(y) || !isfinite(z)) return false;
    mport *p = m->ports[port];
    p->x = x;
    p->y = y;
    p->z = z;
    p->moves++;
    return true;
}

bool radio_medium_set_group(radio_medium *m, size_t port, unsigned group)
{
    if (port >= m->nports) return false;
    m->ports[port]->group = group;
    return true;
}

void radio_medium_heal(radio_medium *m)
{
    for (size_t i = 0; i < m->nports; i++)
        m->ports[i]->group = 0;
}

bool radio_medium_set_link_loss(radio_medium *m, size_t from, size_t to, double loss)
{
    if (from >= m->nports || to >= m->nports || from == to || !(loss >= 0 && loss <= 1))
        return false;
    link *l = get_link(m, from, to);
    l->loss = loss;
    l->loss_set = true;
    return true;
}

static bool ge_valid(const radio_ge *g)
{
    return g->p_gb >= 0 && g->p_gb <= 1 && g->p_bg >= 0 && g->p_bg <= 1 && g->loss_good >= 0 &&
           g->loss_good <= 1 && g->loss_bad >= 0 && g->loss_bad <= 1;
}

bool radio_medium_set_link_ge(radio_medium *m, size_t from, size_t to, const radio_ge *ge)
{
    if (from >= m->nports || to >= m->nports || from == to || !ge_valid(ge)) return false;
    link *l = get_link(m, from, to);
    l->ge = *ge;
    l->ge_set = true;
    return true;
}

void radio_medium_observe(radio_medium *m, void (*on_air)(void *opaque, const radio_air_info *a),
                          void (*on_rx)(void *opaque, size_t port, const radio_rx_info *rx),
                          void *opaque)
{
    m->on_air = on_air;
    m->on_rx = on_rx;
    m->obs = opaque;
}

/* ---- propagation ----------------------------------------------------------------------------- */

/* Uniform in (0, 1). */
static double rng_unit(sim_rng *r)
{
    return ((double)(sim_rng_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Shadowing of the pair {a, b} for their current positions: N(0, sigma^2), Box-Muller on the
 * pair's own stream (no state to keep). */
static double shadow_db(const radio_medium *m, const mport *a, const mport *b)
{
    if (m->cfg.shadowing_db <= 0) return 0;
    const mport *lo = a->index < b->index ? a : b, *hi = a->index < b->index ? b : a;
    sim_rng r;
    sim_rng_stream(&r, m->cfg.seed, "shadow", lo->index * RADIO_MAX_PORTS + hi->index,
                   lo->moves * 0x100000000ull + hi->moves);
    double u1 = rng_unit(&r), u2 = rng_unit(&r);
    return m->cfg.shadowing_db * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Received power (dBm) at r of a transmission from s on channel ch; -INFINITY if r cannot hear
 * it at all (off, partitioned, other channel without leakage). */
static double rx_power(const radio_medium *m, const mport *s, const mport *r, unsigned ch,
                       unsigned group)
{
    if (!r->on || r->group != group) return -INFINITY;
    unsigned d = ch > r->channel ? ch - r->channel : r->channel - ch;
    if (d && m->cfg.adjacent_leak_db <= 0) return -INFINITY;
    double p;
    if (m->cfg.model == RADIO_MODEL_LOG_DISTANCE) {
        double dx = s->x - r->x, dy = s->y - r->y, dz = s->z - r->z;
        double dist = sqrt(dx * dx + dy * dy + dz * dz);
        if (dist < 1) dist = 1;
        p = m->cfg.tx_power_dbm - m->cfg.ref_loss_db - 10 * m->cfg.exponent * log10(dist) -
            shadow_db(m, s, r);
    } else {
        p = m->cfg.rssi_dbm;
    }
    return p - m->cfg.adjacent_leak_db * d;
}

static bool overlaps(const air *a, const air *b)
{
    return a->start < b->end && b->start < a->end;
}

/* The link model's draw for one frame on from -> to: true = lost. */
static bool link_lost(radio_medium *m, size_t from, size_t to)
{
    link *l = get_link(m, from, to);
    /* precedence: the link's chain, the link's loss, the default chain, the default loss */
    const radio_ge *ge = l->ge_set ? &l->ge : !l->loss_set && m->cfg.ge.on ? &m->cfg.ge : NULL;
    double loss = 0;
    if (ge) {
        /* step the chain, then draw in the new state */
        double u = rng_unit(&l->rng);
        if (l->ge_bad ? u < ge->p_bg : u < ge->p_gb) l->ge_bad = !l->ge_bad;
        loss = l->ge_bad ? ge->loss_bad : ge->loss_good;
    } else if (l->loss_set) {
        loss = l->loss;
    } else if (m->cfg.model != RADIO_MODEL_PERFECT) {
        loss = m->cfg.loss;
    }
    if (loss <= 0) return false;
    return rng_unit(&l->rng) < loss;
}

/* Judges air a at port r (r != a->from) at a's end. RADIO_CAUSE_COUNT = received intact;
 * *rssi gets the received power. */
static radio_cause judge(radio_medium *m, const air *a, const mport *r, double *rssi)
{
    const mport *s = m->ports[a->from];
    *rssi = -INFINITY;
    if (!r->on || r->group != a->group) return RADIO_CAUSE_OFF;
    unsigned d = a->channel > r->channel ? a->channel - r->channel : r->channel - a->channel;
    if (d && m->cfg.adjacent_leak_db <= 0) return RADIO_CAUSE_CHANNEL;
    double p = rx_power(m, s, r, a->channel, a->group);
    *rssi = p;
    if (p < m->cfg.sensitivity_dbm || p - m->cfg.noise_dbm < m->cfg.capture_db)
        return d ? RADIO_CAUSE_CHANNEL : RADIO_CAUSE_WEAK;
    double interf_mw = pow(10.0, m->cfg.noise_dbm / 10.0);
    for (const air *b = m->airs; b; b = b->next) {
        if (b == a || !overlaps(a, b)) continue;
        if (b->from == r->index) return RADIO_CAUSE_COLLISION; /* half duplex */
        double pb = rx_power(m, m->ports[b->from], r, b->channel, b->group);
        if (pb > -INFINITY) interf_mw += pow(10.0, pb / 10.0);
    }
    if (p - 10.0 * log10(interf_mw) < m->cfg.capture_db) return RADIO_CAUSE_COLLISION;
    if (link_lost(m, a->from, r->index)) return RADIO_CAUSE_LINK;
    return RADIO_CAUSE_COUNT;
}

/* DCF countdown check for port p whose wait (DIFS + backoff) began at `from` and ends at t:
 * true if a transmission it can hear (sensed RADIO_CCA_PS after its start; NAV included) kept
 * the channel busy at some time in [from, t]. Then *until = the end of the latest such busy
 * period and *first = the start of the earliest. */
static bool channel_busy(const radio_medium *m, const mport *p, uint64_t from, uint64_t t,
                         uint64_t *until, uint64_t *first)
{
    bool busy = false;
    *until = 0;
    *first = UINT64_MAX;
    for (const air *a = m->airs; a; a = a->next) {
        if (a->from == p->index) continue;
        uint64_t sensed = a->start + RADIO_CCA_PS;
        if (!(sensed <= t && a->nav_end > from)) continue;
        double pw = rx_power(m, m->ports[a->from], p, a->channel, a->group);
        if (pw < m->cfg.sensitivity_dbm) continue;
        busy = true;
        if (a->nav_end > *until) *until = a->nav_end;
        if (sensed < *first) *first = sensed;
    }
    return busy;
}

/* ---- air records ----------------------------------------------------------------------------- */

static void air_end(void *opaque, sim_event *ev, uint64_t now);

static air *air_new(radio_medium *m, size_t from, uint64_t start, const uint8_t *mpdu, size_t len,
                    bool is_ack)
{
    /* recycle records that can no longer overlap anything */
    for (air **pp = &m->airs; *pp;) {
        air *a = *pp;
        if (a->ended && a->end + RECENT_PS < start) {
            *pp = a->next;
            a->next = m->free_airs;
            m->free_airs = a;
        } else {
            pp = &a->next;
        }
    }
    air *a = m->free_airs;
    if (a)
        m->free_airs = a->next;
    else if (!(a = malloc(sizeof(*a))))
        abort(); /* out of memory */
    memset(a, 0, offsetof(air, mpdu));
    a->m = m;
    a->from = from;
    a->to = SIZE_MAX;
    a->channel = m->ports[from]->channel;
    a->group = m->ports[from]->group;
    a->start = start;
    a->end = start + radio_airtime_ps(len, m->cfg.rate_kbps, m->cfg.short_preamble);
    unsigned dur_us = len >= 4 ? (unsigned)(mpdu[OFF_DUR] | (mpdu[OFF_DUR + 1] << 8)) & 0x7FFFu : 0;
    a->nav_end = a->end + dur_us * PS_PER_US;
    a->is_ack = is_ack;
    memcpy(a->mpdu, mpdu, len);
    a->len = len;
    sim_event_init(&a->ev, is_ack ? "radio.ack_end" : "radio.frame_end", air_end, a, 0);
    a->next = m->airs;
    m->airs = a;
    sim_sched_at(m->sched, &a->ev, a->end);
    return a;
}

static void observe(radio_medium *m, const air *a, size_t to, bool received, radio_cause cause,
                    double rssi)
{
    if (!m->on_air) return;
    radio_air_info info = {.t_start_ps = a->start,
                           .t_end_ps = a->end,
                           .from = a->from,
                           .mpdu = a->mpdu,
                           .len = a->len,
                           .channel = a->channel,
                           .rate_kbps = m->cfg.rate_kbps,
                           .is_ack = a->is_ack,
                           .to = to,
                           .received = received,
                           .cause = cause,
                           .rssi_dbm = rssi > -INFINITY ? (int)floor(rssi)
                                                        : (int)floor(m->cfg.tx_power_dbm)};
    m->on_air(m->obs, &info);
}

/* ---- DCF ------------------------------------------------------------------------------------- */

static job *head(mport *p)
{
    return p->qn ? &p->q[p->qhead] : NULL;
}

static uint64_t backoff_ps(const job *j)
{
    return RADIO_DIFS_PS + (uint64_t)j->slots * RADIO_SLOT_PS;
}

static void draw_backoff(mport *p, job *j)
{
    j->slots = (unsigned)sim_rng_below(&p->backoff, (uint64_t)j->cw + 1u);
}

/* Schedules the head frame's attempt DIFS + its backoff after t. */
static void schedule_attempt(mport *p, uint64_t t)
{
    job *j = head(p);
    p->state = PORT_WAIT;
    j->wait_from = t;
    sim_sched_reschedule(p->m->sched, &p->ev, t + backoff_ps(j));
}

/* The head frame is done: pop it, report, start the next. */
static void finish(mport *p, uint64_t now, bool ok)
{
    radio_medium *m = p->m;
    job *j = head(p);
    uint32_t tag = j->tag;
    unsigned retries = j->retries;
    p->qhead = (p->qhead + 1) % m->cfg.queue;
    p->qn--;
    p->state = PORT_IDLE;
    if (sim_event_pending(&p->ev)) sim_sched_cancel(m->sched, &p->ev);
    if (p->qn) schedule_attempt(p, now);
    if (p->ops && p->ops->tx_done) p->ops->tx_done(p->opaque, now, tag, ok, retries);
}

static size_t addressed(const radio_medium *m, const uint8_t *mpdu)
{
    return radio_medium_find(m, mpdu + OFF_A1);
}

/* The link to the port a unicast frame from `from` is addressed to; NULL for a group frame or
 * an address no other port has. */
static link *dest_link(radio_medium *m, size_t from, const uint8_t *mpdu)
{
    if (radio_mac_is_group(mpdu + OFF_A1)) return NULL;
    size_t to = addressed(m, mpdu);
    return to == SIZE_MAX || to == from ? NULL : get_link(m, from, to);
}

static void count_one(link *l, radio_cause refused)
{
    if (!l) return;
    l->st.sent++;
    if (refused != RADIO_CAUSE_COUNT) l->st.lost[refused]++;
}

/* A submitted frame counts as sent on every link it addresses (refused: lost there too). */
static void count_sent(radio_medium *m, size_t from, const uint8_t *mpdu, radio_cause refused)
{
    if (!radio_mac_is_group(mpdu + OFF_A1)) {
        count_one(dest_link(m, from, mpdu), refused);
        return;
    }
    for (size_t r = 0; r < m->nports; r++)
        if (r != from) count_one(get_link(m, from, r), refused);
}

static void attempt(mport *p, uint64_t now)
{
    radio_medium *m = p->m;
    job *j = head(p);
    if (!p->on) {
        /* a radio that is off sends nothing: the frame fails */
        link *l = dest_link(m, p->index, j->mpdu);
        if (l) l->st.lost[RADIO_CAUSE_OFF]++;
        finish(p, now, false);
        return;
    }
    uint64_t until, first;
    if (channel_busy(m, p, j->wait_from, now, &until, &first)) {
        /* the countdown froze while the channel was busy: the slots that had elapsed idle
         * (after DIFS) before it became busy count, the rest follow DIFS after it is idle */
        uint64_t idle =
            first > j->wait_from + RADIO_DIFS_PS ? first - j->wait_from - RADIO_DIFS_PS : 0;
        uint64_t done = idle / RADIO_SLOT_PS;
        j->slots = done >= j->slots ? 0 : j->slots - (unsigned)done;
        schedule_attempt(p, until); /* later than now: the busy period began within the wait */
        return;
    }
    /* own ACK in progress or scheduled (SIFS after a frame it received) */
    for (const air *a = m->airs; a; a = a->next)
        if (a->from == p->index && !a->ended && a->end > now) {
            schedule_attempt(p, a->end);
            return;
        }
    if (j->retries) {
        j->mpdu[1] |= RADIO_FC1_RETRY;
        radio_fcs_update(j->mpdu, j->len);
    }
    air *a = air_new(m, p->index, now, j->mpdu, j->len, false);
    a->to = j->group ? SIZE_MAX : addressed(m, j->mpdu);
    p->state = PORT_TX;
}

static void retry_or_fail(mport *p, uint64_t now)
{
    radio_medium *m = p->m;
    job *j = head(p);
    if (j->retries >= m->cfg.retry_limit) {
        link *l = dest_link(m, p->index, j->mpdu);
        if (l) l->st.failed++;
        finish(p, now, false);
        return;
    }
    j->retries++;
    unsigned cw = 2u * j->cw + 1u;
    j->cw = cw > m->cfg.cw_max ? m->cfg.cw_max : cw;
    draw_backoff(p, j);
    link *l = dest_link(m, p->index, j->mpdu);
    if (l) l->st.retries++;
    schedule_attempt(p, now);
}

static void port_event(void *opaque, sim_event *ev, uint64_t now)
{
    (void)ev;
    mport *p = opaque;
    if (p->state == PORT_WAIT)
        attempt(p, now);
    else if (p->state == PORT_ACK_WAIT)
        retry_or_fail(p, now); /* ACK timeout */
}

/* Has receiver r seen this (sender, sequence) as a retransmission already? Records it. */
static bool duplicate(mport *r, size_t from, const uint8_t *mpdu)
{
    uint16_t sc = (uint16_t)(mpdu[OFF_SEQCTL] | (mpdu[OFF_SEQCTL + 1] << 8));
    bool retry = (mpdu[1] & RADIO_FC1_RETRY) != 0;
    for (unsigned i = 0; i < DUP_CACHE; i++)
        if (r->dup[i].used && r->dup[i].from == from) {
            bool dup = retry && r->dup[i].seqctl == sc;
            r->dup[i].seqctl = sc;
            return dup;
        }
    r->dup[r->dup_next] = (dup_entry){.from = from, .seqctl = sc, .used = true};
    r->dup_next = (r->dup_next + 1) % DUP_CACHE;
    return false;
}

/* Hands an intact frame to port r; returns the cause it was dropped for, or COUNT. */
static radio_cause deliver(radio_medium *m, const air *a, mport *r, double rssi)
{
    radio_rx_info rx = {.t_ps = a->end,
                        .mpdu = a->mpdu,
                        .len = a->len,
                        .channel = a->channel,
                        .rssi_dbm = (int)floor(rssi),
                        .from = a->from};
    if (m->on_rx) m->on_rx(m->obs, r->index, &rx);
    if (a->is_ack || !r->ops || !r->ops->rx) return RADIO_CAUSE_COUNT;
    return r->ops->rx(r->opaque, &rx);
}

static void data_end(radio_medium *m, air *a, uint64_t now)
{
    mport *s = m->ports[a->from];
    job *j = head(s);
    bool group = j && j->group;
    double best = -INFINITY;
    bool any = false;
    radio_cause to_cause = RADIO_CAUSE_COUNT;
    double to_rssi = -INFINITY;
    if (group) {
        for (size_t i = 0; i < m->nports; i++) {
            if (i == a->from) continue;
            mport *r = m->ports[i];
            link *l = get_link(m, a->from, i);
            l->st.tx++;
            double rssi;
            radio_cause c = judge(m, a, r, &rssi);
            if (c == RADIO_CAUSE_COUNT) c = deliver(m, a, r, rssi);
            if (c == RADIO_CAUSE_COUNT) {
                l->st.delivered++;
                lat_add(&l->st, now - j->t_submit);
                any = true;
                if (rssi > best) best = rssi;
            } else {
                l->st.lost[c]++;
            }
        }
        observe(m, a, SIZE_MAX, any, RADIO_CAUSE_COUNT, best);
        finish(s, now, true);
        return;
    }
    size_t to = a->to;
    if (to != SIZE_MAX && to != a->from) {
        mport *r = m->ports[to];
        link *l = get_link(m, a->from, to);
        l->st.tx++;
        double rssi;
        radio_cause c = judge(m, a, r, &rssi);
        to_rssi = rssi;
        if (c == RADIO_CAUSE_COUNT) {
            /* the MAC ACKs what it received intact, whatever software does with it (B.3) */
            uint8_t ack[RADIO_ACK_LEN];
            radio_ack_build(a->mpdu + OFF_A2, ack, sizeof(ack));
            air *k = air_new(m, to, now + RADIO_SIFS_PS, ack, sizeof(ack), true);
            k->to = a->from;
            if (duplicate(r, a->from, a->mpdu)) {
                l->st.dup_filtered++;
            } else {
                radio_cause d = deliver(m, a, r, rssi);
                if (d == RADIO_CAUSE_COUNT)
                    l->st.delivered++;
                else
                    l->st.lost[d]++;
            }
        } else {
            l->st.lost[c]++;
            to_cause = c;
        }
        observe(m, a, to, c == RADIO_CAUSE_COUNT, to_cause, to_rssi);
    } else {
        observe(m, a, SIZE_MAX, false, RADIO_CAUSE_COUNT, -INFINITY);
    }
    if (!j) return;
    s->state = PORT_ACK_WAIT;
    sim_sched_reschedule(m->sched, &s->ev, now + RADIO_SIFS_PS + m->ack_ps + RADIO_SLOT_PS);
}

static void ack_end(radio_medium *m, air *a, uint64_t now)
{
    mport *s = m->ports[a->to]; /* the data frame's sender */
    double rssi;
    radio_cause c = judge(m, a, s, &rssi);
    link *l = get_link(m, s->index, a->from);
    observe(m, a, s->index, c == RADIO_CAUSE_COUNT, c, rssi);
    if (c == RADIO_CAUSE_COUNT) {
        deliver(m, a, s, rssi);
        if (s->state == PORT_ACK_WAIT && head(s)) {
            job *j = head(s);
            l->st.acked++;
            lat_add(&l->st, now - j->t_submit);
            finish(s, now, true);
        }
    } else {
        l->st.acks_lost++;
    }
}

static void air_end(void *opaque, sim_event *ev, uint64_t now)
{
    (void)ev;
    air *a = opaque;
    a->ended = true;
    if (a->is_ack)
        ack_end(a->m, a, now);
    else
        data_end(a->m, a, now);
}

/* ---- submission ------------------------------------------------------------------------------ */

bool radio_medium_send(radio_medium *m, size_t port, uint64_t t_ps, const uint8_t *mpdu, size_t len,
                       uint32_t tag)
{
    if (port >= m->nports || !mpdu || len < RADIO_HDR_LEN + RADIO_FCS_LEN || len > RADIO_MPDU_MAX ||
        !radio_fcs_ok(mpdu, len))
        return false;
    mport *p = m->ports[port];
    if (p->qn >= m->cfg.queue) {
        count_sent(m, port, mpdu, RADIO_CAUSE_QUEUE);
        return false;
    }
    job *j = &p->q[(p->qhead + p->qn) % m->cfg.queue];
    memcpy(j->mpdu, mpdu, len);
    j->len = len;
    j->tag = tag;
    j->t_submit = t_ps;
    j->retries = 0;
    j->cw = m->cfg.cw_min;
    j->group = radio_mac_is_group(mpdu + OFF_A1);
    draw_backoff(p, j);
    p->qn++;
    count_sent(m, port, mpdu, RADIO_CAUSE_COUNT);
    if (p->qn == 1) schedule_attempt(p, t_ps);
    return true;
}

size_t radio_medium_queued(const radio_medium *m, size_t port)
{
    return port < m->nports ? m->ports[port]->qn : 0;
}
