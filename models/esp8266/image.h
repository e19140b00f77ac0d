/* models/esp8266/image.h — the ESP8266 "v1" firmware image (reference/lx106.md §5.2) and the
 * flash layout espsim uses for it.
 *
 * v1 image: 8-byte header {0xE9, segment count, flash mode, size/frequency, entry (LE32)}, then
 * per segment {load address, length, data}; zero padding so that the checksum byte ends at a
 * multiple of 16; checksum = 0xEF XOR every data byte. Segments load into RAM only (IRAM
 * 0x40100000..0x4010FFFF, DRAM 0x3FFE8000..0x3FFFFFFF).
 * Flash layout built from an ELF: the v1 image at offset 0, every segment linked into the flash
 * window (0x40200000 + off) at flash offset off (esptool's two-file layout in one file).
 */
#ifndef MODELS_ESP8266_IMAGE_H
#define MODELS_ESP8266_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf_load.h"

#define ESP_IMAGE_MAGIC   0xE9u
#define ESP_IMAGE_MAX_SEG 16u

typedef struct esp_image_seg {
    uint32_t addr, len;
    uint32_t offset; /* of the data within the image */
} esp_image_seg;

typedef struct esp_image_info {
    uint32_t entry;
    uint8_t flash_mode, flash_size_freq;
    unsigned nsegs;
    esp_image_seg segs[ESP_IMAGE_MAX_SEG];
    uint8_t checksum_stored, checksum_computed;
    size_t size; /* bytes up to and including the checksum */
} esp_image_info;

/* True if [addr, addr + len) lies in IRAM or DRAM. */
bool esp_image_ram_range(uint32_t addr, uint32_t len);

/* Parses and checks a v1 image at the start of data. The problem (bad magic, truncated
 * segment N, segment N at 0x.. outside RAM, checksum mismatch) goes into err, prefixed by
 * `name`. A checksum mismatch is reported but info is still filled (the ROM prints it). */
bool esp_image_parse(const uint8_t *data, size_t len, const char *name, esp_image_info *info,
                     char *err, size_t errsize);

/* Builds the flash contents for an ELF: *out (malloc'd, *outlen bytes, unused bytes 0xFF) holds
 * the v1 image at 0 and flash-resident segments at their offsets. pad_to > 0 pads the result
 * with 0xFF to exactly pad_to bytes (a full flash dump) and fails if it does not fit. */
bool esp_image_from_elf(const sim_elf *elf, size_t pad_to, uint8_t **out, size_t *outlen, char *err,
                        size_t errsize);

/* The OTA "v2" application image (user1.bin / user2.bin) that Espressif's second-stage boot
 * loader (boot_v1.x.bin) loads, laid out as the SDK's tools/gen_appbin.py does for boot mode 2
 * (reference/lx106.md §5.4): header {0xEA, 4, 0, app (1 or 2), entry}; one segment {0, len
 * rounded up to 16} holding the flash-resident code (the ELF's segments in the flash window,
 * which must start at window offset app_offset + 0x10: 0x40201010 for user1 at 0x1000); then a
 * v1 image of the RAM segments with flash mode 0 (QIO) and size/frequency byte
 * (size_map << 4) | 0 (40 MHz); finally a CRC-32 of everything before it, stored as the SDK's
 * tool stores it (CRC + 1, or ~CRC when its top bit is set). */
#define ESP_IMAGE_V2_MAGIC 0xEAu
bool esp_image_v2_from_elf(const sim_elf *elf, unsigned app, uint32_t app_offset, unsigned size_map,
                           uint8_t **out, size_t *outlen, char *err, size_t errsize);
uint32_t esp_image_crc32(const uint8_t *p, size_t n);

#endif
