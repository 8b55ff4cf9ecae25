--[[
  Joins each item to a story, in order (a copy later in the call joins a story started earlier in
  it): the story of an index entry for its canonical URL, or else the story that at least minVotes
  of its bands point to (fingerprint bands and lead-sentence sketch bands vote alike); else the item starts a story of its own. Records the item in
  its story, and indexes the URL (always) and the bands (of a new story). Index keys, and the record
  of a story being joined, are built here: they share the records' hash tag, so they live on the
  same cluster node, and a full key name per band would make the request several times larger.
  An index entry is a story id (6 bytes) and the tick it was written in (2 bytes, wrapping at 65536).

  KEYS[k]  item k's record, should it start a story
  ARGV[1]  index key prefix (a shard number follows)
  ARGV[2]  record key prefix (a story id in hex follows)
  ARGV[3]  minVotes: bands that must agree on a story for a join
  ARGV[4]  the window, in ticks: older entries are ignored
  ARGV[5]  one band write in this many sweeps its hash (divides 256)
  ARGV[6…] per item, the same number of values: has a URL ('1' or '0'), URL shard, URL field,
           tick (2 bytes), index expiry, record expiry (ms since epoch), id of a story it would
           start (6 bytes), title, time seen, outlet field, outlet value, and its bands (those of
           the fingerprint, then those of the lead-sentence sketches) packed in one string: per band its 2-byte field, the count of its shard's decimal digits (1 byte),
           then those digits

  Returns per item its story id (6 bytes) and 1 (started) or 0 (joined).
]]
local idx, rec, minVotes, maxAge, sweepEvery = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local perItem = (#ARGV - 5) / #KEYS
local function u16(s, at) local hi, lo = string.byte(s, at, at + 1) return hi * 256 + lo end
local function live(v, tick) return v and (tick - u16(v, 7)) % 65536 <= maxAge end
local function write(key, field, value, expireAt)
  redis.call('HSET', key, field, value)
  redis.call('PEXPIREAT', key, expireAt)
end
local function sweep(key, tick)
  local all, stale = redis.call('HGETALL', key), {}
  for i = 1, #all, 2 do
    if not live(all[i + 1], tick) then stale[#stale + 1] = all[i] end
  end
  if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
end

-- a: the item's values, in the order of the header.
local function assign(record, a)
  local tickBytes, expireAt, packed = a[4], a[5], a[12]
  local tick = u16(tickBytes, 1)
  local urlKey = a[1] == '1' and idx .. a[2]
  local found
  if urlKey then
    local v = redis.call('HGET', urlKey, a[3])
    if live(v, tick) then found = string.sub(v, 1, 6) end
  end
  -- Band fields and keys, read here and written below for a new story.
  local fields, keys = {}, {}
  if not found then
    local votes, best, bestVotes, at = {}, nil, 0, 1
    while at < #packed do
      local digits = string.byte(packed, at + 2)
      local field, key = string.sub(packed, at, at + 1), idx .. string.sub(packed, at + 3, at + 2 + digits)
      at = at + 3 + digits
      fields[#fields + 1], keys[#keys + 1] = field, key
      local v = redis.call('HGET', key, field)
      if live(v, tick) then
        local id = string.sub(v, 1, 6)
        local n = (votes[id] or 0) + 1
        votes[id] = n
        if n > bestVotes then best, bestVotes = id, n end
      end
    end
    if bestVotes >= minVotes then found = best end
  end
  local id = found or a[7]
  if urlKey then write(urlKey, a[3], id .. tickBytes, expireAt) end
  if found then record = rec .. string.format(string.rep('%02x', 6), string.byte(found, 1, 6)) end
  redis.call('HSETNX', record, a[10], a[11])
  redis.call('PEXPIREAT', record, a[6])
  if found then return found, 0 end
  local entry = id .. tickBytes
  for b = 1, #keys do
    write(keys[b], fields[b], entry, expireAt)
    -- The field's low byte picks the writes that sweep.
    if string.byte(fields[b], 2) % sweepEvery == 0 then sweep(keys[b], tick) end
  end
  redis.call('HSETNX', record, 'title', a[8])
  redis.call('HSETNX', record, 'first', a[9])
  return id, 1
end

local out = {}
for k = 1, #KEYS do
  local from = 5 + (k - 1) * perItem
  local id, started = assign(KEYS[k], {unpack(ARGV, from + 1, from + perItem)})
  out[#out + 1] = id
  out[#out + 1] = started
end
return out
