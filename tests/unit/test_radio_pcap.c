/* tests/unit/test_radio_pcap.c — models/radio/pcap: three frames (a unicast ESP-NOW frame, its
 * ACK, a broadcast marked bad) and a CCMP-protected unicast one written and read back with libpcap:
 * link type 127, snap length, the nanosecond magic, timestamps in ns (t_ps / 1000, truncated), the
 * 16-byte radiotap header byte for byte (protocols.md B.6) and the MPDU after it; argument checks;
 * open failure.
 *
 * The file goes to $RADIO_PCAP_OUT if set (kept, for tests/radio/tshark_check.sh, which can
 * decrypt the protected frame with --tk 00112233445566778899aabbccddeeff), else to a temporary
 * file in $TMPDIR (or /tmp) that is removed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "radio/frame.h"
#include "radio/pcap.h"

static const uint8_t DA[6] = {0x24, 0x0A, 0xC4, 0x11, 0x22, 0x33};
static const uint8_t SA[6] = {0x5C, 0xCF, 0x7F, 0xAA, 0xBB, 0xCC};
static const uint8_t BCAST[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
static const uint8_t TK[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                               0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
#define NREC 4

typedef struct rec {
    uint64_t t_ps;
    uint8_t mpdu[RADIO_MPDU_MAX];
    size_t len;
    unsigned channel, rate_kbps;
    int signal_dbm;
    bool bad;
    uint8_t radiotap[16]; /* expected, assembled by hand */
} rec;

static size_t espnow(uint8_t *out, const uint8_t *da, uint16_t seq, const char *body)
{
    radio_espnow_tx tx = {.seq = seq,
                          .random = {1, 2, 3, 4},
                          .duration_us = radio_mac_is_group(da) ? 0 : 314,
                          .body = (const uint8_t *)body,
                          .body_len = strlen(body)};
    memcpy(tx.da, da, 6);
    memcpy(tx.sa, SA, 6);
    return radio_espnow_build(&tx, out, RADIO_MPDU_MAX);
}

/* The records: 1 Mbps on channel 1 at -40 dBm; the ACK at 1 Mbps; 11 Mbps broadcast on
 * channel 14 at -91 dBm, bad FCS flag; a protected unicast frame at 2 Mbps on channel 6. */
static void make_recs(rec r[NREC])
{
    memset(r, 0, NREC * sizeof(*r));
    r[0] = (rec){.t_ps = 1234567891234ull,
                 .channel = 1,
                 .rate_kbps = 1000,
                 .signal_dbm = -40,
                 .radiotap = {0x00, 0x00, 0x10, 0x00, 0x2E, 0x08, 0x00, 0x00, /* len, present */
                              0x10,                                           /* flags: FCS */
                              0x02,                                           /* 1 Mb/s */
                              0x6C, 0x09, 0xA0, 0x00, /* 2412 MHz, CCK | 2 GHz */
                              0xD8,                   /* -40 dBm */
                              0x00}};                 /* antenna 0 */
    r[0].len = espnow(r[0].mpdu, DA, 0x123, "hello");
    r[1] = (rec){.t_ps = 1234568205000ull,
                 .channel = 1,
                 .rate_kbps = 1000,
                 .signal_dbm = -45,
                 .radiotap = {0x00, 0x00, 0x10, 0x00, 0x2E, 0x08, 0x00, 0x00, 0x10, 0x02, 0x6C,
                              0x09, 0xA0, 0x00, 0xD3, 0x00}};
    r[1].len = radio_ack_build(SA, r[1].mpdu, RADIO_MPDU_MAX);
    r[2] =
        (rec){.t_ps = 4000000000999999ull,
              .channel = 14,
              .rate_kbps = 11000,
              .signal_dbm = -91,
              .bad = true,
              .radiotap = {0x00, 0x00, 0x10, 0x00, 0x2E, 0x08, 0x00, 0x00, 0x50, /* FCS | bad FCS */
                           0x16,                   /* 11 Mb/s = 22 x 500 kb/s */
                           0xB4, 0x09, 0xA0, 0x00, /* 2484 MHz */
                           0xA5,                   /* -91 dBm */
                           0x00}};
    r[2].len = espnow(r[2].mpdu, BCAST, 0x124, "broadcast");
    r[3] =
        (rec){.t_ps = 4000000001000000ull,
              .channel = 6,
              .rate_kbps = 2000,
              .signal_dbm = -1,
              .radiotap = {0x00, 0x00, 0x10, 0x00, 0x2E, 0x08, 0x00, 0x00, 0x10, 0x04, /* 2 Mb/s */
                           0x85, 0x09, 0xA0, 0x00, /* 2437 MHz */
                           0xFF, 0x00}};
    uint8_t plain[RADIO_MPDU_MAX];
    size_t n = espnow(plain, DA, 0x125, "secret");
    r[3].len = radio_ccmp_encrypt(TK, 0x1234, plain, n, r[3].mpdu, RADIO_MPDU_MAX);
}

static void test_write_read(void **state)
{
    (void)state;
    char path[4096];
    const char *keep = getenv("RADIO_PCAP_OUT");
    if (keep && *keep) {
        snprintf(path, sizeof(path), "%s", keep);
    } else {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof(path), "%s/unit_radio_pcap_XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
    }
    rec r[NREC];
    make_recs(r);
    assert_int_equal(r[3].len, 43 + 6 + 16);
    char err[256] = "";
    radio_pcap *p = radio_pcap_open(path, err, sizeof(err));
    assert_non_null(p);
    assert_int_equal(radio_pcap_count(p), 0);
    for (unsigned i = 0; i < NREC; i++)
        assert_true(radio_pcap_write(p, r[i].t_ps, r[i].mpdu, r[i].len, r[i].channel,
                                     r[i].rate_kbps, r[i].signal_dbm, r[i].bad));
    /* rejected: no frame, channel 0 and 15, rate 0 and not a multiple of 500 kb/s */
    assert_false(radio_pcap_write(p, 0, r[0].mpdu, 0, 1, 1000, -40, false));
    assert_false(radio_pcap_write(p, 0, NULL, 10, 1, 1000, -40, false));
    assert_false(radio_pcap_write(p, 0, r[0].mpdu, r[0].len, 0, 1000, -40, false));
    assert_false(radio_pcap_write(p, 0, r[0].mpdu, r[0].len, 15, 1000, -40, false));
    assert_false(radio_pcap_write(p, 0, r[0].mpdu, r[0].len, 1, 0, -40, false));
    assert_false(radio_pcap_write(p, 0, r[0].mpdu, r[0].len, 1, 1200, -40, false));
    assert_false(radio_pcap_write(NULL, 0, r[0].mpdu, r[0].len, 1, 1000, -40, false));
    assert_int_equal(radio_pcap_count(p), NREC);
    radio_pcap_close(p);

    /* the file header: nanosecond magic, version 2.4, snaplen 65535, link type 127 */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t gh[24];
    assert_int_equal(fread(gh, 1, sizeof(gh), f), sizeof(gh));
    fclose(f);
    uint32_t magic =
        (uint32_t)gh[0] | (uint32_t)gh[1] << 8 | (uint32_t)gh[2] << 16 | (uint32_t)gh[3] << 24;
    assert_true(magic == 0xA1B23C4Du || magic == 0x4D3CB2A1u); /* written in host order */

    char ebuf[PCAP_ERRBUF_SIZE];
    pcap_t *in = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
    assert_non_null(in);
    assert_int_equal(pcap_datalink(in), 127);
    assert_int_equal(pcap_datalink(in), DLT_IEEE802_11_RADIO);
    assert_int_equal(pcap_snapshot(in), 65535);
    assert_int_equal(pcap_get_tstamp_precision(in), PCAP_TSTAMP_PRECISION_NANO);
    const uint64_t want_s[NREC] = {1, 1, 4000, 4000};
    const long want_ns[NREC] = {234567891, 234568205, 999, 1000};
    for (unsigned i = 0; i < NREC; i++) {
        struct pcap_pkthdr *h;
        const u_char *d;
        assert_int_equal(pcap_next_ex(in, &h, &d), 1);
        assert_int_equal(h->ts.tv_sec, want_s[i]);
        assert_int_equal(h->ts.tv_usec, want_ns[i]);
        assert_int_equal(h->caplen, 16 + r[i].len);
        assert_int_equal(h->len, 16 + r[i].len);
        assert_memory_equal(d, r[i].radiotap, 16);
        assert_memory_equal(d + 16, r[i].mpdu, r[i].len);
        assert_true(radio_fcs_ok(d + 16, r[i].len));
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    assert_int_equal(pcap_next_ex(in, &h, &d), PCAP_ERROR_BREAK); /* end of file */
    pcap_close(in);
    if (!(keep && *keep)) unlink(path);
}

static void test_signal_clamp(void **state)
{
    (void)state;
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/unit_radio_pcap_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    uint8_t ack[RADIO_ACK_LEN];
    radio_ack_build(DA, ack, sizeof(ack));
    radio_pcap *p = radio_pcap_open(path, NULL, 0);
    assert_non_null(p);
    assert_true(radio_pcap_write(p, 0, ack, sizeof(ack), 13, 5500, -200, false));
    assert_true(radio_pcap_write(p, 999, ack, sizeof(ack), 13, 2000, 300, false));
    radio_pcap_close(p);
    char ebuf[PCAP_ERRBUF_SIZE];
    pcap_t *in = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
    assert_non_null(in);
    struct pcap_pkthdr *h;
    const u_char *d;
    assert_int_equal(pcap_next_ex(in, &h, &d), 1);
    assert_int_equal(d[9], 11);    /* 5.5 Mb/s */
    assert_int_equal(d[10], 0xA8); /* 2472 MHz */
    assert_int_equal(d[11], 0x09);
    assert_int_equal((int8_t)d[14], -128);
    assert_int_equal(h->ts.tv_sec, 0);
    assert_int_equal(h->ts.tv_usec, 0);
    assert_int_equal(pcap_next_ex(in, &h, &d), 1);
    assert_int_equal(d[9], 4);
    assert_int_equal((int8_t)d[14], 127);
    assert_int_equal(h->ts.tv_usec, 0); /* 999 ps < 1 ns */
    pcap_close(in);
    unlink(path);
}

static void test_open_fails(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(radio_pcap_open("/nonexistent-dir/x/air.pcap", err, sizeof(err)));
    assert_non_null(strstr(err, "/nonexistent-dir/x/air.pcap"));
    assert_null(strchr(err, '\n'));
    assert_null(radio_pcap_open(NULL, err, sizeof(err)));
    assert_true(err[0] != 0);
    assert_null(radio_pcap_open("/nonexistent-dir/x/air.pcap", NULL, 0));
    radio_pcap_close(NULL);
    assert_int_equal(radio_pcap_count(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_read),
        cmocka_unit_test(test_signal_clamp),
        cmocka_unit_test(test_open_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
