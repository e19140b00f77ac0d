/* task.h — NodeMCU's task layer (app/include/task/task.h; protocols.md C.4) over the NONOS
 * system_os_task / system_os_post, firmware/sdk/task.c. Same names and semantics:
 *
 *   task_get_id(cb)   registers cb (the table grows in bricks of 4) and returns its handle
 *                     0x68680000 + (index << 2); 0 on failure. The first call sets up the three
 *                     user priorities: one 8-event queue each, all served by one dispatcher
 *                     (system_os_task(dispatch, p, queue, 8) for p = 2, 1, 0) — it replaces any
 *                     handler the program registered itself on those priorities.
 *   task_post(p, h, par)  system_os_post(p, h | p, par): false if that priority's queue is full
 *                     (or p > 2). ISR-safe. task_post_low/medium/high = priorities 0/1/2.
 *   dispatcher        accepts a signal only if (sig & 0xFFF80000) == 0x68680000, its index
 *                     (sig & 0x7FFFF) >> 2 is registered and its priority bits (sig & 3) are
 *                     0..2; then calls cb(par, prio). Anything else is ignored.
 */
#ifndef ESPSIM_SDK_TASK_H
#define ESPSIM_SDK_TASK_H

#include "c_types.h"
#include "user_interface.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TASK_PRIORITY_LOW    0
#define TASK_PRIORITY_MEDIUM 1
#define TASK_PRIORITY_HIGH   2
#define TASK_PRIORITY_COUNT  3

#define TASK_HANDLE_MONIKER          0x68680000u
#define TASK_HANDLE_MASK             0xFFF80000u
#define TASK_HANDLE_UNMASK           (~TASK_HANDLE_MASK)
#define TASK_HANDLE_SHIFT            2
#define TASK_PRIORITY_MASK           3u
#define TASK_HANDLE_ALLOCATION_BRICK 4
#define TASK_DEFAULT_QUEUE_LEN       8

typedef uint8 task_prio_t;
typedef uint32 task_handle_t;
typedef intptr_t task_param_t;
typedef void (*task_callback_t)(task_param_t param, task_prio_t prio);

task_handle_t task_get_id(task_callback_t t);

static inline bool task_post(task_prio_t prio, task_handle_t handle, task_param_t param)
{
    return system_os_post(prio, handle | prio, (os_param_t)param);
}

#define task_post_low(handle, param)    task_post(TASK_PRIORITY_LOW, (handle), (param))
#define task_post_medium(handle, param) task_post(TASK_PRIORITY_MEDIUM, (handle), (param))
#define task_post_high(handle, param)   task_post(TASK_PRIORITY_HIGH, (handle), (param))

#ifdef __cplusplus
}
#endif

#endif
