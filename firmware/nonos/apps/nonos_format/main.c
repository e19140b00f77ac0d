/* nonos_format — linked against Espressif's closed NONOS SDK libraries (docs/nonos-sdk.md):
 * formats numbers, strings and the softAP MAC with os_sprintf / os_snprintf (libmain's
 * ets_sprintf / ets_snprintf, which take their digits and "<null>" from strings of the ROM's data,
 * docs/rom.md "ROM data") and prints the results with os_printf (the ROM's ets_vprintf), between
 * brackets so that a missing or wrong character shows. */
#include "ets_sys.h"
#include "os_type.h"
#include "osapi.h"
#include "user_interface.h"

void ICACHE_FLASH_ATTR user_init(void)
{
    char buf[96];
    uint8 mac[6];
    os_sprintf(buf, "%d.%d.%d.%d %u %d", 1, 7, 6, 0, 4000000000u, -42);
    os_printf("nonos_format: dec [%s]\n", buf);
    os_sprintf(buf, "%x %X %08x %5d|%-4d|", 0xBEEFu, 0xCAFEu, 0x1234u, 42, 7);
    os_printf("nonos_format: hex [%s]\n", buf);
    os_sprintf(buf, "%s %s %c", "str", (char *)0, 'z');
    os_printf("nonos_format: str [%s]\n", buf);
    os_snprintf(buf, 8, "%d%d%d", 1234, 5678, 9);
    os_printf("nonos_format: snprintf [%s]\n", buf);
    os_sprintf(buf, "+CWMODE:%d", (int)wifi_get_opmode());
    os_printf("nonos_format: mode [%s]\n", buf);
    wifi_get_macaddr(SOFTAP_IF, mac);
    os_sprintf(buf, "\"" MACSTR "\"", MAC2STR(mac));
    os_printf("nonos_format: ap mac %s, %d chars\n", buf, (int)os_strlen(buf));
    os_printf("nonos_format: done\n");
}
