/* sim/xt_exec.c — LX106 execution: handlers, exceptions, interrupts, the run loop.
 *
 * Semantics follow reference/lx106.md §1.8 and §2.4 as implemented by QEMU's target/xtensa
 * (the oracle, architecture.md §3). Timing model (docs/timing-model.md): each instruction costs
 * its decoded base cost (1, MULL 2), a taken branch, jump, call or return 2 more, each data
 * access its region's wait, each cache miss in a SIM_BUS_CACHED region the miss penalty; hooks
 * charge their own cost.
 */
#include "xt.h"

#include <stdlib.h>
#include <string.h>

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define XT_CYC_TAKEN 2u

static inline void flow(xt_cpu *c, unsigned kind, uint32_t arg)
{
    if (unlikely(c->cb.on_flow != NULL)) c->cb.on_flow(c->cb.opaque, c, kind, arg);
}

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "espsim assumes a little-endian host");

/* ---- names ---------------------------------------------------------------------------------- */

const char *xt_cause_name(unsigned cause)
{
    switch (cause) {
    case 0: return "IllegalInstruction";
    case 1: return "Syscall";
    case 2: return "InstructionFetchError";
    case 3: return "LoadStoreError";
    case 4: return "Level1Interrupt";
    case 5: return "Alloca";
    case 6: return "IntegerDivideByZero";
    case 8: return "Privileged";
    case 9: return "LoadStoreAlignment";
    case 12: return "InstrPIFDataError";
    case 13: return "LoadStorePIFDataError";
    case 14: return "InstrPIFAddrError";
    case 15: return "LoadStorePIFAddrError";
    case 16: return "InstTLBMiss";
    case 17: return "InstTLBMultiHit";
    case 18: return "InstFetchPrivilege";
    case 20: return "InstFetchProhibited";
    case 24: return "LoadStoreTLBMiss";
    case 25: return "LoadStoreTLBMultiHit";
    case 26: return "LoadStorePrivilege";
    case 28: return "LoadProhibited";
    case 29: return "StoreProhibited";
    default: return "Unknown";
    }
}

/* ---- time and interrupts ------------------------------------------------------------------- */

uint32_t xt_get_ccount(const xt_cpu *c)
{
    return c->ccount_base + (uint32_t)c->cycles;
}

/* CCOUNT reaches CCOMPARE0 after (CCOMPARE0 - CCOUNT - 1) + 1 cycles: a full wrap (2^32) when
 * they are equal now (QEMU's update_ccompare). */
static void ccompare_update(xt_cpu *c)
{
    uint64_t d = (uint64_t)(uint32_t)(c->sr[XT_SR_CCOMPARE0] - xt_get_ccount(c) - 1u) + 1u;
    c->ccompare_at = c->cycles + d;
}

static void ccompare_fire(xt_cpu *c)
{
    c->sr[XT_SR_INTERRUPT] |= 1u << XT_INT_TIMER0;
    c->ccompare_at += 1ull << 32;
    c->check_irq = true;
}

unsigned xt_cintlevel(const xt_cpu *c)
{
    unsigned lvl = c->sr[XT_SR_PS] & XT_PS_INTLEVEL;
    if ((c->sr[XT_SR_PS] & XT_PS_EXCM) && lvl < XT_EXCM_LEVEL) lvl = XT_EXCM_LEVEL;
    return lvl;
}

static inline uint32_t xt_interrupt(const xt_cpu *c)
{
    return c->sr[XT_SR_INTERRUPT] | (c->irq_lines & XT_INT_TYPE_LEVEL);
}

void xt_set_irq_level(xt_cpu *c, unsigned irq, bool level)
{
    if (irq >= XT_NUM_INTERRUPTS) return;
    if (level)
        c->irq_lines |= 1u << irq;
    else
        c->irq_lines &= ~(1u << irq);
    c->check_irq = true;
}

void xt_raise_edge(xt_cpu *c, unsigned irq)
{
    if (irq >= XT_NUM_INTERRUPTS) return;
    c->sr[XT_SR_INTERRUPT] |= 1u << irq;
    c->check_irq = true;
}

uint32_t xt_read_sr(const xt_cpu *c, unsigned sr)
{
    switch (sr) {
    case XT_SR_CCOUNT: return xt_get_ccount(c);
    case XT_SR_INTERRUPT: return xt_interrupt(c);
    default: return sr < 256 ? c->sr[sr] : 0;
    }
}

void xt_request_stop(xt_cpu *c, xt_stop why)
{
    c->stop = why;
}

/* ---- exceptions ----------------------------------------------------------------------------- */

/* Enters a vector. Returns false if the machine declared the exception fatal. */
static bool enter_vector(xt_cpu *c, unsigned report, uint32_t pc, uint32_t vaddr, uint32_t vec)
{
    c->code_epoch++; /* on_exception may call into the machine */
    if (c->cb.on_exception && !c->cb.on_exception(c->cb.opaque, c, report, pc, vaddr, vec)) {
        c->npc = pc;
        c->pc = pc;
        c->stop = XT_STOP_FATAL;
        return false;
    }
    return true;
}

/* Synchronous exception at pc (§1.8). */
static void raise_at(xt_cpu *c, uint32_t pc, unsigned cause, bool has_vaddr, uint32_t vaddr)
{
    uint32_t ps = c->sr[XT_SR_PS];
    uint32_t off;
    unsigned report = cause;
    if (ps & XT_PS_EXCM) {
        off = XT_VEC_DOUBLE;
        report |= XT_EXC_DOUBLE;
    } else {
        off = (ps & XT_PS_UM) ? XT_VEC_USER : XT_VEC_KERNEL;
    }
    uint32_t vec = c->sr[XT_SR_VECBASE] + off;
    if (!enter_vector(c, report, pc, vaddr, vec)) return;
    if (ps & XT_PS_EXCM)
        c->sr[XT_SR_DEPC] = pc;
    else
        c->sr[XT_SR_EPC1] = pc;
    if (has_vaddr) c->sr[XT_SR_EXCVADDR] = vaddr;
    c->sr[XT_SR_EXCCAUSE] = cause;
    c->sr[XT_SR_PS] = ps | XT_PS_EXCM;
    c->npc = vec;
    c->check_irq = true;
}

void xt_exception(xt_cpu *c, unsigned cause, uint32_t vaddr)
{
    raise_at(c, c->pc, cause, true, vaddr);
    c->pc = c->npc;
}

static inline void raise_ill(xt_cpu *c)
{
    raise_at(c, c->pc, XT_CAUSE_ILLEGAL, false, 0);
}

/* Debug exception for BREAK/BREAK.N (§1.8): level 2 through VECBASE + 0x10. */
static void raise_debug(xt_cpu *c, uint32_t cause_bits)
{
    uint32_t vec = c->sr[XT_SR_VECBASE] + XT_VEC_DEBUG;
    if (!enter_vector(c, XT_EXC_DEBUG | cause_bits, c->pc, 0, vec)) return;
    c->sr[XT_SR_DEBUGCAUSE] = cause_bits;
    c->sr[XT_SR_EPC1 + XT_DEBUG_LEVEL - 1] = c->pc;
    c->sr[XT_SR_EPS2 + XT_DEBUG_LEVEL - 2] = c->sr[XT_SR_PS];
    c->sr[XT_SR_PS] = (c->sr[XT_SR_PS] & ~XT_PS_INTLEVEL) | XT_PS_EXCM | XT_DEBUG_LEVEL;
    c->npc = vec;
    c->check_irq = true;
}

/* Takes the highest pending interrupt above the current level, if any (QEMU check_interrupts
 * and handle_interrupt). The NMI is taken whatever INTENABLE and PS say. */
static void irq_take(xt_cpu *c)
{
    uint32_t pending = xt_interrupt(c) & (c->sr[XT_SR_INTENABLE] | XT_INT_TYPE_NMI);
    if (!pending) return;
    unsigned minlevel = xt_cintlevel(c);
    if (minlevel >= XT_NMI_LEVEL) minlevel = XT_NMI_LEVEL - 1;
    uint32_t pc = c->pc;
    if (c->waiting) flow(c, XT_FLOW_WAKE, 0);
    if ((pending & XT_INT_LEVEL3_MASK) && XT_NMI_LEVEL > minlevel) {
        uint32_t vec = c->sr[XT_SR_VECBASE] + XT_VEC_NMI;
        if (!enter_vector(c, XT_EXC_NMI, pc, 0, vec)) return;
        c->sr[XT_SR_EPC1 + XT_NMI_LEVEL - 1] = pc;
        c->sr[XT_SR_EPS2 + XT_NMI_LEVEL - 2] = c->sr[XT_SR_PS];
        c->sr[XT_SR_PS] = (c->sr[XT_SR_PS] & ~XT_PS_INTLEVEL) | XT_PS_EXCM | XT_NMI_LEVEL;
        c->sr[XT_SR_INTERRUPT] &= ~XT_INT_TYPE_NMI;
        c->pc = vec;
        c->waiting = false;
        return;
    }
    if ((pending & XT_INT_LEVEL1_MASK) && minlevel < 1) {
        raise_at(c, pc, XT_CAUSE_LEVEL1_INTERRUPT, false, 0);
        if (c->stop == XT_STOP_FATAL) return;
        c->pc = c->npc;
        c->waiting = false;
    }
}

bool xt_irq_pending(const xt_cpu *c)
{
    uint32_t pending = xt_interrupt(c) & (c->sr[XT_SR_INTENABLE] | XT_INT_TYPE_NMI);
    if (!pending) return false;
    unsigned minlevel = xt_cintlevel(c);
    if (minlevel >= XT_NMI_LEVEL) minlevel = XT_NMI_LEVEL - 1;
    if ((pending & XT_INT_LEVEL3_MASK) && XT_NMI_LEVEL > minlevel) return true;
    return (pending & XT_INT_LEVEL1_MASK) && minlevel < 1;
}

/* ---- memory --------------------------------------------------------------------------------- */

enum { XT_ACC_R = 1, XT_ACC_W = 2, XT_ACC_X = 4 };
/* Region-protection attribute -> allowed access (QEMU region_attr_to_access). */
static const uint8_t xt_attr_access[16] = {
    [0] = XT_ACC_R | XT_ACC_W,
    [1] = XT_ACC_R | XT_ACC_W | XT_ACC_X,
    [2] = XT_ACC_R | XT_ACC_W | XT_ACC_X,
    [3] = XT_ACC_X,
    [4] = XT_ACC_R | XT_ACC_W | XT_ACC_X,
    [5] = XT_ACC_R | XT_ACC_W | XT_ACC_X,
    [14] = XT_ACC_R | XT_ACC_W,
};

static void tlb_flush(xt_cpu *c)
{
    memset(c->rtlb, 0, sizeof(c->rtlb));
    memset(c->wtlb, 0, sizeof(c->wtlb));
    c->code_limit = 0;
    c->code_epoch++;
}

/* Page number folded with higher bits, so the first pages of DRAM, IRAM and MMIO (which differ
 * only above bit 18) do not share a slot. */
static inline xt_tlb_entry *tlb_slot(xt_tlb_entry *t, uint32_t addr)
{
    return &t[((addr >> SIM_BUS_PAGE_BITS) ^ (addr >> 18)) & (XT_TLB_SIZE - 1)];
}

static inline uint32_t tlb_tag(uint32_t addr)
{
    return ((addr >> SIM_BUS_PAGE_BITS) << 1) | 1u;
}

/* ---- cache timing model (docs/timing-model.md) ---------------------------------------------- */

/* One access to the line holding addr: the extra cycles (the miss penalty, or 0 on a hit);
 * a miss installs the tag. */
static uint32_t cache_line(xt_cpu *c, uint32_t line, unsigned watch_kind, uint32_t addr)
{
    xt_cache *k = &c->cache;
    if (unlikely(c->cache_watch)) flow(c, watch_kind, addr);
    uint32_t t = line + 1u, *slot = &k->tag[line & (k->lines - 1u)];
    k->last = t;
    if (*slot == t) {
        k->hits++;
        return 0;
    }
    *slot = t;
    k->misses++;
    return k->miss_cycles;
}

/* A data read in a cached region: the extra cycles. */
static inline uint32_t cache_data(xt_cpu *c, uint32_t addr)
{
    return c->cache.lines ? cache_line(c, addr >> c->cache.line_bits, XT_FLOW_CACHED_READ, addr)
                          : 0;
}

/* Instruction fetch of len bytes at pc from a cached region: the extra cycles for the lines of
 * its first and last byte, skipping the line fetched last (still present: nothing else touched
 * the cache). */
static inline uint32_t cache_fetch(xt_cpu *c, uint32_t pc, unsigned len)
{
    if (!c->cache.lines) return 0;
    uint32_t l0 = pc >> c->cache.line_bits, l1 = (pc + len - 1u) >> c->cache.line_bits, x = 0;
    if (l0 + 1u != c->cache.last) x += cache_line(c, l0, XT_FLOW_CACHED_EXEC, pc);
    if (l1 != l0) x += cache_line(c, l1, XT_FLOW_CACHED_EXEC, pc);
    return x;
}

static void mem_fault(xt_cpu *c, sim_bus_fault f, sim_bus_access acc, uint32_t addr)
{
    raise_at(c, c->pc, c->fault_cause[f][acc], true, addr);
}

static bool load_slow(xt_cpu *c, uint32_t addr, unsigned size, uint32_t *v)
{
    if (!(xt_attr_access[c->dtlb_attr[addr >> 29]] & XT_ACC_R)) {
        raise_at(c, c->pc, XT_CAUSE_LOAD_PROHIBITED, true, addr);
        return false;
    }
    c->code_epoch++; /* an MMIO read callback may change memory */
    sim_bus_fault f = sim_bus_read(c->bus, addr, size, v);
    if (f) {
        mem_fault(c, f, SIM_BUS_READ, addr);
        return false;
    }
    const sim_bus_region *r = sim_bus_find(c->bus, addr);
    if (!r) return true;
    c->cycles += r->read_wait;
    if (r->flags & SIM_BUS_CACHED) c->cycles += cache_data(c, addr);
    if (r->host) {
        xt_tlb_entry *e = tlb_slot(c->rtlb, addr);
        uint32_t page = addr & ~(SIM_BUS_PAGE_SIZE - 1);
        e->tag = tlb_tag(addr);
        e->data32 = (r->flags & SIM_BUS_DATA32) != 0;
        e->cached = (r->flags & SIM_BUS_CACHED) != 0;
        e->wait = r->read_wait;
        e->addend = (uintptr_t)(r->host + (page - r->base)) - page;
    }
    return true;
}

/* The read TLB entry an aligned read of size bytes at addr hits (its wait and cached flag), or
 * NULL. Returning the entry rather than the host address (tlb_host) spares the hot paths a
 * test of the sum against NULL. */
static inline const xt_tlb_entry *rtlb_hit(xt_cpu *c, uint32_t addr, unsigned size)
{
    const xt_tlb_entry *e = tlb_slot(c->rtlb, addr);
    return likely(e->tag == tlb_tag(addr) && (size == 4 || !e->data32)) ? e : NULL;
}

/* Host address of addr through the TLB entry e that it hit. */
static inline uint8_t *tlb_host(const xt_tlb_entry *e, uint32_t addr)
{
    return (uint8_t *)(e->addend + addr);
}

static inline uint32_t host_read(const uint8_t *p, unsigned size)
{
    if (size == 4) {
        uint32_t x;
        memcpy(&x, p, 4);
        return x;
    }
    if (size == 2) {
        uint16_t x;
        memcpy(&x, p, 2);
        return x;
    }
    return *p;
}

static inline void host_write(uint8_t *p, unsigned size, uint32_t v)
{
    if (size == 4) {
        memcpy(p, &v, 4);
    } else if (size == 2) {
        uint16_t x = (uint16_t)v;
        memcpy(p, &x, 2);
    } else {
        *p = (uint8_t)v;
    }
}

static inline bool xt_load(xt_cpu *c, uint32_t addr, unsigned size, uint32_t *v)
{
    if (unlikely(addr & (size - 1))) {
        raise_at(c, c->pc, XT_CAUSE_UNALIGNED, true, addr);
        return false;
    }
    const xt_tlb_entry *e = rtlb_hit(c, addr, size);
    if (likely(e != NULL)) {
        c->cycles += e->wait;
        if (unlikely(e->cached)) c->cycles += cache_data(c, addr);
        *v = host_read(tlb_host(e, addr), size);
        return true;
    }
    return load_slow(c, addr, size, v);
}

/* ---- pages holding decoded blocks (xt_cpu.code_pages) --------------------------------------- */

/* Multiplicative hash of the page number: code sits in pages whose low bits often coincide
 * (reset vector, IRAM and flash window start on 1 MB boundaries). */
static inline uint32_t code_page_slot(uint32_t addr)
{
    return ((addr >> SIM_BUS_PAGE_BITS) * 0x9E3779B1u) >> (32u - XT_CODE_PAGES_BITS);
}

static bool code_page_has(const xt_cpu *c, uint32_t addr)
{
    return c->code_pages_full ||
           c->code_pages[code_page_slot(addr)] == (addr >> SIM_BUS_PAGE_BITS) + 1u;
}

/* Records that a block was decoded from the page of addr, and drops the page's write-TLB entry
 * so that the next store there refills it with the code flag. */
static void code_page_add(xt_cpu *c, uint32_t addr)
{
    uint32_t tag = (addr >> SIM_BUS_PAGE_BITS) + 1u, *slot = &c->code_pages[code_page_slot(addr)];
    if (*slot == tag) return;
    bool evict = *slot != 0;
    *slot = tag;
    tlb_slot(c->wtlb, addr)->tag = 0;
    if (evict && !c->code_pages_full) {
        c->code_pages_full = true; /* from now on every executable page counts as code */
        memset(c->wtlb, 0, sizeof(c->wtlb));
    }
}

static bool store_slow(xt_cpu *c, uint32_t addr, unsigned size, uint32_t v)
{
    if (!(xt_attr_access[c->dtlb_attr[addr >> 29]] & XT_ACC_W)) {
        raise_at(c, c->pc, XT_CAUSE_STORE_PROHIBITED, true, addr);
        return false;
    }
    sim_bus_fault f = sim_bus_write(c->bus, addr, size, v);
    if (f) {
        mem_fault(c, f, SIM_BUS_WRITE, addr);
        return false;
    }
    const sim_bus_region *r = sim_bus_find(c->bus, addr);
    c->code_epoch++; /* an MMIO write may have moved memory; a write to code changed it */
    if (r) c->cycles += r->write_wait;
    if (r && r->host && !(r->flags & (SIM_BUS_WIGNORE | SIM_BUS_CODE | SIM_BUS_DATA32))) {
        xt_tlb_entry *e = tlb_slot(c->wtlb, addr);
        uint32_t page = addr & ~(SIM_BUS_PAGE_SIZE - 1);
        e->tag = tlb_tag(addr);
        e->data32 = 0;
        e->cached = 0;
        e->code = (r->flags & SIM_BUS_X) && code_page_has(c, addr);
        e->wait = r->write_wait;
        e->addend = (uintptr_t)(r->host + (page - r->base)) - page;
    }
    return true;
}

/* The write TLB entry an aligned store at addr hits (RAM outside code regions), or NULL. */
static inline const xt_tlb_entry *wtlb_hit(xt_cpu *c, uint32_t addr)
{
    const xt_tlb_entry *e = tlb_slot(c->wtlb, addr);
    return likely(e->tag == tlb_tag(addr)) ? e : NULL;
}

static inline bool xt_store(xt_cpu *c, uint32_t addr, unsigned size, uint32_t v)
{
    if (unlikely(addr & (size - 1))) {
        raise_at(c, c->pc, XT_CAUSE_UNALIGNED, true, addr);
        return false;
    }
    const xt_tlb_entry *e = wtlb_hit(c, addr);
    if (likely(e != NULL)) {
        c->cycles += e->wait;
        c->code_epoch += e->code;
        host_write(tlb_host(e, addr), size, v);
        return true;
    }
    return store_slow(c, addr, size, v);
}

static void raise_fetch(xt_cpu *c, uint32_t pc, unsigned cause, uint32_t addr)
{
    raise_at(c, pc, cause, true, addr);
    c->pc = c->npc;
}

/* Instruction fetch outside the cached code window. Returns false if no instruction is to be
 * executed (an exception was raised or a hook ran). */
static bool fetch_slow(xt_cpu *c, uint32_t pc, uint32_t *word)
{
    uint32_t w = 0;
    unsigned len = 3;
    for (unsigned i = 0; i < len; i++) {
        uint32_t a = pc + i;
        if (!(xt_attr_access[c->itlb_attr[a >> 29]] & XT_ACC_X)) {
            raise_fetch(c, pc, XT_CAUSE_INST_FETCH_PROHIBITED, a);
            return false;
        }
        const sim_bus_region *r = sim_bus_find(c->bus, a);
        if (r && (r->flags & SIM_BUS_HOOK) && i == 0) {
            if (c->cb.hook) {
                c->cb.hook(c->cb.opaque, c, pc);
                return false;
            }
        }
        sim_bus_fault f = SIM_BUS_OK;
        uint32_t b = 0;
        if (!r)
            f = SIM_BUS_UNMAPPED;
        else if (!(r->flags & SIM_BUS_X))
            f = SIM_BUS_PROHIBITED;
        else if (r->host)
            b = r->host[a - r->base];
        else if (r->read)
            b = r->read(r->opaque, a - r->base, 1) & 0xFF;
        if (f) {
            raise_fetch(c, pc, c->fault_cause[f][SIM_BUS_FETCH], a);
            return false;
        }
        w |= b << (8 * i);
        if (i == 0) {
            len = xt_insn_len((uint8_t)b);
            /* Map the whole region as the code window when it is host memory. */
            if (r->host && r->size >= 4) {
                c->code_host = r->host;
                c->code_base = r->base;
                c->code_limit = r->size - 3u;
                c->code_cached = (r->flags & SIM_BUS_CACHED) != 0;
            }
        }
    }
    *word = w;
    return true;
}

/* ---- special registers ---------------------------------------------------------------------- */

static uint32_t sr_read(xt_cpu *c, unsigned sr)
{
    return xt_read_sr(c, sr);
}

static void sr_write(xt_cpu *c, unsigned sr, uint32_t v)
{
    switch (sr) {
    case XT_SR_PS:
        c->sr[sr] = v & c->ps_wmask;
        c->check_irq = true;
        return;
    case XT_SR_INTERRUPT: /* INTSET: software bits only */
        c->sr[XT_SR_INTERRUPT] |= v & XT_INT_TYPE_SOFTWARE;
        c->check_irq = true;
        return;
    case XT_SR_INTCLEAR:
        c->sr[XT_SR_INTERRUPT] &= ~(v & (XT_INT_TYPE_SOFTWARE | XT_INT_TYPE_EDGE));
        c->check_irq = true;
        return;
    case XT_SR_INTENABLE:
        c->sr[sr] = v;
        c->check_irq = true;
        return;
    case XT_SR_CCOUNT:
        c->ccount_base = v - (uint32_t)c->cycles;
        ccompare_update(c);
        c->check_irq = true; /* the CCOMPARE0 deadline moved: xt_run must recompute its limit */
        return;
    case XT_SR_CCOMPARE0:
        c->sr[sr] = v;
        c->sr[XT_SR_INTERRUPT] &= ~(1u << XT_INT_TIMER0);
        ccompare_update(c);
        c->check_irq = true;
        return;
    case XT_SR_CONFIGID0:
    case XT_SR_CONFIGID1:
    case XT_SR_PRID:
    case XT_SR_DEBUGCAUSE: return;
    case XT_SR_LITBASE:
        c->sr[sr] = v & xt_sr_table[sr].wmask;
        c->code_limit = 0;
        c->code_epoch++; /* the code window changes only with the epoch (xt_block.ready) */
        return;
    default: c->sr[sr] = v & xt_sr_table[sr].wmask; return;
    }
}

void xt_write_sr(xt_cpu *c, unsigned sr, uint32_t v)
{
    if (sr < 256 && (xt_sr_table[sr].flags & XT_SR_W)) sr_write(c, sr, v);
}

/* ---- instruction handlers ------------------------------------------------------------------- *
 * Each exec_<h>(c, d, param) is inlined into one function per opcode below, so param is a
 * compile-time constant. c->npc already holds pc + length. */

#define AR c->a[d->r]
#define AS c->a[d->s]
#define AT c->a[d->t]

static inline void taken(xt_cpu *c, uint32_t target)
{
    c->npc = target;
    c->cycles += XT_CYC_TAKEN;
}

/* ILL, ILL.N, undefined encodings -- cause 0 */
static inline void exec_ill(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)d;
    (void)p;
    raise_ill(c);
}

/* NOP and the sync family: no architectural effect in a sequential interpreter */
static inline void exec_nop(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)c;
    (void)d;
    (void)p;
}

/* RET / RET.N: pc = a0 */
static inline void exec_ret(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)d;
    (void)p;
    flow(c, XT_FLOW_RET, c->a[0]);
    taken(c, c->a[0]);
}

/* JX as */
static inline void exec_jx(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    taken(c, AS);
}

/* Targets of J and CALL0 at pc, and the a0 a call at pc writes; exec_j, exec_call0, exec_callx0
 * and block_exec's inline jumps share them. */
static inline uint32_t j_target(uint32_t pc, const xt_insn *d)
{
    return pc + (uint32_t)d->imm;
}

static inline uint32_t call0_target(uint32_t pc, const xt_insn *d)
{
    return (pc & ~3u) + (uint32_t)d->imm;
}

static inline uint32_t call_return(uint32_t pc)
{
    return pc + 3u;
}

/* CALLX0 as: target read before a0 is written */
static inline void exec_callx0(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t target = AS;
    flow(c, XT_FLOW_CALL, target);
    c->a[0] = call_return(c->pc);
    taken(c, target);
}

/* CALL0: a0 = pc + 3, pc = (pc & ~3) + 4 + offset*4 */
static inline void exec_call0(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t target = call0_target(c->pc, d);
    flow(c, XT_FLOW_CALL, target);
    c->a[0] = call_return(c->pc);
    taken(c, target);
}

/* J */
static inline void exec_j(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    taken(c, j_target(c->pc, d));
}

/* RFE: PS.EXCM = 0, pc = EPC1 */
static inline void exec_rfe(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)d;
    (void)p;
    flow(c, XT_FLOW_RFE, 1);
    c->sr[XT_SR_PS] &= ~XT_PS_EXCM;
    c->check_irq = true;
    taken(c, c->sr[XT_SR_EPC1]);
}

/* RFDE: pc = DEPC (PS.EXCM stays set, as in QEMU) */
static inline void exec_rfde(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)d;
    (void)p;
    taken(c, c->sr[XT_SR_DEPC]);
}

/* RFI n: PS = EPSn, pc = EPCn (n = 2, 3) */
static inline void exec_rfi(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    unsigned n = (unsigned)d->imm;
    if (n < 2 || n > XT_NUM_LEVELS) {
        raise_ill(c);
        return;
    }
    flow(c, XT_FLOW_RFI, n);
    c->sr[XT_SR_PS] = c->sr[XT_SR_EPS2 + n - 2];
    c->check_irq = true;
    taken(c, c->sr[XT_SR_EPC1 + n - 1]);
}

/* BREAK s,t / BREAK.N s: debug exception when CINTLEVEL < DEBUGLEVEL, else no-op */
static inline void exec_brk(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)d;
    if (xt_cintlevel(c) < XT_DEBUG_LEVEL) raise_debug(c, p);
}

/* SYSCALL: cause 1, EPC1 = the SYSCALL itself */
static inline void exec_syscall(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)d;
    (void)p;
    raise_at(c, c->pc, XT_CAUSE_SYSCALL, false, 0);
}

/* SIMCALL: semihosting request to the machine */
static inline void exec_simcall(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)d;
    (void)p;
    c->code_epoch++; /* the machine may write memory (semihosting) */
    if (c->cb.simcall)
        c->cb.simcall(c->cb.opaque, c);
    else
        raise_ill(c);
}

/* RSIL at, s: at = PS; PS.INTLEVEL = s */
static inline void exec_rsil(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t ps = c->sr[XT_SR_PS];
    c->sr[XT_SR_PS] = (ps & ~XT_PS_INTLEVEL) | (uint32_t)d->imm;
    AT = ps;
    c->check_irq = true;
}

/* WAITI s: PS.INTLEVEL = s, sleep until an interrupt above it is pending */
static inline void exec_waiti(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    c->sr[XT_SR_PS] = (c->sr[XT_SR_PS] & ~XT_PS_INTLEVEL) | (uint32_t)d->imm;
    xt_wait(c);
}

/* AND/OR/XOR ar, as, at */
static inline void exec_logic(xt_cpu *c, const xt_insn *d, unsigned p)
{
    uint32_t s = AS, t = AT;
    AR = p == 0 ? (s & t) : p == 1 ? (s | t) : (s ^ t);
}

/* SSR: SAR = as & 31 */
static inline void exec_ssr(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    c->sr[XT_SR_SAR] = AS & 31u;
}

/* SSL: SAR = 32 - (as & 31) */
static inline void exec_ssl(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    c->sr[XT_SR_SAR] = 32u - (AS & 31u);
}

/* SSA8L: SAR = (as & 3) * 8 */
static inline void exec_ssa8l(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    c->sr[XT_SR_SAR] = (AS << 3) & 31u;
}

/* SSA8B: SAR = 32 - (as & 3) * 8 */
static inline void exec_ssa8b(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    c->sr[XT_SR_SAR] = 32u - ((AS << 3) & 31u);
}

/* SSAI imm: SAR = imm */
static inline void exec_ssai(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    c->sr[XT_SR_SAR] = (uint32_t)d->imm;
}

/* RER at, as: external-register read. Nothing is wired to the lx106 ER space: at = 0.
 * QEMU executes RER/WER without an exception (§2.4; tests/cpu/asm/extreg.S). */
static inline void exec_rer(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AT = 0;
}

/* WER at, as: external-register write; nothing is wired, no effect */
static inline void exec_wer(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)c;
    (void)d;
    (void)p;
}

/* NSA at, as: redundant sign bits (31 for 0 and -1) */
static inline void exec_nsa(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t v = AS;
    v ^= (uint32_t)((int32_t)v >> 31);
    AT = v ? (uint32_t)__builtin_clz(v) - 1u : 31u;
}

/* NSAU at, as: leading zeros (32 for 0) */
static inline void exec_nsau(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t v = AS;
    AT = v ? (uint32_t)__builtin_clz(v) : 32u;
}

/* RITLB0/RITLB1/RDTLB0/RDTLB1 at, as (region protection: way 0 only).
 * p bit 1 = data TLB, bit 0 = "1" read (attribute) */
static inline void exec_rtlb(xt_cpu *c, const xt_insn *d, unsigned p)
{
    uint32_t v = AS;
    const uint8_t *attr = (p & 2) ? c->dtlb_attr : c->itlb_attr;
    AT = (p & 1) ? (v & 0xE0000000u) | attr[v >> 29] : (v & 0xE0000000u);
}

/* PITLB/PDTLB at, as: probe. Region protection (no MMU) always hits: at = region base | 1
 * (QEMU helper_ptlb, non-MMU branch; §1.9). p: 1 = data TLB (same result). */
static inline void exec_ptlb(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AT = (AS & 0xE0000000u) | 1u;
}

/* WITLB/WDTLB at, as: attribute of region as[31:29] = at[3:0] */
static inline void exec_wtlb(xt_cpu *c, const xt_insn *d, unsigned p)
{
    uint8_t *attr = p ? c->dtlb_attr : c->itlb_attr;
    attr[AS >> 29] = (uint8_t)(AT & 15u);
    tlb_flush(c);
}

/* NEG ar, at */
static inline void exec_neg(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AR = 0u - AT;
}

/* ABS ar, at (0x80000000 stays) */
static inline void exec_abs(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t v = AT;
    AR = (int32_t)v < 0 ? 0u - v : v;
}

/* ADD/ADDX2/4/8 and ADD.N: ar = (as << p) + at */
static inline void exec_addx(xt_cpu *c, const xt_insn *d, unsigned p)
{
    AR = (AS << p) + AT;
}

/* SUB/SUBX2/4/8: ar = (as << p) - at */
static inline void exec_subx(xt_cpu *c, const xt_insn *d, unsigned p)
{
    AR = (AS << p) - AT;
}

/* SLLI ar, as, sa (QEMU shifts by sa & 31: an encoded 32 leaves as unchanged) */
static inline void exec_slli(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AR = AS << ((uint32_t)d->imm & 31u);
}

/* SRAI ar, at, sa */
static inline void exec_srai(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AR = (uint32_t)((int32_t)AT >> d->imm);
}

/* SRLI ar, at, sa (0..15) */
static inline void exec_srli(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AR = AT >> d->imm;
}

/* SRC ar, as, at: (as:at) >> SAR */
static inline void exec_src(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint64_t v = ((uint64_t)AS << 32) | AT;
    AR = (uint32_t)(v >> (c->sr[XT_SR_SAR] & 63u));
}

/* SRL ar, at: logical right by SAR (0..63) */
static inline void exec_srl(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t sa = c->sr[XT_SR_SAR] & 63u;
    AR = sa >= 32 ? 0u : AT >> sa;
}

/* SRA ar, at: arithmetic right by SAR */
static inline void exec_sra(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t sa = c->sr[XT_SR_SAR] & 63u;
    AR = (uint32_t)((int32_t)AT >> (sa >= 32 ? 31 : sa));
}

/* SLL ar, as: left by 32 - SAR (mod 64) */
static inline void exec_sll(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t sa = (32u - c->sr[XT_SR_SAR]) & 63u;
    AR = sa >= 32 ? 0u : AS << sa;
}

/* MUL16U / MUL16S ar, as, at */
static inline void exec_mul16(xt_cpu *c, const xt_insn *d, unsigned p)
{
    if (p)
        AR = (uint32_t)((int32_t)(int16_t)AS * (int32_t)(int16_t)AT);
    else
        AR = (AS & 0xFFFFu) * (AT & 0xFFFFu);
}

/* MULL ar, as, at: low 32 bits */
static inline void exec_mull(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AR = AS * AT;
}

/* MOVEQZ/MOVNEZ/MOVLTZ/MOVGEZ ar, as, at */
static inline void exec_movcc(xt_cpu *c, const xt_insn *d, unsigned p)
{
    int32_t t = (int32_t)AT;
    bool cond = p == 0 ? t == 0 : p == 1 ? t != 0 : p == 2 ? t < 0 : t >= 0;
    if (cond) AR = AS;
}

/* EXTUI ar, at, shift, bits */
static inline void exec_extui(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t mask = (uint32_t)((1ull << d->imm2) - 1u);
    AR = (AT >> d->imm) & mask;
}

/* RSR at, sr */
static inline void exec_rsr(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AT = sr_read(c, (unsigned)d->imm);
}

/* WSR at, sr */
static inline void exec_wsr(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    if (xt_sr_table[d->imm].flags & XT_SR_WTRAP) {
        raise_ill(c);
        return;
    }
    sr_write(c, (unsigned)d->imm, AT);
}

/* XSR at, sr: swap */
static inline void exec_xsr(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    if (xt_sr_table[d->imm].flags & XT_SR_WTRAP) {
        raise_ill(c);
        return;
    }
    uint32_t old = sr_read(c, (unsigned)d->imm);
    sr_write(c, (unsigned)d->imm, AT);
    AT = old;
}

/* L32R at, label: literal below the aligned pc, or LITBASE-relative when LITBASE[0] = 1 */
static inline uint32_t l32r_addr(const xt_cpu *c, uint32_t pc, const xt_insn *d)
{
    uint32_t lb = c->sr[XT_SR_LITBASE];
    uint32_t base = (lb & 1u) ? (lb & 0xFFFFF000u) : ((pc + 3u) & ~3u);
    return base + (uint32_t)d->imm;
}

static inline void exec_l32r(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    uint32_t v;
    if (xt_load(c, l32r_addr(c, c->pc, d), 4, &v)) AT = v;
}

/* Load size and result for the load handlers' p = log2(size) | 1 for the sign-extending L16SI */
static inline unsigned load_size(unsigned p)
{
    return p == 3 ? 2u : 1u << p;
}

static inline uint32_t load_value(uint32_t v, unsigned p)
{
    return p == 3 ? (uint32_t)(int32_t)(int16_t)v : v;
}

/* L8UI/L16UI/L32I/L16SI/L32I.N at, as, off; p = log2(size) | 1 for the sign-extending L16SI */
static inline void exec_load(xt_cpu *c, const xt_insn *d, unsigned p)
{
    uint32_t v;
    if (xt_load(c, AS + (uint32_t)d->imm, load_size(p), &v)) AT = load_value(v, p);
}

/* S8I/S16I/S32I/S32I.N at, as, off */
static inline void exec_store(xt_cpu *c, const xt_insn *d, unsigned p)
{
    xt_store(c, AS + (uint32_t)d->imm, 1u << p, AT);
}

/* MOVI at, imm12 */
static inline void exec_movi(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AT = (uint32_t)d->imm;
}

/* ADDI/ADDMI at, as, imm */
static inline void exec_addi(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AT = AS + (uint32_t)d->imm;
}

/* BEQZ/BNEZ/BLTZ/BGEZ (and .N): compare as with zero */
static inline bool cond_bz(const xt_cpu *c, const xt_insn *d, unsigned p)
{
    int32_t s = (int32_t)AS;
    return p == 0 ? s == 0 : p == 1 ? s != 0 : p == 2 ? s < 0 : s >= 0;
}

/* BEQI/BNEI/BLTI/BGEI/BLTUI/BGEUI as, const; BBCI/BBSI as, bit */
static inline bool cond_bi(const xt_cpu *c, const xt_insn *d, unsigned p)
{
    uint32_t s = AS, k = (uint32_t)d->imm2;
    switch (p) {
    case 0: return s == k;
    case 1: return s != k;
    case 2: return (int32_t)s < (int32_t)k;
    case 3: return (int32_t)s >= (int32_t)k;
    case 4: return s < k;
    case 5: return s >= k;
    case 6: return !((s >> k) & 1u);
    default: return (s >> k) & 1u;
    }
}

/* RRI8 register branches; p is the r field (§2.2 op0 = 7) */
static inline bool cond_bb(const xt_cpu *c, const xt_insn *d, unsigned p)
{
    uint32_t s = AS, t = AT;
    switch (p) {
    case 0: return (s & t) == 0;              /* BNONE */
    case 1: return s == t;                    /* BEQ */
    case 2: return (int32_t)s < (int32_t)t;   /* BLT */
    case 3: return s < t;                     /* BLTU */
    case 4: return (~s & t) == 0;             /* BALL */
    case 5: return !((s >> (t & 31u)) & 1u);  /* BBC */
    case 8: return (s & t) != 0;              /* BANY */
    case 9: return s != t;                    /* BNE */
    case 10: return (int32_t)s >= (int32_t)t; /* BGE */
    case 11: return s >= t;                   /* BGEU */
    case 12: return (~s & t) != 0;            /* BNALL */
    default: return (s >> (t & 31u)) & 1u;    /* BBS */
    }
}

/* The condition of a conditional branch of format fmt (XT_FMT_BZ, _BI, _BB); false otherwise. */
static inline bool branch_cond(const xt_cpu *c, const xt_insn *d, xt_fmt fmt, unsigned p)
{
    switch (fmt) {
    case XT_FMT_BZ: return cond_bz(c, d, p);
    case XT_FMT_BI: return cond_bi(c, d, p);
    case XT_FMT_BB: return cond_bb(c, d, p);
    default: return false;
    }
}

static inline void exec_bz(xt_cpu *c, const xt_insn *d, unsigned p)
{
    if (cond_bz(c, d, p)) taken(c, c->pc + (uint32_t)d->imm);
}

static inline void exec_bi(xt_cpu *c, const xt_insn *d, unsigned p)
{
    if (cond_bi(c, d, p)) taken(c, c->pc + (uint32_t)d->imm);
}

static inline void exec_bb(xt_cpu *c, const xt_insn *d, unsigned p)
{
    if (cond_bb(c, d, p)) taken(c, c->pc + (uint32_t)d->imm);
}

/* ADDI.N ar, as, imm (-1, 1..15) */
static inline void exec_addin(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AR = AS + (uint32_t)d->imm;
}

/* MOVI.N as, imm7 */
static inline void exec_movin(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AS = (uint32_t)d->imm;
}

/* MOV.N at, as */
static inline void exec_movn(xt_cpu *c, const xt_insn *d, unsigned p)
{
    (void)p;
    AT = AS;
}

#undef AR
#undef AS
#undef AT

typedef void (*xt_handler)(xt_cpu *c, const xt_insn *d);

#define XT_OP_FN(id, mn, fmt, h, p, f)                                                             \
    static void op_##id(xt_cpu *c, const xt_insn *d)                                               \
    {                                                                                              \
        exec_##h(c, d, p);                                                                         \
    }
XT_OPS(XT_OP_FN)
#undef XT_OP_FN

static const xt_handler xt_handlers[XT_OP_COUNT] = {
#define XT_OP_PTR(id, mn, fmt, h, p, f) [XT_OP_##id] = op_##id,
    XT_OPS(XT_OP_PTR)
#undef XT_OP_PTR
};

/* ---- decode memo ------------------------------------------------------------------------------
 * Decoding depends only on the instruction bytes, so a slot keyed by the 24 fetched bits is
 * valid wherever those bits appear: no invalidation is ever needed. */

#define XT_DCACHE_SIZE 4096u

typedef struct xt_dcache_slot {
    uint32_t word; /* 24 bits as fetched; bit 31 set = empty */
    xt_handler fn;
    xt_insn insn;
} xt_dcache_slot;

/* ---- basic blocks -------------------------------------------------------------------------
 * Straight-line runs of up to XT_BLOCK_MAX decoded instructions, ending with (and including)
 * the first one that may transfer control or touch processor state (XT_OPF_JUMP, XT_OPF_SR,
 * XT_OPF_TRAP, SIMCALL, ILL...). A block keeps a copy of its bytes and is used only while
 * memory still holds exactly those bytes, so code written at run time never runs stale and
 * nothing has to be invalidated. xt_run uses a block only when all of it fits before the next
 * event or CCOMPARE0 match, and leaves it at once after an exception, an interrupt request or
 * a stop: observable behaviour is that of single steps (the cycle counter still moves per
 * instruction, since CCOUNT and the timers read it), without refetching and redecoding. */

#define XT_BLOCK_MAX   16u
#define XT_BLOCK_SLACK 8u /* readable bytes kept after a block's last byte (block_same) */
#define XT_BCACHE_SIZE 512u

typedef struct xt_block_insn {
    const void *label; /* block_exec's code for this op (set by its first run of the block) */
    uint32_t pc;
    xt_insn insn;
} xt_block_insn; /* 32 bytes: block_exec divides pointer differences by the size */

_Static_assert(sizeof(xt_block_insn) == 32, "keep block entries a power of two");

typedef struct xt_block {
    uint32_t pc;
    uint16_t n;     /* instructions; 0 = empty slot */
    uint16_t bytes; /* length of raw */
    uint8_t linked; /* labels of ins[0..n] set: 0 no, 1 for an uncached, 2 a cached window */
    uint16_t span;  /* base cycles of ins[0..n-2]: the last boundary inside is entry + span */
    uint64_t epoch; /* xt_cpu.code_epoch when memory last matched raw */
    /* xt_cpu.code_epoch when block_exec last entered the block (so memory matched raw and the
     * labels were linked for the code window of that epoch, which moves only with the epoch);
     * 0 = not since it was built */
    uint64_t ready;
    /* The block last found after a taken transfer [0] and after falling through [1]: a hint,
     * used only if it still starts at the target pc and is ready in the current epoch */
    struct xt_block *next[2];
    uint8_t raw[XT_BLOCK_MAX * 3];
    xt_block_insn ins[XT_BLOCK_MAX + 1]; /* ins[n]: end-of-block sentinel */
} xt_block;

typedef struct xt_dcache {
    xt_dcache_slot slot[XT_DCACHE_SIZE];
    xt_block block[XT_BCACHE_SIZE];
} xt_dcache;

/* ---- setup ---------------------------------------------------------------------------------- */

/* Empties every block slot (block_find and the successor hints then miss). */
static void dcache_forget(xt_dcache *dc)
{
    for (unsigned i = 0; i < XT_BCACHE_SIZE; i++) {
        dc->block[i].n = 0;
        dc->block[i].ready = 0;
    }
}

void xt_bp_add(xt_cpu *c, uint32_t pc)
{
    c->bp_filter |= 1ull << ((pc >> 2) & 63u);
    if (c->dcache) dcache_forget(c->dcache);
}

void xt_reset(xt_cpu *c)
{
    memset(c->a, 0, sizeof(c->a));
    memset(c->sr, 0, sizeof(c->sr));
    c->pc = c->reset_pc;
    c->sr[XT_SR_PS] = XT_PS_RESET;
    c->sr[XT_SR_VECBASE] = XT_VECBASE_RESET;
    c->sr[XT_SR_CONFIGID0] = XT_CONFIGID0_VALUE;
    c->sr[XT_SR_CONFIGID1] = XT_CONFIGID1_VALUE;
    c->ccount_base = 0u - (uint32_t)c->cycles;
    ccompare_update(c);
    memset(c->itlb_attr, 2, sizeof(c->itlb_attr));
    memset(c->dtlb_attr, 2, sizeof(c->dtlb_attr));
    c->waiting = false;
    c->check_irq = true;
    tlb_flush(c);
}

void xt_init(xt_cpu *c, sim_bus *bus, const xt_callbacks *cb, uint32_t reset_pc)
{
    xt_dcache *keep = c->dcache;
    memset(c, 0, sizeof(*c));
    c->dcache = keep;
    if (keep) dcache_forget(keep); /* code_epoch starts again: old epochs would match */
    c->bus = bus;
    if (cb) c->cb = *cb;
    c->reset_pc = reset_pc;
    c->ps_wmask = 0x70F3Fu; /* QEMU: WOE|CALLINC|OWB|UM|EXCM|INTLEVEL */
    for (unsigned a = 0; a < 3; a++) {
        c->fault_cause[SIM_BUS_UNMAPPED][a] =
            a == SIM_BUS_FETCH ? XT_CAUSE_INSTR_PIF_ADDR_ERROR : XT_CAUSE_LOAD_STORE_PIF_ADDR_ERROR;
        c->fault_cause[SIM_BUS_BAD_SIZE][a] = XT_CAUSE_LOAD_STORE_ERROR;
    }
    c->fault_cause[SIM_BUS_PROHIBITED][SIM_BUS_READ] = XT_CAUSE_LOAD_PROHIBITED;
    c->fault_cause[SIM_BUS_PROHIBITED][SIM_BUS_WRITE] = XT_CAUSE_STORE_PROHIBITED;
    c->fault_cause[SIM_BUS_PROHIBITED][SIM_BUS_FETCH] = XT_CAUSE_INST_FETCH_PROHIBITED;
    c->fault_cause[SIM_BUS_BAD_SIZE][SIM_BUS_FETCH] = XT_CAUSE_INSTR_FETCH_ERROR;
    xt_reset(c);
}

void xt_free(xt_cpu *c)
{
    free(c->dcache);
    c->dcache = NULL;
}

static xt_dcache *dcache_get(xt_cpu *c)
{
    if (!c->dcache) {
        c->dcache = malloc(sizeof(xt_dcache));
        if (!c->dcache) return NULL;
        for (unsigned i = 0; i < XT_DCACHE_SIZE; i++)
            c->dcache->slot[i].word = 0x80000000u;
        dcache_forget(c->dcache);
    }
    return c->dcache;
}

/* ---- the run loop --------------------------------------------------------------------------- */

static inline void step(xt_cpu *c, xt_dcache *dc)
{
    uint32_t pc = c->pc;
    uint32_t w;
    if (unlikely(c->bp_filter != 0) && ((c->bp_filter >> ((pc >> 2) & 63u)) & 1u) &&
        c->cb.breakpoint && c->cb.breakpoint(c->cb.opaque, c, pc))
        return;
    uint32_t off = pc - c->code_base;
    if (likely(off < c->code_limit)) {
        /* At least 4 bytes remain in the window: one unaligned 32-bit read. */
        memcpy(&w, c->code_host + off, 4);
        w &= 0xFFFFFFu;
    } else if (!fetch_slow(c, pc, &w)) {
        return; /* pc moved to a vector or by a hook, or the CPU stopped */
    }
    xt_dcache_slot *s = &dc->slot[(pc ^ (pc >> 12)) & (XT_DCACHE_SIZE - 1)];
    if (unlikely(s->word != w)) {
        xt_decode(w, &s->insn);
        s->fn = xt_handlers[s->insn.op];
        s->word = w;
    }
    if (unlikely(c->code_cached) && pc - c->code_base < c->code_limit)
        c->cycles += cache_fetch(c, pc, s->insn.len);
    c->npc = pc + s->insn.len;
    if (unlikely(c->cb.trace != NULL)) c->cb.trace(c->cb.opaque, c, pc, &s->insn);
    s->fn(c, &s->insn);
    c->pc = c->npc;
    c->cycles += s->insn.cost;
    c->insns++;
}

/* Decodes the block at pc (off = pc - code_base, inside the code window). False if not even
 * its first instruction can be in a block (a breakpoint there, or too close to the window end). */
static bool block_build(xt_cpu *c, xt_block *b, uint32_t pc, uint32_t off)
{
    const uint32_t window = c->code_limit + 3u; /* bytes readable from code_base */
    unsigned n = 0, bytes = 0;
    while (n < XT_BLOCK_MAX) {
        uint32_t a = pc + bytes;
        /* keep the 4-byte fetch and block_same's word reads inside the window */
        if (off + bytes + 3u + XT_BLOCK_SLACK > window) break;
        if (c->bp_filter && ((c->bp_filter >> ((a >> 2) & 63u)) & 1u)) break;
        uint32_t w;
        memcpy(&w, c->code_host + off + bytes, 4);
        w &= 0xFFFFFFu;
        xt_block_insn *bi = &b->ins[n];
        bi->pc = a;
        xt_decode(w, &bi->insn);
        bytes += bi->insn.len;
        n++;
        uint16_t op = bi->insn.op;
        if ((xt_opinfo_table[op].flags & (XT_OPF_JUMP | XT_OPF_SR | XT_OPF_TRAP)) ||
            op == XT_OP_ILL || op == XT_OP_ILL_N || op == XT_OP_ILLEGAL || op == XT_OP_SIMCALL)
            break;
    }
    if (n == 0) return false;
    unsigned span = 0;
    for (unsigned i = 0; i + 1 < n; i++)
        span += b->ins[i].insn.cost;
    b->pc = pc;
    b->n = (uint16_t)n;
    b->span = (uint16_t)span;
    b->bytes = (uint16_t)bytes;
    b->linked = 0;
    b->ins[n].insn.len = 0; /* the sentinel */
    b->epoch = c->code_epoch;
    b->ready = 0;
    b->next[0] = b->next[1] = b; /* a hint like any other: checked before use */
    code_page_add(c, pc);
    code_page_add(c, pc + bytes - 1u);
    memcpy(b->raw, c->code_host + off, bytes);
    return true;
}

/* The cycle count before which block b may start and still fit: its base cycles end before
 * limit (entry + span < limit). run_block and block_exec's entry both use this rule. */
static inline uint64_t block_lim(const xt_block *b, uint64_t limit)
{
    return limit > b->span ? limit - b->span : 0;
}

/* The base cost block_exec's inline paths charge for op: 1 is free (the block index accounts for
 * it), MULL adds its second cycle. An instruction whose decoded cost differs is linked to the
 * generic path, which charges insn.cost, so a new cost rule in xt_decode cannot silently skew
 * the cycle count. */
static inline unsigned block_inline_cost(uint16_t op)
{
    return op == XT_OP_MULL ? 2u : 1u;
}

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Memory at m still holds the bytes b was decoded from. Compares whole 64-bit words: m has at
 * least XT_BLOCK_SLACK readable bytes after the block (block_build keeps that margin). */
static inline bool block_same(const xt_block *b, const uint8_t *m)
{
    unsigned n = b->bytes, i = 0;
    for (; i + 8u <= n; i += 8u)
        if (load64(b->raw + i) != load64(m + i)) return false;
    if (i == n) return true;
    return ((load64(b->raw + i) ^ load64(m + i)) & ((1ull << (8u * (n - i))) - 1u)) == 0;
}

/* The cache slot a block starting at pc lives in. */
static inline xt_block *block_slot(xt_dcache *dc, uint32_t pc)
{
    return &dc->block[(pc ^ (pc >> 9)) & (XT_BCACHE_SIZE - 1)];
}

/* The valid block for pc (off = pc - code_base), or NULL: the slot holds another pc, or memory
 * no longer holds the bytes it was decoded from. */
static inline xt_block *block_find(xt_cpu *c, xt_dcache *dc, uint32_t pc, uint32_t off)
{
    xt_block *b = block_slot(dc, pc);
    if (unlikely(b->n == 0 || b->pc != pc)) return NULL;
    if (likely(b->epoch == c->code_epoch)) return b;
    if (off + XT_BLOCK_SLACK + b->bytes > c->code_limit + 3u || !block_same(b, c->code_host + off))
        return NULL;
    b->epoch = c->code_epoch;
    return b;
}

/* Executes block b and the valid blocks it leads to, until the first instruction boundary at or
 * after limit, a block that is not built yet or does not fit before limit, or an instruction
 * that faults, asks for an interrupt check or stops the CPU. Dispatch is threaded (one computed
 * goto per instruction, GCC's labels as values). Pure instructions (XT_OPF_PURE), conditional
 * branches and aligned loads, stores and L32R that hit the TLB run inline; every other
 * instruction goes through its handler with pc, npc and cycles written back first. Cycles are
 * charged per instruction exactly as step() charges them (fetch miss, handler's waits, base
 * cost), so every model that reads the counter mid-block sees the same value.
 *
 * Cycle bookkeeping: a block runs only if all of its inner boundaries come before limit counting
 * base costs alone (entry + span < limit). The local cyc is then the cycle count at the boundary
 * before bi minus bi's index in the block, so an instruction of base cost 1 costs nothing to
 * account for; only the extras (MULL's second cycle, memory waits, cache misses, handlers'
 * cycles, taken branches) are added, and only the dynamic ones need a check against lim
 * (limit - span): past it the block ends after the current instruction. B_CYCLES() converts
 * back. Inline paths charge block_inline_cost(); other costs go generic.
 *
 * Block to block: each block remembers the block found after its taken transfer and after its
 * fall-through (xt_block.next). A remembered block is entered without block_find, the code-window
 * check or relinking only if it starts at the target pc and was entered in the current epoch
 * (xt_block.ready), which means memory still holds its bytes and its labels are linked for this
 * code window; anything else goes through block_find. */
static void block_exec(xt_cpu *c, xt_dcache *dc, xt_block *b, uint64_t limit)
{
    static const void *const label[XT_OP_COUNT] = {
#define XT_OP_LABEL(id, mn, fmt, h, p, f) [XT_OP_##id] = &&L_##id,
        XT_OPS(XT_OP_LABEL)
#undef XT_OP_LABEL
    };
    static const void *const label_cached[XT_OP_COUNT] = {
#define XT_OP_LABEL(id, mn, fmt, h, p, f) [XT_OP_##id] = &&C_##id,
        XT_OPS(XT_OP_LABEL)
#undef XT_OP_LABEL
    };
    const xt_block_insn *bi;
    const uint8_t link = c->code_cached ? 2u : 1u; /* b->linked for this code window */
    /* check_irq and stop only ever become true inside block_exec, and only in handlers (checked
     * at handled) or on_flow callbacks: when neither is set now and there is no on_flow, the
     * end of a block needs no check of them. */
    const bool quiet = !c->check_irq && !c->stop && c->cb.on_flow == NULL;
    xt_block **hint, *nb; /* hint: the successor hint of the block being left */
    uint32_t *const a = c->a;
    uint64_t cyc = c->cycles, ni = c->insns; /* ni: retired before block b */
    uint64_t lim;
    const xt_tlb_entry *e;
    uint32_t npc, v, addr, off;
    uint64_t epoch;

#define B_INDEX()  ((uint64_t)(bi - b->ins))
#define B_CYCLES() (cyc + B_INDEX())
/* C_ labels charge the fetch first, L_ labels do not. The empty asm makes bi a register value
 * here, so the jump reads its label through it (one memory-indirect jmp on x86-64) instead of
 * through the previous bi plus an offset, whatever GCC's layout of the rest of the function. */
#define DISPATCH()                                                                                 \
    do {                                                                                           \
        __asm__("" : "+r"(bi));                                                                    \
        goto * bi->label;                                                                          \
    } while (0)
#define FETCH()                                                                                    \
    do {                                                                                           \
        cyc += cache_fetch(c, bi->pc, bi->insn.len);                                               \
        if (unlikely(cyc >= lim)) goto generic; /* then the block ends */                          \
    } while (0)
#define NEXT()                                                                                     \
    do {                                                                                           \
        bi++;                                                                                      \
        DISPATCH(); /* the sentinel's label is end_of_block */                                     \
    } while (0)
#define NEXT_CHECKED() /* after dynamic cycles */                                                  \
    do {                                                                                           \
        bi++;                                                                                      \
        if (unlikely(cyc >= lim)) goto fell_through;                                               \
        DISPATCH();                                                                                \
    } while (0)
#define SYNC()                                                                                     \
    do {                                                                                           \
        c->pc = bi->pc;                                                                            \
        npc = bi->pc + bi->insn.len;                                                               \
        c->npc = npc;                                                                              \
        c->cycles = B_CYCLES();                                                                    \
        c->insns = ni + B_INDEX();                                                                 \
    } while (0)

enter: /* cyc is the absolute cycle count here; c->pc = b->pc; b is valid in this epoch */
    lim = block_lim(b, limit);
    if (unlikely(cyc >= lim)) goto out; /* step() runs up to the limit */
    b->ready = c->code_epoch;
    if (unlikely(b->linked != link)) {
        const void *const *table = link == 2u ? label_cached : label;
        for (unsigned i = 0; i < b->n; i++) {
            const xt_insn *d = &b->ins[i].insn;
            b->ins[i].label = d->cost != block_inline_cost(d->op)
                                  ? link == 2u ? &&C_generic : &&generic
                                  : table[d->op];
        }
        b->ins[b->n].label = &&end_of_block;
        b->linked = link;
    }
linked: /* lim = block_lim(b, limit), cyc < lim, b is ready */
    bi = b->ins;
    DISPATCH();

#define XT_OP_BODY(id, mn, fmt, h, p, f)                                                           \
    C_##id : FETCH();                                                                              \
    L_##id : if ((f)&XT_OPF_PURE)                                                                  \
    {                                                                                              \
        exec_##h(c, &bi->insn, p);                                                                 \
        cyc += block_inline_cost(XT_OP_##id) - 1u;                                                 \
        NEXT();                                                                                    \
    }                                                                                              \
    if (XT_OP_##id == XT_OP_L32R || ((f) & (XT_OPF_LOAD | XT_OPF_STORE))) {                        \
        const bool l32r = XT_OP_##id == XT_OP_L32R, st = ((f)&XT_OPF_STORE) != 0;                  \
        const unsigned size = l32r ? 4u : st ? 1u << (p) : load_size(p);                           \
        addr = l32r ? l32r_addr(c, bi->pc, &bi->insn) : a[bi->insn.s] + (uint32_t)bi->insn.imm;    \
        if (likely(!(addr & (size - 1u)))) {                                                       \
            if (st) {                                                                              \
                e = wtlb_hit(c, addr);                                                             \
                if (likely(e != NULL)) {                                                           \
                    cyc += e->wait;                                                                \
                    host_write(tlb_host(e, addr), size, a[bi->insn.t]);                            \
                    if (unlikely(e->code)) goto code_written;                                      \
                    NEXT_CHECKED();                                                                \
                }                                                                                  \
            } else {                                                                               \
                e = rtlb_hit(c, addr, size);                                                       \
                if (likely(e != NULL)) {                                                           \
                    cyc += e->wait;                                                                \
                    if (unlikely(e->cached)) cyc += cache_data(c, addr);                           \
                    v = host_read(tlb_host(e, addr), size);                                        \
                    a[bi->insn.t] = l32r ? v : load_value(v, p);                                   \
                    NEXT_CHECKED();                                                                \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    }                                                                                              \
    if ((fmt) == XT_FMT_BZ || (fmt) == XT_FMT_BI || (fmt) == XT_FMT_BB) {                          \
        if (branch_cond(c, &bi->insn, fmt, p)) {                                                   \
            cyc += XT_CYC_TAKEN; /* the block ends here: no check */                               \
            c->pc = bi->pc + (uint32_t)bi->insn.imm;                                               \
            bi++;                                                                                  \
            if (c->pc == b->pc) goto self_loop;                                                    \
            goto chain_quiet;                                                                      \
        }                                                                                          \
        NEXT();                                                                                    \
    }                                                                                              \
    if (XT_OP_##id == XT_OP_J || XT_OP_##id == XT_OP_CALL0 || XT_OP_##id == XT_OP_CALLX0 ||        \
        XT_OP_##id == XT_OP_JX || XT_OP_##id == XT_OP_RET || XT_OP_##id == XT_OP_RET_N) {          \
        if (likely(quiet)) { /* no on_flow to tell (exec_call0 and co.), no flag to check */       \
            const bool call = XT_OP_##id == XT_OP_CALL0 || XT_OP_##id == XT_OP_CALLX0;             \
            c->pc = XT_OP_##id == XT_OP_J            ? j_target(bi->pc, &bi->insn)                 \
                    : XT_OP_##id == XT_OP_CALL0      ? call0_target(bi->pc, &bi->insn)             \
                    : call || XT_OP_##id == XT_OP_JX ? a[bi->insn.s]                               \
                                                     : a[0];                                       \
            if (call) a[0] = call_return(bi->pc); /* after reading the target (callx0 a0) */       \
            cyc += XT_CYC_TAKEN;                                                                   \
            goto chain_quiet;                                                                      \
        }                                                                                          \
    }                                                                                              \
    if (((f)&XT_OPF_JUMP) && !((f)&XT_OPF_SR) && XT_OP_##id != XT_OP_BREAK &&                      \
        XT_OP_##id != XT_OP_BREAK_N && XT_OP_##id != XT_OP_SYSCALL) {                              \
        SYNC();                                                                                    \
        epoch = c->code_epoch;                                                                     \
        exec_##h(c, &bi->insn, p);                                                                 \
        goto handled;                                                                              \
    }                                                                                              \
    goto generic;
    XT_OPS(XT_OP_BODY)
#undef XT_OP_BODY

code_written: /* a store into a page with blocks: the rest of this block may be stale */
    c->code_epoch++;
    bi++;
    goto fell_through;

C_generic:
    FETCH();
generic:
    /* Every call out of the CPU (MMIO, SIMCALL, exception callbacks) moves code_epoch; then the
     * rest of this block may be stale and is revalidated through chain. */
    epoch = c->code_epoch;
    SYNC();
    xt_handlers[bi->insn.op](c, &bi->insn);
handled:
    cyc = c->cycles + bi->insn.cost;
    bi++;
    cyc -= B_INDEX();
    if (unlikely(c->npc != npc)) {
        c->pc = c->npc;
        hint = &b->next[0];
        goto chain;
    }
    if (unlikely(c->check_irq || c->stop || cyc >= lim || c->code_epoch != epoch))
        goto fell_through;
    DISPATCH();

    /* Reached only through the sentinel: if quiet, nothing set check_irq or stop. */
end_of_block:
    c->pc = b->pc + b->bytes;
    hint = &b->next[1];
    cyc += b->n; /* B_CYCLES(): B_INDEX() is b->n here */
    ni += b->n;
    if (likely(quiet)) goto follow; /* enter checks the limit (lim <= limit) */
    goto check;
fell_through:
    c->pc = bi[-1].pc + bi[-1].insn.len;
    hint = &b->next[1];
chain:
    cyc = B_CYCLES();
    ni += B_INDEX();
check:
    if (unlikely(c->check_irq || c->stop || cyc >= limit)) goto out;
    goto follow;
    /* A taken branch to b's own start; b is still valid, as at chain_quiet, and lim is still
     * block_lim(b, limit). A branch ends its block: B_INDEX() is b->n. */
self_loop:
    cyc += b->n;
    ni += b->n;
    if (likely(cyc < lim)) {
        bi = b->ins;
        DISPATCH();
    }
    goto out; /* enter would stop here too: step() runs up to the limit */
    /* A taken branch to another pc, or a jump, call or return (quiet); nothing called out or
     * wrote code since b was validated. It ends its block: B_INDEX() is b->n. */
chain_quiet:
    cyc += b->n;
    ni += b->n;
    hint = &b->next[0];
    /* c->pc is the next block's start, *hint what b last found there. A hint ready in this
     * epoch is valid and linked for this window. */
follow:
    nb = *hint;
    if (likely(nb->pc == c->pc && nb->ready == c->code_epoch)) {
        b = nb;
        lim = block_lim(b, limit);
        if (unlikely(cyc >= lim)) goto out;
        goto linked;
    }
    off = c->pc - c->code_base;
    if (likely(off < c->code_limit)) {
        nb = block_find(c, dc, c->pc, off);
        if (likely(nb != NULL)) {
            *hint = nb;
            b = nb;
            goto enter;
        }
    }
out:
    c->cycles = cyc;
    c->insns = ni;
#undef B_INDEX
#undef B_CYCLES
#undef DISPATCH
#undef FETCH
#undef NEXT
#undef NEXT_CHECKED
#undef SYNC
}

/* Runs the block at c->pc (building it if needed) and what follows; false to fall back to
 * step() (pc outside the code window, no block can start there, or the block does not fit
 * before limit). */
static inline bool run_block(xt_cpu *c, xt_dcache *dc, uint64_t limit)
{
    uint32_t pc = c->pc;
    uint32_t off = pc - c->code_base;
    if (unlikely(off >= c->code_limit)) return false;
    xt_block *b = block_find(c, dc, pc, off);
    if (!b) {
        b = block_slot(dc, pc);
        if (!block_build(c, b, pc, off)) return false;
    }
    if (c->cycles >= block_lim(b, limit)) return false;
    block_exec(c, dc, b, limit);
    return true;
}

xt_stop xt_run(xt_cpu *c, uint64_t ncycles)
{
    xt_dcache *dc = dcache_get(c);
    if (!dc) return XT_STOP_FATAL;
    c->budget_end = c->cycles + ncycles;
    c->stop = XT_STOP_NONE;
    c->code_epoch++; /* models may have written memory since the last run */
    c->check_irq = true;
    for (;;) {
        if (c->cycles >= c->ccompare_at) ccompare_fire(c);
        if (c->check_irq) {
            c->check_irq = false;
            irq_take(c);
        }
        if (c->stop) break;
        if (c->cycles >= c->budget_end) {
            c->stop = c->waiting ? XT_STOP_IDLE : XT_STOP_BUDGET;
            break;
        }
        uint64_t limit = c->budget_end < c->ccompare_at ? c->budget_end : c->ccompare_at;
        if (c->waiting) {
            c->cycles = limit; /* skip idle time to the next thing that can happen */
            continue;
        }
        /* Blocks stop at the first instruction boundary at or after the limit, as steps do. */
        bool blocks = c->cb.trace == NULL;
        while (c->cycles < limit) {
            if (!(blocks && run_block(c, dc, limit))) {
                step(c, dc);
                c->code_epoch++; /* a hook, breakpoint or handler may have written memory */
            }
            if (unlikely(c->check_irq || c->stop)) break;
        }
    }
    return c->stop;
}
