/**
 * Story identity across outlets: the first item of a story names it, and later copies — the same
 * canonical URL, or a near-duplicate fingerprint within the story window — join it. Lookup is one Lua
 * script over a fixed set of small hashes (one for the URL and one per fingerprint band), so it costs
 * the same at a thousand or a million remembered items, and a copy joins in the same round trip.
 *
 * Each index entry carries the time it was written, in 1/64ths of the window; lookups ignore entries
 * older than the window, and writes sweep them out of the hash now and then. One hash per shard,
 * rather than one per shard and time bucket, keeps a lookup at one read per band: with buckets every
 * band had to be read in each bucket the window spans, and those reads were most of the script's cost.
 *
 * URL and band entries share the index hashes (a 6-byte URL field can never equal a 2-byte band
 * field), so each hash fills up to Redis' listpack limit instead of half as many hashes holding half
 * as much. Every key the script touches, story records included, shares one hash tag so it can
 * decide and record atomically on a Redis Cluster; alert claims keep each story's own tag.
 */
import type { Redis } from 'ioredis';
import { canonicalUrl } from './canonical-url.js';
import { BANDS, MIN_VOTES, fingerprint } from './fingerprint.js';
import { hash64, hashBytes, hashHex48 } from './hash64.js';
import { luaScript, type LuaArg } from '../adapters/lua-script.js';
import { slices } from '../lib/slices.js';
import { redisError } from './redis-error.js';

export interface StoryItem {
  feedId: string;
  itemKey: string;
  url?: string;
  title: string;
  text: string;
  /** When the item was seen (ms since epoch). */
  at: number;
}

export interface StoryOutlet {
  feedId: string;
  itemKey: string;
  url?: string;
  at: number;
}

export interface StoryRecord {
  storyId: string;
  /** The title of the item that started the story. */
  title: string;
  firstSeenAt: number;
  /** Every item that joined, in the order they were seen. */
  outlets: StoryOutlet[];
}

export interface StoryAssignment {
  storyId: string;
  /** Whether this item started the story. */
  isNew: boolean;
}

export interface StoryStoreOptions {
  prefix: string;
  /** How long a story stays open for copies to join (config `dedupe.storyWindow`). */
  windowMs: number;
  /**
   * Index hashes, shared by URL and band entries; keep new stories per window × (BANDS + 1) / shards
   * under about 110, so each hash stays within Redis' listpack limit (128 entries) with room for the
   * stale entries a sweep has not reached yet. The default suits ~100,000 new stories a window.
   */
  shards?: number;
  /**
   * How long a story's record and alert claims are kept after its last update; the default, the
   * window and two ticks, outlives the index entries through which later copies could still join.
   */
  recordRetentionMs?: number;
  /**
   * Claims made in one script call. Each story's claims live under its own hash tag, so on a Redis
   * Cluster they sit on different nodes and must go one a call (the default); a single server
   * takes a whole job's claims at once.
   */
  claimsPerCall?: number;
}

export interface StoryStore {
  assign(item: StoryItem): Promise<StoryAssignment>;
  /** Assigns a job's items in one round trip, in order: a copy joins a story started before it in the list. */
  assignAll(items: StoryItem[]): Promise<StoryAssignment[]>;
  show(storyId: string): Promise<StoryRecord | null>;
  /**
   * Records, per claim, that these watches were alerted for the story on the webhook and returns the
   * ones not alerted before. A claim made earlier with the same alertId counts as this caller's, so a
   * retried job gets the same answer again. Claims are made in order (of two for one story the first
   * wins), in as few round trips as `claimsPerCall` allows.
   */
  claimAll(claims: ClaimRequest[]): Promise<WatchClaim[]>;
}

export interface ClaimRequest {
  storyId: string;
  webhookId: string;
  watchIds: string[];
  alertId: string;
}

/**
 * The watch ids that are ours to alert (the array itself, also as `fresh`), and whether another
 * alert for this story already went to the webhook — then this one is an update.
 */
export type WatchClaim = string[] & { fresh: string[]; alertedBefore: boolean };

/** Fewer distinct words than this make a fingerprint match nearly anything. */
const MIN_FEATURES = 6;
/** Index entries are stamped in ticks of window / TICKS_PER_WINDOW, as a 16-bit counter that wraps. */
const TICKS_PER_WINDOW = 64;
/** One band write in this many sweeps its hash; a band's field bytes pick which, so it is even. */
const SWEEP_EVERY = 32;
/** Shards go up to 65,536: five decimal digits. */
const MAX_SHARD_DIGITS = 5;

// Items are assigned in order, so a copy later in the same call joins a story started earlier in it.
// KEYS: each item's record, should it start a story. Index keys and the record of a story being
// joined are built here, in the script, from ARGV: they share the records' hash tag, so they live on
// their cluster node, and sending ~35 full key names an item cost more than the lookup.
// ARGV: index prefix, record prefix, minVotes, max age in ticks, sweep divisor, then per item
// ITEM_ARGS values: hasUrl, URL shard, URL field, tick (2 bytes), index expiry, record expiry,
// newId (6 bytes), title, at, outlet field, outlet value, and the bands packed in one string (one
// argument instead of 64 keeps the request small): per band its 2-byte field, the length of its
// shard number in decimal (1 byte), then those digits. Decimal digits rather than a binary number
// because cutting them out costs the script less than formatting a number per band (about 4 % of
// its time). An entry's value is the story id (6 bytes) and the tick it was written in (2 bytes).
// Returns the story id and 1 (started) or 0 (joined), per item.
const ITEM_ARGS = 12;
const ASSIGN = luaScript(`
local idx, rec, minVotes, maxAge, sweepEvery = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
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

-- a: the item's ITEM_ARGS values, in the order above.
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
    -- The field's low byte picks the writes that sweep (sweepEvery divides 256).
    if string.byte(fields[b], 2) % sweepEvery == 0 then sweep(keys[b], tick) end
  end
  redis.call('HSETNX', record, 'title', a[8])
  redis.call('HSETNX', record, 'first', a[9])
  return id, 1
end

local out = {}
for k = 1, #KEYS do
  local from = 5 + (k - 1) * ${ITEM_ARGS}
  local id, started = assign(KEYS[k], {unpack(ARGV, from + 1, from + ${ITEM_ARGS})})
  out[#out + 1] = id
  out[#out + 1] = started
end
return out
`);

// KEYS: one claims hash per claim. ARGV: the ttl, then per claim its alertId, how many watch ids
// follow, and the watch ids. Claims are made in order, so of two alerts of one story in one call the
// first wins. Returns per claim whether another alert claimed anything before, then the watch ids
// that are ours.
const CLAIM = luaScript(`
local ttl, at, out = ARGV[1], 2, {}
for k = 1, #KEYS do
  local key, alertId, n = KEYS[k], ARGV[at], tonumber(ARGV[at + 1])
  local before = 0
  for _, owner in ipairs(redis.call('HVALS', key)) do
    if owner ~= alertId then before = 1 break end
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
`);

const MEMBER = 'm:';

export function createStoryStore(redis: Redis, opts: StoryStoreOptions): StoryStore {
  const shards = opts.shards ?? 32_768;
  const claimsPerCall = Math.max(1, opts.claimsPerCall ?? 1);
  if (!(opts.windowMs > 0) || !(shards >= 1) || shards > 65_536) {
    throw new RangeError('story store needs windowMs > 0 and 1..65536 shards');
  }
  const tickMs = Math.ceil(opts.windowMs / TICKS_PER_WINDOW);
  const recordTtl = opts.recordRetentionMs ?? opts.windowMs + 2 * tickMs;
  if (!(recordTtl > 0)) throw new RangeError('story store needs recordRetentionMs > 0');
  const tag = `{${opts.prefix}:stories}`;
  const index = `${opts.prefix}:story-index:${tag}:`;
  const records = `${opts.prefix}:story:${tag}:`;
  const claimsKey = (id: string, webhookId: string) => `${opts.prefix}:story:{${id}}:claims:${webhookId}`;

  /** The script's arguments for one item, and the id a story it starts would get. */
  function argsOf(item: StoryItem): { newId: string; itemArgs: LuaArg[] } {
    const tick = Buffer.alloc(2);
    tick.writeUInt16BE(Math.floor(item.at / tickMs) % 65_536);
    const newId = hashHex48(hash64(`${item.feedId}\n${item.itemKey}`));
    let urlField: Buffer | string = '';
    let urlShard = 0;
    if (item.url) {
      const h = hash64(canonicalUrl(item.url));
      urlField = hashBytes(h, 6);
      urlShard = h.lo % shards;
    }
    const itemArgs: LuaArg[] = [
      item.url ? '1' : '0', urlShard, urlField, tick,
      // Expiry is absolute in the injected clock's time, so an index replayed from the past (a
      // backfill, the benchmark's simulated month) holds only what would still be in the window.
      item.at + opts.windowMs + tickMs, item.at + recordTtl, Buffer.from(newId, 'hex'),
      item.title, item.at, `${MEMBER}${item.feedId}\t${item.itemKey}`, `${item.at}\t${item.url ?? ''}`, packBands(item, shards),
    ];
    return { newId, itemArgs };
  }

  async function assignAll(items: StoryItem[]): Promise<StoryAssignment[]> {
    if (items.length === 0) return [];
    const args: LuaArg[] = [index, records, MIN_VOTES, TICKS_PER_WINDOW, SWEEP_EVERY];
    const keys = items.map((item) => {
      const { newId, itemArgs } = argsOf(item);
      args.push(...itemArgs);
      return records + newId;
    });
    try {
      const out = (await ASSIGN.run(redis, keys, args)) as (Buffer | number)[];
      return items.map((_, i) => ({ storyId: (out[2 * i] as Buffer).toString('hex'), isNew: out[2 * i + 1] === 1 }));
    } catch (err) {
      throw redisError('story assign failed', err);
    }
  }

  async function claimChunk(claims: ClaimRequest[]): Promise<WatchClaim[]> {
    const args: LuaArg[] = [recordTtl];
    for (const c of claims) args.push(c.alertId, c.watchIds.length, ...c.watchIds);
    try {
      const out = (await CLAIM.run(redis, claims.map((c) => claimsKey(c.storyId, c.webhookId)), args)) as [number, ...Buffer[]][];
      return out.map(([before, ...mine]) => {
        const fresh = mine.map((b) => b.toString());
        return Object.assign([...fresh], { fresh, alertedBefore: before === 1 });
      });
    } catch (err) {
      throw redisError('story claim failed', err);
    }
  }

  async function claimAll(claims: ClaimRequest[]): Promise<WatchClaim[]> {
    return (await Promise.all(slices(claims, claimsPerCall).map(claimChunk))).flat();
  }

  return {
    async assign(item) {
      return (await assignAll([item]))[0];
    },

    assignAll,

    async show(storyId) {
      if (!/^[0-9a-f]{12}$/.test(storyId)) return null;
      let h: Record<string, string>;
      try {
        h = await redis.hgetall(records + storyId);
      } catch (err) {
        throw redisError('story show failed', err);
      }
      if (h.first === undefined) return null;
      const outlets: StoryOutlet[] = [];
      for (const [field, value] of Object.entries(h)) {
        if (!field.startsWith(MEMBER)) continue;
        const [feedId, itemKey] = splitOnce(field.slice(MEMBER.length));
        const [at, url] = splitOnce(value);
        outlets.push({ feedId, itemKey, at: Number(at), ...(url ? { url } : {}) });
      }
      outlets.sort((a, b) => a.at - b.at || (a.feedId < b.feedId ? -1 : 1));
      return { storyId, title: h.title ?? '', firstSeenAt: Number(h.first), outlets };
    },

    claimAll,
  };
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('\t');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/**
 * The item's bands as the script reads them: per band two bytes of field, since the shard already
 * picks a hash (a false hit among its ~100 entries is about 1 in 650 per band, and lands on a random
 * story, while a join needs MIN_VOTES bands to agree on one story), then the shard. Empty when the
 * item has too few words for its fingerprint to say anything.
 */
function packBands(item: StoryItem, shards: number): Buffer {
  const fp = fingerprint(item.title, item.text);
  if (fp.features < MIN_FEATURES) return Buffer.alloc(0);
  const out = Buffer.alloc(BANDS * (3 + MAX_SHARD_DIGITS));
  let at = 0;
  for (let b = 0; b < BANDS; b++) {
    out.writeUInt16BE(fp.bands[2 * b] >>> 16, at);
    const digits = writeDecimal(out, at + 3, fp.bands[2 * b + 1] % shards);
    out[at + 2] = digits;
    at += 3 + digits;
  }
  return out.subarray(0, at);
}

/**
 * Writes n (a non-negative integer) in decimal ASCII at `at` and returns how many digits. Byte by
 * byte, because a string per band and Buffer.write cost the worker more than the script saves.
 */
function writeDecimal(out: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) digits++;
  for (let i = at + digits - 1; i >= at; i--, n = Math.floor(n / 10)) out[i] = 0x30 + (n % 10);
  return digits;
}
