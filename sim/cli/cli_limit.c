/* sim/cli/cli_limit.c — see cli_limit.h. Streams are glibc fopencookie() streams over a file
 * descriptor: stdio buffers as usual, and the cookie's write sees each chunk on its way out. */
#define _GNU_SOURCE
#include "cli_limit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct cli_limit_file {
    cli_limits *l;
    scn_limit_kind kind;
    int fd;
    uint64_t used; /* bytes of this file */
    char *path;
} cli_limit_file;

void cli_limits_init(cli_limits *l, const scn_limits *s)
{
    memset(l, 0, sizeof(*l));
    for (int i = 0; i < SCN_LIMIT_COUNT; i++) {
        l->max[i] = s->max[i];
        l->given[i] = s->pos[i].line != 0;
        l->cli[i] = s->cli[i];
    }
}

void cli_limit_format(uint64_t bytes, char *buf, size_t size)
{
    static const char *const unit[] = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < 3; i++) {
        uint64_t u = 1ull << (10 * (3 - i));
        if (bytes >= u && bytes % u == 0) {
            snprintf(buf, size, "%llu %s", (unsigned long long)(bytes / u), unit[i]);
            return;
        }
    }
    snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
}

bool cli_pairs(const char *spec,
               bool (*item)(void *ctx, char *name, char *value, char *err, size_t errsize),
               void *ctx, char *err, size_t errsize, bool *bad)
{
    const char *p = spec;
    *bad = false;
    do {
        size_t n = strcspn(p, ",");
        char buf[128];
        if (n == 0 || n >= sizeof(buf)) {
            *bad = true;
            return false;
        }
        memcpy(buf, p, n);
        buf[n] = 0;
        char *eq = strchr(buf, '=');
        if (eq) *eq = 0;
        if (!item(ctx, buf, eq ? eq + 1 : NULL, err, errsize)) return false;
        p += n;
    } while (*p++ == ',');
    return true;
}

static bool cli_limit_item(void *ctx, char *name, char *value, char *err, size_t errsize)
{
    scn_limits *l = ctx;
    int k = 0;
    while (k < SCN_LIMIT_COUNT && strcmp(name, scn_limit_name((scn_limit_kind)k)) != 0)
        k++;
    if (!value || k == SCN_LIMIT_COUNT) {
        snprintf(err, errsize,
                 "--limit: unknown limit '%s' (expected one of: output, uart, events, pcap, vcd)",
                 name);
        return false;
    }
    const char *why = "bad size";
    uint64_t v;
    if (!scn_limit_parse(value, &v, &why)) {
        snprintf(err, errsize, "--limit: bad limit %s=%s: %s", name, value, why);
        return false;
    }
    l->max[k] = v;
    l->cli[k] = true;
    return true;
}

bool cli_limit_override(scn_limits *l, const char *spec, char *err, size_t errsize)
{
    bool bad;
    if (cli_pairs(spec, cli_limit_item, l, err, errsize, &bad)) return true;
    if (bad) snprintf(err, errsize, "--limit: expected KIND=SIZE[,KIND=SIZE...], got '%s'", spec);
    return false;
}

static uint64_t cli_limit_room(uint64_t max, uint64_t used)
{
    return max == SCN_LIMIT_NONE ? UINT64_MAX : used >= max ? 0 : max - used;
}

static void cli_limit_reached(cli_limit_file *f, scn_limit_kind kind)
{
    cli_limits *l = f->l;
    if (l->hit) return;
    l->hit = true;
    l->kind = kind;
    char lim[32];
    cli_limit_format(l->max[kind], lim, sizeof(lim));
    const char *scope = kind == SCN_LIMIT_UART     ? "per node"
                        : kind == SCN_LIMIT_OUTPUT ? "all outputs together"
                        : kind == SCN_LIMIT_PCAP   ? "all pcap files together"
                        : kind == SCN_LIMIT_VCD    ? "all VCD files together"
                                                   : "one file";
    snprintf(l->msg, sizeof(l->msg), "%s reached limits.%s = %s (%s%s)", f->path,
             scn_limit_name(kind), lim, scope,
             l->cli[kind]     ? ", from --limit"
             : l->given[kind] ? ""
                              : ", the default");
}

static bool cli_limit_put(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

static ssize_t cli_limit_write(void *cookie, const char *buf, size_t size)
{
    cli_limit_file *f = cookie;
    cli_limits *l = f->l;
    uint64_t kind_used = f->kind == SCN_LIMIT_UART ? f->used : l->used[f->kind];
    uint64_t room_kind = cli_limit_room(l->max[f->kind], kind_used);
    uint64_t room_all = cli_limit_room(l->max[SCN_LIMIT_OUTPUT], l->used[SCN_LIMIT_OUTPUT]);
    uint64_t room = room_kind < room_all ? room_kind : room_all;
    size_t n = size <= room ? size : (size_t)room;
    if (n && !cli_limit_put(f->fd, buf, n)) return -1;
    f->used += n;
    if (f->kind != SCN_LIMIT_OUTPUT) l->used[f->kind] += n;
    l->used[SCN_LIMIT_OUTPUT] += n;
    if (n < size) cli_limit_reached(f, room_kind <= room_all ? f->kind : SCN_LIMIT_OUTPUT);
    return (ssize_t)size;
}

static int cli_limit_close(void *cookie)
{
    cli_limit_file *f = cookie;
    int rc = close(f->fd);
    free(f->path);
    free(f);
    return rc;
}

FILE *cli_limit_fopen(cli_limits *l, const char *path, scn_limit_kind kind)
{
    cli_limit_file *f = calloc(1, sizeof(*f));
    char *p = strdup(path);
    if (!f || !p) {
        free(f);
        free(p);
        errno = ENOMEM;
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        int e = errno;
        free(f);
        free(p);
        errno = e;
        return NULL;
    }
    *f = (cli_limit_file){.l = l, .kind = kind, .fd = fd, .path = p};
    cookie_io_functions_t io = {.write = cli_limit_write, .close = cli_limit_close};
    FILE *fp = fopencookie(f, "w", io);
    if (!fp) {
        int e = errno;
        close(fd);
        free(p);
        free(f);
        errno = e;
        return NULL;
    }
    /* Small limits (tests) are seen at once; large ones within one stdio buffer (8 KiB). */
    uint64_t small = 64u * 1024u;
    if (l->max[kind] < small || l->max[SCN_LIMIT_OUTPUT] < small) setvbuf(fp, NULL, _IONBF, 0);
    return fp;
}
