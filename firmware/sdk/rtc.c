/* rtc.c — the RTC part of the NONOS system_* API (user_interface.h): calibration, RTC memory and
 * deep sleep, at register level as libmain/libphy/libpp do it (reference/lx106.md §3.5, §3.8,
 * §3.9; protocols.md D; SDK 3.0 libphy phy_sleep.o pm_rtc_clock_cali, pm_usec2rtc_64,
 * pm_set_sleep_cycles; libmain user_interface.o system_rtc_mem_*, system_deep_sleep and
 * system_deep_sleep_local_2). */
#include "osapi.h"
#include "user_interface.h"

#define RTC_SLEEP_NOW   BIT(20)
#define RTC_MEM_BLOCKS  192u
#define RTC_CALI_XTAL   26u /* MHz */
#define SLEEP_DELAY_MS  100u
#define SLEEP_MAX_TICKS 0x7FFFFFFFull

/* pm_rtc_clock_cali: 256 RTC periods counted in crystal cycles; cal = cycles * 16 / 26. Called
 * with the flash cache on, so it may live in flash. */
uint32 ICACHE_FLASH_ATTR system_rtc_clock_cali_proc(void)
{
    WRITE_PERI_REG(GPIO_RTC_CALIB_SYNC, 0x101u);
    WRITE_PERI_REG(GPIO_RTC_CALIB_SYNC, READ_PERI_REG(GPIO_RTC_CALIB_SYNC) | BIT(31));
    ets_delay_us(10);
    while (!(READ_PERI_REG(GPIO_RTC_CALIB_VALUE) & BIT(31)))
        ;
    uint32 v = READ_PERI_REG(GPIO_RTC_CALIB_VALUE) & 0x0FFFFFFFu;
    WRITE_PERI_REG(GPIO_RTC_CALIB_SYNC, 0x101u);
    return (v << 4) / RTC_CALI_XTAL;
}

static bool ICACHE_FLASH_ATTR rtc_mem_ok(uint8 block, const void *buf, uint16 size)
{
    return block < RTC_MEM_BLOCKS && buf != NULL && ((uint32)buf & 3u) == 0 &&
           size <= (RTC_MEM_BLOCKS - block) * 4u;
}

bool ICACHE_FLASH_ATTR system_rtc_mem_write(uint8 des_addr, const void *src_addr, uint16 save_size)
{
    if (!rtc_mem_ok(des_addr, src_addr, save_size)) return false;
    const uint32 *s = (const uint32 *)src_addr;
    for (uint32 i = 0; i < (save_size + 3u) / 4u; i++)
        WRITE_PERI_REG(RTC_USER_MEM_BASE + 4u * (des_addr + i), s[i]);
    return true;
}

bool ICACHE_FLASH_ATTR system_rtc_mem_read(uint8 src_addr, void *des_addr, uint16 load_size)
{
    if (!rtc_mem_ok(src_addr, des_addr, load_size)) return false;
    uint32 *d = (uint32 *)des_addr;
    for (uint32 i = 0; i < (load_size + 3u) / 4u; i++)
        d[i] = READ_PERI_REG(RTC_USER_MEM_BASE + 4u * (src_addr + i));
    return true;
}

static uint8 sleep_option = 1;
static uint32 sleep_ticks;
static os_timer_t sleep_timer;

bool ICACHE_FLASH_ATTR system_deep_sleep_set_option(uint8 option)
{
    if (option > 4) return false;
    sleep_option = option;
    return true;
}

/* system_deep_sleep_local_2 after pm_set_sleep_cycles: never returns. */
static void ICACHE_FLASH_ATTR sleep_now(void *arg)
{
    (void)arg;
    ets_intr_lock();
    WRITE_PERI_REG(RTC_SLP_VAL, READ_PERI_REG(RTC_SLP_CNT_VAL) + sleep_ticks);
    WRITE_PERI_REG(RTC_STORE0, 5u);
    struct rst_info info = {.reason = REASON_DEEP_SLEEP_AWAKE};
    system_rtc_mem_write(0, &info, sizeof(info));
    /* As libmain's system_deep_sleep: power the digital domain down (0x60000740 all ones,
     * 0x60000744 = 32), then request the sleep; without the power-down the chip would only
     * light-sleep (libphy's analog-reset sleep) and go on. */
    WRITE_PERI_REG(0x60000740u, 0xFFFFFFFFu);
    WRITE_PERI_REG(0x60000744u, 32u);
    WRITE_PERI_REG(RTC_RESET_REASON0, READ_PERI_REG(RTC_RESET_REASON0) | RTC_SLEEP_NOW);
    for (;;)
        ;
}

static bool ICACHE_FLASH_ATTR sleep_setup(uint64 us)
{
    uint32 cal = system_rtc_clock_cali_proc();
    uint64 ticks = us == 0 ? SLEEP_MAX_TICKS : cal == 0 ? us / 5u : (us << 12) / cal;
    if (ticks > SLEEP_MAX_TICKS) {
        os_printf("deep sleep too long\n");
        return false;
    }
    sleep_ticks = (uint32)ticks;
    return true;
}

bool ICACHE_FLASH_ATTR system_deep_sleep(uint64 time_in_us)
{
    if (!sleep_setup(time_in_us)) return false;
    os_timer_disarm(&sleep_timer);
    os_timer_setfn(&sleep_timer, sleep_now, NULL);
    os_timer_arm(&sleep_timer, SLEEP_DELAY_MS, 0);
    return true;
}

bool ICACHE_FLASH_ATTR system_deep_sleep_instant(uint64 time_in_us)
{
    if (!sleep_setup(time_in_us)) return false;
    sleep_now(NULL);
    return true;
}
