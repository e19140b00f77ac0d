/* sim/world.h — N nodes on one global virtual clock (architecture.md §2).
 *
 * The world advances every node to a common horizon, one quantum at a time, nodes in index
 * order; when every running node sleeps in WAITI, the horizon jumps to the earliest time one of
 * them can wake (its next event or CCOMPARE0 match) or the next world event, so idle time costs
 * nothing; the quantum is no longer than the shortest latency by which one node can affect
 * another (world links register it), so cross-node effects are delivered at their exact
 * timestamps. Nodes that cannot affect each other are independent, so results do not depend on
 * host speed, load or run order. World-level events (scenario actions, link deliveries) live in
 * the world's own queue and run between quanta at their times, before the nodes catch up.
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"
#include "sched.h"

typedef struct sim_world {
    sim_node **nodes; /* not owned */
    size_t nnodes, cap;
    sim_sched sched;  /* world-level events */
    uint64_t now;     /* every node has reached this time */
    uint64_t quantum; /* max step (ps) while some node is busy */
    /* Called after every step with w->now = the step's end (e.g. the scenario runner's polling).
     * May set the stop flag given to sim_world_run_until. */
    void (*on_step)(void *opaque, struct sim_world *w);
    void *on_step_opaque;
} sim_world;

void sim_world_init(sim_world *w, uint64_t quantum_ps);
void sim_world_free(sim_world *w);
/* Adds a node (index = order of addition). Returns false on allocation failure. */
bool sim_world_add(sim_world *w, sim_node *n);
/* Lowers the quantum (a link whose latency is shorter than the current quantum). */
void sim_world_limit_quantum(sim_world *w, uint64_t latency_ps);
/* Runs world events and nodes until t_end. Stopped nodes (halted, faulted) are skipped. Returns
 * early (with w->now < t_end) if stop_flag becomes true (checked between quanta). */
void sim_world_run_until(sim_world *w, uint64_t t_end, const bool *stop_flag);

#endif
