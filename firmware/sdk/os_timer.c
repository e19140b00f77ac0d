/* os_timer.c — starts the ROM software-timer service (ets_timer_init: FRC2, interrupt 10, ETS
 * task priority 31) the first time a timer is set up. The NONOS SDK does it unconditionally at
 * start-up; doing it on first use keeps firmware without timers free of the timer service. */
#include "osapi.h"

static bool timer_service_started;

void espsim_timer_service_start(void)
{
    if (!timer_service_started) {
        timer_service_started = true;
        ets_timer_init();
    }
}

void os_timer_setfn(os_timer_t *t, os_timer_func_t *fn, void *arg)
{
    espsim_timer_service_start();
    ets_timer_setfn(t, fn, arg);
}
