/* sim/gdb.c — see gdb.h. One client, blocking I/O while stopped, a non-blocking check for ^C
 * while running. Packets are at most GDB_MAX bytes (advertised as PacketSize). */
#include "gdb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define GDB_MAX   4096u
#define GDB_NREGS 22u
#define GDB_NBP   64u

struct sim_gdb {
    sim_node *n;
    int lfd, fd;
    bool stopped, hit, gone, ended;
    uint32_t bp[GDB_NBP];
    size_t nbp;
};

static const char hexd[] = "0123456789abcdef";

static int hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* ---- transport ----------------------------------------------------------------------------- */

static int gdb_getc(sim_gdb *g)
{
    unsigned char c;
    ssize_t r;
    do
        r = read(g->fd, &c, 1);
    while (r < 0 && errno == EINTR);
    if (r != 1) {
        g->gone = true;
        return -1;
    }
    return c;
}

static void gdb_write(sim_gdb *g, const char *p, size_t n)
{
    while (n && !g->gone) {
        ssize_t w = write(g->fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            g->gone = true;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void gdb_send(sim_gdb *g, const char *payload)
{
    char buf[GDB_MAX + 8];
    unsigned sum = 0;
    size_t n = strlen(payload), o = 0;
    if (n > GDB_MAX) n = GDB_MAX;
    buf[o++] = '$';
    for (size_t i = 0; i < n; i++) {
        buf[o++] = payload[i];
        sum += (unsigned char)payload[i];
    }
    buf[o++] = '#';
    buf[o++] = hexd[(sum >> 4) & 15];
    buf[o++] = hexd[sum & 15];
    gdb_write(g, buf, o);
    /* the client answers + (or - to ask again; we do not resend: TCP does not corrupt) */
}

/* Reads one packet into buf (NUL-terminated); 0x03 alone is returned as "\x03". */
static bool gdb_recv(sim_gdb *g, char *buf, size_t size)
{
    int c;
    for (;;) {
        c = gdb_getc(g);
        if (c < 0) return false;
        if (c == 0x03) {
            buf[0] = 3, buf[1] = 0;
            return true;
        }
        if (c == '$') break;
    }
    size_t n = 0;
    unsigned sum = 0;
    while ((c = gdb_getc(g)) >= 0 && c != '#') {
        if (n + 1 < size) buf[n++] = (char)c;
        sum += (unsigned)c;
    }
    int h = gdb_getc(g), l = gdb_getc(g);
    if (c < 0 || h < 0 || l < 0) return false;
    buf[n] = 0;
    bool ok = hexv(h) >= 0 && hexv(l) >= 0 && (unsigned)(hexv(h) << 4 | hexv(l)) == (sum & 255u);
    gdb_write(g, ok ? "+" : "-", 1);
    return ok ? true : gdb_recv(g, buf, size);
}

/* ---- registers and memory ------------------------------------------------------------------- */

static uint32_t reg_get(const sim_node *n, unsigned i)
{
    const xt_cpu *c = &n->cpu;
    if (i < 16) return c->a[i];
    switch (i) {
    case 16: return c->pc;
    case 17: return xt_read_sr(c, XT_SR_SAR);
    case 18: return xt_read_sr(c, XT_SR_LITBASE);
    case 21: return xt_read_sr(c, XT_SR_PS);
    default: return 0; /* sr176, sr208 */
    }
}

static void reg_set(sim_node *n, unsigned i, uint32_t v)
{
    xt_cpu *c = &n->cpu;
    if (i < 16)
        c->a[i] = v;
    else if (i == 16)
        c->pc = v;
    else if (i == 17)
        xt_write_sr(c, XT_SR_SAR, v);
    else if (i == 18)
        xt_write_sr(c, XT_SR_LITBASE, v);
    else if (i == 21)
        xt_write_sr(c, XT_SR_PS, v);
}

static void put_le32(char *out, uint32_t v)
{
    for (int b = 0; b < 4; b++) {
        out[2 * b] = hexd[(v >> (8 * b + 4)) & 15];
        out[2 * b + 1] = hexd[(v >> (8 * b)) & 15];
    }
}

static bool get_le32(const char *in, uint32_t *v)
{
    *v = 0;
    for (int b = 0; b < 4; b++) {
        int h = hexv(in[2 * b]), l = hexv(in[2 * b + 1]);
        if (h < 0 || l < 0) return false;
        *v |= (uint32_t)(h << 4 | l) << (8 * b);
    }
    return true;
}

/* Reads guest memory for the client: host-backed regions directly, others (MMIO) by aligned
 * 32-bit bus reads. */
static bool mem_read(sim_node *n, uint32_t addr, uint8_t *dst, size_t len)
{
    if (sim_bus_peek(&n->bus, addr, dst, len)) return true;
    for (size_t i = 0; i < len; i++) {
        uint32_t w;
        if (sim_bus_read(&n->bus, (addr + (uint32_t)i) & ~3u, 4, &w) != SIM_BUS_OK) return false;
        dst[i] = (uint8_t)(w >> (8 * ((addr + i) & 3u)));
    }
    return true;
}

static void gdb_bp_hook(void *opaque, sim_node *n, uint32_t pc)
{
    sim_gdb *g = opaque;
    (void)pc;
    g->hit = true;
    sim_node_halt(n); /* pc stays: the instruction has not run */
}

static bool bp_at(const sim_gdb *g, uint32_t addr, size_t *idx)
{
    for (size_t i = 0; i < g->nbp; i++)
        if (g->bp[i] == addr) {
            if (idx) *idx = i;
            return true;
        }
    return false;
}

/* One instruction (or one hook: a ROM service completes), stepping over a breakpoint at pc. */
static void step_one(sim_gdb *g)
{
    sim_node *n = g->n;
    uint32_t pc = n->cpu.pc;
    bool over = bp_at(g, pc, NULL);
    if (over) sim_node_unhook(n, pc);
    sim_sched_run_until(&n->sched, sim_node_now(n));
    if (n->state == SIM_NODE_RUNNING) xt_run(&n->cpu, 1);
    if (over) sim_node_hook(n, pc, pc, gdb_bp_hook, g, "gdb breakpoint");
}

/* ---- packets -------------------------------------------------------------------------------- */

static void stop_reply(sim_gdb *g)
{
    if (g->n->state == SIM_NODE_FAULTED)
        gdb_send(g, "T0b"); /* SIGSEGV: the node faulted (the report is on espsim's stderr) */
    else if (g->ended || g->n->state == SIM_NODE_HALTED)
        gdb_send(g, "W00");
    else
        gdb_send(g, "T05");
}

/* Handles one packet while stopped. Returns 1 to keep serving, 0 to run, -1 to end. */
static int handle(sim_gdb *g, char *p)
{
    sim_node *n = g->n;
    char out[GDB_MAX + 1];
    unsigned long a, l;
    uint32_t v;
    switch (p[0]) {
    case '?': stop_reply(g); return 1;
    case 'g':
        for (unsigned i = 0; i < GDB_NREGS; i++)
            put_le32(out + 8 * i, reg_get(n, i));
        out[8 * GDB_NREGS] = 0;
        gdb_send(g, out);
        return 1;
    case 'G':
        if (strlen(p + 1) < 8 * GDB_NREGS) {
            gdb_send(g, "E01");
            return 1;
        }
        for (unsigned i = 0; i < GDB_NREGS; i++)
            if (get_le32(p + 1 + 8 * i, &v)) reg_set(n, i, v);
        gdb_send(g, "OK");
        return 1;
    case 'p':
        a = strtoul(p + 1, NULL, 16);
        if (a >= GDB_NREGS) {
            gdb_send(g, "E01");
            return 1;
        }
        put_le32(out, reg_get(n, (unsigned)a));
        out[8] = 0;
        gdb_send(g, out);
        return 1;
    case 'P': {
        char *eq = strchr(p, '=');
        a = strtoul(p + 1, NULL, 16);
        if (!eq || a >= GDB_NREGS || !get_le32(eq + 1, &v)) {
            gdb_send(g, "E01");
            return 1;
        }
        reg_set(n, (unsigned)a, v);
        gdb_send(g, "OK");
        return 1;
    }
    case 'm': {
        uint8_t buf[GDB_MAX / 2];
        char *comma;
        a = strtoul(p + 1, &comma, 16);
        l = *comma == ',' ? strtoul(comma + 1, NULL, 16) : 0;
        if (l > sizeof(buf) || !mem_read(n, (uint32_t)a, buf, l)) {
            gdb_send(g, "E14");
            return 1;
        }
        for (size_t i = 0; i < l; i++) {
            out[2 * i] = hexd[buf[i] >> 4];
            out[2 * i + 1] = hexd[buf[i] & 15];
        }
        out[2 * l] = 0;
        gdb_send(g, out);
        return 1;
    }
    case 'M': {
        uint8_t buf[GDB_MAX / 2];
        char *comma, *colon = strchr(p, ':');
        a = strtoul(p + 1, &comma, 16);
        l = *comma == ',' ? strtoul(comma + 1, NULL, 16) : 0;
        bool ok = colon && l <= sizeof(buf) && strlen(colon + 1) >= 2 * l;
        for (size_t i = 0; ok && i < l; i++) {
            int h = hexv(colon[1 + 2 * i]), lo = hexv(colon[2 + 2 * i]);
            ok = h >= 0 && lo >= 0;
            buf[i] = (uint8_t)(h << 4 | lo);
        }
        gdb_send(g, ok && sim_bus_poke(&n->bus, (uint32_t)a, buf, l) ? "OK" : "E14");
        return 1;
    }
    case 'Z':
    case 'z': {
        if ((p[1] != '0' && p[1] != '1') || p[2] != ',') {
            gdb_send(g, ""); /* watchpoints: not supported */
            return 1;
        }
        a = strtoul(p + 3, NULL, 16);
        size_t idx;
        bool have = bp_at(g, (uint32_t)a, &idx);
        if (p[0] == 'Z') {
            if (!have && (g->nbp == GDB_NBP || !sim_node_hook(n, (uint32_t)a, (uint32_t)a,
                                                              gdb_bp_hook, g, "gdb breakpoint"))) {
                gdb_send(g, "E01"); /* a modelled (hooked) address, or too many */
                return 1;
            }
            if (!have) g->bp[g->nbp++] = (uint32_t)a;
        } else if (have) {
            sim_node_unhook(n, (uint32_t)a);
            g->bp[idx] = g->bp[--g->nbp];
        }
        gdb_send(g, "OK");
        return 1;
    }
    case 's':
        if (p[1]) n->cpu.pc = (uint32_t)strtoul(p + 1, NULL, 16);
        step_one(g);
        if (n->state == SIM_NODE_HALTED && g->hit) {
            n->state = SIM_NODE_RUNNING;
            g->hit = false;
        }
        stop_reply(g);
        return 1;
    case 'c':
        if (p[1]) n->cpu.pc = (uint32_t)strtoul(p + 1, NULL, 16);
        if (bp_at(g, n->cpu.pc, NULL)) step_one(g);
        g->stopped = false;
        return 0;
    case 'D':
        gdb_send(g, "OK");
        for (size_t i = 0; i < g->nbp; i++)
            sim_node_unhook(n, g->bp[i]);
        g->nbp = 0;
        g->gone = true; /* runs on without a client */
        g->stopped = false;
        return 0;
    case 'k': return -1;
    case 'H': gdb_send(g, "OK"); return 1;
    case 'q':
        if (!strncmp(p, "qSupported", 10)) {
            snprintf(out, sizeof(out), "PacketSize=%x", GDB_MAX);
            gdb_send(g, out);
        } else if (!strcmp(p, "qAttached")) {
            gdb_send(g, "1");
        } else if (!strcmp(p, "qC")) {
            gdb_send(g, "QC1");
        } else if (!strcmp(p, "qfThreadInfo")) {
            gdb_send(g, "m1");
        } else if (!strcmp(p, "qsThreadInfo")) {
            gdb_send(g, "l");
        } else {
            gdb_send(g, "");
        }
        return 1;
    case 3: stop_reply(g); return 1;
    default: gdb_send(g, ""); return 1;
    }
}

/* ---- the runner's interface ----------------------------------------------------------------- */

sim_gdb *sim_gdb_listen(sim_node *n, unsigned port, unsigned *bound, char *err, size_t errsize)
{
    sim_gdb *g = calloc(1, sizeof(*g));
    if (!g) {
        snprintf(err, errsize, "gdb: out of memory");
        return NULL;
    }
    g->n = n;
    g->fd = -1;
    g->stopped = true;
    g->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* localhost only (architecture.md §9) */
    int one = 1;
    socklen_t sl = sizeof(sa);
    if (g->lfd < 0 || setsockopt(g->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(g->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(g->lfd, 1) != 0 ||
        getsockname(g->lfd, (struct sockaddr *)&sa, &sl) != 0) {
        snprintf(err, errsize, "gdb: cannot listen on 127.0.0.1:%u: %s", port, strerror(errno));
        sim_gdb_free(g);
        return NULL;
    }
    *bound = ntohs(sa.sin_port);
    return g;
}

bool sim_gdb_accept(sim_gdb *g, char *err, size_t errsize)
{
    do
        g->fd = accept(g->lfd, NULL, NULL);
    while (g->fd < 0 && errno == EINTR);
    if (g->fd < 0) {
        snprintf(err, errsize, "gdb: accept failed: %s", strerror(errno));
        return false;
    }
    return true;
}

bool sim_gdb_serve(sim_gdb *g)
{
    char pkt[GDB_MAX + 1];
    while (g->stopped && !g->gone) {
        if (!gdb_recv(g, pkt, sizeof(pkt))) return false;
        int r = handle(g, pkt);
        if (r < 0) return false;
        if (r == 0) return true;
    }
    return !g->gone || !g->stopped;
}

void sim_gdb_after(sim_gdb *g)
{
    if (g->gone || g->stopped) return;
    sim_node *n = g->n;
    if (g->hit) {
        g->hit = false;
        if (n->state == SIM_NODE_HALTED) n->state = SIM_NODE_RUNNING;
        g->stopped = true;
        stop_reply(g);
        return;
    }
    if (n->state != SIM_NODE_RUNNING) {
        g->stopped = true;
        stop_reply(g);
        return;
    }
    struct pollfd pf = {.fd = g->fd, .events = POLLIN};
    if (poll(&pf, 1, 0) > 0) {
        unsigned char c;
        ssize_t r = read(g->fd, &c, 1);
        if (r != 1) {
            g->gone = true;
        } else if (c == 0x03) {
            g->stopped = true;
            stop_reply(g);
        }
    }
}

bool sim_gdb_stopped(const sim_gdb *g)
{
    return g->stopped && !g->gone;
}

void sim_gdb_free(sim_gdb *g)
{
    if (!g) return;
    if (g->fd >= 0) {
        if (!g->gone) {
            g->ended = true;
            if (!g->stopped) stop_reply(g);
        }
        close(g->fd);
    }
    if (g->lfd >= 0) close(g->lfd);
    free(g);
}
