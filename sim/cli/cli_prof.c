/* sim/cli/cli_prof.c — budget specifications for --budget and the scenario key (docs/profiling.md). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_prof.h"
#include "units.h"

void cli_prof_defaults(sim_prof_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->isr_ps = 50ull * 1000000u;          /* 50 us (protocols.md C.7) */
    cfg->task_ps = 15ull * 1000000000u;      /* 15 ms */
    cfg->busy_ps = 500ull * 1000000000u;     /* 500 ms */
    cfg->sample_ps = 50ull * 1000000u;       /* PC samples every 50 us */
}

bool cli_budget_parse(const char *spec, sim_prof_config *cfg, cli_budget_names *names, char *err,
                      size_t errsize)
{
    const char *p = spec;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[128];
        if (len == 0 || len >= sizeof(item)) {
            snprintf(err, errsize, "--budget: empty or overlong item in \"%s\"", spec);
            return false;
        }
        memcpy(item, p, len);
        item[len] = 0;
        char *eq = strchr(item, '=');
        if (!eq || eq == item) {
            snprintf(err, errsize, "--budget: \"%s\" is not NAME=DURATION", item);
            return false;
        }
        *eq = 0;
        uint64_t ps;
        const char *why = NULL;
        if (!sim_parse_duration(eq + 1, &ps, &why)) {
            snprintf(err, errsize, "--budget: %s: bad duration \"%s\" (%s)", item, eq + 1,
                     why ? why : "?");
            return false;
        }
        if (!strcmp(item, "isr"))
            cfg->isr_ps = ps;
        else if (!strcmp(item, "task"))
            cfg->task_ps = ps;
        else if (!strcmp(item, "busy"))
            cfg->busy_ps = ps;
        else if (!strcmp(item, "sample"))
            cfg->sample_ps = ps;
        else if (names->n < 16 && strlen(item) < sizeof(names->name[0])) {
            snprintf(names->name[names->n], sizeof(names->name[0]), "%s", item);
            names->ps[names->n++] = ps;
        } else {
            snprintf(err, errsize, "--budget: too many handler budgets (at most 16) at \"%s\"",
                     item);
            return false;
        }
        p += len;
        if (*p == ',') p++;
    }
    return true;
}

bool cli_prof_write(const sim_prof *p, const char *dir, const char *node, bool append)
{
    static const char *const files[2] = {"profile.txt", "profile.folded"};
    for (int i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        FILE *f = fopen(path, append ? "a" : "w");
        if (!f) {
            fprintf(stderr, "espsim: %s: cannot create: %s\n", path, strerror(errno));
            return false;
        }
        if (i == 0)
            sim_prof_report(p, f, node);
        else
            sim_prof_write_folded(p, f, node);
        if (fclose(f) != 0) {
            fprintf(stderr, "espsim: %s: cannot write: %s\n", path, strerror(errno));
            return false;
        }
    }
    return true;
}
