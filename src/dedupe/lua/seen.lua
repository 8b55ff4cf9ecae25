--[[
  Looks up a feed's items in the seen store and, for 'check', records them as seen now.
  An entry is a 4-byte content digest and the 2-byte bucket it was last written in (a counter
  that wraps at 65536); an entry older than the window reads as absent.

  KEYS[1]  the first item's hash, which routes the call on a Redis Cluster. The other keys are built
           here: on a single Redis there are no slots to respect, and on a Cluster the caller sends
           one item a call, whose keys share its shard's hash tag.
  ARGV[1]  'check' (look up and record) or 'peek' (look up only)
  ARGV[2]  buckets before the current one that are still in the window
  ARGV[3]  the current bucket
  ARGV[4]  the key prefix before the shard
  ARGV[5]  the expiry of a hash written to (ms since epoch)
  ARGV[6]  one write in this many sweeps its hash of stale entries; a field's first byte picks which
  ARGV[7…] per item, four values: shard, hash within the shard, field, entry to write

  Returns one character per item: 0 new, 1 seen with the same content, 2 changed.
]]
local mode, older, cur, prefix = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local expireAt, sweepEvery = ARGV[5], tonumber(ARGV[6])

-- The content digest of a live entry, nil for a missing or stale one. An entry one bucket ahead is
-- live: another process, its clock a little ahead, wrote it just after a bucket began.
local function contentOf(v)
  if not v then return nil end
  local hi, lo = string.byte(v, 5, 6)
  local age = (cur - hi * 256 - lo) % 65536
  if age > older and age ~= 65535 then return nil end
  return string.sub(v, 1, 4)
end

local function sweep(key)
  local all, stale = redis.call('HGETALL', key), {}
  for i = 1, #all, 2 do
    if not contentOf(all[i + 1]) then stale[#stale + 1] = all[i] end
  end
  if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
end

local out = {}
for i = 7, #ARGV, 4 do
  local key, field, entry = prefix .. ARGV[i] .. '}:h' .. ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local v = redis.call('HGET', key, field)
  local old, content = contentOf(v), string.sub(entry, 1, 4)
  -- Written when new, changed, or last seen in an earlier bucket: retention counts from here.
  if mode == 'check' and v ~= entry then
    redis.call('HSET', key, field, entry)
    redis.call('PEXPIREAT', key, expireAt)
    if string.byte(field, 1) % sweepEvery == 0 then sweep(key) end
  end
  if not old then out[#out + 1] = '0'
  elseif old == content then out[#out + 1] = '1'
  else out[#out + 1] = '2' end
end
return table.concat(out)
