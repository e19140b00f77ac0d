/* espsim_rom.h — explicit ROM entry points for names that picolibc or libgcc also define.
 *
 * ld/eagle.app.ld PROVIDEs every ROM symbol twice: `name` and `rom_name`. Where the firmware
 * links its own `memcpy`, `strlen`, `__udivsi3` ... (picolibc, firmware/sdk/libgcc_helpers.c),
 * the plain name is that copy in the flash window; `rom_name` is always the ROM routine. Use
 * these to run code with the flash cache off, or to test the ROM itself (apps/rom_check).
 *
 * The soft-float helpers are declared on their raw bit patterns (float = uint32_t in a2,
 * double = uint64_t in a2:a3: the same registers the soft-float ABI uses), so callers can check
 * exact results without any floating-point code of their own. Not NONOS API. */
#ifndef ESPSIM_SDK_ESPSIM_ROM_H
#define ESPSIM_SDK_ESPSIM_ROM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* memory and strings (§4.7) */
void *rom_memset(void *s, int c, size_t n);
void *rom_memcpy(void *dst, const void *src, size_t n);
void *rom_memmove(void *dst, const void *src, size_t n);
int rom_memcmp(const void *a, const void *b, size_t n);
void rom_bzero(void *s, size_t n);
size_t rom_strlen(const char *s);
int rom_strcmp(const char *a, const char *b);
int rom_strncmp(const char *a, const char *b, size_t n);
char *rom_strcpy(char *dst, const char *src);
char *rom_strncpy(char *dst, const char *src, size_t n);
char *rom_strstr(const char *haystack, const char *needle);
int rom_rand(void);
void rom_srand(unsigned seed);

/* integer helpers (§4.9) */
int32_t rom___divsi3(int32_t a, int32_t b);
uint32_t rom___udivsi3(uint32_t a, uint32_t b);
uint32_t rom___umodsi3(uint32_t a, uint32_t b);
int64_t rom___divdi3(int64_t a, int64_t b);
uint64_t rom___udivdi3(uint64_t a, uint64_t b);
uint64_t rom___umoddi3(uint64_t a, uint64_t b);
uint64_t rom___muldi3(uint64_t a, uint64_t b);
uint64_t rom___umulsidi3(uint32_t a, uint32_t b);

/* soft-float helpers (§4.9), on bit patterns */
uint32_t rom___addsf3(uint32_t a, uint32_t b);
uint32_t rom___subsf3(uint32_t a, uint32_t b);
uint32_t rom___mulsf3(uint32_t a, uint32_t b);
uint32_t rom___fixunssfsi(uint32_t a);
uint64_t rom___adddf3(uint64_t a, uint64_t b);
uint64_t rom___subdf3(uint64_t a, uint64_t b);
uint64_t rom___muldf3(uint64_t a, uint64_t b);
uint64_t rom___divdf3(uint64_t a, uint64_t b);
int32_t rom___fixdfsi(uint64_t a);
uint32_t rom___fixunsdfsi(uint64_t a);
uint32_t rom___truncdfsf2(uint64_t a);
uint64_t rom___extendsfdf2(uint32_t a);
uint32_t rom___floatsisf(int32_t a);
uint32_t rom___floatunsisf(uint32_t a);
uint64_t rom___floatsidf(int32_t a);
uint64_t rom___floatunsidf(uint32_t a);

#ifdef __cplusplus
}
#endif

#endif
