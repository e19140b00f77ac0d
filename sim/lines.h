/* sim/lines.h — source file and line for a code address, from the ELF's DWARF line table
 * (libdw from elfutils). Used to symbolize fault reports. */
#ifndef SIM_LINES_H
#define SIM_LINES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sim_lines sim_lines;

/* NULL if the file cannot be read or has no line table (not an error: reports just omit
 * file:line). */
sim_lines *sim_lines_open(const char *elf_path);
void sim_lines_close(sim_lines *l);
/* file points into l (valid until sim_lines_close). */
bool sim_lines_lookup(const sim_lines *l, uint32_t addr, const char **file, int *line);

#endif
