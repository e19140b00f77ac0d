/* tests/cpu/asm/harness.c — printing side of the CPU test macros (macros.inc) and the
 * state shared with the exception vectors (vectors.S). Called with CALL0 from the macros,
 * which save every register around the call. */
#include "harness.h"

struct h_state h_state;

void h_test(const char *name)
{
    qs_printf("[%s]\n", name);
}

void h_puts(const char *s)
{
    qs_puts(s);
}

void h_check(const char *label, uint32_t v)
{
    qs_printf("  %s = %08x\n", label, v);
}

/* Formats 8 hex digits without printf: dumps are large and their cost shows in traces. */
static char *h_hex8(char *p, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 7; i >= 0; i--)
        p[i] = digits[(v >> (4 * (7 - i))) & 15u];
    return p + 8;
}

void h_dump(const char *name, const uint32_t *buf, unsigned n)
{
    char line[8 * 9 + 8];
    qs_printf("  %s:", name);
    for (unsigned i = 0; i < n; i += 8) {
        char *p = line;
        if (i) {
            memcpy(p, "\n   ", 4);
            p += 4;
        }
        for (unsigned k = i; k < n && k < i + 8; k++) {
            *p++ = ' ';
            p = h_hex8(p, buf[k]);
        }
        qs_write(1, line, (unsigned)(p - line));
    }
    qs_write(1, "\n", 1);
}

static const char *h_kind_name(uint32_t kind)
{
    switch (kind) {
    case 'U': return "user";
    case 'K': return "kernel";
    case 'D': return "double";
    case 'B': return "debug";
    case 'N': return "nmi";
    default: return "?";
    }
}

void h_exc(unsigned flags)
{
    uint32_t n = h_state.n;
    if (n == 0) qs_printf("  exc: none\n");
    for (uint32_t i = 0; i < n && i < H_LOG_SIZE; i++) {
        const struct h_rec *r = &h_state.log[i];
        qs_printf("  exc: %s cause=%u", h_kind_name(r->kind), r->cause);
        if (!(flags & H_EXC_ASYNC)) qs_printf(" epc=%08x", r->epc);
        qs_printf(" vaddr=%08x ps=%02x aux=%08x int=%04x ie=%04x\n", r->vaddr, r->ps,
                  (flags & H_EXC_ASYNC) && r->kind == 'D' ? 0u : r->aux, r->intr, r->inten);
    }
    if (n > H_LOG_SIZE) qs_printf("  exc: %u more\n", n - H_LOG_SIZE);
    h_state.n = 0;
    /* a resume point that no exception used must not leak into the next check */
    h_state.resume = 0;
    h_state.dresume = 0;
}
