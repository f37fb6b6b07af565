/* SPDX-License-Identifier: MIT */
/*
 * libsodium does the cryptography; this file only fixes the parameters and
 * the byte layouts so that every caller uses the same ones.
 */
#include "crypto.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

bool crypto_init(void)
{
    return sodium_init() >= 0;
}

enum app_err crypto_password_hash(const char *password, char ret[CRYPTO_HASH_STR_BYTES])
{
    char out[crypto_pwhash_STRBYTES];

    _Static_assert(crypto_pwhash_STRBYTES <= CRYPTO_HASH_STR_BYTES, "hash buffer too small");
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return APP_ERR_INTERNAL; /* out of memory */
    }
    memcpy(ret, out, sizeof(out));
    return APP_OK;
}

bool crypto_password_verify(const char *hash, const char *password)
{
    return hash != NULL && password != NULL &&
           crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

enum app_err crypto_seal(const unsigned char key[CRYPTO_KEY_BYTES],
                         const char *plain,
                         size_t plain_len,
                         unsigned char **ret,
                         size_t *ret_len)
{
    size_t len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain_len;
    unsigned char *out = malloc(len);

    if (out == NULL) {
        return APP_ERR_INTERNAL;
    }
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain,
                          plain_len, out, key);
    *ret = out;
    *ret_len = len;
    return APP_OK;
}

enum app_err crypto_open(const unsigned char key[CRYPTO_KEY_BYTES],
                         const unsigned char *sealed,
                         size_t sealed_len,
                         char **ret)
{
    size_t head = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    char *out;

    if (sealed_len < head) {
        return APP_ERR_INTERNAL;
    }
    out = malloc(sealed_len - head + 1);
    if (out == NULL) {
        return APP_ERR_INTERNAL;
    }
    if (crypto_secretbox_open_easy((unsigned char *)out, sealed + crypto_secretbox_NONCEBYTES,
                                   sealed_len - crypto_secretbox_NONCEBYTES, sealed, key) != 0) {
        free(out);
        return APP_ERR_INTERNAL; /* wrong key or tampered data */
    }
    out[sealed_len - head] = '\0';
    *ret = out;
    return APP_OK;
}

void crypto_keyed_hash(const unsigned char key[CRYPTO_KEY_BYTES],
                       const char *context,
                       const char *value,
                       char ret[CRYPTO_KEYED_HEX])
{
    crypto_generichash_state st;
    unsigned char out[32];
    unsigned char zero = 0;

    crypto_generichash_init(&st, key, CRYPTO_KEY_BYTES, sizeof(out));
    crypto_generichash_update(&st, (const unsigned char *)context, strlen(context));
    crypto_generichash_update(&st, &zero, 1); /* separates context from value */
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, out, sizeof(out));
    sodium_bin2hex(ret, CRYPTO_KEYED_HEX, out, sizeof(out));
}

void crypto_sign_keypair_seed(const unsigned char seed[CRYPTO_KEY_BYTES],
                              unsigned char pk[CRYPTO_SIGN_PK_BYTES],
                              unsigned char sk[CRYPTO_SIGN_SK_BYTES])
{
    _Static_assert(crypto_sign_SEEDBYTES == CRYPTO_KEY_BYTES, "seed size");
    _Static_assert(crypto_sign_PUBLICKEYBYTES == CRYPTO_SIGN_PK_BYTES, "public key size");
    _Static_assert(crypto_sign_SECRETKEYBYTES == CRYPTO_SIGN_SK_BYTES, "secret key size");
    crypto_sign_seed_keypair(pk, sk, seed);
}

void crypto_sign_detached_bytes(const unsigned char sk[CRYPTO_SIGN_SK_BYTES],
                                const unsigned char *msg,
                                size_t len,
                                unsigned char sig[CRYPTO_SIGN_BYTES])
{
    _Static_assert(crypto_sign_BYTES == CRYPTO_SIGN_BYTES, "signature size");
    crypto_sign_detached(sig, NULL, msg, len, sk);
}

bool crypto_sign_check(const unsigned char pk[CRYPTO_SIGN_PK_BYTES],
                       const unsigned char *msg,
                       size_t len,
                       const unsigned char sig[CRYPTO_SIGN_BYTES])
{
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

void crypto_key_id(const unsigned char pk[CRYPTO_SIGN_PK_BYTES], char ret[CRYPTO_KEY_ID_HEX])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), pk, CRYPTO_SIGN_PK_BYTES, NULL, 0);
    sodium_bin2hex(ret, CRYPTO_KEY_ID_HEX, h, 8);
}
