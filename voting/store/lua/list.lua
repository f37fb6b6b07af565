-- SPDX-License-Identifier: MIT
-- One page of GET /v1/sessions. Walks the closes index from the cursor:
-- upwards from now for open and scheduled sessions (soonest closing
-- first), downwards from now for closed ones (latest closing first); equal
-- closes_ms are ordered by id, so (closes_ms, id) is the keyset and a page
-- stays put while sessions are added. A session's state is the rule of
-- vote_session_state (sealed or now >= closes_ms: closed; now < opens_ms:
-- scheduled; else open) on the service's clock. At most scan_max index
-- entries are examined per call: a page may then hold fewer than `limit`
-- items and still carry a next position. Reads the undeclared v:{S}:cfg
-- keys: standalone Redis or Sentinel only (see setup.lua).
--
-- KEYS: 1 closes   v:sessions:closes, session ids by closes_ms (zset)
-- ARGV: 1 offset_ms   the instance's clock offset (now.lua)
--       2 mode        'o' open, 's' scheduled, 'a' open and scheduled, 'c' closed
--       3 limit       items per page (1..)
--       4 after_ms    the cursor's closes_ms ('' on the first page)
--       5 after_id    the cursor's session id ('' on the first page)
--       6 scan_max    index entries examined at most
-- reply: {now, next_ms, next_id, items}
--   [0] now       the clock (now.lua), ms
--   [1] next_ms   where the next page starts (closes_ms), '' when this is the last page
--   [2] next_id   with next_ms: the id there, '' when this is the last page
--   [3] items     {{id, round_id, title, opens_ms, closes_ms, sealed}, ...}, sealed 1 or 0

-- include: now.lua offset=ARGV[1]
local mode, limit, scan_max = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[6])
local after_ms, after_id = tonumber(ARGV[4]), ARGV[5]
local desc = mode == 'c'
local bound, skip_ms
if desc then
  if after_ms and after_ms <= now then bound, skip_ms = after_ms, after_ms
  else bound = string.format('%d', now) end
else
  if after_ms and after_ms > now then bound, skip_ms = after_ms, after_ms
  else bound = '(' .. string.format('%d', now) end
end
local items, seen, offset = {}, 0, 0
local last_ms, last_id = '', ''
while true do
  local batch
  if desc then
    batch = redis.call('ZREVRANGEBYSCORE', KEYS[1], bound, '-inf', 'WITHSCORES', 'LIMIT', offset, 100)
  else
    batch = redis.call('ZRANGEBYSCORE', KEYS[1], bound, '+inf', 'WITHSCORES', 'LIMIT', offset, 100)
  end
  if #batch == 0 then return {now, '', '', items} end
  offset = offset + #batch / 2
  for i = 1, #batch, 2 do
    local id, ms = batch[i], tonumber(batch[i + 1])
    local passed = ms == skip_ms and ((desc and id >= after_id) or (not desc and id <= after_id))
    if not passed then
      local cfg = 'v:{' .. id .. '}:cfg'
      local c = redis.call('HMGET', cfg, 'round_id', 'title', 'opens_ms', 'closes_ms', 'sealed')
      if c[3] and c[4] then
        local state = 'o'
        if c[5] or now >= tonumber(c[4]) then state = 'c'
        elseif now < tonumber(c[3]) then state = 's' end
        if state == mode or (mode == 'a' and state ~= 'c') then
          if #items == limit then return {now, last_ms, last_id, items} end
          local title = c[2] or cjson.decode(redis.call('HGET', cfg, 'doc')).title
          items[#items + 1] = {id, c[1], title, c[3], c[4], c[5] and 1 or 0}
        end
      end
    end
    last_ms, last_id = ms, id
    seen = seen + 1
    if seen >= scan_max then return {now, ms, id, items} end
  end
end
