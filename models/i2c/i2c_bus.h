/* models/i2c/i2c_bus.h — an open-drain two-wire bus (SDA, SCL), a transaction decoder that
 * watches it, and a small I2C *target* (slave) built on the decoder (docs/i2c.md).
 *
 * Three layers, each usable alone:
 *  - i2c_bus: wired-AND resolution. Participants (i2c_bus_attach -> id 0..31) pull a line low
 *    or release it; a line is high (pull-up) unless at least one participant pulls it low.
 *    Every call passes the current virtual time in picoseconds; the bus never reads a clock
 *    and schedules nothing. Times must be non-decreasing across all calls; an earlier time is
 *    taken as the latest time seen (clamped), so durations never go negative.
 *  - i2c_dec: decodes a sequence of line changes (from a bus, a VCD file, a test) into START,
 *    repeated START, STOP, address byte, data byte, ACK/NACK, clock stretch and error events.
 *    Any sequence of changes is accepted: protocol violations become I2C_EV_ERROR events.
 *  - i2c_target: a 7-bit-address target that ACKs its address, receives and sends bytes
 *    through callbacks and drives SDA only while SCL is low; it can stretch the clock.
 *
 * Notification (the bus's "wire"): listeners registered with i2c_bus_listen, called with an
 * i2c_edge (line, new level, time, stretch, who) on every change of a *resolved* level, in
 * registration order. A sim_wire is not used because it carries no time and has a single
 * listener; a model that wants one sets it from its listener. A listener may drive the bus
 * (a target answering an SCL edge): that change is applied at once but notified only after
 * the current notification has reached every listener, so all listeners see the same
 * changes in the same order. At most I2C_BUS_QUEUE such nested changes may be pending; more
 * are applied but not notified (counted in i2c_bus.dropped: a listener bug, never a crash).
 *
 * Not modelled: rise/fall times, spike filters (a zero-width pulse is an edge like any
 * other), 10-bit addressing (its first byte decodes as a 7-bit address 0x78..0x7B), general
 * call, arbitration loss reporting, bus timeouts.
 */
#ifndef MODELS_I2C_BUS_H
#define MODELS_I2C_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define I2C_BUS_MAX_PARTS 32 /* participants per bus (a bit each in a uint32_t) */
#define I2C_BUS_QUEUE     16 /* changes a listener may make while being notified */

typedef enum i2c_line { I2C_SDA = 0, I2C_SCL = 1 } i2c_line;

/* One change of a resolved line level. */
typedef struct i2c_edge {
    i2c_line line;
    bool level;          /* the new level: true = high (released by all), false = low */
    uint64_t t_ps;       /* when it changed (virtual time, ps) */
    uint64_t stretch_ps; /* rising edge only: time from the first release by a participant
                          * that held the line during this low phase to the rise (0 when one
                          * participant held it alone). For SCL, when the controller releases
                          * first, this is the clock stretch. 0 when unknown. */
    int by;              /* the participant whose drive made the change; -1 when unknown */
} i2c_edge;

typedef void (*i2c_bus_fn)(void *opaque, const i2c_edge *e);

/* A listener is embedded in its owner (no pool); it must outlive the bus's use. */
typedef struct i2c_bus_listener {
    i2c_bus_fn fn;
    void *opaque;
    struct i2c_bus_listener *next;
} i2c_bus_listener;

typedef struct i2c_bus_line {
    uint32_t pulls;      /* bit i set: participant i pulls the line low */
    bool level;          /* resolved level: pulls == 0 */
    bool released;       /* a participant released it during the current low phase */
    uint64_t changed_ps; /* time of the last level change (0 before the first) */
    uint64_t release_ps; /* time of that first release */
} i2c_bus_line;

typedef struct i2c_bus {
    i2c_bus_line line[2]; /* indexed by i2c_line */
    int nparts;           /* participants attached so far */
    uint64_t now_ps;      /* latest time passed to the bus */
    i2c_bus_listener *head, *tail;
    i2c_edge queue[I2C_BUS_QUEUE]; /* changes waiting to be notified (FIFO) */
    unsigned qhead, qlen;
    bool dispatching; /* inside a notification */
    uint64_t dropped; /* nested changes not notified because the queue was full */
} i2c_bus;

/* Both lines released (high), no participants, no listeners, time 0. */
void i2c_bus_init(i2c_bus *b);
/* A new participant, initially pulling nothing. Returns its id (0..31), or -1 if full. */
int i2c_bus_attach(i2c_bus *b);
/* Registers l (embedded in its owner) to be called on every resolved change, after those
 * registered before it. Register each listener once, and not from inside a notification. */
void i2c_bus_listen(i2c_bus *b, i2c_bus_listener *l, i2c_bus_fn fn, void *opaque);
/* Participant id sets its output on line: level false pulls low, true releases (open drain).
 * now_ps: the current virtual time. Listeners are notified if the resolved level changes.
 * An unknown id or line is ignored. */
void i2c_bus_drive(i2c_bus *b, int id, i2c_line line, bool level, uint64_t now_ps);
/* The resolved level (true = high) and the time of its last change (ps). */
bool i2c_bus_level(const i2c_bus *b, i2c_line line);
uint64_t i2c_bus_changed_ps(const i2c_bus *b, i2c_line line);
/* Whether participant id currently pulls line low. */
bool i2c_bus_pulling(const i2c_bus *b, int id, i2c_line line);

/* ---- decoder ---------------------------------------------------------------------------- */

typedef enum i2c_event_kind {
    I2C_EV_START,   /* SDA fell while SCL high, bus idle */
    I2C_EV_RESTART, /* the same inside a transaction (repeated START) */
    I2C_EV_STOP,    /* SDA rose while SCL high */
    I2C_EV_ADDR,    /* first byte after a (repeated) START: addr, read, byte */
    I2C_EV_DATA,    /* a later byte: byte; addr/read of the transaction */
    I2C_EV_ACK,     /* the 9th bit: ack = SDA low at the 9th SCL rising edge */
    I2C_EV_STRETCH, /* SCL rose after a stretch: stretch_ps, low_ps */
    I2C_EV_ERROR,   /* a protocol error: error, bits, byte */
} i2c_event_kind;

typedef enum i2c_error {
    I2C_ERR_NONE,
    I2C_ERR_STOP_IN_BYTE,  /* STOP after 1..8 bits of a frame (reported before the STOP) */
    I2C_ERR_START_IN_BYTE, /* repeated START after 1..8 bits (reported before the RESTART) */
    I2C_ERR_NO_START,      /* SCL fell on an idle bus (no START); once per idle period */
} i2c_error;

typedef struct i2c_event {
    i2c_event_kind kind;
    uint64_t t_ps;  /* START/RESTART/STOP: the SDA edge; ADDR/DATA: the 8th SCL rising edge;
                     * ACK: the 9th; STRETCH: the SCL rise; ERROR: the edge that revealed it */
    uint32_t index; /* ADDR/DATA/ACK: frame number in the transaction, 0 = the address byte */
    uint8_t byte;   /* ADDR: the byte on the wire (addr << 1 | R/W); DATA: the byte;
                     * ERROR (IN_BYTE): the complete bits of the broken frame, right-aligned */
    uint8_t addr;   /* ADDR/DATA/ACK: the 7-bit address of the current transaction */
    bool read;      /* ADDR/DATA/ACK: its R/W bit (true = read: the target sends data) */
    bool ack;       /* ACK: true = ACK (SDA low), false = NACK */
    uint8_t bits;   /* ERROR (IN_BYTE): how many bits of the frame were complete (1..8) */
    i2c_error error;
    uint64_t low_ps;     /* STRETCH: length of the SCL low phase that just ended (ps) */
    uint64_t stretch_ps; /* STRETCH: the i2c_edge's stretch_ps (> 0) */
} i2c_event;

typedef void (*i2c_dec_fn)(void *opaque, const i2c_event *e);

/* Decoder state. Fields are read-only outside i2c_bus.c; i2c_target reads nbits. */
typedef struct i2c_dec {
    i2c_dec_fn fn;
    void *opaque;
    i2c_bus_listener listener; /* used by i2c_dec_attach */
    bool sda, scl;             /* the decoder's view of the lines */
    bool active;               /* between a START and a STOP */
    bool sampled;              /* the current SCL high phase sampled a bit */
    bool idle_err;             /* NO_START already reported in this idle period */
    bool read;                 /* R/W of the current transaction */
    uint8_t addr;              /* address of the current transaction */
    uint8_t nbits;             /* bits sampled in the current frame: 0..9 (9 until SCL falls) */
    uint8_t shift;             /* the frame's bits so far, right-aligned */
    uint32_t index;            /* current frame number, 0 = address */
    uint64_t now_ps;           /* latest time seen */
    uint64_t scl_fall_ps;      /* time of the last SCL falling edge */
    uint64_t scl_low_ps;       /* length of the last complete SCL low phase (ps) */
} i2c_dec;

/* An idle decoder whose view is both lines high at time 0; events go to fn(opaque, e). */
void i2c_dec_init(i2c_dec *d, i2c_dec_fn fn, void *opaque);
/* Makes d a listener of b, its view set to b's current levels (idle). */
void i2c_dec_attach(i2c_dec *d, i2c_bus *b);
/* Feeds one line change. A "change" to the level d already has is ignored; an earlier time
 * than the latest seen is clamped to it. Emits 0..2 events synchronously, in order. */
void i2c_dec_edge(i2c_dec *d, const i2c_edge *e);
/* A short name for an event kind ("START", "ADDR", ...), or "?" for an unknown value. */
const char *i2c_event_name(i2c_event_kind k);

/* ---- target ----------------------------------------------------------------------------- */

/* Callbacks of a target; any may be NULL (the default in brackets). t_ps: the time of the
 * edge that triggered the call. The callbacks may call i2c_target_hold_scl/release_scl. */
typedef struct i2c_target_ops {
    /* Our address seen (at the 8th SCL rise); return true to ACK. [ACK] */
    bool (*addr)(void *opaque, bool read, uint64_t t_ps);
    /* A byte written to us (at its 8th SCL rise); return true to ACK it. [ACK] */
    bool (*write)(void *opaque, uint8_t byte, uint64_t t_ps);
    /* The next byte to send, asked at the SCL falling edge that starts it. [0xFF] */
    uint8_t (*read)(void *opaque, uint64_t t_ps);
    /* The controller's ACK (true) or NACK after a byte we sent (9th SCL rise). */
    void (*read_ack)(void *opaque, bool ack, uint64_t t_ps);
    /* A transaction in which we ACKed our address ended (STOP or repeated START). */
    void (*stop)(void *opaque, uint64_t t_ps);
} i2c_target_ops;

/* How the target drives the bus (all at SCL falling edges, i.e. while SCL is low):
 *  - the fall ending the 8th bit of our address or of an ACKed written byte: pull SDA low
 *    (ACK); the fall ending the 9th bit: release it;
 *  - read: at the fall ending the 9th bit of the address (and of each byte the controller
 *    ACKed) ask ops->read and put bit 7 on SDA, then bits 6..0 at the next 7 falls; release
 *    SDA at the fall ending bit 0 (the controller's ACK bit). After a NACK it sends nothing
 *    more until the next START.
 *  - clock stretching: i2c_target_hold_scl pulls SCL low now if SCL is low, else at the next
 *    SCL falling edge; it stays low until the owner calls i2c_target_release_scl. */
typedef struct i2c_target {
    i2c_bus *bus;
    int id;       /* its participant id on bus */
    uint8_t addr; /* 7-bit address */
    const i2c_target_ops *ops;
    void *opaque;
    i2c_dec dec; /* fed by the target's listener before it acts */
    i2c_bus_listener listener;
    bool selected;     /* addressed (and ACKed) in the current transaction */
    bool ack_pending;  /* ACK to drive at the next 9th-clock low phase */
    bool nacked;       /* read: the controller NACKed; send nothing more */
    bool sending;      /* read: shifting out `out` */
    uint8_t out;       /* read: byte being sent */
    bool hold_pending; /* pull SCL low at the next SCL falling edge */
    bool holding;      /* pulling SCL low (stretching) */
} i2c_target;

/* Attaches a target with 7-bit address addr7 (0..0x7F) to b. ops may be NULL (all defaults);
 * it must outlive the target. Returns false if b has no free participant or addr7 > 0x7F. */
bool i2c_target_init(i2c_target *t, i2c_bus *b, uint8_t addr7, const i2c_target_ops *ops,
                     void *opaque);
/* Starts a clock stretch: pulls SCL low at once if it is low, else at its next falling edge. */
void i2c_target_hold_scl(i2c_target *t, uint64_t now_ps);
/* Ends a stretch (or cancels a pending one): releases SCL at now_ps. */
void i2c_target_release_scl(i2c_target *t, uint64_t now_ps);

#endif
