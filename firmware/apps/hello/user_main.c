/* apps/hello — the smallest useful ESP8266 application: prints over UART0 with os_printf,
 * exercises code in the flash window, a 32-bit division (libgcc helper), a 64-bit multiply, and
 * then waits forever. Builds unchanged against Espressif's NONOS SDK.
 *
 * Expected UART0 output (after the ROM's boot lines):
 *   hello from espsim
 *   cpu 80 MHz
 *   1000003 / 7 = 142857 rem 4, -1000003 / 7 = -142857
 *   1000003 * 2654435761 = 0x00096e33d7437b53
 *   0x0123456789abcdef * 0xfedcba9876543211 = 0x235a1df76f0d5adf
 *   compute ok (code at 0x4021....)
 *   done
 */
#include "ets_sys.h"
#include "osapi.h"
#include "user_interface.h"

/* Inputs the compiler cannot fold. */
static volatile uint32 num = 1000003u;
static volatile int32 neg = -1000003;
static volatile uint32 den = 7u;
static volatile uint32 mul = 2654435761u;
static volatile uint64 big_a = 0x0123456789ABCDEFull;
static volatile uint64 big_b = 0xFEDCBA9876543211ull;

/* Ordinary functions live in the flash window (ld/eagle.app.ld); ICACHE_FLASH_ATTR says so
 * explicitly, as NONOS code must. */
static ICACHE_FLASH_ATTR __attribute__((noinline)) bool compute(void)
{
    uint32 n = num, d = den;
    uint32 q = n / d, r = n % d; /* __udivsi3, __umodsi3 */
    int32 sq = neg / (int32)d;   /* __divsi3 */
    uint64 p = (uint64)n * mul;  /* 32x32 -> 64 */
    uint64 p2 = big_a * big_b;   /* __muldi3 */

    os_printf("%u / %u = %u rem %u, %d / %u = %d\n", n, d, q, r, (int)neg, d, (int)sq);
    os_printf("%u * %u = 0x%08x%08x\n", n, (uint32)mul, (uint32)(p >> 32), (uint32)p);
    os_printf("0x%08x%08x * 0x%08x%08x = 0x%08x%08x\n", (uint32)(big_a >> 32), (uint32)big_a,
              (uint32)(big_b >> 32), (uint32)big_b, (uint32)(p2 >> 32), (uint32)p2);
    return q == 142857u && r == 4u && sq == -142857 && p == 0x00096E33D7437B53ull &&
           p2 == 0x235A1DF76F0D5ADFull;
}

/* NONOS SDK >= 2.1 needs this from every application; espsim does not use it. */
uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5; /* 1 MB flash: the sector before the SDK's system parameters */
}

void ICACHE_FLASH_ATTR user_init(void)
{
    os_printf("hello from espsim\n");
    os_printf("cpu %u MHz\n", (unsigned)ets_get_cpu_frequency());
    bool ok = compute();
    os_printf("compute %s (code at 0x%08x)\n", ok ? "ok" : "WRONG", (uint32)(uintptr_t)compute);
    os_printf("done\n");
    /* Return: the SDK's start code enters ets_run, which idles (WAITI) and keeps the watchdogs
     * fed. Spinning here instead would be reset by the soft watchdog ~3.2 s later. */
}
