/* models/rom/rom_wdt.c — the NONOS SDK's software watchdog (protocols.md C.7; checked against the
 * SDK's libpp pp.o: pp_soft_wdt_feed_local, system_soft_wdt_feed/stop/restart, and libmain's
 * system_restart_local).
 *
 * On the chip a Wi-Fi MAC timer interrupt (not an ETS timer, so it fires while a task spins)
 * expires every SOFT_WDT_INTERVAL: if the flag is clear it sets it, writes 1 to RTC STORE0,
 * re-arms and posts the pp task (ETS priority 32); the pp task, or system_soft_wdt_feed(),
 * clears the flag and feeds the hardware watchdog (0x73 to 0x60000914). An expiry that finds
 * the flag still set writes 3 to STORE0 and restarts the chip through system_restart_local,
 * which prints nothing: it waits for both UART TX FIFOs to drain and restarts with rst_info
 * reason 3 (REASON_SOFT_WDT_RST). So the reset comes 1-2 intervals after the scheduler last
 * got control.
 *
 * Model: the MAC timer is the node event esp_rom.soft_wdt.ev, armed by the espsim extension
 * entry points (firmware/sdk binds its system_soft_wdt_* to them):
 *   ESP_ROM_EXT_SOFT_WDT_RESTART  flag = 0, hardware feed, next expiry now + SOFT_WDT_INTERVAL
 *   ESP_ROM_EXT_SOFT_WDT_STOP     flag = 0, hardware feed, next expiry now + 70 s (the SDK
 *                                 "stops" it by arming 70,000,000 us ahead)
 *   ESP_ROM_EXT_SOFT_WDT_FEED     flag = 0, hardware feed (the MAC timer keeps its phase)
 * The pp task is not a guest task: every turn of ets_run is a scheduler boundary
 * (rom_wdt_task_boundary), where a posted pp task -- the highest priority -- would run first;
 * so there, a set flag is cleared and the hardware watchdog fed. An expiry while ets_run sleeps
 * in WAITI runs that boundary at once (the chip would wake, run pp and sleep again; the model
 * does not re-run the idle callback for it). The second expiry writes rst_info {3, 0, ...} and
 * resets with esp8266_reset_with_info(ESP_RESET_SOFTWARE) from the event, once the UARTs have
 * sent what their TX FIFOs held at that expiry (the event is re-armed for that moment; the guest
 * keeps running meanwhile, whereas the chip would be stuck in the restart code, and bytes it
 * queues meanwhile are lost with the reset).
 *
 * Deviations: SOFT_WDT_INTERVAL is 1600 ms as in NONOS SDK 2.x-3.0 (libpp soft_wdt_interval
 * 1,600,000 us); SDK 3.0.4 and later use 3,000,000 us. If interrupts are masked at an expiry
 * (xt_cintlevel >= 1) the MAC interrupt could not be taken then; the model skips that expiry
 * (no flag, re-armed one interval later) rather than delivering it late, so a CPU that keeps
 * interrupts locked is caught by the hardware watchdog instead. The MAC interrupt's own
 * INTENABLE bit (INT 0) is not required. An expiry armed before a chip reset is void
 * (soft_wdt.epoch): the SDK's start code restarts the watchdog after every boot.
 */
#include "rom_runtime.h"

#define PS_PER_MS          1000000000ull
#define SOFT_WDT_INTERVAL  (1600ull * PS_PER_MS)
#define SOFT_WDT_STOP_AWAY (70000ull * PS_PER_MS)

static void wdt_hw_feed(esp8266 *m)
{
    esp_wdt_feed(&m->soc); /* = 0x73 written to 0x60000914 */
}

static void wdt_store0(esp8266 *m, uint32_t v)
{
    sim_bus_write(&m->node.bus, ROM_RT_RTC_STORE0, 4, v);
}

static bool wdt_current(const esp8266 *m)
{
    return m->rom.soft_wdt.epoch == m->reset_count;
}

/* True while a UART's TX FIFO holds bytes; *until = when the last of them will have gone. */
static bool wdt_uarts_busy(esp8266 *m, uint64_t *until)
{
    bool busy = false;
    *until = 0;
    for (unsigned i = 0; i < 2; i++) {
        esp_uart *u = &m->uart[i];
        if (((esp_uart_read(u, ESP_UART_STATUS, 4) >> 16) & 0xFFu) == 0) continue;
        uint64_t t = esp_uart_tx_idle_at(u);
        busy = true;
        if (t > *until) *until = t;
    }
    return busy;
}

static void wdt_reset(esp8266 *m)
{
    esp_rom_soft_wdt *w = &m->rom.soft_wdt;
    const uint32_t info[7] = {ESP_RST_SOFT_WDT, 0, 0, 0, 0, 0, 0};
    w->flag = false;
    w->resetting = false;
    esp8266_reset_with_info(m, ESP_RESET_SOFTWARE, info);
}

static void wdt_expire(void *opaque, sim_event *ev, uint64_t now)
{
    esp8266 *m = opaque;
    esp_rom_soft_wdt *w = &m->rom.soft_wdt;
    xt_cpu *c = &m->node.cpu;
    if (!wdt_current(m)) { /* armed before a reset */
        w->flag = false;
        w->resetting = false;
        return;
    }
    uint64_t until;
    if (!w->resetting && xt_cintlevel(c) >= 1) { /* the MAC interrupt cannot be taken now */
        sim_sched_at(&m->node.sched, ev, now + SOFT_WDT_INTERVAL);
        return;
    }
    if (w->resetting) { /* the UARTs have sent what they held at the second expiry */
        wdt_reset(m);
        return;
    }
    if (w->flag) { /* the second expiry: restart once the TX FIFOs are empty */
        wdt_store0(m, ESP_RST_SOFT_WDT);
        w->resetting = true;
        if (wdt_uarts_busy(m, &until) && until > now) {
            sim_sched_at(&m->node.sched, ev, until + 1); /* after the last byte's own event */
            return;
        }
        wdt_reset(m);
        return;
    }
    wdt_store0(m, 1);
    w->flag = true;
    sim_sched_at(&m->node.sched, ev, now + SOFT_WDT_INTERVAL);
    if (c->waiting && c->pc == ROM_ets_run) rom_wdt_task_boundary(m); /* pp runs at once */
}

/* (Re)arms the MAC timer at global time when (ps). */
static void wdt_arm(esp8266 *m, uint64_t when)
{
    esp_rom_soft_wdt *w = &m->rom.soft_wdt;
    if (!w->ev.fn) sim_event_init(&w->ev, "soft-wdt", wdt_expire, m, 0);
    w->epoch = m->reset_count;
    sim_sched_reschedule(&m->node.sched, &w->ev, when);
}

void rom_wdt_task_boundary(esp8266 *m)
{
    esp_rom_soft_wdt *w = &m->rom.soft_wdt;
    if (!w->flag || w->resetting || !wdt_current(m)) return;
    w->flag = false;
    wdt_hw_feed(m);
}

/* void system_soft_wdt_feed(void) */
void rom_svc_soft_wdt_feed(esp8266 *m)
{
    esp_rom_soft_wdt *w = &m->rom.soft_wdt;
    if (!w->resetting) w->flag = false;
    wdt_hw_feed(m);
    rom_return_void(m);
}

/* void system_soft_wdt_stop(void) */
void rom_svc_soft_wdt_stop(esp8266 *m)
{
    esp_rom_soft_wdt *w = &m->rom.soft_wdt;
    wdt_hw_feed(m);
    if (!w->resetting || !wdt_current(m)) {
        w->flag = false;
        w->resetting = false;
        wdt_arm(m, sim_node_now(&m->node) + SOFT_WDT_STOP_AWAY);
    }
    rom_return_void(m);
}

/* void system_soft_wdt_restart(void) */
void rom_svc_soft_wdt_restart(esp8266 *m)
{
    esp_rom_soft_wdt *w = &m->rom.soft_wdt;
    if (!w->resetting || !wdt_current(m)) {
        w->flag = false;
        w->resetting = false;
        wdt_arm(m, sim_node_now(&m->node) + SOFT_WDT_INTERVAL);
    }
    wdt_hw_feed(m);
    rom_return_void(m);
}
