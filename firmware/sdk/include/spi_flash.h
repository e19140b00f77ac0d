/* spi_flash.h — the ROM's SPI flash routines (reference/lx106.md §4.8) and the NONOS SDK's
 * spi_flash_* wrappers (implemented in firmware/sdk/spi_flash.c, in IRAM).
 *
 * The ROM routines drive the SPI0 controller that also feeds the flash cache: call them only
 * from IRAM code with the cache off (Cache_Read_Disable ... Cache_Read_Enable(0, 0, 1)), and
 * call nothing in the flash window meanwhile. The spi_flash_* wrappers do exactly that. */
#ifndef ESPSIM_SDK_SPI_FLASH_H
#define ESPSIM_SDK_SPI_FLASH_H

#include "c_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32 deviceId;
    uint32 chip_size; /* bytes */
    uint32 block_size;
    uint32 sector_size;
    uint32 page_size;
    uint32 status_mask;
} SpiFlashChip;

/* ROM data: flashchip (0x3FFFC714) holds a pointer to the ROM's SpiFlashChip descriptor. */
extern SpiFlashChip *flashchip;

#define SPI_FLASH_SEC_SIZE 4096

/* ROM: 0 = OK, 1 = error. Flash addresses are offsets from the start of the chip. */
uint32 SPIRead(uint32 addr, void *dst, uint32 len);
uint32 SPIWrite(uint32 addr, const void *src, uint32 len); /* can only clear bits */
uint32 SPIEraseSector(uint32 sector);                      /* 4 KB, to 0xFF */
uint32 SPIEraseBlock(uint32 block);                        /* 64 KB */
uint32 SPIEraseChip(void);
uint32 SPIEraseArea(uint32 addr, uint32 len);
uint32 SPIUnlock(void);
uint32 SPILock(void);
uint32 SPIParamCfg(uint32 deviceId, uint32 chip_size, uint32 block_size, uint32 sector_size,
                   uint32 page_size, uint32 status_mask);
uint32 Wait_SPI_Idle(SpiFlashChip *chip);
void spi_flash_attach(void);

/* ROM: the flash window. odd_even/mb_count pick the MB of flash mapped at 0x40200000
 * (MB = 2 * mb_count + odd_even); cache_size 1 = 32 KB cache (0x40108000.. is then cache). */
void Cache_Read_Enable(uint8 odd_even, uint8 mb_count, uint8 cache_size);
void Cache_Read_Disable(void);

/* NONOS SDK API (firmware/sdk/spi_flash.c): buffers and lengths are whole words. */
typedef enum {
    SPI_FLASH_RESULT_OK,
    SPI_FLASH_RESULT_ERR,
    SPI_FLASH_RESULT_TIMEOUT
} SpiFlashOpResult;

SpiFlashOpResult spi_flash_erase_sector(uint16 sec);
SpiFlashOpResult spi_flash_write(uint32 des_addr, uint32 *src_addr, uint32 size);
SpiFlashOpResult spi_flash_read(uint32 src_addr, uint32 *des_addr, uint32 size);
uint32 spi_flash_get_id(void);

#ifdef __cplusplus
}
#endif

#endif
