/* sim/xt.h — Xtensa LX106 interpreter (architecture.md §3).
 *
 * One xt_cpu per core, no globals. The CPU reaches memory only through its sim_bus; the
 * machine that owns it sets the fault-to-cause table, the PS write mask and the callbacks.
 * Time: the CPU counts cycles (64-bit, since reset); CCOUNT is derived from them.
 */
#ifndef SIM_XT_H
#define SIM_XT_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "xt_config.h"
#include "xt_ops.h"

/* A decoded instruction. r, s, t are the instruction's nibble fields; what imm/imm2 hold is
 * given per format in xt_ops.h. */
typedef struct xt_insn {
    uint32_t word; /* raw bits, byte 0 in bits 7:0 */
    uint16_t op;   /* xt_op */
    uint8_t len;   /* 2 or 3 bytes */
    uint8_t cost;  /* base cycles (docs/timing-model.md), before memory and branch extras */
    uint8_t r, s, t;
    int32_t imm;
    int32_t imm2;
} xt_insn;

/* Decodes the instruction whose first bytes are in word (bytes 0..2 in bits 0..23; for a
 * 16-bit instruction bits 16..23 are ignored). Always succeeds; undefined encodings decode to
 * XT_OP_ILLEGAL with len from op0 (3 for op0 14/15). */
void xt_decode(uint32_t word, xt_insn *out);

/* Instruction length from the first byte: op0 0..7 -> 3, 8..13 -> 2, 14..15 -> 3 (reserved). */
static inline unsigned xt_insn_len(uint8_t byte0)
{
    unsigned op0 = byte0 & 15u;
    return (op0 >= 8 && op0 <= 13) ? 2u : 3u;
}

typedef struct xt_cpu xt_cpu;

/* Why xt_run returned. */
typedef enum xt_stop {
    XT_STOP_NONE = 0,
    XT_STOP_BUDGET,  /* the cycle budget is used up */
    XT_STOP_IDLE,    /* WAITI with nothing pending and nothing due before the budget end */
    XT_STOP_REQUEST, /* a callback called xt_request_stop */
    XT_STOP_FATAL,   /* an exception the machine declared fatal (see on_exception) */
} xt_stop;

/* Callbacks into the machine. Each gets the cpu and the opaque pointer of xt_callbacks. */
typedef struct xt_callbacks {
    void *opaque;
    /* SIMCALL executed (a2.. hold the request). NULL: SIMCALL is an illegal instruction. */
    void (*simcall)(void *opaque, xt_cpu *cpu);
    /* Fetch from a SIM_BUS_HOOK region at pc. The handler must move pc (e.g. to a0) or stop
     * the CPU; it may charge cycles with xt_charge. */
    void (*hook)(void *opaque, xt_cpu *cpu, uint32_t pc);
    /* Breakpoint at pc (an address whose filter bit is set, see xt_bp_add), before the
     * instruction there executes. Return true if the handler took over (moved pc or stopped),
     * false to execute the instruction normally (the filter has false positives). */
    bool (*breakpoint)(void *opaque, xt_cpu *cpu, uint32_t pc);
    /* Called before an exception or interrupt vector is entered (cause per §1.7, or
     * XT_EXC_NMI / XT_EXC_DEBUG / XT_EXC_DOUBLE flag bits). Return false to make it fatal:
     * the CPU state is left as at the faulting instruction and xt_run returns XT_STOP_FATAL. */
    bool (*on_exception)(void *opaque, xt_cpu *cpu, unsigned cause, uint32_t pc, uint32_t vaddr,
                         uint32_t vector);
    /* Optional per-instruction trace (called before execution). Slows the interpreter. */
    void (*trace)(void *opaque, xt_cpu *cpu, uint32_t pc, const xt_insn *insn);
    /* Optional control-flow observer for profilers (xt_flow; arg as documented there). Costs a
     * test per call, return, RFE/RFI and WAITI when NULL. */
    void (*on_flow)(void *opaque, xt_cpu *cpu, unsigned flow, uint32_t arg);
} xt_callbacks;

/* What xt_callbacks.on_flow reports, before the transfer takes effect (pc = the instruction). */
typedef enum xt_flow {
    XT_FLOW_CALL,        /* CALL0/CALLX0; arg = target */
    XT_FLOW_RET,         /* RET/RET.N; arg = a0 */
    XT_FLOW_RFE,         /* RFE; arg = 1 */
    XT_FLOW_RFI,         /* RFI n; arg = n */
    XT_FLOW_SLEEP,       /* WAITI (or xt_wait) */
    XT_FLOW_WAKE,        /* an interrupt ends WAITI (reported before its vector is entered) */
    XT_FLOW_CACHED_EXEC, /* while cache_watch: a fetch touches a line of a cached region; arg = addr
                          */
    XT_FLOW_CACHED_READ, /* while cache_watch: a data read in a cached region; arg = addr */
} xt_flow;

/* Flag bits added to the cause given to on_exception for non-EXCCAUSE entries. */
#define XT_EXC_DOUBLE 0x100u /* entered through the double-exception vector */
#define XT_EXC_NMI    0x200u /* level-3 NMI */
#define XT_EXC_DEBUG  0x400u /* debug exception (BREAK, BREAK.N) */

/* Software TLB entry: host addend for one 4 KB page (private to xt_exec.c). */
typedef struct xt_tlb_entry {
    uint32_t tag; /* (page number << 1) | 1, or 0 if empty */
    uint8_t data32;
    uint8_t cached;   /* reads go through the cache model (SIM_BUS_CACHED) */
    uint8_t code;     /* write entry of a page that holds decoded blocks: stores bump code_epoch */
    uint16_t wait;    /* extra cycles per access (the region's read_wait / write_wait) */
    uintptr_t addend; /* host address = addend + guest address */
} xt_tlb_entry;

/* Cache timing model for SIM_BUS_CACHED regions (the ESP8266 flash cache, docs/timing-model.md):
 * direct-mapped, tags only (the data always comes from the region). A fetch or read touching a
 * line whose tag is absent costs miss_cycles more and installs the tag. lines = 0: no model. */
#define XT_CACHE_MAX_LINES 1024u
typedef struct xt_cache {
    uint32_t lines;       /* power of two, <= XT_CACHE_MAX_LINES; 0 = off */
    uint32_t line_bits;   /* log2 of the line size in bytes */
    uint32_t miss_cycles; /* extra cycles per miss */
    uint32_t last;        /* line number + 1 of the most recent access, 0 = none */
    uint64_t hits, misses;
    uint32_t tag[XT_CACHE_MAX_LINES]; /* line number + 1, 0 = invalid */
} xt_cache;

#define XT_TLB_SIZE        64u
#define XT_CODE_PAGES_BITS 6u
#define XT_CODE_PAGES      (1u << XT_CODE_PAGES_BITS)

struct xt_cpu {
    uint32_t a[16];
    uint32_t pc;
    uint32_t sr[256];     /* special registers by number (CCOUNT derived, see xt_get_ccount) */
    uint64_t cycles;      /* CPU cycles since reset */
    uint64_t insns;       /* instructions retired since reset */
    uint32_t ccount_base; /* CCOUNT = ccount_base + (uint32_t)cycles */
    uint64_t ccompare_at; /* cycle at which CCOUNT next equals CCOMPARE0 */
    uint32_t irq_lines;   /* level-triggered input lines (bits 0..5 etc.) */
    uint8_t itlb_attr[8]; /* region protection attribute per 512 MB region (§1.9) */
    uint8_t dtlb_attr[8];
    uint64_t bp_filter; /* bit (pc >> 2) & 63 set: pc may have a breakpoint */
    xt_cache cache;     /* flash-cache timing (machine-configured) */
    bool cache_watch;   /* report cached-region accesses through on_flow (profilers) */
    bool waiting;       /* in WAITI */
    bool check_irq;     /* interrupt state changed: re-evaluate before the next insn */

    /* Machine configuration. */
    sim_bus *bus;
    xt_callbacks cb;
    uint8_t fault_cause[SIM_BUS_FAULT_COUNT][3]; /* [fault][sim_bus_access] -> EXCCAUSE */
    uint32_t ps_wmask; /* bits of PS that WSR/XSR can set (QEMU keeps 0x70F3F) */
    uint32_t reset_pc;

    /* Run state. */
    uint64_t budget_end; /* xt_run stops when cycles reach this */
    xt_stop stop;
    uint32_t npc; /* next pc while an instruction executes */

    /* Caches (not architectural). */
    const uint8_t *code_host; /* host memory of the region holding the last fetch */
    uint32_t code_base;
    uint32_t code_limit; /* fast fetch allowed while pc - code_base < code_limit; 0 = off */
    bool code_cached;    /* the code window is a SIM_BUS_CACHED region */
    /* Decoded blocks are revalidated against memory when code_epoch has moved since they were
     * last checked. It moves on every xt_run entry, after every call out of the fast paths
     * (handlers, hooks, MMIO: anything a model does to memory happens there or between runs),
     * and on every store to a page that holds blocks (code_pages; after an overflow every
     * executable page counts). */
    uint64_t code_epoch;
    uint32_t code_pages[XT_CODE_PAGES]; /* page number + 1 of pages with blocks, 0 = free */
    bool code_pages_full;               /* a page did not fit: treat every X page as code */
    xt_tlb_entry rtlb[XT_TLB_SIZE];
    xt_tlb_entry wtlb[XT_TLB_SIZE];
    struct xt_dcache *dcache; /* decode memo, allocated by the first xt_run */
};

/* Prepares a CPU on bus with the lx106 reset state (§1.3): pc = reset_pc, PS = 0x1F,
 * VECBASE = 0x40000000, every other SR 0, region attributes 2 (RWX). Fault causes default
 * to QEMU's: unmapped -> PIF address error (14 fetch / 15 data), prohibited -> 20/28/29,
 * bad size -> LoadStoreError (3). */
void xt_init(xt_cpu *cpu, sim_bus *bus, const xt_callbacks *cb, uint32_t reset_pc);
/* Releases what xt_run allocated. */
void xt_free(xt_cpu *cpu);
/* Core reset: registers and SRs as after power-on; the cycle counter keeps running. */
void xt_reset(xt_cpu *cpu);

/* Runs until `cycles` more CPU cycles have elapsed or something stops it. Instructions are
 * indivisible: the run ends at the first instruction boundary at or after the budget. A WAITI
 * with nothing pending jumps the cycle counter to the budget end (or to CCOMPARE0 if sooner). */
xt_stop xt_run(xt_cpu *cpu, uint64_t cycles);
/* Ends the current xt_run after the instruction (or hook) being executed. */
void xt_request_stop(xt_cpu *cpu, xt_stop why);
/* Adds cycles to the counter (used by hooks to charge for work done in C). */
static inline void xt_charge(xt_cpu *cpu, uint64_t cycles)
{
    cpu->cycles += cycles;
}

/* Interrupt inputs. Level lines follow the device; edge lines latch until INTCLEAR. */
void xt_set_irq_level(xt_cpu *cpu, unsigned irq, bool level);
void xt_raise_edge(xt_cpu *cpu, unsigned irq);

/* True if an interrupt would be taken before the next instruction (what wakes WAITI). */
bool xt_irq_pending(const xt_cpu *cpu);

uint32_t xt_get_ccount(const xt_cpu *cpu);
/* Current interrupt level: max(PS.INTLEVEL, PS.EXCM ? 1 : 0). */
unsigned xt_cintlevel(const xt_cpu *cpu);
/* Reads an SR as RSR would (CCOUNT, INTERRUPT computed); for reporting, no side effects. */
uint32_t xt_read_sr(const xt_cpu *cpu, unsigned sr);
/* Writes an SR with WSR's side effects (CCOMPARE0 clears interrupt 6 and re-arms, INTSET and
 * INTCLEAR touch only their bits, PS masked...). For C models standing in for one-instruction
 * ROM routines; SRs without WSR are ignored. */
void xt_write_sr(xt_cpu *cpu, unsigned sr, uint32_t value);

/* Marks pc as a possible breakpoint (xt_callbacks.breakpoint is asked before it executes).
 * Costs one test per instruction; the filter is a 64-bit hash of word addresses. Decoded blocks
 * are dropped, so one built earlier cannot run through the new breakpoint. */
void xt_bp_add(xt_cpu *cpu, uint32_t pc);

/* WAITI (the instruction, or a C model): the core sleeps (time skips to the next event) until an
 * interrupt above PS.INTLEVEL is pending; the interrupt's EPC1 is the current pc. */
static inline void xt_wait(xt_cpu *cpu)
{
    if (cpu->cb.on_flow && !cpu->waiting) cpu->cb.on_flow(cpu->cb.opaque, cpu, XT_FLOW_SLEEP, 0);
    cpu->waiting = true;
    cpu->check_irq = true;
}

/* Forgets cached host translations (TLBs, code window) after the machine changed the bus
 * (e.g. the flash window moved). */
static inline void xt_invalidate(xt_cpu *cpu)
{
    for (unsigned i = 0; i < XT_TLB_SIZE; i++) {
        cpu->rtlb[i].tag = 0;
        cpu->wtlb[i].tag = 0;
    }
    cpu->code_limit = 0;
    cpu->code_epoch++;
}

/* Invalidates every line of the cache model (the machine's cache was disabled or re-enabled). */
static inline void xt_cache_flush(xt_cpu *cpu)
{
    for (unsigned i = 0; i < XT_CACHE_MAX_LINES; i++)
        cpu->cache.tag[i] = 0;
    cpu->cache.last = 0;
}

/* Raises a synchronous exception at the current pc (for hooks and machine models). */
void xt_exception(xt_cpu *cpu, unsigned cause, uint32_t vaddr);

/* Names. */
const char *xt_cause_name(unsigned cause);

#endif
