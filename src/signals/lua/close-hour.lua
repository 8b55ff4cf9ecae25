--[[
  Closes an hour of a watch's mention counts and reads its baseline. The hour's open count is
  summed into a ring of 32-bit slots, one per hour of a few weeks: the high 16 bits stamp the hour
  (hour number mod 65536), the low 16 bits hold the count (capped at 65535). A slot whose stamp is
  not its hour's is unknown (never closed, or overwritten). Closing an hour twice finds its slot
  stamped and leaves it as it is, so the answer does not change.

  KEYS[1]  the hour's open count (hash, per job a field)
  KEYS[2]  the ring (string)
  ARGV[1]  the hour (hours since the epoch)
  ARGV[2]  slots in the ring
  ARGV[3]  hours between baseline hours (a week), ARGV[4] baseline hours to read
  ARGV[5]  time to live of the ring (ms)

  Returns {count, past...}: per baseline hour (a week back, two weeks back, ...) its count, or -1.
]]
local hour, slots, step, weeks = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local function read(h)
  local v = redis.call('BITFIELD', KEYS[2], 'GET', 'u32', '#' .. (h % slots))[1]
  if math.floor(v / 65536) == h % 65536 then return v % 65536 end
  return -1
end

local count = read(hour)
if count < 0 then
  count = 0
  for _, n in ipairs(redis.call('HVALS', KEYS[1])) do count = count + tonumber(n) end
  count = math.min(count, 65535)
  redis.call('BITFIELD', KEYS[2], 'SET', 'u32', '#' .. (hour % slots), (hour % 65536) * 65536 + count)
  redis.call('DEL', KEYS[1])
end
redis.call('PEXPIRE', KEYS[2], ARGV[5])
local out = {count}
for k = 1, weeks do out[#out + 1] = read(hour - k * step) end
return out
