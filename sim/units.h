/* sim/units.h — parsing quantities users write: durations with a unit ("10s", "500 ms",
 * "2min", "1h", "250us", "40ns", "3ps") into integer picoseconds, and byte sizes ("512K",
 * "1M", "4MB", "2GiB", "65536"; K, M and G with or without B/iB are all powers of 1024) into
 * bytes. A number without a unit is an error for durations (the
 * scenario format requires units). Fractions are allowed for durations ("1.5s"), rounded
 * to the nearest picosecond. */
#ifndef SIM_UNITS_H
#define SIM_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* On failure returns false and writes the reason (one phrase) into why. */
bool sim_parse_duration(const char *text, uint64_t *ps, const char **why);
bool sim_parse_size(const char *text, uint64_t *bytes, const char **why);
/* "1.234567 s" style formatting of a time in seconds with microsecond digits. */
void sim_format_seconds(uint64_t ps, char *buf, size_t size);

#endif
