/* sim/sched.c — binary min-heap of event pointers; see sched.h. */
#include "sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sched_die(const char *what, const sim_event *ev)
{
    fprintf(stderr, "espsim: internal error: %s (event %s)\n", what, ev->name ? ev->name : "?");
    abort();
}

void sim_sched_init(sim_sched *s)
{
    memset(s, 0, sizeof(*s));
}

void sim_sched_free(sim_sched *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->heap[i]->slot = 0;
    free(s->heap);
    memset(s, 0, sizeof(*s));
}

void sim_event_init(sim_event *ev, const char *name, sim_event_fn fn, void *opaque, int prio)
{
    memset(ev, 0, sizeof(*ev));
    ev->name = name;
    ev->fn = fn;
    ev->opaque = opaque;
    ev->prio = prio;
}

static inline bool ev_before(const sim_event *a, const sim_event *b)
{
    if (a->when != b->when) return a->when < b->when;
    if (a->prio != b->prio) return a->prio < b->prio;
    return a->seq < b->seq;
}

static inline void heap_put(sim_sched *s, size_t i, sim_event *ev)
{
    s->heap[i] = ev;
    ev->slot = i + 1;
}

static void sift_up(sim_sched *s, size_t i)
{
    sim_event *ev = s->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ev_before(ev, s->heap[parent])) break;
        heap_put(s, i, s->heap[parent]);
        i = parent;
    }
    heap_put(s, i, ev);
}

static void sift_down(sim_sched *s, size_t i)
{
    sim_event *ev = s->heap[i];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const sim_event *best = ev;
        if (l < s->n && ev_before(s->heap[l], best)) {
            m = l;
            best = s->heap[l];
        }
        if (r < s->n && ev_before(s->heap[r], best)) m = r;
        if (m == i) break;
        heap_put(s, i, s->heap[m]);
        i = m;
    }
    heap_put(s, i, ev);
}

void sim_sched_at(sim_sched *s, sim_event *ev, uint64_t when)
{
    if (ev->slot) sched_die("event scheduled twice", ev);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        sim_event **h = realloc(s->heap, cap * sizeof(*h));
        if (!h) sched_die("out of memory", ev);
        s->heap = h;
        s->cap = cap;
    }
    ev->when = when;
    ev->seq = s->seq++;
    uint64_t head = sim_sched_next(s);
    heap_put(s, s->n, ev);
    s->n++;
    sift_up(s, s->n - 1);
    if (when < head && s->on_earlier) s->on_earlier(s->on_earlier_opaque, when);
}

void sim_sched_cancel(sim_sched *s, sim_event *ev)
{
    if (!ev->slot) sched_die("cancel of an event that is not pending", ev);
    size_t i = ev->slot - 1;
    ev->slot = 0;
    s->n--;
    if (i == s->n) return;
    heap_put(s, i, s->heap[s->n]);
    sift_down(s, i);
    sift_up(s, s->heap[i]->slot - 1);
}

void sim_sched_reschedule(sim_sched *s, sim_event *ev, uint64_t when)
{
    if (ev->slot) sim_sched_cancel(s, ev);
    sim_sched_at(s, ev, when);
}

size_t sim_sched_run_until(sim_sched *s, uint64_t now)
{
    size_t ran = 0;
    while (s->n && s->heap[0]->when <= now) {
        sim_event *ev = s->heap[0];
        sim_sched_cancel(s, ev);
        s->now = ev->when;
        ev->fn(ev->opaque, ev, ev->when);
        ran++;
    }
    if (now > s->now) s->now = now;
    return ran;
}
