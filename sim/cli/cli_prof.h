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
static inline bool cli_prof_files(const sim_prof *p, const char *dir, const char *node)
{
    return cli_prof_write(p, dir, node, false);
}

#endif
