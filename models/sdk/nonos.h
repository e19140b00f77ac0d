/* models/sdk/nonos.h — recognising firmware linked against Espressif's NONOS SDK (its ELF has
 * libmain's entry call_user_start1). Its closed libraries run as compiled against the chip and
 * ROM models (docs/nonos-sdk.md); the only functions replaced by symbol are libnet80211's, for
 * ESP-NOW (sdk/espnow.c). libphy's RF PLL calibration finds the PLL locked through the ROM's
 * analog model (rom_sdk.c), so it needs no symbols. */
#ifndef MODELS_SDK_NONOS_H
#define MODELS_SDK_NONOS_H

#include <stdbool.h>

#include "elf_load.h"

/* True if elf is firmware linked against Espressif's SDK (libmain's call_user_start1). */
bool sdk_nonos_is_real_sdk(const sim_elf *elf);

#endif
