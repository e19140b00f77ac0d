/* sim/gdb.h — a GDB remote serial protocol stub for one node (docs/gdb.md).
 *
 * Listens on 127.0.0.1 only. While the client has the node stopped, nothing runs: virtual time
 * is frozen. Supported: ?, g, G, p, P, m, M, c, s, Z0/z0 and Z1/z1 (both are breakpoints in the
 * node's hook table: any executable address outside hook regions), qSupported, qAttached, H*,
 * k, D, and ^C while running. Registers in the layout of the lx106 GDB builds (Espressif's
 * esp-gdbstub): a0..a15, pc, sar, litbase, sr176, sr208, ps; 22 32-bit little-endian values
 * (sr176 and sr208 read 0, writes to them are ignored).
 *
 * The runner drives it: sim_gdb_accept once, then before each slice of running
 * sim_gdb_serve (returns at once unless the client has the node stopped), and after each slice
 * sim_gdb_after (reports a breakpoint hit, a ^C, a fault or the end of the run to the client).
 */
#ifndef SIM_GDB_H
#define SIM_GDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"

typedef struct sim_gdb sim_gdb;

/* Binds 127.0.0.1:port (0: a free port; *bound gets the port). NULL with err on failure. */
sim_gdb *sim_gdb_listen(sim_node *n, unsigned port, unsigned *bound, char *err, size_t errsize);
/* Waits for the client to connect. The node starts stopped (at its reset vector). */
bool sim_gdb_accept(sim_gdb *g, char *err, size_t errsize);
/* While the client keeps the node stopped: serves its packets. Returns true to run on (after
 * c or s), false if the client killed the run or went away (the runner ends the run; a detach
 * returns true and lets the node run freely). */
bool sim_gdb_serve(sim_gdb *g);
/* After a slice of running: a breakpoint hit, ^C from the client or a stopped node makes the
 * node stopped again and tells the client (T05 / T0b fault / W00 halt). */
void sim_gdb_after(sim_gdb *g);
/* True while the client has the node stopped. */
bool sim_gdb_stopped(const sim_gdb *g);
void sim_gdb_free(sim_gdb *g);

#endif
