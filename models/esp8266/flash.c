/* models/esp8266/flash.c — flash chip, SPI0 controller and window; see flash.h
 * (reference/lx106.md §3.11, §4.8). */
#include "esp8266/flash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FLASH_MIN_SIZE (512u * 1024u)
#define FLASH_MAX_SIZE (16u * 1024u * 1024u)
#define FLASH_PAGE     256u

/* SPI0 CMD bits (S8 spi_register.h) */
#define SPI_CMD_READ (1u << 31)
#define SPI_CMD_WREN (1u << 30)
#define SPI_CMD_WRDI (1u << 29)
#define SPI_CMD_RDID (1u << 28)
#define SPI_CMD_RDSR (1u << 27)
#define SPI_CMD_WRSR (1u << 26)
#define SPI_CMD_PP   (1u << 25)
#define SPI_CMD_SE   (1u << 24)
#define SPI_CMD_BE   (1u << 23)
#define SPI_CMD_CE   (1u << 22)

#define FLASH_SR_WEL 0x02u

static bool flash_size_ok(size_t size)
{
    return size >= FLASH_MIN_SIZE && size <= FLASH_MAX_SIZE && (size & (size - 1)) == 0;
}

/* The host buffer is at least one window (1 MB) long so the window can always be mapped;
 * bytes past `size` stay erased. */
static size_t flash_buf_size(size_t size)
{
    return size < ESP_FLASH_WINDOW ? ESP_FLASH_WINDOW : size;
}

static bool flash_range_ok(const esp_flash *f, uint32_t addr, size_t len)
{
    return addr <= f->size && len <= f->size - addr;
}

bool esp_flash_init(esp_flash *f, size_t size)
{
    memset(f, 0, sizeof(*f));
    if (!flash_size_ok(size)) return false;
    f->data = malloc(flash_buf_size(size));
    if (!f->data) return false;
    memset(f->data, 0xFF, flash_buf_size(size));
    f->size = size;
    return true;
}

void esp_flash_free(esp_flash *f)
{
    free(f->data);
    free(f->path);
    f->data = NULL;
    f->path = NULL;
    f->size = 0;
}

bool esp_flash_check_size(size_t size, const char *name, char *err, size_t errsize)
{
    if (flash_size_ok(size)) return true;
    snprintf(err, errsize,
             "%s: flash size %zu bytes is not a power of two between 512 KB and 16 MB", name, size);
    return false;
}

bool esp_flash_read_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errsize)
{
    *data = NULL;
    *size = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errsize, "%s: cannot open flash file: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errsize, "%s: not a regular file", path);
        fclose(fp);
        return false;
    }
    /* checked before reading, so a huge file is not read only to be refused */
    size_t n = (size_t)st.st_size;
    if (!esp_flash_check_size(n, path, err, errsize)) {
        fclose(fp);
        return false;
    }
    uint8_t *buf = malloc(n);
    if (!buf) {
        snprintf(err, errsize, "%s: out of memory for %zu bytes of flash", path, n);
        fclose(fp);
        return false;
    }
    size_t got = fread(buf, 1, n, fp);
    bool rd_err = ferror(fp) != 0;
    fclose(fp);
    if (got != n || rd_err) {
        snprintf(err, errsize, "%s: read error after %zu of %zu bytes", path, got, n);
        free(buf);
        return false;
    }
    *data = buf;
    *size = n;
    return true;
}

bool esp_flash_load_mem(esp_flash *f, const uint8_t *data, size_t size, const char *name, char *err,
                        size_t errsize)
{
    if (!esp_flash_check_size(size, name, err, errsize)) return false;
    size_t bufsize = flash_buf_size(size);
    uint8_t *buf = malloc(bufsize);
    if (!buf) {
        snprintf(err, errsize, "%s: out of memory for %zu bytes of flash", name, size);
        return false;
    }
    memcpy(buf, data, size);
    memset(buf + size, 0xFF, bufsize - size);
    free(f->data);
    free(f->path);
    f->data = buf;
    f->size = size;
    f->path = NULL;
    f->persist = false;
    f->dirty = false;
    f->dump = true;
    /* the host pointer behind the window changed */
    if (f->window_on && f->on_window) f->on_window(f->on_window_opaque);
    return true;
}

bool esp_flash_set_file(esp_flash *f, const char *path, bool persist, char *err, size_t errsize)
{
    char *p = strdup(path);
    if (!p) {
        snprintf(err, errsize, "%s: out of memory", path);
        return false;
    }
    free(f->path);
    f->path = p;
    f->persist = persist;
    return true;
}

bool esp_flash_load_file(esp_flash *f, const char *path, bool persist, char *err, size_t errsize)
{
    uint8_t *data;
    size_t size;
    if (!esp_flash_read_file(path, &data, &size, err, errsize)) return false;
    bool ok = esp_flash_load_mem(f, data, size, path, err, errsize) &&
              esp_flash_set_file(f, path, persist, err, errsize);
    free(data);
    return ok;
}

bool esp_flash_save(esp_flash *f, char *err, size_t errsize)
{
    if (!f->persist || !f->dirty || !f->path) return true;
    size_t n = strlen(f->path);
    char *tmp = malloc(n + sizeof(".XXXXXX"));
    if (!tmp) {
        snprintf(err, errsize, "%s: out of memory", f->path);
        return false;
    }
    memcpy(tmp, f->path, n);
    memcpy(tmp + n, ".XXXXXX", sizeof(".XXXXXX"));
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errsize, "%s: cannot create temporary file: %s", f->path, strerror(errno));
        free(tmp);
        return false;
    }
    size_t done = 0;
    while (done < f->size) {
        ssize_t w = write(fd, f->data + done, f->size - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        done += (size_t)w;
    }
    int saved_errno = errno;
    bool ok = done == f->size;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved_errno = errno;
    }
    if (ok && rename(tmp, f->path) != 0) {
        ok = false;
        saved_errno = errno;
    }
    if (!ok) {
        snprintf(err, errsize, "%s: cannot write flash back: %s", f->path, strerror(saved_errno));
        unlink(tmp);
        free(tmp);
        return false;
    }
    free(tmp);
    f->dirty = false;
    return true;
}

bool esp_flash_read(const esp_flash *f, uint32_t addr, void *dst, size_t len)
{
    if (!flash_range_ok(f, addr, len)) return false;
    if (len) memcpy(dst, f->data + addr, len);
    return true;
}

bool esp_flash_program(esp_flash *f, uint32_t addr, const void *src, size_t len)
{
    if (!flash_range_ok(f, addr, len)) return false;
    const uint8_t *s = src;
    for (size_t i = 0; i < len; i++) {
        uint8_t v = f->data[addr + i] & s[i];
        if (v != f->data[addr + i]) {
            f->data[addr + i] = v;
            f->dirty = true;
        }
    }
    return true;
}

bool esp_flash_erase(esp_flash *f, uint32_t addr, size_t len)
{
    if (addr % ESP_FLASH_SECTOR || len % ESP_FLASH_SECTOR) return false;
    if (!flash_range_ok(f, addr, len)) return false;
    for (size_t i = 0; i < len; i++) {
        if (f->data[addr + i] != 0xFF) {
            f->data[addr + i] = 0xFF;
            f->dirty = true;
        }
    }
    return true;
}

void esp_flash_set_window(esp_flash *f, bool on, uint32_t mb)
{
    bool changed = on != f->window_on || (on && mb != f->window_mb);
    f->window_on = on;
    f->window_mb = mb;
    if (on)
        f->spi_ctrl |= ESP_SPI_CTRL_WINDOW;
    else
        f->spi_ctrl &= ~ESP_SPI_CTRL_WINDOW;
    if (changed && f->on_window) f->on_window(f->on_window_opaque);
}

uint8_t *esp_flash_window_ptr(const esp_flash *f)
{
    if (!f->window_on || !f->data) return NULL;
    uint64_t start = (uint64_t)f->window_mb * ESP_FLASH_WINDOW;
    if (start >= f->size) return NULL;
    return f->data + start;
}

/* ---- SPI0 controller ------------------------------------------------------------------------ */

/* Chip address as the SPI bus sees it: 24 bits, wrapping at the chip size like real parts. */
static uint32_t spi_chip_addr(const esp_flash *f, uint32_t addr)
{
    return (addr & 0xFFFFFFu) & (uint32_t)(f->size - 1u);
}

static uint8_t spi_w_byte(const esp_flash *f, unsigned i)
{
    return (uint8_t)(f->spi_w[i / 4u] >> (8u * (i % 4u)));
}

static void spi_run(esp_flash *f, uint32_t cmd)
{
    uint32_t len = f->spi_addr >> 24;
    uint32_t addr = spi_chip_addr(f, f->spi_addr);
    if (len > sizeof(f->spi_w)) len = sizeof(f->spi_w);

    if (cmd & SPI_CMD_READ) {
        uint8_t buf[sizeof(f->spi_w)];
        for (uint32_t i = 0; i < len; i++)
            buf[i] = f->data[(addr + i) & (uint32_t)(f->size - 1u)];
        for (uint32_t i = 0; i < len; i++) {
            uint32_t sh = 8u * (i % 4u);
            f->spi_w[i / 4u] = (f->spi_w[i / 4u] & ~(0xFFu << sh)) | (uint32_t)buf[i] << sh;
        }
    }
    if (cmd & SPI_CMD_WREN) f->write_enabled = true;
    if (cmd & SPI_CMD_WRDI) f->write_enabled = false;
    if (cmd & SPI_CMD_RDID) f->spi_w[0] = ESP_FLASH_JEDEC;
    if (cmd & SPI_CMD_RDSR) {
        uint32_t sr = f->write_enabled ? FLASH_SR_WEL : 0u; /* WIP always 0 */
        f->spi_rdsr = (f->spi_rdsr & ~0xFFu) | sr;
    }
    if (cmd & SPI_CMD_WRSR) f->write_enabled = false; /* status bits themselves not modelled */
    if (cmd & SPI_CMD_PP) {
        if (f->write_enabled) {
            /* a page program wraps inside its 256-byte page */
            uint32_t page = addr & ~(FLASH_PAGE - 1u);
            for (uint32_t i = 0; i < len; i++) {
                uint32_t a = page | ((addr + i) & (FLASH_PAGE - 1u));
                uint8_t v = f->data[a] & spi_w_byte(f, i);
                if (v != f->data[a]) {
                    f->data[a] = v;
                    f->dirty = true;
                }
            }
        }
        f->write_enabled = false;
    }
    if (cmd & (SPI_CMD_SE | SPI_CMD_BE | SPI_CMD_CE)) {
        if (f->write_enabled) {
            if (cmd & SPI_CMD_CE)
                esp_flash_erase(f, 0, f->size);
            else if (cmd & SPI_CMD_BE)
                esp_flash_erase(f, addr & ~(ESP_FLASH_BLOCK - 1u), ESP_FLASH_BLOCK);
            else
                esp_flash_erase(f, addr & ~(ESP_FLASH_SECTOR - 1u), ESP_FLASH_SECTOR);
        }
        f->write_enabled = false;
    }
    f->spi_cmd = 0; /* every operation completes at once */
}

static uint32_t *spi_reg(esp_flash *f, uint32_t reg)
{
    switch (reg) {
    case ESP_SPI_CMD: return &f->spi_cmd;
    case ESP_SPI_ADDR: return &f->spi_addr;
    case ESP_SPI_CTRL: return &f->spi_ctrl;
    case ESP_SPI_RDSR: return &f->spi_rdsr;
    case ESP_SPI_CTRL2: return &f->spi_ctrl2;
    case ESP_SPI_CLOCK: return &f->spi_clock;
    case ESP_SPI_USER: return &f->spi_user;
    case ESP_SPI_EXT3: return &f->spi_ext3;
    default:
        if (reg >= ESP_SPI_W0 && reg < ESP_SPI_W0 + sizeof(f->spi_w))
            return &f->spi_w[(reg - ESP_SPI_W0) / 4u];
        return &f->spi_other[reg / 4u];
    }
}

uint32_t esp_spi0_read(esp_flash *f, uint32_t off, unsigned size)
{
    uint32_t reg = off & 0xFCu, shift = (off & 3u) * 8u;
    uint32_t v = *spi_reg(f, reg) >> shift;
    if (size < 4) v &= (1u << (8u * size)) - 1u;
    return v;
}

void esp_spi0_write(esp_flash *f, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t reg = off & 0xFCu, shift = (off & 3u) * 8u;
    uint32_t *r = spi_reg(f, reg);
    if (size < 4) {
        uint32_t mask = ((1u << (8u * size)) - 1u) << shift;
        value = (*r & ~mask) | ((value << shift) & mask);
    }
    if (reg == ESP_SPI_CMD) {
        f->spi_cmd = value;
        spi_run(f, value);
        return;
    }
    if (reg == ESP_SPI_CTRL) {
        bool on = (value & ESP_SPI_CTRL_WINDOW) != 0;
        f->spi_ctrl = value;
        esp_flash_set_window(f, on, f->window_mb);
        return;
    }
    *r = value;
}
