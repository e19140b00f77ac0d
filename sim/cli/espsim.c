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
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "elf_load.h"
#include "qemu_sim/qemu_sim.h"
#include "xt_disasm.h"

#define ESPSIM_VERSION "0.2.0"

#include "cli.h"
#include "cli_prof.h"
#include "cli_lint.h"
#include "cli_test.h"
#include "cli_view.h"
#include "units.h"

static void usage(FILE *f)
{
    fputs(
        "usage: espsim <command> [options]\n"
        "\n"
        "commands:\n"
        "  run [FIRMWARE] [options]      run firmware (an ELF or an image from `espsim image`)\n"
        "      --machine esp8266|qemu-sim  esp8266 (default): the chip with its ROM and\n"
        "                                peripherals; qemu-sim: `qemu-system-xtensa -M sim\n"
        "                                -cpu lx106 -semihosting` (the exit code is the guest's)\n"
        "      --flash FILE              boot from a whole flash dump (512K..16M)\n"
        "      --flash-persist           write flash changes back to FILE at the end\n"
        "      --init-data FILE          Espressif PHY init data (esp_init_data_default.bin) at\n"
        "                                flash size - 0x4000, as the SDK's flash tools put it\n"
        "      --symbols ELF             symbols and source lines for reports when running a\n"
        "                                flash image (the ELF it was made from)\n"
        "      --cpu-mhz 80|160          CPU clock (default 80)\n"
        "      --until TEXT              stop with exit 0 once UART0 has printed TEXT\n"
        "      --timeout DURATION        virtual time limit (default 10s; units us ms s min h)\n"
        "      --timeout-wall DURATION   host-time hang guard (default 300s; exit 4)\n"
        "      --gdb PORT                wait for GDB on 127.0.0.1:PORT (0: any free port; the\n"
        "                                port is printed); see docs/gdb.md\n"
        "      --gdb NODE:PORT           the same for one node of a scenario run\n"
        "      --uart-log FILE           UART output with virtual timestamps\n"
        "      --timestamps              prefix console lines with virtual time\n"
        "      --seed N                  seed of the chip's random-number register\n"
        "      --stats                   print instructions, cycles and host time\n"
        "      --profile                 per-handler times (count, total, mean, p99, max) and\n"
        "                                timing-budget violations on stderr (docs/profiling.md)\n"
        "      --profile-out DIR         DIR/trace.json (Perfetto), DIR/profile.folded\n"
        "                                (flamegraph.pl, speedscope), DIR/profile.txt\n"
        "      --budget SPEC             "
        "isr=50us,task=15ms,busy=500ms,SYMBOL=DURATION,sample=50us\n"
        "      --budget-fail             exit 1 if a budget is violated\n"
        "      --log unmapped            report each register without a model once, with the\n"
        "                                accessing function (docs/nonos-sdk.md)\n"
        "      --trace FILE              (qemu-sim) every instruction with registers\n"
        "      --max-insns N             (qemu-sim) instruction limit\n"
        "  image FIRMWARE.elf -o OUT.bin [--flash-size 1M [--init-data FILE]]\n"
        "        write a flash image: the v1 image at 0 and flash-resident code at its offset;\n"
        "        --flash-size pads it to a whole flash dump, --init-data puts Espressif's PHY\n"
        "        init data at flash size - 0x4000 (docs/nonos-sdk.md)\n"
        "  image FIRMWARE.elf --layout nonos -o DIR\n"
        "        the NONOS SDK's two files: DIR/eagle.flash.bin (flash 0x00000) and\n"
        "        DIR/eagle.irom0text.bin (flash 0x10000)\n"
        "  image APP.elf --layout ota [--app 1|2] -o user1.bin\n"
        "        the SDK's OTA application image (v2, for boot_v1.x.bin); with --boot BOOT.bin\n"
        "        --flash-size SIZE [--init-data FILE]: the whole flash, boot loader at 0\n"
        "  run SCENARIO.yaml [--out DIR] [--seed N] [--firmware-path DIRS] [--timeout-wall D]\n"
        "       [--limit KIND=SIZE,...]\n"
        "        run a scenario (docs/scenarios.md): per-node UART logs, events.jsonl,\n"
        "        summary.txt and junit.xml in DIR (default espsim-out)\n"
        "        [--gdb NODE:PORT] (docs/gdb.md); --limit output=2GiB,uart=1M,... replaces\n"
        "        the scenario's output limits (docs/scenarios.md#limits; reached: exit 5)\n"
        "  view SCENARIO.yaml [--speed 1|10|max] [--paused] [--stop-at T] [--frames N]\n"
        "       [--screenshot FILE.png] [--out DIR] [--seed N] [--firmware-path DIRS]\n"
        "        run a scenario in an SDL2 window (docs/viewer.md; SDL_VIDEODRIVER=dummy\n"
        "        for no display)\n"
        "  lint SCENARIO.yaml... [--firmware-path DIRS]\n"
        "        check scenario files without running them\n"
        "  test PATHS... [-j N] [--shard K/N] [--repeat N] [--verify-determinism]\n"
        "       [--filter REGEX] [--seed N] [--out DIR] [--firmware-path DIRS]\n"
        "        run many scenarios in parallel processes, combined junit.xml (docs/ci.md)\n"
        "  disasm PROGRAM.elf            disassemble (objdump -d style)\n"
        "  --help, --version\n"
        "\n"
        "exit codes: 0 ok, 1 expectation not met, 2 usage or input error,\n"
        "            3 guest fault or virtual timeout, 4 wall-clock hang guard\n",
        f);
}

int cli_usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "espsim: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return CLI_USAGE;
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

double cli_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cli_run_qsim(const cli_run_opts *o)
{
    char err[512];
    sim_elf elf;
    if (!sim_elf_open(&elf, o->firmware, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        return CLI_USAGE;
    }
    qsim *m = malloc(sizeof(*m));
    if (!m || !qsim_init(m, stdout, stderr, stdin)) {
        fprintf(stderr, "espsim: out of memory\n");
        sim_elf_close(&elf);
        free(m);
        return CLI_USAGE;
    }
    FILE *tf = NULL;
    if (o->trace) {
        tf = fopen(o->trace, "w");
        if (!tf) {
            fprintf(stderr, "espsim: %s: cannot create: %s\n", o->trace, strerror(errno));
            qsim_free(m);
            free(m);
            sim_elf_close(&elf);
            return CLI_USAGE;
        }
        m->trace = tf;
    }
    int rc;
    cli_prof_run prof = {.on = false};
    if (!qsim_load(m, &elf, err, sizeof(err)) ||
        !cli_prof_start(&prof, o, &m->node, &elf, cli_elf_symbol, &elf, "qemu-sim", false, err,
                        sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        rc = CLI_USAGE;
    } else {
        double t0 = cli_wall_seconds();
        qsim_result r = qsim_run(m, o->max_insns);
        double dt = cli_wall_seconds() - t0;
        fflush(stdout);
        switch (r) {
        case QSIM_EXITED: rc = m->exit_code; break;
        case QSIM_LIMIT:
            fprintf(stderr,
                    "espsim: virtual timeout: %" PRIu64 " instructions executed, pc=0x%08x\n",
                    m->node.cpu.insns, m->node.cpu.pc);
            rc = CLI_GUEST;
            break;
        default:
            fprintf(stderr, "espsim: %s\n", m->report);
            rc = CLI_GUEST;
            break;
        }
        if (o->stats)
            fprintf(stderr,
                    "espsim: %" PRIu64 " instructions, %" PRIu64 " cycles, %.3f s, %.1f MIPS\n",
                    m->node.cpu.insns, m->node.cpu.cycles, dt,
                    dt > 0 ? (double)m->node.cpu.insns / dt / 1e6 : 0.0);
    }
    rc = cli_prof_stop(&prof, o, "qemu-sim", rc);
    cli_prof_free(&prof, &m->node);
    if (tf) fclose(tf);
    qsim_free(m);
    free(m);
    sim_elf_close(&elf);
    return rc;
}

static int cmd_run(int argc, char **argv)
{
    cli_run_opts o = {.machine = "esp8266",
                      .cpu_mhz = 80,
                      .timeout_ps = 10000000000000ull,
                      .timeout_wall_s = 300,
                      .gdb_port = -1};
    char gdb_node[128];
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        static const char *const with_value[] = {
            "--machine",   "--trace",         "--max-insns",    "--flash",    "--cpu-mhz",
            "--until",     "--timeout",       "--timeout-wall", "--uart-log", "--seed",
            "--out",       "--firmware-path", "--gdb",          "--log",      "--symbols",
            "--init-data", "--budget",        "--profile-out",  "--limit"};
        bool takes = false;
        for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
            takes |= !strcmp(a, with_value[k]);
        if (takes) {
            if (i + 1 >= argc) return cli_usage_error("missing value for option", a);
            const char *v = argv[++i];
            const char *why = NULL;
            uint64_t n;
            if (!strcmp(a, "--machine"))
                o.machine = v;
            else if (!strcmp(a, "--trace"))
                o.trace = v;
            else if (!strcmp(a, "--flash"))
                o.flash = v;
            else if (!strcmp(a, "--until"))
                o.until = v;
            else if (!strcmp(a, "--uart-log"))
                o.uart_log = v;
            else if (!strcmp(a, "--out"))
                o.out = v;
            else if (!strcmp(a, "--init-data"))
                o.init_data = v;
            else if (!strcmp(a, "--symbols"))
                o.symbols = v;
            else if (!strcmp(a, "--budget"))
                o.budgets = v;
            else if (!strcmp(a, "--profile-out"))
                o.profile_out = v;
            else if (!strcmp(a, "--limit"))
                o.limits = v;
            else if (!strcmp(a, "--log")) {
                if (strcmp(v, "unmapped")) return cli_usage_error("--log takes: unmapped", v);
                o.log_unmapped = true;
            } else if (!strcmp(a, "--firmware-path"))
                o.firmware_path = v;
            else if (!strcmp(a, "--max-insns")) {
                if (!parse_u64(v, &o.max_insns))
                    return cli_usage_error("bad number for --max-insns", v);
            } else if (!strcmp(a, "--gdb")) {
                /* PORT, or NODE:PORT for a scenario run */
                const char *colon = strrchr(v, ':');
                if (colon) {
                    size_t nl = (size_t)(colon - v);
                    if (nl == 0 || nl >= sizeof(gdb_node))
                        return cli_usage_error("--gdb NODE:PORT needs a node name", v);
                    memcpy(gdb_node, v, nl);
                    gdb_node[nl] = 0;
                    o.gdb_node = gdb_node;
                }
                if (!parse_u64(colon ? colon + 1 : v, &n) || n > 65535)
                    return cli_usage_error("--gdb needs a TCP port 0..65535", v);
                o.gdb_port = (int)n;
            } else if (!strcmp(a, "--seed")) {
                if (!parse_u64(v, &o.seed)) return cli_usage_error("bad number for --seed", v);
                o.seed_set = true;
            } else if (!strcmp(a, "--cpu-mhz")) {
                if (!parse_u64(v, &n) || (n != 80 && n != 160))
                    return cli_usage_error("--cpu-mhz must be 80 or 160", v);
                o.cpu_mhz = (uint32_t)n;
            } else if (!strcmp(a, "--timeout")) {
                if (!sim_parse_duration(v, &o.timeout_ps, &why) || o.timeout_ps == 0) {
                    char msg[128];
                    snprintf(msg, sizeof(msg), "bad --timeout (%s)", why ? why : "must be > 0");
                    return cli_usage_error(msg, v);
                }
            } else {
                uint64_t ps;
                if (!sim_parse_duration(v, &ps, &why) || ps < 1000000000000ull) {
                    char msg[128];
                    snprintf(msg, sizeof(msg), "bad --timeout-wall (%s)",
                             why ? why : "at least 1s");
                    return cli_usage_error(msg, v);
                }
                o.timeout_wall_s = ps / 1000000000000ull;
            }
        } else if (!strcmp(a, "--stats")) {
            o.stats = true;
        } else if (!strcmp(a, "--profile")) {
            o.profile = true;
        } else if (!strcmp(a, "--budget-fail")) {
            o.budget_fail = true;
        } else if (!strcmp(a, "--timestamps")) {
            o.timestamps = true;
        } else if (!strcmp(a, "--flash-persist")) {
            o.flash_persist = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option", a);
        } else if (!o.firmware) {
            o.firmware = a;
        } else {
            return cli_usage_error("unexpected argument", a);
        }
    }
    size_t flen = o.firmware ? strlen(o.firmware) : 0;
    char fwpath[8192];
    bool is_scn = (flen > 5 && !strcmp(o.firmware + flen - 5, ".yaml")) ||
                  (flen > 4 && !strcmp(o.firmware + flen - 4, ".yml"));
    if (o.limits && !is_scn) return cli_usage_error("--limit is for scenario runs", o.limits);
    if (o.gdb_port >= 0 && is_scn != (o.gdb_node != NULL))
        return cli_usage_error(is_scn ? "--gdb for a scenario run is NODE:PORT"
                                      : "--gdb NODE:PORT is for scenario runs (use --gdb PORT)",
                               NULL);
    if (is_scn) {
        o.firmware_path = cli_firmware_path(o.firmware_path, fwpath, sizeof(fwpath));
        return cli_run_scenario(&o);
    }
    if (!strcmp(o.machine, "qemu-sim")) {
        if (!o.firmware) return cli_usage_error("run: no program given", NULL);
        return cli_run_qsim(&o);
    }
    if (strcmp(o.machine, "esp8266") != 0)
        return cli_usage_error("unknown machine (available: esp8266, qemu-sim)", o.machine);
    if (!o.firmware && !o.flash)
        return cli_usage_error("run: no program given (FIRMWARE or --flash)", NULL);
    if (o.flash_persist && !o.flash)
        return cli_usage_error("--flash-persist needs --flash FILE", NULL);
    return cli_run_esp(&o);
}

/* espsim view SCENARIO.yaml [--speed 1|10|max] [--paused] [--frames N] [--stop-at T]
 *   [--screenshot F.png]
 *   [--out DIR] [--seed N] [--firmware-path DIRS] */
static int cmd_view(int argc, char **argv)
{
    cli_view_opts vo = {.speed = 1};
    cli_run_opts o = {
        .machine = "esp8266", .cpu_mhz = 80, .gdb_port = -1, .view = &vo, .out = "espsim-view-out"};
    char fwpath[8192];
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool val = !strcmp(a, "--speed") || !strcmp(a, "--frames") || !strcmp(a, "--stop-at") ||
                   !strcmp(a, "--screenshot") || !strcmp(a, "--out") || !strcmp(a, "--seed") ||
                   !strcmp(a, "--firmware-path");
        if (val && i + 1 >= argc) return cli_usage_error("missing value for option", a);
        const char *v = val ? argv[++i] : NULL;
        uint64_t n;
        if (!strcmp(a, "--speed")) {
            if (!strcmp(v, "max"))
                vo.speed = 0;
            else if (parse_u64(v, &n) && (n == 1 || n == 10))
                vo.speed = (unsigned)n;
            else
                return cli_usage_error("--speed is 1, 10 or max", v);
        } else if (!strcmp(a, "--frames")) {
            if (!parse_u64(v, &n) || n == 0) return cli_usage_error("bad number for --frames", v);
            vo.frames = n;
        } else if (!strcmp(a, "--screenshot")) {
            vo.screenshot = v;
        } else if (!strcmp(a, "--stop-at")) {
            const char *why = NULL;
            if (!sim_parse_duration(v, &vo.stop_ps, &why))
                return cli_usage_error(why ? why : "bad duration for --stop-at", v);
        } else if (!strcmp(a, "--out")) {
            o.out = v;
        } else if (!strcmp(a, "--seed")) {
            if (!parse_u64(v, &o.seed)) return cli_usage_error("bad number for --seed", v);
            o.seed_set = true;
        } else if (!strcmp(a, "--firmware-path")) {
            o.firmware_path = v;
        } else if (!strcmp(a, "--paused")) {
            vo.paused = true;
        } else if (a[0] == '-') {
            return cli_usage_error("unknown option", a);
        } else if (!o.firmware) {
            o.firmware = a;
        } else {
            return cli_usage_error("unexpected argument", a);
        }
    }
    if (!o.firmware) return cli_usage_error("view: no scenario given", NULL);
    o.firmware_path = cli_firmware_path(o.firmware_path, fwpath, sizeof(fwpath));
    return cli_run_scenario(&o);
}

static int cmd_disasm(int argc, char **argv)
{
    if (argc != 1) return cli_usage_error("disasm: expected one ELF file", NULL);
    char err[512];
    sim_elf elf;
    if (!sim_elf_open(&elf, argv[0], err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        return CLI_USAGE;
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
                if (k < len)
                    printf("%02x", s->data[off + len - 1 - k]);
                else
                    printf("  ");
            }
            printf("\t%s\n", text);
            off += len;
        }
    }
    sim_elf_close(&elf);
    return CLI_OK;
}

/* -h/--help anywhere among a command's options (before a "--") */
static bool wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return true;
    return false;
}

const char *cli_firmware_path(const char *given, char *buf, size_t size)
{
    char exe[4096], dir[4096 + 32];
    size_t o = 0;
    const char *env = getenv("ESPSIM_FIRMWARE_PATH");
    const char *parts[3] = {given, env, NULL};
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(dir, sizeof(dir), "%s/../../firmware", exe);
            struct stat st;
            if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) parts[2] = dir;
        }
    }
    buf[0] = 0;
    for (int i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i]) continue;
        int w = snprintf(buf + o, size - o, "%s%s", o ? ":" : "", parts[i]);
        if (w < 0 || (size_t)w >= size - o) return given;
        o += (size_t)w;
    }
    return o ? buf : NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("espsim %s\n", ESPSIM_VERSION);
        return CLI_OK;
    }
    if (strcmp(cmd, "test") && wants_help(argc - 2, argv + 2)) {
        usage(stdout); /* one page documents every command but `test` */
        return CLI_OK;
    }
    if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "disasm")) return cmd_disasm(argc - 2, argv + 2);
    if (!strcmp(cmd, "view")) return cmd_view(argc - 2, argv + 2);
    if (!strcmp(cmd, "image")) return cli_image(argc - 2, argv + 2);
    if (!strcmp(cmd, "lint")) return cli_lint(argc - 2, argv + 2);
    if (!strcmp(cmd, "test")) return cli_test(argc - 2, argv + 2, "/proc/self/exe");
    return cli_usage_error("unknown command (try --help)", cmd);
}
