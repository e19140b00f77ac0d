/* models/i2c/asi2c.h — the asi2c *Initiator* (the Pyboard side of Peter Hinch's asi2c link,
 * micropython-async v3 asi2c_i.py) as a C model: an I2C target plus two GPIO lines and an
 * optional reset line, talking to an ESP8266 Responder (the I2C controller). The byte-level
 * protocol is protocols.md part A; section numbers below refer to it. User documentation:
 * docs/asi2c.md.
 *
 * Time. All times are global virtual picoseconds (uint64_t). The model never reads a clock:
 * it reacts synchronously (zero latency) to ACK changes (asi2c_ack_changed) and to the bus
 * (its i2c_target's callbacks), and uses events on the sim_sched given at init for every delay
 * (t_poll, sync poll, settle, reset pulse, arm latency, timeouts, the app reader, faults).
 *
 * Python statements take zero time except: an I2C send()/recv() is armed arm_ps after the
 * call (A.11 item 5), and waits end on the awaited ACK edge. Timeouts follow MicroPython's
 * millisecond tick test `ticks_diff(now, start) > limit`: a wait or transfer begun at T fails
 * at the first tick boundary where floor(now/tick) - floor(T/tick) > limit/tick, i.e. at
 * (floor(T/tick) + limit/tick + 1) * tick: more than limit and at most limit + 1 tick after T
 * (exactly limit + 1 tick when T is on a tick boundary). Ticks count from virtual time 0. If,
 * at that instant, the awaited ACK level is already present (read through read_ack), the
 * wait succeeds instead (the Python loop tests rem() before the clock).
 * Exchange durations (A.9) are floor(end/1us) - floor(start/1us), as ticks_us().
 *
 * Re-entrancy: pin callbacks (drive_syn, drive_rst) may call asi2c_ack_changed
 * synchronously; the change is taken into account before the model's next wait. Callbacks
 * (on_event, on_line) may call asi2c_send and asi2c_fault, not asi2c_free.
 */
#ifndef MODELS_I2C_ASI2C_H
#define MODELS_I2C_ASI2C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "i2c/i2c_bus.h"
#include "sched.h"

#define ASI2C_PS_US 1000000ull       /* ps per microsecond */
#define ASI2C_PS_MS 1000000000ull    /* ps per millisecond */
#define ASI2C_PS_S  1000000000000ull /* ps per second */

#define ASI2C_RXBUF_MAX 1024  /* largest accepted cfg.rxbufsize (bytes) */
#define ASI2C_TX_MAX    1024  /* largest line asi2c_send accepts (bytes) */
#define ASI2C_TXQ_LINES 16    /* lines waiting to be written (not counting txbyt) */
#define ASI2C_TXQ_BYTES 4096  /* bytes waiting to be written (not counting txbyt) */
#define ASI2C_LINE_MAX  1024  /* receive line buffer; a longer line is delivered in pieces */
#define ASI2C_LEN_MAX   32767 /* 15-bit header length (A.3) */

typedef enum asi2c_compat {
    ASI2C_COMPAT_NONE,           /* corrected behaviour (docs/asi2c.md "Compat mode") */
    ASI2C_COMPAT_MICROPYTHON_V3, /* asi2c_i.py V3 as written, pitfalls A.11 items 1-3 included */
} asi2c_compat;

/* Where in an exchange (A.5): H1 our header, P1 our payload, H2 its header, P2 its payload. */
typedef enum asi2c_step {
    ASI2C_STEP_NONE,
    ASI2C_STEP_H1,
    ASI2C_STEP_P1,
    ASI2C_STEP_H2,
    ASI2C_STEP_P2,
} asi2c_step;

/* Why an exchange failed (counters.failures[] is indexed by this). All but OVERSIZE are an
 * OSError in the Python code (A.8). */
typedef enum asi2c_fail {
    ASI2C_FAIL_NONE,
    ASI2C_FAIL_ACK_HIGH,    /* waitfor(1) timed out (1 s) */
    ASI2C_FAIL_ACK_LOW,     /* waitfor(0) timed out (1 s) */
    ASI2C_FAIL_I2C_TIMEOUT, /* send()/recv() not complete within the I2C timeout (5 s) */
    ASI2C_FAIL_I2C_NACK,    /* send(): the controller NACKed a byte before the last one */
    ASI2C_FAIL_I2C_SHORT,   /* STOP or repeated START before all armed bytes moved */
    ASI2C_FAIL_I2C_DIR,     /* addressed for reading during recv(), or writing during send() */
    ASI2C_FAIL_OVERSIZE,    /* H2 header announced n > rxbufsize (default mode only) */
    ASI2C_FAIL_COUNT
} asi2c_fail;

/* Faults injected by a scenario (slave side), see asi2c_fault. */
typedef enum asi2c_fault_kind {
    ASI2C_FAULT_NACK,            /* param: NACK our address in the next param transactions */
    ASI2C_FAULT_STRETCH,         /* param: ps to hold SCL low in the next transaction */
    ASI2C_FAULT_SYNC_STUCK_LOW,  /* param: ps for which the SYN pin stays low */
    ASI2C_FAULT_SYNC_STUCK_HIGH, /* param: ps for which the SYN pin stays high */
    ASI2C_FAULT_OVERSIZE,        /* param: the next param H1 headers announce rxbufsize + 1 */
} asi2c_fault_kind;

typedef enum asi2c_event_kind {
    ASI2C_EV_RESET_START,    /* RST driven active (at start and at each reboot) */
    ASI2C_EV_RESET_END,      /* RST back to inactive */
    ASI2C_EV_SYNCED,         /* _sync saw ACK low (A.4 step 3); the settle sleep begins */
    ASI2C_EV_EXCHANGE_START, /* index: the exchange's number (1 = first since asi2c_start) */
    ASI2C_EV_EXCHANGE_DONE,  /* index, duration_us, tx_bytes, rx_bytes (payloads) */
    ASI2C_EV_FAILURE,        /* index, step, reason */
    ASI2C_EV_REBOOT,         /* a failure leads to a reboot: n = nboots (already incremented) */
    ASI2C_EV_OVERSIZE,       /* H2 header announced n > rxbufsize: index, n */
    ASI2C_EV_DEAD,           /* _run died, the link stops for good: reason (OVERSIZE = the
                              * v3 ValueError, A.11 item 3; else the OSError that ended a run
                              * without a reset line, A.4 step 7) */
    ASI2C_EV_FAULT,          /* asi2c_fault called: fault, param */
    ASI2C_EV_FAULT_APPLIED,  /* a fault took effect: fault (NACK: once per NACKed address) */
    ASI2C_EV_LINE_DROPPED,   /* a written line (txbyt) was discarded by a reboot: n = bytes */
    ASI2C_EV_I2C_ERROR,      /* a bus anomaly that does not fail the transfer: error, step */
} asi2c_event_kind;

/* Bus anomalies that are counted but do not fail a transfer (docs/asi2c.md "Counters"). */
typedef enum asi2c_i2c_error {
    ASI2C_I2C_OVERREAD,  /* the controller read past the armed bytes (got 0xFF) */
    ASI2C_I2C_OVERWRITE, /* the controller wrote past the armed bytes (NACKed) */
    ASI2C_I2C_UNARMED,   /* a data byte while no transfer was bound (0xFF / NACKed) */
    ASI2C_I2C_HELD,      /* addressed while not armed: ACKed, SCL held until armed */
    ASI2C_I2C_ERR_COUNT
} asi2c_i2c_error;

typedef struct asi2c_event {
    asi2c_event_kind kind;
    uint64_t t_ps;
    uint64_t index;         /* exchange number (EXCHANGE_*, FAILURE, OVERSIZE) */
    asi2c_step step;        /* FAILURE, I2C_ERROR */
    asi2c_fail reason;      /* FAILURE, DEAD */
    uint64_t n;             /* REBOOT: nboots; OVERSIZE: announced length; LINE_DROPPED: bytes */
    uint64_t duration_us;   /* EXCHANGE_DONE */
    size_t tx_bytes;        /* EXCHANGE_DONE: payload bytes sent (P1) */
    size_t rx_bytes;        /* EXCHANGE_DONE: payload bytes received (P2) */
    asi2c_fault_kind fault; /* FAULT, FAULT_APPLIED */
    uint64_t param;         /* FAULT */
    asi2c_i2c_error error;  /* I2C_ERROR */
} asi2c_event;

/* Counters readable at any time (a->cnt). block_* follow A.9 exactly: microseconds, updated
 * after the t_poll sleep that follows each successful exchange, failed exchanges not timed. */
typedef struct asi2c_counters {
    uint64_t nboots;    /* failures that led to a reboot (the start's pulse not counted) */
    uint64_t block_max; /* us */
    uint64_t block_sum; /* us */
    uint64_t block_cnt; /* exchanges timed */
    uint64_t exchanges; /* exchanges started (= index of the latest) */
    uint64_t exchanges_done;
    uint64_t lines_tx; /* payloads sent (P1 complete, _txdone) */
    uint64_t bytes_tx; /* their bytes */
    uint64_t lines_rx; /* lines delivered to on_line */
    uint64_t bytes_rx; /* payload bytes received (P2) */
    uint64_t failures[ASI2C_FAIL_COUNT];
    uint64_t oversize_rx;    /* H2 headers with n > rxbufsize */
    uint64_t lines_dropped;  /* txbyt discarded by a reboot (A.4 step 2) */
    uint64_t rx_overwritten; /* a payload replaced rxbyt the app had not read (A.3) */
    uint64_t lines_split;    /* received lines longer than ASI2C_LINE_MAX, delivered in pieces */
    uint64_t holdoff_tx;     /* H1 headers we sent with bit 7 set */
    uint64_t holdoff_rx;     /* H2 headers received with bit 7 set */
    uint64_t i2c_errors[ASI2C_I2C_ERR_COUNT]; /* indexed by asi2c_i2c_error */
    uint64_t faults_applied;
} asi2c_counters;

/* The GPIO side. SYN is push-pull, driven only through drive_syn (called on every change of
 * the pin, with the time); ACK is read through read_ack (the wiring has a pull-up: a
 * Responder in reset or unpowered reads true); RST through drive_rst (may be NULL when
 * rst_enabled is false). read_ack may be NULL: the level last given to asi2c_ack_changed
 * (initially true) is used. Before asi2c_start the pins are taken as SYN high, RST inactive
 * (the constructor's levels). */
typedef struct asi2c_pins {
    void (*drive_syn)(void *opaque, bool high, uint64_t t_ps);
    void (*drive_rst)(void *opaque, bool high, uint64_t t_ps);
    bool (*read_ack)(void *opaque);
    void *opaque;
} asi2c_pins;

typedef struct asi2c_config {
    uint8_t addr;            /* 7-bit target address [0x12] (A.2) */
    uint64_t t_poll_ps;      /* sleep between exchanges [100 ms] */
    uint16_t rxbufsize;      /* largest payload accepted (1..ASI2C_RXBUF_MAX) [200] */
    uint64_t hs_timeout_ps;  /* waitfor limit [1000 ms], see rounding above */
    uint64_t i2c_timeout_ps; /* send()/recv() limit [5000 ms] */
    uint64_t tick_ps;        /* timeout tick (ticks_ms) [1 ms] */
    uint64_t sync_poll_ps;   /* _sync's ACK poll period [100 ms] */
    uint64_t settle_ps;      /* sleep after sync [1 s] */
    uint64_t arm_ps;         /* call of send()/recv() to slave armed [5 us] (A.11 item 5) */
    bool rst_enabled;        /* a reset tuple exists [true] (A.2: (Y12, 0, 200)) */
    bool rst_active_level;   /* [false: active low] */
    uint64_t rst_pulse_ps;   /* [200 ms] */
    uint64_t app_read_ps;    /* app reader delay after an exchange that left rxbyt [0] */
    asi2c_compat compat;     /* [ASI2C_COMPAT_NONE] */
    int prio;                /* sched priority of the model's events [0] */
    /* A received line, without its '\n' (t_ps: when the app read it). May be NULL. */
    void (*on_line)(void *opaque, const char *text, size_t len, uint64_t t_ps);
    /* Every event above, synchronously. May be NULL. */
    void (*on_event)(void *opaque, const asi2c_event *e);
    void *opaque; /* for on_line and on_event */
} asi2c_config;

/* ---- internal state (read-only outside asi2c.c, except cnt) ----------------------------- */

typedef enum asi2c_state {
    ASI2C_ST_IDLE,   /* not started */
    ASI2C_ST_RESET,  /* reboot(): reset pulse */
    ASI2C_ST_SYNC,   /* _sync: polling ACK */
    ASI2C_ST_SETTLE, /* the 1 s sleep */
    ASI2C_ST_XCHG,   /* inside _sendrx (blocking) */
    ASI2C_ST_POLL,   /* the t_poll sleep */
    ASI2C_ST_DEAD,   /* _run ended */
} asi2c_state;

typedef struct asi2c {
    asi2c_config cfg;
    asi2c_pins pins;
    i2c_bus *bus;
    sim_sched *sched;
    i2c_target tgt;
    asi2c_counters cnt;

    asi2c_state st;
    sim_event ev_run;     /* _run's sleeps */
    sim_event ev_timeout; /* the current wait's or transfer's timeout */
    sim_event ev_arm;     /* send()/recv() armed */
    sim_event ev_read;    /* the app reader */
    sim_event ev_stretch; /* end of a STRETCH fault */
    sim_event ev_stuck;   /* end of a SYNC_STUCK fault */

    /* Channel state, as in asi2c.py (A.3) */
    bool synchronised;
    bool cantx;
    uint8_t txsiz[2], txnull[2], sn[2];
    uint8_t hdr[2]; /* the H1 header being sent */
    uint8_t txbyt[ASI2C_TX_MAX];
    size_t txlen; /* 0 = txbyt empty */
    uint8_t rxbyt[ASI2C_RXBUF_MAX];
    size_t rxlen;
    uint8_t rxbuf[ASI2C_RXBUF_MAX]; /* P2 lands here, then is copied to rxbyt */
    size_t rx_n;                    /* P2 length announced in H2 */

    /* the exchange (_sendrx) */
    int pc;
    asi2c_step step;
    uint64_t xstart_ps;
    size_t x_tx, x_rx;
    uint64_t last_us; /* duration of the last successful exchange, counted after t_poll */
    bool waiting;     /* in waitfor */
    bool wait_level;
    bool wait_passed; /* the awaited level arrived */
    bool busy;        /* inside the exchange program (re-entrancy guard) */
    bool again;       /* re-run the program after the current pass */

    /* the I2C transfer of the exchange */
    enum { ASI2C_XF_NONE, ASI2C_XF_ARMING, ASI2C_XF_ARMED } xf; /* send()/recv() in progress */
    bool xf_read;                                               /* send(): the controller reads */
    uint8_t *xf_buf;
    size_t xf_len, xf_pos;
    bool bound; /* the current bus transaction is the armed transfer */
    bool held;  /* addressed while not armed: holding SCL until armed */
    bool held_read;
    bool was_bound; /* the current transaction was bound (overread/overwrite) */

    /* pins */
    bool ack;     /* last level given to asi2c_ack_changed */
    bool syn;     /* the program's SYN level */
    bool syn_pin; /* the level last driven */
    bool syn_stuck;
    bool syn_stuck_level;

    /* faults */
    uint64_t f_nack;       /* addresses left to NACK */
    uint64_t f_stretch_ps; /* pending STRETCH (0 = none) */
    bool f_stretching;
    uint64_t f_oversize; /* headers left to inflate */

    /* application side */
    uint8_t txq[ASI2C_TXQ_BYTES]; /* ring of queued line bytes */
    size_t txq_head, txq_bytes;
    uint16_t txq_len[ASI2C_TXQ_LINES]; /* ring of queued line lengths */
    size_t txq_first, txq_lines;
    char line[ASI2C_LINE_MAX]; /* partial received line */
    size_t line_len;
    bool read_due; /* the app reader's delay ended during an exchange */
} asi2c;

/* ---- API ------------------------------------------------------------------------------- */

/* The defaults in brackets above. */
asi2c_config asi2c_config_default(void);
/* Prepares a (not started): attaches its target at cfg->addr to bus, events on sched. pins
 * and cfg are copied. Drives nothing. Returns false if the config is invalid (rxbufsize 0 or
 * > ASI2C_RXBUF_MAX, addr > 0x7F, tick_ps 0, no drive_syn, rst_enabled without drive_rst) or
 * the bus is full. */
bool asi2c_init(asi2c *a, const asi2c_config *cfg, i2c_bus *bus, sim_sched *sched,
                const asi2c_pins *pins);
/* Begins _run at t_ps (A.4): SYN high, reset pulse (not counted in nboots), _sync, settle,
 * exchanges. Only the first call has an effect. */
void asi2c_start(asi2c *a, uint64_t t_ps);
/* Cancels the model's pending events (the bus and sched stay usable; a is stopped). */
void asi2c_free(asi2c *a);

/* The wiring reports the ACK line's level (every change; a call that changes nothing is
 * ignored). read_ack, if given, must already return level. */
void asi2c_ack_changed(asi2c *a, bool level, uint64_t t_ps);

/* Queues one line (one write() = one payload; include the '\n' yourself). It is taken as
 * txbyt when the stream is writable (A.7: synchronised, txbyt empty, cantx) and outside an
 * exchange. Returns false (queue unchanged) if len > ASI2C_TX_MAX or the queue already holds
 * ASI2C_TXQ_LINES lines or would exceed ASI2C_TXQ_BYTES bytes. len 0 is a no-op (true). */
bool asi2c_send(asi2c *a, const char *line, size_t len);
/* Lines waiting in the queue (not counting txbyt). */
size_t asi2c_queued(const asi2c *a);

/* Injects a slave-side fault at t_ps (see asi2c_fault_kind; a second fault of the same kind
 * replaces the pending one). */
void asi2c_fault(asi2c *a, asi2c_fault_kind kind, uint64_t param, uint64_t t_ps);

/* Short names for logs ("H1", "ACK_HIGH", "EXCHANGE_DONE", ...); "?" if unknown. */
const char *asi2c_step_name(asi2c_step s);
const char *asi2c_fail_name(asi2c_fail f);
const char *asi2c_event_name(asi2c_event_kind k);
const char *asi2c_fault_name(asi2c_fault_kind f);
const char *asi2c_i2c_error_name(asi2c_i2c_error e);

#endif
