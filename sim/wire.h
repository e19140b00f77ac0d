/* sim/wire.h — a signal between models (architecture.md §5, style rule 5): a value plus one
 * change notification. The name documents width and direction, e.g. "1>uart0.irq" (1 bit, out
 * of uart0). Setting a wire to the value it already has notifies nobody.
 */
#ifndef SIM_WIRE_H
#define SIM_WIRE_H

#include <stdint.h>

typedef struct sim_wire sim_wire;
typedef void (*sim_wire_fn)(void *opaque, sim_wire *w, uint32_t value);

struct sim_wire {
    const char *name;
    uint32_t value;
    sim_wire_fn notify; /* the listener, or NULL */
    void *opaque;
};

static inline void sim_wire_init(sim_wire *w, const char *name, uint32_t value)
{
    w->name = name;
    w->value = value;
    w->notify = 0;
    w->opaque = 0;
}

static inline void sim_wire_connect(sim_wire *w, sim_wire_fn fn, void *opaque)
{
    w->notify = fn;
    w->opaque = opaque;
}

static inline void sim_wire_set(sim_wire *w, uint32_t value)
{
    if (w->value == value) return;
    w->value = value;
    if (w->notify) w->notify(w->opaque, w, value);
}

#endif
