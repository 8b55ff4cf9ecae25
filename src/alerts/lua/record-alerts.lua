--[[
  Records raised alerts as queued, each once (a retried items job raises the same ids and changes
  nothing), then forgets the alerts raised before the retention and those past the count cap,
  oldest first, a bounded number per call (the rest on the next calls).

  KEYS[1]  the index: a sorted set of alert ids, scored by when they were raised (ms)
  KEYS[2]  the alerts hash: alert id -> the alert (JSON: webhook, raised at, payload)
  KEYS[3]  the states hash: alert id -> its delivery state (JSON)
  ARGV[1]  the oldest raise time kept (ms)
  ARGV[2]  how many alerts are kept at most
  ARGV[3]  how many alerts one call forgets at most
  ARGV[4]  the delivery state of a new alert (JSON)
  ARGV[5…] per alert: its id, when it was raised (ms), the alert (JSON)

  Returns {recorded, forgotten}.
]]
local index, alerts, states = KEYS[1], KEYS[2], KEYS[3]
local recorded = 0
for i = 5, #ARGV, 3 do
  local id = ARGV[i]
  if redis.call('HSETNX', alerts, id, ARGV[i + 2]) == 1 then
    redis.call('HSET', states, id, ARGV[4])
    redis.call('ZADD', index, ARGV[i + 1], id)
    recorded = recorded + 1
  end
end

local function forget(ids)
  for _, id in ipairs(ids) do
    redis.call('ZREM', index, id)
    redis.call('HDEL', alerts, id)
    redis.call('HDEL', states, id)
  end
  return #ids
end

local budget = tonumber(ARGV[3])
local forgotten = forget(redis.call('ZRANGEBYSCORE', index, '-inf', '(' .. ARGV[1], 'LIMIT', 0, budget))
local over = math.min(redis.call('ZCARD', index) - tonumber(ARGV[2]), budget - forgotten)
if over > 0 then forgotten = forgotten + forget(redis.call('ZRANGE', index, 0, over - 1)) end
return {recorded, forgotten}
