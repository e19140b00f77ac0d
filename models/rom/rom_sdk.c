/* models/rom/rom_sdk.c — ROM routines that only Espressif's closed SDK libraries call
 * (libmain, libphy, libpp, libnet80211, libwpa: the names eagle.rom.addr.v6.ld gives them;
 * docs/nonos-sdk.md). Signatures follow the SDK's use of them; costs are estimates like every
 * ROM service (rom_services.c). */
#include "rom_services.h"

#include <stdio.h>
#include <stdlib.h>

/* ROM_DATA_<name>: ROM-owned data addresses from the public symbol list. */
enum rom_data_addr {
#define ROM_DATA_ENUM(name, addr) ROM_DATA_##name = addr,
    ESP_ROM_DATA(ROM_DATA_ENUM)
#undef ROM_DATA_ENUM
};

/* SpiFlashOpResult SPI_read_status(SpiFlashChip *chip, uint32 *status): the flash status
 * register (the SPI0 RDSR model) into *status; 0 = OK. */
void rom_svc_spi_read_status(esp8266 *m)
{
    if (!rom_write32(m, rom_arg(m, 1), m->flash.spi_rdsr & 0xFFFFu)) return;
    rom_return(m, 0);
}

/* SpiFlashOpResult SPI_write_status(SpiFlashChip *chip, uint32 status): 0 = OK. Only the
 * non-volatile bits are kept (status 1 and 2; no protection is modelled). */
void rom_svc_spi_write_status(esp8266 *m)
{
    m->flash.spi_rdsr = (m->flash.spi_rdsr & ~0xFFFFu) | (rom_arg(m, 1) & 0xFFFCu);
    rom_return(m, 0);
}

/* SPI_write_enable(chip), Enable_QMode(chip): the WREN latch / the QE bit; 0 = OK. */
void rom_svc_spi_write_enable(esp8266 *m)
{
    m->flash.write_enabled = true;
    rom_return(m, 0);
}

void rom_svc_enable_qmode(esp8266 *m)
{
    m->flash.spi_rdsr |= 1u << 9; /* QE: status register 2 bit 1 */
    rom_return(m, 0);
}

/* rom_chip_v5_disable_cca(), rom_chip_v5_enable_cca(): clear-channel assessment of the
 * baseband, off while the MAC reprograms it. The medium model does CCA itself: nothing to do. */
void rom_svc_phy_nop(esp8266 *m)
{
    rom_return(m, 0);
}

/* void lldesc_build_chain(lldesc_t *desc, uint32 desclen, uint8 *buf, uint32 buflen,
 *                         uint32 blksz, uint8 owner, lldesc_t **head, lldesc_t **tail)
 * (libpp wDev_Initialize, the Wi-Fi DMA rings): as many 12-byte descriptors as fit in
 * desclen and are needed for buflen, each {size = blksz (the last: the rest), length 0,
 * eof on the last, owner; buf; next}, linked in order, the last one's next NULL. head and
 * tail (on the stack) receive the first and last. */
void rom_svc_lldesc_build_chain(esp8266 *m)
{
    uint32_t desc = rom_arg(m, 0), desclen = rom_arg(m, 1), buf = rom_arg(m, 2);
    uint32_t buflen = rom_arg(m, 3), blksz = rom_arg(m, 4), owner = rom_arg(m, 5) & 1u;
    uint32_t sp = m->node.cpu.a[1], head_p, tail_p;
    if (!rom_read32(m, sp, &head_p) || !rom_read32(m, sp + 4u, &tail_p)) return;
    uint32_t n = blksz ? (buflen + blksz - 1u) / blksz : 0;
    if (n > desclen / 12u) n = desclen / 12u;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t size = i + 1u == n ? buflen - i * blksz : blksz;
        uint32_t w0 = (size & 0xFFFu) | (i + 1u == n ? 1u << 30 : 0u) | owner << 31;
        uint32_t d = desc + 12u * i;
        if (!rom_write32(m, d, w0) || !rom_write32(m, d + 4u, buf + i * blksz) ||
            !rom_write32(m, d + 8u, i + 1u == n ? 0u : d + 12u))
            return;
    }
    if (n && (!rom_write32(m, head_p, desc) || !rom_write32(m, tail_p, desc + 12u * (n - 1u))))
        return;
    xt_charge(&m->node.cpu, 30u * n);
    rom_return_void(m);
}

/* int roundup2(int x, int size): x rounded up to a multiple of size (a power of two). */
void rom_svc_roundup2(esp8266 *m)
{
    uint32_t x = rom_arg(m, 0), size = rom_arg(m, 1);
    rom_return(m, (x + size - 1u) & ~(size - 1u));
}

/* void gpio_output_set(uint32 set, uint32 clear, uint32 enable, uint32 disable): the GPIO
 * block's W1TS/W1TC registers for OUT and ENABLE (reference/lx106.md §3.5), in that order.
 * uint32 gpio_input_get(void): GPIO_IN. Both through the bus, so the GPIO model reacts. */
void rom_svc_gpio_output_set(esp8266 *m)
{
    static const uint32_t reg[4] = {0x60000304u, 0x60000308u, 0x60000310u, 0x60000314u};
    for (unsigned i = 0; i < 4; i++)
        sim_bus_write(&m->node.bus, reg[i], 4, rom_arg(m, i));
    rom_return_void(m);
}

void rom_svc_gpio_input_get(esp8266 *m)
{
    uint32_t v = 0;
    sim_bus_read(&m->node.bus, 0x60000318u, 4, &v);
    rom_return(m, v);
}

/* ---- PHY function table (phy_get_romfuncs) -------------------------------------------------
 * libphy asks the ROM for a table of PHY routine pointers (g_phyFuns), patches some entries
 * with its own RAM versions and calls the rest through it. The table sits where the ROM keeps
 * it (rom.h), but the ROM routines it points to are not modelled: entry k points to
 * ESP_ROM_PHY_STUBS + 4k, a hook that returns 0 (there is no radio front end to program) and
 * reports its first call through on_unmodelled_call. */

static void rom_phy_stub(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    (void)n;
    unsigned k = (pc - ESP_ROM_PHY_STUBS) / 4u;
    if (k < ESP_ROM_PHY_FUNCS && !(m->rom.phy_called[k / 8] >> (k % 8) & 1u)) {
        m->rom.phy_called[k / 8] |= (uint8_t)(1u << (k % 8));
        if (m->on_unmodelled_call) {
            char what[64];
            snprintf(what, sizeof(what), "PHY ROM table entry %u (0x%08x)", k, pc);
            m->on_unmodelled_call(m->on_unmodelled_opaque, what, m->node.cpu.a[0]);
        }
    }
    xt_charge(&m->node.cpu, 20);
    rom_return(m, 0);
}

/* ---- I2C-to-analog bus (rom_i2c_*) ---------------------------------------------------------
 * The ROM's rom_i2c_readReg(block, host_id, reg) / rom_i2c_writeReg(block, host_id, reg, data)
 * and their _Mask forms (bits msb..lsb of the register, msb >= lsb) reach the analog blocks
 * (PLLs, RF front end) over the internal I2C bus (reference/lx106.md §3.2: the I2C block at
 * 0x60000D00). espsim has no analog circuits: a register reads what was last written to it (0 after
 * reset), except the status below. libphy calls these through PHY table entries 36..39 (rom.h). */

/* The RF PLL's lock indication: block 0x62, host 1, register 7, bit 7 (1 = locked). Inferred
 * from libphy's wait_rfpll_cal_end (SDK 3.0.x, disassembled locally): after starting the PLL
 * calibration it reads that bit through entry 37 (readReg_Mask(0x62, 1, 7, 7, 7)) every 20 us
 * until it is 1, and prints "error: pll_cal exceeds 2ms!!!" after 100 zeros. The simulated PLL
 * locks at once. */
#define ANA_RFPLL_BLOCK   0x62u
#define ANA_RFPLL_HOST    1u
#define ANA_RFPLL_LOCK    7u
#define ANA_RFPLL_LOCKBIT 0x80u

static esp_rom_ana_reg *rom_ana_find(esp_rom *r, uint32_t block, uint32_t host, uint32_t reg)
{
    for (unsigned i = 0; i < r->ana_n; i++)
        if (r->ana[i].block == block && r->ana[i].host == host && r->ana[i].reg == reg)
            return &r->ana[i];
    return NULL;
}

/* The value register (block, host, reg) reads (arguments are the low bytes). */
static uint8_t rom_ana_read(esp_rom *r, uint32_t block, uint32_t host, uint32_t reg)
{
    block &= 0xFFu, host &= 0xFFu, reg &= 0xFFu;
    const esp_rom_ana_reg *a = rom_ana_find(r, block, host, reg);
    uint8_t v = a ? a->value : 0u;
    if (block == ANA_RFPLL_BLOCK && host == ANA_RFPLL_HOST && reg == ANA_RFPLL_LOCK)
        v |= ANA_RFPLL_LOCKBIT;
    return v;
}

/* Stores value in register (block, host, reg); once ESP_ROM_ANA_REGS registers are held, a
 * write to another one is lost (it keeps reading 0). */
static void rom_ana_write(esp_rom *r, uint32_t block, uint32_t host, uint32_t reg, uint8_t value)
{
    block &= 0xFFu, host &= 0xFFu, reg &= 0xFFu;
    esp_rom_ana_reg *a = rom_ana_find(r, block, host, reg);
    if (!a && r->ana_n < ESP_ROM_ANA_REGS) {
        a = &r->ana[r->ana_n++];
        *a = (esp_rom_ana_reg){(uint8_t)block, (uint8_t)host, (uint8_t)reg, 0};
    }
    if (a) a->value = value;
}

/* Bits msb..lsb (msb, lsb 0..7; an empty or reversed range is bit lsb alone) as a mask. */
static uint8_t rom_ana_mask(uint32_t msb, uint32_t lsb)
{
    msb &= 7u, lsb &= 7u;
    if (msb < lsb) msb = lsb;
    return (uint8_t)(((1u << (msb - lsb + 1u)) - 1u) << lsb);
}

/* uint8 rom_i2c_readReg(uint8 block, uint8 host_id, uint8 reg_add): the register. */
void rom_svc_i2c_read(esp8266 *m)
{
    rom_return(m, rom_ana_read(&m->rom, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2)));
}

/* uint8 rom_i2c_readReg_Mask(block, host_id, reg_add, uint8 msb, uint8 lsb): bits msb..lsb of
 * the register, shifted down to bit 0. */
void rom_svc_i2c_read_mask(esp8266 *m)
{
    uint32_t lsb = rom_arg(m, 4) & 7u;
    uint8_t v = rom_ana_read(&m->rom, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2));
    rom_return(m, (uint32_t)(v & rom_ana_mask(rom_arg(m, 3), lsb)) >> lsb);
}

/* void rom_i2c_writeReg(uint8 block, uint8 host_id, uint8 reg_add, uint8 data). */
void rom_svc_i2c_write(esp8266 *m)
{
    rom_ana_write(&m->rom, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2), (uint8_t)rom_arg(m, 3));
    rom_return_void(m);
}

/* void rom_i2c_writeReg_Mask(block, host_id, reg_add, msb, lsb, uint8 data): bits msb..lsb of
 * the register become the low bits of data (read-modify-write); the others stay. */
void rom_svc_i2c_write_mask(esp8266 *m)
{
    uint32_t block = rom_arg(m, 0), host = rom_arg(m, 1), reg = rom_arg(m, 2);
    uint32_t lsb = rom_arg(m, 4) & 7u;
    uint8_t mask = rom_ana_mask(rom_arg(m, 3), lsb);
    const esp_rom_ana_reg *a = rom_ana_find(&m->rom, block & 0xFFu, host & 0xFFu, reg & 0xFFu);
    uint8_t old = a ? a->value : 0u;
    uint8_t v = (uint8_t)((old & ~mask) | ((rom_arg(m, 5) << lsb) & mask));
    rom_ana_write(&m->rom, block, host, reg, v);
    rom_return_void(m);
}

/* void *phy_get_romfuncs(void): the table's address, the word at ESP_ROM_PHY_TABLE_PTR. */
void rom_svc_phy_get_romfuncs(esp8266 *m)
{
    uint32_t t = 0;
    sim_bus_peek(&m->node.bus, ESP_ROM_PHY_TABLE_PTR, &t, 4);
    rom_return(m, t);
}

/* ---- AES tables in ROM RAM (Te0, Td0, Td4s, rcons) ------------------------------------------
 * The ROM's AES code (and libwpa/libcrypto, which link against these names) uses the small
 * tables of the classic table-driven AES: Te0[x] = {2s, s, s, 3s} and Td0[x] = {14i, 9i, 13i,
 * 11i} as big-endian bytes of a word, s = S-box(x), i = inverse S-box(x); Td4s = the inverse
 * S-box; rcons = the ten round constants. The ROM fills them at boot; espsim computes them. */

static uint8_t aes_xtime(uint8_t a)
{
    return (uint8_t)((a << 1) ^ ((a & 0x80u) ? 0x1Bu : 0u));
}

static uint8_t aes_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    for (; b; b >>= 1, a = aes_xtime(a))
        if (b & 1u) r ^= a;
    return r;
}

static void rom_put32le(esp8266 *m, uint32_t addr, uint32_t v)
{
    sim_bus_poke(&m->node.bus, addr, &v, 4);
}

static void rom_sdk_aes_tables(esp8266 *m)
{
    uint8_t sbox[256], inv[256], exp3[255], log3[256] = {0};
    /* GF(2^8) powers of the generator 3: x^-1 = 3^(255 - log3(x)) (once per reset, per node:
     * kept cheap for fleets of nodes) */
    uint8_t g = 1;
    for (unsigned k = 0; k < 255; k++) {
        exp3[k] = g;
        log3[g] = (uint8_t)k;
        g ^= aes_xtime(g);
    }
    /* S-box: multiplicative inverse in GF(2^8) followed by the affine map */
    for (unsigned x = 0; x < 256; x++) {
        uint8_t invx = x ? exp3[(255u - log3[x]) % 255u] : 0u;
        uint8_t s = invx;
        for (unsigned r = 1; r < 5; r++)
            s ^= (uint8_t)((invx << r) | (invx >> (8 - r)));
        sbox[x] = s ^ 0x63u;
    }
    for (unsigned x = 0; x < 256; x++)
        inv[sbox[x]] = (uint8_t)x;
    for (unsigned x = 0; x < 256; x++) {
        uint8_t s = sbox[x], i = inv[x];
        uint32_t te =
            (uint32_t)aes_mul(s, 2) << 24 | (uint32_t)s << 16 | (uint32_t)s << 8 | aes_mul(s, 3);
        uint32_t td = (uint32_t)aes_mul(i, 14) << 24 | (uint32_t)aes_mul(i, 9) << 16 |
                      (uint32_t)aes_mul(i, 13) << 8 | aes_mul(i, 11);
        rom_put32le(m, ROM_DATA_Te0 + 4u * x, te);
        rom_put32le(m, ROM_DATA_Td0 + 4u * x, td);
    }
    sim_bus_poke(&m->node.bus, ROM_DATA_Td4s, inv, 256);
    uint8_t rc[10], r = 1;
    for (unsigned k = 0; k < 10; k++, r = aes_xtime(r))
        rc[k] = r;
    sim_bus_poke(&m->node.bus, ROM_DATA_rcons, rc, sizeof(rc));
}

void rom_sdk_reset(esp8266 *m)
{
    rom_put32le(m, ESP_ROM_PHY_TABLE_PTR, ESP_ROM_PHY_TABLE);
    for (uint32_t k = 0; k < ESP_ROM_PHY_FUNCS; k++)
        rom_put32le(m, ESP_ROM_PHY_TABLE + 4u * k, ESP_ROM_PHY_STUBS + 4u * k);
    static const uint32_t i2c[4] = {ROM_rom_i2c_readReg, ROM_rom_i2c_readReg_Mask,
                                    ROM_rom_i2c_writeReg, ROM_rom_i2c_writeReg_Mask};
    for (unsigned k = 0; k < 4; k++)
        rom_put32le(m, ESP_ROM_PHY_TABLE + 4u * (ESP_ROM_PHY_I2C_FIRST + k), i2c[k]);
    m->rom.ana_n = 0; /* the analog blocks reset with the chip */
    rom_put32le(m, ESP_ROM_PHY_TABLE + 4u * ESP_ROM_PHY_FUNCS, 0); /* the table's end */
    rom_sdk_aes_tables(m);
}

bool rom_sdk_init(esp_rom *r)
{
    return sim_node_hook(&r->chip->node, ESP_ROM_PHY_STUBS,
                         ESP_ROM_PHY_STUBS + 4u * ESP_ROM_PHY_FUNCS - 1u, rom_phy_stub, r->chip,
                         "phy stubs");
}
