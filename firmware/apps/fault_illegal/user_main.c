/* apps/fault_illegal — executes an illegal instruction (ILL, encoded 00 00 00) inside
 * fault_here(). Expected: one line "fault_illegal: executing ILL", then an IllegalInstruction
 * exception (EXCCAUSE 0) with EPC1 inside fault_here. */
#include "ets_sys.h"
#include "osapi.h"

__attribute__((noinline)) void fault_here(void)
{
    __asm__ __volatile__(".byte 0, 0, 0"); /* ILL */
}

void user_init(void)
{
    os_printf("fault_illegal: executing ILL\n");
    fault_here();
    os_printf("FAIL: no fault\n");
}
