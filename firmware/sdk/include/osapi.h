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

#define os_printf           ets_printf
#define os_printf_plus      ets_printf
#define os_install_putc1    ets_install_putc1
#define os_putc             ets_putc
#define os_delay_us         ets_delay_us

#define os_bzero            ets_bzero
#define os_memcmp           ets_memcmp
#define os_memcpy           ets_memcpy
#define os_memmove          ets_memmove
#define os_memset           ets_memset
#define os_strcmp           ets_strcmp
#define os_strcpy           ets_strcpy
#define os_strlen           ets_strlen
#define os_strncmp          ets_strncmp
#define os_strncpy          ets_strncpy
#define os_strstr           ets_strstr
/* Not in the ROM: picolibc. */
#define os_strcat           strcat
#define os_strchr           strchr
#define os_strrchr          strrchr
#define os_sprintf          sprintf
#define os_snprintf         snprintf

/* Software timers: the ROM service (ticks of FRC2; callbacks run from ets_run). The NONOS SDK
 * starts the service before user_init; here os_timer_setfn (firmware/sdk/os_timer.c) starts it
 * on first use — every timer needs os_timer_setfn before it is armed. Code that calls the ROM's
 * ets_timer_* directly calls espsim_timer_service_start() first. os_timer_arm is the ROM's
 * ets_timer_arm (milliseconds), as the SDK's ets_timer_arm_new(t, ms, repeat, 1) behaves. */
void espsim_timer_service_start(void);
void os_timer_setfn(os_timer_t *t, os_timer_func_t *fn, void *arg);
#define os_timer_arm(t, ms, repeat)  ets_timer_arm((t), (ms), (repeat))
#define os_timer_disarm(t)           ets_timer_disarm(t)
#define os_timer_done(t)             ets_timer_done(t)

#endif
