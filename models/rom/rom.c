/* models/rom/rom.c — installing the ROM models, the ROM-owned RAM at reset, the report for ROM
 * addresses without a model, and the guest-memory helpers of rom_internal.h. The services
 * themselves live in rom_services.c and the files it lists; the boot model in rom_boot.c and the
 * exception vectors in rom_exc.c. */
#include "rom.h"

#include <stdlib.h>
#include <string.h>

#include "rom_internal.h"
#include "rom_symbols.inc"

/* ---- ROM symbol names ---------------------------------------------------------------------- */

typedef struct rom_sym {
    const char *name;
    uint32_t addr;
} rom_sym;

static const rom_sym rom_syms[] = {
#define ROM_SYM(n, a) {#n, a},
    ESP_ROM_FUNCS(ROM_SYM)
#undef ROM_SYM
};

const char *esp_rom_nearest(uint32_t addr, uint32_t *offset)
{
    size_t n = sizeof(rom_syms) / sizeof(rom_syms[0]);
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first symbol above addr */
        size_t mid = (lo + hi) / 2;
        if (rom_syms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || addr < 0x40000000u || addr >= 0x40010000u) return NULL;
    *offset = addr - rom_syms[lo - 1].addr;
    return rom_syms[lo - 1].name;
}

const char *esp_rom_name(uint32_t addr)
{
    size_t lo = 0, hi = sizeof(rom_syms) / sizeof(rom_syms[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rom_syms[mid].addr < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sizeof(rom_syms) / sizeof(rom_syms[0]) && rom_syms[lo].addr == addr
               ? rom_syms[lo].name
               : NULL;
}

/* ---- hooks ---------------------------------------------------------------------------------- */

typedef struct rom_hook_ctx {
    esp8266 *m;
    const esp_rom_service *svc;
} rom_hook_ctx;

static void rom_service_hook(void *opaque, sim_node *n, uint32_t pc)
{
    const rom_hook_ctx *ctx = opaque;
    (void)n;
    (void)pc;
    ctx->svc->fn(ctx->m);
    xt_charge(&ctx->m->node.cpu, ctx->svc->cycles);
}

/* A ROM address without a model: stop with the name, the address and the caller. */
static void rom_unhooked(void *opaque, sim_node *n, uint32_t pc)
{
    esp8266 *m = opaque;
    const char *name = esp_rom_name(pc);
    char from[256];
    uint32_t ra = n->cpu.a[0];
    esp8266_symbolize(m, ra >= 3 ? ra - 3 : ra, from, sizeof(from));
    if (name)
        sim_node_fault(n, "unimplemented ROM function %s (0x%08x) called from %s", name, pc, from);
    else
        sim_node_fault(n,
                       "execution reached ROM address 0x%08x, which is not the start of a ROM "
                       "function (a0 points after %s)",
                       pc, from);
}

bool esp_rom_init(esp_rom *r, esp8266 *m)
{
    memset(r, 0, sizeof(*r));
    r->chip = m;
    size_t n;
    const esp_rom_service *svc = esp_rom_services(&n);
    r->hook_ctx = calloc(n ? n : 1, sizeof(rom_hook_ctx));
    if (!r->hook_ctx) return false;
    rom_hook_ctx *ctx = r->hook_ctx;
    for (size_t i = 0; i < n; i++) {
        ctx[i] = (rom_hook_ctx){m, &svc[i]};
        if (!sim_node_hook(&m->node, svc[i].addr, svc[i].addr, rom_service_hook, &ctx[i],
                           svc[i].name))
            return false;
    }
    m->node.unhooked = rom_unhooked;
    m->node.unhooked_opaque = m;
    return esp_rom_boot_init(r) && esp_rom_exc_init(r) && rom_sdk_init(r);
}

void esp_rom_free(esp_rom *r)
{
    free(r->hook_ctx);
    free(r->out);
    memset(r, 0, sizeof(*r));
}

/* ---- ROM-owned RAM at reset (§4.1) -------------------------------------------------------- */

static void rom_put32(esp8266 *m, uint32_t addr, uint32_t v)
{
    sim_bus_poke(&m->node.bus, addr, &v, 4);
}

void esp_rom_reset(esp_rom *r)
{
    esp8266 *m = r->chip;
    r->out_len = r->out_pos = 0;
    r->out_stage = 0;
    /* exception dispatch table, indexed by EXCCAUSE */
    for (uint32_t i = 0; i < 64; i++) {
        uint32_t h = ESP_ROM_UNHANDLED_EXC;
        if (i == 1)
            h = 0x4000DBE4u; /* _xtos_syscall_handler */
        else if (i == 4)
            h = 0x4000048Cu; /* _xtos_l1int_handler */
        else if (i == 5)
            h = 0x4000DBE0u; /* _xtos_alloca_handler */
        else if (i >= 12 && i <= 15)
            h = 0x40000590u; /* _xtos_cause3_handler */
        rom_put32(m, ESP_ROM_EXC_TABLE + 4 * i, h);
        rom_put32(m, ESP_ROM_EXC_CTABLE + 4 * i, 0x4000DBF8u); /* _xtos_p_none */
    }
    rom_put32(m, ESP_ROM_INT_ENABLED, 0);
    rom_put32(m, ESP_ROM_INT_VPRI, 0xFFFFFFFFu);
    for (uint32_t n = 0; n < 15; n++) {
        rom_put32(m, 0x3FFFC278u - 8 * n, 0x4000DC3Cu); /* _xtos_unhandled_interrupt */
        rom_put32(m, 0x3FFFC27Cu - 8 * n, 0);
    }
    rom_put32(m, ESP_ROM_CPU_MHZ, 52); /* the ROM runs from the 26 MHz crystal x 2 (§5.1) */
    /* SpiFlashChip descriptor and its pointer */
    rom_put32(m, 0x3FFFC714u, 0x3FFFC718u);
    const uint32_t chip[6] = {0x001640EFu, (uint32_t)m->flash.size, 0x10000u, 0x1000u, 0x100u,
                              0xFFFFu};
    for (unsigned i = 0; i < 6; i++)
        rom_put32(m, 0x3FFFC718u + 4 * i, chip[i]);
    rom_put32(m, 0x3FFFDAACu, ESP_ROM_EXC_TABLE);
    /* strings of the ROM's data that firmware reads by address (rom.h) */
    static const struct {
        uint32_t addr;
        const char *s;
    } strs[] = {
        {ESP_ROM_STR_EPC, "epc1=0x%08x, epc2=0x%08x, epc3=0x%08x, excvaddr=0x%08x, depc=0x%08x\n"},
        {ESP_ROM_STR_FATAL, "Fatal exception (%d): \n"},
        {ESP_ROM_STR_DIGITS, "0123456789abcdef"},
        {ESP_ROM_STR_DIGITS_X, "0123456789ABCDEF"},
        {ESP_ROM_STR_NULL, "<null>"},
    };
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        sim_bus_poke(&m->node.bus, strs[i].addr, strs[i].s, strlen(strs[i].s) + 1);
    /* printf hooks: putc1 = the ROM's UART writer (the ROM's main installs it), putc2 none */
    rom_put32(m, ESP_ROM_PUTC1, ESP_ROM_UART_PUTC);
    rom_put32(m, ESP_ROM_PUTC2, 0);
    /* the chip-id word esptool reads (§3.12), in the ROM's data */
    uint32_t magic = 0xFFF0C101u;
    memcpy(m->rom_mem + 0x1000, &magic, 4);
    rom_sdk_reset(m);
}

/* ---- guest memory helpers (rom_internal.h) -------------------------------------------------- */

void rom_bad_ptr(esp8266 *m, uint32_t addr, bool is_write)
{
    xt_cpu *c = &m->node.cpu;
    unsigned cause;
    if (addr < 0x20000000u)
        cause = is_write ? XT_CAUSE_STORE_PROHIBITED : XT_CAUSE_LOAD_PROHIBITED;
    else
        cause = XT_CAUSE_LOAD_STORE_ERROR;
    xt_exception(c, cause, addr);
}

/* One byte through the bus; regions that accept only 32-bit data are read as words. */
static bool rom_byte(esp8266 *m, uint32_t addr, uint8_t *b)
{
    uint32_t w;
    if (addr < 0x20000000u) return false;
    if (sim_bus_read(&m->node.bus, addr, 1, &w) == SIM_BUS_OK) {
        *b = (uint8_t)w;
        return true;
    }
    if (sim_bus_read(&m->node.bus, addr & ~3u, 4, &w) != SIM_BUS_OK) return false;
    *b = (uint8_t)(w >> (8 * (addr & 3u)));
    return true;
}

bool rom_read(esp8266 *m, uint32_t addr, void *dst, size_t len)
{
    if (len && sim_bus_peek(&m->node.bus, addr, dst, len) && addr >= 0x20000000u) return true;
    uint8_t *d = dst;
    for (size_t i = 0; i < len; i++) {
        if (!rom_byte(m, addr + (uint32_t)i, &d[i])) {
            rom_bad_ptr(m, addr + (uint32_t)i, false);
            return false;
        }
    }
    return true;
}

bool rom_write(esp8266 *m, uint32_t addr, const void *src, size_t len)
{
    const uint8_t *s = src;
    for (size_t i = 0; i < len; i++) {
        uint32_t a = addr + (uint32_t)i;
        const sim_bus_region *r = sim_bus_find(&m->node.bus, a);
        bool ok = a >= 0x20000000u && r && (r->flags & SIM_BUS_W);
        if (ok && (r->flags & SIM_BUS_DATA32)) {
            uint32_t w;
            ok = sim_bus_read(&m->node.bus, a & ~3u, 4, &w) == SIM_BUS_OK;
            w = (w & ~(0xFFu << (8 * (a & 3u)))) | (uint32_t)s[i] << (8 * (a & 3u));
            ok = ok && sim_bus_write(&m->node.bus, a & ~3u, 4, w) == SIM_BUS_OK;
        } else if (ok) {
            ok = sim_bus_write(&m->node.bus, a, 1, s[i]) == SIM_BUS_OK;
        }
        if (!ok) {
            rom_bad_ptr(m, a, true);
            return false;
        }
    }
    return true;
}

bool rom_read32(esp8266 *m, uint32_t addr, uint32_t *v)
{
    if (addr >= 0x20000000u && !(addr & 3u) && sim_bus_read(&m->node.bus, addr, 4, v) == SIM_BUS_OK)
        return true;
    uint8_t b[4];
    if (!rom_read(m, addr, b, 4)) return false;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

bool rom_write32(esp8266 *m, uint32_t addr, uint32_t v)
{
    if (addr >= 0x20000000u && !(addr & 3u) &&
        sim_bus_write(&m->node.bus, addr, 4, v) == SIM_BUS_OK)
        return true;
    const uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return rom_write(m, addr, b, 4);
}

char *rom_read_string(esp8266 *m, uint32_t addr, size_t max)
{
    char *s = malloc(max ? max : 1);
    if (!s) return NULL;
    for (size_t i = 0; i < max; i++) {
        uint8_t b;
        if (!rom_byte(m, addr + (uint32_t)i, &b)) {
            rom_bad_ptr(m, addr + (uint32_t)i, false);
            free(s);
            return NULL;
        }
        s[i] = (char)b;
        if (!b) return s;
    }
    free(s);
    return NULL;
}

void rom_spend_ps(esp8266 *m, uint64_t ps)
{
    sim_node *n = &m->node;
    uint64_t target = sim_node_cycle_at(n, sim_node_now(n) + ps);
    if (target > n->cpu.cycles) xt_charge(&n->cpu, target - n->cpu.cycles);
}
