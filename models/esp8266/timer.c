/* models/esp8266/timer.c — FRC1 (counts down) and FRC2 (counts up, ALARM); see timer.h
 * (reference/lx106.md §1.2, §3.3, §3.7, §7.1; protocols.md C.6). */
#include "esp8266/timer.h"

#include <string.h>

#define FRC_DPORT_NMI_WORD  0u        /* DPORT 0x3FF00000: bit 0 routes FRC1 to the NMI */
#define FRC_EDGE_FRC1       (1u << 1) /* EDGE_INT_ENABLE bit 1 */
#define FRC_EDGE_FRC2       (1u << 2) /* EDGE_INT_ENABLE bit 2 */
#define FRC_REBASE_BITS     (ESP_FRC_CTRL_ENABLE | (3u << ESP_FRC_CTRL_DIV_SHIFT))
#define FRC_CTRL_WRITE_MASK (~ESP_FRC_CTRL_INT_STATUS)

static uint32_t frc_mask(unsigned size)
{
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8u * size)) - 1u;
}

static uint32_t frc_lane(uint32_t word, uint32_t off, unsigned size)
{
    return (word >> ((off & 3u) * 8u)) & frc_mask(size);
}

static uint32_t frc_merge(uint32_t stored, uint32_t off, uint32_t value, unsigned size)
{
    if (size >= 4) return value;
    uint32_t shift = (off & 3u) * 8u, mask = frc_mask(size) << shift;
    return (stored & ~mask) | ((value << shift) & mask);
}

/* Timer tick in ps for a CTRL value: APB / 1, 16 or 256 (3 is taken as 256). */
static uint64_t frc_tick_ps(uint32_t ctrl)
{
    switch ((ctrl >> ESP_FRC_CTRL_DIV_SHIFT) & 3u) {
    case 0: return ESP_FRC_APB_TICK_PS;
    case 1: return ESP_FRC_APB_TICK_PS * 16u;
    default: return ESP_FRC_APB_TICK_PS * 256u;
    }
}

static uint64_t frc_now(const esp_frc *t)
{
    return sim_node_now(t->node);
}

static void frc_cancel(esp_frc *t, sim_event *ev)
{
    if (sim_event_pending(ev)) sim_sched_cancel(&t->node->sched, ev);
}

/* An expiry: level mode latches the status and stays quiet while it is held; edge mode never
 * latches it (S7: it auto-clears). The edge reaches the CPU only through the open DPORT gate. */
static void frc_fire(esp_frc *t, uint32_t ctrl, bool *status, uint32_t gate, unsigned irq)
{
    if (ctrl & ESP_FRC_CTRL_INT_HOLD) {
        if (*status) return;
        *status = true;
    }
    if (!(t->soc->edge_enable.value & gate)) return; /* gated off: the edge is lost */
    xt_raise_edge(&t->node->cpu, irq);
}

/* ---- FRC1 ----------------------------------------------------------------------------------- */

static uint32_t frc1_count_at(const esp_frc *t, uint64_t now)
{
    uint32_t c0 = t->frc1_count_at_base;
    if (!t->frc1_running || now <= t->frc1_base_ps) return c0;
    uint64_t k = (now - t->frc1_base_ps) / frc_tick_ps(t->frc1_ctrl);
    if (k < c0) return c0 - (uint32_t)k;
    /* Only reached if the zero event has not run yet (it re-bases at every zero). */
    if ((t->frc1_ctrl & ESP_FRC_CTRL_RELOAD) && t->frc1_load)
        return t->frc1_load - (uint32_t)((k - c0) % t->frc1_load);
    return 0;
}

static void frc1_rebase(esp_frc *t, uint64_t now)
{
    t->frc1_count_at_base = frc1_count_at(t, now);
    t->frc1_base_ps = now;
}

/* After a re-base at now: (re)schedule the zero event. */
static void frc1_arm(esp_frc *t)
{
    frc_cancel(t, &t->frc1_ev);
    t->frc1_running = (t->frc1_ctrl & ESP_FRC_CTRL_ENABLE) && t->frc1_count_at_base > 0;
    if (!t->frc1_running) return;
    sim_sched_at(&t->node->sched, &t->frc1_ev,
                 t->frc1_base_ps + (uint64_t)t->frc1_count_at_base * frc_tick_ps(t->frc1_ctrl));
}

static void frc1_on_zero(void *opaque, sim_event *ev, uint64_t now)
{
    esp_frc *t = opaque;
    (void)ev;
    t->frc1_base_ps = now;
    if ((t->frc1_ctrl & ESP_FRC_CTRL_RELOAD) && t->frc1_load) {
        t->frc1_count_at_base = t->frc1_load;
        sim_sched_at(&t->node->sched, &t->frc1_ev,
                     now + (uint64_t)t->frc1_load * frc_tick_ps(t->frc1_ctrl));
    } else {
        t->frc1_count_at_base = 0;
        t->frc1_running = false;
    }
    bool nmi = (t->soc->dport[FRC_DPORT_NMI_WORD] & 1u) != 0;
    frc_fire(t, t->frc1_ctrl, &t->frc1_status, FRC_EDGE_FRC1,
             nmi ? ESP_FRC_INT_NMI : ESP_FRC_INT_FRC1);
}

/* ---- FRC2 ----------------------------------------------------------------------------------- */

static uint32_t frc2_count_at(const esp_frc *t, uint64_t now)
{
    if (!(t->frc2_ctrl & ESP_FRC_CTRL_ENABLE) || now <= t->frc2_base_ps)
        return t->frc2_count_at_base;
    uint64_t k = (now - t->frc2_base_ps) / frc_tick_ps(t->frc2_ctrl);
    return t->frc2_count_at_base + (uint32_t)k; /* wraps mod 2^32 */
}

static void frc2_rebase(esp_frc *t, uint64_t now)
{
    t->frc2_count_at_base = frc2_count_at(t, now);
    t->frc2_base_ps = now;
}

/* Schedules the alarm at the next tick at which COUNT becomes ALARM (after now). */
static void frc2_arm(esp_frc *t, uint64_t now)
{
    frc_cancel(t, &t->frc2_ev);
    if (!(t->frc2_ctrl & ESP_FRC_CTRL_ENABLE)) return;
    uint64_t tick = frc_tick_ps(t->frc2_ctrl);
    uint64_t k = now > t->frc2_base_ps ? (now - t->frc2_base_ps) / tick : 0;
    uint32_t count = t->frc2_count_at_base + (uint32_t)k;
    uint64_t delta = (uint32_t)(t->frc2_alarm - count);
    if (delta == 0) delta = 1ull << 32; /* equal now: the next match is a full wrap away */
    sim_sched_at(&t->node->sched, &t->frc2_ev, t->frc2_base_ps + (k + delta) * tick);
}

static void frc2_on_alarm(void *opaque, sim_event *ev, uint64_t now)
{
    esp_frc *t = opaque;
    (void)ev;
    frc2_arm(t, now); /* next match: 2^32 ticks later unless ALARM is rewritten */
    frc_fire(t, t->frc2_ctrl, &t->frc2_status, FRC_EDGE_FRC2, ESP_FRC_INT_FRC2);
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

void esp_frc_init(esp_frc *t, sim_node *node, esp_soc *soc)
{
    memset(t, 0, sizeof(*t));
    t->node = node;
    t->soc = soc;
    sim_event_init(&t->frc1_ev, "frc1", frc1_on_zero, t, 0);
    sim_event_init(&t->frc2_ev, "frc2", frc2_on_alarm, t, 0);
    esp_frc_reset(t);
}

void esp_frc_reset(esp_frc *t)
{
    frc_cancel(t, &t->frc1_ev);
    frc_cancel(t, &t->frc2_ev);
    uint64_t now = frc_now(t);
    t->frc1_load = t->frc1_ctrl = t->frc1_count_at_base = 0;
    t->frc1_base_ps = now;
    t->frc1_running = t->frc1_status = false;
    t->frc2_load = t->frc2_ctrl = t->frc2_alarm = t->frc2_count_at_base = 0;
    t->frc2_base_ps = now;
    t->frc2_status = false;
    memset(t->other, 0, sizeof(t->other));
}

void esp_frc_free(esp_frc *t)
{
    if (!t->node) return;
    frc_cancel(t, &t->frc1_ev);
    frc_cancel(t, &t->frc2_ev);
}

/* ---- registers ------------------------------------------------------------------------------ */

uint32_t esp_frc2_count(const esp_frc *t)
{
    return frc2_count_at(t, frc_now(t));
}

uint64_t esp_frc2_tick_ps(const esp_frc *t)
{
    return frc_tick_ps(t->frc2_ctrl);
}

void esp_frc2_set_alarm(esp_frc *t, uint32_t alarm)
{
    t->frc2_alarm = alarm;
    frc2_arm(t, frc_now(t));
}

uint32_t esp_frc_read(esp_frc *t, uint32_t off, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    uint64_t now = frc_now(t);
    uint32_t v;
    switch (reg) {
    case ESP_FRC1_LOAD:
    case ESP_FRC1_INT: v = t->frc1_load; break;
    case ESP_FRC1_COUNT: v = frc1_count_at(t, now); break;
    case ESP_FRC1_CTRL: v = t->frc1_ctrl | (t->frc1_status ? ESP_FRC_CTRL_INT_STATUS : 0u); break;
    case ESP_FRC2_LOAD:
    case ESP_FRC2_INT: v = t->frc2_load; break;
    case ESP_FRC2_COUNT: v = frc2_count_at(t, now); break;
    case ESP_FRC2_CTRL: v = t->frc2_ctrl | (t->frc2_status ? ESP_FRC_CTRL_INT_STATUS : 0u); break;
    case ESP_FRC2_ALARM: v = t->frc2_alarm; break;
    default: v = t->other[reg / 4]; break;
    }
    return frc_lane(v, off, size);
}

void esp_frc_write(esp_frc *t, uint32_t off, uint32_t value, unsigned size)
{
    uint32_t reg = off & 0xFCu;
    uint64_t now = frc_now(t);
    switch (reg) {
    case ESP_FRC1_LOAD:
        t->frc1_load = frc_merge(t->frc1_load, off, value, size) & ESP_FRC1_LOAD_MASK;
        t->frc1_count_at_base = t->frc1_load; /* writing LOAD loads COUNT (§3.7, S7) */
        t->frc1_base_ps = now;
        frc1_arm(t);
        return;
    case ESP_FRC1_CTRL: {
        uint32_t ctrl = frc_merge(t->frc1_ctrl, off, value, size) & FRC_CTRL_WRITE_MASK;
        if ((ctrl ^ t->frc1_ctrl) & FRC_REBASE_BITS) {
            frc1_rebase(t, now);
            t->frc1_ctrl = ctrl;
            frc1_arm(t);
        } else {
            t->frc1_ctrl = ctrl; /* INT_HOLD / auto-reload: take effect at the next zero */
        }
        return;
    }
    case ESP_FRC1_INT: t->frc1_status = false; return;
    case ESP_FRC1_COUNT: return;
    case ESP_FRC2_LOAD:
        t->frc2_load = frc_merge(t->frc2_load, off, value, size);
        t->frc2_count_at_base = t->frc2_load; /* writing LOAD sets COUNT (§3.7, S7) */
        t->frc2_base_ps = now;
        frc2_arm(t, now);
        return;
    case ESP_FRC2_CTRL: {
        uint32_t ctrl = frc_merge(t->frc2_ctrl, off, value, size) & FRC_CTRL_WRITE_MASK;
        if ((ctrl ^ t->frc2_ctrl) & FRC_REBASE_BITS) frc2_rebase(t, now);
        t->frc2_ctrl = ctrl;
        frc2_arm(t, now);
        return;
    }
    case ESP_FRC2_INT: t->frc2_status = false; return;
    case ESP_FRC2_COUNT: return;
    case ESP_FRC2_ALARM:
        t->frc2_alarm = frc_merge(t->frc2_alarm, off, value, size);
        frc2_arm(t, now);
        return;
    default: t->other[reg / 4] = frc_merge(t->other[reg / 4], off, value, size); return;
    }
}
