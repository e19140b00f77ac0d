/* tests/unit/test_xt.c — the LX106 core on hand-assembled programs (byte arrays with their
 * assembly, produced once with xtensa-lx106-elf-as; no toolchain is needed to run this).
 * Covers arithmetic, the cycle model, calls and literals, exceptions into vectors, the
 * CCOMPARE0 timer with WAITI idle skipping, interrupt masking by PS.INTLEVEL (an interrupt
 * raised while locked is taken exactly when unlocked), region protection, ROM hooks, and two
 * cores in one process not seeing each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xt.h"

#define IRAM 0x40100000u
#define VEC  0x40000000u
#define DRAM 0x3FFC0000u

static const uint8_t prog_arith[] = {
    0x22, 0xa0, 0x64, /* movi a2, 100 */
    0x32, 0xaf, 0xf9, /* movi a3, -7 */
    0x30, 0x42, 0x80, /* add a4, a2, a3 */
    0x30, 0x52, 0xa0, /* addx4 a5, a2, a3 */
    0x30, 0x62, 0xc0, /* sub a6, a2, a3 */
    0x30, 0x70, 0x60, /* neg a7, a3 */
    0x30, 0x81, 0x60, /* abs a8, a3 */
    0x30, 0x92, 0x82, /* mull a9, a2, a3 */
    0xa0, 0xf2, 0x40, /* nsau a10, a2 */
    0x00, 0x44, 0x40, /* ssai 4 */
    0x30, 0xb2, 0x81, /* src a11, a2, a3 */
    0x30, 0xc4, 0x74, /* extui a12, a3, 4, 8 */
    0x00, 0x51, 0x00, /* simcall */
};

static const uint8_t prog_loop[] = {
    0x22, 0xa0, 0x00, /* movi a2, 0 */
    0x32, 0xa0, 0x0a, /* movi a3, 10 */
    0x22, 0xc2, 0x03, /* addi a2, a2, 3 */
    0x32, 0xc3, 0xff, /* addi a3, a3, -1 */
    0x56, 0x63, 0xff, /* bnez a3, 0x6 */
    0x00, 0x51, 0x00, /* simcall */
};

static const uint8_t prog_call[] = {
    0x06, 0x01, 0x00, /* j 8 */
    0x00,             /* literal byte */
    0x78,             /* literal byte */
    0x56,             /* literal byte */
    0x34,             /* literal byte */
    0x12,             /* literal byte */
    0x31, 0xff, 0xff, /* l32r a3, 4 */
    0x85, 0x00, 0x00, /* call0 14 */
    0x00, 0x51, 0x00, /* simcall */
    0x00, 0x00, 0x00, /* ill */
    0x32, 0xc3, 0x01, /* addi a3, a3, 1 */
    0x80, 0x00, 0x00, /* ret */
};

static const uint8_t prog_ill[] = {
    0x22, 0xa0, 0x20, /* movi a2, 32 */
    0x20, 0xe6, 0x13, /* wsr.ps a2 */
    0x10, 0x20, 0x00, /* rsync */
    0x00, 0x00, 0x00, /* ill */
};

static const uint8_t prog_vec[] = {
    0x40, 0xe8, 0x03, /* rsr.exccause a4 */
    0x50, 0xb1, 0x03, /* rsr.epc1 a5 */
    0x60, 0xee, 0x03, /* rsr.excvaddr a6 */
    0x00, 0x51, 0x00, /* simcall */
};

static const uint8_t prog_unal[] = {
    0x06, 0x01, 0x00, /* j 0x8 */
    0x00,             /* literal byte */
    0x02,             /* literal byte */
    0x01,             /* literal byte */
    0xfc,             /* literal byte */
    0x3f,             /* literal byte */
    0x22, 0xa0, 0x20, /* movi a2, 32 */
    0x20, 0xe6, 0x13, /* wsr.ps a2 */
    0x10, 0x20, 0x00, /* rsync */
    0x31, 0xfc, 0xff, /* l32r a3, 0x4 */
    0x42, 0x23, 0x00, /* l32i a4, a3, 0 */
};

static const uint8_t prog_timer[] = {
    0x22, 0xa0, 0x20, /* movi a2, 32 */
    0x20, 0xe6, 0x13, /* wsr.ps a2 */
    0x22, 0xa0, 0x40, /* movi a2, 64 */
    0x20, 0xe4, 0x13, /* wsr.intenable a2 */
    0x20, 0xea, 0x03, /* rsr.ccount a2 */
    0x22, 0xc2, 0x64, /* addi a2, a2, 100 */
    0x20, 0xf0, 0x13, /* wsr.ccompare0 a2 */
    0x00, 0x70, 0x00, /* waiti 0 */
    0x92, 0xa0, 0x01, /* movi a9, 1 */
};

static const uint8_t prog_lock[] = {
    0x22, 0xa0, 0x20, /* movi a2, 32 */
    0x20, 0xe6, 0x13, /* wsr.ps a2 */
    0x22, 0xa0, 0x80, /* movi a2, 128 */
    0x20, 0xe4, 0x13, /* wsr.intenable a2 */
    0x30, 0x61, 0x00, /* rsil a3, 1 */
    0x20, 0xe2, 0x13, /* wsr.intset a2 */
    0xa2, 0xca, 0x01, /* addi a10, a10, 1 */
    0xa2, 0xca, 0x01, /* addi a10, a10, 1 */
    0x30, 0x60, 0x00, /* rsil a3, 0 */
    0xa2, 0xca, 0x01, /* addi a10, a10, 1 */
};

static const uint8_t prog_lock2[] = {
    0x22, 0xa0, 0x20, /* movi a2, 32 */
    0x20, 0xe6, 0x13, /* wsr.ps a2 */
    0x22, 0xa2, 0x00, /* movi a2, 0x200 */
    0x20, 0xe4, 0x13, /* wsr.intenable a2 */
    0x30, 0x61, 0x00, /* rsil a3, 1 */
    0xc2, 0xa0, 0x64, /* movi a12, 100 */
    0xa2, 0xca, 0x01, /* addi a10, a10, 1 */
    0xc7, 0x9a, 0xf9, /* bne a10, a12, 0x12 */
    0x30, 0x60, 0x00, /* rsil a3, 0 */
    0xb2, 0xa0, 0x01, /* movi a11, 1 */
};

static const uint8_t prog_prot[] = {
    0x22, 0xa0, 0x20, /* movi a2, 32 */
    0x20, 0xe6, 0x13, /* wsr.ps a2 */
    0x22, 0xa0, 0x0f, /* movi a2, 15 */
    0x32, 0xa0, 0x00, /* movi a3, 0 */
    0x20, 0xe3, 0x50, /* wdtlb a2, a3 */
    0x30, 0x20, 0x00, /* dsync */
    0x42, 0x23, 0x02, /* l32i a4, a3, 8 */
};

static const uint8_t prog_hook[] = {
    0x06, 0x01, 0x00, /* j 0x8 */
    0x00,             /* literal byte */
    0x00,             /* literal byte */
    0x04,             /* literal byte */
    0x00,             /* literal byte */
    0x40,             /* literal byte */
    0x41, 0xff, 0xff, /* l32r a4, 0x4 */
    0x22, 0xa0, 0x05, /* movi a2, 5 */
    0xc0, 0x04, 0x00, /* callx0 a4 */
    0x22, 0xc2, 0x01, /* addi a2, a2, 1 */
    0x00, 0x51, 0x00, /* simcall */
};

static const uint8_t prog_nmivec[] = {
    0x50, 0xb3, 0x03, /* rsr.epc3 a5 */
    0x60, 0xc3, 0x03, /* rsr.eps3 a6 */
    0x70, 0xe6, 0x03, /* rsr.ps a7 */
    0x00, 0x51, 0x00, /* simcall */
};

static const uint8_t prog_idle[] = {
    0x22, 0xa0, 0x20, /* movi a2, 32 */
    0x20, 0xe6, 0x13, /* wsr.ps a2 */
    0x22, 0xa2, 0x00, /* movi a2, 0x200 */
    0x20, 0xe4, 0x13, /* wsr.intenable a2 */
    0x00, 0x70, 0x00, /* waiti 0 */
    0x92, 0xa0, 0x01, /* movi a9, 1 */
};

typedef struct rig {
    sim_bus bus;
    xt_cpu cpu;
    uint8_t vec[0x1000];
    uint8_t iram[0x10000];
    uint8_t dram[0x10000];
    unsigned simcalls, hooks;
} rig;

static void rig_simcall(void *opaque, xt_cpu *c)
{
    rig *r = opaque;
    r->simcalls++;
    xt_request_stop(c, XT_STOP_REQUEST);
}

/* ROM-style hook: a2 *= 10, return to a0, charge 7 cycles. */
static void rig_hook(void *opaque, xt_cpu *c, uint32_t pc)
{
    rig *r = opaque;
    (void)pc;
    r->hooks++;
    c->a[2] *= 10;
    c->pc = c->a[0];
    xt_charge(c, 7);
}

static rig *rig_new(const uint8_t *code, size_t n, bool hook_rom)
{
    rig *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    sim_bus_init(&r->bus);
    sim_bus_region v = {.name = "vec",
                        .base = VEC,
                        .size = sizeof(r->vec),
                        .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_X | (hook_rom ? SIM_BUS_HOOK : 0),
                        .host = r->vec};
    sim_bus_region i = {.name = "iram",
                        .base = IRAM,
                        .size = sizeof(r->iram),
                        .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_X,
                        .host = r->iram};
    sim_bus_region d = {.name = "dram",
                        .base = DRAM,
                        .size = sizeof(r->dram),
                        .flags = SIM_BUS_R | SIM_BUS_W,
                        .host = r->dram};
    assert_int_not_equal(sim_bus_add(&r->bus, &v), 0);
    assert_int_not_equal(sim_bus_add(&r->bus, &i), 0);
    assert_int_not_equal(sim_bus_add(&r->bus, &d), 0);
    memcpy(r->iram, code, n);
    /* User vector (VECBASE 0x40000000 + 0x50): record EXCCAUSE/EPC1/EXCVADDR, stop. */
    memcpy(r->vec + 0x50, prog_vec, sizeof(prog_vec));
    /* NMI vector (VECBASE + 0x20): record EPC3/EPS3/PS, stop. */
    memcpy(r->vec + 0x20, prog_nmivec, sizeof(prog_nmivec));
    xt_callbacks cb = {.opaque = r, .simcall = rig_simcall, .hook = hook_rom ? rig_hook : NULL};
    xt_init(&r->cpu, &r->bus, &cb, IRAM);
    return r;
}

static void rig_free(rig *r)
{
    xt_free(&r->cpu);
    sim_bus_free(&r->bus);
    free(r);
}

static void test_arith(void **state)
{
    (void)state;
    rig *r = rig_new(prog_arith, sizeof(prog_arith), false);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[4], 93);
    assert_int_equal(r->cpu.a[5], 393);
    assert_int_equal(r->cpu.a[6], 107);
    assert_int_equal(r->cpu.a[7], 7);
    assert_int_equal(r->cpu.a[8], 7);
    assert_int_equal(r->cpu.a[9], (uint32_t)-700);
    assert_int_equal(r->cpu.a[10], 25);
    assert_int_equal(r->cpu.a[11], 0x4FFFFFFFu);
    assert_int_equal(r->cpu.a[12], 0xFFu);
    rig_free(r);
}

/* The timing model (docs/timing-model.md): 1 cycle per instruction, +2 per taken branch. */
static void test_loop_cycles(void **state)
{
    (void)state;
    rig *r = rig_new(prog_loop, sizeof(prog_loop), false);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[2], 30);
    assert_int_equal(r->cpu.insns, 33);
    assert_int_equal(r->cpu.cycles, 33 + 9 * 2);
    assert_int_equal(xt_get_ccount(&r->cpu), 51);
    rig_free(r);
}

/* Instructions are indivisible: a budget ends at the first instruction boundary at or after
 * it. movi, movi, addi, addi end at cycle 4; the taken bnez takes 3 more. */
static void test_budget_stops_at_boundary(void **state)
{
    (void)state;
    rig *r = rig_new(prog_loop, sizeof(prog_loop), false);
    assert_int_equal(xt_run(&r->cpu, 5), XT_STOP_BUDGET);
    assert_int_equal(r->cpu.cycles, 7);
    assert_int_equal(r->cpu.insns, 5);
    assert_int_equal(xt_run(&r->cpu, 1), XT_STOP_BUDGET);
    assert_int_equal(r->cpu.cycles, 8);
    rig_free(r);
}

static void test_call_literal(void **state)
{
    (void)state;
    rig *r = rig_new(prog_call, sizeof(prog_call), false);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[3], 0x12345679u);
    assert_int_equal(r->cpu.a[0], IRAM + 0x0E);
    rig_free(r);
}

static void test_illegal_enters_user_vector(void **state)
{
    (void)state;
    rig *r = rig_new(prog_ill, sizeof(prog_ill), false);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[4], XT_CAUSE_ILLEGAL);
    assert_int_equal(r->cpu.a[5], IRAM + 9);
    assert_true(r->cpu.sr[XT_SR_PS] & XT_PS_EXCM);
    rig_free(r);
}

static void test_unaligned_load(void **state)
{
    (void)state;
    rig *r = rig_new(prog_unal, sizeof(prog_unal), false);
    r->cpu.a[4] = 0xDEAD;
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[4], XT_CAUSE_UNALIGNED); /* overwritten by the vector */
    assert_int_equal(r->cpu.a[5], IRAM + 0x14);
    assert_int_equal(r->cpu.a[6], 0x3FFC0102u);
    rig_free(r);
}

/* WAITI sleeps until CCOMPARE0; the idle time is skipped, not executed. */
static void test_ccompare_waiti(void **state)
{
    (void)state;
    rig *r = rig_new(prog_timer, sizeof(prog_timer), false);
    assert_int_equal(xt_run(&r->cpu, 100000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[4], XT_CAUSE_LEVEL1_INTERRUPT);
    assert_int_equal(r->cpu.a[5], IRAM + 0x18); /* the instruction after WAITI */
    assert_int_equal(r->cpu.a[9], 0);
    assert_true(xt_read_sr(&r->cpu, XT_SR_INTERRUPT) & (1u << 6));
    /* rsr.ccount ran at cycle 4; CCOUNT == CCOMPARE0 at cycle 104; 4 more for the vector */
    assert_int_equal(r->cpu.cycles, 104 + 4);
    assert_true(r->cpu.insns < 20);
    rig_free(r);
}

/* A software interrupt raised while PS.INTLEVEL masks it is taken right after the RSIL that
 * unmasks it: not before (a10 counts both addi) and not later (EPC1 = the next addi). */
static void test_locked_software_interrupt(void **state)
{
    (void)state;
    rig *r = rig_new(prog_lock, sizeof(prog_lock), false);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[10], 2);
    assert_int_equal(r->cpu.a[4], XT_CAUSE_LEVEL1_INTERRUPT);
    assert_int_equal(r->cpu.a[5], IRAM + 0x1B);
    rig_free(r);
}

/* The same for a device edge raised from outside between two xt_run calls. */
static void test_locked_external_edge(void **state)
{
    (void)state;
    rig *r = rig_new(prog_lock2, sizeof(prog_lock2), false);
    assert_int_equal(xt_run(&r->cpu, 30), XT_STOP_BUDGET);
    assert_true(r->cpu.a[10] > 0 && r->cpu.a[10] < 100);
    xt_raise_edge(&r->cpu, 9);
    assert_int_equal(xt_run(&r->cpu, 100000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[10], 100);
    assert_int_equal(r->cpu.a[11], 0);
    assert_int_equal(r->cpu.a[4], XT_CAUSE_LEVEL1_INTERRUPT);
    assert_int_equal(r->cpu.a[5], IRAM + 0x1B); /* movi a11 */
    assert_true(xt_read_sr(&r->cpu, XT_SR_INTERRUPT) & (1u << 9));
    rig_free(r);
}

/* The NMI (interrupt 14, level 3) is taken even with interrupts locked and INTENABLE = 0:
 * EPC3/EPS3 saved, PS.INTLEVEL = 3, PS.EXCM = 1, VECBASE + 0x20. */
static void test_nmi_not_maskable(void **state)
{
    (void)state;
    rig *r = rig_new(prog_lock2, sizeof(prog_lock2), false);
    assert_int_equal(xt_run(&r->cpu, 30), XT_STOP_BUDGET);
    uint32_t pc = r->cpu.pc;
    uint32_t ps = r->cpu.sr[XT_SR_PS];
    assert_int_equal(ps & XT_PS_INTLEVEL, 1);
    xt_raise_edge(&r->cpu, 14);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[5], pc);
    assert_int_equal(r->cpu.a[6], ps);
    assert_int_equal(r->cpu.a[7] & (XT_PS_INTLEVEL | XT_PS_EXCM), 3 | XT_PS_EXCM);
    assert_false(xt_read_sr(&r->cpu, XT_SR_INTERRUPT) & (1u << 14)); /* taking it clears it */
    rig_free(r);
}

/* WAITI with nothing due uses up the budget at once and reports XT_STOP_IDLE; a device edge
 * later wakes it, and EPC1 is the instruction after WAITI. */
static void test_waiti_idle_skip(void **state)
{
    (void)state;
    rig *r = rig_new(prog_idle, sizeof(prog_idle), false);
    assert_int_equal(xt_run(&r->cpu, 1000000000ull), XT_STOP_IDLE);
    assert_int_equal(r->cpu.cycles, 1000000000ull);
    assert_int_equal(r->cpu.insns, 5);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_IDLE);
    xt_raise_edge(&r->cpu, 9);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[4], XT_CAUSE_LEVEL1_INTERRUPT);
    assert_int_equal(r->cpu.a[5], IRAM + 15);
    assert_int_equal(r->cpu.a[9], 0);
    rig_free(r);
}

static void test_region_protection(void **state)
{
    (void)state;
    rig *r = rig_new(prog_prot, sizeof(prog_prot), false);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->cpu.a[4], XT_CAUSE_LOAD_PROHIBITED);
    assert_int_equal(r->cpu.a[6], 8);
    rig_free(r);
}

static void test_rom_hook(void **state)
{
    (void)state;
    rig *r = rig_new(prog_hook, sizeof(prog_hook), true);
    assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
    assert_int_equal(r->hooks, 1);
    assert_int_equal(r->cpu.a[2], 51);
    rig_free(r);
}

/* Two cores stepped alternately in small budgets end exactly like one core run alone. */
static void test_two_cores_independent(void **state)
{
    (void)state;
    rig *solo = rig_new(prog_loop, sizeof(prog_loop), false);
    assert_int_equal(xt_run(&solo->cpu, 1000), XT_STOP_REQUEST);
    rig *a = rig_new(prog_loop, sizeof(prog_loop), false);
    rig *b = rig_new(prog_arith, sizeof(prog_arith), false);
    xt_stop sa = XT_STOP_NONE, sb = XT_STOP_NONE;
    for (int i = 0; i < 100 && (sa != XT_STOP_REQUEST || sb != XT_STOP_REQUEST); i++) {
        if (sa != XT_STOP_REQUEST) sa = xt_run(&a->cpu, 3);
        if (sb != XT_STOP_REQUEST) sb = xt_run(&b->cpu, 2);
    }
    assert_int_equal(sa, XT_STOP_REQUEST);
    assert_int_equal(sb, XT_STOP_REQUEST);
    assert_memory_equal(a->cpu.a, solo->cpu.a, sizeof(a->cpu.a));
    assert_int_equal(a->cpu.cycles, solo->cpu.cycles);
    assert_int_equal(b->cpu.a[11], 0x4FFFFFFFu);
    rig_free(solo);
    rig_free(a);
    rig_free(b);
}

/* ---- the cycle model with memory waits and the cache (docs/timing-model.md) ---------------- */

#define MMIO  0x60000000u
#define FLASH 0x40200000u

/* In IRAM: literals, then CCOUNT read around one access of each kind (RSR reads the count
 * before its own cycle). */
static const uint8_t prog_costs[] = {
    0x06, 0x03, 0x00,                   /* j start */
    0x00,                               /* pad */
    0x00, 0x00, 0xfc, 0x3f,             /* lit_dram 0x3ffc0000 */
    0x00, 0x00, 0x00, 0x60,             /* lit_mmio 0x60000000 */
    0x00, 0x00, 0x20, 0x40,             /* lit_flash 0x40200000 */
    0x81, 0xfd, 0xff,                   /* start: l32r a8, lit_dram */
    0x91, 0xfd, 0xff,                   /* l32r a9, lit_mmio */
    0xa1, 0xfd, 0xff,                   /* l32r a10, lit_flash */
    0x20, 0xea, 0x03, 0x32, 0x28, 0x00, /* rsr.ccount a2; l32i a3, a8, 0 */
    0x40, 0xea, 0x03, 0x32, 0x68, 0x01, /* rsr.ccount a4; s32i a3, a8, 4 */
    0x50, 0xea, 0x03, 0x32, 0x29, 0x00, /* rsr.ccount a5; l32i a3, a9, 0 */
    0x60, 0xea, 0x03, 0x30, 0x33, 0x82, /* rsr.ccount a6; mull a3, a3, a3 */
    0x70, 0xea, 0x03, 0x32, 0x2a, 0x00, /* rsr.ccount a7; l32i a3, a10, 0 */
    0xb0, 0xea, 0x03, 0x32, 0x2a, 0x01, /* rsr.ccount a11; l32i a3, a10, 4 */
    0xc0, 0xea, 0x03, 0x32, 0xa0, 0x01, /* rsr.ccount a12; movi a3, 1 */
    0x16, 0x93, 0xfc,                   /* beqz a3, start (not taken) */
    0xd0, 0xea, 0x03, 0x32, 0x69, 0x00, /* rsr.ccount a13; s32i a3, a9, 0 */
    0xe0, 0xea, 0x03,                   /* rsr.ccount a14 */
    0x00, 0x51, 0x00,                   /* simcall */
};

/* In the flash window: eleven movi (the last crosses from line 0 into line 1), a counter and a
 * loop taken once. */
static const uint8_t prog_flash_loop[] = {
    0x22, 0xa0, 0x01, 0x22, 0xa0, 0x01, 0x22, 0xa0, 0x01, 0x22, 0xa0, 0x01, /* movi a2, 1 x4 */
    0x22, 0xa0, 0x01, 0x22, 0xa0, 0x01, 0x22, 0xa0, 0x01, 0x22, 0xa0, 0x01, /* x4 */
    0x22, 0xa0, 0x01, 0x22, 0xa0, 0x01, 0x22, 0xa0, 0x01,                   /* x3 */
    0x32, 0xc3, 0x01,                                                       /* addi a3, a3, 1 */
    0x66, 0x23, 0xd8,                                                       /* bnei a3, 2, 0 */
    0x00, 0x51, 0x00,                                                       /* simcall */
};

typedef struct trig {
    rig base;
    uint8_t flash[0x1000];
    uint32_t mmio_reads, mmio_writes;
} trig;

static uint32_t trig_mmio_read(void *opaque, uint32_t off, unsigned size)
{
    trig *t = opaque;
    (void)size;
    t->mmio_reads++;
    return off + 5u;
}

static void trig_mmio_write(void *opaque, uint32_t off, uint32_t v, unsigned size)
{
    trig *t = opaque;
    (void)off, (void)v, (void)size;
    t->mmio_writes++;
}

/* An ESP8266-like bus: IRAM 32-bit data reads +5, DRAM reads +1, MMIO +10 both ways, a cached
 * flash window (+5 per read, 16 lines of 32 bytes, 100 cycles per miss). */
static trig *trig_new(const uint8_t *code, size_t n, uint32_t pc)
{
    trig *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    rig *r = &t->base;
    sim_bus_init(&r->bus);
    const sim_bus_region regs[] = {
        {.name = "vec",
         .base = VEC,
         .size = sizeof(r->vec),
         .host = r->vec,
         .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_X},
        {.name = "iram",
         .base = IRAM,
         .size = sizeof(r->iram),
         .host = r->iram,
         .read_wait = 5,
         .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_X | SIM_BUS_DATA32},
        {.name = "dram",
         .base = DRAM,
         .size = sizeof(r->dram),
         .host = r->dram,
         .read_wait = 1,
         .flags = SIM_BUS_R | SIM_BUS_W},
        {.name = "mmio",
         .base = MMIO,
         .size = 0x1000,
         .read = trig_mmio_read,
         .write = trig_mmio_write,
         .opaque = t,
         .read_wait = 10,
         .write_wait = 10,
         .flags = SIM_BUS_R | SIM_BUS_W},
        {.name = "flash",
         .base = FLASH,
         .size = sizeof(t->flash),
         .host = t->flash,
         .read_wait = 5,
         .flags = SIM_BUS_R | SIM_BUS_X | SIM_BUS_DATA32 | SIM_BUS_CACHED},
    };
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
        assert_int_not_equal(sim_bus_add(&r->bus, &regs[i]), 0);
    if (pc == FLASH)
        memcpy(t->flash, code, n);
    else
        memcpy(r->iram, code, n);
    xt_callbacks cb = {.opaque = r, .simcall = rig_simcall};
    xt_init(&r->cpu, &r->bus, &cb, pc);
    r->cpu.cache.lines = 16;
    r->cpu.cache.line_bits = 5;
    r->cpu.cache.miss_cycles = 100;
    return t;
}

static void trig_free(trig *t)
{
    xt_free(&t->base.cpu);
    sim_bus_free(&t->base.bus);
    free(t);
}

/* Every cost class of the model, measured with CCOUNT as firmware would. */
static void test_cycle_model_classes(void **state)
{
    (void)state;
    trig *t = trig_new(prog_costs, sizeof(prog_costs), IRAM);
    xt_cpu *c = &t->base.cpu;
    assert_int_equal(xt_run(c, 10000), XT_STOP_REQUEST);
    assert_int_equal(c->a[2], 3 + 3 * 6);             /* taken j 1+2; l32r from IRAM 1+5 each */
    assert_int_equal(c->a[4] - c->a[2], 1 + 2);       /* DRAM load 1+1 */
    assert_int_equal(c->a[5] - c->a[4], 1 + 1);       /* DRAM store 1 */
    assert_int_equal(c->a[6] - c->a[5], 1 + 11);      /* MMIO load 1+10 */
    assert_int_equal(c->a[7] - c->a[6], 1 + 2);       /* MULL 2 */
    assert_int_equal(c->a[11] - c->a[7], 1 + 106);    /* flash load 1+5, cold line: +100 */
    assert_int_equal(c->a[12] - c->a[11], 1 + 6);     /* same line again: a hit */
    assert_int_equal(c->a[13] - c->a[12], 1 + 1 + 1); /* movi; untaken beqz 1 */
    assert_int_equal(c->a[14] - c->a[13], 1 + 11);    /* MMIO store 1+10 */
    assert_int_equal(t->mmio_reads, 1);
    assert_int_equal(t->mmio_writes, 1);
    assert_int_equal(c->a[3], 1);
    assert_int_equal(c->cache.misses, 1);
    assert_int_equal(c->cache.hits, 1);
    trig_free(t);
}

/* Code in the cached window: a miss per line on first use, none on the second pass. */
static void test_cycle_model_flash_fetch(void **state)
{
    (void)state;
    trig *t = trig_new(prog_flash_loop, sizeof(prog_flash_loop), FLASH);
    xt_cpu *c = &t->base.cpu;
    assert_int_equal(xt_run(c, 10000), XT_STOP_REQUEST);
    assert_int_equal(c->insns, 2 * 13 + 1);
    assert_int_equal(c->cycles, 2 * 13 + 1 + 2 /* one taken bnei */ + 2 * 100);
    assert_int_equal(c->cache.misses, 2);
    assert_int_equal(c->cache.hits, 2);
    /* A flush (the machine disabled and re-enabled the cache) makes the lines cold again. */
    xt_cache_flush(c);
    c->pc = FLASH;
    c->a[3] = 1;
    uint64_t before = c->cycles;
    assert_int_equal(xt_run(c, 10000), XT_STOP_REQUEST);
    assert_int_equal(c->cycles - before, 14 + 2 * 100);
    trig_free(t);
}

static void trig_trace(void *opaque, xt_cpu *c, uint32_t pc, const xt_insn *insn)
{
    (void)opaque, (void)c, (void)pc, (void)insn;
}

/* The single-step path (a trace callback disables blocks) charges exactly what blocks do. */
static void test_cycle_model_steps_equal_blocks(void **state)
{
    (void)state;
    uint64_t cyc[2][2];
    for (int traced = 0; traced < 2; traced++) {
        trig *t = trig_new(prog_flash_loop, sizeof(prog_flash_loop), FLASH);
        if (traced) t->base.cpu.cb.trace = trig_trace;
        assert_int_equal(xt_run(&t->base.cpu, 10000), XT_STOP_REQUEST);
        cyc[traced][0] = t->base.cpu.cycles;
        trig_free(t);
        t = trig_new(prog_costs, sizeof(prog_costs), IRAM);
        if (traced) t->base.cpu.cb.trace = trig_trace;
        assert_int_equal(xt_run(&t->base.cpu, 10000), XT_STOP_REQUEST);
        cyc[traced][1] = t->base.cpu.cycles;
        trig_free(t);
    }
    assert_int_equal(cyc[0][0], cyc[1][0]);
    assert_int_equal(cyc[0][1], cyc[1][1]);
}

static const uint8_t prog_smc[] = {
    0x52, 0xa0, 0x00, /* movi a5, 0 */
    0x3d, 0xf0,       /* nop.n */
    0x3d, 0xf0,       /* nop.n */
    0x22, 0x43, 0x00, /* loop: s8i a2, a3, 0 (a3 = the imm8 byte of the next instruction) */
    0x42, 0xa0, 0x01, /* movi a4, 1 */
    0x40, 0x55, 0x80, /* add a5, a5, a4 */
    0x62, 0xc6, 0xff, /* addi a6, a6, -1 */
    0x56, 0x06, 0xff, /* bnez a6, loop */
    0x00, 0x51, 0x00, /* simcall */
};

/* Decoded blocks never run stale code: a store into the instruction after it, in the same block
 * (already decoded on the first pass), takes effect at once, as in single steps; so does a change
 * the host makes to memory between runs, behind the bus's back. */
static void test_blocks_follow_code_writes(void **state)
{
    (void)state;
    for (int traced = 0; traced < 2; traced++) {
        rig *r = rig_new(prog_smc, sizeof(prog_smc), false);
        if (traced) r->cpu.cb.trace = trig_trace;
        r->cpu.a[2] = 2;
        r->cpu.a[3] = IRAM + 9 + 3;
        r->cpu.a[6] = 3;
        assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
        assert_int_equal(r->cpu.a[5], 2 + 2 + 2);
        assert_int_equal(r->iram[12], 2);
        /* Rerun from the start with the immediate rewritten directly in host memory. */
        r->iram[12] = 5;
        r->cpu.a[2] = 5;
        r->cpu.a[6] = 2;
        r->cpu.pc = IRAM;
        assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
        assert_int_equal(r->cpu.a[5], 5 + 5);
        r->iram[12] = 7; /* and once more without the store patching it back */
        r->cpu.a[2] = 7;
        r->cpu.a[3] = DRAM;
        r->cpu.a[6] = 1;
        r->cpu.pc = IRAM;
        assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
        assert_int_equal(r->cpu.a[5], 7);
        rig_free(r);
    }
}

static const uint8_t prog_smc_next[] = {
    0x52, 0xa0, 0x00, /* movi a5, 0 */
    0x60, 0x81, 0x41, /* loop: srli a8, a6, 1 */
    0x82, 0x43, 0x00, /* s8i a8, a3, 0 (a3 = the imm8 byte of the movi at next) */
    0x56, 0xf7, 0xff, /* bnez a7, next: taken or not, the block ends and next follows */
    0x42, 0xa0, 0x01, /* next: movi a4, 1 */
    0x40, 0x55, 0x80, /* add a5, a5, a4 */
    0x62, 0xc6, 0xff, /* addi a6, a6, -1 */
    0x56, 0xa6, 0xfe, /* bnez a6, loop */
    0x00, 0x51, 0x00, /* simcall */
};

/* A block remembered as the one after another (xt_block.next: after a taken branch, a7 = 1, or a
 * fall-through, a7 = 0) is not entered once memory under it changed. Each pass stores a6 / 2 into
 * the immediate of the block at next: 2, 1, 1, 0 for a6 = 4, so the third pass finds that block
 * unchanged and remembers it, and the fourth changes it under the memo; then the host rewrites
 * it between runs. */
static void test_blocks_next_follow_code_writes(void **state)
{
    (void)state;
    for (uint32_t taken = 0; taken < 2; taken++) {
        rig *r = rig_new(prog_smc_next, sizeof(prog_smc_next), false);
        r->cpu.a[3] = IRAM + 14;
        r->cpu.a[6] = 4;
        r->cpu.a[7] = taken;
        assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
        assert_int_equal(r->cpu.a[5], 2 + 1 + 1 + 0);
        r->iram[14] = 9; /* behind the bus's back; the store now goes to DRAM */
        r->cpu.a[3] = DRAM;
        r->cpu.a[6] = 2;
        r->cpu.pc = IRAM;
        assert_int_equal(xt_run(&r->cpu, 1000), XT_STOP_REQUEST);
        assert_int_equal(r->cpu.a[5], 9 + 9);
        rig_free(r);
    }
}

static void test_decode_lengths(void **state)
{
    (void)state;
    xt_insn d;
    xt_decode(0x801230u, &d); /* add a1, a2, a3 */
    assert_int_equal(d.op, XT_OP_ADD);
    assert_int_equal(d.len, 3);
    xt_decode(0x123Au, &d); /* add.n a1, a2, a3 */
    assert_int_equal(d.op, XT_OP_ADD_N);
    assert_int_equal(d.len, 2);
    xt_decode(0x00000Eu, &d); /* op0 14: reserved */
    assert_int_equal(d.op, XT_OP_ILLEGAL);
    xt_decode(0x000003u, &d); /* op0 3: no FP on lx106 */
    assert_int_equal(d.op, XT_OP_ILLEGAL);
    xt_decode(0x000035u, &d); /* call12: no windows */
    assert_int_equal(d.op, XT_OP_ILLEGAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arith),
        cmocka_unit_test(test_loop_cycles),
        cmocka_unit_test(test_budget_stops_at_boundary),
        cmocka_unit_test(test_call_literal),
        cmocka_unit_test(test_illegal_enters_user_vector),
        cmocka_unit_test(test_unaligned_load),
        cmocka_unit_test(test_ccompare_waiti),
        cmocka_unit_test(test_locked_software_interrupt),
        cmocka_unit_test(test_locked_external_edge),
        cmocka_unit_test(test_nmi_not_maskable),
        cmocka_unit_test(test_waiti_idle_skip),
        cmocka_unit_test(test_region_protection),
        cmocka_unit_test(test_rom_hook),
        cmocka_unit_test(test_two_cores_independent),
        cmocka_unit_test(test_decode_lengths),
        cmocka_unit_test(test_cycle_model_classes),
        cmocka_unit_test(test_cycle_model_flash_fetch),
        cmocka_unit_test(test_cycle_model_steps_equal_blocks),
        cmocka_unit_test(test_blocks_follow_code_writes),
        cmocka_unit_test(test_blocks_next_follow_code_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
