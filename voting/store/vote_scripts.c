/* SPDX-License-Identifier: MIT */
/*
 * The vote store's Lua scripts. Each runs atomically in Redis; every check
 * comes before the first write, because a script that fails half-way is not
 * rolled back. Time is Redis TIME plus the instance's clock offset (ARGV),
 * so all instances agree on one clock; days are Asia/Shanghai days
 * (UTC+8, no DST): floor((now + 8 h) / 24 h).
 */
#include "vote_scripts.h"

#include <stdio.h>
#include <string.h>

#include "vote_store.h"

#define NOW_MS(arg)                  \
    "local t = redis.call('TIME')\n" \
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(" arg ")\n"

/* KEYS cfg, nom, vd, ip, tally, log; ARGV nominee, voter_hash, ip_hash,
 * receipt_hash, offset_ms. → {1, id, remaining[, 'REPLAY']} or
 * {0, reason[, retry_ms]}. Expiries are on Redis's own clock: the voter's
 * day lives until a day after the close, closes_ms less the offset. The log entry's id is the
 * clock's millisecond
 * (`now-*`), so a vote's time in the log is the service's time; should the
 * test clock have been set back below the log's last entry, the entry
 * takes that entry's millisecond, so ids and times never decrease. */
struct redis_script vote_script_cast = {
    .name = "vote",
    .lua = NOW_MS(
        "ARGV[5]") "local c = redis.call('HMGET', KEYS[1], 'opens_ms', 'closes_ms', 'sealed', "
                   "'max_day',\n"
                   "  'max_nominee_day', 'ip_t_ms', 'ip_burst')\n"
                   "if not c[1] then return {0, 'NO_SESSION'} end\n"
                   "if now < tonumber(c[1]) then return {0, 'NOT_OPEN'} end\n"
                   "if now >= tonumber(c[2]) or c[3] then return {0, 'CLOSED'} end\n"
                   "local max_day = tonumber(c[4])\n"
                   "local rk = 'r:' .. ARGV[4]\n"
                   "local v = redis.call('HMGET', KEYS[3], 'd', '_n', ARGV[1], rk)\n"
                   "if v[4] then return {1, v[4], max_day - tonumber(v[2] or 0), 'REPLAY'} end\n"
                   "local T = tonumber(c[6])\n"
                   "local tat = math.max(tonumber(redis.call('GET', KEYS[4]) or now), now) + T\n"
                   "local wait = tat - T * tonumber(c[7]) - now\n"
                   "if wait > 0 then return {0, 'RATE_LIMITED', math.ceil(wait)} end\n"
                   "redis.call('SET', KEYS[4], string.format('%.3f', tat), 'PX', math.ceil(tat - "
                   "now) + 1000)\n"
                   "if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return {0, "
                   "'BAD_NOMINEE'} end\n"
                   "local day = math.floor((now + 28800000) / 86400000)\n"
                   "local fresh = not v[1] or tonumber(v[1]) ~= day\n"
                   "local nn, dn = 0, 0\n"
                   "if not fresh then nn, dn = tonumber(v[3] or 0), tonumber(v[2] or 0) end\n"
                   "if nn >= tonumber(c[5]) then return {0, 'NOMINEE_LIMIT'} end\n"
                   "if dn >= max_day then return {0, 'DAILY_LIMIT', (day + 1) * 86400000 - "
                   "28800000 - now} end\n"
                   "if v[1] and fresh then redis.call('DEL', KEYS[3]) end\n"
                   "local id = redis.pcall('XADD', KEYS[6], now .. '-*', 'n', ARGV[1], 'r', "
                   "ARGV[4],\n"
                   "  'v', ARGV[2], 'ip', ARGV[3])\n"
                   "if type(id) == 'table' and id.err then\n"
                   "  local top = redis.call('XREVRANGE', KEYS[6], '+', '-', 'COUNT', 1)[1][1]\n"
                   "  id = redis.call('XADD', KEYS[6], string.match(top, '^%d+') .. '-*', 'n', "
                   "ARGV[1],\n"
                   "    'r', ARGV[4], 'v', ARGV[2], 'ip', ARGV[3])\n"
                   "end\n"
                   "redis.call('HSET', KEYS[3], 'd', day, '_n', dn + 1, ARGV[1], nn + 1, rk, id)\n"
                   "if fresh then redis.call('PEXPIREAT', KEYS[3], tonumber(c[2]) - "
                   "tonumber(ARGV[5]) + "
                   "86400000) end\n"
                   "redis.call('HINCRBY', KEYS[5], ARGV[1], 1)\n"
                   "return {1, id, max_day - dn - 1}\n",
};

/* KEYS cfg, nom, sessions; ARGV offset, session id, round_id, opens_ms,
 * closes_ms, max_day, max_nominee_day, ip_t_ms, ip_burst, show_counts, doc,
 * nominee ids... → {1, CREATED|REPLACED|UNCHANGED|CLOSED_EARLY} or
 * {0, 'LOCKED'}. Once opened, only an identical doc (which leaves out
 * closes_at) with the same or an earlier closes_ms >= now is accepted. */
struct redis_script vote_script_setup = {
    .name = "setup",
    .lua = NOW_MS(
        "ARGV[1]") "local c = redis.call('HMGET', KEYS[1], 'opens_ms', 'closes_ms', 'doc')\n"
                   "if c[1] and now >= tonumber(c[1]) then\n"
                   "  if c[3] ~= ARGV[11] then return {0, 'LOCKED'} end\n"
                   "  local old, new = tonumber(c[2]), tonumber(ARGV[5])\n"
                   "  if new == old then return {1, 'UNCHANGED'} end\n"
                   "  if new < old and new >= now then\n"
                   "    redis.call('HSET', KEYS[1], 'closes_ms', ARGV[5], 'updated_ms', now)\n"
                   "    return {1, 'CLOSED_EARLY'}\n"
                   "  end\n"
                   "  return {0, 'LOCKED'}\n"
                   "end\n"
                   "local result = 'CREATED'\n"
                   "if c[1] then\n"
                   "  if c[3] == ARGV[11] and c[1] == ARGV[4] and c[2] == ARGV[5] then\n"
                   "    return {1, 'UNCHANGED'}\n"
                   "  end\n"
                   "  result = 'REPLACED'\n"
                   "end\n"
                   "redis.call('DEL', KEYS[2])\n"
                   "for i = 12, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end\n"
                   "redis.call('HSET', KEYS[1], 'round_id', ARGV[3], 'opens_ms', ARGV[4], "
                   "'closes_ms', ARGV[5],\n"
                   "  'max_day', ARGV[6], 'max_nominee_day', ARGV[7], 'ip_t_ms', ARGV[8], "
                   "'ip_burst', ARGV[9],\n"
                   "  'show_counts', ARGV[10], 'doc', ARGV[11], 'updated_ms', now)\n"
                   "if result == 'CREATED' then redis.call('HSET', KEYS[1], 'created_ms', now) "
                   "end\n"
                   "redis.call('SADD', KEYS[3], ARGV[2])\n"
                   "return {1, result}\n",
};

/* KEYS cfg, tally; ARGV offset → {0} or {1, now, opens_ms, closes_ms,
 * sealed, show_counts, doc, log_entries|'', log_sha256|'', tally...}. */
struct redis_script vote_script_info = {
    .name = "info",
    .lua = NOW_MS("ARGV[1]") "local c = redis.call('HMGET', KEYS[1], 'opens_ms', 'closes_ms', "
                             "'sealed', 'show_counts',\n"
                             "  'doc', 'log_entries', 'log_sha256')\n"
                             "if not c[1] then return {0} end\n"
                             "return {1, now, c[1], c[2], c[3] and 1 or 0, c[4], c[5], c[6] or '', "
                             "c[7] or '',\n"
                             "  redis.call('HGETALL', KEYS[2])}\n",
};

/* Shared by snapshot and seal: seal once the window has closed (c[1] is
 * closes_ms, c[2] sealed), then read the log's length and last id. */
#define SEAL_AND_EXTENT(log)                                              \
    "local sealed = c[2]\n"                                               \
    "if not sealed and now >= tonumber(c[1]) then\n"                      \
    "  redis.call('HSET', KEYS[1], 'sealed', 1)\n"                        \
    "  sealed = '1'\n"                                                    \
    "end\n"                                                               \
    "local xlen = redis.call('XLEN', " log ")\n"                          \
    "local last = '0-0'\n"                                                \
    "if xlen > 0 then last = redis.call('XREVRANGE', " log ", '+', '-', " \
    "'COUNT', 1)[1][1] end\n"

/* KEYS cfg, tally, log, seq, nom; ARGV offset → {0} or {1, seq, sealed,
 * final_posted, now, xlen, last id, {nominee, count, ...}}. Seals first
 * when the window has closed; the counts and the log's extent are read in
 * the same atomic step. */
struct redis_script vote_script_snapshot = {
    .name = "snapshot",
    .lua = NOW_MS(
        "ARGV[1]") "local c = redis.call('HMGET', KEYS[1], 'closes_ms', 'sealed', 'final_posted')\n"
                   "if not c[1] then return {0} end\n" SEAL_AND_EXTENT(
                       "KEYS[3]") "local seq\n"
                                  "if c[3] then seq = tonumber(redis.call('GET', KEYS[4]) or 0)\n"
                                  "else seq = redis.call('INCR', KEYS[4]) end\n"
                                  "local counts = {}\n"
                                  "for _, n in ipairs(redis.call('SMEMBERS', KEYS[5])) do\n"
                                  "  counts[#counts + 1] = n\n"
                                  "  counts[#counts + 1] = tonumber(redis.call('HGET', KEYS[2], n) "
                                  "or 0)\n"
                                  "end\n"
                                  "return {1, seq, sealed and 1 or 0, c[3] and 1 or 0, now, xlen, "
                                  "last, counts}\n",
};

/* KEYS cfg, log; ARGV offset → {0} or {1, sealed, xlen, last id,
 * log_entries|'', log_sha256|''}. The snapshot's sealing step alone. */
struct redis_script vote_script_seal = {
    .name = "seal",
    .lua = NOW_MS("ARGV[1]") "local c = redis.call('HMGET', KEYS[1], 'closes_ms', 'sealed', "
                             "'log_entries', 'log_sha256')\n"
                             "if not c[1] then return {0} end\n" SEAL_AND_EXTENT(
                                 "KEYS[2]") "return {1, sealed and 1 or 0, xlen, last, c[3] or '', "
                                            "c[4] or ''}\n",
};

/* KEYS cfg; ARGV entries, sha256, final ('1' also sets final_posted) →
 * {0} or {1, log_entries, log_sha256} as stored (the first writer wins). */
struct redis_script vote_script_digest = {
    .name = "digest",
    .lua = "if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end\n"
           "if redis.call('HEXISTS', KEYS[1], 'log_sha256') == 0 then\n"
           "  redis.call('HSET', KEYS[1], 'log_entries', ARGV[1], 'log_sha256', ARGV[2])\n"
           "end\n"
           "if ARGV[3] == '1' then redis.call('HSET', KEYS[1], 'final_posted', 1) end\n"
           "local d = redis.call('HMGET', KEYS[1], 'log_entries', 'log_sha256')\n"
           "return {1, d[1], d[2]}\n",
};

/* KEYS v:poster; ARGV instance id, ttl_ms → 1 when held, else 0. */
struct redis_script vote_script_lock = {
    .name = "lock",
    .lua = "local v = redis.call('GET', KEYS[1])\n"
           "if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end\n"
           "if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end\n"
           "return 0\n",
};

const char *vote_store_script_lua(const char *name)
{
    static const struct redis_script *const all[] = {
        &vote_script_cast, &vote_script_setup,  &vote_script_info, &vote_script_snapshot,
        &vote_script_seal, &vote_script_digest, &vote_script_lock,
    };

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (name == NULL) {
            printf("%s\n", all[i]->name);
        } else if (strcmp(all[i]->name, name) == 0) {
            return all[i]->lua;
        }
    }
    return NULL;
}
