--[[
  Counts a failed delivery to an endpoint and opens its circuit once the count of consecutive
  failures reaches the threshold (or on any failure while half-open). A failure of a try that was
  in flight when the circuit opened does not open it again.

  KEYS[1]  the endpoint's breaker hash
  ARGV[1]  threshold: consecutive failures that open the circuit
  ARGV[2]  now (ms since epoch)
  ARGV[3]  base cooldown (ms)
  ARGV[4]  longest cooldown (ms)

  Returns 1 when this failure opened the circuit, else 0.
]]
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if openUntil > tonumber(ARGV[2]) then return 0 end
local threshold = tonumber(ARGV[1])
if failures >= threshold then
  local opens = redis.call('HINCRBY', KEYS[1], 'opens', 1)
  local cooldown = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ (opens - 1))
  redis.call('HSET', KEYS[1], 'openUntil', tonumber(ARGV[2]) + cooldown)
  redis.call('HDEL', KEYS[1], 'probe')
  return 1
end
return 0
