/* sim/prof.h — what a node is doing at every instant, measured on its own clock (issue:
 * timing budgets; docs/profiling.md).
 *
 * A profiler attached to a node (sim_node_attach_prof) keeps a stack of contexts without
 * instrumenting the firmware: hardware exception and interrupt entries (from the CPU, closed
 * by RFE/RFI or the ROM's emulated return), and the guest calls the C models make (an interrupt
 * handler from the ROM's dispatcher, a task from ets_run, a timer callback, an SDK callback),
 * plus a shadow call stack from CALL0/CALLX0/RET. From them it derives:
 *   - per (kind, handler) statistics: count, total, max and a log-linear histogram (p99 with
 *     at most 1/32 relative error, never above the max);
 *   - budget violations (an interrupt handler longer than isr_ps, a task or timer or SDK
 *     callback longer than task_ps, busy without a WAITI for longer than busy_ps), each with
 *     the call stack captured the instant the budget was exceeded;
 *   - IRAM risks: an interrupt handler, or anything it calls, fetching code from or reading
 *     data in a SIM_BUS_CACHED region (the ESP8266 flash window);
 *   - PC samples every sample_ps of busy time, folded with their call stacks;
 *   - optionally, one Chrome trace event per context (sim_prof.trace).
 * All times are the node's local picoseconds (its own crystal, docs/timing-model.md); durations
 * include nested interrupts. The profiler never changes what the guest does.
 */
#ifndef SIM_PROF_H
#define SIM_PROF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sched.h"

typedef struct sim_node sim_node;

typedef enum sim_ctx {
    SIM_CTX_MAIN = 0, /* outside every handler (boot, the firmware's own loops) */
    SIM_CTX_ISR,      /* level-1 interrupt entry until its return */
    SIM_CTX_NMI,      /* the level-3 NMI until RFI 3 */
    SIM_CTX_EXC,      /* another exception (not budgeted) */
    SIM_CTX_HANDLER,  /* an interrupt handler called by the ROM's dispatcher */
    SIM_CTX_TASK,     /* an ETS task called by ets_run (detail = priority) */
    SIM_CTX_TIMER,    /* a software timer callback */
    SIM_CTX_CALLBACK, /* an SDK callback or another guest call from a model */
    SIM_CTX_IDLE_CB,  /* ets_run's idle callback: not counted as busy */
    SIM_CTX_IDLE,     /* asleep in WAITI (only in samples) */
    SIM_CTX_COUNT
} sim_ctx;

const char *sim_ctx_name(sim_ctx kind);

/* Resolves an address to a symbol name and the offset into it; NULL if unknown. */
typedef const char *(*sim_prof_symbolize_fn)(void *opaque, uint32_t addr, uint32_t *off);

/* Budgets in local picoseconds (0 = no check). Per-handler overrides by entry address. */
typedef struct sim_prof_budget_override {
    uint32_t fn;
    uint64_t ps;
} sim_prof_budget_override;

typedef struct sim_prof_config {
    uint64_t isr_ps;    /* default 50 us */
    uint64_t task_ps;   /* default 15 ms (tasks, timer and SDK callbacks) */
    uint64_t busy_ps;   /* default 500 ms */
    uint64_t sample_ps; /* PC sampling period, default 50 us; 0 = no sampling */
    const sim_prof_budget_override *overrides;
    size_t noverrides;
    sim_prof_symbolize_fn symbolize;
    void *symbolize_opaque;
    struct sim_trace *trace; /* Chrome trace output shared by the nodes, or NULL */
    unsigned trace_pid;      /* process id of this node in the trace */
} sim_prof_config;

/* A Chrome trace event file (JSON object format; Perfetto and chrome://tracing read it),
 * shared by every node of a run. Events beyond max_events are dropped (and counted). */
typedef struct sim_trace {
    FILE *f;
    uint64_t events, dropped, max_events;
} sim_trace;

/* Track (thread) ids inside a node's process. */
enum {
    SIM_TRACE_TID_IRQ = 1,
    SIM_TRACE_TID_TASK,
    SIM_TRACE_TID_TIMER,
    SIM_TRACE_TID_CALLBACK,
    SIM_TRACE_TID_EXC,
    SIM_TRACE_TID_RADIO, /* frames this node sends (airtime) */
    SIM_TRACE_TID_I2C,
    SIM_TRACE_TID_GPIO,
    SIM_TRACE_TID_RADIO_RX, /* frames this node receives (airtime) */
};

void sim_trace_open(sim_trace *t, FILE *f, uint64_t max_events);
/* Names a process (node) and its tracks. */
void sim_trace_process(sim_trace *t, unsigned pid, const char *name);
/* A complete event ("ph":"X") from global start to end (ps); args_json is NULL or the members
 * of an "args" object ("\"len\":12"). */
void sim_trace_span(sim_trace *t, unsigned pid, unsigned tid, const char *name, const char *cat,
                    uint64_t start_ps, uint64_t end_ps, const char *args_json);
/* An instant event ("ph":"i"). */
void sim_trace_instant(sim_trace *t, unsigned pid, unsigned tid, const char *name, const char *cat,
                       uint64_t t_ps, const char *args_json);
void sim_trace_close(sim_trace *t);

#define SIM_PROF_DEPTH 24u /* nested contexts kept (deeper ones are counted, not tracked) */
#define SIM_PROF_CALLS 256u
#define SIM_PROF_SNAP  24u

/* A call stack: entries are function entry addresses, or context markers
 * (SIM_PROF_MARK | kind); the last one is the pc. */
#define SIM_PROF_MARK 0xFFFFFF00u
typedef struct sim_prof_stack {
    uint32_t n;
    uint32_t a[SIM_PROF_SNAP];
} sim_prof_stack;

typedef struct sim_prof_violation {
    sim_ctx kind; /* SIM_CTX_IDLE for "busy" */
    uint32_t fn, detail;
    uint64_t start_ps, dur_ps, budget_ps; /* local */
    bool unfinished;                      /* still running when the run ended */
    sim_prof_stack stack;                 /* at the instant the budget was exceeded */
} sim_prof_violation;

typedef struct sim_prof_risk {
    uint32_t handler; /* innermost interrupt handler (or vector) */
    uint32_t pc;      /* the first instruction that touched the flash window */
    uint32_t addr;    /* fetched or read address */
    bool fetch;
    bool window_off; /* flash window disabled (a flash operation in progress): the chip crashes */
    uint64_t t_ps;
    uint64_t count;
} sim_prof_risk;

#define SIM_PROF_HIST 1024u /* 32 octaves x 32 sub-buckets of durations in ns */

typedef struct sim_prof_stat {
    bool used;
    sim_ctx kind;
    uint32_t fn;
    uint64_t count, total_ps, max_ps;
    uint64_t violations;
    uint32_t hist[SIM_PROF_HIST];
} sim_prof_stat;

typedef struct sim_prof_frame {
    sim_ctx kind;
    unsigned level; /* exception frames: 1 (RFE) or the RFI level */
    uint32_t fn, detail;
    uint64_t start_cycles;
    uint32_t call_base; /* shadow stack depth at entry */
    uint32_t handlers;  /* budgeted frames of the same class nested directly */
    uint64_t budget_ps;
    bool over;
    sim_prof_stack snap;
    sim_event deadline;
    struct sim_prof *owner;
} sim_prof_frame;

typedef struct sim_prof_sample {
    uint64_t hash;
    uint64_t count;
    sim_prof_stack stack;
} sim_prof_sample;

typedef struct sim_prof {
    sim_node *node;
    sim_prof_config cfg;
    sim_prof_frame frames[SIM_PROF_DEPTH];
    unsigned depth, lost_depth;
    uint32_t calls[SIM_PROF_CALLS];
    uint32_t ncalls; /* may exceed SIM_PROF_CALLS: deeper entries are counted, not kept */
    /* busy tracking */
    bool asleep;
    uint64_t sleep_start_g; /* global ps when the last sleep began */
    uint64_t busy_start_cycles;
    sim_prof_stack busy_snap;
    sim_event busy_deadline;
    /* sampling */
    sim_event sample_ev;
    uint64_t idle_samples, samples;
    sim_prof_sample *tab; /* open addressing on hash */
    size_t ntab, tab_cap;
    /* results */
    sim_prof_stat *stats;
    size_t nstats, stats_cap;
    sim_prof_violation *viol;
    size_t nviol, viol_cap;
    uint64_t viol_total;
    sim_prof_risk *risks;
    size_t nrisks, risks_cap;
    bool oom;
} sim_prof;

/* Prepares p for node n (does not attach it: sim_node_attach_prof does). */
void sim_prof_init(sim_prof *p, sim_node *n, const sim_prof_config *cfg);
void sim_prof_free(sim_prof *p);

/* Called by the node (sim/node.c) and the models. */
void sim_prof_enter(sim_prof *p, sim_ctx kind, uint32_t fn, uint32_t detail);
void sim_prof_leave(sim_prof *p);
/* Exception or interrupt entry (cause, pc, vaddr as given to xt_callbacks.on_exception). A
 * fetch or load error in interrupt context (what a disabled flash window gives) is recorded as
 * an IRAM risk that crashed. */
void sim_prof_exception(sim_prof *p, unsigned cause, uint32_t pc, uint32_t vaddr, uint32_t vector);
/* Return from exception at level (1 = RFE or the ROM's emulated RFE, 2..3 = RFI n). */
void sim_prof_return(sim_prof *p, unsigned level);
void sim_prof_call(sim_prof *p, uint32_t target);
void sim_prof_ret(sim_prof *p, uint32_t to);
void sim_prof_sleep(sim_prof *p, bool asleep);
/* A hook (C model) runs at pc: a call into it returns without a RET, so its entry is dropped. */
void sim_prof_hook(sim_prof *p, uint32_t pc);
/* A fetch (fetch = true) or data read at addr in a cached region while watched. */
void sim_prof_flash(sim_prof *p, uint32_t pc, uint32_t addr, bool fetch, bool window_off);

/* The node was reset: every open context is dropped (not counted), the node is busy from now. */
void sim_prof_reset(sim_prof *p);
/* Closes what is still open at the end of a run (unfinished frames over budget are reported). */
void sim_prof_finish(sim_prof *p);

/* Reports. */
/* Percentile (0..100) of a stat's durations in ps (upper bound of its bucket, <= max). */
uint64_t sim_prof_percentile(const sim_prof_stat *s, unsigned pct);
/* Writes "SYMBOL+0xOFF" (or 0xADDR, or a context marker's name) into out. */
void sim_prof_name(const sim_prof *p, uint32_t addr, char *out, size_t size);
/* The per-handler table and the violations, as `espsim run --profile` prints them. */
void sim_prof_report(const sim_prof *p, FILE *out, const char *node_name);
/* Folded stacks ("node;frame;frame count" lines) for flamegraph.pl and speedscope. */
void sim_prof_write_folded(const sim_prof *p, FILE *out, const char *node_name);

#endif
