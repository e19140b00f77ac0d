/* sim/xt_disasm.h — LX106 disassembler; text matches xtensa-lx106-elf-objdump -d.
 *
 * Verified against Debian binutils-xtensa-lx106 2.40 over the whole op0 = 0 space, every
 * 16-bit word and a dense sample of the rest (tests/cpu/disasm_sweep.c, docs/disasm-notes.md).
 */
#ifndef SIM_XT_DISASM_H
#define SIM_XT_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include "xt.h"

/* Writes "mnemonic\toperands" for the decoded instruction at pc into buf (always
 * NUL-terminated, truncated to size). Branch/call/L32R targets are absolute hex addresses as
 * objdump prints them (without the <symbol> suffix; L32R ignores LITBASE, as objdump does).
 * Immediates in -255..255 print in decimal, others as 0x%x of the 32-bit value (objdump's rule).
 * XT_OP_ILLEGAL prints ".byte 0xNN" (byte 0 only, objdump's "%#02x"). Returns the length
 * written (excluding the NUL). */
size_t xt_disasm(const xt_insn *insn, uint32_t pc, char *buf, size_t size);

/* Bytes a listing advances past insn: 1 for XT_OP_ILLEGAL (its ".byte" line covers byte 0
 * only, as objdump does for op0 14/15), otherwise insn->len. */
static inline unsigned xt_disasm_step(const xt_insn *insn)
{
    return insn->op == XT_OP_ILLEGAL ? 1u : insn->len;
}

#endif
