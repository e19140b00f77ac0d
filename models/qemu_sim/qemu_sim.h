/* models/qemu_sim/qemu_sim.h — the `qemu-sim` machine: what `qemu-system-xtensa -M sim -cpu
 * lx106 -semihosting` offers, so one test ELF runs on both (architecture.md §3, lx106.md §9).
 *
 * Memory (all RAM, zero-filled): datarom0 0x3FF40000, dataram1 0x3FF80000, dataram0 0x3FFC0000
 * (256 KB each), instram0 0x40000000, instram1 0x40100000, instrom0 0x40200000 (1 MB each),
 * sysrom0 0x50000000 (64 MB), sysram0 0x60000000 (128 MB). Anything else raises a PIF address
 * error (cause 14 fetch, 15 data). Reset: pc 0x50000000 whatever the ELF entry says, PS 0x1F.
 * SIMCALL semihosting: a2 = 1 exit(a3); 3 read(a3 fd, a4 buf, a5 len); 4 write(...), result in
 * a2 and errno in a3; other requests return -1 / ENOSYS (88).
 *
 * Where espsim goes beyond QEMU: an exception raised by the first instruction of the vector it
 * enters (QEMU would spin forever) and WAITI with nothing that could wake the core stop the run
 * with a report instead of hanging.
 */
#ifndef MODELS_QEMU_SIM_H
#define MODELS_QEMU_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bus.h"
#include "elf_load.h"
#include "node.h"
#include "xt.h"

#define QSIM_NREGIONS 8

typedef enum qsim_result {
    QSIM_EXITED,   /* the guest called exit; see exit_code */
    QSIM_FAULT,    /* an unrecoverable guest exception; see report */
    QSIM_DEADLOCK, /* WAITI with no possible wake-up */
    QSIM_LIMIT,    /* the instruction limit was reached */
} qsim_result;

typedef struct qsim_exc {
    unsigned cause; /* EXCCAUSE, with XT_EXC_* flag bits */
    uint32_t pc, vaddr, vector;
} qsim_exc;

/* The node comes first: the CPU callbacks get the node as their opaque pointer, and the machine
 * is the node's enclosing struct. Its clock runs at a nominal 80 MHz (for profiles and CCOUNT
 * time; the machine itself has no timers). */
typedef struct qsim {
    sim_node node; /* bus, CPU, event queue (profilers schedule on it) */
    uint8_t *mem[QSIM_NREGIONS];
    const sim_elf *elf; /* for symbols in reports; may be NULL */

    FILE *out;   /* guest fd 1 */
    FILE *err;   /* guest fd 2 */
    FILE *in;    /* guest fd 0 */
    FILE *trace; /* per-instruction trace, or NULL */

    int exit_code;
    bool exited;
    qsim_exc first; /* first exception of the current nesting chain */
    qsim_exc last;  /* the exception that was declared fatal */
    char report[1024];
} qsim;

/* Builds the machine. out/err/in default to stdout/stderr/stdin when NULL. */
bool qsim_init(qsim *m, FILE *out, FILE *err, FILE *in);
void qsim_free(qsim *m);
/* Loads the ELF's segments and resets the CPU. */
bool qsim_load(qsim *m, const sim_elf *elf, char *errbuf, size_t errsize);
/* Runs until exit, fault, deadlock or max_insns instructions (0 = no limit). */
qsim_result qsim_run(qsim *m, uint64_t max_insns);

#endif
