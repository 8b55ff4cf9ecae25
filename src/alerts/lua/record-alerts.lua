--[[
  Records raised alerts as queued, each once (a retried items job raises the same ids and changes
  nothing), then forgets the alerts raised before the retention and those past the count cap,
  oldest first.

  KEYS[1]  the index: a sorted set of alert ids, scored by when they were raised (ms)
  KEYS[2]  the alerts hash: alert id -> the alert (JSON: webhook, raised at, payload)
  KEYS[3]  the states hash: alert id -> its delivery state (JSON)
  ARGV[1]  the oldest raise time kept (ms)
  ARGV[2]  how many alerts are kept at most
  ARGV[3]  the delivery state of a new alert (JSON)
  ARGV[4…] per alert: its id, when it was raised (ms), the alert (JSON)

  Returns {recorded, forgotten}.
]]
local index, alerts, states = KEYS[1], KEYS[2], KEYS[3]
local recorded = 0
for i = 4, #ARGV, 3 do
  local id = ARGV[i]
  if redis.call('HSETNX', alerts, id, ARGV[i + 2]) == 1 then
    redis.call('HSET', states, id, ARGV[3])
    redis.call('ZADD', index, ARGV[i + 1], id)
    recorded = recorded + 1
  end
end

local function forget(ids)
  for _, id in ipairs(ids) do
    redis.call('HDEL', alerts, id)
    redis.call('HDEL', states, id)
  end
  return #ids
end

local cutoff = '(' .. ARGV[1]
local forgotten = forget(redis.call('ZRANGEBYSCORE', index, '-inf', cutoff))
redis.call('ZREMRANGEBYSCORE', index, '-inf', cutoff)
local over = redis.call('ZCARD', index) - tonumber(ARGV[2])
if over > 0 then
  local popped, ids = redis.call('ZPOPMIN', index, over), {}
  for i = 1, #popped, 2 do ids[#ids + 1] = popped[i] end
  forgotten = forgotten + forget(ids)
end
return {recorded, forgotten}
