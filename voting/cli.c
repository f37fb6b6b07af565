/* SPDX-License-Identifier: MIT */
/*
 * `jiangxin-vote verify-log`: anyone holding a downloaded log can recount
 * it and recompute its digest, then hold both against what was published —
 * the X-Log-Sha256 / X-Log-Entries headers, and a tally as the voting
 * service (`GET /v1/sessions/{id}/tally`) or the API (`GET
 * /v1/rounds/{id}/vote-results`) shows it.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto.h"
#include "model/vote_log.h"

struct expect {
    const char *sha256; /* lowercase hex or NULL */
    long entries;       /* -1 when not given */
    json_t *tally;      /* the parsed --tally document or NULL */
};

static void usage(void)
{
    fprintf(stderr, "usage: jiangxin-vote verify-log FILE|- [--sha256 HEX] [--entries N]"
                    " [--tally FILE]\n");
}

static bool hex64(const char *s)
{
    if (strlen(s) != 64) {
        return false;
    }
    for (size_t i = 0; i < 64; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

static long recount_of(const struct vote_log_check *c, const char *nominee_id)
{
    for (size_t i = 0; i < c->n_nominees; i++) {
        if (strcmp(c->counts[i].nominee_id, nominee_id) == 0) {
            return c->counts[i].votes;
        }
    }
    return 0;
}

/* The per-nominee counts of a tally document as {nominee_id: votes}: the
 * voting service's `counts: [{nominee_id, votes}]`, a `counts` object, or
 * the API's `nominees: [{nominee_id|id, votes}]`. NULL when none is there. */
static json_t *tally_counts(const json_t *doc)
{
    const json_t *list = json_object_get(doc, "counts");
    json_t *out, *item;
    size_t i;

    if (json_is_object(list)) {
        return json_deep_copy(list);
    }
    if (!json_is_array(list)) {
        list = json_object_get(doc, "nominees");
    }
    if (!json_is_array(list) || (out = json_object()) == NULL) {
        return NULL;
    }
    json_array_foreach(list, i, item)
    {
        const json_t *id = json_object_get(item, "nominee_id");
        const json_t *votes = json_object_get(item, "votes");

        if (id == NULL) {
            id = json_object_get(item, "id");
        }
        if (!json_is_string(id) || !json_is_integer(votes)) {
            json_decref(out);
            return NULL;
        }
        json_object_set_new(out, json_string_value(id), json_integer(json_integer_value(votes)));
    }
    return out;
}

/* Compares the recount with the tally; prints each difference on stderr. */
static bool tally_matches(const struct vote_log_check *c, const json_t *doc)
{
    json_t *counts = tally_counts(doc), *v;
    const json_t *total = json_object_get(doc, "total_votes");
    const json_t *log = json_object_get(doc, "log");
    const json_t *entries = json_object_get(doc, "log_entries");
    const json_t *sha = json_object_get(doc, "log_sha256");
    const char *id;
    bool ok = true;

    if (counts == NULL) {
        fprintf(stderr, "verify-log: the tally file has no per-nominee counts\n");
        return false;
    }
    json_object_foreach(counts, id, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) != recount_of(c, id)) {
            fprintf(stderr, "verify-log: nominee %s: the tally says %lld, the log has %ld\n", id,
                    json_is_integer(v) ? (long long)json_integer_value(v) : -1LL,
                    recount_of(c, id));
            ok = false;
        }
    }
    for (size_t i = 0; i < c->n_nominees; i++) {
        if (json_object_get(counts, c->counts[i].nominee_id) == NULL) {
            fprintf(stderr,
                    "verify-log: nominee %s has %ld votes in the log but is not in the tally\n",
                    c->counts[i].nominee_id, c->counts[i].votes);
            ok = false;
        }
    }
    json_decref(counts);
    if (total == NULL) {
        total = json_object_get(doc, "total");
    }
    if (json_is_integer(total) && json_integer_value(total) != c->entries) {
        fprintf(stderr, "verify-log: the tally's total is %lld, the log has %ld entries\n",
                (long long)json_integer_value(total), c->entries);
        ok = false;
    }
    if (json_is_object(log)) {
        entries = json_object_get(log, "entries");
        sha = json_object_get(log, "sha256");
    }
    if (json_is_integer(entries) && json_integer_value(entries) != c->entries) {
        fprintf(stderr, "verify-log: the tally's log has %lld entries, this one %ld\n",
                (long long)json_integer_value(entries), c->entries);
        ok = false;
    }
    if (json_is_string(sha) && strcmp(json_string_value(sha), c->sha256) != 0) {
        fprintf(stderr, "verify-log: the tally's log digest is %s, this log's %s\n",
                json_string_value(sha), c->sha256);
        ok = false;
    }
    return ok;
}

static void print_result(const struct vote_log_check *c, bool matches)
{
    json_t *counts = json_object();
    json_t *out;

    for (size_t i = 0; counts != NULL && i < c->n_nominees; i++) {
        json_object_set_new(counts, c->counts[i].nominee_id, json_integer(c->counts[i].votes));
    }
    out =
        json_pack("{s:I, s:s, s:o?, s:b, s:b}", "entries", (json_int_t)c->entries, "sha256",
                  c->sha256, "counts", counts, "well_formed", c->bad_line == 0, "matches", matches);
    if (out != NULL && c->bad_line != 0) {
        json_object_set_new(out, "bad_line", json_integer(c->bad_line));
        json_object_set_new(out, "reason", json_string(c->reason));
    }
    if (out != NULL) {
        json_dumpf(out, stdout, JSON_SORT_KEYS);
        fputc('\n', stdout);
    }
    json_decref(out);
}

static int parse_args(int argc, char **argv, const char **ret_file, struct expect *ret)
{
    static const struct option opts[] = {
        {"sha256", required_argument, NULL, 's'},
        {"entries", required_argument, NULL, 'e'},
        {"tally", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *tally_file = NULL;
    char *end;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            ret->sha256 = optarg;
            break;
        case 'e':
            errno = 0;
            ret->entries = strtol(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || end == optarg || ret->entries < 0) {
                fprintf(stderr, "verify-log: --entries must be a number >= 0\n");
                return 2;
            }
            break;
        case 't':
            tally_file = optarg;
            break;
        default:
            usage();
            return 2;
        }
    }
    if (optind != argc - 1) {
        usage();
        return 2;
    }
    *ret_file = argv[optind];
    if (ret->sha256 != NULL && !hex64(ret->sha256)) {
        fprintf(stderr, "verify-log: --sha256 must be 64 lowercase hex digits\n");
        return 2;
    }
    if (tally_file != NULL) {
        json_error_t jerr;
        ret->tally = json_load_file(tally_file, 0, &jerr);
        if (!json_is_object(ret->tally)) {
            fprintf(stderr, "verify-log: %s: not a JSON object (%s)\n", tally_file, jerr.text);
            return 2;
        }
    }
    return 0;
}

int cli_verify_log(int argc, char **argv)
{
    struct expect want = {.sha256 = NULL, .entries = -1, .tally = NULL};
    struct vote_log_check *check = NULL;
    const char *file = NULL;
    FILE *in = NULL;
    bool matches = true;
    int rc = parse_args(argc, argv, &file, &want);

    if (rc != 0) {
        goto cleanup;
    }
    rc = 2;
    if (!crypto_init() || (check = calloc(1, sizeof(*check))) == NULL) {
        fprintf(stderr, "verify-log: out of memory\n");
        goto cleanup;
    }
    in = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    if (in == NULL) {
        fprintf(stderr, "verify-log: %s: %s\n", file, strerror(errno));
        goto cleanup;
    }
    if (!vote_log_check_stream(in, check)) {
        fprintf(stderr, "verify-log: line %ld: %s\n", check->bad_line, check->reason);
        matches = false;
    }
    if (want.sha256 != NULL && strcmp(want.sha256, check->sha256) != 0) {
        fprintf(stderr, "verify-log: the digest is %s, expected %s\n", check->sha256, want.sha256);
        matches = false;
    }
    if (want.entries >= 0 && want.entries != check->entries) {
        fprintf(stderr, "verify-log: %ld entries, expected %ld\n", check->entries, want.entries);
        matches = false;
    }
    if (want.tally != NULL && !tally_matches(check, want.tally)) {
        matches = false;
    }
    print_result(check, matches);
    rc = matches ? 0 : 1;
cleanup:
    if (in != NULL && in != stdin) {
        fclose(in);
    }
    free(check);
    json_decref(want.tally);
    return rc;
}
