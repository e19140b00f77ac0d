/* models/rom/rom_internal.h — helpers shared by the ROM service models (not for other models).
 *
 * Calling convention of a service (CALL0 ABI, reference/lx106.md §2.6): arguments in a2..a7,
 * further ones at [a1 + 0], [a1 + 4], ... (a1 is the caller's stack pointer at entry); 64-bit
 * arguments take an even/odd register pair; results in a2 (64-bit: a2 low, a3 high). A service
 * returns with rom_return*(), which sets pc = a0; the wrapper in rom.c then charges the
 * service's fixed cycle cost. A service that needs more time charges it with xt_charge.
 * Guest memory is reached through the bus; a bad pointer raises the exception the ROM code
 * would have raised (rom_bad_ptr) instead of crashing the host.
 */
#ifndef MODELS_ROM_INTERNAL_H
#define MODELS_ROM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp8266/esp8266.h"
#include "prof.h"

static inline xt_cpu *rom_cpu(esp8266 *m)
{
    return &m->node.cpu;
}

/* Argument i (0-based) of a 32-bit-argument function. */
static inline uint32_t rom_arg(esp8266 *m, unsigned i)
{
    xt_cpu *c = rom_cpu(m);
    if (i < 6) return c->a[2 + i];
    uint32_t v = 0;
    sim_bus_read(&m->node.bus, c->a[1] + 4u * (i - 6u), 4, &v);
    return v;
}

static inline void rom_return(esp8266 *m, uint32_t value)
{
    xt_cpu *c = rom_cpu(m);
    c->a[2] = value;
    c->pc = c->a[0];
}

static inline void rom_return64(esp8266 *m, uint64_t value)
{
    xt_cpu *c = rom_cpu(m);
    c->a[2] = (uint32_t)value;
    c->a[3] = (uint32_t)(value >> 32);
    c->pc = c->a[0];
}

static inline void rom_return_void(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    c->pc = c->a[0];
}

/* Raises the exception the ROM routine would take on a bad pointer: a load/store fault at the
 * service's address with EXCVADDR = addr (28 LoadProhibited, 29 StoreProhibited or 3). */
void rom_bad_ptr(esp8266 *m, uint32_t addr, bool is_write);

/* Guest memory through the bus (RAM, ROM data, flash window, MMIO). Byte-granular copies work
 * on regions that only allow 32-bit access (the ROM code reads them word by word). On a fault
 * they raise rom_bad_ptr and return false: the service must return at once. */
bool rom_read(esp8266 *m, uint32_t addr, void *dst, size_t len);
bool rom_write(esp8266 *m, uint32_t addr, const void *src, size_t len);
bool rom_read32(esp8266 *m, uint32_t addr, uint32_t *v);
bool rom_write32(esp8266 *m, uint32_t addr, uint32_t v);
/* Reads a NUL-terminated string of at most max bytes (NUL included) into a malloc'd buffer;
 * NULL after a fault (exception raised) or if it is longer than max. */
char *rom_read_string(esp8266 *m, uint32_t addr, size_t max);

/* The 256-byte exception frame the vectors open at a1 (§4.4): +0 EPC1, +4 PS, +8 SAR, +16 a0,
 * +20..+72 a2..a15, +76 EXCCAUSE (a2..a4 already stored by the vector).
 * rom_frame_save completes it; false (nothing written) if a1 does not point into RAM.
 * rom_frame_return restores every register from it and returns from the exception like
 * _xtos_return_from_exc + RFE: pc = EPC1, PS with EXCM cleared, a1 = frame + 256. */
bool rom_frame_save(esp8266 *m);
void rom_frame_return(esp8266 *m, uint32_t cycles);

/* Installers of the hooks rom.c owns besides the service table (rom_boot.c, rom_exc.c). */
bool esp_rom_boot_init(esp_rom *r);
/* rom_sdk.c: the PHY table stubs (init) and the ROM-RAM tables the ROM fills at boot (reset). */
bool rom_sdk_init(esp_rom *r);
void rom_sdk_reset(esp8266 *m);
bool esp_rom_exc_init(esp_rom *r);

/* Advances the node clock by ps of virtual time (busy-waits such as ets_delay_us). */
void rom_spend_ps(esp8266 *m, uint64_t ps);

#endif
