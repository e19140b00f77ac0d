/* apps/idle_hour — one virtual hour of an idle device: a 1 s periodic os_timer and nothing
 * else. Between callbacks the ROM task loop (ets_run) has nothing to do and waits in WAITI, so
 * the simulator can skip to the next FRC2 alarm (scripts/bench-idle measures how fast).
 *
 * Output:
 *   idle_hour: armed at T0 us
 *   idle_hour: 600 callbacks at T us (+E us since the first)          every 600 callbacks
 *   ...
 *   idle_hour: count 3600, first at T1 us, last at T us (+E us since the first)
 *   IDLE_HOUR DONE
 * then idles on (the timer is disarmed). With the SDK's timer semantics (protocols.md C.6):
 * os_timer_arm(t, 1000, 1) = 312500 FRC2 ticks of 3.2 us = exactly 1 s per period, re-armed at
 * expire + period (no drift), so callback k (k = 1..3600) comes at T0 + k s + (at most one
 * 3.2 us tick, the FRC2 phase at arming) + (constant dispatch latency: alarm -> interrupt 10 ->
 * ets_post(31) -> ets_run -> timer task -> callback). Hence "+E since the first" is exactly
 * (k - 1) * 1000000 us; the test (run_idle_hour.sh) checks that and T1 - T0. */
#include "osapi.h"
#include "user_interface.h"

#define PERIOD_MS 1000
#define TOTAL     3600
#define REPORT    600

static os_timer_t tick;
static uint32 count, t_arm, t_first;

static void tick_cb(void *arg)
{
    (void)arg;
    uint32 now = system_get_time();
    count++;
    if (count == 1) t_first = now;
    if (count % REPORT == 0 && count < TOTAL)
        os_printf("idle_hour: %u callbacks at %u us (+%u us since the first)\n", count, now,
                  now - t_first);
    if (count == TOTAL) {
        os_timer_disarm(&tick);
        os_printf("idle_hour: count %u, first at %u us, last at %u us (+%u us since the first)\n",
                  count, t_first, now, now - t_first);
        os_printf("IDLE_HOUR DONE\n");
    }
}

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void ICACHE_FLASH_ATTR user_init(void)
{
    os_timer_setfn(&tick, tick_cb, NULL);
    t_arm = system_get_time();
    os_timer_arm(&tick, PERIOD_MS, true);
    os_printf("idle_hour: armed at %u us\n", t_arm);
}
