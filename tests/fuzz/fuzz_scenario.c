/* fuzz_scenario: arbitrary bytes as a scenario file through scn_load (libyaml, the schema walk,
 * regcomp) and scn_free. scn_load reads a path, so each input goes to a fresh temporary file.
 * No firmware path is given: file lookups are the last check, everything before it is reached.
 * Nothing an input does may crash, hang or leak. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz_scenario_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
    close(fd);
    if (done == size) {
        scenario s;
        char err[1024];
        if (scn_load(&s, path, NULL, err, sizeof(err))) scn_free(&s);
        scn_free(&s); /* harmless after a failed load or a free */
    }
    unlink(path);
    return 0;
}
