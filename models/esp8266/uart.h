/* models/esp8266/uart.h — UART0 (0x60000000) and UART1 (0x60000F00) at register level
 * (reference/lx106.md §3.4).
 *
 * TX: a 128-byte FIFO drained at the configured line rate: one frame (start + data + parity +
 * stop bits from CONF0) every frame_bits * CLKDIV / 80 MHz. STATUS bits 23:16 report the bytes
 * still queued; each byte reaches the sink when its last bit has left the pin.
 * RX: bytes injected by the host arrive one frame time apart into a 128-byte FIFO (overflow sets
 * RXFIFO_OVF and drops the byte); STATUS bits 7:0 count them; reading FIFO pops one.
 * Interrupts: INT_RAW bits RXFIFO_FULL (count >= CONF1[6:0]), TXFIFO_EMPTY (count <
 * CONF1[14:8]), RXFIFO_OVF, RXFIFO_TOUT (RX idle for CONF1[30:24] byte times with data
 * waiting, when CONF1 bit 31 is set); INT_ST = INT_RAW & INT_ENA drives the `irq` wire
 * ("1>uartN.irq", level), which the machine routes to CPU interrupt 5.
 * CONF0 bits 17/18 reset the RX/TX FIFOs. All times derive from the node clock (sim_node_now).
 *
 * Details (uart.c): the TX count includes the byte being shifted out, so it drops when that byte
 * reaches the sink and esp_uart_tx_idle_at() is the time the line goes idle. A frame is
 * 1 start + 5..8 data (CONF0[3:2]) + parity (CONF0[1]) + 1/1.5/2 stop bits (CONF0[5:4] = 1/2/3;
 * 0 is taken as 1) bits of CLKDIV (0 taken as 1) * 12500 ps each. RXFIFO_FULL and TXFIFO_EMPTY
 * are set whenever their condition holds and stay set until INT_CLR (which sets them again at
 * once if the condition still holds); RXFIFO_OVF and RXFIFO_TOUT are events (TOUT fires once
 * per idle period, threshold 0 = at the arrival itself). While CONF0 bit 17/18 is held, the
 * RX/TX FIFO stays empty (arrivals and pushes are dropped). Not modelled: parity/framing
 * errors, break, loopback, flow control, autobaud measurement, signal inversion.
 * Reset values: CLKDIV 694 (115200 baud), CONF0 0x1C (8N1), CONF1 0x00006060 (RX full and TX
 * empty thresholds 0x60 as in Espressif's register descriptions, RX timeout off), INT_ENA 0;
 * DATE reads 0x00062000 (the version in the SDK's uart_register.h), ID reads 0; STATUS reads
 * TXD, RXD, CTSn and DSRn high (idle lines); other offsets read 0 and ignore writes.
 */
#ifndef MODELS_ESP8266_UART_H
#define MODELS_ESP8266_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"
#include "sched.h"
#include "wire.h"

#define ESP_UART_FIFO_SIZE 128u
#define ESP_UART_CLK_HZ    80000000u /* APB clock, independent of the CPU's 80/160 MHz */

/* Register offsets */
#define ESP_UART_FIFO     0x00u
#define ESP_UART_INT_RAW  0x04u
#define ESP_UART_INT_ST   0x08u
#define ESP_UART_INT_ENA  0x0Cu
#define ESP_UART_INT_CLR  0x10u
#define ESP_UART_CLKDIV   0x14u
#define ESP_UART_AUTOBAUD 0x18u
#define ESP_UART_STATUS   0x1Cu
#define ESP_UART_CONF0    0x20u
#define ESP_UART_CONF1    0x24u
#define ESP_UART_DATE     0x78u
#define ESP_UART_ID       0x7Cu

/* INT bits */
#define ESP_UART_INT_RXFIFO_FULL  (1u << 0)
#define ESP_UART_INT_TXFIFO_EMPTY (1u << 1)
#define ESP_UART_INT_RXFIFO_OVF   (1u << 4)
#define ESP_UART_INT_RXFIFO_TOUT  (1u << 8)

/* Receives each transmitted byte at the time its stop bit ends. */
typedef void (*esp_uart_sink_fn)(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps);

typedef struct esp_uart {
    sim_node *node;
    unsigned index; /* 0 or 1 */
    sim_wire irq;   /* "1>uartN.irq" */
    esp_uart_sink_fn sink;
    void *sink_opaque;

    uint32_t int_raw, int_ena, clkdiv, conf0, conf1, autobaud;

    uint8_t tx[ESP_UART_FIFO_SIZE];
    unsigned tx_head, tx_count;
    sim_event tx_done; /* end of the frame being sent */

    uint8_t rx[ESP_UART_FIFO_SIZE];
    unsigned rx_head, rx_count;
    uint8_t *rx_pending; /* injected bytes not yet on the wire (owned) */
    size_t rx_pending_len, rx_pending_pos, rx_pending_cap;
    sim_event rx_arrive;   /* next injected byte reaches the FIFO */
    sim_event rx_tout;     /* RX timeout check */
    uint64_t rx_last_ps;   /* arrival time of the last byte */
    bool rx_idle_reported; /* RXFIFO_TOUT already raised for the current idle period */
} esp_uart;

void esp_uart_init(esp_uart *u, sim_node *node, unsigned index, esp_uart_sink_fn sink,
                   void *sink_opaque);
void esp_uart_free(esp_uart *u);
/* Chip reset: empties both FIFOs (the frame being sent is lost), restores the reset register
 * values and lowers irq. Injected bytes still on the wire keep arriving (the sender does not
 * know the chip reset). esp_uart_init must have run. */
void esp_uart_reset(esp_uart *u);
/* Register access (offset within the 0x100-byte block). */
uint32_t esp_uart_read(esp_uart *u, uint32_t off, unsigned size);
void esp_uart_write(esp_uart *u, uint32_t off, uint32_t value, unsigned size);

/* Host side: queue bytes to arrive on RX, one frame time apart, starting now. */
bool esp_uart_inject(esp_uart *u, const uint8_t *data, size_t len);

/* For ROM models: time (ps) at which the TX FIFO will be empty (now if it is). */
uint64_t esp_uart_tx_idle_at(const esp_uart *u);
/* Duration of one frame at the current settings, in ps. */
uint64_t esp_uart_frame_ps(const esp_uart *u);
/* Pushes one byte as a write to FIFO would; returns false if the FIFO is full. */
bool esp_uart_tx_push(esp_uart *u, uint8_t byte);
/* Pops one RX byte; returns false if the FIFO is empty. */
bool esp_uart_rx_pop(esp_uart *u, uint8_t *byte);

#endif
