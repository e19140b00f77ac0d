/* nonos_espnow — ESP-NOW through Espressif's own libespnow: a station that adds the peer
 * 5C:CF:7F:00:00:02 and sends it COUNT frames 50 ms apart ("nonos espnow NN..."), counting send
 * callbacks and received frames (an echoer sends each one back), then prints the totals.
 * Scenario espnow_real_sdk; docs/nonos-sdk.md. */
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
    if (status == 0)
        cb_ok++;
    else
        cb_fail++;
}

#define COUNT 100
#define LEN   16

/* The body espnow_node's echoer answers (firmware/apps/espnow_node): [0] 'P', [1..4] seq,
 * [5..8] send time in us, [9..] (seq + i); it comes back as 'E' with the same bytes. */
static void ICACHE_FLASH_ATTR make_body(uint8 *b, uint32 seq, uint32 t)
{
    b[0] = 'P';
    os_memcpy(b + 1, &seq, 4);
    os_memcpy(b + 5, &t, 4);
    for (int i = 9; i < LEN; i++)
        b[i] = (uint8)(seq + (uint32)i);
}

static int bad;

static void ICACHE_FLASH_ATTR on_recv(uint8 *mac, uint8 *data, uint8 len)
{
    uint32 seq = 0;
    if (len == LEN) os_memcpy(&seq, data + 1, 4);
    bool ok = len == LEN && data[0] == 'E' && seq < COUNT;
    for (int i = 9; ok && i < LEN; i++)
        ok = data[i] == (uint8)(seq + (uint32)i);
    if (!ok) {
        bad++;
        return;
    }
    rx++;
    if (rx == 1 || rx == COUNT)
        os_printf("nonos_espnow: echo %d seq %u from %02x:%02x:%02x:%02x:%02x:%02x\n", rx,
                  (unsigned)seq, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void ICACHE_FLASH_ATTR tick(void *arg)
{
    (void)arg;
    if (sent == COUNT) {
        os_timer_disarm(&timer);
        os_printf("nonos_espnow: done sent %d send_ok %d send_fail %d received %d bad %d\n", sent,
                  cb_ok, cb_fail, rx, bad);
        return;
    }
    uint8 msg[LEN];
    make_body(msg, (uint32)sent, system_get_time());
    int r = esp_now_send(peer, msg, sizeof(msg));
    sent++;
    if (r) os_printf("nonos_espnow: send %d -> %d\n", sent, r);
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
    os_timer_arm(&timer, 50, 1);
}

void ICACHE_FLASH_ATTR user_init(void)
{
    wifi_set_opmode_current(STATION_MODE);
    system_init_done_cb(start);
}
