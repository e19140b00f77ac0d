/* sim/xt_disasm.h — LX106 disassembler; text matches xtensa-lx106-elf-objdump -d. */
#ifndef SIM_XT_DISASM_H
#define SIM_XT_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include "xt.h"

/* Writes "mnemonic\toperands" for the decoded instruction at pc into buf (always
 * NUL-terminated, truncated to size). Branch/call/L32R targets are absolute hex addresses as
 * objdump prints them (without the <symbol> suffix). Returns the length written. */
size_t xt_disasm(const xt_insn *insn, uint32_t pc, char *buf, size_t size);

#endif
