/* sim/scenario.h — a parsed, validated scenario file (docs/scenarios.md is the user reference).
 *
 * A scenario (YAML, parsed with libyaml) names nodes with their firmware, a timeline of actions
 * at virtual times or on triggers, and ordered expectation steps. scn_load parses AND validates:
 * every error is one line "FILE:LINE:COL: KEY: problem" (1-based; the position of the offending
 * node), unknown keys and out-of-range values are errors, every duration carries a unit
 * (sim_parse_duration), regexes are compiled (POSIX extended) at load time. A loaded scenario is
 * immutable; the runner keeps its own state.
 *
 * Version 1 keys (all times are durations with a unit):
 *   version: 1            name: TEXT            seed: N (default 1)     duration: DURATION
 *   nodes: [ {name, firmware | flash, cpu_mhz 80|160, clock_ppm -500..500, boot_offset,
 *            uart: [ {at: DURATION, text: TEXT} ... ],   (UART0 input)
 *            rtc: {ppm: -300000..300000, wander_ppm: 0..10000, cal_jitter_ppm: 0..10000,
 *                  counter: 0..4294967295}, gpio16_rst: true|false} ]
 *   timeline: [ {at: DURATION | on: {node, serial: REGEX}, delay: DURATION,
 *               action: reset | power-off | power-on | crash | uart-inject | gpio,
 *               node: NAME, kind: halt|hang|exception|reset|power-cycle (crash),
 *               text: TEXT (uart-inject), off_for: DURATION (power-cycle),
 *               pin: 0..15, level: 0|1|low|high|release (gpio)} ]
 *   wires:    [ {name, pullup: true|false, pins: [ {node, pin: 0..16|rst} ... ]} ]
 *   asi2c:    [ {name, node, pins: {scl, sda, syn, ack}, reset: true|false, reset_level: 0|1,
 *               reset_pulse, t_poll, rxbufsize: 1..32767, arm_delay, app_read_delay,
 *               compat: none|micropython-v3, stats_every: DURATION,
 *               traffic: {lines: N, every: DURATION, length: 8..1000, start: DURATION}} ]
 *   timeline actions also: asi2c-send {peer, text} | asi2c-fault {peer, kind:
 *               nack|stretch|sync-stuck|oversize, count: N (nack), duration (stretch,
 *               sync-stuck), level: 0|1 (sync-stuck)}; trigger also on: {peer, exchange: N}
 *   expect:   [ {wait-serial: {node, pattern: REGEX, timeout: DURATION}}
 *             | {expect-exit: {node, kind: fault|halt|any, cause: N, timeout: DURATION}}
 *             | {expect-reset-reason: {node, reason: NAME, timeout: DURATION}}
 *             | {counter: {node, pattern: REGEX, min: N, max: N}}
 *             | {wait-gpio: {node, pin: 0..15, level: 0|1|low|high, timeout: DURATION}}
 *             | {wait-asi2c: {peer, pattern: REGEX, timeout: DURATION}} (a line the peer got)
 *             | {counter: {peer, pattern | stat: NAME, min, max}} ]
 *   nodes[] also: mac: "aa:bb:cc:dd:ee:ff", channel: 1..14, position: [x, y] | [x, y, z] (m),
 *            config: {KEY: scalar, ...} (text in flash at 0x70000)
 *   radio:    {model: perfect|loss|log-distance, rate: 1|2|5.5|11 (Mb/s), channel: 1..14,
 *              short_preamble, loss: 0..1, ge: {p_gb, p_bg, loss_good, loss_bad}, rssi,
 *              tx_power, exponent, ref_loss, shadowing, noise, sensitivity, capture (dB/dBm),
 *              adjacent_leak (dB per channel), retry_limit, cw_min, cw_max, queue, rx_queue,
 *              rx_broadcast, node_pcap, stats_every,
 *              links: [ {from, to, both, loss, ge} ]}
 *   timeline actions also: radio-off | radio-on {node} | move {node, position} |
 *              partition {groups: [[NAME, ...], ...]} | heal | link-loss {from, to, loss, both}
 * Paths (firmware, flash) are relative to the scenario file's directory, or found on the
 * firmware search path given to scn_load (colon-separated directories).
 * Further rules: `node` may be left out when there is exactly one node; `on.node` defaults to
 * the entry's `node`; `delay` also works with `at` (at + delay <= duration); `cause` alone
 * implies kind fault and must be 0..63; a counter needs min, max or both (no max = unlimited);
 * `name` defaults to the file name; `off_for` only with power-cycle; boot_offset <= duration;
 * uart[].at is global virtual time; node names are 1-64 characters [A-Za-z0-9_.-] starting with
 * a letter or digit (they become file names); integers are plain YAML (a quoted "160" is not).
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCN_VERSION 1

typedef struct scn_pos {
    unsigned line, col; /* 1-based; 0 if unknown */
} scn_pos;

typedef struct scn_regex {
    char *text;
    regex_t re;
    bool compiled;
} scn_regex;

typedef struct scn_uart_input {
    uint64_t at_ps;
    char *text; /* bytes to inject (escapes such as \n already decoded by YAML) */
    size_t len;
} scn_uart_input;

typedef struct scn_node {
    scn_pos pos;
    char *name;
    char *firmware; /* resolved path, or NULL */
    char *flash;    /* resolved path of a flash dump, or NULL */
    uint32_t cpu_mhz;
    int32_t clock_ppm;
    uint64_t boot_offset_ps;
    scn_uart_input *uart;
    size_t nuart;
    /* rtc: {ppm, wander_ppm, cal_jitter_ppm, counter} (the RTC slow clock); unset ppm = drawn
     * from the seed, unset jitter = the model's default */
    bool rtc_ppm_set, rtc_jitter_set;
    int32_t rtc_ppm;         /* -300000 .. 300000 */
    uint32_t rtc_wander_ppm; /* per minute, 0 .. 10000 */
    uint32_t rtc_jitter_ppm; /* 0 .. 10000 */
    uint32_t rtc_counter;    /* counter value after power-on */
    bool gpio16_rst;         /* the board wires GPIO16 to RST (deep-sleep wake) */
    /* radio (docs/scenarios.md "Radio"): MAC (default 5c:cf:7f + 3 bytes of the node index + 1),
     * Wi-Fi channel after reset (0 = radio.channel), position in m */
    bool mac_set, pos_set;
    uint8_t mac[6];
    unsigned channel;
    double xyz[3];
    /* config: key/value pairs written as "key=value\n" text (NUL-terminated) to flash at
     * SCN_CONFIG_ADDR before boot, for firmware that reads its role from flash */
    char *config;
    size_t config_len;
} scn_node;

#define SCN_CONFIG_ADDR 0x70000u
#define SCN_CONFIG_MAX  1024u

/* A pin in a wire (GPIO0..16, or SCN_PIN_RST). */
#define SCN_PIN_RST 17u
typedef struct scn_wire_pin {
    size_t node;
    unsigned pin;
} scn_wire_pin;

typedef struct scn_wire {
    scn_pos pos;
    char *name;
    bool pullup; /* a board pull-up on the net */
    scn_wire_pin *pins;
    size_t npins;
} scn_wire;

typedef enum scn_compat { SCN_COMPAT_NONE, SCN_COMPAT_MICROPYTHON_V3 } scn_compat;

/* An asi2c Initiator (the Pyboard side, models/i2c/asi2c.h) wired to a responder node. */
typedef struct scn_asi2c {
    scn_pos pos;
    char *name;
    size_t node;                 /* the responder */
    unsigned scl, sda, syn, ack; /* the responder's GPIOs (0, 2, 5, 4) */
    bool reset;                  /* the reset line drives the responder's RST (true) */
    int reset_level;             /* active level (0) */
    uint64_t reset_pulse_ps;     /* 200 ms */
    uint64_t t_poll_ps;          /* 100 ms */
    uint32_t rxbufsize;          /* 200 */
    bool arm_set, read_set;
    uint64_t arm_ps, app_read_ps; /* model defaults unless set */
    scn_compat compat;
    uint64_t stats_every_ps; /* 0 = no periodic stats events */
    /* traffic: numbered lines the peer writes and checks coming back (the echo) */
    uint64_t traffic_lines; /* 0 = none */
    uint64_t traffic_every_ps;
    uint64_t traffic_start_ps;
    uint32_t traffic_len; /* bytes per line including the newline */
} scn_asi2c;

typedef enum scn_trigger_kind { SCN_TRIG_AT, SCN_TRIG_SERIAL, SCN_TRIG_EXCHANGE } scn_trigger_kind;

typedef enum scn_action_kind {
    SCN_ACT_RESET, /* external reset (the RST pin) */
    SCN_ACT_POWER_OFF,
    SCN_ACT_POWER_ON,
    SCN_ACT_CRASH,
    SCN_ACT_UART_INJECT,
    SCN_ACT_GPIO,        /* the outside drives (or releases) a GPIO pin */
    SCN_ACT_ASI2C_SEND,  /* a peer's application writes a line */
    SCN_ACT_ASI2C_FAULT, /* a slave-side fault on a peer */
    SCN_ACT_RADIO_OFF,   /* the node's radio stops hearing and sending */
    SCN_ACT_RADIO_ON,
    SCN_ACT_MOVE,      /* the node moves to position */
    SCN_ACT_PARTITION, /* groups of nodes that no longer hear each other */
    SCN_ACT_HEAL,      /* every node hears every other again */
    SCN_ACT_LINK_LOSS, /* loss probability of the link from -> to (and back if both) */
} scn_action_kind;

typedef enum scn_fault_kind {
    SCN_FAULT_NACK,       /* NACK the peer's address for `count` transactions */
    SCN_FAULT_STRETCH,    /* hold SCL low for `duration` at the next transaction */
    SCN_FAULT_SYNC_STUCK, /* SYN stuck at `level` for `duration` */
    SCN_FAULT_OVERSIZE,   /* the next header announces more than the responder's rxbufsize */
} scn_fault_kind;

typedef enum scn_crash_kind {
    SCN_CRASH_HALT,        /* the CPU stops */
    SCN_CRASH_HANG,        /* the guest spins with interrupts off (watchdogs see it) */
    SCN_CRASH_EXCEPTION,   /* a forced fatal exception */
    SCN_CRASH_RESET,       /* external reset */
    SCN_CRASH_POWER_CYCLE, /* off for off_for, then on */
} scn_crash_kind;

typedef struct scn_action {
    scn_pos pos;
    scn_trigger_kind trigger;
    uint64_t at_ps; /* SCN_TRIG_AT */
    size_t on_node; /* SCN_TRIG_SERIAL: node index whose UART0 output is watched */
    scn_regex on_serial;
    uint64_t delay_ps; /* after the trigger */
    scn_action_kind kind;
    size_t node; /* node index the action applies to */
    scn_crash_kind crash;
    char *text; /* uart-inject */
    size_t text_len;
    uint64_t off_for_ps; /* power-cycle; default 100 ms */
    unsigned pin;        /* gpio: GPIO0..15 */
    int level;           /* gpio: 0, 1, or -1 = release; asi2c-fault sync-stuck: 0 or 1 */
    size_t peer;         /* asi2c-send, asi2c-fault; SCN_TRIG_EXCHANGE: the peer watched */
    uint64_t exchange;   /* SCN_TRIG_EXCHANGE: when exchange number N (1-based) starts */
    scn_fault_kind fault;
    uint64_t count;       /* asi2c-fault nack */
    uint64_t duration_ps; /* asi2c-fault stretch, sync-stuck */
    double xyz[3];        /* move */
    unsigned *groups;     /* partition: group per node (0 = not listed) */
    size_t from, to;      /* link-loss */
    bool both;            /* link-loss: also to -> from */
    double loss;          /* link-loss */
} scn_action;

typedef enum scn_radio_model {
    SCN_RADIO_PERFECT,
    SCN_RADIO_LOSS,
    SCN_RADIO_LOG_DISTANCE
} scn_radio_model;

typedef struct scn_ge {
    bool on;
    double p_gb, p_bg, loss_good, loss_bad;
} scn_ge;

/* radio.links[]: a directed link's override (both: the reverse link too). */
typedef struct scn_radio_link {
    scn_pos pos;
    size_t from, to;
    bool both, loss_set;
    double loss;
    scn_ge ge;
} scn_radio_link;

/* The 802.11 medium (models/radio/medium.h; defaults there). */
typedef struct scn_radio {
    bool present; /* a radio: key, a radio action, or a node with mac/channel/position/config */
    scn_radio_model model;
    unsigned rate_kbps, channel;
    bool short_preamble, rx_broadcast, node_pcap;
    double loss, rssi, tx_power, exponent, ref_loss, shadowing, noise, sensitivity, capture,
        adjacent_leak;
    unsigned retry_limit, cw_min, cw_max, queue, rx_queue;
    scn_ge ge;
    uint64_t stats_every_ps; /* radio-stats events every so often (0 = none; the radio-link
                              * events at the end have the totals) */
    scn_radio_link *links;
    size_t nlinks;
} scn_radio;

typedef enum scn_expect_kind {
    SCN_EXP_WAIT_SERIAL,
    SCN_EXP_EXIT,
    SCN_EXP_RESET_REASON,
    SCN_EXP_COUNTER,
    SCN_EXP_WAIT_GPIO,
    SCN_EXP_WAIT_ASI2C,
} scn_expect_kind;

/* Statistics of an asi2c peer a counter can check (stat: NAME). */
typedef enum scn_stat {
    SCN_STAT_NONE = -1,
    SCN_STAT_NBOOTS,          /* failures = reboots of the link */
    SCN_STAT_EXCHANGES,       /* completed exchanges */
    SCN_STAT_LINES_TX,        /* lines written by the peer */
    SCN_STAT_LINES_RX,        /* lines the peer received */
    SCN_STAT_LOST,            /* traffic lines never echoed */
    SCN_STAT_DUPLICATED,      /* traffic lines echoed more than once */
    SCN_STAT_REORDERED,       /* traffic lines echoed out of order */
    SCN_STAT_BLOCK_MAX_US,    /* longest exchange */
    SCN_STAT_RECOVERY_MAX_US, /* longest failure -> first exchange after the reboot */
    SCN_STAT_CONTENTIONS,     /* push-pull contention episodes on the peer's wires */
} scn_stat;

typedef enum scn_exit_kind { SCN_EXIT_ANY, SCN_EXIT_FAULT, SCN_EXIT_HALT } scn_exit_kind;

typedef struct scn_expect {
    scn_pos pos;
    scn_expect_kind kind;
    size_t node;
    scn_regex pattern;   /* wait-serial, counter */
    uint64_t timeout_ps; /* from the completion of the previous step (0 = until the end) */
    scn_exit_kind exit_kind;
    int cause;         /* expect-exit with kind fault: EXCCAUSE, or -1 for any */
    int reason;        /* expect-reset-reason: SDK rst_info reason 0..6 */
    uint64_t min, max; /* counter: matching UART0 lines over the whole run */
    unsigned pin;      /* wait-gpio: GPIO0..15 */
    int level;         /* wait-gpio: 0 or 1 */
    bool on_peer;      /* wait-asi2c; counter with peer: peer is meant, not node */
    size_t peer;
    scn_stat stat; /* counter: a peer statistic instead of a pattern */
} scn_expect;

/* budgets: timing budgets and profiling for every node (docs/profiling.md). Durations 0 where
 * not given (the runner's defaults apply: 50 us, 15 ms, 500 ms, samples every 50 us). */
typedef struct scn_budget_handler {
    char *name; /* a function symbol of the firmware */
    uint64_t ps;
    scn_pos pos;
} scn_budget_handler;

typedef struct scn_budgets {
    bool present;
    uint64_t isr_ps, task_ps, busy_ps, sample_ps;
    bool fail;    /* a violation fails the run (exit 1) instead of only being reported */
    bool profile; /* write trace.json, profile.folded and profile.txt (as --profile does) */
    scn_budget_handler *handlers;
    size_t nhandlers;
    scn_pos pos;
} scn_budgets;

/* limits: the most a run may write, in bytes (docs/scenarios.md#limits); UINT64_MAX =
 * unlimited. A run that reaches one stops at once (exit 5, espsim's CLI_LIMIT). */
typedef enum scn_limit_kind {
    SCN_LIMIT_OUTPUT, /* every file in the output directory together */
    SCN_LIMIT_UART,   /* each NODE.uart.log */
    SCN_LIMIT_EVENTS, /* events.jsonl */
    SCN_LIMIT_PCAP,   /* air.pcap and every NODE.pcap together */
    SCN_LIMIT_VCD,    /* signals.vcd and every NODE.gpio.vcd together */
    SCN_LIMIT_COUNT
} scn_limit_kind;

#define SCN_LIMIT_NONE UINT64_MAX

typedef struct scn_limits {
    uint64_t max[SCN_LIMIT_COUNT];
    scn_pos pos[SCN_LIMIT_COUNT]; /* where each was given ({0, 0}: the default or --limit) */
    bool cli[SCN_LIMIT_COUNT];    /* set by espsim run --limit (over the file's value) */
} scn_limits;

/* outputs: which optional files a run writes (all by default). */
typedef struct scn_outputs {
    bool vcd;  /* NODE.gpio.vcd and signals.vcd */
    bool pcap; /* air.pcap and NODE.pcap */
} scn_outputs;

typedef struct scenario {
    char *path;
    int version;
    char *name;
    uint64_t seed;
    uint64_t duration_ps;
    scn_node *nodes;
    size_t nnodes;
    scn_action *timeline;
    size_t ntimeline;
    scn_expect *expects;
    size_t nexpects;
    scn_wire *wires;
    size_t nwires;
    scn_asi2c *asi2c;
    size_t nasi2c;
    scn_radio radio;
    scn_budgets budgets;
    scn_limits limits;
    scn_outputs outputs;
} scenario;

/* Parses and validates path. firmware_path: colon-separated extra directories searched for
 * relative firmware/flash paths (may be NULL). On failure: false, one line in err. */
bool scn_load(scenario *s, const char *path, const char *firmware_path, char *err, size_t errsize);
void scn_free(scenario *s);

/* SDK reset-reason names accepted by expect-reset-reason (protocols.md C.7): power-on 0,
 * hw-wdt 1, exception 2, soft-wdt 3, soft-restart 4, deep-sleep 5, external 6. Returns -1 if
 * unknown. */
int scn_reason_from_name(const char *name);
const char *scn_reason_name(int reason);
const char *scn_stat_name(scn_stat st);
/* The key of a limit in the file ("output", "uart", ...) and its default. */
const char *scn_limit_name(scn_limit_kind k);
uint64_t scn_limit_default(scn_limit_kind k);
/* Parses a limit value: a size ("256MiB", "64K", "1000000", units B K KB KiB M MB MiB G GB GiB,
 * all powers of 1024) > 0, or "unlimited" (SCN_LIMIT_NONE). False with a phrase in why. */
bool scn_limit_parse(const char *text, uint64_t *bytes, const char **why);

#endif
