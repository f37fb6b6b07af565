/* SPDX-License-Identifier: MIT */
/*
 * The vote's rules (see vote_rules.h). Bodies are checked in two passes:
 * json_fields_check for members and types, then the values of the members
 * that passed it, so a body with several faults gets one answer listing
 * them all and no member is reported twice.
 */
#include "vote_rules.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "json_fields.h"
#include "uuid.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const limit_names[VOTE_LIMITS_N] = {
    [VOTE_LIMIT_PER_DAY] = "votes_per_day",
    [VOTE_LIMIT_PER_NOMINEE_DAY] = "votes_per_nominee_per_day",
    [VOTE_LIMIT_IP_RATE] = "ip_rate_per_minute",
    [VOTE_LIMIT_IP_BURST] = "ip_burst",
};
static const long limit_max[VOTE_LIMITS_N] = {
    [VOTE_LIMIT_PER_DAY] = VOTE_LIMIT_DAY_MAX,
    [VOTE_LIMIT_PER_NOMINEE_DAY] = VOTE_LIMIT_DAY_MAX,
    [VOTE_LIMIT_IP_RATE] = VOTE_LIMIT_RATE_MAX,
    [VOTE_LIMIT_IP_BURST] = VOTE_LIMIT_RATE_MAX,
};

/* clang-format off */
static const struct json_field session_fields[] = {
    {"title",                  JF_STRING, false, 1, VOTE_SESSION_TITLE_MAX},
    {"opens_at",               JF_STRING, true,  1, 64},
    {"closes_at",              JF_STRING, true,  1, 64},
    {"nominee_ids",            JF_ARRAY,  true,  1, VOTE_SESSION_NOMINEES_MAX},
    {"limits",                 JF_OBJECT, false, 0, 0},
    {"show_counts_while_open", JF_BOOL,   false, 0, 0},
};
static const struct json_field limit_fields[VOTE_LIMITS_N] = {
    {"votes_per_day",             JF_INT, false, 0, 0},
    {"votes_per_nominee_per_day", JF_INT, false, 0, 0},
    {"ip_rate_per_minute",        JF_INT, false, 0, 0},
    {"ip_burst",                  JF_INT, false, 0, 0},
};
static const struct json_field tally_fields[] = {
    {"sequence",    JF_INT,              true,  1, VOTE_SEQUENCE_MAX},
    {"counts",      JF_OBJECT,           true,  0, 0},
    {"total",       JF_INT,              true,  0, VOTE_COUNT_MAX},
    {"final",       JF_BOOL,             true,  0, 0},
    {"log_entries", JF_INT | JF_NULL,    false, 0, VOTE_COUNT_MAX},
    {"log_sha256",  JF_STRING | JF_NULL, false, 0, 0},
    {"as_of",       JF_STRING,           true,  1, 64},
};
static const struct json_field resolution_fields[] = {
    {"note", JF_STRING, true, 1, VOTE_NOTE_MAX},
};
/* clang-format on */

const char *vote_limit_name(enum vote_limit l)
{
    return (unsigned)l < VOTE_LIMITS_N ? limit_names[l] : "?";
}

/* The member's value when it passed the member check, else NULL. */
static const json_t *checked(const json_t *obj, const char *name, const struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];

    problem_pointer(ptr, sizeof(ptr), "", name);
    return problem_has_error(p, ptr) ? NULL : json_object_get(obj, name);
}

static enum app_err result(const struct problem *p, size_t n_before)
{
    return p->n_errors + p->n_dropped > n_before ? p->err : APP_OK;
}

/* ---- opening a session ---- */

/* An RFC 3339 member: its instant, or an error at it. */
static bool instant(const json_t *v, const char *pointer, long long *ret, struct problem *p)
{
    if (!rfc3339_parse(json_string_value(v), ret)) {
        problem_field(p, APP_ERR_VALIDATION, pointer, "not_date_time",
                      "须为 RFC 3339 格式的日期时间（含时区）", "must be an RFC 3339 date-time");
        return false;
    }
    return true;
}

static void
check_window(const json_t *body, long long now, struct vote_session_draft *d, struct problem *p)
{
    const json_t *o = checked(body, "opens_at", p), *c = checked(body, "closes_at", p);
    bool ok_o = o != NULL && instant(o, "/opens_at", &d->opens_ms, p);

    if (ok_o && d->opens_ms < now - VOTE_OPENS_PAST_MS) {
        problem_field(p, APP_ERR_VALIDATION, "/opens_at", "opens_in_past",
                      "开始时间不得早于当前时间", "must not be in the past");
    } else if (ok_o && d->opens_ms > now + VOTE_OPENS_AHEAD_MS) {
        problem_field(p, APP_ERR_VALIDATION, "/opens_at", "opens_too_far_ahead",
                      "开始时间须在一年以内", "must be within a year from now");
    }
    if (c == NULL || !instant(c, "/closes_at", &d->closes_ms, p) || !ok_o) {
        return;
    }
    if (d->closes_ms <= d->opens_ms) {
        problem_field(p, APP_ERR_VALIDATION, "/closes_at", "closes_before_opens",
                      "结束时间须晚于开始时间", "must be after opens_at");
    } else if (d->closes_ms - d->opens_ms > VOTE_LENGTH_MAX_DAYS * DAY_MS) {
        problem_field(p, APP_ERR_VALIDATION, "/closes_at", "vote_too_long", "投票期限最长 %d 天",
                      "the vote may last at most %d days", VOTE_LENGTH_MAX_DAYS);
    }
}

/* Nomination ids, each once. */
static void check_ids(const json_t *ids, struct problem *p)
{
    size_t n = json_array_size(ids);
    bool repeated = false;

    for (size_t i = 0; i < n; i++) {
        const char *id = json_string_value(json_array_get(ids, i));
        char ptr[32];

        snprintf(ptr, sizeof(ptr), "/nominee_ids/%zu", i);
        if (!uuid_valid(id)) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_uuid", "须为申报记录编号（UUID）",
                          "must be a nomination id (UUID)");
            continue;
        }
        for (size_t j = 0; j < i && !repeated; j++) {
            const char *other = json_string_value(json_array_get(ids, j));
            repeated = other != NULL && strcmp(id, other) == 0; /* both canonical */
        }
    }
    if (repeated) {
        problem_field(p, APP_ERR_VALIDATION, "/nominee_ids", "duplicate_nominee",
                      "同一申报不得重复列入", "must not repeat an id");
    }
}

/* The office's limits or the defaults, each within its bounds. */
static void
check_limits(const json_t *given, size_t n_nominees, long out[VOTE_LIMITS_N], struct problem *p)
{
    const long defaults[VOTE_LIMITS_N] = {
        /* at least 1 even when the ids are missing (reported there) */
        [VOTE_LIMIT_PER_DAY] = n_nominees < 1                    ? 1
                               : n_nominees < VOTE_LIMIT_DAY_MAX ? (long)n_nominees
                                                                 : VOTE_LIMIT_DAY_MAX,
        [VOTE_LIMIT_PER_NOMINEE_DAY] = VOTE_DEFAULT_PER_NOMINEE_DAY,
        [VOTE_LIMIT_IP_RATE] = VOTE_DEFAULT_IP_RATE,
        [VOTE_LIMIT_IP_BURST] = VOTE_DEFAULT_IP_BURST,
    };

    for (size_t i = 0; i < VOTE_LIMITS_N; i++) {
        char ptr[64];
        const json_t *v = json_object_get(given, limit_names[i]);

        snprintf(ptr, sizeof(ptr), "/limits/%s", limit_names[i]);
        if (problem_has_error(p, ptr)) {
            continue;
        }
        json_int_t n = v != NULL ? json_integer_value(v) : defaults[i];
        if (n < 1 || n > limit_max[i]) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "out_of_range", "须为 1 至 %ld 之间的整数",
                          "must be 1 to %ld", limit_max[i]);
        }
        out[i] = (long)n;
    }
}

enum app_err vote_rules_session_body(const json_t *body,
                                     long long now_ms,
                                     struct vote_session_draft *ret,
                                     struct problem *p)
{
    struct problem inner = {0};
    struct vote_session_draft d = {0};
    const json_t *limits = json_object_get(body, "limits");
    size_t n_before = p->n_errors + p->n_dropped;

    /* Unknown members, at the top or in limits, are reported alone (400),
     * before any value; the limits' other findings join the body's. */
    if (json_is_object(limits)) {
        json_fields_check(limits, limit_fields, VOTE_LIMITS_N, "/limits", &inner);
    }
    json_fields_check(body, session_fields, N_OF(session_fields), "", p);
    bool unknown = p->err == APP_ERR_UNKNOWN_FIELD || inner.err == APP_ERR_UNKNOWN_FIELD;
    if (inner.err == APP_ERR_UNKNOWN_FIELD && p->err != APP_ERR_UNKNOWN_FIELD) {
        problem_move(p, &inner);
    } else if (inner.err == APP_ERR_UNKNOWN_FIELD || !unknown) {
        for (size_t i = 0; i < inner.n_errors; i++) {
            problem_copy_error(p, inner.err, &inner.errors[i]);
        }
    }
    problem_clear(&inner);
    if (unknown) {
        return p->err;
    }
    check_window(body, now_ms, &d, p);
    const json_t *ids = checked(body, "nominee_ids", p);
    check_ids(ids, p);
    check_limits(checked(body, "limits", p), json_array_size(ids), d.limits, p);
    if (result(p, n_before) != APP_OK) {
        return p->err;
    }
    d.title = json_string_value(json_object_get(body, "title"));
    d.opens_at = json_string_value(json_object_get(body, "opens_at"));
    d.closes_at = json_string_value(json_object_get(body, "closes_at"));
    d.nominee_ids = ids;
    d.show_counts = json_is_true(json_object_get(body, "show_counts_while_open"));
    *ret = d;
    return APP_OK;
}

json_t *vote_rules_limits_json(const long limits[VOTE_LIMITS_N])
{
    json_t *out = json_object();

    for (size_t i = 0; out != NULL && i < VOTE_LIMITS_N; i++) {
        if (json_object_set_new(out, limit_names[i], json_integer(limits[i])) != 0) {
            json_decref(out);
            out = NULL;
        }
    }
    return out;
}

enum app_err vote_rules_policy(int vote_nominees, const char *programme, struct problem *p)
{
    if (vote_nominees >= 0) {
        return APP_OK;
    }
    return problem_fail(p, APP_ERR_CONFLICT, "no_public_vote",
                        "项目 %s 本轮次适用的政策版本不设网络投票（vote_nominees 为空）",
                        "programme %s holds no public vote (the policy version of this round "
                        "has vote_nominees null)",
                        programme);
}

enum app_err vote_rules_phase(enum round_phase phase, struct problem *p)
{
    const char *value = enums_value(ENUMS_ROUND_PHASES, (int)phase);

    /* Only the shortlist's freeze moves a round with a public vote into
     * phase voting (model/flow.c), so this phase means a frozen list. */
    if (phase == PHASE_VOTING) {
        return APP_OK;
    }
    /* Both texts take (label, value); each shows one (%.0s prints nothing). */
    problem_fail(p, APP_ERR_CONFLICT, "shortlist_not_frozen",
                 "轮次处于“%s”阶段%.0s：网络投票只能在入围名单确定后（“网络投票”阶段）开启",
                 "%.0sthe round is in phase %s; a vote session opens only on a frozen "
                 "shortlist (phase voting)",
                 enums_label(ENUMS_ROUND_PHASES, (int)phase), value);
    p->extra = json_pack("{s:s}", "current_phase", value);
    return p->err;
}

long vote_rules_nominees_needed(long candidates, int vote_nominees)
{
    return candidates < vote_nominees ? candidates : vote_nominees;
}

enum app_err vote_rules_nominees(const json_t *unknown,
                                 size_t n_named,
                                 long candidates,
                                 int vote_nominees,
                                 const char *article,
                                 struct problem *p)
{
    size_t i, n_before = p->n_errors + p->n_dropped;
    json_t *v;
    long need = vote_rules_nominees_needed(candidates, vote_nominees);

    json_array_foreach(unknown, i, v)
    {
        char ptr[32];
        snprintf(ptr, sizeof(ptr), "/nominee_ids/%lld", (long long)json_integer_value(v));
        problem_field(p, APP_ERR_VALIDATION, ptr, "not_vote_candidate",
                      "不在本轮次确定的入围名单中", "not on this round's frozen shortlist");
    }
    if (json_array_size(unknown) == 0 && (long)n_named != need) {
        problem_field(p, APP_ERR_VALIDATION, "/nominee_ids", "wrong_nominee_count",
                      "须恰好列入 %ld 名候选人：网络投票人数（%d，%s）与本轮次入围名单人数（%ld）"
                      "中的较小者",
                      "must name exactly %ld nominees: the lesser of vote_nominees (%d, %s) "
                      "and the %ld nominations of the round's frozen shortlist",
                      need, vote_nominees, article, candidates);
    }
    return result(p, n_before);
}

/* ---- tallies ---- */

static bool is_hex64(const char *s)
{
    return s != NULL && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static void check_tally_values(const json_t *b, struct vote_tally_post *t, struct problem *p)
{
    const json_t *seq = checked(b, "sequence", p), *total = checked(b, "total", p);
    const json_t *entries = checked(b, "log_entries", p), *sha = checked(b, "log_sha256", p);
    const json_t *as_of = checked(b, "as_of", p);
    long long ms;

    if (json_is_integer(seq) && t->sequence < 1) {
        problem_field(p, APP_ERR_VALIDATION, "/sequence", "out_of_range", "须不小于 1",
                      "must be at least 1");
    }
    if (json_is_integer(total) && t->total < 0) {
        problem_field(p, APP_ERR_VALIDATION, "/total", "out_of_range", "不得为负数",
                      "must not be negative");
    }
    if (json_is_integer(entries) && t->log_entries < 0) {
        problem_field(p, APP_ERR_VALIDATION, "/log_entries", "out_of_range", "不得为负数",
                      "must not be negative");
    } else if (json_is_integer(entries) && json_is_integer(json_object_get(b, "total")) &&
               t->log_entries != t->total) {
        /* Compared also when total is out of range: both are reported. */
        problem_field(p, APP_ERR_VALIDATION, "/log_entries", "log_entries_mismatch",
                      "须等于 total（每计一票记一条日志）",
                      "must equal total (one log entry per counted vote)");
    }
    if (json_is_string(sha) && !is_hex64(t->log_sha256)) {
        problem_field(p, APP_ERR_VALIDATION, "/log_sha256", "not_sha256",
                      "须为 64 位小写十六进制数字", "must be 64 lowercase hex digits");
    }
    if (t->final && (t->log_entries < 0 || t->log_sha256 == NULL)) {
        const char *ptr = t->log_sha256 == NULL ? "/log_sha256" : "/log_entries";
        if (!problem_has_error(p, ptr)) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "required_when_final", "final 为 true 时必填",
                          "required when final is true");
        }
    }
    if (as_of != NULL &&
        (!rfc3339_parse(t->as_of, &ms) || ms < CLOCK_MIN_MS || ms >= CLOCK_MAX_MS)) {
        problem_field(p, APP_ERR_VALIDATION, "/as_of", "not_date_time",
                      "须为 2020 年至 2099 年间 RFC 3339 格式的日期时间",
                      "must be an RFC 3339 date-time from 2020 to 2099");
    }
}

/* Every count's value is in range here, with the body's other members,
 * before anything reads it; whose ids they are is the session's question
 * (vote_rules_tally_counts). */
static void check_count_values(const json_t *counts, struct problem *p)
{
    const char *key;
    json_t *v;
    json_int_t n;

    json_object_foreach((json_t *)counts, key, v)
    {
        if (!json_int_range(v, 0, VOTE_COUNT_MAX, &n)) {
            char ptr[PROBLEM_POINTER_MAX];
            problem_pointer(ptr, sizeof(ptr), "/counts", key);
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_vote_count", "须为非负整数票数",
                          "must be a count of votes");
        }
    }
}

enum app_err
vote_rules_tally_body(const json_t *body, struct vote_tally_post *ret, struct problem *p)
{
    const json_t *entries = json_object_get(body, "log_entries");
    struct vote_tally_post t = {0};
    size_t n_before = p->n_errors + p->n_dropped;

    json_fields_check(body, tally_fields, N_OF(tally_fields), "", p);
    if (p->err == APP_ERR_UNKNOWN_FIELD) {
        return p->err;
    }
    t.sequence = json_integer_value(json_object_get(body, "sequence"));
    t.counts = json_object_get(body, "counts");
    t.total = json_integer_value(json_object_get(body, "total"));
    t.final = json_is_true(json_object_get(body, "final"));
    t.log_entries = json_is_integer(entries) ? json_integer_value(entries) : -1;
    t.log_sha256 = json_string_value(json_object_get(body, "log_sha256"));
    t.as_of = json_string_value(json_object_get(body, "as_of"));
    check_tally_values(body, &t, p);
    check_count_values(t.counts, p);
    if (result(p, n_before) != APP_OK) {
        return p->err;
    }
    *ret = t;
    return APP_OK;
}

enum app_err vote_rules_tally_counts(const json_t *counts,
                                     const json_t *nominee_ids,
                                     long long total,
                                     struct problem *p)
{
    const char *key;
    json_t *v;
    long long sum = 0;
    size_t i, n_before = p->n_errors + p->n_dropped;

    json_object_foreach((json_t *)counts, key, v)
    {
        char ptr[PROBLEM_POINTER_MAX];
        problem_pointer(ptr, sizeof(ptr), "/counts", key);
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > VOTE_COUNT_MAX) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_vote_count", "须为非负整数票数",
                          "must be a count of votes");
        } else {
            sum += json_integer_value(v);
        }
    }
    bool same = json_object_size(counts) == json_array_size(nominee_ids);
    json_array_foreach(nominee_ids, i, v)
    {
        same = same && json_object_get(counts, json_string_value(v)) != NULL;
    }
    if (!same) {
        problem_field(p, APP_ERR_VALIDATION, "/counts", "nominees_mismatch",
                      "须恰好以本场投票的 %zu 名候选人编号为键",
                      "must have exactly the session's %zu nominee ids as keys",
                      json_array_size(nominee_ids));
    }
    if (result(p, n_before) == APP_OK && sum != total) {
        problem_field(p, APP_ERR_VALIDATION, "/total", "total_mismatch",
                      "须等于各候选人票数之和（%lld）", "must be the sum of counts (%lld)", sum);
    }
    return result(p, n_before);
}

/* ---- the sequence, the close and the log ---- */

long long vote_rules_sequence_max(long long now_ms, long long epoch_ms)
{
    long long life = now_ms > epoch_ms ? now_ms - epoch_ms : 0;

    return VOTE_SEQ_SLACK + life / VOTE_SEQ_STEP_MS;
}

enum app_err vote_rules_tally_timing(const struct vote_tally_post *t,
                                     long long now_ms,
                                     long long closes_ms,
                                     long long epoch_ms,
                                     struct problem *p)
{
    long long max = vote_rules_sequence_max(now_ms, epoch_ms);

    if (t->final && now_ms < closes_ms) {
        return problem_fail(p, APP_ERR_CONFLICT, "tally_final_before_close",
                            "投票尚未结束，不接受最终计票结果",
                            "a final tally is accepted only once the vote has closed");
    }
    if (t->sequence > max) {
        return problem_fail(p, APP_ERR_CONFLICT, "tally_sequence_implausible",
                            "计票序号 %lld 超出本场投票可能达到的上限 %lld",
                            "sequence %lld is beyond what this session can have reached (%lld)",
                            t->sequence, max);
    }
    return APP_OK;
}

const char *vote_rules_final_vs_log(const json_t *counts,
                                    long long log_entries,
                                    const char *log_sha256,
                                    const json_t *log_counts,
                                    long long log_total_entries,
                                    long long log_invalid,
                                    const char *log_digest)
{
    const char *key;
    json_t *v;

    if (log_invalid > 0) {
        return "log_invalid_entries";
    }
    if (log_entries != log_total_entries) {
        return "log_entries_mismatch";
    }
    if (log_sha256 == NULL || log_digest == NULL || strcmp(log_sha256, log_digest) != 0) {
        return "log_digest_mismatch";
    }
    if (json_object_size(counts) != json_object_size(log_counts)) {
        return "log_counts_mismatch";
    }
    json_object_foreach((json_t *)log_counts, key, v)
    {
        const json_t *c = json_object_get(counts, key);
        if (!json_is_integer(c) || json_integer_value(c) != json_integer_value(v)) {
            return "log_counts_mismatch";
        }
    }
    return NULL;
}

enum app_err
vote_rules_resolution_body(const json_t *body, const char **ret_note, struct problem *p)
{
    if (!json_fields_check(body, resolution_fields, N_OF(resolution_fields), "", p)) {
        return p->err;
    }
    *ret_note = json_string_value(json_object_get(body, "note"));
    return APP_OK;
}

enum app_err vote_rules_log_mismatch(const char *reason, struct problem *p)
{
    problem_fail(p, APP_ERR_CONFLICT, "tally_log_mismatch",
                 "最终计票结果与封存的投票记录不符（%s），未予采用",
                 "the final tally does not agree with the sealed vote log (%s); not taken", reason);
    json_decref(p->extra);
    p->extra = json_pack("{s:s}", "reason", reason);
    return p->err;
}

/* ---- state and results ---- */

enum vote_window_state vote_rules_state(long long now_ms, long long opens_ms, long long closes_ms)
{
    if (now_ms < opens_ms) {
        return VOTE_WINDOW_SCHEDULED;
    }
    return now_ms < closes_ms ? VOTE_WINDOW_OPEN : VOTE_WINDOW_CLOSED;
}

const char *vote_rules_state_name(enum vote_window_state s)
{
    switch (s) {
    case VOTE_WINDOW_SCHEDULED:
        return "scheduled";
    case VOTE_WINDOW_OPEN:
        return "open";
    case VOTE_WINDOW_CLOSED:
        return "closed";
    }
    return "closed";
}

enum app_err
vote_rules_results_access(enum vote_window_state state, enum role role, struct problem *p)
{
    if (state == VOTE_WINDOW_CLOSED || role == ROLE_ADMIN || role == ROLE_OFFICE ||
        role == ROLE_LEADER) {
        return APP_OK;
    }
    if (role == ROLE_NONE) {
        return problem_fail(p, APP_ERR_UNAUTHORIZED, "results_not_public",
                            "投票结束后结果向社会公开，此前须登录查看",
                            "the results are public once the vote has closed; sign in to see "
                            "them before");
    }
    return problem_fail(
        p, APP_ERR_FORBIDDEN, "results_not_public", "角色 %s 须待投票结束后查看结果",
        "role %s may see the results once the vote has closed", auth_role_name(role));
}
