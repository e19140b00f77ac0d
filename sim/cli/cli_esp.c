/* sim/cli/cli_esp.c — `espsim run` on the ESP8266 machine and `espsim image`.
 *
 * Console: UART0 bytes go to stdout with '\r' removed (the ROM writes "\r\n"); UART1 lines go to
 * stdout prefixed "uart1: ". Each UART's output is collected into whole lines (up to
 * CLI_LINE_MAX bytes; a partial line is written at the end of the run), so the two never mix
 * within a line. --timestamps prefixes every line with the virtual time of its first byte;
 * --uart-log FILE writes the same text, always timestamped. --until TEXT stops the run (exit 0)
 * as soon as UART0 has printed TEXT.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_prof.h"
#include "elf_load.h"
#include "esp8266/esp8266.h"
#include "esp8266/image.h"
#include "gdb.h"
#include "lines.h"
#include "radio/medium.h"
#include "sdk/espnow.h"
#include "units.h"

#define CLI_LINE_MAX 1024u

typedef struct cli_line {
    char text[CLI_LINE_MAX];
    size_t len;
    uint64_t t_ps; /* virtual time of text[0] */
} cli_line;

typedef struct cli_console {
    esp8266 *m;
    FILE *log;
    bool timestamps;
    bool at_line_start[2];
    cli_line line[2]; /* per UART, not yet written */
    const char *until;
    size_t until_len;
    char *window; /* the last until_len characters of UART0 */
    size_t window_fill;
    bool matched;
    uint64_t matched_ps;
} cli_console;

static void cli_console_put(cli_console *cc, FILE *f, unsigned uart, bool stamp)
{
    const cli_line *l = &cc->line[uart];
    if (cc->at_line_start[uart]) {
        if (stamp) {
            char ts[32];
            sim_format_seconds(l->t_ps, ts, sizeof(ts));
            fprintf(f, "[%12s] ", ts);
        }
        if (uart == 1) fputs("uart1: ", f);
    }
    fwrite(l->text, 1, l->len, f);
}

/* Writes what UART uart has collected to stdout and the log. */
static void cli_console_flush(cli_console *cc, unsigned uart)
{
    cli_line *l = &cc->line[uart];
    if (l->len == 0) return;
    cli_console_put(cc, stdout, uart, cc->timestamps);
    if (cc->log) cli_console_put(cc, cc->log, uart, true);
    cc->at_line_start[uart] = l->text[l->len - 1] == '\n';
    if (cc->at_line_start[uart]) fflush(stdout);
    l->len = 0;
}

static void cli_console_byte(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps)
{
    cli_console *cc = opaque;
    if (byte == '\r') return;
    char ch = (char)byte;
    cli_line *l = &cc->line[uart];
    if (l->len == 0) l->t_ps = t_ps;
    l->text[l->len++] = ch;
    if (ch == '\n' || l->len == CLI_LINE_MAX) cli_console_flush(cc, uart);
    if (uart != 0 || !cc->until || cc->matched) return;
    /* rolling window of the last until_len characters */
    if (cc->window_fill == cc->until_len) {
        memmove(cc->window, cc->window + 1, cc->until_len - 1);
        cc->window_fill--;
    }
    cc->window[cc->window_fill++] = ch;
    if (cc->window_fill == cc->until_len && memcmp(cc->window, cc->until, cc->until_len) == 0) {
        cc->matched = true;
        cc->matched_ps = t_ps;
        sim_node_halt(&cc->m->node);
    }
}

/* Reads the first bytes of a file to tell an ELF from an image. */
static int cli_sniff(const char *path, uint8_t *first)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(first, 1, 4, f);
    fclose(f);
    return (int)n;
}

static void cli_esp_on_reset(void *opaque, enum esp_reset_cause cause, const uint32_t info[7])
{
    (void)cause;
    (void)info;
    sdk_espnow_reset(opaque);
}

/* A lone node still has its Wi-Fi/ESP-NOW SDK model, on a medium of its own (nobody answers:
 * unicast frames fail after their retries, as they would on a real board alone). */
static sdk_espnow *cli_esp_radio(esp8266 *m, const sim_elf *elf, sim_sched *sched,
                                 radio_medium **med, char *err, size_t errsize)
{
    radio_medium_config mc;
    radio_medium_config_default(&mc);
    *med = radio_medium_new(&mc, sched, err, errsize);
    if (!*med) return NULL;
    sdk_espnow_config ec = {.mac = {0x5C, 0xCF, 0x7F, 0x00, 0x00, 0x01}, .channel = 1};
    sdk_espnow *s = sdk_espnow_new(m, *med, &ec, elf, err, errsize);
    if (s) {
        m->on_reset = cli_esp_on_reset;
        m->on_reset_opaque = s;
    }
    return s;
}

/* --log unmapped: one line per register word without a model, at its first access. */
static void cli_esp_unmodelled(void *opaque, uint32_t addr, unsigned size, bool write,
                               uint32_t value, uint32_t pc)
{
    const esp8266 *m = opaque;
    char where[256];
    esp8266_symbolize(m, pc, where, sizeof(where));
    fprintf(stderr, "espsim: unmodelled register 0x%08x: first %s (%u bytes, 0x%x) at %s\n", addr,
            write ? "write" : "read", size, value, where);
}

static void cli_esp_unmodelled_call(void *opaque, const char *what, uint32_t ra)
{
    const esp8266 *m = opaque;
    char where[256];
    esp8266_symbolize(m, ra >= 3 ? ra - 3 : ra, where, sizeof(where));
    fprintf(stderr, "espsim: unmodelled %s: first call from %s\n", what, where);
}

int cli_run_esp(const cli_run_opts *o)
{
    sim_sched radio_sched;
    radio_medium *med = NULL;
    sdk_espnow *sdk = NULL;
    sim_gdb *gdb = NULL;
    sim_sched_init(&radio_sched);
    char err[1024];
    esp_config cfg = {.name = "esp8266", .cpu_mhz = o->cpu_mhz, .seed = o->seed};
    esp8266 *m = calloc(1, sizeof(*m));
    sim_elf elf;
    bool have_elf = false;
    sim_lines *lines = NULL;
    FILE *log = NULL;
    int rc = CLI_USAGE;
    cli_console cc = {.timestamps = o->timestamps, .at_line_start = {true, true}};
    cli_prof_run prof = {.on = false};
    if (!m) {
        fprintf(stderr, "espsim: out of memory\n");
        return CLI_USAGE;
    }
    if (!esp8266_init(m, &cfg, err, sizeof(err))) goto fail;
    cc.m = m;
    if (o->flash && !esp8266_load_flash(m, o->flash, o->flash_persist, err, sizeof(err))) goto fail;
    if (o->firmware) {
        uint8_t first[4] = {0};
        int n = cli_sniff(o->firmware, first);
        if (n < 0) {
            snprintf(err, sizeof(err), "%s: cannot open: %s", o->firmware, strerror(errno));
            goto fail;
        }
        if (n == 0) {
            snprintf(err, sizeof(err), "%s: empty file", o->firmware);
            goto fail;
        }
        if (n == 4 && !memcmp(first, "\177ELF", 4)) {
            if (!sim_elf_open(&elf, o->firmware, err, sizeof(err))) goto fail;
            have_elf = true;
            if (!esp8266_load_elf(m, &elf, err, sizeof(err))) goto fail;
            lines = sim_lines_open(o->firmware);
            m->lines = lines;
        } else if (first[0] == ESP_IMAGE_MAGIC) {
            if (!esp8266_load_image(m, o->firmware, err, sizeof(err))) goto fail;
        } else {
            snprintf(err, sizeof(err),
                     "%s: neither an ELF file nor an ESP8266 image (first byte 0x%02x)",
                     o->firmware, first[0]);
            goto fail;
        }
    }
    if (o->init_data && !esp8266_put_init_data(m, o->init_data, err, sizeof(err))) goto fail;
    if (o->symbols) {
        if (have_elf) {
            snprintf(err, sizeof(err), "%s: --symbols is for flash images, not with an ELF",
                     o->symbols);
            goto fail;
        }
        if (!sim_elf_open(&elf, o->symbols, err, sizeof(err))) goto fail;
        have_elf = true;
        m->elf = &elf;
        lines = sim_lines_open(o->symbols);
        m->lines = lines;
    }
    if (o->uart_log) {
        log = fopen(o->uart_log, "w");
        if (!log) {
            snprintf(err, sizeof(err), "%s: cannot create: %s", o->uart_log, strerror(errno));
            goto fail;
        }
    }
    cc.log = log;
    if (o->until && *o->until) {
        cc.until = o->until;
        cc.until_len = strlen(o->until);
        cc.window = malloc(cc.until_len);
        if (!cc.window) goto fail;
    }
    m->console = cli_console_byte;
    m->console_opaque = &cc;
    if (o->log_unmapped) {
        m->on_unmodelled = cli_esp_unmodelled;
        m->on_unmodelled_call = cli_esp_unmodelled_call;
        m->on_unmodelled_opaque = m;
    }
    sdk = cli_esp_radio(m, have_elf ? &elf : NULL, &radio_sched, &med, err, sizeof(err));
    if (!sdk) goto fail;
    if (!cli_prof_start(&prof, o, &m->node, have_elf ? &elf : NULL, esp8266_symbol, m, m->cfg.name,
                        true, err, sizeof(err)))
        goto fail;

    if (o->gdb_port >= 0) {
        unsigned port;
        gdb = sim_gdb_listen(&m->node, (unsigned)o->gdb_port, &port, err, sizeof(err));
        if (!gdb) goto fail;
        fprintf(stderr, "espsim: waiting for GDB on 127.0.0.1:%u\n", port);
        if (!sim_gdb_accept(gdb, err, sizeof(err))) goto fail;
    }

    /* Run in 10 ms slices of virtual time (1 ms with GDB, to notice ^C), checking the
     * wall-clock hang guard in between (not while a debugger is attached). */
    double wall0 = cli_wall_seconds();
    uint64_t slice = gdb ? 1000000000ull : 10000000000ull;
    sim_node_state st = SIM_NODE_RUNNING;
    bool hang = false, killed = false;
    while (st == SIM_NODE_RUNNING) {
        if (gdb && sim_gdb_stopped(gdb) && !sim_gdb_serve(gdb)) {
            killed = true;
            break;
        }
        uint64_t now = sim_node_global_now(&m->node);
        if (now >= o->timeout_ps) break;
        uint64_t t = o->timeout_ps - now > slice ? now + slice : o->timeout_ps;
        uint64_t radio_next = sim_sched_next(&radio_sched);
        if (radio_next < t) t = radio_next > now ? radio_next : now;
        st = sim_node_run_until(&m->node, t);
        sim_sched_run_until(&radio_sched, sim_node_global_now(&m->node));
        if (gdb) {
            sim_gdb_after(gdb);
            st = m->node.state;
            continue;
        }
        if (o->timeout_wall_s && cli_wall_seconds() - wall0 > (double)o->timeout_wall_s) {
            hang = true;
            break;
        }
    }
    /* Bytes already in a TX FIFO still go out; they cannot satisfy --until any more. */
    bool matched = cc.matched;
    cc.until = NULL;
    esp8266_drain_uarts(m);
    cc.matched = matched;
    cli_console_flush(&cc, 0);
    cli_console_flush(&cc, 1);
    fflush(stdout);
    if (log) fflush(log);
    char when[32];
    sim_format_seconds(sim_node_global_now(&m->node), when, sizeof(when));
    if (!esp_flash_save(&m->flash, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        rc = CLI_USAGE;
    } else if (cc.matched || killed) {
        rc = CLI_OK;
    } else if (st == SIM_NODE_FAULTED) {
        fprintf(stderr, "espsim: guest fault at %s s virtual time:\n%s\n", when, m->node.fault_msg);
        rc = CLI_GUEST;
    } else if (hang) {
        fprintf(stderr,
                "espsim: wall-clock hang guard: %" PRIu64 " s of host time passed at %s s "
                "virtual time\n",
                o->timeout_wall_s, when);
        rc = CLI_HANG;
    } else if (st == SIM_NODE_HALTED) {
        rc = CLI_OK;
    } else if (o->until && *o->until) {
        fprintf(stderr, "espsim: virtual timeout: \"%s\" not seen on UART0 within %s s\n", o->until,
                when);
        rc = CLI_GUEST;
    } else {
        char where[256];
        esp8266_symbolize(m, m->node.cpu.pc, where, sizeof(where));
        fprintf(stderr, "espsim: virtual timeout: stopped after %s s at pc %s\n", when, where);
        rc = CLI_GUEST;
    }
    if (o->stats)
        fprintf(stderr, "espsim: %" PRIu64 " instructions, %" PRIu64 " cycles, %.3f s host\n",
                m->node.cpu.insns, m->node.cpu.cycles, cli_wall_seconds() - wall0);
    if (o->log_unmapped)
        fprintf(stderr, "espsim: %u unmodelled register words, %" PRIu64 " accesses\n",
                m->regs.distinct, m->regs.accesses);
    rc = cli_prof_stop(&prof, o, m->cfg.name, rc);
    goto out;
fail:
    fprintf(stderr, "espsim: %s\n", err);
    rc = CLI_USAGE;
out:
    if (m) cli_prof_free(&prof, &m->node);
    sim_gdb_free(gdb);
    sdk_espnow_free(sdk);
    radio_medium_free(med);
    sim_sched_free(&radio_sched);
    esp8266_free(m);
    free(m);
    free(cc.window);
    sim_lines_close(lines);
    if (have_elf) sim_elf_close(&elf);
    if (log) fclose(log);
    return rc;
}

/* Writes len bytes to path; false (message printed) on failure. */
static bool cli_write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = false;
    if (!ok) fprintf(stderr, "espsim: %s: cannot write: %s\n", path, strerror(errno));
    return ok;
}

/* Reads a whole small file (a boot loader) into buf; false (message printed) on failure. */
static bool cli_read_small(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "espsim: %s: cannot open: %s\n", path, strerror(errno));
        return false;
    }
    *len = fread(buf, 1, cap, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    if (*len < 16 || buf[0] != ESP_IMAGE_MAGIC || more) {
        fprintf(stderr, "espsim: %s: not a boot loader image (0xE9 header, at most %zu bytes)\n",
                path, cap);
        return false;
    }
    return true;
}

/* --layout ota: user1.bin (or user2.bin with --app 2), or with --boot and --flash-size the whole
 * flash: boot loader at 0 (its size byte set to the flash's size map), the app at 0x1000 (user2:
 * at half the flash + 0x1000), PHY init data at size - 0x4000, the rest 0xFF. */
static int cli_image_ota(const sim_elf *elf, const char *out, unsigned app, uint64_t pad,
                         const char *boot, const uint8_t *init, size_t initlen)
{
    unsigned map = pad == 512 * 1024 ? 0u : pad == 2u << 20 ? 3u : pad >= 4u << 20 ? 4u : 2u;
    uint32_t at = app == 1 ? 0x1000u : (uint32_t)((pad ? pad : 1u << 20) / 2u) + 0x1000u;
    char err[512];
    uint8_t *img = NULL;
    size_t len = 0;
    if (!esp_image_v2_from_elf(elf, app, at, map, &img, &len, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        return CLI_USAGE;
    }
    int rc = CLI_USAGE;
    if (!boot) {
        if (cli_write_file(out, img, len)) rc = CLI_OK;
        free(img);
        return rc;
    }
    uint8_t *flash = malloc((size_t)pad);
    uint8_t bl[0x1000];
    size_t bllen = 0;
    if (!flash) {
        fprintf(stderr, "espsim: out of memory\n");
    } else if (!cli_read_small(boot, bl, sizeof(bl), &bllen)) {
    } else if (at + len > (size_t)pad - ESP_INIT_DATA_FROM_END) {
        fprintf(stderr,
                "espsim: %s: user%u (%zu bytes at 0x%x) does not fit a %" PRIu64 "-byte flash\n",
                elf->path, app, len, at, pad);
    } else {
        memset(flash, 0xFF, (size_t)pad);
        memcpy(flash, bl, bllen);
        flash[3] = (uint8_t)((flash[3] & 0x0Fu) | (map << 4));
        memcpy(flash + at, img, len);
        if (init) memcpy(flash + (size_t)pad - ESP_INIT_DATA_FROM_END, init, initlen);
        if (cli_write_file(out, flash, (size_t)pad)) rc = CLI_OK;
    }
    free(flash);
    free(img);
    return rc;
}

/* espsim image ELF -o FILE [--flash-size SIZE [--init-data FILE]] | --layout nonos -o DIR
 *              | --layout ota [--app 1|2] -o FILE [--boot BOOT.bin --flash-size SIZE [--init-data]]
 */
int cli_image(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *init_data = NULL, *layout = NULL, *boot = NULL;
    unsigned app = 1;
    uint64_t pad = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--flash-size") || !strcmp(a, "--init-data") ||
            !strcmp(a, "--layout") || !strcmp(a, "--boot") || !strcmp(a, "--app")) {
            if (i + 1 >= argc) return cli_usage_error("missing value for option", a);
            const char *v = argv[++i];
            if (!strcmp(a, "-o")) {
                out = v;
            } else if (!strcmp(a, "--init-data")) {
                init_data = v;
            } else if (!strcmp(a, "--layout")) {
                if (strcmp(v, "nonos") && strcmp(v, "ota"))
                    return cli_usage_error("--layout takes: nonos, ota", v);
                layout = v;
            } else if (!strcmp(a, "--boot")) {
                boot = v;
            } else if (!strcmp(a, "--app")) {
                if (strcmp(v, "1") && strcmp(v, "2"))
                    return cli_usage_error("--app takes 1 or 2", v);
                app = (unsigned)(v[0] - '0');
            } else {
                const char *why;
                if (!sim_parse_size(v, &pad, &why)) return cli_usage_error(why, v);
                if (pad < 512 * 1024 || pad > 16u * 1024 * 1024 || (pad & (pad - 1)))
                    return cli_usage_error("--flash-size must be a power of two from 512K to 16M",
                                           v);
            }
        } else if (a[0] == '-') {
            return cli_usage_error("unknown option", a);
        } else if (!in) {
            in = a;
        } else {
            return cli_usage_error("unexpected argument", a);
        }
    }
    if (!in || !out)
        return cli_usage_error("usage: espsim image FIRMWARE.elf -o OUT.bin [--flash-size 1M]",
                               NULL);
    bool ota = layout && !strcmp(layout, "ota");
    if (init_data && !pad) return cli_usage_error("--init-data needs --flash-size", init_data);
    if (layout && !ota && (pad || init_data))
        return cli_usage_error("--layout nonos writes the SDK's two files, without padding", NULL);
    if (boot && !ota) return cli_usage_error("--boot is for --layout ota", boot);
    if (ota && (pad != 0) != (boot != NULL))
        return cli_usage_error("--layout ota: --boot and --flash-size go together (a whole flash)",
                               NULL);
    char err[512];
    sim_elf elf;
    if (!sim_elf_open(&elf, in, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
        return CLI_USAGE;
    }
    uint8_t *img = NULL, initbuf[4096];
    size_t len = 0, initlen = 0;
    int rc = CLI_USAGE;
    if (init_data && !esp_read_init_data(init_data, initbuf, &initlen, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
    } else if (ota) {
        rc = cli_image_ota(&elf, out, app, pad, boot, init_data ? initbuf : NULL, initlen);
    } else if (!esp_image_from_elf(&elf, (size_t)pad, &img, &len, err, sizeof(err))) {
        fprintf(stderr, "espsim: %s\n", err);
    } else if (layout) {
        /* eagle.flash.bin = the v1 image; eagle.irom0text.bin = flash 0x10000.. (the SDK's
         * non-OTA irom0 origin 0x40210000) */
        const size_t irom = 0x10000u;
        esp_image_info info;
        if (!esp_image_parse(img, len, in, &info, err, sizeof(err))) {
            fprintf(stderr, "espsim: %s\n", err);
        } else {
            char p1[4096], p2[4096];
            snprintf(p1, sizeof(p1), "%s/eagle.flash.bin", out);
            snprintf(p2, sizeof(p2), "%s/eagle.irom0text.bin", out);
            if (cli_write_file(p1, img, info.size) &&
                cli_write_file(p2, img + (len > irom ? irom : len), len > irom ? len - irom : 0))
                rc = CLI_OK;
        }
    } else {
        if (init_data) {
            size_t at = (size_t)pad - ESP_INIT_DATA_FROM_END;
            memset(img + at, 0xFF, 4096);
            memcpy(img + at, initbuf, initlen);
        }
        if (cli_write_file(out, img, len)) rc = CLI_OK;
    }
    free(img);
    sim_elf_close(&elf);
    return rc;
}
