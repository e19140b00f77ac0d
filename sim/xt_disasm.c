/* sim/xt_disasm.c — LX106 disassembler (output rules in xt_disasm.h, findings in
 * docs/disasm-notes.md). Operand layouts come from the op table (xt_ops.h). */
#include "xt_disasm.h"

#include <stdarg.h>
#include <stdio.h>

/* Output cursor: keeps writing into buf while counting the full length. */
typedef struct dis_out {
    char *buf;
    size_t size;
    size_t len;
} dis_out;

static void dis_printf(dis_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void dis_printf(dis_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = o->len < o->size ? o->buf + o->len : NULL;
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n;
}

/* objdump: non-register, non-PC-relative operands in decimal when -256 < v < 256. */
static void dis_imm(dis_out *o, int32_t v)
{
    if (v > -256 && v < 256)
        dis_printf(o, "%d", (int)v);
    else
        dis_printf(o, "0x%x", (unsigned)v);
}

/* PC-relative operands: the absolute address, hex without leading zeros. */
static void dis_addr(dis_out *o, uint32_t a)
{
    dis_printf(o, "%x", (unsigned)a);
}

static void dis_sr_name(dis_out *o, const xt_insn *d)
{
    const xt_sr_info *sr = &xt_sr_table[(unsigned)d->imm & 0xFFu];
    const char *name = d->op == XT_OP_WSR ? sr->wname : sr->rname;
    if (name)
        dis_printf(o, ".%s", name);
    else
        dis_printf(o, ".%u", (unsigned)d->imm & 0xFFu);
}

size_t xt_disasm(const xt_insn *insn, uint32_t pc, char *buf, size_t size)
{
    dis_out o = {buf, size, 0};
    const xt_insn *d = insn;
    unsigned r = d->r, s = d->s, t = d->t;

    if (size > 0) buf[0] = '\0';
    if (d->op >= XT_OP_ILLEGAL) {
        dis_printf(&o, ".byte %#02x", (unsigned)(d->word & 0xFFu));
        return o.len < size ? o.len : (size > 0 ? size - 1 : 0);
    }
    const xt_opinfo *info = &xt_opinfo_table[d->op];
    dis_printf(&o, "%s", info->name);
    switch (info->fmt) {
    case XT_FMT_NONE: break;
    case XT_FMT_RRR: dis_printf(&o, "\ta%u, a%u, a%u", r, s, t); break;
    case XT_FMT_RT: dis_printf(&o, "\ta%u, a%u", r, t); break;
    case XT_FMT_RS: dis_printf(&o, "\ta%u, a%u", r, s); break;
    case XT_FMT_TS:
    case XT_FMT_MOVN: dis_printf(&o, "\ta%u, a%u", t, s); break;
    case XT_FMT_S: dis_printf(&o, "\ta%u", s); break;
    case XT_FMT_T: dis_printf(&o, "\ta%u", t); break;
    case XT_FMT_IMM:
        dis_printf(&o, "\t");
        dis_imm(&o, d->imm);
        break;
    case XT_FMT_IMM2:
        dis_printf(&o, "\t");
        dis_imm(&o, d->imm);
        dis_printf(&o, ", ");
        dis_imm(&o, d->imm2);
        break;
    case XT_FMT_SHIFT_S:
        dis_printf(&o, "\ta%u, a%u, ", r, s);
        dis_imm(&o, d->imm);
        break;
    case XT_FMT_SHIFT_T:
        dis_printf(&o, "\ta%u, a%u, ", r, t);
        dis_imm(&o, d->imm);
        break;
    case XT_FMT_EXTUI:
        dis_printf(&o, "\ta%u, a%u, ", r, t);
        dis_imm(&o, d->imm);
        dis_printf(&o, ", ");
        dis_imm(&o, d->imm2);
        break;
    case XT_FMT_SR:
        dis_sr_name(&o, d);
        dis_printf(&o, "\ta%u", t);
        break;
    case XT_FMT_RSIL:
    case XT_FMT_MOVI:
        dis_printf(&o, "\ta%u, ", t);
        dis_imm(&o, d->imm);
        break;
    case XT_FMT_L32R:
        dis_printf(&o, "\ta%u, ", t);
        dis_addr(&o, ((pc + 3u) & ~3u) + (uint32_t)d->imm);
        break;
    case XT_FMT_LSAI:
    case XT_FMT_NLS:
        dis_printf(&o, "\ta%u, a%u, ", t, s);
        dis_imm(&o, d->imm);
        break;
    case XT_FMT_CALL0:
        dis_printf(&o, "\t");
        dis_addr(&o, (pc & ~3u) + (uint32_t)d->imm);
        break;
    case XT_FMT_JUMP:
        dis_printf(&o, "\t");
        dis_addr(&o, pc + (uint32_t)d->imm);
        break;
    case XT_FMT_BZ:
        dis_printf(&o, "\ta%u, ", s);
        dis_addr(&o, pc + (uint32_t)d->imm);
        break;
    case XT_FMT_BI:
        dis_printf(&o, "\ta%u, ", s);
        dis_imm(&o, d->imm2);
        dis_printf(&o, ", ");
        dis_addr(&o, pc + (uint32_t)d->imm);
        break;
    case XT_FMT_BB:
        dis_printf(&o, "\ta%u, a%u, ", s, t);
        dis_addr(&o, pc + (uint32_t)d->imm);
        break;
    case XT_FMT_ADDIN:
        dis_printf(&o, "\ta%u, a%u, ", r, s);
        dis_imm(&o, d->imm);
        break;
    case XT_FMT_MOVIN:
        dis_printf(&o, "\ta%u, ", s);
        dis_imm(&o, d->imm);
        break;
    }
    return o.len < size ? o.len : (size > 0 ? size - 1 : 0);
}
