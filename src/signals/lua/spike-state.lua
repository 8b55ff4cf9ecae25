--[[
  Moves a watch's spike state for one webhook to what an hour's evaluation found, once: hours are
  decided in order, an hour older than the last one decided is ignored, and deciding the hour of
  the last change again returns that change again (a retried or raced evaluation).

  KEYS[1]  the watch's spike states: a hash, per webhook '<on>\t<spike start hour>\t<hour of the
           last change>\t<last hour decided>'
  ARGV[1]  the webhook, ARGV[2] the hour
  ARGV[3]  '1' when the hour starts a spike (none is on), else '0'
  ARGV[4]  '1' when the hour carries on a spike (one is on), else '0'
  ARGV[5]  time to live of the hash (ms)

  Returns {changed, on, start}: changed 1 when the hour starts or ends a spike; the state after it.
]]
local field, hour = ARGV[1], tonumber(ARGV[2])
local v = redis.call('HGET', KEYS[1], field)
local on, start, changed, decided = 0, -1, -1, -1
if v then
  local a, b, c, d = string.match(v, '^(%d)\t(-?%d+)\t(-?%d+)\t(-?%d+)$')
  on, start, changed, decided = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
end
if hour == changed then return {1, on, start} end
local spiking = tonumber(on == 1 and ARGV[4] or ARGV[3])
if hour <= decided or spiking == on then
  if hour > decided then
    redis.call('HSET', KEYS[1], field, on .. '\t' .. start .. '\t' .. changed .. '\t' .. hour)
    redis.call('PEXPIRE', KEYS[1], ARGV[5])
  end
  return {0, on, start}
end
if spiking == 1 then start = hour end
redis.call('HSET', KEYS[1], field, spiking .. '\t' .. start .. '\t' .. hour .. '\t' .. hour)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, spiking, start}
