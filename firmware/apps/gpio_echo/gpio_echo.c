/* apps/gpio_echo — a GPIO input interrupt answered on a GPIO output (lx106.md §3.5, §3.6;
 * scenarios/gpio_echo.yaml drives it).
 *
 * GPIO4 is an input with its pad pull-up on and a falling-edge interrupt (CPU INT 4, attached
 * with ets_isr_attach). Each falling edge: the ISR acknowledges GPIO_STATUS, counts, and sets
 * the output GPIO5 to the edge count's parity (so the outside sees the answer within
 * microseconds); then a task prints the edge. Rising edges and the pull-up taking over after a
 * release must not interrupt.
 *
 * Output:
 *   gpio_echo: ready, GPIO4 reads 1, GPIO5 reads 0
 *   gpio_echo: edge N on GPIO4 at T us (status 0x00000010), GPIO5 now P
 *   ...
 * A guest-side check fails (prints "gpio_echo: FAIL ...") if STATUS held anything but bit 4. */
#include "ets_sys.h"
#include "osapi.h"
#include "user_interface.h"

#define IN_PIN      4
#define OUT_PIN     5
#define PAD_GPIO4   (IO_MUX_BASE + 0x3C) /* §3.6: GPIO4's pad; function 0 = GPIO4 */
#define PAD_PULLUP  BIT(7)
#define INT_FALLING (2u << 7) /* GPIO_PIN bits 9:7 */
#define TASK_PRIO   1

static os_event_t queue[4];
static volatile uint32 edges, last_status, edge_us;

static void IRAM_ATTR gpio_isr(void *arg, void *frame)
{
    (void)arg;
    (void)frame;
    uint32 st = READ_PERI_REG(GPIO_STATUS_ADDRESS);
    WRITE_PERI_REG(GPIO_STATUS_W1TC_ADDRESS, st);
    if (!(st & BIT(IN_PIN))) return;
    edges++;
    last_status = st;
    edge_us = system_get_time();
    WRITE_PERI_REG((edges & 1) ? GPIO_OUT_W1TS_ADDRESS : GPIO_OUT_W1TC_ADDRESS, BIT(OUT_PIN));
    system_os_post(TASK_PRIO, 0, edges);
}

static void report(os_event_t *e)
{
    uint32 in = READ_PERI_REG(GPIO_IN_ADDRESS);
    if (last_status != BIT(IN_PIN))
        os_printf("gpio_echo: FAIL status 0x%08x, expected only bit %d\n", last_status, IN_PIN);
    os_printf("gpio_echo: edge %u on GPIO%d at %u us (status 0x%08x), GPIO%d now %u\n", e->par,
              IN_PIN, edge_us, last_status, OUT_PIN, (in >> OUT_PIN) & 1u);
}

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void ICACHE_FLASH_ATTR user_init(void)
{
    system_os_task(report, TASK_PRIO, queue, 4);
    WRITE_PERI_REG(PAD_GPIO4, PAD_PULLUP);
    WRITE_PERI_REG(GPIO_ENABLE_W1TC_ADDRESS, BIT(IN_PIN));
    WRITE_PERI_REG(GPIO_OUT_W1TC_ADDRESS, BIT(OUT_PIN));
    WRITE_PERI_REG(GPIO_ENABLE_W1TS_ADDRESS, BIT(OUT_PIN));
    WRITE_PERI_REG(GPIO_STATUS_W1TC_ADDRESS, 0xFFFF);
    WRITE_PERI_REG(GPIO_PIN_ADDR(IN_PIN), INT_FALLING);
    ets_isr_attach(ETS_GPIO_INUM, gpio_isr, NULL);
    ets_isr_unmask(BIT(ETS_GPIO_INUM));
    uint32 in = READ_PERI_REG(GPIO_IN_ADDRESS);
    os_printf("gpio_echo: ready, GPIO%d reads %u, GPIO%d reads %u\n", IN_PIN, (in >> IN_PIN) & 1u,
              OUT_PIN, (in >> OUT_PIN) & 1u);
}
