/* SPDX-License-Identifier: MIT */
/*
 * Voter, IP and receipt hashes (see vote_receipt.h). The domain prefixes
 * keep a voter hash from ever equalling an IP hash of the same text; the
 * key (JIANGXIN_VOTE_HASH_KEY) keeps anyone without it from testing
 * guesses of phone numbers or addresses against Redis.
 */
#include "vote_receipt.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

static void keyed_hex(const unsigned char key[VOTE_HASH_KEY_BYTES],
                      const char *const *parts,
                      size_t n_parts,
                      size_t out_bytes,
                      char *ret)
{
    crypto_generichash_state st;
    unsigned char h[32];
    static const unsigned char sep = 0x1f;

    crypto_generichash_init(&st, key, VOTE_HASH_KEY_BYTES, out_bytes);
    for (size_t i = 0; i < n_parts; i++) {
        if (i > 0) {
            crypto_generichash_update(&st, &sep, 1);
        }
        crypto_generichash_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
    }
    crypto_generichash_final(&st, h, out_bytes);
    sodium_bin2hex(ret, out_bytes * 2 + 1, h, out_bytes);
}

void vote_voter_hash(const unsigned char key[VOTE_HASH_KEY_BYTES],
                     const char *iss,
                     const char *sub,
                     char ret[VOTE_VOTER_HASH_HEX])
{
    const char *parts[] = {"voter", iss, sub};

    keyed_hex(key, parts, 3, 16, ret);
}

void vote_ip_hash(const unsigned char key[VOTE_HASH_KEY_BYTES],
                  const char *ip,
                  char ret[VOTE_IP_HASH_HEX])
{
    const char *parts[] = {"ip", ip};

    /* crypto_generichash needs >= 16 bytes of output: take 16, keep 8. */
    char full[33];
    keyed_hex(key, parts, 2, 16, full);
    memcpy(ret, full, 16);
    ret[16] = '\0';
}

void vote_receipt_hash(const char *token, char ret[VOTE_RECEIPT_HASH_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(ret, VOTE_RECEIPT_HASH_HEX, h, sizeof(h));
}

void vote_receipt_token(char ret_token[VOTE_TOKEN_HEX], char ret_hash[VOTE_RECEIPT_HASH_HEX])
{
    unsigned char r[16];

    randombytes_buf(r, sizeof(r));
    sodium_bin2hex(ret_token, VOTE_TOKEN_HEX, r, sizeof(r));
    vote_receipt_hash(ret_token, ret_hash);
}

bool vote_receipt_format(const char *stream_id, const char *token, char ret[VOTE_RECEIPT_MAX])
{
    int n = snprintf(ret, VOTE_RECEIPT_MAX, "%s.%s", stream_id, token);

    return n > 0 && n < VOTE_RECEIPT_MAX;
}

bool vote_receipt_parse(const char *receipt,
                        char ret_stream_id[VOTE_RECEIPT_MAX],
                        char ret_token[VOTE_TOKEN_HEX])
{
    const char *dot = receipt != NULL ? strchr(receipt, '.') : NULL;
    size_t id_len, ms = 0, seq = 0;
    const char *p;

    if (dot == NULL || strlen(dot + 1) != VOTE_TOKEN_HEX - 1) {
        return false;
    }
    for (p = receipt; p < dot && *p >= '0' && *p <= '9'; p++) {
        ms++;
    }
    if (ms == 0 || ms > 15 || *p != '-') {
        return false;
    }
    for (p++; p < dot && *p >= '0' && *p <= '9'; p++) {
        seq++;
    }
    if (seq == 0 || seq > 18 || p != dot) {
        return false;
    }
    for (p = dot + 1; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
            return false;
        }
    }
    id_len = (size_t)(dot - receipt);
    memcpy(ret_stream_id, receipt, id_len);
    ret_stream_id[id_len] = '\0';
    memcpy(ret_token, dot + 1, VOTE_TOKEN_HEX);
    return true;
}

bool vote_hash_equal(const char *a, const char *b)
{
    size_t n = strlen(a);

    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
