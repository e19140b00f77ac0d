/* tests/unit/test_disasm.c — xt_decode + xt_disasm against hand-checked objdump text.
 *
 * Words are the verified encodings of reference/lx106.md §2.5 (byte 0 in bits 7:0); the
 * expected strings are what xtensa-lx106-elf-objdump -d prints for them at the given pc, minus
 * the " <symbol>" suffix. No toolchain needed (the exhaustive check is tests/cpu/disasm_sweep).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xt.h"
#include "xt_disasm.h"

typedef struct disasm_case {
    uint32_t word;
    uint32_t pc;
    const char *text;
} disasm_case;

static void check_cases(const disasm_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xt_insn d;
        char buf[80];
        xt_decode(cases[i].word, &d);
        size_t len = xt_disasm(&d, cases[i].pc, buf, sizeof buf);
        if (strcmp(buf, cases[i].text) != 0)
            print_error("word %06x at %08x: got \"%s\", want \"%s\"\n", (unsigned)cases[i].word,
                        (unsigned)cases[i].pc, buf, cases[i].text);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(len, strlen(cases[i].text));
    }
}

#define CHECK(cases) check_cases(cases, sizeof(cases) / sizeof(cases[0]))

/* XT_FMT_RRR, RT, RS, TS: register operands */
static void test_registers(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0x801230, 0, "add\ta1, a2, a3"},    {0x901230, 0, "addx2\ta1, a2, a3"},
        {0xA01230, 0, "addx4\ta1, a2, a3"},  {0xB01230, 0, "addx8\ta1, a2, a3"},
        {0xC01230, 0, "sub\ta1, a2, a3"},    {0xD01230, 0, "subx2\ta1, a2, a3"},
        {0xE01230, 0, "subx4\ta1, a2, a3"},  {0xF01230, 0, "subx8\ta1, a2, a3"},
        {0x101230, 0, "and\ta1, a2, a3"},    {0x201230, 0, "or\ta1, a2, a3"},
        {0x301230, 0, "xor\ta1, a2, a3"},    {0x821230, 0, "mull\ta1, a2, a3"},
        {0xC11230, 0, "mul16u\ta1, a2, a3"}, {0xD11230, 0, "mul16s\ta1, a2, a3"},
        {0x831230, 0, "moveqz\ta1, a2, a3"}, {0x931230, 0, "movnez\ta1, a2, a3"},
        {0xA31230, 0, "movltz\ta1, a2, a3"}, {0xB31230, 0, "movgez\ta1, a2, a3"},
        {0x811230, 0, "src\ta1, a2, a3"},    {0x601030, 0, "neg\ta1, a3"},
        {0x601130, 0, "abs\ta1, a3"},        {0x911030, 0, "srl\ta1, a3"},
        {0xB11030, 0, "sra\ta1, a3"},        {0xA11200, 0, "sll\ta1, a2"},
        {0x40E210, 0, "nsa\ta1, a2"},        {0x40F210, 0, "nsau\ta1, a2"},
        {0x80FEF0, 0, "add\ta15, a14, a15"},
    };
    CHECK(cases);
}

/* XT_FMT_S, NONE, IMM, IMM2, RSIL: the RST0 / ST0 group */
static void test_system(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0x000000, 0, "ill"},         {0x000080, 0, "ret"},
        {0x000F80, 0, "ret"}, /* s is ignored */
        {0x0002A0, 0, "jx\ta2"},      {0x0002C0, 0, "callx0\ta2"},
        {0x002000, 0, "isync"},       {0x002010, 0, "rsync"},
        {0x002020, 0, "esync"},       {0x002030, 0, "dsync"},
        {0x002080, 0, "excw"},        {0x0020C0, 0, "memw"},
        {0x0020D0, 0, "extw"},        {0x0020F0, 0, "nop"},
        {0x003000, 0, "rfe"},         {0x003200, 0, "rfde"},
        {0x003210, 0, "rfi\t2"},      {0x003310, 0, "rfi\t3"},
        {0x004120, 0, "break\t1, 2"}, {0x004FF0, 0, "break\t15, 15"},
        {0x005000, 0, "syscall"},     {0x005100, 0, "simcall"},
        {0x006320, 0, "rsil\ta2, 3"}, {0x007000, 0, "waiti\t0"},
        {0x400200, 0, "ssr\ta2"},     {0x401200, 0, "ssl\ta2"},
        {0x402200, 0, "ssa8l\ta2"},   {0x403200, 0, "ssa8b\ta2"},
        {0x404500, 0, "ssai\t5"},     {0x404110, 0, "ssai\t17"},
        {0x406120, 0, "rer"},         {0x407120, 0, "wer"}, /* objdump hides their operands */
        {0xF1E000, 0, "rfdo\t0"},     {0xF1E500, 0, "rfdo\t5"},
        {0xF1E510, 0, "rfdd"},
    };
    CHECK(cases);
}

/* Region-protection TLB ops (XT_FMT_TS / XT_FMT_S) */
static void test_tlb(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0x503540, 0, "ritlb0\ta4, a5"}, {0x504500, 0, "iitlb\ta5"},
        {0x505540, 0, "pitlb\ta4, a5"},  {0x506540, 0, "witlb\ta4, a5"},
        {0x507540, 0, "ritlb1\ta4, a5"}, {0x50B540, 0, "rdtlb0\ta4, a5"},
        {0x50C500, 0, "idtlb\ta5"},      {0x50D540, 0, "pdtlb\ta4, a5"},
        {0x50E540, 0, "wdtlb\ta4, a5"},  {0x50F540, 0, "rdtlb1\ta4, a5"},
    };
    CHECK(cases);
}

/* XT_FMT_SHIFT_S, SHIFT_T, EXTUI */
static void test_shifts(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0x1112F0, 0, "slli\ta1, a2, 1"},      {0x0112F0, 0, "slli\ta1, a2, 17"},
        {0x211530, 0, "srai\ta1, a3, 5"},      {0x311430, 0, "srai\ta1, a3, 20"},
        {0x411730, 0, "srli\ta1, a3, 7"},      {0x341530, 0, "extui\ta1, a3, 5, 4"},
        {0x751430, 0, "extui\ta1, a3, 20, 8"}, {0xF5FF30, 0, "extui\ta15, a3, 31, 16"},
    };
    CHECK(cases);
}

/* XT_FMT_SR: objdump's special-register spellings */
static void test_special_registers(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0x03E620, 0, "rsr.ps\ta2"},
        {0x13E620, 0, "wsr.ps\ta2"},
        {0x61E620, 0, "xsr.ps\ta2"},
        {0x03EA20, 0, "rsr.ccount\ta2"},
        {0x13F020, 0, "wsr.ccompare0\ta2"},
        {0x03E220, 0, "rsr.interrupt\ta2"},
        {0x13E220, 0, "wsr.intset\ta2"},
        {0x13E320, 0, "wsr.intclear\ta2"},
        {0x03E420, 0, "rsr.intenable\ta2"},
        {0x13E420, 0, "wsr.intenable\ta2"},
        {0x13E720, 0, "wsr.vecbase\ta2"},
        {0x130520, 0, "wsr.litbase\ta2"},
        {0x030320, 0, "rsr.sar\ta2"},
        {0x03B020, 0, "rsr.176\ta2"},
        {0x13B020, 0, "wsr.176\ta2"},
        {0x03D020, 0, "rsr.208\ta2"},
        {0x135920, 0, "wsr.mmid\ta2"},
        {0x03EB20, 0, "rsr.prid\ta2"},
        {0x61E920, 0, "xsr.debugcause\ta2"},
        {0x03B1F0, 0, "rsr.epc1\ta15"},
        /* forms objdump does not know */
        {0x61B020, 0, ".byte 0x20"},
        {0x13D020, 0, ".byte 0x20"},
        {0x030020, 0, ".byte 0x20"},
        {0x035920, 0, ".byte 0x20"},
        {0x61E220, 0, ".byte 0x20"},
    };
    CHECK(cases);
}

/* XT_FMT_LSAI, MOVI, L32R: immediates in decimal inside -255..255, else 0x%x */
static void test_load_store_immediates(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0xFF0212, 0, "l8ui\ta1, a2, 255"},
        {0xFF1212, 0, "l16ui\ta1, a2, 0x1fe"},
        {0xFF9212, 0, "l16si\ta1, a2, 0x1fe"},
        {0xFF2212, 0, "l32i\ta1, a2, 0x3fc"},
        {0x3F2212, 0, "l32i\ta1, a2, 252"},
        {0xFF4212, 0, "s8i\ta1, a2, 255"},
        {0xFF5212, 0, "s16i\ta1, a2, 0x1fe"},
        {0xFF6212, 0, "s32i\ta1, a2, 0x3fc"},
        {0x00A812, 0, "movi\ta1, 0xfffff800"},
        {0xFFA712, 0, "movi\ta1, 0x7ff"},
        {0xFBAF12, 0, "movi\ta1, -5"},
        {0x00AF12, 0, "movi\ta1, 0xffffff00"},
        {0x80C212, 0, "addi\ta1, a2, -128"},
        {0x7FC212, 0, "addi\ta1, a2, 127"},
        {0x80D212, 0, "addmi\ta1, a2, 0xffff8000"},
        {0x01D212, 0, "addmi\ta1, a2, 0x100"},
        /* L32R: ((pc + 3) & ~3) + (0xFFFF0000 | imm16) * 4 */
        {0xFFFF31, 0x40100001u, "l32r\ta3, 40100000"},
        {0x000031, 0x40100000u, "l32r\ta3, 400c0000"},
        {0xFFFE31, 0x40100006u, "l32r\ta3, 40100000"},
    };
    CHECK(cases);
}

/* XT_FMT_CALL0, JUMP, BZ, BI, BB: absolute hex targets */
static void test_branches(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0x000545, 0x111, "call0\t168"},
        {0xFFFFC5, 0x40100090u, "call0\t40100090"},
        {0x001406, 0x114, "j\t168"},
        {0xFFFE06, 0x4010009Cu, "j\t40100098"},
        {0x04D216, 0x1000, "beqz\ta2, 1051"},
        {0xFFF216, 0x1000, "beqz\ta2, 1003"},
        {0x04D256, 0x1000, "bnez\ta2, 1051"},
        {0x04D296, 0x1000, "bltz\ta2, 1051"},
        {0x04D2D6, 0x1000, "bgez\ta2, 1051"},
        {0x410226, 0x1000, "beqi\ta2, -1, 1045"},
        {0x41F266, 0x1000, "bnei\ta2, 0x100, 1045"},
        {0x41E266, 0x1000, "bnei\ta2, 128, 1045"},
        {0x4172A6, 0x1000, "blti\ta2, 7, 1045"},
        {0x41B2E6, 0x1000, "bgei\ta2, 16, 1045"},
        {0x3502B6, 0x1000, "bltui\ta2, 0x8000, 1039"},
        {0x3512F6, 0x1000, "bgeui\ta2, 0x10000, 1039"},
        {0x2F6237, 0x1000, "bbci\ta2, 3, 1033"},
        {0x2C7237, 0x1000, "bbci\ta2, 19, 1030"},
        {0x26F2F7, 0x1000, "bbsi\ta2, 31, 102a"},
        {0x201237, 0x1000, "beq\ta2, a3, 1024"},
        {0x05C237, 0x1000, "bnall\ta2, a3, 1009"},
        {0xF01237, 0x40100010u, "beq\ta2, a3, 40100004"},
        {0x000237, 0x10, "bnone\ta2, a3, 14"},
        {0x002237, 0x10, "blt\ta2, a3, 14"},
        {0x003237, 0x10, "bltu\ta2, a3, 14"},
        {0x004237, 0x10, "ball\ta2, a3, 14"},
        {0x005237, 0x10, "bbc\ta2, a3, 14"},
        {0x008237, 0x10, "bany\ta2, a3, 14"},
        {0x009237, 0x10, "bne\ta2, a3, 14"},
        {0x00A237, 0x10, "bge\ta2, a3, 14"},
        {0x00B237, 0x10, "bgeu\ta2, a3, 14"},
        {0x00D237, 0x10, "bbs\ta2, a3, 14"},
    };
    CHECK(cases);
}

/* 16-bit density forms */
static void test_narrow(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0xF218, 0, "l32i.n\ta1, a2, 60"},
        {0xF219, 0, "s32i.n\ta1, a2, 60"},
        {0x123A, 0, "add.n\ta1, a2, a3"},
        {0xAB123A, 0, "add.n\ta1, a2, a3"}, /* byte 2 ignored */
        {0x120B, 0, "addi.n\ta1, a2, -1"},
        {0x12FB, 0, "addi.n\ta1, a2, 15"},
        {0x026C, 0, "movi.n\ta2, -32"},
        {0xF25C, 0, "movi.n\ta2, 95"},
        {0xA28C, 0x401000DEu, "beqz.n\ta2, 401000ec"},
        {0x82CC, 0x401000E4u, "bnez.n\ta2, 401000f0"},
        {0x021D, 0, "mov.n\ta1, a2"},
        {0xF00D, 0, "ret.n"},
        {0xF10D, 0, "ret.n"} /* s is ignored */,
        {0xF52D, 0, "break.n\t5"},
        {0xF03D, 0, "nop.n"},
        {0xF06D, 0, "ill.n"},
    };
    CHECK(cases);
}

/* Undefined encodings print ".byte 0xNN" (objdump's "%#02x" of byte 0) and step one byte. */
static void test_undefined(void **state)
{
    (void)state;
    static const disasm_case cases[] = {
        {0xFFFFFF, 0, ".byte 0xff"}, {0x00000E, 0, ".byte 0xe"},  {0x000003, 0, ".byte 0x3"},
        {0x000004, 0, ".byte 0x4"},  {0x000100, 0, ".byte 00"},   {0x060000, 0, ".byte 00"},
        {0x000015, 0, ".byte 0x15"}, {0x000076, 0, ".byte 0x76"}, {0x000036, 0, ".byte 0x36"},
        {0xF13D, 0, ".byte 0x3d"},   {0xF01D, 0, ".byte 0x1d"},   {0x007010, 0, ".byte 0x10"},
        {0x403010, 0, ".byte 0x10"},
    };
    CHECK(cases);
    xt_insn d;
    xt_decode(0xFFFFFF, &d);
    assert_int_equal(d.op, XT_OP_ILLEGAL);
    assert_int_equal(xt_disasm_step(&d), 1);
    xt_decode(0x801230, &d);
    assert_int_equal(xt_disasm_step(&d), 3);
    xt_decode(0x123A, &d);
    assert_int_equal(xt_disasm_step(&d), 2);
}

/* Truncation: always NUL-terminated, returns what was written. */
static void test_truncation(void **state)
{
    (void)state;
    xt_insn d;
    char buf[8];
    xt_decode(0x801230, &d);
    memset(buf, 'x', sizeof buf);
    assert_int_equal(xt_disasm(&d, 0, buf, 4), 3);
    assert_string_equal(buf, "add");
    assert_int_equal(xt_disasm(&d, 0, buf, 6), 5);
    assert_string_equal(buf, "add\ta");
    memset(buf, 'x', sizeof buf);
    assert_int_equal(xt_disasm(&d, 0, buf, 0), 0);
    assert_int_equal(buf[0], 'x');
    assert_int_equal(xt_disasm(&d, 0, buf, 1), 0);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registers),
        cmocka_unit_test(test_system),
        cmocka_unit_test(test_tlb),
        cmocka_unit_test(test_shifts),
        cmocka_unit_test(test_special_registers),
        cmocka_unit_test(test_load_store_immediates),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_narrow),
        cmocka_unit_test(test_undefined),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
