/* sim/cli/cli_prof.h — timing budgets and profile outputs for `espsim run` and scenarios. */
#ifndef CLI_PROF_H
#define CLI_PROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prof.h"

/* Budgets from "isr=50us,task=15ms,busy=500ms,SYMBOL=2ms,sample=50us" (any subset, on top of
 * what cfg holds). Handler names are kept in names[] (at most 16) for the caller to resolve.
 * False with a one-line reason in err. */
typedef struct cli_budget_names {
    char name[16][64];
    uint64_t ps[16];
    size_t n;
} cli_budget_names;
bool cli_budget_parse(const char *spec, sim_prof_config *cfg, cli_budget_names *names, char *err,
                      size_t errsize);
/* The defaults: 50 us, 15 ms, 500 ms, sampling every 50 us. */
void cli_prof_defaults(sim_prof_config *cfg);
/* Appends the node's report to DIR/profile.txt and its folded stacks to DIR/profile.folded
 * (created by the first call of a run: append = false). False (message printed) on failure. */
bool cli_prof_write(const sim_prof *p, const char *dir, const char *node, bool append);

/* One profiled node of `espsim run` (either machine). */
struct cli_run_opts;
struct sim_elf;
typedef struct cli_prof_run {
    bool on;
    sim_prof prof;
    sim_trace trace;
    FILE *trace_f;
    sim_prof_budget_override ov[16];
} cli_prof_run;

/* Attaches a profiler to n when the options ask for one (--profile, --profile-out, --budget,
 * --budget-fail); handler budgets are resolved in elf (may be NULL); sym names addresses.
 * sdk = false (a bare machine without the SDK's task loop): no busy budget unless given.
 * False with a one-line reason in err. */
bool cli_prof_start(cli_prof_run *pr, const struct cli_run_opts *o, sim_node *n,
                    const struct sim_elf *elf, sim_prof_symbolize_fn sym, void *sym_opaque,
                    const char *name, bool sdk, char *err, size_t errsize);
/* After the run: the report on stderr (--profile, --budget-fail), the files (--profile-out);
 * returns rc, or 1 for violations under --budget-fail, or CLI_USAGE if a file failed. */
int cli_prof_stop(cli_prof_run *pr, const struct cli_run_opts *o, const char *name, int rc);
void cli_prof_free(cli_prof_run *pr, sim_node *n);
/* Symbol lookup in an ELF (opaque: const sim_elf *), for machines without a ROM. */
const char *cli_elf_symbol(void *opaque, uint32_t addr, uint32_t *off);

#endif
