/* task.c — NodeMCU's task layer (task.h; protocols.md C.4): handles of the form
 * 0x68680000 + (index << 2) | prio, one dispatcher on the three NONOS user priorities with an
 * 8-event queue each. Written for espsim after NodeMCU's app/task/task.c (same behaviour). */
#include <stdlib.h>

#include "osapi.h"
#include "task.h"

static os_event_t *task_queue[TASK_PRIORITY_COUNT];
static task_callback_t *task_func;
static uint32 task_count;

/* Runs at ETS priority 2..4 for every event posted through task_post (or any system_os_post
 * on those priorities). */
static void ICACHE_FLASH_ATTR task_dispatch(os_event_t *e)
{
    task_handle_t handle = e->sig;
    if ((handle & TASK_HANDLE_MASK) != TASK_HANDLE_MONIKER) return; /* not a task handle: ignored */
    uint32 index = (handle & TASK_HANDLE_UNMASK) >> TASK_HANDLE_SHIFT;
    task_prio_t prio = (task_prio_t)(handle & TASK_PRIORITY_MASK);
    if (prio > TASK_PRIORITY_HIGH || task_func == NULL || index >= task_count)
        return; /* bad priority bits or unknown index: ignored */
    task_func[index]((task_param_t)e->par, prio);
}

static bool ICACHE_FLASH_ATTR task_init_handler(task_prio_t prio, uint8 qlen)
{
    if (prio > TASK_PRIORITY_HIGH || task_queue[prio] != NULL) return false;
    task_queue[prio] = calloc(qlen, sizeof(os_event_t));
    if (task_queue[prio] == NULL) return false;
    return system_os_task(task_dispatch, prio, task_queue[prio], qlen);
}

task_handle_t ICACHE_FLASH_ATTR task_get_id(task_callback_t t)
{
    for (int p = TASK_PRIORITY_COUNT - 1; p >= 0; p--) {
        if (task_queue[p] == NULL && !task_init_handler((task_prio_t)p, TASK_DEFAULT_QUEUE_LEN))
            return 0;
    }
    if ((task_count & (TASK_HANDLE_ALLOCATION_BRICK - 1)) == 0) {
        /* full (or empty) table: grow by one brick */
        task_callback_t *grown = realloc(
            task_func, sizeof(task_callback_t) * (task_count + TASK_HANDLE_ALLOCATION_BRICK));
        if (grown == NULL) return 0;
        task_func = grown;
        for (uint32 i = 0; i < TASK_HANDLE_ALLOCATION_BRICK; i++)
            task_func[task_count + i] = NULL;
    }
    task_func[task_count++] = t;
    return TASK_HANDLE_MONIKER + ((task_count - 1) << TASK_HANDLE_SHIFT);
}
