/* models/sdk/espnow.h — the closed SDK's ESP-NOW and Wi-Fi services (libespnow, libmain, libpp)
 * in C, wired to the radio medium (architecture.md §4; reference/protocols.md B.1-B.5, C.3).
 *
 * Entry points: the espsim extension addresses ESP_ROM_EXT_ESP_NOW_* / ESP_ROM_EXT_WIFI_*
 * (models/rom/rom.h), which firmware/sdk binds the NONOS names to; and, when the firmware's ELF
 * defines a function of one of these names (firmware linked against Espressif's libraries), that
 * address too (hooked by symbol). Arguments and results follow the NONOS API (CALL0: a2..a7).
 *
 * Behaviour (what the tests assert):
 * - esp_now_init: 0; turns the radio on (the port is off after every reset until esp_now_init or
 *   wifi_set_opmode with a non-null mode); attaches the MAC interrupt (CPU interrupt 0) and
 *   creates the pp task (ETS priority 32). deinit: drops every peer and both callbacks.
 * - Peers: at most 20; encrypted (with a 16-byte LMK) at most 10 while the Wi-Fi mode is STATION,
 *   6 in SOFTAP or STATIONAP mode (B.5). add_peer of an existing MAC, a 21st peer, an 11th/7th
 *   encrypted peer, a broadcast peer with a key or a key length other than 0 or 16: -1. Other
 *   peer calls on an unknown MAC: -1. Peer channel and role are stored and read back only: the
 *   frame goes out on the node's current Wi-Fi channel.
 * - esp_now_send(da, data, len): -1 if not initialised, len is 0 or > 250, da is not a peer
 *   (broadcast must be added as a peer too, B.3), or the transmit queue is full; 0 when queued.
 *   da == NULL sends to every peer (-1 if there is none or one could not be queued). The frame
 *   is built byte-exactly (frame.h): addr1 = peer, addr2 = own MAC, addr3 broadcast, a 12-bit
 *   sequence number per node, 4 random bytes from the node's stream, Duration = SIFS + ACK time
 *   for unicast; encrypted peers get CCMP with their LMK and a 48-bit PN counting per node.
 * - Callbacks run in guest context in the pp task: the model raises CPU interrupt 0 when a
 *   frame arrives or a send completes; its handler (ESP_ROM_EXT_MAC_ISR) posts to the pp task,
 *   whose handler (ESP_ROM_EXT_PP_TASK) calls one callback per dispatch with the MAC and data
 *   copied below the task's stack pointer. send_cb(mac, status): status 0 = ACK received
 *   (always for broadcast), 1 = failed after the retries.
 * - Reception: a frame that fails CCMP with the sender's key, or that is protected while the
 *   sender is not an encrypted peer, is dropped (cause key). Broadcast ESP-NOW frames are
 *   dropped (cause filtered, B.3: an ESP8266 does not receive them) unless rx_broadcast. Frames
 *   arriving while ESP-NOW is not initialised or no receive callback is registered: filtered.
 *   More than rx_queue callbacks waiting: dropped (cause queue; still ACKed by the MAC).
 * - Costs charged to the guest (estimates, docs/espnow.md): ESPNOW_CALL_CYCLES per API call,
 *   ESPNOW_SEND_CYCLES per frame queued, ESPNOW_ISR_CYCLES per MAC interrupt,
 *   ESPNOW_TASK_CYCLES per pp-task dispatch.
 */
#ifndef MODELS_SDK_ESPNOW_H
#define MODELS_SDK_ESPNOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "radio/frame.h"
#include "radio/medium.h"

struct esp8266;
struct sim_elf;

#define ESPNOW_MAX_PEERS   20u
#define ESPNOW_MAX_ENC_STA 10u
#define ESPNOW_MAX_ENC_AP  6u
#define ESPNOW_CALL_CYCLES 120u
#define ESPNOW_SEND_CYCLES 1600u
#define ESPNOW_ISR_CYCLES  160u
#define ESPNOW_TASK_CYCLES 240u
#define ESPNOW_RX_QUEUE    8u

typedef struct sdk_espnow_config {
    uint8_t mac[RADIO_MAC_LEN]; /* station MAC; the softAP MAC is it with byte 0 + 2 */
    unsigned channel;           /* Wi-Fi channel after reset, 1..14 */
    bool rx_broadcast;          /* lift B.3: receive ESP-NOW broadcasts */
    unsigned rx_queue;          /* callbacks waiting at most (0 = ESPNOW_RX_QUEUE) */
    uint64_t seed;              /* scenario seed: the 4 random bytes per frame */
    unsigned index;             /* node index, for the random stream */
} sdk_espnow_config;

typedef struct sdk_espnow_stats {
    uint64_t sends;     /* esp_now_send frames queued */
    uint64_t send_errs; /* esp_now_send calls refused */
    uint64_t send_ok, send_fail;
    uint64_t rx;                            /* receive callbacks called */
    uint64_t rx_key, rx_filtered, rx_queue; /* frames dropped by cause */
} sdk_espnow_stats;

typedef struct sdk_espnow sdk_espnow;

/* Hooks the entry points into m (and the ELF's functions of those names, if elf is given) and
 * adds the node's port to the medium. NULL with a one-line reason on failure. */
sdk_espnow *sdk_espnow_new(struct esp8266 *m, radio_medium *med, const sdk_espnow_config *cfg,
                           const struct sim_elf *elf, char *err, size_t errsize);
void sdk_espnow_free(sdk_espnow *s);
size_t sdk_espnow_port(const sdk_espnow *s);
/* The chip reset (call from its on_reset observer): ESP-NOW state is gone, the radio is off,
 * callbacks still waiting are dropped, frames still queued complete without a callback. */
void sdk_espnow_reset(sdk_espnow *s);
/* The chip stopped (halted, faulted, powered off): radio off until the next reset and init. */
void sdk_espnow_stop(sdk_espnow *s);
const sdk_espnow_stats *sdk_espnow_stats_get(const sdk_espnow *s);
/* The MAC ESP-NOW frames use now (station or softAP interface, by Wi-Fi mode). */
void sdk_espnow_mac(const sdk_espnow *s, uint8_t mac[RADIO_MAC_LEN]);

#endif
