/* sim/xt_config.h — the Xtensa LX106 core configuration as data.
 *
 * Values from reference/lx106.md §1 (core-isa.h of the lx106 overlay, S1/S2). Anything the
 * decoder does not find here is an illegal instruction (EXCCAUSE 0).
 */
#ifndef SIM_XT_CONFIG_H
#define SIM_XT_CONFIG_H

#include <stdint.h>

/* §1.1 options */
#define XT_HAVE_DENSITY       1
#define XT_HAVE_MUL16         1
#define XT_HAVE_MUL32         1
#define XT_HAVE_NSA           1
#define XT_HAVE_ABSOLUTE_LIT  1 /* LITBASE / extended L32R */
#define XT_HAVE_LOOPS         0
#define XT_HAVE_WINDOWED      0
#define XT_HAVE_DIV32         0
#define XT_HAVE_MUL32_HIGH    0
#define XT_HAVE_MINMAX        0
#define XT_HAVE_SEXT          0
#define XT_HAVE_CLAMPS        0
#define XT_HAVE_UNALIGNED_EXC 1 /* unaligned L16/L32/S16/S32 -> cause 9 */

/* §1.2 interrupts */
#define XT_NUM_INTERRUPTS    15u
#define XT_INT_MASK          0x7FFFu
#define XT_INT_LEVEL1_MASK   0x3FFFu
#define XT_INT_LEVEL3_MASK   0x4000u
#define XT_INT_TYPE_LEVEL    0x003Fu
#define XT_INT_TYPE_TIMER    0x0040u
#define XT_INT_TYPE_SOFTWARE 0x0080u
#define XT_INT_TYPE_EDGE     0x3F00u
#define XT_INT_TYPE_NMI      0x4000u
#define XT_INT_TIMER0        6u /* CCOMPARE0 */
#define XT_NMI_LEVEL         3u
#define XT_DEBUG_LEVEL       2u
#define XT_EXCM_LEVEL        1u
#define XT_NUM_LEVELS        3u /* levels 1..3 (3 = NMI) */

/* §1.3 vectors, offsets from VECBASE */
#define XT_VEC_DEBUG     0x10u
#define XT_VEC_NMI       0x20u
#define XT_VEC_KERNEL    0x30u
#define XT_VEC_USER      0x50u
#define XT_VEC_DOUBLE    0x70u
#define XT_VECBASE_RESET 0x40000000u
#define XT_PS_RESET      0x1Fu

/* §1.6 PS fields */
#define XT_PS_INTLEVEL 0x0Fu
#define XT_PS_EXCM     0x10u
#define XT_PS_UM       0x20u

/* §1.7 exception causes */
enum xt_cause {
    XT_CAUSE_ILLEGAL = 0,
    XT_CAUSE_SYSCALL = 1,
    XT_CAUSE_INSTR_FETCH_ERROR = 2,
    XT_CAUSE_LOAD_STORE_ERROR = 3,
    XT_CAUSE_LEVEL1_INTERRUPT = 4,
    XT_CAUSE_ALLOCA = 5,
    XT_CAUSE_DIVIDE_BY_ZERO = 6,
    XT_CAUSE_PRIVILEGED = 8,
    XT_CAUSE_UNALIGNED = 9,
    XT_CAUSE_INSTR_PIF_DATA_ERROR = 12,
    XT_CAUSE_LOAD_STORE_PIF_DATA_ERROR = 13,
    XT_CAUSE_INSTR_PIF_ADDR_ERROR = 14,
    XT_CAUSE_LOAD_STORE_PIF_ADDR_ERROR = 15,
    XT_CAUSE_INST_FETCH_PROHIBITED = 20,
    XT_CAUSE_LOAD_PROHIBITED = 28,
    XT_CAUSE_STORE_PROHIBITED = 29,
};

/* DEBUGCAUSE bits (§1.5) */
#define XT_DEBUGCAUSE_IC 0x01u
#define XT_DEBUGCAUSE_IB 0x02u
#define XT_DEBUGCAUSE_DB 0x04u
#define XT_DEBUGCAUSE_BI 0x08u
#define XT_DEBUGCAUSE_BN 0x10u

/* §1.5 special registers. X(number, rsr-name, wsr-name, flags, write-mask).
 * Flags: R has RSR, W has WSR, X has XSR; any other RSR/WSR/XSR number is illegal. Names and
 * flags are exactly the forms xtensa-lx106-elf-objdump decodes (tests/cpu/disasm_sweep.c):
 * CONFIGID0/1 are spelled "176"/"208", 176 has no XSR, DEBUGCAUSE has WSR and XSR. A
 * write-mask of 0 means the write has side effects handled in xt_exec.c (see xt_wsr). */
#define XT_SR_R   1u
#define XT_SR_W   2u
#define XT_SR_X   4u
#define XT_SR_RWX (XT_SR_R | XT_SR_W | XT_SR_X)
/* WSR/XSR of this SR decode (objdump prints them) but execute as IllegalInstruction: the lx106
 * lacks the option behind them (QEMU's test_exceptions_sr; tests/cpu/asm/sr.S). */
#define XT_SR_WTRAP 8u

#define XT_SRS(X)                                                                                  \
    X(3, "sar", "sar", XT_SR_RWX, 0x3Fu)                                                           \
    X(5, "litbase", "litbase", XT_SR_RWX, 0xFFFFF001u)                                             \
    X(89, "mmid", "mmid", XT_SR_W | XT_SR_WTRAP, 0xFFFFFFFFu)                                      \
    X(96, "ibreakenable", "ibreakenable", XT_SR_RWX, 0x1u)                                         \
    X(104, "ddr", "ddr", XT_SR_RWX, 0xFFFFFFFFu)                                                   \
    X(128, "ibreaka0", "ibreaka0", XT_SR_RWX, 0xFFFFFFFFu)                                         \
    X(144, "dbreaka0", "dbreaka0", XT_SR_RWX, 0xFFFFFFFFu)                                         \
    X(160, "dbreakc0", "dbreakc0", XT_SR_RWX, 0xFFFFFFFFu)                                         \
    X(176, "176", "176", XT_SR_R | XT_SR_W | XT_SR_WTRAP, 0u)                                      \
    X(177, "epc1", "epc1", XT_SR_RWX, 0xFFFFFFFFu)                                                 \
    X(178, "epc2", "epc2", XT_SR_RWX, 0xFFFFFFFFu)                                                 \
    X(179, "epc3", "epc3", XT_SR_RWX, 0xFFFFFFFFu)                                                 \
    X(192, "depc", "depc", XT_SR_RWX, 0xFFFFFFFFu)                                                 \
    X(194, "eps2", "eps2", XT_SR_RWX, 0xFFFFFFFFu)                                                 \
    X(195, "eps3", "eps3", XT_SR_RWX, 0xFFFFFFFFu)                                                 \
    X(208, "208", "208", XT_SR_R, 0u)                                                              \
    X(209, "excsave1", "excsave1", XT_SR_RWX, 0xFFFFFFFFu)                                         \
    X(210, "excsave2", "excsave2", XT_SR_RWX, 0xFFFFFFFFu)                                         \
    X(211, "excsave3", "excsave3", XT_SR_RWX, 0xFFFFFFFFu)                                         \
    X(226, "interrupt", "intset", XT_SR_R | XT_SR_W, 0u)                                           \
    X(227, "intclear", "intclear", XT_SR_W, 0u)                                                    \
    X(228, "intenable", "intenable", XT_SR_RWX, 0xFFFFFFFFu)                                       \
    X(230, "ps", "ps", XT_SR_RWX, 0u)                                                              \
    X(231, "vecbase", "vecbase", XT_SR_RWX, 0xFFFFFFFFu)                                           \
    X(232, "exccause", "exccause", XT_SR_RWX, 0xFFFFFFFFu)                                         \
    X(233, "debugcause", "debugcause", XT_SR_RWX | XT_SR_WTRAP, 0u)                                \
    X(234, "ccount", "ccount", XT_SR_RWX, 0u)                                                      \
    X(235, "prid", "prid", XT_SR_R, 0u)                                                            \
    X(236, "icount", "icount", XT_SR_RWX, 0xFFFFFFFFu)                                             \
    X(237, "icountlevel", "icountlevel", XT_SR_RWX, 0xFu)                                          \
    X(238, "excvaddr", "excvaddr", XT_SR_RWX, 0xFFFFFFFFu)                                         \
    X(240, "ccompare0", "ccompare0", XT_SR_RWX, 0u)

enum xt_sr {
#define XT_SR_ENUM(num, rname, wname, flags, mask) XT_SR_##num = num,
    XT_SRS(XT_SR_ENUM)
#undef XT_SR_ENUM
};

#define XT_SR_SAR        3u
#define XT_SR_LITBASE    5u
#define XT_SR_CONFIGID0  176u
#define XT_SR_EPC1       177u
#define XT_SR_DEPC       192u
#define XT_SR_EPS2       194u
#define XT_SR_CONFIGID1  208u
#define XT_SR_EXCSAVE1   209u
#define XT_SR_INTERRUPT  226u
#define XT_SR_INTCLEAR   227u
#define XT_SR_INTENABLE  228u
#define XT_SR_PS         230u
#define XT_SR_VECBASE    231u
#define XT_SR_EXCCAUSE   232u
#define XT_SR_DEBUGCAUSE 233u
#define XT_SR_CCOUNT     234u
#define XT_SR_PRID       235u
#define XT_SR_EXCVADDR   238u
#define XT_SR_CCOMPARE0  240u

#define XT_CONFIGID0_VALUE 0xC28CDAFAu
#define XT_CONFIGID1_VALUE 0x1082B6F6u

/* Per-SR description, indexed by SR number (built from XT_SRS in xt_decode.c). */
typedef struct xt_sr_info {
    const char *rname; /* NULL if the SR does not exist */
    const char *wname;
    uint8_t flags;
    uint32_t wmask;
} xt_sr_info;
extern const xt_sr_info xt_sr_table[256];

#endif
