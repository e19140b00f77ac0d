/* tests/unit/test_bus.c — sim/bus: region table, page map, faults, MMIO, host access. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bus.h"

typedef struct mmio_log {
    uint32_t last_off, last_val;
    unsigned last_size, reads, writes;
} mmio_log;

static uint32_t mmio_read(void *opaque, uint32_t off, unsigned size)
{
    mmio_log *l = opaque;
    l->reads++;
    l->last_off = off;
    l->last_size = size;
    return 0xA0000000u | off;
}

static void mmio_write(void *opaque, uint32_t off, uint32_t v, unsigned size)
{
    mmio_log *l = opaque;
    l->writes++;
    l->last_off = off;
    l->last_val = v;
    l->last_size = size;
}

static void test_add_and_find(void **state)
{
    (void)state;
    sim_bus b;
    static uint8_t ram[0x2000];
    sim_bus_init(&b);
    sim_bus_region r = {.name = "ram",
                        .base = 0x3FFE8000u,
                        .size = 0x2000u,
                        .flags = SIM_BUS_R | SIM_BUS_W,
                        .host = ram};
    assert_int_not_equal(sim_bus_add(&b, &r), 0);
    assert_non_null(sim_bus_find(&b, 0x3FFE8000u));
    assert_non_null(sim_bus_find(&b, 0x3FFE9FFFu));
    assert_null(sim_bus_find(&b, 0x3FFEA000u));
    assert_null(sim_bus_find(&b, 0x3FFE7FFFu));
    /* overlap and misalignment are refused */
    sim_bus_region o = r;
    o.base = 0x3FFE9000u;
    assert_int_equal(sim_bus_add(&b, &o), 0);
    o.base = 0x3FFF0100u;
    assert_int_equal(sim_bus_add(&b, &o), 0);
    o.base = 0xFFFFF000u;
    o.size = 0x2000u; /* wraps */
    assert_int_equal(sim_bus_add(&b, &o), 0);
    sim_bus_free(&b);
}

static void test_read_write_le(void **state)
{
    (void)state;
    sim_bus b;
    static uint8_t ram[0x1000];
    memset(ram, 0, sizeof(ram));
    sim_bus_init(&b);
    sim_bus_region r = {.name = "ram",
                        .base = 0x1000u,
                        .size = 0x1000u,
                        .flags = SIM_BUS_R | SIM_BUS_W,
                        .host = ram};
    sim_bus_add(&b, &r);
    assert_int_equal(sim_bus_write(&b, 0x1010u, 4, 0x11223344u), SIM_BUS_OK);
    assert_int_equal(ram[0x10], 0x44);
    assert_int_equal(ram[0x13], 0x11);
    uint32_t v;
    assert_int_equal(sim_bus_read(&b, 0x1011u, 2, &v), SIM_BUS_OK);
    assert_int_equal(v, 0x2233u);
    assert_int_equal(sim_bus_read(&b, 0x1013u, 1, &v), SIM_BUS_OK);
    assert_int_equal(v, 0x11u);
    assert_int_equal(sim_bus_read(&b, 0x3000u, 4, &v), SIM_BUS_UNMAPPED);
    assert_int_equal(sim_bus_write(&b, 0x0FFCu, 4, 0), SIM_BUS_UNMAPPED);
    sim_bus_free(&b);
}

static void test_flags(void **state)
{
    (void)state;
    sim_bus b;
    static uint8_t iram[0x1000], rom[0x1000];
    sim_bus_init(&b);
    sim_bus_region i = {.name = "iram",
                        .base = 0x40100000u,
                        .size = 0x1000u,
                        .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_X | SIM_BUS_DATA32,
                        .host = iram};
    sim_bus_region r = {.name = "rom",
                        .base = 0x50000000u,
                        .size = 0x1000u,
                        .flags = SIM_BUS_R | SIM_BUS_W | SIM_BUS_WIGNORE,
                        .host = rom};
    sim_bus_add(&b, &i);
    sim_bus_add(&b, &r);
    uint32_t v;
    assert_int_equal(sim_bus_read(&b, 0x40100000u, 4, &v), SIM_BUS_OK);
    assert_int_equal(sim_bus_read(&b, 0x40100001u, 1, &v), SIM_BUS_BAD_SIZE);
    assert_int_equal(sim_bus_write(&b, 0x40100002u, 2, 1), SIM_BUS_BAD_SIZE);
    rom[0] = 0x5A;
    assert_int_equal(sim_bus_write(&b, 0x50000000u, 1, 0x77), SIM_BUS_OK);
    assert_int_equal(rom[0], 0x5A); /* dropped */
    sim_bus_region ro = {
        .name = "ro", .base = 0x60000000u, .size = 0x1000u, .flags = SIM_BUS_R, .host = rom};
    sim_bus_add(&b, &ro);
    assert_int_equal(sim_bus_write(&b, 0x60000000u, 4, 0), SIM_BUS_PROHIBITED);
    sim_bus_free(&b);
}

static void test_mmio(void **state)
{
    (void)state;
    sim_bus b;
    mmio_log log = {0};
    sim_bus_init(&b);
    sim_bus_region m = {.name = "uart",
                        .base = 0x60000000u,
                        .size = 0x1000u,
                        .flags = SIM_BUS_R | SIM_BUS_W,
                        .read = mmio_read,
                        .write = mmio_write,
                        .opaque = &log};
    sim_bus_add(&b, &m);
    uint32_t v;
    assert_int_equal(sim_bus_read(&b, 0x6000001Cu, 4, &v), SIM_BUS_OK);
    assert_int_equal(v, 0xA000001Cu);
    assert_int_equal(log.last_size, 4);
    assert_int_equal(sim_bus_write(&b, 0x60000000u, 1, 0x41), SIM_BUS_OK);
    assert_int_equal(log.writes, 1);
    assert_int_equal(log.last_val, 0x41);
    assert_int_equal(log.last_size, 1);
    /* host access is refused on MMIO */
    uint8_t x[4];
    assert_false(sim_bus_peek(&b, 0x60000000u, x, 4));
    sim_bus_free(&b);
}

static void test_straddle_and_bulk(void **state)
{
    (void)state;
    sim_bus b;
    static uint8_t a[0x1000], c[0x1000];
    sim_bus_init(&b);
    sim_bus_region ra = {
        .name = "a", .base = 0x1000u, .size = 0x1000u, .flags = SIM_BUS_R | SIM_BUS_W, .host = a};
    sim_bus_region rc = {
        .name = "c", .base = 0x2000u, .size = 0x1000u, .flags = SIM_BUS_R | SIM_BUS_W, .host = c};
    sim_bus_add(&b, &ra);
    sim_bus_add(&b, &rc);
    assert_int_equal(sim_bus_write(&b, 0x1FFEu, 4, 0xDDCCBBAAu), SIM_BUS_OK);
    assert_int_equal(a[0xFFE], 0xAA);
    assert_int_equal(c[1], 0xDD);
    uint32_t v;
    assert_int_equal(sim_bus_read(&b, 0x1FFEu, 4, &v), SIM_BUS_OK);
    assert_int_equal(v, 0xDDCCBBAAu);
    const char msg[] = "spans two regions";
    assert_true(sim_bus_poke(&b, 0x1FF8u, msg, sizeof(msg)));
    char back[sizeof(msg)];
    assert_true(sim_bus_peek(&b, 0x1FF8u, back, sizeof(back)));
    assert_string_equal(back, msg);
    assert_false(sim_bus_poke(&b, 0x2FF8u, msg, sizeof(msg))); /* runs off the end */
    sim_bus_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_find),
        cmocka_unit_test(test_read_write_le),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_mmio),
        cmocka_unit_test(test_straddle_and_bulk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
