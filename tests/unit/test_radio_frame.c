/* tests/unit/test_radio_frame.c — models/radio/frame: the ESP-NOW action frame byte for byte
 * against a hand-assembled one (protocols.md B.1), body limits, parse round trip and the
 * malformed cases, FCS (CRC-32 check value, bad FCS rejected), the ACK (B.3), airtime at the
 * four DSSS/CCK rates, channel frequencies, and CCMP (B.5, IEEE 802.11-2016 §12.5.3).
 *
 * CCMP has no known-answer vector from the standard here (Annex J's vectors are not in our
 * references and could not be derived independently). What is tested instead: the encrypt /
 * decrypt round trip; the layout (Protected bit, CCMP header bytes, +16); failures with a wrong
 * key or any tampered byte; that Retry, PwrMgt, MoreData and the sequence number are outside the
 * AAD and the fragment number inside; and a cross-check of ciphertext and MIC against OpenSSL
 * AES-CCM called directly with an AAD and nonce assembled by hand in this file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "radio/frame.h"

static const uint8_t DA[6] = {0x24, 0x0A, 0xC4, 0x11, 0x22, 0x33};
static const uint8_t SA[6] = {0x5C, 0xCF, 0x7F, 0xAA, 0xBB, 0xCC};
static const uint8_t BODY[3] = {'h', 'i', '!'};
static const uint8_t TK[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                               0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};

/* The frame radio_espnow_build must produce for tx_hi(): B.1 field by field. The FCS is the
 * CRC-32 of bytes 0..41 computed independently (Python zlib.crc32), little-endian. */
static const uint8_t EXPECTED[46] = {
    0xD0, 0x00,                         /* FC: management, action; no flags */
    0x3A, 0x01,                         /* duration 314 us */
    0x24, 0x0A, 0xC4, 0x11, 0x22, 0x33, /* addr1 = DA */
    0x5C, 0xCF, 0x7F, 0xAA, 0xBB, 0xCC, /* addr2 = SA */
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* addr3 = wildcard BSSID */
    0x30, 0x12,                         /* sequence control: seq 0x123 << 4, fragment 0 */
    0x7F,                               /* category: vendor specific */
    0x18, 0xFE, 0x34,                   /* Espressif OUI */
    0xDE, 0xAD, 0xBE, 0xEF,             /* random bytes */
    0xDD, 0x08,                         /* vendor element, length 5 + 3 */
    0x18, 0xFE, 0x34,                   /* OUI */
    0x04, 0x01,                         /* type ESP-NOW, version 1 */
    'h',  'i',  '!',                    /* body */
    0x59, 0x64, 0xAB, 0x04,             /* FCS */
};

static radio_espnow_tx tx_hi(void)
{
    radio_espnow_tx tx = {.seq = 0x123,
                          .random = {0xDE, 0xAD, 0xBE, 0xEF},
                          .duration_us = 314,
                          .body = BODY,
                          .body_len = sizeof(BODY)};
    memcpy(tx.da, DA, 6);
    memcpy(tx.sa, SA, 6);
    return tx;
}

/* A 20-byte-body ESP-NOW frame to encrypt. */
static size_t build_plain(uint8_t *f, size_t cap)
{
    static const uint8_t body[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};
    radio_espnow_tx tx = tx_hi();
    tx.body = body;
    tx.body_len = sizeof(body);
    return radio_espnow_build(&tx, f, cap);
}

static void test_crc32(void **state)
{
    (void)state;
    /* the CRC-32 check value */
    assert_int_equal(radio_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
    assert_int_equal(radio_crc32(NULL, 0), 0);
}

static void test_build_bytes(void **state)
{
    (void)state;
    radio_espnow_tx tx = tx_hi();
    uint8_t f[RADIO_MPDU_MAX];
    memset(f, 0xAA, sizeof(f));
    assert_int_equal(radio_espnow_build(&tx, f, sizeof(f)), sizeof(EXPECTED));
    assert_memory_equal(f, EXPECTED, sizeof(EXPECTED));
    assert_int_equal(f[sizeof(EXPECTED)], 0xAA); /* nothing written past the FCS */
    assert_true(radio_fcs_ok(f, sizeof(EXPECTED)));
    /* only the low 12 bits of seq are used */
    tx.seq = 0xF123;
    assert_int_equal(radio_espnow_build(&tx, f, sizeof(f)), sizeof(EXPECTED));
    assert_memory_equal(f, EXPECTED, sizeof(EXPECTED));
    /* an empty body: 43 bytes, element length 5 */
    tx.body = NULL;
    tx.body_len = 0;
    assert_int_equal(radio_espnow_build(&tx, f, sizeof(f)), 43);
    assert_int_equal(f[33], 5);
    assert_memory_equal(f, EXPECTED, 33);
    assert_true(radio_fcs_ok(f, 43));
}

static void test_body_limits(void **state)
{
    (void)state;
    uint8_t body[RADIO_ESPNOW_MAX + 1];
    for (size_t i = 0; i < sizeof(body); i++)
        body[i] = (uint8_t)i;
    uint8_t f[RADIO_MPDU_MAX + 8];
    radio_espnow_tx tx = tx_hi();
    tx.body = body;
    tx.body_len = 250;
    assert_int_equal(radio_espnow_build(&tx, f, sizeof(f)), 293);
    assert_int_equal(f[33], 255);
    assert_memory_equal(f + 39, body, 250);
    radio_frame_info fi;
    assert_true(radio_frame_parse(f, 293, &fi));
    assert_int_equal(fi.kind, RADIO_KIND_ESPNOW);
    assert_int_equal(fi.body_len, 250);
    /* exact capacity works, one byte less does not */
    assert_int_equal(radio_espnow_build(&tx, f, 293), 293);
    assert_int_equal(radio_espnow_build(&tx, f, 292), 0);
    tx.body_len = 251;
    assert_int_equal(radio_espnow_build(&tx, f, sizeof(f)), 0);
    /* a body length without a body */
    tx.body = NULL;
    tx.body_len = 1;
    assert_int_equal(radio_espnow_build(&tx, f, sizeof(f)), 0);
}

static void test_parse_roundtrip(void **state)
{
    (void)state;
    radio_frame_info fi;
    assert_true(radio_frame_parse(EXPECTED, sizeof(EXPECTED), &fi));
    assert_int_equal(fi.kind, RADIO_KIND_ESPNOW);
    assert_false(fi.retry);
    assert_false(fi.protected_);
    assert_int_equal(fi.seq, 0x123);
    assert_int_equal(fi.duration_us, 314);
    assert_memory_equal(fi.a1, DA, 6);
    assert_memory_equal(fi.a2, SA, 6);
    static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    assert_memory_equal(fi.a3, bcast, 6);
    assert_ptr_equal(fi.body, EXPECTED + 39);
    assert_int_equal(fi.body_len, 3);
    assert_memory_equal(fi.random, EXPECTED + 28, 4);
    assert_false(radio_mac_is_group(fi.a1));
    assert_true(radio_mac_is_group(fi.a3));

    /* a retransmission: Retry set, FCS recomputed */
    uint8_t f[sizeof(EXPECTED)];
    memcpy(f, EXPECTED, sizeof(f));
    f[1] |= RADIO_FC1_RETRY;
    assert_false(radio_frame_parse(f, sizeof(f), &fi));
    radio_fcs_update(f, sizeof(f));
    assert_true(radio_frame_parse(f, sizeof(f), &fi));
    assert_true(fi.retry);
    assert_int_equal(fi.kind, RADIO_KIND_ESPNOW);
    assert_int_equal(fi.seq, 0x123);
}

static void test_bad_fcs(void **state)
{
    (void)state;
    uint8_t f[sizeof(EXPECTED)];
    radio_frame_info fi;
    for (size_t i = 0; i < sizeof(f); i++) {
        memcpy(f, EXPECTED, sizeof(f));
        f[i] ^= 0x01;
        assert_false(radio_fcs_ok(f, sizeof(f)));
        assert_false(radio_frame_parse(f, sizeof(f), &fi));
    }
    memcpy(f, EXPECTED, sizeof(f));
    f[40] = 'X';
    radio_fcs_update(f, sizeof(f));
    assert_true(radio_fcs_ok(f, sizeof(f)));
    /* too short to be anything */
    assert_false(radio_frame_parse(EXPECTED, RADIO_ACK_LEN - 1, &fi));
    assert_false(radio_fcs_ok(EXPECTED, 3));
}

/* Sets f[i] = v and fixes the FCS. */
static void poke(uint8_t *f, size_t n, size_t i, uint8_t v)
{
    f[i] = v;
    radio_fcs_update(f, n);
}

static void test_parse_malformed(void **state)
{
    (void)state;
    uint8_t f[sizeof(EXPECTED)];
    radio_frame_info fi;
    /* element length not 5 + body */
    memcpy(f, EXPECTED, sizeof(f));
    poke(f, sizeof(f), 33, 9);
    assert_false(radio_frame_parse(f, sizeof(f), &fi));
    poke(f, sizeof(f), 33, 7);
    assert_false(radio_frame_parse(f, sizeof(f), &fi));
    /* cut after the type byte (no version): malformed ESP-NOW */
    memcpy(f, EXPECTED, 38);
    radio_fcs_update(f, 42);
    assert_false(radio_frame_parse(f, 42, &fi));
    f[33] = 4; /* = 5 + (42 - 43) modulo size_t: must not wrap into a huge body */
    radio_fcs_update(f, 42);
    assert_false(radio_frame_parse(f, 42, &fi));
    /* another vendor element type, another category, another OUI: valid, not ESP-NOW */
    const size_t other[][2] = {{37, 0x05}, {24, 0x04}, {25, 0x00}, {34, 0x00}, {32, 0xDC}};
    for (size_t k = 0; k < sizeof(other) / sizeof(other[0]); k++) {
        memcpy(f, EXPECTED, sizeof(f));
        poke(f, sizeof(f), other[k][0], (uint8_t)other[k][1]);
        assert_true(radio_frame_parse(f, sizeof(f), &fi));
        assert_int_equal(fi.kind, RADIO_KIND_OTHER);
        assert_int_equal(fi.seq, 0x123);
    }
    /* the version byte is not checked (receivers are lax, B.1) */
    memcpy(f, EXPECTED, sizeof(f));
    poke(f, sizeof(f), 38, 0x02);
    assert_true(radio_frame_parse(f, sizeof(f), &fi));
    assert_int_equal(fi.kind, RADIO_KIND_ESPNOW);
    /* a beacon-like management frame: other */
    memcpy(f, EXPECTED, sizeof(f));
    poke(f, sizeof(f), 0, 0x80);
    assert_true(radio_frame_parse(f, sizeof(f), &fi));
    assert_int_equal(fi.kind, RADIO_KIND_OTHER);
    assert_memory_equal(fi.a2, SA, 6);
    /* a bare action header with FCS */
    memcpy(f, EXPECTED, 24);
    radio_fcs_update(f, 28);
    assert_true(radio_frame_parse(f, 28, &fi));
    assert_int_equal(fi.kind, RADIO_KIND_OTHER);
}

static void test_ack(void **state)
{
    (void)state;
    /* D4 00, duration 0, RA, FCS (CRC-32 by Python zlib) */
    static const uint8_t expect[RADIO_ACK_LEN] = {0xD4, 0x00, 0x00, 0x00, 0x5C, 0xCF, 0x7F,
                                                  0xAA, 0xBB, 0xCC, 0x57, 0x61, 0x29, 0xD7};
    uint8_t f[RADIO_ACK_LEN];
    assert_int_equal(radio_ack_build(SA, f, sizeof(f)), RADIO_ACK_LEN);
    assert_memory_equal(f, expect, sizeof(expect));
    assert_int_equal(radio_ack_build(SA, f, sizeof(f) - 1), 0);
    radio_frame_info fi;
    assert_true(radio_frame_parse(f, sizeof(f), &fi));
    assert_int_equal(fi.kind, RADIO_KIND_ACK);
    assert_memory_equal(fi.a1, SA, 6);
    assert_int_equal(fi.duration_us, 0);
    assert_false(fi.retry);
    f[9] ^= 1;
    assert_false(radio_frame_parse(f, sizeof(f), &fi));
    /* FC D4 but not 14 bytes: not an ACK */
    uint8_t g[RADIO_ACK_LEN + 1];
    memcpy(g, expect, 10);
    g[10] = 0;
    radio_fcs_update(g, sizeof(g));
    assert_true(radio_frame_parse(g, sizeof(g), &fi));
    assert_int_equal(fi.kind, RADIO_KIND_OTHER);
    assert_memory_equal(fi.a1, SA, 6);
}

static void test_airtime(void **state)
{
    (void)state;
    /* 1 Mbps long preamble: 192 us + 8 us per byte */
    for (size_t n = 0; n <= 250; n += 50)
        assert_int_equal(radio_airtime_ps(43 + n, 1000, false), (192 + 8 * (43 + n)) * 1000000ull);
    assert_int_equal(radio_airtime_ps(293, 1000, false), 2536000000ull); /* ~2.54 ms (B.1) */
    assert_int_equal(radio_airtime_ps(RADIO_ACK_LEN, 1000, false), 304000000ull);
    assert_int_equal(radio_airtime_ps(RADIO_ACK_LEN, 2000, false), (192 + 56) * 1000000ull);
    assert_int_equal(radio_airtime_ps(RADIO_ACK_LEN, 2000, true), (96 + 56) * 1000000ull);
    /* 5.5 Mbps: 112 bits = 20363.6 ns -> 20364 ns */
    assert_int_equal(radio_airtime_ps(RADIO_ACK_LEN, 5500, false), (192000 + 20364) * 1000ull);
    /* 11 Mbps: 112 bits = 10181.8 ns -> 10182; 344 bits = 31272.7 -> 31273; 88 bits = 8000 */
    assert_int_equal(radio_airtime_ps(RADIO_ACK_LEN, 11000, false), (192000 + 10182) * 1000ull);
    assert_int_equal(radio_airtime_ps(43, 11000, true), (96000 + 31273) * 1000ull);
    assert_int_equal(radio_airtime_ps(11, 11000, true), (96000 + 8000) * 1000ull);
    assert_int_equal(radio_airtime_ps(0, 1000, false), 192000000ull);
    /* other rates */
    assert_int_equal(radio_airtime_ps(14, 0, false), 0);
    assert_int_equal(radio_airtime_ps(14, 6000, false), 0);
}

static void test_channel(void **state)
{
    (void)state;
    assert_int_equal(radio_channel_mhz(1), 2412);
    assert_int_equal(radio_channel_mhz(6), 2437);
    assert_int_equal(radio_channel_mhz(13), 2472);
    assert_int_equal(radio_channel_mhz(14), 2484);
    assert_int_equal(radio_channel_mhz(0), 0);
    assert_int_equal(radio_channel_mhz(15), 0);
}

static void test_ccmp_roundtrip(void **state)
{
    (void)state;
    uint8_t p[RADIO_MPDU_MAX], c[RADIO_MPDU_MAX], d[RADIO_MPDU_MAX];
    size_t n = build_plain(p, sizeof(p));
    assert_int_equal(n, 63);
    const uint64_t pn = 0xA1B2C3D4E5F6ull;
    size_t cn = radio_ccmp_encrypt(TK, pn, p, n, c, sizeof(c));
    assert_int_equal(cn, n + 16);
    assert_true(radio_fcs_ok(c, cn));
    /* header clear except Protected */
    assert_int_equal(c[0], 0xD0);
    assert_int_equal(c[1], RADIO_FC1_PROTECTED);
    assert_memory_equal(c + 2, p + 2, 22);
    /* CCMP header: PN0 PN1 00 20 PN2 PN3 PN4 PN5 */
    static const uint8_t hdr[8] = {0xF6, 0xE5, 0x00, 0x20, 0xD4, 0xC3, 0xB2, 0xA1};
    assert_memory_equal(c + 24, hdr, 8);
    assert_memory_not_equal(c + 32, p + 24, n - 28); /* encrypted */
    /* before decryption it parses as a protected "other" frame */
    radio_frame_info fi;
    assert_true(radio_frame_parse(c, cn, &fi));
    assert_int_equal(fi.kind, RADIO_KIND_OTHER);
    assert_true(fi.protected_);
    assert_int_equal(fi.seq, 0x123);
    assert_memory_equal(fi.a2, SA, 6);
    size_t dn = 0;
    uint64_t got = 0;
    assert_true(radio_ccmp_decrypt(TK, c, cn, d, sizeof(d), &dn, &got));
    assert_int_equal(dn, n);
    assert_int_equal(got, pn);
    assert_memory_equal(d, p, n); /* Protected cleared, same FCS */
    assert_true(radio_frame_parse(d, dn, &fi));
    assert_int_equal(fi.kind, RADIO_KIND_ESPNOW);
    assert_int_equal(fi.body_len, 20);
    /* capacity: exact works, one less fails */
    assert_int_equal(radio_ccmp_encrypt(TK, pn, p, n, c, n + 16), n + 16);
    assert_int_equal(radio_ccmp_encrypt(TK, pn, p, n, c, n + 15), 0);
    assert_true(radio_ccmp_decrypt(TK, c, cn, d, n, &dn, &got));
    assert_false(radio_ccmp_decrypt(TK, c, cn, d, n - 1, &dn, &got));
    /* a different PN gives a different ciphertext */
    uint8_t c2[RADIO_MPDU_MAX];
    assert_int_equal(radio_ccmp_encrypt(TK, pn + 1, p, n, c2, sizeof(c2)), cn);
    assert_memory_not_equal(c2 + 32, c + 32, cn - 36);
    /* PN beyond 48 bits, already protected, bad FCS, not management */
    assert_int_equal(radio_ccmp_encrypt(TK, 1ull << 48, p, n, c2, sizeof(c2)), 0);
    assert_int_equal(radio_ccmp_encrypt(TK, pn, c, cn, c2, sizeof(c2)), 0);
    p[30] ^= 1;
    assert_int_equal(radio_ccmp_encrypt(TK, pn, p, n, c2, sizeof(c2)), 0);
    p[30] ^= 1;
    uint8_t ack[RADIO_ACK_LEN];
    radio_ack_build(SA, ack, sizeof(ack));
    assert_int_equal(radio_ccmp_encrypt(TK, pn, ack, sizeof(ack), c2, sizeof(c2)), 0);
    /* only management frames with a 24-byte header: not data (FC 08), not with Order set */
    memcpy(c2, p, n);
    poke(c2, n, 0, 0x08);
    assert_int_equal(radio_ccmp_encrypt(TK, pn, c2, n, c, sizeof(c)), 0);
    memcpy(c2, p, n);
    poke(c2, n, 1, 0x80);
    assert_int_equal(radio_ccmp_encrypt(TK, pn, c2, n, c, sizeof(c)), 0);
    /* an unprotected frame does not decrypt */
    assert_false(radio_ccmp_decrypt(TK, p, n, d, sizeof(d), &dn, &got));
}

static void test_ccmp_empty_body(void **state)
{
    (void)state;
    /* a bare management header: 0 bytes of plaintext, MIC only */
    uint8_t p[28], c[44], d[28];
    memcpy(p, EXPECTED, 24);
    radio_fcs_update(p, sizeof(p));
    assert_int_equal(radio_ccmp_encrypt(TK, 1, p, sizeof(p), c, sizeof(c)), 44);
    size_t dn = 0;
    uint64_t pn = 0;
    assert_true(radio_ccmp_decrypt(TK, c, sizeof(c), d, sizeof(d), &dn, &pn));
    assert_int_equal(dn, 28);
    assert_int_equal(pn, 1);
    assert_memory_equal(d, p, 28);
    c[36] ^= 1; /* MIC */
    radio_fcs_update(c, sizeof(c));
    assert_false(radio_ccmp_decrypt(TK, c, sizeof(c), d, sizeof(d), &dn, &pn));
}

static void test_ccmp_failures(void **state)
{
    (void)state;
    uint8_t p[RADIO_MPDU_MAX], c[RADIO_MPDU_MAX], t[RADIO_MPDU_MAX], d[RADIO_MPDU_MAX];
    size_t n = build_plain(p, sizeof(p));
    size_t cn = radio_ccmp_encrypt(TK, 42, p, n, c, sizeof(c));
    assert_int_equal(cn, n + 16);
    size_t dn = 0;
    uint64_t pn = 0;
    /* wrong key: MIC mismatch, nothing of the plaintext leaks into out */
    uint8_t k2[16];
    memcpy(k2, TK, 16);
    k2[15] ^= 0x80;
    memset(d, 0x55, sizeof(d));
    assert_false(radio_ccmp_decrypt(k2, c, cn, d, sizeof(d), &dn, &pn));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(d[i], 0);
    /* any tampered byte (FCS fixed) fails, except those outside AAD, nonce and ciphertext:
     * duration (2, 3), sequence number (bit 7 of 22, 23), the CCMP header's reserved byte (26)
     * and key id bits (bit 7 of 27) */
    for (size_t i = 0; i < cn - 4; i++) {
        if (i == 2 || i == 3 || i == 22 || i == 23 || i == 26 || i == 27) continue;
        memcpy(t, c, cn);
        t[i] ^= (i == 1) ? 0x01 : 0x80; /* byte 1: flip ToDS, which the AAD covers */
        radio_fcs_update(t, cn);
        assert_false(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
    }
    const size_t outside[] = {2, 3, 22, 23, 26, 27};
    for (size_t k = 0; k < sizeof(outside) / sizeof(outside[0]); k++) {
        memcpy(t, c, cn);
        t[outside[k]] ^= 0x80;
        radio_fcs_update(t, cn);
        assert_true(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
        assert_int_equal(pn, 42);
    }
    memcpy(t, c, cn);
    t[cn - 1] ^= 1;
    assert_false(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
    /* Protected cleared (the AAD would still match): not a protected frame */
    memcpy(t, c, cn);
    poke(t, cn, 1, 0x00);
    assert_false(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
    /* a protected data frame is not handled */
    memcpy(t, c, cn);
    poke(t, cn, 0, 0x08);
    assert_false(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
    /* ExtIV cleared: not CCMP */
    memcpy(t, c, cn);
    poke(t, cn, 27, 0x00);
    assert_false(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
    /* fragment number is in the AAD */
    memcpy(t, c, cn);
    poke(t, cn, 22, (uint8_t)(t[22] | 0x01));
    assert_false(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
    /* truncated */
    assert_false(radio_ccmp_decrypt(TK, c, 43, d, sizeof(d), &dn, &pn));
}

static void test_ccmp_masked_bits(void **state)
{
    (void)state;
    uint8_t p[RADIO_MPDU_MAX], c[RADIO_MPDU_MAX], t[RADIO_MPDU_MAX], d[RADIO_MPDU_MAX];
    size_t n = build_plain(p, sizeof(p));
    size_t cn = radio_ccmp_encrypt(TK, 7, p, n, c, sizeof(c));
    size_t dn = 0;
    uint64_t pn = 0;
    /* the retransmission of a protected frame: Retry set, FCS updated, still decrypts */
    memcpy(t, c, cn);
    t[1] |= RADIO_FC1_RETRY;
    assert_false(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn)); /* stale FCS */
    radio_fcs_update(t, cn);
    assert_true(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
    assert_int_equal(pn, 7);
    assert_int_equal(d[1], RADIO_FC1_RETRY);
    assert_memory_equal(d + 2, p + 2, n - 6);
    radio_frame_info fi;
    assert_true(radio_frame_parse(d, dn, &fi));
    assert_true(fi.retry);
    assert_int_equal(fi.kind, RADIO_KIND_ESPNOW);
    /* PwrMgt and MoreData are masked too, and so is the sequence number */
    memcpy(t, c, cn);
    t[1] |= 0x30;
    t[22] ^= 0xF0;
    t[23] ^= 0xFF;
    radio_fcs_update(t, cn);
    assert_true(radio_ccmp_decrypt(TK, t, cn, d, sizeof(d), &dn, &pn));
    /* encrypting with Retry already set gives the same ciphertext and MIC */
    memcpy(t, p, n);
    t[1] |= RADIO_FC1_RETRY;
    radio_fcs_update(t, n);
    uint8_t c2[RADIO_MPDU_MAX];
    assert_int_equal(radio_ccmp_encrypt(TK, 7, t, n, c2, sizeof(c2)), cn);
    assert_memory_equal(c2 + 24, c + 24, cn - 28);
}

/* Cross-check with OpenSSL AES-CCM called directly: AAD and nonce assembled by hand for a frame
 * with Retry, PwrMgt, MoreData, fragment 5 and sequence number 0x123. */
static void test_ccmp_cross_check(void **state)
{
    (void)state;
    uint8_t p[RADIO_MPDU_MAX], c[RADIO_MPDU_MAX];
    size_t n = build_plain(p, sizeof(p));
    p[1] = 0x38;   /* Retry | PwrMgt | MoreData */
    p[22] |= 0x05; /* fragment 5 */
    radio_fcs_update(p, n);
    const uint64_t pn = 0x0102030405A6ull;
    size_t cn = radio_ccmp_encrypt(TK, pn, p, n, c, sizeof(c));
    assert_int_equal(cn, n + 16);
    assert_int_equal(c[1], 0x78);
    static const uint8_t hdr[8] = {0xA6, 0x05, 0x00, 0x20, 0x04, 0x03, 0x02, 0x01};
    assert_memory_equal(c + 24, hdr, 8);

    static const uint8_t aad[22] = {
        0xD0, 0x40,                         /* FC: flags masked, Protected set */
        0x24, 0x0A, 0xC4, 0x11, 0x22, 0x33, /* A1 */
        0x5C, 0xCF, 0x7F, 0xAA, 0xBB, 0xCC, /* A2 */
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* A3 */
        0x05, 0x00,                         /* SC: fragment only */
    };
    static const uint8_t nonce[13] = {
        0x10,                               /* management, priority 0 */
        0x5C, 0xCF, 0x7F, 0xAA, 0xBB, 0xCC, /* A2 */
        0x01, 0x02, 0x03, 0x04, 0x05, 0xA6, /* PN5..PN0 */
    };
    size_t m = n - 28; /* category .. body */
    uint8_t ct[RADIO_MPDU_MAX], tag[8];
    int len = 0;
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    assert_non_null(x);
    assert_int_equal(EVP_EncryptInit_ex(x, EVP_aes_128_ccm(), NULL, NULL, NULL), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_IVLEN, 13, NULL), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, 8, NULL), 1);
    assert_int_equal(EVP_EncryptInit_ex(x, NULL, NULL, TK, nonce), 1);
    assert_int_equal(EVP_EncryptUpdate(x, NULL, &len, NULL, (int)m), 1);
    assert_int_equal(EVP_EncryptUpdate(x, NULL, &len, aad, sizeof(aad)), 1);
    assert_int_equal(EVP_EncryptUpdate(x, ct, &len, p + 24, (int)m), 1);
    assert_int_equal(len, (int)m);
    assert_int_equal(EVP_EncryptFinal_ex(x, ct + len, &len), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, 8, tag), 1);
    EVP_CIPHER_CTX_free(x);
    assert_memory_equal(c + 32, ct, m);
    assert_memory_equal(c + 32 + m, tag, 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32),
        cmocka_unit_test(test_build_bytes),
        cmocka_unit_test(test_body_limits),
        cmocka_unit_test(test_parse_roundtrip),
        cmocka_unit_test(test_bad_fcs),
        cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test(test_ack),
        cmocka_unit_test(test_airtime),
        cmocka_unit_test(test_channel),
        cmocka_unit_test(test_ccmp_roundtrip),
        cmocka_unit_test(test_ccmp_empty_body),
        cmocka_unit_test(test_ccmp_failures),
        cmocka_unit_test(test_ccmp_masked_bits),
        cmocka_unit_test(test_ccmp_cross_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
