/* c_types.h — the basic types and attributes of the ESP8266 NONOS SDK, for firmware built with
 * Debian's xtensa-lx106-elf-gcc and picolibc (docs/firmware.md). Subset, same names. */
#ifndef ESPSIM_SDK_C_TYPES_H
#define ESPSIM_SDK_C_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t uint8;
typedef int8_t sint8;
typedef int8_t int8;
typedef uint16_t uint16;
typedef int16_t sint16;
typedef int16_t int16;
typedef uint32_t uint32;
typedef int32_t sint32;
typedef int32_t int32;
typedef uint64_t uint64;
typedef int64_t sint64;
typedef int64_t int64;
typedef uint64_t u_int64;
typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef float real32;
typedef double real64;

#define BOOL bool
#ifndef TRUE
#define TRUE  true
#define FALSE false
#endif

#define LOCAL static

#ifndef __packed
#define __packed __attribute__((packed))
#endif

/* Where code and constants go (ld/eagle.app.ld):
 *   ICACHE_FLASH_ATTR   code executed from the flash window (the default for plain functions
 *                       here; NONOS needs the attribute, since its default is IRAM)
 *   IRAM_ATTR           code that must stay in IRAM: interrupt handlers, anything running while
 *                       the flash cache is off (it must then call only IRAM or ROM code)
 *   ICACHE_RODATA_ATTR  constants kept in flash: read them only as aligned 32-bit words */
#define ICACHE_FLASH_ATTR  __attribute__((section(".irom0.text")))
#define ICACHE_RODATA_ATTR __attribute__((section(".irom.text"), aligned(4)))
#define IRAM_ATTR          __attribute__((section(".iram.text")))
#define ICACHE_RAM_ATTR    IRAM_ATTR
#define STORE_ATTR         __attribute__((aligned(4)))
#define SHMEM_ATTR

#endif
