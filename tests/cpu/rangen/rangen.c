/* tests/cpu/rangen/rangen.c — seeded random LX106 programs for differential testing against QEMU
 * (docs/random-testing.md).
 *
 *   rangen --seed S --index I [--length N]
 *
 * writes to stdout one self-contained assembly source for xtensa-lx106-elf-gcc, linked with
 * firmware/qsim-rt/qsim.ld: a reset stub at 0x50000000, code at 0x40100000, a 256-byte scratch
 * area at 0x3FFC0000. The program is a function of (S, I, N) only (splitmix64, no rand()).
 *
 * Shape: random register values, then N top-level items (ALU, shift/SAR, multiply, load/store,
 * l32r, forward conditional branches over a nested block, bounded count-down loops, calls to leaf
 * subroutines), then a digest printed through SIMCALL write: a0, a2..a15 and SAR, one per line,
 * and the 256 scratch bytes as 64 little-endian words; then SIMCALL exit(0).
 *
 * Safety rules (so the program can neither fault nor spin):
 *   - one register (base) holds the scratch address and is never written; loads and stores use
 *     it with offsets aligned to the access size, or an index masked to the area and scaled;
 *   - one register (counter) is written only by loops, which are never nested; a loop's counter
 *     starts at 0..5 and is moved one step towards its exit value on every iteration;
 *   - branches only go forward over a block generated with a byte budget that keeps the target in
 *     range (the source is assembled with no-transform, so gas would reject a miss rather than
 *     relax it); the only backward branch is a loop's closing branch;
 *   - a0 is written freely in the main program (calls overwrite it anyway) but never inside a
 *     subroutine; a1 stays a valid stack pointer (subroutines restore it);
 *   - WSR.SAR only receives values 0..32.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RG_DEFAULT_LENGTH 150u
#define RG_MAX_LENGTH     2000u
#define RG_MAX_SUBS       4u
#define RG_TOP_BUDGET     (1u << 20)

/* Branch reach in bytes of skipped code (lx106.md §2.3), kept below the encodable maximum. */
#define RG_REACH_NARROW 60u   /* beqz.n/bnez.n: target - pc - 4 in 0..63 */
#define RG_REACH_BRI8   120u  /* rri8/bri8 branches: -128..127 */
#define RG_REACH_BRI12  1000u /* beqz/bnez/bltz/bgez: -2048..2047 */
#define RG_REACH_J      400u  /* j: 18 bits, far more than we use */

typedef struct rg_buf {
    char *p;
    size_t len, cap;
} rg_buf;

typedef struct rg_gen {
    uint64_t rng;   /* splitmix64 state */
    rg_buf code;    /* program text after the literal pool */
    rg_buf lits;    /* literal pool (before all code: l32r only reaches backwards) */
    unsigned nlits; /* literals emitted */
    unsigned nlabels;
    unsigned base;  /* register holding the scratch address, never written */
    unsigned cnt;   /* loop counter register, written only by loops */
    unsigned nsubs; /* leaf subroutines .Lsub0 .. */
    bool in_loop;   /* no nested loops (one counter) */
    bool in_sub;    /* no calls, loops or a0 writes inside subroutines */
    bool dead;      /* block jumped over by j: straight-line only */
} rg_gen;

/* ---- output buffer ------------------------------------------------------------------------ */

static void rg_buf_vprintf(rg_buf *b, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) abort();
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) abort();
        b->p = p;
        b->cap = cap;
    }
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

static void rg_buf_printf(rg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rg_buf_printf(rg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rg_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Appends one instruction line to the program and returns its size in bytes. */
static unsigned rg_emit(rg_gen *g, unsigned size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static unsigned rg_emit(rg_gen *g, unsigned size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rg_buf_printf(&g->code, "    ");
    rg_buf_vprintf(&g->code, fmt, ap);
    rg_buf_printf(&g->code, "\n");
    va_end(ap);
    return size;
}

static unsigned rg_label(rg_gen *g)
{
    return g->nlabels++;
}

static void rg_place(rg_gen *g, unsigned label)
{
    rg_buf_printf(&g->code, ".L%u:\n", label);
}

/* ---- randomness --------------------------------------------------------------------------- */

static uint64_t rg_splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static uint32_t rg_u32(rg_gen *g)
{
    return (uint32_t)(rg_splitmix(&g->rng) >> 32);
}

/* Uniform in [0, n). */
static unsigned rg_below(rg_gen *g, unsigned n)
{
    return (unsigned)(((uint64_t)rg_u32(g) * n) >> 32);
}

static int rg_range(rg_gen *g, int lo, int hi)
{
    return lo + (int)rg_below(g, (unsigned)(hi - lo + 1));
}

static bool rg_chance(rg_gen *g, unsigned percent)
{
    return rg_below(g, 100) < percent;
}

/* A 32-bit value biased towards the edges that break ALUs: signs, carries, 16-bit halves. */
static uint32_t rg_value(rg_gen *g)
{
    static const uint32_t edges[] = {0,           1,           0xFFFFFFFFu, 0x7FFFFFFFu,
                                     0x80000000u, 0x0000FFFFu, 0x00008000u, 0x00007FFFu,
                                     0xFFFF8000u, 0x000000FFu, 0x00000080u, 0x00010000u,
                                     0x80000001u, 0xFFFF0000u, 0x0000001Fu, 0x00000020u};
    unsigned k = rg_below(g, 32);
    switch (rg_below(g, 8)) {
    case 0:
    case 1:
    case 2: return rg_u32(g);
    case 3: return (uint32_t)rg_range(g, -16, 16);
    case 4: return (1u << k) + (uint32_t)rg_range(g, -1, 1);
    case 5: return ~(1u << k);
    case 6: return edges[rg_below(g, sizeof edges / sizeof edges[0])];
    default: return rg_chance(g, 50) ? (rg_u32(g) & 0xFFFFu) : (rg_u32(g) | 0xFFFF0000u);
    }
}

/* ---- registers ---------------------------------------------------------------------------- */

/* A register the current code may write. */
static unsigned rg_dst(rg_gen *g)
{
    for (;;) {
        unsigned r = rg_below(g, 16);
        if (r == 1 || r == g->base || r == g->cnt) continue;
        if (r == 0 && (g->in_sub || !rg_chance(g, 30))) continue;
        return r;
    }
}

/* Any register may be read. */
static unsigned rg_src(rg_gen *g)
{
    return rg_below(g, 16);
}

static unsigned rg_literal_value(rg_gen *g, uint32_t v)
{
    rg_buf_printf(&g->lits, ".Llit%u: .word 0x%08" PRIx32 "\n", g->nlits, v);
    return g->nlits++;
}

static unsigned rg_literal_sym(rg_gen *g, const char *fmt, unsigned n)
{
    rg_buf_printf(&g->lits, ".Llit%u: .word ", g->nlits);
    rg_buf_printf(&g->lits, fmt, n);
    rg_buf_printf(&g->lits, "\n");
    return g->nlits++;
}

/* ---- straight-line instructions ----------------------------------------------------------- */

static const char *const rg_rrr_ops[] = {
    "add", "addx2", "addx4",  "addx8",  "sub",    "subx2",  "subx4",  "subx8",  "and", "or",
    "xor", "mull",  "mul16u", "mul16s", "moveqz", "movnez", "movltz", "movgez", "src",
};

#define RG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Memory access through the base register with an aligned immediate offset. */
static unsigned rg_gen_mem(rg_gen *g, bool store)
{
    static const char *const loads[] = {"l8ui", "l16ui", "l16si", "l32i", "l32i.n"};
    static const char *const stores[] = {"s8i", "s16i", "s32i", "s32i.n"};
    static const unsigned lsize[] = {1, 2, 2, 4, 4}, ssize[] = {1, 2, 4, 4};
    unsigned k = store ? rg_below(g, RG_COUNT(stores)) : rg_below(g, RG_COUNT(loads));
    const char *op = store ? stores[k] : loads[k];
    unsigned size = store ? ssize[k] : lsize[k];
    bool narrow = strchr(op, '.') != NULL;
    unsigned off = narrow ? 4 * rg_below(g, 16) : size * rg_below(g, 256 / size);
    unsigned t = store ? rg_src(g) : rg_dst(g);
    return rg_emit(g, narrow ? 2 : 3, "%s a%u, a%u, %u", op, t, g->base, off);
}

/* Memory access at an address computed from data: extui + scaled add into a temporary. */
static unsigned rg_gen_mem_indexed(rg_gen *g)
{
    static const char *const ops[] = {"l8ui", "s8i", "l16ui", "l16si", "s16i", "l32i", "s32i"};
    static const unsigned sizes[] = {1, 1, 2, 2, 2, 4, 4};
    unsigned k = rg_below(g, RG_COUNT(ops));
    unsigned size = sizes[k], bits = size == 1 ? 8 : size == 2 ? 7 : 6;
    unsigned tmp = rg_dst(g), idx = rg_src(g);
    unsigned shift = rg_below(g, 32 - bits + 1);
    rg_emit(g, 3, "extui a%u, a%u, %u, %u", tmp, idx, shift, bits);
    if (size == 1)
        rg_emit(g, 3, "add a%u, a%u, a%u", tmp, tmp, g->base);
    else
        rg_emit(g, 3, "addx%u a%u, a%u, a%u", size, tmp, tmp, g->base);
    bool store = ops[k][0] == 's';
    unsigned t = store ? rg_src(g) : rg_dst(g);
    return 6 + rg_emit(g, 3, "%s a%u, a%u, 0", ops[k], t, tmp);
}

/* One instruction (or a short fixed sequence) of at most budget bytes (budget >= 3). */
static unsigned rg_gen_simple(rg_gen *g, unsigned budget)
{
    unsigned c = rg_below(g, 100);
    if (c < 22) {
        const char *op = rg_rrr_ops[rg_below(g, RG_COUNT(rg_rrr_ops))];
        return rg_emit(g, 3, "%s a%u, a%u, a%u", op, rg_dst(g), rg_src(g), rg_src(g));
    }
    if (c < 29) {
        static const char *const ops[] = {"neg", "abs", "nsa", "nsau"};
        return rg_emit(g, 3, "%s a%u, a%u", ops[rg_below(g, 4)], rg_dst(g), rg_src(g));
    }
    if (c < 38) {
        switch (rg_below(g, 3)) {
        case 0:
            return rg_emit(g, 3, "addi a%u, a%u, %d", rg_dst(g), rg_src(g), rg_range(g, -128, 127));
        case 1:
            return rg_emit(g, 3, "addmi a%u, a%u, %d", rg_dst(g), rg_src(g),
                           256 * rg_range(g, -128, 127));
        default: return rg_emit(g, 3, "movi a%u, %d", rg_dst(g), rg_range(g, -2048, 2047));
        }
    }
    if (c < 47) {
        switch (rg_below(g, 4)) {
        case 0: return rg_emit(g, 2, "movi.n a%u, %d", rg_dst(g), rg_range(g, -32, 95));
        case 1: return rg_emit(g, 2, "mov.n a%u, a%u", rg_dst(g), rg_src(g));
        case 2: return rg_emit(g, 2, "add.n a%u, a%u, a%u", rg_dst(g), rg_src(g), rg_src(g));
        default: {
            int imm = rg_range(g, 0, 15);
            return rg_emit(g, 2, "addi.n a%u, a%u, %d", rg_dst(g), rg_src(g), imm ? imm : -1);
        }
        }
    }
    if (c < 56) {
        switch (rg_below(g, 4)) {
        case 0: return rg_emit(g, 3, "slli a%u, a%u, %d", rg_dst(g), rg_src(g), rg_range(g, 1, 31));
        case 1: return rg_emit(g, 3, "srai a%u, a%u, %d", rg_dst(g), rg_src(g), rg_range(g, 0, 31));
        case 2: return rg_emit(g, 3, "srli a%u, a%u, %d", rg_dst(g), rg_src(g), rg_range(g, 0, 15));
        default: {
            /* gas wants shift + bits <= 32; the encoding allows any pair (the field simply
             * runs off the top), so the rest is emitted as raw bytes */
            unsigned shift = rg_below(g, 32), bits = 1 + rg_below(g, 16);
            unsigned r = rg_dst(g), t = rg_src(g);
            if (shift + bits <= 32)
                return rg_emit(g, 3, "extui a%u, a%u, %u, %u", r, t, shift, bits);
            uint32_t w =
                (bits - 1) << 20 | (4u | shift >> 4) << 16 | r << 12 | (shift & 15) << 8 | t << 4;
            return rg_emit(g, 3, ".byte 0x%02x, 0x%02x, 0x%02x /* extui a%u, a%u, %u, %u */",
                           (unsigned)(w & 0xFF), (unsigned)(w >> 8 & 0xFF), (unsigned)(w >> 16), r,
                           t, shift, bits);
        }
        }
    }
    if (c < 64) {
        static const char *const ops[] = {"ssr", "ssl", "ssa8l", "ssa8b"};
        unsigned k = rg_below(g, 7);
        if (k < 4) return rg_emit(g, 3, "%s a%u", ops[k], rg_src(g));
        if (k == 4) return rg_emit(g, 3, "ssai %d", rg_range(g, 0, 31));
        if (k == 5 || budget < 6) return rg_emit(g, 3, "rsr.sar a%u", rg_dst(g));
        /* SAR is architecturally 0..32: write it only with a value in that range */
        unsigned t = rg_dst(g);
        rg_emit(g, 3, "movi a%u, %d", t, rg_range(g, 0, 32));
        return 3 + rg_emit(g, 3, "%s.sar a%u", rg_chance(g, 50) ? "wsr" : "xsr", t);
    }
    if (c < 72) {
        switch (rg_below(g, 4)) {
        case 0: return rg_emit(g, 3, "sll a%u, a%u", rg_dst(g), rg_src(g));
        case 1: return rg_emit(g, 3, "srl a%u, a%u", rg_dst(g), rg_src(g));
        case 2: return rg_emit(g, 3, "sra a%u, a%u", rg_dst(g), rg_src(g));
        default: return rg_emit(g, 3, "src a%u, a%u, a%u", rg_dst(g), rg_src(g), rg_src(g));
        }
    }
    if (c < 82) return rg_gen_mem(g, false);
    if (c < 91) return rg_gen_mem(g, true);
    if (c < 95 || budget < 9) {
        unsigned t = rg_dst(g);
        return rg_emit(g, 3, "l32r a%u, .Llit%u", t, rg_literal_value(g, rg_value(g)));
    }
    return rg_gen_mem_indexed(g);
}

/* ---- control flow ------------------------------------------------------------------------- */

static unsigned rg_gen_block(rg_gen *g, unsigned nitems, unsigned budget);

static const int rg_b4const[16] = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
static const int rg_b4constu[16] = {32768, 65536, 2,  3,  4,  5,  6,   7,
                                    8,     10,    12, 16, 32, 64, 128, 256};

/* Sets a fresh register to v (movi, or l32r when v does not fit) and returns it; size in *used. */
static unsigned rg_set_value(rg_gen *g, int32_t v, unsigned *used)
{
    unsigned r = rg_dst(g);
    if (v >= -2048 && v <= 2047)
        *used += rg_emit(g, 3, "movi a%u, %d", r, (int)v);
    else
        *used += rg_emit(g, 3, "l32r a%u, .Llit%u", r, rg_literal_value(g, (uint32_t)v));
    return r;
}

/* A forward conditional branch over a nested block. Random registers rarely compare equal or sit
 * next to an immediate, so 40% of the time the operand is first set to the compared value
 * (or one off it), or the second operand to a copy of the first, to exercise both directions. */
static unsigned rg_gen_branch(rg_gen *g, unsigned budget)
{
    static const char *const rr[] = {"beq",  "bne",   "blt",  "bge",   "bltu", "bgeu",
                                     "bany", "bnone", "ball", "bnall", "bbc",  "bbs"};
    static const char *const bi[] = {"beqi", "bnei", "blti", "bgei"};
    static const char *const bz[] = {"beqz", "bnez", "bltz", "bgez"};
    unsigned label = rg_label(g), size, reach, pre = 0;
    bool bias = budget >= 8 + 3 && rg_chance(g, 40);
    /* one slot per mnemonic: 12 rr, bbci, bbsi, 4 bi, bltui, bgeui, 4 bz, beqz.n, bnez.n */
    unsigned k = rg_below(g, 26);
    if (k < 12) {
        size = 3, reach = RG_REACH_BRI8;
        unsigned s = rg_src(g), t = rg_src(g);
        if (bias) {
            t = rg_dst(g);
            pre += rg_emit(g, 3, "addi a%u, a%u, %d", t, s, rg_range(g, -1, 1));
        }
        rg_emit(g, 3, "%s a%u, a%u, .L%u", rr[k], s, t, label);
    } else if (k < 14) {
        size = 3, reach = RG_REACH_BRI8;
        rg_emit(g, 3, "%s a%u, %d, .L%u", k == 12 ? "bbci" : "bbsi", rg_src(g), rg_range(g, 0, 31),
                label);
    } else if (k < 20) {
        size = 3, reach = RG_REACH_BRI8;
        bool u = k >= 18;
        int imm = u ? rg_b4constu[rg_below(g, 16)] : rg_b4const[rg_below(g, 16)];
        unsigned s = bias ? rg_set_value(g, imm + rg_range(g, -1, 1), &pre) : rg_src(g);
        rg_emit(g, 3, "%s a%u, %d, .L%u", u ? (k == 18 ? "bltui" : "bgeui") : bi[k - 14], s, imm,
                label);
    } else {
        unsigned s = bias ? rg_set_value(g, rg_range(g, -1, 1), &pre) : rg_src(g);
        if (k < 24) {
            size = 3, reach = RG_REACH_BRI12;
            rg_emit(g, 3, "%s a%u, .L%u", bz[k - 20], s, label);
        } else {
            /* the narrow forms cannot branch to the next instruction: the block must not be
             * empty, which gen_block guarantees for a budget of at least 3 */
            size = 2, reach = RG_REACH_NARROW;
            rg_emit(g, 2, "%s a%u, .L%u", k == 24 ? "beqz.n" : "bnez.n", s, label);
        }
    }
    unsigned left = budget - pre - size;
    unsigned inner = left < reach ? left : reach;
    unsigned used = inner >= 3 ? rg_gen_block(g, 1 + rg_below(g, 5), inner) : 0;
    rg_place(g, label);
    return pre + size + used;
}

/* An unconditional forward jump (j, or l32r + jx) over dead code. */
static unsigned rg_gen_jump(rg_gen *g, unsigned budget)
{
    unsigned label = rg_label(g), size = 3;
    if (budget >= 6 + 3 && rg_chance(g, 30)) {
        unsigned t = rg_dst(g);
        rg_emit(g, 3, "l32r a%u, .Llit%u", t, rg_literal_sym(g, ".L%u", label));
        size += rg_emit(g, 3, "jx a%u", t);
    } else {
        rg_emit(g, 3, "j .L%u", label);
    }
    unsigned inner = budget - size < RG_REACH_J ? budget - size : RG_REACH_J;
    bool dead = g->dead;
    g->dead = true;
    unsigned used = inner >= 3 ? rg_gen_block(g, 1 + rg_below(g, 3), inner) : 0;
    g->dead = dead;
    rg_place(g, label);
    return size + used;
}

/* A bounded loop on the counter register: 1..5 iterations, closing with a backward branch. */
static unsigned rg_gen_loop(rg_gen *g, unsigned budget)
{
    unsigned top = rg_label(g), c = g->cnt, used = 0;
    unsigned kind = rg_below(g, 5), n = 1 + rg_below(g, 5);
    bool narrow_init = rg_chance(g, 40), narrow_step = rg_chance(g, 40);
    unsigned overhead = (narrow_init ? 2u : 3u) + (narrow_step ? 2u : 3u) + 3u;
    unsigned reach = (kind == 0 || kind == 1) ? RG_REACH_BRI12 : RG_REACH_BRI8;
    unsigned inner = budget - overhead < reach ? budget - overhead : reach;
    int init = kind == 1 ? (int)n - 1 : kind == 3 ? 0 : (int)n;

    used += rg_emit(g, narrow_init ? 2 : 3, "%s a%u, %d", narrow_init ? "movi.n" : "movi", c, init);
    rg_place(g, top);
    g->in_loop = true;
    if (inner >= 3) used += rg_gen_block(g, 1 + rg_below(g, 8), inner);
    g->in_loop = false;
    used += rg_emit(g, narrow_step ? 2 : 3, "%s a%u, a%u, %d", narrow_step ? "addi.n" : "addi", c,
                    c, kind == 3 ? 1 : -1);
    switch (kind) {
    case 0: used += rg_emit(g, 3, "bnez a%u, .L%u", c, top); break;          /* n .. 1 */
    case 1: used += rg_emit(g, 3, "bgez a%u, .L%u", c, top); break;          /* n-1 .. 0 */
    case 2: used += rg_emit(g, 3, "bgei a%u, 1, .L%u", c, top); break;       /* n .. 1 */
    case 3: used += rg_emit(g, 3, "blti a%u, %u, .L%u", c, n, top); break;   /* 0 .. n-1 */
    default: used += rg_emit(g, 3, "bany a%u, a%u, .L%u", c, c, top); break; /* n .. 1 */
    }
    return used;
}

/* call0, or l32r + callx0 (sometimes through a0 itself), to a leaf subroutine. */
static unsigned rg_gen_call(rg_gen *g, unsigned budget)
{
    unsigned k = rg_below(g, g->nsubs);
    if (budget < 6 || rg_chance(g, 60)) return rg_emit(g, 3, "call0 .Lsub%u", k);
    unsigned t = rg_chance(g, 25) ? 0 : rg_dst(g);
    rg_emit(g, 3, "l32r a%u, .Llit%u", t, rg_literal_sym(g, ".Lsub%u", k));
    return 3 + rg_emit(g, 3, "callx0 a%u", t);
}

/* One item of at most budget bytes (budget >= 3). */
static unsigned rg_gen_item(rg_gen *g, unsigned budget)
{
    if (g->dead) return rg_gen_simple(g, budget);
    unsigned c = rg_below(g, 100);
    if (c < 10 && budget >= 8) return rg_gen_branch(g, budget);
    if (c < 11 && budget >= 8) return rg_gen_jump(g, budget);
    if (c < 15 && !g->in_loop && !g->in_sub && budget >= 24) return rg_gen_loop(g, budget);
    if (c < 20 && !g->in_sub && g->nsubs) return rg_gen_call(g, budget);
    return rg_gen_simple(g, budget);
}

/* Up to nitems items, at least one, within budget bytes (budget >= 3). */
static unsigned rg_gen_block(rg_gen *g, unsigned nitems, unsigned budget)
{
    unsigned used = 0;
    for (unsigned i = 0; i < nitems && budget - used >= 3; i++)
        used += rg_gen_item(g, budget - used);
    return used;
}

static void rg_gen_sub(rg_gen *g, unsigned k)
{
    rg_buf_printf(&g->code, "    .balign 4\n.Lsub%u:\n", k);
    g->in_sub = true;
    bool frame = rg_chance(g, 50);
    if (frame) {
        rg_emit(g, 3, "addi a1, a1, -16");
        rg_emit(g, 3, "s32i a%u, a1, 0", rg_src(g));
        rg_emit(g, 2, "s32i.n a%u, a1, 4", rg_src(g));
    }
    rg_gen_block(g, 2 + rg_below(g, 7), RG_TOP_BUDGET);
    if (frame) {
        rg_emit(g, 2, "l32i.n a%u, a1, %u", rg_dst(g), 4 * rg_below(g, 2));
        rg_emit(g, 3, "addi a1, a1, 16");
    }
    rg_emit(g, 3, "%s", rg_chance(g, 50) ? "ret" : "ret.n");
    g->in_sub = false;
}

/* ---- the whole program -------------------------------------------------------------------- */

static const char rg_prologue[] = "    .section .reset, \"ax\"\n"
                                  "    .global _reset\n"
                                  "_reset:\n"
                                  "    j 1f\n"
                                  "    .align 4\n"
                                  ".Lrg_start_addr: .word _start\n"
                                  "1:  l32r a0, .Lrg_start_addr\n"
                                  "    jx a0\n";

/* Digest: saves a0, a2..a15, SAR below the stack pointer, formats them and the scratch area as
 * hex into rg_out and writes it to fd 1; then exit(0). */
static const char rg_epilogue[] =
    ".Lrg_end:\n"
    "    addi a1, a1, -64\n"
    "    s32i a0, a1, 0\n"
    "    s32i a2, a1, 4\n"
    "    s32i a3, a1, 8\n"
    "    s32i a4, a1, 12\n"
    "    s32i a5, a1, 16\n"
    "    s32i a6, a1, 20\n"
    "    s32i a7, a1, 24\n"
    "    s32i a8, a1, 28\n"
    "    s32i a9, a1, 32\n"
    "    s32i a10, a1, 36\n"
    "    s32i a11, a1, 40\n"
    "    s32i a12, a1, 44\n"
    "    s32i a13, a1, 48\n"
    "    s32i a14, a1, 52\n"
    "    s32i a15, a1, 56\n"
    "    rsr.sar a2\n"
    "    s32i a2, a1, 60\n"
    "    l32r a6, .Lrg_out_addr\n"
    "    l32r a7, .Lrg_names_addr\n"
    "    movi a8, 0\n"
    ".Lrg_d1:\n"
    "    mov a3, a7\n"
    "    call0 .Lrg_str\n"
    "    mov a7, a3\n"
    "    addx4 a9, a8, a1\n"
    "    l32i a2, a9, 0\n"
    "    call0 .Lrg_hex8\n"
    "    movi a2, 10\n"
    "    s8i a2, a6, 0\n"
    "    addi a6, a6, 1\n"
    "    addi a8, a8, 1\n"
    "    movi a9, 16\n"
    "    blt a8, a9, .Lrg_d1\n"
    "    l32r a7, .Lrg_scratch_addr\n"
    "    movi a8, 0\n"
    ".Lrg_d2:\n"
    "    l32i a2, a7, 0\n"
    "    call0 .Lrg_hex8\n"
    "    movi a2, 32\n"
    "    extui a9, a8, 0, 3\n"
    "    bnei a9, 7, .Lrg_d3\n"
    "    movi a2, 10\n"
    ".Lrg_d3:\n"
    "    s8i a2, a6, 0\n"
    "    addi a6, a6, 1\n"
    "    addi a7, a7, 4\n"
    "    addi a8, a8, 1\n"
    "    movi a9, 64\n"
    "    blt a8, a9, .Lrg_d2\n"
    "    l32r a4, .Lrg_out_addr\n"
    "    sub a5, a6, a4\n"
    "    movi a3, 1\n"
    "    movi a2, 4\n"
    "    simcall\n"
    "    movi a3, 0\n"
    "    movi a2, 1\n"
    "    simcall\n"
    ".Lrg_halt:\n"
    "    j .Lrg_halt\n"
    "\n"
    "/* a2: value, a6: output cursor (advanced by 8); clobbers a2..a5 */\n"
    "    .balign 4\n"
    ".Lrg_hex8:\n"
    "    movi a5, 8\n"
    "1:  extui a3, a2, 28, 4\n"
    "    slli a2, a2, 4\n"
    "    addi a4, a3, -10\n"
    "    bltz a4, 2f\n"
    "    addi a3, a3, 39\n"
    "2:  addi a3, a3, 48\n"
    "    s8i a3, a6, 0\n"
    "    addi a6, a6, 1\n"
    "    addi a5, a5, -1\n"
    "    bnez a5, 1b\n"
    "    ret\n"
    "\n"
    "/* copies the string at a3 to a6 (both advanced; a3 ends past the NUL); clobbers a4 */\n"
    "    .balign 4\n"
    ".Lrg_str:\n"
    "1:  l8ui a4, a3, 0\n"
    "    addi a3, a3, 1\n"
    "    beqz a4, 2f\n"
    "    s8i a4, a6, 0\n"
    "    addi a6, a6, 1\n"
    "    j 1b\n"
    "2:  ret\n";

static void rg_generate(rg_gen *g, uint64_t seed, uint64_t index, unsigned length, FILE *out)
{
    uint64_t s = seed;
    uint64_t a = rg_splitmix(&s);
    s = a ^ (index * 0xD1B54A32D192ED03u + 0x632BE59BD9B4E019u);
    g->rng = rg_splitmix(&s);

    g->base = 2 + rg_below(g, 14);
    do
        g->cnt = 2 + rg_below(g, 14);
    while (g->cnt == g->base);
    g->nsubs = rg_below(g, RG_MAX_SUBS + 1);

    fprintf(out,
            "/* rangen --seed %" PRIu64 " --index %" PRIu64 " --length %u\n"
            " * base a%u (scratch), counter a%u, %u subroutine(s). Build: xtensa-lx106-elf-gcc\n"
            " * -nostdlib -nostartfiles -T firmware/qsim-rt/qsim.ld -o prog.elf prog.S */\n",
            seed, index, length, g->base, g->cnt, g->nsubs);
    fputs(rg_prologue, out);

    fprintf(out, "\n    .section .data\n    .balign 256\nrg_scratch:\n");
    for (unsigned i = 0; i < 64; i++)
        fprintf(out, "%s0x%08" PRIx32 "%s", i % 8 ? ", " : "    .word ", rg_value(g),
                i % 8 == 7 ? "\n" : "");
    fprintf(out, "rg_names:\n    .asciz \"a0 \"\n");
    for (unsigned r = 2; r < 16; r++)
        fprintf(out, "    .asciz \"a%u \"\n", r);
    fprintf(out, "    .asciz \"sar \"\n");
    fprintf(out, "\n    .section .bss\n    .balign 4\nrg_out:\n    .space 1024\n");

    /* start-up: stack, PS as crt0 leaves it, base register, random registers and SAR */
    rg_emit(g, 3, "l32r a1, .Lrg_stack_addr");
    rg_emit(g, 3, "movi a2, 0x20");
    rg_emit(g, 3, "wsr.ps a2");
    rg_emit(g, 3, "rsync");
    rg_emit(g, 3, "l32r a%u, .Lrg_scratch_addr", g->base);
    for (unsigned r = 0; r < 16; r++) {
        if (r == 1 || r == g->base) continue;
        if (rg_chance(g, 30))
            rg_emit(g, 3, "movi a%u, %d", r, rg_range(g, -2048, 2047));
        else
            rg_emit(g, 3, "l32r a%u, .Llit%u", r, rg_literal_value(g, rg_value(g)));
    }
    rg_emit(g, 3, "ssai %d", rg_range(g, 0, 31));

    rg_gen_block(g, length, RG_TOP_BUDGET);
    rg_buf_printf(&g->code, "%s", rg_epilogue);
    for (unsigned k = 0; k < g->nsubs; k++)
        rg_gen_sub(g, k);

    fprintf(out, "\n    .text\n    .begin no-transform\n    .balign 4\n");
    fprintf(out, ".Lrg_stack_addr: .word __stack\n");
    fprintf(out, ".Lrg_scratch_addr: .word rg_scratch\n");
    fprintf(out, ".Lrg_out_addr: .word rg_out\n");
    fprintf(out, ".Lrg_names_addr: .word rg_names\n");
    if (g->lits.len) fwrite(g->lits.p, 1, g->lits.len, out);
    fprintf(out, "\n    .global _start\n_start:\n");
    fwrite(g->code.p, 1, g->code.len, out);
    fprintf(out, "    .end no-transform\n");
}

static int rg_usage(const char *msg)
{
    if (msg) fprintf(stderr, "rangen: %s\n", msg);
    fprintf(stderr,
            "usage: rangen --seed S --index I [--length N]\n"
            "  writes a random LX106 test program (assembly) to stdout;\n"
            "  N = top-level items, default %u, at most %u\n",
            RG_DEFAULT_LENGTH, RG_MAX_LENGTH);
    return 2;
}

static bool rg_parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!*s || *s == '-') return false;
    *v = strtoull(s, &end, 0);
    return *end == 0;
}

int main(int argc, char **argv)
{
    uint64_t seed = 0, index = 0, length = RG_DEFAULT_LENGTH;
    bool have_seed = false, have_index = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return rg_usage(NULL), 0;
        if (i + 1 >= argc) return rg_usage("missing value or unknown option");
        uint64_t v;
        if (!rg_parse_u64(argv[i + 1], &v)) return rg_usage("bad number");
        if (!strcmp(a, "--seed"))
            seed = v, have_seed = true;
        else if (!strcmp(a, "--index"))
            index = v, have_index = true;
        else if (!strcmp(a, "--length"))
            length = v;
        else
            return rg_usage("unknown option");
        i++;
    }
    if (!have_seed || !have_index) return rg_usage("--seed and --index are required");
    if (length < 1 || length > RG_MAX_LENGTH) return rg_usage("--length out of range");

    rg_gen g;
    memset(&g, 0, sizeof g);
    rg_generate(&g, seed, index, (unsigned)length, stdout);
    free(g.code.p);
    free(g.lits.p);
    return fflush(stdout) ? 1 : 0;
}
