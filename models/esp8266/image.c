/* models/esp8266/image.c — v1 images; see image.h. */
#include "image.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMG_IRAM_LO 0x40100000u
#define IMG_IRAM_HI 0x40110000u
#define IMG_DRAM_LO 0x3FFE8000u
#define IMG_DRAM_HI 0x40000000u
#define IMG_WIN_LO  0x40200000u
#define IMG_WIN_HI  0x40300000u

static uint32_t img_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void img_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static bool img_in(uint32_t addr, uint32_t len, uint32_t lo, uint32_t hi)
{
    return addr >= lo && addr <= hi && len <= hi - addr;
}

bool esp_image_ram_range(uint32_t addr, uint32_t len)
{
    return img_in(addr, len, IMG_IRAM_LO, IMG_IRAM_HI) ||
           img_in(addr, len, IMG_DRAM_LO, IMG_DRAM_HI);
}

bool esp_image_parse(const uint8_t *data, size_t len, const char *name, esp_image_info *info,
                     char *err, size_t errsize)
{
    memset(info, 0, sizeof(*info));
    if (len < 8)
        return sim_error(err, errsize, name, "too short for an image header (%zu bytes)", len);
    if (data[0] != ESP_IMAGE_MAGIC)
        return sim_error(err, errsize, name, "not an ESP8266 image (magic 0x%02x, expected 0xe9)",
                         data[0]);
    unsigned n = data[1];
    if (n == 0 || n > ESP_IMAGE_MAX_SEG)
        return sim_error(err, errsize, name, "bad segment count %u", n);
    info->flash_mode = data[2];
    info->flash_size_freq = data[3];
    info->entry = img_le32(data + 4);
    size_t off = 8;
    uint8_t sum = 0xEF;
    for (unsigned i = 0; i < n; i++) {
        if (len - off < 8)
            return sim_error(err, errsize, name, "truncated: segment %u header at offset %zu", i,
                             off);
        esp_image_seg *s = &info->segs[i];
        s->addr = img_le32(data + off);
        s->len = img_le32(data + off + 4);
        off += 8;
        if (s->len > len - off)
            return sim_error(
                err, errsize, name,
                "truncated: segment %u (0x%08x, %u bytes) runs past the end (%zu bytes)", i,
                s->addr, s->len, len);
        if (!esp_image_ram_range(s->addr, s->len))
            return sim_error(
                err, errsize, name,
                "segment %u at 0x%08x (%u bytes) is outside RAM (IRAM 0x40100000, DRAM "
                "0x3FFE8000)",
                i, s->addr, s->len);
        s->offset = (uint32_t)off;
        for (uint32_t k = 0; k < s->len; k++)
            sum ^= data[off + k];
        off += s->len;
    }
    info->nsegs = n;
    size_t csum_at = (off | 15u); /* padding so the checksum ends at a multiple of 16 */
    if (csum_at >= len)
        return sim_error(err, errsize, name, "truncated: no checksum byte at offset %zu", csum_at);
    info->checksum_stored = data[csum_at];
    info->checksum_computed = sum;
    info->size = csum_at + 1;
    if (info->checksum_stored != sum)
        return sim_error(err, errsize, name,
                         "image checksum 0x%02x does not match the data (0x%02x)",
                         info->checksum_stored, sum);
    if (!esp_image_ram_range(info->entry, 1) && !img_in(info->entry, 1, IMG_WIN_LO, IMG_WIN_HI))
        return sim_error(err, errsize, name, "entry point 0x%08x is not in IRAM or flash",
                         info->entry);
    return true;
}

/* The v1 image of an ELF's RAM segments (ELF order; pure .bss skipped, the start code zeroes
 * it): its length (header, segments with their lengths rounded up to align, zero padding so that
 * the checksum byte ends at a multiple of 16) and segment count. False with err when a segment is
 * outside RAM and the flash window, or there are not 1..ESP_IMAGE_MAX_SEG of them. */
static bool img_v1_size(const sim_elf *elf, const char *name, uint32_t align, size_t *len,
                        unsigned *nram, char *err, size_t errsize)
{
    size_t n = 8;
    unsigned k = 0;
    for (size_t i = 0; i < elf->nsegs; i++) {
        const sim_elf_segment *s = &elf->segs[i];
        if (img_in(s->paddr, s->memsz, IMG_WIN_LO, IMG_WIN_HI)) continue;
        if (!esp_image_ram_range(s->paddr, s->memsz))
            return sim_error(err, errsize, name,
                             "segment at 0x%08x-0x%08x is outside RAM and the flash window",
                             s->paddr, s->paddr + s->memsz - 1);
        if (s->filesz == 0) continue;
        n += 8 + ((s->filesz + align - 1u) & ~(align - 1u));
        k++;
    }
    if (k == 0 || k > ESP_IMAGE_MAX_SEG)
        return sim_error(err, errsize, name, "%u RAM segments (need 1..%u)", k, ESP_IMAGE_MAX_SEG);
    *len = (n | 15u) + 1;
    *nram = k;
    return true;
}

/* Writes that image into v1 (len bytes from img_v1_size, zeroed): header {0xE9, nram, QIO,
 * size_freq, entry}, the segments, checksum 0xEF ^ every data byte (padding included). */
static void img_v1_write(uint8_t *v1, size_t len, const sim_elf *elf, unsigned nram,
                         uint8_t size_freq, uint32_t align)
{
    v1[0] = ESP_IMAGE_MAGIC;
    v1[1] = (uint8_t)nram;
    v1[2] = 0x00; /* QIO */
    v1[3] = size_freq;
    img_put32(v1 + 4, elf->entry);
    size_t off = 8;
    uint8_t sum = 0xEF;
    for (size_t i = 0; i < elf->nsegs; i++) {
        const sim_elf_segment *s = &elf->segs[i];
        if (img_in(s->paddr, s->memsz, IMG_WIN_LO, IMG_WIN_HI) || s->filesz == 0) continue;
        uint32_t n = (s->filesz + align - 1u) & ~(align - 1u);
        img_put32(v1 + off, s->paddr);
        img_put32(v1 + off + 4, n);
        memcpy(v1 + off + 8, s->data, s->filesz);
        for (uint32_t k = 0; k < n; k++)
            sum ^= v1[off + 8 + k];
        off += 8 + n;
    }
    v1[len - 1] = sum;
}

bool esp_image_from_elf(const sim_elf *elf, size_t pad_to, uint8_t **out, size_t *outlen, char *err,
                        size_t errsize)
{
    const char *name = elf->path ? elf->path : "ELF";
    *out = NULL;
    *outlen = 0;
    size_t img_len;
    unsigned nram;
    if (!img_v1_size(elf, name, 1, &img_len, &nram, err, errsize)) return false;
    size_t total = img_len;
    for (size_t i = 0; i < elf->nsegs; i++) {
        const sim_elf_segment *s = &elf->segs[i];
        if (!img_in(s->paddr, s->memsz, IMG_WIN_LO, IMG_WIN_HI)) continue;
        uint32_t off = s->paddr - IMG_WIN_LO;
        if (off < img_len)
            return sim_error(err, errsize, name,
                             "flash segment at 0x%08x (flash offset 0x%x) overlaps the %zu-byte "
                             "image at offset 0",
                             s->paddr, off, img_len);
        if (off + (size_t)s->memsz > total) total = off + (size_t)s->memsz;
    }
    if (pad_to) {
        if (total > pad_to)
            return sim_error(err, errsize, name, "needs %zu bytes of flash, more than %zu", total,
                             pad_to);
        total = pad_to;
    }
    uint8_t *buf = malloc(total);
    if (!buf) return sim_error(err, errsize, name, "out of memory");
    memset(buf, 0xFF, total);
    memset(buf, 0, img_len);
    img_v1_write(buf, img_len, elf, nram, 0x20 /* 1 MB, 40 MHz */, 1);
    for (size_t i = 0; i < elf->nsegs; i++) {
        const sim_elf_segment *s = &elf->segs[i];
        if (!img_in(s->paddr, s->memsz, IMG_WIN_LO, IMG_WIN_HI)) continue;
        uint32_t foff = s->paddr - IMG_WIN_LO;
        memcpy(buf + foff, s->data, s->filesz);
        memset(buf + foff + s->filesz, 0, s->memsz - s->filesz);
    }
    *out = buf;
    *outlen = total;
    return true;
}

uint32_t esp_image_crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

bool esp_image_v2_from_elf(const sim_elf *elf, unsigned app, uint32_t app_offset, unsigned size_map,
                           uint8_t **out, size_t *outlen, char *err, size_t errsize)
{
    const char *name = elf->path ? elf->path : "ELF";
    *out = NULL;
    *outlen = 0;
    /* the flash-resident part: one contiguous range from window offset app_offset + 0x10 */
    const uint32_t irom_lo = IMG_WIN_LO + app_offset + 0x10u;
    uint32_t irom_hi = irom_lo;
    for (size_t i = 0; i < elf->nsegs; i++) {
        const sim_elf_segment *s = &elf->segs[i];
        if (!img_in(s->paddr, s->memsz, IMG_WIN_LO, IMG_WIN_HI)) continue;
        if (s->paddr < irom_lo)
            return sim_error(err, errsize, name,
                             "flash segment at 0x%08x: a user%u image's code starts at 0x%08x "
                             "(link with the SDK's eagle.app.v6.new.*.app%u.ld)",
                             s->paddr, app, irom_lo, app);
        if (s->paddr + s->memsz > irom_hi) irom_hi = s->paddr + s->memsz;
    }
    size_t ram_len; /* the RAM segments, their lengths rounded up to 4 as gen_appbin does */
    unsigned nram;
    if (!img_v1_size(elf, name, 4, &ram_len, &nram, err, errsize)) return false;
    size_t irom_len = ((size_t)(irom_hi - irom_lo) + 15u) & ~(size_t)15u;
    size_t total = 16 + irom_len + ram_len + 4;
    uint8_t *buf = calloc(1, total);
    if (!buf) return sim_error(err, errsize, name, "out of memory");
    buf[0] = ESP_IMAGE_V2_MAGIC;
    buf[1] = 4;
    buf[2] = 0;
    buf[3] = (uint8_t)app;
    img_put32(buf + 4, elf->entry);
    img_put32(buf + 8, 0);
    img_put32(buf + 12, (uint32_t)irom_len);
    for (size_t i = 0; i < elf->nsegs; i++) {
        const sim_elf_segment *s = &elf->segs[i];
        if (img_in(s->paddr, s->memsz, IMG_WIN_LO, IMG_WIN_HI))
            memcpy(buf + 16 + (s->paddr - irom_lo), s->data, s->filesz);
    }
    img_v1_write(buf + 16 + irom_len, ram_len, elf, nram, (uint8_t)((size_map & 15u) << 4), 4);
    uint32_t crc = esp_image_crc32(buf, total - 4);
    img_put32(buf + total - 4, (crc & 0x80000000u) ? ~crc : crc + 1u);
    *out = buf;
    *outlen = total;
    return true;
}
