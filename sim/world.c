/* sim/world.c — see world.h. */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORLD_NONE ((size_t)-1)

void sim_world_init(sim_world *w, uint64_t quantum_ps)
{
    memset(w, 0, sizeof(*w));
    sim_sched_init(&w->sched);
    w->quantum = quantum_ps ? quantum_ps : 1000000000ull; /* 1 ms */
    w->cur = WORLD_NONE;
}

void sim_world_free(sim_world *w)
{
    for (size_t i = 0; i < w->nnodes; i++)
        w->nodes[i]->on_touch = NULL;
    sim_sched_free(&w->sched);
    free(w->nodes);
    free(w->slots);
    free(w->wheap);
    free(w->dheap);
    free(w->dirty);
    free(w->run);
    free(w->stack);
    memset(w, 0, sizeof(*w));
}

/* ---- the two heaps (node indices; keys in the slots; ties by index) ------------------------- */

typedef struct world_heap {
    size_t *a;
    size_t n;
    bool due; /* keyed by slot.due, else by slot.wake */
} world_heap;

static world_heap world_heap_of(sim_world *w, bool due)
{
    return (world_heap){due ? w->dheap : w->wheap, w->nnodes, due};
}

static inline uint64_t world_heap_key(const sim_world *w, bool due, size_t i)
{
    return due ? w->slots[i].due : w->slots[i].wake;
}

static inline bool world_heap_before(const sim_world *w, bool due, size_t a, size_t b)
{
    uint64_t ka = world_heap_key(w, due, a), kb = world_heap_key(w, due, b);
    return ka != kb ? ka < kb : a < b;
}

static inline void world_heap_put(sim_world *w, world_heap *h, size_t pos, size_t i)
{
    h->a[pos] = i;
    if (h->due)
        w->slots[i].dpos = pos + 1;
    else
        w->slots[i].wpos = pos + 1;
}

static void world_heap_fix(sim_world *w, bool due, size_t i)
{
    world_heap h = world_heap_of(w, due);
    size_t pos = (due ? w->slots[i].dpos : w->slots[i].wpos) - 1;
    while (pos > 0) { /* up */
        size_t parent = (pos - 1) / 2;
        if (!world_heap_before(w, due, i, h.a[parent])) break;
        world_heap_put(w, &h, pos, h.a[parent]);
        pos = parent;
    }
    for (;;) { /* down */
        size_t l = 2 * pos + 1, r = l + 1, m = i;
        size_t mpos = pos;
        if (l < h.n && world_heap_before(w, due, h.a[l], m)) {
            m = h.a[l];
            mpos = l;
        }
        if (r < h.n && world_heap_before(w, due, h.a[r], m)) {
            m = h.a[r];
            mpos = r;
        }
        if (mpos == pos) break;
        world_heap_put(w, &h, pos, m);
        pos = mpos;
    }
    world_heap_put(w, &h, pos, i);
}

/* ---- keys ------------------------------------------------------------------------------------ */

static void world_mark(sim_world *w, size_t i)
{
    sim_world_slot *s = &w->slots[i];
    if (s->dirty) return;
    s->dirty = true;
    w->dirty[w->ndirty++] = i;
}

static uint64_t world_wake_of(const sim_node *n)
{
    return n->state == SIM_NODE_RUNNING ? sim_node_next_activity(n) : SIM_TIME_NEVER;
}

static void world_rekey(sim_world *w)
{
    for (size_t k = 0; k < w->ndirty; k++) {
        size_t i = w->dirty[k];
        sim_world_slot *s = &w->slots[i];
        s->dirty = false;
        s->keyed = w->nsteps;
        s->wake = world_wake_of(w->nodes[i]);
        s->due = sim_node_due(w->nodes[i]);
        world_heap_fix(w, false, i);
        world_heap_fix(w, true, i);
    }
    w->ndirty = 0;
}

#ifdef ESPSIM_WORLD_CHECK
/* Every key is what the node says now: a stale one means a change without sim_node_touch.
 * Nodes re-keyed for this step are fresh by construction. */
static void world_check_keys(const sim_world *w)
{
    for (size_t i = 0; i < w->nnodes; i++) {
        const sim_world_slot *s = &w->slots[i];
        const sim_node *n = w->nodes[i];
        if (s->dirty || s->keyed == w->nsteps) continue;
        if (s->wake != world_wake_of(n) || s->due != sim_node_due(n)) {
            fprintf(stderr,
                    "espsim: internal error: node %s changed without sim_node_touch "
                    "(world time %llu ps)\n",
                    n->name ? n->name : "?", (unsigned long long)w->now);
            abort();
        }
    }
}
#endif

/* Brings a skipped node's clock to `target`, where stepping it would have left it. */
static void world_catch_up(sim_world *w, size_t i, uint64_t target)
{
    sim_world_slot *s = &w->slots[i];
    sim_node *n = w->nodes[i];
    if (s->at >= target) return;
    s->at = target;
    if (n->state != SIM_NODE_RUNNING) return; /* not stepped, as before */
#ifdef ESPSIM_WORLD_CHECK
    if (!w->eager && sim_node_due(n) <= target) {
        fprintf(stderr,
                "espsim: internal error: node %s skipped although due (world time %llu ps)\n",
                n->name ? n->name : "?", (unsigned long long)w->now);
        abort();
    }
#endif
    sim_node_run_until(n, target);
    w->catch_ups++;
}

/* Inserts node i into the current step's run list (ascending, after run_pos). */
static void world_queue(sim_world *w, size_t i)
{
    if (w->slots[i].queued) return;
    size_t k = w->nrun;
    while (k > w->run_pos && w->run[k - 1] > i)
        k--;
    memmove(&w->run[k + 1], &w->run[k], (w->nrun - k) * sizeof(*w->run));
    w->run[k] = i;
    w->nrun++;
    w->slots[i].queued = true;
}

static void world_touch(void *opaque, sim_node *n)
{
    sim_world *w = opaque;
    size_t i = n->world_index;
    if (i >= w->nnodes || w->nodes[i] != n || i == w->cur) return;
    if (w->stepping && i < w->cur) {
        world_catch_up(w, i, w->step_h); /* stepped before the running node */
    } else {
        world_catch_up(w, i, w->now);
        if (w->stepping) world_queue(w, i); /* its turn in this step is still to come */
    }
    world_mark(w, i);
}

/* ---- nodes ----------------------------------------------------------------------------------- */

bool sim_world_add(sim_world *w, sim_node *n)
{
    if (w->nnodes == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4;
        sim_node **p = realloc(w->nodes, cap * sizeof(*p));
        if (!p) return false;
        w->nodes = p;
        sim_world_slot *s = realloc(w->slots, cap * sizeof(*s));
        if (!s) return false;
        w->slots = s;
        size_t **arrays[5] = {&w->wheap, &w->dheap, &w->dirty, &w->run, &w->stack};
        for (int k = 0; k < 5; k++) {
            size_t *q = realloc(*arrays[k], cap * sizeof(*q));
            if (!q) return false;
            *arrays[k] = q;
        }
        w->cap = cap;
    }
    size_t i = w->nnodes++;
    w->nodes[i] = n;
    w->slots[i] = (sim_world_slot){.wake = SIM_TIME_NEVER, .due = SIM_TIME_NEVER, .at = w->now};
    w->wheap[i] = i;
    w->dheap[i] = i;
    w->slots[i].wpos = w->slots[i].dpos = i + 1; /* the largest key, last: a valid heap */
    n->on_touch = world_touch;
    n->on_touch_opaque = w;
    n->world_index = i;
    world_mark(w, i);
    return true;
}

void sim_world_limit_quantum(sim_world *w, uint64_t latency_ps)
{
    if (latency_ps && latency_ps < w->quantum) w->quantum = latency_ps;
}

static int world_cmp_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The step's run list: every node due by h (lazy) or every running node (eager). */
static void world_collect(sim_world *w, uint64_t h)
{
    w->nrun = 0;
    w->run_pos = 0;
    if (w->eager) {
        for (size_t i = 0; i < w->nnodes; i++)
            if (w->nodes[i]->state == SIM_NODE_RUNNING) w->run[w->nrun++] = i;
    } else if (w->nnodes && w->slots[w->dheap[0]].due <= h) {
        /* the heap's entries with due <= h form a subtree at the root: walk it */
        size_t top = 0;
        w->stack[top++] = 0;
        while (top) {
            size_t pos = w->stack[--top];
            w->run[w->nrun++] = w->dheap[pos];
            for (size_t c = 2 * pos + 1; c <= 2 * pos + 2 && c < w->nnodes; c++)
                if (w->slots[w->dheap[c]].due <= h) w->stack[top++] = c;
        }
        qsort(w->run, w->nrun, sizeof(*w->run), world_cmp_index);
    }
    for (size_t k = 0; k < w->nrun; k++)
        w->slots[w->run[k]].queued = true;
}

void sim_world_run_until(sim_world *w, uint64_t t_end, const bool *stop_flag)
{
    /* changes made between runs need no touch */
    for (size_t i = 0; i < w->nnodes; i++)
        world_mark(w, i);
    while (w->now < t_end && !(stop_flag && *stop_flag)) {
        /* world events due now run first: they may change nodes (reset, inject, power) */
        sim_sched_run_until(&w->sched, w->now);
        if (stop_flag && *stop_flag) break;
        uint64_t h = t_end - w->now > w->quantum ? w->now + w->quantum : t_end;
        /* all asleep: nothing can happen before the first wake-up */
        uint64_t wake = SIM_TIME_NEVER;
        if (w->eager) {
            for (size_t k = 0; k < w->ndirty; k++)
                w->slots[w->dirty[k]].dirty = false;
            w->ndirty = 0;
            for (size_t i = 0; i < w->nnodes && wake > h; i++)
                if (w->nodes[i]->state == SIM_NODE_RUNNING) {
                    uint64_t t = sim_node_next_activity(w->nodes[i]);
                    if (t < wake) wake = t;
                }
        } else {
            world_rekey(w);
#ifdef ESPSIM_WORLD_CHECK
            world_check_keys(w);
#endif
            if (w->nnodes) wake = w->slots[w->wheap[0]].wake;
        }
        if (wake > h) h = wake < t_end ? wake : t_end;
        uint64_t next = sim_sched_next(&w->sched);
        if (next > w->now && next < h) h = next;
        world_collect(w, h);
        w->stepping = true;
        w->step_h = h;
        while (w->run_pos < w->nrun) {
            size_t i = w->run[w->run_pos++];
            sim_world_slot *s = &w->slots[i];
            s->queued = false;
            w->cur = i;
            if (w->nodes[i]->state == SIM_NODE_RUNNING) {
                sim_node_run_until(w->nodes[i], h);
                s->steps++;
                w->node_steps++;
            }
            s->at = h;
            w->cur = WORLD_NONE;
            world_mark(w, i);
        }
        w->stepping = false;
        w->nsteps++;
        w->now = h;
        if (w->on_step) w->on_step(w->on_step_opaque, w);
    }
    if (!(stop_flag && *stop_flag)) sim_sched_run_until(&w->sched, w->now);
    /* every running node's clock at the world's time, as if it had been stepped */
    for (size_t i = 0; i < w->nnodes; i++)
        world_catch_up(w, i, w->now);
}
