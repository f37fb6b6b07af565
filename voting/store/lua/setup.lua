-- SPDX-License-Identifier: MIT
-- Sets a session up, or changes it while that is still allowed. Before the
-- window opens the session may be replaced at will (the nominees too).
-- Once opened, the doc (which leaves out closes_at and the withdrawals)
-- must stay identical; two changes are left: closing early (the same or an
-- earlier closes_ms >= now) and withdrawing nominees (a nominee disqualified
-- or withdrawn during the vote). Withdrawals only grow: a withdrawn nominee
-- never comes back, and withdrawing is allowed after the close too (it only
-- marks the nominee in the public views). The cfg hash holds round_id,
-- opens_ms, closes_ms, max_day, max_nominee_day, ip_t_ms, ip_burst,
-- show_counts, doc, withdrawn, created_ms and updated_ms; later sealed,
-- log_entries, log_sha256 and final_posted (seal_extent.lua, digest.lua).
-- It also keeps `title` (from the doc, for the list) and the session's
-- entry in the closes index (list.lua) whenever closes_ms is written.
--
-- Cluster: KEYS[3] and KEYS[4] are not under the session's hash tag, so
-- this script (like list.lua and index.lua) needs a standalone Redis or
-- Sentinel, where every key lives on one node; Redis Cluster would refuse
-- it with CROSSSLOT.
--
-- KEYS: 1 cfg        v:{S}:cfg, the session (hash)
--       2 nom        v:{S}:nom, the session's nominee ids (set)
--       3 sessions   v:sessions, every session id ever set up (set)
--       4 closes     v:sessions:closes, session ids by closes_ms (zset, list.lua)
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
--       12 withdrawn       the withdrawn nominee ids, space-separated ('' for none)
--       13.. nominee_ids   one argument each
-- reply: {1, result} or {0, 'LOCKED'}
--   [0] ok       1 done, 0 refused
--   [1] result   CREATED, REPLACED, UNCHANGED, CLOSED_EARLY or WITHDRAWN; or LOCKED

-- include: now.lua offset=ARGV[1]
local c = redis.call('HMGET', KEYS[1], 'opens_ms', 'closes_ms', 'doc', 'withdrawn')
if c[1] and now >= tonumber(c[1]) then
  if c[3] ~= ARGV[11] then return {0, 'LOCKED'} end
  -- Every nominee withdrawn before must still be; more may be.
  local old_w, new_w = {}, {}
  for id in string.gmatch(c[4] or '', '%S+') do old_w[id] = true end
  for id in string.gmatch(ARGV[12], '%S+') do new_w[id] = true end
  local grows = false
  for id in pairs(old_w) do if not new_w[id] then return {0, 'LOCKED'} end end
  for id in pairs(new_w) do
    if not old_w[id] then
      if redis.call('SISMEMBER', KEYS[2], id) == 0 then return {0, 'LOCKED'} end
      grows = true
    end
  end
  local old, new = tonumber(c[2]), tonumber(ARGV[5])
  local early = new < old and new >= now
  if new ~= old and not early then return {0, 'LOCKED'} end
  if grows then redis.call('HSET', KEYS[1], 'withdrawn', ARGV[12], 'updated_ms', now) end
  if early then
    redis.call('HSET', KEYS[1], 'closes_ms', ARGV[5], 'updated_ms', now)
    redis.call('ZADD', KEYS[4], ARGV[5], ARGV[2])
    return {1, 'CLOSED_EARLY'}
  end
  if grows then return {1, 'WITHDRAWN'} end
  return {1, 'UNCHANGED'}
end
local result = 'CREATED'
if c[1] then
  if c[3] == ARGV[11] and c[1] == ARGV[4] and c[2] == ARGV[5] and (c[4] or '') == ARGV[12] then
    return {1, 'UNCHANGED'}
  end
  result = 'REPLACED'
end
redis.call('DEL', KEYS[2])
for i = 13, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'round_id', ARGV[3], 'opens_ms', ARGV[4], 'closes_ms', ARGV[5],
  'max_day', ARGV[6], 'max_nominee_day', ARGV[7], 'ip_t_ms', ARGV[8], 'ip_burst', ARGV[9],
  'show_counts', ARGV[10], 'doc', ARGV[11], 'withdrawn', ARGV[12], 'updated_ms', now,
  'title', cjson.decode(ARGV[11]).title)
if result == 'CREATED' then redis.call('HSET', KEYS[1], 'created_ms', now) end
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[2])
return {1, result}
