--[[
  Appends a job's items to the backtest stream, capped by count and by age, in one call (a MULTI
  of XADDs costs a command object and a reply apiece). An item older than the stream's newest
  entry (clock skew between workers) takes that entry's time, keeping its own `at` in the body,
  rather than failing the job.

  KEYS[1]  the backtest stream
  ARGV[1]  MAXLEN (approximate)
  ARGV[2]  MINID: entries older than this time (ms) are trimmed
  ARGV[3], ARGV[4], …  per item: its time (ms), then its body (JSON)

  Returns the number of items added, or the first XADD error other than an id in the past.
]]
local key, maxLen = KEYS[1], ARGV[1]
local function add(id, body) return redis.pcall('XADD', key, 'MAXLEN', '~', maxLen, id, 'e', body) end
for i = 3, #ARGV, 2 do
  local added = add(ARGV[i] .. '-*', ARGV[i + 1])
  if type(added) == 'table' and added.err then
    if not string.find(added.err, 'equal or smaller', 1, true) then return added end
    local top = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)[1]
    added = add(top and (string.match(top[1], '^%d+') .. '-*') or '*', ARGV[i + 1])
    if type(added) == 'table' and added.err then return added end
  end
end
redis.call('XTRIM', key, 'MINID', '~', ARGV[2])
return #ARGV / 2 - 1
