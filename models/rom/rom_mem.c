/* models/rom/rom_mem.c — the ROM's memory and string routines and rand/srand
 * (reference/lx106.md §4.7): standard C semantics on guest memory through the bus, so IRAM and
 * other 32-bit-only regions work byte-wise and a bad pointer raises the exception the ROM's
 * loads and stores would (LoadProhibited / StoreProhibited / LoadStoreError at the routine's
 * address). Cost: the table's fixed part plus n/4 cycles for n bytes processed (docs/rom.md). */
#include <stdlib.h>
#include <string.h>

#include "rom_services.h"

#define ROM_RAM_RAND  0x3FFFC6F8u /* rand() state word (§4.1) */
#define ROM_MEM_CHUNK 256u

static void rom_mem_cost(esp8266 *m, uint64_t bytes)
{
    xt_charge(rom_cpu(m), bytes / 4u);
}

/* memmove semantics, chunk by chunk in the safe direction. */
static bool rom_move(esp8266 *m, uint32_t dst, uint32_t src, uint32_t n)
{
    uint8_t buf[ROM_MEM_CHUNK];
    bool backward = dst > src && dst - src < n;
    uint32_t done = 0;
    while (done < n) {
        uint32_t k = n - done < ROM_MEM_CHUNK ? n - done : ROM_MEM_CHUNK;
        uint32_t off = backward ? n - done - k : done;
        if (!rom_read(m, src + off, buf, k) || !rom_write(m, dst + off, buf, k)) return false;
        done += k;
    }
    return true;
}

static bool rom_fill(esp8266 *m, uint32_t dst, uint8_t v, uint32_t n)
{
    uint8_t buf[ROM_MEM_CHUNK];
    memset(buf, v, sizeof(buf));
    for (uint32_t done = 0; done < n;) {
        uint32_t k = n - done < ROM_MEM_CHUNK ? n - done : ROM_MEM_CHUNK;
        if (!rom_write(m, dst + done, buf, k)) return false;
        done += k;
    }
    return true;
}

static bool rom_byte_at(esp8266 *m, uint32_t addr, uint8_t *b)
{
    return rom_read(m, addr, b, 1);
}

/* A guest string (without its NUL) into a malloc'd host buffer; false after a fault (the
 * exception is raised) or when the host is out of memory (the node stops). */
static bool rom_fetch_str(esp8266 *m, uint32_t addr, uint8_t **out, size_t *len)
{
    size_t cap = 64, n = 0;
    uint8_t *s = malloc(cap);
    for (;;) {
        if (!s) {
            sim_node_fault(&m->node, "out of host memory reading a guest string");
            return false;
        }
        uint8_t b;
        if (!rom_byte_at(m, addr + (uint32_t)n, &b)) {
            free(s);
            return false;
        }
        if (!b) break;
        if (n + 1 == cap) {
            cap *= 2;
            uint8_t *t = realloc(s, cap);
            if (!t) free(s);
            s = t;
            if (!s) continue;
        }
        s[n++] = b;
    }
    *out = s;
    *len = n;
    return true;
}

/* ---- rand ---------------------------------------------------------------------------------- */

/* void srand(unsigned seed): state word = seed. */
void rom_svc_srand(esp8266 *m)
{
    if (!rom_write32(m, ROM_RAM_RAND, rom_arg(m, 0))) return;
    rom_return_void(m);
}

/* int rand(void): state = state * 1103515245 + 12345 (mod 2^32), returns state >> 1 (0 ..
 * 0x7FFFFFFF). The ROM's own generator is not known; this one is ours (docs/rom.md). */
void rom_svc_rand(esp8266 *m)
{
    uint32_t s;
    if (!rom_read32(m, ROM_RAM_RAND, &s)) return;
    s = s * 1103515245u + 12345u;
    if (!rom_write32(m, ROM_RAM_RAND, s)) return;
    rom_return(m, s >> 1);
}

/* ---- memory -------------------------------------------------------------------------------- */

/* void *memset(void *s, int c, size_t n) = ets_memset */
void rom_svc_memset(esp8266 *m)
{
    uint32_t dst = rom_arg(m, 0), n = rom_arg(m, 2);
    rom_mem_cost(m, n);
    if (!rom_fill(m, dst, (uint8_t)rom_arg(m, 1), n)) return;
    rom_return(m, dst);
}

/* void bzero(void *s, size_t n) = ets_bzero */
void rom_svc_bzero(esp8266 *m)
{
    uint32_t n = rom_arg(m, 1);
    rom_mem_cost(m, n);
    if (!rom_fill(m, rom_arg(m, 0), 0, n)) return;
    rom_return_void(m);
}

/* void *memcpy(void *dst, const void *src, size_t n), memmove, ets_memcpy, ets_memmove: all
 * copy as memmove does (overlapping memcpy is undefined in C; here it behaves like memmove). */
void rom_svc_memcpy(esp8266 *m)
{
    uint32_t dst = rom_arg(m, 0), n = rom_arg(m, 2);
    rom_mem_cost(m, n);
    if (!rom_move(m, dst, rom_arg(m, 1), n)) return;
    rom_return(m, dst);
}

/* int memcmp(const void *a, const void *b, size_t n) = ets_memcmp: the difference of the first
 * differing bytes (as unsigned char), 0 if none. */
void rom_svc_memcmp(esp8266 *m)
{
    uint32_t a = rom_arg(m, 0), b = rom_arg(m, 1), n = rom_arg(m, 2);
    uint8_t x[ROM_MEM_CHUNK], y[ROM_MEM_CHUNK];
    for (uint32_t done = 0; done < n;) {
        uint32_t k = n - done < ROM_MEM_CHUNK ? n - done : ROM_MEM_CHUNK;
        if (!rom_read(m, a + done, x, k) || !rom_read(m, b + done, y, k)) return;
        for (uint32_t i = 0; i < k; i++) {
            if (x[i] != y[i]) {
                rom_mem_cost(m, done + i + 1);
                rom_return(m, (uint32_t)((int32_t)x[i] - (int32_t)y[i]));
                return;
            }
        }
        done += k;
    }
    rom_mem_cost(m, n);
    rom_return(m, 0);
}

/* ---- strings ------------------------------------------------------------------------------- */

/* size_t strlen(const char *s) = ets_strlen */
void rom_svc_strlen(esp8266 *m)
{
    uint32_t s = rom_arg(m, 0), n = 0;
    for (;; n++) {
        uint8_t b;
        if (!rom_byte_at(m, s + n, &b)) return;
        if (!b) break;
    }
    rom_mem_cost(m, (uint64_t)n + 1);
    rom_return(m, n);
}

/* char *strcpy(char *dst, const char *src) = ets_strcpy */
void rom_svc_strcpy(esp8266 *m)
{
    uint32_t dst = rom_arg(m, 0), src = rom_arg(m, 1), n = 0;
    for (;; n++) {
        uint8_t b;
        if (!rom_byte_at(m, src + n, &b) || !rom_write(m, dst + n, &b, 1)) return;
        if (!b) break;
    }
    rom_mem_cost(m, (uint64_t)n + 1);
    rom_return(m, dst);
}

/* char *strncpy(char *dst, const char *src, size_t n) = ets_strncpy: at most n bytes, the rest
 * of the n filled with NULs; no NUL is added when src is n bytes or longer. */
void rom_svc_strncpy(esp8266 *m)
{
    uint32_t dst = rom_arg(m, 0), src = rom_arg(m, 1), n = rom_arg(m, 2), i = 0;
    for (; i < n; i++) {
        uint8_t b;
        if (!rom_byte_at(m, src + i, &b)) return;
        if (!b) break;
        if (!rom_write(m, dst + i, &b, 1)) return;
    }
    if (!rom_fill(m, dst + i, 0, n - i)) return;
    rom_mem_cost(m, n);
    rom_return(m, dst);
}

/* Compares at most n bytes of two strings (n = UINT32_MAX: unbounded). */
static void rom_strcmp_n(esp8266 *m, uint32_t a, uint32_t b, uint32_t n)
{
    uint32_t i = 0;
    int32_t d = 0;
    for (; i < n; i++) {
        uint8_t x, y;
        if (!rom_byte_at(m, a + i, &x) || !rom_byte_at(m, b + i, &y)) return;
        d = (int32_t)x - (int32_t)y;
        if (d || !x) {
            i++;
            break;
        }
    }
    rom_mem_cost(m, i);
    rom_return(m, (uint32_t)d);
}

/* int strcmp(const char *a, const char *b) = ets_strcmp: difference of the first differing
 * bytes (unsigned char). */
void rom_svc_strcmp(esp8266 *m)
{
    rom_strcmp_n(m, rom_arg(m, 0), rom_arg(m, 1), UINT32_MAX);
}

/* int strncmp(const char *a, const char *b, size_t n) = ets_strncmp */
void rom_svc_strncmp(esp8266 *m)
{
    rom_strcmp_n(m, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2));
}

/* char *strstr(const char *haystack, const char *needle) = ets_strstr: NULL (0) if absent;
 * an empty needle matches at haystack. */
void rom_svc_strstr(esp8266 *m)
{
    uint32_t h = rom_arg(m, 0), nd = rom_arg(m, 1);
    uint8_t *hs, *ns;
    size_t hl, nl;
    if (!rom_fetch_str(m, h, &hs, &hl)) return;
    if (!rom_fetch_str(m, nd, &ns, &nl)) {
        free(hs);
        return;
    }
    uint32_t found = 0;
    if (nl == 0) {
        found = h;
    } else {
        for (size_t i = 0; i + nl <= hl; i++) {
            if (memcmp(hs + i, ns, nl) == 0) {
                found = h + (uint32_t)i;
                break;
            }
        }
    }
    free(hs);
    free(ns);
    rom_mem_cost(m, (uint64_t)hl + nl + 2);
    rom_return(m, found);
}
