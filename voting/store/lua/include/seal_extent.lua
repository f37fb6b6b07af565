-- SPDX-License-Identifier: MIT
-- Shared by snapshot.lua and seal.lua: seals the session once its window
-- has closed, then reads the log's length and last id. Expects `now`
-- (now.lua) and `c`, HMGET of KEYS[1] with c[1] closes_ms and c[2] sealed;
-- sets `sealed`, `xlen` and `last` ('0-0' when the log is empty).
-- Parameter: log, the KEYS entry of the log stream.
local sealed = c[2]
if not sealed and now >= tonumber(c[1]) then
  redis.call('HSET', KEYS[1], 'sealed', 1)
  sealed = '1'
end
local xlen = redis.call('XLEN', ${log})
local last = '0-0'
if xlen > 0 then last = redis.call('XREVRANGE', ${log}, '+', '-', 'COUNT', 1)[1][1] end
