/* firmware/nonos/partitions.c — user_pre_init for the non-OTA apps: SDK 3.x requires the
 * application to register its partition table (user_interface.h system_partition_table_regist).
 * A 1 MB flash (SPI_FLASH_SIZE_MAP 2): RF calibration, PHY init data and the system parameters
 * in the last five sectors, as the SDK's flash-download table puts them. */
#include "osapi.h"
#include "user_interface.h"

static const partition_item_t espsim_partitions[] = {
#ifdef ESPSIM_OTA
    /* the OTA layout: boot_v1.7 at 0, user1 at 0x1000, user2 at 0x81000 (512 KB + 512 KB) */
    {SYSTEM_PARTITION_BOOTLOADER, 0x0, 0x1000},
    {SYSTEM_PARTITION_OTA_1, 0x1000, 0x6A000},
    {SYSTEM_PARTITION_OTA_2, 0x81000, 0x6A000},
#endif
    {SYSTEM_PARTITION_RF_CAL, 0xFB000, 0x1000},
    {SYSTEM_PARTITION_PHY_DATA, 0xFC000, 0x1000},
    {SYSTEM_PARTITION_SYSTEM_PARAMETER, 0xFD000, 0x3000},
};

void ICACHE_FLASH_ATTR user_pre_init(void)
{
    if (!system_partition_table_regist(espsim_partitions,
                                       sizeof(espsim_partitions) / sizeof(espsim_partitions[0]),
                                       SPI_FLASH_SIZE_MAP)) {
        os_printf("partition table registration failed\n");
        while (1) {
        }
    }
}
