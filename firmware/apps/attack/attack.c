/* apps/attack — firmware that attacks the simulator (issue 14,
 * docs/reliability.md#guest-isolation). Whatever it does, espsim must end the node with a guest
 * fault reported as the chip reports it, or keep it running, and the host process must stay well
 * (tests/scenarios/attack_check.sh runs it in the Release and the ASan + UBSan builds).
 *
 * Config: flash offset 0x70000 (a scenario's `config:`), tokens key=value separated by white
 * space, ending at the first NUL or 0xFF:
 *   mode=write|read|jump|periph|uart|gpio|irq|exhaust|stack|simcall   (default: idle)
 *   stride=N        write/read/jump: the sweep's step in bytes (decimal, 1 .. 2^28; default
 *                   65536; unaligned addresses fault with cause 9, handled as the others)
 *   from=0xA to=0xB the sweep covers [A, B) (hex; default the whole 4 GB; B = 0: to the end)
 *   final=fault|idle  after a sweep: one unhandled store to the boot ROM, after exhaust: an
 *                   esp_now_send with a NULL body (default); or nothing (keep running)
 *
 * Modes:
 *   write   every stride bytes of the 4 GB address space a 32-bit, a 16-bit and an 8-bit store
 *           (ROM, flash window, unmapped space, register blocks, RTC memory; not the firmware's
 *           own DRAM and IRAM, the DPORT page or the peripheral page: see periph), with a C
 *           exception handler (ROM _xtos_set_exception_handler) that counts each fault by cause
 *           and steps over the instruction.
 *   read    the same with 32-bit and 8-bit loads.
 *   jump    a call to every stride bytes outside the ROM, IRAM and the flash window (all of it
 *           not executable or unmapped); the handler returns to the caller.
 *   periph  every word of the DPORT page and of the peripheral page (UARTs, SPI0 and its flash
 *           commands, GPIO, timers, RTC, watchdog, IO_MUX) written with 0xFFFFFFFF then 0, with
 *           the handler installed. The chip may reset, sleep or crash: all of that is fine.
 *   uart    prints without end (os_printf lines and raw bytes into the UART0 and UART1 FIFOs,
 *           never waiting for room), from a task that posts itself.
 *   gpio    toggles GPIO0-15 as outputs without end from a task that posts itself.
 *   irq     FRC1 every 50 us, GPIO edges on every pin, the software interrupt (raised from the
 *           FRC1 handler), UART0 receive (RXFIFO_FULL at 1 byte: bytes the scenario sends) and
 *           UART1 TXFIFO_EMPTY (refilled from the handler, so it fires at the line's byte rate);
 *           every handler posts to every user task priority (queues of 1, 2 and 255), and an
 *           os_timer every 1 ms posts too (the FRC2 timer interrupt's path). Prints the counts
 *           every second.
 *   exhaust task queues (255 posts into a queue of 8, invalid priorities), 400 software timers
 *           armed at once (some twice, some disarmed again, one disarmed unarmed), ESP-NOW peers
 * beyond the 20 and the 6 encrypted allowed, sends to unknown peers, oversized sends, sends until
 * the queue refuses, deinit with frames in flight and init again; then keeps its timers going
 *           (final=idle) or sends from NULL (LoadProhibited, EXCVADDR 0, as on the chip).
 *   stack   recursion without end: the stack runs off the bottom of DRAM.
 *   simcall the SIMCALL instruction (QEMU's semihosting): IllegalInstruction on the esp8266.
 * Output (UART0): "attack: mode M" at start, per mode "attack: M done ..." lines with counts,
 * "attack: faults cause C: N" per cause seen, and for the irq and exhaust modes periodic lines.
 *
 * State: one static struct; the entry points (user_init, tasks, timers, handlers) name it.
 */
#include "espnow.h"
#include "hw_timer.h"
#include "ets_sys.h"
#include "osapi.h"
#include "spi_flash.h"
#include "user_interface.h"

#define CFG_FLASH_OFFSET 0x70000u
#define CFG_SIZE         512u
#define CHUNK            2048u /* sweep addresses per task run */
#define NTIMERS          400u
#define NCAUSES          64u

void attack_st32(uint32 addr, uint32 v);
void attack_st16(uint32 addr, uint32 v);
void attack_st8(uint32 addr, uint32 v);
uint32 attack_ld32(uint32 addr);
uint32 attack_ld8(uint32 addr);
void attack_jump(uint32 addr);
void attack_simcall(void);
/* The ROM's C exception handlers (reference/lx106.md §4.4, rom_exc.c): fn(frame, cause), frame
 * words +0 EPC1, +4 PS, +16 a0, +20.. a2..a15. */
typedef void (*exc_handler)(uint32 *frame, int cause);
exc_handler _xtos_set_exception_handler(int cause, exc_handler fn);

enum mode {
    M_IDLE,
    M_WRITE,
    M_READ,
    M_JUMP,
    M_PERIPH,
    M_UART,
    M_GPIO,
    M_IRQ,
    M_EXHAUST,
    M_STACK,
    M_SIMCALL,
    M_COUNT
};
static const char *const mode_names[M_COUNT] = {"idle",    "write", "read",   "jump",
                                                "periph",  "uart",  "gpio",   "irq",
                                                "exhaust", "stack", "simcall"};
static const uint8 handled_causes[] = {0, 2, 3, 9, 20, 28, 29};

struct attack {
    enum mode mode;
    uint32 stride;
    bool final_fault;
    uint64 addr; /* next sweep address (64 bits: the sweep ends at 2^32) */
    uint64 end;  /* first address not swept */
    uint32 accesses;
    bool resume_a0; /* jump sweep: a fault returns to the caller */
    uint32 faults[NCAUSES];
    uint32 posts_ok, posts_full, isr_frc1, isr_gpio, isr_soft, isr_uart, rx_bytes, timer_runs,
        task_runs;
    uint32 gpio_state;
    os_timer_t timers[NTIMERS];
    os_timer_t report_timer, tick_timer;
    os_event_t q0[1], q1[2], q2[255];
    uint8 body[251];
};

static struct attack att;

/* ---- the exception handler ------------------------------------------------------------------ */

static void IRAM_ATTR on_fault(uint32 *frame, int cause)
{
    struct attack *a = &att;
    a->faults[(uint32)cause & (NCAUSES - 1)]++;
    uint32 epc = frame[0];
    if (a->resume_a0) {
        frame[0] = frame[4]; /* the jump faulted at its target: back to the caller */
        return;
    }
    /* Step over the instruction: op0 (its low nibble) 8..15 is a 16-bit one. */
    uint32 w = *(volatile uint32 *)(epc & ~3u) >> (8 * (epc & 3u));
    frame[0] = epc + ((w & 15u) >= 8u ? 2u : 3u);
}

static void handlers(bool on)
{
    for (uint32 i = 0; i < sizeof(handled_causes); i++)
        _xtos_set_exception_handler(handled_causes[i], on ? on_fault : NULL);
}

static void print_faults(struct attack *a)
{
    for (uint32 c = 0; c < NCAUSES; c++)
        if (a->faults[c]) os_printf("attack: faults cause %u: %u\n", c, a->faults[c]);
}

/* ---- sweeps -----------------------------------------------------------------------------------
 */

/* Addresses a sweep leaves alone: [lo, hi) */
static const struct {
    uint32 lo, hi;
    uint8 modes; /* bit per mode (1 << M_WRITE ...) that skips it */
} skips[] = {
    {0x3FF00000u, 0x3FF01000u, 1u << M_WRITE}, /* DPORT: see periph */
    {0x3FFE8000u, 0x40000000u, 1u << M_WRITE}, /* our DRAM, the stack, the ROM's RAM */
    {0x40000000u, 0x40010000u, 1u << M_JUMP},  /* ROM: calls into its routines */
    {0x40100000u, 0x40110000u, 1u << M_WRITE | 1u << M_JUMP}, /* our IRAM */
    {0x40200000u, 0x40300000u, 1u << M_JUMP},                 /* our flash-resident code */
    {0x60000000u, 0x60001000u, 1u << M_WRITE},                /* peripherals: see periph */
};

static bool skipped(const struct attack *a, uint32 addr)
{
    for (uint32 i = 0; i < sizeof(skips) / sizeof(skips[0]); i++)
        if ((skips[i].modes >> a->mode & 1u) && addr >= skips[i].lo && addr < skips[i].hi)
            return true;
    return false;
}

static void sweep_done(struct attack *a)
{
    os_printf("attack: %s done: %u accesses, stride %u\n", mode_names[a->mode], a->accesses,
              a->stride);
    os_printf("attack: last value read 0x%08x\n", a->gpio_state);
    print_faults(a);
    handlers(false);
    a->resume_a0 = false;
    if (a->final_fault) {
        os_printf("attack: final store to the boot ROM\n");
        attack_st32(0x40000000u, 0xDEADBEEFu); /* unhandled: the node stops with a fault */
        os_printf("attack: FAIL the ROM store did not fault\n");
    }
}

static void sweep_task(os_event_t *e)
{
    (void)e;
    struct attack *a = &att;
    for (uint32 i = 0; i < CHUNK && a->addr < a->end; i++, a->addr += a->stride) {
        uint32 p = (uint32)a->addr;
        if (skipped(a, p)) continue;
        a->accesses++;
        switch (a->mode) {
        case M_WRITE:
            attack_st32(p, 0xA5A5A5A5u);
            attack_st16(p + 2u, 0x5A5Au);
            attack_st8(p + 1u, 0xC3u);
            break;
        case M_READ: a->gpio_state ^= attack_ld32(p) ^ attack_ld8(p + 3u); break;
        default: attack_jump(p); break;
        }
    }
    if (a->addr >= a->end)
        sweep_done(a);
    else
        system_os_post(USER_TASK_PRIO_0, 0, 0);
}

static void periph_run(struct attack *a)
{
    static const uint32 pages[] = {0x3FF00000u, 0x60000000u};
    for (uint32 v = 0; v < 2; v++)
        for (uint32 pg = 0; pg < 2; pg++)
            for (uint32 off = 0; off < 0x1000u; off += 4) {
                attack_st32(pages[pg] + off, v ? 0u : 0xFFFFFFFFu);
                a->accesses++;
            }
    os_printf("attack: periph done: %u stores\n", a->accesses);
    print_faults(a);
}

/* ---- floods ---------------------------------------------------------------------------------- */

static void uart_task(os_event_t *e)
{
    (void)e;
    struct attack *a = &att;
    a->task_runs++;
    os_printf("attack: uart flood line %u 0123456789abcdefghijklmnopqrstuvwxyz"
              "0123456789abcdefghijklmnopqrstuvwxyz\n",
              a->task_runs);
    for (uint32 i = 0; i < 64; i++) {
        WRITE_PERI_REG(UART_FIFO(0), 'A' + (i % 26)); /* never waiting: the FIFO overflows */
        WRITE_PERI_REG(UART_FIFO(1), 'a' + (i % 26));
    }
    WRITE_PERI_REG(UART_FIFO(0), '\n');
    system_os_post(USER_TASK_PRIO_0, 0, 0);
}

static void gpio_task(os_event_t *e)
{
    (void)e;
    struct attack *a = &att;
    WRITE_PERI_REG(GPIO_ENABLE_W1TS_ADDRESS, 0xFFFFu);
    for (uint32 i = 0; i < 256; i++) {
        a->gpio_state = ~a->gpio_state;
        WRITE_PERI_REG(GPIO_OUT_ADDRESS, a->gpio_state & 0xFFFFu);
    }
    system_os_post(USER_TASK_PRIO_0, 0, 0);
}

/* ---- interrupts posting --------------------------------------------------------------------- */

static void IRAM_ATTR post_all(struct attack *a)
{
    for (uint8 p = 0; p < USER_TASK_PRIO_MAX; p++) {
        if (system_os_post(p, 1, 0))
            a->posts_ok++;
        else
            a->posts_full++;
    }
}

static void IRAM_ATTR soft_isr(void *arg, void *frame)
{
    (void)arg;
    (void)frame;
    struct attack *a = &att;
    __asm__ volatile("wsr %0, intclear" ::"r"(1u << ETS_SOFT_INUM));
    a->isr_soft++;
    post_all(a);
}

static void IRAM_ATTR uart_isr(void *arg, void *frame)
{
    (void)arg;
    (void)frame;
    struct attack *a = &att;
    a->isr_uart++;
    for (uint32 u = 0; u < 2; u++) {
        uint32 st = READ_PERI_REG(UART_INT_ST(u));
        while (READ_PERI_REG(UART_STATUS(u)) & UART_RXFIFO_CNT) {
            (void)READ_PERI_REG(UART_FIFO(u));
            a->rx_bytes++;
        }
        if (u == 1 && (st & 2u))
            for (uint32 i = 0; i < 16; i++)
                WRITE_PERI_REG(UART_FIFO(1), '.');
        WRITE_PERI_REG(UART_INT_CLR(u), st);
    }
    post_all(a);
}

static void IRAM_ATTR frc1_isr(void)
{
    struct attack *a = &att;
    a->isr_frc1++;
    __asm__ volatile("wsr %0, intset" ::"r"(1u << ETS_SOFT_INUM)); /* soft_isr next */
    a->gpio_state ^= 0xF030u; /* GPIO 4, 5, 12-15: edges for gpio_isr */
    WRITE_PERI_REG(GPIO_OUT_ADDRESS, a->gpio_state & 0xFFFFu);
    post_all(a);
}

static void IRAM_ATTR gpio_isr(void *arg, void *frame)
{
    (void)arg;
    (void)frame;
    struct attack *a = &att;
    WRITE_PERI_REG(GPIO_STATUS_W1TC_ADDRESS, READ_PERI_REG(GPIO_STATUS_ADDRESS));
    a->isr_gpio++;
    post_all(a);
}

static void count_task(os_event_t *e)
{
    (void)e;
    att.task_runs++;
}

static void irq_tick(void *arg)
{
    (void)arg;
    att.timer_runs++;
    post_all(&att);
}

static void irq_report(void *arg)
{
    (void)arg;
    struct attack *a = &att;
    os_printf("attack: irq frc1 %u gpio %u soft %u uart %u (rx %u bytes) timer %u tasks %u posts "
              "ok %u full %u\n",
              a->isr_frc1, a->isr_gpio, a->isr_soft, a->isr_uart, a->rx_bytes, a->timer_runs,
              a->task_runs, a->posts_ok, a->posts_full);
}

static void irq_start(struct attack *a)
{
    system_os_task(count_task, USER_TASK_PRIO_0, a->q0, 1);
    system_os_task(count_task, USER_TASK_PRIO_1, a->q1, 2);
    system_os_task(count_task, USER_TASK_PRIO_2, a->q2, 255);
    WRITE_PERI_REG(GPIO_ENABLE_W1TS_ADDRESS, 0xF030u);
    for (uint32 pin = 0; pin < 16; pin++)
        WRITE_PERI_REG(GPIO_PIN_ADDR(pin), 3u << 7); /* interrupt on any edge */
    ets_isr_attach(ETS_GPIO_INUM, gpio_isr, NULL);
    ets_isr_attach(ETS_SOFT_INUM, soft_isr, NULL);
    ets_isr_attach(ETS_UART_INUM, uart_isr, NULL);
    WRITE_PERI_REG(UART_CONF1(0), 1u); /* RXFIFO_FULL threshold: 1 byte */
    WRITE_PERI_REG(UART_INT_CLR(0), 0x1FFu);
    WRITE_PERI_REG(UART_INT_ENA(0), 1u);      /* RXFIFO_FULL */
    WRITE_PERI_REG(UART_INT_ENA(1), 1u << 1); /* TXFIFO_EMPTY */
    ets_isr_unmask(1u << ETS_GPIO_INUM | 1u << ETS_SOFT_INUM | 1u << ETS_UART_INUM);
    hw_timer_init(FRC1_SOURCE, 1);
    hw_timer_set_func(frc1_isr);
    hw_timer_arm(50);
    os_timer_setfn(&a->tick_timer, irq_tick, NULL);
    os_timer_arm(&a->tick_timer, 1, true);
    os_timer_setfn(&a->report_timer, irq_report, NULL);
    os_timer_arm(&a->report_timer, 1000, true);
}

/* ---- exhausting the SDK ---------------------------------------------------------------------- */

static void timer_cb(void *arg)
{
    (void)arg;
    att.timer_runs++;
}

static void fake_mac(uint8 *mac, uint32 i)
{
    mac[0] = 0x02;
    mac[1] = 0xA7;
    mac[2] = mac[3] = 0;
    mac[4] = (uint8)(i >> 8);
    mac[5] = (uint8)i;
}

static void espnow_sent(u8 *mac, u8 status)
{
    (void)mac;
    if (status)
        att.posts_full++;
    else
        att.posts_ok++;
}

static void espnow_recv(u8 *mac, u8 *data, u8 len)
{
    (void)mac;
    (void)data;
    (void)len;
    att.task_runs++;
}

static void exhaust_report(void *arg)
{
    (void)arg;
    struct attack *a = &att;
    os_printf("attack: exhaust timers %u send_ok %u send_fail %u rx %u\n", a->timer_runs,
              a->posts_ok, a->posts_full, a->task_runs);
}

static void exhaust_run(struct attack *a)
{
    /* task queues */
    uint32 ok = 0, full = 0;
    system_os_task(count_task, USER_TASK_PRIO_1, a->q2, 8);
    for (uint32 i = 0; i < 255; i++)
        system_os_post(USER_TASK_PRIO_1, i, i) ? ok++ : full++;
    os_printf("attack: exhaust posts ok %u full %u, task prio 3 %d prio 255 %d, "
              "post prio 7 %d\n",
              ok, full, system_os_task(count_task, 3, a->q1, 2),
              system_os_task(count_task, 255, a->q1, 2), system_os_post(7, 0, 0));
    /* timers: all armed, some twice, some disarmed */
    for (uint32 i = 0; i < NTIMERS; i++) {
        os_timer_setfn(&a->timers[i], timer_cb, NULL);
        os_timer_arm(&a->timers[i], 1u + (i % 50u), true);
    }
    for (uint32 i = 0; i < NTIMERS; i += 3)
        os_timer_arm(&a->timers[i], 7, true);
    for (uint32 i = 0; i < NTIMERS; i += 5)
        os_timer_disarm(&a->timers[i]);
    os_timer_setfn(&a->report_timer, exhaust_report, NULL);
    os_timer_disarm(&a->report_timer); /* not armed */
    /* ESP-NOW */
    wifi_set_opmode(STATION_MODE);
    int rc = esp_now_init();
    esp_now_register_send_cb(espnow_sent);
    esp_now_register_recv_cb(espnow_recv);
    uint8 mac[6], key[16];
    for (uint32 i = 0; i < 16; i++)
        key[i] = (uint8)(i * 7u);
    uint32 added = 0, refused = 0, enc = 0;
    for (uint32 i = 0; i < 30; i++) {
        fake_mac(mac, i);
        bool e = i % 2 == 0;
        int r = esp_now_add_peer(mac, ESP_NOW_ROLE_COMBO, 1, e ? key : NULL, e ? 16 : 0);
        r == 0 ? added++ : refused++;
        if (r == 0 && e) enc++;
    }
    uint32 sent = 0, errs = 0;
    for (uint32 i = 0; i < 100; i++) {
        fake_mac(mac, i % 40u); /* peers and strangers */
        esp_now_send(mac, a->body, (int)(1u + i % 250u)) == 0 ? sent++ : errs++;
    }
    fake_mac(mac, 1);
    int big = esp_now_send(mac, a->body, 251);
    int none = esp_now_send(mac, NULL, 0);
    int neg = esp_now_send(mac, a->body, -1);
    int bcast = esp_now_send(NULL, a->body, 20); /* every peer */
    os_printf("attack: exhaust espnow init %d peers added %u (encrypted %u) refused %u, sends ok "
              "%u refused %u, len 251 %d, NULL len 0 %d, len -1 %d, to all %d\n",
              rc, added, enc, refused, sent, errs, big, none, neg, bcast);
    int d = esp_now_deinit(); /* with frames in flight */
    int r2 = esp_now_init();
    esp_now_register_send_cb(espnow_sent);
    fake_mac(mac, 3);
    int r3 = esp_now_add_peer(mac, ESP_NOW_ROLE_COMBO, 1, NULL, 0);
    os_printf("attack: exhaust deinit %d init %d add %d send %d\n", d, r2, r3,
              esp_now_send(mac, a->body, 50));
    os_timer_setfn(&a->report_timer, exhaust_report, NULL);
    os_timer_arm(&a->report_timer, 1000, true);
    if (a->final_fault) {
        os_printf("attack: final esp_now_send with a NULL body\n");
        esp_now_send(mac, NULL, 10); /* LoadProhibited, as libespnow's copy faults */
        os_printf("attack: FAIL the NULL send did not fault\n");
    }
}

/* ---- the rest ------------------------------------------------------------------------------- */

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion" /* that is the attack */
static uint32 recurse(volatile uint32 *depth)
{
    volatile uint32 pad[16];
    pad[0] = ++*depth;
    return recurse(depth) + pad[0];
}
#pragma GCC diagnostic pop

static int decval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : -1;
}

static int hexval(char c)
{
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : decval(c);
}

/* "0x" and 1..8 hex digits; false otherwise */
static bool parse_hex32(const char *v, uint32 *out)
{
    if (v[0] != '0' || (v[1] != 'x' && v[1] != 'X')) return false;
    uint32 x = 0, n = 0;
    for (v += 2; hexval(*v) >= 0 && n < 9; v++, n++)
        x = x << 4 | (uint32)hexval(*v);
    if (*v || n == 0 || n > 8) return false;
    *out = x;
    return true;
}

static void parse_config(struct attack *a, char *buf)
{
    a->stride = 65536u;
    a->final_fault = true;
    a->end = 0x100000000ull;
    char *p = buf;
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        if (!*p) break;
        char *k = p;
        while (*p && *p != '=' && *p != ' ' && *p != '\n')
            p++;
        if (*p != '=') break;
        *p++ = 0;
        char *v = p;
        while (*p && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
            p++;
        if (*p) *p++ = 0;
        if (!os_strcmp(k, "mode")) {
            for (uint32 m = 0; m < M_COUNT; m++)
                if (!os_strcmp(v, mode_names[m])) a->mode = (enum mode)m;
        } else if (!os_strcmp(k, "stride")) {
            uint32 s = 0;
            for (char *q = v; decval(*q) >= 0 && s < 0x10000000u; q++)
                s = s * 10u + (uint32)decval(*q);
            if (s >= 1 && s <= 0x10000000u) a->stride = s;
        } else if (!os_strcmp(k, "from")) {
            uint32 x;
            if (parse_hex32(v, &x)) a->addr = x;
        } else if (!os_strcmp(k, "to")) {
            uint32 x;
            if (parse_hex32(v, &x)) a->end = x ? x : 0x100000000ull;
        } else if (!os_strcmp(k, "final")) {
            a->final_fault = os_strcmp(v, "idle") != 0;
        }
    }
}

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void user_init(void)
{
    struct attack *a = &att;
    static uint32 cfg[CFG_SIZE / 4 + 1];
    char *buf = (char *)cfg;
    if (spi_flash_read(CFG_FLASH_OFFSET, cfg, CFG_SIZE) != SPI_FLASH_RESULT_OK) buf[0] = 0;
    buf[CFG_SIZE] = 0;
    for (uint32 i = 0; i < CFG_SIZE; i++)
        if (buf[i] == (char)0xFF) buf[i] = 0;
    parse_config(a, buf);
    for (uint32 i = 0; i < sizeof(a->body); i++)
        a->body[i] = (uint8)i;
    os_printf("attack: mode %s\n", mode_names[a->mode]);
    switch (a->mode) {
    case M_WRITE:
    case M_READ:
    case M_JUMP:
        handlers(true);
        a->resume_a0 = a->mode == M_JUMP;
        system_os_task(sweep_task, USER_TASK_PRIO_0, a->q1, 2);
        system_os_post(USER_TASK_PRIO_0, 0, 0);
        break;
    case M_PERIPH:
        handlers(true);
        periph_run(a);
        break;
    case M_UART:
        system_os_task(uart_task, USER_TASK_PRIO_0, a->q1, 2);
        system_os_post(USER_TASK_PRIO_0, 0, 0);
        break;
    case M_GPIO:
        system_os_task(gpio_task, USER_TASK_PRIO_0, a->q1, 2);
        system_os_post(USER_TASK_PRIO_0, 0, 0);
        break;
    case M_IRQ: irq_start(a); break;
    case M_EXHAUST: exhaust_run(a); break;
    case M_STACK: {
        static volatile uint32 depth;
        os_printf("attack: FAIL recursion ended (%u)\n", recurse(&depth));
        break;
    }
    case M_SIMCALL:
        attack_simcall();
        os_printf("attack: FAIL simcall returned\n");
        break;
    default: break;
    }
}
