/* qsim.c — semihosting and minimal libc for qemu-sim guest programs. Built with
 * -fno-builtin -fno-tree-loop-distribute-patterns so the loops below are not turned back into
 * calls to themselves. */
#include "qsim.h"

#include <stdarg.h>

static inline int qs_simcall(int nr, int a, int b, int c)
{
    register int a2 __asm__("a2") = nr;
    register int a3 __asm__("a3") = a;
    register int a4 __asm__("a4") = b;
    register int a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

int qs_write(int fd, const void *buf, unsigned len)
{
    return qs_simcall(4, fd, (int)(uintptr_t)buf, (int)len);
}

int qs_read(int fd, void *buf, unsigned len)
{
    return qs_simcall(3, fd, (int)(uintptr_t)buf, (int)len);
}

void qs_exit(int code)
{
    qs_simcall(1, code, 0, 0);
    for (;;) {
    }
}

void qs_puts(const char *s)
{
    qs_write(1, s, (unsigned)strlen(s));
}

typedef struct qs_out {
    char buf[128];
    unsigned n;
    int total;
} qs_out;

static void qs_flush(qs_out *o)
{
    if (o->n) qs_write(1, o->buf, o->n);
    o->n = 0;
}

static void qs_put(qs_out *o, char c)
{
    if (o->n == sizeof(o->buf)) qs_flush(o);
    o->buf[o->n++] = c;
    o->total++;
}

/* Unsigned to text without division (the guest has no divide instruction). */
static unsigned qs_utoa(uint32_t v, unsigned base, int upper, char *tmp)
{
    unsigned n = 0;
    if (base == 16) {
        do {
            unsigned d = v & 15u;
            tmp[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
            v >>= 4;
        } while (v);
        return n;
    }
    static const uint32_t pow10[] = {1000000000u, 100000000u, 10000000u, 1000000u, 100000u,
                                     10000u,      1000u,      100u,      10u,      1u};
    char digits[10];
    unsigned k = 0;
    int started = 0;
    for (unsigned i = 0; i < 10; i++) {
        unsigned d = 0;
        while (v >= pow10[i]) {
            v -= pow10[i];
            d++;
        }
        if (d || started || i == 9) {
            digits[k++] = (char)('0' + d);
            started = 1;
        }
    }
    for (unsigned i = 0; i < k; i++)
        tmp[n++] = digits[k - 1 - i];
    return n;
}

int qs_printf(const char *fmt, ...)
{
    qs_out o = {.n = 0, .total = 0};
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            qs_put(&o, *p);
            continue;
        }
        p++;
        char pad = ' ';
        unsigned width = 0;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (unsigned)(*p++ - '0');
        if (*p == 'l') p++;
        char tmp[12];
        unsigned n = 0;
        int neg = 0;
        switch (*p) {
        case 'd':
        case 'i': {
            int32_t v = va_arg(ap, int32_t);
            uint32_t u = (uint32_t)v;
            if (v < 0) {
                neg = 1;
                u = 0u - u;
            }
            n = qs_utoa(u, 10, 0, tmp);
            break;
        }
        case 'u': n = qs_utoa(va_arg(ap, uint32_t), 10, 0, tmp); break;
        case 'p':
        case 'x': n = qs_utoa(va_arg(ap, uint32_t), 16, 0, tmp); break;
        case 'X': n = qs_utoa(va_arg(ap, uint32_t), 16, 1, tmp); break;
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            n = 1;
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            unsigned len = (unsigned)strlen(s);
            for (unsigned i = len; i < width; i++)
                qs_put(&o, ' ');
            while (*s)
                qs_put(&o, *s++);
            continue;
        }
        case '%': qs_put(&o, '%'); continue;
        default:
            qs_put(&o, '%');
            qs_put(&o, *p);
            continue;
        }
        unsigned len = n + (unsigned)neg;
        if (neg && pad == '0') qs_put(&o, '-');
        for (unsigned i = len; i < width; i++)
            qs_put(&o, pad);
        if (neg && pad != '0') qs_put(&o, '-');
        while (n)
            qs_put(&o, tmp[--n]);
    }
    va_end(ap);
    qs_flush(&o);
    return o.total;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
        while (n >= 4) {
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
            d += 4;
            s += 4;
            n -= 4;
        }
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d <= s || d >= s + n) return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

uint32_t qs_fnv1a(uint32_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 16777619u;
    }
    return h;
}
