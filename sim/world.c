/* sim/world.c — see world.h. */
#include "world.h"

#include <stdlib.h>
#include <string.h>

void sim_world_init(sim_world *w, uint64_t quantum_ps)
{
    memset(w, 0, sizeof(*w));
    sim_sched_init(&w->sched);
    w->quantum = quantum_ps ? quantum_ps : 1000000000ull; /* 1 ms */
}

void sim_world_free(sim_world *w)
{
    sim_sched_free(&w->sched);
    free(w->nodes);
    memset(w, 0, sizeof(*w));
}

bool sim_world_add(sim_world *w, sim_node *n)
{
    if (w->nnodes == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4;
        sim_node **p = realloc(w->nodes, cap * sizeof(*p));
        if (!p) return false;
        w->nodes = p;
        w->cap = cap;
    }
    w->nodes[w->nnodes++] = n;
    return true;
}

void sim_world_limit_quantum(sim_world *w, uint64_t latency_ps)
{
    if (latency_ps && latency_ps < w->quantum) w->quantum = latency_ps;
}

void sim_world_run_until(sim_world *w, uint64_t t_end, const bool *stop_flag)
{
    while (w->now < t_end && !(stop_flag && *stop_flag)) {
        /* world events due now run first: they may change nodes (reset, inject, power) */
        sim_sched_run_until(&w->sched, w->now);
        if (stop_flag && *stop_flag) break;
        uint64_t h = t_end - w->now > w->quantum ? w->now + w->quantum : t_end;
        /* all asleep: nothing can happen before the first wake-up */
        uint64_t wake = SIM_TIME_NEVER;
        for (size_t i = 0; i < w->nnodes && wake > h; i++)
            if (w->nodes[i]->state == SIM_NODE_RUNNING) {
                uint64_t t = sim_node_next_activity(w->nodes[i]);
                if (t < wake) wake = t;
            }
        if (wake > h) h = wake < t_end ? wake : t_end;
        uint64_t next = sim_sched_next(&w->sched);
        if (next > w->now && next < h) h = next;
        for (size_t i = 0; i < w->nnodes; i++) {
            sim_node *n = w->nodes[i];
            if (n->state == SIM_NODE_RUNNING) sim_node_run_until(n, h);
        }
        w->now = h;
        if (w->on_step) w->on_step(w->on_step_opaque, w);
    }
    if (!(stop_flag && *stop_flag)) sim_sched_run_until(&w->sched, w->now);
}
