--[[
  Whether a delivery to an endpoint may go now. Nothing on record: pass, clean. Gone: give up.
  Closed: pass. Open: wait. Cooldown over: one probe passes (another after a minute without an
  answer), the others wait.

  KEYS[1]  the endpoint's breaker hash
  ARGV[1]  now (ms since epoch)

  Returns {verdict, retryAt, clean}: verdict 1 pass, 0 wait until retryAt, 2 gone; clean is 1 when
  no failure is on record.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return {1, 0, 1} end
if redis.call('HEXISTS', KEYS[1], 'gone') == 1 then return {2, 0, 0} end
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if openUntil == 0 then return {1, 0, 0} end
local now = tonumber(ARGV[1])
if now < openUntil then return {0, openUntil, 0} end
if redis.call('HSETNX', KEYS[1], 'probe', ARGV[1]) == 1 then return {1, 0, 0} end
local probeAt = tonumber(redis.call('HGET', KEYS[1], 'probe'))
if now - probeAt > 60000 then
  redis.call('HSET', KEYS[1], 'probe', ARGV[1])
  return {1, 0, 0}
end
return {0, now + 5000, 0}
