/* os_type.h — NONOS names for the ETS task and timer types (ets_sys.h). */
#ifndef ESPSIM_SDK_OS_TYPE_H
#define ESPSIM_SDK_OS_TYPE_H

#include "ets_sys.h"

typedef ETSSignal os_signal_t;
typedef ETSParam os_param_t;
typedef ETSEvent os_event_t;
typedef ETSTask os_task_t;
typedef ETSTimer os_timer_t;
typedef ETSTimerFunc os_timer_func_t;

#endif
