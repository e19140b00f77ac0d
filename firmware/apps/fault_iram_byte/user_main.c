/* apps/fault_iram_byte — a byte load (L8UI) from IRAM, inside fault_here(). IRAM (like the ROM
 * and the flash window) only allows aligned 32-bit data accesses: the ESP8266 raises
 * LoadStoreError (EXCCAUSE 3, EXCVADDR = the address). QEMU's lx106 does not model this.
 * Expected: one line "fault_iram_byte: reading a byte of iram_function at 0x401.....", then the
 * exception with EPC1 inside fault_here. */
#include "ets_sys.h"
#include "osapi.h"

IRAM_ATTR __attribute__((noinline)) uint32 iram_function(uint32 x)
{
    return x * 3u + 1u;
}

/* Through a volatile so the compiler emits a plain byte load from the function's address. */
static volatile uint8 *volatile target;

__attribute__((noinline)) uint32 fault_here(volatile uint8 *p)
{
    return *p; /* l8ui from IRAM */
}

void user_init(void)
{
    target = (volatile uint8 *)(uintptr_t)iram_function;
    os_printf("fault_iram_byte: reading a byte of iram_function at 0x%08x\n",
              (uint32)(uintptr_t)target);
    uint32 v = fault_here(target);
    os_printf("FAIL: no fault (read 0x%02x, iram_function(1) = %u)\n", v, iram_function(1));
}
