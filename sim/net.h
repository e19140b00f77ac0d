/* sim/net.h — an electrical net: one wire outside the chips that several participants drive
 * and read (architecture.md §5: GPIO pins as wires, issue 9).
 *
 * Each participant (sim_net_attach -> id 0..SIM_NET_MAX_PARTS-1, with a name for reports)
 * drives the net in one of four ways: not at all (Z), low, high (push-pull; open drain
 * drives only low or Z), plus an optional weak pull-up. Resolution, in this order:
 *   - a low and a high driver at once: CONTENTION. The level reads 0 (our choice: on silicon
 *     it is undefined and the current is what damages pins) and the net reports the episode
 *     once, when it begins, through on_contention (who drives high, who drives low);
 *   - any low driver: 0 (several open-drain drivers give a wired-AND);
 *   - any high driver: 1;
 *   - any pull-up: 1;
 *   - nothing: floating, reads 0 (as a floating ESP8266 input does in this model).
 * Every call passes the current virtual time (ps); an earlier time than the latest seen is
 * taken as that latest time. Listeners are called on every change of the resolved level, in
 * registration order. A listener may drive the net again: the change is applied at once and
 * the listeners are called again for it after the current round (at most SIM_NET_ROUNDS rounds
 * per outside change; beyond that the net counts an oscillation and stops notifying until the
 * next outside change: a wiring bug, never a crash).
 */
#ifndef SIM_NET_H
#define SIM_NET_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_NET_MAX_PARTS 16
#define SIM_NET_ROUNDS    16

typedef enum sim_drive { SIM_DRIVE_Z = 0, SIM_DRIVE_LOW, SIM_DRIVE_HIGH } sim_drive;

typedef struct sim_net sim_net;
/* A change of the resolved level (level, at t_ps). */
typedef void (*sim_net_fn)(void *opaque, sim_net *net, bool level, uint64_t t_ps);
/* A contention episode began (high and low: masks of participant ids). */
typedef void (*sim_net_contention_fn)(void *opaque, sim_net *net, uint32_t high, uint32_t low,
                                      uint64_t t_ps);

/* A listener is embedded in its owner; it must outlive the net's use. */
typedef struct sim_net_listener {
    sim_net_fn fn;
    void *opaque;
    struct sim_net_listener *next;
} sim_net_listener;

struct sim_net {
    const char *name;
    const char *part[SIM_NET_MAX_PARTS]; /* participant names */
    int nparts;
    uint32_t low, high, pullup; /* masks by participant id */
    bool level;                 /* resolved level */
    bool contention;            /* a low and a high driver right now */
    uint64_t now_ps;            /* latest time seen */
    uint64_t changed_ps;        /* time of the last level change */
    uint64_t edges;             /* level changes so far */
    uint64_t contentions;       /* contention episodes so far */
    uint64_t oscillations;      /* notification loops cut at SIM_NET_ROUNDS */
    sim_net_listener *head, *tail;
    sim_net_contention_fn on_contention;
    void *on_contention_opaque;
    int depth;  /* nesting of notification (re-entrant drives) */
    bool dirty; /* the level changed during a notification */
};

/* A floating net (reads 0) named name (a static or longer-lived string), no participants. */
void sim_net_init(sim_net *n, const char *name);
/* A new participant (name kept by pointer) driving nothing. Returns its id or -1 if full. */
int sim_net_attach(sim_net *n, const char *name);
void sim_net_listen(sim_net *n, sim_net_listener *l, sim_net_fn fn, void *opaque);
/* Participant id drives d from now_ps on. An unknown id is ignored. */
void sim_net_drive(sim_net *n, int id, sim_drive d, uint64_t now_ps);
/* Participant id's weak pull-up on or off. */
void sim_net_pullup(sim_net *n, int id, bool on, uint64_t now_ps);
static inline bool sim_net_level(const sim_net *n)
{
    return n->level;
}
/* Whether nobody drives the net and nobody pulls it up. */
bool sim_net_floating(const sim_net *n);
const char *sim_drive_name(sim_drive d);

#endif
