/* sim/cli/cli_view.h — `espsim view SCENARIO.yaml`: the scenario runner with a live SDL2 window
 * (docs/viewer.md): nodes on a map at their positions, frames drawn while on the air (colour by
 * outcome), UART tails, wire and asi2c line levels, link quality, virtual time and the speed
 * ratio; keys pause / step / speed; a click on a node opens crash, reset and power-off, applied
 * as scenario actions (logged in events.jsonl with "source":"viewer" and printed as timeline
 * entries at the end, so the run can be replayed as a scenario). */
#ifndef CLI_VIEW_H
#define CLI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "radio/medium.h"
#include "scenario.h"

typedef struct cli_view cli_view;

typedef struct cli_view_opts {
    unsigned speed;         /* 0 = as fast as possible, else x real time (1, 10) */
    uint64_t frames;        /* stop after this many frames (0: until the window closes/run ends) */
    const char *screenshot; /* PNG written after the last frame */
    bool paused;            /* start paused */
    uint64_t stop_ps;       /* end the run at this virtual time (0: no) */
} cli_view_opts;

/* A user action the runner applies (kind SCN_ACT_CRASH with crash kind, RESET, POWER_OFF). */
typedef struct cli_view_action {
    scn_action_kind kind;
    scn_crash_kind crash;
    size_t node;
} cli_view_action;

cli_view *cli_view_new(const scenario *s, const cli_view_opts *o, char *err, size_t errsize);
void cli_view_free(cli_view *v);
/* Observers (from the runner): every events.jsonl event; every transmission at its end. */
void cli_view_event(cli_view *v, uint64_t t, size_t node, const char *event, const char *fields);
void cli_view_air(cli_view *v, const radio_air_info *a);
void cli_view_signal(cli_view *v, const char *name, bool level);
/* After a world step at virtual time now: draws when due, paces to the speed, handles input
 * (blocking while paused). Fills *act and returns true when the user asked for an action; sets
 * *quit when the window was closed or the frame limit reached. */
bool cli_view_step(cli_view *v, uint64_t now, cli_view_action *act, bool *quit);
/* The run ended at end: a last frame (and the screenshot). */
void cli_view_finish(cli_view *v, uint64_t end);

#endif
