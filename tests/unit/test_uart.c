/* tests/unit/test_uart.c — models/esp8266/uart: reset values, TX line timing and STATUS counts,
 * frame lengths, RX injection and overflow, the RXFIFO_FULL / TXFIFO_EMPTY / RXFIFO_TOUT
 * interrupts and the irq wire, INT_CLR and the FIFO resets. Time is driven on a bare node by
 * moving its cycle counter and running the event queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp8266/uart.h"

#define FRAME_8N1 (10ull * 694u * 12500u) /* 86.75 us */
#define CYCLE     12500u                  /* one CPU cycle at 80 MHz: the time step of advance() */

typedef struct rig {
    sim_node node;
    esp_uart u;
    uint8_t got[256];
    uint64_t got_ps[256];
    unsigned ngot;
    unsigned irq_changes;
} rig;

static void sink(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps)
{
    rig *r = opaque;
    assert_int_equal(uart, r->u.index);
    r->got[r->ngot] = byte;
    r->got_ps[r->ngot] = t_ps;
    r->ngot++;
}

static void on_irq(void *opaque, sim_wire *w, uint32_t value)
{
    rig *r = opaque;
    (void)w;
    (void)value;
    r->irq_changes++;
}

static rig *rig_new(unsigned index)
{
    rig *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    sim_node_init(&r->node, "n", 0x40000080u, 80000000u, 0, 0);
    esp_uart_init(&r->u, &r->node, index, sink, r);
    sim_wire_connect(&r->u.irq, on_irq, r);
    return r;
}

static void rig_free(rig *r)
{
    esp_uart_free(&r->u);
    sim_node_free(&r->node);
    free(r);
}

/* Moves the node to the first cycle at or after t_ps and runs every event due by then. */
static void advance(rig *r, uint64_t t_ps)
{
    r->node.cpu.cycles = sim_node_cycle_at(&r->node, t_ps);
    sim_sched_run_until(&r->node.sched, sim_node_now(&r->node));
}

static uint32_t rd(rig *r, uint32_t off)
{
    return esp_uart_read(&r->u, off, 4);
}

static void wr(rig *r, uint32_t off, uint32_t v)
{
    esp_uart_write(&r->u, off, v, 4);
}

static unsigned tx_count(rig *r)
{
    return (rd(r, ESP_UART_STATUS) >> 16) & 0xFFu;
}

static unsigned rx_count(rig *r)
{
    return rd(r, ESP_UART_STATUS) & 0xFFu;
}

static void test_reset_values(void **state)
{
    (void)state;
    rig *r = rig_new(1);
    assert_string_equal(r->u.irq.name, "1>uart1.irq");
    assert_int_equal(rd(r, ESP_UART_CLKDIV), 694);
    assert_int_equal(rd(r, ESP_UART_CONF0), 0x1C);
    assert_int_equal(rd(r, ESP_UART_CONF1), 0x6060);
    assert_int_equal(rd(r, ESP_UART_DATE), 0x00062000);
    assert_int_equal(rd(r, ESP_UART_INT_ENA), 0);
    /* empty FIFOs, TXD/RXD/CTSn/DSRn idle high */
    assert_int_equal(rd(r, ESP_UART_STATUS), 0x8000E000u);
    /* TX FIFO below the empty threshold, nothing enabled: no interrupt */
    assert_int_equal(rd(r, ESP_UART_INT_RAW), ESP_UART_INT_TXFIFO_EMPTY);
    assert_int_equal(rd(r, ESP_UART_INT_ST), 0);
    assert_int_equal(r->u.irq.value, 0);
    assert_int_equal(esp_uart_frame_ps(&r->u), FRAME_8N1);
    rig_free(r);
}

/* Bytes reach the sink exactly one frame apart; STATUS counts down as they leave. */
static void test_tx_timing(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    const uint64_t t0 = 1000000; /* 1 us */
    advance(r, t0);
    wr(r, ESP_UART_FIFO, 'A');
    wr(r, ESP_UART_FIFO, 'B');
    esp_uart_write(&r->u, ESP_UART_FIFO, 'C', 1); /* byte store */
    assert_int_equal(tx_count(r), 3);
    assert_int_equal(esp_uart_tx_idle_at(&r->u), t0 + 3 * FRAME_8N1);

    advance(r, t0 + FRAME_8N1 - CYCLE);
    assert_int_equal(r->ngot, 0);
    assert_int_equal(tx_count(r), 3);
    advance(r, t0 + FRAME_8N1);
    assert_int_equal(r->ngot, 1);
    assert_int_equal(tx_count(r), 2);
    advance(r, t0 + 2 * FRAME_8N1);
    assert_int_equal(tx_count(r), 1);
    advance(r, t0 + 10 * FRAME_8N1);
    assert_int_equal(tx_count(r), 0);
    assert_int_equal(r->ngot, 3);
    assert_memory_equal(r->got, "ABC", 3);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(r->got_ps[i], t0 + (i + 1) * FRAME_8N1);
    assert_int_equal(esp_uart_tx_idle_at(&r->u), sim_node_now(&r->node));

    /* a byte written later starts its own frame at the write time */
    uint64_t t1 = sim_node_now(&r->node);
    assert_true(esp_uart_tx_push(&r->u, 'D'));
    advance(r, t1 + 5 * FRAME_8N1);
    assert_int_equal(r->ngot, 4);
    assert_int_equal(r->got_ps[3], t1 + FRAME_8N1);
    rig_free(r);
}

static void test_frame_lengths(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    /* 8E2: start + 8 + parity + 2 stop = 12 bits */
    wr(r, ESP_UART_CONF0, 0x3E);
    assert_int_equal(esp_uart_frame_ps(&r->u), 12ull * 694u * 12500u);
    /* 5N1.5: 1 + 5 + 1.5 = 7.5 bits */
    wr(r, ESP_UART_CONF0, 0x20);
    assert_int_equal(esp_uart_frame_ps(&r->u), 15ull * 694u * 6250u);
    /* 7O1 at 74880 baud (CLKDIV 1068) */
    wr(r, ESP_UART_CONF0, 0x1B);
    wr(r, ESP_UART_CLKDIV, 1068);
    assert_int_equal(esp_uart_frame_ps(&r->u), 10ull * 1068u * 12500u);
    /* CLKDIV 0 counts as 1; only bits 19:0 are kept */
    wr(r, ESP_UART_CONF0, 0x1C);
    wr(r, ESP_UART_CLKDIV, 0xFFF00000u);
    assert_int_equal(rd(r, ESP_UART_CLKDIV), 0);
    assert_int_equal(esp_uart_frame_ps(&r->u), 10ull * 12500u);

    /* 8E2 on the wire: two bytes 12 bits apart */
    wr(r, ESP_UART_CLKDIV, 694);
    wr(r, ESP_UART_CONF0, 0x3E);
    wr(r, ESP_UART_FIFO, 0x55);
    wr(r, ESP_UART_FIFO, 0xAA);
    advance(r, 10 * FRAME_8N1);
    assert_int_equal(r->ngot, 2);
    assert_int_equal(r->got_ps[0], 12ull * 694u * 12500u);
    assert_int_equal(r->got_ps[1], 24ull * 694u * 12500u);
    rig_free(r);
}

static void test_rx_inject(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    const uint64_t t0 = 5000000;
    advance(r, t0);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"hi", 2));
    assert_int_equal(rx_count(r), 0);
    advance(r, t0 + FRAME_8N1 - CYCLE);
    assert_int_equal(rx_count(r), 0);
    advance(r, t0 + FRAME_8N1);
    assert_int_equal(rx_count(r), 1);
    /* more bytes queue behind the ones still on the wire */
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"!", 1));
    advance(r, t0 + 2 * FRAME_8N1);
    assert_int_equal(rx_count(r), 2);
    advance(r, t0 + 3 * FRAME_8N1);
    assert_int_equal(rx_count(r), 3);
    assert_int_equal(rd(r, ESP_UART_FIFO), 'h');
    uint8_t b = 0;
    assert_true(esp_uart_rx_pop(&r->u, &b));
    assert_int_equal(b, 'i');
    assert_int_equal(esp_uart_read(&r->u, ESP_UART_FIFO, 1), '!');
    assert_int_equal(rx_count(r), 0);
    assert_false(esp_uart_rx_pop(&r->u, &b));
    assert_int_equal(rd(r, ESP_UART_FIFO), 0);
    rig_free(r);
}

static void test_rx_overflow(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    uint8_t data[130];
    for (unsigned i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)i;
    wr(r, ESP_UART_CONF1, 0x7F7F); /* keep RXFIFO_FULL out of the way */
    assert_true(esp_uart_inject(&r->u, data, sizeof(data)));
    advance(r, 128 * FRAME_8N1);
    assert_int_equal(rx_count(r), 128);
    assert_int_equal(rd(r, ESP_UART_INT_RAW) & ESP_UART_INT_RXFIFO_OVF, 0);
    wr(r, ESP_UART_INT_ENA, ESP_UART_INT_RXFIFO_OVF);
    advance(r, 129 * FRAME_8N1);
    assert_int_equal(rx_count(r), 128);
    assert_int_not_equal(rd(r, ESP_UART_INT_ST) & ESP_UART_INT_RXFIFO_OVF, 0);
    assert_int_equal(r->u.irq.value, 1);
    advance(r, 200 * FRAME_8N1);
    for (unsigned i = 0; i < 128; i++)
        assert_int_equal(rd(r, ESP_UART_FIFO), i);
    /* OVF is an event: it stays until cleared */
    assert_int_equal(r->u.irq.value, 1);
    wr(r, ESP_UART_INT_CLR, ESP_UART_INT_RXFIFO_OVF);
    assert_int_equal(r->u.irq.value, 0);
    rig_free(r);
}

/* Threshold 0 (UART1 as the SDK's uart_config leaves it): no interrupt while the FIFO is empty,
 * one as soon as a byte is in it. */
static void test_rxfifo_full_threshold_zero(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    wr(r, ESP_UART_CONF1, 0x6000);
    wr(r, ESP_UART_INT_ENA, ESP_UART_INT_RXFIFO_FULL);
    advance(r, 10 * FRAME_8N1);
    assert_int_equal(r->u.irq.value, 0);
    assert_int_equal(rd(r, ESP_UART_INT_RAW) & ESP_UART_INT_RXFIFO_FULL, 0);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"a", 1));
    advance(r, 12 * FRAME_8N1); /* advance() takes absolute times */
    assert_int_equal(rx_count(r), 1);
    assert_int_equal(r->u.irq.value, 1);
    rd(r, ESP_UART_FIFO);
    wr(r, ESP_UART_INT_CLR, ESP_UART_INT_RXFIFO_FULL);
    assert_int_equal(r->u.irq.value, 0);
    rig_free(r);
}

static void test_rxfifo_full_irq(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    wr(r, ESP_UART_CONF1, 0x6000 | 4); /* full at 4 bytes */
    wr(r, ESP_UART_INT_ENA, ESP_UART_INT_RXFIFO_FULL);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"abcde", 5));
    advance(r, 4 * FRAME_8N1 - CYCLE);
    assert_int_equal(rx_count(r), 3);
    assert_int_equal(r->u.irq.value, 0);
    assert_int_equal(r->irq_changes, 0);
    advance(r, 4 * FRAME_8N1);
    assert_int_equal(r->u.irq.value, 1);
    assert_int_equal(r->irq_changes, 1);
    assert_int_equal(rd(r, ESP_UART_INT_ST), ESP_UART_INT_RXFIFO_FULL);
    /* clearing while the FIFO is still at the threshold sets it again at once */
    wr(r, ESP_UART_INT_CLR, ESP_UART_INT_RXFIFO_FULL);
    assert_int_equal(r->u.irq.value, 1);
    /* drain below the threshold, then clear: the line drops */
    rd(r, ESP_UART_FIFO);
    rd(r, ESP_UART_FIFO);
    wr(r, ESP_UART_INT_CLR, ESP_UART_INT_RXFIFO_FULL);
    assert_int_equal(r->u.irq.value, 0);
    assert_int_equal(rd(r, ESP_UART_INT_RAW) & ESP_UART_INT_RXFIFO_FULL, 0);
    /* disabling the source also drops the line */
    advance(r, 10 * FRAME_8N1); /* 3 bytes now */
    rd(r, ESP_UART_FIFO);
    assert_int_equal(r->u.irq.value, 0);
    wr(r, ESP_UART_CONF1, 0x6000 | 2);
    assert_int_equal(r->u.irq.value, 1);
    wr(r, ESP_UART_INT_ENA, 0);
    assert_int_equal(r->u.irq.value, 0);
    assert_int_not_equal(rd(r, ESP_UART_INT_RAW) & ESP_UART_INT_RXFIFO_FULL, 0);
    rig_free(r);
}

static void test_txfifo_empty_irq(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    wr(r, ESP_UART_CONF1, (2u << 8) | 0x60); /* empty below 2 bytes */
    for (unsigned i = 0; i < 5; i++)
        wr(r, ESP_UART_FIFO, '0' + i);
    wr(r, ESP_UART_INT_CLR, ESP_UART_INT_TXFIFO_EMPTY);
    assert_int_equal(rd(r, ESP_UART_INT_RAW) & ESP_UART_INT_TXFIFO_EMPTY, 0);
    wr(r, ESP_UART_INT_ENA, ESP_UART_INT_TXFIFO_EMPTY);
    assert_int_equal(r->u.irq.value, 0);
    advance(r, 3 * FRAME_8N1); /* 2 left: not below 2 */
    assert_int_equal(tx_count(r), 2);
    assert_int_equal(r->u.irq.value, 0);
    advance(r, 4 * FRAME_8N1); /* 1 left */
    assert_int_equal(tx_count(r), 1);
    assert_int_equal(r->u.irq.value, 1);
    assert_int_equal(rd(r, ESP_UART_INT_ST), ESP_UART_INT_TXFIFO_EMPTY);
    /* the usual driver reaction: refill, clear */
    for (unsigned i = 0; i < 4; i++)
        assert_true(esp_uart_tx_push(&r->u, 'x'));
    wr(r, ESP_UART_INT_CLR, ESP_UART_INT_TXFIFO_EMPTY);
    assert_int_equal(r->u.irq.value, 0);
    advance(r, 20 * FRAME_8N1);
    assert_int_equal(r->ngot, 9);
    assert_int_equal(r->u.irq.value, 1);
    rig_free(r);
}

static void test_rx_timeout(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    /* timeout after 3 idle byte times, enabled; full threshold out of the way */
    wr(r, ESP_UART_CONF1, (1u << 31) | (3u << 24) | 0x607F);
    wr(r, ESP_UART_INT_ENA, ESP_UART_INT_RXFIFO_TOUT);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"ab", 2));
    uint64_t last = 2 * FRAME_8N1;
    advance(r, last + 3 * FRAME_8N1 - CYCLE);
    assert_int_equal(rx_count(r), 2);
    assert_int_equal(r->u.irq.value, 0);
    advance(r, last + 3 * FRAME_8N1);
    assert_int_equal(r->u.irq.value, 1);
    assert_int_equal(rd(r, ESP_UART_INT_ST), ESP_UART_INT_RXFIFO_TOUT);
    /* once per idle period */
    wr(r, ESP_UART_INT_CLR, ESP_UART_INT_RXFIFO_TOUT);
    assert_int_equal(r->u.irq.value, 0);
    advance(r, last + 20 * FRAME_8N1);
    assert_int_equal(r->u.irq.value, 0);
    /* a new byte starts a new idle period */
    uint64_t t1 = sim_node_now(&r->node);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"c", 1));
    advance(r, t1 + 4 * FRAME_8N1 - CYCLE);
    assert_int_equal(r->u.irq.value, 0);
    advance(r, t1 + 4 * FRAME_8N1);
    assert_int_equal(r->u.irq.value, 1);
    wr(r, ESP_UART_INT_CLR, ESP_UART_INT_RXFIFO_TOUT);

    /* reading the FIFO empty before the timeout: no interrupt */
    while (rx_count(r))
        rd(r, ESP_UART_FIFO);
    uint64_t t2 = sim_node_now(&r->node);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"d", 1));
    advance(r, t2 + FRAME_8N1);
    assert_int_equal(rd(r, ESP_UART_FIFO), 'd');
    advance(r, t2 + 20 * FRAME_8N1);
    assert_int_equal(r->u.irq.value, 0);

    /* disabled (CONF1 bit 31 clear): no interrupt either */
    wr(r, ESP_UART_CONF1, (3u << 24) | 0x607F);
    uint64_t t3 = sim_node_now(&r->node);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"e", 1));
    advance(r, t3 + 20 * FRAME_8N1);
    assert_int_equal(rd(r, ESP_UART_INT_RAW) & ESP_UART_INT_RXFIFO_TOUT, 0);
    /* enabling it later with data waiting and the idle time passed fires at once */
    wr(r, ESP_UART_CONF1, (1u << 31) | (3u << 24) | 0x607F);
    advance(r, sim_node_now(&r->node));
    assert_int_equal(r->u.irq.value, 1);
    rig_free(r);
}

static void test_fifo_reset(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    for (unsigned i = 0; i < 3; i++)
        wr(r, ESP_UART_FIFO, 'a' + i);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"xyz", 3));
    advance(r, 2 * FRAME_8N1);
    assert_int_equal(r->ngot, 2);
    assert_int_equal(rx_count(r), 2);
    /* TX reset: the rest is gone (the frame in progress included) */
    wr(r, ESP_UART_CONF0, 0x1C | (1u << 18));
    assert_int_equal(tx_count(r), 0);
    assert_false(esp_uart_tx_push(&r->u, 'q')); /* held in reset */
    wr(r, ESP_UART_CONF0, 0x1C);
    advance(r, 10 * FRAME_8N1);
    assert_int_equal(r->ngot, 2);
    assert_int_equal(rx_count(r), 3);
    /* RX reset */
    wr(r, ESP_UART_CONF0, 0x1C | (1u << 17));
    assert_int_equal(rx_count(r), 0);
    wr(r, ESP_UART_CONF0, 0x1C);
    /* both work again */
    uint64_t t = sim_node_now(&r->node);
    wr(r, ESP_UART_FIFO, 'k');
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"m", 1));
    advance(r, t + FRAME_8N1);
    assert_int_equal(r->ngot, 3);
    assert_int_equal(r->got[2], 'k');
    assert_int_equal(rd(r, ESP_UART_FIFO), 'm');
    rig_free(r);
}

static void test_fifo_limits_and_reset(void **state)
{
    (void)state;
    rig *r = rig_new(0);
    for (unsigned i = 0; i < ESP_UART_FIFO_SIZE; i++)
        assert_true(esp_uart_tx_push(&r->u, 'z'));
    assert_false(esp_uart_tx_push(&r->u, 'z'));
    wr(r, ESP_UART_FIFO, 'w'); /* dropped */
    assert_int_equal(tx_count(r), ESP_UART_FIFO_SIZE);
    assert_int_equal(esp_uart_tx_idle_at(&r->u), ESP_UART_FIFO_SIZE * FRAME_8N1);
    wr(r, ESP_UART_CLKDIV, 100);
    wr(r, ESP_UART_INT_ENA, ESP_UART_INT_RXFIFO_FULL);
    assert_true(esp_uart_inject(&r->u, (const uint8_t *)"pq", 2));
    /* chip reset: FIFOs empty, registers back, irq low; bytes on the wire still arrive */
    esp_uart_reset(&r->u);
    assert_int_equal(tx_count(r), 0);
    assert_int_equal(rd(r, ESP_UART_CLKDIV), 694);
    assert_int_equal(rd(r, ESP_UART_INT_ENA), 0);
    advance(r, 1000 * FRAME_8N1);
    assert_int_equal(r->ngot, 0);
    assert_int_equal(rx_count(r), 2);
    rig_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_values),
        cmocka_unit_test(test_tx_timing),
        cmocka_unit_test(test_frame_lengths),
        cmocka_unit_test(test_rx_inject),
        cmocka_unit_test(test_rx_overflow),
        cmocka_unit_test(test_rxfifo_full_irq),
        cmocka_unit_test(test_rxfifo_full_threshold_zero),
        cmocka_unit_test(test_txfifo_empty_irq),
        cmocka_unit_test(test_rx_timeout),
        cmocka_unit_test(test_fifo_reset),
        cmocka_unit_test(test_fifo_limits_and_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
