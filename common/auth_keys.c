/* SPDX-License-Identifier: MIT */
/*
 * Reading PEM key files for ES256 (auth_keys.h). libjwt 1.10 takes the PEM
 * text itself as the key, so a key here is the text of one PEM block; the
 * private key is tried once at start so a wrong file fails then, not at the
 * first signature.
 */
#include "auth_keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* The whole file, NUL-terminated; NULL (err set) when unreadable or too big. */
static char *read_file(const char *var, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;

    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open %s: %s\n", var, path, strerror(errno));
        return NULL;
    }
    buf = malloc(AUTH_PEM_MAX + 1);
    if (buf != NULL) {
        n = fread(buf, 1, AUTH_PEM_MAX + 1, f);
        buf[n <= AUTH_PEM_MAX ? n : AUTH_PEM_MAX] = '\0';
    }
    fclose(f);
    if (buf == NULL || n > AUTH_PEM_MAX) {
        snprintf(err, errlen, "%s: %s is not a PEM key file\n", var, path);
        if (buf != NULL) {
            sodium_memzero(buf, AUTH_PEM_MAX + 1);
        }
        free(buf);
        return NULL;
    }
    return buf;
}

/* The next "-----BEGIN <label>-----" … "-----END <label>-----" block at or
 * after *pos; its start and length, or false when there is none. */
static bool next_block(const char *text, const char *label, size_t *pos, size_t *start, size_t *len)
{
    char begin[64], end[64];
    const char *b, *e;

    snprintf(begin, sizeof(begin), "-----BEGIN %s-----", label);
    snprintf(end, sizeof(end), "-----END %s-----", label);
    if ((b = strstr(text + *pos, begin)) == NULL || (e = strstr(b, end)) == NULL) {
        return false;
    }
    e += strlen(end);
    *start = (size_t)(b - text);
    *len = (size_t)(e - b);
    *pos = (size_t)(e - text);
    return true;
}

static bool add_key(struct auth_key *k, const char *text, size_t len)
{
    unsigned char *copy = malloc(len + 2);

    if (copy == NULL) {
        return false;
    }
    memcpy(copy, text, len);
    copy[len] = '\n';
    copy[len + 1] = '\0';
    *k = (struct auth_key){.alg = AUTH_ALG_ES256, .key = copy, .len = len + 1};
    return true;
}

bool auth_keyring_load(
    const char *var, const char *paths, struct auth_keyring *ret, char *err, size_t errlen)
{
    struct auth_keyring ring = {0};
    char *list = strdup(paths != NULL ? paths : ""), *save = NULL;
    bool ok = list != NULL;

    for (char *path = ok ? strtok_r(list, ",", &save) : NULL; ok && path != NULL;
         path = strtok_r(NULL, ",", &save)) {
        while (*path == ' ') {
            path++;
        }
        char *text = read_file(var, path, err, errlen);
        size_t pos = 0, start, len, found = 0;

        ok = text != NULL;
        while (ok && next_block(text, "PUBLIC KEY", &pos, &start, &len)) {
            if (ring.n == AUTH_KEYS_MAX) {
                snprintf(err, errlen, "%s: more than %d public keys\n", var, AUTH_KEYS_MAX);
                ok = false;
            } else if (!add_key(&ring.keys[ring.n], text + start, len)) {
                snprintf(err, errlen, "out of memory\n");
                ok = false;
            } else {
                ring.n++;
                found++;
            }
        }
        if (ok && found == 0) {
            snprintf(err, errlen, "%s: %s holds no PEM public key\n", var, path);
            ok = false;
        }
        free(text);
    }
    free(list);
    if (ok && ring.n == 0) {
        snprintf(err, errlen, "%s: no public key\n", var);
        ok = false;
    }
    if (!ok) {
        auth_keyring_free(&ring);
        return false;
    }
    *ret = ring;
    return true;
}

void auth_keyring_free(struct auth_keyring *ring)
{
    for (size_t i = 0; i < ring->n; i++) {
        auth_key_free(&ring->keys[i]);
    }
    ring->n = 0;
}

bool auth_private_key_load(
    const char *var, const char *path, struct auth_key *ret, char *err, size_t errlen)
{
    static const char *const labels[] = {"PRIVATE KEY", "EC PRIVATE KEY"};
    struct auth_grant probe = {
        .iss = "probe", .aud = "probe", .sub = "probe", .role = "probe", .ttl = 60, .tv = -1};
    char *text = read_file(var, path, err, errlen), *token = NULL;
    struct auth_key key = {0};
    size_t pos, start, len;
    bool ok = false;

    for (size_t i = 0; text != NULL && !ok && i < sizeof(labels) / sizeof(labels[0]); i++) {
        pos = 0;
        ok = next_block(text, labels[i], &pos, &start, &len);
    }
    if (text != NULL && !ok) {
        snprintf(err, errlen, "%s: %s holds no PEM private key\n", var, path);
    } else if (ok && !add_key(&key, text + start, len)) {
        snprintf(err, errlen, "out of memory\n");
        ok = false;
    } else if (ok &&
               auth_token_sign(AUTH_ALG_ES256, key.key, key.len, &probe, 1, &token) != APP_OK) {
        snprintf(err, errlen, "%s: %s is not an EC P-256 private key\n", var, path);
        auth_key_free(&key);
        ok = false;
    }
    free(token);
    if (text != NULL) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
    if (ok) {
        *ret = key;
    }
    return ok;
}

void auth_key_free(struct auth_key *key)
{
    if (key->key != NULL) {
        sodium_memzero((void *)key->key, key->len);
        free((void *)key->key);
    }
    *key = (struct auth_key){0};
}
