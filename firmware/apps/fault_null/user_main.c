/* apps/fault_null — reads a word from address 0 inside fault_here().
 * Expected: one line "fault_null: reading address 0", then a LoadProhibited exception
 * (EXCCAUSE 28, EXCVADDR 0) with EPC1 inside fault_here. */
#include "ets_sys.h"
#include "osapi.h"

/* The address comes through a volatile so the compiler cannot see it is NULL (it would replace
 * the load with a trap). */
static volatile uint32 *volatile target = (volatile uint32 *)0;

__attribute__((noinline)) uint32 fault_here(volatile uint32 *p)
{
    return *p; /* l32i from 0x00000000 */
}

void user_init(void)
{
    os_printf("fault_null: reading address 0\n");
    uint32 v = fault_here(target);
    os_printf("FAIL: no fault (read 0x%08x)\n", v);
}
