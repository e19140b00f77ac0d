/* sim/elf_load.h — loading Xtensa ELF executables with libelf (elfutils).
 *
 * An sim_elf holds the file's loadable segments and its function/object symbols. Errors are
 * one line naming the file and the problem, written into err (architecture.md §9).
 */
#ifndef SIM_ELF_LOAD_H
#define SIM_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"

typedef struct sim_elf_segment {
    uint32_t paddr;  /* load address */
    uint32_t filesz; /* bytes present in the file */
    uint32_t memsz;  /* bytes in memory (the rest is zero) */
    uint8_t *data;   /* filesz bytes, owned */
} sim_elf_segment;

typedef struct sim_elf_symbol {
    uint32_t addr;
    uint32_t size;
    char *name; /* owned */
} sim_elf_symbol;

typedef struct sim_elf {
    char *path;
    uint32_t entry;
    sim_elf_segment *segs;
    size_t nsegs;
    sim_elf_symbol *syms; /* sorted by address */
    size_t nsyms;
} sim_elf;

/* Reads path. On failure returns false and writes "PATH: problem" into err. */
bool sim_elf_open(sim_elf *elf, const char *path, char *err, size_t errsize);
/* The same from a memory image; name is used in messages. data is not kept. */
bool sim_elf_open_mem(sim_elf *elf, const char *name, const void *data, size_t size, char *err,
                      size_t errsize);
void sim_elf_close(sim_elf *elf);

/* Copies every segment into host memory of bus (zero-filling memsz beyond filesz). On failure
 * (a segment not entirely inside host-backed regions) writes the segment and address into err. */
bool sim_elf_load(const sim_elf *elf, sim_bus *bus, char *err, size_t errsize);

/* The symbol containing addr (or the nearest one below it, within 64 KB), or NULL. */
const sim_elf_symbol *sim_elf_symbol_at(const sim_elf *elf, uint32_t addr);
/* Address of a named symbol; false if absent. */
bool sim_elf_lookup(const sim_elf *elf, const char *name, uint32_t *addr);

#endif
