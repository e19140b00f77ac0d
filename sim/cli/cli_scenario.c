/* sim/cli/cli_scenario.c — `espsim run SCENARIO.yaml --out DIR`: build a world of ESP8266 nodes
 * from a scenario (sim/scenario.h), run the timeline, judge the expect steps, write the outputs
 * (docs/scenarios.md).
 *
 * Time: the world advances in steps of at most SCN_QUANTUM_PS (longer only while every node
 * sleeps in WAITI, see world.h); actions at fixed times run exactly at their time (the world
 * stops there); an action on a serial trigger runs at the first step boundary at or after the
 * matching line's time + delay (the nodes have already run that far), and is logged with the
 * time it really took effect. scn_after_step polls between steps. Events of one step are written to
 * events.jsonl sorted by (time, node index, order within the node), so the file is a total
 * order that does not depend on host speed or on the order nodes were stepped.
 * Verdict: exit 1 if an expect step failed or was not reached by the end; else 3 if a node ended
 * the run faulted (a fault later cleared by a reset does not count, nor one an expect-exit step
 * consumed); else 0. The run stops early once every ordered step has passed, unless the scenario
 * has counters (then it runs to `duration`).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_limit.h"
#include "cli_prof.h"
#include "elf_load.h"
#include "error.h"
#include "esp8266/esp8266.h"
#include "i2c/asi2c.h"
#include "lines.h"
#include "net.h"
#include "cli_radio.h"
#include "cli_view.h"
#include "gdb.h"
#include "rng.h"
#include "scenario.h"
#include "units.h"
#include "world.h"

#define SCN_QUANTUM_PS 100000000ull /* 100 us */
#define SCN_LINE_MAX   1024u

typedef struct scn_run scn_run;
typedef struct scn_peer_rt scn_peer_rt;

typedef struct scn_event_rec {
    uint64_t t;
    size_t node;
    uint64_t seq;
    char *json; /* the whole line, without newline */
} scn_event_rec;

typedef struct scn_node_rt {
    scn_run *run;
    size_t index;
    const scn_node *cfg;
    esp8266 *m;
    sim_elf elf;
    bool have_elf;
    sim_lines *lines;
    FILE *uart_log;
    FILE *vcd;           /* NODE.gpio.vcd: GPIO0-15 levels over global time */
    uint64_t vcd_t;      /* time (ns) of the last timestamp written */
    uint16_t vcd_levels; /* levels last written */
    char line[SCN_LINE_MAX];
    size_t line_len;
    uint64_t line_t0;
    bool powered;
    bool faulted;    /* stopped by a guest fault, not revived since */
    bool halted;     /* stopped by a crash/halt */
    bool fault_seen; /* the current stop was already reported */
    uint64_t seq;
    sim_event *uart_ev;  /* one per configured UART input */
    char last_line[200]; /* for failure messages: what the node printed last */
    int last_reason;     /* rst_info reason of the last reset, -1 if none */
    char *parts[24];     /* participant names this node gave to nets (owned) */
    size_t nparts;
    sim_prof *prof;                  /* timing budgets / profile, or NULL */
    sim_prof_budget_override ov[32]; /* budgets.handlers resolved in this node's firmware */
} scn_node_rt;

typedef struct scn_action_rt {
    scn_run *run;
    const scn_action *a;
    sim_event ev;
    bool fired;
} scn_action_rt;

typedef struct scn_uart_rt {
    scn_run *run;
    size_t node, k;
} scn_uart_rt;

/* signals.vcd: one variable per wired signal (wires, asi2c lines), changes sorted per step. */
typedef struct scn_sig {
    char name[96];
    char id[4];
    bool level;
} scn_sig;

typedef struct scn_sig_change {
    uint64_t t, seq;
    size_t sig;
    bool level;
} scn_sig_change;

/* A scenario wire: its net, the board pull-up and the scenario's own driver (gpio actions). */
typedef struct scn_wire_rt {
    scn_run *run;
    size_t index;
    sim_net net;
    int board;  /* participant: the board pull-up and the scenario's gpio actions */
    size_t sig; /* signals.vcd variable */
    sim_net_listener listener;
} scn_wire_rt;

/* One Initiator, its bus and nets, and the scenario's traffic generator and checker. */
struct scn_peer_rt {
    scn_run *run;
    size_t index;
    const scn_asi2c *cfg;
    scn_node_rt *node; /* the responder */
    asi2c a;
    i2c_bus bus;
    i2c_bus_listener bus_listener;
    int esp_id;         /* the responder's participant on the bus (SDA and SCL) */
    bool esp_high[2];   /* it drives the line high push-pull (a wrongly configured pin) */
    bool contending[2]; /* a contention episode on that line is in progress */
    uint64_t i2c_contentions;
    sim_net syn, ack, rst;
    int syn_id, ack_id, rst_id; /* the Initiator's participants */
    sim_net_listener syn_l, ack_l, rst_l;
    size_t sig[5]; /* signals.vcd: scl, sda, syn, ack, rst */
    char names[5][96];
    /* traffic */
    sim_event traffic_ev, stats_ev;
    uint64_t sent;     /* traffic lines accepted by asi2c_send */
    uint8_t *seen;     /* per traffic line: times echoed (saturating) */
    uint64_t max_seen; /* highest echoed sequence number + 1 (0: none yet) */
    uint64_t echoed, duplicated, reordered, garbled;
    /* recovery: the latest failure to the first exchange completed after it */
    bool recovering;
    uint64_t fail_ps, recovery_max_ps, recoveries;
};

typedef struct scn_result {
    bool done, passed;
    uint64_t t;
    char msg[512];
} scn_result;

struct scn_run {
    const scenario *s;
    sim_world world;
    scn_node_rt *nodes;
    scn_action_rt *acts;
    scn_uart_rt *uarts;
    scn_result *res;
    uint64_t *counts;
    size_t step; /* index into s->expects of the current ordered step (counters skipped) */
    uint64_t step_start;
    bool stop;
    bool failed;
    bool poll; /* a node may have stopped or been revived since scn_poll_nodes last looked */
    FILE *events;
    scn_event_rec *evq;
    size_t nevq, evq_cap;
    sim_event *power_on_ev; /* pending power-ons after a power-cycle, by node */
    cli_radio *radio;       /* NULL without a radio */
    sim_gdb *gdb;           /* --gdb NODE:PORT, or NULL */
    cli_view *view;         /* espsim view, or NULL */
    char *replay;           /* the viewer's actions as timeline entries */
    size_t replay_len;
    scn_wire_rt *wires;
    scn_peer_rt *peers;
    scn_sig *sigs;
    size_t nsigs, sigs_cap;
    scn_sig_change *sigq;
    size_t nsigq, sigq_cap;
    uint64_t sig_seq, sig_t; /* signals.vcd: change order; last timestamp written (ns) */
    FILE *signals;
    uint64_t seq;
    double wall0;          /* host time at the start (hang guard only) */
    uint64_t wall_limit_s; /* 0 = none */
    bool hang;
    cli_limits lim;  /* the output files' byte limits (cli_limit.h) */
    bool limited;    /* a limit stopped the run */
    bool profiling;  /* budgets or --profile: every node has a profiler */
    sim_trace trace; /* trace.json when writing the profile */
    FILE *trace_f;
};

/* ---- events.jsonl ---------------------------------------------------------------------------- */

static void scn_json_str(char *out, size_t size, const char *s, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 8 < size; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else if (ch < 0x20 || ch >= 0x7F) {
            o += (size_t)snprintf(out + o, size - o, "\\u%04x", ch);
        } else {
            out[o++] = (char)ch;
        }
    }
    out[o] = 0;
}

/* Queues one event; fields is the JSON tail after "event" (starting with a comma or empty). */
static void scn_event(scn_run *r, uint64_t t, size_t node, const char *event, const char *fields)
{
    if (r->nevq == r->evq_cap) {
        size_t cap = r->evq_cap ? r->evq_cap * 2 : 64;
        scn_event_rec *q = realloc(r->evq, cap * sizeof(*q));
        if (!q) return;
        r->evq = q;
        r->evq_cap = cap;
    }
    char buf[SCN_LINE_MAX * 6 + 256];
    const char *nname = node < r->s->nnodes ? r->s->nodes[node].name : "";
    snprintf(buf, sizeof(buf), "{\"t_ps\":%" PRIu64 ",\"node\":\"%s\",\"event\":\"%s\"%s}", t,
             nname, event, fields ? fields : "");
    if (r->view) cli_view_event(r->view, t, node, event, fields);
    scn_event_rec *e = &r->evq[r->nevq++];
    e->t = t;
    e->node = node;
    e->seq = r->seq++;
    e->json = strdup(buf);
}

static int scn_event_cmp(const void *a, const void *b)
{
    const scn_event_rec *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    if (x->node != y->node) return x->node < y->node ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void scn_flush_events(scn_run *r)
{
    if (r->nevq) qsort(r->evq, r->nevq, sizeof(*r->evq), scn_event_cmp);
    for (size_t i = 0; i < r->nevq; i++) {
        if (r->evq[i].json && r->events) fprintf(r->events, "%s\n", r->evq[i].json);
        free(r->evq[i].json);
    }
    r->nevq = 0;
}

/* ---- signals.vcd ----------------------------------------------------------------------------- */

/* A new signal variable (before the run starts); returns its index. */
static size_t scn_sig_add(scn_run *r, const char *name, bool level)
{
    if (r->nsigs == r->sigs_cap) {
        size_t cap = r->sigs_cap ? r->sigs_cap * 2 : 16;
        scn_sig *q = realloc(r->sigs, cap * sizeof(*q));
        if (!q) return SIZE_MAX;
        r->sigs = q;
        r->sigs_cap = cap;
    }
    scn_sig *g = &r->sigs[r->nsigs];
    snprintf(g->name, sizeof(g->name), "%s", name);
    size_t i = r->nsigs; /* identifiers: printable, 1-2 characters */
    if (i < 94)
        snprintf(g->id, sizeof(g->id), "%c", (char)('!' + i));
    else
        snprintf(g->id, sizeof(g->id), "%c%c", (char)('!' + i / 94 - 1), (char)('!' + i % 94));
    g->level = level;
    return r->nsigs++;
}

static void scn_sig_change_at(scn_run *r, size_t sig, bool level, uint64_t t)
{
    if (sig >= r->nsigs) return;
    if (r->nsigq == r->sigq_cap) {
        size_t cap = r->sigq_cap ? r->sigq_cap * 2 : 256;
        scn_sig_change *q = realloc(r->sigq, cap * sizeof(*q));
        if (!q) return;
        r->sigq = q;
        r->sigq_cap = cap;
    }
    r->sigq[r->nsigq++] = (scn_sig_change){t, r->sig_seq++, sig, level};
    if (r->view) cli_view_signal(r->view, r->sigs[sig].name, level);
}

static int scn_sig_cmp(const void *a, const void *b)
{
    const scn_sig_change *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void scn_sig_header(scn_run *r)
{
    FILE *f = r->signals;
    if (!f) return;
    fprintf(f,
            "$comment espsim scenario %s: wired signals (wires, asi2c SCL/SDA/SYN/ACK/RST) "
            "$end\n$timescale 1ns $end\n$scope module %s $end\n",
            r->s->name ? r->s->name : "", "signals");
    for (size_t i = 0; i < r->nsigs; i++)
        fprintf(f, "$var wire 1 %s %s $end\n", r->sigs[i].id, r->sigs[i].name);
    fprintf(f, "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n");
    for (size_t i = 0; i < r->nsigs; i++)
        fprintf(f, "%u%s\n", r->sigs[i].level ? 1u : 0u, r->sigs[i].id);
    fprintf(f, "$end\n");
}

/* Writes the buffered changes in time order (they came from nodes stepped one after another). */
static void scn_sig_flush(scn_run *r)
{
    if (r->nsigq == 0) return;
    qsort(r->sigq, r->nsigq, sizeof(*r->sigq), scn_sig_cmp);
    for (size_t i = 0; i < r->nsigq && r->signals; i++) {
        scn_sig_change *c = &r->sigq[i];
        scn_sig *g = &r->sigs[c->sig];
        if (g->level == c->level) continue;
        g->level = c->level;
        uint64_t t = c->t / 1000u;
        if (t > r->sig_t) {
            fprintf(r->signals, "#%" PRIu64 "\n", t);
            r->sig_t = t;
        }
        fprintf(r->signals, "%u%s\n", c->level ? 1u : 0u, g->id);
    }
    r->nsigq = 0;
}

/* ---- wires ------------------------------------------------------------------------------------
 */

static void scn_net_contention(void *opaque, sim_net *net, uint32_t high, uint32_t low, uint64_t t)
{
    scn_run *r = opaque;
    char hs[512] = "", ls[512] = "";
    size_t ho = 0, lo = 0;
    for (int i = 0; i < net->nparts; i++) {
        char *b = (high >> i & 1u) ? hs : (low >> i & 1u) ? ls : NULL;
        size_t *o = b == hs ? &ho : &lo;
        if (!b || *o + 80 > sizeof(hs)) continue;
        *o += (size_t)snprintf(b + *o, sizeof(hs) - *o, "%s\"%s\"", *o ? "," : "", net->part[i]);
    }
    char f[1200];
    snprintf(f, sizeof(f), ",\"wire\":\"%s\",\"high\":[%s],\"low\":[%s]", net->name, hs, ls);
    scn_event(r, t < r->world.now ? r->world.now : t, SIZE_MAX, "contention", f);
}

static void scn_wire_changed(void *opaque, sim_net *net, bool level, uint64_t t)
{
    scn_wire_rt *w = opaque;
    (void)net;
    scn_sig_change_at(w->run, w->sig, level, t);
}

/* The wire (index) that holds node's pin, or NULL. */
static scn_wire_rt *scn_wire_of(scn_run *r, size_t node, unsigned pin)
{
    for (size_t i = 0; i < r->s->nwires; i++)
        for (size_t j = 0; j < r->s->wires[i].npins; j++)
            if (r->s->wires[i].pins[j].node == node && r->s->wires[i].pins[j].pin == pin)
                return &r->wires[i];
    return NULL;
}

static bool scn_setup_wires(scn_run *r, char *err, size_t errsize)
{
    const scenario *s = r->s;
    r->wires = calloc(s->nwires ? s->nwires : 1, sizeof(*r->wires));
    if (!r->wires) return sim_error(err, errsize, s->path, "out of memory");
    for (size_t i = 0; i < s->nwires; i++) {
        const scn_wire *cw = &s->wires[i];
        scn_wire_rt *w = &r->wires[i];
        char name[96];
        if (cw->name)
            snprintf(name, sizeof(name), "%s", cw->name);
        else
            snprintf(name, sizeof(name), "wire%zu", i);
        w->run = r;
        w->index = i;
        sim_net_init(&w->net, cw->name ? cw->name : "wire");
        w->net.on_contention = scn_net_contention;
        w->net.on_contention_opaque = r;
        w->board = sim_net_attach(&w->net, "board");
        sim_net_pullup(&w->net, w->board, cw->pullup, 0);
        for (size_t j = 0; j < cw->npins; j++) {
            const scn_wire_pin *wp = &cw->pins[j];
            esp8266 *m = r->nodes[wp->node].m;
            char *part = malloc(96);
            if (!part) return sim_error(err, errsize, s->path, "out of memory");
            if (wp->pin == SCN_PIN_RST)
                snprintf(part, 96, "%s.rst", s->nodes[wp->node].name);
            else
                snprintf(part, 96, "%s.gpio%u", s->nodes[wp->node].name, wp->pin);
            r->nodes[wp->node].parts[r->nodes[wp->node].nparts++] = part;
            if (!esp8266_pin_attach(m, wp->pin == SCN_PIN_RST ? ESP_PIN_RST : wp->pin, &w->net,
                                    part))
                return sim_error(err, errsize, s->path, "wires[%zu]: cannot attach %s", i, part);
        }
        w->sig = scn_sig_add(r, name, sim_net_level(&w->net));
        sim_net_listen(&w->net, &w->listener, scn_wire_changed, w);
    }
    return true;
}

/* ---- expect steps ---------------------------------------------------------------------------- */

static bool scn_is_ordered(const scn_expect *e)
{
    return e->kind != SCN_EXP_COUNTER;
}

static void scn_gpio_check(scn_run *r, uint64_t t);

static void scn_next_step(scn_run *r, uint64_t t)
{
    r->step++;
    while (r->step < r->s->nexpects && !scn_is_ordered(&r->s->expects[r->step]))
        r->step++;
    r->step_start = t;
    scn_gpio_check(r, t); /* a wait-gpio step whose pin already reads its level passes now */
}

static const char *scn_expect_name(const scn_expect *e)
{
    switch (e->kind) {
    case SCN_EXP_WAIT_SERIAL: return "wait-serial";
    case SCN_EXP_EXIT: return "expect-exit";
    case SCN_EXP_RESET_REASON: return "expect-reset-reason";
    case SCN_EXP_WAIT_GPIO: return "wait-gpio";
    case SCN_EXP_WAIT_ASI2C: return "wait-asi2c";
    default: return "counter";
    }
}

static void scn_step_result(scn_run *r, uint64_t t, bool passed, const char *msg)
{
    const scn_expect *e = &r->s->expects[r->step];
    scn_result *res = &r->res[r->step];
    res->done = true;
    res->passed = passed;
    res->t = t;
    snprintf(res->msg, sizeof(res->msg), "%s", msg);
    char f[700], js[600];
    scn_json_str(js, sizeof(js), msg, strlen(msg));
    snprintf(f, sizeof(f), ",\"step\":%zu,\"kind\":\"%s\",\"result\":\"%s\",\"detail\":\"%s\"",
             r->step + 1, scn_expect_name(e), passed ? "pass" : "fail", js);
    scn_event(r, t, e->node, "expect", f);
    if (!passed) {
        r->failed = true;
        r->stop = true;
        return;
    }
    scn_next_step(r, t);
    bool counters = false;
    for (size_t i = 0; i < r->s->nexpects; i++)
        counters |= !scn_is_ordered(&r->s->expects[i]);
    if (r->step >= r->s->nexpects && !counters) r->stop = true;
}

static const scn_expect *scn_current(scn_run *r)
{
    return r->step < r->s->nexpects ? &r->s->expects[r->step] : NULL;
}

/* ---- timeline actions ----------------------------------------------------------------------- */

static void scn_apply(scn_run *r, const scn_action *a, uint64_t now);

static void scn_action_event(void *opaque, sim_event *ev, uint64_t now)
{
    scn_action_rt *ar = opaque;
    (void)ev;
    /* a serial-triggered action due inside the last step takes effect at its end */
    scn_apply(ar->run, ar->a, now < ar->run->world.now ? ar->run->world.now : now);
}

static void scn_uart_event(void *opaque, sim_event *ev, uint64_t now)
{
    scn_uart_rt *u = opaque;
    (void)ev;
    scn_node_rt *n = &u->run->nodes[u->node];
    const scn_uart_input *in = &n->cfg->uart[u->k];
    sim_node_touch(&n->m->node);
    if (n->powered) esp_uart_inject(&n->m->uart[0], (const uint8_t *)in->text, in->len);
    char f[SCN_LINE_MAX * 6 + 32], js[SCN_LINE_MAX * 6];
    scn_json_str(js, sizeof(js), in->text, in->len);
    snprintf(f, sizeof(f), ",\"text\":\"%s\"", js);
    scn_event(u->run, now, u->node, "uart-input", f);
}

/* A stopped or powered-off node restarts at the world's time, not where its clock stopped. */
static void scn_revive(scn_node_rt *n, uint64_t now, enum esp_reset_cause cause)
{
    sim_node *sn = &n->m->node;
    sim_node_touch(sn); /* before its clock is moved */
    uint64_t c = sim_node_cycle_at_global(sn, now);
    if (c > sn->cpu.cycles) sn->cpu.cycles = c;
    n->powered = true;
    n->faulted = false;
    n->halted = false;
    n->fault_seen = false;
    n->run->poll = true;
    esp8266_reset(n->m, cause);
}

static void scn_power_on_event(void *opaque, sim_event *ev, uint64_t now)
{
    scn_node_rt *n = opaque;
    (void)ev;
    scn_event(n->run, now, n->index, "power-on", NULL);
    scn_revive(n, now, ESP_RESET_POWER_ON);
}

static void scn_power_off(scn_node_rt *n, uint64_t now)
{
    n->powered = false;
    esp8266_power_off(n->m); /* UARTs drain, pins released, the node halts */
    n->halted = true;
    n->fault_seen = true;
    if (n->run->radio) cli_radio_stop(n->run->radio, n->index);
    scn_event(n->run, now, n->index, "power-off", NULL);
}

static void scn_apply(scn_run *r, const scn_action *a, uint64_t now)
{
    scn_node_rt *n = &r->nodes[a->node];
    static const char *const crash_names[] = {"halt", "hang", "exception", "reset", "power-cycle"};
    char f[SCN_LINE_MAX * 6 + 64];
    sim_node_touch(&n->m->node); /* every action changes or reads its node */
    switch (a->kind) {
    case SCN_ACT_RESET:
        scn_event(r, now, a->node, "action", ",\"action\":\"reset\"");
        scn_revive(n, now, ESP_RESET_EXTERNAL);
        break;
    case SCN_ACT_POWER_OFF:
        if (n->powered) scn_power_off(n, now);
        break;
    case SCN_ACT_POWER_ON:
        if (!n->powered) {
            scn_event(r, now, a->node, "power-on", NULL);
            scn_revive(n, now, ESP_RESET_POWER_ON);
        }
        break;
    case SCN_ACT_UART_INJECT: {
        char js[SCN_LINE_MAX * 6];
        scn_json_str(js, sizeof(js), a->text, a->text_len);
        snprintf(f, sizeof(f), ",\"action\":\"uart-inject\",\"text\":\"%s\"", js);
        scn_event(r, now, a->node, "action", f);
        if (n->powered) esp_uart_inject(&n->m->uart[0], (const uint8_t *)a->text, a->text_len);
        break;
    }
    case SCN_ACT_GPIO: {
        /* the outside world drives the pin; it keeps doing so across resets and power-offs */
        snprintf(f, sizeof(f), ",\"action\":\"gpio\",\"pin\":%u,\"level\":\"%s\"", a->pin,
                 a->level < 0 ? "release"
                 : a->level   ? "1"
                              : "0");
        scn_event(r, now, a->node, "action", f);
        scn_wire_rt *w = scn_wire_of(r, a->node, a->pin);
        if (w) { /* a wired pin: the scenario drives the wire (contention is reported) */
            sim_net_drive(&w->net, w->board,
                          a->level < 0 ? SIM_DRIVE_Z
                          : a->level   ? SIM_DRIVE_HIGH
                                       : SIM_DRIVE_LOW,
                          now);
            break;
        }
        sim_wire *ext = &n->m->soc.gpio_ext;
        uint32_t bit = 1u << a->pin, v = ext->value & ~(bit << 16 | bit);
        if (a->level >= 0) v |= bit << 16 | (a->level ? bit : 0u);
        sim_wire_set(ext, v);
        break;
    }
    case SCN_ACT_ASI2C_SEND: {
        scn_peer_rt *p = &r->peers[a->peer];
        char js[SCN_LINE_MAX * 4];
        scn_json_str(js, sizeof(js), a->text, a->text_len < 512 ? a->text_len : 512);
        bool ok = asi2c_send(&p->a, a->text, a->text_len);
        snprintf(f, sizeof(f), ",\"action\":\"asi2c-send\",\"peer\":\"%s\",\"text\":\"%s\"%s",
                 p->cfg->name, js, ok ? "" : ",\"refused\":\"the peer's write queue is full\"");
        scn_event(r, now, a->node, "action", f);
        break;
    }
    case SCN_ACT_ASI2C_FAULT: {
        static const char *const fnames[] = {"nack", "stretch", "sync-stuck", "oversize"};
        scn_peer_rt *p = &r->peers[a->peer];
        asi2c_fault_kind k = ASI2C_FAULT_OVERSIZE;
        uint64_t param = 1;
        switch (a->fault) {
        case SCN_FAULT_NACK:
            k = ASI2C_FAULT_NACK;
            param = a->count;
            break;
        case SCN_FAULT_STRETCH:
            k = ASI2C_FAULT_STRETCH;
            param = a->duration_ps;
            break;
        case SCN_FAULT_SYNC_STUCK:
            k = a->level ? ASI2C_FAULT_SYNC_STUCK_HIGH : ASI2C_FAULT_SYNC_STUCK_LOW;
            param = a->duration_ps;
            break;
        case SCN_FAULT_OVERSIZE: break;
        }
        snprintf(f, sizeof(f), ",\"action\":\"asi2c-fault\",\"peer\":\"%s\",\"kind\":\"%s\"",
                 p->cfg->name, fnames[a->fault]);
        scn_event(r, now, a->node, "action", f);
        asi2c_fault(&p->a, k, param, now);
        break;
    }
    case SCN_ACT_CRASH:
        snprintf(f, sizeof(f), ",\"action\":\"crash\",\"kind\":\"%s\"", crash_names[a->crash]);
        scn_event(r, now, a->node, "action", f);
        if (!n->powered) break;
        switch (a->crash) {
        case SCN_CRASH_HALT:
            esp8266_crash(n->m, ESP_CRASH_HALT);
            n->halted = true;
            n->fault_seen = false;
            n->run->poll = true;
            break;
        case SCN_CRASH_HANG: esp8266_crash(n->m, ESP_CRASH_HANG); break;
        case SCN_CRASH_EXCEPTION: esp8266_crash(n->m, ESP_CRASH_EXCEPTION); break;
        case SCN_CRASH_RESET: scn_revive(n, now, ESP_RESET_EXTERNAL); break;
        case SCN_CRASH_POWER_CYCLE:
            scn_power_off(n, now);
            if (!sim_event_pending(&r->power_on_ev[a->node]))
                sim_sched_at(&r->world.sched, &r->power_on_ev[a->node],
                             now + (a->off_for_ps ? a->off_for_ps : 100000000000ull));
            break;
        }
        break;
    case SCN_ACT_RADIO_OFF:
    case SCN_ACT_RADIO_ON:
    case SCN_ACT_MOVE:
    case SCN_ACT_PARTITION:
    case SCN_ACT_HEAL:
    case SCN_ACT_LINK_LOSS:
        if (r->radio) cli_radio_apply(r->radio, a, now);
        break;
    }
}

/* The radio's frames: the viewer, and TX/RX airtime spans in trace.json. */
static void scn_air(void *opaque, const radio_air_info *a)
{
    scn_run *r = opaque;
    if (r->view) cli_view_air(r->view, a);
    if (!r->trace_f) return;
    char args[96];
    snprintf(args, sizeof(args), "\"bytes\":%zu,\"channel\":%u,\"kbps\":%u", a->len, a->channel,
             a->rate_kbps);
    sim_trace_span(&r->trace, (unsigned)a->from + 1, SIM_TRACE_TID_RADIO,
                   a->is_ack ? "tx ack" : "tx", "radio", a->t_start_ps, a->t_end_ps, args);
    if (a->to != SIZE_MAX && a->received)
        sim_trace_span(&r->trace, (unsigned)a->to + 1, SIM_TRACE_TID_RADIO_RX,
                       a->is_ack ? "rx ack" : "rx", "radio", a->t_start_ps, a->t_end_ps, args);
}

static void scn_radio_event(void *opaque, uint64_t t, size_t node, const char *event,
                            const char *fields)
{
    scn_event(opaque, t, node, event, fields);
}

/* ---- asi2c peers (models/i2c/asi2c.h) ------------------------------------------------------ */

static scn_peer_rt *scn_peer_of_line(scn_peer_rt *p, unsigned pin, i2c_line *line)
{
    *line = pin == p->cfg->scl ? I2C_SCL : I2C_SDA;
    return p;
}

static void scn_i2c_contention(scn_peer_rt *p, i2c_line line, uint64_t t)
{
    if (p->contending[line]) return;
    p->contending[line] = true;
    p->i2c_contentions++;
    char f[400];
    snprintf(f, sizeof(f), ",\"wire\":\"%s\",\"high\":[\"%s.gpio%u\"],\"low\":[\"%s\"]",
             p->names[line == I2C_SCL ? 0 : 1], p->node->cfg->name,
             line == I2C_SCL ? p->cfg->scl : p->cfg->sda, p->cfg->name);
    scn_event(p->run, t < p->run->world.now ? p->run->world.now : t, p->node->index, "contention",
              f);
}

/* The responder drives SCL or SDA: on an open-drain bus, low pulls, anything else releases. */
static void scn_i2c_pin_drive(void *opaque, unsigned pin, sim_drive d, bool pullup, uint64_t t)
{
    scn_peer_rt *p = opaque;
    i2c_line line;
    (void)pullup; /* the bus always has the board's pull-ups */
    scn_peer_of_line(p, pin, &line);
    p->esp_high[line] = d == SIM_DRIVE_HIGH;
    if (!p->esp_high[line]) p->contending[line] = false;
    i2c_bus_drive(&p->bus, p->esp_id, line, d != SIM_DRIVE_LOW, t);
    if (p->esp_high[line] && !i2c_bus_level(&p->bus, line)) scn_i2c_contention(p, line, t);
}

static void scn_i2c_bus_edge(void *opaque, const i2c_edge *e)
{
    scn_peer_rt *p = opaque;
    unsigned pin = e->line == I2C_SCL ? p->cfg->scl : p->cfg->sda;
    esp8266_pin_input(p->node->m, pin, e->level, e->t_ps);
    scn_sig_change_at(p->run, p->sig[e->line == I2C_SCL ? 0 : 1], e->level, e->t_ps);
    if (e->level)
        p->contending[e->line] = false;
    else if (p->esp_high[e->line])
        scn_i2c_contention(p, e->line, e->t_ps);
}

static void scn_peer_drive_syn(void *opaque, bool high, uint64_t t)
{
    scn_peer_rt *p = opaque;
    sim_net_drive(&p->syn, p->syn_id, high ? SIM_DRIVE_HIGH : SIM_DRIVE_LOW, t);
}

static void scn_peer_drive_rst(void *opaque, bool high, uint64_t t)
{
    scn_peer_rt *p = opaque;
    sim_net_drive(&p->rst, p->rst_id, high ? SIM_DRIVE_HIGH : SIM_DRIVE_LOW, t);
}

static bool scn_peer_read_ack(void *opaque)
{
    scn_peer_rt *p = opaque;
    return sim_net_level(&p->ack);
}

static void scn_peer_ack(void *opaque, sim_net *net, bool level, uint64_t t)
{
    scn_peer_rt *p = opaque;
    (void)net;
    scn_sig_change_at(p->run, p->sig[3], level, t);
    asi2c_ack_changed(&p->a, level, t);
}

static void scn_peer_syn(void *opaque, sim_net *net, bool level, uint64_t t)
{
    scn_peer_rt *p = opaque;
    (void)net;
    scn_sig_change_at(p->run, p->sig[2], level, t);
}

static void scn_peer_rst(void *opaque, sim_net *net, bool level, uint64_t t)
{
    scn_peer_rt *p = opaque;
    (void)net;
    scn_sig_change_at(p->run, p->sig[4], level, t);
}

/* Traffic line k: "%06llu " then 'a'.. up to traffic_len - 1 bytes, then '\n'. */
static size_t scn_traffic_line(const scn_asi2c *c, uint64_t k, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%06llu ", (unsigned long long)k);
    while (n + 2 < size && n < c->traffic_len - 1) {
        buf[n] = (char)('a' + (k + n) % 26);
        n++;
    }
    buf[n++] = '\n';
    return n;
}

/* Queues traffic lines while the model takes them (every = 0), or one line per tick. */
static void scn_traffic_fill(scn_peer_rt *p)
{
    const scn_asi2c *c = p->cfg;
    char buf[1100];
    while (p->sent < c->traffic_lines) {
        size_t n = scn_traffic_line(c, p->sent, buf, sizeof(buf));
        if (!asi2c_send(&p->a, buf, n)) break;
        p->sent++;
        if (c->traffic_every_ps) break;
    }
}

static void scn_traffic_event(void *opaque, sim_event *ev, uint64_t now)
{
    scn_peer_rt *p = opaque;
    scn_traffic_fill(p);
    if (p->cfg->traffic_every_ps && p->sent < p->cfg->traffic_lines)
        sim_sched_at(&p->run->world.sched, ev, now + p->cfg->traffic_every_ps);
}

/* Whether a received line is a traffic echo; if so, checks it. */
static bool scn_traffic_rx(scn_peer_rt *p, const char *text, size_t len)
{
    const scn_asi2c *c = p->cfg;
    if (!c->traffic_lines || len < 7 || text[6] != ' ') return false;
    uint64_t k = 0;
    for (int i = 0; i < 6; i++) {
        if (text[i] < '0' || text[i] > '9') return false;
        k = k * 10 + (uint64_t)(text[i] - '0');
    }
    char want[1100];
    size_t n = scn_traffic_line(c, k, want, sizeof(want));
    if (k >= c->traffic_lines || n - 1 != len || memcmp(want, text, len)) {
        p->garbled++;
        return true;
    }
    if (p->seen[k]) {
        p->duplicated++;
    } else {
        p->echoed++;
        if (k + 1 < p->max_seen) p->reordered++;
    }
    if (p->seen[k] < 255) p->seen[k]++;
    if (k + 1 > p->max_seen) p->max_seen = k + 1;
    return true;
}

/* Traffic lines never echoed although a later one was. */
static uint64_t scn_traffic_lost(const scn_peer_rt *p)
{
    uint64_t lost = 0;
    for (uint64_t k = 0; k < p->max_seen; k++)
        lost += !p->seen[k];
    return lost;
}

static void scn_peer_stat_fields(scn_peer_rt *p, char *f, size_t size)
{
    const asi2c_counters *c = &p->a.cnt;
    snprintf(f, size,
             ",\"peer\":\"%s\",\"nboots\":%llu,\"exchanges\":%llu,\"block_max_us\":%llu,"
             "\"block_mean_us\":%llu,\"lines_tx\":%llu,\"lines_rx\":%llu,\"echoed\":%llu,"
             "\"lost\":%llu,\"duplicated\":%llu,\"reordered\":%llu,\"garbled\":%llu,"
             "\"recoveries\":%llu,\"recovery_max_us\":%llu",
             p->cfg->name, (unsigned long long)c->nboots, (unsigned long long)c->exchanges_done,
             (unsigned long long)c->block_max,
             (unsigned long long)(c->block_cnt ? c->block_sum / c->block_cnt : 0),
             (unsigned long long)c->lines_tx, (unsigned long long)c->lines_rx,
             (unsigned long long)p->echoed, (unsigned long long)scn_traffic_lost(p),
             (unsigned long long)p->duplicated, (unsigned long long)p->reordered,
             (unsigned long long)p->garbled, (unsigned long long)p->recoveries,
             (unsigned long long)(p->recovery_max_ps / 1000000u));
}

static void scn_stats_event(void *opaque, sim_event *ev, uint64_t now)
{
    scn_peer_rt *p = opaque;
    char f[1024];
    scn_peer_stat_fields(p, f, sizeof(f));
    scn_event(p->run, now, p->node->index, "asi2c-stats", f);
    if (now + p->cfg->stats_every_ps < p->run->s->duration_ps) /* the end has its own */
        sim_sched_at(&p->run->world.sched, ev, now + p->cfg->stats_every_ps);
}

static uint64_t scn_peer_stat(scn_peer_rt *p, scn_stat st)
{
    const asi2c_counters *c = &p->a.cnt;
    switch (st) {
    case SCN_STAT_NBOOTS: return c->nboots;
    case SCN_STAT_EXCHANGES: return c->exchanges_done;
    case SCN_STAT_LINES_TX: return c->lines_tx;
    case SCN_STAT_LINES_RX: return c->lines_rx;
    case SCN_STAT_LOST: return scn_traffic_lost(p);
    case SCN_STAT_DUPLICATED: return p->duplicated;
    case SCN_STAT_REORDERED: return p->reordered;
    case SCN_STAT_BLOCK_MAX_US: return c->block_max;
    case SCN_STAT_RECOVERY_MAX_US: return p->recovery_max_ps / 1000000u;
    case SCN_STAT_CONTENTIONS:
        return p->i2c_contentions + p->syn.contentions + p->ack.contentions + p->rst.contentions;
    case SCN_STAT_NONE: break;
    }
    return 0;
}

static void scn_peer_line(void *opaque, const char *text, size_t len, uint64_t t)
{
    scn_peer_rt *p = opaque;
    scn_run *r = p->run;
    if (scn_traffic_rx(p, text, len)) return;
    char js[SCN_LINE_MAX * 6], f[SCN_LINE_MAX * 6 + 128];
    scn_json_str(js, sizeof(js), text, len < SCN_LINE_MAX ? len : SCN_LINE_MAX);
    snprintf(f, sizeof(f), ",\"peer\":\"%s\",\"text\":\"%s\"", p->cfg->name, js);
    scn_event(r, t, p->node->index, "asi2c-rx", f);
    char line[SCN_LINE_MAX];
    size_t n = len < SCN_LINE_MAX - 1 ? len : SCN_LINE_MAX - 1;
    if (n) memcpy(line, text, n);
    line[n] = 0;
    for (size_t i = 0; i < r->s->nexpects; i++) {
        const scn_expect *e = &r->s->expects[i];
        if (e->kind == SCN_EXP_COUNTER && e->on_peer && e->peer == p->index &&
            e->stat == SCN_STAT_NONE && regexec(&e->pattern.re, line, 0, NULL, 0) == 0)
            r->counts[i]++;
    }
    const scn_expect *e = scn_current(r);
    if (e && e->kind == SCN_EXP_WAIT_ASI2C && e->peer == p->index && !r->stop &&
        !(e->timeout_ps && t > r->step_start + e->timeout_ps) &&
        regexec(&e->pattern.re, line, 0, NULL, 0) == 0) {
        char msg[SCN_LINE_MAX + 64];
        snprintf(msg, sizeof(msg), "matched \"%s\"", line);
        scn_step_result(r, t, true, msg);
    }
}

static void scn_peer_event(void *opaque, const asi2c_event *e)
{
    scn_peer_rt *p = opaque;
    scn_run *r = p->run;
    uint64_t t = e->t_ps < r->world.now ? r->world.now : e->t_ps;
    char f[1024];
    int o = snprintf(f, sizeof(f), ",\"peer\":\"%s\",\"what\":\"%s\"", p->cfg->name,
                     asi2c_event_name(e->kind));
    size_t so = (size_t)o;
    switch (e->kind) {
    case ASI2C_EV_EXCHANGE_START:
        for (size_t i = 0; i < r->s->ntimeline; i++) {
            scn_action_rt *ar = &r->acts[i];
            const scn_action *a = ar->a;
            if (a->trigger != SCN_TRIG_EXCHANGE || ar->fired || a->on_node != p->index ||
                a->exchange != e->index)
                continue;
            ar->fired = true;
            sim_sched_at(&r->world.sched, &ar->ev, t + a->delay_ps);
        }
        return; /* not logged: one per t_poll */
    case ASI2C_EV_EXCHANGE_DONE:
        if (r->trace_f) {
            char args[96];
            snprintf(args, sizeof(args), "\"index\":%llu,\"tx\":%zu,\"rx\":%zu",
                     (unsigned long long)e->index, e->tx_bytes, e->rx_bytes);
            uint64_t d = e->duration_us * 1000000u;
            sim_trace_span(&r->trace, (unsigned)p->node->index + 1, SIM_TRACE_TID_I2C, "exchange",
                           "i2c", e->t_ps > d ? e->t_ps - d : 0, e->t_ps, args);
        }
        if (p->recovering) {
            p->recovering = false;
            p->recoveries++;
            uint64_t d = e->t_ps - p->fail_ps;
            if (d > p->recovery_max_ps) p->recovery_max_ps = d;
            snprintf(f + so, sizeof(f) - so, ",\"index\":%llu,\"recovery_us\":%llu",
                     (unsigned long long)e->index, (unsigned long long)(d / 1000000u));
            scn_event(r, t, p->node->index, "asi2c", f);
        }
        if (!p->cfg->traffic_every_ps) scn_traffic_fill(p);
        return;
    case ASI2C_EV_FAILURE:
        p->recovering = true; /* recovery counts from the latest failure */
        p->fail_ps = e->t_ps;
        snprintf(f + so, sizeof(f) - so, ",\"index\":%llu,\"step\":\"%s\",\"reason\":\"%s\"",
                 (unsigned long long)e->index, asi2c_step_name(e->step),
                 asi2c_fail_name(e->reason));
        break;
    case ASI2C_EV_REBOOT:
        snprintf(f + so, sizeof(f) - so, ",\"nboots\":%llu", (unsigned long long)e->n);
        break;
    case ASI2C_EV_OVERSIZE:
        snprintf(f + so, sizeof(f) - so, ",\"index\":%llu,\"n\":%llu", (unsigned long long)e->index,
                 (unsigned long long)e->n);
        break;
    case ASI2C_EV_DEAD:
        snprintf(f + so, sizeof(f) - so, ",\"reason\":\"%s\"", asi2c_fail_name(e->reason));
        break;
    case ASI2C_EV_FAULT:
    case ASI2C_EV_FAULT_APPLIED:
        snprintf(f + so, sizeof(f) - so, ",\"fault\":\"%s\",\"param\":%llu",
                 asi2c_fault_name(e->fault), (unsigned long long)e->param);
        break;
    case ASI2C_EV_LINE_DROPPED:
        snprintf(f + so, sizeof(f) - so, ",\"bytes\":%llu", (unsigned long long)e->n);
        break;
    case ASI2C_EV_I2C_ERROR:
        snprintf(f + so, sizeof(f) - so, ",\"error\":\"%s\",\"step\":\"%s\"",
                 asi2c_i2c_error_name(e->error), asi2c_step_name(e->step));
        break;
    default: break;
    }
    scn_event(r, t, p->node->index, "asi2c", f);
}

static bool scn_setup_peer(scn_run *r, size_t i, char *err, size_t errsize)
{
    const scn_asi2c *c = &r->s->asi2c[i];
    scn_peer_rt *p = &r->peers[i];
    p->run = r;
    p->index = i;
    p->cfg = c;
    p->node = &r->nodes[c->node];
    esp8266 *m = p->node->m;
    static const char *const sfx[5] = {"scl", "sda", "syn", "ack", "rst"};
    for (int k = 0; k < 5; k++)
        snprintf(p->names[k], sizeof(p->names[k]), "%s_%s", c->name, sfx[k]);
    /* the bus: SCL and SDA with the board's pull-ups; the responder as a participant */
    i2c_bus_init(&p->bus);
    asi2c_config ac = asi2c_config_default();
    ac.t_poll_ps = c->t_poll_ps;
    ac.rxbufsize = (uint16_t)(c->rxbufsize > ASI2C_RXBUF_MAX ? ASI2C_RXBUF_MAX : c->rxbufsize);
    if (c->arm_set) ac.arm_ps = c->arm_ps;
    if (c->read_set) ac.app_read_ps = c->app_read_ps;
    ac.rst_enabled = c->reset;
    ac.rst_active_level = c->reset_level != 0;
    ac.rst_pulse_ps = c->reset_pulse_ps;
    ac.compat =
        c->compat == SCN_COMPAT_MICROPYTHON_V3 ? ASI2C_COMPAT_MICROPYTHON_V3 : ASI2C_COMPAT_NONE;
    ac.on_line = scn_peer_line;
    ac.on_event = scn_peer_event;
    ac.opaque = p;
    asi2c_pins pins = {scn_peer_drive_syn, c->reset ? scn_peer_drive_rst : NULL, scn_peer_read_ack,
                       p};
    /* SYN (Initiator push-pull, high until started), ACK (Initiator input with pull-up), RST */
    sim_net_init(&p->syn, p->names[2]);
    sim_net_init(&p->ack, p->names[3]);
    sim_net_init(&p->rst, p->names[4]);
    sim_net *nets[3] = {&p->syn, &p->ack, &p->rst};
    for (int k = 0; k < 3; k++) {
        nets[k]->on_contention = scn_net_contention;
        nets[k]->on_contention_opaque = r;
    }
    p->syn_id = sim_net_attach(&p->syn, c->name);
    p->ack_id = sim_net_attach(&p->ack, c->name);
    sim_net_drive(&p->syn, p->syn_id, SIM_DRIVE_HIGH, 0);
    sim_net_pullup(&p->ack, p->ack_id, true, 0);
    if (!asi2c_init(&p->a, &ac, &p->bus, &r->world.sched, &pins))
        return sim_error(err, errsize, r->s->path, "asi2c[%zu]: bad initiator configuration", i);
    p->esp_id = i2c_bus_attach(&p->bus);
    if (p->esp_id < 0) return sim_error(err, errsize, r->s->path, "asi2c[%zu]: bus full", i);
    p->sig[0] = scn_sig_add(r, p->names[0], true);
    p->sig[1] = scn_sig_add(r, p->names[1], true);
    i2c_bus_listen(&p->bus, &p->bus_listener, scn_i2c_bus_edge, p);
    const char *node = r->s->nodes[c->node].name;
    char *part[5];
    for (int k = 0; k < 5; k++) {
        part[k] = malloc(96);
        if (!part[k]) return sim_error(err, errsize, r->s->path, "out of memory");
        p->node->parts[p->node->nparts++] = part[k];
    }
    snprintf(part[0], 96, "%s.gpio%u", node, c->scl);
    snprintf(part[1], 96, "%s.gpio%u", node, c->sda);
    snprintf(part[2], 96, "%s.gpio%u", node, c->syn);
    snprintf(part[3], 96, "%s.gpio%u", node, c->ack);
    snprintf(part[4], 96, "%s.rst", node);
    if (!esp8266_pin_connect(m, c->scl, scn_i2c_pin_drive, p, true) ||
        !esp8266_pin_connect(m, c->sda, scn_i2c_pin_drive, p, true) ||
        !esp8266_pin_attach(m, c->syn, &p->syn, part[2]) ||
        !esp8266_pin_attach(m, c->ack, &p->ack, part[3]))
        return sim_error(err, errsize, r->s->path, "asi2c[%zu]: cannot wire node %s", i, node);
    p->sig[2] = scn_sig_add(r, p->names[2], sim_net_level(&p->syn));
    p->sig[3] = scn_sig_add(r, p->names[3], sim_net_level(&p->ack));
    sim_net_listen(&p->syn, &p->syn_l, scn_peer_syn, p);
    sim_net_listen(&p->ack, &p->ack_l, scn_peer_ack, p);
    if (c->reset) {
        p->rst_id = sim_net_attach(&p->rst, c->name);
        sim_net_drive(&p->rst, p->rst_id, c->reset_level ? SIM_DRIVE_LOW : SIM_DRIVE_HIGH, 0);
        if (!esp8266_pin_attach(m, ESP_PIN_RST, &p->rst, part[4]))
            return sim_error(err, errsize, r->s->path, "asi2c[%zu]: RST of %s already wired", i,
                             node);
        p->sig[4] = scn_sig_add(r, p->names[4], sim_net_level(&p->rst));
        sim_net_listen(&p->rst, &p->rst_l, scn_peer_rst, p);
    } else {
        p->sig[4] = SIZE_MAX;
    }
    asi2c_ack_changed(&p->a, sim_net_level(&p->ack), 0);
    if (c->traffic_lines) {
        p->seen = calloc(c->traffic_lines, 1);
        if (!p->seen) return sim_error(err, errsize, r->s->path, "out of memory");
        sim_event_init(&p->traffic_ev, "asi2c-traffic", scn_traffic_event, p, 2);
        sim_sched_at(&r->world.sched, &p->traffic_ev, c->traffic_start_ps);
    }
    if (c->stats_every_ps && c->stats_every_ps < r->s->duration_ps) {
        sim_event_init(&p->stats_ev, "asi2c-stats", scn_stats_event, p, 3);
        sim_sched_at(&r->world.sched, &p->stats_ev, c->stats_every_ps);
    }
    /* the Initiator reacts at once to edges, but arms its slave arm_ps after deciding to: the
     * world must not step past that while the responder runs */
    sim_world_limit_quantum(&r->world, ac.arm_ps ? ac.arm_ps : 1000000ull);
    asi2c_start(&p->a, 0);
    return true;
}

/* ---- node observers ------------------------------------------------------------------------ */

static void scn_line_done(scn_node_rt *n, uint64_t t)
{
    scn_run *r = n->run;
    n->line[n->line_len] = 0;
    char ts[32];
    sim_format_seconds(n->line_t0, ts, sizeof(ts));
    if (n->uart_log) fprintf(n->uart_log, "[%12s] %s\n", ts, n->line);
    char f[SCN_LINE_MAX * 6 + 32], js[SCN_LINE_MAX * 6];
    scn_json_str(js, sizeof(js), n->line, n->line_len);
    snprintf(f, sizeof(f), ",\"text\":\"%s\"", js);
    scn_event(r, t, n->index, "uart", f);
    size_t keep = n->line_len < sizeof(n->last_line) - 1 ? n->line_len : sizeof(n->last_line) - 1;
    if (keep) memcpy(n->last_line, n->line, keep);
    n->last_line[keep] = 0;
    /* counters */
    for (size_t i = 0; i < r->s->nexpects; i++) {
        const scn_expect *e = &r->s->expects[i];
        if (e->kind == SCN_EXP_COUNTER && !e->on_peer && e->node == n->index &&
            regexec(&e->pattern.re, n->line, 0, NULL, 0) == 0)
            r->counts[i]++;
    }
    /* serial triggers */
    for (size_t i = 0; i < r->s->ntimeline; i++) {
        scn_action_rt *ar = &r->acts[i];
        const scn_action *a = ar->a;
        if (a->trigger != SCN_TRIG_SERIAL || ar->fired || a->on_node != n->index) continue;
        if (regexec(&a->on_serial.re, n->line, 0, NULL, 0) != 0) continue;
        ar->fired = true;
        sim_sched_at(&r->world.sched, &ar->ev, t + a->delay_ps);
    }
    /* the current ordered step */
    const scn_expect *e = scn_current(r);
    if (e && e->kind == SCN_EXP_WAIT_SERIAL && e->node == n->index && !r->stop &&
        !(e->timeout_ps && t > r->step_start + e->timeout_ps) &&
        regexec(&e->pattern.re, n->line, 0, NULL, 0) == 0) {
        char msg[SCN_LINE_MAX + 64];
        snprintf(msg, sizeof(msg), "matched \"%s\"", n->line);
        scn_step_result(r, t, true, msg);
    }
    n->line_len = 0;
}

static void scn_console(void *opaque, unsigned uart, uint8_t byte, uint64_t t)
{
    scn_node_rt *n = opaque;
    if (uart != 0 || byte == '\r') return;
    if (n->line_len == 0) n->line_t0 = t;
    if (byte == '\n' || n->line_len == SCN_LINE_MAX - 1) {
        if (byte != '\n') n->line[n->line_len++] = (char)byte;
        scn_line_done(n, t);
        return;
    }
    n->line[n->line_len++] = (char)byte;
}

static void scn_on_reset(void *opaque, enum esp_reset_cause cause, const uint32_t info[7])
{
    scn_node_rt *n = opaque;
    scn_run *r = n->run;
    uint64_t t = sim_node_global_now(&n->m->node);
    if (t < r->world.now) t = r->world.now;
    static const char *const causes[] = {"?",        "power-on", "external",
                                         "software", "watchdog", "deep-sleep"};
    char f[160];
    snprintf(f, sizeof(f), ",\"cause\":\"%s\",\"reason\":\"%s\"",
             (unsigned)cause < 6 ? causes[cause] : "?", scn_reason_name((int)info[0]));
    scn_event(r, t, n->index, "reset", f);
    if (r->radio) cli_radio_reset(r->radio, n->index);
    n->line_len = 0;
    /* a stopped node that its RST pin brought back (a peer's reset line) runs again */
    n->faulted = false;
    n->halted = false;
    n->fault_seen = false;
    n->run->poll = true;
    n->last_reason = (int)info[0];
    const scn_expect *e = scn_current(r);
    if (e && e->kind == SCN_EXP_RESET_REASON && e->node == n->index && !r->stop) {
        char msg[160];
        snprintf(msg, sizeof(msg), "expected reset reason %s, got %s", scn_reason_name(e->reason),
                 scn_reason_name((int)info[0]));
        scn_step_result(r, t, (int)info[0] == e->reason, msg);
    }
}

/* Deep sleep: the node went to sleep (and when its RTC alarm will fire), or the alarm fired
 * with nothing to wake it (GPIO16 not wired to RST). */
static void scn_on_sleep(void *opaque, enum esp_sleep_event ev, uint64_t t_local)
{
    scn_node_rt *n = opaque;
    scn_run *r = n->run;
    sim_node *sn = &n->m->node;
    uint64_t t = sim_node_global_now(sn);
    if (t < r->world.now) t = r->world.now;
    char f[200];
    if (ev == ESP_SLEEP_ENTER) {
        snprintf(f, sizeof(f), ",\"alarm_ps\":%llu,\"gpio16_rst\":%s",
                 (unsigned long long)sim_node_global_from_local(sn, t_local),
                 n->m->cfg.gpio16_rst ? "true" : "false");
        scn_event(r, t, n->index, "deep-sleep", f);
    } else {
        scn_event(r, sim_node_global_from_local(sn, t_local), n->index, "rtc-alarm",
                  ",\"wake\":false,\"detail\":\"GPIO16 is not wired to RST (gpio16_rst): the node "
                  "stays asleep\"");
    }
}

/* The current step, if it is a wait-gpio whose pin reads its level now (global time t). */
static void scn_gpio_check(scn_run *r, uint64_t t)
{
    const scn_expect *e = scn_current(r);
    if (!e || e->kind != SCN_EXP_WAIT_GPIO || r->stop) return;
    if (e->timeout_ps && t > r->step_start + e->timeout_ps) return;
    unsigned lv = esp_gpio_levels(&r->nodes[e->node].m->soc) >> e->pin & 1u;
    if ((int)lv != e->level) return;
    char msg[64];
    snprintf(msg, sizeof(msg), "GPIO%u reads %u", e->pin, lv);
    scn_step_result(r, t, true, msg);
}

/* ---- NODE.gpio.vcd: one wire per GPIO0-15, identifiers 'A'+n, times in ns (global) ---- */

static void scn_vcd_header(scn_node_rt *n, uint16_t levels)
{
    FILE *f = n->vcd;
    fprintf(f, "$comment espsim scenario %s, node %s: GPIO0-15 pin levels $end\n",
            n->run->s->name ? n->run->s->name : "", n->cfg->name);
    fprintf(f, "$timescale 1ns $end\n$scope module %s $end\n", n->cfg->name);
    for (unsigned p = 0; p < 16; p++)
        fprintf(f, "$var wire 1 %c gpio%u $end\n", 'A' + p, p);
    fprintf(f, "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n");
    for (unsigned p = 0; p < 16; p++)
        fprintf(f, "%u%c\n", levels >> p & 1u, 'A' + p);
    fprintf(f, "$end\n");
    n->vcd_levels = levels;
}

/* Records the levels at global time t_ps (non-decreasing per node). */
static void scn_vcd_change(scn_node_rt *n, uint64_t t_ps, uint16_t levels)
{
    uint16_t diff = levels ^ n->vcd_levels;
    if (!n->vcd || !diff) return;
    uint64_t t = t_ps / 1000u;
    if (t > n->vcd_t) fprintf(n->vcd, "#%" PRIu64 "\n", t);
    n->vcd_t = t > n->vcd_t ? t : n->vcd_t;
    for (unsigned p = 0; p < 16; p++)
        if (diff >> p & 1u) fprintf(n->vcd, "%u%c\n", levels >> p & 1u, 'A' + p);
    n->vcd_levels = levels;
}

/* A node's pin levels changed (a guest register write, or a gpio action). */
static void scn_gpio_change(void *opaque, sim_wire *w, uint32_t value)
{
    scn_node_rt *n = opaque;
    (void)w;
    uint64_t t = sim_node_global_now(&n->m->node);
    if (t < n->run->world.now) t = n->run->world.now;
    if (n->run->trace_f) {
        uint16_t diff = (uint16_t)value ^ n->vcd_levels;
        for (unsigned pin = 0; pin < 16; pin++)
            if (diff >> pin & 1u) {
                char name[32];
                snprintf(name, sizeof(name), "GPIO%u=%u", pin, (unsigned)(value >> pin & 1u));
                sim_trace_instant(&n->run->trace, (unsigned)n->index + 1, SIM_TRACE_TID_GPIO, name,
                                  "gpio", t, NULL);
            }
    }
    scn_vcd_change(n, t, (uint16_t)value);
    const scn_expect *e = scn_current(n->run);
    if (e && e->node == n->index) scn_gpio_check(n->run, t);
}

/* After each step: nodes that stopped (fault or halt) since the last look. */
static void scn_node_stopped(void *opaque, sim_node *sn)
{
    scn_node_rt *n = opaque;
    (void)sn;
    n->run->poll = true;
}

/* Reports nodes that stopped; a no-op (not a scan of every node) unless one may have. */
static void scn_poll_nodes(scn_run *r)
{
    if (!r->poll) return;
    r->poll = false;
    for (size_t i = 0; i < r->s->nnodes; i++) {
        scn_node_rt *n = &r->nodes[i];
        sim_node *sn = &n->m->node;
        if (sn->state == SIM_NODE_RUNNING || n->fault_seen) continue;
        n->fault_seen = true;
        if (r->radio) cli_radio_stop(r->radio, i);
        uint64_t t = sim_node_global_now(sn);
        bool fault = sn->state == SIM_NODE_FAULTED;
        int cause = (int)(sn->cpu.sr[XT_SR_EXCCAUSE] & 63u);
        char f[1400], js[1300];
        esp8266_drain_uarts(n->m);
        if (fault) {
            n->faulted = true;
            scn_json_str(js, sizeof(js), sn->fault_msg, strlen(sn->fault_msg));
            snprintf(f, sizeof(f), ",\"cause\":%d,\"report\":\"%s\"", cause, js);
            scn_event(r, t, i, "fault", f);
        } else {
            scn_event(r, t, i, "halt", NULL);
        }
        const scn_expect *e = scn_current(r);
        if (e && e->kind == SCN_EXP_EXIT && e->node == i && !r->stop) {
            bool ok = e->exit_kind == SCN_EXIT_ANY || (fault && e->exit_kind == SCN_EXIT_FAULT) ||
                      (!fault && e->exit_kind == SCN_EXIT_HALT);
            if (ok && fault && e->cause >= 0 && e->cause != cause) ok = false;
            static const char *const kinds[] = {"any stop", "a fault", "a halt"};
            char msg[200];
            if (e->exit_kind == SCN_EXIT_FAULT && e->cause >= 0)
                snprintf(msg, sizeof(msg), "expected a fault with cause %d, got %s (cause %d)",
                         e->cause, fault ? "a fault" : "a halt", cause);
            else
                snprintf(msg, sizeof(msg), "expected %s, got %s (cause %d)", kinds[e->exit_kind],
                         fault ? "a fault" : "a halt", cause);
            if (ok) n->faulted = false; /* consumed by the expectation */
            scn_step_result(r, t, ok, msg);
        }
    }
}

static void scn_step_timeout_check(scn_run *r, uint64_t now)
{
    const scn_expect *e = scn_current(r);
    if (!e || r->stop || !e->timeout_ps) return;
    if (now >= r->step_start + e->timeout_ps) {
        char d[32], msg[512];
        sim_format_seconds(e->timeout_ps, d, sizeof(d));
        const scn_node_rt *n = &r->nodes[e->node];
        switch (e->kind) {
        case SCN_EXP_WAIT_SERIAL:
            snprintf(msg, sizeof(msg),
                     "expected a UART0 line matching /%s/ within %s s; last line: \"%s\"",
                     e->pattern.text, d, n->last_line);
            break;
        case SCN_EXP_RESET_REASON:
            snprintf(msg, sizeof(msg), "expected a reset with reason %s within %s s; %s%s",
                     scn_reason_name(e->reason), d,
                     n->last_reason < 0 ? "no reset seen" : "last reset: ",
                     n->last_reason < 0 ? "" : scn_reason_name(n->last_reason));
            break;
        case SCN_EXP_WAIT_GPIO:
            snprintf(msg, sizeof(msg), "expected GPIO%u to read %d within %s s; it reads %u",
                     e->pin, e->level, d, esp_gpio_levels(&n->m->soc) >> e->pin & 1u);
            break;
        case SCN_EXP_WAIT_ASI2C: {
            const scn_peer_rt *p = &r->peers[e->peer];
            snprintf(msg, sizeof(msg),
                     "expected peer %s to receive a line matching /%s/ within %s s; it has "
                     "received %llu lines, nboots %llu",
                     p->cfg->name, e->pattern.text, d, (unsigned long long)p->a.cnt.lines_rx,
                     (unsigned long long)p->a.cnt.nboots);
            break;
        }
        default:
            snprintf(msg, sizeof(msg), "expected the node to stop within %s s; it kept running", d);
            break;
        }
        scn_step_result(r, r->step_start + e->timeout_ps, false, msg);
    }
}

/* After every world step: nodes that stopped, the current step's timeout, the event log, the
 * wall-clock hang guard. */
/* The viewer's turn: it draws, paces and may hand back a click (crash, reset, power off), which
 * is applied as a timeline action and remembered as a timeline entry for replay. */
static void scn_view_step(scn_run *r, uint64_t now)
{
    cli_view_action va;
    bool quit = false;
    if (cli_view_step(r->view, now, &va, &quit)) {
        scn_action a = {.kind = va.kind, .node = va.node, .crash = va.crash};
        const char *name = va.kind == SCN_ACT_CRASH   ? "crash"
                           : va.kind == SCN_ACT_RESET ? "reset"
                                                      : "power-off";
        char f[128], line[256];
        snprintf(f, sizeof(f), ",\"source\":\"viewer\",\"action\":\"%s\"", name);
        scn_event(r, now, va.node, "viewer", f);
        int n = snprintf(line, sizeof(line), "  - {at: %" PRIu64 "us, action: %s%s, node: %s}\n",
                         (now + 500000) / 1000000, name,
                         va.kind == SCN_ACT_CRASH ? ", kind: exception" : "",
                         r->s->nodes[va.node].name);
        char *p = n > 0 ? realloc(r->replay, r->replay_len + (size_t)n + 1) : NULL;
        if (p) {
            memcpy(p + r->replay_len, line, (size_t)n + 1);
            r->replay = p;
            r->replay_len += (size_t)n;
        }
        scn_apply(r, &a, now);
    }
    if (quit) r->stop = true;
}

static void scn_after_step(void *opaque, sim_world *w)
{
    scn_run *r = opaque;
    if (r->gdb) {
        /* first: a breakpoint halts its node, which is not a halt of the scenario's */
        sim_gdb_after(r->gdb);
        if (sim_gdb_stopped(r->gdb) && !sim_gdb_serve(r->gdb)) r->stop = true;
    }
    if (r->view) scn_view_step(r, w->now);
    scn_poll_nodes(r);
    scn_step_timeout_check(r, w->now);
    scn_flush_events(r);
    scn_sig_flush(r);
    if (!r->gdb && !r->view && r->wall_limit_s &&
        cli_wall_seconds() - r->wall0 > (double)r->wall_limit_s) {
        r->hang = true;
        r->stop = true;
    }
    if (cli_limit_hit(&r->lim)) {
        r->limited = true;
        r->stop = true;
    }
}

/* Pushes every limited stream's buffer through its limit (so a limit reached in the last
 * buffered bytes is seen before the verdict). */
static void scn_flush_outputs(scn_run *r)
{
    if (r->events) fflush(r->events);
    if (r->signals) fflush(r->signals);
    if (r->trace_f) fflush(r->trace_f);
    for (size_t i = 0; r->nodes && i < r->s->nnodes; i++) {
        if (r->nodes[i].uart_log) fflush(r->nodes[i].uart_log);
        if (r->nodes[i].vcd) fflush(r->nodes[i].vcd);
    }
    if (r->radio) cli_radio_flush(r->radio);
    if (cli_limit_hit(&r->lim)) r->limited = true;
}

/* ---- outputs ------------------------------------------------------------------------------- */

static void scn_xml_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc('?', f);
            else
                fputc(*s, f);
        }
    }
}

static void scn_write_reports(scn_run *r, const char *dir, int rc, uint64_t end)
{
    const scenario *s = r->s;
    char path[4096];
    snprintf(path, sizeof(path), "%s/junit.xml", dir);
    FILE *j = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/summary.txt", dir);
    FILE *sum = fopen(path, "w");
    size_t failures = 0;
    for (size_t i = 0; i < s->nexpects; i++)
        failures += !(r->res[i].done && r->res[i].passed);
    if (j) {
        fprintf(j, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"");
        scn_xml_escape(j, s->name ? s->name : s->path);
        fprintf(j, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\">\n", s->nexpects, failures,
                rc == CLI_GUEST ? 1 : 0);
    }
    if (sum)
        fprintf(sum, "scenario: %s\nfile: %s\nseed: %" PRIu64 "\n", s->name ? s->name : "", s->path,
                s->seed);
    for (size_t i = 0; i < s->nexpects; i++) {
        const scn_expect *e = &s->expects[i];
        const scn_result *res = &r->res[i];
        char ts[32];
        sim_format_seconds(res->done ? res->t : end, ts, sizeof(ts));
        const char *verdict = res->done ? (res->passed ? "PASS" : "FAIL") : "FAIL";
        const char *why =
            res->done ? res->msg : "not reached: an earlier step failed or the scenario ended";
        if (sum)
            fprintf(sum, "%s step %zu (%s, line %u) on %s at %s s: %s\n", verdict, i + 1,
                    scn_expect_name(e), e->pos.line, s->nodes[e->node].name, ts, why);
        if (j) {
            fprintf(j, "  <testcase classname=\"");
            scn_xml_escape(j, s->name ? s->name : s->path);
            fprintf(j, "\" name=\"step %zu: %s (line %u)\" time=\"0\">", i + 1, scn_expect_name(e),
                    e->pos.line);
            if (!(res->done && res->passed)) {
                fprintf(j, "<failure message=\"");
                scn_xml_escape(j, why);
                fprintf(j, " (virtual time %s s)\"/>", ts);
            }
            fprintf(j, "</testcase>\n");
        }
    }
    for (size_t i = 0; i < s->nnodes; i++) {
        if (r->nodes[i].faulted && sum)
            fprintf(sum, "FAULT node %s:\n%s\n", s->nodes[i].name, r->nodes[i].m->node.fault_msg);
    }
    if (sum && r->radio) cli_radio_summary(r->radio, sum);
    uint64_t insns = 0;
    for (size_t i = 0; i < s->nnodes; i++)
        insns += r->nodes[i].m->node.cpu.insns;
    if (sum) fprintf(sum, "guest: %" PRIu64 " instructions on %zu nodes\n", insns, s->nnodes);
    char te[32];
    sim_format_seconds(end, te, sizeof(te));
    if (sum)
        fprintf(sum, "result: %s (exit %d) at %s s virtual time\n", rc == 0 ? "PASS" : "FAIL", rc,
                te);
    if (j) {
        if (rc == CLI_GUEST) {
            fprintf(j, "  <testcase classname=\"faults\" name=\"no unexpected guest fault\">"
                       "<error message=\"a node ended the run faulted\"/></testcase>\n");
        }
        fprintf(j, "</testsuite>\n");
        fclose(j);
    }
    if (sum) fclose(sum);
}

/* ---- the run ------------------------------------------------------------------------------- */

static bool scn_mkdirs(const char *dir, char *err, size_t errsize)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        mkdir(tmp, 0777);
        *p = '/';
    }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
        return sim_error(err, errsize, dir, "cannot create output directory: %s", strerror(errno));
    return true;
}

/* ---- timing budgets and profiles (docs/profiling.md) --------------------------------------- */

/* One profiler per node when the scenario has budgets or the run asks for a profile; trace.json
 * with one process per node (pid = node index + 1) when the profile is written. */
static bool scn_setup_profiling(scn_run *r, const cli_run_opts *o, const char *dir, char *err,
                                size_t errsize)
{
    const scn_budgets *b = &r->s->budgets;
    r->profiling = b->present || o->profile || o->budgets || o->budget_fail;
    if (!r->profiling) return true;
    sim_prof_config base;
    cli_prof_defaults(&base);
    if (b->isr_ps) base.isr_ps = b->isr_ps;
    if (b->task_ps) base.task_ps = b->task_ps;
    if (b->busy_ps) base.busy_ps = b->busy_ps;
    if (b->sample_ps) base.sample_ps = b->sample_ps;
    cli_budget_names bn = {.n = 0};
    if (o->budgets && !cli_budget_parse(o->budgets, &base, &bn, err, errsize)) return false;
    if (o->profile || b->profile) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/trace.json", dir);
        r->trace_f = cli_limit_fopen(&r->lim, path, SCN_LIMIT_OUTPUT);
        if (!r->trace_f) return sim_error(err, errsize, path, "cannot create: %s", strerror(errno));
        sim_trace_open(&r->trace, r->trace_f, 4000000);
        for (size_t i = 0; i < r->s->nnodes; i++)
            sim_trace_process(&r->trace, (unsigned)i + 1, r->s->nodes[i].name);
    }
    bool *found = calloc(b->nhandlers + bn.n + 1, sizeof(bool));
    if (!found) return sim_error(err, errsize, r->s->path, "out of memory");
    for (size_t i = 0; i < r->s->nnodes; i++) {
        scn_node_rt *n = &r->nodes[i];
        sim_prof_config pc = base;
        size_t nov = 0;
        for (size_t h = 0; h < b->nhandlers + bn.n && nov < 32; h++) {
            const char *name = h < b->nhandlers ? b->handlers[h].name : bn.name[h - b->nhandlers];
            uint64_t ps = h < b->nhandlers ? b->handlers[h].ps : bn.ps[h - b->nhandlers];
            if (n->have_elf && sim_elf_lookup(&n->elf, name, &n->ov[nov].fn)) {
                n->ov[nov++].ps = ps;
                found[h] = true;
            }
        }
        pc.overrides = n->ov;
        pc.noverrides = nov;
        pc.symbolize = esp8266_symbol;
        pc.symbolize_opaque = n->m;
        pc.trace = r->trace_f ? &r->trace : NULL;
        pc.trace_pid = (unsigned)i + 1;
        n->prof = calloc(1, sizeof(*n->prof));
        if (!n->prof) {
            free(found);
            return sim_error(err, errsize, r->s->path, "out of memory");
        }
        sim_prof_init(n->prof, &n->m->node, &pc);
        sim_node_attach_prof(&n->m->node, n->prof);
    }
    for (size_t h = 0; h < b->nhandlers + bn.n; h++) {
        if (found[h]) continue;
        free(found);
        if (h < b->nhandlers) {
            char where[4200];
            snprintf(where, sizeof(where), "%s:%u:%u", r->s->path, b->handlers[h].pos.line,
                     b->handlers[h].pos.col);
            return sim_error(err, errsize, where,
                             "budgets.handlers: no node's firmware defines '%s'",
                             b->handlers[h].name);
        }
        return sim_error(err, errsize, "--budget", "no node's firmware defines '%s'",
                         bn.name[h - b->nhandlers]);
    }
    free(found);
    return true;
}

/* End of run: reports per node (profile.txt, profile.folded when writing the profile), one
 * "budget" event per violation; returns the number of violations. */
static uint64_t scn_finish_profiling(scn_run *r, const cli_run_opts *o, const char *dir,
                                     uint64_t end)
{
    uint64_t total = 0;
    for (size_t i = 0; r->profiling && i < r->s->nnodes; i++) {
        sim_prof *p = r->nodes[i].prof;
        sim_prof_finish(p);
        total += p->viol_total;
        for (size_t k = 0; k < p->nviol; k++) {
            const sim_prof_violation *v = &p->viol[k];
            char name[96] = "busy", f[320];
            if (v->kind != SIM_CTX_IDLE) sim_prof_name(p, v->fn, name, sizeof(name));
            snprintf(f, sizeof(f),
                     ",\"kind\":\"%s\",\"handler\":\"%s\",\"dur_us\":%" PRIu64
                     ",\"budget_us\":%" PRIu64 ",\"local_us\":%" PRIu64 "%s",
                     v->kind == SIM_CTX_IDLE ? "busy" : sim_ctx_name(v->kind), name,
                     v->dur_ps / 1000000u, v->budget_ps / 1000000u, v->start_ps / 1000000u,
                     v->unfinished ? ",\"unfinished\":true" : "");
            scn_event(r, end, i, "budget", f);
        }
        for (size_t k = 0; k < p->nrisks; k++) {
            char h[96], pc[96], f[320];
            sim_prof_name(p, p->risks[k].handler, h, sizeof(h));
            sim_prof_name(p, p->risks[k].pc, pc, sizeof(pc));
            snprintf(f, sizeof(f), ",\"handler\":\"%s\",\"%s\":\"%s\",\"count\":%" PRIu64, h,
                     p->risks[k].fetch ? "executes" : "reads", pc, p->risks[k].count);
            scn_event(r, end, i, "iram-risk", f);
        }
        if (o->profile || r->s->budgets.profile) cli_prof_write(p, dir, r->s->nodes[i].name, i > 0);
    }
    return total;
}

static bool scn_setup_node(scn_run *r, size_t i, const char *dir, char *err, size_t errsize)
{
    scn_node_rt *n = &r->nodes[i];
    const scn_node *cfg = &r->s->nodes[i];
    n->run = r;
    n->index = i;
    n->cfg = cfg;
    n->powered = true;
    n->last_reason = -1;
    n->m = calloc(1, sizeof(esp8266));
    if (!n->m) return sim_error(err, errsize, cfg->name, "out of memory");
    esp_config ec = {.name = cfg->name,
                     .cpu_mhz = cfg->cpu_mhz,
                     .ppm = cfg->clock_ppm,
                     .boot_ps = cfg->boot_offset_ps,
                     .seed = sim_rng_seed_for(r->s->seed, "chip-rng", i, 0),
                     .rtc_ppb_set = cfg->rtc_ppm_set,
                     .rtc_ppb = (int64_t)cfg->rtc_ppm * 1000,
                     .rtc_wander_ppb = cfg->rtc_wander_ppm * 1000u,
                     .rtc_jitter_set = cfg->rtc_jitter_set,
                     .rtc_jitter_ppb = cfg->rtc_jitter_ppm * 1000u,
                     .rtc_initial = cfg->rtc_counter,
                     .gpio16_rst = cfg->gpio16_rst};
    if (!esp8266_init(n->m, &ec, err, errsize)) return false;
    if (cfg->flash && !esp8266_load_flash(n->m, cfg->flash, false, err, errsize)) return false;
    if (cfg->firmware) {
        FILE *f = fopen(cfg->firmware, "rb");
        unsigned char magic[4] = {0};
        size_t got = f ? fread(magic, 1, 4, f) : 0;
        if (f) fclose(f);
        if (got == 4 && !memcmp(magic, "\177ELF", 4)) {
            if (!sim_elf_open(&n->elf, cfg->firmware, err, errsize)) return false;
            n->have_elf = true;
            if (!esp8266_load_elf(n->m, &n->elf, err, errsize)) return false;
            n->lines = sim_lines_open(cfg->firmware);
            n->m->lines = n->lines;
        } else if (!esp8266_load_image(n->m, cfg->firmware, err, errsize)) {
            return false;
        }
    }
    if (cfg->config) /* the firmware reads its configuration from flash (scenario.h) */
        memcpy(n->m->flash.data + SCN_CONFIG_ADDR, cfg->config, cfg->config_len + 1);
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.uart.log", dir, cfg->name);
    n->uart_log = cli_limit_fopen(&r->lim, path, SCN_LIMIT_UART);
    if (!n->uart_log) return sim_error(err, errsize, path, "cannot create: %s", strerror(errno));
    if (r->s->outputs.vcd) {
        snprintf(path, sizeof(path), "%s/%s.gpio.vcd", dir, cfg->name);
        n->vcd = cli_limit_fopen(&r->lim, path, SCN_LIMIT_VCD);
        if (!n->vcd) return sim_error(err, errsize, path, "cannot create: %s", strerror(errno));
        scn_vcd_header(n, esp_gpio_levels(&n->m->soc));
    }
    n->m->console = scn_console;
    n->m->console_opaque = n;
    n->m->node.on_stop = scn_node_stopped;
    n->m->node.on_stop_opaque = n;
    n->m->on_reset = scn_on_reset;
    n->m->on_reset_opaque = n;
    n->m->on_sleep = scn_on_sleep;
    n->m->on_sleep_opaque = n;
    sim_wire_connect(&n->m->soc.gpio_level, scn_gpio_change, n);
    n->uart_ev = calloc(cfg->nuart ? cfg->nuart : 1, sizeof(sim_event));
    if (!n->uart_ev) return sim_error(err, errsize, cfg->name, "out of memory");
    if (!sim_world_add(&r->world, &n->m->node))
        return sim_error(err, errsize, cfg->name, "out of memory");
    return true;
}

int cli_run_scenario(const cli_run_opts *o)
{
    char err[1024];
    scenario s;
    if (!scn_load(&s, o->firmware, o->firmware_path, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        return CLI_USAGE;
    }
    if (o->seed_set) s.seed = o->seed;
    if (o->limits && !cli_limit_override(&s.limits, o->limits, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        scn_free(&s);
        return CLI_USAGE;
    }
    const char *dir = o->out ? o->out : "espsim-out";
    int rc = CLI_USAGE;
    scn_run r;
    memset(&r, 0, sizeof(r));
    r.s = &s;
    sim_world_init(&r.world, SCN_QUANTUM_PS);
    r.nodes = calloc(s.nnodes, sizeof(*r.nodes));
    r.acts = calloc(s.ntimeline ? s.ntimeline : 1, sizeof(*r.acts));
    r.res = calloc(s.nexpects ? s.nexpects : 1, sizeof(*r.res));
    r.counts = calloc(s.nexpects ? s.nexpects : 1, sizeof(*r.counts));
    size_t nu = 0;
    for (size_t i = 0; i < s.nnodes; i++)
        nu += s.nodes[i].nuart;
    r.uarts = calloc(nu ? nu : 1, sizeof(*r.uarts));
    if (!r.nodes || !r.acts || !r.res || !r.counts || !r.uarts) {
        snprintf(err, sizeof(err), "%s: out of memory", s.path);
        goto fail;
    }
    r.power_on_ev = calloc(s.nnodes, sizeof(*r.power_on_ev));
    if (!r.power_on_ev) {
        snprintf(err, sizeof(err), "%s: out of memory", s.path);
        goto fail;
    }
    if (!scn_mkdirs(dir, err, sizeof(err))) goto fail;
    char path[4096];
    snprintf(path, sizeof(path), "%s/events.jsonl", dir);
    cli_limits_init(&r.lim, &s.limits);
    r.events = cli_limit_fopen(&r.lim, path, SCN_LIMIT_EVENTS);
    if (!r.events) {
        sim_error(err, sizeof(err), path, "cannot create: %s", strerror(errno));
        goto fail;
    }
    for (size_t i = 0; i < s.nnodes; i++)
        if (!scn_setup_node(&r, i, dir, err, sizeof(err))) goto fail;
    if (s.radio.present) {
        esp8266 **chips = calloc(s.nnodes, sizeof(*chips));
        const sim_elf **elfs = calloc(s.nnodes, sizeof(*elfs));
        if (chips && elfs) {
            for (size_t i = 0; i < s.nnodes; i++) {
                chips[i] = r.nodes[i].m;
                elfs[i] = r.nodes[i].have_elf ? &r.nodes[i].elf : NULL;
            }
            r.radio = cli_radio_new(&s, &r.world, chips, elfs, dir, &r.lim, scn_radio_event, &r,
                                    err, sizeof(err));
        } else {
            snprintf(err, sizeof(err), "%s: out of memory", s.path);
        }
        free(chips);
        free(elfs);
        if (!r.radio) goto fail;
    }
    if (o->view) {
        r.view = cli_view_new(&s, o->view, err, sizeof(err));
        if (!r.view) goto fail;
    }
    if (!scn_setup_profiling(&r, o, dir, err, sizeof(err))) goto fail;
    if (r.radio && (r.view || r.trace_f)) cli_radio_set_air_hook(r.radio, scn_air, &r);
    if (!scn_setup_wires(&r, err, sizeof(err))) goto fail;
    r.peers = calloc(s.nasi2c ? s.nasi2c : 1, sizeof(*r.peers));
    if (!r.peers) {
        snprintf(err, sizeof(err), "%s: out of memory", s.path);
        goto fail;
    }
    for (size_t i = 0; i < s.nasi2c; i++)
        if (!scn_setup_peer(&r, i, err, sizeof(err))) goto fail;
    if ((s.nwires || s.nasi2c) && s.outputs.vcd) {
        snprintf(path, sizeof(path), "%s/signals.vcd", dir);
        r.signals = cli_limit_fopen(&r.lim, path, SCN_LIMIT_VCD);
        if (!r.signals) {
            sim_error(err, sizeof(err), path, "cannot create: %s", strerror(errno));
            goto fail;
        }
        scn_sig_header(&r);
    }
    /* world events: timeline at fixed times, UART inputs, power-ons */
    for (size_t i = 0; i < s.ntimeline; i++) {
        scn_action_rt *ar = &r.acts[i];
        ar->run = &r;
        ar->a = &s.timeline[i];
        sim_event_init(&ar->ev, "action", scn_action_event, ar, 0);
        if (ar->a->trigger == SCN_TRIG_AT)
            sim_sched_at(&r.world.sched, &ar->ev, ar->a->at_ps + ar->a->delay_ps);
    }
    for (size_t i = 0, k = 0; i < s.nnodes; i++) {
        sim_event_init(&r.power_on_ev[i], "power-on", scn_power_on_event, &r.nodes[i], 0);
        for (size_t u = 0; u < s.nodes[i].nuart; u++, k++) {
            r.uarts[k] = (scn_uart_rt){&r, i, u};
            sim_event_init(&r.nodes[i].uart_ev[u], "uart-input", scn_uart_event, &r.uarts[k], 1);
            sim_sched_at(&r.world.sched, &r.nodes[i].uart_ev[u], s.nodes[i].uart[u].at_ps);
        }
    }
    r.poll = true;
    r.step = (size_t)-1;
    scn_next_step(&r, 0);
    {
        bool counters = false;
        for (size_t i = 0; i < s.nexpects; i++)
            counters |= !scn_is_ordered(&s.expects[i]);
        if (r.step >= s.nexpects && !counters && s.nexpects) r.stop = true;
    }
    if (o->gdb_node) {
        size_t gi = 0;
        while (gi < s.nnodes && strcmp(s.nodes[gi].name, o->gdb_node) != 0)
            gi++;
        if (gi == s.nnodes) {
            snprintf(err, sizeof(err), "%s: --gdb: no node named '%s'", s.path, o->gdb_node);
            goto fail;
        }
        unsigned port;
        r.gdb =
            sim_gdb_listen(&r.nodes[gi].m->node, (unsigned)o->gdb_port, &port, err, sizeof(err));
        if (!r.gdb) goto fail;
        fprintf(stderr, "espsim: waiting for GDB on 127.0.0.1:%u (node %s)\n", port, o->gdb_node);
        if (!sim_gdb_accept(r.gdb, err, sizeof(err))) goto fail;
        if (!sim_gdb_serve(r.gdb)) r.stop = true;
    }
    r.wall0 = cli_wall_seconds();
    r.wall_limit_s = o->timeout_wall_s;
    r.world.on_step = scn_after_step;
    r.world.on_step_opaque = &r;
    /* GDB and the viewer inspect nodes between steps: every node stepped every quantum (the
     * reference stepping, identical results; ESPSIM_WORLD_EAGER=1 asks for it too) */
    const char *eager = getenv("ESPSIM_WORLD_EAGER");
    r.world.eager = r.gdb || r.view || (eager && strcmp(eager, "1") == 0);
    while (!r.stop && r.world.now < s.duration_ps) {
        /* run to the end, or to the current step's deadline so its timeout is judged there */
        uint64_t h = s.duration_ps;
        const scn_expect *ce = scn_current(&r);
        if (ce && ce->timeout_ps && r.step_start + ce->timeout_ps < h)
            h = r.step_start + ce->timeout_ps > r.world.now ? r.step_start + ce->timeout_ps
                                                            : r.world.now + 1;
        sim_world_run_until(&r.world, h, &r.stop);
        scn_after_step(&r, &r.world);
    }
    bool hang = r.hang;
    uint64_t end = r.world.now;
    scn_poll_nodes(&r);
    scn_flush_events(&r);
    scn_sig_flush(&r);
    scn_flush_outputs(&r);
    bool limited = r.limited;
    /* counters, then verdict */
    for (size_t i = 0; i < s.nexpects; i++) {
        const scn_expect *e = &s.expects[i];
        if (e->kind != SCN_EXP_COUNTER) continue;
        scn_result *res = &r.res[i];
        res->done = true;
        res->t = end;
        if (e->stat != SCN_STAT_NONE) {
            uint64_t v = scn_peer_stat(&r.peers[e->peer], e->stat);
            res->passed = v >= e->min && v <= e->max;
            snprintf(res->msg, sizeof(res->msg),
                     "%s %s = %" PRIu64 " (expected %" PRIu64 "..%" PRIu64 ")",
                     s.asi2c[e->peer].name, scn_stat_name(e->stat), v, e->min, e->max);
            r.failed |= !res->passed;
            continue;
        }
        res->passed = r.counts[i] >= e->min && r.counts[i] <= e->max;
        snprintf(res->msg, sizeof(res->msg),
                 "%" PRIu64 " matching lines (expected %" PRIu64 "..%" PRIu64 ")", r.counts[i],
                 e->min, e->max);
        r.failed |= !res->passed;
    }
    bool incomplete = false;
    for (size_t i = 0; i < s.nexpects; i++)
        incomplete |= !r.res[i].done;
    bool faulted = false;
    for (size_t i = 0; i < s.nnodes; i++)
        faulted |= r.nodes[i].faulted;
    if (limited) {
        char tl[32];
        sim_format_seconds(end, tl, sizeof(tl));
        char at[16] = ""; /* the line of the limit in the file, if it came from there */
        if (s.limits.pos[r.lim.kind].line && !s.limits.cli[r.lim.kind])
            snprintf(at, sizeof(at), ":%u", s.limits.pos[r.lim.kind].line);
        fprintf(stderr, "espsim: %s%s: output limit: %s; run stopped at %s s virtual time\n",
                s.path, at, r.lim.msg, tl);
        rc = CLI_LIMIT;
    } else if (hang) {
        fprintf(stderr, "espsim: %s: wall-clock hang guard after %" PRIu64 " s host time\n", s.path,
                o->timeout_wall_s);
        rc = CLI_HANG;
    } else if (r.failed || incomplete) {
        rc = CLI_EXPECT;
    } else if (faulted) {
        rc = CLI_GUEST;
    } else {
        rc = CLI_OK;
    }
    char te[32];
    sim_format_seconds(end, te, sizeof(te));
    char f[96];
    for (size_t i = 0; i < s.nasi2c; i++) {
        char st[1024];
        scn_peer_stat_fields(&r.peers[i], st, sizeof(st));
        scn_event(&r, end, r.peers[i].node->index, "asi2c-stats", st);
    }
    if (r.radio) cli_radio_finish(r.radio, end);
    if (r.view) cli_view_finish(r.view, end);
    uint64_t nviol = scn_finish_profiling(&r, o, dir, end);
    if (nviol && (s.budgets.fail || o->budget_fail) && rc == CLI_OK) {
        fprintf(stderr, "espsim: %s:%u: %" PRIu64 " timing budget violations (budgets.fail)\n",
                s.path, s.budgets.present ? s.budgets.pos.line : 1u, nviol);
        rc = CLI_EXPECT;
    }
    if (r.replay)
        printf("the viewer's actions, as timeline entries to replay this run:\n%s", r.replay);
    snprintf(f, sizeof(f), ",\"exit\":%d", rc);
    scn_event(&r, end, SIZE_MAX, "end", f);
    scn_flush_events(&r);
    scn_write_reports(&r, dir, rc, end);
    if (rc != CLI_OK && rc != CLI_HANG && rc != CLI_LIMIT) {
        /* one line naming the first problem */
        for (size_t i = 0; i < s.nexpects; i++) {
            if (r.res[i].done && r.res[i].passed) continue;
            const scn_expect *e = &s.expects[i];
            char ts[32];
            sim_format_seconds(r.res[i].done ? r.res[i].t : end, ts, sizeof(ts));
            fprintf(stderr, "espsim: %s:%u: step %zu (%s) failed at %s s: %s\n", s.path,
                    e->pos.line, i + 1, scn_expect_name(e), ts,
                    r.res[i].done ? r.res[i].msg : "not reached before the end of the scenario");
            break;
        }
        if (rc == CLI_GUEST)
            for (size_t i = 0; i < s.nnodes; i++)
                if (r.nodes[i].faulted)
                    fprintf(stderr, "espsim: %s: node %s ended faulted:\n%s\n", s.path,
                            s.nodes[i].name, r.nodes[i].m->node.fault_msg);
    }
    printf("%s: %s at %s s virtual time (exit %d), outputs in %s\n", s.path,
           rc == 0 ? "PASS" : "FAIL", te, rc, dir);
    goto out;
fail:
    fprintf(stderr, "espsim: %s\n", err);
    rc = CLI_USAGE;
out:;
    uint64_t t_last = r.world.now;
    sim_gdb_free(r.gdb);
    cli_view_free(r.view);
    free(r.replay);
    cli_radio_free(r.radio);  /* cancels its events, unhooks nothing: the chips go next */
    sim_world_free(&r.world); /* first: its queue points at events in r.acts and the nodes */
    for (size_t i = 0; r.nodes && i < s.nnodes; i++) {
        scn_node_rt *n = &r.nodes[i];
        if (n->prof) {
            sim_node_attach_prof(&n->m->node, NULL);
            sim_prof_free(n->prof);
            free(n->prof);
        }
        if (n->m) {
            esp8266_free(n->m);
            free(n->m);
        }
        if (n->uart_log) fclose(n->uart_log);
        if (n->vcd) {
            fprintf(n->vcd, "#%" PRIu64 "\n",
                    t_last / 1000u > n->vcd_t ? t_last / 1000u : n->vcd_t);
            fclose(n->vcd);
        }
        sim_lines_close(n->lines);
        if (n->have_elf) sim_elf_close(&n->elf);
        free(n->uart_ev);
        for (size_t k = 0; k < n->nparts; k++)
            free(n->parts[k]);
    }
    scn_sig_flush(&r);
    if (r.signals) {
        fprintf(r.signals, "#%" PRIu64 "\n", t_last / 1000u > r.sig_t ? t_last / 1000u : r.sig_t);
        fclose(r.signals);
    }
    free(r.sigs);
    free(r.sigq);
    free(r.wires);
    for (size_t i = 0; r.peers && i < s.nasi2c; i++)
        free(r.peers[i].seen);
    free(r.peers);
    scn_flush_events(&r);
    free(r.evq);
    if (r.events) fclose(r.events);
    if (r.trace_f) {
        sim_trace_close(&r.trace);
        fclose(r.trace_f);
    }
    free(r.nodes);
    free(r.acts);
    free(r.res);
    free(r.counts);
    free(r.uarts);
    free(r.power_on_ev);
    scn_free(&s);
    return rc;
}
