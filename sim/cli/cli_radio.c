/* sim/cli/cli_radio.c — see cli_radio.h. */
#include "cli_radio.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "radio/medium.h"
#include "radio/pcap.h"
#include "rng.h"
#include "sdk/espnow.h"
#include "units.h"

struct cli_radio {
    const scenario *s;
    sim_world *w;
    radio_medium *med;
    sdk_espnow **sdk;  /* per node */
    radio_pcap *air;   /* air.pcap */
    radio_pcap **node; /* NODE.pcap, or NULL */
    cli_radio_event_fn ev;
    void *opaque;
    sim_event stats_ev;
    void (*air_hook)(void *opaque, const radio_air_info *a);
    void *air_hook_opaque;
};

void cli_radio_set_air_hook(cli_radio *r, void (*fn)(void *opaque, const radio_air_info *a),
                            void *opaque)
{
    r->air_hook = fn;
    r->air_hook_opaque = opaque;
}

static void cli_radio_on_air(void *opaque, const radio_air_info *a)
{
    cli_radio *r = opaque;
    bool bad = !a->received;
    if (r->air_hook) r->air_hook(r->air_hook_opaque, a);
    radio_pcap_write(r->air, a->t_end_ps, a->mpdu, a->len, a->channel, a->rate_kbps, a->rssi_dbm,
                     bad);
    if (r->node && r->node[a->from])
        radio_pcap_write(r->node[a->from], a->t_end_ps, a->mpdu, a->len, a->channel, a->rate_kbps,
                         a->rssi_dbm, false);
}

static void cli_radio_on_rx(void *opaque, size_t port, const radio_rx_info *rx)
{
    cli_radio *r = opaque;
    if (r->node && port < r->s->nnodes && r->node[port])
        radio_pcap_write(r->node[port], rx->t_ps, rx->mpdu, rx->len, rx->channel,
                         r->s->radio.rate_kbps, rx->rssi_dbm, false);
}

/* Totals over every link, for the periodic radio-stats event and the summary. */
static void cli_radio_totals(const cli_radio *r, radio_link_stats *t)
{
    memset(t, 0, sizeof(*t));
    size_t n = r->s->nnodes;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            const radio_link_stats *l = radio_medium_link(r->med, i, j);
            if (!l) continue;
            t->sent += l->sent;
            t->tx += l->tx;
            t->retries += l->retries;
            t->acked += l->acked;
            t->failed += l->failed;
            t->delivered += l->delivered;
            t->dup_filtered += l->dup_filtered;
            t->acks_lost += l->acks_lost;
            for (unsigned c = 0; c < RADIO_CAUSE_COUNT; c++)
                t->lost[c] += l->lost[c];
        }
}

static int cli_radio_fields(const radio_link_stats *l, char *f, size_t size)
{
    int o = snprintf(f, size,
                     ",\"sent\":%" PRIu64 ",\"tx\":%" PRIu64 ",\"retries\":%" PRIu64
                     ",\"acked\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"delivered\":%" PRIu64
                     ",\"dup_filtered\":%" PRIu64 ",\"acks_lost\":%" PRIu64,
                     l->sent, l->tx, l->retries, l->acked, l->failed, l->delivered, l->dup_filtered,
                     l->acks_lost);
    for (unsigned c = 0; c < RADIO_CAUSE_COUNT && o > 0 && (size_t)o < size; c++)
        o += snprintf(f + o, size - (size_t)o, ",\"lost_%s\":%" PRIu64,
                      radio_cause_name((radio_cause)c), l->lost[c]);
    return o;
}

static void cli_radio_stats_event(void *opaque, sim_event *ev, uint64_t now)
{
    cli_radio *r = opaque;
    radio_link_stats t;
    char f[1024];
    cli_radio_totals(r, &t);
    cli_radio_fields(&t, f, sizeof(f));
    r->ev(r->opaque, now, SIZE_MAX, "radio-stats", f);
    if (now + r->s->radio.stats_every_ps < r->s->duration_ps)
        sim_sched_at(&r->w->sched, ev, now + r->s->radio.stats_every_ps);
}

/* A capture file through the run's limits (plain when lim is NULL). */
static radio_pcap *cli_radio_pcap(cli_limits *lim, const char *path, char *err, size_t errsize)
{
    if (!lim) return radio_pcap_open(path, err, errsize);
    FILE *f = cli_limit_fopen(lim, path, SCN_LIMIT_PCAP);
    if (!f) {
        snprintf(err, errsize, "%s: cannot create: %s", path, strerror(errno));
        return NULL;
    }
    return radio_pcap_open_stream(f, path, err, errsize);
}

cli_radio *cli_radio_new(const scenario *s, sim_world *w, esp8266 *const *chips,
                         const sim_elf *const *elfs, const char *dir, cli_limits *lim,
                         cli_radio_event_fn ev, void *opaque, char *err, size_t errsize)
{
    const scn_radio *sr = &s->radio;
    radio_medium_config mc;
    radio_medium_config_default(&mc);
    mc.seed = sim_rng_seed_for(s->seed, "radio", 0, 0);
    mc.model = sr->model == SCN_RADIO_LOG_DISTANCE ? RADIO_MODEL_LOG_DISTANCE
               : sr->model == SCN_RADIO_LOSS       ? RADIO_MODEL_LOSS
                                                   : RADIO_MODEL_PERFECT;
    mc.rate_kbps = sr->rate_kbps;
    mc.short_preamble = sr->short_preamble;
    mc.loss = sr->loss;
    mc.ge = (radio_ge){sr->ge.on, sr->ge.p_gb, sr->ge.p_bg, sr->ge.loss_good, sr->ge.loss_bad};
    mc.rssi_dbm = sr->rssi;
    mc.tx_power_dbm = sr->tx_power;
    mc.exponent = sr->exponent;
    mc.ref_loss_db = sr->ref_loss;
    mc.shadowing_db = sr->shadowing;
    mc.noise_dbm = sr->noise;
    mc.sensitivity_dbm = sr->sensitivity;
    mc.capture_db = sr->capture;
    mc.adjacent_leak_db = sr->adjacent_leak;
    mc.retry_limit = sr->retry_limit;
    mc.cw_min = sr->cw_min;
    mc.cw_max = sr->cw_max;
    mc.queue = sr->queue;
    cli_radio *r = calloc(1, sizeof(*r));
    if (!r) {
        snprintf(err, errsize, "%s: out of memory", s->path);
        return NULL;
    }
    r->s = s;
    r->w = w;
    r->ev = ev;
    r->opaque = opaque;
    r->sdk = calloc(s->nnodes, sizeof(*r->sdk));
    r->med = radio_medium_new(&mc, &w->sched, err, errsize);
    if (!r->sdk || !r->med) {
        if (!r->sdk) snprintf(err, errsize, "%s: out of memory", s->path);
        cli_radio_free(r); /* a medium error is already in err */
        return NULL;
    }
    sim_world_limit_quantum(w, radio_medium_min_latency_ps(r->med));
    char path[4096];
    snprintf(path, sizeof(path), "%s/air.pcap", dir);
    if (s->outputs.pcap) {
        r->air = cli_radio_pcap(lim, path, err, errsize);
        if (!r->air) {
            cli_radio_free(r);
            return NULL;
        }
    }
    if (sr->node_pcap && s->outputs.pcap) {
        r->node = calloc(s->nnodes, sizeof(*r->node));
        if (!r->node) {
            snprintf(err, errsize, "%s: out of memory", s->path);
            cli_radio_free(r);
            return NULL;
        }
        for (size_t i = 0; i < s->nnodes; i++) {
            snprintf(path, sizeof(path), "%s/%s.pcap", dir, s->nodes[i].name);
            if (!(r->node[i] = cli_radio_pcap(lim, path, err, errsize))) {
                cli_radio_free(r);
                return NULL;
            }
        }
    }
    radio_medium_observe(r->med, cli_radio_on_air, cli_radio_on_rx, r);
    for (size_t i = 0; i < s->nnodes; i++) {
        const scn_node *nd = &s->nodes[i];
        sdk_espnow_config ec = {.channel = nd->channel ? nd->channel : sr->channel,
                                .rx_broadcast = sr->rx_broadcast,
                                .rx_queue = sr->rx_queue,
                                .seed = s->seed,
                                .index = (unsigned)i};
        memcpy(ec.mac, nd->mac, 6);
        char e2[512];
        r->sdk[i] = sdk_espnow_new(chips[i], r->med, &ec, elfs[i], e2, sizeof(e2));
        if (!r->sdk[i]) {
            snprintf(err, errsize, "%s: node %s: %s", s->path, nd->name, e2);
            cli_radio_free(r);
            return NULL;
        }
        radio_medium_set_position(r->med, sdk_espnow_port(r->sdk[i]), nd->xyz[0], nd->xyz[1],
                                  nd->xyz[2]);
    }
    for (size_t i = 0; i < sr->nlinks; i++) {
        const scn_radio_link *l = &sr->links[i];
        for (int dir2 = 0; dir2 < (l->both ? 2 : 1); dir2++) {
            size_t a = dir2 ? l->to : l->from, b = dir2 ? l->from : l->to;
            if (l->loss_set) radio_medium_set_link_loss(r->med, a, b, l->loss);
            if (l->ge.on) {
                radio_ge g = {true, l->ge.p_gb, l->ge.p_bg, l->ge.loss_good, l->ge.loss_bad};
                radio_medium_set_link_ge(r->med, a, b, &g);
            }
        }
    }
    if (sr->stats_every_ps) {
        sim_event_init(&r->stats_ev, "radio-stats", cli_radio_stats_event, r, 2);
        sim_sched_at(&w->sched, &r->stats_ev, sr->stats_every_ps);
    }
    return r;
}

void cli_radio_free(cli_radio *r)
{
    if (!r) return;
    if (sim_event_pending(&r->stats_ev)) sim_sched_cancel(&r->w->sched, &r->stats_ev);
    for (size_t i = 0; r->sdk && i < r->s->nnodes; i++)
        sdk_espnow_free(r->sdk[i]);
    free(r->sdk);
    radio_medium_free(r->med);
    radio_pcap_close(r->air);
    for (size_t i = 0; r->node && i < r->s->nnodes; i++)
        radio_pcap_close(r->node[i]);
    free(r->node);
    free(r);
}

void cli_radio_reset(cli_radio *r, size_t node)
{
    if (node < r->s->nnodes && r->sdk[node]) sdk_espnow_reset(r->sdk[node]);
}

void cli_radio_stop(cli_radio *r, size_t node)
{
    if (node < r->s->nnodes && r->sdk[node]) sdk_espnow_stop(r->sdk[node]);
}

void cli_radio_apply(cli_radio *r, const scn_action *a, uint64_t now)
{
    char f[1024];
    const scenario *s = r->s;
    switch (a->kind) {
    case SCN_ACT_RADIO_OFF:
    case SCN_ACT_RADIO_ON: {
        bool on = a->kind == SCN_ACT_RADIO_ON;
        radio_medium_set_radio(r->med, a->node, on);
        snprintf(f, sizeof(f), ",\"action\":\"%s\"", on ? "radio-on" : "radio-off");
        r->ev(r->opaque, now, a->node, "action", f);
        break;
    }
    case SCN_ACT_MOVE:
        radio_medium_set_position(r->med, a->node, a->xyz[0], a->xyz[1], a->xyz[2]);
        snprintf(f, sizeof(f), ",\"action\":\"move\",\"position\":[%g,%g,%g]", a->xyz[0], a->xyz[1],
                 a->xyz[2]);
        r->ev(r->opaque, now, a->node, "action", f);
        break;
    case SCN_ACT_PARTITION: {
        int o = snprintf(f, sizeof(f), ",\"action\":\"partition\",\"groups\":{");
        for (size_t i = 0; i < s->nnodes; i++) {
            radio_medium_set_group(r->med, i, a->groups[i]);
            if (o > 0 && (size_t)o < sizeof(f))
                o += snprintf(f + o, sizeof(f) - (size_t)o, "%s\"%s\":%u", i ? "," : "",
                              s->nodes[i].name, a->groups[i]);
        }
        if (o > 0 && (size_t)o < sizeof(f) - 2) strcat(f, "}");
        r->ev(r->opaque, now, SIZE_MAX, "action", f);
        break;
    }
    case SCN_ACT_HEAL:
        radio_medium_heal(r->med);
        r->ev(r->opaque, now, SIZE_MAX, "action", ",\"action\":\"heal\"");
        break;
    case SCN_ACT_LINK_LOSS:
        radio_medium_set_link_loss(r->med, a->from, a->to, a->loss);
        if (a->both) radio_medium_set_link_loss(r->med, a->to, a->from, a->loss);
        snprintf(
            f, sizeof(f), ",\"action\":\"link-loss\",\"from\":\"%s\",\"to\":\"%s\",\"loss\":%g%s",
            s->nodes[a->from].name, s->nodes[a->to].name, a->loss, a->both ? ",\"both\":true" : "");
        r->ev(r->opaque, now, SIZE_MAX, "action", f);
        break;
    default: break;
    }
}

void cli_radio_finish(cli_radio *r, uint64_t end)
{
    const scenario *s = r->s;
    char f[2048];
    for (size_t i = 0; i < s->nnodes; i++)
        for (size_t j = 0; j < s->nnodes; j++) {
            const radio_link_stats *l = radio_medium_link(r->med, i, j);
            if (!l || !l->sent) continue;
            int o = snprintf(f, sizeof(f), ",\"from\":\"%s\",\"to\":\"%s\"", s->nodes[i].name,
                             s->nodes[j].name);
            o += cli_radio_fields(l, f + o, sizeof(f) - (size_t)o);
            snprintf(f + o, sizeof(f) - (size_t)o,
                     ",\"latency_us\":{\"p50\":%" PRIu64 ",\"p90\":%" PRIu64 ",\"p99\":%" PRIu64
                     ",\"max\":%" PRIu64 "}",
                     radio_link_stats_percentile_us(l, 50), radio_link_stats_percentile_us(l, 90),
                     radio_link_stats_percentile_us(l, 99), radio_link_stats_percentile_us(l, 100));
            r->ev(r->opaque, end, i, "radio-link", f);
        }
    for (size_t i = 0; i < s->nnodes; i++) {
        const sdk_espnow_stats *st = sdk_espnow_stats_get(r->sdk[i]);
        snprintf(f, sizeof(f),
                 ",\"sends\":%" PRIu64 ",\"send_errors\":%" PRIu64 ",\"send_ok\":%" PRIu64
                 ",\"send_fail\":%" PRIu64 ",\"rx\":%" PRIu64 ",\"rx_key\":%" PRIu64
                 ",\"rx_filtered\":%" PRIu64 ",\"rx_queue\":%" PRIu64,
                 st->sends, st->send_errs, st->send_ok, st->send_fail, st->rx, st->rx_key,
                 st->rx_filtered, st->rx_queue);
        r->ev(r->opaque, end, i, "espnow-stats", f);
    }
}

void cli_radio_summary(const cli_radio *r, FILE *out)
{
    const scenario *s = r->s;
    fprintf(out, "radio: %" PRIu64 " frames in air.pcap\n", radio_pcap_count(r->air));
    fprintf(out, "radio links (from -> to: sent tx retries acked failed delivered dup | lost by "
                 "cause | latency us p50/p90/p99/max):\n");
    for (size_t i = 0; i < s->nnodes; i++)
        for (size_t j = 0; j < s->nnodes; j++) {
            const radio_link_stats *l = radio_medium_link(r->med, i, j);
            if (!l || !l->sent) continue;
            fprintf(out,
                    "  %s -> %s: %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
                    " %" PRIu64 " %" PRIu64 " |",
                    s->nodes[i].name, s->nodes[j].name, l->sent, l->tx, l->retries, l->acked,
                    l->failed, l->delivered, l->dup_filtered);
            for (unsigned c = 0; c < RADIO_CAUSE_COUNT; c++)
                if (l->lost[c])
                    fprintf(out, " %s %" PRIu64, radio_cause_name((radio_cause)c), l->lost[c]);
            fprintf(out, " | %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64 "\n",
                    radio_link_stats_percentile_us(l, 50), radio_link_stats_percentile_us(l, 90),
                    radio_link_stats_percentile_us(l, 99), radio_link_stats_percentile_us(l, 100));
        }
}

void cli_radio_flush(cli_radio *r)
{
    radio_pcap_flush(r->air);
    for (size_t i = 0; r->node && i < r->s->nnodes; i++)
        radio_pcap_flush(r->node[i]);
}
