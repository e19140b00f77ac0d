/* sim/sched.h — a node's event queue (architecture.md §2).
 *
 * Events are structs embedded in their owners (no pool). The queue orders them by
 * (when, prio, seq): equal times run lower prio first, then in scheduling order, so ties are
 * never left to chance. Times are global virtual picoseconds. Scheduling an event that is
 * already pending, or cancelling one that is not, is a programming error and aborts.
 */
#ifndef SIM_SCHED_H
#define SIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_TIME_NEVER UINT64_MAX

typedef struct sim_event sim_event;
/* Called when the event is due; now is the time it was scheduled for (events run exactly at
 * their time). The callback may re-schedule the same event. */
typedef void (*sim_event_fn)(void *opaque, sim_event *ev, uint64_t now_ps);

struct sim_event {
    const char *name; /* static string, for traces */
    sim_event_fn fn;
    void *opaque;
    int prio;      /* tie-break at equal times: lower first */
    uint64_t when; /* ps, valid while pending */
    uint64_t seq;  /* scheduling order */
    size_t slot;   /* heap index + 1 while pending, 0 otherwise */
};

typedef struct sim_sched {
    sim_event **heap;
    size_t n, cap;
    uint64_t seq;
    uint64_t now; /* time of the last event run (ps) */
    /* Called when an event is scheduled earlier than the current head, so a running CPU
     * budget can be cut short. May be NULL. */
    void (*on_earlier)(void *opaque, uint64_t when);
    void *on_earlier_opaque;
} sim_sched;

void sim_sched_init(sim_sched *s);
void sim_sched_free(sim_sched *s);

/* Prepares an event owned by the caller. */
void sim_event_init(sim_event *ev, const char *name, sim_event_fn fn, void *opaque, int prio);
static inline bool sim_event_pending(const sim_event *ev)
{
    return ev->slot != 0;
}

/* Schedules ev at absolute time when (ps). Aborts if ev is already pending. */
void sim_sched_at(sim_sched *s, sim_event *ev, uint64_t when);
/* Removes a pending event. Aborts if it is not pending. */
void sim_sched_cancel(sim_sched *s, sim_event *ev);
/* Cancels if pending, then schedules. */
void sim_sched_reschedule(sim_sched *s, sim_event *ev, uint64_t when);

/* Time of the earliest pending event, or SIM_TIME_NEVER. */
static inline uint64_t sim_sched_next(const sim_sched *s)
{
    return s->n ? s->heap[0]->when : SIM_TIME_NEVER;
}

/* Runs, in order, every event due at or before now. Returns how many ran. */
size_t sim_sched_run_until(sim_sched *s, uint64_t now);

#endif
