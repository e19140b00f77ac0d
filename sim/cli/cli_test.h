/* sim/cli/cli_test.h — `espsim test`: run many scenario files as one CI suite.
 *
 * cli_test(argc, argv, self_exe) takes the arguments after the word `test`
 * (`espsim test a.yaml -j 2` → argc 2, argv {"a.yaml", "-j", "2"}). Every scenario runs in
 * its own child process, `SELF_EXE run FILE --out DIR [--seed N] [--firmware-path DIRS]`,
 * where SELF_EXE is self_exe (normally "/proc/self/exe") unless the environment variable
 * ESPSIM_TEST_EXEC names a stand-in program (the tests use a fake runner script).
 *
 * Returns the exit code of `espsim test`. The precedence when runs fail (docs/ci.md):
 *   2 (CLI_USAGE)  a bad flag or path, or any run with a config or input error;
 *   4 (CLI_HANG)   else any run stopped by the wall-clock hang guard, or without a verdict
 *                  (killed by a signal, an exit status outside 0..4, not startable);
 *   3 (CLI_GUEST)  else any guest fault or virtual timeout;
 *   1 (CLI_EXPECT) else any expectation failed or any --verify-determinism mismatch;
 *   0 (CLI_OK)     every run passed (an empty shard passes).
 * Combined outputs (OUT/junit.xml, OUT/summary.txt) are written in sorted scenario order and
 * contain no host times, so they are byte-identical whatever -j and the completion order.
 */
#ifndef SIM_CLI_TEST_H
#define SIM_CLI_TEST_H

int cli_test(int argc, char **argv, const char *self_exe);

#endif
