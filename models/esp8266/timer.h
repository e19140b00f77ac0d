/* models/esp8266/timer.h — FRC1 and FRC2, the two hardware timers at 0x60000600
 * (reference/lx106.md §3.7, §7.1; protocols.md C.6).
 *
 * Both count the 80 MHz APB clock through a prescaler (CTRL bits 3:2: 0 -> /1, 1 -> /16,
 * 2 -> /256) when CTRL bit 7 (enable) is set. Counts are derived from the node clock at read
 * time (no per-tick events); interrupts are events at the exact tick.
 *   FRC1 (+0x00): LOAD (23 bits), COUNT counts down from LOAD; on reaching 0 it raises its
 *     interrupt and reloads from LOAD when CTRL bit 6 (auto-reload) is set, else stops at 0.
 *     Interrupt: CPU INT 9, edge (CTRL bit 0 = 0) or level (bit 0 = 1, held until INT is
 *     written), delivered only while DPORT EDGE_INT_ENABLE bit 1 is set; or the NMI (INT 14)
 *     when DPORT 0x3FF00000 bit 0 is set (the SDK's NMI routing; an inference, see docs).
 *   FRC2 (+0x20): LOAD (32 bits; writing it sets COUNT), COUNT counts up and wraps; ALARM
 *     (+0x30): when COUNT becomes equal to ALARM, CPU INT 10 (edge), gated by EDGE_INT_ENABLE
 *     bit 2. The ROM/SDK software timers run on FRC2 at /256 (3.2 us per tick) or /16 (0.2 us).
 * CTRL bit 8 reads the interrupt status. INT (+0x0C / +0x2C): write clears the status.
 */
#ifndef MODELS_ESP8266_TIMER_H
#define MODELS_ESP8266_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "node.h"
#include "sched.h"
#include "soc.h"

#define ESP_FRC1_LOAD  0x00u
#define ESP_FRC1_COUNT 0x04u
#define ESP_FRC1_CTRL  0x08u
#define ESP_FRC1_INT   0x0Cu
#define ESP_FRC2_LOAD  0x20u
#define ESP_FRC2_COUNT 0x24u
#define ESP_FRC2_CTRL  0x28u
#define ESP_FRC2_INT   0x2Cu
#define ESP_FRC2_ALARM 0x30u

#define ESP_FRC_INT_FRC1 9u
#define ESP_FRC_INT_FRC2 10u

typedef struct esp_frc {
    sim_node *node;
    esp_soc *soc; /* DPORT edge enables and NMI routing */

    /* FRC1 */
    uint32_t frc1_load, frc1_ctrl;
    uint32_t frc1_count_at_base; /* count at frc1_base_ps */
    uint64_t frc1_base_ps;
    bool frc1_running, frc1_status;
    sim_event frc1_ev; /* reaches zero */

    /* FRC2 */
    uint32_t frc2_ctrl, frc2_alarm;
    uint32_t frc2_count_at_base;
    uint64_t frc2_base_ps;
    bool frc2_status;
    sim_event frc2_ev; /* COUNT == ALARM */

    uint32_t other[16]; /* other offsets in the block: plain storage */
} esp_frc;

void esp_frc_init(esp_frc *t, sim_node *node, esp_soc *soc);
void esp_frc_reset(esp_frc *t); /* chip reset: timers stopped, registers 0 */
void esp_frc_free(esp_frc *t);
uint32_t esp_frc_read(esp_frc *t, uint32_t off, unsigned size); /* off within 0x60000600 */
void esp_frc_write(esp_frc *t, uint32_t off, uint32_t value, unsigned size);

/* For the ROM timer models: FRC2 COUNT now, and programming ALARM (as a write to +0x30). */
uint32_t esp_frc2_count(const esp_frc *t);
void esp_frc2_set_alarm(esp_frc *t, uint32_t alarm);
/* FRC2 tick length in ps at the current prescaler (3.2 us = 3200000 at /256). */
uint64_t esp_frc2_tick_ps(const esp_frc *t);

#endif
