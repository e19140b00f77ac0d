/* sim/xt_disasm.c — placeholder, replaced by the disassembler. */
#include "xt_disasm.h"

#include <stdio.h>

size_t xt_disasm(const xt_insn *insn, uint32_t pc, char *buf, size_t size)
{
    (void)pc;
    int n = snprintf(buf, size, "%s", xt_opinfo_table[insn->op].name);
    return n < 0 ? 0 : (size_t)n;
}
