--[[
  Records that an outlet carried a story and claims the pickup thresholds the story has reached.
  A threshold is claimed once per story: by the first sighting that finds enough outlets within its
  window. A claim made earlier with the same signal id counts as this caller's, so a retried job
  gets the same answer again.

  KEYS[1]  the story's pickup hash: 't:' = the title of its first sighting, per outlet 'o:<outlet>' = '<time>\t<feed>\t<url>' (its first
           item), per watch the story matched 'w:<watch>' = '1', per claimed threshold 'f:<name>' =
           the signal id
  ARGV[1]  time of the sighting (ms since epoch)
  ARGV[2]  time to live of the hash (ms)
  ARGV[3]  outlet, ARGV[4] feed, ARGV[5] item URL ('' for none), ARGV[6] item title
  ARGV[7]  number of watches the item matched, then their ids
  then per claim: name, signal id, threshold, window (ms), number of watches (0: any), their ids

  Returns {claimed, entries}: per claim 1 (this caller's) or 0; the hash's title, outlet and watch
  fields and values, flat.
]]
local key, now = KEYS[1], tonumber(ARGV[1])
redis.call('HSETNX', key, 'o:' .. ARGV[3], ARGV[1] .. '\t' .. ARGV[4] .. '\t' .. ARGV[5])
redis.call('HSETNX', key, 't:', ARGV[6])
local at = 7
for i = 1, tonumber(ARGV[at]) do redis.call('HSET', key, 'w:' .. ARGV[at + i], '1') end
at = at + tonumber(ARGV[at]) + 1
redis.call('PEXPIRE', key, ARGV[2])

local all = redis.call('HGETALL', key)
local times, watched, entries = {}, {}, {}
for i = 1, #all, 2 do
  local kind = string.sub(all[i], 1, 2)
  if kind == 'o:' then
    times[#times + 1] = tonumber(string.match(all[i + 1], '^(%d+)'))
  elseif kind == 'w:' then
    watched[string.sub(all[i], 3)] = true
  end
  if kind ~= 'f:' then
    entries[#entries + 1] = all[i]
    entries[#entries + 1] = all[i + 1]
  end
end

local claimed = {}
while at <= #ARGV do
  local name, id, threshold, window, nw = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  local wanted = nw == 0
  for i = 1, nw do wanted = wanted or watched[ARGV[at + 4 + i]] == true end
  at = at + 5 + nw
  local outlets = 0
  for _, t in ipairs(times) do
    if t >= now - window and t <= now then outlets = outlets + 1 end
  end
  local mine = 0
  if wanted and outlets >= threshold then
    redis.call('HSETNX', key, 'f:' .. name, id)
    if redis.call('HGET', key, 'f:' .. name) == id then mine = 1 end
  end
  claimed[#claimed + 1] = mine
end
return {claimed, entries}
