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

#endif
