/* SPDX-License-Identifier: MIT */
/*
 * ES256 keys from PEM files: the private key a service signs its machine
 * tokens with, and the public keys another service verifies them with. A
 * key is rotated without downtime by configuring several public keys (a
 * file with several PEM blocks, or a comma-separated list of files) while
 * the signer switches.
 */
#ifndef JIANGXIN_AUTH_KEYS_H
#define JIANGXIN_AUTH_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "auth.h"

#define AUTH_PEM_MAX 16384 /* bytes of one key file */

/* Public keys; key texts are malloc'd (auth_keyring_free). */
struct auth_keyring {
    size_t n;
    struct auth_key keys[AUTH_KEYS_MAX];
};

/* Loads every "PUBLIC KEY" PEM block of the comma-separated files in
 * `paths` as an ES256 key. False (err says why, naming `var`) when a file
 * cannot be read, holds no public key, or there are more than
 * AUTH_KEYS_MAX keys. */
bool auth_keyring_load(
    const char *var, const char *paths, struct auth_keyring *ret, char *err, size_t errlen);
void auth_keyring_free(struct auth_keyring *ring);

/* Loads the one private key of the PEM file at `path` ("PRIVATE KEY" or
 * "EC PRIVATE KEY") and checks that it signs ES256. */
bool auth_private_key_load(
    const char *var, const char *path, struct auth_key *ret, char *err, size_t errlen);
/* Wipes and frees the key text. */
void auth_key_free(struct auth_key *key);

#endif
