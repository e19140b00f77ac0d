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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_faults),
        cmocka_unit_test(test_image_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
