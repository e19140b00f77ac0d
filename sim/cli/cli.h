/* sim/cli/cli.h — shared pieces of the espsim command line. */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdbool.h>
#include <stdint.h>

/* Exit codes (README.md): CLI_LIMIT = a scenario run stopped by an output limit
 * (docs/scenarios.md#limits). */
enum { CLI_OK = 0, CLI_EXPECT = 1, CLI_USAGE = 2, CLI_GUEST = 3, CLI_HANG = 4, CLI_LIMIT = 5 };

typedef struct cli_run_opts {
    const char *machine; /* "esp8266" or "qemu-sim" */
    const char *firmware;
    const char *flash;
    bool flash_persist;
    uint32_t cpu_mhz;
    const char *until;
    uint64_t timeout_ps;
    uint64_t timeout_wall_s;
    const char *uart_log;
    bool timestamps;
    const char *trace;
    uint64_t max_insns;
    bool stats;
    const char *init_data;   /* --init-data FILE: PHY init data at flash size - 0x4000 */
    const char *symbols;     /* --symbols ELF: symbols and lines for a flash image */
    bool log_unmapped;       /* --log unmapped: report unmodelled registers once per word */
    bool profile;            /* --profile: per-handler table and budget violations */
    const char *profile_out; /* --profile-out DIR: trace.json, profile.folded, profile.txt */
    const char *budgets;     /* --budget SPEC (docs/profiling.md) */
    bool budget_fail;        /* --budget-fail: a violation makes the run fail (exit 1) */
    uint64_t seed;
    bool seed_set;
    const char *out;                  /* scenario runs: output directory */
    const char *firmware_path;        /* scenario runs: extra firmware search directories */
    int gdb_port;                     /* GDB stub port (-1: none, 0: any) */
    const char *gdb_node;             /* scenario runs: the node GDB debugs (--gdb NODE:PORT) */
    const char *limits;               /* scenario runs: --limit KIND=SIZE,... (cli_limit.h) */
    const struct cli_view_opts *view; /* espsim view: the window's options (NULL: none) */
} cli_run_opts;

int cli_run_esp(const cli_run_opts *o);

int cli_run_scenario(const cli_run_opts *o);
int cli_image(int argc, char **argv);
int cli_usage_error(const char *msg, const char *arg);
double cli_wall_seconds(void);
/* The firmware search path of scenario runs (docs/scenarios.md): the given directories, then
 * $ESPSIM_FIRMWARE_PATH, then the firmware folder of the build this espsim belongs to
 * (EXE/../../firmware, i.e. build/firmware for build/sim/cli/espsim) if it exists. Written to
 * buf (colon-separated); returns buf, or given if buf is too small. */
const char *cli_firmware_path(const char *given, char *buf, size_t size);

#endif
