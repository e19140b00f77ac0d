/* models/rom/rom_flash.c — the ROM's SPI flash routines and the flash window
 * (reference/lx106.md §4.8): SPIRead/SPIWrite/SPIErase* on the flash model, with the typical
 * timing of a 25Q-series SPI NOR chip (docs/rom.md), spent inside Wait_SPI_Idle as the ROM
 * polls the chip: the routine returns when the operation's time is over, while events and
 * interrupts run at their times (rom_services.h). The data changes at the start of the
 * operation. Range checks use the chip size in the ROM's SpiFlashChip descriptor (what
 * SPIParamCfg sets) and the size of the simulated flash. */
#include "rom_services.h"

#define ROM_RAM_FLASHCHIP 0x3FFFC714u /* pointer to the SpiFlashChip descriptor (§4.1) */

#define PS_US 1000000ull
#define PS_MS 1000000000ull

/* Typical 25Q-series figures (W25Q32 datasheet class): */
#define FLASH_READ_PS         (1 * PS_US)    /* command + address + first data */
#define FLASH_READ_BYTE_PS    (PS_US / 10)   /* per byte transferred */
#define FLASH_PAGE_PROGRAM_PS (700 * PS_US)  /* tPP, per 256-byte page touched */
#define FLASH_SECTOR_ERASE_PS (45 * PS_MS)   /* tSE, 4 KB */
#define FLASH_BLOCK_ERASE_PS  (150 * PS_MS)  /* tBE, 64 KB */
#define FLASH_CHIP_ERASE_PS   (2500 * PS_MS) /* tCE per MB of chip (10 s for 4 MB) */
#define FLASH_PAGE            256u
#define FLASH_CHUNK           256u

/* Chip size from the descriptor, limited by the simulated flash; false after a fault. */
static bool rom_flash_size(esp8266 *m, uint64_t *size)
{
    uint32_t p, s;
    if (!rom_read32(m, ROM_RAM_FLASHCHIP, &p) || !rom_read32(m, p + 4u, &s)) return false;
    *size = s < m->flash.size ? s : m->flash.size;
    return true;
}

/* Whether [addr, addr + len) lies on the chip; if not, returns 1 to the guest. False too after a
 * fault reading the descriptor (the node has stopped). */
static bool rom_flash_in_range(esp8266 *m, uint64_t addr, uint64_t len)
{
    uint64_t size;
    if (!rom_flash_size(m, &size)) return false;
    if (addr + len <= size) return true;
    rom_return(m, 1);
    return false;
}

/* Finishes an operation: returns ret once `ps` of flash time have passed. */
static void rom_flash_done(esp8266 *m, uint64_t ps, uint32_t ret)
{
    rom_wait_then_return(m, ROM_SPI_WAIT_CONT, sim_node_now(&m->node) + ps, ret);
}

/* uint32 SPIRead(uint32 addr, void *dst, uint32 len): 0, or 1 if the range leaves the chip. */
void rom_svc_spi_read(esp8266 *m)
{
    uint32_t addr = rom_arg(m, 0), dst = rom_arg(m, 1), len = rom_arg(m, 2);
    if (!rom_flash_in_range(m, addr, len)) return;
    uint8_t buf[FLASH_CHUNK];
    for (uint32_t done = 0; done < len;) {
        uint32_t k = len - done < FLASH_CHUNK ? len - done : FLASH_CHUNK;
        if (!esp_flash_read(&m->flash, addr + done, buf, k)) {
            rom_return(m, 1);
            return;
        }
        if (!rom_write(m, dst + done, buf, k)) return;
        done += k;
    }
    rom_flash_done(m, FLASH_READ_PS + (uint64_t)len * FLASH_READ_BYTE_PS, 0);
}

/* uint32 SPIWrite(uint32 addr, const void *src, uint32 len): programs (bits can only be
 * cleared: new = old AND data); 0, or 1 if the range leaves the chip. */
void rom_svc_spi_write(esp8266 *m)
{
    uint32_t addr = rom_arg(m, 0), src = rom_arg(m, 1), len = rom_arg(m, 2);
    if (!rom_flash_in_range(m, addr, len)) return;
    uint8_t buf[FLASH_CHUNK];
    for (uint32_t done = 0; done < len;) {
        uint32_t k = len - done < FLASH_CHUNK ? len - done : FLASH_CHUNK;
        if (!rom_read(m, src + done, buf, k)) return;
        if (!esp_flash_program(&m->flash, addr + done, buf, k)) {
            rom_return(m, 1);
            return;
        }
        done += k;
    }
    uint64_t pages = len ? ((uint64_t)addr + len - 1) / FLASH_PAGE - addr / FLASH_PAGE + 1 : 0;
    rom_flash_done(m, pages * FLASH_PAGE_PROGRAM_PS, 0);
}

/* Erases [addr, addr + len) (sector-aligned): 0, or 1 if it leaves the chip. */
static void rom_flash_erase(esp8266 *m, uint64_t addr, uint64_t len, uint64_t ps)
{
    if (!rom_flash_in_range(m, addr, len)) return;
    if (!esp_flash_erase(&m->flash, (uint32_t)addr, (size_t)len)) {
        rom_return(m, 1);
        return;
    }
    rom_flash_done(m, ps, 0);
}

/* uint32 SPIEraseSector(uint32 sector): 4 KB; 1 if sector >= chip_size / 4096. */
void rom_svc_spi_erase_sector(esp8266 *m)
{
    rom_flash_erase(m, (uint64_t)rom_arg(m, 0) * ESP_FLASH_SECTOR, ESP_FLASH_SECTOR,
                    FLASH_SECTOR_ERASE_PS);
}

/* uint32 SPIEraseBlock(uint32 block): 64 KB; 1 if block >= chip_size / 65536. */
void rom_svc_spi_erase_block(esp8266 *m)
{
    rom_flash_erase(m, (uint64_t)rom_arg(m, 0) * ESP_FLASH_BLOCK, ESP_FLASH_BLOCK,
                    FLASH_BLOCK_ERASE_PS);
}

/* uint32 SPIEraseChip(void) */
void rom_svc_spi_erase_chip(esp8266 *m)
{
    uint64_t size;
    if (!rom_flash_size(m, &size)) return;
    rom_flash_erase(m, 0, size, (size * FLASH_CHIP_ERASE_PS) >> 20);
}

/* uint32 SPIEraseArea(uint32 addr, uint32 len): every 4 KB sector that [addr, addr + len)
 * touches; whole aligned 64 KB blocks inside it take a block erase's time, the other sectors a
 * sector erase's. 1 if the range leaves the chip. The ROM's over-erase that esptool works
 * around (get_erase_size) is not modelled. */
void rom_svc_spi_erase_area(esp8266 *m)
{
    uint64_t addr = rom_arg(m, 0), len = rom_arg(m, 1);
    if (len == 0) {
        rom_return(m, 0);
        return;
    }
    uint64_t first = addr / ESP_FLASH_SECTOR;
    uint64_t end = (addr + len + ESP_FLASH_SECTOR - 1) / ESP_FLASH_SECTOR; /* exclusive */
    const uint64_t per_block = ESP_FLASH_BLOCK / ESP_FLASH_SECTOR;
    uint64_t ps = 0;
    for (uint64_t s = first; s < end;) {
        if (s % per_block == 0 && s + per_block <= end) {
            ps += FLASH_BLOCK_ERASE_PS;
            s += per_block;
        } else {
            ps += FLASH_SECTOR_ERASE_PS;
            s++;
        }
    }
    rom_flash_erase(m, first * ESP_FLASH_SECTOR, (end - first) * ESP_FLASH_SECTOR, ps);
}

/* uint32 Wait_SPI_Idle(SpiFlashChip *): our operations finish inside the routine that started
 * them, so the chip is always idle here. */
void rom_svc_wait_spi_idle(esp8266 *m)
{
    rom_return(m, 0);
}

/* SPIUnlock, SPILock, SPIReadModeCnfig(mode): accepted, 0. */
void rom_svc_spi_ok(esp8266 *m)
{
    rom_return(m, 0);
}

/* void spi_flash_attach(void) */
void rom_svc_spi_flash_attach(esp8266 *m)
{
    rom_return(m, 0);
}

/* uint32 SPIParamCfg(deviceId, chip_size, block_size, sector_size, page_size, status_mask):
 * stores the six words in the SpiFlashChip descriptor; 0. */
void rom_svc_spi_param_cfg(esp8266 *m)
{
    uint32_t p;
    if (!rom_read32(m, ROM_RAM_FLASHCHIP, &p)) return;
    for (unsigned i = 0; i < 6; i++)
        if (!rom_write32(m, p + 4u * i, rom_arg(m, i))) return;
    rom_return(m, 0);
}

/* void Cache_Read_Enable(uint8 odd_even, uint8 mb_count, uint8 no_idea): maps flash MB
 * 2 * mb_count + odd_even at 0x40200000 (§4.8). no_idea selects the cache size of the timing
 * model (1: 32 KB, 0: 16 KB; docs/timing-model.md); IRAM 0x40108000..0x4010FFFF stays RAM
 * either way. Every enable starts with an empty cache. */
void rom_svc_cache_read_enable(esp8266 *m)
{
    uint32_t odd_even = (rom_arg(m, 0) & 0xFFu) ? 1u : 0u;
    uint32_t mb_count = rom_arg(m, 1) & 7u;
    xt_cpu *c = rom_cpu(m);
    c->cache.lines = (rom_arg(m, 2) & 0xFFu) ? XT_CACHE_MAX_LINES : XT_CACHE_MAX_LINES / 2u;
    xt_cache_flush(c);
    esp_flash_set_window(&m->flash, true, 2u * mb_count + odd_even);
    rom_return_void(m);
}

/* void Cache_Read_Disable(void) */
void rom_svc_cache_read_disable(esp8266 *m)
{
    esp_flash_set_window(&m->flash, false, m->flash.window_mb); /* the remap empties the cache */
    rom_return_void(m);
}
