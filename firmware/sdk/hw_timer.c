/* hw_timer.c — the NONOS SDK's FRC1 timer driver (hw_timer.h; reference/lx106.md §3.7),
 * register-level guest code, plus NmiTimSetFunc (libmain in NONOS) for NMI_SOURCE. */
#include "ets_sys.h"
#include "hw_timer.h"
#include "osapi.h"

static void (*user_hw_timer_cb)(void);

void IRAM_ATTR hw_timer_arm(u32 val)
{
    WRITE_PERI_REG(FRC1_LOAD_ADDRESS, US_TO_RTC_TIMER_TICKS(val));
}

void ICACHE_FLASH_ATTR hw_timer_set_func(void (*user_hw_timer_cb_set)(void))
{
    user_hw_timer_cb = user_hw_timer_cb_set;
}

/* FRC1_SOURCE: from the ROM's level-1 dispatch (interrupt 9, edge). */
static void IRAM_ATTR hw_timer_isr_cb(void *arg, void *frame)
{
    (void)arg;
    (void)frame;
    if (user_hw_timer_cb != NULL) user_hw_timer_cb();
}

/* NMI_SOURCE: from the NMI vector (nmi_vectors.S). */
static void IRAM_ATTR hw_timer_nmi_cb(void)
{
    if (user_hw_timer_cb != NULL) user_hw_timer_cb();
}

void ICACHE_FLASH_ATTR hw_timer_init(FRC1_TIMER_SOURCE_TYPE source_type, u8 req)
{
    WRITE_PERI_REG(FRC1_CTRL_ADDRESS, (req == 1 ? FRC1_AUTO_LOAD : 0) | DIVDED_BY_16 |
                                          FRC1_ENABLE_TIMER | TM_EDGE_INT);
    if (source_type == NMI_SOURCE)
        ETS_FRC_TIMER1_NMI_INTR_ATTACH(hw_timer_nmi_cb);
    else
        ETS_FRC_TIMER1_INTR_ATTACH(hw_timer_isr_cb, NULL);
    SET_PERI_REG_MASK(DPORT_EDGE_INT_ENABLE, BIT(1)); /* TM1_EDGE_INT_ENABLE() */
    ETS_FRC1_INTR_ENABLE();
}

/* ---- NMI (NONOS libmain NmiTimSetFunc) ---- */

extern char _espsim_vectors[];        /* nmi_vectors.S */
void (*volatile espsim_nmi_fn)(void); /* called by the NMI vector */

void ICACHE_FLASH_ATTR NmiTimSetFunc(void (*fn)(void))
{
    espsim_nmi_fn = fn;
    __asm__ __volatile__("wsr.vecbase %0\n\trsync" : : "a"(_espsim_vectors) : "memory");
    SET_PERI_REG_MASK(DPORT_NMI_CTRL, BIT(0)); /* FRC1 -> NMI */
}
