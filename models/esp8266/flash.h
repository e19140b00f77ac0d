/* models/esp8266/flash.h — the SPI flash chip, its SPI0 controller (0x60000200) and the flash
 * window at 0x40200000 (reference/lx106.md §3.11, §4.8).
 *
 * The flash is a host buffer (erased bytes read 0xFF; programming can only clear bits) loaded
 * from a file and written back to it only when `persist` is set (--flash-persist). The window
 * maps 1 MB of flash at 0x40200000 when enabled: flash MB index = 2 * mb_count + odd_even
 * (Cache_Read_Enable). When the window changes, `on_window` tells the machine to remap the bus.
 * SPI0 commands (bit self-clears when done, immediately): READ (31), WREN (30), RDID (28),
 * RDSR (27), PP (25), SE (24), BE (23); ADDR = len << 24 | address; data in W0..W15.
 *
 * Details (flash.c): READ copies min(len, 64) bytes into W0.. (byte 0 = W0 bits 7:0); PP
 * programs min(len, 64) bytes from W0.. (AND), wrapping inside the 256-byte page; SE/BE erase
 * the 4 KB sector / 64 KB block holding the address; PP/SE/BE (and CE, bit 22) act only when
 * the WREN latch is set and clear it (WRDI, bit 29, and WRSR, bit 26, clear it too). SPI
 * addresses are 24 bits and wrap at the chip size like real parts. RDID puts ESP_FLASH_JEDEC
 * in W0; RDSR puts the status (bit0 WIP = 0, bit1 WEL) in RD_STATUS (+0x10) bits 7:0. Other
 * command bits (USR, ...) complete with no effect. Writing CTRL bit 17 calls
 * esp_flash_set_window(f, bit17, window_mb); esp_flash_set_window keeps CTRL bit 17 in step.
 * The host buffer is max(size, 1 MB) bytes, so a 512 KB flash still maps a whole window (its
 * upper half reads 0xFF; real parts alias it). on_window is called when the window turns on or
 * off, when its MB changes while on, and after esp_flash_load_mem / _file while on (new buffer).
 */
#ifndef MODELS_ESP8266_FLASH_H
#define MODELS_ESP8266_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESP_FLASH_SECTOR 4096u
#define ESP_FLASH_BLOCK  65536u
#define ESP_FLASH_WINDOW 0x100000u
#define ESP_FLASH_JEDEC  0x001640EFu /* the ROM's default SpiFlashChip deviceId (§4.1) */

/* SPI0 register offsets (within 0x60000200) */
#define ESP_SPI_CMD         0x00u
#define ESP_SPI_ADDR        0x04u
#define ESP_SPI_CTRL        0x08u
#define ESP_SPI_RDSR        0x10u
#define ESP_SPI_CTRL2       0x14u
#define ESP_SPI_CLOCK       0x18u
#define ESP_SPI_USER        0x1Cu
#define ESP_SPI_W0          0x40u
#define ESP_SPI_EXT3        0xFCu
#define ESP_SPI_CTRL_WINDOW (1u << 17)

typedef struct esp_flash {
    uint8_t *data;
    size_t size;  /* bytes: 512 KB .. 16 MB, a power of two */
    char *path;   /* backing file, or NULL */
    bool persist; /* write back to path on esp_flash_save */
    bool dump;    /* the contents came from a dump (esp_flash_load_mem / _file), not erased */
    bool dirty;
    bool write_enabled; /* WREN latch */

    bool window_on;
    uint32_t window_mb; /* flash MB mapped at 0x40200000 */
    void (*on_window)(void *opaque);
    void *on_window_opaque;

    uint32_t spi_cmd, spi_addr, spi_ctrl, spi_rdsr, spi_ctrl2, spi_clock, spi_user, spi_ext3;
    uint32_t spi_w[16];
    uint32_t spi_other[64]; /* registers we keep but give no meaning */
} esp_flash;

/* An erased flash of size bytes (512 KB .. 16 MB, a power of two; false otherwise or when out
 * of memory). Must run before any other call. */
bool esp_flash_init(esp_flash *f, size_t size);
void esp_flash_free(esp_flash *f);
/* The size rule for a dump: 512 KB .. 16 MB, a power of two. False with one line in err,
 * "NAME: flash size N bytes is not a power of two between 512 KB and 16 MB". */
bool esp_flash_check_size(size_t size, const char *name, char *err, size_t errsize);
/* Reads a whole dump file into *data (malloc'd, *size bytes; the caller frees it). err gets one
 * line naming the file: missing or unreadable, not a regular file, wrong size (checked before
 * reading), out of memory, short read. */
bool esp_flash_read_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errsize);
/* Replaces the whole flash by a copy of data (size checked by esp_flash_check_size; messages
 * name `name`). The flash then has no backing file (path NULL, persist false) and dump is set.
 * On failure the flash is unchanged. */
bool esp_flash_load_mem(esp_flash *f, const uint8_t *data, size_t size, const char *name, char *err,
                        size_t errsize);
/* Makes path the flash's backing file (written back by esp_flash_save when persist is set). */
bool esp_flash_set_file(esp_flash *f, const char *path, bool persist, char *err, size_t errsize);
/* esp_flash_read_file, esp_flash_load_mem, esp_flash_set_file: a dump file as the whole flash.
 * On failure the flash is unchanged (but for out of memory in esp_flash_set_file). */
bool esp_flash_load_file(esp_flash *f, const char *path, bool persist, char *err, size_t errsize);
/* Writes the flash back to its file if persist is set and something changed (a temporary file
 * next to it, then rename); clears dirty. err gets one line on failure. */
bool esp_flash_save(esp_flash *f, char *err, size_t errsize);

/* Chip operations (what SPIRead/SPIWrite/SPIEraseSector do). Return false on a range error. */
bool esp_flash_read(const esp_flash *f, uint32_t addr, void *dst, size_t len);
bool esp_flash_program(esp_flash *f, uint32_t addr, const void *src, size_t len); /* AND */
bool esp_flash_erase(esp_flash *f, uint32_t addr, size_t len); /* sector-aligned */

/* The window (Cache_Read_Enable / Cache_Read_Disable). */
void esp_flash_set_window(esp_flash *f, bool on, uint32_t mb);
/* Host pointer to the mapped MB, or NULL when the window is off or beyond the flash size. */
uint8_t *esp_flash_window_ptr(const esp_flash *f);

/* SPI0 registers. */
uint32_t esp_spi0_read(esp_flash *f, uint32_t off, unsigned size);
void esp_spi0_write(esp_flash *f, uint32_t off, uint32_t value, unsigned size);

#endif
