/* sim/net.c — see net.h. */
#include "net.h"

#include <string.h>

void sim_net_init(sim_net *n, const char *name)
{
    memset(n, 0, sizeof(*n));
    n->name = name;
}

int sim_net_attach(sim_net *n, const char *name)
{
    if (n->nparts >= SIM_NET_MAX_PARTS) return -1;
    n->part[n->nparts] = name;
    return n->nparts++;
}

void sim_net_listen(sim_net *n, sim_net_listener *l, sim_net_fn fn, void *opaque)
{
    l->fn = fn;
    l->opaque = opaque;
    l->next = NULL;
    if (n->tail)
        n->tail->next = l;
    else
        n->head = l;
    n->tail = l;
}

bool sim_net_floating(const sim_net *n)
{
    return !n->low && !n->high && !n->pullup;
}

const char *sim_drive_name(sim_drive d)
{
    switch (d) {
    case SIM_DRIVE_Z: return "z";
    case SIM_DRIVE_LOW: return "low";
    case SIM_DRIVE_HIGH: return "high";
    }
    return "?";
}

/* Re-resolves after a participant changed; notifies on a level change (see net.h). */
static void net_resolve(sim_net *n, uint64_t t)
{
    bool contention = n->low && n->high;
    if (contention && !n->contention) {
        n->contentions++;
        n->contention = true;
        if (n->on_contention) n->on_contention(n->on_contention_opaque, n, n->high, n->low, t);
    }
    n->contention = contention;
    bool level = !n->low && (n->high || n->pullup);
    if (level == n->level) return;
    n->level = level;
    n->changed_ps = t;
    n->edges++;
    if (n->depth) {
        n->dirty = true; /* the outer round notifies again */
        return;
    }
    n->depth = 1;
    for (int round = 0;; round++) {
        if (round == SIM_NET_ROUNDS) {
            n->oscillations++;
            break;
        }
        n->dirty = false;
        bool lv = n->level;
        for (sim_net_listener *l = n->head; l; l = l->next)
            l->fn(l->opaque, n, lv, n->changed_ps);
        if (!n->dirty || n->level == lv) break;
    }
    n->depth = 0;
    n->dirty = false;
}

static uint64_t net_time(sim_net *n, uint64_t t)
{
    if (t < n->now_ps) t = n->now_ps;
    n->now_ps = t;
    return t;
}

void sim_net_drive(sim_net *n, int id, sim_drive d, uint64_t now_ps)
{
    if (id < 0 || id >= n->nparts) return;
    uint32_t bit = 1u << id;
    uint32_t low = n->low & ~bit, high = n->high & ~bit;
    if (d == SIM_DRIVE_LOW) low |= bit;
    if (d == SIM_DRIVE_HIGH) high |= bit;
    if (low == n->low && high == n->high) return;
    n->low = low;
    n->high = high;
    net_resolve(n, net_time(n, now_ps));
}

void sim_net_pullup(sim_net *n, int id, bool on, uint64_t now_ps)
{
    if (id < 0 || id >= n->nparts) return;
    uint32_t bit = 1u << id, p = on ? n->pullup | bit : n->pullup & ~bit;
    if (p == n->pullup) return;
    n->pullup = p;
    net_resolve(n, net_time(n, now_ps));
}
