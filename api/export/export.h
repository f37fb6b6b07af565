/* SPDX-License-Identifier: MIT */
/*
 * The signed nightly export (issue 16): `jiangxin-api export --out DIR
 * [--full]` writes DIR/YYYY-MM-DD/ atomically with every public dataset as
 * JSON and CSV, changes.ndjson against the previous export, and
 * manifest.json signed with Ed25519; `export verify` checks one without
 * the database; `export public-key` prints the key to check with.
 */
#ifndef JIANGXIN_EXPORT_H
#define JIANGXIN_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "crypto.h"
#include "store/db.h"

struct export_key {
    unsigned char pk[CRYPTO_SIGN_PK_BYTES];
    unsigned char sk[CRYPTO_SIGN_SK_BYTES];
    char id[CRYPTO_KEY_ID_HEX];
    bool can_sign;
};

/* The signing key from JIANGXIN_EXPORT_KEY (required). False, with the
 * problem on stderr, when it is missing or malformed. */
bool export_key_for_signing(struct export_key *ret);

/* The key to verify with: `hex` if given, else JIANGXIN_EXPORT_PUBLIC_KEY,
 * else derived from JIANGXIN_EXPORT_KEY. False, with the problem on
 * stderr, when there is none. */
bool export_key_for_checking(const char *hex, struct export_key *ret);

struct export_opts {
    const char *out; /* DIR */
    bool full;
    long long now_ms; /* the service clock's now */
};

struct export_result {
    char date[11];
    char path[4096];   /* DIR/YYYY-MM-DD */
    char previous[11]; /* the base's date, "" for none */
    long long audit_seq;
    char audit_head[65];
    char manifest_sha256[65];
    char *files; /* the manifest's files array as JSON text (malloc'd) */
    long long upserts, deletes;
    char error[1024]; /* "export: <what>: <path>: <strerror>" on failure */
};

/* Writes the export. True on success; on failure r->error says why, the
 * temporary directory is gone and any previous export is untouched. */
bool export_write(struct db *db,
                  const struct export_key *key,
                  const struct export_opts *o,
                  struct export_result *r);

/* Checks DIR/YYYY-MM-DD: the exact file set, sizes, SHA-256, row counts and
 * the signature under key. Each problem is one line on `report` (NULL:
 * silent) naming the file. `hash` false skips the files' hashes and rows
 * (sizes are still checked). True when all is well. */
bool export_check_dir(const char *dir, const struct export_key *key, bool hash, FILE *report);

/* export verify DIR [--public-key HEX]; export public-key. Exit codes. */
int export_cli_verify(int argc, char **argv);
int export_cli_public_key(int argc, char **argv);

#endif
