/* models/radio/pcap.h — captures of the medium in pcap format through libpcap (reference/
 * protocols.md B.6): link type 127 (LINKTYPE_IEEE802_11_RADIOTAP), nanosecond timestamps of
 * global virtual time, one record per frame with a radiotap header (flags: FCS at end, and bad
 * FCS for a frame its addressed receiver did not get; rate; channel frequency and CCK/2 GHz
 * flags; antenna signal in dBm; antenna 0) followed by the MPDU with its FCS. */
#ifndef MODELS_RADIO_PCAP_H
#define MODELS_RADIO_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct radio_pcap radio_pcap;

/* Opens path for writing (truncates). NULL on failure, with a one-line reason in err (if err is
 * not NULL and errsize > 0). */
radio_pcap *radio_pcap_open(const char *path, char *err, size_t errsize);
/* The same on an open stream (such as a size-limited one), which the capture owns from now on:
 * radio_pcap_close closes it, and a failure here closes it too. name is for messages. */
radio_pcap *radio_pcap_open_stream(FILE *f, const char *name, char *err, size_t errsize);
/* Appends one frame (mpdu with its FCS, 1..65519 bytes) at t_ps (written as t_ps / 1000 ns) on
 * channel 1-14 at rate_kbps (a multiple of 500 kb/s, at most 127500); signal_dbm is clamped to
 * -128..127. bad = mark it as not received (radiotap flag 0x40, bad FCS). False on invalid
 * arguments or a write error. */
bool radio_pcap_write(radio_pcap *p, uint64_t t_ps, const uint8_t *mpdu, size_t len,
                      unsigned channel, unsigned rate_kbps, int signal_dbm, bool bad);
/* Records written so far. */
uint64_t radio_pcap_count(const radio_pcap *p);
/* Writes out what stdio buffers; NULL is ignored. */
void radio_pcap_flush(radio_pcap *p);
/* Flushes and closes the file and frees p; NULL is ignored. */
void radio_pcap_close(radio_pcap *p);

#endif
