/* tests/cpu/disasm_sweep.c — compares xt_decode + xt_disasm with xtensa-lx106-elf-objdump.
 *
 * Writes instruction words into a raw image, one per 7-byte slot (3 instruction bytes, 4 bytes
 * 0xFF padding; 0xFF is undefined and objdump consumes it one byte at a time, so a misdecoded
 * slot can never shift the next one, and 7 makes pc & 3 cycle through 0..3). The image is
 * wrapped into an ELF (objcopy -B xtensa) so objdump prints targets as bare hex plus a
 * "<symbol>" suffix, which is stripped, like L32R's " (literal)" suffix.
 *
 * Checks per word: the text, the legal set (objdump prints an instruction iff xt_decode gives an
 * op other than XT_OP_ILLEGAL) and the length objdump consumed. This objdump build prints "excw"
 * for undefined encodings with op0 0..13 (real EXCW is only 0x002080); those are compared as
 * ".byte 0xNN". See docs/disasm-notes.md.
 *
 * Default: the whole op0 = 0 space (every RRR/RSR form, every SR number 0..255 for rsr/wsr/xsr),
 * every 16-bit word, every low-16-bit pattern of op0 1/2/5/6/7 with a seeded random high byte,
 * and a seeded random sample. --full: every encoding (all 2^20 words of each 24-bit op0 and all
 * 2^12 of each 16-bit op0) plus the random sample.
 *
 * Exit status: 0 no mismatch, 1 mismatches, 2 usage/tool errors, 77 objdump not found (skip).
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xt.h"
#include "xt_disasm.h"

#define SWEEP_STRIDE      7u
#define SWEEP_CHUNK       (1u << 20)
#define SWEEP_BASE        0x40100000u
#define SWEEP_MAX_CLASSES 512u
#define SWEEP_EXAMPLES    3u
#define SWEEP_TEXT        160u

typedef struct sweep_class {
    char key[96];
    uint64_t count;
    unsigned nex;
    char ex[SWEEP_EXAMPLES][3 * SWEEP_TEXT];
} sweep_class;

typedef struct sweep {
    /* options */
    bool full;
    bool verbose;
    uint64_t seed;
    unsigned random_count;
    const char *objdump;
    const char *objcopy;
    char tmpdir[64];
    /* words to test */
    uint32_t *words;
    size_t nwords, capwords;
    uint64_t rng;
    /* results */
    uint64_t compared, mismatches, legal, undefined;
    uint64_t op_hits[XT_OP_COUNT];
    uint8_t sr_hits[256]; /* bit 0 rsr, 1 wsr, 2 xsr seen legal */
    sweep_class classes[SWEEP_MAX_CLASSES];
    unsigned nclasses;
    uint64_t dropped_classes;
} sweep;

static uint64_t sweep_rand(sweep *sw)
{
    /* splitmix64 */
    uint64_t z = (sw->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void sweep_add(sweep *sw, uint32_t w)
{
    if (sw->nwords == sw->capwords) {
        sw->capwords = sw->capwords ? sw->capwords * 2 : 1u << 20;
        sw->words = realloc(sw->words, sw->capwords * sizeof *sw->words);
        if (!sw->words) {
            perror("realloc");
            exit(2);
        }
    }
    /* 16-bit instructions: byte 2 belongs to the padding. */
    if (xt_insn_len((uint8_t)w) == 2) w = (w & 0xFFFFu) | 0xFF0000u;
    sw->words[sw->nwords++] = w & 0xFFFFFFu;
}

static void sweep_build(sweep *sw)
{
    /* op0 = 0: every word (decides every RRR/RSR/SR form). */
    for (uint32_t v = 0; v < (1u << 20); v++)
        sweep_add(sw, v << 4);
    /* 16-bit: every word of op0 8..13. */
    for (uint32_t op0 = 8; op0 <= 13; op0++)
        for (uint32_t v = 0; v < (1u << 12); v++)
            sweep_add(sw, (v << 4) | op0);
    static const uint8_t dense[] = {1, 2, 5, 6, 7};
    for (unsigned i = 0; i < sizeof dense; i++) {
        if (sw->full) {
            for (uint32_t v = 0; v < (1u << 20); v++)
                sweep_add(sw, (v << 4) | dense[i]);
        } else {
            /* every t/s/r (all opcode selectors and registers), random imm byte */
            for (uint32_t v = 0; v < (1u << 12); v++) {
                uint32_t hi = (uint32_t)sweep_rand(sw) & 0xFFu;
                sweep_add(sw, (hi << 16) | (v << 4) | dense[i]);
            }
            /* edge immediates for every opcode selector (t and r), s = 2 */
            static const uint8_t imm8[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};
            for (uint32_t tr = 0; tr < 256; tr++)
                for (unsigned k = 0; k < sizeof imm8; k++)
                    sweep_add(sw, ((uint32_t)imm8[k] << 16) | ((tr >> 4) << 12) | (2u << 8) |
                                      ((tr & 15u) << 4) | dense[i]);
        }
    }
    static const uint8_t undef[] = {3, 4, 14, 15};
    for (unsigned i = 0; i < sizeof undef; i++) {
        if (sw->full) {
            for (uint32_t v = 0; v < (1u << 20); v++)
                sweep_add(sw, (v << 4) | undef[i]);
        } else {
            for (unsigned k = 0; k < 4096; k++)
                sweep_add(sw, ((uint32_t)sweep_rand(sw) << 4 & 0xFFFFF0u) | undef[i]);
        }
    }
    for (unsigned k = 0; k < sw->random_count; k++)
        sweep_add(sw, (uint32_t)sweep_rand(sw) & 0xFFFFFFu);
}

/* ---- comparison ---------------------------------------------------------------------------- */

static sweep_class *sweep_class_get(sweep *sw, const char *key)
{
    for (unsigned i = 0; i < sw->nclasses; i++)
        if (strcmp(sw->classes[i].key, key) == 0) return &sw->classes[i];
    if (sw->nclasses == SWEEP_MAX_CLASSES) return NULL;
    sweep_class *c = &sw->classes[sw->nclasses++];
    memset(c, 0, sizeof *c);
    snprintf(c->key, sizeof c->key, "%s", key);
    return c;
}

/* First token (mnemonic) of a disassembly line. */
static void sweep_mnemonic(const char *text, char *out, size_t size)
{
    size_t n = strcspn(text, "\t ");
    if (n >= size) n = size - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

static void sweep_mismatch(sweep *sw, const char *kind, uint32_t w, uint32_t pc, const char *ours,
                           const char *theirs)
{
    char om[32], tm[32], key[96];
    sweep_mnemonic(ours, om, sizeof om);
    sweep_mnemonic(theirs, tm, sizeof tm);
    snprintf(key, sizeof key, "%s: ours %s / objdump %s", kind, om, tm);
    sw->mismatches++;
    sweep_class *c = sweep_class_get(sw, key);
    if (!c) {
        sw->dropped_classes++;
        return;
    }
    c->count++;
    if (c->nex < SWEEP_EXAMPLES)
        snprintf(c->ex[c->nex++], sizeof c->ex[0], "%06" PRIx32 " @%08" PRIx32 ": \"%s\" vs \"%s\"",
                 w, pc, ours, theirs);
}

/* theirs: objdump text with suffixes stripped; consumed: bytes objdump used at this slot. */
static void sweep_compare(sweep *sw, uint32_t w, uint32_t pc, const char *theirs_raw,
                          unsigned consumed)
{
    char theirs[SWEEP_TEXT], ours[SWEEP_TEXT];
    xt_insn d;
    xt_decode(w, &d);
    xt_disasm(&d, pc, ours, sizeof ours);

    snprintf(theirs, sizeof theirs, "%s", theirs_raw);
    theirs[strcspn(theirs, "<(")] = '\0';
    size_t n = strlen(theirs);
    while (n > 0 && theirs[n - 1] == ' ')
        theirs[--n] = '\0';

    bool their_undef = strncmp(theirs, ".byte", 5) == 0;
    if (strcmp(theirs, "excw") == 0 && (d.len == 2 || d.word != 0x002080u)) {
        their_undef = true; /* this objdump's fallback for undefined op0 0..13 */
        snprintf(theirs, sizeof theirs, ".byte %#02x", (unsigned)(w & 0xFFu));
    }
    bool our_undef = d.op == XT_OP_ILLEGAL;
    sw->compared++;
    if (their_undef)
        sw->undefined++;
    else
        sw->legal++;

    if (our_undef != their_undef) {
        sweep_mismatch(sw, our_undef ? "decoder rejects" : "decoder accepts", w, pc, ours, theirs);
        return;
    }
    if (strcmp(ours, theirs) != 0) {
        sweep_mismatch(sw, "text", w, pc, ours, theirs);
        return;
    }
    /* objdump consumes 1 byte for ".byte" (op0 14/15) and the op0 length otherwise, "excw"
     * fallbacks included; a legal instruction must also match xt_decode's length. */
    unsigned want = strncmp(theirs_raw, ".byte", 5) == 0 ? 1u : d.len;
    if (consumed != want) {
        char t[SWEEP_TEXT];
        snprintf(t, sizeof t, "%s (len %u, objdump %u)", theirs, want, consumed);
        sweep_mismatch(sw, "length", w, pc, ours, t);
        return;
    }
    sw->op_hits[d.op]++;
    if (d.op == XT_OP_RSR) sw->sr_hits[d.imm & 0xFF] |= 1;
    if (d.op == XT_OP_WSR) sw->sr_hits[d.imm & 0xFF] |= 2;
    if (d.op == XT_OP_XSR) sw->sr_hits[d.imm & 0xFF] |= 4;
}

/* ---- objdump driver ------------------------------------------------------------------------ */

static int sweep_chunk(sweep *sw, const uint32_t *words, size_t count)
{
    char bin[128], elf[128], cmd[512];
    snprintf(bin, sizeof bin, "%s/sweep.bin", sw->tmpdir);
    snprintf(elf, sizeof elf, "%s/sweep.elf", sw->tmpdir);

    FILE *f = fopen(bin, "wb");
    if (!f) {
        perror(bin);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        uint8_t b[SWEEP_STRIDE] = {(uint8_t)words[i],
                                   (uint8_t)(words[i] >> 8),
                                   (uint8_t)(words[i] >> 16),
                                   0xFF,
                                   0xFF,
                                   0xFF,
                                   0xFF};
        fwrite(b, 1, sizeof b, f);
    }
    if (fclose(f) != 0) {
        perror(bin);
        return -1;
    }
    snprintf(cmd, sizeof cmd,
             "%s -I binary -O elf32-xtensa-le -B xtensa '%s' '%s' && "
             "%s -D -z --no-show-raw-insn --adjust-vma=0x%08x '%s'",
             sw->objcopy, bin, elf, sw->objdump, SWEEP_BASE, elf);
    FILE *p = popen(cmd, "r");
    if (!p) {
        perror("popen");
        return -1;
    }

    /* Lines look like "40100007:\tmnemonic\toperands". The text of a slot is complete once the
     * next line (its address gives the bytes consumed) arrives. */
    char line[512], pending[SWEEP_TEXT];
    size_t pending_slot = SIZE_MAX, seen = 0;
    while (fgets(line, sizeof line, p)) {
        char *colon = strstr(line, ":\t");
        if (!colon) continue;
        char *end;
        unsigned long addr = strtoul(line, &end, 16);
        if (end != colon) continue;
        uint32_t off = (uint32_t)addr - SWEEP_BASE;
        if (pending_slot != SIZE_MAX) {
            uint32_t start = (uint32_t)pending_slot * SWEEP_STRIDE;
            sweep_compare(sw, words[pending_slot], SWEEP_BASE + start, pending, off - start);
            pending_slot = SIZE_MAX;
        }
        if (off % SWEEP_STRIDE != 0 || off / SWEEP_STRIDE >= count) continue;
        char *text = colon + 2;
        text[strcspn(text, "\n")] = '\0';
        snprintf(pending, sizeof pending, "%s", text);
        pending_slot = off / SWEEP_STRIDE;
        seen++;
    }
    if (pending_slot != SIZE_MAX) {
        uint32_t start = (uint32_t)pending_slot * SWEEP_STRIDE;
        sweep_compare(sw, words[pending_slot], SWEEP_BASE + start, pending, 0);
    }
    int st = pclose(p);
    remove(bin);
    remove(elf);
    if (st != 0 || seen != count) {
        fprintf(stderr,
                "disasm_sweep: objdump failed (status %d) or desynchronised (%zu of %zu "
                "slots seen)\n",
                st, seen, count);
        return -1;
    }
    return 0;
}

static bool sweep_have_tool(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s --version >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static int sweep_report(sweep *sw)
{
    int rc = 0;
    printf("disasm_sweep: %" PRIu64 " words compared (%" PRIu64 " legal, %" PRIu64
           " undefined), %" PRIu64 " mismatches in %u classes\n",
           sw->compared, sw->legal, sw->undefined, sw->mismatches, sw->nclasses);
    for (unsigned i = 0; i < sw->nclasses; i++) {
        sweep_class *c = &sw->classes[i];
        printf("  %8" PRIu64 "  %s\n", c->count, c->key);
        for (unsigned k = 0; k < c->nex; k++)
            printf("            e.g. %s\n", c->ex[k]);
    }
    if (sw->dropped_classes)
        printf("  (%" PRIu64 " mismatches in further classes)\n", sw->dropped_classes);
    if (sw->mismatches) rc = 1;

    /* Coverage: every op of the table matched objdump at least once. */
    for (unsigned op = 0; op < XT_OP_ILLEGAL; op++) {
        if (sw->verbose)
            printf("  op %-10s %" PRIu64 "\n", xt_opinfo_table[op].name, sw->op_hits[op]);
        if (!sw->op_hits[op]) {
            printf("  not covered: %s\n", xt_opinfo_table[op].name);
            rc = 1;
        }
    }
    /* Every SR form in the table was seen, and nothing else. */
    unsigned forms = 0;
    for (unsigned sr = 0; sr < 256; sr++) {
        const xt_sr_info *si = &xt_sr_table[sr];
        unsigned want = ((si->flags & XT_SR_R) ? 1u : 0u) | ((si->flags & XT_SR_W) ? 2u : 0u) |
                        ((si->flags & XT_SR_X) ? 4u : 0u);
        if (sw->sr_hits[sr] != want) {
            printf("  SR %u: table forms %x, matched forms %x\n", sr, want, sw->sr_hits[sr]);
            rc = 1;
        }
        forms += (unsigned)__builtin_popcount(want);
    }
    printf("disasm_sweep: %u ops and %u rsr/wsr/xsr forms covered\n", (unsigned)XT_OP_ILLEGAL,
           forms);
    return rc;
}

static void sweep_usage(void)
{
    fprintf(stderr, "usage: disasm_sweep [--full] [--seed N] [--random N] [--objdump PATH] "
                    "[--objcopy PATH] [--verbose]\n");
}

int main(int argc, char **argv)
{
    sweep *sw = calloc(1, sizeof *sw);
    if (!sw) return 2;
    sw->seed = 0x5EED;
    sw->random_count = 0;
    sw->objdump = "xtensa-lx106-elf-objdump";
    sw->objcopy = "xtensa-lx106-elf-objcopy";
    bool random_set = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--full") == 0)
            sw->full = true;
        else if (strcmp(argv[i], "--verbose") == 0)
            sw->verbose = true;
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            sw->seed = strtoull(argv[++i], NULL, 0);
        else if (strcmp(argv[i], "--random") == 0 && i + 1 < argc) {
            sw->random_count = (unsigned)strtoul(argv[++i], NULL, 0);
            random_set = true;
        } else if (strcmp(argv[i], "--objdump") == 0 && i + 1 < argc)
            sw->objdump = argv[++i];
        else if (strcmp(argv[i], "--objcopy") == 0 && i + 1 < argc)
            sw->objcopy = argv[++i];
        else {
            sweep_usage();
            return 2;
        }
    }
    if (!random_set) sw->random_count = sw->full ? 262144u : 65536u;
    sw->rng = sw->seed;
    if (!sweep_have_tool(sw->objdump) || !sweep_have_tool(sw->objcopy)) {
        fprintf(stderr, "disasm_sweep: %s / %s not found, skipping\n", sw->objdump, sw->objcopy);
        return 77;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(sw->tmpdir, sizeof sw->tmpdir, "%s/disasm_sweep.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(sw->tmpdir)) {
        perror("mkdtemp");
        return 2;
    }

    sweep_build(sw);
    printf("disasm_sweep: %s, seed 0x%" PRIx64 ", %zu words\n", sw->full ? "full" : "default",
           sw->seed, sw->nwords);
    int rc = 0;
    for (size_t i = 0; i < sw->nwords && rc == 0; i += SWEEP_CHUNK) {
        size_t n = sw->nwords - i < SWEEP_CHUNK ? sw->nwords - i : SWEEP_CHUNK;
        if (sweep_chunk(sw, sw->words + i, n) != 0) rc = 2;
    }
    rmdir(sw->tmpdir);
    if (rc == 0) rc = sweep_report(sw);
    free(sw->words);
    free(sw);
    return rc;
}
