-- SPDX-License-Identifier: MIT
-- The snapshot's sealing step alone (seal_extent.lua): seals the session
-- when its window has closed and reports the log's extent and the stored
-- digest, for the log views.
--
-- KEYS: 1 cfg   v:{S}:cfg, the session (hash, setup.lua)
--       2 log   v:{S}:log, the vote log (stream)
-- ARGV: 1 offset_ms   the instance's clock offset (now.lua)
-- reply: {0} or {1, sealed, xlen, last, log_entries|'', log_sha256|''}
--   [0] found         1, or 0 when there is no such session
--   [1] sealed        1 or 0
--   [2] xlen          the log's length
--   [3] last_id       the log's last stream id, '0-0' when empty
--   [4] log_entries   the stored digest's entry count, '' when none
--   [5] log_sha256    the stored digest, '' when none

-- include: now.lua offset=ARGV[1]
local c = redis.call('HMGET', KEYS[1], 'closes_ms', 'sealed', 'log_entries', 'log_sha256')
if not c[1] then return {0} end
-- include: seal_extent.lua log=KEYS[2]
return {1, sealed and 1 or 0, xlen, last, c[3] or '', c[4] or ''}
