--[[
  Claims watches of a story for an alert on one sink: a watch not claimed before becomes the
  alert's; one the same alert claimed earlier stays its own (a retried job gets the same answer).
  Claims are made in order, so of two alerts of one story in one call the first wins.

  KEYS[k]  claim k's hash: watch id -> the alert id that claimed it, per story and sink
  ARGV[1]  how long a claims hash is kept after its last claim (ms)
  ARGV[2…] per claim: its alert id, how many watch ids follow, the watch ids

  Returns per claim {alertedBefore, watch ids that are the alert's…}: alertedBefore is 1 when
  another alert claimed anything in the hash before.
]]
local ttl, at, out = ARGV[1], 2, {}
for k = 1, #KEYS do
  local key, alertId, n = KEYS[k], ARGV[at], tonumber(ARGV[at + 1])
  local before = 0
  for _, owner in ipairs(redis.call('HVALS', key)) do
    if owner ~= alertId then
      before = 1
      break
    end
  end
  local mine = {before}
  for i = at + 2, at + 1 + n do
    local w = ARGV[i]
    local owner = redis.call('HGET', key, w)
    if not owner then
      redis.call('HSET', key, w, alertId)
      mine[#mine + 1] = w
    elseif owner == alertId then
      mine[#mine + 1] = w
    end
  end
  redis.call('PEXPIRE', key, ttl)
  out[k] = mine
  at = at + 2 + n
end
return out
