/* models/sdk/nonos.c — see nonos.h. */
#include "sdk/nonos.h"

#include <stdio.h>

bool sdk_nonos_is_real_sdk(const sim_elf *elf)
{
    uint32_t at;
    return elf && sim_elf_lookup(elf, "call_user_start1", &at);
}

/* void f(void) that returns at once, costing a call's worth of cycles. */
static void nonos_return_void(void *opaque, sim_node *n, uint32_t pc)
{
    (void)opaque;
    (void)pc;
    xt_charge(&n->cpu, 10);
    n->cpu.pc = n->cpu.a[0];
}

static const struct {
    const char *name;
    sim_hook_fn fn;
} nonos_replaced[] = {
    {"wait_rfpll_cal_end", nonos_return_void},
};

bool sdk_nonos_attach(esp8266 *m, const sim_elf *elf, char *err, size_t errsize)
{
    if (!sdk_nonos_is_real_sdk(elf)) return true;
    for (size_t i = 0; i < sizeof(nonos_replaced) / sizeof(nonos_replaced[0]); i++) {
        uint32_t at;
        if (!sim_elf_lookup(elf, nonos_replaced[i].name, &at)) continue;
        if (!sim_node_hook(&m->node, at, at, nonos_replaced[i].fn, m, nonos_replaced[i].name)) {
            snprintf(err, errsize, "nonos: cannot hook %s at 0x%08x", nonos_replaced[i].name, at);
            return false;
        }
    }
    return true;
}
