/* qsim.h — guest-side support for programs on the qemu-sim machine (and QEMU -M sim):
 * SIMCALL semihosting, a tiny printf, and the memory/string functions the compiler expects. */
#ifndef QSIM_RT_H
#define QSIM_RT_H

#include <stddef.h>
#include <stdint.h>

#define QSIM_BIGBSS __attribute__((section(".bigbss")))

int qs_write(int fd, const void *buf, unsigned len);
int qs_read(int fd, void *buf, unsigned len);
__attribute__((noreturn)) void qs_exit(int code);
void qs_puts(const char *s); /* no newline added */
/* Supports %d %i %u %x %X %c %s %p %%, with optional '0' flag, width and 'l'. */
int qs_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* A 32-bit FNV-1a digest, handy for printing memory state. */
uint32_t qs_fnv1a(uint32_t h, const void *p, size_t n);

#endif
