/* sim/cli/espsim.c — the espsim command line.
 *
 * Exit codes (README): 0 ok, 1 an expectation not met, 2 usage or input error, 3 guest fault or
 * virtual timeout, 4 wall-clock hang guard. On the qemu-sim machine a guest exit(n) ends espsim
 * with n, as QEMU does, so both can be compared directly.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elf_load.h"
#include "qemu_sim/qemu_sim.h"
#include "xt_disasm.h"

#define ESPSIM_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_EXPECT = 1, EXIT_USAGE = 2, EXIT_GUEST = 3, EXIT_HANG = 4 };

static void usage(FILE *f)
{
    fputs("usage: espsim <command> [options]\n"
          "\n"
          "commands:\n"
          "  run [--machine qemu-sim] [--trace FILE] [--max-insns N] [--stats] PROGRAM.elf\n"
          "        run a program. qemu-sim reproduces `qemu-system-xtensa -M sim -cpu lx106\n"
          "        -semihosting` (SIMCALL exit/read/write); the exit code is the guest's.\n"
          "  disasm PROGRAM.elf\n"
          "        disassemble the loadable segments (objdump -d style)\n"
          "  --help, --version\n"
          "\n"
          "exit codes: 0 ok, 1 expectation not met, 2 usage or input error,\n"
          "            3 guest fault or virtual timeout, 4 wall-clock hang guard\n",
          f);
}

static int die_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "espsim: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return EXIT_USAGE;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || s[0] == '-') return false;
    *out = v;
    return true;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmd_run(int argc, char **argv)
{
    const char *machine = "qemu-sim", *trace = NULL, *prog = NULL;
    uint64_t max_insns = 0;
    bool stats = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--machine") || !strcmp(a, "--trace") || !strcmp(a, "--max-insns")) {
            if (i + 1 >= argc) return die_usage("missing value for option", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--machine")) machine = v;
            else if (!strcmp(a, "--trace")) trace = v;
            else if (!parse_u64(v, &max_insns)) return die_usage("bad number for --max-insns", v);
        } else if (!strcmp(a, "--stats")) {
            stats = true;
        } else if (a[0] == '-' && a[1]) {
            return die_usage("unknown option", a);
        } else if (!prog) {
            prog = a;
        } else {
            return die_usage("unexpected argument", a);
        }
    }
    if (!prog) return die_usage("run: no program given", NULL);
    if (strcmp(machine, "qemu-sim") != 0)
        return die_usage("unknown machine (available: qemu-sim)", machine);

    char err[512];
    sim_elf elf;
    if (!sim_elf_open(&elf, prog, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        return EXIT_USAGE;
    }
    qsim *m = malloc(sizeof(*m));
    if (!m || !qsim_init(m, stdout, stderr, stdin)) {
        fprintf(stderr, "espsim: out of memory\n");
        sim_elf_close(&elf);
        free(m);
        return EXIT_USAGE;
    }
    FILE *tf = NULL;
    if (trace) {
        tf = fopen(trace, "w");
        if (!tf) {
            fprintf(stderr, "espsim: %s: cannot create: %s\n", trace, strerror(errno));
            qsim_free(m);
            free(m);
            sim_elf_close(&elf);
            return EXIT_USAGE;
        }
        m->trace = tf;
    }
    int rc;
    if (!qsim_load(m, &elf, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        rc = EXIT_USAGE;
    } else {
        double t0 = wall_seconds();
        qsim_result r = qsim_run(m, max_insns);
        double dt = wall_seconds() - t0;
        fflush(stdout);
        switch (r) {
        case QSIM_EXITED: rc = m->exit_code; break;
        case QSIM_LIMIT:
            fprintf(stderr, "espsim: virtual timeout: %" PRIu64 " instructions executed, pc=0x%08x\n",
                    m->cpu.insns, m->cpu.pc);
            rc = EXIT_GUEST;
            break;
        default:
            fprintf(stderr, "espsim: %s\n", m->report);
            rc = EXIT_GUEST;
            break;
        }
        if (stats)
            fprintf(stderr, "espsim: %" PRIu64 " instructions, %" PRIu64 " cycles, %.3f s, %.1f MIPS\n",
                    m->cpu.insns, m->cpu.cycles, dt, dt > 0 ? (double)m->cpu.insns / dt / 1e6 : 0.0);
    }
    if (tf) fclose(tf);
    qsim_free(m);
    free(m);
    sim_elf_close(&elf);
    return rc;
}

static int cmd_disasm(int argc, char **argv)
{
    if (argc != 1) return die_usage("disasm: expected one ELF file", NULL);
    char err[512];
    sim_elf elf;
    if (!sim_elf_open(&elf, argv[0], err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < elf.nsegs; i++) {
        const sim_elf_segment *s = &elf.segs[i];
        printf("\nsegment 0x%08x (%u bytes):\n", s->paddr, s->filesz);
        for (uint32_t off = 0; off < s->filesz;) {
            uint32_t pc = s->paddr + off;
            const sim_elf_symbol *sym = sim_elf_symbol_at(&elf, pc);
            if (sym && sym->addr == pc) printf("\n%08x <%s>:\n", pc, sym->name);
            uint32_t w = 0;
            for (uint32_t k = 0; k < 3 && off + k < s->filesz; k++)
                w |= (uint32_t)s->data[off + k] << (8 * k);
            xt_insn d;
            xt_decode(w, &d);
            unsigned len = d.op == XT_OP_ILLEGAL ? 1u : d.len;
            if (off + len > s->filesz) len = s->filesz - off;
            char text[128];
            xt_disasm(&d, pc, text, sizeof(text));
            printf("%8x:\t", pc);
            for (unsigned k = 0; k < 3; k++) {
                if (k < len) printf("%02x", s->data[off + len - 1 - k]);
                else printf("  ");
            }
            printf("\t%s\n", text);
            off += len;
        }
    }
    sim_elf_close(&elf);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("espsim %s\n", ESPSIM_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "disasm")) return cmd_disasm(argc - 2, argv + 2);
    return die_usage("unknown command (try --help)", cmd);
}
