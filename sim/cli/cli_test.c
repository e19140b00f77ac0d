/* sim/cli/cli_test.c — `espsim test`: run many scenario files as one CI suite (docs/ci.md).
 *
 * Collect the scenario files (recursively, *.yaml, sorted by path with strcmp), keep those the
 * --filter matches, then those of --shard K/N (index mod N == K-1 in the filtered list), and run
 * each one --repeat times as a child process `EXE run FILE --out OUT/NAME ...`, at most -j at a
 * time. Children are independent, so the per-run outputs do not depend on scheduling; the
 * combined OUT/junit.xml and OUT/summary.txt are written afterwards in sorted run order and
 * carry no host times. The wall clock only feeds the progress display.
 *
 * OUT/NAME is the scenario path as given, "." components dropped, ".." turned into "__", a
 * leading "." of a component into "_", the ".yaml" (".yml") suffix dropped, plus ".repeat-K" with
 * --repeat N > 1. The child's stdout goes to OUT/NAME/run.log, its stderr to OUT/NAME/run.err.
 * --verify-determinism runs the whole set again with another -j into OUT/.verify/NAME and
 * compares events.jsonl, every *.uart.log and *.gpio.vcd, signals.vcd and every *.pcap (air.pcap,
 * NODE.pcap) byte for byte.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_limit.h"
#include "cli_test.h"
#include "re_limit.h"

#define TST_MAX_JOBS      4096u
#define TST_MAX_REPEAT    100000u
#define TST_MAX_SHARDS    1000000u
#define TST_MAX_DEPTH     128u
#define TST_MAX_JUNIT     (64u << 20) /* bytes of a child's junit.xml we merge */
#define TST_MSG_MAX       200u        /* bytes of a quoted line in a message */
#define TST_VERIFY_SUBDIR ".verify"

/* ---- growable strings ---------------------------------------------------------------------- */

typedef struct tst_str {
    char *p;
    size_t len, cap;
    bool failed; /* an allocation failed: the content is incomplete */
} tst_str;

static bool str_reserve(tst_str *s, size_t extra)
{
    if (s->failed) return false;
    if (extra > SIZE_MAX / 4 - s->len) {
        s->failed = true;
        return false;
    }
    if (s->len + extra + 1 <= s->cap) return true;
    size_t cap = s->cap ? s->cap : 256;
    while (cap < s->len + extra + 1)
        cap *= 2;
    char *p = realloc(s->p, cap);
    if (!p) {
        s->failed = true;
        return false;
    }
    s->p = p;
    s->cap = cap;
    return true;
}

static void str_addn(tst_str *s, const char *t, size_t n)
{
    if (!str_reserve(s, n)) return;
    memcpy(s->p + s->len, t, n);
    s->len += n;
    s->p[s->len] = 0;
}

static void str_add(tst_str *s, const char *t)
{
    str_addn(s, t, strlen(t));
}

static void str_vprintf(tst_str *s, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) {
        s->failed = true;
        return;
    }
    if (!str_reserve(s, (size_t)n)) return;
    vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
    s->len += (size_t)n;
}

__attribute__((format(printf, 2, 3))) static void str_printf(tst_str *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    str_vprintf(s, fmt, ap);
    va_end(ap);
}

/* The string (malloc'd, never NULL unless an allocation failed), and s is emptied. */
static char *str_take(tst_str *s)
{
    char *p = s->p;
    if (s->failed) {
        free(p);
        p = NULL;
    } else if (!p) {
        p = calloc(1, 1);
    }
    *s = (tst_str){0};
    return p;
}

__attribute__((format(printf, 1, 2))) static char *tst_fmt(const char *fmt, ...)
{
    tst_str s = {0};
    va_list ap;
    va_start(ap, fmt);
    str_vprintf(&s, fmt, ap);
    va_end(ap);
    return str_take(&s);
}

/* Length of the valid UTF-8 sequence at p (n bytes available), 0 if invalid. */
static size_t tst_utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    uint32_t min;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    uint32_t cp = c & (0x7fu >> len);
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (p[k] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

/* Appends up to max bytes of t[0..n) as printable text: control characters and bytes that are
 * not valid UTF-8 become '?', and a cut is marked with "...". */
static void str_add_text(tst_str *s, const char *t, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i = 0;
    while (i < n) {
        size_t len = tst_utf8_len(u + i, n - i);
        if (i + (len ? len : 1) > max) {
            str_add(s, "...");
            return;
        }
        if (len == 0 || (len == 1 && (u[i] < 0x20 || u[i] == 0x7f)))
            str_add(s, u[i] == '\t' ? "\t" : "?");
        else
            str_addn(s, t + i, len);
        i += len ? len : 1;
    }
}

/* Appends t escaped for an XML attribute or text. */
static void str_add_xml(tst_str *s, const char *t)
{
    for (; *t; t++) {
        switch (*t) {
        case '&': str_add(s, "&amp;"); break;
        case '<': str_add(s, "&lt;"); break;
        case '>': str_add(s, "&gt;"); break;
        case '"': str_add(s, "&quot;"); break;
        case '\'': str_add(s, "&apos;"); break;
        case '\t': str_add(s, "&#9;"); break;
        default: str_addn(s, t, 1); break;
        }
    }
}

static char *tst_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return tst_fmt("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static bool tst_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !memcmp(s + n - m, suffix, m);
}

/* A per-node output of `espsim run` (compared by --verify-determinism, cleared before a run). */
static bool tst_node_output(const char *name)
{
    return tst_ends_with(name, ".uart.log") || tst_ends_with(name, ".gpio.vcd") ||
           !strcmp(name, "signals.vcd") || tst_ends_with(name, ".pcap");
}

static double tst_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One line on stderr, like cli_usage_error (kept local so tests can link this file alone). */
static int tst_bad(const char *msg, const char *arg)
{
    fprintf(stderr, "espsim: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return CLI_USAGE;
}

static int tst_oom(void)
{
    fprintf(stderr, "espsim: test: out of memory\n");
    return CLI_USAGE;
}

/* ---- options --------------------------------------------------------------------------------- */

typedef struct tst_opts {
    const char **paths;
    size_t npaths;
    unsigned jobs;
    unsigned shard_k, shard_n; /* 0/0: no sharding */
    unsigned repeat;
    bool verify;
    bool have_filter;
    regex_t filter;
    const char *filter_text;
    bool have_seed;
    uint64_t seed;
    const char *out;
    const char *firmware_path;
    const char *timeout_wall; /* passed through unchecked: `espsim run` validates it */
    const char *limits;       /* --limit, checked here and passed through */
} tst_opts;

static void tst_usage(FILE *f)
{
    fputs(
        "usage: espsim test PATHS... [options]\n"
        "  run every scenario file (a file, or *.yaml under a directory, recursively; sorted\n"
        "  by path) with `espsim run FILE --out OUT/NAME` and merge the results\n"
        "  -j, --jobs N            parallel runs (default: online CPUs)\n"
        "  --shard K/N             only scenarios whose index mod N is K-1 (1 <= K <= N)\n"
        "  --repeat N              run each scenario N times (OUT/NAME.repeat-K)\n"
        "  --filter REGEX          only paths matching REGEX (POSIX extended)\n"
        "  --seed N                passed to every run\n"
        "  --firmware-path DIRS    passed to every run (colon-separated directories)\n"
        "  --timeout-wall D        passed to every run (its host-time hang guard; default 60s)\n"
        "  --limit KIND=SIZE,...   passed to every run (output limits, docs/scenarios.md)\n"
        "  --out DIR               output tree (default espsim-test-out): DIR/junit.xml,\n"
        "                          DIR/summary.txt, DIR/NAME/{run.log,run.err,...}\n"
        "  --verify-determinism    run everything again with another -j into DIR/.verify\n"
        "                          and compare events.jsonl, *.uart.log, *.gpio.vcd, signals.vcd\n"
        "                          and *.pcap byte for byte\n"
        "exit: 0 all passed; else 2 if any config/input error, else 4 if any hang guard or\n"
        "      run without a verdict (signal), else 5 if any run was stopped by an output\n"
        "      limit, else 3 if any guest fault or virtual timeout, else 1 (expectation\n"
        "      failed or determinism mismatch)\n",
        f);
}

/* A decimal number in [lo, hi] with nothing around it. */
static bool tst_parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9') return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool tst_parse_shard(const char *s, unsigned *k, unsigned *n)
{
    const char *slash = strchr(s, '/');
    if (!slash || slash == s) return false;
    char kbuf[16];
    size_t klen = (size_t)(slash - s);
    if (klen >= sizeof(kbuf)) return false;
    memcpy(kbuf, s, klen);
    kbuf[klen] = 0;
    uint64_t kv, nv;
    if (!tst_parse_uint(kbuf, 1, TST_MAX_SHARDS, &kv)) return false;
    if (!tst_parse_uint(slash + 1, 1, TST_MAX_SHARDS, &nv)) return false;
    if (kv > nv) return false;
    *k = (unsigned)kv;
    *n = (unsigned)nv;
    return true;
}

/* 0 to run, CLI_USAGE on a bad argument (reported), -1 after --help. */
static int tst_parse_args(tst_opts *o, int argc, char **argv)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus < 1 ? 1u : cpus > (long)TST_MAX_JOBS ? TST_MAX_JOBS : (unsigned)cpus;
    o->repeat = 1;
    o->out = "espsim-test-out";
    o->paths = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*o->paths));
    if (!o->paths) return tst_oom();
    bool options_done = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || !a[1]) {
            o->paths[o->npaths++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            options_done = true;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            tst_usage(stdout);
            return -1;
        }
        if (!strcmp(a, "--verify-determinism")) {
            o->verify = true;
            continue;
        }
        /* Options with a value: "--opt VALUE", "--opt=VALUE", "-jN". */
        static const char *const valued[] = {
            "-j",       "--jobs",          "--shard", "--repeat",       "--seed",
            "--filter", "--firmware-path", "--out",   "--timeout-wall", "--limit"};
        const char *opt = NULL, *v = NULL;
        for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]) && !opt; k++) {
            size_t n = strlen(valued[k]);
            if (!strcmp(a, valued[k])) {
                opt = valued[k];
                if (i + 1 >= argc) return tst_bad("test: missing value for option", a);
                v = argv[++i];
            } else if (!strncmp(a, valued[k], n) && a[n] == '=' && valued[k][1] == '-') {
                opt = valued[k];
                v = a + n + 1;
            } else if (!strcmp(valued[k], "-j") && !strncmp(a, "-j", 2)) {
                opt = valued[k];
                v = a + 2;
            }
        }
        if (!opt) return tst_bad("test: unknown option", a);
        uint64_t n;
        if (!strcmp(opt, "-j") || !strcmp(opt, "--jobs")) {
            if (!tst_parse_uint(v, 1, TST_MAX_JOBS, &n))
                return tst_bad("test: bad -j (expected 1..4096)", v);
            o->jobs = (unsigned)n;
        } else if (!strcmp(opt, "--shard")) {
            if (!tst_parse_shard(v, &o->shard_k, &o->shard_n))
                return tst_bad("test: bad --shard (expected K/N with 1 <= K <= N)", v);
        } else if (!strcmp(opt, "--repeat")) {
            if (!tst_parse_uint(v, 1, TST_MAX_REPEAT, &n))
                return tst_bad("test: bad --repeat (expected 1..100000)", v);
            o->repeat = (unsigned)n;
        } else if (!strcmp(opt, "--seed")) {
            if (!tst_parse_uint(v, 0, UINT64_MAX, &n))
                return tst_bad("test: bad number for --seed", v);
            o->seed = n;
            o->have_seed = true;
        } else if (!strcmp(opt, "--filter")) {
            if (o->have_filter) {
                regfree(&o->filter);
                o->have_filter = false;
            }
            char limit[128], msg[200];
            if (!re_limit_check(v, limit, sizeof(limit))) {
                snprintf(msg, sizeof(msg), "test: --filter too complex (%s)", limit);
                return tst_bad(msg, v);
            }
            int e = regcomp(&o->filter, v, REG_EXTENDED | REG_NOSUB);
            if (e) {
                char why[160];
                regerror(e, &o->filter, why, sizeof(why));
                snprintf(msg, sizeof(msg), "test: bad --filter (%s)", why);
                return tst_bad(msg, v);
            }
            o->have_filter = true;
            o->filter_text = v;
        } else if (!strcmp(opt, "--firmware-path")) {
            o->firmware_path = v;
        } else if (!strcmp(opt, "--timeout-wall")) {
            o->timeout_wall = v;
        } else if (!strcmp(opt, "--limit")) {
            scn_limits l;
            char why[256];
            memset(&l, 0, sizeof(l));
            if (!cli_limit_override(&l, v, why, sizeof(why))) return tst_bad(why, NULL);
            o->limits = v;
        } else {
            if (!*v) return tst_bad("test: empty --out", NULL);
            o->out = v;
        }
    }
    if (!o->npaths) return tst_bad("test: no scenario files or directories given", NULL);
    return 0;
}

/* ---- collecting scenario files ------------------------------------------------------------- */

typedef struct tst_list {
    char **v;
    size_t n, cap;
} tst_list;

/* Takes ownership of s (NULL means an allocation already failed). */
static bool list_push(tst_list *l, char *s)
{
    if (!s) return false;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof(*v));
        if (!v) {
            free(s);
            return false;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return true;
}

static void list_free(tst_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (tst_list){0};
}

static int tst_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts by strcmp (byte order, not the locale's), so the order is the same everywhere. */
static void tst_sort_strs(tst_list *l)
{
    if (l->n) qsort(l->v, l->n, sizeof(*l->v), tst_cmp_str);
}

typedef struct tst_dirchain {
    dev_t dev;
    ino_t ino;
    const struct tst_dirchain *up;
} tst_dirchain;

/* Adds every *.yaml below dir (hidden entries skipped, symlinked directory cycles cut). */
static int tst_walk(tst_list *out, const char *dir, const tst_dirchain *up, unsigned depth)
{
    if (depth > TST_MAX_DEPTH) {
        fprintf(stderr, "espsim: %s: directories nested too deeply\n", dir);
        return CLI_USAGE;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "espsim: %s: cannot open directory: %s\n", dir, strerror(errno));
        return CLI_USAGE;
    }
    struct stat st;
    if (fstat(dirfd(d), &st) != 0) {
        fprintf(stderr, "espsim: %s: %s\n", dir, strerror(errno));
        closedir(d);
        return CLI_USAGE;
    }
    for (const tst_dirchain *c = up; c; c = c->up) {
        if (c->dev == st.st_dev && c->ino == st.st_ino) {
            closedir(d);
            return 0; /* a symlink back to an ancestor */
        }
    }
    tst_dirchain here = {st.st_dev, st.st_ino, up};
    tst_list names = {0};
    int rc = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) {
                fprintf(stderr, "espsim: %s: cannot read directory: %s\n", dir, strerror(errno));
                rc = CLI_USAGE;
            }
            break;
        }
        if (e->d_name[0] == '.') continue;
        if (!list_push(&names, strdup(e->d_name))) {
            rc = tst_oom();
            break;
        }
    }
    closedir(d);
    if (!rc) tst_sort_strs(&names);
    for (size_t i = 0; i < names.n && !rc; i++) {
        char *path = tst_join(dir, names.v[i]);
        if (!path) {
            rc = tst_oom();
            break;
        }
        bool yaml = tst_ends_with(names.v[i], ".yaml");
        if (stat(path, &st) != 0) {
            if (yaml) {
                fprintf(stderr, "espsim: %s: %s\n", path, strerror(errno));
                rc = CLI_USAGE;
            }
            free(path);
        } else if (S_ISDIR(st.st_mode)) {
            rc = tst_walk(out, path, &here, depth + 1);
            free(path);
        } else if (S_ISREG(st.st_mode) && yaml) {
            if (!list_push(out, path)) rc = tst_oom();
        } else {
            free(path);
        }
    }
    list_free(&names);
    return rc;
}

static int tst_collect(const tst_opts *o, tst_list *out)
{
    for (size_t i = 0; i < o->npaths; i++) {
        const char *p = o->paths[i];
        struct stat st;
        if (stat(p, &st) != 0) {
            fprintf(stderr, "espsim: %s: %s\n", p, strerror(errno));
            return CLI_USAGE;
        }
        int rc = 0;
        if (S_ISDIR(st.st_mode)) {
            rc = tst_walk(out, p, NULL, 0);
        } else if (S_ISREG(st.st_mode) && !tst_ends_with(p, ".yaml") && !tst_ends_with(p, ".yml")) {
            /* `espsim run` tells a scenario from firmware by this suffix. */
            fprintf(stderr, "espsim: %s: not a scenario file (*.yaml or *.yml)\n", p);
            rc = CLI_USAGE;
        } else if (S_ISREG(st.st_mode)) {
            if (!list_push(out, strdup(p))) rc = tst_oom();
        } else {
            fprintf(stderr, "espsim: %s: not a scenario file or directory\n", p);
            rc = CLI_USAGE;
        }
        if (rc) return rc;
    }
    tst_sort_strs(out);
    size_t w = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (w && !strcmp(out->v[w - 1], out->v[i]))
            free(out->v[i]);
        else
            out->v[w++] = out->v[i];
    }
    out->n = w;
    if (!out->n) {
        fprintf(stderr, "espsim: test: no scenario file (*.yaml) under %s%s\n", o->paths[0],
                o->npaths > 1 ? " and the other paths" : "");
        return CLI_USAGE;
    }
    return 0;
}

/* ---- runs and their results ------------------------------------------------------------------ */

typedef enum tst_class {
    TST_PASS,
    TST_EXPECT,    /* exit 1 */
    TST_CONFIG,    /* exit 2 */
    TST_GUEST,     /* exit 3 */
    TST_HANG,      /* exit 4 */
    TST_LIMIT,     /* exit 5 */
    TST_NOVERDICT, /* a signal, another exit status, or the child could not start */
} tst_class;

/* Exit-code precedence: a higher rank wins. */
static int tst_rank(tst_class c)
{
    static const int rank[] = {0, 1, 5, 2, 4, 3, 4};
    return rank[c];
}

static int tst_class_exit(tst_class c)
{
    static const int code[] = {CLI_OK,   CLI_EXPECT, CLI_USAGE, CLI_GUEST,
                               CLI_HANG, CLI_LIMIT,  CLI_HANG};
    return code[c];
}

typedef struct tst_run {
    const char *path; /* the scenario file (owned by the scenario list) */
    unsigned repeat;  /* 1-based; 0 without --repeat */
    char *label;      /* path, or "path [repeat K]" */
    char *name;       /* output directory relative to a tree root */
    char *mismatch;   /* --verify-determinism: the first difference, or NULL */
} tst_run;

typedef struct tst_result {
    pid_t pid;
    bool running;
    double t0, secs; /* host seconds, display only */
    tst_class cls;
    char *what; /* NULL if passed, else "exit 1 (expectation failed): first line of stderr" */
} tst_result;

typedef struct tst_pass {
    char *root; /* output tree */
    unsigned jobs;
    bool rerun; /* the second run of --verify-determinism */
    tst_result *res;
} tst_pass;

typedef struct tst_ctx {
    tst_opts o;
    const char *exe;
    tst_list scn; /* selected scenarios, sorted */
    tst_run *runs;
    size_t nruns;
    bool tty;
} tst_ctx;

/* The output directory name of a scenario path (see the top of this file). */
static char *tst_outname(const char *path, unsigned repeat)
{
    tst_str s = {0};
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p) break;
        size_t n = strcspn(p, "/");
        bool last = !p[n + strspn(p + n, "/")];
        if (!(n == 1 && p[0] == '.')) {
            if (s.len) str_add(&s, "/");
            if (n == 2 && p[1] == '.' && p[0] == '.') {
                str_add(&s, "__");
            } else {
                size_t m = n;
                if (last && m > 5 && !memcmp(p + m - 5, ".yaml", 5))
                    m -= 5;
                else if (last && m > 4 && !memcmp(p + m - 4, ".yml", 4))
                    m -= 4;
                if (p[0] == '.') {
                    str_add(&s, "_");
                    str_addn(&s, p + 1, m - 1);
                } else {
                    str_addn(&s, p, m);
                }
            }
        }
        p += n;
    }
    if (!s.len) str_add(&s, "_");
    if (repeat) str_printf(&s, ".repeat-%u", repeat);
    return str_take(&s);
}

static int tst_cmp_name(const void *a, const void *b)
{
    const tst_run *x = *(const tst_run *const *)a, *y = *(const tst_run *const *)b;
    return strcmp(x->name, y->name);
}

/* Filter, shard, repeat: fills c->runs. */
static int tst_plan(tst_ctx *c)
{
    size_t w = 0;
    for (size_t i = 0; i < c->scn.n; i++) {
        if (c->o.have_filter && regexec(&c->o.filter, c->scn.v[i], 0, NULL, 0) != 0)
            free(c->scn.v[i]);
        else
            c->scn.v[w++] = c->scn.v[i];
    }
    c->scn.n = w;
    if (!w) {
        fprintf(stderr, "espsim: test: --filter matches no scenario: %s\n", c->o.filter_text);
        return CLI_USAGE;
    }
    if (c->o.shard_n) {
        w = 0;
        for (size_t i = 0; i < c->scn.n; i++) {
            if (i % c->o.shard_n == c->o.shard_k - 1)
                c->scn.v[w++] = c->scn.v[i];
            else
                free(c->scn.v[i]);
        }
        c->scn.n = w;
    }
    if (c->scn.n > SIZE_MAX / sizeof(tst_run) / c->o.repeat) return tst_oom();
    size_t n = c->scn.n * c->o.repeat;
    c->runs = calloc(n ? n : 1, sizeof(*c->runs));
    if (!c->runs) return tst_oom();
    for (size_t i = 0; i < c->scn.n; i++) {
        for (unsigned k = 1; k <= c->o.repeat; k++) {
            tst_run *r = &c->runs[c->nruns++];
            r->path = c->scn.v[i];
            r->repeat = c->o.repeat > 1 ? k : 0;
            r->label = r->repeat ? tst_fmt("%s [repeat %u]", r->path, k) : strdup(r->path);
            r->name = tst_outname(r->path, r->repeat);
            if (!r->label || !r->name) return tst_oom();
        }
    }
    /* Two scenarios must not share an output directory. */
    const tst_run **byname = calloc(c->nruns ? c->nruns : 1, sizeof(*byname));
    if (!byname) return tst_oom();
    for (size_t i = 0; i < c->nruns; i++)
        byname[i] = &c->runs[i];
    if (c->nruns) qsort(byname, c->nruns, sizeof(*byname), tst_cmp_name);
    int rc = 0;
    for (size_t i = 1; i < c->nruns && !rc; i++) {
        if (!strcmp(byname[i - 1]->name, byname[i]->name)) {
            fprintf(stderr, "espsim: test: %s and %s would share the output directory %s/%s\n",
                    byname[i - 1]->label, byname[i]->label, c->o.out, byname[i]->name);
            rc = CLI_USAGE;
        }
    }
    free(byname);
    return rc;
}

/* mkdir -p */
static bool tst_mkdirs(const char *path)
{
    char *p = strdup(path);
    if (!p) return false;
    bool ok = true;
    for (char *s = p + 1; ok; s++) {
        if (*s == '/' || !*s) {
            char keep = *s;
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) ok = false;
            *s = keep;
            if (!keep) break;
        }
    }
    struct stat st;
    if (ok && stat(p, &st) != 0) {
        ok = false;
    } else if (ok && !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        ok = false;
    }
    free(p);
    return ok;
}

/* Creates the run's directory and removes the outputs of an earlier run that we would read. */
static int tst_prepare_dir(const char *dir)
{
    errno = 0;
    if (!tst_mkdirs(dir)) {
        fprintf(stderr, "espsim: %s: cannot create directory: %s\n", dir, strerror(errno));
        return CLI_USAGE;
    }
    static const char *const stale[] = {"junit.xml", "events.jsonl", "summary.txt"};
    for (size_t k = 0; k < sizeof(stale) / sizeof(stale[0]); k++) {
        char *f = tst_join(dir, stale[k]);
        if (!f) return tst_oom();
        unlink(f);
        free(f);
    }
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (tst_node_output(e->d_name)) unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
    return 0;
}

/* The first non-empty line of a file (at most 4 KiB read), or NULL. */
static char *tst_first_line(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    for (size_t i = 0; i < n;) {
        size_t len = strcspn(buf + i, "\r\n");
        size_t lead = strspn(buf + i, " \t");
        if (len > lead) {
            size_t end = len;
            while (end > lead && (buf[i + end - 1] == ' ' || buf[i + end - 1] == '\t'))
                end--;
            tst_str s = {0};
            str_add_text(&s, buf + i + lead, end - lead, TST_MSG_MAX);
            return str_take(&s);
        }
        i += len + 1;
    }
    return NULL;
}

static const char *tst_class_text(tst_class c)
{
    switch (c) {
    case TST_PASS: return "passed";
    case TST_EXPECT: return "expectation failed";
    case TST_CONFIG: return "config or input error";
    case TST_GUEST: return "guest fault or virtual timeout";
    case TST_HANG: return "wall-clock hang guard";
    case TST_LIMIT: return "output limit";
    default: return "no verdict";
    }
}

/* Records how the child ended. */
static void tst_finish(tst_result *r, const char *dir, int status)
{
    r->running = false;
    r->secs = tst_wall_seconds() - r->t0;
    tst_str s = {0};
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        r->cls = code == 0   ? TST_PASS
                 : code == 1 ? TST_EXPECT
                 : code == 2 ? TST_CONFIG
                 : code == 3 ? TST_GUEST
                 : code == 4 ? TST_HANG
                 : code == 5 ? TST_LIMIT
                             : TST_NOVERDICT;
        if (r->cls == TST_PASS) return;
        str_printf(&s, "exit %d (%s)", code,
                   r->cls == TST_NOVERDICT ? "unexpected exit status" : tst_class_text(r->cls));
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *name = strsignal(sig);
        r->cls = TST_NOVERDICT;
        str_printf(&s, "killed by signal %d (%s)", sig, name ? name : "unknown");
    } else {
        r->cls = TST_NOVERDICT;
        str_printf(&s, "unexpected wait status 0x%x", (unsigned)status);
    }
    char *err = tst_join(dir, "run.err");
    char *line = err ? tst_first_line(err) : NULL;
    if (line) str_printf(&s, ": %s", line);
    free(line);
    free(err);
    r->what = str_take(&s);
    if (!r->what) r->what = strdup("?");
}

/* fork + execv with stdin from /dev/null, stdout to out_path, stderr to err_path. Returns 0, or
 * the errno of what failed (the exec failure comes back through a close-on-exec pipe). Only
 * async-signal-safe calls between fork and exec. (posix_spawn would be shorter, but <spawn.h>
 * includes <sched.h>, which sim/sched.h shadows on our include path.) */
static int tst_spawn(pid_t *pid, const char *exe, const char *const *argv, const char *out_path,
                     const char *err_path)
{
    int fds[2];
    if (pipe(fds) != 0) return errno;
    if (fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return e;
    }
    pid_t p = fork();
    if (p < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return e;
    }
    if (p == 0) {
        close(fds[0]);
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = 0;
        if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            e = errno;
        if (!e) {
            if (in > 2) close(in);
            if (out > 2) close(out);
            if (err > 2) close(err);
            execv(exe, (char *const *)argv);
            e = errno;
        }
        ssize_t w = write(fds[1], &e, sizeof(e));
        (void)w;
        _exit(127);
    }
    close(fds[1]);
    int e = 0;
    ssize_t n;
    do {
        n = read(fds[0], &e, sizeof(e));
    } while (n < 0 && errno == EINTR);
    close(fds[0]);
    if (n == (ssize_t)sizeof(e) && e) {
        int status;
        while (waitpid(p, &status, 0) < 0 && errno == EINTR) {
        }
        return e;
    }
    *pid = p;
    return 0;
}

/* Starts one run; on failure the result is final (no verdict). */
static void tst_start(const tst_ctx *c, const tst_run *run, tst_result *r, const char *dir)
{
    r->t0 = tst_wall_seconds();
    char *log = tst_join(dir, "run.log"), *err = tst_join(dir, "run.err");
    char seed[32];
    snprintf(seed, sizeof(seed), "%" PRIu64, c->o.seed);
    const char *argv[16];
    size_t k = 0;
    argv[k++] = c->exe;
    argv[k++] = "run";
    argv[k++] = run->path;
    argv[k++] = "--out";
    argv[k++] = dir;
    if (c->o.have_seed) {
        argv[k++] = "--seed";
        argv[k++] = seed;
    }
    if (c->o.firmware_path) {
        argv[k++] = "--firmware-path";
        argv[k++] = c->o.firmware_path;
    }
    if (c->o.timeout_wall) {
        argv[k++] = "--timeout-wall";
        argv[k++] = c->o.timeout_wall;
    }
    if (c->o.limits) {
        argv[k++] = "--limit";
        argv[k++] = c->o.limits;
    }
    argv[k] = NULL;
    int e = log && err ? tst_spawn(&r->pid, c->exe, argv, log, err) : ENOMEM;
    free(log);
    free(err);
    if (!e) {
        r->running = true;
        return;
    }
    r->cls = TST_NOVERDICT;
    r->secs = 0;
    r->what = tst_fmt("cannot start %s: %s", c->exe, strerror(e));
}

/* ---- progress ------------------------------------------------------------------------------- */

typedef struct tst_progress {
    size_t done, passed, failed;
} tst_progress;

static void tst_progress_line(const tst_ctx *c, const tst_pass *ps, const tst_progress *pg)
{
    struct winsize ws;
    size_t cols = 80;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) cols = ws.ws_col;
    tst_str s = {0};
    int width = snprintf(NULL, 0, "%zu", c->nruns);
    str_printf(&s, "[%*zu/%zu] %zu passed %zu failed%s  running:", width, pg->done, c->nruns,
               pg->passed, pg->failed, ps->rerun ? " (verify)" : "");
    for (size_t i = 0; i < c->nruns && s.len < cols; i++)
        if (ps->res[i].running) str_printf(&s, " %s", c->runs[i].label);
    if (s.p) {
        if (s.len > cols - 1) {
            size_t cut = cols - 1;
            while (cut > 0 && ((unsigned char)s.p[cut] & 0xc0) == 0x80)
                cut--;
            s.p[cut] = 0;
        }
        fprintf(stderr, "\r\033[K%s", s.p);
        fflush(stderr);
    }
    free(str_take(&s));
}

static void tst_report(const tst_ctx *c, const tst_pass *ps, size_t i)
{
    const tst_result *r = &ps->res[i];
    if (c->tty && !r->what) return; /* the progress line counts it */
    if (c->tty) fputs("\r\033[K", stderr);
    if (r->what)
        fprintf(stderr, "FAIL  %s%s  %s  (%.1f s host)\n", c->runs[i].label,
                ps->rerun ? " (verify)" : "", r->what, r->secs);
    else
        fprintf(stderr, "PASS  %s%s  (%.1f s host)\n", c->runs[i].label,
                ps->rerun ? " (verify)" : "", r->secs);
}

/* ---- running a pass -------------------------------------------------------------------------- */

static int tst_execute(const tst_ctx *c, tst_pass *ps)
{
    char **dirs = calloc(c->nruns ? c->nruns : 1, sizeof(*dirs));
    if (!dirs) return tst_oom();
    int rc = 0;
    for (size_t i = 0; i < c->nruns && !rc; i++) {
        dirs[i] = tst_join(ps->root, c->runs[i].name);
        rc = dirs[i] ? tst_prepare_dir(dirs[i]) : tst_oom();
    }
    tst_progress pg = {0};
    size_t next = 0, running = 0;
    while (!rc && pg.done < c->nruns) {
        while (running < ps->jobs && next < c->nruns) {
            tst_start(c, &c->runs[next], &ps->res[next], dirs[next]);
            if (ps->res[next].running) {
                running++;
            } else {
                pg.done++;
                pg.failed++;
                tst_report(c, ps, next);
            }
            next++;
        }
        if (c->tty) tst_progress_line(c, ps, &pg);
        if (!running) continue;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            /* Our children are gone (someone else reaped them): no verdict for them. */
            for (size_t i = 0; i < c->nruns; i++) {
                if (!ps->res[i].running) continue;
                ps->res[i].running = false;
                ps->res[i].cls = TST_NOVERDICT;
                ps->res[i].what = tst_fmt("lost the child process: %s", strerror(errno));
                pg.done++;
                pg.failed++;
                tst_report(c, ps, i);
            }
            running = 0;
            continue;
        }
        for (size_t i = 0; i < c->nruns; i++) {
            if (!ps->res[i].running || ps->res[i].pid != pid) continue;
            tst_finish(&ps->res[i], dirs[i], status);
            running--;
            pg.done++;
            if (ps->res[i].what)
                pg.failed++;
            else
                pg.passed++;
            tst_report(c, ps, i);
            break;
        }
    }
    if (c->tty) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    for (size_t i = 0; i < c->nruns; i++)
        free(dirs[i]);
    free(dirs);
    return rc;
}

/* ---- determinism check ------------------------------------------------------------------------
 */

static void str_add_quoted_line(tst_str *s, const char *line, ssize_t n)
{
    if (n < 0) {
        str_add(s, "(end of file)");
        return;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    str_add(s, "\"");
    str_add_text(s, line, (size_t)n, TST_MSG_MAX);
    str_add(s, "\"");
}

/* NULL if a and b are byte-identical (or both missing), else what differs (malloc'd). */
static char *tst_diff_files(const char *a, const char *b, const char *what)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    if (!fa || !fb) {
        char *msg = NULL;
        if (fa || fb) msg = tst_fmt("%s written by only one of the two runs", what);
        if (fa) fclose(fa);
        if (fb) fclose(fb);
        return msg;
    }
    char *la = NULL, *lb = NULL;
    size_t ca = 0, cb = 0;
    char *msg = NULL;
    for (unsigned long line = 1;; line++) {
        ssize_t na = getline(&la, &ca, fa), nb = getline(&lb, &cb, fb);
        if (na < 0 && nb < 0) break;
        if (na == nb && !memcmp(la, lb, (size_t)na)) continue;
        tst_str s = {0};
        str_printf(&s, "%s line %lu: ", what, line);
        str_add_quoted_line(&s, la, na);
        str_add(&s, " vs ");
        str_add_quoted_line(&s, lb, nb);
        msg = str_take(&s);
        if (!msg) msg = strdup(what);
        break;
    }
    free(la);
    free(lb);
    fclose(fa);
    fclose(fb);
    return msg;
}

/* The names of the per-node output files (*.uart.log, *.gpio.vcd, *.pcap) and signals.vcd in dir,
 * sorted. */
static void tst_node_outputs(const char *dir, tst_list *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (tst_node_output(e->d_name)) list_push(out, strdup(e->d_name));
    closedir(d);
    tst_sort_strs(out);
}

static char *tst_compare_run(const tst_result *ra, const tst_result *rb, const char *da,
                             const char *db)
{
    if (ra->cls != rb->cls || (ra->what && rb->what && strcmp(ra->what, rb->what) != 0))
        return tst_fmt("the result differs: %s, then %s", ra->what ? ra->what : "passed",
                       rb->what ? rb->what : "passed");
    char *fa = tst_join(da, "events.jsonl"), *fb = tst_join(db, "events.jsonl");
    char *msg = fa && fb ? tst_diff_files(fa, fb, "events.jsonl") : NULL;
    free(fa);
    free(fb);
    if (msg) return msg;
    tst_list la = {0}, lb = {0};
    tst_node_outputs(da, &la);
    tst_node_outputs(db, &lb);
    size_t i = 0, j = 0;
    while (!msg && (i < la.n || j < lb.n)) {
        int cmp = i == la.n ? 1 : j == lb.n ? -1 : strcmp(la.v[i], lb.v[j]);
        if (cmp) {
            msg = tst_fmt("%s written by only one of the two runs", cmp < 0 ? la.v[i] : lb.v[j]);
            break;
        }
        fa = tst_join(da, la.v[i]);
        fb = tst_join(db, lb.v[j]);
        if (fa && fb) msg = tst_diff_files(fa, fb, la.v[i]);
        free(fa);
        free(fb);
        i++;
        j++;
    }
    list_free(&la);
    list_free(&lb);
    return msg;
}

static void tst_compare(tst_ctx *c, const tst_pass *pa, const tst_pass *pb)
{
    for (size_t i = 0; i < c->nruns; i++) {
        char *da = tst_join(pa->root, c->runs[i].name), *db = tst_join(pb->root, c->runs[i].name);
        if (da && db) c->runs[i].mismatch = tst_compare_run(&pa->res[i], &pb->res[i], da, db);
        free(da);
        free(db);
        if (c->runs[i].mismatch)
            fprintf(stderr, "DIFF  %s  not deterministic: %s\n", c->runs[i].label,
                    c->runs[i].mismatch);
    }
}

/* ---- combined junit.xml ------------------------------------------------------------------------
 */

typedef struct tst_counts {
    unsigned long tests, failures, errors;
} tst_counts;

/* The value of attribute name in the start tag [tag, end), or NULL; *len gets its length. */
static const char *tst_attr(const char *tag, const char *end, const char *name, size_t *len)
{
    size_t n = strlen(name);
    for (const char *p = tag + 1; p + n + 2 < end; p++) {
        if (p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n' && p[-1] != '\r') continue;
        if (memcmp(p, name, n) != 0 || p[n] != '=' || (p[n + 1] != '"' && p[n + 1] != '\''))
            continue;
        const char *v = p + n + 2, *q = memchr(v, p[n + 1], (size_t)(end - v));
        if (!q) return NULL;
        *len = (size_t)(q - v);
        return v;
    }
    return NULL;
}

static unsigned long tst_attr_num(const char *tag, const char *end, const char *name)
{
    size_t len;
    const char *v = tst_attr(tag, end, name, &len);
    unsigned long n = 0;
    for (size_t i = 0; v && i < len && v[i] >= '0' && v[i] <= '9' && n < 100000000ul; i++)
        n = n * 10 + (unsigned long)(v[i] - '0');
    return n;
}

/* Reads a whole file (up to max bytes); NULL if it cannot be read or is larger. */
static char *tst_read_file(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    tst_str s = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        if (s.len + n > max) s.failed = true;
        str_addn(&s, buf, n);
        if (s.failed) break;
    }
    bool bad = ferror(f);
    fclose(f);
    char *p = str_take(&s);
    if (bad) {
        free(p);
        p = NULL;
    }
    return p;
}

/* Appends the <testsuite> elements of a child's junit.xml; returns how many. */
static size_t tst_junit_copy(tst_str *out, const char *xml, const tst_run *run, tst_counts *cnt)
{
    size_t suites = 0;
    const char *p = xml;
    while ((p = strstr(p, "<testsuite")) != NULL) {
        char nc = p[10];
        if (nc != ' ' && nc != '\t' && nc != '\n' && nc != '\r' && nc != '>' && nc != '/') {
            p += 10;
            continue;
        }
        const char *q = p + 10;
        char quote = 0;
        for (; *q; q++) {
            if (quote) {
                if (*q == quote) quote = 0;
            } else if (*q == '"' || *q == '\'') {
                quote = *q;
            } else if (*q == '>') {
                break;
            }
        }
        if (!*q) break;
        const char *end;
        if (q[-1] == '/') {
            end = q + 1;
        } else {
            const char *e = strstr(q, "</testsuite>");
            if (!e) break;
            end = e + 12;
        }
        cnt->tests += tst_attr_num(p, q, "tests");
        cnt->failures += tst_attr_num(p, q, "failures");
        cnt->errors += tst_attr_num(p, q, "errors");
        str_add(out, "  ");
        size_t len;
        const char *name = tst_attr(p, q, "name", &len);
        if (!run->repeat) {
            str_addn(out, p, (size_t)(end - p));
        } else if (name) {
            str_addn(out, p, (size_t)(name + len - p));
            str_printf(out, " [repeat %u]", run->repeat);
            str_addn(out, name + len, (size_t)(end - (name + len)));
        } else {
            str_add(out, "<testsuite name=\"");
            str_add_xml(out, run->label);
            str_add(out, "\"");
            str_addn(out, p + 10, (size_t)(end - (p + 10)));
        }
        str_add(out, "\n");
        suites++;
        p = end;
    }
    return suites;
}

static void tst_junit_synth(tst_str *out, const char *suite, const char *tcname, bool failure,
                            const char *type, const char *msg, tst_counts *cnt)
{
    str_add(out, "  <testsuite name=\"");
    str_add_xml(out, suite);
    str_printf(out, "\" tests=\"1\" failures=\"%d\" errors=\"%d\">\n", failure, !failure);
    str_add(out, "    <testcase classname=\"");
    str_add_xml(out, suite);
    str_add(out, "\" name=\"");
    str_add_xml(out, tcname);
    str_printf(out, "\">\n      <%s type=\"%s\" message=\"", failure ? "failure" : "error", type);
    str_add_xml(out, msg);
    str_printf(out, "\"/>\n    </testcase>\n  </testsuite>\n");
    cnt->tests++;
    if (failure)
        cnt->failures++;
    else
        cnt->errors++;
}

static bool tst_write_file(const char *path, const tst_str *s)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(s->p ? s->p : "", 1, s->len, f) == s->len;
    ok &= fclose(f) == 0;
    return ok;
}

static int tst_write_junit(const tst_ctx *c, const tst_pass *ps)
{
    tst_str body = {0};
    tst_counts total = {0};
    for (size_t i = 0; i < c->nruns; i++) {
        const tst_run *run = &c->runs[i];
        const tst_result *r = &ps->res[i];
        char *dir = tst_join(ps->root, run->name);
        char *path = dir ? tst_join(dir, "junit.xml") : NULL;
        char *xml = path ? tst_read_file(path, TST_MAX_JUNIT) : NULL;
        tst_counts cnt = {0};
        size_t suites = xml ? tst_junit_copy(&body, xml, run, &cnt) : 0;
        const char *why = !xml ? "no junit.xml" : !suites ? "no <testsuite> in junit.xml" : NULL;
        /* The report must not be greener than the exit status. */
        if (r->what && cnt.failures + cnt.errors == 0) {
            char *msg = tst_fmt("%s%s%s", r->what, why ? "; " : "", why ? why : "");
            tst_junit_synth(&body, run->label, "run", r->cls == TST_EXPECT,
                            r->cls == TST_EXPECT ? "expectation" : "run", msg ? msg : r->what,
                            &cnt);
            free(msg);
        } else if (!r->what && why) {
            tst_junit_synth(&body, run->label, "run", false, "run",
                            "exit 0 (passed) but no junit.xml with a <testsuite>", &cnt);
        }
        total.tests += cnt.tests;
        total.failures += cnt.failures;
        total.errors += cnt.errors;
        free(xml);
        free(path);
        free(dir);
    }
    if (c->o.verify) {
        unsigned long bad = 0;
        for (size_t i = 0; i < c->nruns; i++)
            bad += c->runs[i].mismatch != NULL;
        str_printf(&body,
                   "  <testsuite name=\"determinism\" tests=\"%zu\" failures=\"%lu\" "
                   "errors=\"0\">\n",
                   c->nruns, bad);
        for (size_t i = 0; i < c->nruns; i++) {
            str_add(&body, "    <testcase classname=\"determinism\" name=\"");
            str_add_xml(&body, c->runs[i].label);
            if (!c->runs[i].mismatch) {
                str_add(&body, "\"/>\n");
                continue;
            }
            str_add(&body, "\">\n      <failure type=\"determinism\" message=\"");
            str_add_xml(&body, c->runs[i].mismatch);
            str_add(&body, "\"/>\n    </testcase>\n");
        }
        str_add(&body, "  </testsuite>\n");
        total.tests += c->nruns;
        total.failures += bad;
    }
    tst_str doc = {0};
    str_printf(&doc,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"espsim test\" tests=\"%lu\" failures=\"%lu\" errors=\"%lu\">\n",
               total.tests, total.failures, total.errors);
    if (body.p) str_addn(&doc, body.p, body.len);
    str_add(&doc, "</testsuites>\n");
    int rc = 0;
    char *path = tst_join(c->o.out, "junit.xml");
    if (body.failed || doc.failed || !path) {
        rc = tst_oom();
    } else if (!tst_write_file(path, &doc)) {
        fprintf(stderr, "espsim: %s: cannot write: %s\n", path, strerror(errno));
        rc = CLI_USAGE;
    }
    free(path);
    free(str_take(&body));
    free(str_take(&doc));
    return rc;
}

/* ---- summary and exit code ----------------------------------------------------------------------
 */

static int tst_summary(const tst_ctx *c, const tst_pass *ps, int *exit_code)
{
    size_t count[TST_NOVERDICT + 1] = {0}, mismatches = 0;
    tst_class worst = TST_PASS;
    for (size_t i = 0; i < c->nruns; i++) {
        tst_class cls = ps->res[i].cls;
        count[cls]++;
        if (tst_rank(cls) > tst_rank(worst)) worst = cls;
        if (c->runs[i].mismatch) {
            mismatches++;
            if (tst_rank(TST_EXPECT) > tst_rank(worst)) worst = TST_EXPECT;
        }
    }
    *exit_code = tst_class_exit(worst);
    size_t failed = c->nruns - count[TST_PASS];
    tst_str s = {0};
    str_printf(&s, "espsim test: %zu runs (%zu scenarios x %u)", c->nruns, c->scn.n, c->o.repeat);
    if (c->o.shard_n) str_printf(&s, ", shard %u/%u", c->o.shard_k, c->o.shard_n);
    if (c->o.have_filter) str_printf(&s, ", filter %s", c->o.filter_text);
    if (c->o.have_seed) str_printf(&s, ", seed %" PRIu64, c->o.seed);
    str_add(&s, "\n");
    str_printf(&s, "runs: %zu\npassed: %zu\nfailed: %zu\n", c->nruns, count[TST_PASS], failed);
    str_printf(&s, "expectation-failed: %zu\n", count[TST_EXPECT]);
    str_printf(&s, "config-error: %zu\n", count[TST_CONFIG]);
    str_printf(&s, "guest-fault-or-timeout: %zu\n", count[TST_GUEST]);
    str_printf(&s, "hang-guard: %zu\n", count[TST_HANG]);
    str_printf(&s, "output-limit: %zu\n", count[TST_LIMIT]);
    str_printf(&s, "no-verdict: %zu\n", count[TST_NOVERDICT]);
    if (c->o.verify) str_printf(&s, "determinism-mismatch: %zu\n", mismatches);
    str_printf(&s, "exit-code: %d\n\n", *exit_code);
    for (size_t i = 0; i < c->nruns; i++) {
        const tst_result *r = &ps->res[i];
        if (r->what)
            str_printf(&s, "FAIL  %s  %s\n", c->runs[i].label, r->what);
        else
            str_printf(&s, "PASS  %s\n", c->runs[i].label);
        if (c->runs[i].mismatch)
            str_printf(&s, "DIFF  %s  %s\n", c->runs[i].label, c->runs[i].mismatch);
    }
    char *path = tst_join(c->o.out, "summary.txt");
    int rc = 0;
    if (s.failed || !path) {
        rc = tst_oom();
    } else if (!tst_write_file(path, &s)) {
        fprintf(stderr, "espsim: %s: cannot write: %s\n", path, strerror(errno));
        rc = CLI_USAGE;
    } else {
        /* On stdout: the counts and the runs that did not pass. */
        printf("espsim test: %zu runs, %zu passed, %zu failed", c->nruns, count[TST_PASS], failed);
        if (c->o.verify) printf(", %zu not deterministic", mismatches);
        printf(" (exit %d); results in %s/\n", *exit_code, c->o.out);
        for (size_t i = 0; i < c->nruns; i++) {
            if (ps->res[i].what) printf("FAIL  %s  %s\n", c->runs[i].label, ps->res[i].what);
            if (c->runs[i].mismatch)
                printf("DIFF  %s  %s\n", c->runs[i].label, c->runs[i].mismatch);
        }
        fflush(stdout);
    }
    free(path);
    free(str_take(&s));
    return rc;
}

/* ---- entry point --------------------------------------------------------------------------------
 */

static void tst_pass_free(tst_pass *ps, size_t n)
{
    for (size_t i = 0; ps->res && i < n; i++)
        free(ps->res[i].what);
    free(ps->res);
    free(ps->root);
}

static int tst_pass_init(const tst_ctx *c, tst_pass *ps, const char *root, unsigned jobs)
{
    ps->root = strdup(root);
    ps->jobs = jobs;
    ps->res = calloc(c->nruns ? c->nruns : 1, sizeof(*ps->res));
    return ps->root && ps->res ? 0 : tst_oom();
}

static int tst_main(tst_ctx *c, tst_pass *first, tst_pass *second)
{
    int rc = tst_collect(&c->o, &c->scn);
    if (!rc) rc = tst_plan(c);
    if (rc) return rc;
    if (access(c->exe, X_OK) != 0) {
        fprintf(stderr, "espsim: test: cannot execute %s: %s\n", c->exe, strerror(errno));
        return CLI_USAGE;
    }
    errno = 0;
    if (!tst_mkdirs(c->o.out)) {
        fprintf(stderr, "espsim: %s: cannot create directory: %s\n", c->o.out, strerror(errno));
        return CLI_USAGE;
    }
    if (!c->nruns)
        fprintf(stderr, "espsim: test: shard %u/%u has no scenarios\n", c->o.shard_k, c->o.shard_n);
    rc = tst_pass_init(c, first, c->o.out, c->o.jobs);
    if (rc) return rc;
    rc = tst_execute(c, first);
    if (rc) return rc;
    if (c->o.verify) {
        char *root = tst_join(c->o.out, TST_VERIFY_SUBDIR);
        if (!root) return tst_oom();
        rc = tst_pass_init(c, second, root, c->o.jobs > 1 ? 1u : 2u);
        free(root);
        if (rc) return rc;
        second->rerun = true;
        fprintf(stderr, "espsim: verify determinism: running again with -j %u into %s\n",
                second->jobs, second->root);
        rc = tst_execute(c, second);
        if (rc) return rc;
        tst_compare(c, first, second);
    }
    rc = tst_write_junit(c, first);
    int code = 0;
    if (!rc) rc = tst_summary(c, first, &code);
    return rc ? rc : code;
}

int cli_test(int argc, char **argv, const char *self_exe)
{
    tst_ctx c = {0};
    tst_pass first = {0}, second = {0};
    const char *override = getenv("ESPSIM_TEST_EXEC");
    c.exe = override && *override ? override : self_exe;
    c.tty = isatty(STDERR_FILENO);
    int rc = tst_parse_args(&c.o, argc, argv);
    if (rc == -1)
        rc = CLI_OK;
    else if (rc == 0)
        rc = tst_main(&c, &first, &second);
    tst_pass_free(&first, c.nruns);
    tst_pass_free(&second, c.nruns);
    for (size_t i = 0; i < c.nruns; i++) {
        free(c.runs[i].label);
        free(c.runs[i].name);
        free(c.runs[i].mismatch);
    }
    free(c.runs);
    list_free(&c.scn);
    if (c.o.have_filter) regfree(&c.o.filter);
    free(c.o.paths);
    return rc;
}
