/* esp8266.h — ESP8266 register addresses and access macros for firmware (reference/lx106.md
 * §3; the NONOS SDK spreads these over eagle_soc.h and driver headers; names here follow them
 * where they exist). Include this, ets_sys.h, osapi.h and user_interface.h as NONOS apps do. */
#ifndef ESPSIM_SDK_ESP8266_H
#define ESPSIM_SDK_ESP8266_H

#include "c_types.h"

/* 32-bit peripheral access (GCC puts a MEMW before each volatile access). */
#define READ_PERI_REG(addr)             (*(volatile uint32_t *)(addr))
#define WRITE_PERI_REG(addr, val)       (*(volatile uint32_t *)(addr)) = (uint32_t)(val)
#define SET_PERI_REG_MASK(addr, mask)   WRITE_PERI_REG((addr), READ_PERI_REG(addr) | (mask))
#define CLEAR_PERI_REG_MASK(addr, mask) WRITE_PERI_REG((addr), READ_PERI_REG(addr) & ~(mask))
#define ESP_REG(addr)                   (*(volatile uint32_t *)(addr))

#define BIT(nr) (1UL << (nr))

/* ---- memory map (§3.1) ---- */
#define ESP_DRAM_BASE      0x3FFE8000u /* 80 KB user DRAM */
#define ESP_DRAM_END       0x3FFFC000u /* ROM-owned from here */
#define ESP_IRAM_BASE      0x40100000u
#define ESP_ROM_BASE       0x40000000u
#define ESP_FLASH_WIN_BASE 0x40200000u /* flash MB selected by Cache_Read_Enable */
#define ESP_RTCMEM_BASE    0x60001000u

/* ---- DPORT (0x3FF00000, §3.3) ---- */
#define DPORT_BASE            0x3FF00000u
#define DPORT_NMI_CTRL        (DPORT_BASE + 0x00)
#define DPORT_EDGE_INT_ENABLE (DPORT_BASE + 0x04) /* bit0 WDT, bit1 FRC1, bit2 FRC2 */
#define DPORT_SPI_READY       (DPORT_BASE + 0x0C)
#define DPORT_CPU_CLOCK       (DPORT_BASE + 0x14) /* bit0: 1 = 160 MHz */
#define DPORT_SPI_CACHE_RAM   (DPORT_BASE + 0x24)
#define DPORT_PERI_IO         (DPORT_BASE + 0x28)
#define DPORT_OTP_MAC0        (DPORT_BASE + 0x50)
#define DPORT_OTP_MAC1        (DPORT_BASE + 0x54)
#define DPORT_OTP_CHIPID      (DPORT_BASE + 0x58)
#define DPORT_OTP_MAC2        (DPORT_BASE + 0x5C)

/* ---- Wi-Fi MAC block (§3.12) ---- */
#define WDEV_BASE     0x3FF20000u
#define WDEV_NOW_REG  0x3FF20C00u /* free-running 1 MHz counter (system_get_time) */
#define WDEV_RAND_REG 0x3FF20E44u /* hardware random number */
#define WDEV_NOW()    READ_PERI_REG(WDEV_NOW_REG)
#define RANDOM_REG32  ESP_REG(WDEV_RAND_REG)

/* ---- UART0 / UART1 (§3.4) ---- */
#define UART0             0
#define UART1             1
#define REG_UART_BASE(i)  (0x60000000u + (i)*0xF00u)
#define UART_FIFO(i)      (REG_UART_BASE(i) + 0x00)
#define UART_INT_RAW(i)   (REG_UART_BASE(i) + 0x04)
#define UART_INT_ST(i)    (REG_UART_BASE(i) + 0x08)
#define UART_INT_ENA(i)   (REG_UART_BASE(i) + 0x0C)
#define UART_INT_CLR(i)   (REG_UART_BASE(i) + 0x10)
#define UART_CLKDIV(i)    (REG_UART_BASE(i) + 0x14)
#define UART_AUTOBAUD(i)  (REG_UART_BASE(i) + 0x18)
#define UART_STATUS(i)    (REG_UART_BASE(i) + 0x1C)
#define UART_CONF0(i)     (REG_UART_BASE(i) + 0x20)
#define UART_CONF1(i)     (REG_UART_BASE(i) + 0x24)
#define UART_DATE(i)      (REG_UART_BASE(i) + 0x78)
#define UART_ID(i)        (REG_UART_BASE(i) + 0x7C)
#define UART_CLKDIV_CNT   0x000FFFFFu
#define UART_RXFIFO_CNT   0xFFu /* STATUS bits 7:0 */
#define UART_RXFIFO_CNT_S 0
#define UART_TXFIFO_CNT   0xFFu /* STATUS bits 23:16 */
#define UART_TXFIFO_CNT_S 16
#define UART_RXFIFO_RST   BIT(17)   /* CONF0 */
#define UART_TXFIFO_RST   BIT(18)   /* CONF0 */
#define UART_CLK_FREQ     80000000u /* APB clock, also at 160 MHz CPU */

/* ---- SPI0 flash controller (§3.11) ---- */
#define SPI0_BASE           0x60000200u
#define SPI0_CMD            (SPI0_BASE + 0x00)
#define SPI0_ADDR           (SPI0_BASE + 0x04)
#define SPI0_CTRL           (SPI0_BASE + 0x08)
#define SPI0_CTRL_WINDOW_EN BIT(17) /* flash window (0x40200000) on */

/* ---- GPIO (§3.5) ---- */
#define GPIO_BASE                0x60000300u
#define GPIO_OUT_ADDRESS         (GPIO_BASE + 0x00)
#define GPIO_OUT_W1TS_ADDRESS    (GPIO_BASE + 0x04)
#define GPIO_OUT_W1TC_ADDRESS    (GPIO_BASE + 0x08)
#define GPIO_ENABLE_ADDRESS      (GPIO_BASE + 0x0C)
#define GPIO_ENABLE_W1TS_ADDRESS (GPIO_BASE + 0x10)
#define GPIO_ENABLE_W1TC_ADDRESS (GPIO_BASE + 0x14)
#define GPIO_IN_ADDRESS          (GPIO_BASE + 0x18)
#define GPIO_STATUS_ADDRESS      (GPIO_BASE + 0x1C)
#define GPIO_STATUS_W1TS_ADDRESS (GPIO_BASE + 0x20)
#define GPIO_STATUS_W1TC_ADDRESS (GPIO_BASE + 0x24)
#define GPIO_PIN_ADDR(n)         (GPIO_BASE + 0x28 + 4 * (n))
#define GPIO_RTC_CALIB_SYNC      (GPIO_BASE + 0x6C) /* bit31 start, bits 9:0 periods + 1 */
#define GPIO_RTC_CALIB_VALUE     (GPIO_BASE + 0x70) /* bit31 ready, crystal cycles */

/* ---- timers (§3.7) ---- */
#define FRC1_LOAD_ADDRESS  0x60000600u
#define FRC1_COUNT_ADDRESS 0x60000604u
#define FRC1_CTRL_ADDRESS  0x60000608u
#define FRC1_INT_ADDRESS   0x6000060Cu
#define FRC2_LOAD_ADDRESS  0x60000620u
#define FRC2_COUNT_ADDRESS 0x60000624u
#define FRC2_CTRL_ADDRESS  0x60000628u
#define FRC2_INT_ADDRESS   0x6000062Cu
#define FRC2_ALARM_ADDRESS 0x60000630u

/* ---- RTC (§3.8, §3.9) ---- */
#define RTC_BASE          0x60000700u
#define RTC_CTRL0         (RTC_BASE + 0x00) /* bit31 software reset */
#define RTC_SLP_VAL       (RTC_BASE + 0x04)
#define RTC_RESET_REASON0 (RTC_BASE + 0x08) /* bit20: sleep now (libmain deep sleep) */
#define RTC_RESET_REASON1 (RTC_BASE + 0x14)
#define RTC_RESET_REASON2 (RTC_BASE + 0x18)
#define RTC_SLP_CNT_VAL   (RTC_BASE + 0x1C) /* RTC counter, ~150 kHz */
#define RTC_STORE0        (RTC_BASE + 0x30)
#define RTC_GPIO_OUT      (RTC_BASE + 0x68)
#define RTC_GPIO_ENABLE   (RTC_BASE + 0x74)
#define RTC_GPIO_IN_DATA  (RTC_BASE + 0x8C)
#define RTC_GPIO_CONF     (RTC_BASE + 0x90)
#define RTC_USER_MEM_BASE 0x60001100u /* SDK block n at +4n; user blocks 64..191 */

/* ---- IO_MUX (§3.6) and watchdog (§3.10) ---- */
#define IO_MUX_BASE    0x60000800u
#define WDT_BASE       0x60000900u
#define WDT_CTRL       (WDT_BASE + 0x00) /* bit0 enable */
#define WDT_REG1       (WDT_BASE + 0x04) /* stage-1 timeout (the SDK writes 0xB) */
#define WDT_REG2       (WDT_BASE + 0x08) /* stage-2 timeout (the SDK writes 0xD) */
#define WDT_FEED       (WDT_BASE + 0x14)
#define WDT_FEED_MAGIC 0x73u

/* ---- ROM-owned words (§4.1) ---- */
#define ROM_CPU_MHZ_ADDR 0x3FFFC704u /* ets_get/update_cpu_frequency */

/* ---- core registers ---- */
static inline uint32_t esp_get_ccount(void)
{
    uint32_t c;
    __asm__ __volatile__("rsr.ccount %0" : "=a"(c));
    return c;
}

static inline uint32_t esp_get_ps(void)
{
    uint32_t ps;
    __asm__ __volatile__("rsr.ps %0" : "=a"(ps));
    return ps;
}

static inline uint32_t esp_get_intenable(void)
{
    uint32_t v;
    __asm__ __volatile__("rsr.intenable %0" : "=a"(v));
    return v;
}

#endif
