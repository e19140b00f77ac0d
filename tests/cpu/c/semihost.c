/* tests/cpu/c/semihost.c — SIMCALL semihosting as QEMU's -M sim implements it (reference/
 * lx106.md §9; models/qemu_sim/qemu_sim.h): write/read on stdout, stderr and bad descriptors,
 * zero lengths, a read into unmapped memory, unknown requests (result in a2, errno in a3), and exit
 * with a non-zero code (difftest.sh compares exit codes). */
#include "qsim.h"

struct sc_result {
    int ret;
    int err;
};

static struct sc_result sc(int nr, int a, int b, int c)
{
    register int a2 __asm__("a2") = nr;
    register int a3 __asm__("a3") = a;
    register int a4 __asm__("a4") = b;
    register int a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    struct sc_result r = {a2, a3};
    return r;
}

static void show(const char *what, struct sc_result r)
{
    qs_printf("%s: ret=%d errno=%d\n", what, r.ret, r.ret < 0 ? r.err : 0);
}

int main(void)
{
    static const char msg[] = "to stdout\n";
    static const char emsg[] = "to stderr (not compared)\n";
    char buf[16];

    show("write fd 1", sc(4, 1, (int)(uintptr_t)msg, sizeof(msg) - 1));
    show("write fd 2", sc(4, 2, (int)(uintptr_t)emsg, sizeof(emsg) - 1));
    show("write len 0", sc(4, 1, (int)(uintptr_t)msg, 0));
    show("write bad fd", sc(4, 1000, (int)(uintptr_t)msg, 3));
    /* not tested: a write from an unmapped buffer (QEMU writes zero bytes and returns the
     * length; espsim returns -1/EINVAL: docs/cpu-differences.md) */
    show("write buffer across dataram0/instram0", sc(4, 1, 0x3ffffffe, 4));
    show("read into unmapped buffer", sc(3, 0, 0x10000000, 4));
    show("read fd 0 (/dev/null)", sc(3, 0, (int)(uintptr_t)buf, sizeof(buf)));
    show("read len 0", sc(3, 0, (int)(uintptr_t)buf, 0));
    show("unknown request 99", sc(99, 0, 0, 0));
    show("unknown request 0", sc(0, 0, 0, 0));
    qs_printf("done\n");
    return 42;
}
