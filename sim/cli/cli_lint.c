/* sim/cli/cli_lint.c — see cli_lint.h. Errors are printed exactly as scn_load words them, with
 * no "espsim: " prefix, so editors and CI annotators read the FILE:LINE:COL position the way
 * they read a compiler's. */
#include "cli_lint.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "scenario.h"

int cli_lint(int argc, char **argv)
{
    const char *fwpath = NULL;
    char fwbuf[8192];
    bool verbose = false;
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--firmware-path")) {
            if (i + 1 >= argc) return cli_usage_error("missing value for option", a);
            fwpath = argv[++i];
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = true;
        } else if (!strcmp(a, "--")) {
            nfiles += argc - i - 1;
            break;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option", a);
        } else {
            nfiles++;
        }
    }
    if (!nfiles)
        return cli_usage_error("usage: espsim lint [--firmware-path DIRS] [-v] SCENARIO.yaml...",
                               NULL);
    int rc = CLI_OK;
    bool files_only = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!files_only) {
            if (!strcmp(a, "--firmware-path")) {
                i++;
                continue;
            }
            if (!strcmp(a, "--")) {
                files_only = true;
                continue;
            }
            if (a[0] == '-' && a[1]) continue;
        }
        scenario s;
        char err[1024];
        if (scn_load(&s, a, cli_firmware_path(fwpath, fwbuf, sizeof(fwbuf)), err, sizeof(err))) {
            if (verbose) printf("ok %s\n", a);
            scn_free(&s);
        } else {
            fprintf(stderr, "%s\n", err);
            rc = CLI_USAGE;
        }
    }
    fflush(stdout);
    return rc;
}
