-- SPDX-License-Identifier: MIT
-- Reads a session as the public views need it, in one round trip: its
-- window, flags, document, the stored log digest and the tally.
--
-- KEYS: 1 cfg     v:{S}:cfg, the session (hash, setup.lua)
--       2 tally   v:{S}:tally, votes per nominee (hash)
-- ARGV: 1 offset_ms   the instance's clock offset (now.lua)
-- reply: {0} or {1, now, opens_ms, closes_ms, sealed, show_counts, doc,
--        log_entries|'', log_sha256|'', tally, withdrawn}
--   [0] found         1, or 0 when there is no such session
--   [1] now           the clock (now.lua), ms
--   [2] opens_ms
--   [3] closes_ms
--   [4] sealed        1 or 0
--   [5] show_counts   '1' or '0'
--   [6] doc           the session document (JSON)
--   [7] log_entries   the stored digest's entry count, '' when none
--   [8] log_sha256    the stored digest, '' when none
--   [9] tally         {nominee, count, ...} (HGETALL of the tally)
--   [10] withdrawn    the withdrawn nominee ids, space-separated ('' when none)

-- include: now.lua offset=ARGV[1]
local c = redis.call('HMGET', KEYS[1], 'opens_ms', 'closes_ms', 'sealed', 'show_counts',
  'doc', 'log_entries', 'log_sha256', 'withdrawn')
if not c[1] then return {0} end
return {1, now, c[1], c[2], c[3] and 1 or 0, c[4], c[5], c[6] or '', c[7] or '',
  redis.call('HGETALL', KEYS[2]), c[8] or ''}
