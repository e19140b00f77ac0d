/* tests/runner/driver.c — `espsim test` on its own: main() for cli_test, so the runner can be
 * tested with a fake scenario runner (ESPSIM_TEST_EXEC) without the rest of espsim.
 *   runner_driver test PATHS... [options]   is   espsim test PATHS... [options]
 */
#include <stdio.h>
#include <string.h>

#include "cli_test.h"

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "test") != 0) {
        fprintf(stderr, "usage: runner_driver test PATHS... [options]\n");
        return 2;
    }
    return cli_test(argc - 2, argv + 2, "/proc/self/exe");
}
