/* sim/cli/cli_radio.h — the scenario runner's radio: one medium (models/radio/medium.h) for the
 * world, the ESP-NOW/Wi-Fi SDK model (models/sdk/espnow.h) on every node, air.pcap and
 * NODE.pcap, radio actions and statistics (docs/scenarios.md "Radio"). */
#ifndef CLI_RADIO_H
#define CLI_RADIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli_limit.h"
#include "elf_load.h"
#include "esp8266/esp8266.h"
#include "radio/medium.h"
#include "scenario.h"
#include "world.h"

typedef struct cli_radio cli_radio;

/* Events for events.jsonl: fields is the JSON tail (starting with a comma). */
typedef void (*cli_radio_event_fn)(void *opaque, uint64_t t, size_t node, const char *event,
                                   const char *fields);

/* chips[i] and elfs[i] (NULL if none) for every scenario node; dir receives the captures,
 * written through lim (cli_limit.h; kind SCN_LIMIT_PCAP), none when s->outputs.pcap is false.
 * Lowers the world's quantum to the medium's latency. NULL with err on failure. */
cli_radio *cli_radio_new(const scenario *s, sim_world *w, esp8266 *const *chips,
                         const sim_elf *const *elfs, const char *dir, cli_limits *lim,
                         cli_radio_event_fn ev, void *opaque, char *err, size_t errsize);
void cli_radio_free(cli_radio *r);
/* Also hands every transmission (at its end) to fn (the viewer). */
void cli_radio_set_air_hook(cli_radio *r, void (*fn)(void *opaque, const radio_air_info *a),
                            void *opaque);
/* Node i reset (from its on_reset observer) / stopped running (halt, fault, power off). */
void cli_radio_reset(cli_radio *r, size_t node);
void cli_radio_stop(cli_radio *r, size_t node);
/* Applies a radio action (SCN_ACT_RADIO_OFF .. SCN_ACT_LINK_LOSS) at now; logs it. */
void cli_radio_apply(cli_radio *r, const scn_action *a, uint64_t now);
/* Final statistics: radio-link and espnow-stats events, and the summary.txt section. */
void cli_radio_finish(cli_radio *r, uint64_t end);
void cli_radio_summary(const cli_radio *r, FILE *out);
/* Flushes the capture files. */
void cli_radio_flush(cli_radio *r);

#endif
