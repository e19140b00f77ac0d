/* sim/bus.c — region table and page map; see bus.h for the contract. */
#include "bus.h"

#include <stdlib.h>
#include <string.h>

void sim_bus_init(sim_bus *bus)
{
    memset(bus, 0, sizeof(*bus));
    bus->nregions = 1; /* index 0 means "unmapped" */
}

void sim_bus_free(sim_bus *bus)
{
    for (unsigned i = 0; i < 1024; i++)
        free(bus->l2[i]);
    memset(bus, 0, sizeof(*bus));
}

unsigned sim_bus_add(sim_bus *bus, const sim_bus_region *region)
{
    if (bus->nregions >= SIM_BUS_MAX_REGIONS) return 0;
    if (region->size == 0 || (region->base | region->size) & (SIM_BUS_PAGE_SIZE - 1)) return 0;
    uint64_t end = (uint64_t)region->base + region->size;
    if (end > 0x100000000ull) return 0;
    for (uint64_t a = region->base; a < end; a += SIM_BUS_PAGE_SIZE)
        if (sim_bus_find(bus, (uint32_t)a)) return 0;
    unsigned idx = bus->nregions;
    for (uint64_t a = region->base; a < end; a += SIM_BUS_PAGE_SIZE) {
        uint32_t hi = (uint32_t)(a >> 22);
        if (!bus->l2[hi]) {
            bus->l2[hi] = calloc(1024, 1);
            if (!bus->l2[hi]) return 0;
        }
        bus->l2[hi][(a >> SIM_BUS_PAGE_BITS) & 1023u] = (uint8_t)idx;
    }
    bus->regions[idx] = *region;
    bus->nregions++;
    return idx;
}

static sim_bus_fault bus_check(const sim_bus_region *r, unsigned need, unsigned size)
{
    if (!r) return SIM_BUS_UNMAPPED;
    if (!(r->flags & need)) return SIM_BUS_PROHIBITED;
    if ((r->flags & SIM_BUS_DATA32) && size != 4) return SIM_BUS_BAD_SIZE;
    return SIM_BUS_OK;
}

static inline bool bus_inside(const sim_bus_region *r, uint32_t addr, unsigned size)
{
    return (uint64_t)(addr - r->base) + size <= r->size;
}

sim_bus_fault sim_bus_read(sim_bus *bus, uint32_t addr, unsigned size, uint32_t *value)
{
    const sim_bus_region *r = sim_bus_find(bus, addr);
    sim_bus_fault f = bus_check(r, SIM_BUS_R, size);
    if (f) return f;
    if (!bus_inside(r, addr, size)) {
        /* Straddles a region end: assemble byte by byte (little-endian). */
        uint32_t v = 0;
        for (unsigned i = 0; i < size; i++) {
            uint32_t b;
            f = sim_bus_read(bus, addr + i, 1, &b);
            if (f) return f;
            v |= b << (8 * i);
        }
        *value = v;
        return SIM_BUS_OK;
    }
    uint32_t off = addr - r->base;
    if (r->host) {
        const uint8_t *p = r->host + off;
        uint32_t v = p[0];
        if (size > 1) v |= (uint32_t)p[1] << 8;
        if (size > 2) v |= (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        *value = v;
    } else {
        *value = r->read ? r->read(r->opaque, off, size) : 0;
    }
    return SIM_BUS_OK;
}

sim_bus_fault sim_bus_write(sim_bus *bus, uint32_t addr, unsigned size, uint32_t value)
{
    const sim_bus_region *r = sim_bus_find(bus, addr);
    sim_bus_fault f = bus_check(r, SIM_BUS_W, size);
    if (f) return f;
    if (!bus_inside(r, addr, size)) {
        for (unsigned i = 0; i < size; i++) {
            f = sim_bus_write(bus, addr + i, 1, (value >> (8 * i)) & 0xFF);
            if (f) return f;
        }
        return SIM_BUS_OK;
    }
    if (r->flags & SIM_BUS_WIGNORE) return SIM_BUS_OK;
    uint32_t off = addr - r->base;
    if (r->host) {
        uint8_t *p = r->host + off;
        p[0] = (uint8_t)value;
        if (size > 1) p[1] = (uint8_t)(value >> 8);
        if (size > 2) {
            p[2] = (uint8_t)(value >> 16);
            p[3] = (uint8_t)(value >> 24);
        }
        if (r->flags & SIM_BUS_CODE) bus->code_gen++;
    } else if (r->write) {
        r->write(r->opaque, off, value, size);
    }
    return SIM_BUS_OK;
}

static bool bus_host_span(const sim_bus *bus, uint32_t addr, size_t len)
{
    uint64_t a = addr, end = (uint64_t)addr + len;
    if (end > 0x100000000ull) return false;
    while (a < end) {
        const sim_bus_region *r = sim_bus_find(bus, (uint32_t)a);
        if (!r || !r->host) return false;
        a = (uint64_t)r->base + r->size;
    }
    return true;
}

bool sim_bus_poke(sim_bus *bus, uint32_t addr, const void *src, size_t len)
{
    if (!bus_host_span(bus, addr, len)) return false;
    const uint8_t *s = src;
    while (len) {
        const sim_bus_region *r = sim_bus_find(bus, addr);
        uint32_t off = addr - r->base;
        size_t n = r->size - off;
        if (n > len) n = len;
        memcpy(r->host + off, s, n);
        if (r->flags & SIM_BUS_CODE) bus->code_gen++;
        s += n;
        addr += (uint32_t)n;
        len -= n;
    }
    return true;
}

bool sim_bus_peek(const sim_bus *bus, uint32_t addr, void *dst, size_t len)
{
    if (!bus_host_span(bus, addr, len)) return false;
    uint8_t *d = dst;
    while (len) {
        const sim_bus_region *r = sim_bus_find(bus, addr);
        uint32_t off = addr - r->base;
        size_t n = r->size - off;
        if (n > len) n = len;
        memcpy(d, r->host + off, n);
        d += n;
        addr += (uint32_t)n;
        len -= n;
    }
    return true;
}
