/* SPDX-License-Identifier: MIT */
/*
 * libsodium wrappers: argon2id password hashes, secretbox encryption of
 * personal data (ID numbers, phones) at rest, and a keyed hash that lets the
 * database enforce uniqueness without holding the plain value.
 */
#ifndef JIANGXIN_CRYPTO_H
#define JIANGXIN_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "app_err.h"

#define CRYPTO_KEY_BYTES      32
#define CRYPTO_PASSWORD_MIN   12
#define CRYPTO_PASSWORD_MAX   256
#define CRYPTO_HASH_STR_BYTES 128 /* >= crypto_pwhash_STRBYTES */
#define CRYPTO_KEYED_HEX      65  /* 32-byte keyed hash as hex + NUL */

/* Call once at start; false when libsodium cannot initialise. */
bool crypto_init(void);

/* argon2id (libsodium "interactive" limits) into ret (NUL-terminated). */
enum app_err crypto_password_hash(const char *password, char ret[CRYPTO_HASH_STR_BYTES]);
/* Constant-time check of password against a stored hash. */
bool crypto_password_verify(const char *hash, const char *password);

/* secretbox(plain) under key; *ret is nonce||mac||cipher, malloc'd, *ret_len bytes. */
enum app_err crypto_seal(const unsigned char key[CRYPTO_KEY_BYTES],
                         const char *plain,
                         size_t plain_len,
                         unsigned char **ret,
                         size_t *ret_len);
/* Opens crypto_seal output; *ret is a malloc'd NUL-terminated string. */
enum app_err crypto_open(const unsigned char key[CRYPTO_KEY_BYTES],
                         const unsigned char *sealed,
                         size_t sealed_len,
                         char **ret);
/* BLAKE2b keyed hash of value (domain-separated by `context`) as lowercase hex. */
void crypto_keyed_hash(const unsigned char key[CRYPTO_KEY_BYTES],
                       const char *context,
                       const char *value,
                       char ret[CRYPTO_KEYED_HEX]);

/* Ed25519 (the nightly export's manifest signature). */
#define CRYPTO_SIGN_PK_BYTES 32
#define CRYPTO_SIGN_SK_BYTES 64
#define CRYPTO_SIGN_BYTES    64
#define CRYPTO_KEY_ID_HEX    17 /* 8 bytes as hex + NUL */

/* The key pair of a 32-byte seed. */
void crypto_sign_keypair_seed(const unsigned char seed[CRYPTO_KEY_BYTES],
                              unsigned char pk[CRYPTO_SIGN_PK_BYTES],
                              unsigned char sk[CRYPTO_SIGN_SK_BYTES]);
/* The detached signature of msg. */
void crypto_sign_detached_bytes(const unsigned char sk[CRYPTO_SIGN_SK_BYTES],
                                const unsigned char *msg,
                                size_t len,
                                unsigned char sig[CRYPTO_SIGN_BYTES]);
/* Whether sig is pk's signature of msg. */
bool crypto_sign_check(const unsigned char pk[CRYPTO_SIGN_PK_BYTES],
                       const unsigned char *msg,
                       size_t len,
                       const unsigned char sig[CRYPTO_SIGN_BYTES]);
/* A public key's id: the first 8 bytes of BLAKE2b-256(pk) as lowercase hex. */
void crypto_key_id(const unsigned char pk[CRYPTO_SIGN_PK_BYTES], char ret[CRYPTO_KEY_ID_HEX]);

#endif
