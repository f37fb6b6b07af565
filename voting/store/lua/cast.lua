-- SPDX-License-Identifier: MIT
-- Casts one vote ("vote" in logs and `jiangxin-vote script vote`). Every
-- check comes before the first write: a script that fails half-way is not
-- rolled back. Days are Asia/Shanghai days (UTC+8, no DST):
-- floor((now + 8 h) / 24 h). Expiries are on Redis's own clock: the voter's
-- day lives until a day after the close, closes_ms less the offset. The log
-- entry's id is the clock's millisecond (`now-*`), so a vote's time in the
-- log is the service's time; should the test clock have been set back below
-- the log's last entry, the entry takes that entry's millisecond, so ids and
-- times never decrease. The per-IP limit is a GCRA: ip_t_ms apart, bursts
-- of ip_burst. A withdrawn nominee (cfg `withdrawn`) is refused; the votes
-- cast for it before stay in the log and the tally.
--
-- KEYS: 1 cfg      v:{S}:cfg, the session (hash, written by setup.lua)
--       2 nom      v:{S}:nom, the session's nominee ids (set)
--       3 vd       v:{S}:vd:<voter_hash>, the voter's day (hash): d the day,
--                  _n votes that day, <nominee> votes for it that day,
--                  r:<receipt_hash> the log entry id of that receipt
--       4 ip       v:{S}:ip:<ip_hash>, the IP's theoretical arrival time
--       5 tally    v:{S}:tally, votes per nominee (hash)
--       6 log      v:{S}:log, the vote log (stream of n, r, v, ip)
-- ARGV: 1 nominee_id
--       2 voter_hash
--       3 ip_hash
--       4 receipt_hash
--       5 offset_ms    the instance's clock offset (now.lua)
-- reply: {1, id, remaining[, 'REPLAY']} or {0, reason[, retry_ms]}
--   [0] ok            1 stored (now or by an earlier try), 0 refused
--   [1] id            when stored: the log entry's stream id
--   [1] reason        when refused: NO_SESSION, NOT_OPEN, CLOSED,
--                     RATE_LIMITED, BAD_NOMINEE, WITHDRAWN, NOMINEE_LIMIT or
--                     DAILY_LIMIT
--   [2] remaining     when stored: the votes left to the voter today
--   [2] retry_ms      when RATE_LIMITED or DAILY_LIMIT: ms until a vote may pass
--   [3] replay_mark   'REPLAY': the receipt was stored by an earlier try

-- include: now.lua offset=ARGV[5]
local c = redis.call('HMGET', KEYS[1], 'opens_ms', 'closes_ms', 'sealed', 'max_day',
  'max_nominee_day', 'ip_t_ms', 'ip_burst', 'withdrawn')
if not c[1] then return {0, 'NO_SESSION'} end
if now < tonumber(c[1]) then return {0, 'NOT_OPEN'} end
if now >= tonumber(c[2]) or c[3] then return {0, 'CLOSED'} end
local max_day = tonumber(c[4])
local rk = 'r:' .. ARGV[4]
local v = redis.call('HMGET', KEYS[3], 'd', '_n', ARGV[1], rk)
if v[4] then return {1, v[4], max_day - tonumber(v[2] or 0), 'REPLAY'} end
local T = tonumber(c[6])
local tat = math.max(tonumber(redis.call('GET', KEYS[4]) or now), now) + T
local wait = tat - T * tonumber(c[7]) - now
if wait > 0 then return {0, 'RATE_LIMITED', math.ceil(wait)} end
redis.call('SET', KEYS[4], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return {0, 'BAD_NOMINEE'} end
-- A nominee withdrawn during the vote (setup.lua's `withdrawn`) takes no new vote.
if c[8] and string.find(' ' .. c[8] .. ' ', ' ' .. ARGV[1] .. ' ', 1, true) then
  return {0, 'WITHDRAWN'}
end
local day = math.floor((now + 28800000) / 86400000)
local fresh = not v[1] or tonumber(v[1]) ~= day
local nn, dn = 0, 0
if not fresh then nn, dn = tonumber(v[3] or 0), tonumber(v[2] or 0) end
if nn >= tonumber(c[5]) then return {0, 'NOMINEE_LIMIT'} end
if dn >= max_day then return {0, 'DAILY_LIMIT', (day + 1) * 86400000 - 28800000 - now} end
if v[1] and fresh then redis.call('DEL', KEYS[3]) end
local id = redis.pcall('XADD', KEYS[6], now .. '-*', 'n', ARGV[1], 'r', ARGV[4],
  'v', ARGV[2], 'ip', ARGV[3])
if type(id) == 'table' and id.err then
  local top = redis.call('XREVRANGE', KEYS[6], '+', '-', 'COUNT', 1)[1][1]
  id = redis.call('XADD', KEYS[6], string.match(top, '^%d+') .. '-*', 'n', ARGV[1],
    'r', ARGV[4], 'v', ARGV[2], 'ip', ARGV[3])
end
redis.call('HSET', KEYS[3], 'd', day, '_n', dn + 1, ARGV[1], nn + 1, rk, id)
if fresh then redis.call('PEXPIREAT', KEYS[3], tonumber(c[2]) - tonumber(ARGV[5]) + 86400000) end
redis.call('HINCRBY', KEYS[5], ARGV[1], 1)
return {1, id, max_day - dn - 1}
