/* models/esp8266/regs.h — the chip's registers that espsim has no model for.
 *
 * The closed SDK libraries (libphy, libpp, libnet80211) program the PHY, RF and Wi-Fi MAC
 * blocks directly: 0x3FF00000-0x3FF3FFFF (DPORT and WDEV blocks beside the modelled pages) and
 * 0x60000000-0x6000FFFF (peripheral blocks without a model, the baseband at 0x60009000). A
 * real chip has registers there, so faulting would be wrong; espsim keeps such words as plain
 * storage (reads return the last value written, 0 before any write), counts the accesses, and
 * reports the first access to each word through on_first (`espsim run --log unmapped`).
 * Registers whose behaviour matters (status bits that firmware polls) get a model elsewhere;
 * docs/esp8266.md lists what is plain storage. Pages are allocated on the first write.
 */
#ifndef MODELS_ESP8266_REGS_H
#define MODELS_ESP8266_REGS_H

#include <stdbool.h>
#include <stdint.h>

#define ESP_REGS_LO_BASE  0x3FF00000u /* 64 pages */
#define ESP_REGS_HI_BASE  0x60000000u /* 16 pages */
#define ESP_REGS_LO_PAGES 64u
#define ESP_REGS_HI_PAGES 16u

typedef struct esp_regs_page {
    uint32_t word[1024];
} esp_regs_page;

/* Called once per word (the first read or write of it since power-on). */
typedef void (*esp_regs_first_fn)(void *opaque, uint32_t addr, unsigned size, bool write,
                                  uint32_t value);

typedef struct esp_regs {
    esp_regs_page *page[ESP_REGS_LO_PAGES + ESP_REGS_HI_PAGES];
    uint8_t seen[(ESP_REGS_LO_PAGES + ESP_REGS_HI_PAGES) * 1024 / 8]; /* reported words */
    uint64_t accesses; /* every access, for the summary */
    unsigned distinct; /* words reported */
    esp_regs_first_fn on_first;
    void *on_first_opaque;
} esp_regs;

void esp_regs_init(esp_regs *r);
void esp_regs_free(esp_regs *r);
/* Power-on: every word back to 0 (the reported set is kept: one report per run). */
void esp_regs_clear(esp_regs *r);
/* addr must lie in one of the two windows; size 1, 2 or 4; sub-word accesses use the byte
 * lanes of the word (little-endian). */
uint32_t esp_regs_read(esp_regs *r, uint32_t addr, unsigned size);
void esp_regs_write(esp_regs *r, uint32_t addr, uint32_t value, unsigned size);
/* True if addr lies in one of the windows. */
bool esp_regs_covers(uint32_t addr);

#endif
