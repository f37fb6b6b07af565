-- SPDX-License-Identifier: MIT
-- The tally poster's view of a session, in one atomic step: seals it first
-- when the window has closed (seal_extent.lua), takes the next post
-- sequence number (the last one again once the final tally was posted),
-- and reads the counts and the log's extent together, so the counts equal
-- the log entries up to the last id.
--
-- KEYS: 1 cfg     v:{S}:cfg, the session (hash, setup.lua)
--       2 tally   v:{S}:tally, votes per nominee (hash)
--       3 log     v:{S}:log, the vote log (stream)
--       4 seq     v:{S}:seq, the post sequence number
--       5 nom     v:{S}:nom, the session's nominee ids (set)
-- ARGV: 1 offset_ms   the instance's clock offset (now.lua)
-- reply: {0} or {1, seq, sealed, final_posted, now, xlen, last, counts}
--   [0] found          1, or 0 when there is no such session
--   [1] seq            the post sequence number
--   [2] sealed         1 or 0
--   [3] final_posted   1 or 0
--   [4] now            the clock (now.lua), ms
--   [5] xlen           the log's length
--   [6] last_id        the log's last stream id, '0-0' when empty
--   [7] counts         {nominee, count, ...}, every nominee, 0s included

-- include: now.lua offset=ARGV[1]
local c = redis.call('HMGET', KEYS[1], 'closes_ms', 'sealed', 'final_posted')
if not c[1] then return {0} end
-- include: seal_extent.lua log=KEYS[3]
local seq
if c[3] then seq = tonumber(redis.call('GET', KEYS[4]) or 0)
else seq = redis.call('INCR', KEYS[4]) end
local counts = {}
for _, n in ipairs(redis.call('SMEMBERS', KEYS[5])) do
  counts[#counts + 1] = n
  counts[#counts + 1] = tonumber(redis.call('HGET', KEYS[2], n) or 0)
end
return {1, seq, sealed and 1 or 0, c[3] and 1 or 0, now, xlen, last, counts}
