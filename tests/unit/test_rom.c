/* tests/unit/test_rom.c — the ROM services (models/rom/rom_*.c, docs/rom.md) on a whole
 * esp8266 machine: each service is called by setting its arguments, a0 = a test hook in the ROM
 * that halts the node, and pc = the service, then running the node. Guest putc functions are
 * byte arrays with their assembly (produced once with xtensa-lx106-elf-as). Covers printf
 * formatting, the CALL0 varargs layout (registers, stack, 64-bit alignment) and GCC's va_list,
 * putc1/putc2 guest-call chains and nesting, UART waits and RX, memory/string routines with
 * overlap and bad pointers, rand, libgcc integer and float helpers (known answers, NaN and
 * saturation rules, division by zero), ets_delay_us timing, flash read/program/erase with
 * timing, the flash window, interrupt lock, HAL helpers and software_reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp8266/esp8266.h"
#include "rom/rom_symbols.inc"

enum {
#define T_ADDR(name, addr) R_##name = addr,
    ESP_ROM_FUNCS(T_ADDR)
#undef T_ADDR
};

#define R_uart_div_modify 0x400039D8u /* not in eagle.rom.addr.v6.ld (reference §4.6) */

#define HALT      0x4000FF80u /* test hook: the called service returns here */
#define DRAM      0x3FFE8000u
#define STACK     0x3FFFB000u
#define IRAM      0x40100000u
#define CAP_BUF   0x3FFE9000u /* cap_putc: index word, then the characters */
#define NEST_FMT  0x3FFE9800u /* nest_putc's format string */
#define PS_PER_US 1000000ull
#define PS_PER_MS 1000000000ull

/* cap_putc(char c): appends c to the buffer at CAP_BUF + 4, index word at CAP_BUF */
static const uint8_t prog_cap_putc[] = {
    0x00, 0x90, 0xfe, 0x3f, /* .word 0x3FFE9000 */
    0x31, 0xff, 0xff,       /* l32r a3, 0 */
    0x42, 0x23, 0x00,       /* l32i a4, a3, 0 */
    0x40, 0x53, 0x80,       /* add a5, a3, a4 */
    0x22, 0x45, 0x04,       /* s8i a2, a5, 4 */
    0x42, 0xc4, 0x01,       /* addi a4, a4, 1 */
    0x42, 0x63, 0x00,       /* s32i a4, a3, 0 */
    0x80, 0x00, 0x00,       /* ret */
};
#define CAP_PUTC (IRAM + 0x100u + 4u)

/* nest_putc(char c): ets_uart_printf(NEST_FMT, c) -- a putc that prints */
static const uint8_t prog_nest_putc[] = {
    0x00, 0x98, 0xfe, 0x3f, /* .word 0x3FFE9800 */
    0x44, 0x25, 0x00, 0x40, /* .word 0x40002544 (ets_uart_printf) */
    0x12, 0xc1, 0xf0,       /* addi a1, a1, -16 */
    0x02, 0x61, 0x00,       /* s32i a0, a1, 0 */
    0x20, 0x32, 0x20,       /* or a3, a2, a2 */
    0x21, 0xfb, 0xff,       /* l32r a2, 0 */
    0x41, 0xfc, 0xff,       /* l32r a4, 4 */
    0xc0, 0x04, 0x00,       /* callx0 a4 */
    0x02, 0x21, 0x00,       /* l32i a0, a1, 0 */
    0x12, 0xc1, 0x10,       /* addi a1, a1, 16 */
    0x80, 0x00, 0x00,       /* ret */
};
#define NEST_PUTC (IRAM + 0x200u + 8u)

/* A level-1 interrupt handler behind the ROM's user vector (which saved a2..a4 in a 256-byte
 * frame): silences CCOMPARE0, counts at ISR_CNT, records EPC1 at ISR_CNT + 4, returns. */
static const uint8_t prog_isr[] = {
    0x00, 0x9f, 0xfe, 0x3f, /* .word 0x3FFE9F00 */
    0x22, 0xa0, 0x00,       /* movi a2, 0 */
    0x20, 0xf0, 0x13,       /* wsr.ccompare0 a2 */
    0x31, 0xfd, 0xff,       /* l32r a3, 0 */
    0x42, 0x23, 0x00,       /* l32i a4, a3, 0 */
    0x42, 0xc4, 0x01,       /* addi a4, a4, 1 */
    0x42, 0x63, 0x00,       /* s32i a4, a3, 0 */
    0x40, 0xb1, 0x03,       /* rsr.epc1 a4 */
    0x42, 0x63, 0x01,       /* s32i a4, a3, 4 */
    0x22, 0x21, 0x05,       /* l32i a2, a1, 20 */
    0x32, 0x21, 0x06,       /* l32i a3, a1, 24 */
    0x42, 0x21, 0x07,       /* l32i a4, a1, 28 */
    0x12, 0xd1, 0x01,       /* addmi a1, a1, 0x100 */
    0x00, 0x30, 0x00,       /* rfe */
};
#define ISR     (IRAM + 0x300u + 4u)
#define ISR_CNT 0x3FFE9F00u

typedef struct t_env {
    esp8266 m;
    char out[4096]; /* UART0 bytes */
    size_t nout;
    char out1[256]; /* UART1 bytes */
    size_t nout1;
    uint64_t start_ps, start_cycles, halt_ps, halt_cycles;
} t_env;

static void t_sink(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps)
{
    t_env *e = opaque;
    (void)t_ps;
    if (uart == 0 && e->nout < sizeof(e->out) - 1) e->out[e->nout++] = (char)byte;
    if (uart == 1 && e->nout1 < sizeof(e->out1) - 1) e->out1[e->nout1++] = (char)byte;
}

static void t_halt(void *opaque, sim_node *n, uint32_t pc)
{
    t_env *e = opaque;
    (void)pc;
    e->halt_ps = sim_node_now(n);
    e->halt_cycles = n->cpu.cycles;
    sim_node_halt(n);
}

static t_env *env_new(void)
{
    t_env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    esp_config cfg = {.name = "rom", .cpu_mhz = 80, .flash_size = 1u << 20, .seed = 1};
    char err[256];
    assert_true(esp8266_init(&e->m, &cfg, err, sizeof(err)));
    assert_true(sim_node_hook(&e->m.node, HALT, HALT, t_halt, e, "test-halt"));
    e->m.console = t_sink;
    e->m.console_opaque = e;
    xt_cpu *c = &e->m.node.cpu;
    c->sr[XT_SR_PS] = 0x20; /* UM, INTLEVEL 0: as the boot ROM hands over to the application */
    c->a[1] = STACK;
    assert_true(sim_bus_poke(&e->m.node.bus, IRAM + 0x100u, prog_cap_putc, sizeof(prog_cap_putc)));
    assert_true(
        sim_bus_poke(&e->m.node.bus, IRAM + 0x200u, prog_nest_putc, sizeof(prog_nest_putc)));
    assert_true(sim_bus_poke(&e->m.node.bus, IRAM + 0x300u, prog_isr, sizeof(prog_isr)));
    return e;
}

static void env_free(t_env *e)
{
    esp8266_free(&e->m);
    free(e);
}

static void poke(t_env *e, uint32_t addr, const void *data, size_t len)
{
    assert_true(sim_bus_poke(&e->m.node.bus, addr, data, len));
}

static void poke32(t_env *e, uint32_t addr, uint32_t v)
{
    poke(e, addr, &v, 4);
}

static uint32_t peek32(t_env *e, uint32_t addr)
{
    uint32_t v = 0;
    assert_true(sim_bus_peek(&e->m.node.bus, addr, &v, 4));
    return v;
}

/* Sets up fn(args) returning to HALT, without running. */
static void setup(t_env *e, uint32_t fn, const uint32_t *args, unsigned n)
{
    xt_cpu *c = &e->m.node.cpu;
    for (unsigned i = 0; i < n; i++)
        c->a[2 + i] = args[i];
    c->a[0] = HALT;
    c->pc = fn;
    e->m.node.state = SIM_NODE_RUNNING;
    e->start_ps = sim_node_now(&e->m.node);
    e->start_cycles = c->cycles;
}

/* Runs fn(args) until it returns to HALT (or the node stops, or 20 s pass). */
static sim_node_state start(t_env *e, uint32_t fn, const uint32_t *args, unsigned n)
{
    setup(e, fn, args, n);
    return sim_node_run_until(&e->m.node, e->start_ps + 20000 * PS_PER_MS);
}

static uint32_t call(t_env *e, uint32_t fn, const uint32_t *args, unsigned n)
{
    assert_int_equal(start(e, fn, args, n), SIM_NODE_HALTED);
    assert_int_equal(e->m.node.cpu.pc, HALT);
    return e->m.node.cpu.a[2];
}

static uint64_t call64(t_env *e, uint32_t fn, const uint32_t *args, unsigned n)
{
    uint64_t lo = call(e, fn, args, n);
    return (uint64_t)e->m.node.cpu.a[3] << 32 | lo;
}

#define CALL(e, fn, ...)                                                                           \
    call(e, fn, (const uint32_t[]){__VA_ARGS__},                                                   \
         sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))
#define CALL0(e, fn) call(e, fn, NULL, 0)
#define CALL64(e, fn, ...)                                                                         \
    call64(e, fn, (const uint32_t[]){__VA_ARGS__},                                                 \
           sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

/* Lets the UARTs finish what they hold; the text so far. */
static const char *uart_text(t_env *e)
{
    esp8266_drain_uarts(&e->m);
    e->out[e->nout] = 0;
    return e->out;
}

static uint32_t str_at(t_env *e, uint32_t addr, const char *s)
{
    poke(e, addr, s, strlen(s) + 1);
    return addr;
}

/* What cap_putc collected (and reset it). */
static void cap_take(t_env *e, char *buf, size_t size)
{
    uint32_t n = peek32(e, CAP_BUF);
    assert_true(n < size);
    assert_true(sim_bus_peek(&e->m.node.bus, CAP_BUF + 4, buf, n));
    buf[n] = 0;
    poke32(e, CAP_BUF, 0);
}

/* ---- table ---------------------------------------------------------------------------------- */

static void test_table(void **state)
{
    (void)state;
    size_t n;
    const esp_rom_service *s = esp_rom_services(&n);
    assert_true(n > 80);
    for (size_t i = 0; i < n; i++) {
        if (i) assert_true(s[i].addr > s[i - 1].addr);
        assert_true(s[i].addr >= ESP_ROM_BASE && s[i].addr < ESP_ROM_BASE + ESP_ROM_SIZE);
        assert_non_null(s[i].fn);
        const char *sym = esp_rom_name(s[i].addr);
        if (strchr(s[i].name, '+') || strchr(s[i].name, ' ')) {
            assert_null(sym); /* re-entry points and the UART writer are not ROM symbols */
        } else if (strcmp(s[i].name, "uart_div_modify") != 0) {
            assert_non_null(sym);
            assert_true(strcmp(sym, s[i].name) == 0 ||
                        s[i].addr == R_xthal_get_interrupt); /* shares its address */
        }
    }
}

/* ---- ROM data ------------------------------------------------------------------------------- */

/* The ROM's data strings that libmain's ets_vsnprintf reads by address (digits at 0x3FFFD848
 * and 0x3FFFD85C, "<null>" at 0x3FFFD870) and the exception-report formats are there after
 * reset, and phy_get_romfuncs's table (which libphy patches) lies where the ROM keeps it, clear
 * of them: a table that covered 0x3FFFD848 made os_sprintf print its words as digits. */
static void test_rom_data(void **state)
{
    (void)state;
    t_env *e = env_new();
    static const struct {
        uint32_t addr;
        const char *s;
    } strs[] = {
        {0x3FFFD7CCu, "epc1=0x%08x, epc2=0x%08x, epc3=0x%08x, excvaddr=0x%08x, depc=0x%08x\n"},
        {0x3FFFD814u, "Fatal exception (%d): \n"},
        {0x3FFFD848u, "0123456789abcdef"},
        {0x3FFFD85Cu, "0123456789ABCDEF"},
        {0x3FFFD870u, "<null>"},
    };
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        char buf[80] = {0};
        size_t n = strlen(strs[i].s) + 1;
        assert_true(sim_bus_peek(&e->m.node.bus, strs[i].addr, buf, n));
        assert_memory_equal(buf, strs[i].s, n);
    }
    /* the table: the word at 0x3FFFC730, 71 distinct ROM pointers, then 0 */
    uint32_t t = CALL0(e, R_phy_get_romfuncs);
    assert_int_equal(t, 0x3FFFC734u);
    assert_int_equal(peek32(e, 0x3FFFC730u), t);
    for (uint32_t k = 0; k < 71; k++) {
        uint32_t f = peek32(e, t + 4 * k);
        assert_true(f >= ESP_ROM_BASE && f < ESP_ROM_BASE + ESP_ROM_SIZE);
        if (k) assert_int_not_equal(f, peek32(e, t + 4 * (k - 1)));
    }
    assert_int_equal(peek32(e, t + 4 * 71), 0);
    /* libphy writing every entry leaves the strings alone */
    for (uint32_t k = 0; k <= 71; k++)
        poke32(e, t + 4 * k, 0x40100000u + 4 * k);
    char digits[17] = {0};
    assert_true(sim_bus_peek(&e->m.node.bus, 0x3FFFD848u, digits, 17));
    assert_string_equal(digits, "0123456789abcdef");
    env_free(e);
}

/* The I2C-to-analog routines, direct and through PHY table entries 36..39: registers keep what
 * is written (masked writes change only their bits), untouched ones read 0, and the RF PLL's
 * lock bit (block 0x62, host 1, register 7, bit 7) reads 1, as libphy's wait_rfpll_cal_end
 * expects of a locked PLL. A reset clears them. */
static void test_rom_i2c_analog(void **state)
{
    (void)state;
    t_env *e = env_new();
    uint32_t t = CALL0(e, R_phy_get_romfuncs);
    assert_int_equal(peek32(e, t + 144), R_rom_i2c_readReg);
    assert_int_equal(peek32(e, t + 148), R_rom_i2c_readReg_Mask);
    assert_int_equal(peek32(e, t + 152), R_rom_i2c_writeReg);
    assert_int_equal(peek32(e, t + 156), R_rom_i2c_writeReg_Mask);
    /* the PLL is locked from the start; the other bits of its register read what was written */
    assert_int_equal(CALL(e, peek32(e, t + 148), 0x62, 1, 7, 7, 7), 1);
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x62, 1, 7), 0x80);
    CALL(e, R_rom_i2c_writeReg, 0x62, 1, 7, 0x05);
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x62, 1, 7), 0x85);
    assert_int_equal(CALL(e, R_rom_i2c_readReg_Mask, 0x62, 1, 7, 7, 7), 1);
    /* plain storage elsewhere, keyed by block, host and register */
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x67, 4, 2), 0);
    CALL(e, peek32(e, t + 152), 0x67, 4, 2, 0xA5);
    assert_int_equal(CALL(e, peek32(e, t + 144), 0x67, 4, 2), 0xA5);
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x67, 3, 2), 0);
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x67, 4, 3), 0);
    /* bits 5..3 of 0xA5 = 0b100; writing 0b011 there gives 0x9D */
    assert_int_equal(CALL(e, R_rom_i2c_readReg_Mask, 0x67, 4, 2, 5, 3), 4);
    CALL(e, peek32(e, t + 156), 0x67, 4, 2, 5, 3, 0xFB);
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x67, 4, 2), 0x9D);
    CALL(e, R_rom_i2c_writeReg_Mask, 0x6B, 2, 9, 2, 1, 3);
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x6B, 2, 9), 0x06);
    /* a reset forgets them */
    esp8266_reset(&e->m, ESP_RESET_EXTERNAL);
    e->m.node.cpu.sr[XT_SR_PS] = 0x20;
    e->m.node.cpu.a[1] = STACK;
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x67, 4, 2), 0);
    assert_int_equal(CALL(e, R_rom_i2c_readReg, 0x62, 1, 7), 0x80);
    env_free(e);
}

/* ---- console -------------------------------------------------------------------------------- */

/* ets_printf through the default putc1 (the ROM's UART writer): formatting, "\r\n", count;
 * each byte waits for an empty TX FIFO, so the call lasts about one frame per byte. */
static void test_printf_uart(void **state)
{
    (void)state;
    t_env *e = env_new();
    uint32_t fmt = str_at(e, DRAM, "x=%d %s|%5x|%-4c|%08X|%u%%\n");
    uint32_t s = str_at(e, DRAM + 0x80, "str");
    poke32(e, STACK, 7); /* the sixth argument: [a1 + 0] */
    uint32_t n = CALL(e, R_ets_printf, fmt, (uint32_t)-42, s, 0xbeef, 'Q', 0xABCu);
    assert_string_equal(uart_text(e), "x=-42 str| beef|Q   |00000ABC|7%\r\n");
    assert_int_equal(n, strlen("x=-42 str| beef|Q   |00000ABC|7%\n"));
    assert_int_equal(e->m.rom.printed, n);
    /* 34 bytes on the wire; the call returns right after pushing the last one */
    uint64_t frame = esp_uart_frame_ps(&e->m.uart[0]);
    uint64_t took = e->halt_ps - e->start_ps;
    assert_true(took >= 33 * frame);
    assert_true(took < 34 * frame);
    env_free(e);
}

/* Arguments beyond a7 come from the stack; a 64-bit argument takes an even register pair or an
 * even stack slot and is never split. */
static void test_printf_varargs_abi(void **state)
{
    (void)state;
    t_env *e = env_new();
    /* 7 ints: a3..a7, then [a1+0], [a1+4] */
    uint32_t fmt = str_at(e, DRAM, "%d %d %d %d %d %d %d\n");
    poke32(e, STACK, 6);
    poke32(e, STACK + 4, 7);
    assert_int_equal(CALL(e, R_ets_printf, fmt, 1, 2, 3, 4, 5), 14);
    assert_string_equal(uart_text(e), "1 2 3 4 5 6 7\r\n");
    e->nout = 0;

    /* %lld first: a3 is skipped, the value is in a4:a5; the next int in a6 */
    fmt = str_at(e, DRAM, "%lld,%d\n");
    CALL(e, R_ets_printf, fmt, 0xDEAD, 0xFFFFFFFFu, 0xFFFFFFFFu, 9);
    assert_string_equal(uart_text(e), "-1,9\r\n");
    e->nout = 0;

    /* four ints then %lld: a3..a6, a7 skipped, the 64-bit value at [a1+0]:[a1+4] */
    fmt = str_at(e, DRAM, "%d%d%d%d %llu\n");
    /* 12345678901234 = 0x00000B3A73CE2FF2, low word first */
    poke32(e, STACK, 0x73CE2FF2u);
    poke32(e, STACK + 4, 0x00000B3Au);
    CALL(e, R_ets_printf, fmt, 1, 2, 3, 4, 0xBAD);
    assert_string_equal(uart_text(e), "1234 12345678901234\r\n");
    e->nout = 0;

    /* six ints then %lld: the sixth at [a1+0], the 64-bit value at the even slot [a1+8] */
    fmt = str_at(e, DRAM, "%d%d%d%d%d%d %lld\n");
    poke32(e, STACK, 6);
    poke32(e, STACK + 4, 0xBAD);
    poke32(e, STACK + 8, 0xFFFFFFFEu);
    poke32(e, STACK + 12, 0xFFFFFFFFu);
    CALL(e, R_ets_printf, fmt, 1, 2, 3, 4, 5);
    assert_string_equal(uart_text(e), "123456 -2\r\n");
    env_free(e);
}

/* Conversions and flags. */
static void test_printf_formats(void **state)
{
    (void)state;
    t_env *e = env_new();
    poke32(e, ESP_ROM_PUTC1, CAP_PUTC);
    static const struct {
        const char *fmt;
        uint32_t a[5];
        const char *want;
    } cases[] = {
        {"%d|%i|%u", {(uint32_t)-2147483647 - 1, 7, 4000000000u}, "-2147483648|7|4000000000"},
        {"%x|%X|%o|%#x|%#o", {0xdeadbeef, 0xbeef, 8, 255, 8}, "deadbeef|BEEF|10|0xff|010"},
        {"[%5d][%-5d][%05d][%+d][% d]", {42, 42, -42, 5, 5}, "[   42][42   ][-0042][+5][ 5]"},
        {"[%.3d][%8.3x][%*d]", {7, 0xa, 4, 9}, "[007][     00a][   9]"},
        {"%ld %lu %lx %hd",
         {(uint32_t)-100000, 3000000000u, 0xabcdef, 12},
         "-100000 3000000000 abcdef 12"},
        {"[%s][%.2s][%6s][%-6s]",
         {0, DRAM + 0x100, DRAM + 0x100, DRAM + 0x100},
         "[(null)][ab][  abcd][abcd  ]"},
        {"%p %c%c %% %y", {0x3FFE8000u, 'h', 'i'}, "0x3ffe8000 hi % %y"},
        {"100%", {0}, "100"},
    };
    str_at(e, DRAM + 0x100, "abcd");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint32_t fmt = str_at(e, DRAM, cases[i].fmt);
        uint32_t n = CALL(e, R_ets_printf, fmt, cases[i].a[0], cases[i].a[1], cases[i].a[2],
                          cases[i].a[3], cases[i].a[4]);
        char got[256];
        cap_take(e, got, sizeof(got));
        assert_string_equal(got, cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
    }
    assert_int_equal(e->nout, 0); /* putc1 replaced the UART writer */
    env_free(e);
}

/* putc1 is firmware: one guest call per character; putc2 runs after putc1; with neither set
 * ets_printf prints nothing and returns 0. */
static void test_printf_guest_putc(void **state)
{
    (void)state;
    t_env *e = env_new();
    uint32_t fmt = str_at(e, DRAM, "ab%dc\n");
    CALL(e, R_ets_install_putc1, CAP_PUTC);
    assert_int_equal(peek32(e, ESP_ROM_PUTC1), CAP_PUTC);
    e->m.node.cpu.a[12] = 0x1212;
    assert_int_equal(CALL(e, R_ets_printf, fmt, 5), 5);
    char got[64];
    cap_take(e, got, sizeof(got));
    assert_string_equal(got, "ab5c\n");
    assert_string_equal(uart_text(e), "");
    assert_int_equal(e->m.node.cpu.a[12], 0x1212);
    assert_int_equal(e->m.node.ngcalls, 0);

    /* putc1 = the UART writer again, putc2 = firmware: both see every character */
    CALL0(e, R_ets_install_uart_printf);
    assert_int_equal(peek32(e, ESP_ROM_PUTC1), ESP_ROM_UART_PUTC);
    CALL(e, R_ets_install_putc2, CAP_PUTC);
    assert_int_equal(CALL(e, R_ets_printf, fmt, 6), 5);
    cap_take(e, got, sizeof(got));
    assert_string_equal(got, "ab6c\n");
    assert_string_equal(uart_text(e), "ab6c\r\n");

    /* ets_write_char: putc1 then putc2 */
    e->nout = 0;
    CALL(e, R_ets_write_char, '\n');
    cap_take(e, got, sizeof(got));
    assert_string_equal(got, "\n");
    assert_string_equal(uart_text(e), "\r\n");

    /* neither: 0, nothing printed, not even a bad format pointer is read */
    CALL(e, R_ets_install_putc1, 0);
    CALL(e, R_ets_install_putc2, 0);
    e->nout = 0;
    assert_int_equal(CALL(e, R_ets_printf, 0x10), 0);
    assert_string_equal(uart_text(e), "");
    env_free(e);
}

/* ets_vprintf(putc, fmt, ap) with a GCC va_list {__va_stk, __va_reg, __va_ndx} by value in
 * a4..a6: saved registers while ndx <= 24, then the stack at __va_stk + 32. */
static void test_vprintf_va_list(void **state)
{
    (void)state;
    t_env *e = env_new();
    const uint32_t reg = DRAM + 0x200, stk = DRAM + 0x300 - 32;
    const uint32_t saved[6] = {0xBAD, 11, 22, 33, 44, 55}; /* a2 (fmt) .. a7 */
    poke(e, reg, saved, sizeof(saved));
    poke32(e, DRAM + 0x300, 66);
    poke32(e, DRAM + 0x304, 77);
    uint32_t fmt = str_at(e, DRAM, "%d,%d,%d,%d,%d,%d,%d");
    assert_int_equal(CALL(e, R_ets_vprintf, CAP_PUTC, fmt, stk, reg, 4), 20);
    char got[64];
    cap_take(e, got, sizeof(got));
    assert_string_equal(got, "11,22,33,44,55,66,77");

    /* ndx 20 then a 64-bit argument: rounded to 24, which no longer fits the registers, so it
     * is the first stack pair */
    poke32(e, DRAM + 0x300, 0x89ABCDEFu);
    poke32(e, DRAM + 0x304, 0x01234567u);
    fmt = str_at(e, DRAM, "%llx");
    CALL(e, R_ets_vprintf, CAP_PUTC, fmt, stk, reg, 20);
    cap_take(e, got, sizeof(got));
    assert_string_equal(got, "123456789abcdef");

    /* putc = uart_tx_one_char: raw bytes, no "\r\n" */
    fmt = str_at(e, DRAM, "%d\n");
    assert_int_equal(CALL(e, R_ets_vprintf, R_uart_tx_one_char, fmt, stk, reg, 4), 3);
    assert_string_equal(uart_text(e), "11\n");
    env_free(e);
}

/* A putc that itself prints: the inner job runs to completion inside the outer one. */
static void test_printf_nested(void **state)
{
    (void)state;
    t_env *e = env_new();
    str_at(e, NEST_FMT, "[%c]");
    uint32_t fmt = str_at(e, DRAM, "ab\n");
    const uint32_t reg = DRAM + 0x200;
    assert_int_equal(CALL(e, R_ets_vprintf, NEST_PUTC, fmt, reg - 32, reg, 4), 3);
    assert_string_equal(uart_text(e), "[a][b][\r\n]");
    assert_int_equal(e->m.rom.out_depth, 0);
    assert_int_equal(e->m.node.cpu.a[1], STACK);
    env_free(e);
}

/* ets_putc / uart_tx_one_char / the UART writer; UART index byte; uart_div_modify. */
static void test_uart_tx(void **state)
{
    (void)state;
    t_env *e = env_new();
    CALL(e, R_ets_putc, '\n');
    assert_int_equal(CALL(e, R_uart_tx_one_char, 'x'), 0);
    CALL(e, ESP_ROM_UART_PUTC, '\r'); /* dropped */
    CALL(e, ESP_ROM_UART_PUTC, '\n');
    CALL(e, ESP_ROM_UART_PUTC, 'y');
    assert_string_equal(uart_text(e), "\nx\r\ny");

    /* byte at 0x3FFFDE50 = 1: uart_tx_one_char uses UART1 */
    uint8_t one = 1;
    poke(e, ESP_ROM_UART_INDEX, &one, 1);
    CALL(e, R_uart_tx_one_char, 'z');
    esp8266_drain_uarts(&e->m);
    assert_int_equal(e->nout1, 1);
    assert_int_equal(e->out1[0], 'z');

    /* uart_div_modify: divisor set, both FIFO resets pulsed (left clear) */
    CALL(e, R_uart_div_modify, 0, 80000000u / 921600u);
    assert_int_equal(esp_uart_read(&e->m.uart[0], ESP_UART_CLKDIV, 4), 80000000u / 921600u);
    assert_int_equal(esp_uart_read(&e->m.uart[0], ESP_UART_CONF0, 4) & (3u << 17), 0);
    uint64_t frame = esp_uart_frame_ps(&e->m.uart[0]);
    assert_int_equal(frame, 10ull * 86 * 12500);
    env_free(e);
}

/* RX: uart_rx_one_char is non-blocking; uart_rx_one_char_block and ets_getc wait, letting
 * time pass to the next event, until a byte arrives. */
static void test_uart_rx(void **state)
{
    (void)state;
    t_env *e = env_new();
    uint8_t b = 0xA5;
    poke(e, DRAM, &b, 1);
    assert_int_equal(CALL(e, R_uart_rx_one_char, DRAM), 1);
    assert_int_equal(peek32(e, DRAM) & 0xFF, 0xA5);

    /* nothing to read: after 5 ms the routine is still waiting */
    setup(e, R_uart_rx_one_char_block, NULL, 0);
    assert_int_equal(sim_node_run_until(&e->m.node, e->start_ps + 5 * PS_PER_MS), SIM_NODE_RUNNING);
    assert_int_equal(e->m.node.cpu.pc, R_uart_rx_one_char_block);
    uint64_t t_inject = sim_node_now(&e->m.node);
    assert_true(t_inject >= e->start_ps + 5 * PS_PER_MS);
    assert_true(esp_uart_inject(&e->m.uart[0], (const uint8_t *)"QR", 2));
    assert_int_equal(sim_node_run_until(&e->m.node, t_inject + 50 * PS_PER_MS), SIM_NODE_HALTED);
    assert_int_equal(e->m.node.cpu.a[2], 'Q');
    uint64_t frame = esp_uart_frame_ps(&e->m.uart[0]);
    assert_true(e->halt_ps >= t_inject + frame && e->halt_ps < t_inject + frame + PS_PER_US);

    CALL(e, R_ets_delay_us, 100); /* 'R' arrives one frame after 'Q' */
    assert_int_equal(CALL(e, R_uart_rx_one_char, DRAM), 0);
    assert_int_equal(peek32(e, DRAM) & 0xFF, 'R');
    assert_true(esp_uart_inject(&e->m.uart[0], (const uint8_t *)"S", 1));
    CALL(e, R_ets_getc, DRAM + 4);
    assert_int_equal(peek32(e, DRAM + 4) & 0xFF, 'S');
    env_free(e);
}

/* ---- memory and strings --------------------------------------------------------------------- */

static void test_mem(void **state)
{
    (void)state;
    t_env *e = env_new();
    const uint32_t a = DRAM + 0x400;
    char buf[64];

    /* memmove both ways, with overlap */
    str_at(e, a, "0123456789abcdef");
    assert_int_equal(CALL(e, R_memmove, a + 2, a, 8), a + 2);
    assert_true(sim_bus_peek(&e->m.node.bus, a, buf, 17));
    assert_string_equal(buf, "0101234567abcdef");
    str_at(e, a, "0123456789abcdef");
    CALL(e, R_ets_memmove, a, a + 2, 8);
    assert_true(sim_bus_peek(&e->m.node.bus, a, buf, 17));
    assert_string_equal(buf, "2345678989abcdef");
    /* memcpy with overlap behaves as memmove (documented) */
    str_at(e, a, "0123456789abcdef");
    CALL(e, R_memcpy, a + 1, a, 10);
    assert_true(sim_bus_peek(&e->m.node.bus, a, buf, 17));
    assert_string_equal(buf, "00123456789bcdef");

    /* memcpy into IRAM (32-bit-only region) and an odd-length, unaligned copy back */
    str_at(e, a, "IRAM bytes!");
    CALL(e, R_ets_memcpy, IRAM + 0x401, a, 11);
    memset(buf, 0, sizeof(buf));
    CALL(e, R_memcpy, a + 0x41, IRAM + 0x401, 11);
    assert_true(sim_bus_peek(&e->m.node.bus, a + 0x41, buf, 11));
    assert_memory_equal(buf, "IRAM bytes!", 11);

    /* memset / bzero bounds, cost 4 + n/4 */
    str_at(e, a, "xxxxxxxxxxxx");
    assert_int_equal(CALL(e, R_memset, a + 1, 0x5A, 10), a + 1);
    assert_int_equal(e->halt_cycles - e->start_cycles, 4 + 10 / 4);
    assert_true(sim_bus_peek(&e->m.node.bus, a, buf, 13));
    assert_string_equal(buf, "xZZZZZZZZZZx");
    CALL(e, R_bzero, a + 2, 3);
    assert_true(sim_bus_peek(&e->m.node.bus, a, buf, 6));
    assert_memory_equal(buf, "xZ\0\0\0Z", 6);

    /* memcmp: first difference as unsigned bytes */
    str_at(e, a, "abcd\x80");
    str_at(e, a + 8, "abdd\x01");
    assert_int_equal((int32_t)CALL(e, R_memcmp, a, a + 8, 4), 'c' - 'd');
    assert_int_equal(CALL(e, R_ets_memcmp, a, a + 8, 2), 0);
    assert_int_equal(CALL(e, R_memcmp, a + 4, a + 12, 1), 0x80 - 0x01);

    /* strings */
    str_at(e, a, "hello world");
    assert_int_equal(CALL(e, R_strlen, a), 11);
    assert_int_equal(CALL(e, R_ets_strlen, a + 11), 0);
    assert_int_equal(CALL(e, R_strstr, a, str_at(e, a + 0x20, "o w")), a + 4);
    assert_int_equal(CALL(e, R_ets_strstr, a, str_at(e, a + 0x20, "wx")), 0);
    assert_int_equal(CALL(e, R_strstr, a, str_at(e, a + 0x20, "")), a);
    assert_int_equal(CALL(e, R_strstr, a, str_at(e, a + 0x20, "world")), a + 6);
    assert_int_equal(CALL(e, R_strcmp, a, str_at(e, a + 0x20, "hello world")), 0);
    assert_true((int32_t)CALL(e, R_ets_strcmp, a, str_at(e, a + 0x20, "hello")) > 0);
    assert_true(
        (int32_t)CALL(e, R_strcmp, str_at(e, a + 0x40, "\x01"), str_at(e, a + 0x20, "\xff")) < 0);
    assert_int_equal(
        CALL(e, R_strncmp, str_at(e, a + 0x40, "abcX"), str_at(e, a + 0x20, "abcY"), 3), 0);
    assert_true((int32_t)CALL(e, R_ets_strncmp, a + 0x40, a + 0x20, 4) < 0);

    str_at(e, a, "zzzzzzzzzz");
    assert_int_equal(CALL(e, R_strcpy, a, str_at(e, a + 0x20, "xyz")), a);
    assert_true(sim_bus_peek(&e->m.node.bus, a, buf, 5));
    assert_memory_equal(buf, "xyz\0z", 5);
    str_at(e, a, "zzzzzzzzzz");
    assert_int_equal(CALL(e, R_ets_strncpy, a, str_at(e, a + 0x20, "ab"), 5), a);
    assert_true(sim_bus_peek(&e->m.node.bus, a, buf, 6));
    assert_memory_equal(buf, "ab\0\0\0z", 6);
    str_at(e, a, "zzzzzzzzzz");
    CALL(e, R_strncpy, a, str_at(e, a + 0x20, "abcdef"), 3);
    assert_true(sim_bus_peek(&e->m.node.bus, a, buf, 4));
    assert_memory_equal(buf, "abcz", 4);
    env_free(e);
}

static void test_rand(void **state)
{
    (void)state;
    t_env *e = env_new();
    CALL(e, R_srand, 12345);
    assert_int_equal(peek32(e, 0x3FFFC6F8u), 12345);
    uint32_t s = 12345;
    for (int i = 0; i < 5; i++) {
        s = s * 1103515245u + 12345u;
        assert_int_equal(CALL0(e, R_rand), s >> 1);
    }
    assert_int_equal(peek32(e, 0x3FFFC6F8u), s);
    env_free(e);
}

/* A bad pointer raises the exception the ROM's load/store would, at the routine's address;
 * with no handler installed the ROM's fatal-exception report stops the node. */
static void test_bad_pointers(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    static const struct {
        uint32_t fn, a[3];
        unsigned cause;
        uint32_t vaddr;
    } cases[] = {
        {R_memcpy, {DRAM, 0x10, 4}, XT_CAUSE_LOAD_PROHIBITED, 0x10},
        {R_memset, {0x20, 0, 4}, XT_CAUSE_STORE_PROHIBITED, 0x20},
        {R_strlen, {0}, XT_CAUSE_LOAD_PROHIBITED, 0},
        {R_ets_printf, {0x8}, XT_CAUSE_LOAD_PROHIBITED, 0x8},
        {R_SPIRead, {0, 0x30, 4}, XT_CAUSE_STORE_PROHIBITED, 0x30},
        {R_memcpy, {DRAM, 0x50000000u, 4}, XT_CAUSE_LOAD_STORE_ERROR, 0x50000000u},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        c->sr[XT_SR_PS] = 0x20;
        c->a[1] = STACK;
        assert_int_equal(start(e, cases[i].fn, cases[i].a, 3), SIM_NODE_FAULTED);
        assert_int_equal(c->sr[XT_SR_EXCCAUSE], cases[i].cause);
        assert_int_equal(c->sr[XT_SR_EPC1], cases[i].fn);
        assert_int_equal(c->sr[XT_SR_EXCVADDR], cases[i].vaddr);
        assert_non_null(strstr(e->m.node.fault_msg, xt_cause_name(cases[i].cause)));
    }
    /* ets_printf("%s", bad) */
    c->sr[XT_SR_PS] = 0x20;
    uint32_t fmt = str_at(e, DRAM, "ok %s");
    assert_int_equal(start(e, R_ets_printf, (const uint32_t[]){fmt, 0x44}, 2), SIM_NODE_FAULTED);
    assert_int_equal(c->sr[XT_SR_EXCVADDR], 0x44);
    assert_int_equal(e->m.rom.out_len, 0);
    env_free(e);
}

/* ---- libgcc --------------------------------------------------------------------------------- */

static void test_intlib(void **state)
{
    (void)state;
    t_env *e = env_new();
    assert_int_equal(CALL(e, R___divsi3, (uint32_t)-7, 2), (uint32_t)-3);
    assert_int_equal(CALL(e, R___divsi3, 7, (uint32_t)-2), (uint32_t)-3);
    assert_int_equal(CALL(e, R___divsi3, 0x80000000u, (uint32_t)-1), 0x80000000u);
    assert_int_equal(CALL(e, R___udivsi3, 0xFFFFFFFFu, 3), 0x55555555u);
    assert_int_equal(CALL(e, R___umodsi3, 0xFFFFFFFFu, 10), 5);
    /* -10000000000 / 3 */
    uint64_t a = (uint64_t)-10000000000LL;
    assert_int_equal(CALL64(e, R___divdi3, (uint32_t)a, (uint32_t)(a >> 32), 3, 0),
                     (uint64_t)-3333333333LL);
    assert_int_equal(CALL64(e, R___udivdi3, 0xFFFFFFFFu, 0xFFFFFFFFu, 1, 1), 0xFFFFFFFFull);
    uint64_t e18 = 1000000000000000000ull;
    assert_int_equal(CALL64(e, R___udivdi3, (uint32_t)e18, (uint32_t)(e18 >> 32), 7, 0),
                     142857142857142857ull);
    assert_int_equal(CALL64(e, R___umoddi3, (uint32_t)e18, (uint32_t)(e18 >> 32), 7, 0), 1);
    assert_int_equal(CALL64(e, R___muldi3, 0x23456789u, 0x1, 0x87654321u, 0x9),
                     0xD77D742CCE1833A9ull);
    assert_int_equal(CALL64(e, R___umulsidi3, 0xFFFFFFFFu, 0xFFFFFFFFu), 0xFFFFFFFE00000001ull);
    assert_int_equal(e->halt_cycles - e->start_cycles, 20);

    /* division by zero: IllegalInstruction at the helper, like GCC's ILL */
    static const uint32_t divs[] = {R___divsi3, R___udivsi3, R___umodsi3,
                                    R___divdi3, R___udivdi3, R___umoddi3};
    for (size_t i = 0; i < sizeof(divs) / sizeof(divs[0]); i++) {
        xt_cpu *c = &e->m.node.cpu;
        c->sr[XT_SR_PS] = 0x20;
        assert_int_equal(start(e, divs[i], (const uint32_t[]){5, 0, 0, 0}, 4), SIM_NODE_FAULTED);
        assert_int_equal(c->sr[XT_SR_EXCCAUSE], XT_CAUSE_ILLEGAL);
        assert_int_equal(c->sr[XT_SR_EPC1], divs[i]);
    }
    env_free(e);
}

#define D(x) (uint32_t)(x), (uint32_t)((x) >> 32)

static void test_floatlib(void **state)
{
    (void)state;
    t_env *e = env_new();
    const uint32_t f1_5 = 0x3FC00000u, f2_25 = 0x40100000u, finf = 0x7F800000u;
    const uint64_t d1_5 = 0x3FF8000000000000ull, d2_25 = 0x4002000000000000ull;
    assert_int_equal(CALL(e, R___addsf3, f1_5, f2_25), 0x40700000u);
    assert_int_equal(CALL(e, R___subsf3, f1_5, f2_25), 0xBF400000u);
    assert_int_equal(CALL(e, R___mulsf3, f1_5, f2_25), 0x40580000u);
    assert_int_equal(CALL(e, R___mulsf3, 0x00800000u, 0x3F000000u), 0x00400000u); /* subnormal */
    assert_int_equal(CALL(e, R___fixunssfsi, 0x40700000u), 3);
    assert_int_equal(CALL(e, R___fixunssfsi, 0xC0200000u), 0xFFFFFFFEu); /* -2.5 */
    assert_int_equal(CALL64(e, R___adddf3, D(d1_5), D(d2_25)), 0x400E000000000000ull);
    assert_int_equal(CALL64(e, R___subdf3, D(d1_5), D(d2_25)), 0xBFE8000000000000ull);
    assert_int_equal(CALL64(e, R___muldf3, D(d1_5), D(d2_25)), 0x400B000000000000ull);
    assert_int_equal(CALL64(e, R___divdf3, D(d2_25), D(d1_5)), d1_5);
    assert_int_equal(CALL64(e, R___divdf3, D(0x3FF0000000000000ull), D(0x4008000000000000ull)),
                     0x3FD5555555555555ull);
    assert_int_equal(CALL(e, R___fixdfsi, D(0xC00E000000000000ull)), (uint32_t)-3);
    assert_int_equal(CALL(e, R___fixunsdfsi, D(0x41E65A0BC0000000ull)), 3000000000u);
    assert_int_equal(CALL(e, R___truncdfsf2, D(0x3FD5555555555555ull)), 0x3EAAAAABu);
    assert_int_equal(CALL64(e, R___extendsfdf2, f1_5), d1_5);
    assert_int_equal(CALL(e, R___floatsisf, (uint32_t)-7), 0xC0E00000u);
    assert_int_equal(CALL(e, R___floatsisf, 16777217u), 0x4B800000u); /* ties to even */
    assert_int_equal(CALL(e, R___floatunsisf, 0x80000000u), 0x4F000000u);
    assert_int_equal(CALL64(e, R___floatsidf, (uint32_t)-7), 0xC01C000000000000ull);
    assert_int_equal(CALL64(e, R___floatunsidf, 0xFFFFFFFFu), 0x41EFFFFFFFE00000ull);

    /* NaN rules: first NaN operand made quiet, else the default NaN */
    assert_int_equal(CALL(e, R___addsf3, finf, finf | 0x80000000u), 0x7FC00000u);
    assert_int_equal(CALL(e, R___addsf3, 0x7F800001u, f1_5), 0x7FC00001u);
    assert_int_equal(CALL(e, R___mulsf3, f1_5, 0xFFC00123u), 0xFFC00123u);
    assert_int_equal(CALL64(e, R___divdf3, D(0ull), D(0ull)), 0x7FF8000000000000ull);
    assert_int_equal(CALL64(e, R___divdf3, D(d1_5), D(0x8000000000000000ull)),
                     0xFFF0000000000000ull);
    assert_int_equal(CALL(e, R___truncdfsf2, D(0x7E37E43C8800759Cull)), finf); /* 1e300 */
    assert_int_equal(CALL(e, R___truncdfsf2, D(0x7FF0000000000001ull)), 0x7FC00000u);
    assert_int_equal(CALL64(e, R___extendsfdf2, 0x7F800001u), 0x7FF8000020000000ull);

    /* conversions: truncation, saturation, NaN */
    assert_int_equal(CALL(e, R___fixdfsi, D(0x7FF8000000000000ull)), 0x7FFFFFFFu);
    assert_int_equal(CALL(e, R___fixdfsi, D(0x4202A05F20000000ull)), 0x7FFFFFFFu); /* 1e10 */
    assert_int_equal(CALL(e, R___fixdfsi, D(0xC202A05F20000000ull)), 0x80000000u); /* -1e10 */
    assert_int_equal(CALL(e, R___fixdfsi, D(0xC1E0000000000000ull)), 0x80000000u); /* -2^31 */
    assert_int_equal(CALL(e, R___fixdfsi, D(0xBFECCCCCCCCCCCCDull)), 0);           /* -0.9 */
    assert_int_equal(CALL(e, R___fixunsdfsi, D(0x7FF8000000000000ull)), 0xFFFFFFFFu);
    assert_int_equal(CALL(e, R___fixunsdfsi, D(0xBFF0000000000000ull)), 0xFFFFFFFFu); /* -1 */
    assert_int_equal(CALL(e, R___fixunsdfsi, D(0xC1E65A0BC0000000ull)), 0x80000000u); /* -3e9 */
    assert_int_equal(CALL(e, R___fixunsdfsi, D(0x41F2A05F20000000ull)), 0xFFFFFFFFu); /* 5e9 */
    assert_int_equal(CALL(e, R___fixunssfsi, finf | 0x80000000u), 0x80000000u);
    env_free(e);
}

/* ---- time, clock, interrupts ---------------------------------------------------------------- */

static void test_delay(void **state)
{
    (void)state;
    t_env *e = env_new();
    CALL(e, R_ets_delay_us, 1000);
    assert_int_equal(e->halt_ps - e->start_ps, 1000 * PS_PER_US);
    assert_int_equal(e->halt_cycles - e->start_cycles, 80000);

    /* events during the delay (UART bytes arriving) are handled at their times and do not
     * change its length */
    assert_true(esp_uart_inject(&e->m.uart[0], (const uint8_t *)"abcdefgh", 8));
    CALL(e, R_ets_delay_us, 5000);
    assert_int_equal(e->halt_cycles - e->start_cycles, 400000);
    assert_int_equal(e->m.uart[0].rx_count, 8);

    /* ets_delay_us(0) costs only its fixed part */
    CALL(e, R_ets_delay_us, 0);
    assert_int_equal(e->halt_cycles - e->start_cycles, 10);
    env_free(e);
}

/* An interrupt while a ROM routine waits is taken at its re-entry point, the handler runs and
 * returns there, and the wait goes on to the same deadline. */
static void test_interrupt_during_wait(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    poke32(e, ESP_ROM_EXC_TABLE + 4 * XT_CAUSE_LEVEL1_INTERRUPT, ISR);
    c->sr[XT_SR_INTENABLE] = 1u << XT_INT_TIMER0;

    /* during ets_delay_us: CCOMPARE0 matches 50 us into a 1000 us delay */
    CALL(e, R_xthal_set_ccompare, 0, xt_get_ccount(c) + 4000);
    CALL(e, R_ets_delay_us, 1000);
    assert_int_equal(peek32(e, ISR_CNT), 1);
    assert_int_equal(peek32(e, ISR_CNT + 4), R_ets_delay_us + 4);
    assert_int_equal(e->halt_cycles - e->start_cycles, 80000);

    /* during ets_printf's wait for the UART */
    uint32_t fmt = str_at(e, DRAM, "abc");
    CALL(e, R_xthal_set_ccompare, 0, xt_get_ccount(c) + 8000);
    assert_int_equal(CALL(e, R_ets_printf, fmt), 3);
    assert_int_equal(peek32(e, ISR_CNT), 2);
    assert_int_equal(peek32(e, ISR_CNT + 4), R_ets_vprintf + 4);
    assert_string_equal(uart_text(e), "abc");
    assert_int_equal(e->m.node.cpu.a[1], STACK);
    env_free(e);
}

static void test_cpu_freq_and_hal(void **state)
{
    (void)state;
    t_env *e = env_new();
    xt_cpu *c = &e->m.node.cpu;
    assert_int_equal(CALL0(e, R_ets_get_cpu_frequency), 52); /* the ROM's value at reset */
    CALL(e, R_ets_update_cpu_frequency, 160);
    assert_int_equal(peek32(e, ESP_ROM_CPU_MHZ), 160);
    assert_int_equal(CALL0(e, R_ets_get_cpu_frequency), 160);
    assert_int_equal(e->m.node.cpu_hz, 80000000u); /* the word only */

    uint32_t cc = CALL0(e, R_xthal_get_ccount);
    assert_int_equal(cc, (uint32_t)e->start_cycles + c->ccount_base);

    /* xthal_set_ccompare: CCOMPARE0 written, the timer interrupt cleared and re-armed */
    c->sr[XT_SR_INTERRUPT] |= 1u << XT_INT_TIMER0;
    CALL(e, R_xthal_set_ccompare, 0, xt_get_ccount(c) + 1000);
    assert_int_equal(c->sr[XT_SR_INTERRUPT] & (1u << XT_INT_TIMER0), 0);
    assert_int_equal(c->ccompare_at, e->start_cycles + 1000);
    assert_int_equal(CALL(e, R_xthal_get_ccompare, 0), c->sr[XT_SR_CCOMPARE0]);
    assert_int_equal(CALL(e, R_xthal_get_ccompare, 1), 0);

    /* INTERRUPT / INTCLEAR: software and edge bits clear, level bits stay */
    c->sr[XT_SR_INTERRUPT] |= (1u << 7) | (1u << 9);
    c->irq_lines |= 1u << 5;
    uint32_t irq = CALL0(e, R_xthal_get_interrupt);
    assert_int_equal(irq & ((1u << 7) | (1u << 9) | (1u << 5)), (1u << 7) | (1u << 9) | (1u << 5));
    CALL(e, R_xthal_set_intclear, (1u << 7) | (1u << 9) | (1u << 5));
    assert_int_equal(CALL0(e, R_xthal_get_intread) & ((1u << 7) | (1u << 9) | (1u << 5)), 1u << 5);
    c->irq_lines = 0;

    /* ets_intr_lock / unlock */
    c->sr[XT_SR_PS] = 0x20;
    CALL0(e, R_ets_intr_lock);
    assert_int_equal(c->sr[XT_SR_PS], 0x23);
    assert_int_equal(peek32(e, 0x3FFFDCC0u), 0x20);
    CALL0(e, R_ets_intr_unlock);
    assert_int_equal(c->sr[XT_SR_PS], 0x20);

    CALL(e, R_ets_set_user_start, 0x40100123u);
    assert_int_equal(peek32(e, 0x3FFFDCD0u), 0x40100123u);
    assert_int_equal(CALL0(e, R_rtc_get_reset_reason), ESP_RESET_POWER_ON);
    env_free(e);
}

/* software_reset sets RTC CTRL0 bit 31; the machine resets the chip and never returns. */
static void test_software_reset(void **state)
{
    (void)state;
    t_env *e = env_new();
    unsigned resets = e->m.reset_count;
    start(e, R_software_reset, NULL, 0);
    assert_int_equal(e->m.reset_count, resets + 1);
    assert_int_equal(e->m.last_reset, ESP_RESET_SOFTWARE);
    env_free(e);
}

/* ---- flash ---------------------------------------------------------------------------------- */

static void test_flash(void **state)
{
    (void)state;
    t_env *e = env_new();
    const uint32_t buf = DRAM + 0x800, sector = 0x20, addr = sector * 4096u;
    uint8_t p1[64], p2[64], and12[64], got[64];
    for (unsigned i = 0; i < 64; i++) {
        p1[i] = (uint8_t)(0x5A ^ i * 7);
        p2[i] = (uint8_t)(0x3C + i * 17);
        and12[i] = p1[i] & p2[i];
    }
    assert_int_equal(CALL(e, R_SPIEraseSector, sector), 0);
    assert_int_equal(e->halt_ps - e->start_ps, 45 * PS_PER_MS);
    assert_int_equal(CALL(e, R_SPIRead, addr, buf, 64), 0);
    assert_int_equal(e->halt_ps - e->start_ps, 1 * PS_PER_US + 64 * PS_PER_US / 10);
    assert_true(sim_bus_peek(&e->m.node.bus, buf, got, 64));
    for (unsigned i = 0; i < 64; i++)
        assert_int_equal(got[i], 0xFF);

    poke(e, buf, p1, 64);
    assert_int_equal(CALL(e, R_SPIWrite, addr + 0xF0, buf, 64), 0); /* spans two pages */
    assert_int_equal(e->halt_ps - e->start_ps, 2 * 700 * PS_PER_US);
    assert_memory_equal(e->m.flash.data + addr + 0xF0, p1, 64);
    poke(e, buf, p2, 64);
    assert_int_equal(CALL(e, R_SPIWrite, addr + 0xF0, buf, 64), 0);
    assert_memory_equal(e->m.flash.data + addr + 0xF0, and12, 64);
    assert_int_equal(CALL(e, R_Wait_SPI_Idle, 0x3FFFC718u), 0);

    /* unaligned SPIRead into an odd address */
    assert_int_equal(CALL(e, R_SPIRead, addr + 0xF1, buf + 1, 5), 0);
    assert_true(sim_bus_peek(&e->m.node.bus, buf + 1, got, 5));
    assert_memory_equal(got, and12 + 1, 5);

    /* range errors: 1, nothing changes */
    assert_int_equal(CALL(e, R_SPIEraseSector, 256), 1); /* 1 MB chip */
    assert_int_equal(CALL(e, R_SPIEraseBlock, 16), 1);
    assert_int_equal(CALL(e, R_SPIRead, 0xFFFFC, buf, 8), 1);
    assert_int_equal(CALL(e, R_SPIWrite, 0x100000, buf, 4), 1);

    /* block erase */
    assert_int_equal(CALL(e, R_SPIEraseBlock, 2), 0);
    assert_int_equal(e->halt_ps - e->start_ps, 150 * PS_PER_MS);
    assert_int_equal(e->m.flash.data[addr + 0xF0], 0xFF);
    env_free(e);
}

static void test_flash_area_and_params(void **state)
{
    (void)state;
    t_env *e = env_new();
    memset(e->m.flash.data + 0x10000, 0, 0x30000);
    /* [0x10FFF, 0x21001) touches sectors 0x10 .. 0x21: sector 0x10..0x1F is block 1 */
    assert_int_equal(CALL(e, R_SPIEraseArea, 0x10FFF, 0x10002), 0);
    assert_int_equal(e->m.flash.data[0x10000], 0xFF);
    assert_int_equal(e->m.flash.data[0x21FFF], 0xFF);
    assert_int_equal(e->m.flash.data[0x22000], 0);
    assert_int_equal(e->m.flash.data[0x0FFFF], 0xFF); /* erased flash to start with */
    assert_int_equal(e->halt_ps - e->start_ps, 150 * PS_PER_MS + 2 * 45 * PS_PER_MS);
    assert_int_equal(CALL(e, R_SPIEraseArea, 0xFF000, 0x2000), 1);

    /* SPIParamCfg writes the descriptor; range checks follow it */
    assert_int_equal(CALL(e, R_SPIParamCfg, 0x1640EF, 0x80000, 0x10000, 0x1000, 0x100, 0xFFFF), 0);
    assert_int_equal(peek32(e, 0x3FFFC718u + 4), 0x80000);
    assert_int_equal(CALL(e, R_SPIEraseSector, 0x80), 1);
    assert_int_equal(CALL(e, R_SPIEraseSector, 0x7F), 0);
    assert_int_equal(CALL0(e, R_SPIUnlock), 0);
    assert_int_equal(CALL0(e, R_SPILock), 0);
    assert_int_equal(CALL(e, R_SPIReadModeCnfig, 0), 0);

    /* chip erase: the whole 1 MB, 2.5 s */
    memset(e->m.flash.data, 0, 16);
    assert_int_equal(CALL(e, R_SPIParamCfg, 0x1640EF, 0x100000, 0x10000, 0x1000, 0x100, 0xFFFF), 0);
    assert_int_equal(CALL0(e, R_SPIEraseChip), 0);
    assert_int_equal(e->m.flash.data[0], 0xFF);
    assert_int_equal(e->halt_ps - e->start_ps, 2500 * PS_PER_MS);
    env_free(e);
}

/* Cache_Read_Enable maps flash MB 2 * mb_count + odd_even at 0x40200000. */
static void test_flash_window(void **state)
{
    (void)state;
    t_env *e = env_new();
    e->m.flash.data[0] = 0x11;
    e->m.flash.data[0x100000 - 4] = 0x22;
    assert_false(e->m.flash.window_on);
    CALL(e, R_Cache_Read_Enable, 0, 0, 1);
    assert_true(e->m.flash.window_on);
    assert_int_equal(e->m.flash.window_mb, 0);
    assert_int_equal(peek32(e, ESP_FLASH_WIN_BASE) & 0xFF, 0x11);
    CALL(e, R_Cache_Read_Enable, 1, 0, 1);
    assert_int_equal(e->m.flash.window_mb, 1);
    CALL(e, R_Cache_Read_Enable, 0, 1, 1);
    assert_int_equal(e->m.flash.window_mb, 2);
    CALL0(e, R_Cache_Read_Disable);
    assert_false(e->m.flash.window_on);
    CALL0(e, R_spi_flash_attach);
    env_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_rom_data),
        cmocka_unit_test(test_rom_i2c_analog),
        cmocka_unit_test(test_printf_uart),
        cmocka_unit_test(test_printf_varargs_abi),
        cmocka_unit_test(test_printf_formats),
        cmocka_unit_test(test_printf_guest_putc),
        cmocka_unit_test(test_vprintf_va_list),
        cmocka_unit_test(test_printf_nested),
        cmocka_unit_test(test_uart_tx),
        cmocka_unit_test(test_uart_rx),
        cmocka_unit_test(test_mem),
        cmocka_unit_test(test_rand),
        cmocka_unit_test(test_bad_pointers),
        cmocka_unit_test(test_intlib),
        cmocka_unit_test(test_floatlib),
        cmocka_unit_test(test_delay),
        cmocka_unit_test(test_interrupt_during_wait),
        cmocka_unit_test(test_cpu_freq_and_hal),
        cmocka_unit_test(test_software_reset),
        cmocka_unit_test(test_flash),
        cmocka_unit_test(test_flash_area_and_params),
        cmocka_unit_test(test_flash_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
