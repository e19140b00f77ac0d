/* sim/node.h — one simulated chip: CPU + bus + event queue + clock + hooks + guest calls
 * (architecture.md §1, §2, §4). Chip-independent: models/ builds the memory map and models.
 *
 * Clock. The CPU's 64-bit cycle counter is the node's clock. Two readings of it:
 *   local time (ps): what the node's own crystal measures since power-up,
 *     L(c) = local_base + floor((c - base_cycles) * 10^12 / hz)
 *   global time (ps): the world's virtual time. A clock error of ppm > 0 means the node's
 *     oscillator runs fast (hz * (1 + ppm/10^6) real cycles per second); the node powers up at
 *     global time boot_ps:
 *     G(c) = base_ps + floor((c - base_cycles) * 10^12 * 10^6 / (hz * (10^6 + ppm)))
 * (integer arithmetic, rounded down); the bases move when the CPU frequency changes. The node's
 * event queue and every model on the node (CCOUNT, timers, UART bit times, the WDEV and RTC
 * counters, the ROM's delays) run on LOCAL time, so a drifting crystal drifts all of them
 * together, as on hardware; only the world (sim_node_run_until's horizon, cross-node delivery,
 * logs) uses global time. sim_node_cycle_at(L) / sim_node_cycle_at_global(G) give the first
 * cycle whose time is >= the argument (rounded up).
 *
 * Hooks. An instruction fetch inside a SIM_BUS_HOOK region calls the hook covering the address;
 * hooks are inclusive ranges [begin, end] kept sorted; an address with no hook calls the
 * node's `unhooked` callback (the ROM model reports an unimplemented function). A hook at an
 * address outside hook regions (a firmware function hooked by symbol, architecture.md §4) runs
 * instead of the instruction at that address, through the CPU's breakpoint filter.
 *
 * Guest calls. sim_node_call() runs a guest function from C: it saves a0-a15, SAR and pc,
 * passes up to 6 arguments in a2-a7, sets a0 to the trampoline address (inside a hook region)
 * and jumps. When the guest returns to the trampoline the saved registers and pc are restored
 * (the call is invisible to the interrupted code) and the continuation runs with the guest's a2.
 * A continuation that leaves pc unchanged resumes at the saved pc: a hook that starts a guest
 * call from its own address is therefore re-entered after the call, which is how ROM loops such
 * as ets_run are state machines rather than host loops.
 */
#ifndef SIM_NODE_H
#define SIM_NODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bus.h"
#include "sched.h"
#include "xt.h"

typedef struct sim_node sim_node;

typedef void (*sim_hook_fn)(void *opaque, sim_node *node, uint32_t pc);
typedef void (*sim_gcall_fn)(void *opaque, sim_node *node, uint32_t ret);

typedef struct sim_hook {
    uint32_t begin, end; /* inclusive */
    sim_hook_fn fn;
    void *opaque;
    const char *name;
} sim_hook;

typedef struct sim_gcall_frame {
    uint32_t a[16];
    uint32_t pc, sar;
    uint32_t fn;
    sim_gcall_fn cont;
    void *opaque;
} sim_gcall_frame;

/* Why a node stopped running. */
typedef enum sim_node_state {
    SIM_NODE_RUNNING = 0,
    SIM_NODE_HALTED,  /* a model stopped it on purpose (e.g. --until matched) */
    SIM_NODE_FAULTED, /* guest fault; fault_msg says what */
} sim_node_state;

struct sim_node {
    const char *name;
    sim_bus bus;
    xt_cpu cpu;
    sim_sched sched;

    /* clock */
    uint32_t cpu_hz;
    int32_t ppm;
    uint64_t base_cycles; /* cycle count at the last rebase */
    uint64_t base_ps;     /* global time at base_cycles */
    uint64_t local_base;  /* local time at base_cycles */

    /* hooks */
    sim_hook *hooks;
    size_t nhooks, hooks_cap;
    sim_hook_fn unhooked;
    void *unhooked_opaque;

    /* guest calls */
    uint32_t trampoline;
    sim_gcall_frame *gcalls;
    size_t ngcalls, gcalls_cap;

    /* run state */
    sim_node_state state;
    char fault_msg[1024];
    bool in_run; /* inside xt_run: earlier events cut the budget */

    /* lockup detection (see SIM_NODE_LOCKUP_ENTRIES): the last vector entered, the CPU's
     * retired-instruction count then, and how many entries in a row made no progress */
    uint32_t lock_vector;
    uint64_t lock_insns;
    unsigned lock_entries;
    uint32_t spin_pc; /* hook dispatches in a row at spin_pc that changed nothing (node.c) */
    unsigned spin_count;

    /* profiler (sim/prof.h), NULL = off */
    struct sim_prof *prof;

    /* exception observer (models install it; may veto like xt_callbacks.on_exception) */
    bool (*on_exception)(void *opaque, sim_node *node, unsigned cause, uint32_t pc, uint32_t vaddr,
                         uint32_t vector);
    void *on_exception_opaque;

    /* called by sim_node_fault and sim_node_halt (after the state change; may be NULL) */
    void (*on_stop)(void *opaque, sim_node *node);
    void *on_stop_opaque;

    /* the world that steps the node (sim/world.h installs it; see sim_node_touch) */
    void (*on_touch)(void *opaque, sim_node *node);
    void *on_touch_opaque;
    size_t world_index; /* index in that world */
};

/* CPU lockup. An exception whose faulting instruction is the first instruction of the vector it
 * enters, when that vector is the one entered last and no instruction completed since, makes no
 * progress: the chip would re-enter the vector until a watchdog or reset ends it (and a vector
 * that cannot even be fetched does not advance time at all). After this many such entries in a
 * row the node stops with the guest fault "CPU lockup: ..." (the exception is not taken). An
 * exception handled by code that completes, e.g. a handler returning with RFE, never counts. */
#define SIM_NODE_LOCKUP_ENTRIES 16u
/* A hook that leaves pc at its own address without charging time or starting a guest call (a
 * ROM model returning to an a0 that points at itself) would repeat at one instant forever; on
 * the chip that code spins and time passes. From this many such dispatches in a row, each one
 * costs a cycle, so events, timers and watchdogs still run. */
#define SIM_NODE_SPIN_DISPATCHES 16u

/* Prepares a node whose CPU resets to reset_pc and runs at cpu_hz with a clock error of ppm,
 * powering up at global time boot_ps (local time 0). The bus is empty: the machine adds
 * regions. */
void sim_node_init(sim_node *n, const char *name, uint32_t reset_pc, uint32_t cpu_hz, int32_t ppm,
                   uint64_t boot_ps);
void sim_node_free(sim_node *n);

/* Local time (the node's own clock; node models use these). */
uint64_t sim_node_time_at(const sim_node *n, uint64_t cycles);
uint64_t sim_node_cycle_at(const sim_node *n, uint64_t local_ps);
static inline uint64_t sim_node_now(const sim_node *n)
{
    return sim_node_time_at(n, n->cpu.cycles);
}
/* Global time (the world's clock). */
uint64_t sim_node_global_at(const sim_node *n, uint64_t cycles);
uint64_t sim_node_cycle_at_global(const sim_node *n, uint64_t global_ps);
static inline uint64_t sim_node_global_now(const sim_node *n)
{
    return sim_node_global_at(n, n->cpu.cycles);
}
/* Global time at which the node's clock reads local_ps (exact ratio, rounded down; local_ps at
 * or after the last frequency change). */
uint64_t sim_node_global_from_local(const sim_node *n, uint64_t local_ps);
/* Changes the CPU clock from now on (e.g. 80 -> 160 MHz); time stays continuous. */
void sim_node_set_cpu_hz(sim_node *n, uint32_t hz);

/* Hooks: [begin, end] inclusive; must not overlap an existing hook. Returns false if it does. */
bool sim_node_hook(sim_node *n, uint32_t begin, uint32_t end, sim_hook_fn fn, void *opaque,
                   const char *name);
const sim_hook *sim_node_find_hook(const sim_node *n, uint32_t addr);
/* Removes the hook that begins at addr (false if there is none). */
bool sim_node_unhook(sim_node *n, uint32_t addr);

/* Guest calls; see the header comment. Returns false if fn is 0 (nothing is called). */
bool sim_node_call(sim_node *n, uint32_t fn, const uint32_t *args, unsigned nargs,
                   sim_gcall_fn cont, void *opaque);
/* The same, telling an attached profiler what kind of context the call is (sim/prof.h
 * sim_ctx; detail: task priority, interrupt number). sim_node_call is a SIM_CTX_CALLBACK. */
bool sim_node_call_as(sim_node *n, unsigned kind, uint32_t detail, uint32_t fn,
                      const uint32_t *args, unsigned nargs, sim_gcall_fn cont, void *opaque);
/* A model returned from an exception as RFE would (the ROM's _xtos_return_from_exc). */
void sim_node_note_rfe(sim_node *n);
/* Attaches a profiler (NULL detaches). The profiler must outlive the attachment. */
void sim_node_attach_prof(sim_node *n, struct sim_prof *p);
/* Forgets pending guest calls (on reset). */
void sim_node_drop_calls(sim_node *n);

/* Stops the node with a guest-fault message (printf-style). */
void sim_node_fault(sim_node *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sim_node_halt(sim_node *n);

/* Earliest global time at which the node can do anything observable: now if its CPU is running
 * or sleeps in WAITI with an interrupt already pending (raised by a world-level delivery since
 * it went to sleep); otherwise its next event or CCOMPARE0 match (nothing else can wake it:
 * nodes affect each other only through world-level deliveries). */
uint64_t sim_node_next_activity(const sim_node *n);

/* Earliest global horizon h for which sim_node_run_until(n, h) does more than advance the
 * clock of a core asleep in WAITI: 0 if the core is awake or an interrupt is pending, else the
 * first h whose cycle (sim_node_cycle_at_global(h), rounded up) reaches the next event or the
 * CCOMPARE0 match; SIM_TIME_NEVER if the node is not running. Relies on xt_run's contract for a
 * sleeping core with nothing pending: time skips to min(budget end, CCOMPARE0 match) and
 * nothing else changes. */
uint64_t sim_node_due(const sim_node *n);

/* Call BEFORE changing or reading a node from outside its own run: from a world event, another
 * node's model (a wire), the scenario runner. Anything that can change when the node must next
 * run (an event scheduled on it, an interrupt raised, a reset, a state change) or that reads its
 * clock needs it. The world (sim/world.h) skips sleeping nodes; a touch brings the node's clock
 * to where stepping it would have left it and makes the world re-compute when it must next run
 * (after the change). A no-op for a node outside a world, or for the node the world is running. */
static inline void sim_node_touch(sim_node *n)
{
    if (n->on_touch) n->on_touch(n->on_touch_opaque, n);
}

/* Runs events and the CPU until GLOBAL time t_end (ps) or until the node stops. Returns the
 * node state. */
sim_node_state sim_node_run_until(sim_node *n, uint64_t t_end);

#endif
