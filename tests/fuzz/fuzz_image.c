/* fuzz_image: arbitrary bytes as a v1 image and as a whole flash dump through the path
 * `espsim run --flash` takes (esp8266_load_flash_bytes, models/esp8266). Nothing may crash, leak
 * or trip UBSan, and (abort otherwise):
 * - parser: esp_image_parse of the input at offset 0 and at 0x1000 (the second image of the
 *   eboot / boot_v1.x layouts): an error is one line; a parsed image lies inside the input, its
 *   segments in IRAM or DRAM, its checksum byte at size - 1 with size % 16 == 0 and matching;
 * - the input as given is refused as a dump (all inputs are < 512 KB) with one line;
 * - the input padded with 0xFF (erased flash) to the flash size its header names (nibble 0:
 *   512 KB, 3 or 5: 2 MB, else 1 MB) is loaded twice on one machine: both loads give the same
 *   verdict and message, the parser's verdict on the padded dump; a refused load leaves the
 *   machine unchanged; each load is a power-on reset and the dump is then the flash;
 * - a loaded dump boots (boot ROM, the image's code: a second-stage loader, an app) for at most
 *   FZ_INSNS instructions and FZ_TIME_PS of virtual time; a second machine, allocated while the
 *   first still is (other host addresses), must give the same UART bytes at the same times and
 *   the same end state (determinism);
 * - a dump refused only for its checksum is also booted with the checksum byte repaired, so
 *   mutated code runs (a random mutation rarely keeps the checksum right). */
#include <stdlib.h>
#include <string.h>

#include "esp8266/esp8266.h"
#include "esp8266/image.h"
#include "fuzz.h"

#define FZ_INSNS    200000ull               /* guest instructions per boot, at most */
#define FZ_TIME_PS  (50ull * 1000000000ull) /* 50 ms of virtual time, at most */
#define FZ_SLICE_PS (1ull * 1000000000ull)  /* run in 1 ms slices to count instructions */
#define FZ_USER1    0x1000u                 /* second image of the two-image layouts */
#define FZ_DUMP_MIN (512u << 10)            /* the smallest dump esp8266 accepts */
#define FZ_HASH0    0xCBF29CE484222325ull

/* An error message: one line, not empty. */
static void fz_check_err(const char *err)
{
    fuzz_check(err[0] != 0 && strchr(err, '\n') == NULL);
}

static void fz_console(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps)
{
    fuzz_mix(opaque, t_ps ^ (uint64_t)uart << 62 ^ (uint64_t)byte << 48);
}

/* The parser on a copy of exactly size bytes, so ASan sees any read past the end (the driver's
 * and the dump's buffers are larger than the input). */
static void fz_parse(const uint8_t *input, size_t size)
{
    uint8_t *data = malloc(size ? size : 1);
    fuzz_check(data != NULL);
    if (size) memcpy(data, input, size);
    esp_image_info info;
    char err[512] = "";
    bool ok = esp_image_parse(data, size, "fuzz", &info, err, sizeof(err));
    fuzz_check(info.size <= size); /* also when only the checksum or the entry is wrong */
    if (!ok) {
        fz_check_err(err);
        free(data);
        return;
    }
    fuzz_check(info.nsegs >= 1 && info.nsegs <= ESP_IMAGE_MAX_SEG);
    fuzz_check(info.size % 16 == 0);
    fuzz_check(info.checksum_stored == data[info.size - 1]);
    fuzz_check(info.checksum_stored == info.checksum_computed);
    uint8_t sum = 0xEF;
    for (unsigned i = 0; i < info.nsegs; i++) {
        const esp_image_seg *s = &info.segs[i];
        fuzz_check(s->offset >= 16 && s->offset <= info.size && s->len < info.size - s->offset);
        fuzz_check(esp_image_ram_range(s->addr, s->len));
        for (uint32_t k = 0; k < s->len; k++)
            sum ^= data[s->offset + k];
    }
    fuzz_check(sum == info.checksum_computed);
    free(data);
}

static esp8266 *fz_machine(uint64_t *hash)
{
    esp_config cfg = {.name = "fuzz", .cpu_mhz = 80, .seed = 1};
    char err[256];
    esp8266 *m = calloc(1, sizeof(*m));
    fuzz_check(m != NULL);
    fuzz_check(esp8266_init(m, &cfg, err, sizeof(err)));
    m->console = fz_console;
    m->console_opaque = hash;
    return m;
}

static void fz_free(esp8266 *m)
{
    esp8266_free(m);
    free(m);
}

/* Right after a load: a power-on reset (the resets-th), the CPU at the ROM's reset vector. */
static bool fz_fresh_boot(const esp8266 *m, unsigned resets)
{
    return m->reset_count == resets && m->last_reset == ESP_RESET_POWER_ON &&
           m->node.cpu.pc == ESP_ROM_RESET_VECTOR && m->node.state == SIM_NODE_RUNNING;
}

/* Boots the loaded dump for the bounded time; returns the hash of its output and end state. */
static uint64_t fz_run(esp8266 *m, uint64_t *hash)
{
    uint64_t insns = 0, last = m->node.cpu.insns;
    for (uint64_t t = FZ_SLICE_PS; t <= FZ_TIME_PS && insns < FZ_INSNS; t += FZ_SLICE_PS) {
        sim_node_state st = sim_node_run_until(&m->node, t);
        uint64_t now = m->node.cpu.insns; /* counts from 0 again after a reset */
        insns += now >= last ? now - last : now;
        last = now;
        if (st != SIM_NODE_RUNNING) break;
    }
    const xt_cpu *c = &m->node.cpu;
    fuzz_mix(hash, c->pc);
    fuzz_mix(hash, c->cycles);
    fuzz_mix(hash, c->insns);
    fuzz_mix(hash, m->node.state);
    fuzz_mix(hash, m->reset_count);
    for (unsigned i = 0; i < 16; i++)
        fuzz_mix(hash, c->a[i]);
    for (const char *p = m->node.fault_msg; *p; p++)
        fuzz_mix(hash, (uint8_t)*p);
    return *hash;
}

/* Loads dump twice on m (a fresh machine, or one only refused loads have touched) and checks
 * the verdicts against the parser's. When it loads, boots it, boots it the same way on a second
 * fresh machine and compares; m is freed then. Returns whether it loaded. */
static bool fz_dump(esp8266 *m, uint64_t *hash, const uint8_t *dump, size_t size)
{
    esp_image_info info;
    char perr[512] = "";
    bool parsed = esp_image_parse(dump, size, ESP_FLASH_DUMP_NAME, &info, perr, sizeof(perr));
    const uint8_t *flash_before = m->flash.data;
    unsigned resets_before = m->reset_count;
    char err1[512] = "", err2[512] = "";
    bool ok1 = esp8266_load_flash_bytes(m, dump, size, err1, sizeof(err1));
    fuzz_check(!ok1 || fz_fresh_boot(m, resets_before + 1));
    bool ok2 = esp8266_load_flash_bytes(m, dump, size, err2, sizeof(err2));
    fuzz_check(!ok2 || fz_fresh_boot(m, resets_before + 2));
    fuzz_check(ok1 == ok2 && strcmp(err1, err2) == 0);
    fuzz_check(ok1 == parsed && (ok1 || strcmp(err1, perr) == 0));
    if (!ok1) {
        fz_check_err(err1);
        fuzz_check(m->flash.data == flash_before && m->reset_count == resets_before);
        return false;
    }
    fuzz_check(m->flash.size == size && memcmp(m->flash.data, dump, size) == 0);
    fuzz_check(m->flash.dump && !m->flash.path && m->entry == info.entry);
    uint64_t r1 = fz_run(m, hash);

    /* m stays allocated, so m2's memory is elsewhere: host addresses must not matter either */
    uint64_t h2 = FZ_HASH0;
    esp8266 *m2 = fz_machine(&h2);
    /* the same two loads: each power-on reset draws the next RTC-memory garbage */
    fuzz_check(esp8266_load_flash_bytes(m2, dump, size, err2, sizeof(err2)));
    fuzz_check(esp8266_load_flash_bytes(m2, dump, size, err2, sizeof(err2)));
    uint64_t r2 = fz_run(m2, &h2);
    fz_free(m2);
    fz_free(m);
    fuzz_check(r1 == r2);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= FZ_DUMP_MIN) return 0; /* the first bytes of a dump (libFuzzer -max_len 64 KB) */
    fz_parse(data, size);
    if (size > FZ_USER1) fz_parse(data + FZ_USER1, size - FZ_USER1);

    uint64_t h1 = FZ_HASH0;
    esp8266 *m = fz_machine(&h1);
    const uint8_t *flash_before = m->flash.data;
    unsigned resets_before = m->reset_count;
    char err[512] = "";
    fuzz_check(!esp8266_load_flash_bytes(m, data, size, err, sizeof(err)));
    fz_check_err(err);
    fuzz_check(strstr(err, ESP_FLASH_DUMP_NAME ": flash size ") == err);
    fuzz_check(m->flash.data == flash_before && m->reset_count == resets_before);

    unsigned nib = size > 3 ? data[3] >> 4 : 0;
    size_t dump_size = nib == 0 ? FZ_DUMP_MIN : nib == 3 || nib == 5 ? 2u << 20 : 1u << 20;
    uint8_t *dump = malloc(dump_size);
    fuzz_check(dump != NULL);
    memset(dump, 0xFF, dump_size);
    if (size) memcpy(dump, data, size);
    bool loaded = fz_dump(m, &h1, dump, dump_size);
    if (!loaded) {
        /* refused for its checksum only: repair it and boot the mutated code too (m is still
         * as fresh, refused loads change nothing) */
        esp_image_info info;
        if (!esp_image_parse(dump, dump_size, "fuzz", &info, err, sizeof(err)) && info.size &&
            info.checksum_stored != info.checksum_computed) {
            dump[info.size - 1] = info.checksum_computed;
            loaded = fz_dump(m, &h1, dump, dump_size);
        }
    }
    if (!loaded) fz_free(m);
    free(dump);
    return 0;
}
