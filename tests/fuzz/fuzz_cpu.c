/* fuzz_cpu: arbitrary bytes as code at 0x40100000 (and as data at 0x3FFC0000) on the qemu-sim
 * machine, with PS = 0x20 so exceptions go to the user vector; every decoded word is also
 * disassembled. Exercises decode, execute, exceptions, interrupts and the bus. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "qemu_sim/qemu_sim.h"
#include "xt_disasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536) return 0;
    char text[128];
    for (size_t i = 0; i + 3 <= size; i += 3) {
        xt_insn d;
        xt_decode((uint32_t)data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16, &d);
        xt_disasm(&d, 0x40100000u + (uint32_t)i, text, sizeof(text));
    }
    FILE *null = fopen("/dev/null", "r+");
    qsim *m = malloc(sizeof(*m));
    if (null && m && qsim_init(m, null, null, null)) {
        sim_bus_poke(&m->node.bus, 0x40100000u, data, size);
        sim_bus_poke(&m->node.bus, 0x3FFC0000u, data, size);
        /* Vectors: the same bytes, so handlers are random too. */
        sim_bus_poke(&m->node.bus, 0x40000000u, data, size < 0x100 ? size : 0x100);
        m->node.cpu.pc = 0x40100000u;
        m->node.cpu.sr[XT_SR_PS] = 0x20;
        m->node.cpu.a[1] = 0x3FFFFF00u;
        qsim_run(m, 20000);
        qsim_free(m);
    }
    free(m);
    if (null) fclose(null);
    return 0;
}
