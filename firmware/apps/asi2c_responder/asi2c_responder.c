/* apps/asi2c_responder — the ESP8266 side of Peter Hinch's asi2c link (the "Responder": I2C
 * controller, bit-banged) in C, with a line-echo application on top
 * (reference/protocols.md A.1-A.11; pins: reference/lx106.md §3.5 GPIO, §3.6 IO_MUX).
 *
 * It is a port of asi2c.py's Responder class (MicroPython, micropython-async v3) and of the
 * MicroPython soft-I2C controller it uses (extmod/machine_i2c.c): same framing, same order of
 * line changes, same error behaviour, so that a Pyboard-side Initiator (real or modelled) cannot
 * tell it from the Python original.
 *
 * Pins (A.1 test wiring; the board also has external pull-ups on SCL/SDA):
 *   GPIO0  SCL  open drain (GPIO_PIN0 bit 2), pad pull-up on; OUT=1 releases, OUT=0 pulls low
 *   GPIO2  SDA  open drain (GPIO_PIN2 bit 2), pad pull-up on; lines are read back via GPIO_IN
 *   GPIO5  SYN  input, pad pull-up on; rising-edge interrupt (CPU INT 4) while waiting for an
 *               exchange, disabled during one
 *   GPIO4  ACK  push-pull output; high after boot ("Channel init"), low from _sync on
 * All four pads are set to IO_MUX function 0, which is GPIO on the pads GPIO0/2/4/5 (§3.6).
 *
 * UART0 output (os_printf), exact formats:
 *   asi2c_responder: boot, reset reason R             R = system_get_rst_info()->reason
 *   asi2c_responder: synced                           SYN read 0 after ACK went low (A.4)
 *   asi2c_responder: rx L lines B bytes, tx L lines B bytes, exchanges E
 *        every 1000th received line and on "!stats": lines = complete lines received / payloads
 *        sent; bytes = payload bytes received (P1) / sent (P2); E = completed exchanges
 *   asi2c_responder: seq error: expected X got Y      a "<decimal> ..." line out of sequence
 *   asi2c_responder: bad command: TEXT                 "!repeat N" with N outside 1..1000
 *   asi2c_responder: line longer than 1024 bytes dropped
 *   asi2c_responder: error: header announces N bytes > 200
 *   asi2c_responder: error: PHASE OP(0x12, N bytes): ENODEV (address not acknowledged)
 *   asi2c_responder: error: PHASE OP(0x12, N bytes): ETIMEDOUT (SCL held low > 255 us)
 *        PHASE = H1 | P1 | H2 | P2 (A.5), OP = readfrom_into | writeto. After an "error:" line
 *        the exchange handler is dead (the SYN interrupt is not re-armed), exactly like the
 *        Python handler after an exception: the Initiator times out and resets us (A.8).
 *
 * Start-up (A.4): ACK := 1 at init, then _sync: ACK := 0, SYN polled at once and then every
 * 100 ms (os_timer) until it reads 0; "synced"; SYN rising-edge interrupt armed.
 *
 * One exchange (A.5, Responder column). The GPIO ISR (IRAM) acknowledges GPIO_STATUS,
 * disables the SYN interrupt and posts the exchange task: MicroPython's Responder uses a soft
 * IRQ, i.e. the handler runs later from the scheduler, and this mirrors it. The task runs the
 * whole exchange:
 *   H1  delay 20 us; readfrom_into(0x12, 2); ACK := 1; wait SYN=0; ACK := 0;
 *       n = b0 + ((b1 & 0x7F) << 8); n > 200 -> error; cantx = !(b1 & 0x80)
 *   P1  (n > 0) wait SYN=1; delay 20 us; readfrom_into(0x12, n); ACK := 1; wait SYN=0;
 *       ACK := 0; rxbyt := the n bytes (replaces, A.3)
 *   H2  ACK := 1; wait SYN=1; delay 20 us; header = (txlen if tx data and cantx, else 0) with
 *       byte 1 bit 7 = rxbyt non-empty (hold-off); writeto(0x12, header); ACK := 0; wait SYN=0
 *   P2  (if H2 announced data) ACK := 1; wait SYN=1; delay 20 us; writeto(0x12, txbyt);
 *       ACK := 0; wait SYN=0; txbyt := empty
 *   then the SYN interrupt is re-armed (pending status cleared first, as machine.Pin.irq does)
 *   and the application task is posted.
 * asi2c.py keeps txsiz/txnull as persistent buffers and ORs/ANDs the flag into them in place;
 * the bytes on the wire equal the header computed afresh each time, which is what this does.
 *
 * Bit-banged I2C (A.6; MicroPython extmod/machine_i2c.c at freq=400000, timeout=255): half
 * period 1 us (os_delay_us(1)); after releasing SCL and the half period, SCL is polled every
 * 1 us for up to 255 us (clock stretching), else ETIMEDOUT. readfrom_into = START, 0x25, N
 * bytes, ACK all but the last, NACK the last, STOP. writeto = START, 0x24, bytes, STOP. An
 * address NACK sends STOP and fails with ENODEV; a NACK on a data byte ends the write silently;
 * a timeout fails at once (no STOP), as MicroPython does. No repeated START, no register byte.
 * At init the controller sends one STOP sequence, as MicroPython's I2C constructor does
 * (mp_hal_i2c_init); on an idle bus the wires then show an empty START ... STOP.
 *
 * Stream API (A.7): chan_write accepts data only when synchronised and the tx buffer is empty
 * (returns the length, else 0); chan_writable = synchronised, tx empty and cantx;
 * chan_readable = synchronised and rxbyt non-empty; chan_readline removes up to and including
 * the first '\n' (or all there is). The hold-off flag sent in H2 is set while rxbyt is
 * non-empty, so the Initiator sends nothing new until the application has read everything.
 *
 * Application (a task at user priority 0, posted after sync and after every exchange, which is
 * when anything it waits for can change): line echo. Each complete line (accumulated over as
 * many payloads as it takes) is sent back unchanged as one payload once writable; while a reply
 * waits, nothing more is read, so the hold-off flag throttles the Initiator. Commands (whole
 * lines): "!repeat N" (1 <= N <= 1000) replies with one line of N bytes, 'x' * (N - 1) + '\n'
 * (lets a test make us announce more than the Initiator's rxbufsize); "!stats" prints the stats
 * line and sends nothing back. Lines starting "<decimal> " (or "<decimal>\n") carry a sequence
 * number: each must be the previous one + 1 (the first since boot sets the base; after an error
 * the received number becomes the new base). Lines are not printed (soaks send 10,000).
 *
 * Choices:
 * - Watchdog. The waits have no timeout (A.8: the Responder spins; the Initiator detects the
 *   failure and resets us), and they feed the soft watchdog (system_soft_wdt_feed, which also
 *   feeds the hardware one) every WAIT_FEED_SPINS polls, about every 0.5 ms. Reason: in
 *   MicroPython the Python spin loop `while not self.rem() == val: pass` never trips the
 *   watchdog (the VM's poll hook runs the ETS loop, which feeds it), so a stuck Responder spins
 *   until the Initiator's reset pulse. Without feeding, a Responder whose Initiator takes more
 *   than 1.6-3.2 s (send/recv timeouts are 5 s) would reset itself with reason 3 and race the
 *   Initiator's own recovery (reason 6), a behaviour the original does not have. The cost, as
 *   in the original: an Initiator that dies without a reset wire leaves us spinning forever,
 *   with timers and the application starved (I2C.md §5.3). Only the waits feed; an I2C transfer
 *   is bounded by its own timeouts (at most ~(N + 1) * 9 * 257 us, about 2.3 ms per byte when
 *   every bit is stretched to the limit) and does not.
 * - IRAM. The ISR (must be) and the bit-bang layer and the SYN waits (IRAM_ATTR) are in IRAM:
 *   they are the timing-critical part, and on the chip a flash-cache miss (a 32-byte line
 *   fetched over SPI) would stretch a 1 us half period unevenly. They are small (well under
 *   1 KB) and call only ROM code (ets_delay_us, system_soft_wdt_feed) and IRAM code. The
 *   exchange sequencing, stream API and application are plain flash code: their timing is not
 *   critical (the peer waits on the handshake lines). The flash cache is never switched off in
 *   this program, so IRAM code calling flash code would also be safe; it does not anyway.
 * - State. One static struct (struct responder) holds everything mutable, including the task
 *   queues and the timer; functions take it as their first argument, and only the entry points
 *   (user_init, task and timer callbacks) name the instance. The ISR uses no state.
 */
#include "ets_sys.h"
#include "osapi.h"
#include "user_interface.h"

/* ---- pins (A.1; lx106.md §3.5, §3.6) ---- */
#define PIN_SCL 0 /* I2C clock, open drain */
#define PIN_SDA 2 /* I2C data, open drain */
#define PIN_ACK 4 /* Responder -> Initiator handshake, push-pull */
#define PIN_SYN 5 /* Initiator -> Responder handshake, input with pull-up, rising-edge IRQ */

#define PAD_GPIO0      (IO_MUX_BASE + 0x34)       /* §3.6: function 0 = GPIO0 */
#define PAD_GPIO2      (IO_MUX_BASE + 0x38)       /* §3.6: function 0 = GPIO2 */
#define PAD_GPIO4      (IO_MUX_BASE + 0x3C)       /* §3.6: function 0 = GPIO4 */
#define PAD_GPIO5      (IO_MUX_BASE + 0x40)       /* §3.6: function 0 = GPIO5 */
#define PAD_FUNC_MASK  (BIT(4) | BIT(5) | BIT(8)) /* §3.6: function = bits 5:4 plus bit 8 */
#define PAD_PULLDOWN   BIT(6)
#define PAD_PULLUP     BIT(7)
#define PIN_PAD_DRIVER BIT(2)    /* GPIO_PINn: 1 = open drain (§3.5) */
#define PIN_INT_MASK   (7u << 7) /* GPIO_PINn bits 9:7: interrupt type (§3.5) */
#define PIN_INT_RISING (1u << 7)

/* ---- protocol constants (A.2) ---- */
#define ASI2C_ADDR      0x12 /* the Initiator's 7-bit address: 0x24 write, 0x25 read */
#define RXBUFSIZE       200  /* largest payload we accept (rxbufsize) */
#define TXBUFSIZE       1024 /* largest payload we send (ours; the protocol allows 32767) */
#define XFER_DELAY_US   20   /* _DELAY: before each transfer, so the I2C target is armed */
#define SYNC_POLL_MS    100  /* _sync poll period */
#define HDR_HOLD_OFF    0x80 /* header byte 1 bit 7 (A.3) */
#define HDR_LEN_HI_MASK 0x7F

/* ---- soft I2C (A.6: MicroPython freq=400000 -> 500000 / freq = 1 us, timeout=255 us) ---- */
#define I2C_HALF_US    1
#define I2C_STRETCH_US 255
#define I2C_ENODEV     19  /* errno values MicroPython reports */
#define I2C_ETIMEDOUT  110 /* (returned negated, as machine_i2c.c does) */

/* ---- SYN waits ---- */
#define WAIT_FEED_SPINS 4096u /* GPIO_IN polls between soft-watchdog feeds (~0.5 ms) */

/* ---- application ---- */
#define LINE_MAX     1024             /* longest line accumulated (and longest reply) */
#define REPEAT_MAX   1000             /* "!repeat N": N <= REPEAT_MAX */
#define STATS_EVERY  1000             /* print the stats line every this many received lines */
#define XCHG_PRIO    USER_TASK_PRIO_2 /* the exchange task (ETS priority 4) */
#define APP_PRIO     USER_TASK_PRIO_0 /* the application task (ETS priority 2) */
#define SIG_START    1                /* app task: begin _sync */
#define SIG_RUN      2                /* app task: look at the stream */
#define SIG_EXCHANGE 3                /* exchange task: SYN rose */

struct responder {
    /* channel (asi2c.py Channel / Responder) */
    bool synced;               /* _sync done (never cleared: the Initiator resets us instead) */
    bool cantx;                /* the Initiator's last H1 had bit 7 clear: it accepts a payload */
    uint32 rx_len, rx_pos;     /* rxbyt = rx[rx_pos .. rx_len) */
    uint32 tx_len;             /* txbyt = tx[0 .. tx_len); 0 = empty */
    uint8 rx[RXBUFSIZE];       /* rxbyt */
    uint8 rx_mv[RXBUFSIZE];    /* P1 lands here first (rx_mv), then replaces rxbyt */
    uint8 tx[TXBUFSIZE];       /* txbyt */
    uint32 exchanges;          /* completed exchanges */
    uint32 rx_bytes, tx_bytes; /* payload bytes received (P1) / sent (P2) */
    uint32 tx_lines;           /* payloads sent (the application writes one line each) */
    /* application */
    uint32 line_len;         /* bytes in line[] */
    bool reply;              /* line[0 .. line_len) is a reply waiting to be written */
    bool skip;               /* dropping the rest of an over-long line, up to its '\n' */
    uint32 rx_lines;         /* complete lines received */
    bool have_seq;           /* a sequence number has been seen since boot */
    uint32 last_seq;         /* the last one */
    char line[LINE_MAX + 1]; /* the line being received (+ NUL), then its reply */
    /* SDK objects */
    os_timer_t sync_timer;
    os_event_t xchg_queue[2];
    os_event_t app_queue[4];
};

static struct responder responder;

/* ======== pins ======== */

static inline void pin_low(uint32 pin)
{
    WRITE_PERI_REG(GPIO_OUT_W1TC_ADDRESS, BIT(pin));
}

/* Open drain: let go (the pull-ups or another device decide). Push-pull: drive high. */
static inline void pin_high(uint32 pin)
{
    WRITE_PERI_REG(GPIO_OUT_W1TS_ADDRESS, BIT(pin));
}

/* The line level as the pad sees it (GPIO_IN), 0 or 1. */
static inline uint32 pin_read(uint32 pin)
{
    return (READ_PERI_REG(GPIO_IN_ADDRESS) >> pin) & 1u;
}

static inline void ack_set(uint32 level)
{
    if (level)
        pin_high(PIN_ACK);
    else
        pin_low(PIN_ACK);
}

/* Pad (IO_MUX) to function 0 = GPIO on the pads used here, pull-up on or off. */
static void pad_gpio(uint32 pad, bool pullup)
{
    uint32 v = READ_PERI_REG(pad) & ~(PAD_FUNC_MASK | PAD_PULLDOWN | PAD_PULLUP);
    WRITE_PERI_REG(pad, v | (pullup ? PAD_PULLUP : 0));
}

/* SYN rising-edge interrupt off (asi2c.py: rem.irq(handler=None)). ISR-safe. */
static inline void syn_irq_off(void)
{
    uint32 v = READ_PERI_REG(GPIO_PIN_ADDR(PIN_SYN));
    WRITE_PERI_REG(GPIO_PIN_ADDR(PIN_SYN), v & ~PIN_INT_MASK);
}

/* SYN rising-edge interrupt on, a stale pending edge dropped first (machine.Pin.irq clears
 * GPIO_STATUS for the pin when it sets the trigger). */
static void syn_irq_arm(void)
{
    WRITE_PERI_REG(GPIO_STATUS_W1TC_ADDRESS, BIT(PIN_SYN));
    uint32 v = READ_PERI_REG(GPIO_PIN_ADDR(PIN_SYN)) & ~PIN_INT_MASK;
    WRITE_PERI_REG(GPIO_PIN_ADDR(PIN_SYN), v | PIN_INT_RISING);
}

/* Spins until SYN reads `level`. No timeout (A.8); feeds the soft watchdog every
 * WAIT_FEED_SPINS polls (file header, "Watchdog"). Returns within ~0.1 us of the change. */
static void IRAM_ATTR syn_wait(uint32 level)
{
    uint32 spins = 0;
    while (pin_read(PIN_SYN) != level) {
        if (++spins == WAIT_FEED_SPINS) {
            spins = 0;
            system_soft_wdt_feed();
        }
    }
}

/* ======== soft I2C controller (A.6; MicroPython extmod/machine_i2c.c) ========
 * Return values: 0 = done, 1 = byte written and NACKed (write_byte only), negative = error
 * (-I2C_ENODEV, -I2C_ETIMEDOUT). Pins are constants: no state. */

static void IRAM_ATTR i2c_delay(void)
{
    os_delay_us(I2C_HALF_US);
}

/* Releases SCL, waits the half period, then up to 255 us for a stretching target to let go. */
static int IRAM_ATTR i2c_scl_release(void)
{
    uint32 count = I2C_STRETCH_US;
    pin_high(PIN_SCL);
    i2c_delay();
    for (; pin_read(PIN_SCL) == 0 && count; --count)
        os_delay_us(1);
    return count ? 0 : -I2C_ETIMEDOUT;
}

static int IRAM_ATTR i2c_start(void)
{
    pin_high(PIN_SDA);
    i2c_delay();
    int ret = i2c_scl_release();
    if (ret != 0) return ret;
    pin_low(PIN_SDA);
    i2c_delay();
    return 0;
}

static int IRAM_ATTR i2c_stop(void)
{
    i2c_delay();
    pin_low(PIN_SDA);
    i2c_delay();
    int ret = i2c_scl_release();
    pin_high(PIN_SDA);
    i2c_delay();
    return ret;
}

/* 8 bits MSB first, then the target's ACK bit: 0 = ACK, 1 = NACK, < 0 = error. */
static int IRAM_ATTR i2c_write_byte(uint8 val)
{
    i2c_delay();
    pin_low(PIN_SCL);
    for (int i = 7; i >= 0; i--) {
        if ((val >> i) & 1)
            pin_high(PIN_SDA);
        else
            pin_low(PIN_SDA);
        i2c_delay();
        int ret = i2c_scl_release();
        if (ret != 0) {
            pin_high(PIN_SDA);
            return ret;
        }
        pin_low(PIN_SCL);
    }
    pin_high(PIN_SDA);
    i2c_delay();
    int ret = i2c_scl_release();
    if (ret != 0) return ret;
    int nack = (int)pin_read(PIN_SDA);
    i2c_delay();
    pin_low(PIN_SCL);
    return nack;
}

/* 8 bits MSB first, then our ACK (nack = false) or NACK (nack = true). 0 or < 0. */
static int IRAM_ATTR i2c_read_byte(uint8 *val, bool nack)
{
    i2c_delay();
    pin_low(PIN_SCL);
    i2c_delay();
    uint32 data = 0;
    for (int i = 7; i >= 0; i--) {
        int ret = i2c_scl_release();
        if (ret != 0) return ret;
        data = (data << 1) | pin_read(PIN_SDA);
        pin_low(PIN_SCL);
        i2c_delay();
    }
    *val = (uint8)data;
    if (!nack) pin_low(PIN_SDA);
    i2c_delay();
    int ret = i2c_scl_release();
    if (ret != 0) {
        pin_high(PIN_SDA);
        return ret;
    }
    pin_low(PIN_SCL);
    pin_high(PIN_SDA);
    return 0;
}

/* START, address byte, on address NACK STOP + -ENODEV. */
static int IRAM_ATTR i2c_begin(uint8 addr, bool read)
{
    int ret = i2c_start();
    if (ret != 0) return ret;
    ret = i2c_write_byte((uint8)(addr << 1 | (read ? 1 : 0)));
    if (ret < 0) return ret;
    if (ret != 0) {
        i2c_stop();
        return -I2C_ENODEV;
    }
    return 0;
}

/* machine.I2C.readfrom_into(addr, buf): START, addr|R, n bytes (ACK all but the last, NACK
 * the last), STOP. 0 or < 0. */
static int IRAM_ATTR i2c_readfrom_into(uint8 addr, uint8 *buf, uint32 n)
{
    int ret = i2c_begin(addr, true);
    if (ret != 0) return ret;
    for (uint32 i = 0; i < n; i++) {
        ret = i2c_read_byte(&buf[i], i + 1 == n);
        if (ret != 0) return ret;
    }
    return i2c_stop();
}

/* machine.I2C.writeto(addr, buf): START, addr|W, bytes until one is NACKed, STOP. Returns the
 * number of ACKed data bytes, or < 0. */
static int IRAM_ATTR i2c_writeto(uint8 addr, const uint8 *buf, uint32 n)
{
    int ret = i2c_begin(addr, false);
    if (ret != 0) return ret;
    int acks = 0;
    for (uint32 i = 0; i < n; i++) {
        ret = i2c_write_byte(buf[i]);
        if (ret < 0) return ret;
        if (ret != 0) break; /* NACK: stop sending, not an error */
        acks++;
    }
    ret = i2c_stop();
    return ret != 0 ? ret : acks;
}

/* ======== stream API (A.7) ======== */

/* Stores buf as txbyt: only when synchronised, txbyt empty and 1 <= len <= TXBUFSIZE.
 * Returns len when accepted, else 0. It goes out in a later exchange (H2 + P2), once the
 * Initiator accepts payloads. */
static uint32 chan_write(struct responder *r, const void *buf, uint32 len)
{
    if (!r->synced || r->tx_len != 0 || len == 0 || len > TXBUFSIZE) return 0;
    os_memcpy(r->tx, buf, len);
    r->tx_len = len;
    return len;
}

/* POLL writable: synchronised, txbyt empty and the Initiator's last header allowed us to send. */
static bool chan_writable(const struct responder *r)
{
    return r->synced && r->tx_len == 0 && r->cantx;
}

/* POLL readable: synchronised and rxbyt non-empty. */
static bool chan_readable(const struct responder *r)
{
    return r->synced && r->rx_pos < r->rx_len;
}

/* Removes from rxbyt up to and including the first '\n' (or everything), at most max bytes,
 * into dst. Returns the byte count (0 when nothing is readable). */
static uint32 chan_readline(struct responder *r, char *dst, uint32 max)
{
    uint32 n = 0;
    while (n < max && r->rx_pos < r->rx_len) {
        char c = (char)r->rx[r->rx_pos++];
        dst[n++] = c;
        if (c == '\n') break;
    }
    if (r->rx_pos == r->rx_len) r->rx_pos = r->rx_len = 0;
    return n;
}

/* ======== the exchange (A.5, Responder column) ======== */

/* Prints the "error:" line for an I2C failure (the handler then dies). */
static void xchg_i2c_error(const char *phase, const char *op, uint32 n, int err)
{
    os_printf("asi2c_responder: error: %s %s(0x%02x, %u bytes): %s\n", phase, op, ASI2C_ADDR, n,
              err == -I2C_ENODEV ? "ENODEV (address not acknowledged)"
                                 : "ETIMEDOUT (SCL held low > 255 us)");
}

/* One whole exchange, started by a SYN rising edge. Returns true when it completed (the caller
 * re-arms the SYN interrupt), false after printing an "error:" line (the handler is dead). */
static bool xchg_run(struct responder *r)
{
    uint8 hdr[2];
    int ret;

    /* H1: the Initiator's header */
    os_delay_us(XFER_DELAY_US);
    ret = i2c_readfrom_into(ASI2C_ADDR, hdr, 2);
    if (ret < 0) {
        xchg_i2c_error("H1", "readfrom_into", 2, ret);
        return false;
    }
    ack_set(1);
    syn_wait(0);
    ack_set(0);
    uint32 n = hdr[0] + ((uint32)(hdr[1] & HDR_LEN_HI_MASK) << 8);
    if (n > RXBUFSIZE) {
        os_printf("asi2c_responder: error: header announces %u bytes > %u\n", n, RXBUFSIZE);
        return false;
    }
    r->cantx = !(hdr[1] & HDR_HOLD_OFF);

    /* P1: the Initiator's payload */
    if (n) {
        syn_wait(1);
        os_delay_us(XFER_DELAY_US);
        ret = i2c_readfrom_into(ASI2C_ADDR, r->rx_mv, n);
        if (ret < 0) {
            xchg_i2c_error("P1", "readfrom_into", n, ret);
            return false;
        }
        ack_set(1);
        syn_wait(0);
        ack_set(0);
        os_memcpy(r->rx, r->rx_mv, n); /* rxbyt = bytes(mv): replaces */
        r->rx_len = n;
        r->rx_pos = 0;
        r->rx_bytes += n;
    }

    /* H2: our header */
    ack_set(1); /* request to send */
    syn_wait(1);
    os_delay_us(XFER_DELAY_US);
    bool dtx = r->tx_len != 0 && r->cantx;
    uint32 siz = dtx ? r->tx_len : 0;
    hdr[0] = (uint8)(siz & 0xFF);
    hdr[1] = (uint8)((siz >> 8) & HDR_LEN_HI_MASK);
    if (chan_readable(r)) hdr[1] |= HDR_HOLD_OFF;
    ret = i2c_writeto(ASI2C_ADDR, hdr, 2);
    if (ret < 0) {
        xchg_i2c_error("H2", "writeto", 2, ret);
        return false;
    }
    ack_set(0);
    syn_wait(0);

    /* P2: our payload */
    if (dtx) {
        ack_set(1);
        syn_wait(1);
        os_delay_us(XFER_DELAY_US);
        ret = i2c_writeto(ASI2C_ADDR, r->tx, r->tx_len);
        if (ret < 0) {
            xchg_i2c_error("P2", "writeto", r->tx_len, ret);
            return false;
        }
        ack_set(0);
        syn_wait(0);
        r->tx_lines++; /* _txdone */
        r->tx_bytes += r->tx_len;
        r->tx_len = 0;
    }
    r->exchanges++;
    return true;
}

/* Exchange task (user priority 2), posted by the SYN ISR. */
static void xchg_task(os_event_t *e)
{
    (void)e;
    struct responder *r = &responder;
    if (!xchg_run(r)) return; /* the handler dies: SYN interrupt stays off (A.8) */
    syn_irq_arm();
    system_os_post(APP_PRIO, SIG_RUN, 0);
}

/* GPIO interrupt (CPU INT 4): a SYN rising edge starts an exchange. Acknowledges every
 * pending GPIO status bit, switches the SYN interrupt off until the exchange is over and
 * posts the exchange task (the soft IRQ of MicroPython). */
static void IRAM_ATTR syn_isr(void *arg, void *frame)
{
    (void)arg;
    (void)frame;
    uint32 st = READ_PERI_REG(GPIO_STATUS_ADDRESS);
    WRITE_PERI_REG(GPIO_STATUS_W1TC_ADDRESS, st);
    if (!(st & BIT(PIN_SYN))) return;
    syn_irq_off();
    system_os_post(XCHG_PRIO, SIG_EXCHANGE, 0);
}

/* ======== start-up synchronisation (A.4) ======== */

/* One _sync poll: synchronised once SYN reads 0 (ACK is already low). */
static bool sync_poll(struct responder *r)
{
    if (pin_read(PIN_SYN) != 0) return false;
    r->synced = true;
    os_printf("asi2c_responder: synced\n");
    syn_irq_arm();
    system_os_post(APP_PRIO, SIG_RUN, 0);
    return true;
}

static void sync_timer_cb(void *arg)
{
    struct responder *r = arg;
    if (sync_poll(r)) os_timer_disarm(&r->sync_timer);
}

/* _sync: ACK := 0, then SYN polled now and every 100 ms until it reads 0. */
static void sync_start(struct responder *r)
{
    ack_set(0);
    if (sync_poll(r)) return;
    os_timer_setfn(&r->sync_timer, sync_timer_cb, r);
    os_timer_arm(&r->sync_timer, SYNC_POLL_MS, 1);
}

/* ======== application: line echo ======== */

static void app_print_stats(const struct responder *r)
{
    os_printf("asi2c_responder: rx %u lines %u bytes, tx %u lines %u bytes, exchanges %u\n",
              r->rx_lines, r->rx_bytes, r->tx_lines, r->tx_bytes, r->exchanges);
}

/* Parses an unsigned decimal at *p (at least one digit, no overflow past 2^32 - 1). */
static bool app_parse_u32(const char **p, const char *end, uint32 *out)
{
    const char *s = *p;
    uint32 v = 0;
    while (s < end && *s >= '0' && *s <= '9') {
        uint32 d = (uint32)(*s - '0');
        if (v > (0xFFFFFFFFu - d) / 10u) return false;
        v = v * 10u + d;
        s++;
    }
    if (s == *p) return false;
    *p = s;
    *out = v;
    return true;
}

/* Sequence check of a "<decimal> ..." or "<decimal>\n" line. */
static void app_check_seq(struct responder *r, const char *s, const char *end)
{
    uint32 seq;
    if (!app_parse_u32(&s, end, &seq) || s == end) return;
    if (*s != ' ' && *s != '\n' && *s != '\r') return;
    if (r->have_seq && seq != r->last_seq + 1u)
        os_printf("asi2c_responder: seq error: expected %u got %u\n", r->last_seq + 1u, seq);
    r->have_seq = true;
    r->last_seq = seq;
}

/* A complete line (line[0 .. line_len), ending in '\n') was received: count it, check it, and
 * leave its reply (if any) in line[] with reply = true. */
static void app_line(struct responder *r)
{
    const char *s = r->line, *end = r->line + r->line_len;
    r->line[r->line_len] = '\0';
    r->rx_lines++;
    app_check_seq(r, s, end);

    uint32 body = r->line_len - 1; /* without the '\n' (and a '\r' before it) */
    if (body && s[body - 1] == '\r') body--;
    if (body == 6 && !os_memcmp(s, "!stats", 6)) {
        app_print_stats(r);
        r->line_len = 0; /* no reply */
    } else if (body > 8 && !os_memcmp(s, "!repeat ", 8)) {
        const char *p = s + 8;
        uint32 n;
        if (!app_parse_u32(&p, s + body, &n) || p != s + body || n < 1 || n > REPEAT_MAX) {
            os_printf("asi2c_responder: bad command: %s", s); /* s ends in '\n' */
            r->line_len = 0;
        } else {
            for (uint32 i = 0; i + 1 < n; i++)
                r->line[i] = 'x';
            r->line[n - 1] = '\n';
            r->line_len = n;
        }
    }
    /* else: echo the line unchanged */
    r->reply = r->line_len != 0;
    if (r->rx_lines % STATS_EVERY == 0) app_print_stats(r);
}

/* Application task body: writes a waiting reply when the link is writable, and reads lines
 * while there is no reply waiting. Returns when it must wait for an exchange. */
static void app_run(struct responder *r)
{
    for (;;) {
        if (r->reply) {
            if (!chan_writable(r)) return;
            chan_write(r, r->line, r->line_len); /* cannot fail: writable, len <= TXBUFSIZE */
            r->reply = false;
            r->line_len = 0;
            continue;
        }
        if (!chan_readable(r)) return;
        uint32 got = chan_readline(r, r->line + r->line_len, LINE_MAX - r->line_len);
        bool eol = r->line[r->line_len + got - 1] == '\n';
        if (r->skip) { /* the rest of an over-long line */
            r->skip = !eol;
            continue;
        }
        r->line_len += got;
        if (eol) {
            app_line(r);
        } else if (r->line_len == LINE_MAX) {
            os_printf("asi2c_responder: line longer than %u bytes dropped\n", LINE_MAX);
            r->line_len = 0;
            r->skip = true;
        }
    }
}

static void app_task(os_event_t *e)
{
    struct responder *r = &responder;
    if (e->sig == SIG_START)
        sync_start(r);
    else
        app_run(r);
}

/* ======== start ======== */

/* Channel.__init__ and the soft I2C constructor: ACK output high, SYN input with pull-up (its
 * interrupt off until synchronised), SCL/SDA open drain released, then one STOP sequence. */
static void responder_init(struct responder *r)
{
    r->cantx = true;

    pad_gpio(PAD_GPIO4, false);
    pin_high(PIN_ACK);
    WRITE_PERI_REG(GPIO_PIN_ADDR(PIN_ACK), 0); /* push-pull, no interrupt */
    WRITE_PERI_REG(GPIO_ENABLE_W1TS_ADDRESS, BIT(PIN_ACK));

    pad_gpio(PAD_GPIO5, true);
    WRITE_PERI_REG(GPIO_PIN_ADDR(PIN_SYN), 0); /* interrupt disabled for now */
    WRITE_PERI_REG(GPIO_ENABLE_W1TC_ADDRESS, BIT(PIN_SYN));

    pad_gpio(PAD_GPIO0, true);
    pad_gpio(PAD_GPIO2, true);
    pin_high(PIN_SCL);
    pin_high(PIN_SDA);
    WRITE_PERI_REG(GPIO_PIN_ADDR(PIN_SCL), PIN_PAD_DRIVER);
    WRITE_PERI_REG(GPIO_PIN_ADDR(PIN_SDA), PIN_PAD_DRIVER);
    WRITE_PERI_REG(GPIO_ENABLE_W1TS_ADDRESS, BIT(PIN_SCL) | BIT(PIN_SDA));
    i2c_stop(); /* as mp_hal_i2c_init; an error (SCL held low) is ignored, as there */

    WRITE_PERI_REG(GPIO_STATUS_W1TC_ADDRESS, BIT(PIN_SYN));
    ETS_GPIO_INTR_ATTACH(syn_isr, NULL);
    ETS_GPIO_INTR_ENABLE();

    system_os_task(xchg_task, XCHG_PRIO, r->xchg_queue,
                   sizeof(r->xchg_queue) / sizeof(r->xchg_queue[0]));
    system_os_task(app_task, APP_PRIO, r->app_queue,
                   sizeof(r->app_queue) / sizeof(r->app_queue[0]));
}

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void ICACHE_FLASH_ATTR user_init(void)
{
    struct responder *r = &responder;
    os_printf("asi2c_responder: boot, reset reason %u\n", system_get_rst_info()->reason);
    responder_init(r);
    /* _run starts once the scheduler runs, as the asyncio task does */
    system_os_post(APP_PRIO, SIG_START, 0);
}
