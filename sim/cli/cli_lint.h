/* sim/cli/cli_lint.h — `espsim lint SCENARIO.yaml...`: load and validate scenario files
 * (sim/scenario.h) without running them. */
#ifndef SIM_CLI_LINT_H
#define SIM_CLI_LINT_H

/* argv: the arguments after "lint". Options: --firmware-path DIRS (colon-separated directories
 * searched for firmware and flash files after the scenario's own directory), -v/--verbose
 * ("ok FILE" on stdout for each valid file). Every file is checked; each invalid one prints its
 * one-line error ("FILE:LINE:COL: KEY: problem") on stderr. Returns 0 when all are valid, 2
 * (CLI_USAGE) when any is not or on a usage error. */
int cli_lint(int argc, char **argv);

#endif
