/* sim/error.h — the one-line error messages of architecture.md §9: "WHERE: problem". */
#ifndef SIM_ERROR_H
#define SIM_ERROR_H

#include <stdbool.h>
#include <stddef.h>

/* Writes "where: <formatted problem>" into err (truncated to size) and returns false, so a
 * caller can `return sim_error(...)`. */
bool sim_error(char *err, size_t size, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A growable-in-place text buffer for multi-line reports: appends stop (silently truncating)
 * when the buffer is full; buf is always NUL-terminated. */
typedef struct sim_text {
    char buf[4096];
    size_t len;
} sim_text;

void sim_text_add(sim_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
