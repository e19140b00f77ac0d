/* models/rom/rom_console.c — the ROM console and UART routines (reference/lx106.md §4.5, §4.6,
 * §3.4; docs/rom.md).
 *
 * Printing is a "console job": the text is formatted at once into esp_rom.out, then sent one
 * character at a time from the re-entry point ROM_PRINT_CONT (inside ets_vprintf), through the
 * putc the job was given: for ets_printf that is ets_write_char, i.e. putc1 then putc2 (read
 * from ROM RAM for each character). A putc that is the ROM's UART writer (ESP_ROM_UART_PUTC:
 * '\n' -> "\r\n", '\r' dropped), uart_tx_one_char or ets_putc is run here: wait until the TX
 * FIFO is empty, then push the byte; any other putc is firmware, called with sim_node_call
 * (the call returns to ROM_PRINT_CONT, which sends the next character). After the last
 * character the routine returns its count to its caller. A job started while another one is in
 * progress (an interrupt handler printing) nests: the interrupted job resumes after it.
 *
 * Arguments follow GCC's Xtensa varargs (xtensa_va_start / xtensa_gimplify_va_arg_expr): a
 * va_list is { int *__va_stk; int *__va_reg; int __va_ndx; }, passed by value (in three
 * registers, e.g. a4, a5, a6 for ets_vprintf). __va_ndx is the byte offset of the next argument,
 * __va_reg + ndx addresses the saved a2..a7 while ndx <= 24, and __va_stk + ndx the stack
 * arguments (__va_stk = incoming stack pointer - 32, so the first stack argument has ndx 32);
 * an 8-byte argument first rounds ndx up to a multiple of 8 (even register pair / even stack
 * slot) and is never split between registers and stack. ets_printf itself starts with ndx = 4
 * (after fmt) on the live registers. */
#include <stdlib.h>
#include <string.h>

#include "rom_services.h"

#define ROM_FMT_MAX_WIDTH   1024u /* width and precision are clamped to this */
#define ROM_OUT_CHAR_CYCLES 8u    /* formatting, per character produced */
#define ROM_OUT_STEP_CYCLES 4u    /* per byte sent or putc called */

/* ---- the UART side ------------------------------------------------------------------------ */

/* UART used by uart_tx_one_char and the UART writer: the byte at 0x3FFFDE50 (1 = UART1, any
 * other value UART0). False after a fault. */
static bool rom_tx_uart(esp8266 *m, esp_uart **u)
{
    uint8_t idx;
    if (!rom_read(m, ESP_ROM_UART_INDEX, &idx, 1)) return false;
    *u = &m->uart[idx == 1 ? 1 : 0];
    return true;
}

/* True when the TX FIFO is empty (STATUS bits 23:16 = 0). Otherwise charges time toward the
 * moment it drains (at least one cycle) and returns false: the caller stays put. */
static bool rom_tx_ready(esp8266 *m, esp_uart *u)
{
    if (((esp_uart_read(u, ESP_UART_STATUS, 4) >> 16) & 0xFFu) == 0) return true;
    if (rom_wait_until(m, esp_uart_tx_idle_at(u))) xt_charge(rom_cpu(m), 1);
    return false;
}

/* ---- formatting ----------------------------------------------------------------------------- */

static bool out_reserve(esp8266 *m, size_t more)
{
    esp_rom *r = &m->rom;
    if (r->out_len + more <= r->out_cap) return true;
    size_t cap = r->out_cap ? r->out_cap : 256;
    while (cap < r->out_len + more)
        cap *= 2;
    char *p = realloc(r->out, cap);
    if (!p) {
        sim_node_fault(&m->node, "out of host memory formatting ROM console output");
        return false;
    }
    r->out = p;
    r->out_cap = cap;
    return true;
}

static bool out_putn(esp8266 *m, char c, size_t n)
{
    if (n == 0) return true;
    if (!out_reserve(m, n)) return false;
    memset(m->rom.out + m->rom.out_len, c, n);
    m->rom.out_len += n;
    return true;
}

static bool out_puts(esp8266 *m, const char *s, size_t n)
{
    if (n == 0) return true;
    if (!out_reserve(m, n)) return false;
    memcpy(m->rom.out + m->rom.out_len, s, n);
    m->rom.out_len += n;
    return true;
}

/* Where the variable arguments come from (see the header comment). */
typedef struct rom_va {
    uint32_t stk, reg, ndx;
    bool live;        /* registers from regs[] (ets_printf) instead of guest memory at reg */
    uint32_t regs[6]; /* a2..a7 at entry */
} rom_va;

static bool va_fetch(esp8266 *m, rom_va *va, unsigned size, uint64_t *out)
{
    uint32_t ndx = va->ndx;
    if (size == 8) ndx = (ndx + 7u) & ~7u;
    uint32_t next = ndx + size;
    bool in_regs = next <= 24u;
    if (!in_regs && ndx <= 24u) next = 32u + size;
    va->ndx = next;
    uint32_t off = next - size;
    uint32_t w[2] = {0, 0};
    for (unsigned i = 0; i < size / 4u; i++) {
        uint32_t o = off + 4u * i;
        if (in_regs && va->live)
            w[i] = va->regs[(o / 4u) % 6u];
        else if (!rom_read32(m, (in_regs ? va->reg : va->stk) + o, &w[i]))
            return false;
    }
    *out = (uint64_t)w[1] << 32 | w[0];
    return true;
}

typedef struct rom_spec {
    bool left, zero, plus, space, alt;
    unsigned width, prec;
    bool has_prec;
} rom_spec;

/* Pads body (already with its sign/prefix split off) to the field width. */
static bool out_field(esp8266 *m, const rom_spec *sp, const char *prefix, size_t plen,
                      const char *body, size_t blen, size_t zeros)
{
    size_t len = plen + zeros + blen;
    size_t pad = sp->width > len ? sp->width - len : 0;
    if (!sp->left && sp->zero && !sp->has_prec) {
        zeros += pad;
        pad = 0;
    }
    if (!sp->left && !out_putn(m, ' ', pad)) return false;
    if (!out_puts(m, prefix, plen) || !out_putn(m, '0', zeros) || !out_puts(m, body, blen))
        return false;
    return !sp->left || out_putn(m, ' ', pad);
}

static bool out_number(esp8266 *m, const rom_spec *sp, uint64_t v, bool neg, unsigned base,
                       bool upper, bool is_signed)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    size_t n = 0;
    while (v) {
        buf[sizeof(buf) - ++n] = dig[v % base];
        v /= base;
    }
    bool zero_value = n == 0;
    if (zero_value && !(sp->has_prec && sp->prec == 0)) buf[sizeof(buf) - ++n] = '0';
    char prefix[2];
    size_t plen = 0;
    if (is_signed && neg)
        prefix[plen++] = '-';
    else if (is_signed && sp->plus)
        prefix[plen++] = '+';
    else if (is_signed && sp->space)
        prefix[plen++] = ' ';
    if (sp->alt && base == 16 && !zero_value) {
        prefix[plen++] = '0';
        prefix[plen++] = upper ? 'X' : 'x';
    }
    size_t zeros = sp->has_prec && sp->prec > n ? sp->prec - n : 0;
    if (sp->alt && base == 8 && zeros == 0 && (n == 0 || buf[sizeof(buf) - n] != '0')) zeros = 1;
    return out_field(m, sp, prefix, plen, buf + sizeof(buf) - n, n, zeros);
}

static bool fmt_byte(esp8266 *m, uint32_t *p, uint8_t *c)
{
    if (!rom_read(m, *p, c, 1)) return false;
    (*p)++;
    return true;
}

static bool fmt_uint(esp8266 *m, uint32_t *p, uint8_t *c, unsigned *v)
{
    unsigned x = 0;
    while (*c >= '0' && *c <= '9') {
        x = x * 10u + (unsigned)(*c - '0');
        if (x > ROM_FMT_MAX_WIDTH) x = ROM_FMT_MAX_WIDTH;
        if (!fmt_byte(m, p, c)) return false;
    }
    *v = x;
    return true;
}

/* Formats the guest format string at fmt with arguments from va, appending to out. Returns
 * false after a fault (exception raised) or a host failure (node stopped). */
static bool rom_format(esp8266 *m, uint32_t fmt, rom_va *va)
{
    uint32_t p = fmt;
    for (;;) {
        uint8_t c;
        if (!fmt_byte(m, &p, &c)) return false;
        if (!c) return true;
        if (c != '%') {
            if (!out_putn(m, (char)c, 1)) return false;
            continue;
        }
        rom_spec sp = {0};
        if (!fmt_byte(m, &p, &c)) return false;
        for (;;) {
            if (c == '-')
                sp.left = true;
            else if (c == '0')
                sp.zero = true;
            else if (c == '+')
                sp.plus = true;
            else if (c == ' ')
                sp.space = true;
            else if (c == '#')
                sp.alt = true;
            else
                break;
            if (!fmt_byte(m, &p, &c)) return false;
        }
        uint64_t a;
        if (c == '*') {
            if (!va_fetch(m, va, 4, &a)) return false;
            int32_t w = (int32_t)(uint32_t)a;
            if (w < 0) {
                sp.left = true;
                w = w == INT32_MIN ? INT32_MAX : -w;
            }
            sp.width = (unsigned)w > ROM_FMT_MAX_WIDTH ? ROM_FMT_MAX_WIDTH : (unsigned)w;
            if (!fmt_byte(m, &p, &c)) return false;
        } else if (!fmt_uint(m, &p, &c, &sp.width)) {
            return false;
        }
        if (c == '.') {
            sp.has_prec = true;
            if (!fmt_byte(m, &p, &c)) return false;
            if (c == '*') {
                if (!va_fetch(m, va, 4, &a)) return false;
                int32_t pr = (int32_t)(uint32_t)a;
                if (pr < 0)
                    sp.has_prec = false;
                else
                    sp.prec = (unsigned)pr > ROM_FMT_MAX_WIDTH ? ROM_FMT_MAX_WIDTH : (unsigned)pr;
                if (!fmt_byte(m, &p, &c)) return false;
            } else if (!fmt_uint(m, &p, &c, &sp.prec)) {
                return false;
            }
        }
        unsigned longs = 0;
        while (c == 'l' || c == 'h') {
            if (c == 'l') longs++;
            if (!fmt_byte(m, &p, &c)) return false;
        }
        unsigned size = longs >= 2 ? 8u : 4u;
        bool ok = true;
        switch (c) {
        case 'd':
        case 'i': {
            if (!va_fetch(m, va, size, &a)) return false;
            int64_t v = size == 8 ? (int64_t)a : (int64_t)(int32_t)(uint32_t)a;
            uint64_t mag = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
            ok = out_number(m, &sp, mag, v < 0, 10, false, true);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            if (!va_fetch(m, va, size, &a)) return false;
            unsigned base = c == 'u' ? 10u : c == 'o' ? 8u : 16u;
            ok = out_number(m, &sp, a, false, base, c == 'X', false);
            break;
        }
        case 'p': { /* "0x" and 8 lowercase hex digits */
            if (!va_fetch(m, va, 4, &a)) return false;
            char hex[8];
            for (unsigned i = 0; i < 8; i++)
                hex[i] = "0123456789abcdef"[(a >> (28 - 4 * i)) & 15u];
            ok = out_field(m, &sp, "0x", 2, hex, 8, 0);
            break;
        }
        case 'c': {
            if (!va_fetch(m, va, 4, &a)) return false;
            char ch = (char)(uint8_t)a;
            ok = out_field(m, &sp, "", 0, &ch, 1, 0);
            break;
        }
        case 's': {
            if (!va_fetch(m, va, 4, &a)) return false;
            uint32_t s = (uint32_t)a;
            /* the string is read into out, then moved behind its padding */
            size_t start = m->rom.out_len;
            if (s == 0) {
                size_t n = sp.has_prec && sp.prec < 6 ? sp.prec : 6;
                ok = out_puts(m, "(null)", n);
            } else {
                for (size_t i = 0; !sp.has_prec || i < sp.prec; i++) {
                    uint8_t b;
                    if (!rom_read(m, s + (uint32_t)i, &b, 1)) return false;
                    if (!b) break;
                    if (!out_putn(m, (char)b, 1)) return false;
                }
            }
            if (!ok) return false;
            size_t n = m->rom.out_len - start;
            if (sp.width > n) {
                size_t pad = sp.width - n;
                if (!out_reserve(m, pad)) return false;
                char *o = m->rom.out + start;
                if (!sp.left) {
                    memmove(o + pad, o, n);
                    memset(o, ' ', pad);
                } else {
                    memset(o + n, ' ', pad);
                }
                m->rom.out_len += pad;
            }
            break;
        }
        case '%': ok = out_putn(m, '%', 1); break;
        case 0: return true;
        default: ok = out_putn(m, '%', 1) && out_putn(m, (char)c, 1); break;
        }
        if (!ok) return false;
    }
}

/* ---- console jobs --------------------------------------------------------------------------- */

/* Called at the start of every printing service: a console job never has empty text, so
 * out_len == 0 means none is in progress (whatever a reset left in out_depth). */
static size_t job_begin(esp8266 *m)
{
    esp_rom *r = &m->rom;
    if (r->out_len == 0) r->out_depth = 0;
    return r->out_len;
}

/* Starts sending out[base, out_len) through vputc; the routine then returns ret. */
static void job_start(esp8266 *m, size_t base, uint32_t vputc, uint32_t ret)
{
    esp_rom *r = &m->rom;
    if (r->out_len == base) {
        rom_return(m, ret);
        return;
    }
    if (r->out_depth >= ESP_ROM_OUT_NEST) {
        r->out_len = base;
        sim_node_fault(&m->node,
                       "ROM console output nested more than %u deep (a putc that "
                       "prints, or printing from nested interrupts)",
                       ESP_ROM_OUT_NEST);
        return;
    }
    if (r->out_depth > 0) {
        struct esp_rom_out_job *j = &r->out_nest[r->out_depth - 1];
        j->base = r->out_base;
        j->pos = r->out_pos;
        j->vputc = r->out_vputc;
        j->putc[0] = r->out_putc[0];
        j->putc[1] = r->out_putc[1];
        j->ret = r->out_ret;
        j->stage = r->out_stage;
    }
    r->out_depth++;
    r->out_base = r->out_pos = base;
    r->out_vputc = vputc;
    r->out_putc[0] = r->out_putc[1] = 0;
    r->out_ret = ret;
    r->out_stage = 0;
    rom_cpu(m)->pc = ROM_PRINT_CONT;
}

static void job_finish(esp8266 *m)
{
    esp_rom *r = &m->rom;
    uint32_t ret = r->out_ret;
    r->out_len = r->out_base;
    r->out_depth--;
    if (r->out_depth > 0) {
        const struct esp_rom_out_job *j = &r->out_nest[r->out_depth - 1];
        r->out_base = j->base;
        r->out_pos = j->pos;
        r->out_vputc = j->vputc;
        r->out_putc[0] = j->putc[0];
        r->out_putc[1] = j->putc[1];
        r->out_ret = j->ret;
        r->out_stage = j->stage;
    } else {
        r->out_base = r->out_pos = 0;
    }
    rom_return(m, ret);
}

/* The byte the UART writer sends for character c in part 0 or 1, or -1 for none. */
static int uart_writer_byte(char c, unsigned part)
{
    if (c == '\r') return -1;
    if (c == '\n') return part == 0 ? '\r' : '\n';
    return part == 0 ? (uint8_t)c : -1;
}

/* ROM_PRINT_CONT: one step of the current job. out_stage = 2 * target + part. */
void rom_svc_print_cont(esp8266 *m)
{
    esp_rom *r = &m->rom;
    xt_cpu *c = rom_cpu(m);
    if (r->out_depth == 0 || r->out_len == 0) {
        sim_node_fault(&m->node, "ROM console continuation reached with no output in progress");
        return;
    }
    if (r->out_pos >= r->out_len) {
        job_finish(m);
        return;
    }
    char ch = r->out[r->out_pos];
    if (r->out_stage == 0) {
        if (r->out_vputc == ROM_ets_write_char) {
            if (!rom_read32(m, ESP_ROM_PUTC1, &r->out_putc[0]) ||
                !rom_read32(m, ESP_ROM_PUTC2, &r->out_putc[1]))
                return;
        } else {
            r->out_putc[0] = r->out_vputc;
            r->out_putc[1] = 0;
        }
    }
    for (;;) {
        unsigned k = r->out_stage >> 1, part = r->out_stage & 1u;
        if (k >= 2) {
            r->out_pos++;
            r->out_stage = 0;
            r->printed++;
            xt_charge(c, ROM_OUT_STEP_CYCLES);
            return;
        }
        uint32_t t = r->out_putc[k];
        int byte = -1;
        if (t == ESP_ROM_UART_PUTC)
            byte = uart_writer_byte(ch, part);
        else if (t == ROM_uart_tx_one_char || t == ROM_ets_putc)
            byte = part ? -1 : (uint8_t)ch;
        else if (t != 0 && part == 0) {
            /* firmware putc: the call returns to ROM_PRINT_CONT with the next stage set */
            r->out_stage = (k + 1) << 1;
            const uint32_t arg = (uint8_t)ch;
            xt_charge(c, ROM_OUT_STEP_CYCLES);
            sim_node_call(&m->node, t, &arg, 1, NULL, NULL);
            return;
        }
        if (byte < 0) {
            r->out_stage = (k + 1) << 1;
            continue;
        }
        esp_uart *u;
        if (!rom_tx_uart(m, &u)) return;
        if (!rom_tx_ready(m, u)) return;
        esp_uart_tx_push(u, (uint8_t)byte);
        r->out_stage = part ? (k + 1) << 1 : r->out_stage + 1;
        xt_charge(c, ROM_OUT_STEP_CYCLES);
        return;
    }
}

/* Formats fmt with va and starts the job; returns the count through the job. */
static void rom_printf_common(esp8266 *m, uint32_t fmt, rom_va *va, uint32_t vputc)
{
    size_t base = job_begin(m);
    if (!rom_format(m, fmt, va)) {
        m->rom.out_len = base;
        return;
    }
    size_t n = m->rom.out_len - base;
    xt_charge(rom_cpu(m), (uint64_t)n * ROM_OUT_CHAR_CYCLES);
    job_start(m, base, vputc, (uint32_t)n);
}

static void rom_va_live(esp8266 *m, rom_va *va)
{
    xt_cpu *c = rom_cpu(m);
    memset(va, 0, sizeof(*va));
    va->live = true;
    memcpy(va->regs, &c->a[2], sizeof(va->regs));
    va->stk = c->a[1] - 32u;
    va->ndx = 4; /* after fmt */
}

/* int ets_printf(const char *fmt, ...): 0 and no output when neither putc1 nor putc2 is set. */
void rom_svc_ets_printf(esp8266 *m)
{
    uint32_t p1, p2;
    if (!rom_read32(m, ESP_ROM_PUTC1, &p1) || !rom_read32(m, ESP_ROM_PUTC2, &p2)) return;
    if (!p1 && !p2) {
        rom_return(m, 0);
        return;
    }
    rom_va va;
    rom_va_live(m, &va);
    rom_printf_common(m, rom_arg(m, 0), &va, ROM_ets_write_char);
}

/* int ets_uart_printf(const char *fmt, ...): through the UART writer whatever putc1 is. */
void rom_svc_ets_uart_printf(esp8266 *m)
{
    rom_va va;
    rom_va_live(m, &va);
    rom_printf_common(m, rom_arg(m, 0), &va, ESP_ROM_UART_PUTC);
}

/* int ets_vprintf(void (*putc)(char), const char *fmt, va_list ap): ap by value in a4..a6. A
 * NULL putc prints nothing (the count is still returned). */
void rom_svc_ets_vprintf(esp8266 *m)
{
    rom_va va = {.stk = rom_arg(m, 2), .reg = rom_arg(m, 3), .ndx = rom_arg(m, 4)};
    rom_printf_common(m, rom_arg(m, 1), &va, rom_arg(m, 0));
}

/* A one-character job. */
static void rom_put_one(esp8266 *m, uint32_t vputc)
{
    size_t base = job_begin(m);
    if (!out_putn(m, (char)(uint8_t)rom_arg(m, 0), 1)) return;
    job_start(m, base, vputc, 0);
}

/* void ets_write_char(char c): putc1 (if set), then putc2 (if set). */
void rom_svc_ets_write_char(esp8266 *m)
{
    rom_put_one(m, ROM_ets_write_char);
}

/* The ROM's UART writer (ESP_ROM_UART_PUTC, what ets_install_uart_printf installs). */
void rom_svc_uart_putc(esp8266 *m)
{
    rom_put_one(m, ESP_ROM_UART_PUTC);
}

/* void ets_install_putc1(void (*)(char)), ets_install_putc2, ets_install_uart_printf(void) */
void rom_svc_ets_install_putc1(esp8266 *m)
{
    if (!rom_write32(m, ESP_ROM_PUTC1, rom_arg(m, 0))) return;
    rom_return_void(m);
}

void rom_svc_ets_install_putc2(esp8266 *m)
{
    if (!rom_write32(m, ESP_ROM_PUTC2, rom_arg(m, 0))) return;
    rom_return_void(m);
}

void rom_svc_ets_install_uart_printf(esp8266 *m)
{
    if (!rom_write32(m, ESP_ROM_PUTC1, ESP_ROM_UART_PUTC)) return;
    rom_return_void(m);
}

/* ---- UART routines (§4.6) ------------------------------------------------------------------ */

/* uint32 uart_tx_one_char(uint8 c): waits until the TX FIFO is empty, pushes c, returns 0. The
 * wait re-enters this routine, so nothing is remembered between entries. */
void rom_svc_uart_tx_one_char(esp8266 *m)
{
    esp_uart *u;
    if (!rom_tx_uart(m, &u) || !rom_tx_ready(m, u)) return;
    esp_uart_tx_push(u, (uint8_t)rom_arg(m, 0));
    rom_return(m, 0);
}

/* void ets_putc(char c) = uart_tx_one_char(c), no newline translation. */
void rom_svc_ets_putc(esp8266 *m)
{
    esp_uart *u;
    if (!rom_tx_uart(m, &u) || !rom_tx_ready(m, u)) return;
    esp_uart_tx_push(u, (uint8_t)rom_arg(m, 0));
    rom_return_void(m);
}

/* uint32 uart_rx_one_char(uint8 *c): UART0; 0 and *c = the byte, or 1 if none is waiting. */
void rom_svc_uart_rx_one_char(esp8266 *m)
{
    uint8_t b;
    if (!esp_uart_rx_pop(&m->uart[0], &b)) {
        rom_return(m, 1);
        return;
    }
    if (!rom_write(m, rom_arg(m, 0), &b, 1)) return;
    rom_return(m, 0);
}

/* uint8 uart_rx_one_char_block(void): waits (re-entering, time passing to each next event)
 * until UART0 has a byte. */
void rom_svc_uart_rx_one_char_block(esp8266 *m)
{
    uint8_t b;
    if (!esp_uart_rx_pop(&m->uart[0], &b)) {
        rom_wait_until(m, SIM_TIME_NEVER);
        return;
    }
    rom_return(m, b);
}

/* void ets_getc(char *c): uart_rx_one_char_block into *c. */
void rom_svc_ets_getc(esp8266 *m)
{
    uint8_t b;
    if (!esp_uart_rx_pop(&m->uart[0], &b)) {
        rom_wait_until(m, SIM_TIME_NEVER);
        return;
    }
    if (!rom_write(m, rom_arg(m, 0), &b, 1)) return;
    rom_return_void(m);
}

/* void uart_div_modify(uint8 uart_no, uint32 div): CLKDIV = div, then both FIFOs reset (CONF0
 * bits 17 and 18 set, then cleared). uart_no other than 0/1 is ignored. */
void rom_svc_uart_div_modify(esp8266 *m)
{
    uint32_t no = rom_arg(m, 0) & 0xFFu;
    if (no <= 1) {
        esp_uart *u = &m->uart[no];
        const uint32_t rst = (1u << 17) | (1u << 18);
        esp_uart_write(u, ESP_UART_CLKDIV, rom_arg(m, 1), 4);
        uint32_t conf0 = esp_uart_read(u, ESP_UART_CONF0, 4);
        esp_uart_write(u, ESP_UART_CONF0, conf0 | rst, 4);
        esp_uart_write(u, ESP_UART_CONF0, conf0 & ~rst, 4);
    }
    rom_return_void(m);
}
