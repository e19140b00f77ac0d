/* firmware/nonos/include/user_config.h — the SDK's osapi.h includes "user_config.h"; these apps
 * need nothing in it. */
#ifndef ESPSIM_NONOS_USER_CONFIG_H
#define ESPSIM_NONOS_USER_CONFIG_H
#endif
