--[[
  Changes the delivery state of alerts still on record; an alert already forgotten (past the
  retention or the cap) is not brought back half-recorded.

  KEYS[1]  the states hash: alert id -> its delivery state (JSON)
  ARGV[1]  the change (JSON): `set` fields to set, `incr` field names to add one to
  ARGV[2…] the alert ids

  Returns how many of the alerts were on record.
]]
local change = cjson.decode(ARGV[1])
local found = 0
for i = 2, #ARGV do
  local stored = redis.call('HGET', KEYS[1], ARGV[i])
  if stored then
    local state = cjson.decode(stored)
    for name, value in pairs(change.set) do state[name] = value end
    for _, name in ipairs(change.incr) do state[name] = (state[name] or 0) + 1 end
    redis.call('HSET', KEYS[1], ARGV[i], cjson.encode(state))
    found = found + 1
  end
end
return found
