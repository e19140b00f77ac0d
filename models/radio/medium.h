/* models/radio/medium.h — the 802.11 medium that carries ESP-NOW between nodes (reference/
 * protocols.md B.1-B.3; architecture.md §2, §5). One instance per world; never a global.
 *
 * Ports. Every node's radio is a port: its MAC, channel (1-14), position (m), radio on/off and a
 * partition group. A port submits MPDUs (with FCS) to its transmit queue; the medium runs DCF
 * for it and tells it when the frame is done (ACKed, or broadcast sent, or given up), and hands
 * intact frames addressed to a port (its MAC, or a group address) to that port's rx callback.
 *
 * Time. The medium schedules its events on a sim_sched given at init (the world's queue), in
 * global ps. A port submits at its own global time t >= the queue's current time; nothing the
 * medium does for that frame becomes visible to another port before t + DIFS (50 us):
 * radio_medium_min_latency_ps() is the longest world step that keeps cross-node effects exact.
 * Equal-time events are ordered by (prio, scheduling order) so results never depend on the host.
 *
 * DCF (802.11b, protocols.md B.3; all configurable): a frame waits DIFS plus a backoff of
 * uniform [0, cw] slots (cw starts at cw_min) from its submission or, if the port is busy, from
 * the end of its previous frame. The channel is busy at a port while a transmission it can hear
 * is on the air (sensed from RADIO_CCA_PS after its start, i.e. at times t >= start + CCA) and
 * until the end of the time that transmission's Duration field reserves (NAV: a unicast frame
 * reserves SIFS + its ACK, even for ports that cannot hear the ACK). If the channel was busy at
 * any time during the wait, the countdown froze: the whole slots that had elapsed idle after
 * DIFS before the busy period began count, and the rest follow DIFS after the channel is idle
 * again (repeated while it stays busy). A unicast data frame is
 * answered by an ACK from its receiver SIFS after its end (if the receiver got it intact, its
 * radio is on and on the same channel; ESP-NOW state does not matter, B.3). No ACK by
 * end + SIFS + ACK airtime + one slot: retransmit with the Retry bit set and the same sequence
 * number (FCS recomputed), cw = min(2 cw + 1, cw_max), up to retry_limit retransmissions, then
 * the frame fails. Group frames are sent once and never ACKed; they complete OK at their end.
 * A receiver filters retransmissions it already has (same addr2 and sequence number with Retry
 * set): they are ACKed again but not handed up (counted as dup_filtered).
 *
 * Reception of a frame at port r (on r's channel c_r, from a sender on c_s): the received power
 * is P = tx_power - pathloss - adjacent_leak_db * |c_s - c_r|; a different channel with
 * adjacent_leak_db == 0 is never heard (cause CHANNEL). Path loss: `perfect` and `loss` models
 * give P = rssi (fixed); `log-distance` gives ref_loss + 10 exponent log10(max(d, 1 m)) plus a
 * shadowing term drawn per port pair from N(0, shadowing^2) (redrawn when either moves). The
 * frame is lost (cause WEAK) if P < sensitivity or P - noise < capture_db (too weak even alone);
 * (COLLISION) if r transmitted during it, or
 * P - 10 log10(10^(noise/10) + sum of overlapping powers at r) < capture_db (SINR); (LINK) by the
 * link model's draw: `loss` and every model with a per-link loss use the directed link's
 * probability, Gilbert-Elliott links step their two-state chain once per frame on the link
 * (precedence: the link's chain, the link's loss, the default chain, the default loss);
 * (OFF) if r's radio is off or r is in another partition group (such frames are not heard at
 * all: no interference, no carrier sense). ACKs travel the reverse link with the same rules.
 *
 * Random draws come from streams of (seed, purpose, port/link) (sim/rng.h): "backoff" per port,
 * "loss" per directed link, "shadow" per pair; adding a port does not change other draws.
 */
#ifndef MODELS_RADIO_MEDIUM_H
#define MODELS_RADIO_MEDIUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "radio/frame.h"
#include "sched.h"

#define RADIO_SLOT_PS     20000000ull /* 20 us */
#define RADIO_SIFS_PS     10000000ull /* 10 us */
#define RADIO_DIFS_PS     50000000ull /* SIFS + 2 slots */
#define RADIO_CCA_PS      15000000ull /* aCCATime: a transmission is sensed this long after start */
#define RADIO_MAX_PORTS   4096u
#define RADIO_LAT_BUCKETS 281u /* latency histogram, see radio_link_stats */

typedef enum radio_model {
    RADIO_MODEL_PERFECT =
        0,            /* every frame on the channel arrives at rssi (collisions still count) */
    RADIO_MODEL_LOSS, /* as perfect, plus a loss probability per directed link */
    RADIO_MODEL_LOG_DISTANCE, /* positions, path loss, sensitivity, SINR; per-link loss too */
} radio_model;

/* Why a frame did not reach a port (per transmission and addressed receiver). */
typedef enum radio_cause {
    RADIO_CAUSE_LINK = 0,  /* the link model's loss draw (loss matrix, Gilbert-Elliott) */
    RADIO_CAUSE_COLLISION, /* SINR below capture_db, or the receiver was transmitting */
    RADIO_CAUSE_CHANNEL,   /* receiver on another channel (and no leakage heard) */
    RADIO_CAUSE_WEAK,      /* received power below the receiver's sensitivity */
    RADIO_CAUSE_OFF,       /* receiver radio off, powered down or partitioned away */
    RADIO_CAUSE_KEY,       /* receiver dropped it: no key or wrong key (reported by its rx) */
    RADIO_CAUSE_QUEUE,     /* a queue was full: sender's tx queue, or receiver's rx buffer */
    RADIO_CAUSE_FILTERED,  /* receiver's software ignored it (e.g. ESP8266 and broadcast, B.3) */
    RADIO_CAUSE_COUNT
} radio_cause;

const char *radio_cause_name(radio_cause c); /* "link", "collision", "channel", "weak", "off",
                                                "key", "queue", "filtered" */

typedef struct radio_ge {
    bool on;
    double p_gb, p_bg;          /* per frame: good->bad, bad->good */
    double loss_good, loss_bad; /* loss probability in each state */
} radio_ge;

typedef struct radio_medium_config {
    uint64_t seed;
    radio_model model;
    unsigned rate_kbps;      /* 1000 (default), 2000, 5500, 11000 */
    bool short_preamble;     /* default false: long preamble, 192 us */
    double loss;             /* default loss probability of every directed link (0..1) */
    radio_ge ge;             /* default Gilbert-Elliott chain of every link (off by default) */
    double rssi_dbm;         /* perfect/loss: received power (default -40) */
    double tx_power_dbm;     /* log-distance: default 20 */
    double exponent;         /* default 3.0 */
    double ref_loss_db;      /* path loss at 1 m, default 40 */
    double shadowing_db;     /* sigma, default 0 */
    double noise_dbm;        /* default -98 */
    double sensitivity_dbm;  /* default -95 */
    double capture_db;       /* SINR needed to decode, default 10 */
    double adjacent_leak_db; /* dB per channel of separation; 0 (default) = none */
    unsigned retry_limit;    /* retransmissions of a unicast frame, default 5 */
    unsigned cw_min, cw_max; /* default 31, 1023 */
    unsigned queue;          /* per-port transmit queue (frames), default 16 */
} radio_medium_config;

/* Fills the defaults above. */
void radio_medium_config_default(radio_medium_config *c);

/* What a receiving port gets: the MPDU as it was on the air (FCS included; protected frames
 * still encrypted; Retry may be set), at the end of its airtime. */
typedef struct radio_rx_info {
    uint64_t t_ps; /* end of the frame (global) */
    const uint8_t *mpdu;
    size_t len;
    unsigned channel; /* the sender's */
    int rssi_dbm;     /* received power, rounded toward -inf */
    size_t from;      /* sender port index */
} radio_rx_info;

typedef struct radio_port_ops {
    /* A frame for this port arrived intact. Returns RADIO_CAUSE_COUNT if the port took it, or
     * the cause it dropped it for (KEY, QUEUE, FILTERED), which the medium counts. */
    radio_cause (*rx)(void *opaque, const radio_rx_info *rx);
    /* A submitted frame is done at t_ps: ok = ACK received (unicast) or sent (group);
     * retries = retransmissions made. */
    void (*tx_done)(void *opaque, uint64_t t_ps, uint32_t tag, bool ok, unsigned retries);
} radio_port_ops;

/* Statistics of one directed link (sender -> addressed receiver). For unicast every field
 * counts; a group frame counts once on the link to every other port (sent, tx, delivered or
 * lost by cause). */
typedef struct radio_link_stats {
    uint64_t sent;      /* frames submitted (queue-full refusals included) */
    uint64_t tx;        /* transmissions, retries included */
    uint64_t retries;   /* retransmissions */
    uint64_t acked;     /* unicast frames that got their ACK */
    uint64_t failed;    /* unicast frames given up after retry_limit */
    uint64_t delivered; /* frames handed to the receiver and taken (duplicates excluded) */
    uint64_t dup_filtered;
    uint64_t acks_lost;               /* ACKs sent by the receiver that the sender did not get */
    uint64_t lost[RADIO_CAUSE_COUNT]; /* transmissions the receiver did not get or take */
    /* Latency (submission to ACK, or to delivery for group frames) in us: buckets of 10 us
     * below 1 ms (0..99), of 100 us below 10 ms (100..189), of 1 ms below 100 ms (190..279),
     * and >= 100 ms (280). */
    uint32_t lat[RADIO_LAT_BUCKETS];
    uint64_t lat_count;
    uint64_t lat_max_ps;
} radio_link_stats;

/* The upper bound in us of the bucket holding the p-th percentile (0 < p <= 100) of s's
 * latencies, capped at the exact maximum (rounded up to whole us), which p = 100 gives; 0 if
 * there are none. */
uint64_t radio_link_stats_percentile_us(const radio_link_stats *s, double p);

/* One transmission on the air, reported to the observer at its end (air.pcap, events). */
typedef struct radio_air_info {
    uint64_t t_start_ps, t_end_ps;
    size_t from;
    const uint8_t *mpdu;
    size_t len;
    unsigned channel, rate_kbps;
    bool is_ack;
    /* the addressed receiver's outcome (unicast: the port whose MAC is addr1, SIZE_MAX if
     * none; group: SIZE_MAX): */
    size_t to;
    bool received;     /* unicast: to got it intact; group: at least one port did */
    radio_cause cause; /* if !received and to != SIZE_MAX */
    int rssi_dbm;      /* at to (unicast) or the strongest receiver (group); tx power if none */
} radio_air_info;

typedef struct radio_medium radio_medium;

/* Creates a medium whose events go on sched (prio 0 is used for all its events). NULL on
 * allocation failure or an invalid config (err gets a one-line reason: rate, cw, loss range). */
radio_medium *radio_medium_new(const radio_medium_config *cfg, sim_sched *sched, char *err,
                               size_t errsize);
void radio_medium_free(radio_medium *m);

/* Longest world step that keeps every cross-port effect at its exact time (DIFS). */
uint64_t radio_medium_min_latency_ps(const radio_medium *m);

/* The Duration field of a unicast frame: SIFS + ACK airtime at the medium's rate, in us (rounded
 * up). */
uint16_t radio_medium_ack_duration_us(const radio_medium *m);

/* Adds a port (index = order of addition, < RADIO_MAX_PORTS). Radio on, position (0,0,0),
 * partition group 0. Returns its index, or SIZE_MAX on failure. */
size_t radio_medium_add_port(radio_medium *m, const uint8_t mac[RADIO_MAC_LEN], unsigned channel,
                             const radio_port_ops *ops, void *opaque);
size_t radio_medium_port_count(const radio_medium *m);
/* The port with this MAC, or SIZE_MAX. */
size_t radio_medium_find(const radio_medium *m, const uint8_t mac[RADIO_MAC_LEN]);

/* Runtime changes (at the sched's current time; frames already on the air are judged by the
 * state at their end). Invalid indexes or values return false and change nothing. */
bool radio_medium_set_mac(radio_medium *m, size_t port, const uint8_t mac[RADIO_MAC_LEN]);
bool radio_medium_set_channel(radio_medium *m, size_t port, unsigned channel);
unsigned radio_medium_channel(const radio_medium *m, size_t port);
/* Off: the port neither hears nor sends; its queued frames fail (tx_done ok=false) when their
 * attempt comes. */
bool radio_medium_set_radio(radio_medium *m, size_t port, bool on);
bool radio_medium_set_position(radio_medium *m, size_t port, double x, double y, double z);
/* Groups: ports in different groups do not hear each other. heal = every port in group 0. */
bool radio_medium_set_group(radio_medium *m, size_t port, unsigned group);
void radio_medium_heal(radio_medium *m);
/* Directed link loss (overrides the default) and Gilbert-Elliott chain. */
bool radio_medium_set_link_loss(radio_medium *m, size_t from, size_t to, double loss);
bool radio_medium_set_link_ge(radio_medium *m, size_t from, size_t to, const radio_ge *ge);

/* Submits an MPDU (unprotected or protected, with a valid FCS, <= RADIO_MPDU_MAX bytes) at
 * global time t_ps; tag comes back in tx_done. Returns false, counting RADIO_CAUSE_QUEUE, if the
 * port's queue is full (then no tx_done follows), or if the frame is invalid. */
bool radio_medium_send(radio_medium *m, size_t port, uint64_t t_ps, const uint8_t *mpdu, size_t len,
                       uint32_t tag);
/* Frames waiting or in progress at a port. */
size_t radio_medium_queued(const radio_medium *m, size_t port);

/* Statistics of the directed link, NULL if nothing has happened on it. */
const radio_link_stats *radio_medium_link(const radio_medium *m, size_t from, size_t to);

/* Observers (each may be NULL): on_air for every transmission (data and ACK) at its end;
 * on_rx for every intact reception by a port (before its rx callback; ACKs to it included). */
void radio_medium_observe(radio_medium *m, void (*on_air)(void *opaque, const radio_air_info *a),
                          void (*on_rx)(void *opaque, size_t port, const radio_rx_info *rx),
                          void *opaque);

#endif
