-- SPDX-License-Identifier: MIT
-- The tally poster's lock: one instance posts at a time. Takes the lock
-- when it is free, extends it when this instance holds it.
--
-- KEYS: 1 poster   v:poster, the holder's instance id (string, PX ttl)
-- ARGV: 1 instance_id
--       2 ttl_ms
-- reply: an integer, 1 when this instance holds the lock, else 0

local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
