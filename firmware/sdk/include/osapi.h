/* osapi.h — the NONOS SDK's os_* names. As in the NONOS SDK they are macros over ROM routines
 * (ets_*), so firmware/sdk adds no code for them; the few the ROM lacks map to picolibc.
 * os_printf writes through the ROM's ets_printf (putc1: the UART writer installed by the ROM,
 * which turns "\n" into "\r\n"). Formats: integers, strings, characters (no floating point). */
#ifndef ESPSIM_SDK_OSAPI_H
#define ESPSIM_SDK_OSAPI_H

#include <stdio.h>
#include <string.h>

#include "c_types.h"
#include "ets_sys.h"
#include "os_type.h"
#include "user_interface.h"

#define os_printf        ets_printf
#define os_printf_plus   ets_printf
#define os_install_putc1 ets_install_putc1
#define os_putc          ets_putc
#define os_delay_us      ets_delay_us

#define os_bzero   ets_bzero
#define os_memcmp  ets_memcmp
#define os_memcpy  ets_memcpy
#define os_memmove ets_memmove
#define os_memset  ets_memset
#define os_strcmp  ets_strcmp
#define os_strcpy  ets_strcpy
#define os_strlen  ets_strlen
#define os_strncmp ets_strncmp
#define os_strncpy ets_strncpy
#define os_strstr  ets_strstr
/* Not in the ROM: picolibc. */
#define os_strcat   strcat
#define os_strchr   strchr
#define os_strrchr  strrchr
#define os_sprintf  sprintf
#define os_snprintf snprintf

/* Software timers (protocols.md C.6), the NONOS SDK's macros: setfn and disarm are the ROM's
 * ets_timer_setfn / ets_timer_disarm, arm is the SDK's ets_timer_arm_new (an espsim extension
 * entry point, ets_sys.h). The timer service (ROM ets_timer_init: FRC2, interrupt 10, ETS task
 * priority 31) is started by the start code before user_init, as the NONOS SDK does. Callbacks
 * run in task context from ets_run, above every user task.
 *   os_timer_arm(t, ms, repeat)     ms (1 .. 6,870,947; after system_timer_reinit 1 .. 428,496)
 *   os_timer_arm_us(t, us, repeat)  us, only after system_timer_reinit() (0.2 us ticks); before
 *                                   it the SDK takes the value as ms. The NONOS SDK declares it
 *                                   only with -DUSE_US_TIMER: define that in portable code.
 * Call os_timer_setfn only on a disarmed timer (it forgets the list link). */
#define os_timer_setfn(t, fn, arg)     ets_timer_setfn((t), (fn), (arg))
#define os_timer_arm(t, ms, repeat)    ets_timer_arm_new((t), (ms), (repeat), 1)
#define os_timer_arm_us(t, us, repeat) ets_timer_arm_new((t), (us), (repeat), 0)
#define os_timer_disarm(t)             ets_timer_disarm(t)
#define os_timer_done(t)               ets_timer_done(t)

#endif
