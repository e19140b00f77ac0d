/* models/rom/rom_boot.c — what the boot ROM does from _ResetVector to the application
 * (reference/lx106.md §5.1, §5.2), run as a hook at the reset vector:
 *   - the banner " ets Jan  8 2013,rst cause:N, boot mode:(M,6)" and, per segment,
 *     "load 0x..., len N, room 16" / "tail N" / "chksum 0x..", then "csum 0x..", sent on UART0
 *     at 74880 baud (the ROM's 115200 divisor at 52 MHz) with real line timing;
 *   - the v1 image at flash offset 0 checked and its segments copied into RAM;
 *   - the CPU handed to the entry point as §5.1 describes: a0 = ESP_ROM_USER_RETURN,
 *     a1 = 0x3FFFFFF0, PS = 0x20, VECBASE = 0x40000000, INTENABLE = 0, flash window off.
 * A bad image stops the node (the chip prints "ets_main.c 181" and hangs).
 * The "room" and "tail" numbers are not known to match the chip's; everything else does.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "esp8266/image.h"
#include "rom_internal.h"

#define ROM_BOOT_BAUD 74880u

/* Sends ROM text on UART0 at 74880 baud (8N1) from now on and advances the clock past it.
 * '\n' goes out as "\r\n" like the ROM's UART writer does. */
static void rom_boot_emit(esp8266 *m, const sim_text *t)
{
    const uint64_t frame_ps = 10ull * 1000000000000ull / ROM_BOOT_BAUD;
    uint64_t t0 = sim_node_now(&m->node);
    uint64_t k = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (t->buf[i] == '\n') esp8266_console_byte(m, 0, '\r', t0 + ++k * frame_ps);
        esp8266_console_byte(m, 0, (uint8_t)t->buf[i], t0 + ++k * frame_ps);
    }
    rom_spend_ps(m, k * frame_ps);
}

static void rom_boot_hook(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    xt_cpu *c = &n->cpu;
    (void)pc;
    sim_text t = {.len = 0};
    uint32_t cause = esp_rtc_reset_reason(&m->soc);
    sim_text_add(&t, "\n ets Jan  8 2013,rst cause:%u, boot mode:(%u,6)\n\n", cause,
                 m->soc.strap & 7u);
    esp_image_info info;
    char err[256];
    bool ok =
        esp_image_parse(m->flash.data, m->flash.size, "flash offset 0", &info, err, sizeof(err));
    if (!ok && info.nsegs == 0) {
        sim_text_add(&t, "ets_main.c 181 \n");
        rom_boot_emit(m, &t);
        sim_node_fault(n, "boot ROM: no bootable image: %s", err);
        return;
    }
    uint8_t sum = 0xEF;
    for (unsigned i = 0; i < info.nsegs; i++) {
        const esp_image_seg *s = &info.segs[i];
        sim_text_add(&t, "load 0x%08x, len %u, room 16 \n", s->addr, s->len);
        sim_bus_poke(&n->bus, s->addr, m->flash.data + s->offset, s->len);
        for (uint32_t k = 0; k < s->len; k++)
            sum ^= m->flash.data[s->offset + k];
        sim_text_add(&t, "tail %u\nchksum 0x%02x\n", s->len & 15u, sum);
    }
    sim_text_add(&t, "csum 0x%02x\n", info.checksum_stored);
    rom_boot_emit(m, &t);
    if (!ok) {
        sim_node_fault(n, "boot ROM: %s", err);
        return;
    }
    /* The ROM's main installs its UART printf and fatal-exception handlers, then calls the
     * entry with CALLX0 (§5.1). */
    m->entry = info.entry;
    c->pc = info.entry;
    c->a[0] = ESP_ROM_USER_RETURN;
    c->a[1] = 0x3FFFFFF0u;
    c->sr[XT_SR_PS] = 0x20u;
    c->sr[XT_SR_VECBASE] = 0x40000000u;
    c->sr[XT_SR_INTENABLE] = 0;
    c->check_irq = true;
}

/* The application returned into the ROM's main: it prints "user code done" and runs the task
 * scheduler, ets_run (§5.1 step 5). */
static void rom_user_return_hook(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    (void)pc;
    sim_text t = {.len = 0};
    sim_text_add(&t, "user code done\n");
    rom_boot_emit(m, &t);
    n->cpu.a[0] = ESP_ROM_USER_RETURN;
    n->cpu.pc = 0x40000E04u; /* ets_run */
}

bool esp_rom_boot_init(esp_rom *r)
{
    esp8266 *m = r->chip;
    return sim_node_hook(&m->node, ESP_ROM_RESET_VECTOR, ESP_ROM_RESET_VECTOR, rom_boot_hook, m,
                         "_ResetVector") &&
           sim_node_hook(&m->node, ESP_ROM_USER_RETURN, ESP_ROM_USER_RETURN, rom_user_return_hook,
                         m, "main (user code returned)");
}
