/* fuzz_elf: arbitrary bytes as an ELF file through the loader and, when it loads, a short run on
 * the qemu-sim machine. Nothing an input does may crash the host. */
#include <stdio.h>
#include <stdlib.h>

#include "elf_load.h"
#include "fuzz.h"
#include "qemu_sim/qemu_sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    sim_elf elf;
    if (!sim_elf_open_mem(&elf, "fuzz.elf", data, size, err, sizeof(err))) return 0;
    FILE *null = fopen("/dev/null", "r+");
    qsim *m = malloc(sizeof(*m));
    if (null && m && qsim_init(m, null, null, null)) {
        if (qsim_load(m, &elf, err, sizeof(err))) qsim_run(m, 20000);
        qsim_free(m);
    }
    free(m);
    if (null) fclose(null);
    sim_elf_close(&elf);
    return 0;
}
