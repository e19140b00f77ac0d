/* tests/cpu/asm/decode.c — encoding sweep (reference/lx106.md §2.2): runs every combination
 * of op1, op2 and r of the QRST group (with s and t in {0, 1, 2, 15}), every 16-bit op0 = 13
 * word, the illegal LSAI r values and ENTRY/LOOP/BF/BT, each in the dec_try sandbox
 * (decode_try.S), and prints which ones executed without an exception (bitmaps) and a digest
 * of the exception kind and cause of the others. Compared with QEMU, this checks espsim's
 * decoder legality set, field by field.
 *
 * Not swept here (tested elsewhere, or unsafe to run blind): WSR/XSR (sr.S sweeps every SR
 * number), RER/WER (extreg.S), WITLB/WDTLB (would prohibit the memory the sandbox runs in;
 * mem.S), WAITI (would sleep), RFI with a level other than 2/3 (QEMU does not check it;
 * docs/cpu-differences.md). */
#include "harness.h"

uint32_t dec_try(uint32_t word, uint32_t len);

static const unsigned dec_st[4] = {0, 1, 2, 15};

static int dec_excluded(unsigned op1, unsigned op2, unsigned r, unsigned s, unsigned t)
{
    if (op1 == 0 && op2 == 0) {
        if (r == 7) return 1;                               /* WAITI */
        if (r == 3 && t == 1 && s != 2 && s != 3) return 1; /* RFI n, n != 2, 3 */
    }
    if (op1 == 0 && op2 == 4 && (r == 6 || r == 7)) return 1;  /* RER, WER */
    if (op1 == 0 && op2 == 5 && (r == 6 || r == 14)) return 1; /* WITLB, WDTLB */
    if (op1 == 1 && op2 == 6) return 1;                        /* XSR */
    if (op1 == 3 && op2 == 1) return 1;                        /* WSR */
    return 0;
}

struct dec_acc {
    uint32_t bits[8];
    uint32_t digest;
    unsigned n;
};

static void dec_add(struct dec_acc *a, uint32_t res)
{
    if (res == 0xffu) a->bits[a->n >> 5] |= 1u << (a->n & 31u);
    a->digest = qs_fnv1a(a->digest, &res, sizeof(res));
    a->n++;
}

/* Ends the line the caller started with its label. */
static void dec_print(const struct dec_acc *a)
{
    qs_printf(":");
    for (unsigned i = 0; i < 8; i++)
        qs_printf(" %08x", a->bits[i]);
    qs_printf(" | %08x\n", a->digest);
}

int main(void)
{
    h_test("qrst: legal bitmap over (r, s, t) | digest of exception causes");
    for (unsigned op1 = 0; op1 < 16; op1++)
        for (unsigned op2 = 0; op2 < 16; op2++) {
            struct dec_acc a = {{0}, 0x811C9DC5u, 0};
            for (unsigned r = 0; r < 16; r++)
                for (unsigned si = 0; si < 4; si++)
                    for (unsigned ti = 0; ti < 4; ti++) {
                        unsigned s = dec_st[si], t = dec_st[ti];
                        uint32_t res = 0x1ffu; /* not run */
                        if (!dec_excluded(op1, op2, r, s, t)) {
                            uint32_t w = op2 << 20 | op1 << 16 | r << 12 | s << 8 | t << 4;
                            res = dec_try(w, 3);
                        }
                        dec_add(&a, res);
                    }
            qs_printf("  op1 %2u op2 %2u", op1, op2);
            dec_print(&a);
        }

    h_test("narrow op0 13: legal bitmap over (s, t) per r | digest");
    for (unsigned r = 0; r < 16; r++) {
        struct dec_acc a = {{0}, 0x811C9DC5u, 0};
        for (unsigned s = 0; s < 16; s++)
            for (unsigned t = 0; t < 16; t++)
                dec_add(&a, dec_try(r << 12 | s << 8 | t << 4 | 13u, 2));
        qs_printf("  r %2u", r);
        dec_print(&a);
    }

    h_test("lsai r = 3, 7, 8, 11, 14, 15 (s = 2, 15; all t): result codes");
    static const unsigned lsai_r[6] = {3, 7, 8, 11, 14, 15};
    for (unsigned i = 0; i < 6; i++) {
        struct dec_acc a = {{0}, 0x811C9DC5u, 0};
        for (unsigned s = 2; s < 16; s += 13)
            for (unsigned t = 0; t < 16; t++)
                dec_add(&a, dec_try(0x10u << 16 | lsai_r[i] << 12 | s << 8 | t << 4 | 2u, 3));
        qs_printf("  r %2u", lsai_r[i]);
        dec_print(&a);
    }

    h_test("bi1 m = 0, 1 (ENTRY, LOOP*, BF, BT) over r");
    for (unsigned m = 0; m < 2; m++) {
        struct dec_acc a = {{0}, 0x811C9DC5u, 0};
        for (unsigned r = 0; r < 16; r++)
            dec_add(&a, dec_try(0x04u << 16 | r << 12 | 2u << 8 | m << 6 | 3u << 4 | 6u, 3));
        qs_printf("  m %u", m);
        dec_print(&a);
    }
    return 0;
}
