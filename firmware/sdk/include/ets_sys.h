/* ets_sys.h — the ESP8266 boot ROM's "ETS" services: types in their ROM layout and the ROM
 * functions firmware calls (reference/lx106.md §4). Every function declared here is resolved by
 * a PROVIDE of ld/eagle.app.ld to its ROM address and reached with -mlongcalls — except
 * ets_timer_arm_new, the NONOS libmain routine, which is PROVIDEd at the espsim extension entry
 * point ESP_ROM_EXT_TIMER_ARM_NEW (models/rom/rom.h), and NmiTimSetFunc (firmware/sdk
 * hw_timer.c). Subset of the NONOS SDK's ets_sys.h plus the ROM routines it leaves undeclared,
 * same names and signatures. */
#ifndef ESPSIM_SDK_ETS_SYS_H
#define ESPSIM_SDK_ETS_SYS_H

#include <stdarg.h>

#include "c_types.h"
#include "esp8266.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- tasks (§4.2): priorities 1..32 ---- */
typedef uint32_t ETSSignal;
typedef uint32_t ETSParam;

typedef struct ETSEventTag {
    ETSSignal sig;
    ETSParam par;
} ETSEvent; /* 8 bytes */

typedef void (*ETSTask)(ETSEvent *e);

void ets_task(ETSTask task, uint8 prio, ETSEvent *queue, uint8 qlen);
uint32 ets_post(uint8 prio, ETSSignal sig, ETSParam par); /* 0 = posted, 1 = queue full */
void ets_run(void) __attribute__((noreturn));
void ets_set_idle_cb(void (*fn)(void *arg), void *arg);

/* ---- software timers (§4.3): ticks of FRC2, callbacks run in task context ---- */
typedef void ETSTimerFunc(void *timer_arg);

typedef struct _ETSTIMER_ {
    struct _ETSTIMER_ *timer_next; /* +0  0xFFFFFFFF = not armed, 0 = end of list */
    uint32_t timer_expire;         /* +4  absolute FRC2 tick */
    uint32_t timer_period;         /* +8  ticks, 0 = one-shot */
    ETSTimerFunc *timer_func;      /* +12 */
    void *timer_arg;               /* +16 */
} ETSTimer;                        /* 20 bytes */

void ets_timer_init(void);
void ets_timer_setfn(ETSTimer *t, ETSTimerFunc *fn, void *arg);
void ets_timer_arm(ETSTimer *t, uint32_t ms, bool repeat); /* the ROM's own (ms, no checks) */
/* The NONOS SDK's arm (protocols.md C.6; what os_timer_arm/os_timer_arm_us expand to): time in
 * ms (ms_flag 1) or us (ms_flag 0; honoured only after system_timer_reinit, before it the time
 * is taken as ms), range-checked, re-arms an armed timer. espsim models it in C at
 * ESP_ROM_EXT_TIMER_ARM_NEW; firmware/sdk binds the name there (ld: rom_symbols.ld). */
void ets_timer_arm_new(ETSTimer *t, uint32_t time, bool repeat, bool ms_flag);
void ets_timer_disarm(ETSTimer *t);
void ets_timer_done(ETSTimer *t);
void ets_timer_handler_isr(void);

/* ---- interrupts (§1.2, §3.13, §4.4) ---- */
#define ETS_WDEV_INUM       0
#define ETS_SLC_INUM        1
#define ETS_SDIO_INUM       1
#define ETS_SPI_INUM        2
#define ETS_RTC_INUM        3
#define ETS_GPIO_INUM       4
#define ETS_UART_INUM       5
#define ETS_UART1_INUM      5
#define ETS_CCOMPARE0_INUM  6
#define ETS_SOFT_INUM       7
#define ETS_WDT_INUM        8
#define ETS_FRC_TIMER1_INUM 9
#define ETS_FRC_TIMER2_INUM 10

typedef void (*ets_isr_t)(void *arg, void *frame);

void ets_isr_attach(int inum, ets_isr_t fn, void *arg);
void ets_isr_mask(uint32 mask);
void ets_isr_unmask(uint32 mask);
void ets_intr_lock(void);   /* PS.INTLEVEL = 3 */
void ets_intr_unlock(void); /* PS.INTLEVEL = 0 (unconditionally) */

/* The NONOS SDK's interrupt macros (ets_sys.h of SDK 3.x), same names. Handlers attached with
 * ets_isr_attach run from the ROM's level-1 dispatch as fn(arg, frame) with interrupts at
 * level 0 except their own; keep them in IRAM (IRAM_ATTR) and short. */
#define ETS_INTR_LOCK()               ets_intr_lock()
#define ETS_INTR_UNLOCK()             ets_intr_unlock()
#define ETS_INTR_ENABLE(inum)         ets_isr_unmask(1u << (inum))
#define ETS_INTR_DISABLE(inum)        ets_isr_mask(1u << (inum))
#define ETS_SDIO_INTR_ATTACH(fn, arg) ets_isr_attach(ETS_SDIO_INUM, (ets_isr_t)(fn), (void *)(arg))
#define ETS_SLC_INTR_ATTACH(fn, arg)  ets_isr_attach(ETS_SLC_INUM, (ets_isr_t)(fn), (void *)(arg))
#define ETS_SPI_INTR_ATTACH(fn, arg)  ets_isr_attach(ETS_SPI_INUM, (ets_isr_t)(fn), (void *)(arg))
#define ETS_GPIO_INTR_ATTACH(fn, arg) ets_isr_attach(ETS_GPIO_INUM, (ets_isr_t)(fn), (void *)(arg))
#define ETS_UART_INTR_ATTACH(fn, arg) ets_isr_attach(ETS_UART_INUM, (ets_isr_t)(fn), (void *)(arg))
#define ETS_CCOMPARE0_INTR_ATTACH(fn, arg)                                                         \
    ets_isr_attach(ETS_CCOMPARE0_INUM, (ets_isr_t)(fn), (void *)(arg))
#define ETS_FRC_TIMER1_INTR_ATTACH(fn, arg)                                                        \
    ets_isr_attach(ETS_FRC_TIMER1_INUM, (ets_isr_t)(fn), (void *)(arg))
#define ETS_FRC1_INTR_ATTACH(fn, arg) ETS_FRC_TIMER1_INTR_ATTACH(fn, arg) /* espsim alias */
/* FRC1 as the NMI (hw_timer NMI_SOURCE): NmiTimSetFunc (firmware/sdk/hw_timer.c) routes FRC1
 * to the NMI (DPORT 0x3FF00000 bit 0) and installs fn behind firmware/sdk's own vectors. */
#define ETS_FRC_TIMER1_NMI_INTR_ATTACH(fn) NmiTimSetFunc(fn)
#define ETS_SPI_INTR_ENABLE()              ETS_INTR_ENABLE(ETS_SPI_INUM)
#define ETS_SPI_INTR_DISABLE()             ETS_INTR_DISABLE(ETS_SPI_INUM)
#define ETS_SLC_INTR_ENABLE()              ETS_INTR_ENABLE(ETS_SLC_INUM)
#define ETS_SLC_INTR_DISABLE()             ETS_INTR_DISABLE(ETS_SLC_INUM)
#define ETS_UART_INTR_ENABLE()             ETS_INTR_ENABLE(ETS_UART_INUM)
#define ETS_UART_INTR_DISABLE()            ETS_INTR_DISABLE(ETS_UART_INUM)
#define ETS_GPIO_INTR_ENABLE()             ETS_INTR_ENABLE(ETS_GPIO_INUM)
#define ETS_GPIO_INTR_DISABLE()            ETS_INTR_DISABLE(ETS_GPIO_INUM)
#define ETS_CCOMPARE0_ENABLE()             ETS_INTR_ENABLE(ETS_CCOMPARE0_INUM)
#define ETS_CCOMPARE0_DISABLE()            ETS_INTR_DISABLE(ETS_CCOMPARE0_INUM)
#define ETS_FRC1_INTR_ENABLE()             ETS_INTR_ENABLE(ETS_FRC_TIMER1_INUM)
#define ETS_FRC1_INTR_DISABLE()            ETS_INTR_DISABLE(ETS_FRC_TIMER1_INUM)
#define ETS_WDT_INTR_ENABLE()              ETS_INTR_ENABLE(ETS_WDT_INUM)
#define ETS_WDT_INTR_DISABLE()             ETS_INTR_DISABLE(ETS_WDT_INUM)

/* NONOS libmain: FRC1 interrupt routed to the NMI, fn called from the NMI vector (see
 * hw_timer.h). Here: firmware/sdk/hw_timer.c + nmi_vectors.S. */
void NmiTimSetFunc(void (*fn)(void));

/* Core HAL helpers in ROM. */
uint32_t xthal_get_ccount(void);
void xthal_set_ccompare(int n, uint32_t value);
uint32_t xthal_get_ccompare(int n);
uint32_t xthal_get_interrupt(void);
void xthal_set_intclear(uint32_t mask);

/* ---- console (§4.5) ---- */
int ets_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ets_vprintf(void (*putc)(char c), const char *fmt, va_list ap);
void ets_write_char(char c);
void ets_install_putc1(void (*putc)(char c));
void ets_install_putc2(void (*putc)(char c));
void ets_install_uart_printf(void);
void ets_putc(char c);
void ets_getc(char *c);

/* ---- UART (§4.6): the ROM versions (UART index from UartDev, 0 after boot) ---- */
uint32 uart_tx_one_char(uint8 c);  /* returns 0 */
uint32 uart_rx_one_char(uint8 *c); /* 0 = got one, 1 = RX FIFO empty */
uint8 uart_rx_one_char_block(void);
void uart_div_modify(uint8 uart_no, uint32 div);
void uartAttach(void);
void Uart_Init(uint8 uart_no);
void uart_buff_switch(uint8 uart_no);

/* ---- misc (§4.7) ---- */
void ets_delay_us(uint32 us);
void ets_update_cpu_frequency(uint32 mhz);
uint32 ets_get_cpu_frequency(void);
uint32 rtc_get_reset_reason(void); /* 1 power-on, 2 external, 4 watchdog, ... */
void software_reset(void) __attribute__((noreturn));
void ets_set_user_start(void (*fn)(void));
uint32 ets_wdt_disable(void);
uint32 ets_wdt_get_mode(void);

void *ets_memset(void *s, int c, size_t n);
void *ets_memcpy(void *dst, const void *src, size_t n);
void *ets_memmove(void *dst, const void *src, size_t n);
int ets_memcmp(const void *a, const void *b, size_t n);
char *ets_strcpy(char *dst, const char *src);
char *ets_strncpy(char *dst, const char *src, size_t n);
int ets_strcmp(const char *a, const char *b);
int ets_strncmp(const char *a, const char *b, size_t n);
size_t ets_strlen(const char *s);
char *ets_strstr(const char *haystack, const char *needle);
void ets_bzero(void *s, size_t n);

/* ---- GPIO helpers (§4.7) ---- */
void gpio_init(void);
void gpio_output_set(uint32 set_mask, uint32 clear_mask, uint32 enable_mask, uint32 disable_mask);
uint32 gpio_input_get(void);

#ifdef __cplusplus
}
#endif

#endif
