-- SPDX-License-Identifier: MIT
-- Stores the log's digest once (the first writer wins) and, for the final
-- tally, marks the session final_posted; answers the digest as stored.
--
-- KEYS: 1 cfg   v:{S}:cfg, the session (hash, setup.lua)
-- ARGV: 1 entries   the number of log entries the digest covers
--       2 sha256    the digest (hex)
--       3 final     '1' also sets final_posted
-- reply: {0} or {1, log_entries, log_sha256}
--   [0] found         1, or 0 when there is no such session
--   [1] log_entries   as stored
--   [2] log_sha256    as stored

if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
if redis.call('HEXISTS', KEYS[1], 'log_sha256') == 0 then
  redis.call('HSET', KEYS[1], 'log_entries', ARGV[1], 'log_sha256', ARGV[2])
end
if ARGV[3] == '1' then redis.call('HSET', KEYS[1], 'final_posted', 1) end
local d = redis.call('HMGET', KEYS[1], 'log_entries', 'log_sha256')
return {1, d[1], d[2]}
