/* apps/espnow_node — one ESP-NOW firmware for every node of a scenario (reference/protocols.md
 * B.4, B.5; API in firmware/sdk/include/espnow.h). What a node does comes from a text config in
 * flash, so one ELF serves all nodes and the scenario writes each node's config.
 *
 * Config: flash offset 0x70000, up to 1024 bytes read with spi_flash_read, ending at the first
 * NUL or 0xFF byte (erased flash, all 0xFF, = no config = role idle). Tokens key=value separated
 * by spaces, tabs or newlines; a later key overrides an earlier one:
 *   role=pinger|echoer|broadcaster|flooder|mesh|limits|idle   (default idle)
 *   peer=aa:bb:cc:dd:ee:ff      the peer of pinger and flooder (required there); limits' known
 *                               peer and the echoer's peer added at start (optional; needed to
 *                               receive encrypted frames, whose sender must be a peer)
 *   peers=MAC,MAC,...           mesh: 1..20 peers (required)
 *   count=N                     frames to send, 0..1000000 (default 10)
 *   interval=MS                 between sends, 1..6870947 (default 100)
 *   len=BYTES                   body length, 12..250 (default 32)
 *   channel=N                   wifi_set_channel and the peers' channel, 1..14 (default 1)
 *   key=32 hex digits           LMK: peers are added encrypted with it (never the broadcast one)
 *   kok=32 hex digits           esp_now_set_kok
 *   start=MS                    delay before the first send, 0..6870947 (default 500)
 *   wait=MS                     after the last send, before the result, 0..6870947 (default 1000)
 *   report=MS                   echoer/mesh report period, 1..6870947 (default 1000)
 *   work=BYTES                  espnow_work.elf only (this file built with ESPNOW_NODE_WORK;
 *                               espnow_node.elf stays as it was): before each scheduled send
 *                               (pinger, broadcaster, mesh), a CPU-bound table-driven CRC-32
 *                               over BYTES bytes of a 4 KB buffer, cyclically (bench/crc32.c's
 *                               inner loop), 0..16777216 (default 0: none); too much per
 *                               interval and the soft watchdog resets the node, as on the chip
 * Anything else (unknown key, no '=', malformed or out-of-range value, a role without its peer
 * or peers) prints "espnow_node: bad config KEY" and the node stays idle.
 *
 * Body (little-endian): [0] type 'P' ping, 'E' echo, 'B' broadcast, 'F' flood, 'M' mesh,
 * 'L' limits; [1..4] u32 sequence number; [5..8] u32 system_get_time() at the send (us);
 * [9..len-1] byte i = (uint8)(seq + i). Pinger, flooder, broadcaster and mesh count a received
 * frame of the type they expect as corrupt (and nothing else) when it is shorter than 12 bytes or
 * breaks the pattern, and an echo also when its length is not len or its seq not below count.
 * The echoer returns any 'P' frame of 9..250 bytes as it came (shorter: corrupt, not echoed).
 *
 * Roles (sends start `start` ms after boot; "sent" counts esp_now_send calls that returned 0,
 * "send_err" those that did not, so sent + send_err = count; "send_ok"/"send_fail" count send
 * callbacks with status 0 / non-zero):
 *   pinger       every interval ms a 'P' frame seq 0..count-1 to peer. An 'E' frame whose seq
 *                was seen before counts dup; else received, RTT = now - its send time.
 *   echoer       each 'P' frame goes back to its sender as 'E' (the same body; the sender is
 *                added as a peer first if needed); every report ms, if the number echoed
 *                (esp_now_send returned 0) changed, it is printed. Never finishes.
 *   broadcaster  adds ff:ff:ff:ff:ff:ff (unencrypted) and sends 'B' frames to it like pinger;
 *                counts valid 'B' frames from others as received.
 *   flooder      'F' frames to peer back to back: the first two at start, then from every send
 *                callback the next two (the second to fill the SDK's queue); a tick every
 *                interval ms restarts the flood when no send is outstanding (all of them failed).
 *   mesh         every interval ms one 'M' frame to the next of peers, round robin, with a
 *                sequence number per peer; count frames in all. Counts valid 'M' frames per
 *                source.
 *   limits       the SDK's limits and return values, one line each, at start (list at
 *                limits_run), then the send callbacks after wait.
 *   idle         nothing after the start line (the callbacks are registered, frames ignored).
 *
 * Output (UART0, exact formats):
 *   espnow_node: bad config KEY
 *   espnow_node: config read failed R
 *   espnow_node: esp_now_init failed R | esp_now_set_kok failed R | add_peer MAC failed R
 *   espnow_node: role R mac xx:xx:xx:xx:xx:xx channel C          after init (C read back)
 *   pinger, flooder:
 *     espnow_node: done sent S received R lost L dup D send_ok O send_fail F rtt_min A
 *                  rtt_avg B rtt_max C send_err E corrupt K                   (one line)
 *       lost = sent - received; RTT in us, 0 when nothing was received
 *   broadcaster:
 *     espnow_node: done sent S received R send_ok O send_fail F send_err E
 *   echoer:
 *     espnow_node: echoed N
 *   mesh:
 *     espnow_node: mesh rx N tx T fail F       every report ms (F = send_fail)
 *     espnow_node: mesh peer MAC tx T rx R     per peer, before the done line
 *     espnow_node: done sent S received R send_ok O send_fail F send_err E
 *   limits:
 *     espnow_node: limit NAME -> RESULT        RESULT = the raw return value(s)
 *   espnow_node: work crc XXXXXXXX bytes N     espnow_work: before the done line when
 *                                              work > 0 (the CRC of all bytes hashed, N)
 *   espnow_node: finished                      after every done line (and after limits)
 *
 * Context: user_init sets everything up and returns (the ROM's ets_run then idles); the work
 * runs in os_timer callbacks (timer task) and the ESP-NOW callbacks (the SDK's pp task, above
 * the timer task), which never preempt each other. The callbacks copy what they need and print
 * nothing. Sends assume the SDK copies the body before esp_now_send returns (NONOS does), so
 * one transmit buffer serves all of them.
 *
 * State: one static struct node; functions take it first, only the entry points (user_init,
 * the timer and ESP-NOW callbacks) name the instance.
 */
#include <stdlib.h>

#include "espnow.h"
#include "ets_sys.h"
#include "osapi.h"
#include "spi_flash.h"
#include "user_interface.h"

#define CFG_FLASH_OFFSET 0x70000u
#define CFG_SIZE         1024u
#define COUNT_MAX        1000000u
#define TIMER_MS_MAX     6870947u /* os_timer_arm's largest ms value (protocols.md C.6) */
#define MAX_PEERS        20u      /* ESP-NOW peer table (B.5) */
#define BODY_HDR         9u       /* type + seq + time */
#define BODY_MIN         12u
#define BODY_MAX         250u /* ESP-NOW body limit (B.1) */
#define MAC_LEN          6u
#define KEY_LEN          16u /* LMK and KOK bytes (B.5) */
#define FLOOD_BURST      2u  /* sends per flood step: the next one and one more for the queue */
#ifdef ESPNOW_NODE_WORK
#define WORK_MAX 16777216u /* work=BYTES limit */
#define WORK_BUF 4096u     /* the buffer the work CRC runs over, cyclically */
#endif

enum role {
    ROLE_IDLE,
    ROLE_PINGER,
    ROLE_ECHOER,
    ROLE_BROADCASTER,
    ROLE_FLOODER,
    ROLE_MESH,
    ROLE_LIMITS,
    ROLE_COUNT
};

static const char *const role_names[ROLE_COUNT] = {
    "idle", "pinger", "echoer", "broadcaster", "flooder", "mesh", "limits",
};

struct config {
    enum role role;
    bool has_peer, has_key, has_kok;
    uint8 peer[MAC_LEN];
    uint8 peers[MAX_PEERS][MAC_LEN];
    uint32 n_peers;
    uint8 key[KEY_LEN];
    uint8 kok[KEY_LEN];
    uint32 count, interval_ms, len, channel, start_ms, wait_ms, report_ms;
#ifdef ESPNOW_NODE_WORK
    uint32 work;
#endif
};

struct stats {
    uint32 sent, received, dup, send_ok, send_fail, send_err, corrupt;
    uint32 rtt_min_us, rtt_max_us;
    uint64 rtt_sum_us;
};

struct node {
    struct config cfg;
    struct stats st;
    uint8 mac[MAC_LEN];
    uint32 next_seq;  /* frames attempted so far (= the next sequence number, but for mesh) */
    bool sending;     /* between the first send and the last */
    uint8 *seen;      /* pinger, flooder: bitmap of the sequence numbers echoed, count bits */
    uint32 mesh_next; /* index of the peer the next mesh frame goes to */
    uint32 mesh_seq[MAX_PEERS];                    /* mesh: next sequence number per peer */
    uint32 mesh_tx[MAX_PEERS], mesh_rx[MAX_PEERS]; /* mesh: frames queued to / valid from */
    uint32 echoed, echoed_reported;
    os_timer_t start_timer, tick_timer, end_timer, report_timer;
    uint8 tx[BODY_MAX + 1]; /* + 1: limits sends one byte too many */
#ifdef ESPNOW_NODE_WORK
    uint32 work_crc;  /* CRC-32 state (not inverted) of all work so far */
    uint32 work_pos;  /* next byte of work_buf */
    uint64 work_done; /* bytes hashed */
    uint32 crc_table[256];
    uint8 work_buf[WORK_BUF];
#endif
};

static struct node node;

/* ---- little helpers ---------------------------------------------------------------------- */

static void put_le32(uint8 *p, uint32 v)
{
    p[0] = (uint8)v;
    p[1] = (uint8)(v >> 8);
    p[2] = (uint8)(v >> 16);
    p[3] = (uint8)(v >> 24);
}

static uint32 get_le32(const uint8 *p)
{
    return (uint32)p[0] | (uint32)p[1] << 8 | (uint32)p[2] << 16 | (uint32)p[3] << 24;
}

static bool mac_eq(const uint8 *a, const uint8 *b)
{
    for (uint32 i = 0; i < MAC_LEN; i++)
        if (a[i] != b[i]) return false;
    return true;
}

/* 02:00:00:00:hi:lo — locally administered addresses nobody has, for the limits checks. */
static void fake_mac(uint8 *mac, uint32 i)
{
    mac[0] = 0x02;
    mac[1] = mac[2] = mac[3] = 0;
    mac[4] = (uint8)(i >> 8);
    mac[5] = (uint8)i;
}

/* ---- config parsing ------------------------------------------------------------------------ */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Exactly 2 * n hex digits and the end of the string. */
static bool parse_hex(const char *s, uint8 *out, uint32 n)
{
    for (uint32 i = 0; i < n; i++) {
        int hi = hex_digit(s[2 * i]), lo = hi < 0 ? -1 : hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = (uint8)(hi << 4 | lo);
    }
    return s[2 * n] == 0;
}

/* aa:bb:cc:dd:ee:ff (two hex digits per byte, either case) ending at `end`; *next = past it. */
static bool parse_mac_at(const char *s, uint8 *mac, char end, const char **next)
{
    for (uint32 i = 0; i < MAC_LEN; i++) {
        int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);
        if (hi < 0 || lo < 0) return false;
        mac[i] = (uint8)(hi << 4 | lo);
        s += 2;
        if (i + 1 < MAC_LEN && *s++ != ':') return false;
    }
    if (*s != end && *s != 0) return false;
    *next = s;
    return true;
}

static bool parse_mac(const char *s, uint8 *mac)
{
    const char *end;
    return parse_mac_at(s, mac, 0, &end) && *end == 0;
}

/* MAC,MAC,... : 1..MAX_PEERS addresses. */
static bool parse_mac_list(const char *s, struct config *c)
{
    c->n_peers = 0;
    for (;;) {
        if (c->n_peers == MAX_PEERS) return false;
        if (!parse_mac_at(s, c->peers[c->n_peers++], ',', &s)) return false;
        if (*s == 0) return true;
        s++; /* ',' */
    }
}

/* A decimal number in [min, max], nothing else. */
static bool parse_u32(const char *s, uint32 min, uint32 max, uint32 *out)
{
    uint32 v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        uint32 d = (uint32)(*s - '0');
        if (v > (0xFFFFFFFFu - d) / 10u) return false;
        v = v * 10u + d;
    }
    if (v < min || v > max) return false;
    *out = v;
    return true;
}

static bool parse_role(const char *s, enum role *r)
{
    for (uint32 i = 0; i < ROLE_COUNT; i++)
        if (!os_strcmp(s, role_names[i])) {
            *r = (enum role)i;
            return true;
        }
    return false;
}

/* One key=value; false if the key is unknown or the value malformed. */
static bool config_set(struct config *c, const char *key, const char *val)
{
    if (!os_strcmp(key, "role")) return parse_role(val, &c->role);
    if (!os_strcmp(key, "peer")) return (c->has_peer = parse_mac(val, c->peer));
    if (!os_strcmp(key, "peers")) return parse_mac_list(val, c);
    if (!os_strcmp(key, "count")) return parse_u32(val, 0, COUNT_MAX, &c->count);
    if (!os_strcmp(key, "interval")) return parse_u32(val, 1, TIMER_MS_MAX, &c->interval_ms);
    if (!os_strcmp(key, "len")) return parse_u32(val, BODY_MIN, BODY_MAX, &c->len);
    if (!os_strcmp(key, "channel")) return parse_u32(val, 1, 14, &c->channel);
    if (!os_strcmp(key, "key")) return (c->has_key = parse_hex(val, c->key, KEY_LEN));
    if (!os_strcmp(key, "kok")) return (c->has_kok = parse_hex(val, c->kok, KEY_LEN));
    if (!os_strcmp(key, "start")) return parse_u32(val, 0, TIMER_MS_MAX, &c->start_ms);
    if (!os_strcmp(key, "wait")) return parse_u32(val, 0, TIMER_MS_MAX, &c->wait_ms);
    if (!os_strcmp(key, "report")) return parse_u32(val, 1, TIMER_MS_MAX, &c->report_ms);
#ifdef ESPNOW_NODE_WORK
    if (!os_strcmp(key, "work")) return parse_u32(val, 0, WORK_MAX, &c->work);
#endif
    return false;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parses text (modified in place) into c. On an error prints "bad config KEY" and returns
 * false; c is then to be discarded. */
static bool config_parse(struct config *c, char *text)
{
    char *p = text;
    for (;;) {
        while (is_space(*p))
            p++;
        if (!*p) break;
        char *tok = p, *eq = NULL;
        while (*p && !is_space(*p)) {
            if (*p == '=' && !eq) eq = p;
            p++;
        }
        if (*p) *p++ = 0;
        if (eq) *eq = 0;
        if (!eq || !config_set(c, tok, eq + 1)) {
            if (eq == tok) *eq = '='; /* no key: show the whole token */
            os_printf("espnow_node: bad config %s\n", tok);
            return false;
        }
    }
    if ((c->role == ROLE_PINGER || c->role == ROLE_FLOODER) && !c->has_peer) {
        os_printf("espnow_node: bad config peer\n");
        return false;
    }
    if (c->role == ROLE_MESH && !c->n_peers) {
        os_printf("espnow_node: bad config peers\n");
        return false;
    }
    if (c->role == ROLE_BROADCASTER) os_memset(c->peer, 0xFF, MAC_LEN); /* it sends to peer */
    return true;
}

static void config_defaults(struct config *c)
{
    os_memset(c, 0, sizeof(*c));
    c->role = ROLE_IDLE;
    c->count = 10;
    c->interval_ms = 100;
    c->len = 32;
    c->channel = 1;
    c->start_ms = 500;
    c->wait_ms = 1000;
    c->report_ms = 1000;
}

/* Reads and parses the flash config into n->cfg: the defaults (role idle) if it is absent or
 * anything is wrong with it. Pinger and flooder also get their bitmap here. */
static void config_load(struct node *n)
{
    uint32 raw[CFG_SIZE / 4u + 1u];
    char *text = (char *)raw;
    config_defaults(&n->cfg);
    SpiFlashOpResult r = spi_flash_read(CFG_FLASH_OFFSET, raw, CFG_SIZE);
    if (r != SPI_FLASH_RESULT_OK) {
        os_printf("espnow_node: config read failed %d\n", (int)r);
        return;
    }
    uint32 end = 0;
    while (end < CFG_SIZE && text[end] != 0 && (uint8)text[end] != 0xFF)
        end++;
    text[end] = 0;
    struct config c;
    config_defaults(&c);
    if (!config_parse(&c, text)) return;
    if (c.role == ROLE_PINGER || c.role == ROLE_FLOODER) {
        n->seen = calloc(c.count / 8u + 1u, 1);
        if (!n->seen) {
            os_printf("espnow_node: bad config count\n");
            return;
        }
    }
    n->cfg = c;
}

/* ---- frames -------------------------------------------------------------------------------- */

static void body_fill(uint8 *b, uint8 type, uint32 seq, uint32 len)
{
    b[0] = type;
    put_le32(b + 1, seq);
    put_le32(b + 5, system_get_time());
    for (uint32 i = BODY_HDR; i < len; i++)
        b[i] = (uint8)(seq + i);
}

static bool body_valid(const uint8 *b, uint32 len)
{
    if (len < BODY_MIN) return false;
    uint32 seq = get_le32(b + 1);
    for (uint32 i = BODY_HDR; i < len; i++)
        if (b[i] != (uint8)(seq + i)) return false;
    return true;
}

/* Sends a fresh body of cfg.len bytes; counts sent / send_err. */
static int node_send(struct node *n, uint8 *da, uint8 type, uint32 seq)
{
    body_fill(n->tx, type, seq, n->cfg.len);
    int rc = esp_now_send(da, n->tx, (int)n->cfg.len);
    if (rc)
        n->st.send_err++;
    else
        n->st.sent++;
    return rc;
}

static int node_add_peer(struct node *n, uint8 *mac, bool encrypt)
{
    bool k = encrypt && n->cfg.has_key;
    return esp_now_add_peer(mac, ESP_NOW_ROLE_COMBO, (uint8)n->cfg.channel, k ? n->cfg.key : NULL,
                            k ? KEY_LEN : 0);
}

static void node_add_peer_verbose(struct node *n, uint8 *mac, bool encrypt)
{
    int rc = node_add_peer(n, mac, encrypt);
    if (rc) os_printf("espnow_node: add_peer " MACSTR " failed %d\n", MAC2STR(mac), rc);
}

/* ---- receive ------------------------------------------------------------------------------- */

static void on_echo(struct node *n, const uint8 *data, uint32 len)
{
    uint32 seq = get_le32(data + 1);
    if (!body_valid(data, len) || len != n->cfg.len || seq >= n->cfg.count) {
        n->st.corrupt++;
        return;
    }
    uint8 bit = (uint8)(1u << (seq & 7u));
    if (n->seen[seq >> 3] & bit) {
        n->st.dup++;
        return;
    }
    n->seen[seq >> 3] |= bit;
    uint32 rtt = system_get_time() - get_le32(data + 5);
    if (!n->st.received || rtt < n->st.rtt_min_us) n->st.rtt_min_us = rtt;
    if (rtt > n->st.rtt_max_us) n->st.rtt_max_us = rtt;
    n->st.rtt_sum_us += rtt;
    n->st.received++;
}

static void on_ping(struct node *n, uint8 *mac, const uint8 *data, uint32 len)
{
    if (len < BODY_HDR || len > BODY_MAX) {
        n->st.corrupt++;
        return;
    }
    if (esp_now_is_peer_exist(mac) <= 0) node_add_peer(n, mac, true);
    os_memcpy(n->tx, data, len);
    n->tx[0] = 'E';
    if (esp_now_send(mac, n->tx, (int)len))
        n->st.send_err++;
    else
        n->echoed++;
}

static void on_mesh(struct node *n, const uint8 *mac, const uint8 *data, uint32 len)
{
    if (!body_valid(data, len)) {
        n->st.corrupt++;
        return;
    }
    n->st.received++;
    for (uint32 i = 0; i < n->cfg.n_peers; i++)
        if (mac_eq(mac, n->cfg.peers[i])) {
            n->mesh_rx[i]++;
            break;
        }
}

static void node_recv(struct node *n, uint8 *mac, uint8 *data, uint32 len)
{
    if (!len) return;
    uint8 type = data[0];
    switch (n->cfg.role) {
    case ROLE_PINGER:
    case ROLE_FLOODER:
        if (type == 'E') on_echo(n, data, len);
        break;
    case ROLE_ECHOER:
        if (type == 'P') on_ping(n, mac, data, len);
        break;
    case ROLE_BROADCASTER:
        if (type != 'B') break;
        if (body_valid(data, len))
            n->st.received++;
        else
            n->st.corrupt++;
        break;
    case ROLE_MESH:
        if (type == 'M') on_mesh(n, mac, data, len);
        break;
    default: break;
    }
}

/* ---- sending schedule ---------------------------------------------------------------------- */

/* The last frame went out: the result follows wait ms later. */
#ifdef ESPNOW_NODE_WORK
/* ---- work: a CPU-bound kernel between sends ------------------------------------------------ */

static void work_init(struct node *n)
{
    for (uint32 i = 0; i < 256; i++) {
        uint32 c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        n->crc_table[i] = c;
    }
    uint32 x = 0x12345678u; /* xorshift32: a fixed pseudo-random buffer */
    for (uint32 i = 0; i < WORK_BUF; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        n->work_buf[i] = (uint8)x;
    }
    n->work_crc = 0xFFFFFFFFu;
}

/* CRC-32 over the next `bytes` bytes of work_buf, cyclically (bench/crc32.c's loop). */
static void work_run(struct node *n, uint32 bytes)
{
    uint32 crc = n->work_crc, pos = n->work_pos;
    const uint32 *t = n->crc_table;
    while (bytes) {
        uint32 k = WORK_BUF - pos < bytes ? WORK_BUF - pos : bytes;
        const uint8 *p = n->work_buf + pos;
        bytes -= k;
        n->work_done += k;
        pos = (pos + k) % WORK_BUF;
        while (k--)
            crc = t[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    }
    n->work_crc = crc;
    n->work_pos = pos;
}
#endif

static void sends_done(struct node *n)
{
    if (!n->sending) return;
    n->sending = false;
    os_timer_disarm(&n->tick_timer);
    os_timer_arm(&n->end_timer, n->cfg.wait_ms, 0);
}

static void flood(struct node *n)
{
    for (uint32 i = 0; i < FLOOD_BURST && n->next_seq < n->cfg.count; i++) {
        node_send(n, n->cfg.peer, 'F', n->next_seq);
        n->next_seq++;
    }
    if (n->next_seq >= n->cfg.count) sends_done(n);
}

/* One scheduled send (pinger, broadcaster, mesh); the flooder's tick only restarts a flood that
 * has no send outstanding. */
static void node_tick(struct node *n)
{
    if (!n->sending) return;
    if (n->cfg.role == ROLE_FLOODER) {
        if (n->st.sent == n->st.send_ok + n->st.send_fail) flood(n);
        return;
    }
    if (n->next_seq < n->cfg.count) {
#ifdef ESPNOW_NODE_WORK
        if (n->cfg.work) work_run(n, n->cfg.work);
#endif
        if (n->cfg.role == ROLE_MESH) {
            uint32 i = n->mesh_next;
            if (!node_send(n, n->cfg.peers[i], 'M', n->mesh_seq[i]++)) n->mesh_tx[i]++;
            n->mesh_next = (i + 1u) % n->cfg.n_peers;
        } else {
            node_send(n, n->cfg.peer, n->cfg.role == ROLE_PINGER ? 'P' : 'B', n->next_seq);
        }
        n->next_seq++;
    }
    if (n->next_seq >= n->cfg.count) sends_done(n);
}

static void node_sent(struct node *n, uint8 status)
{
    if (status)
        n->st.send_fail++;
    else
        n->st.send_ok++;
    if (n->cfg.role == ROLE_FLOODER && n->sending) flood(n);
}

/* ---- limits -------------------------------------------------------------------------------- */

static void limit_rc(const char *name, int rc)
{
    os_printf("espnow_node: limit %s -> %d\n", name, rc);
}

/* A batch of calls: "0" when all returned 0, else the first other value and its call. */
static void limit_batch(const char *name, int rc, uint32 at)
{
    if (rc)
        os_printf("espnow_node: limit %s -> %d (call %u)\n", name, rc, at);
    else
        limit_rc(name, 0);
}

static void limit_cnt(const char *name)
{
    uint8 all = 0xFF, enc = 0xFF;
    int rc = esp_now_get_cnt_info(&all, &enc);
    os_printf("espnow_node: limit %s -> rc %d all %u encrypt %u\n", name, rc, all, enc);
}

/* esp_now_add_peer (with key, or none) or, if del, esp_now_del_peer for the fake peers
 * first..last; prints the result (a batch: limit_batch). */
static void limit_peers(struct node *n, const char *name, uint32 first, uint32 last, bool del,
                        uint8 *key)
{
    int bad = 0;
    uint32 at = 0;
    for (uint32 i = first; i <= last; i++) {
        uint8 mac[MAC_LEN];
        fake_mac(mac, i);
        int rc = del ? esp_now_del_peer(mac)
                     : esp_now_add_peer(mac, ESP_NOW_ROLE_COMBO, (uint8)n->cfg.channel, key,
                                        key ? KEY_LEN : 0);
        if (rc && !bad) {
            bad = rc;
            at = i - first + 1u;
        }
    }
    if (first == last)
        limit_rc(name, bad);
    else
        limit_batch(name, bad, at);
}

#define limit_add(n, name, first, last, key) limit_peers((n), (name), (first), (last), false, (key))
#define limit_del(n, name, first, last)      limit_peers((n), (name), (first), (last), true, NULL)

/* Deletes every fake peer 1..last that exists (no output). */
static void limit_clear(uint32 last)
{
    for (uint32 i = 1; i <= last; i++) {
        uint8 mac[MAC_LEN];
        fake_mac(mac, i);
        if (esp_now_is_peer_exist(mac) > 0) esp_now_del_peer(mac);
    }
}

static void limit_opmode(const char *name, uint8 mode)
{
    bool ok = wifi_set_opmode(mode);
    os_printf("espnow_node: limit %s -> %d get %u\n", name, ok ? 1 : 0, wifi_get_opmode());
}

/* Runs every check in order; the peer table is left holding the known peer and two more. */
static void limits_run(struct node *n)
{
    static const uint8 test_key[KEY_LEN] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                                            0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
    static const uint8 other_key[KEY_LEN] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                             0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
    uint8 key[KEY_LEN], known[MAC_LEN], unknown[MAC_LEN], mac[MAC_LEN];
    os_memcpy(key, n->cfg.has_key ? n->cfg.key : test_key, KEY_LEN);
    int rc;

    /* 20 peers in all (B.5) */
    limit_add(n, "add_plain_20", 1, 20, NULL);
    limit_add(n, "add_plain_21st", 21, 21, NULL);
    fake_mac(mac, 21);
    limit_rc("is_peer_exist_21st", esp_now_is_peer_exist(mac));
    limit_cnt("cnt_info_20");
    limit_del(n, "del_plain_20", 1, 20);
    limit_del(n, "del_absent", 21, 21);
    limit_cnt("cnt_info_empty");

    /* encrypted: 10 in station mode, 6 in softAP mode */
    limit_add(n, "add_encrypted_10", 1, 10, key);
    limit_add(n, "add_encrypted_11th", 11, 11, key);
    limit_add(n, "add_plain_after_10_encrypted", 12, 12, NULL);
    limit_cnt("cnt_info_encrypted");
    limit_opmode("set_opmode_softap", SOFTAP_MODE);
    limit_del(n, "del_encrypted_to_6", 7, 10);
    limit_cnt("cnt_info_softap_6");
    limit_add(n, "add_encrypted_7th_softap", 13, 13, key);
    limit_cnt("cnt_info_softap");
    limit_opmode("set_opmode_station", STATION_MODE);
    limit_clear(13);
    limit_cnt("cnt_info_cleared");

    /* sends */
    if (n->cfg.has_peer)
        os_memcpy(known, n->cfg.peer, MAC_LEN);
    else
        fake_mac(known, 100);
    fake_mac(unknown, 200);
    limit_rc("add_known", node_add_peer(n, known, false));
    body_fill(n->tx, 'L', 0, BODY_MAX + 1u);
    limit_rc("send_251_known", esp_now_send(known, n->tx, BODY_MAX + 1));
    limit_rc("send_unknown", esp_now_send(unknown, n->tx, (int)n->cfg.len));
    body_fill(n->tx, 'L', 1, BODY_MAX);
    limit_rc("send_250_known", esp_now_send(known, n->tx, BODY_MAX));
    limit_rc("is_peer_exist_known", esp_now_is_peer_exist(known));
    limit_rc("is_peer_exist_unknown", esp_now_is_peer_exist(unknown));

    /* the peer list */
    limit_add(n, "add_two_more", 101, 102, NULL);
    uint32 fetched = 0;
    for (u8 *p = esp_now_fetch_peer(true); p && fetched < 2u * MAX_PEERS;
         p = esp_now_fetch_peer(false))
        fetched++;
    limit_rc("fetch_peer_count", (int)fetched);

    /* per-peer settings round trips */
    uint8 ch = (uint8)(n->cfg.channel % 13u + 1u);
    rc = esp_now_set_peer_channel(known, ch);
    os_printf("espnow_node: limit peer_channel -> set %d get %d (wanted %u)\n", rc,
              esp_now_get_peer_channel(known), ch);
    esp_now_set_peer_channel(known, (uint8)n->cfg.channel);
    rc = esp_now_set_peer_role(known, ESP_NOW_ROLE_SLAVE);
    os_printf("espnow_node: limit peer_role -> set %d get %d\n", rc, esp_now_get_peer_role(known));
    esp_now_set_peer_role(known, ESP_NOW_ROLE_COMBO);
    os_memcpy(key, other_key, KEY_LEN);
    rc = esp_now_set_peer_key(known, key, KEY_LEN);
    uint8 got[KEY_LEN], got_len = 0;
    os_memset(got, 0, sizeof(got));
    int rc2 = esp_now_get_peer_key(known, got, &got_len);
    os_printf("espnow_node: limit peer_key -> set %d get %d len %u match %d\n", rc, rc2, got_len,
              !os_memcmp(got, other_key, KEY_LEN));
    limit_rc("peer_channel_unknown", esp_now_get_peer_channel(unknown));
    limit_rc("peer_role_unknown", esp_now_get_peer_role(unknown));
    rc = esp_now_set_self_role(ESP_NOW_ROLE_CONTROLLER);
    os_printf("espnow_node: limit self_role -> set %d get %d\n", rc, esp_now_get_self_role());
    esp_now_set_self_role(ESP_NOW_ROLE_COMBO);
}

/* ---- results ------------------------------------------------------------------------------- */

static void print_done(struct node *n)
{
    const struct stats *s = &n->st;
#ifdef ESPNOW_NODE_WORK
    if (n->cfg.work)
        os_printf("espnow_node: work crc %08x bytes %u\n", ~n->work_crc, (uint32)n->work_done);
#endif
    switch (n->cfg.role) {
    case ROLE_PINGER:
    case ROLE_FLOODER:
        os_printf("espnow_node: done sent %u received %u lost %u dup %u send_ok %u send_fail %u "
                  "rtt_min %u rtt_avg %u rtt_max %u send_err %u corrupt %u\n",
                  s->sent, s->received, s->sent > s->received ? s->sent - s->received : 0, s->dup,
                  s->send_ok, s->send_fail, s->rtt_min_us,
                  s->received ? (uint32)(s->rtt_sum_us / s->received) : 0, s->rtt_max_us,
                  s->send_err, s->corrupt);
        break;
    case ROLE_MESH:
        for (uint32 i = 0; i < n->cfg.n_peers; i++)
            os_printf("espnow_node: mesh peer " MACSTR " tx %u rx %u\n", MAC2STR(n->cfg.peers[i]),
                      n->mesh_tx[i], n->mesh_rx[i]);
        /* fall through */
    case ROLE_BROADCASTER:
        os_printf("espnow_node: done sent %u received %u send_ok %u send_fail %u send_err %u\n",
                  s->sent, s->received, s->send_ok, s->send_fail, s->send_err);
        break;
    case ROLE_LIMITS:
        os_printf("espnow_node: limit send_cb -> ok %u fail %u\n", s->send_ok, s->send_fail);
        break;
    default: break;
    }
}

/* ---- entry points -------------------------------------------------------------------------- */

static void recv_cb(u8 *mac, u8 *data, u8 len)
{
    node_recv(&node, mac, data, len);
}

static void send_cb(u8 *mac, u8 status)
{
    (void)mac;
    node_sent(&node, status);
}

static void start_cb(void *arg)
{
    struct node *n = arg;
    if (n->cfg.role == ROLE_LIMITS) {
        limits_run(n);
        os_timer_arm(&n->end_timer, n->cfg.wait_ms, 0);
        return;
    }
    n->sending = true;
    if (n->cfg.role == ROLE_FLOODER)
        flood(n);
    else
        node_tick(n);
    if (n->sending) os_timer_arm(&n->tick_timer, n->cfg.interval_ms, 1);
}

static void tick_cb(void *arg)
{
    node_tick(arg);
}

static void end_cb(void *arg)
{
    struct node *n = arg;
    os_timer_disarm(&n->report_timer);
    print_done(n);
    os_printf("espnow_node: finished\n");
}

static void report_cb(void *arg)
{
    struct node *n = arg;
    if (n->cfg.role == ROLE_MESH) {
        os_printf("espnow_node: mesh rx %u tx %u fail %u\n", n->st.received, n->st.sent,
                  n->st.send_fail);
    } else if (n->echoed != n->echoed_reported) {
        n->echoed_reported = n->echoed;
        os_printf("espnow_node: echoed %u\n", n->echoed);
    }
}

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void ICACHE_FLASH_ATTR user_init(void)
{
    struct node *n = &node;
    config_load(n);
    const struct config *c = &n->cfg;
#ifdef ESPNOW_NODE_WORK
    if (c->work) work_init(n);
#endif

    wifi_set_opmode(STATION_MODE);
    wifi_set_channel((uint8)c->channel);
    int rc = esp_now_init();
    if (rc) os_printf("espnow_node: esp_now_init failed %d\n", rc);
    if (c->has_kok && (rc = esp_now_set_kok(n->cfg.kok, KEY_LEN)) != 0)
        os_printf("espnow_node: esp_now_set_kok failed %d\n", rc);
    esp_now_set_self_role(ESP_NOW_ROLE_COMBO);
    esp_now_register_send_cb(send_cb);
    esp_now_register_recv_cb(recv_cb);
    os_memset(n->mac, 0, MAC_LEN);
    wifi_get_macaddr(STATION_IF, n->mac);
    os_printf("espnow_node: role %s mac " MACSTR " channel %u\n", role_names[c->role],
              MAC2STR(n->mac), wifi_get_channel());

    switch (c->role) {
    case ROLE_PINGER:
    case ROLE_FLOODER: node_add_peer_verbose(n, n->cfg.peer, true); break;
    case ROLE_BROADCASTER:
        node_add_peer_verbose(n, n->cfg.peer, false); /* broadcast: never encrypted */
        break;
    case ROLE_MESH:
        for (uint32 i = 0; i < c->n_peers; i++)
            node_add_peer_verbose(n, n->cfg.peers[i], true);
        break;
    case ROLE_ECHOER: /* an encrypted peer must be known before its first frame (B.5) */
        if (c->has_peer) node_add_peer_verbose(n, n->cfg.peer, true);
        break;
    default: break;
    }

    os_timer_setfn(&n->start_timer, start_cb, n);
    os_timer_setfn(&n->tick_timer, tick_cb, n);
    os_timer_setfn(&n->end_timer, end_cb, n);
    os_timer_setfn(&n->report_timer, report_cb, n);
    if (c->role != ROLE_IDLE && c->role != ROLE_ECHOER)
        os_timer_arm(&n->start_timer, c->start_ms, 0);
    if (c->role == ROLE_ECHOER || c->role == ROLE_MESH)
        os_timer_arm(&n->report_timer, c->report_ms, 1);
}
