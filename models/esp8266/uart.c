/* models/esp8266/uart.c — UART0/UART1 at register level; see uart.h (reference/lx106.md §3.4). */
#include "esp8266/uart.h"

#include <stdlib.h>
#include <string.h>

#define UART_CLKDIV_RESET 694u        /* 80 MHz / 694 = 115274 baud ("115200") */
#define UART_CONF0_RESET  0x1Cu       /* 8 data bits, 1 stop bit, no parity */
#define UART_CONF1_RESET  0x00006060u /* RX full 0x60, TX empty 0x60, timeout off */
#define UART_DATE_VALUE   0x00062000u /* "version value" in the SDK's uart_register.h */
#define UART_ID_VALUE     0u

#define UART_CONF0_PARITY_EN  (1u << 1)
#define UART_CONF0_RXFIFO_RST (1u << 17)
#define UART_CONF0_TXFIFO_RST (1u << 18)
#define UART_CONF1_TOUT_EN    (1u << 31)

/* STATUS line bits read as idle-high: TXD (31), RXD (15), CTSn (14), DSRn (13). */
#define UART_STATUS_LINES ((1u << 31) | (1u << 15) | (1u << 14) | (1u << 13))

#define UART_BIT_PS 12500u /* one CLKDIV count at 80 MHz */

static uint64_t uart_now(const esp_uart *u)
{
    return sim_node_now(u->node);
}

static unsigned uart_rx_full_thr(const esp_uart *u)
{
    return u->conf1 & 0x7Fu;
}

static unsigned uart_tx_empty_thr(const esp_uart *u)
{
    return (u->conf1 >> 8) & 0x7Fu;
}

static unsigned uart_tout_thr(const esp_uart *u)
{
    return (u->conf1 >> 24) & 0x7Fu;
}

/* Sets the level-condition interrupt bits and drives the irq wire from INT_ST. An empty RX
 * FIFO is never "full", whatever the threshold: the SDK's driver_lib/driver/uart.c writes
 * UART1's threshold from a trigger level that can be 0 and enables RXFIFO_FULL, and Espressif's
 * prebuilt AT firmware, which does that, does not live in an interrupt storm on a chip. */
static void uart_update(esp_uart *u)
{
    if (u->rx_count > 0 && u->rx_count >= uart_rx_full_thr(u))
        u->int_raw |= ESP_UART_INT_RXFIFO_FULL;
    if (u->tx_count < uart_tx_empty_thr(u)) u->int_raw |= ESP_UART_INT_TXFIFO_EMPTY;
    sim_wire_set(&u->irq, (u->int_raw & u->int_ena) != 0);
}

uint64_t esp_uart_frame_ps(const esp_uart *u)
{
    uint32_t c0 = u->conf0;
    uint64_t half_bits = 2u;                   /* start bit */
    half_bits += 2u * (5u + ((c0 >> 2) & 3u)); /* data bits */
    if (c0 & UART_CONF0_PARITY_EN) half_bits += 2u;
    switch ((c0 >> 4) & 3u) {
    case 2: half_bits += 3u; break;  /* 1.5 stop bits */
    case 3: half_bits += 4u; break;  /* 2 stop bits */
    default: half_bits += 2u; break; /* 1 (field 0 is taken as 1) */
    }
    uint64_t div = u->clkdiv & 0xFFFFFu;
    if (div == 0) div = 1;
    return half_bits * div * (UART_BIT_PS / 2u);
}

/* (Re)arms the RX timeout check for the current idle period, or cancels it. */
static void uart_tout_arm(esp_uart *u, uint64_t now)
{
    bool want = (u->conf1 & UART_CONF1_TOUT_EN) && u->rx_count > 0 && !u->rx_idle_reported;
    if (!want) {
        if (sim_event_pending(&u->rx_tout)) sim_sched_cancel(&u->node->sched, &u->rx_tout);
        return;
    }
    uint64_t when = u->rx_last_ps + (uint64_t)uart_tout_thr(u) * esp_uart_frame_ps(u);
    if (when < now) when = now;
    sim_sched_reschedule(&u->node->sched, &u->rx_tout, when);
}

static void uart_on_tout(void *opaque, sim_event *ev, uint64_t now)
{
    esp_uart *u = opaque;
    (void)ev;
    (void)now;
    if ((u->conf1 & UART_CONF1_TOUT_EN) && u->rx_count > 0 && !u->rx_idle_reported) {
        u->int_raw |= ESP_UART_INT_RXFIFO_TOUT;
        u->rx_idle_reported = true;
        uart_update(u);
    }
}

static void uart_on_tx_done(void *opaque, sim_event *ev, uint64_t now)
{
    esp_uart *u = opaque;
    (void)ev;
    if (u->tx_count == 0) return;
    uint8_t byte = u->tx[u->tx_head];
    u->tx_head = (u->tx_head + 1u) % ESP_UART_FIFO_SIZE;
    u->tx_count--;
    if (u->tx_count) sim_sched_at(&u->node->sched, &u->tx_done, now + esp_uart_frame_ps(u));
    uart_update(u);
    if (u->sink) u->sink(u->sink_opaque, u->index, byte, now);
}

static void uart_on_rx_arrive(void *opaque, sim_event *ev, uint64_t now)
{
    esp_uart *u = opaque;
    (void)ev;
    if (u->rx_pending_pos >= u->rx_pending_len) return;
    uint8_t byte = u->rx_pending[u->rx_pending_pos++];
    if (u->rx_pending_pos == u->rx_pending_len) {
        u->rx_pending_pos = 0;
        u->rx_pending_len = 0;
    } else {
        sim_sched_at(&u->node->sched, &u->rx_arrive, now + esp_uart_frame_ps(u));
    }
    if (u->conf0 & UART_CONF0_RXFIFO_RST) return; /* FIFO held in reset: the byte is lost */
    u->rx_last_ps = now;
    u->rx_idle_reported = false;
    if (u->rx_count == ESP_UART_FIFO_SIZE) {
        u->int_raw |= ESP_UART_INT_RXFIFO_OVF;
    } else {
        u->rx[(u->rx_head + u->rx_count) % ESP_UART_FIFO_SIZE] = byte;
        u->rx_count++;
    }
    uart_tout_arm(u, now);
    uart_update(u);
}

static void uart_set_defaults(esp_uart *u)
{
    u->int_raw = 0;
    u->int_ena = 0;
    u->clkdiv = UART_CLKDIV_RESET;
    u->conf0 = UART_CONF0_RESET;
    u->conf1 = UART_CONF1_RESET;
    u->autobaud = 0;
    u->tx_head = u->tx_count = 0;
    u->rx_head = u->rx_count = 0;
    u->rx_last_ps = 0;
    u->rx_idle_reported = false;
}

void esp_uart_init(esp_uart *u, sim_node *node, unsigned index, esp_uart_sink_fn sink,
                   void *sink_opaque)
{
    memset(u, 0, sizeof(*u));
    u->node = node;
    u->index = index;
    u->sink = sink;
    u->sink_opaque = sink_opaque;
    sim_wire_init(&u->irq, index ? "1>uart1.irq" : "1>uart0.irq", 0);
    sim_event_init(&u->tx_done, index ? "uart1.tx" : "uart0.tx", uart_on_tx_done, u, 0);
    sim_event_init(&u->rx_arrive, index ? "uart1.rx" : "uart0.rx", uart_on_rx_arrive, u, 0);
    sim_event_init(&u->rx_tout, index ? "uart1.tout" : "uart0.tout", uart_on_tout, u, 0);
    uart_set_defaults(u);
    uart_update(u);
}

void esp_uart_reset(esp_uart *u)
{
    if (sim_event_pending(&u->tx_done)) sim_sched_cancel(&u->node->sched, &u->tx_done);
    if (sim_event_pending(&u->rx_tout)) sim_sched_cancel(&u->node->sched, &u->rx_tout);
    uart_set_defaults(u);
    u->int_raw = 0;
    sim_wire_set(&u->irq, 0);
    uart_update(u);
}

void esp_uart_free(esp_uart *u)
{
    if (u->node) {
        sim_event *evs[3] = {&u->tx_done, &u->rx_arrive, &u->rx_tout};
        for (unsigned i = 0; i < 3; i++)
            if (sim_event_pending(evs[i])) sim_sched_cancel(&u->node->sched, evs[i]);
    }
    free(u->rx_pending);
    u->rx_pending = NULL;
    u->rx_pending_len = u->rx_pending_pos = u->rx_pending_cap = 0;
}

bool esp_uart_tx_push(esp_uart *u, uint8_t byte)
{
    if (u->conf0 & UART_CONF0_TXFIFO_RST) return false;
    if (u->tx_count == ESP_UART_FIFO_SIZE) return false;
    u->tx[(u->tx_head + u->tx_count) % ESP_UART_FIFO_SIZE] = byte;
    u->tx_count++;
    if (!sim_event_pending(&u->tx_done))
        sim_sched_at(&u->node->sched, &u->tx_done, uart_now(u) + esp_uart_frame_ps(u));
    uart_update(u);
    return true;
}

bool esp_uart_rx_pop(esp_uart *u, uint8_t *byte)
{
    if (u->rx_count == 0) return false;
    *byte = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1u) % ESP_UART_FIFO_SIZE;
    u->rx_count--;
    uart_tout_arm(u, uart_now(u));
    uart_update(u);
    return true;
}

uint64_t esp_uart_tx_idle_at(const esp_uart *u)
{
    uint64_t now = uart_now(u);
    if (u->tx_count == 0 || !sim_event_pending(&u->tx_done)) return now;
    uint64_t t = u->tx_done.when + (uint64_t)(u->tx_count - 1u) * esp_uart_frame_ps(u);
    return t > now ? t : now;
}

bool esp_uart_inject(esp_uart *u, const uint8_t *data, size_t len)
{
    sim_node_touch(u->node);
    if (len == 0) return true;
    if (u->rx_pending_pos > 0 && u->rx_pending_pos == u->rx_pending_len) {
        u->rx_pending_pos = u->rx_pending_len = 0;
    }
    if (len > SIZE_MAX - u->rx_pending_len) return false;
    size_t need = u->rx_pending_len + len;
    if (need > u->rx_pending_cap) {
        size_t cap = u->rx_pending_cap ? u->rx_pending_cap : 64u;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        uint8_t *p = realloc(u->rx_pending, cap);
        if (!p) return false;
        u->rx_pending = p;
        u->rx_pending_cap = cap;
    }
    memcpy(u->rx_pending + u->rx_pending_len, data, len);
    u->rx_pending_len = need;
    if (!sim_event_pending(&u->rx_arrive))
        sim_sched_at(&u->node->sched, &u->rx_arrive, uart_now(u) + esp_uart_frame_ps(u));
    return true;
}

static void uart_write_conf0(esp_uart *u, uint32_t value)
{
    u->conf0 = value;
    if (value & UART_CONF0_RXFIFO_RST) {
        u->rx_head = u->rx_count = 0;
        u->rx_idle_reported = false;
    }
    if (value & UART_CONF0_TXFIFO_RST) {
        u->tx_head = u->tx_count = 0;
        if (sim_event_pending(&u->tx_done)) sim_sched_cancel(&u->node->sched, &u->tx_done);
    }
    uart_tout_arm(u, uart_now(u));
}

/* Stored value of a register, for merging sub-word writes; 0 for write-only ones. */
static uint32_t uart_stored(const esp_uart *u, uint32_t reg)
{
    switch (reg) {
    case ESP_UART_INT_ENA: return u->int_ena;
    case ESP_UART_CLKDIV: return u->clkdiv;
    case ESP_UART_AUTOBAUD: return u->autobaud;
    case ESP_UART_CONF0: return u->conf0;
    case ESP_UART_CONF1: return u->conf1;
    default: return 0;
    }
}

uint32_t esp_uart_read(esp_uart *u, uint32_t off, unsigned size)
{
    uint32_t reg = off & 0xFCu, shift = (off & 3u) * 8u;
    uint32_t v = 0;
    switch (reg) {
    case ESP_UART_FIFO: {
        uint8_t b = 0;
        if (shift == 0) esp_uart_rx_pop(u, &b); /* only the byte lane 0 access pops */
        v = b;
        break;
    }
    case ESP_UART_INT_RAW: v = u->int_raw; break;
    case ESP_UART_INT_ST: v = u->int_raw & u->int_ena; break;
    case ESP_UART_INT_ENA: v = u->int_ena; break;
    case ESP_UART_CLKDIV: v = u->clkdiv; break;
    case ESP_UART_AUTOBAUD: v = u->autobaud; break;
    case ESP_UART_STATUS:
        v = UART_STATUS_LINES | (uint32_t)u->rx_count | (uint32_t)u->tx_count << 16;
        break;
    case ESP_UART_CONF0: v = u->conf0; break;
    case ESP_UART_CONF1: v = u->conf1; break;
    case ESP_UART_DATE: v = UART_DATE_VALUE; break;
    case ESP_UART_ID: v = UART_ID_VALUE; break;
    default: v = 0; break;
    }
    v >>= shift;
    if (size < 4) v &= (1u << (8u * size)) - 1u;
    return v;
}

void esp_uart_write(esp_uart *u, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t reg = off & 0xFCu, shift = (off & 3u) * 8u;
    if (reg == ESP_UART_FIFO) {
        if (shift == 0) esp_uart_tx_push(u, (uint8_t)value);
        return;
    }
    if (size < 4) {
        uint32_t mask = ((1u << (8u * size)) - 1u) << shift;
        value = (uart_stored(u, reg) & ~mask) | ((value << shift) & mask);
    }
    switch (reg) {
    case ESP_UART_INT_ENA: u->int_ena = value & 0x1FFu; break;
    case ESP_UART_INT_CLR: u->int_raw &= ~value; break;
    case ESP_UART_CLKDIV: u->clkdiv = value & 0xFFFFFu; break;
    case ESP_UART_AUTOBAUD: u->autobaud = value; break;
    case ESP_UART_CONF0: uart_write_conf0(u, value); break;
    case ESP_UART_CONF1:
        u->conf1 = value;
        uart_tout_arm(u, uart_now(u));
        break;
    default: return; /* read-only or not modelled */
    }
    uart_update(u);
}
