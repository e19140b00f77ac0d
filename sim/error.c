/* sim/error.c — see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

bool sim_error(char *err, size_t size, const char *where, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(err, size, "%s: %s", where, msg);
    return false;
}

void sim_text_add(sim_text *t, const char *fmt, ...)
{
    size_t room = sizeof(t->buf) - t->len;
    if (room <= 1) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, room, fmt, ap);
    va_end(ap);
    if (n > 0) t->len += (size_t)n < room ? (size_t)n : room - 1;
}
