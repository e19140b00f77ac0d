/* sim/xt_decode.c — instruction decoding for the lx106 (reference/lx106.md §2.1–2.3). */
#include "xt.h"

const xt_opinfo xt_opinfo_table[XT_OP_COUNT] = {
#define XT_OPINFO(id, mn, fmt, h, p, f) [XT_OP_##id] = {mn, fmt, p, f},
    XT_OPS(XT_OPINFO)
#undef XT_OPINFO
};

const xt_sr_info xt_sr_table[256] = {
#define XT_SRINFO(num, rn, wn, fl, mask) [num] = {rn, wn, fl, mask},
    XT_SRS(XT_SRINFO)
#undef XT_SRINFO
};

/* §2.3 branch-immediate tables */
static const int32_t xt_b4const[16] = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
static const int32_t xt_b4constu[16] = {32768, 65536, 2,  3,  4,  5,  6,   7,
                                        8,     10,    12, 16, 32, 64, 128, 256};

static inline int32_t sext(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    v &= (1u << bits) - 1;
    return (int32_t)((v ^ m) - m);
}

static void dec_qrst(uint32_t w, xt_insn *d)
{
    unsigned op1 = (w >> 16) & 15, op2 = (w >> 20) & 15;
    unsigned r = d->r, s = d->s, t = d->t;
    unsigned n = t & 3, m = t >> 2;
    switch (op1) {
    case 0: /* RST0 */
        switch (op2) {
        case 0: /* ST0 */
            switch (r) {
            case 0: /* SNM0 */
                if (m == 0 && n == 0 && s == 0)
                    d->op = XT_OP_ILL;
                else if (m == 2 && n == 0)
                    d->op = XT_OP_RET; /* s ignored, as objdump */
                else if (m == 2 && n == 2)
                    d->op = XT_OP_JX;
                else if (m == 3 && n == 0)
                    d->op = XT_OP_CALLX0;
                return;
            case 2: /* SYNC */
                if (s != 0) return;
                switch (t) {
                case 0: d->op = XT_OP_ISYNC; return;
                case 1: d->op = XT_OP_RSYNC; return;
                case 2: d->op = XT_OP_ESYNC; return;
                case 3: d->op = XT_OP_DSYNC; return;
                case 8: d->op = XT_OP_EXCW; return;
                case 12: d->op = XT_OP_MEMW; return;
                case 13: d->op = XT_OP_EXTW; return;
                case 15: d->op = XT_OP_NOP; return;
                default: return;
                }
            case 3: /* RFEI */
                if (t == 0 && s == 0)
                    d->op = XT_OP_RFE;
                else if (t == 0 && s == 2)
                    d->op = XT_OP_RFDE;
                else if (t == 1) {
                    d->op = XT_OP_RFI;
                    d->imm = (int32_t)s;
                }
                return;
            case 4:
                d->op = XT_OP_BREAK;
                d->imm = (int32_t)s;
                d->imm2 = (int32_t)t;
                return;
            case 5:
                if (t != 0) return;
                if (s == 0)
                    d->op = XT_OP_SYSCALL;
                else if (s == 1)
                    d->op = XT_OP_SIMCALL;
                return;
            case 6:
                d->op = XT_OP_RSIL;
                d->imm = (int32_t)s;
                return;
            case 7:
                if (t != 0) return;
                d->op = XT_OP_WAITI;
                d->imm = (int32_t)s;
                return;
            default: return;
            }
        case 1: d->op = XT_OP_AND; return;
        case 2: d->op = XT_OP_OR; return;
        case 3: d->op = XT_OP_XOR; return;
        case 4: /* ST1 */
            switch (r) {
            case 0:
                if (t == 0) d->op = XT_OP_SSR;
                return;
            case 1:
                if (t == 0) d->op = XT_OP_SSL;
                return;
            case 2:
                if (t == 0) d->op = XT_OP_SSA8L;
                return;
            case 3:
                if (t == 0) d->op = XT_OP_SSA8B;
                return;
            case 4:
                if ((t & 14) == 0) {
                    d->op = XT_OP_SSAI;
                    d->imm = (int32_t)(s | (t & 1) << 4);
                }
                return;
            case 6: d->op = XT_OP_RER; return;
            case 7: d->op = XT_OP_WER; return;
            case 14: d->op = XT_OP_NSA; return;
            case 15: d->op = XT_OP_NSAU; return;
            default: return;
            }
        case 5: /* TLB */
            switch (r) {
            case 3: d->op = XT_OP_RITLB0; return;
            case 4:
                if (t == 0) d->op = XT_OP_IITLB;
                return;
            case 5: d->op = XT_OP_PITLB; return;
            case 6: d->op = XT_OP_WITLB; return;
            case 7: d->op = XT_OP_RITLB1; return;
            case 11: d->op = XT_OP_RDTLB0; return;
            case 12:
                if (t == 0) d->op = XT_OP_IDTLB;
                return;
            case 13: d->op = XT_OP_PDTLB; return;
            case 14: d->op = XT_OP_WDTLB; return;
            case 15: d->op = XT_OP_RDTLB1; return;
            default: return;
            }
        case 6: /* RT0 */
            if (s == 0)
                d->op = XT_OP_NEG;
            else if (s == 1)
                d->op = XT_OP_ABS;
            return;
        case 8: d->op = XT_OP_ADD; return;
        case 9: d->op = XT_OP_ADDX2; return;
        case 10: d->op = XT_OP_ADDX4; return;
        case 11: d->op = XT_OP_ADDX8; return;
        case 12: d->op = XT_OP_SUB; return;
        case 13: d->op = XT_OP_SUBX2; return;
        case 14: d->op = XT_OP_SUBX4; return;
        case 15: d->op = XT_OP_SUBX8; return;
        default: return;
        }
    case 1: /* RST1 */
        switch (op2) {
        case 0:
        case 1:
            d->op = XT_OP_SLLI;
            d->imm = (int32_t)(32 - (((op2 & 1) << 4) | t));
            return;
        case 2:
        case 3:
            d->op = XT_OP_SRAI;
            d->imm = (int32_t)(((op2 & 1) << 4) | s);
            return;
        case 4:
            d->op = XT_OP_SRLI;
            d->imm = (int32_t)s;
            return;
        case 6: {
            unsigned sr = (r << 4) | s;
            if (xt_sr_table[sr].flags & XT_SR_X) {
                d->op = XT_OP_XSR;
                d->imm = (int32_t)sr;
            }
            return;
        }
        case 8: d->op = XT_OP_SRC; return;
        case 9:
            if (s == 0) d->op = XT_OP_SRL;
            return;
        case 10:
            if (t == 0) d->op = XT_OP_SLL;
            return;
        case 11:
            if (s == 0) d->op = XT_OP_SRA;
            return;
        case 12: d->op = XT_OP_MUL16U; return;
        case 13: d->op = XT_OP_MUL16S; return;
        case 15:
            /* objdump: rfdo prints s as an operand, rfdd ignores s */
            if (r == 14 && t == 0) {
                d->op = XT_OP_RFDO;
                d->imm = (int32_t)s;
            } else if (r == 14 && t == 1)
                d->op = XT_OP_RFDD;
            return;
        default: return;
        }
    case 2: /* RST2 */
        if (op2 == 8) d->op = XT_OP_MULL;
        return;
    case 3: /* RST3 */
        switch (op2) {
        case 0:
        case 1: {
            unsigned sr = (r << 4) | s;
            unsigned need = op2 == 0 ? XT_SR_R : XT_SR_W;
            if (xt_sr_table[sr].flags & need) {
                d->op = op2 == 0 ? XT_OP_RSR : XT_OP_WSR;
                d->imm = (int32_t)sr;
            }
            return;
        }
        case 8: d->op = XT_OP_MOVEQZ; return;
        case 9: d->op = XT_OP_MOVNEZ; return;
        case 10: d->op = XT_OP_MOVLTZ; return;
        case 11: d->op = XT_OP_MOVGEZ; return;
        default: return;
        }
    case 4:
    case 5:
        d->op = XT_OP_EXTUI;
        d->imm = (int32_t)(((op1 & 1) << 4) | s);
        d->imm2 = (int32_t)(op2 + 1);
        return;
    default: return;
    }
}

static void dec_lsai(uint32_t w, xt_insn *d)
{
    uint32_t imm8 = (w >> 16) & 0xFF;
    switch (d->r) {
    case 0:
        d->op = XT_OP_L8UI;
        d->imm = (int32_t)imm8;
        return;
    case 1:
        d->op = XT_OP_L16UI;
        d->imm = (int32_t)(imm8 << 1);
        return;
    case 2:
        d->op = XT_OP_L32I;
        d->imm = (int32_t)(imm8 << 2);
        return;
    case 4:
        d->op = XT_OP_S8I;
        d->imm = (int32_t)imm8;
        return;
    case 5:
        d->op = XT_OP_S16I;
        d->imm = (int32_t)(imm8 << 1);
        return;
    case 6:
        d->op = XT_OP_S32I;
        d->imm = (int32_t)(imm8 << 2);
        return;
    case 9:
        d->op = XT_OP_L16SI;
        d->imm = (int32_t)(imm8 << 1);
        return;
    case 10:
        d->op = XT_OP_MOVI;
        d->imm = sext(((uint32_t)d->s << 8) | imm8, 12);
        return;
    case 12:
        d->op = XT_OP_ADDI;
        d->imm = sext(imm8, 8);
        return;
    case 13:
        d->op = XT_OP_ADDMI;
        d->imm = sext(imm8, 8) * 256;
        return;
    default: return;
    }
}

static void dec_si(uint32_t w, xt_insn *d)
{
    unsigned n = d->t & 3, m = d->t >> 2;
    switch (n) {
    case 0:
        d->op = XT_OP_J;
        d->imm = sext(w >> 6, 18) + 4;
        return;
    case 1: {
        static const uint16_t ops[4] = {XT_OP_BEQZ, XT_OP_BNEZ, XT_OP_BLTZ, XT_OP_BGEZ};
        d->op = ops[m];
        d->imm = sext(w >> 12, 12) + 4;
        return;
    }
    case 2: {
        static const uint16_t ops[4] = {XT_OP_BEQI, XT_OP_BNEI, XT_OP_BLTI, XT_OP_BGEI};
        d->op = ops[m];
        d->imm2 = xt_b4const[d->r];
        d->imm = sext(w >> 16, 8) + 4;
        return;
    }
    case 3:
        if (m == 2 || m == 3) {
            d->op = m == 2 ? XT_OP_BLTUI : XT_OP_BGEUI;
            d->imm2 = xt_b4constu[d->r];
            d->imm = sext(w >> 16, 8) + 4;
        }
        return;
    }
}

static void dec_b(uint32_t w, xt_insn *d)
{
    static const uint16_t ops[16] = {
        XT_OP_BNONE, XT_OP_BEQ,  XT_OP_BLT,  XT_OP_BLTU, XT_OP_BALL, XT_OP_BBC,
        XT_OP_BBCI,  XT_OP_BBCI, XT_OP_BANY, XT_OP_BNE,  XT_OP_BGE,  XT_OP_BGEU,
        XT_OP_BNALL, XT_OP_BBS,  XT_OP_BBSI, XT_OP_BBSI,
    };
    d->op = ops[d->r];
    d->imm = sext(w >> 16, 8) + 4;
    if (d->op == XT_OP_BBCI || d->op == XT_OP_BBSI) d->imm2 = (int32_t)(((d->r & 1u) << 4) | d->t);
}

static void decode_op(uint32_t w, xt_insn *d)
{
    unsigned op0 = w & 15;
    d->len = (uint8_t)xt_insn_len((uint8_t)w);
    if (d->len == 2)
        w &= 0xFFFF;
    else
        w &= 0xFFFFFF;
    d->word = w;
    d->op = XT_OP_ILLEGAL;
    d->r = (w >> 12) & 15;
    d->s = (w >> 8) & 15;
    d->t = (w >> 4) & 15;
    d->imm = 0;
    d->imm2 = 0;
    switch (op0) {
    case 0: dec_qrst(w, d); break;
    case 1:
        d->op = XT_OP_L32R;
        d->imm = (int32_t)((0xFFFF0000u | (w >> 8)) << 2);
        break;
    case 2: dec_lsai(w, d); break;
    case 5:
        if ((d->t & 3) == 0) {
            d->op = XT_OP_CALL0;
            d->imm = sext(w >> 6, 18) * 4 + 4;
        }
        break;
    case 6: dec_si(w, d); break;
    case 7: dec_b(w, d); break;
    case 8:
        d->op = XT_OP_L32I_N;
        d->imm = (int32_t)(d->r * 4);
        break;
    case 9:
        d->op = XT_OP_S32I_N;
        d->imm = (int32_t)(d->r * 4);
        break;
    case 10: d->op = XT_OP_ADD_N; break;
    case 11:
        d->op = XT_OP_ADDI_N;
        d->imm = d->t == 0 ? -1 : (int32_t)d->t;
        break;
    case 12:
        if ((d->t & 8) == 0) {
            /* RI7: imm7 = t[2:0] << 4 | r; values with bits 6 and 5 set are negative. */
            int32_t v = (int32_t)(((d->t & 7u) << 4) | d->r);
            if ((v & 0x60) == 0x60) v -= 128;
            d->op = XT_OP_MOVI_N;
            d->imm = v;
        } else {
            d->op = (d->t & 4) ? XT_OP_BNEZ_N : XT_OP_BEQZ_N;
            d->imm = (int32_t)((((d->t & 3u) << 4) | d->r) + 4);
        }
        break;
    case 13:
        if (d->r == 0)
            d->op = XT_OP_MOV_N;
        else if (d->r == 15) {
            switch (d->t) {
            case 0: d->op = XT_OP_RET_N; break; /* s ignored, as objdump */
            case 2:
                d->op = XT_OP_BREAK_N;
                d->imm = (int32_t)d->s;
                break;
            case 3:
                if (d->s == 0) d->op = XT_OP_NOP_N;
                break;
            case 6:
                if (d->s == 0) d->op = XT_OP_ILL_N;
                break;
            default: break;
            }
        }
        break;
    default: break; /* 3, 4: FP/MAC16 absent; 14, 15 reserved */
    }
}

/* Base cycles per instruction (docs/timing-model.md, reference/lx106.md §7.3): 1 for every
 * instruction, 2 for MULL (its latency is not published; the reference suggests 1-2). Memory
 * waits, cache misses and the 2 cycles of a taken transfer are added at execution. */
void xt_decode(uint32_t w, xt_insn *d)
{
    decode_op(w, d);
    d->cost = d->op == XT_OP_MULL ? 2u : 1u;
}
