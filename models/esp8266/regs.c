/* models/esp8266/regs.c — see regs.h. */
#include "esp8266/regs.h"

#include <stdlib.h>
#include <string.h>

bool esp_regs_covers(uint32_t addr)
{
    return (addr - ESP_REGS_LO_BASE) < ESP_REGS_LO_PAGES * 4096u ||
           (addr - ESP_REGS_HI_BASE) < ESP_REGS_HI_PAGES * 4096u;
}

/* Index of addr's page in r->page; callers check esp_regs_covers first. */
static unsigned regs_page_index(uint32_t addr)
{
    if (addr - ESP_REGS_LO_BASE < ESP_REGS_LO_PAGES * 4096u) return (addr - ESP_REGS_LO_BASE) >> 12;
    return ESP_REGS_LO_PAGES + ((addr - ESP_REGS_HI_BASE) >> 12);
}

void esp_regs_init(esp_regs *r)
{
    memset(r, 0, sizeof(*r));
}

void esp_regs_free(esp_regs *r)
{
    for (unsigned i = 0; i < ESP_REGS_LO_PAGES + ESP_REGS_HI_PAGES; i++)
        free(r->page[i]);
    memset(r->page, 0, sizeof(r->page));
}

void esp_regs_clear(esp_regs *r)
{
    for (unsigned i = 0; i < ESP_REGS_LO_PAGES + ESP_REGS_HI_PAGES; i++)
        if (r->page[i]) memset(r->page[i]->word, 0, sizeof(r->page[i]->word));
}

/* Reports the first access to the word at addr. */
static void regs_note(esp_regs *r, uint32_t addr, unsigned size, bool write, uint32_t value)
{
    r->accesses++;
    unsigned bit = regs_page_index(addr) * 1024u + ((addr >> 2) & 1023u);
    if (r->seen[bit / 8] >> (bit % 8) & 1u) return;
    r->seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
    r->distinct++;
    if (r->on_first) r->on_first(r->on_first_opaque, addr, size, write, value);
}

uint32_t esp_regs_read(esp_regs *r, uint32_t addr, unsigned size)
{
    unsigned p = regs_page_index(addr);
    uint32_t word = r->page[p] ? r->page[p]->word[(addr >> 2) & 1023u] : 0;
    unsigned shift = (addr & 3u) * 8u;
    uint32_t mask = size >= 4 ? 0xFFFFFFFFu : ((1u << (size * 8u)) - 1u);
    uint32_t v = (word >> shift) & mask;
    regs_note(r, addr, size, false, v);
    return v;
}

void esp_regs_write(esp_regs *r, uint32_t addr, uint32_t value, unsigned size)
{
    unsigned p = regs_page_index(addr);
    regs_note(r, addr, size, true, value);
    if (!r->page[p]) {
        if (!value) return; /* storing 0 into an unallocated page changes nothing */
        r->page[p] = calloc(1, sizeof(esp_regs_page));
        if (!r->page[p]) abort();
    }
    uint32_t *word = &r->page[p]->word[(addr >> 2) & 1023u];
    unsigned shift = (addr & 3u) * 8u;
    uint32_t mask = size >= 4 ? 0xFFFFFFFFu : ((1u << (size * 8u)) - 1u);
    *word = (*word & ~(mask << shift)) | ((value & mask) << shift);
}
