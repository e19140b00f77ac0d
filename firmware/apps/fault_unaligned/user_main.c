/* apps/fault_unaligned — a 32-bit load from an address that is not a multiple of 4, inside
 * fault_here(). Expected: one line "fault_unaligned: loading a word from 0x3ffe....", then a
 * LoadStoreAlignment exception (EXCCAUSE 9, EXCVADDR = that address) with EPC1 inside
 * fault_here. */
#include "ets_sys.h"
#include "osapi.h"

static uint32 words[2] = {0x11223344u, 0x55667788u};
static volatile uintptr_t offset = 1;

__attribute__((noinline)) uint32 fault_here(volatile uint32 *p)
{
    return *p; /* l32i from an odd address */
}

void user_init(void)
{
    volatile uint32 *p = (volatile uint32 *)((uintptr_t)words + offset);
    os_printf("fault_unaligned: loading a word from 0x%08x\n", (uint32)(uintptr_t)p);
    uint32 v = fault_here(p);
    os_printf("FAIL: no fault (read 0x%08x)\n", v);
}
