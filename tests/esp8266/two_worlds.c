/* tests/esp8266/two_worlds.c — two worlds in one process do not see each other
 * (architecture.md §1): a world with one ESP8266 running FIRMWARE alone, and the same world
 * stepped in 1 ms slices alternately with a second world (another ESP8266 at 160 MHz and
 * +300 ppm running the same firmware), must produce byte-identical console output with
 * identical timestamps.
 * usage: two_worlds FIRMWARE.elf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "esp8266/esp8266.h"
#include "world.h"

typedef struct capture {
    char text[8192];
    uint64_t t[8192];
    size_t n;
} capture;

static void tw_console(void *opaque, unsigned uart, uint8_t byte, uint64_t t_ps)
{
    capture *c = opaque;
    if (uart != 0 || c->n == sizeof(c->text)) return;
    c->text[c->n] = (char)byte;
    c->t[c->n++] = t_ps;
}

typedef struct rig {
    sim_world w;
    esp8266 m;
    capture cap;
} rig;

static int tw_setup(rig *r, const sim_elf *elf, uint32_t mhz, int32_t ppm)
{
    char err[512];
    esp_config cfg = {.name = "n", .cpu_mhz = mhz, .ppm = ppm, .seed = 1};
    memset(r, 0, sizeof(*r));
    sim_world_init(&r->w, 100000000ull);
    if (!esp8266_init(&r->m, &cfg, err, sizeof(err)) ||
        !esp8266_load_elf(&r->m, elf, err, sizeof(err))) {
        fprintf(stderr, "two_worlds: %s\n", err);
        return 1;
    }
    r->m.console = tw_console;
    r->m.console_opaque = &r->cap;
    return sim_world_add(&r->w, &r->m.node) ? 0 : 1;
}

static void tw_free(rig *r)
{
    sim_world_free(&r->w);
    esp8266_free(&r->m);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: two_worlds FIRMWARE.elf\n");
        return 2;
    }
    char err[512];
    sim_elf elf;
    if (!sim_elf_open(&elf, argv[1], err, sizeof(err))) {
        fprintf(stderr, "two_worlds: %s\n", err);
        return 2;
    }
    const uint64_t end = 60000000000ull; /* 60 ms */
    rig *solo = calloc(1, sizeof(rig)), *a = calloc(1, sizeof(rig)), *b = calloc(1, sizeof(rig));
    if (!solo || !a || !b || tw_setup(solo, &elf, 80, 0) || tw_setup(a, &elf, 80, 0) ||
        tw_setup(b, &elf, 160, 300))
        return 1;
    sim_world_run_until(&solo->w, end, NULL);
    for (uint64_t t = 1000000000ull; t <= end; t += 1000000000ull) {
        sim_world_run_until(&a->w, t, NULL);
        sim_world_run_until(&b->w, t, NULL);
    }
    int rc = 0;
    if (solo->cap.n == 0 || solo->cap.n != a->cap.n ||
        memcmp(solo->cap.text, a->cap.text, solo->cap.n) ||
        memcmp(solo->cap.t, a->cap.t, solo->cap.n * sizeof(uint64_t))) {
        fprintf(
            stderr,
            "two_worlds: FAIL: interleaved world differs from the solo run (%zu vs %zu bytes)\n",
            a->cap.n, solo->cap.n);
        rc = 1;
    }
    if (b->cap.n == 0 || !memcmp(b->cap.t, solo->cap.t, sizeof(uint64_t))) {
        fprintf(stderr, "two_worlds: FAIL: the second world did not run on its own clock\n");
        rc = 1;
    }
    if (!rc)
        printf("two_worlds: %zu console bytes identical with and without a second world in the "
               "process\n",
               solo->cap.n);
    tw_free(solo);
    tw_free(a);
    tw_free(b);
    free(solo);
    free(a);
    free(b);
    sim_elf_close(&elf);
    return rc;
}
