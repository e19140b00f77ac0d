/* sim/cli/cli_limit.h — byte limits on the files a scenario run writes (docs/scenarios.md#limits).
 *
 * Files opened through cli_limit_fopen count every byte that reaches the disk against their own
 * kind's limit (per file for SCN_LIMIT_UART, all files of the kind together for the others) and
 * against SCN_LIMIT_OUTPUT (all of them together). Bytes are counted as they leave stdio's buffer:
 * at once when a limit is below 64 KiB (the stream is unbuffered), else up to 8 KiB late. The
 * write that would pass a limit is cut at the limit and later bytes that do not fit are dropped,
 * so no file ever exceeds one; the first limit reached is recorded (cli_limit_hit, msg). The
 * runner polls cli_limit_hit between world steps and stops the run (exit CLI_LIMIT). */
#ifndef CLI_LIMIT_H
#define CLI_LIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

typedef struct cli_limits {
    uint64_t max[SCN_LIMIT_COUNT];  /* bytes; SCN_LIMIT_NONE = unlimited */
    uint64_t used[SCN_LIMIT_COUNT]; /* bytes written, per kind (UART: all nodes) and in all */
    bool given[SCN_LIMIT_COUNT];    /* set by the scenario (else the default) */
    bool cli[SCN_LIMIT_COUNT];      /* set by --limit */
    bool hit;                       /* a limit was reached: everything after it is dropped */
    scn_limit_kind kind;            /* the limit that was reached */
    char msg[768];                  /* which file reached which limit, for the one-line report */
} cli_limits;

void cli_limits_init(cli_limits *l, const scn_limits *s);
/* Opens path for writing (truncates) as a stdio stream whose bytes count against kind and
 * SCN_LIMIT_OUTPUT (kind SCN_LIMIT_OUTPUT: only that one). NULL with errno set on failure. The
 * stream is closed with fclose; l must outlive it. */
FILE *cli_limit_fopen(cli_limits *l, const char *path, scn_limit_kind kind);
static inline bool cli_limit_hit(const cli_limits *l)
{
    return l->hit;
}
/* Applies "KIND=SIZE[,KIND=SIZE...]" (espsim run/test --limit) over l; false with a one-line
 * reason in err. */
bool cli_limit_override(scn_limits *l, const char *spec, char *err, size_t errsize);
/* Splits "NAME=VALUE[,NAME=VALUE...]" (--limit, --budget) and calls item(ctx, name, value, err,
 * errsize) for each item in order, value NULL where an item has no '='. False at the first empty
 * item, item over 127 characters (*bad set) or item() returning false (*bad clear; item wrote
 * err). An empty spec is one empty item. */
bool cli_pairs(const char *spec,
               bool (*item)(void *ctx, char *name, char *value, char *err, size_t errsize),
               void *ctx, char *err, size_t errsize, bool *bad);
/* "64 MiB", "1000 bytes": a limit as the report shows it. */
void cli_limit_format(uint64_t bytes, char *buf, size_t size);

#endif
