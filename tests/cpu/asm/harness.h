/* tests/cpu/asm/harness.h — C side of the CPU test harness (see macros.inc, vectors.S). */
#ifndef TESTS_CPU_HARNESS_H
#define TESTS_CPU_HARNESS_H

#include <stdint.h>

#include "qsim.h"

#define H_LOG_SIZE  16u
#define H_EXC_ASYNC 1u /* h_exc: hide epc (asynchronous interrupts) */

/* One vector entry as logged by vectors.S (32 bytes; offsets used by the assembly). */
struct h_rec {
    uint32_t kind;  /* 'U' user, 'K' kernel, 'D' double, 'B' debug, 'N' NMI */
    uint32_t cause; /* EXCCAUSE, or DEBUGCAUSE for 'B' */
    uint32_t epc;   /* EPC1, DEPC ('D'), EPC2 ('B'), EPC3 ('N') */
    uint32_t vaddr; /* EXCVADDR */
    uint32_t ps;    /* PS inside the handler */
    uint32_t aux;   /* EPC1 for 'D', EPS2 for 'B', EPS3 for 'N', else 0 */
    uint32_t intr;  /* INTERRUPT at entry */
    uint32_t inten; /* INTENABLE at entry */
};

/* Offsets in macros.inc (HS_*) and vectors.S follow this layout. */
struct h_state {
    volatile uint32_t n;          /* entries since the last h_exc */
    volatile uint32_t resume;     /* if non-zero, the next general exception resumes here */
    volatile uint32_t dresume;    /* same for the double-exception vector */
    volatile uint32_t irq_mode;   /* 0: clear pending interrupts, 1: disable them in INTENABLE */
    volatile uint32_t nest_fault; /* if non-zero, the user handler faults once (double exc.) */
    uint32_t pad[3];
    struct h_rec log[H_LOG_SIZE];
};

extern struct h_state h_state;

void h_test(const char *name);
void h_puts(const char *s);
void h_check(const char *label, uint32_t v);
void h_dump(const char *name, const uint32_t *buf, unsigned n);
void h_exc(unsigned flags);

#endif
