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
 *
 * Details (timer.c):
 * - Time. "Now" is sim_node_now (the node's local ps, drifting with its crystal) inside register
 * accesses and the event's own time inside events. One APB tick is 12500 ps; a timer tick is 12500
 * * P ps (P = 1, 16, 256; prescaler value 3 is taken as /256, an inference). The APB clock stays at
 * 80 MHz when the CPU runs at 160 MHz (§7.1). The node's clock error (ppm) is not applied, as for
 * the WDEV and RTC counters in soc.c. Each timer keeps (count_at_base, base_ps): COUNT now is
 * derived from the ticks elapsed since base_ps. A change of the enable bit or of the prescaler
 *   re-bases (count_at_base = COUNT now, base_ps = now), so the partial tick in progress is
 *   dropped: the next tick comes one full new tick after the write. Other CTRL bits do not
 *   re-base.
 * - FRC1. Writing LOAD (masked to 23 bits) loads COUNT at once, enabled or not, and counting
 *   restarts from it (S7 esp-open-rtos: rewriting LOAD restarts the count; §3.7). With COUNT = C
 *   and the timer enabled, the interrupt comes exactly C ticks later, when COUNT reaches 0;
 *   with auto-reload COUNT is LOAD again at that same tick (period = LOAD ticks; the 0 is not
 *   observable), else COUNT stays 0 and the timer stops: only a LOAD write restarts it
 *   (re-enabling or setting auto-reload later does not). A count that is already 0 (LOAD 0)
 *   raises nothing. COUNT ignores writes. Reading INT returns LOAD (S7).
 *   Note: S7 reports that without auto-reload the real FRC1 wraps to 0x7FFFFF and keeps
 *   counting; this model follows this header's "stops at 0" contract instead.
 * - FRC2. Writing LOAD sets COUNT (S7, §3.7) and re-evaluates the alarm; reading LOAD returns
 *   the value written, reading INT returns LOAD (S7). COUNT ignores writes. The alarm fires at
 *   the tick at which COUNT *becomes* ALARM: an ALARM equal to COUNT now (or already passed)
 *   fires after a full 2^32-tick wrap (3.8 h at /256), not at once; loading COUNT with LOAD ==
 *   ALARM does not fire either. After firing, the next match is 2^32 ticks later. The alarm
 *   is re-evaluated on writes to ALARM, LOAD and CTRL.
 * - Interrupt type and status (CTRL bit 0 = INT_HOLD; S7 observations, unverified):
 *   edge (bit 0 = 0): every expiry raises a CPU edge; the status auto-clears right after the
 *     interrupt, modelled as never latched (CTRL bit 8 reads 0).
 *   level (bit 0 = 1): an expiry sets the status (CTRL bit 8 reads 1) and raises the CPU edge;
 *     while the status is set, later expiries raise nothing (the timer keeps counting); a write
 *     of any value to INT clears it. The core's INT 9/10 inputs are edge-type (§1.2:
 *     edge mask 0x3F00, level lines only 0..5), so the held level is this status bit and the
 *     core sees its rising edge; no level line goes to the CPU.
 *   In both modes a write to INT clears the status.
 * - Delivery (§1.2, §3.3): FRC1 -> xt_raise_edge(INT 9) only if EDGE_INT_ENABLE (the soc's
 *   edge_enable wire = DPORT 0x3FF00004) bit 1 is set at the moment of the expiry, FRC2 ->
 *   INT 10 only if bit 2 is set. If the gate is closed at that moment the edge is lost (also in
 *   level mode: opening the gate later while the status is held raises nothing — not modelled).
 *   NMI routing (INFERENCE from the SDK's NmiTimSetFunc / hw_timer NMI_SOURCE and the DPORT0
 *   "NMI control" word, §1.2, §3.3; not verified on silicon): while DPORT 0x3FF00000 bit 0 is
 *   set, FRC1 expiries go to INT 14 (xt_raise_edge(cpu, 14)) instead of INT 9, still gated by
 *   EDGE_INT_ENABLE bit 1 (the SDK's hw_timer_init sets that bit for both sources).
 * - Not modelled: S7's "with auto-reload set, writing 0 to FRC2 LOAD stops FRC2" and
 *   "0x34..0x3C read back LOAD"; other words of the 256-byte block are plain storage.
 * - Reset (esp_frc_reset): both timers stopped, all registers and status 0, events cancelled.
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
#define ESP_FRC_INT_NMI  14u

/* CTRL bits (§3.7) */
#define ESP_FRC_CTRL_INT_HOLD   (1u << 0) /* 1 = level (status held until INT write) */
#define ESP_FRC_CTRL_DIV_SHIFT  2u        /* bits 3:2: 0 /1, 1 /16, 2 (and 3) /256 */
#define ESP_FRC_CTRL_RELOAD     (1u << 6)
#define ESP_FRC_CTRL_ENABLE     (1u << 7)
#define ESP_FRC_CTRL_INT_STATUS (1u << 8) /* read-only */

#define ESP_FRC_APB_TICK_PS 12500u /* one 80 MHz APB cycle */
#define ESP_FRC1_LOAD_MASK  0x7FFFFFu

typedef struct esp_frc {
    sim_node *node;
    esp_soc *soc; /* DPORT edge enables and NMI routing */

    /* FRC1 */
    uint32_t frc1_load, frc1_ctrl;
    uint32_t frc1_count_at_base; /* count at frc1_base_ps */
    uint64_t frc1_base_ps;
    bool frc1_running, frc1_status; /* running: enabled and the count has not stopped at 0 */
    sim_event frc1_ev;              /* reaches zero */

    /* FRC2 */
    uint32_t frc2_load; /* last value written to LOAD (read back at +0x20 and +0x2C) */
    uint32_t frc2_ctrl, frc2_alarm;
    uint32_t frc2_count_at_base;
    uint64_t frc2_base_ps;
    bool frc2_status;
    sim_event frc2_ev; /* COUNT == ALARM */

    uint32_t other[64]; /* other words of the 256-byte block (word index): plain storage */
} esp_frc;

void esp_frc_init(esp_frc *t, sim_node *node, esp_soc *soc);
void esp_frc_reset(esp_frc *t); /* chip reset: timers stopped, registers 0 */
void esp_frc_free(esp_frc *t);  /* cancels pending events; call before the node is freed */
uint32_t esp_frc_read(esp_frc *t, uint32_t off, unsigned size); /* off within 0x60000600 */
void esp_frc_write(esp_frc *t, uint32_t off, uint32_t value, unsigned size);

/* For the ROM timer models: FRC2 COUNT now, and programming ALARM (as a write to +0x30). */
uint32_t esp_frc2_count(const esp_frc *t);
void esp_frc2_set_alarm(esp_frc *t, uint32_t alarm);
/* FRC2 tick length in ps at the current prescaler (3.2 us = 3200000 at /256). */
uint64_t esp_frc2_tick_ps(const esp_frc *t);

#endif
