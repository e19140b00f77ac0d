/* models/radio/pcap.c — the medium's capture file through libpcap (contracts in pcap.h; format
 * in reference/protocols.md B.6). Each record is a 16-byte radiotap header followed by the MPDU
 * with its FCS; timestamps are global virtual time in ns. */
#include "radio/pcap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "radio/frame.h"

#define SNAPLEN 65535u

/* Radiotap header (B.6): version 0, pad, length 16, present = flags | rate | channel |
 * dBm antenna signal | antenna; fields in bit order at their natural alignment. */
#define RT_LEN         16u
#define RT_PRESENT     0x0000082Eu
#define RT_OFF_FLAGS   8u
#define RT_OFF_RATE    9u
#define RT_OFF_FREQ    10u
#define RT_OFF_CHFLAGS 12u
#define RT_OFF_SIGNAL  14u
#define RT_OFF_ANTENNA 15u
#define RT_FLAG_FCS    0x10u /* the frame ends with its FCS */
#define RT_FLAG_BADFCS 0x40u
#define RT_CHAN_CCK    0x0020u
#define RT_CHAN_2GHZ   0x0080u
#define RT_RATE_UNIT   500u /* kb/s */

struct radio_pcap {
    pcap_t *pd; /* dead handle: link type and timestamp precision of the file */
    pcap_dumper_t *dumper;
    uint64_t count;
    uint8_t rec[SNAPLEN]; /* radiotap header + MPDU of the record being written */
};

static void set_err(char *err, size_t errsize, const char *what, const char *why)
{
    if (err && errsize) snprintf(err, errsize, "%s: %s", what, why);
}

/* Opens the dumper on path, or on f when f is not NULL (path then only names it in errors). */
static radio_pcap *pcap_open_common(const char *path, FILE *f, char *err, size_t errsize)
{
    if (!path) {
        set_err(err, errsize, "pcap", "no path");
        return NULL;
    }
    radio_pcap *p = calloc(1, sizeof(*p));
    if (!p) {
        set_err(err, errsize, path, "out of memory");
        return NULL;
    }
    p->pd = pcap_open_dead_with_tstamp_precision(DLT_IEEE802_11_RADIO, (int)SNAPLEN,
                                                 PCAP_TSTAMP_PRECISION_NANO);
    if (!p->pd) {
        set_err(err, errsize, path, "pcap_open_dead failed");
        free(p);
        return NULL;
    }
    p->dumper = f ? pcap_dump_fopen(p->pd, f) : pcap_dump_open(p->pd, path);
    if (!p->dumper) {
        /* libpcap's message already names the file ("path: No such file or directory") */
        if (err && errsize) snprintf(err, errsize, "%s", pcap_geterr(p->pd));
        pcap_close(p->pd);
        free(p);
        return NULL;
    }
    return p;
}

radio_pcap *radio_pcap_open(const char *path, char *err, size_t errsize)
{
    return pcap_open_common(path, NULL, err, errsize);
}

radio_pcap *radio_pcap_open_stream(FILE *f, const char *name, char *err, size_t errsize)
{
    if (!f) {
        set_err(err, errsize, name ? name : "pcap", "no stream");
        return NULL;
    }
    radio_pcap *p = pcap_open_common(name, f, err, errsize);
    if (!p) fclose(f);
    return p;
}

static void put_le16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)(v & 0xFFu);
    b[1] = (uint8_t)(v >> 8);
}

bool radio_pcap_write(radio_pcap *p, uint64_t t_ps, const uint8_t *mpdu, size_t len,
                      unsigned channel, unsigned rate_kbps, int signal_dbm, bool bad)
{
    unsigned mhz = radio_channel_mhz(channel);
    if (!p || !mpdu || len == 0 || len > SNAPLEN - RT_LEN || mhz == 0 || rate_kbps == 0 ||
        rate_kbps % RT_RATE_UNIT != 0 || rate_kbps / RT_RATE_UNIT > 0xFFu)
        return false;
    int sig = signal_dbm < -128 ? -128 : signal_dbm > 127 ? 127 : signal_dbm;
    uint8_t *r = p->rec;
    r[0] = 0; /* it_version */
    r[1] = 0; /* it_pad */
    put_le16(r + 2, RT_LEN);
    put_le16(r + 4, (uint16_t)(RT_PRESENT & 0xFFFFu));
    put_le16(r + 6, (uint16_t)(RT_PRESENT >> 16));
    r[RT_OFF_FLAGS] = (uint8_t)(RT_FLAG_FCS | (bad ? RT_FLAG_BADFCS : 0u));
    r[RT_OFF_RATE] = (uint8_t)(rate_kbps / RT_RATE_UNIT);
    put_le16(r + RT_OFF_FREQ, (uint16_t)mhz);
    put_le16(r + RT_OFF_CHFLAGS, RT_CHAN_CCK | RT_CHAN_2GHZ);
    r[RT_OFF_SIGNAL] = (uint8_t)(int8_t)sig;
    r[RT_OFF_ANTENNA] = 0;
    memcpy(r + RT_LEN, mpdu, len);

    uint64_t t_ns = t_ps / 1000u;
    struct pcap_pkthdr h = {.caplen = (bpf_u_int32)(RT_LEN + len),
                            .len = (bpf_u_int32)(RT_LEN + len)};
    h.ts.tv_sec = (time_t)(t_ns / 1000000000u);
    h.ts.tv_usec = (suseconds_t)(t_ns % 1000000000u); /* ns: the handle is nanosecond-precision */
    pcap_dump((u_char *)p->dumper, &h, r);
    if (ferror(pcap_dump_file(p->dumper))) return false;
    p->count++;
    return true;
}

uint64_t radio_pcap_count(const radio_pcap *p)
{
    return p ? p->count : 0;
}

void radio_pcap_flush(radio_pcap *p)
{
    if (p) pcap_dump_flush(p->dumper);
}

void radio_pcap_close(radio_pcap *p)
{
    if (!p) return;
    pcap_dump_flush(p->dumper);
    pcap_dump_close(p->dumper);
    pcap_close(p->pd);
    free(p);
}
