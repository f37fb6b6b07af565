-- SPDX-License-Identifier: MIT
-- Backfills the closes index (v:sessions:closes, list.lua) from the set of
-- every session, and the cfg `title` of sessions set up before setup.lua
-- kept it (taken from the stored doc). Idempotent: run at every start-up;
-- a session already indexed is written with the same score. Reads the
-- undeclared v:{S}:cfg keys: standalone Redis or Sentinel only (setup.lua).
--
-- KEYS: 1 sessions   v:sessions, every session id ever set up (set)
--       2 closes     v:sessions:closes, session ids by closes_ms (zset)
-- ARGV: none
-- reply: an integer, the number of sessions indexed

local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local cfg = 'v:{' .. id .. '}:cfg'
  local c = redis.call('HMGET', cfg, 'closes_ms', 'title')
  if c[1] then
    redis.call('ZADD', KEYS[2], c[1], id)
    if not c[2] then
      local doc = redis.call('HGET', cfg, 'doc')
      if doc then redis.call('HSET', cfg, 'title', cjson.decode(doc).title) end
    end
    n = n + 1
  end
end
return n
