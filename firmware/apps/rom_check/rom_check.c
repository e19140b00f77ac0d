/* apps/rom_check — calls the ESP8266 boot ROM's services and checks their results on the
 * guest side (reference/lx106.md §4). Every check prints "ok NAME" or
 * "FAIL NAME: got X expected Y"; the run ends with
 *   rom_check: N checks, M failed
 *   ROM_CHECK PASS            (or ROM_CHECK FAIL)
 * after which user_init returns and the ROM task loop idles.
 * The task queue, software timers and interrupt dispatch are checked by apps/ets_check.
 *
 * Names that picolibc or libgcc also define (memcpy, strlen, __divsi3, ...) are called through
 * their rom_* aliases (espsim_rom.h), so the ROM routine itself is exercised; the firmware's own
 * copies (libgcc_helpers.c, via C operators) are checked against the same answers.
 * software_reset is deliberately not called. */
#include "espsim_rom.h"
#include "ets_sys.h"
#include "osapi.h"
#include "spi_flash.h"
#include "user_interface.h"

#include "../check.h"

/* ---------------------------------------------------------------- console */

static char cap_buf[160];
static unsigned cap_len;

static void cap_putc(char c)
{
    if (cap_len < sizeof cap_buf - 1) cap_buf[cap_len++] = c;
    cap_buf[cap_len] = 0;
}

static unsigned putc2_count;

static void count_putc(char c)
{
    (void)c;
    putc2_count++;
}

/* ets_printf into cap_buf through putc1, then the ROM UART writer back; checks text and the
 * returned character count. */
#define FMT_CHECK(name, expect, ...)                                                               \
    do {                                                                                           \
        cap_len = 0;                                                                               \
        cap_buf[0] = 0;                                                                            \
        ets_install_putc1(cap_putc);                                                               \
        int n_ = ets_printf(__VA_ARGS__);                                                          \
        ets_install_uart_printf();                                                                 \
        check_str("ets_printf " name, cap_buf, expect);                                            \
        check_u32("ets_printf " name " return", (uint32)n_, (uint32)strlen(expect));               \
    } while (0)

/* Waits until UART0's TX FIFO is empty (bounded, in case the count never drops). */
static void uart0_drain(void)
{
    for (int i = 0;
         i < 1000000 && ((READ_PERI_REG(UART_STATUS(0)) >> UART_TXFIFO_CNT_S) & UART_TXFIFO_CNT);
         i++)
        ;
}

static void check_console(void)
{
    FMT_CHECK("%d", "-42", "%d", -42);
    FMT_CHECK("%d max", "2147483647", "%d", 2147483647);
    FMT_CHECK("%d min", "-2147483648", "%d", (int)0x80000000u);
    FMT_CHECK("%u", "4000000000", "%u", 4000000000u);
    FMT_CHECK("%x", "deadbeef", "%x", 0xDEADBEEFu);
    FMT_CHECK("%X", "DEADBEEF", "%X", 0xDEADBEEFu);
    FMT_CHECK("%s %c %%", "abc|Z|%", "%s|%c|%%", "abc", 'Z');
    FMT_CHECK("width", "[   42]", "[%5d]", 42);
    FMT_CHECK("zero pad %d", "[00042]", "[%05d]", 42);
    FMT_CHECK("zero pad %x", "[0000beef]", "[%08x]", 0xBEEFu);
    FMT_CHECK("long", "-100000 3000000000 abcdef", "%ld %lu %lx", -100000L, 3000000000UL,
              0xABCDEFUL);
    FMT_CHECK("plain text", "no conversions", "no conversions");

    /* %p: the ROM's exact spelling is not documented; accept "0x3ffe8000" or "3ffe8000". */
    cap_len = 0;
    cap_buf[0] = 0;
    ets_install_putc1(cap_putc);
    int n = ets_printf("%p", (void *)0x3FFE8000);
    ets_install_uart_printf();
    if (strcmp(cap_buf, "0x3ffe8000") == 0 || strcmp(cap_buf, "3ffe8000") == 0)
        check_u32("ets_printf %p", (uint32)n, (uint32)strlen(cap_buf));
    else
        check_str("ets_printf %p", cap_buf, "0x3ffe8000");

    /* putc2 runs after putc1 for every character */
    putc2_count = 0;
    ets_install_putc2(count_putc);
    n = ets_printf("(putc2 counts this line)\n");
    ets_install_putc2(NULL);
    check_u32("ets_install_putc2 count", putc2_count, 25);
    check_u32("ets_printf return with putc2", (uint32)n, 25);

    /* putc1 that counts: the UART writer is replaced, nothing reaches UART0 */
    putc2_count = 0;
    ets_install_putc1(count_putc);
    n = ets_printf("invisible %d\n", 12345);
    ets_install_uart_printf();
    check_u32("ets_install_putc1 count", putc2_count, 16);
    /* ets_printf returns 0 when no putc is installed: a full count means the UART writer is
     * back (and the line appears on UART0) */
    check_u32("ets_install_uart_printf restores output", (uint32)ets_printf("(output restored)\n"),
              18);

    /* ets_putc: straight to the UART, no "\n" -> "\r\n" translation */
    const char *line = "ok ets_putc\r\n";
    for (const char *p = line; *p; p++)
        ets_putc(*p);
    n_checks++;

    /* uart_tx_one_char returns 0 */
    uint32 bad = 0;
    line = "ok uart_tx_one_char\r\n";
    for (const char *p = line; *p; p++)
        bad |= uart_tx_one_char((uint8)*p);
    if (bad)
        check_u32("uart_tx_one_char return", bad, 0);
    else
        n_checks++;

    /* uart_rx_one_char with nothing received: 1, *c untouched */
    uint8 c = 0xA5;
    check_u32("uart_rx_one_char empty", uart_rx_one_char(&c), 1);
    check_u32("uart_rx_one_char leaves *c", c, 0xA5);

    /* uart_div_modify: CLKDIV = div and both FIFO resets released. It resets the FIFOs, so
     * the TX FIFO must drain first or pending characters are lost. */
    uart0_drain();
    uint32 old_div = READ_PERI_REG(UART_CLKDIV(0)) & UART_CLKDIV_CNT;
    uart_div_modify(0, UART_CLK_FREQ / 115200);
    uint32 new_div = READ_PERI_REG(UART_CLKDIV(0)) & UART_CLKDIV_CNT;
    uint32 conf0 = READ_PERI_REG(UART_CONF0(0));
    if (old_div != 0 && old_div != UART_CLK_FREQ / 115200) uart_div_modify(0, old_div);
    os_printf("(UART0 divisor at boot: %u)\n", old_div);
    check_u32("uart_div_modify CLKDIV", new_div, UART_CLK_FREQ / 115200);
    check_u32("uart_div_modify FIFO resets released", conf0 & (UART_RXFIFO_RST | UART_TXFIFO_RST),
              0);
}

/* ---------------------------------------------------------------- memory and strings */

struct memstr {
    const char *prefix;
    void *(*memset_)(void *, int, size_t);
    void *(*memcpy_)(void *, const void *, size_t);
    void *(*memmove_)(void *, const void *, size_t);
    int (*memcmp_)(const void *, const void *, size_t);
    void (*bzero_)(void *, size_t);
    size_t (*strlen_)(const char *);
    int (*strcmp_)(const char *, const char *);
    int (*strncmp_)(const char *, const char *, size_t);
    char *(*strcpy_)(char *, const char *);
    char *(*strncpy_)(char *, const char *, size_t);
    char *(*strstr_)(const char *, const char *);
};

static char namebuf[64];

static const char *nm(const char *prefix, const char *fn)
{
    size_t i = 0;
    for (const char *p = prefix; *p && i < sizeof namebuf - 1; p++)
        namebuf[i++] = *p;
    for (const char *p = fn; *p && i < sizeof namebuf - 1; p++)
        namebuf[i++] = *p;
    namebuf[i] = 0;
    return namebuf;
}

static void check_memstr(const struct memstr *f)
{
    static uint8 a[24] __attribute__((aligned(4)));
    static uint8 b[24] __attribute__((aligned(4)));
    static char s[16];
    const char *src = "0123456789abcdef";

    for (unsigned i = 0; i < sizeof a; i++)
        a[i] = 0;
    check_true(nm(f->prefix, "memset return"), f->memset_(a + 1, 0x5A, 20) == a + 1, "dst");
    check_fill(nm(f->prefix, "memset"), a + 1, 0x5A, 20);
    check_u32(nm(f->prefix, "memset bounds"), (uint32)a[0] | (uint32)a[21] << 8, 0);

    check_true(nm(f->prefix, "memcpy return"), f->memcpy_(b + 3, src, 16) == b + 3, "dst");
    check_bytes(nm(f->prefix, "memcpy"), b + 3, src, 16);

    f->memcpy_(b, src, 16);
    check_true(nm(f->prefix, "memmove return"), f->memmove_(b + 2, b, 8) == b + 2, "dst");
    check_bytes(nm(f->prefix, "memmove up"), b, "0101234567abcdef", 16);
    f->memcpy_(b, src, 16);
    f->memmove_(b, b + 2, 8);
    check_bytes(nm(f->prefix, "memmove down"), b, "2345678989abcdef", 16);

    check_u32(nm(f->prefix, "memcmp equal"), (uint32)f->memcmp_("abcd", "abcd", 4), 0);
    check_u32(nm(f->prefix, "memcmp less"), (uint32)sign(f->memcmp_("abcd", "abdd", 4)),
              (uint32)-1);
    check_u32(nm(f->prefix, "memcmp greater (unsigned bytes)"),
              (uint32)sign(f->memcmp_("\x80", "\x01", 1)), 1);
    check_u32(nm(f->prefix, "memcmp length"), (uint32)f->memcmp_("abcX", "abcY", 3), 0);

    f->memset_(a, 0x77, 24);
    f->bzero_(a + 2, 19);
    check_fill(nm(f->prefix, "bzero"), a + 2, 0, 19);
    check_u32(nm(f->prefix, "bzero bounds"), (uint32)a[1] | (uint32)a[21] << 8, 0x7777);

    check_u32(nm(f->prefix, "strlen"), (uint32)f->strlen_("hello, world"), 12);
    check_u32(nm(f->prefix, "strlen empty"), (uint32)f->strlen_(""), 0);
    check_u32(nm(f->prefix, "strcmp equal"), (uint32)f->strcmp_("same", "same"), 0);
    check_u32(nm(f->prefix, "strcmp less"), (uint32)sign(f->strcmp_("abc", "abd")), (uint32)-1);
    check_u32(nm(f->prefix, "strcmp prefix"), (uint32)sign(f->strcmp_("abcd", "abc")), 1);
    check_u32(nm(f->prefix, "strncmp"), (uint32)f->strncmp_("abcX", "abcY", 3), 0);
    check_u32(nm(f->prefix, "strncmp differs"), (uint32)sign(f->strncmp_("abcX", "abcY", 4)),
              (uint32)-1);

    f->memset_(s, 'z', sizeof s);
    check_true(nm(f->prefix, "strcpy return"), f->strcpy_(s, "xyz") == s, "dst");
    check_bytes(nm(f->prefix, "strcpy"), s, "xyz\0z", 5);
    f->memset_(s, 'z', sizeof s);
    check_true(nm(f->prefix, "strncpy return"), f->strncpy_(s, "ab", 5) == s, "dst");
    check_bytes(nm(f->prefix, "strncpy pads"), s, "ab\0\0\0z", 6);
    f->memset_(s, 'z', sizeof s);
    f->strncpy_(s, "abcdef", 3);
    check_bytes(nm(f->prefix, "strncpy truncates"), s, "abcz", 4);

    const char *hay = "hello world";
    check_true(nm(f->prefix, "strstr"), f->strstr_(hay, "o w") == hay + 4, "hay+4");
    check_true(nm(f->prefix, "strstr missing"), f->strstr_(hay, "wx") == NULL, "NULL");
    check_true(nm(f->prefix, "strstr empty needle"), f->strstr_(hay, "") == hay, "hay");
}

static void ets_bzero_fn(void *p, size_t n)
{
    ets_bzero(p, n);
}
static void rom_bzero_fn(void *p, size_t n)
{
    rom_bzero(p, n);
}

static const struct memstr ets_fns = {
    "ets_",     ets_memset, ets_memcpy,  ets_memmove, ets_memcmp,  ets_bzero_fn,
    ets_strlen, ets_strcmp, ets_strncmp, ets_strcpy,  ets_strncpy, ets_strstr,
};
static const struct memstr rom_fns = {
    "rom ",     rom_memset, rom_memcpy,  rom_memmove, rom_memcmp,  rom_bzero_fn,
    rom_strlen, rom_strcmp, rom_strncmp, rom_strcpy,  rom_strncpy, rom_strstr,
};

/* ---------------------------------------------------------------- libgcc helpers */

/* Operands the compiler cannot fold, for the firmware's own helpers. */
static volatile int32 v_m7 = -7, v_2 = 2, v_100 = 100, v_7 = 7, v_min = (int32)0x80000000;
static volatile uint32 v_ffffffff = 0xFFFFFFFFu, v_3 = 3, v_10 = 10;
static volatile int64 v_m1e10 = -10000000000LL, v_3ll = 3;
static volatile uint64 v_all1 = 0xFFFFFFFFFFFFFFFFull, v_2p32p1 = 0x100000001ull,
                       v_1e18 = 1000000000000000000ull, v_7ull = 7, v_x = 0x123456789ull,
                       v_y = 0x987654321ull;

static void check_intlib(void)
{
    check_u32("__divsi3 -7/2", (uint32)rom___divsi3(-7, 2), (uint32)-3);
    check_u32("__divsi3 7/-2", (uint32)rom___divsi3(7, -2), (uint32)-3);
    check_u32("__divsi3 100/7", (uint32)rom___divsi3(100, 7), 14);
    check_u32("__divsi3 min/1", (uint32)rom___divsi3((int32)0x80000000, 1), 0x80000000u);
    check_u32("__udivsi3", rom___udivsi3(0xFFFFFFFFu, 3), 0x55555555u);
    check_u32("__udivsi3 small", rom___udivsi3(7, 8), 0);
    check_u32("__umodsi3", rom___umodsi3(0xFFFFFFFFu, 10), 5);
    check_u64("__divdi3", (uint64)rom___divdi3(-10000000000LL, 3), (uint64)-3333333333LL);
    check_u64("__udivdi3", rom___udivdi3(0xFFFFFFFFFFFFFFFFull, 0x100000001ull), 0xFFFFFFFFull);
    check_u64("__udivdi3 1e18/7", rom___udivdi3(1000000000000000000ull, 7), 142857142857142857ull);
    check_u64("__umoddi3", rom___umoddi3(1000000000000000000ull, 7), 1);
    check_u64("__muldi3", rom___muldi3(0x123456789ull, 0x987654321ull), 0xD77D742CCE1833A9ull);
    check_u64("__umulsidi3", rom___umulsidi3(0xFFFFFFFFu, 0xFFFFFFFFu), 0xFFFFFFFE00000001ull);

    /* the same answers from firmware/sdk/libgcc_helpers.c (plain C operators) */
    check_u32("sdk __divsi3", (uint32)(v_m7 / v_2), (uint32)-3);
    check_u32("sdk __divsi3 min", (uint32)(v_min / v_7), (uint32)(-306783378));
    check_u32("sdk __modsi3 (libgcc)", (uint32)(v_100 % v_7), 2);
    check_u32("sdk __udivsi3", v_ffffffff / v_3, 0x55555555u);
    check_u32("sdk __umodsi3", v_ffffffff % v_10, 5);
    check_u64("sdk __divdi3", (uint64)(v_m1e10 / v_3ll), (uint64)-3333333333LL);
    check_u64("sdk __udivdi3", v_all1 / v_2p32p1, 0xFFFFFFFFull);
    check_u64("sdk __udivdi3 1e18/7", v_1e18 / v_7ull, 142857142857142857ull);
    check_u64("sdk __umoddi3", v_1e18 % v_7ull, 1);
    check_u64("sdk __muldi3", v_x * v_y, 0xD77D742CCE1833A9ull);
    check_u64("sdk __umulsidi3", (uint64)v_ffffffff * v_ffffffff, 0xFFFFFFFE00000001ull);
}

static void check_floatlib(void)
{
    const uint32 f1_5 = 0x3FC00000u, f2_25 = 0x40100000u;
    const uint64 d1_5 = 0x3FF8000000000000ull, d2_25 = 0x4002000000000000ull;
    check_u32("__addsf3 1.5+2.25", rom___addsf3(f1_5, f2_25), 0x40700000u);
    check_u32("__subsf3 1.5-2.25", rom___subsf3(f1_5, f2_25), 0xBF400000u);
    check_u32("__mulsf3 1.5*2.25", rom___mulsf3(f1_5, f2_25), 0x40580000u);
    check_u32("__fixunssfsi 3.75", rom___fixunssfsi(0x40700000u), 3);
    check_u64("__adddf3 1.5+2.25", rom___adddf3(d1_5, d2_25), 0x400E000000000000ull);
    check_u64("__subdf3 1.5-2.25", rom___subdf3(d1_5, d2_25), 0xBFE8000000000000ull);
    check_u64("__muldf3 1.5*2.25", rom___muldf3(d1_5, d2_25), 0x400B000000000000ull);
    check_u64("__divdf3 2.25/1.5", rom___divdf3(d2_25, d1_5), d1_5);
    check_u64("__divdf3 1/3", rom___divdf3(0x3FF0000000000000ull, 0x4008000000000000ull),
              0x3FD5555555555555ull);
    check_u32("__fixdfsi -3.75", (uint32)rom___fixdfsi(0xC00E000000000000ull), (uint32)-3);
    check_u32("__fixunsdfsi 3e9", rom___fixunsdfsi(0x41E65A0BC0000000ull), 3000000000u);
    check_u32("__truncdfsf2 1/3", rom___truncdfsf2(0x3FD5555555555555ull), 0x3EAAAAABu);
    check_u64("__extendsfdf2 1.5", rom___extendsfdf2(f1_5), d1_5);
    check_u32("__floatsisf -7", rom___floatsisf(-7), 0xC0E00000u);
    check_u32("__floatunsisf 2^31", rom___floatunsisf(0x80000000u), 0x4F000000u);
    check_u64("__floatsidf -7", rom___floatsidf(-7), 0xC01C000000000000ull);
    check_u64("__floatunsidf 2^32-1", rom___floatunsidf(0xFFFFFFFFu), 0x41EFFFFFFFE00000ull);
}

/* ---------------------------------------------------------------- time and clock */

static void check_time(void)
{
    check_u32("ets_get_cpu_frequency (start code set 80)", ets_get_cpu_frequency(), 80);
    check_u32("cpu frequency word 0x3FFFC704", READ_PERI_REG(ROM_CPU_MHZ_ADDR), 80);
    ets_update_cpu_frequency(160);
    check_u32("ets_update_cpu_frequency 160", ets_get_cpu_frequency(), 160);
    ets_update_cpu_frequency(80);
    check_u32("ets_update_cpu_frequency 80", ets_get_cpu_frequency(), 80);

    uint32 a = esp_get_ccount();
    uint32 b = xthal_get_ccount();
    uint32 c = esp_get_ccount();
    check_true("xthal_get_ccount between two RSR CCOUNT", b - a <= c - a, "a <= b <= c");
    check_range("xthal_get_ccount span", c - a, 1, 10000);

    uint32 mhz = ets_get_cpu_frequency();
    uint32 us0 = WDEV_NOW(), c0 = esp_get_ccount();
    ets_delay_us(1000);
    uint32 c1 = esp_get_ccount(), us1 = WDEV_NOW();
    check_range("ets_delay_us 1000: WDEV us counter", us1 - us0, 1000, 1100);
    check_range("ets_delay_us 1000: CCOUNT", c1 - c0, 1000 * mhz, 1100 * mhz);

    us0 = WDEV_NOW();
    ets_delay_us(25000);
    us1 = WDEV_NOW();
    check_range("ets_delay_us 25000: WDEV us counter", us1 - us0, 25000, 25500);
}

/* ---------------------------------------------------------------- flash and cache */

/* A constant in the flash window: readable only as an aligned word. */
static const uint32 flash_magic ICACHE_RODATA_ATTR = 0xC0FFEE42u;

enum { OP_READ, OP_WRITE, OP_ERASE, OP_IDLE };

/* The ROM's SPI routines run with the flash cache off, so this is IRAM code that calls only the
 * ROM until the window is back. */
static IRAM_ATTR __attribute__((noinline)) uint32 flash_op(uint32 op, uint32 addr, void *buf,
                                                           uint32 len)
{
    uint32 r;
    Cache_Read_Disable();
    if (op == OP_READ)
        r = SPIRead(addr, buf, len);
    else if (op == OP_WRITE)
        r = SPIWrite(addr, buf, len);
    else if (op == OP_ERASE)
        r = SPIEraseSector(addr);
    else
        r = Wait_SPI_Idle(flashchip);
    Cache_Read_Enable(0, 0, 1);
    return r;
}

static IRAM_ATTR __attribute__((noinline)) void cache_toggle(uint32 *ctrl_off, uint32 *ctrl_on)
{
    Cache_Read_Disable();
    *ctrl_off = READ_PERI_REG(SPI0_CTRL);
    Cache_Read_Enable(0, 0, 1);
    *ctrl_on = READ_PERI_REG(SPI0_CTRL);
}

#define TEST_SECTOR 0xF8u /* flash 0xF8000: below the NONOS system sectors of a 1 MB flash */
#define TEST_LEN    64u

static void check_flash(void)
{
    static uint32 buf[TEST_LEN / 4], p1[TEST_LEN / 4], p2[TEST_LEN / 4], and12[TEST_LEN / 4];
    const uint32 addr = TEST_SECTOR * SPI_FLASH_SEC_SIZE;

    const SpiFlashChip *chip = flashchip;
    os_printf("(flashchip: id 0x%08x, size %u, sector %u)\n", chip->deviceId, chip->chip_size,
              chip->sector_size);

    /* the window shows flash; Cache_Read_Disable/Enable switch it off and on */
    volatile const uint32 *magic = &flash_magic;
    check_u32("flash window read (Cache_Read_Enable by start code)", *magic, 0xC0FFEE42u);
    uint32 ctrl_off = 0, ctrl_on = 0;
    cache_toggle(&ctrl_off, &ctrl_on);
    check_u32("Cache_Read_Disable: SPI0 CTRL window bit", ctrl_off & SPI0_CTRL_WINDOW_EN, 0);
    check_u32("Cache_Read_Enable: SPI0 CTRL window bit", ctrl_on & SPI0_CTRL_WINDOW_EN,
              SPI0_CTRL_WINDOW_EN);
    check_u32("flash window read after Cache_Read_Disable/Enable", *magic, 0xC0FFEE42u);

    /* the same word through SPIRead at its flash offset */
    buf[0] = 0;
    check_u32("SPIRead return",
              flash_op(OP_READ, (uint32)(uintptr_t)magic - ESP_FLASH_WIN_BASE, buf, 4), 0);
    check_u32("SPIRead = flash window", buf[0], 0xC0FFEE42u);

    for (unsigned i = 0; i < TEST_LEN / 4; i++) {
        p1[i] = 0x5AA5F00Fu ^ (i * 0x01020408u);
        p2[i] = 0x3C3CFF00u + i * 0x11111111u;
        and12[i] = p1[i] & p2[i];
    }

    check_u32("SPIEraseSector", flash_op(OP_ERASE, TEST_SECTOR, NULL, 0), 0);
    check_u32("SPIRead erased", flash_op(OP_READ, addr, buf, TEST_LEN), 0);
    check_fill("erased sector reads 0xFF", buf, 0xFF, TEST_LEN);
    check_u32("SPIWrite", flash_op(OP_WRITE, addr, p1, TEST_LEN), 0);
    check_u32("Wait_SPI_Idle", flash_op(OP_IDLE, 0, NULL, 0), 0);
    check_u32("SPIRead written", flash_op(OP_READ, addr, buf, TEST_LEN), 0);
    check_bytes("read back = written", buf, p1, TEST_LEN);
    check_u32("SPIWrite over data", flash_op(OP_WRITE, addr, p2, TEST_LEN), 0);
    flash_op(OP_READ, addr, buf, TEST_LEN);
    check_bytes("program is AND (bits only clear)", buf, and12, TEST_LEN);
    check_u32("SPIEraseSector again", flash_op(OP_ERASE, TEST_SECTOR, NULL, 0), 0);
    flash_op(OP_READ, addr, buf, TEST_LEN);
    check_fill("erased again reads 0xFF", buf, 0xFF, TEST_LEN);
    check_u32("SPIEraseSector beyond chip_size",
              flash_op(OP_ERASE, chip->chip_size / 4096u, NULL, 0), 1);
    check_u32("flash window intact after SPI operations", *magic, 0xC0FFEE42u);
}

/* ---------------------------------------------------------------- misc */

static void check_misc(void)
{
    uint32 reason = rtc_get_reset_reason();
    os_printf("(reset reason %u)\n", reason);
    check_u32("rtc_get_reset_reason power-on", reason, 1);

    rom_srand(12345);
    int r1 = rom_rand(), r2 = rom_rand();
    rom_srand(12345);
    int s1 = rom_rand(), s2 = rom_rand();
    rom_srand(54321);
    int t1 = rom_rand();
    os_printf("(rand after srand(12345): %d %d; srand(54321): %d)\n", r1, r2, t1);
    check_u32("srand/rand repeat 1", (uint32)s1, (uint32)r1);
    check_u32("srand/rand repeat 2", (uint32)s2, (uint32)r2);
    check_true("rand sequence varies", r1 != r2, "r1 != r2");
    check_true("srand seed matters", t1 != r1, "different first value");
}

/* ---------------------------------------------------------------- interrupt level */

static void check_intr_lock(void)
{
    ets_intr_lock();
    uint32 ps_locked = esp_get_ps();
    ets_intr_unlock();
    uint32 ps_unlocked = esp_get_ps();
    check_u32("ets_intr_lock PS.INTLEVEL", ps_locked & 0xF, 3);
    check_u32("ets_intr_unlock PS.INTLEVEL", ps_unlocked & 0xF, 0);
}

/* ---------------------------------------------------------------- entry */

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void user_init(void)
{
    os_printf("rom_check: start\n");
    check_console();
    check_memstr(&ets_fns);
    check_memstr(&rom_fns);
    check_intlib();
    check_floatlib();
    check_time();
    check_flash();
    check_misc();
    check_intr_lock();
    check_summary("rom_check", "ROM_CHECK");
}
