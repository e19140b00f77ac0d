/* sim/lines.c — DWARF line lookup through libdw's Dwfl offline API; see lines.h. */
#include "lines.h"

#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

struct sim_lines {
    Dwfl *dwfl;
    Dwfl_Module *mod;
};

sim_lines *sim_lines_open(const char *elf_path)
{
    static const Dwfl_Callbacks cb = {
        .find_elf = dwfl_build_id_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
        .section_address = dwfl_offline_section_address,
    };
    Dwfl *d = dwfl_begin(&cb);
    if (!d) return NULL;
    Dwfl_Module *mod = dwfl_report_offline(d, "firmware", elf_path, -1);
    if (!mod || dwfl_report_end(d, NULL, NULL) != 0) {
        dwfl_end(d);
        return NULL;
    }
    sim_lines *l = malloc(sizeof(*l));
    if (!l) {
        dwfl_end(d);
        return NULL;
    }
    l->dwfl = d;
    l->mod = mod;
    return l;
}

void sim_lines_close(sim_lines *l)
{
    if (!l) return;
    dwfl_end(l->dwfl);
    free(l);
}

bool sim_lines_lookup(const sim_lines *l, uint32_t addr, const char **file, int *line)
{
    if (!l) return false;
    Dwfl_Line *dl = dwfl_module_getsrc(l->mod, addr);
    if (!dl) return false;
    int ln = 0;
    const char *f = dwfl_lineinfo(dl, NULL, &ln, NULL, NULL, NULL);
    if (!f || ln <= 0) return false;
    *file = f;
    *line = ln;
    return true;
}
