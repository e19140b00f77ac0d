/* sim/world.h — N nodes on one global virtual clock (architecture.md §2).
 *
 * The world advances every node to a common horizon, one quantum at a time; when every running
 * node sleeps in WAITI, the horizon jumps to the earliest time one of them can wake (its next
 * event or CCOMPARE0 match) or the next world event, so idle time costs nothing; the quantum is
 * no longer than the shortest latency by which one node can affect another (world links
 * register it), so cross-node effects are delivered at their exact timestamps. Nodes that
 * cannot affect each other are independent, so results do not depend on host speed, load or
 * run order. World-level events (scenario actions, link deliveries) live in the world's own
 * queue and run between quanta at their times, before the nodes catch up.
 *
 * Idle nodes cost nothing. The world keeps the running nodes in two min-heaps: by
 * sim_node_next_activity (which sets the horizon) and by sim_node_due (the first horizon at
 * which stepping a node does more than advance a sleeping clock). A step runs only the nodes
 * due by its horizon, in index order; the others are skipped, which is exact: running a skipped
 * node would only have moved its clock. Whatever changes or reads a node from outside its own
 * run calls sim_node_touch first (node.h): the world then brings that node's clock to where
 * stepping would have left it (the horizon of the current step for nodes before the running
 * one in index order, else the world's time) and re-keys it before the next horizon is chosen;
 * a node after the running one touched during a step is stepped in that step, as before. Every
 * node is re-keyed when sim_world_run_until starts (changes made between runs need no touch),
 * and when it returns every running node's clock is at the world's time. Debug builds
 * (ESPSIM_WORLD_CHECK) check the keys of every node at every step and abort on a stale one (a
 * missing touch). `eager` steps every running node every quantum, the reference behaviour: results
 * are identical either way (tests compare them).
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"
#include "sched.h"

/* Per-node bookkeeping of the world (index = node index). */
typedef struct sim_world_slot {
    uint64_t wake;      /* sim_node_next_activity at the last re-key */
    uint64_t due;       /* sim_node_due at the last re-key */
    uint64_t at;        /* the node's clock is where running it to `at` left it (ps) */
    uint64_t steps;     /* sim_node_run_until calls by the world (statistics, tests) */
    uint64_t keyed;     /* world step (sim_world.nsteps) of the last re-key */
    size_t wpos, dpos;  /* positions + 1 in the wake and due heaps, 0 = absent */
    bool dirty, queued; /* to re-key; in the current step's run list */
} sim_world_slot;

typedef struct sim_world {
    sim_node **nodes; /* not owned */
    size_t nnodes, cap;
    sim_world_slot *slots;
    size_t *wheap, *dheap; /* node indices, min-heaps by slot wake / due (ties: index) */
    size_t nwheap, ndheap;
    size_t *dirty, ndirty;      /* nodes to re-key */
    size_t *run, nrun, run_pos; /* the current step's nodes, ascending index; next to run */
    size_t *stack;              /* scratch for walking the due heap */
    bool stepping;              /* inside the node-stepping phase of a step */
    uint64_t step_h;            /* that step's horizon */
    size_t cur;                 /* the node being stepped, or (size_t)-1 */
    bool eager;                 /* step every running node every quantum (reference) */
    uint64_t nsteps;            /* steps (horizons) so far */
    uint64_t node_steps;        /* nodes stepped so far (statistics) */
    uint64_t catch_ups;         /* skipped nodes brought up to date by a touch or at the end */
    sim_sched sched;            /* world-level events */
    uint64_t now;               /* every node has reached this time */
    uint64_t quantum;           /* max step (ps) while some node is busy */
    /* Called after every step with w->now = the step's end (e.g. the scenario runner's polling).
     * May set the stop flag given to sim_world_run_until. */
    void (*on_step)(void *opaque, struct sim_world *w);
    void *on_step_opaque;
} sim_world;

void sim_world_init(sim_world *w, uint64_t quantum_ps);
/* Detaches the nodes (their touch callback): call it before the nodes are freed. */
void sim_world_free(sim_world *w);
/* Adds a node (index = order of addition) and installs its touch callback. Returns false on
 * allocation failure. */
bool sim_world_add(sim_world *w, sim_node *n);
/* Lowers the quantum (a link whose latency is shorter than the current quantum). */
void sim_world_limit_quantum(sim_world *w, uint64_t latency_ps);
/* Runs world events and nodes until t_end. Stopped nodes (halted, faulted) are skipped. Returns
 * early (with w->now < t_end) if stop_flag becomes true (checked between quanta). */
void sim_world_run_until(sim_world *w, uint64_t t_end, const bool *stop_flag);

#endif
