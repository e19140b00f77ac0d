/* nonos_espnow — ESP-NOW through Espressif's own libespnow: a station that adds a peer and
 * sends a frame every 100 ms, counting send callbacks and received frames. (docs/nonos-sdk.md:
 * the real libraries' frames do not reach espsim's medium yet.) */
#include "ets_sys.h"
#include "os_type.h"
#include "osapi.h"
#include "user_interface.h"
#include "espnow.h"

static uint8 peer[6] = {0x5C, 0xCF, 0x7F, 0x00, 0x00, 0x02};
static os_timer_t timer;
static int sent, cb_ok, cb_fail, rx;

static void ICACHE_FLASH_ATTR on_sent(uint8 *mac, uint8 status)
{
    (void)mac;
    if (status == 0) cb_ok++;
    else cb_fail++;
}

static void ICACHE_FLASH_ATTR on_recv(uint8 *mac, uint8 *data, uint8 len)
{
    (void)mac;
    (void)data;
    (void)len;
    rx++;
}

static void ICACHE_FLASH_ATTR tick(void *arg)
{
    (void)arg;
    uint8 msg[16] = "nonos espnow 00";
    msg[13] = (uint8)('0' + sent / 10 % 10);
    msg[14] = (uint8)('0' + sent % 10);
    int r = esp_now_send(peer, msg, sizeof(msg));
    sent++;
    os_printf("nonos_espnow: send %d -> %d (ok %d fail %d rx %d)\n", sent, r, cb_ok, cb_fail, rx);
    if (sent == 10) {
        os_timer_disarm(&timer);
        os_printf("nonos_espnow: done\n");
    }
}

static void ICACHE_FLASH_ATTR start(void)
{
    int r = esp_now_init();
    esp_now_set_self_role(ESP_NOW_ROLE_COMBO);
    esp_now_register_send_cb(on_sent);
    esp_now_register_recv_cb(on_recv);
    int a = esp_now_add_peer(peer, ESP_NOW_ROLE_COMBO, 1, NULL, 0);
    os_printf("nonos_espnow: init %d, add peer %d\n", r, a);
    os_timer_setfn(&timer, tick, NULL);
    os_timer_arm(&timer, 100, 1);
}

void ICACHE_FLASH_ATTR user_init(void)
{
    wifi_set_opmode_current(STATION_MODE);
    system_init_done_cb(start);
}
