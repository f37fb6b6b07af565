-- SPDX-License-Identifier: MIT
-- Sets a session up, or changes it while that is still allowed. Before the
-- window opens the session may be replaced at will (the nominees too).
-- Once opened, only an identical doc (which leaves out closes_at) with the
-- same or an earlier closes_ms >= now is accepted: closing early is the
-- one change left. The cfg hash holds round_id, opens_ms, closes_ms,
-- max_day, max_nominee_day, ip_t_ms, ip_burst, show_counts, doc,
-- created_ms and updated_ms; later sealed, log_entries, log_sha256 and
-- final_posted (seal_extent.lua, digest.lua).
--
-- KEYS: 1 cfg        v:{S}:cfg, the session (hash)
--       2 nom        v:{S}:nom, the session's nominee ids (set)
--       3 sessions   v:sessions, every session id ever set up (set)
-- ARGV: 1 offset_ms        the instance's clock offset (now.lua)
--       2 session_id
--       3 round_id
--       4 opens_ms
--       5 closes_ms
--       6 max_day          votes per voter per day
--       7 max_nominee_day  votes per voter per nominee per day
--       8 ip_t_ms          per-IP GCRA: ms between votes
--       9 ip_burst         per-IP GCRA: burst
--       10 show_counts     '1' or '0'
--       11 doc             the session document (JSON) the API serves
--       12.. nominee_ids   one argument each
-- reply: {1, result} or {0, 'LOCKED'}
--   [0] ok       1 done, 0 refused
--   [1] result   CREATED, REPLACED, UNCHANGED or CLOSED_EARLY; or LOCKED

-- include: now.lua offset=ARGV[1]
local c = redis.call('HMGET', KEYS[1], 'opens_ms', 'closes_ms', 'doc')
if c[1] and now >= tonumber(c[1]) then
  if c[3] ~= ARGV[11] then return {0, 'LOCKED'} end
  local old, new = tonumber(c[2]), tonumber(ARGV[5])
  if new == old then return {1, 'UNCHANGED'} end
  if new < old and new >= now then
    redis.call('HSET', KEYS[1], 'closes_ms', ARGV[5], 'updated_ms', now)
    return {1, 'CLOSED_EARLY'}
  end
  return {0, 'LOCKED'}
end
local result = 'CREATED'
if c[1] then
  if c[3] == ARGV[11] and c[1] == ARGV[4] and c[2] == ARGV[5] then
    return {1, 'UNCHANGED'}
  end
  result = 'REPLACED'
end
redis.call('DEL', KEYS[2])
for i = 12, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'round_id', ARGV[3], 'opens_ms', ARGV[4], 'closes_ms', ARGV[5],
  'max_day', ARGV[6], 'max_nominee_day', ARGV[7], 'ip_t_ms', ARGV[8], 'ip_burst', ARGV[9],
  'show_counts', ARGV[10], 'doc', ARGV[11], 'updated_ms', now)
if result == 'CREATED' then redis.call('HSET', KEYS[1], 'created_ms', now) end
redis.call('SADD', KEYS[3], ARGV[2])
return {1, result}
