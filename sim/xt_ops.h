/* sim/xt_ops.h — the LX106 instruction set as one table (reference/lx106.md §2.2).
 *
 * X(ID, mnemonic, format, handler, param, flags)
 *   ID        enum suffix: XT_OP_<ID>
 *   mnemonic  objdump spelling
 *   format    operand layout (xt_fmt), used by the disassembler and the decoder
 *   handler   executor name: xt_exec.c defines exec_<handler>
 *   param     small integer handed to the handler (shift amount, condition, size...)
 *   flags     XT_OPF_*
 *
 * Handlers share code through param: addx2/4/8 are one handler with param 1/2/3.
 */
#ifndef SIM_XT_OPS_H
#define SIM_XT_OPS_H

/* Operand layouts. Register fields are the r, s, t nibbles of the instruction word (the same bit
 * positions in 16- and 24-bit formats). imm/imm2 are decoded by xt_decode (see xt.h). */
typedef enum xt_fmt {
    XT_FMT_NONE,    /* no operands     (also rer/wer, whose operands objdump hides) */
    XT_FMT_RRR,     /* ar, as, at */
    XT_FMT_RT,      /* ar, at          (neg, abs, srl, sra) */
    XT_FMT_RS,      /* ar, as          (sll) */
    XT_FMT_TS,      /* at, as          (nsa, nsau, tlb reads/probes/writes) */
    XT_FMT_S,       /* as              (ssr, jx, callx0, iitlb...) */
    XT_FMT_T,       /* at              (no op uses it at present) */
    XT_FMT_IMM,     /* imm             (ssai, waiti, rfi, rfdo, break.n) */
    XT_FMT_IMM2,    /* imm, imm2       (break s, t) */
    XT_FMT_SHIFT_S, /* ar, as, imm     (slli) */
    XT_FMT_SHIFT_T, /* ar, at, imm     (srai, srli) */
    XT_FMT_EXTUI,   /* ar, at, imm, imm2 */
    XT_FMT_SR,      /* at; mnemonic gets ".srname" (rsr/wsr/xsr); imm = SR number */
    XT_FMT_RSIL,    /* at, imm */
    XT_FMT_L32R,    /* at, target      imm = literal address - ((pc + 3) & ~3) */
    XT_FMT_LSAI,    /* at, as, imm     (loads/stores, addi, addmi: imm = byte offset/value) */
    XT_FMT_MOVI,    /* at, imm */
    XT_FMT_CALL0,   /* target = (pc & ~3) + imm */
    XT_FMT_JUMP,    /* target = pc + imm */
    XT_FMT_BZ,      /* as, target      target = pc + imm */
    XT_FMT_BI,      /* as, imm2, target */
    XT_FMT_BB,      /* as, at, target */
    XT_FMT_NLS,     /* at, as, imm     (l32i.n, s32i.n) */
    XT_FMT_ADDIN,   /* ar, as, imm     (addi.n) */
    XT_FMT_MOVN,    /* at, as          (mov.n) */
    XT_FMT_MOVIN,   /* as, imm         (movi.n) */
} xt_fmt;

/* Flags */
#define XT_OPF_JUMP   0x01u /* may change control flow */
#define XT_OPF_LOAD   0x02u
#define XT_OPF_STORE  0x04u
#define XT_OPF_SR     0x08u /* touches a special register */
#define XT_OPF_NARROW 0x10u /* 16-bit density instruction */
#define XT_OPF_TRAP   0x20u /* decodes (objdump knows it) but lx106 executes it as illegal */
#define XT_OPF_PURE                                                                                \
    0x40u /* reads and writes only a-registers and SAR: no memory, no fault, no flow */

/* clang-format off */
#define XT_OPS(X) \
    /* ---- QRST / RST0 / ST0 ---------------------------------------------------------------- */ \
    X(ILL,      "ill",      XT_FMT_NONE,    ill,      0, 0)                                      \
    X(RET,      "ret",      XT_FMT_NONE,    ret,      0, XT_OPF_JUMP)                            \
    X(JX,       "jx",       XT_FMT_S,       jx,       0, XT_OPF_JUMP)                            \
    X(CALLX0,   "callx0",   XT_FMT_S,       callx0,   0, XT_OPF_JUMP)                            \
    X(ISYNC,    "isync",    XT_FMT_NONE,    nop,      0, XT_OPF_PURE)                             \
    X(RSYNC,    "rsync",    XT_FMT_NONE,    nop,      0, XT_OPF_PURE)                             \
    X(ESYNC,    "esync",    XT_FMT_NONE,    nop,      0, XT_OPF_PURE)                             \
    X(DSYNC,    "dsync",    XT_FMT_NONE,    nop,      0, XT_OPF_PURE)                             \
    X(EXCW,     "excw",     XT_FMT_NONE,    nop,      0, XT_OPF_PURE)                             \
    X(MEMW,     "memw",     XT_FMT_NONE,    nop,      0, XT_OPF_PURE)                             \
    X(EXTW,     "extw",     XT_FMT_NONE,    nop,      0, XT_OPF_PURE)                             \
    X(NOP,      "nop",      XT_FMT_NONE,    nop,      0, XT_OPF_PURE)                             \
    X(RFE,      "rfe",      XT_FMT_NONE,    rfe,      0, XT_OPF_JUMP | XT_OPF_SR)                \
    X(RFDE,     "rfde",     XT_FMT_NONE,    rfde,     0, XT_OPF_JUMP | XT_OPF_SR)                \
    X(RFI,      "rfi",      XT_FMT_IMM,     rfi,      0, XT_OPF_JUMP | XT_OPF_SR)                \
    X(BREAK,    "break",    XT_FMT_IMM2,    brk,      XT_DEBUGCAUSE_BI, XT_OPF_JUMP)             \
    X(SYSCALL,  "syscall",  XT_FMT_NONE,    syscall,  0, XT_OPF_JUMP)                            \
    X(SIMCALL,  "simcall",  XT_FMT_NONE,    simcall,  0, 0)                                      \
    X(RSIL,     "rsil",     XT_FMT_RSIL,    rsil,     0, XT_OPF_SR)                              \
    X(WAITI,    "waiti",    XT_FMT_IMM,     waiti,    0, XT_OPF_SR)                              \
    X(AND,      "and",      XT_FMT_RRR,     logic,    0, XT_OPF_PURE)                             \
    X(OR,       "or",       XT_FMT_RRR,     logic,    1, XT_OPF_PURE)                             \
    X(XOR,      "xor",      XT_FMT_RRR,     logic,    2, XT_OPF_PURE)                             \
    /* ---- ST1 ------------------------------------------------------------------------------ */ \
    X(SSR,      "ssr",      XT_FMT_S,       ssr,      0, XT_OPF_PURE)                             \
    X(SSL,      "ssl",      XT_FMT_S,       ssl,      0, XT_OPF_PURE)                             \
    X(SSA8L,    "ssa8l",    XT_FMT_S,       ssa8l,    0, XT_OPF_PURE)                             \
    X(SSA8B,    "ssa8b",    XT_FMT_S,       ssa8b,    0, XT_OPF_PURE)                             \
    X(SSAI,     "ssai",     XT_FMT_IMM,     ssai,     0, XT_OPF_PURE)                             \
    X(RER,      "rer",      XT_FMT_NONE,    rer,      0, 0)                                      \
    X(WER,      "wer",      XT_FMT_NONE,    wer,      0, 0)                                      \
    X(NSA,      "nsa",      XT_FMT_TS,      nsa,      0, XT_OPF_PURE)                             \
    X(NSAU,     "nsau",     XT_FMT_TS,      nsau,     0, XT_OPF_PURE)                             \
    /* ---- TLB (region protection, §1.9) ----------------------------------------------------- */ \
    X(RITLB0,   "ritlb0",   XT_FMT_TS,      rtlb,     0, XT_OPF_SR)                              \
    X(IITLB,    "iitlb",    XT_FMT_S,       nop,      0, XT_OPF_PURE)                             \
    X(PITLB,    "pitlb",    XT_FMT_TS,      ptlb,     0, XT_OPF_SR)                              \
    X(WITLB,    "witlb",    XT_FMT_TS,      wtlb,     0, XT_OPF_SR)                              \
    X(RITLB1,   "ritlb1",   XT_FMT_TS,      rtlb,     1, XT_OPF_SR)                              \
    X(RDTLB0,   "rdtlb0",   XT_FMT_TS,      rtlb,     2, XT_OPF_SR)                              \
    X(IDTLB,    "idtlb",    XT_FMT_S,       nop,      0, XT_OPF_PURE)                             \
    X(PDTLB,    "pdtlb",    XT_FMT_TS,      ptlb,     1, XT_OPF_SR)                              \
    X(WDTLB,    "wdtlb",    XT_FMT_TS,      wtlb,     1, XT_OPF_SR)                              \
    X(RDTLB1,   "rdtlb1",   XT_FMT_TS,      rtlb,     3, XT_OPF_SR)                              \
    /* ---- RT0, arithmetic ------------------------------------------------------------------ */ \
    X(NEG,      "neg",      XT_FMT_RT,      neg,      0, XT_OPF_PURE)                             \
    X(ABS,      "abs",      XT_FMT_RT,      abs,      0, XT_OPF_PURE)                             \
    X(ADD,      "add",      XT_FMT_RRR,     addx,     0, XT_OPF_PURE)                             \
    X(ADDX2,    "addx2",    XT_FMT_RRR,     addx,     1, XT_OPF_PURE)                             \
    X(ADDX4,    "addx4",    XT_FMT_RRR,     addx,     2, XT_OPF_PURE)                             \
    X(ADDX8,    "addx8",    XT_FMT_RRR,     addx,     3, XT_OPF_PURE)                             \
    X(SUB,      "sub",      XT_FMT_RRR,     subx,     0, XT_OPF_PURE)                             \
    X(SUBX2,    "subx2",    XT_FMT_RRR,     subx,     1, XT_OPF_PURE)                             \
    X(SUBX4,    "subx4",    XT_FMT_RRR,     subx,     2, XT_OPF_PURE)                             \
    X(SUBX8,    "subx8",    XT_FMT_RRR,     subx,     3, XT_OPF_PURE)                             \
    /* ---- RST1: shifts, XSR, multiplies ------------------------------------------------------- */ \
    X(SLLI,     "slli",     XT_FMT_SHIFT_S, slli,     0, XT_OPF_PURE)                             \
    X(SRAI,     "srai",     XT_FMT_SHIFT_T, srai,     0, XT_OPF_PURE)                             \
    X(SRLI,     "srli",     XT_FMT_SHIFT_T, srli,     0, XT_OPF_PURE)                             \
    X(XSR,      "xsr",      XT_FMT_SR,      xsr,      0, XT_OPF_SR)                              \
    X(SRC,      "src",      XT_FMT_RRR,     src,      0, XT_OPF_PURE)                             \
    X(SRL,      "srl",      XT_FMT_RT,      srl,      0, XT_OPF_PURE)                             \
    X(SLL,      "sll",      XT_FMT_RS,      sll,      0, XT_OPF_PURE)                             \
    X(SRA,      "sra",      XT_FMT_RT,      sra,      0, XT_OPF_PURE)                             \
    X(MUL16U,   "mul16u",   XT_FMT_RRR,     mul16,    0, XT_OPF_PURE)                             \
    X(MUL16S,   "mul16s",   XT_FMT_RRR,     mul16,    1, XT_OPF_PURE)                             \
    X(RFDO,     "rfdo",     XT_FMT_IMM,     ill,      0, XT_OPF_TRAP)                            \
    X(RFDD,     "rfdd",     XT_FMT_NONE,    ill,      0, XT_OPF_TRAP)                            \
    /* ---- RST2 / RST3 ---------------------------------------------------------------------- */ \
    X(MULL,     "mull",     XT_FMT_RRR,     mull,     0, XT_OPF_PURE)                             \
    X(RSR,      "rsr",      XT_FMT_SR,      rsr,      0, XT_OPF_SR)                              \
    X(WSR,      "wsr",      XT_FMT_SR,      wsr,      0, XT_OPF_SR)                              \
    X(MOVEQZ,   "moveqz",   XT_FMT_RRR,     movcc,    0, XT_OPF_PURE)                             \
    X(MOVNEZ,   "movnez",   XT_FMT_RRR,     movcc,    1, XT_OPF_PURE)                             \
    X(MOVLTZ,   "movltz",   XT_FMT_RRR,     movcc,    2, XT_OPF_PURE)                             \
    X(MOVGEZ,   "movgez",   XT_FMT_RRR,     movcc,    3, XT_OPF_PURE)                             \
    X(EXTUI,    "extui",    XT_FMT_EXTUI,   extui,    0, XT_OPF_PURE)                             \
    /* ---- L32R, LSAI ----------------------------------------------------------------------- */ \
    X(L32R,     "l32r",     XT_FMT_L32R,    l32r,     0, XT_OPF_LOAD)                            \
    X(L8UI,     "l8ui",     XT_FMT_LSAI,    load,     0, XT_OPF_LOAD)                            \
    X(L16UI,    "l16ui",    XT_FMT_LSAI,    load,     1, XT_OPF_LOAD)                            \
    X(L16SI,    "l16si",    XT_FMT_LSAI,    load,     3, XT_OPF_LOAD)                            \
    X(L32I,     "l32i",     XT_FMT_LSAI,    load,     2, XT_OPF_LOAD)                            \
    X(S8I,      "s8i",      XT_FMT_LSAI,    store,    0, XT_OPF_STORE)                           \
    X(S16I,     "s16i",     XT_FMT_LSAI,    store,    1, XT_OPF_STORE)                           \
    X(S32I,     "s32i",     XT_FMT_LSAI,    store,    2, XT_OPF_STORE)                           \
    X(MOVI,     "movi",     XT_FMT_MOVI,    movi,     0, XT_OPF_PURE)                             \
    X(ADDI,     "addi",     XT_FMT_LSAI,    addi,     0, XT_OPF_PURE)                             \
    X(ADDMI,    "addmi",    XT_FMT_LSAI,    addi,     0, XT_OPF_PURE)                             \
    /* ---- CALL, SI, B ---------------------------------------------------------------------- */ \
    X(CALL0,    "call0",    XT_FMT_CALL0,   call0,    0, XT_OPF_JUMP)                            \
    X(J,        "j",        XT_FMT_JUMP,    j,        0, XT_OPF_JUMP)                            \
    X(BEQZ,     "beqz",     XT_FMT_BZ,      bz,       0, XT_OPF_JUMP)                            \
    X(BNEZ,     "bnez",     XT_FMT_BZ,      bz,       1, XT_OPF_JUMP)                            \
    X(BLTZ,     "bltz",     XT_FMT_BZ,      bz,       2, XT_OPF_JUMP)                            \
    X(BGEZ,     "bgez",     XT_FMT_BZ,      bz,       3, XT_OPF_JUMP)                            \
    X(BEQI,     "beqi",     XT_FMT_BI,      bi,       0, XT_OPF_JUMP)                            \
    X(BNEI,     "bnei",     XT_FMT_BI,      bi,       1, XT_OPF_JUMP)                            \
    X(BLTI,     "blti",     XT_FMT_BI,      bi,       2, XT_OPF_JUMP)                            \
    X(BGEI,     "bgei",     XT_FMT_BI,      bi,       3, XT_OPF_JUMP)                            \
    X(BLTUI,    "bltui",    XT_FMT_BI,      bi,       4, XT_OPF_JUMP)                            \
    X(BGEUI,    "bgeui",    XT_FMT_BI,      bi,       5, XT_OPF_JUMP)                            \
    X(BNONE,    "bnone",    XT_FMT_BB,      bb,       0, XT_OPF_JUMP)                            \
    X(BEQ,      "beq",      XT_FMT_BB,      bb,       1, XT_OPF_JUMP)                            \
    X(BLT,      "blt",      XT_FMT_BB,      bb,       2, XT_OPF_JUMP)                            \
    X(BLTU,     "bltu",     XT_FMT_BB,      bb,       3, XT_OPF_JUMP)                            \
    X(BALL,     "ball",     XT_FMT_BB,      bb,       4, XT_OPF_JUMP)                            \
    X(BBC,      "bbc",      XT_FMT_BB,      bb,       5, XT_OPF_JUMP)                            \
    X(BBCI,     "bbci",     XT_FMT_BI,      bi,       6, XT_OPF_JUMP)                            \
    X(BANY,     "bany",     XT_FMT_BB,      bb,       8, XT_OPF_JUMP)                            \
    X(BNE,      "bne",      XT_FMT_BB,      bb,       9, XT_OPF_JUMP)                            \
    X(BGE,      "bge",      XT_FMT_BB,      bb,       10, XT_OPF_JUMP)                           \
    X(BGEU,     "bgeu",     XT_FMT_BB,      bb,       11, XT_OPF_JUMP)                           \
    X(BNALL,    "bnall",    XT_FMT_BB,      bb,       12, XT_OPF_JUMP)                           \
    X(BBS,      "bbs",      XT_FMT_BB,      bb,       13, XT_OPF_JUMP)                           \
    X(BBSI,     "bbsi",     XT_FMT_BI,      bi,       7, XT_OPF_JUMP)                            \
    /* ---- density (16-bit) ----------------------------------------------------------------- */ \
    X(L32I_N,   "l32i.n",   XT_FMT_NLS,     load,     2, XT_OPF_LOAD | XT_OPF_NARROW)            \
    X(S32I_N,   "s32i.n",   XT_FMT_NLS,     store,    2, XT_OPF_STORE | XT_OPF_NARROW)           \
    X(ADD_N,    "add.n",    XT_FMT_RRR,     addx,     0, XT_OPF_NARROW | XT_OPF_PURE)             \
    X(ADDI_N,   "addi.n",   XT_FMT_ADDIN,   addin,    0, XT_OPF_NARROW | XT_OPF_PURE)             \
    X(MOVI_N,   "movi.n",   XT_FMT_MOVIN,   movin,    0, XT_OPF_NARROW | XT_OPF_PURE)             \
    X(BEQZ_N,   "beqz.n",   XT_FMT_BZ,      bz,       0, XT_OPF_JUMP | XT_OPF_NARROW)            \
    X(BNEZ_N,   "bnez.n",   XT_FMT_BZ,      bz,       1, XT_OPF_JUMP | XT_OPF_NARROW)            \
    X(MOV_N,    "mov.n",    XT_FMT_MOVN,    movn,     0, XT_OPF_NARROW | XT_OPF_PURE)             \
    X(RET_N,    "ret.n",    XT_FMT_NONE,    ret,      0, XT_OPF_JUMP | XT_OPF_NARROW)            \
    X(BREAK_N,  "break.n",  XT_FMT_IMM,     brk,      XT_DEBUGCAUSE_BN, XT_OPF_JUMP | XT_OPF_NARROW) \
    X(NOP_N,    "nop.n",    XT_FMT_NONE,    nop,      0, XT_OPF_NARROW | XT_OPF_PURE)             \
    X(ILL_N,    "ill.n",    XT_FMT_NONE,    ill,      0, XT_OPF_NARROW)                          \
    /* ---- not an instruction: what the decoder returns for every undefined encoding ---------- */ \
    X(ILLEGAL,  "(illegal)", XT_FMT_NONE,   ill,      0, 0)
/* clang-format on */

typedef enum xt_op {
#define XT_OP_ENUM(id, mn, fmt, h, p, f) XT_OP_##id,
    XT_OPS(XT_OP_ENUM)
#undef XT_OP_ENUM
        XT_OP_COUNT
} xt_op;

typedef struct xt_opinfo {
    const char *name;
    xt_fmt fmt;
    unsigned param;
    unsigned flags;
} xt_opinfo;

extern const xt_opinfo xt_opinfo_table[XT_OP_COUNT];

#endif
