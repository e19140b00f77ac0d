/* models/sdk/nonos.c — see nonos.h. */
#include "sdk/nonos.h"

bool sdk_nonos_is_real_sdk(const sim_elf *elf)
{
    uint32_t at;
    return elf && sim_elf_lookup(elf, "call_user_start1", &at);
}
