/* models/radio/frame.c — ESP-NOW action frames, ACKs, FCS, CCMP and airtime (contracts in
 * frame.h; byte layout in reference/protocols.md B.1, B.3, B.5). */
#include "radio/frame.h"

#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

/* Fixed fields of the ESP-NOW frame (B.1). */
#define FC0_ACTION      0xD0u /* type 0 (management), subtype 13 (action) */
#define FC0_ACK         0xD4u /* type 1 (control), subtype 13 (ACK) */
#define FC0_TYPE_MASK   0x0Cu /* frame type, bits 3..2 of FC byte 0 */
#define FC0_VERSION     0x03u /* protocol version, bits 1..0 of FC byte 0 (must be 0) */
#define FC1_ORDER       0x80u /* management frames: an HT Control field follows the header */
#define CATEGORY_VENDOR 0x7Fu
#define ELEM_VENDOR     0xDDu
#define ESPNOW_TYPE     0x04u
#define ESPNOW_VERSION  0x01u
#define ESPNOW_ELEM_MIN 5u /* element length without the body: OUI, type, version */

/* Offsets in the MPDU (B.1). */
#define OFF_DURATION 2u
#define OFF_A1       4u
#define OFF_A2       10u
#define OFF_A3       16u
#define OFF_SEQCTL   22u
#define OFF_CATEGORY 24u
#define OFF_OUI1     25u
#define OFF_RANDOM   28u
#define OFF_ELEM_ID  32u
#define OFF_ELEM_LEN 33u
#define OFF_OUI2     34u
#define OFF_TYPE     37u
#define OFF_VERSION  38u

/* AAD masks (IEEE 802.11-2016 §12.5.3.3.3): Retry, PwrMgt, MoreData cleared, Protected set. */
#define FC1_AAD_CLEAR 0x38u
#define SC_FRAG_MASK  0x0Fu /* sequence control byte 0: fragment number only */

#define CCMP_AAD_LEN    22u /* FC, A1, A2, A3, SC (no A4, no QoS control) */
#define CCMP_NONCE_LEN  13u /* flags, A2, PN5..PN0: L = 2 */
#define CCMP_EXT_IV     0x20u
#define CCMP_NONCE_MGMT 0x10u             /* nonce flags: management frame (802.11w), priority 0 */
#define CCMP_PN_MAX     0xFFFFFFFFFFFFull /* 48 bits */
#define CCM_MSG_MAX     0xFFFFu           /* L = 2: the message length fits 2 bytes */

static const uint8_t espressif_oui[3] = {0x18, 0xFE, 0x34};
static const uint8_t wildcard_bssid[RADIO_MAC_LEN] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)(v >> 8);
}

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* ---- FCS ------------------------------------------------------------------------------------ */

uint32_t radio_crc32(const uint8_t *p, size_t n)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    /* zlib takes uInt lengths; feed very long buffers in pieces */
    while (n > 0) {
        uInt chunk = n > 0x40000000u ? 0x40000000u : (uInt)n;
        crc = crc32(crc, p, chunk);
        p += chunk;
        n -= chunk;
    }
    return (uint32_t)crc;
}

bool radio_fcs_ok(const uint8_t *mpdu, size_t n)
{
    if (!mpdu || n < RADIO_FCS_LEN) return false;
    return radio_crc32(mpdu, n - RADIO_FCS_LEN) == get_le32(mpdu + n - RADIO_FCS_LEN);
}

void radio_fcs_update(uint8_t *mpdu, size_t n)
{
    if (!mpdu || n < RADIO_FCS_LEN) return;
    put_le32(mpdu + n - RADIO_FCS_LEN, radio_crc32(mpdu, n - RADIO_FCS_LEN));
}

/* ---- building ------------------------------------------------------------------------------- */

size_t radio_espnow_build(const radio_espnow_tx *tx, uint8_t *out, size_t cap)
{
    if (!tx || !out || tx->body_len > RADIO_ESPNOW_MAX || (tx->body_len && !tx->body)) return 0;
    size_t n = RADIO_ESPNOW_HDR_LEN + tx->body_len + RADIO_FCS_LEN;
    if (cap < n) return 0;
    out[0] = FC0_ACTION;
    out[1] = 0;
    put_le16(out + OFF_DURATION, tx->duration_us);
    memcpy(out + OFF_A1, tx->da, RADIO_MAC_LEN);
    memcpy(out + OFF_A2, tx->sa, RADIO_MAC_LEN);
    memcpy(out + OFF_A3, wildcard_bssid, RADIO_MAC_LEN);
    put_le16(out + OFF_SEQCTL, (uint16_t)((tx->seq & 0xFFFu) << 4)); /* fragment 0 */
    out[OFF_CATEGORY] = CATEGORY_VENDOR;
    memcpy(out + OFF_OUI1, espressif_oui, 3);
    memcpy(out + OFF_RANDOM, tx->random, 4);
    out[OFF_ELEM_ID] = ELEM_VENDOR;
    out[OFF_ELEM_LEN] = (uint8_t)(ESPNOW_ELEM_MIN + tx->body_len);
    memcpy(out + OFF_OUI2, espressif_oui, 3);
    out[OFF_TYPE] = ESPNOW_TYPE;
    out[OFF_VERSION] = ESPNOW_VERSION;
    if (tx->body_len) memcpy(out + RADIO_ESPNOW_HDR_LEN, tx->body, tx->body_len);
    radio_fcs_update(out, n);
    return n;
}

size_t radio_ack_build(const uint8_t ra[RADIO_MAC_LEN], uint8_t *out, size_t cap)
{
    if (!ra || !out || cap < RADIO_ACK_LEN) return 0;
    out[0] = FC0_ACK;
    out[1] = 0;
    put_le16(out + OFF_DURATION, 0); /* last frame of the exchange (B.3) */
    memcpy(out + OFF_A1, ra, RADIO_MAC_LEN);
    radio_fcs_update(out, RADIO_ACK_LEN);
    return RADIO_ACK_LEN;
}

/* ---- parsing -------------------------------------------------------------------------------- */

/* Fills the ESP-NOW fields of an unprotected action frame: one whose category, OUI, element ID,
 * element OUI and type (bytes 24..37) say ESP-NOW. Returns false if such a frame is malformed
 * (no version byte, element length not 5 + body, body > 250); leaves info->kind alone for any
 * other action frame. The version byte is not checked (receivers are lax, B.1 notes). */
static bool parse_espnow(const uint8_t *mpdu, size_t n, radio_frame_info *info)
{
    if (n < OFF_TYPE + 1 + RADIO_FCS_LEN || mpdu[OFF_CATEGORY] != CATEGORY_VENDOR ||
        memcmp(mpdu + OFF_OUI1, espressif_oui, 3) != 0 || mpdu[OFF_ELEM_ID] != ELEM_VENDOR ||
        memcmp(mpdu + OFF_OUI2, espressif_oui, 3) != 0 || mpdu[OFF_TYPE] != ESPNOW_TYPE)
        return true; /* not ESP-NOW */
    if (n < RADIO_ESPNOW_HDR_LEN + RADIO_FCS_LEN) return false;
    size_t body_len = n - RADIO_ESPNOW_HDR_LEN - RADIO_FCS_LEN;
    if (mpdu[OFF_ELEM_LEN] != ESPNOW_ELEM_MIN + body_len) return false; /* so body <= 250 */
    info->kind = RADIO_KIND_ESPNOW;
    info->body = mpdu + RADIO_ESPNOW_HDR_LEN;
    info->body_len = body_len;
    memcpy(info->random, mpdu + OFF_RANDOM, 4);
    return true;
}

bool radio_frame_parse(const uint8_t *mpdu, size_t n, radio_frame_info *info)
{
    if (!mpdu || !info || n < RADIO_ACK_LEN || !radio_fcs_ok(mpdu, n)) return false;
    memset(info, 0, sizeof(*info));
    info->kind = RADIO_KIND_OTHER;
    info->retry = (mpdu[1] & RADIO_FC1_RETRY) != 0;
    info->protected_ = (mpdu[1] & RADIO_FC1_PROTECTED) != 0;
    info->duration_us = get_le16(mpdu + OFF_DURATION);
    memcpy(info->a1, mpdu + OFF_A1, RADIO_MAC_LEN);
    if (mpdu[0] == FC0_ACK) {
        if (n == RADIO_ACK_LEN) info->kind = RADIO_KIND_ACK;
        return true;
    }
    if (n < RADIO_HDR_LEN + RADIO_FCS_LEN) return true; /* other short control frame */
    memcpy(info->a2, mpdu + OFF_A2, RADIO_MAC_LEN);
    memcpy(info->a3, mpdu + OFF_A3, RADIO_MAC_LEN);
    info->seq = (uint16_t)(get_le16(mpdu + OFF_SEQCTL) >> 4);
    if (mpdu[0] != FC0_ACTION || info->protected_) return true;
    return parse_espnow(mpdu, n, info);
}

/* ---- CCMP ----------------------------------------------------------------------------------- */

/* AAD and nonce of a management frame with a 24-byte header (802.11-2016 §12.5.3.3.3-4). */
static void ccmp_aad_nonce(const uint8_t *hdr, uint64_t pn, uint8_t aad[CCMP_AAD_LEN],
                           uint8_t nonce[CCMP_NONCE_LEN])
{
    aad[0] = hdr[0]; /* management frame: subtype bits kept */
    aad[1] = (uint8_t)((hdr[1] & ~FC1_AAD_CLEAR) | RADIO_FC1_PROTECTED);
    memcpy(aad + 2, hdr + OFF_A1, 3 * RADIO_MAC_LEN);
    aad[20] = hdr[OFF_SEQCTL] & SC_FRAG_MASK; /* sequence number masked to 0 */
    aad[21] = 0;
    nonce[0] = CCMP_NONCE_MGMT;
    memcpy(nonce + 1, hdr + OFF_A2, RADIO_MAC_LEN);
    for (unsigned i = 0; i < 6; i++)
        nonce[7 + i] = (uint8_t)(pn >> (8 * (5 - i))); /* PN5 first */
}

/* One AES-CCM pass (tag 8, L = 2) over n bytes in -> out. Encrypting writes the MIC to mic;
 * decrypting checks it. Returns false on a MIC mismatch or an OpenSSL failure. */
static bool ccm_run(bool enc, const uint8_t tk[16], const uint8_t nonce[CCMP_NONCE_LEN],
                    const uint8_t aad[CCMP_AAD_LEN], const uint8_t *in, size_t n, uint8_t *out,
                    uint8_t mic[RADIO_CCMP_MIC_LEN])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c) return false;
    int len = 0;
    bool ok =
        EVP_CipherInit_ex(c, EVP_aes_128_ccm(), NULL, NULL, NULL, enc) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, CCMP_NONCE_LEN, NULL) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, RADIO_CCMP_MIC_LEN, enc ? NULL : mic) == 1 &&
        EVP_CipherInit_ex(c, NULL, NULL, tk, nonce, enc) == 1 &&
        EVP_CipherUpdate(c, NULL, &len, NULL, (int)n) == 1 && /* message length first */
        EVP_CipherUpdate(c, NULL, &len, aad, CCMP_AAD_LEN) == 1 &&
        EVP_CipherUpdate(c, out, &len, in, (int)n) == 1; /* decrypt: fails on bad MIC */
    if (ok && enc)
        ok = EVP_CipherFinal_ex(c, out + len, &len) == 1 &&
             EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, RADIO_CCMP_MIC_LEN, mic) == 1;
    EVP_CIPHER_CTX_free(c);
    return ok;
}

/* True if mpdu starts with a 24-byte management header: version 0, type 0, Order clear (no HT
 * Control field). */
static bool is_mgmt(const uint8_t *mpdu)
{
    return (mpdu[0] & (FC0_TYPE_MASK | FC0_VERSION)) == 0 && !(mpdu[1] & FC1_ORDER);
}

size_t radio_ccmp_encrypt(const uint8_t tk[16], uint64_t pn, const uint8_t *plain, size_t n,
                          uint8_t *out, size_t cap)
{
    const size_t extra = RADIO_CCMP_HDR_LEN + RADIO_CCMP_MIC_LEN;
    if (!tk || !plain || !out || pn > CCMP_PN_MAX || n < RADIO_HDR_LEN + RADIO_FCS_LEN ||
        n - RADIO_HDR_LEN - RADIO_FCS_LEN > CCM_MSG_MAX || cap < n + extra || !is_mgmt(plain) ||
        (plain[1] & RADIO_FC1_PROTECTED) || !radio_fcs_ok(plain, n))
        return 0;
    size_t body = n - RADIO_HDR_LEN - RADIO_FCS_LEN; /* category .. end of body */
    uint8_t aad[CCMP_AAD_LEN], nonce[CCMP_NONCE_LEN];
    ccmp_aad_nonce(plain, pn, aad, nonce);
    uint8_t *ccmp = out + RADIO_HDR_LEN;
    uint8_t *ct = ccmp + RADIO_CCMP_HDR_LEN;
    if (!ccm_run(true, tk, nonce, aad, plain + RADIO_HDR_LEN, body, ct, ct + body)) return 0;
    memcpy(out, plain, RADIO_HDR_LEN);
    out[1] |= RADIO_FC1_PROTECTED;
    ccmp[0] = (uint8_t)pn;        /* PN0 */
    ccmp[1] = (uint8_t)(pn >> 8); /* PN1 */
    ccmp[2] = 0;
    ccmp[3] = CCMP_EXT_IV; /* key id 0 */
    for (unsigned i = 0; i < 4; i++)
        ccmp[4 + i] = (uint8_t)(pn >> (16 + 8 * i)); /* PN2..PN5 */
    radio_fcs_update(out, n + extra);
    return n + extra;
}

bool radio_ccmp_decrypt(const uint8_t tk[16], const uint8_t *mpdu, size_t n, uint8_t *out,
                        size_t cap, size_t *out_len, uint64_t *pn)
{
    const size_t extra = RADIO_CCMP_HDR_LEN + RADIO_CCMP_MIC_LEN;
    if (!tk || !mpdu || !out || !out_len || !pn || n < RADIO_HDR_LEN + extra + RADIO_FCS_LEN ||
        n - RADIO_HDR_LEN - extra - RADIO_FCS_LEN > CCM_MSG_MAX || cap < n - extra ||
        !is_mgmt(mpdu) || !(mpdu[1] & RADIO_FC1_PROTECTED) || !radio_fcs_ok(mpdu, n))
        return false;
    const uint8_t *ccmp = mpdu + RADIO_HDR_LEN;
    if (!(ccmp[3] & CCMP_EXT_IV)) return false; /* WEP/TKIP-style IV, not CCMP */
    uint64_t v = (uint64_t)ccmp[0] | ((uint64_t)ccmp[1] << 8);
    for (unsigned i = 0; i < 4; i++)
        v |= (uint64_t)ccmp[4 + i] << (16 + 8 * i);
    size_t body = n - RADIO_HDR_LEN - extra - RADIO_FCS_LEN;
    const uint8_t *ct = ccmp + RADIO_CCMP_HDR_LEN;
    uint8_t aad[CCMP_AAD_LEN], nonce[CCMP_NONCE_LEN], mic[RADIO_CCMP_MIC_LEN];
    ccmp_aad_nonce(mpdu, v, aad, nonce);
    memcpy(mic, ct + body, RADIO_CCMP_MIC_LEN);
    if (!ccm_run(false, tk, nonce, aad, ct, body, out + RADIO_HDR_LEN, mic)) {
        memset(out, 0, n - extra); /* no unauthenticated plaintext leaves */
        return false;
    }
    memcpy(out, mpdu, RADIO_HDR_LEN);
    out[1] &= (uint8_t)~RADIO_FC1_PROTECTED;
    radio_fcs_update(out, n - extra);
    *out_len = n - extra;
    *pn = v;
    return true;
}

/* ---- PHY ------------------------------------------------------------------------------------ */

uint64_t radio_airtime_ps(size_t n, unsigned rate_kbps, bool short_preamble)
{
    if (rate_kbps != 1000 && rate_kbps != 2000 && rate_kbps != 5500 && rate_kbps != 11000) return 0;
    uint64_t plcp_ns = short_preamble ? 96000u : 192000u;
    /* 8 n bits at rate_kbps kb/s = 8 n * 10^6 / rate_kbps ns, rounded up */
    uint64_t bits_ns = ((uint64_t)n * 8u * 1000000u + rate_kbps - 1u) / rate_kbps;
    return (plcp_ns + bits_ns) * 1000u;
}

unsigned radio_channel_mhz(unsigned channel)
{
    if (channel >= 1 && channel <= 13) return 2407u + 5u * channel;
    if (channel == 14) return 2484u;
    return 0;
}
