/* spi_flash.c — the NONOS SDK's spi_flash_* API over the ROM routines (include/spi_flash.h).
 * In IRAM: the flash cache is off while the ROM drives the SPI0 controller, so nothing in the
 * flash window may run until it is back on. Flash MB 0 is remapped afterwards, as the start code
 * mapped it. */
#include "spi_flash.h"

IRAM_ATTR SpiFlashOpResult spi_flash_erase_sector(uint16 sec)
{
    Cache_Read_Disable();
    uint32 r = SPIEraseSector(sec);
    Cache_Read_Enable(0, 0, 1);
    return r ? SPI_FLASH_RESULT_ERR : SPI_FLASH_RESULT_OK;
}

IRAM_ATTR SpiFlashOpResult spi_flash_write(uint32 des_addr, uint32 *src_addr, uint32 size)
{
    if ((des_addr & 3u) || ((uint32)src_addr & 3u) || (size & 3u)) return SPI_FLASH_RESULT_ERR;
    Cache_Read_Disable();
    uint32 r = SPIWrite(des_addr, src_addr, size);
    Cache_Read_Enable(0, 0, 1);
    return r ? SPI_FLASH_RESULT_ERR : SPI_FLASH_RESULT_OK;
}

IRAM_ATTR SpiFlashOpResult spi_flash_read(uint32 src_addr, uint32 *des_addr, uint32 size)
{
    if ((src_addr & 3u) || ((uint32)des_addr & 3u) || (size & 3u)) return SPI_FLASH_RESULT_ERR;
    Cache_Read_Disable();
    uint32 r = SPIRead(src_addr, des_addr, size);
    Cache_Read_Enable(0, 0, 1);
    return r ? SPI_FLASH_RESULT_ERR : SPI_FLASH_RESULT_OK;
}

uint32 spi_flash_get_id(void)
{
    return flashchip->deviceId;
}
