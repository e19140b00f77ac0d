/* sim/bus.h — a node's physical address space.
 *
 * A bus is a list of non-overlapping regions, each either host memory (RAM, ROM, flash window)
 * or MMIO callbacks with an opaque pointer. Regions are 4 KB aligned in base and size; a
 * two-level page table maps every 4 KB page to its region. The bus knows no CPU and no chip:
 * machines (models/) build it, the CPU (sim/xt) reads and writes through it.
 *
 * Faults are reported as sim_bus_fault values; the CPU turns them into the exception causes its
 * machine configured (xt_cpu.fault_cause).
 */
#ifndef SIM_BUS_H
#define SIM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_BUS_PAGE_BITS   12u
#define SIM_BUS_PAGE_SIZE   (1u << SIM_BUS_PAGE_BITS)
#define SIM_BUS_MAX_REGIONS 32u

/* Region flags. */
enum {
    SIM_BUS_R = 1u << 0,       /* data reads allowed */
    SIM_BUS_W = 1u << 1,       /* data writes allowed */
    SIM_BUS_X = 1u << 2,       /* instruction fetch allowed */
    SIM_BUS_DATA32 = 1u << 3,  /* data access must be 32 bits wide (ESP8266 IRAM/ROM/flash) */
    SIM_BUS_WIGNORE = 1u << 4, /* writes are accepted and dropped (QEMU ROM behaviour) */
    SIM_BUS_HOOK = 1u << 5,    /* instruction fetch here is handed to the CPU's hook callback */
    SIM_BUS_CODE = 1u << 6,    /* writes bump the code generation (invalidate predecode) */
    SIM_BUS_CACHED = 1u << 7,  /* fetches and reads go through the CPU's cache timing model */
};

typedef enum sim_bus_access {
    SIM_BUS_READ = 0,
    SIM_BUS_WRITE = 1,
    SIM_BUS_FETCH = 2,
} sim_bus_access;

typedef enum sim_bus_fault {
    SIM_BUS_OK = 0,
    SIM_BUS_UNMAPPED,   /* no region at this address */
    SIM_BUS_PROHIBITED, /* region forbids this kind of access (no R/W/X flag) */
    SIM_BUS_BAD_SIZE,   /* region rejects this access width (SIM_BUS_DATA32) */
    SIM_BUS_FAULT_COUNT
} sim_bus_fault;

/* MMIO callbacks. offset is relative to the region base; size is 1, 2 or 4 bytes; values are
 * little-endian and zero-extended. */
typedef uint32_t (*sim_mmio_read_fn)(void *opaque, uint32_t offset, unsigned size);
typedef void (*sim_mmio_write_fn)(void *opaque, uint32_t offset, uint32_t value, unsigned size);

typedef struct sim_bus_region {
    const char *name; /* static string, for messages */
    uint32_t base;
    uint32_t size; /* bytes, multiple of SIM_BUS_PAGE_SIZE */
    unsigned flags;
    /* Extra CPU cycles per data read / write here (timing model, docs/timing-model.md). */
    uint8_t read_wait, write_wait;
    uint8_t *host; /* backing memory (size bytes) or NULL for MMIO */
    sim_mmio_read_fn read;
    sim_mmio_write_fn write;
    void *opaque;
} sim_bus_region;

typedef struct sim_bus {
    sim_bus_region regions[SIM_BUS_MAX_REGIONS]; /* index 0 unused: page entry 0 = unmapped */
    unsigned nregions;
    uint8_t *l2[1024]; /* per 4 MB: 1024 page entries holding a region index, or NULL */
    uint32_t code_gen; /* bumped on every write to a SIM_BUS_CODE region */
} sim_bus;

void sim_bus_init(sim_bus *bus);
void sim_bus_free(sim_bus *bus);

/* Adds a region; returns its index (> 0), or 0 if it is misaligned, overlaps another region or
 * the table is full. For RAM pass host != NULL; the bus does not own host memory. */
unsigned sim_bus_add(sim_bus *bus, const sim_bus_region *region);

/* The region covering addr, or NULL. */
static inline const sim_bus_region *sim_bus_find(const sim_bus *bus, uint32_t addr)
{
    const uint8_t *l2 = bus->l2[addr >> 22];
    if (!l2) return NULL;
    unsigned idx = l2[(addr >> SIM_BUS_PAGE_BITS) & 1023u];
    return idx ? &bus->regions[idx] : NULL;
}

/* Data access of size 1, 2 or 4 bytes. Alignment is the CPU's business; an access that
 * crosses a region boundary is handled byte by byte. */
sim_bus_fault sim_bus_read(sim_bus *bus, uint32_t addr, unsigned size, uint32_t *value);
sim_bus_fault sim_bus_write(sim_bus *bus, uint32_t addr, unsigned size, uint32_t value);

/* Host-side bulk access for loaders and debuggers: ignores R/W/DATA32 flags, works only on
 * host-backed regions. Returns false (and copies nothing) if any byte is not host memory. */
bool sim_bus_poke(sim_bus *bus, uint32_t addr, const void *src, size_t len);
bool sim_bus_peek(const sim_bus *bus, uint32_t addr, void *dst, size_t len);

#endif
