/* SPDX-License-Identifier: MIT */
/*
 * The manifest's signature and the checks of an export directory: the
 * keys (JIANGXIN_EXPORT_KEY, the Ed25519 seed; JIANGXIN_EXPORT_PUBLIC_KEY),
 * the canonical bytes that are signed, `export verify` and `export
 * public-key`. Nothing here needs the database.
 *
 * The signature: Ed25519 over the manifest without its `signature` member,
 * serialised with sorted keys, no whitespace, ASCII only (every value is
 * ASCII text, an integer, a boolean or null), which is what Python's
 * json.dumps(m, sort_keys=True, separators=(",", ":")) gives; `value` is
 * the 64-byte signature as lowercase hex, `key_id` the first 8 bytes of
 * BLAKE2b-256 of the public key as hex.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "export.h"
#include "export_internal.h"

#define MANIFEST_MAX (4 * 1024 * 1024)

struct export_config {
    unsigned char seed[CONFIG_KEY_BYTES];
    unsigned char public_key[CONFIG_KEY_BYTES];
};

static const struct config_var signing_vars[] = {
    {"JIANGXIN_EXPORT_KEY", CONFIG_KEY, true, NULL, 0, 0, offsetof(struct export_config, seed),
     "64 hex characters: the Ed25519 seed the export's manifest is signed with", NULL},
};

static const struct config_var checking_vars[] = {
    {"JIANGXIN_EXPORT_KEY", CONFIG_KEY, false, NULL, 0, 0, offsetof(struct export_config, seed),
     "64 hex characters: the Ed25519 seed the export's manifest is signed with", NULL},
    {"JIANGXIN_EXPORT_PUBLIC_KEY", CONFIG_KEY, false, NULL, 0, 0,
     offsetof(struct export_config, public_key),
     "64 hex characters: the Ed25519 public key exports are verified with", NULL},
};

static bool is_set(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0';
}

static bool load(const struct config_var *vars, size_t n, struct export_config *cfg)
{
    char errors[1024] = "";
    int problems = config_load(vars, n, cfg, errors, sizeof(errors));

    if (problems > 0) {
        fprintf(stderr, "jiangxin-api: %d configuration problem%s:\n%s", problems,
                problems == 1 ? "" : "s", errors);
        return false;
    }
    return true;
}

bool export_key_for_signing(struct export_key *ret)
{
    struct export_config cfg = {0};

    memset(ret, 0, sizeof(*ret));
    if (!load(signing_vars, 1, &cfg)) {
        return false;
    }
    crypto_sign_keypair_seed(cfg.seed, ret->pk, ret->sk);
    crypto_key_id(ret->pk, ret->id);
    ret->can_sign = true;
    sodium_memzero(&cfg, sizeof(cfg));
    return true;
}

bool export_key_for_checking(const char *hex, struct export_key *ret)
{
    struct export_config cfg = {0};

    memset(ret, 0, sizeof(*ret));
    if (hex != NULL) {
        if (strlen(hex) != 2 * CRYPTO_SIGN_PK_BYTES ||
            sodium_hex2bin(ret->pk, sizeof(ret->pk), hex, strlen(hex), NULL, NULL, NULL) != 0) {
            fprintf(stderr, "export verify: --public-key must be %d hexadecimal characters\n",
                    2 * CRYPTO_SIGN_PK_BYTES);
            return false;
        }
    } else {
        if (!load(checking_vars, sizeof(checking_vars) / sizeof(checking_vars[0]), &cfg)) {
            return false;
        }
        if (is_set("JIANGXIN_EXPORT_PUBLIC_KEY")) {
            memcpy(ret->pk, cfg.public_key, sizeof(ret->pk));
        } else if (is_set("JIANGXIN_EXPORT_KEY")) {
            unsigned char sk[CRYPTO_SIGN_SK_BYTES];
            crypto_sign_keypair_seed(cfg.seed, ret->pk, sk);
            sodium_memzero(sk, sizeof(sk));
        } else {
            fprintf(stderr, "export verify: no key: give --public-key HEX or set "
                            "JIANGXIN_EXPORT_PUBLIC_KEY\n");
            return false;
        }
        sodium_memzero(&cfg, sizeof(cfg));
    }
    crypto_key_id(ret->pk, ret->id);
    return true;
}

char *export_canonical(json_t *m)
{
    return json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
}

bool export_sign(json_t *manifest, const unsigned char sk[64], const char *key_id)
{
    unsigned char sig[CRYPTO_SIGN_BYTES];
    char hex[2 * CRYPTO_SIGN_BYTES + 1];
    char *text;

    json_object_del(manifest, "signature");
    if (json_object_set_new(manifest, "key_id", json_string(key_id)) != 0 ||
        (text = export_canonical(manifest)) == NULL) {
        return false;
    }
    crypto_sign_detached_bytes(sk, (const unsigned char *)text, strlen(text), sig);
    free(text);
    sodium_bin2hex(hex, sizeof(hex), sig, sizeof(sig));
    return json_object_set_new(
               manifest, "signature",
               json_pack("{s:s, s:s, s:s}", "alg", "Ed25519", "key_id", key_id, "value", hex)) == 0;
}

static void say(FILE *report, bool *ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(FILE *report, bool *ok, const char *fmt, ...)
{
    va_list ap;

    *ok = false;
    if (report != NULL) {
        va_start(ap, fmt);
        vfprintf(report, fmt, ap);
        va_end(ap);
        fputc('\n', report);
    }
}

static bool safe_name(const char *name)
{
    return name != NULL && name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL &&
           strcmp(name, "manifest.json") != 0;
}

/* Hashes a file and counts its rows as its format writes them: JSON one
 * per line between the brackets, CSV records (CRLF outside quotes) after
 * the header, NDJSON lines. */
static bool
hash_file(int dirfd, const char *name, const char *format, char hex[65], long long *rows)
{
    unsigned char buf[EXPORT_BUF], digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state sha;
    long long lines = 0, records = 0;
    bool quoted = false, cr = false;
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0) {
        return false;
    }
    crypto_hash_sha256_init(&sha);
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        crypto_hash_sha256_update(&sha, buf, (size_t)n);
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = buf[i];
            if (c == '\n') {
                lines++;
                if (cr && !quoted) {
                    records++;
                }
            }
            if (c == '"') {
                quoted = !quoted;
            }
            cr = c == '\r';
        }
    }
    close(fd);
    if (n < 0) {
        return false;
    }
    crypto_hash_sha256_final(&sha, digest);
    sodium_bin2hex(hex, 65, digest, sizeof(digest));
    if (strcmp(format, "json") == 0) {
        *rows = lines - 2;
    } else if (strcmp(format, "csv") == 0) {
        *rows = records - 1;
    } else {
        *rows = lines;
    }
    return true;
}

static json_t *read_manifest(int dirfd, const char *dir, FILE *report, bool *ok)
{
    char *text = malloc(MANIFEST_MAX + 1);
    size_t len = 0;
    ssize_t n = 0;
    json_t *m = NULL;
    int fd = openat(dirfd, "manifest.json", O_RDONLY | O_CLOEXEC);

    if (fd < 0 || text == NULL) {
        say(report, ok, "%s/manifest.json: cannot read: %s", dir,
            strerror(fd < 0 ? errno : ENOMEM));
    } else {
        while (len < MANIFEST_MAX && (n = read(fd, text + len, MANIFEST_MAX - len)) > 0) {
            len += (size_t)n;
        }
        json_error_t jerr;
        m = n < 0 ? NULL : json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
        if (m == NULL || !json_is_object(m)) {
            say(report, ok, "%s/manifest.json: not a JSON object", dir);
            json_decref(m);
            m = NULL;
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    free(text);
    return m;
}

static void
check_signature(json_t *m, const char *dir, const struct export_key *key, FILE *report, bool *ok)
{
    json_t *sig = json_object_get(m, "signature");
    const char *alg = json_string_value(json_object_get(sig, "alg"));
    const char *kid = json_string_value(json_object_get(sig, "key_id"));
    const char *value = json_string_value(json_object_get(sig, "value"));
    const char *top_kid = json_string_value(json_object_get(m, "key_id"));
    unsigned char bytes[CRYPTO_SIGN_BYTES];

    if (alg == NULL || strcmp(alg, "Ed25519") != 0 || kid == NULL || value == NULL ||
        strlen(value) != 2 * CRYPTO_SIGN_BYTES ||
        sodium_hex2bin(bytes, sizeof(bytes), value, strlen(value), NULL, NULL, NULL) != 0) {
        say(report, ok, "%s/manifest.json: no valid signature {alg: Ed25519, key_id, value}", dir);
        return;
    }
    if (strcmp(kid, key->id) != 0 || top_kid == NULL || strcmp(top_kid, kid) != 0) {
        say(report, ok, "%s/manifest.json: signed by key %s, checked with key %s", dir, kid,
            key->id);
        return;
    }
    json_t *copy = json_deep_copy(m);
    char *text = NULL;
    if (copy == NULL || json_object_del(copy, "signature") != 0 ||
        (text = export_canonical(copy)) == NULL ||
        !crypto_sign_check(key->pk, (const unsigned char *)text, strlen(text), bytes)) {
        say(report, ok, "%s/manifest.json: the signature does not verify with key %s", dir,
            key->id);
    }
    free(text);
    json_decref(copy);
}

bool export_check_dir(const char *dir, const struct export_key *key, bool hash, FILE *report)
{
    bool ok = true;
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    json_t *m, *files, *f;
    size_t i;

    if (dirfd < 0) {
        say(report, &ok, "%s: cannot open: %s", dir, strerror(errno));
        return false;
    }
    m = read_manifest(dirfd, dir, report, &ok);
    if (m == NULL) {
        close(dirfd);
        return false;
    }
    if (json_integer_value(json_object_get(m, "schema_version")) != 1 ||
        !json_is_integer(json_object_get(m, "schema_version"))) {
        say(report, &ok, "%s/manifest.json: schema_version is not 1", dir);
    }
    check_signature(m, dir, key, report, &ok);
    files = json_object_get(m, "files");
    if (!json_is_array(files)) {
        say(report, &ok, "%s/manifest.json: no files array", dir);
        files = NULL;
    }
    /* Every file on disk is listed... */
    int listfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* own offset */
    DIR *d = listfd >= 0 ? fdopendir(listfd) : NULL;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        bool listed = false;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, "manifest.json") == 0) {
            continue;
        }
        json_array_foreach(files, i, f)
        {
            const char *name = json_string_value(json_object_get(f, "name"));
            listed = listed || (name != NULL && strcmp(name, e->d_name) == 0);
        }
        if (!listed) {
            say(report, &ok, "%s/%s: not listed in the manifest", dir, e->d_name);
        }
    }
    if (d != NULL) {
        closedir(d);
    } else if (listfd >= 0) {
        close(listfd);
    }
    /* ...and every listed file is there as the manifest describes it. */
    json_array_foreach(files, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "name"));
        const char *format = json_string_value(json_object_get(f, "format"));
        const char *want = json_string_value(json_object_get(f, "sha256"));
        json_t *bytes = json_object_get(f, "bytes"), *rows = json_object_get(f, "rows");
        struct stat st;
        char hex[65];
        long long counted = 0;

        if (!safe_name(name) || format == NULL || want == NULL || !json_is_integer(bytes) ||
            !json_is_integer(rows)) {
            say(report, &ok, "%s/manifest.json: file entry %zu is malformed", dir, i);
            continue;
        }
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
            say(report, &ok, "%s/%s: missing", dir, name);
            continue;
        }
        if ((long long)st.st_size != json_integer_value(bytes)) {
            say(report, &ok, "%s/%s: %lld bytes, the manifest says %lld", dir, name,
                (long long)st.st_size, (long long)json_integer_value(bytes));
            continue;
        }
        if (!hash) {
            continue;
        }
        if (!hash_file(dirfd, name, format, hex, &counted)) {
            say(report, &ok, "%s/%s: cannot read: %s", dir, name, strerror(errno));
        } else if (strcmp(hex, want) != 0) {
            say(report, &ok, "%s/%s: SHA-256 %s, the manifest says %s", dir, name, hex, want);
        } else if (counted != json_integer_value(rows)) {
            say(report, &ok, "%s/%s: %lld rows, the manifest says %lld", dir, name, counted,
                (long long)json_integer_value(rows));
        }
    }
    json_decref(m);
    close(dirfd);
    return ok;
}

int export_cli_verify(int argc, char **argv)
{
    const char *dir = NULL, *hex = NULL;
    struct export_key key;

    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--public-key") == 0 && i + 1 < argc) {
            hex = argv[++i];
        } else if (strncmp(argv[i], "--public-key=", 13) == 0) {
            hex = argv[i] + 13;
        } else if (argv[i][0] != '-' && dir == NULL) {
            dir = argv[i];
        } else {
            dir = NULL;
            break;
        }
    }
    if (dir == NULL) {
        fprintf(stderr, "usage: jiangxin-api export verify DIR/YYYY-MM-DD [--public-key HEX]\n");
        return 2;
    }
    if (!export_key_for_checking(hex, &key)) {
        return 2;
    }
    if (!export_check_dir(dir, &key, true, stderr)) {
        fprintf(stderr, "export verify: %s: FAILED\n", dir);
        return 1;
    }
    printf("export verify: %s: ok (signed by key %s)\n", dir, key.id);
    return 0;
}

int export_cli_public_key(int argc, char **argv)
{
    struct export_key key;
    char hex[2 * CRYPTO_SIGN_PK_BYTES + 1];

    (void)argv;
    if (argc != 0) {
        fprintf(stderr, "usage: jiangxin-api export public-key\n");
        return 2;
    }
    if (!export_key_for_signing(&key)) {
        return 2;
    }
    sodium_bin2hex(hex, sizeof(hex), key.pk, sizeof(key.pk));
    sodium_memzero(key.sk, sizeof(key.sk));
    printf("%s\nkey_id %s\n", hex, key.id);
    return 0;
}
