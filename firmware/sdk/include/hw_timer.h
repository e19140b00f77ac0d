/* hw_timer.h — the NONOS SDK's FRC1 "hardware timer" driver (examples/driver_lib hw_timer.c;
 * reference/lx106.md §3.7), firmware/sdk/hw_timer.c. Same names and semantics:
 *
 *   hw_timer_init(source, req)  FRC1 CTRL = enable | 80 MHz / 16 | edge interrupt
 *                               (| auto-reload when req == 1); attaches the driver's handler to
 *                               FRC1 (FRC1_SOURCE: CPU interrupt 9 through ets_isr_attach; or
 *                               NMI_SOURCE: the NMI, see below), sets DPORT EDGE_INT_ENABLE
 *                               bit 1 and unmasks interrupt 9.
 *   hw_timer_set_func(fn)       fn() is called from the interrupt (or NMI) on every expiry.
 *   hw_timer_arm(us)            LOAD = us * 5 ticks (0.2 us): the timer restarts from it; with
 *                               auto-reload it fires every us, else once. us <= 1,677,721
 *                               (23-bit LOAD); the SDK documents 10 us as the shortest
 *                               (50 us with auto-reload; 100 us for NMI_SOURCE).
 * fn runs in interrupt context: keep it short and in IRAM; from FRC1_SOURCE it may call
 * system_os_post / task_post. NMI_SOURCE: fn runs at NMI level, even while interrupts are
 * locked; it must not call anything that takes the ETS interrupt lock (os_printf, ets_post,
 * system_os_post, os_timer_*): NONOS forbids it too.
 *
 * NMI_SOURCE under firmware/sdk: NmiTimSetFunc() sets DPORT 0x3FF00000 bit 0 (FRC1 -> NMI) and
 * moves VECBASE to firmware/sdk's vector table (nmi_vectors.S, at 0x40100000 as in NONOS), whose
 * NMI vector calls fn; its user vector does what the ROM's does, the debug, kernel and double
 * vectors pass on to the ROM's (a0 in their fatal report is then not the program's).
 */
#ifndef ESPSIM_SDK_HW_TIMER_H
#define ESPSIM_SDK_HW_TIMER_H

#include "c_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FRC1_SOURCE = 0,
    NMI_SOURCE = 1,
} FRC1_TIMER_SOURCE_TYPE;

/* FRC1 CTRL bits (§3.7) */
#define FRC1_ENABLE_TIMER BIT(7)
#define FRC1_AUTO_LOAD    BIT(6)
#define DIVDED_BY_1       0 /* the SDK's spelling */
#define DIVDED_BY_16      4
#define DIVDED_BY_256     8
#define TM_LEVEL_INT      1
#define TM_EDGE_INT       0
#define FRC1_INT_CLR_MASK 1
/* us -> ticks of 80 MHz / 16 exactly as the SDK's macro (= us * 5) */
#define US_TO_RTC_TIMER_TICKS(t)                                                                   \
    ((t) ? (((t) > 0x35A) ? (((t) >> 2) * ((80000000u >> 4) / 250000u) +                           \
                             ((t)&0x3) * ((80000000u >> 4) / 1000000u))                            \
                          : (((t) * (80000000u >> 4)) / 1000000u))                                 \
         : 0)

void hw_timer_init(FRC1_TIMER_SOURCE_TYPE source_type, u8 req);
void hw_timer_set_func(void (*user_hw_timer_cb_set)(void));
void hw_timer_arm(u32 val);

#ifdef __cplusplus
}
#endif

#endif
