/* espnow.h — the NONOS SDK's ESP-NOW API (libespnow; reference/protocols.md B.4, B.5). Same
 * names, types and signatures as the SDK's include/espnow.h.
 *
 * These functions have no C body in firmware/sdk: the linker script binds each name to an
 * espsim extension entry point (models/rom/rom.h ESP_ROM_EXT_ESP_NOW_*, listed in
 * firmware/sdk/ld/gen_rom_ld.cmake), where models/sdk/espnow.c implements them.
 *
 * Contract (B.4, B.5):
 *   - every int-returning call returns 0 on success and non-zero on error, except the getters
 *     get_self_role, get_peer_role and get_peer_channel (the value; anything outside its range
 *     means failure, as the NONOS API reference says) and is_peer_exist (> 0 exists, 0 does
 *     not, < 0 error);
 *   - call esp_now_init after wifi_set_opmode (user_interface.h); deinit drops every peer;
 *   - at most 20 peers, of which at most 10 encrypted in station mode and 6 in softAP or
 *     softAP+station mode; a key is a 16-byte LMK (key_len 16) or NULL/0 for no encryption;
 *     the broadcast address ff:ff:ff:ff:ff:ff can be a peer, never an encrypted one;
 *   - esp_now_send: body 1..250 bytes; da must be a registered peer, or
 *     NULL for every registered peer; 0 means queued, and exactly one send callback follows per
 *     destination: status 0 = acknowledged at MAC level (or broadcast sent), non-zero = failed
 *     after the retries;
 *   - receiving needs no peer entry; the receive callback gets the source MAC and the body;
 *   - both callbacks run in the SDK's pp task (ETS priority 32, above every user task and the
 *     timer task): keep them short, copy what they need (the buffers are the SDK's and valid
 *     only during the call);
 *   - esp_now_fetch_peer(true) returns the first peer's MAC, (false) the next one, NULL after
 *     the last;
 *   - esp_now_set_kok sets the 16-byte key that encrypts the LMKs (the PMK). */
#ifndef ESPSIM_SDK_ESPNOW_H
#define ESPSIM_SDK_ESPNOW_H

#include "c_types.h"

#ifdef __cplusplus
extern "C" {
#endif

enum esp_now_role {
    ESP_NOW_ROLE_IDLE = 0,
    ESP_NOW_ROLE_CONTROLLER,
    ESP_NOW_ROLE_SLAVE,
    ESP_NOW_ROLE_COMBO,
    ESP_NOW_ROLE_MAX,
};

typedef void (*esp_now_recv_cb_t)(u8 *mac_addr, u8 *data, u8 len);
typedef void (*esp_now_send_cb_t)(u8 *mac_addr, u8 status);

int esp_now_init(void);
int esp_now_deinit(void);

int esp_now_register_send_cb(esp_now_send_cb_t cb);
int esp_now_unregister_send_cb(void);
int esp_now_register_recv_cb(esp_now_recv_cb_t cb);
int esp_now_unregister_recv_cb(void);

int esp_now_send(u8 *da, u8 *data, int len);

int esp_now_add_peer(u8 *mac_addr, u8 role, u8 channel, u8 *key, u8 key_len);
int esp_now_del_peer(u8 *mac_addr);

int esp_now_set_self_role(u8 role);
int esp_now_get_self_role(void);

int esp_now_set_peer_role(u8 *mac_addr, u8 role);
int esp_now_get_peer_role(u8 *mac_addr);
int esp_now_set_peer_channel(u8 *mac_addr, u8 channel);
int esp_now_get_peer_channel(u8 *mac_addr);
int esp_now_set_peer_key(u8 *mac_addr, u8 *key, u8 key_len);
int esp_now_get_peer_key(u8 *mac_addr, u8 *key, u8 *key_len);

u8 *esp_now_fetch_peer(bool restart);
int esp_now_is_peer_exist(u8 *mac_addr);
int esp_now_get_cnt_info(u8 *all_cnt, u8 *encrypt_cnt);

int esp_now_set_kok(u8 *key, u8 len);

#ifdef __cplusplus
}
#endif

#endif
