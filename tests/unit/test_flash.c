/* tests/unit/test_flash.c — models/esp8266/flash: erased state, program-is-AND, erase, range
 * errors, file load (size and open errors), persist save-back, the window (MB index, pointer,
 * callback) and the SPI0 command sequences READ/WREN/PP/SE/BE/RDID/RDSR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "esp8266/flash.h"

#define MB (1024u * 1024u)

#define CMD_READ (1u << 31)
#define CMD_WREN (1u << 30)
#define CMD_RDID (1u << 28)
#define CMD_RDSR (1u << 27)
#define CMD_PP   (1u << 25)
#define CMD_SE   (1u << 24)
#define CMD_BE   (1u << 23)

/* A temporary file of len bytes filled by fill(i); returns its malloc'ed path. */
static char *temp_file(size_t len, uint8_t (*fill)(size_t))
{
    char *path = strdup("/tmp/espsim_flash_XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < len; i++)
        fputc(fill ? fill(i) : 0, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static uint8_t fill_pattern(size_t i)
{
    return (uint8_t)(i * 7u + (i >> 12));
}

static void test_init_sizes(void **state)
{
    (void)state;
    esp_flash f;
    assert_false(esp_flash_init(&f, 0));
    assert_false(esp_flash_init(&f, 256u * 1024u));
    assert_false(esp_flash_init(&f, 3u * MB));
    assert_false(esp_flash_init(&f, 32u * MB));
    assert_true(esp_flash_init(&f, 512u * 1024u));
    esp_flash_free(&f);
    assert_true(esp_flash_init(&f, 4u * MB));
    assert_int_equal(f.size, 4u * MB);
    uint8_t buf[16];
    assert_true(esp_flash_read(&f, 4u * MB - 16, buf, 16));
    for (unsigned i = 0; i < 16; i++)
        assert_int_equal(buf[i], 0xFF);
    assert_false(f.dirty);
    esp_flash_free(&f);
}

static void test_program_erase(void **state)
{
    (void)state;
    esp_flash f;
    assert_true(esp_flash_init(&f, MB));
    const uint8_t a[2] = {0xF0, 0x0F}, b[2] = {0x3C, 0xFF};
    assert_true(esp_flash_program(&f, 0x1FFF, a, 2)); /* across a sector boundary */
    assert_true(f.dirty);
    assert_true(esp_flash_program(&f, 0x1FFF, b, 2));
    uint8_t r[2];
    assert_true(esp_flash_read(&f, 0x1FFF, r, 2));
    assert_int_equal(r[0], 0x30); /* program can only clear bits */
    assert_int_equal(r[1], 0x0F);
    /* erase the second sector only */
    assert_true(esp_flash_erase(&f, 0x2000, ESP_FLASH_SECTOR));
    assert_true(esp_flash_read(&f, 0x1FFF, r, 2));
    assert_int_equal(r[0], 0x30);
    assert_int_equal(r[1], 0xFF);
    assert_true(esp_flash_erase(&f, 0, 2 * ESP_FLASH_SECTOR));
    assert_true(esp_flash_read(&f, 0x1FFF, r, 1));
    assert_int_equal(r[0], 0xFF);

    /* range errors */
    assert_false(esp_flash_read(&f, MB - 1, r, 2));
    assert_false(esp_flash_read(&f, 0xFFFFFFFFu, r, 2));
    assert_true(esp_flash_read(&f, MB, r, 0));
    assert_false(esp_flash_program(&f, MB - 1, a, 2));
    assert_false(esp_flash_erase(&f, MB, ESP_FLASH_SECTOR));
    assert_false(esp_flash_erase(&f, 0x100, ESP_FLASH_SECTOR)); /* unaligned address */
    assert_false(esp_flash_erase(&f, 0, 100));                  /* unaligned length */
    assert_true(esp_flash_erase(&f, MB - ESP_FLASH_SECTOR, ESP_FLASH_SECTOR));

    /* nothing changes: not dirty */
    f.dirty = false;
    const uint8_t ones[1] = {0xFF};
    assert_true(esp_flash_program(&f, 0, ones, 1));
    assert_true(esp_flash_erase(&f, 0, ESP_FLASH_SECTOR));
    assert_false(f.dirty);
    esp_flash_free(&f);
}

static void test_load_errors(void **state)
{
    (void)state;
    esp_flash f;
    assert_true(esp_flash_init(&f, MB));
    char err[256];

    char *small = temp_file(1000, NULL);
    err[0] = 0;
    assert_false(esp_flash_load_file(&f, small, false, err, sizeof(err)));
    assert_non_null(strstr(err, small));
    assert_non_null(strstr(err, "1000"));
    assert_null(strchr(err, '\n'));
    assert_int_equal(f.size, MB); /* unchanged */

    char *odd = temp_file(0, NULL);
    assert_int_equal(truncate(odd, 3 * MB), 0);
    assert_false(esp_flash_load_file(&f, odd, false, err, sizeof(err)));
    assert_non_null(strstr(err, odd));
    assert_non_null(strstr(err, "3145728"));

    assert_int_equal(truncate(odd, 32 * MB), 0);
    assert_false(esp_flash_load_file(&f, odd, false, err, sizeof(err)));
    assert_non_null(strstr(err, "33554432"));

    assert_false(esp_flash_load_file(&f, "/nonexistent/espsim.bin", false, err, sizeof(err)));
    assert_non_null(strstr(err, "/nonexistent/espsim.bin"));
    assert_false(esp_flash_load_file(&f, "/tmp", false, err, sizeof(err)));
    assert_non_null(strstr(err, "/tmp"));

    unlink(small);
    unlink(odd);
    free(small);
    free(odd);
    esp_flash_free(&f);
}

static void on_window(void *opaque)
{
    unsigned *n = opaque;
    (*n)++;
}

static void test_load_and_persist(void **state)
{
    (void)state;
    char err[256];
    char *path = temp_file(2 * MB, fill_pattern);
    esp_flash f;
    assert_true(esp_flash_init(&f, MB));
    unsigned calls = 0;
    f.on_window = on_window;
    f.on_window_opaque = &calls;
    esp_flash_set_window(&f, true, 1);
    assert_null(esp_flash_window_ptr(&f)); /* MB 1 of a 1 MB flash */
    assert_int_equal(calls, 1);

    assert_true(esp_flash_load_file(&f, path, true, err, sizeof(err)));
    assert_int_equal(calls, 2); /* new buffer behind the window */
    assert_int_equal(f.size, 2 * MB);
    uint8_t *w = esp_flash_window_ptr(&f);
    assert_non_null(w);
    assert_int_equal(w[5], fill_pattern(MB + 5));
    uint8_t r[4];
    assert_true(esp_flash_read(&f, 0x12345, r, 4));
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(r[i], fill_pattern(0x12345 + i));

    /* not dirty: save writes nothing (the file may even be gone) */
    assert_int_equal(unlink(path), 0);
    assert_true(esp_flash_save(&f, err, sizeof(err)));
    assert_int_not_equal(access(path, F_OK), 0);

    /* dirty and persistent: written back whole */
    assert_true(esp_flash_erase(&f, 0x3000, ESP_FLASH_SECTOR));
    const uint8_t z[2] = {0x00, 0x12};
    assert_true(esp_flash_program(&f, 0x3000, z, 2));
    assert_true(esp_flash_save(&f, err, sizeof(err)));
    assert_false(f.dirty);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    uint8_t *back = malloc(2 * MB);
    assert_non_null(back);
    assert_int_equal(fread(back, 1, 2 * MB, fp), 2 * MB);
    assert_int_equal(fgetc(fp), EOF);
    fclose(fp);
    assert_int_equal(back[0x3000], 0x00);
    assert_int_equal(back[0x3001], 0x12);
    assert_int_equal(back[0x3002], 0xFF);
    assert_int_equal(back[0x2FFF], fill_pattern(0x2FFF));
    assert_int_equal(back[0x4000], fill_pattern(0x4000));
    free(back);
    esp_flash_free(&f);

    /* not persistent: the file stays as it was */
    assert_true(esp_flash_init(&f, MB));
    assert_true(esp_flash_load_file(&f, path, false, err, sizeof(err)));
    assert_true(esp_flash_erase(&f, 0, ESP_FLASH_SECTOR));
    assert_true(f.dirty);
    assert_true(esp_flash_save(&f, err, sizeof(err)));
    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fgetc(fp), fill_pattern(0));
    fclose(fp);
    esp_flash_free(&f);

    /* save failure: one line naming the file */
    assert_true(esp_flash_init(&f, MB));
    assert_true(esp_flash_load_file(&f, path, true, err, sizeof(err)));
    free(f.path);
    f.path = strdup("/nonexistent/dir/flash.bin");
    f.dirty = true;
    assert_false(esp_flash_save(&f, err, sizeof(err)));
    assert_non_null(strstr(err, "/nonexistent/dir/flash.bin"));
    esp_flash_free(&f);

    unlink(path);
    free(path);
}

static void test_window(void **state)
{
    (void)state;
    esp_flash f;
    assert_true(esp_flash_init(&f, 4 * MB));
    unsigned window_calls = 0;
    f.on_window = on_window;
    f.on_window_opaque = &window_calls;
    assert_null(esp_flash_window_ptr(&f)); /* off after init */

    /* Cache_Read_Enable(odd_even = 1, mb_count = 1): MB index 2 * 1 + 1 = 3 */
    esp_flash_set_window(&f, true, 2 * 1 + 1);
    assert_int_equal(window_calls, 1);
    assert_ptr_equal(esp_flash_window_ptr(&f), f.data + 3 * MB);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_CTRL, 4) & ESP_SPI_CTRL_WINDOW, ESP_SPI_CTRL_WINDOW);
    esp_flash_set_window(&f, true, 3); /* no change: no call */
    assert_int_equal(window_calls, 1);
    esp_flash_set_window(&f, true, 4); /* beyond 4 MB */
    assert_int_equal(window_calls, 2);
    assert_null(esp_flash_window_ptr(&f));
    esp_flash_set_window(&f, true, 0);
    assert_ptr_equal(esp_flash_window_ptr(&f), f.data);
    esp_flash_set_window(&f, false, 0);
    assert_int_equal(window_calls, 4);
    assert_null(esp_flash_window_ptr(&f));
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_CTRL, 4) & ESP_SPI_CTRL_WINDOW, 0);
    esp_flash_set_window(&f, false, 2); /* off stays off: no call */
    assert_int_equal(window_calls, 4);

    /* SPI0 CTRL bit 17 switches the window with the current MB */
    esp_spi0_write(&f, ESP_SPI_CTRL, ESP_SPI_CTRL_WINDOW | 0x1000u, 4);
    assert_int_equal(window_calls, 5);
    assert_true(f.window_on);
    assert_ptr_equal(esp_flash_window_ptr(&f), f.data + 2 * MB);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_CTRL, 4), ESP_SPI_CTRL_WINDOW | 0x1000u);
    esp_spi0_write(&f, ESP_SPI_CTRL, 0x1000u, 4);
    assert_int_equal(window_calls, 6);
    assert_false(f.window_on);
    esp_flash_free(&f);

    /* 512 KB: the window still maps (upper half erased) */
    assert_true(esp_flash_init(&f, 512u * 1024u));
    esp_flash_set_window(&f, true, 0);
    uint8_t *w = esp_flash_window_ptr(&f);
    assert_non_null(w);
    assert_int_equal(w[MB - 1], 0xFF);
    esp_flash_set_window(&f, true, 1);
    assert_null(esp_flash_window_ptr(&f));
    esp_flash_free(&f);
}

static void spi_cmd(esp_flash *f, uint32_t cmd)
{
    esp_spi0_write(f, ESP_SPI_CMD, cmd, 4);
    assert_int_equal(esp_spi0_read(f, ESP_SPI_CMD, 4), 0); /* done at once */
}

static uint32_t spi_status(esp_flash *f)
{
    esp_spi0_write(f, ESP_SPI_RDSR, 0, 4);
    spi_cmd(f, CMD_RDSR);
    return esp_spi0_read(f, ESP_SPI_RDSR, 4);
}

static void test_spi0(void **state)
{
    (void)state;
    esp_flash f;
    assert_true(esp_flash_init(&f, 2 * MB));
    uint8_t pat[64];
    for (unsigned i = 0; i < 64; i++)
        pat[i] = (uint8_t)(0xA0 + i);
    assert_true(esp_flash_program(&f, 0x1000, pat, 64));

    /* READ 32 bytes into W0..W7 (little-endian) */
    esp_spi0_write(&f, ESP_SPI_ADDR, 32u << 24 | 0x1000, 4);
    spi_cmd(&f, CMD_READ);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_W0, 4), 0xA3A2A1A0u);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_W0 + 28, 4), 0xBFBEBDBCu);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_W0 + 32, 4), 0); /* untouched */
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_W0 + 1, 1), 0xA1);
    /* READ 64 bytes */
    esp_spi0_write(&f, ESP_SPI_ADDR, 64u << 24 | 0x1000, 4);
    spi_cmd(&f, CMD_READ);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_W0 + 60, 4), 0xDFDEDDDCu);

    /* RDID */
    spi_cmd(&f, CMD_RDID);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_W0, 4), ESP_FLASH_JEDEC);

    /* RDSR: WEL follows WREN; WIP always 0 */
    assert_int_equal(spi_status(&f), 0);
    spi_cmd(&f, CMD_WREN);
    assert_int_equal(spi_status(&f), 2);

    /* PP programs from W0.. (AND) and clears WEL */
    for (unsigned i = 0; i < 4; i++)
        esp_spi0_write(&f, ESP_SPI_W0 + 4 * i, 0x0F0F0F0Fu + i, 4);
    esp_spi0_write(&f, ESP_SPI_ADDR, 16u << 24 | 0x1000, 4);
    spi_cmd(&f, CMD_PP);
    assert_int_equal(spi_status(&f), 0);
    uint8_t r[16];
    assert_true(esp_flash_read(&f, 0x1000, r, 16));
    assert_int_equal(r[0], 0xA0 & 0x0F);
    assert_int_equal(r[4], (0xA4 & 0x10));
    assert_int_equal(r[15], 0xAF & 0x0F);
    /* PP without WREN does nothing */
    esp_spi0_write(&f, ESP_SPI_W0, 0, 4);
    esp_spi0_write(&f, ESP_SPI_ADDR, 4u << 24 | 0x2000, 4);
    spi_cmd(&f, CMD_PP);
    assert_true(esp_flash_read(&f, 0x2000, r, 4));
    assert_int_equal(r[0], 0xFF);
    /* PP wraps inside its 256-byte page */
    spi_cmd(&f, CMD_WREN);
    esp_spi0_write(&f, ESP_SPI_ADDR, 4u << 24 | 0x20FE, 4);
    spi_cmd(&f, CMD_PP);
    assert_true(esp_flash_read(&f, 0x20FE, r, 4));
    assert_int_equal(r[0], 0);
    assert_int_equal(r[2], 0xFF);
    assert_true(esp_flash_read(&f, 0x2000, r, 2));
    assert_int_equal(r[0], 0);
    assert_int_equal(r[1], 0);

    /* SE without WREN does nothing; with WREN erases the sector holding the address */
    esp_spi0_write(&f, ESP_SPI_ADDR, 0x1234, 4);
    spi_cmd(&f, CMD_SE);
    assert_true(esp_flash_read(&f, 0x1000, r, 1));
    assert_int_equal(r[0], 0x00);
    spi_cmd(&f, CMD_WREN);
    spi_cmd(&f, CMD_SE);
    assert_int_equal(spi_status(&f), 0);
    assert_true(esp_flash_read(&f, 0x1000, r, 16));
    for (unsigned i = 0; i < 16; i++)
        assert_int_equal(r[i], 0xFF);
    assert_true(esp_flash_read(&f, 0x2000, r, 1)); /* next sector untouched */
    assert_int_equal(r[0], 0x00);

    /* BE erases the 64 KB block */
    const uint8_t z[1] = {0};
    assert_true(esp_flash_program(&f, 0x1FFFF, z, 1));
    assert_true(esp_flash_program(&f, 0x20000, z, 1));
    spi_cmd(&f, CMD_WREN);
    esp_spi0_write(&f, ESP_SPI_ADDR, 0x12345, 4);
    spi_cmd(&f, CMD_BE);
    assert_true(esp_flash_read(&f, 0x1FFFF, r, 2));
    assert_int_equal(r[0], 0xFF);
    assert_int_equal(r[1], 0x00);
    assert_true(esp_flash_read(&f, 0x2000, r, 1)); /* block 0 untouched */
    assert_int_equal(r[0], 0x00);

    /* other registers keep what is written */
    esp_spi0_write(&f, ESP_SPI_CLOCK, 0x00043043u, 4);
    esp_spi0_write(&f, ESP_SPI_USER, 0x80000064u, 4);
    esp_spi0_write(&f, 0x20, 0x1234u, 4);
    esp_spi0_write(&f, ESP_SPI_EXT3, 0x5u, 4);
    esp_spi0_write(&f, ESP_SPI_USER + 2, 0xAB, 1);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_CLOCK, 4), 0x00043043u);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_USER, 4), 0x80AB0064u);
    assert_int_equal(esp_spi0_read(&f, 0x20, 4), 0x1234u);
    assert_int_equal(esp_spi0_read(&f, ESP_SPI_EXT3, 4), 0x5u);
    esp_flash_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_sizes),  cmocka_unit_test(test_program_erase),
        cmocka_unit_test(test_load_errors), cmocka_unit_test(test_load_and_persist),
        cmocka_unit_test(test_window),      cmocka_unit_test(test_spi0),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
