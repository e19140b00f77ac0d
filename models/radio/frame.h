/* models/radio/frame.h — 802.11 frames that ESP-NOW uses, byte by byte (reference/protocols.md
 * B.1-B.3, B.5): the vendor-specific action frame that carries an ESP-NOW body, the ACK control
 * frame, the FCS, and CCMP protection with a peer's 16-byte key (AES-CCM from OpenSSL's
 * libcrypto).
 *
 * All functions are pure (no state; the CCMP pair only uses a short-lived OpenSSL context): they
 * write into caller buffers, which must not overlap their inputs, and return the length
 * written, 0 if the input is invalid or the buffer too small. Multi-byte fields are
 * little-endian on the air except where 802.11 says otherwise (the CCMP PN in the nonce).
 */
#ifndef MODELS_RADIO_FRAME_H
#define MODELS_RADIO_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RADIO_MAC_LEN        6u
#define RADIO_HDR_LEN        24u  /* FC, duration, addr1..3, sequence control */
#define RADIO_ESPNOW_HDR_LEN 39u  /* MAC header + category..version, before the body (B.1) */
#define RADIO_ESPNOW_MAX     250u /* ESP_NOW_MAX_DATA_LEN */
#define RADIO_FCS_LEN        4u
#define RADIO_ACK_LEN        14u /* FC D4 00, duration, RA, FCS */
#define RADIO_CCMP_HDR_LEN   8u
#define RADIO_CCMP_MIC_LEN   8u
/* Largest MPDU this model produces: protected ESP-NOW frame with a 250-byte body. */
#define RADIO_MPDU_MAX                                                                             \
    (RADIO_ESPNOW_HDR_LEN + RADIO_ESPNOW_MAX + RADIO_CCMP_HDR_LEN + RADIO_CCMP_MIC_LEN +           \
     RADIO_FCS_LEN)

/* Frame control byte 1 flags. */
#define RADIO_FC1_RETRY     0x08u
#define RADIO_FC1_PROTECTED 0x40u

/* The CRC-32 of 802.11 (IEEE 802.3 polynomial, reflected, init and final xor 0xFFFFFFFF): zlib's
 * crc32(). */
uint32_t radio_crc32(const uint8_t *p, size_t n);
/* True if the last 4 bytes of mpdu[0..n) are the FCS of the rest (little-endian). */
bool radio_fcs_ok(const uint8_t *mpdu, size_t n);
/* Recomputes the FCS in place (after flipping the Retry bit for a retransmission). */
void radio_fcs_update(uint8_t *mpdu, size_t n);

/* Group address (broadcast or multicast): bit 0 of the first byte. */
static inline bool radio_mac_is_group(const uint8_t mac[RADIO_MAC_LEN])
{
    return (mac[0] & 1u) != 0;
}

typedef struct radio_espnow_tx {
    uint8_t da[RADIO_MAC_LEN]; /* addr1: the peer, or ff:ff:ff:ff:ff:ff */
    uint8_t sa[RADIO_MAC_LEN]; /* addr2: the sender's interface MAC */
    uint16_t seq;              /* 12-bit sequence number (fragment 0) */
    uint8_t random[4];         /* the 4 random bytes after the OUI (B.1) */
    uint16_t duration_us;      /* Duration/ID: unicast SIFS + ACK time, broadcast 0 */
    const uint8_t *body;
    size_t body_len; /* 0..RADIO_ESPNOW_MAX */
} radio_espnow_tx;

/* Builds the unencrypted ESP-NOW action frame with its FCS into out. Returns the MPDU length
 * (43 + body_len), 0 if body_len > 250 or cap is too small. */
size_t radio_espnow_build(const radio_espnow_tx *tx, uint8_t *out, size_t cap);

/* Builds an ACK to ra into out (RADIO_ACK_LEN bytes). */
size_t radio_ack_build(const uint8_t ra[RADIO_MAC_LEN], uint8_t *out, size_t cap);

typedef enum radio_kind {
    RADIO_KIND_OTHER,  /* valid FCS, neither of the below */
    RADIO_KIND_ACK,    /* FC D4 */
    RADIO_KIND_ESPNOW, /* action frame, category 127, OUI 18:fe:34, element 221 type 4 */
} radio_kind;

typedef struct radio_frame_info {
    radio_kind kind;
    bool retry, protected_;
    uint16_t seq;
    uint16_t duration_us;
    uint8_t a1[RADIO_MAC_LEN], a2[RADIO_MAC_LEN], a3[RADIO_MAC_LEN]; /* ACK: a1 = RA only */
    /* ESP-NOW, unprotected only: the body inside the frame */
    const uint8_t *body;
    size_t body_len;
    uint8_t random[4];
} radio_frame_info;

/* Parses an MPDU with FCS. Returns false if it is shorter than an ACK, the FCS is wrong, or an
 * ESP-NOW frame is malformed (element length not 5 + body, body > 250). A protected frame
 * parses as RADIO_KIND_ESPNOW only after radio_ccmp_decrypt; before, it is RADIO_KIND_OTHER with
 * protected_ set and the header fields filled. */
bool radio_frame_parse(const uint8_t *mpdu, size_t n, radio_frame_info *info);

/* CCMP (IEEE 802.11-2016 §12.5.3) with the 16-byte temporal key tk and the 48-bit packet number
 * pn: the 24-byte MAC header stays clear (it is the AAD, with Retry, PwrMgt, MoreData and the
 * sequence number masked; the nonce is flags 0x10 (management, priority 0) | addr2 | PN5..PN0),
 * an 8-byte CCMP header (PN0 PN1 0 0x20 PN2..PN5, key id 0) follows it, the rest of the
 * frame (category .. body) is encrypted, an 8-byte MIC and a new FCS are appended and the
 * Protected bit is set. Which bytes ESP-NOW really covers is not published (protocols.md B.5);
 * this is the standard's management-frame layout. plain must be an unprotected management frame
 * (24-byte header, Order clear) with a valid FCS, and pn < 2^48. Returns the protected MPDU
 * length (plain + 16), 0 on error. */
size_t radio_ccmp_encrypt(const uint8_t tk[16], uint64_t pn, const uint8_t *plain, size_t n,
                          uint8_t *out, size_t cap);
/* The inverse: checks the FCS and the MIC with tk; on success writes the unprotected MPDU (with
 * Protected cleared and a fresh FCS) to out, its length to *out_len and the PN to *pn. False if
 * the key is wrong (MIC mismatch; out[0..n-16) is then zeroed), the FCS is bad or the frame is
 * not a CCMP-protected management frame. */
bool radio_ccmp_decrypt(const uint8_t tk[16], const uint8_t *mpdu, size_t n, uint8_t *out,
                        size_t cap, size_t *out_len, uint64_t *pn);

/* Airtime of an MPDU of n bytes (FCS included) in ps: DSSS/CCK PLCP preamble and header (long:
 * 192 us, short: 96 us) plus 8 n bits at rate_kbps (1000, 2000, 5500 or 11000), rounded up to
 * whole ns. 0 for any other rate. */
uint64_t radio_airtime_ps(size_t n, unsigned rate_kbps, bool short_preamble);

/* Channel centre frequency in MHz: 1-13 = 2407 + 5 ch, 14 = 2484; 0 for others. */
unsigned radio_channel_mhz(unsigned channel);

#endif
