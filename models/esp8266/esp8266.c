/* models/esp8266/esp8266.c — the ESP8266 machine; see esp8266.h. */
#include "esp8266.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "esp8266/image.h"
#include "rng.h"

/* The one table of the address map (reference/lx106.md §3.1). MMIO blocks are dispatched in
 * esp_periph_read/write below. rd/wr: extra CPU cycles per data read/write (docs/timing-model.md,
 * from reference/lx106.md §7.3: DRAM loads +1, loads over the instruction bus from IRAM, ROM and
 * flash +5, peripheral and RTC-bus accesses +10; stores to RAM are buffered, +0). */
enum esp_region_kind {
    ESP_R_RAM,
    ESP_R_ROM,
    ESP_R_IRAM,
    ESP_R_FLASH,
    ESP_R_DPORT,
    ESP_R_WDEV,
    ESP_R_PERIPH,
    ESP_R_RTCMEM,
    ESP_R_REGS
};

static const struct {
    const char *name;
    uint32_t base, size;
    enum esp_region_kind kind;
    unsigned flags;
    uint8_t rd, wr;
} esp_map[] = {
    {"dport", ESP_DPORT_BASE, 0x1000u, ESP_R_DPORT, SIM_BUS_R | SIM_BUS_W, 10, 10},
    {"wdev", ESP_WDEV_BASE, ESP_WDEV_SIZE, ESP_R_WDEV, SIM_BUS_R | SIM_BUS_W, 10, 10},
    {"dram", ESP_DRAM_BASE, ESP_DRAM_SIZE, ESP_R_RAM, SIM_BUS_R | SIM_BUS_W, 1, 0},
    {"rom", ESP_ROM_BASE, ESP_ROM_SIZE, ESP_R_ROM,
     SIM_BUS_R | SIM_BUS_X | SIM_BUS_DATA32 | SIM_BUS_HOOK, 5, 0},
    {"iram", ESP_IRAM_BASE, ESP_IRAM_SIZE, ESP_R_IRAM,
     SIM_BUS_R | SIM_BUS_W | SIM_BUS_X | SIM_BUS_DATA32, 5, 0},
    {"flash", ESP_FLASH_WIN_BASE, ESP_FLASH_WINDOW, ESP_R_FLASH,
     SIM_BUS_R | SIM_BUS_X | SIM_BUS_DATA32 | SIM_BUS_CACHED, 5, 0},
    {"periph", ESP_PERIPH_BASE, 0x1000u, ESP_R_PERIPH, SIM_BUS_R | SIM_BUS_W, 10, 10},
    {"rtcmem", ESP_RTCMEM_BASE, ESP_RTCMEM_SIZE, ESP_R_RTCMEM, SIM_BUS_R | SIM_BUS_W, 10, 10},
    /* registers without a model around the modelled pages (regs.h) */
    {"regs-dport", ESP_DPORT_BASE + 0x1000u, 0x1F000u, ESP_R_REGS, SIM_BUS_R | SIM_BUS_W, 10, 10},
    {"regs-wdev", ESP_WDEV_BASE + ESP_WDEV_SIZE, 0x20000u - ESP_WDEV_SIZE, ESP_R_REGS,
     SIM_BUS_R | SIM_BUS_W, 10, 10},
    {"regs-periph", ESP_RTCMEM_BASE + ESP_RTCMEM_SIZE, 0xE000u, ESP_R_REGS, SIM_BUS_R | SIM_BUS_W,
     10, 10},
};

/* ---- MMIO dispatch ------------------------------------------------------------------------- */

static uint32_t esp_dport_mmio_read(void *opaque, uint32_t off, unsigned size)
{
    esp8266 *m = opaque;
    return esp_dport_read(&m->soc, off & 0xFFu, size); /* the 256-byte block repeats (§3.3) */
}

static void esp_dport_mmio_write(void *opaque, uint32_t off, uint32_t v, unsigned size)
{
    esp8266 *m = opaque;
    esp_dport_write(&m->soc, off & 0xFFu, v, size);
}

static uint32_t esp_wdev_mmio_read(void *opaque, uint32_t off, unsigned size)
{
    esp8266 *m = opaque;
    return esp_wdev_read(&m->soc, off, size);
}

static void esp_wdev_mmio_write(void *opaque, uint32_t off, uint32_t v, unsigned size)
{
    esp8266 *m = opaque;
    esp_wdev_write(&m->soc, off, v, size);
}

/* Unmodelled registers (regs.h): the region's base is passed as the opaque's offset origin. */
static void esp_regs_first(void *opaque, uint32_t addr, unsigned size, bool write, uint32_t value)
{
    esp8266 *m = opaque;
    if (m->on_unmodelled)
        m->on_unmodelled(m->on_unmodelled_opaque, addr, size, write, value, m->node.cpu.pc);
}

static uint32_t esp_regs_dport_read(void *opaque, uint32_t off, unsigned size)
{
    return esp_regs_read(&((esp8266 *)opaque)->regs, ESP_DPORT_BASE + 0x1000u + off, size);
}
static void esp_regs_dport_write(void *opaque, uint32_t off, uint32_t v, unsigned size)
{
    esp_regs_write(&((esp8266 *)opaque)->regs, ESP_DPORT_BASE + 0x1000u + off, v, size);
}
static uint32_t esp_regs_wdev_read(void *opaque, uint32_t off, unsigned size)
{
    return esp_regs_read(&((esp8266 *)opaque)->regs, ESP_WDEV_BASE + ESP_WDEV_SIZE + off, size);
}
static void esp_regs_wdev_write(void *opaque, uint32_t off, uint32_t v, unsigned size)
{
    esp_regs_write(&((esp8266 *)opaque)->regs, ESP_WDEV_BASE + ESP_WDEV_SIZE + off, v, size);
}
static uint32_t esp_regs_periph_read(void *opaque, uint32_t off, unsigned size)
{
    return esp_regs_read(&((esp8266 *)opaque)->regs, ESP_RTCMEM_BASE + ESP_RTCMEM_SIZE + off, size);
}
static void esp_regs_periph_write(void *opaque, uint32_t off, uint32_t v, unsigned size)
{
    esp_regs_write(&((esp8266 *)opaque)->regs, ESP_RTCMEM_BASE + ESP_RTCMEM_SIZE + off, v, size);
}

/* 0x60000000 + 0x100 * block (§3.2) */
static uint32_t esp_periph_read(void *opaque, uint32_t off, unsigned size)
{
    esp8266 *m = opaque;
    uint32_t o = off & 0xFFu;
    switch (off >> 8) {
    case 0x0: return esp_uart_read(&m->uart[0], o, size);
    case 0x2: return esp_spi0_read(&m->flash, o, size);
    case 0x3: return esp_gpio_read(&m->soc, o, size);
    case 0x6: return esp_frc_read(&m->frc, o, size);
    case 0x7: return esp_rtc_read(&m->soc, o, size);
    case 0x8: return esp_iomux_read(&m->soc, o, size);
    case 0x9: return esp_wdt_read(&m->soc, o, size);
    case 0xF: return esp_uart_read(&m->uart[1], o, size);
    default: return esp_regs_read(&m->regs, ESP_PERIPH_BASE + off, size);
    }
}

static void esp_periph_write(void *opaque, uint32_t off, uint32_t v, unsigned size)
{
    esp8266 *m = opaque;
    uint32_t o = off & 0xFFu;
    switch (off >> 8) {
    case 0x0: esp_uart_write(&m->uart[0], o, v, size); return;
    case 0x2: esp_spi0_write(&m->flash, o, v, size); return;
    case 0x3: esp_gpio_write(&m->soc, o, v, size); return;
    case 0x6: esp_frc_write(&m->frc, o, v, size); return;
    case 0x7: esp_rtc_write(&m->soc, o, v, size); return;
    case 0x8: esp_iomux_write(&m->soc, o, v, size); return;
    case 0x9: esp_wdt_write(&m->soc, o, v, size); return;
    case 0xF: esp_uart_write(&m->uart[1], o, v, size); return;
    default: esp_regs_write(&m->regs, ESP_PERIPH_BASE + off, v, size); return;
    }
}

/* ---- wiring -------------------------------------------------------------------------------- */

/* UART0 and UART1 share CPU interrupt 5, level-triggered (§1.2). */
static void esp_uart_irq_changed(void *opaque, sim_wire *w, uint32_t v)
{
    esp8266 *m = opaque;
    (void)w;
    (void)v;
    xt_set_irq_level(&m->node.cpu, 5, m->uart[0].irq.value || m->uart[1].irq.value);
}

void esp8266_console_byte(esp8266 *m, unsigned uart, uint8_t byte, uint64_t t_local)
{
    if (m->console)
        m->console(m->console_opaque, uart, byte, sim_node_global_from_local(&m->node, t_local));
}

static void esp_uart_sink(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps)
{
    esp8266_console_byte(opaque, uart, byte, t_ps);
}

static void esp_cpu_clock(void *opaque, bool mhz160)
{
    esp8266 *m = opaque;
    sim_node_set_cpu_hz(&m->node, mhz160 ? 160000000u : 80000000u);
    esp8266_cache_timing(m);
}

/* RTC CTRL0 bit 31: the reset happens between instructions, from an event at "now". */
static void esp_software_reset_req(void *opaque)
{
    esp8266 *m = opaque;
    if (!sim_event_pending(&m->reset_ev))
        sim_sched_at(&m->node.sched, &m->reset_ev, sim_node_now(&m->node));
}

static void esp_reset_event(void *opaque, sim_event *ev, uint64_t now)
{
    esp8266 *m = opaque;
    (void)ev;
    (void)now;
    esp8266_reset(m, ESP_RESET_SOFTWARE);
}

/* Hardware watchdog stage 2 expired (soc.h): the same path, cause 4 ("wdt reset"). */
static void esp_wdt_reset_req(void *opaque)
{
    esp8266 *m = opaque;
    if (!sim_event_pending(&m->wdt_reset_ev))
        sim_sched_at(&m->node.sched, &m->wdt_reset_ev, sim_node_now(&m->node));
}

static void esp_wdt_reset_event(void *opaque, sim_event *ev, uint64_t now)
{
    esp8266 *m = opaque;
    (void)ev;
    (void)now;
    esp8266_reset(m, ESP_RESET_WATCHDOG);
}

/* ---- power, deep sleep, RST ----------------------------------------------------------------- */

/* The parked CPU: a chip asleep or held in reset executes nothing; should anything wake the
 * core, it waits again here. */
static void esp_sleep_hook(void *opaque, sim_node *n, uint32_t pc)
{
    (void)opaque;
    (void)pc;
    n->cpu.waiting = true;
    xt_charge(&n->cpu, 1);
}

/* Stops everything a reset stops, without booting: pending resets, guest calls, UARTs, timers,
 * watchdogs (hardware and the SDK's soft one), GPIO outputs; the CPU waits at ESP_ROM_SLEEP with
 * every interrupt masked. The RTC keeps counting. */
static void esp_park(esp8266 *m)
{
    xt_cpu *c = &m->node.cpu;
    sim_sched *q = &m->node.sched;
    if (sim_event_pending(&m->reset_ev)) sim_sched_cancel(q, &m->reset_ev);
    if (sim_event_pending(&m->wdt_reset_ev)) sim_sched_cancel(q, &m->wdt_reset_ev);
    if (sim_event_pending(&m->rom.soft_wdt.ev)) sim_sched_cancel(q, &m->rom.soft_wdt.ev);
    sim_node_drop_calls(&m->node);
    for (unsigned u = 0; u < 2; u++)
        esp_uart_reset(&m->uart[u]);
    xt_set_irq_level(c, 5, false);
    esp_frc_reset(&m->frc);
    esp_soc_sleep(&m->soc);
    if (!sim_node_find_hook(&m->node, ESP_ROM_SLEEP))
        sim_node_hook(&m->node, ESP_ROM_SLEEP, ESP_ROM_SLEEP, esp_sleep_hook, m, "sleep");
    c->sr[XT_SR_INTENABLE] = 0;
    c->sr[XT_SR_PS] |= XT_PS_INTLEVEL;
    c->pc = ESP_ROM_SLEEP;
    c->waiting = true;
    xt_request_stop(c, XT_STOP_REQUEST);
}

static void esp_enter_sleep(esp8266 *m)
{
    uint64_t alarm = esp_rtc_alarm_at(&m->soc);
    esp_park(m);
    m->power = ESP_POWER_SLEEP;
    m->pulsing = false;
    if (sim_event_pending(&m->alarm_ev)) sim_sched_cancel(&m->node.sched, &m->alarm_ev);
    sim_sched_at(&m->node.sched, &m->alarm_ev, alarm);
    if (m->on_sleep) m->on_sleep(m->on_sleep_opaque, ESP_SLEEP_ENTER, alarm);
}

/* Sleep requests and RST changes are acted on here, between instructions. */
static void esp_rst_event(void *opaque, sim_event *ev, uint64_t now)
{
    esp8266 *m = opaque;
    (void)ev;
    (void)now;
    if (m->sleep_req) {
        m->sleep_req = false;
        if (m->power == ESP_POWER_ON) esp_enter_sleep(m);
    }
    if (!m->rst.value && m->power != ESP_POWER_RESET_HELD) {
        m->rst_after_sleep = m->power == ESP_POWER_SLEEP;
        if (m->power == ESP_POWER_ON) esp_park(m);
        m->power = ESP_POWER_RESET_HELD;
    } else if (m->rst.value && m->power == ESP_POWER_RESET_HELD) {
        esp8266_reset(m, m->rst_after_sleep ? ESP_RESET_DEEP_SLEEP : ESP_RESET_EXTERNAL);
    }
}

static void esp_rst_soon(esp8266 *m)
{
    if (!sim_event_pending(&m->rst_ev))
        sim_sched_at(&m->node.sched, &m->rst_ev, sim_node_now(&m->node));
}

static void esp_rst_changed(void *opaque, sim_wire *w, uint32_t v)
{
    (void)w;
    (void)v;
    esp_rst_soon(opaque);
}

void esp8266_set_rst(esp8266 *m, bool level)
{
    sim_wire_set(&m->rst, level ? 1u : 0u);
}

void esp8266_set_rst_at(esp8266 *m, bool level, uint64_t t_ps)
{
    sim_node_touch(&m->node);
    m->rst_t_ps = t_ps;
    sim_node *n = &m->node;
    if (m->power == ESP_POWER_OFF) {
        m->rst.value = level; /* remembered, not acted on */
        return;
    }
    if (n->state != SIM_NODE_RUNNING && !level && m->rst.value) {
        /* a stopped chip: nothing runs its event queue, so hold it in reset here */
        uint64_t c = sim_node_cycle_at_global(n, t_ps);
        if (c > n->cpu.cycles) n->cpu.cycles = c;
        n->state = SIM_NODE_RUNNING;
        esp8266_drain_uarts(m);
        esp_park(m);
        m->power = ESP_POWER_RESET_HELD;
        m->rst_after_sleep = false;
        m->rst.value = 0;
        return;
    }
    esp8266_set_rst(m, level);
}

void esp8266_power_off(esp8266 *m)
{
    sim_node_touch(&m->node);
    esp8266_drain_uarts(m);
    esp_park(m);
    esp_soc_power_off(&m->soc);
    m->power = ESP_POWER_OFF;
    sim_node_halt(&m->node);
}

/* ---- pins connected to the outside --------------------------------------------------------- */

static void esp_pin_push(esp_pin *p, bool force)
{
    esp8266 *m = p->m;
    sim_drive d = SIM_DRIVE_Z;
    bool pull = true; /* RST: an input with its pull-up */
    if (p->pin < 16) {
        d = (sim_drive)esp_gpio_pin_drive(&m->soc, p->pin);
        pull = m->soc.gpio_pull.value >> p->pin & 1u;
    } else if (p->pin == 16) {
        d = (sim_drive)esp_gpio16_pin_drive(&m->soc);
        pull = m->soc.gpio16_pullup;
    }
    if (!force && d == p->last_d && pull == p->last_pull) return;
    p->last_d = d;
    p->last_pull = pull;
    p->drive(p->opaque, p->pin, d, pull, sim_node_global_now(&m->node));
}

/* GPIO registers changed what the chip drives or pulls up. */
static void esp_pins_changed(void *opaque, sim_wire *w, uint32_t v)
{
    esp8266 *m = opaque;
    (void)w;
    (void)v;
    for (unsigned i = 0; i <= 16; i++)
        if (m->pins[i].drive) esp_pin_push(&m->pins[i], false);
}

void esp8266_pin_input(esp8266 *m, unsigned pin, bool level, uint64_t t_ps)
{
    sim_node_touch(&m->node); /* a wire driven by another node or the scenario */
    if (pin < 16) {
        uint32_t bit = 1u << pin;
        sim_wire_set(&m->soc.gpio_ext, (m->soc.gpio_ext.value & ~bit) | (level ? bit : 0u));
    } else if (pin == 16) {
        esp_gpio16_ext(&m->soc, level);
    } else if (pin == ESP_PIN_RST) {
        esp8266_set_rst_at(m, level, t_ps);
    }
}

bool esp8266_pin_connect(esp8266 *m, unsigned pin, esp_pin_drive_fn drive, void *opaque, bool level)
{
    if (pin >= ESP_NPINS || (pin > 16 && pin != ESP_PIN_RST) || m->pins[pin].drive || !drive)
        return false;
    esp_pin *p = &m->pins[pin];
    p->m = m;
    p->pin = pin;
    p->drive = drive;
    p->opaque = opaque;
    sim_wire_connect(&m->soc.gpio_drive, esp_pins_changed, m);
    sim_wire_connect(&m->soc.gpio_pull, esp_pins_changed, m);
    sim_wire_connect(&m->soc.gpio16_drive, esp_pins_changed, m);
    if (pin < 16) m->soc.gpio_net |= (uint16_t)(1u << pin);
    if (pin == 16) m->soc.gpio16_net = true;
    esp8266_pin_input(m, pin, level, sim_node_global_now(&m->node));
    esp_pin_push(p, true);
    return true;
}

static void esp_pin_net_drive(void *opaque, unsigned pin, sim_drive d, bool pullup, uint64_t t)
{
    esp_pin *p = opaque;
    (void)pin;
    sim_net_drive(p->net, p->id, d, t);
    sim_net_pullup(p->net, p->id, pullup, t);
}

static void esp_pin_net_changed(void *opaque, sim_net *net, bool level, uint64_t t)
{
    esp_pin *p = opaque;
    (void)net;
    esp8266_pin_input(p->m, p->pin, level, t);
}

bool esp8266_pin_attach(esp8266 *m, unsigned pin, sim_net *net, const char *part)
{
    if (pin >= ESP_NPINS || (pin > 16 && pin != ESP_PIN_RST) || m->pins[pin].drive || !net)
        return false;
    esp_pin *p = &m->pins[pin];
    int id = sim_net_attach(net, part);
    if (id < 0) return false;
    p->net = net;
    p->id = id;
    sim_net_listen(net, &p->listener, esp_pin_net_changed, p);
    return esp8266_pin_connect(m, pin, esp_pin_net_drive, p, sim_net_level(net));
}

/* The board's GPIO16 -> RST wire (cfg.gpio16_rst). */
static void esp_gpio16_to_rst(void *opaque, sim_wire *w, uint32_t v)
{
    (void)w;
    esp8266_set_rst(opaque, v != 0);
}

static void esp_sleep_req(void *opaque)
{
    esp8266 *m = opaque;
    m->sleep_req = true;
    esp_rst_soon(m);
}

/* The RTC alarm of a sleeping chip: GPIO16 low, then high again ESP_WAKE_PULSE_PS later. */
static void esp_alarm_event(void *opaque, sim_event *ev, uint64_t now)
{
    esp8266 *m = opaque;
    (void)ev;
    if (!m->pulsing) {
        if (m->power != ESP_POWER_SLEEP) return;
        if (!m->cfg.gpio16_rst && m->on_sleep)
            m->on_sleep(m->on_sleep_opaque, ESP_SLEEP_NO_WAKE, now);
        m->pulsing = true;
        esp_soc_wake_pulse(&m->soc, true);
        sim_sched_at(&m->node.sched, &m->alarm_ev, now + ESP_WAKE_PULSE_PS);
    } else {
        m->pulsing = false;
        esp_soc_wake_pulse(&m->soc, false);
    }
}

/* The flash window follows Cache_Read_Enable/Disable and SPI0 CTRL bit 17. */
static void esp_window_changed(void *opaque)
{
    esp8266 *m = opaque;
    sim_bus_region *r = &m->node.bus.regions[m->flash_region];
    uint8_t *p = esp_flash_window_ptr(&m->flash);
    r->host = p;
    r->flags = p ? (SIM_BUS_R | SIM_BUS_X | SIM_BUS_DATA32 | SIM_BUS_CACHED) : 0;
    xt_invalidate(&m->node.cpu);
    xt_cache_flush(&m->node.cpu);
}

/* Flash-cache miss penalty in CPU cycles (docs/timing-model.md): one 32-byte line read over
 * SPI, command + address + mode/dummy + data clocks for the flash mode of the image header at
 * offset 0 (byte 2: 0 QIO, 1 QOUT, 2 DIO, 3 DOUT; reference/lx106.md §5.2) at its SPI clock
 * (byte 3 low nibble: 0 = 80/2, 1 = 80/3, 2 = 80/4, 0xF = 80/1 MHz). Without a header: QIO at
 * 40 MHz. At 80 MHz, QIO/40 MHz is 84 SPI clocks = 168 cycles. */
void esp8266_cache_timing(esp8266 *m)
{
    static const uint8_t clocks[4] = {8 + 6 + 2 + 4 + 64, 8 + 24 + 8 + 64, 8 + 12 + 4 + 128,
                                      8 + 24 + 8 + 128};
    const uint8_t *h = m->flash.data;
    unsigned mode = 0, div = 2;
    if (h && h[0] == 0xE9u) {
        mode = h[2] < 4 ? h[2] : 0;
        switch (h[3] & 15u) {
        case 1: div = 3; break;
        case 2: div = 4; break;
        case 15: div = 1; break;
        default: div = 2; break;
        }
    }
    xt_cache *k = &m->node.cpu.cache;
    k->line_bits = 5;
    k->miss_cycles = clocks[mode] * div * (m->node.cpu_hz >= 160000000u ? 2u : 1u);
}

/* ---- setup --------------------------------------------------------------------------------- */

static void *esp_map_alloc(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

bool esp8266_init(esp8266 *m, const esp_config *cfg, char *err, size_t errsize)
{
    memset(m, 0, sizeof(*m));
    m->cfg = *cfg;
    if (!m->cfg.name) m->cfg.name = "node";
    if (m->cfg.cpu_mhz != 160) m->cfg.cpu_mhz = 80;
    if (!m->cfg.flash_size) m->cfg.flash_size = 1u << 20;
    sim_node_init(&m->node, m->cfg.name, ESP_ROM_RESET_VECTOR, m->cfg.cpu_mhz * 1000000u,
                  m->cfg.ppm, m->cfg.boot_ps);
    m->node.trampoline = ESP_TRAMPOLINE;
    xt_cpu *c = &m->node.cpu;
    c->ps_wmask = 0x3Fu; /* silicon: PS has 6 bits (§1.6); QEMU keeps more */
    /* Faults (§1.4, §1.7, §3.1): unmapped SoC space -> 2 (fetch) / 3 (data), as for a
     * disabled flash window; wrong access width -> 3. Region 0 (NULL) is handled by the
     * region-protection attributes set at reset. */
    for (unsigned a = 0; a < 3; a++) {
        uint8_t cause = a == SIM_BUS_FETCH ? XT_CAUSE_INSTR_FETCH_ERROR : XT_CAUSE_LOAD_STORE_ERROR;
        c->fault_cause[SIM_BUS_UNMAPPED][a] = cause;
        c->fault_cause[SIM_BUS_PROHIBITED][a] = cause;
        c->fault_cause[SIM_BUS_BAD_SIZE][a] = cause;
    }

    esp_regs_init(&m->regs);
    m->regs.on_first = esp_regs_first;
    m->regs.on_first_opaque = m;
    m->rom_mem = esp_map_alloc(ESP_ROM_SIZE);
    m->iram = esp_map_alloc(ESP_IRAM_SIZE);
    m->dram = esp_map_alloc(ESP_DRAM_SIZE);
    m->rtcmem = esp_map_alloc(ESP_RTCMEM_SIZE);
    if (!m->rom_mem || !m->iram || !m->dram || !m->rtcmem ||
        !esp_flash_init(&m->flash, m->cfg.flash_size)) {
        snprintf(err, errsize, "%s: out of memory", m->cfg.name);
        return false;
    }
    for (size_t i = 0; i < sizeof(esp_map) / sizeof(esp_map[0]); i++) {
        sim_bus_region r = {.name = esp_map[i].name,
                            .base = esp_map[i].base,
                            .size = esp_map[i].size,
                            .flags = esp_map[i].flags,
                            .read_wait = esp_map[i].rd,
                            .write_wait = esp_map[i].wr,
                            .opaque = m};
        switch (esp_map[i].kind) {
        case ESP_R_RAM: r.host = m->dram; break;
        case ESP_R_ROM: r.host = m->rom_mem; break;
        case ESP_R_IRAM: r.host = m->iram; break;
        case ESP_R_RTCMEM: r.host = m->rtcmem; break;
        case ESP_R_FLASH: r.flags = 0; break; /* mapped by Cache_Read_Enable */
        case ESP_R_DPORT:
            r.read = esp_dport_mmio_read;
            r.write = esp_dport_mmio_write;
            break;
        case ESP_R_WDEV:
            r.read = esp_wdev_mmio_read;
            r.write = esp_wdev_mmio_write;
            break;
        case ESP_R_PERIPH:
            r.read = esp_periph_read;
            r.write = esp_periph_write;
            break;
        case ESP_R_REGS:
            r.read = r.base == ESP_DPORT_BASE + 0x1000u        ? esp_regs_dport_read
                     : r.base == ESP_WDEV_BASE + ESP_WDEV_SIZE ? esp_regs_wdev_read
                                                               : esp_regs_periph_read;
            r.write = r.base == ESP_DPORT_BASE + 0x1000u        ? esp_regs_dport_write
                      : r.base == ESP_WDEV_BASE + ESP_WDEV_SIZE ? esp_regs_wdev_write
                                                                : esp_regs_periph_write;
            break;
        }
        unsigned idx = sim_bus_add(&m->node.bus, &r);
        if (!idx) {
            snprintf(err, errsize, "%s: bad memory map entry %s", m->cfg.name, r.name);
            return false;
        }
        if (esp_map[i].kind == ESP_R_FLASH) m->flash_region = idx;
    }
    m->flash.on_window = esp_window_changed;
    m->flash.on_window_opaque = m;
    esp_soc_init(&m->soc, &m->node, m->cfg.seed);
    {
        uint64_t h = sim_rng_seed_for(m->cfg.seed, "rtc-ppm", 0, 0);
        int64_t ppb = m->cfg.rtc_ppb_set ? m->cfg.rtc_ppb
                                         : (int64_t)(h % (2u * ESP_RTC_DEFAULT_SPREAD_PPB + 1u)) -
                                               ESP_RTC_DEFAULT_SPREAD_PPB;
        uint32_t jitter =
            m->cfg.rtc_jitter_set ? m->cfg.rtc_jitter_ppb : ESP_RTC_DEFAULT_JITTER_PPB;
        esp_rtc_clock_init(&m->soc.rtc_clk, ppb, m->cfg.rtc_wander_ppb, jitter, m->cfg.rtc_initial,
                           sim_rng_seed_for(m->cfg.seed, "rtc", 0, 0));
    }
    m->soc.on_sleep = esp_sleep_req;
    m->soc.on_sleep_opaque = m;
    sim_wire_init(&m->rst, "1<esp.rst", 1);
    sim_wire_connect(&m->rst, esp_rst_changed, m);
    if (m->cfg.gpio16_rst) {
        sim_wire_connect(&m->soc.gpio16, esp_gpio16_to_rst, m);
        m->soc.gpio16_pullup = true; /* RST's pull-up */
    }
    sim_event_init(&m->rst_ev, "rst-pin", esp_rst_event, m, -1);
    sim_event_init(&m->alarm_ev, "rtc-alarm", esp_alarm_event, m, 0);
    m->soc.on_cpu_clock = esp_cpu_clock;
    m->soc.on_cpu_clock_opaque = m;
    m->soc.on_software_reset = esp_software_reset_req;
    m->soc.on_software_reset_opaque = m;
    m->soc.on_wdt_reset = esp_wdt_reset_req;
    m->soc.on_wdt_reset_opaque = m;
    sim_event_init(&m->reset_ev, "software-reset", esp_reset_event, m, -1);
    sim_event_init(&m->wdt_reset_ev, "wdt-reset", esp_wdt_reset_event, m, -1);
    esp_frc_init(&m->frc, &m->node, &m->soc);
    for (unsigned u = 0; u < 2; u++) {
        esp_uart_init(&m->uart[u], &m->node, u, esp_uart_sink, m);
        sim_wire_connect(&m->uart[u].irq, esp_uart_irq_changed, m);
    }
    if (!esp_rom_init(&m->rom, m)) {
        snprintf(err, errsize, "%s: cannot install the ROM models", m->cfg.name);
        return false;
    }
    esp8266_reset(m, ESP_RESET_POWER_ON);
    return true;
}

void esp8266_free(esp8266 *m)
{
    esp_regs_free(&m->regs);
    esp_rom_free(&m->rom);
    esp_frc_free(&m->frc);
    for (unsigned u = 0; u < 2; u++)
        esp_uart_free(&m->uart[u]);
    esp_flash_free(&m->flash);
    sim_node_free(&m->node);
    if (m->rom_mem) munmap(m->rom_mem, ESP_ROM_SIZE);
    if (m->iram) munmap(m->iram, ESP_IRAM_SIZE);
    if (m->dram) munmap(m->dram, ESP_DRAM_SIZE);
    if (m->rtcmem) munmap(m->rtcmem, ESP_RTCMEM_SIZE);
    memset(m, 0, sizeof(*m));
}

/* ---- reset and loading --------------------------------------------------------------------- */

/* Power-on RTC memory: seeded garbage, different at every power-on (silicon powers up with
 * random contents, protocols.md D.4). */
static void esp_rtcmem_garbage(esp8266 *m)
{
    sim_rng r;
    sim_rng_stream(&r, m->cfg.seed, "rtc-mem", m->power_ons++, 0);
    memset(m->rtcmem, 0, ESP_RTCMEM_SIZE);
    for (size_t i = 0; i < 0x400u; i += 8) {
        uint64_t v = sim_rng_next(&r);
        memcpy(m->rtcmem + i, &v, 8);
    }
}

void esp8266_reset(esp8266 *m, enum esp_reset_cause cause)
{
    uint32_t info[7] = {0, 0, 0, 0, 0, 0, 0};
    if (cause == ESP_RESET_EXTERNAL && m->power == ESP_POWER_SLEEP) cause = ESP_RESET_DEEP_SLEEP;
    switch (cause) {
    case ESP_RESET_POWER_ON: info[0] = ESP_RST_POWER_ON; break;
    case ESP_RESET_EXTERNAL: info[0] = ESP_RST_EXTERNAL; break;
    case ESP_RESET_SOFTWARE: info[0] = ESP_RST_SOFT_RESTART; break;
    case ESP_RESET_WATCHDOG: info[0] = ESP_RST_HW_WDT; break;
    case ESP_RESET_DEEP_SLEEP: info[0] = ESP_RST_DEEP_SLEEP; break;
    }
    esp8266_reset_with_info(m, cause, info);
}

void esp8266_reset_with_info(esp8266 *m, enum esp_reset_cause cause, const uint32_t info[7])
{
    sim_node_touch(&m->node);
    xt_cpu *c = &m->node.cpu;
    if (m->on_reset) m->on_reset(m->on_reset_opaque, cause, info);
    if (cause == ESP_RESET_POWER_ON) esp_rtcmem_garbage(m);
    memcpy(m->rtcmem + (ESP_RST_INFO_ADDR - ESP_RTCMEM_BASE), info, 7 * sizeof(uint32_t));
    m->reset_count++;
    m->last_reset = cause;
    if (sim_event_pending(&m->reset_ev)) sim_sched_cancel(&m->node.sched, &m->reset_ev);
    if (sim_event_pending(&m->wdt_reset_ev)) sim_sched_cancel(&m->node.sched, &m->wdt_reset_ev);
    if (sim_event_pending(&m->alarm_ev)) sim_sched_cancel(&m->node.sched, &m->alarm_ev);
    m->power = ESP_POWER_ON;
    m->rst_after_sleep = false;
    m->sleep_req = false;
    m->pulsing = false;
    sim_node_drop_calls(&m->node);
    for (unsigned u = 0; u < 2; u++)
        esp_uart_reset(&m->uart[u]); /* keeps pending RX bytes */
    xt_set_irq_level(c, 5, false);
    esp_soc_reset(&m->soc, cause);
    esp_frc_reset(&m->frc);
    esp_flash_set_window(&m->flash, false, 0);
    sim_node_set_cpu_hz(&m->node, m->cfg.cpu_mhz * 1000000u);
    c->cache.lines = XT_CACHE_MAX_LINES; /* 32 KB until Cache_Read_Enable says otherwise */
    esp8266_cache_timing(m);
    xt_cache_flush(c);
    memset(m->iram, 0, ESP_IRAM_SIZE);
    memset(m->dram, 0, ESP_DRAM_SIZE);
    esp_regs_clear(&m->regs);
    xt_reset(c); /* pc = the ROM reset vector: the boot model runs as a hook there */
    /* The ROM's reset handler sets the region attributes 0x2222211F (§1.9): region 0 (NULL)
     * illegal, 1-2 cached, 3-7 bypass. */
    for (unsigned i = 0; i < 8; i++) {
        uint8_t a = (uint8_t)((0x2222211Fu >> (4 * i)) & 15u);
        c->itlb_attr[i] = a;
        c->dtlb_attr[i] = a;
    }
    xt_invalidate(c);
    m->node.state = SIM_NODE_RUNNING;
    esp_rom_reset(&m->rom);
}

bool esp8266_load_bytes(esp8266 *m, const uint8_t *data, size_t len, const char *name, char *err,
                        size_t errsize)
{
    esp_image_info info;
    if (!esp_image_parse(data, len, name, &info, err, errsize)) return false;
    if (len > m->flash.size) {
        snprintf(err, errsize, "%s: %zu bytes do not fit the %zu-byte flash", name, len,
                 m->flash.size);
        return false;
    }
    /* Over a flash dump (esp8266_load_flash, _flash_bytes) only the image's bytes change: the
     * dump's other sectors (PHY init data, RF calibration, system parameters) stay. */
    if (!m->flash.dump) memset(m->flash.data, 0xFF, m->flash.size);
    memcpy(m->flash.data, data, len);
    m->entry = info.entry;
    esp8266_reset(m, ESP_RESET_POWER_ON);
    return true;
}

bool esp8266_load_elf(esp8266 *m, const sim_elf *elf, char *err, size_t errsize)
{
    uint8_t *img;
    size_t len;
    if (!esp_image_from_elf(elf, 0, &img, &len, err, errsize)) return false;
    m->elf = elf;
    bool ok = esp8266_load_bytes(m, img, len, elf->path, err, errsize);
    free(img);
    return ok;
}

bool esp_read_init_data(const char *path, uint8_t buf[4096], size_t *len, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    *len = fread(buf, 1, 4096, f);
    int extra = fgetc(f);
    fclose(f);
    if (*len == 0 || extra != EOF) {
        snprintf(err, errsize, "%s: PHY init data must be 1 to 4096 bytes", path);
        return false;
    }
    return true;
}

bool esp8266_put_init_data(esp8266 *m, const char *path, char *err, size_t errsize)
{
    uint8_t buf[4096];
    size_t len;
    if (!esp_read_init_data(path, buf, &len, err, errsize)) return false;
    size_t at = m->flash.size - ESP_INIT_DATA_FROM_END;
    memset(m->flash.data + at, 0xFF, 4096);
    memcpy(m->flash.data + at, buf, len);
    return true;
}

bool esp8266_load_image(esp8266 *m, const char *path, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    uint8_t *buf = malloc(m->flash.size + 1);
    size_t len = buf ? fread(buf, 1, m->flash.size + 1, f) : 0;
    fclose(f);
    bool ok;
    if (!buf) {
        snprintf(err, errsize, "%s: out of memory", path);
        ok = false;
    } else if (len == 0) {
        snprintf(err, errsize, "%s: empty file", path);
        ok = false;
    } else {
        ok = esp8266_load_bytes(m, buf, len, path, err, errsize);
    }
    free(buf);
    return ok;
}

/* The one path for a whole flash dump (the CLI's file and esp8266_load_flash_bytes): the size
 * rule, then the v1 image at offset 0, then the flash replaced and the chip reset; messages name
 * `name`. Nothing changes on failure. */
static bool esp_load_dump(esp8266 *m, const uint8_t *data, size_t size, const char *name, char *err,
                          size_t errsize)
{
    if (!esp_flash_check_size(size, name, err, errsize)) return false;
    esp_image_info info;
    if (!esp_image_parse(data, size, name, &info, err, errsize)) return false;
    if (!esp_flash_load_mem(&m->flash, data, size, name, err, errsize)) return false;
    m->entry = info.entry;
    esp8266_reset(m, ESP_RESET_POWER_ON);
    return true;
}

bool esp8266_load_flash_bytes(esp8266 *m, const uint8_t *data, size_t size, char *err,
                              size_t errsize)
{
    return esp_load_dump(m, data, size, ESP_FLASH_DUMP_NAME, err, errsize);
}

bool esp8266_load_flash(esp8266 *m, const char *path, bool persist, char *err, size_t errsize)
{
    uint8_t *data;
    size_t size;
    if (!esp_flash_read_file(path, &data, &size, err, errsize)) return false;
    bool ok = esp_load_dump(m, data, size, path, err, errsize) &&
              esp_flash_set_file(&m->flash, path, persist, err, errsize);
    free(data);
    return ok;
}

/* ---- symbols ------------------------------------------------------------------------------- */

const char *esp8266_symbol(void *opaque, uint32_t addr, uint32_t *off)
{
    const esp8266 *m = opaque;
    const sim_hook *h = sim_node_find_hook(&m->node, addr);
    if (h && h->name && addr >= h->begin) {
        *off = addr - h->begin;
        return h->name;
    }
    const char *rom = esp_rom_nearest(addr, off);
    if (rom) return rom;
    const sim_elf_symbol *s = m->elf ? sim_elf_symbol_at(m->elf, addr) : NULL;
    if (!s) return NULL;
    *off = addr - s->addr;
    return s->name;
}

void esp8266_symbolize(const esp8266 *m, uint32_t addr, char *buf, size_t size)
{
    uint32_t off = 0;
    const char *rom = esp_rom_nearest(addr, &off); /* ROM addresses: ROM names, never ELF's */
    const sim_elf_symbol *s = !rom && m->elf ? sim_elf_symbol_at(m->elf, addr) : NULL;
    int n;
    if (rom)
        n = snprintf(buf, size, "0x%08x <ROM %s+0x%x>", addr, rom, off);
    else if (s)
        n = snprintf(buf, size, "0x%08x <%s+0x%x>", addr, s->name, addr - s->addr);
    else
        n = snprintf(buf, size, "0x%08x", addr);
    const char *file;
    int line;
    if (n > 0 && (size_t)n < size && m->lines && sim_lines_lookup(m->lines, addr, &file, &line))
        snprintf(buf + n, size - (size_t)n, " (%s:%d)", file, line);
}

void esp8266_drain_uarts(esp8266 *m)
{
    uint64_t t = esp_uart_tx_idle_at(&m->uart[0]);
    uint64_t t1 = esp_uart_tx_idle_at(&m->uart[1]);
    if (t1 > t) t = t1;
    if (t > sim_node_now(&m->node)) sim_sched_run_until(&m->node.sched, t);
}

/* The hang loop: re-entered forever, 100 cycles per visit, interrupts masked. */
static void esp_hang_hook(void *opaque, sim_node *n, uint32_t pc)
{
    (void)opaque;
    (void)pc;
    xt_charge(&n->cpu, 100);
}

void esp8266_crash(esp8266 *m, enum esp_crash kind)
{
    sim_node_touch(&m->node);
    xt_cpu *c = &m->node.cpu;
    switch (kind) {
    case ESP_CRASH_HALT: sim_node_halt(&m->node); break;
    case ESP_CRASH_HANG:
        if (!sim_node_find_hook(&m->node, ESP_ROM_HANG))
            sim_node_hook(&m->node, ESP_ROM_HANG, ESP_ROM_HANG, esp_hang_hook, m, "hang");
        c->sr[XT_SR_PS] |= XT_PS_INTLEVEL;
        c->waiting = false;
        c->pc = ESP_ROM_HANG;
        break;
    case ESP_CRASH_EXCEPTION:
        c->waiting = false;
        xt_exception(c, XT_CAUSE_LOAD_PROHIBITED, 0);
        break;
    }
}
