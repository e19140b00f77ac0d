/* tests/unit/test_esp8266.c — the ESP8266 machine's address map (models/esp8266/esp8266.h):
 * one instruction against each kind of address must raise the cause silicon raises (through the
 * ROM vector to the fatal report), or succeed; and the image format round-trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp8266/esp8266.h"
#include "esp8266/image.h"

/* One instruction each (xtensa-lx106-elf-as --no-transform), then ill (00 00 00). */
static const uint8_t op_l32i[] = {0x22, 0x23, 0x00};  /* l32i a2, a3, 0 */
static const uint8_t op_l8ui[] = {0x22, 0x03, 0x00};  /* l8ui a2, a3, 0 */
static const uint8_t op_l16ui[] = {0x22, 0x13, 0x00}; /* l16ui a2, a3, 0 */
static const uint8_t op_s8i[] = {0x22, 0x43, 0x00};   /* s8i a2, a3, 0 */
static const uint8_t op_s32i[] = {0x22, 0x63, 0x00};  /* s32i a2, a3, 0 */
static const uint8_t op_jx[] = {0xA0, 0x03, 0x00};    /* jx a3 */

/* Runs op with a3 = addr on a fresh machine; returns the EXCCAUSE of the fatal report, or -1 if
 * the instruction completed (and the following ILL reported cause 0 at IRAM + 3). */
static int run_one(const uint8_t *op, uint32_t addr, bool window_on)
{
    char err[256];
    esp_config cfg = {.name = "t", .cpu_mhz = 80};
    esp8266 *m = calloc(1, sizeof(*m));
    assert_non_null(m);
    assert_true(esp8266_init(m, &cfg, err, sizeof(err)));
    uint8_t code[8] = {0};
    memcpy(code, op, 3);
    assert_true(sim_bus_poke(&m->node.bus, ESP_IRAM_BASE, code, sizeof(code)));
    if (window_on) esp_flash_set_window(&m->flash, true, 0);
    xt_cpu *c = &m->node.cpu;
    c->pc = ESP_IRAM_BASE;
    c->a[1] = 0x3FFFFF00u;
    c->a[2] = 0x12345678u;
    c->a[3] = addr;
    c->sr[XT_SR_PS] = 0x20;
    assert_int_equal(sim_node_run_until(&m->node, 1000000000ull), SIM_NODE_FAULTED);
    int cause = (int)c->sr[XT_SR_EXCCAUSE];
    uint32_t epc = c->sr[XT_SR_EPC1];
    assert_non_null(strstr(m->node.fault_msg, "Exception ("));
    esp8266_free(m);
    free(m);
    if (cause == 0 && epc == ESP_IRAM_BASE + 3) return -1; /* op completed, ILL followed */
    return cause;
}

static void test_map_faults(void **state)
{
    (void)state;
    /* RAM: any width */
    assert_int_equal(run_one(op_l8ui, 0x3FFE8001u, false), -1);
    assert_int_equal(run_one(op_s32i, 0x3FFFFFF0u, false), -1);
    assert_int_equal(run_one(op_l32i, 0x60001200u, false), -1); /* RTC memory */
    /* IRAM, ROM, flash window: 32-bit data only (§1.4) */
    assert_int_equal(run_one(op_l32i, 0x40100004u, false), -1);
    assert_int_equal(run_one(op_l8ui, 0x40100001u, false), XT_CAUSE_LOAD_STORE_ERROR);
    assert_int_equal(run_one(op_l16ui, 0x40100002u, false), XT_CAUSE_LOAD_STORE_ERROR);
    assert_int_equal(run_one(op_l32i, 0x40001000u, false), -1); /* ROM data word */
    assert_int_equal(run_one(op_s8i, 0x40000000u, false), XT_CAUSE_LOAD_STORE_ERROR);
    assert_int_equal(run_one(op_s32i, 0x40000000u, false), XT_CAUSE_LOAD_STORE_ERROR);
    /* the flash window only when Cache_Read_Enable'd */
    assert_int_equal(run_one(op_l32i, 0x40200000u, false), XT_CAUSE_LOAD_STORE_ERROR);
    assert_int_equal(run_one(op_l32i, 0x40200000u, true), -1);
    assert_int_equal(run_one(op_l8ui, 0x40200000u, true), XT_CAUSE_LOAD_STORE_ERROR);
    /* region 0: NULL pointers (region attributes 0x2222211F) */
    assert_int_equal(run_one(op_l32i, 0x00000004u, false), XT_CAUSE_LOAD_PROHIBITED);
    assert_int_equal(run_one(op_s32i, 0x00000010u, false), XT_CAUSE_STORE_PROHIBITED);
    assert_int_equal(run_one(op_jx, 0x00000100u, false), XT_CAUSE_INST_FETCH_PROHIBITED);
    /* other unmapped SoC space */
    assert_int_equal(run_one(op_l32i, 0x50000000u, false), XT_CAUSE_LOAD_STORE_ERROR);
    assert_int_equal(run_one(op_jx, 0x50000000u, false), XT_CAUSE_INSTR_FETCH_ERROR);
    /* alignment comes first */
    assert_int_equal(run_one(op_l32i, 0x3FFE8002u, false), XT_CAUSE_UNALIGNED);
}

static void test_image_round_trip(void **state)
{
    (void)state;
    uint8_t iram[7] = {1, 2, 3, 4, 5, 6, 7}, dram[4] = {9, 9, 9, 9}, flash[4] = {0xAB, 0, 0, 0};
    sim_elf_segment segs[3] = {
        {.paddr = 0x40100000u, .filesz = 7, .memsz = 7, .data = iram},
        {.paddr = 0x3FFE8000u, .filesz = 4, .memsz = 64, .data = dram},
        {.paddr = 0x40210000u, .filesz = 4, .memsz = 4, .data = flash},
    };
    sim_elf elf = {.path = "synthetic", .entry = 0x40100000u, .segs = segs, .nsegs = 3};
    uint8_t *img;
    size_t len;
    char err[256];
    assert_true(esp_image_from_elf(&elf, 0, &img, &len, err, sizeof(err)));
    assert_int_equal(len, 0x10004u); /* flash code at its window offset */
    assert_int_equal(img[0x10000], 0xAB);
    esp_image_info info;
    assert_true(esp_image_parse(img, len, "img", &info, err, sizeof(err)));
    assert_int_equal(info.nsegs, 2);
    assert_int_equal(info.entry, 0x40100000u);
    assert_int_equal(info.size % 16, 0);
    assert_memory_equal(img + info.segs[0].offset, iram, 7);
    /* corrupt a data byte: checksum mismatch reported, info still filled for the ROM's messages */
    img[info.segs[0].offset] ^= 1;
    assert_false(esp_image_parse(img, len, "img", &info, err, sizeof(err)));
    assert_non_null(strstr(err, "img: image checksum"));
    assert_int_equal(info.nsegs, 2);
    free(img);
    /* a segment outside RAM and the window */
    segs[1].paddr = 0x20000000u;
    assert_false(esp_image_from_elf(&elf, 0, &img, &len, err, sizeof(err)));
    assert_non_null(strstr(err, "outside RAM and the flash window"));
    /* padded to a full dump, and too big for it */
    segs[1].paddr = 0x3FFE8000u;
    assert_true(esp_image_from_elf(&elf, 1u << 20, &img, &len, err, sizeof(err)));
    assert_int_equal(len, 1u << 20);
    assert_int_equal(img[len - 1], 0xFF);
    free(img);
    segs[2].paddr = 0x402FFFFEu;
    assert_false(esp_image_from_elf(&elf, 1u << 20, &img, &len, err, sizeof(err)));
}

/* ---- whole flash dumps in memory (esp8266_load_flash_bytes) ---- */

/* A 512 KB dump with a v1 image at 0: one IRAM segment {ill}, entry at its start. */
static uint8_t *dump_with_image(void)
{
    uint8_t *d = malloc(512u << 10);
    assert_non_null(d);
    memset(d, 0xFF, 512u << 10);
    static const uint8_t img[32] = {
        0xE9, 1,    0,    0x00, 0x00, 0x00, 0x10, 0x40, /* 1 segment, QIO, 512 KB; entry 0x40100000
                                                         */
        0x00, 0x00, 0x10, 0x40, 4,    0,    0,    0,    /* IRAM 0x40100000, 4 bytes */
        0x00, 0x00, 0x00, 0x00,                         /* ill (00 00 00), 0 */
        0,    0,    0,    0,    0,    0,    0,    0,    0,
        0,    0,    0xEF, /* padding; checksum 0xEF ^ 0 */
    };
    memcpy(d, img, sizeof(img));
    return d;
}

static void test_flash_bytes(void **state)
{
    (void)state;
    char err[256];
    esp8266 *m = calloc(1, sizeof(*m));
    esp_config cfg = {.name = "t", .cpu_mhz = 80};
    assert_true(esp8266_init(m, &cfg, err, sizeof(err)));
    uint8_t *d = dump_with_image();
    const uint8_t *before = m->flash.data;
    unsigned resets = m->reset_count;
    /* wrong size: one line naming the dump and the size; nothing changes */
    assert_false(esp8266_load_flash_bytes(m, d, 1000, err, sizeof(err)));
    assert_string_equal(err, "flash dump: flash size 1000 bytes is not a power of two between "
                             "512 KB and 16 MB");
    /* bad image (checksum): the parser's message; nothing changes */
    d[31] = 0x00;
    assert_false(esp8266_load_flash_bytes(m, d, 512u << 10, err, sizeof(err)));
    assert_string_equal(err, "flash dump: image checksum 0x00 does not match the data (0xef)");
    assert_ptr_equal(m->flash.data, before);
    assert_int_equal(m->reset_count, resets);
    /* good: the flash is a copy of the dump, the chip reset; the ROM boots it to the ill */
    d[31] = 0xEF;
    for (int k = 0; k < 2; k++) {
        assert_true(esp8266_load_flash_bytes(m, d, 512u << 10, err, sizeof(err)));
        assert_int_equal(m->flash.size, 512u << 10);
        assert_memory_equal(m->flash.data, d, 512u << 10);
        assert_true(m->flash.dump);
        assert_null(m->flash.path);
        assert_int_equal(m->entry, 0x40100000u);
        assert_int_equal(m->reset_count, resets + 1u + (unsigned)k);
    }
    assert_int_equal(sim_node_run_until(&m->node, 100000000000ull), SIM_NODE_FAULTED);
    assert_int_equal(m->node.cpu.sr[XT_SR_EXCCAUSE], 0); /* IllegalInstruction */
    assert_int_equal(m->node.cpu.sr[XT_SR_EPC1], 0x40100000u);
    /* an image loaded over it keeps the dump's other bytes */
    d[0x40000] = 0x5A;
    assert_true(esp8266_load_flash_bytes(m, d, 512u << 10, err, sizeof(err)));
    assert_true(esp8266_load_bytes(m, d, 32, "img", err, sizeof(err)));
    assert_int_equal(m->flash.data[0x40000], 0x5A);
    free(d);
    esp8266_free(m);
    free(m);
}

/* ---- pins on outside nets (esp8266_pin_attach) ---- */

static esp8266 *net_chip(const char *name)
{
    char err[256];
    esp_config cfg = {.name = name, .cpu_mhz = 80};
    esp8266 *m = calloc(1, sizeof(*m));
    assert_non_null(m);
    assert_true(esp8266_init(m, &cfg, err, sizeof(err)));
    return m;
}

static void net_free(esp8266 *m)
{
    esp8266_free(m);
    free(m);
}

static unsigned net_in(esp8266 *m, unsigned pin)
{
    return esp_gpio_read(&m->soc, 0x18, 4) >> pin & 1u; /* GPIO_IN */
}

static unsigned contended;
static void net_contention(void *opaque, sim_net *net, uint32_t high, uint32_t low, uint64_t t)
{
    (void)opaque;
    (void)net;
    (void)t;
    contended = high << 8 | low;
}

/* Two chips, GPIO4 of each on one net: open drain gives a wired-AND both read; a pad pull-up
 * of either pulls the net up; push-pull against push-pull is contention, reported. */
static void test_pins_on_nets(void **state)
{
    (void)state;
    esp8266 *a = net_chip("a"), *b = net_chip("b");
    sim_net n;
    sim_net_init(&n, "gpio4");
    n.on_contention = net_contention;
    assert_true(esp8266_pin_attach(a, 4, &n, "a.gpio4"));
    assert_true(esp8266_pin_attach(b, 4, &n, "b.gpio4"));
    assert_false(esp8266_pin_attach(b, 4, &n, "again"));
    assert_int_equal(net_in(a, 4), 0);          /* floating */
    esp_iomux_write(&b->soc, 0x3C, 1u << 7, 4); /* b: GPIO4 pad pull-up */
    assert_int_equal(net_in(a, 4), 1);
    assert_true(sim_net_level(&n));
    /* a: open drain, driving low */
    esp_gpio_write(&a->soc, 0x28 + 4 * 4, 1u << 2, 4);
    esp_gpio_write(&a->soc, 0x10, 1u << 4, 4); /* ENABLE_W1TS */
    assert_int_equal(net_in(a, 4), 0);
    assert_int_equal(net_in(b, 4), 0);
    esp_gpio_write(&a->soc, 0x04, 1u << 4, 4); /* OUT_W1TS: released */
    assert_int_equal(net_in(b, 4), 1);
    /* b: push-pull low while a is released: low */
    esp_gpio_write(&b->soc, 0x10, 1u << 4, 4);
    assert_int_equal(net_in(a, 4), 0);
    assert_int_equal(contended, 0);
    /* a: push-pull high against b's low: contention, reads 0 on both */
    esp_gpio_write(&a->soc, 0x28 + 4 * 4, 0, 4);
    assert_int_equal(contended, 1u << 8 | 2u);
    assert_int_equal(net_in(a, 4), 0); /* a reads the net, not its own drive */
    assert_int_equal(n.contentions, 1);
    net_free(a);
    net_free(b);
}

/* GPIO16 reads its net; the RST net revives a halted chip: low holds it, high boots it. */
static void test_pins_gpio16_and_rst(void **state)
{
    (void)state;
    esp8266 *m = net_chip("m");
    sim_net g16, rst;
    sim_net_init(&g16, "gpio16");
    sim_net_init(&rst, "rst");
    int peer = sim_net_attach(&g16, "peer"), pyb = sim_net_attach(&rst, "pyb");
    assert_true(esp8266_pin_attach(m, 16, &g16, "m.gpio16"));
    assert_true(esp8266_pin_attach(m, ESP_PIN_RST, &rst, "m.rst"));
    assert_true(sim_net_level(&rst)); /* the RST pin's pull-up */
    sim_net_drive(&g16, peer, SIM_DRIVE_HIGH, 0);
    assert_int_equal(esp_rtc_read(&m->soc, 0x8C, 4) & 1u, 1); /* RTC_GPIO16_IN */
    sim_net_drive(&g16, peer, SIM_DRIVE_Z, 0);
    esp_rtc_write(&m->soc, 0x74, 1, 4); /* GPIO16 output enabled, OUT 0: drives low */
    assert_false(sim_net_level(&g16));
    assert_int_equal(esp_rtc_read(&m->soc, 0x8C, 4) & 1u, 0);
    /* a halted chip, reset through the RST net at 5 ms */
    sim_node_halt(&m->node);
    unsigned resets = m->reset_count;
    sim_net_drive(&rst, pyb, SIM_DRIVE_LOW, 5000000000ull);
    assert_int_equal(m->node.state, SIM_NODE_RUNNING);
    assert_int_equal(m->power, ESP_POWER_RESET_HELD);
    assert_true(sim_node_global_now(&m->node) >= 5000000000ull);
    assert_true(sim_net_level(&g16) || esp_gpio16_pin_drive(&m->soc) == SIM_DRIVE_Z); /* released */
    sim_net_drive(&rst, pyb, SIM_DRIVE_HIGH, 5200000000ull);
    sim_node_run_until(&m->node, 5300000000ull);
    assert_int_equal(m->reset_count, resets + 1);
    assert_int_equal(m->last_reset, ESP_RESET_EXTERNAL);
    /* powered off: RST is ignored */
    esp8266_power_off(m);
    sim_net_drive(&rst, pyb, SIM_DRIVE_LOW, 6000000000ull);
    assert_int_not_equal(m->node.state, SIM_NODE_RUNNING);
    assert_int_equal(m->power, ESP_POWER_OFF);
    net_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pins_on_nets), cmocka_unit_test(test_pins_gpio16_and_rst),
        cmocka_unit_test(test_map_faults),   cmocka_unit_test(test_image_round_trip),
        cmocka_unit_test(test_flash_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
