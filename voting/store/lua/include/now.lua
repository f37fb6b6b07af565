-- SPDX-License-Identifier: MIT
-- The clock of every script that reads one: `now` is Redis TIME in
-- milliseconds plus the instance's clock offset (the test clock's, clock.h;
-- 0 in production), so all instances agree on one clock on Redis's time
-- base. Parameter: offset, the ARGV entry holding the offset in ms.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(${offset})
