/* models/sdk/nonos.h — closed functions of Espressif's NONOS SDK libraries that espsim replaces
 * by ELF symbol (architecture.md §4), for firmware linked against the real SDK (its ELF has
 * libmain's entry call_user_start1). docs/nonos-sdk.md lists them and why:
 *   wait_rfpll_cal_end (libphy)  returns at once: the RF PLL of the simulated radio is locked
 *                                (the real one polls an analog register through the ROM's PHY
 *                                table, whose layout is not public, and prints "pll_cal exceeds
 *                                2ms" 100 polls later).
 * Everything else of the closed libraries runs as compiled. */
#ifndef MODELS_SDK_NONOS_H
#define MODELS_SDK_NONOS_H

#include <stdbool.h>

#include "elf_load.h"
#include "esp8266/esp8266.h"

/* True if elf is firmware linked against Espressif's SDK (libmain's call_user_start1). */
bool sdk_nonos_is_real_sdk(const sim_elf *elf);
/* Installs the replacements that elf has symbols for; false (err set) if a hook cannot be
 * placed. Does nothing for other firmware. */
bool sdk_nonos_attach(esp8266 *m, const sim_elf *elf, char *err, size_t errsize);

#endif
