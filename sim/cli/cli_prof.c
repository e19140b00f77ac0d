/* sim/cli/cli_prof.c — budget specifications for --budget and the scenario key (docs/profiling.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_limit.h"
#include "cli_prof.h"
#include "elf_load.h"
#include "node.h"
#include "units.h"

void cli_prof_defaults(sim_prof_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->isr_ps = 50ull * 1000000u;      /* 50 us (protocols.md C.7) */
    cfg->task_ps = 15ull * 1000000000u;  /* 15 ms */
    cfg->busy_ps = 500ull * 1000000000u; /* 500 ms */
    cfg->sample_ps = 50ull * 1000000u;   /* PC samples every 50 us */
}

typedef struct cli_budget_spec {
    sim_prof_config *cfg;
    cli_budget_names *names;
} cli_budget_spec;

static bool cli_budget_item(void *ctx, char *name, char *value, char *err, size_t errsize)
{
    cli_budget_spec *o = ctx;
    if (!value || !*name) {
        if (value) value[-1] = '=';
        snprintf(err, errsize, "--budget: \"%s\" is not NAME=DURATION", name);
        return false;
    }
    uint64_t ps;
    const char *why = NULL;
    if (!sim_parse_duration(value, &ps, &why)) {
        snprintf(err, errsize, "--budget: %s: bad duration \"%s\" (%s)", name, value,
                 why ? why : "?");
        return false;
    }
    if (!strcmp(name, "isr"))
        o->cfg->isr_ps = ps;
    else if (!strcmp(name, "task"))
        o->cfg->task_ps = ps;
    else if (!strcmp(name, "busy"))
        o->cfg->busy_ps = ps;
    else if (!strcmp(name, "sample"))
        o->cfg->sample_ps = ps;
    else if (o->names->n < 16 && strlen(name) < sizeof(o->names->name[0])) {
        memcpy(o->names->name[o->names->n], name, strlen(name) + 1);
        o->names->ps[o->names->n++] = ps;
    } else {
        snprintf(err, errsize,
                 "--budget: too many handler budgets (at most 16) or a name over 63 characters "
                 "at \"%s\"",
                 name);
        return false;
    }
    return true;
}

bool cli_budget_parse(const char *spec, sim_prof_config *cfg, cli_budget_names *names, char *err,
                      size_t errsize)
{
    cli_budget_spec o = {cfg, names};
    bool bad;
    if (cli_pairs(spec, cli_budget_item, &o, err, errsize, &bad)) return true;
    if (bad) snprintf(err, errsize, "--budget: empty or overlong item in \"%s\"", spec);
    return false;
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

const char *cli_elf_symbol(void *opaque, uint32_t addr, uint32_t *off)
{
    const sim_elf_symbol *s = opaque ? sim_elf_symbol_at(opaque, addr) : NULL;
    if (!s) return NULL;
    *off = addr - s->addr;
    return s->name;
}

bool cli_prof_start(cli_prof_run *pr, const cli_run_opts *o, sim_node *n, const sim_elf *elf,
                    sim_prof_symbolize_fn sym, void *sym_opaque, const char *name, bool sdk,
                    char *err, size_t errsize)
{
    memset(pr, 0, sizeof(*pr));
    if (!(o->profile || o->profile_out || o->budgets || o->budget_fail)) return true;
    sim_prof_config pc;
    cli_prof_defaults(&pc);
    if (!sdk) pc.busy_ps = 0;
    cli_budget_names bn = {.n = 0};
    if (o->budgets && !cli_budget_parse(o->budgets, &pc, &bn, err, errsize)) return false;
    for (size_t i = 0; i < bn.n; i++) {
        if (!elf || !sim_elf_lookup(elf, bn.name[i], &pr->ov[i].fn)) {
            snprintf(err, errsize, "--budget: no symbol %s in the firmware", bn.name[i]);
            return false;
        }
        pr->ov[i].ps = bn.ps[i];
    }
    pc.overrides = pr->ov;
    pc.noverrides = bn.n;
    pc.symbolize = sym;
    pc.symbolize_opaque = sym_opaque;
    if (o->profile_out) {
        char path[4096];
        if (mkdir(o->profile_out, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errsize, "%.900s: cannot create: %s", o->profile_out, strerror(errno));
            return false;
        }
        snprintf(path, sizeof(path), "%s/trace.json", o->profile_out);
        pr->trace_f = fopen(path, "w");
        if (!pr->trace_f) {
            snprintf(err, errsize, "%.900s: cannot create: %s", path, strerror(errno));
            return false;
        }
        sim_trace_open(&pr->trace, pr->trace_f, 4000000);
        sim_trace_process(&pr->trace, 1, name);
        pc.trace = &pr->trace;
        pc.trace_pid = 1;
    }
    sim_prof_init(&pr->prof, n, &pc);
    sim_node_attach_prof(n, &pr->prof);
    pr->on = true;
    return true;
}

int cli_prof_stop(cli_prof_run *pr, const cli_run_opts *o, const char *name, int rc)
{
    if (!pr->on) return rc;
    sim_prof_finish(&pr->prof);
    if (o->profile || o->budget_fail) sim_prof_report(&pr->prof, stderr, name);
    if (o->profile_out && !cli_prof_write(&pr->prof, o->profile_out, name, false)) rc = CLI_USAGE;
    if (o->budget_fail && pr->prof.viol_total && rc == CLI_OK) {
        fprintf(stderr, "espsim: %llu timing budget violations (--budget-fail)\n",
                (unsigned long long)pr->prof.viol_total);
        rc = CLI_EXPECT;
    }
    return rc;
}

void cli_prof_free(cli_prof_run *pr, sim_node *n)
{
    if (pr->on) {
        sim_node_attach_prof(n, NULL);
        sim_prof_free(&pr->prof);
    }
    if (pr->trace_f) {
        sim_trace_close(&pr->trace);
        fclose(pr->trace_f);
    }
    pr->on = false;
    pr->trace_f = NULL;
}
