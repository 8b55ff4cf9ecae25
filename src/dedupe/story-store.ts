/**
 * Story identity across outlets: the first item of a story names it, and later copies — the same
 * canonical URL, or a near-duplicate fingerprint within the story window — join it. Lookup is one Lua
 * script over a fixed set of small hashes (per time bucket, one for the URL and one per fingerprint
 * band), so it costs the same at a thousand or a million remembered items.
 *
 * URL and band entries share the index hashes (a 6-byte URL field can never equal a 2-byte band
 * field), so each hash fills up to Redis' listpack limit instead of half as many hashes holding half
 * as much. A new story — the common case — costs one round trip: the script also writes its record.
 * A copy costs a second one, to add itself to a record whose key the script could not declare.
 *
 * Every key the script touches, story records included, shares one hash tag so it can decide and
 * record atomically on a Redis Cluster; alert claims keep each story's own tag.
 */
import type { Redis } from 'ioredis';
import { canonicalUrl } from './canonical-url.js';
import { MIN_VOTES, fingerprint } from './fingerprint.js';
import { hash64, hashBytes, hashHex48 } from './hash64.js';
import { luaScript } from './lua-script.js';
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

export interface StoryStoreOptions {
  prefix: string;
  /** How long a story stays open for copies to join (config `dedupe.storyWindow`). */
  windowMs: number;
  /** Time buckets per window; index entries live at most one bucket longer than the window. */
  buckets?: number;
  /**
   * Index hashes per bucket, shared by URL and band entries; keep new stories per bucket ×
   * (BANDS + 1) / shards under 128. The default suits ~30,000 new stories a bucket.
   */
  shards?: number;
  /**
   * How long a story's record and alert claims are kept after its last update; the default, one
   * window and one bucket, outlives the index entries through which later copies could still join.
   */
  recordRetentionMs?: number;
}

export interface StoryStore {
  assign(item: StoryItem): Promise<{ storyId: string; isNew: boolean }>;
  show(storyId: string): Promise<StoryRecord | null>;
  /**
   * Records that these watches were alerted for the story on the webhook and returns the ones not
   * alerted before. A claim made earlier with the same alertId counts as this caller's, so a retried
   * job gets the same answer again.
   */
  claimWatches(storyId: string, webhookId: string, watchIds: string[], alertId: string): Promise<WatchClaim>;
}

/**
 * The watch ids that are ours to alert (the array itself, also as `fresh`), and whether another
 * alert for this story already went to the webhook — then this one is an update.
 */
export type WatchClaim = string[] & { fresh: string[]; alertedBefore: boolean };

/** Fewer distinct words than this make a fingerprint match nearly anything. */
const MIN_FEATURES = 6;

// KEYS: the new story's record. The index keys are built here, in the script, from ARGV: they
// all share the record's hash tag, so they live on its cluster node, and sending ~130 full key
// names on every call cost more than the lookup. Every bucket of a band is read, so a chance hit
// on a short band field in a newer bucket cannot hide the real story in an older one.
// ARGV: buckets, hasUrl, bands, minVotes, index expiry, newId, urlField, record expiry, title, at,
// outlet field, outlet value, index prefix, current bucket, URL shard, and the bands packed in
// one string, four bytes a band: its 2-byte field, then its shard as a big-endian uint16 (one
// argument instead of 64 keeps the request small).
const ASSIGN = luaScript(`
local nb, hasUrl, nbands = tonumber(ARGV[1]), ARGV[2] == '1', tonumber(ARGV[3])
local minVotes, expireAt, newId, urlField = tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[7]
local idx, cur = ARGV[13], tonumber(ARGV[14])
local bucketPrefix = {}
for i = 0, nb - 1 do bucketPrefix[i] = idx .. ':' .. string.format('%d', cur - i) .. ':' end
local function key(age, shard) return bucketPrefix[age] .. shard end
local packed = ARGV[16]
local function band(b)
  local at = 4 * b + 1
  local hi, lo = string.byte(packed, at + 2, at + 3)
  return string.sub(packed, at, at + 1), string.format('%d', hi * 256 + lo)
end
local found
if hasUrl then
  for i = 0, nb - 1 do
    local v = redis.call('HGET', key(i, ARGV[15]), urlField)
    if v then found = v break end
  end
end
if not found and nbands >= minVotes then
  local votes, best, bestVotes = {}, nil, 0
  for b = 0, nbands - 1 do
    local field, shard = band(b)
    for i = 0, nb - 1 do
      local v = redis.call('HGET', key(i, shard), field)
      if v then
        local n = (votes[v] or 0) + 1
        votes[v] = n
        if n > bestVotes then best, bestVotes = v, n end
      end
    end
  end
  if bestVotes >= minVotes then found = best end
end
local id = found or newId
if hasUrl then
  local urlKey = key(0, ARGV[15])
  redis.call('HSET', urlKey, urlField, id)
  redis.call('PEXPIREAT', urlKey, expireAt)
end
if found then return {id, 0} end
for b = 0, nbands - 1 do
  local field, shard = band(b)
  local k = key(0, shard)
  redis.call('HSET', k, field, id)
  redis.call('PEXPIREAT', k, expireAt)
end
redis.call('HSETNX', KEYS[1], 'title', ARGV[9])
redis.call('HSETNX', KEYS[1], 'first', ARGV[10])
redis.call('HSETNX', KEYS[1], ARGV[11], ARGV[12])
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
return {id, 1}
`);

// KEYS: the claims hash. ARGV: alertId, ttl, watch ids. Returns whether another alert claimed
// anything before, then the watch ids that are ours.
const CLAIM = luaScript(`
local before = 0
for _, owner in ipairs(redis.call('HVALS', KEYS[1])) do
  if owner ~= ARGV[1] then before = 1 break end
end
local mine = {before}
for i = 3, #ARGV do
  local w = ARGV[i]
  local owner = redis.call('HGET', KEYS[1], w)
  if not owner then
    redis.call('HSET', KEYS[1], w, ARGV[1])
    mine[#mine + 1] = w
  elseif owner == ARGV[1] then
    mine[#mine + 1] = w
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return mine
`);

const MEMBER = 'm:';

export function createStoryStore(redis: Redis, opts: StoryStoreOptions): StoryStore {
  const buckets = opts.buckets ?? 3;
  const shards = opts.shards ?? 8192;
  if (!(opts.windowMs > 0) || !(buckets >= 1) || !(shards >= 1) || shards > 65_536) {
    throw new RangeError('story store needs windowMs > 0, buckets >= 1 and 1..65536 shards');
  }
  const width = Math.ceil(opts.windowMs / buckets);
  const recordTtl = opts.recordRetentionMs ?? opts.windowMs + width;
  if (!(recordTtl > 0)) throw new RangeError('story store needs recordRetentionMs > 0');
  const tag = `{${opts.prefix}:stories}`;
  const index = `${opts.prefix}:story-index:${tag}`;
  const storyKey = (id: string) => `${opts.prefix}:story:${tag}:${id}`;
  const claimsKey = (id: string, webhookId: string) => `${opts.prefix}:story:{${id}}:claims:${webhookId}`;

  return {
    async assign(item) {
      const current = Math.floor(item.at / width);
      // Expiry is absolute in the injected clock's time, so an index replayed from the past (a
      // backfill, the benchmark's simulated month) holds only what would still be in the window.
      const expireAt = (current + 1) * width + opts.windowMs;
      const newId = hashHex48(hash64(`${item.feedId}\n${item.itemKey}`));
      let urlField: Buffer | string = '';
      let urlShard = 0;
      if (item.url) {
        const h = hash64(canonicalUrl(item.url));
        urlField = hashBytes(h, 6);
        urlShard = (h.lo & 0xffff) % shards;
      }
      const fp = fingerprint(item.title, item.text);
      const bands = Buffer.alloc(fp.features >= MIN_FEATURES ? 4 * fp.bands.length : 0);
      if (bands.length > 0) {
        // Two bytes of field, since the shard already picks a hash: a false hit among its ~100
        // entries is about 1 in 650 per band, and lands on a random story, while a join needs
        // MIN_VOTES bands to agree on one story.
        fp.bands.forEach((hex, b) => {
          bands.write(hex.slice(0, 4), 4 * b, 'hex');
          bands.writeUInt16BE(parseInt(hex.slice(12), 16) % shards, 4 * b + 2);
        });
      }
      const member = `${MEMBER}${item.feedId}\t${item.itemKey}`;
      const outlet = `${item.at}\t${item.url ?? ''}`;
      try {
        const [id, created] = (await ASSIGN.run(redis, [storyKey(newId)], [
          buckets + 1, item.url ? '1' : '0', bands.length / 4, MIN_VOTES, expireAt, Buffer.from(newId, 'hex'),
          urlField, item.at + recordTtl, item.title, item.at, member, outlet, index, current, urlShard, bands,
        ])) as [Buffer, number];
        const storyId = id.toString('hex');
        if (created === 1) return { storyId, isNew: true };
        const key = storyKey(storyId);
        await redis.multi().hsetnx(key, member, outlet).pexpireat(key, item.at + recordTtl).exec();
        return { storyId, isNew: false };
      } catch (err) {
        throw redisError('story assign failed', err);
      }
    },

    async show(storyId) {
      if (!/^[0-9a-f]{12}$/.test(storyId)) return null;
      let h: Record<string, string>;
      try {
        h = await redis.hgetall(storyKey(storyId));
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

    async claimWatches(storyId, webhookId, watchIds, alertId) {
      try {
        const [before, ...mine] = (await CLAIM.run(redis, [claimsKey(storyId, webhookId)], [alertId, recordTtl, ...watchIds])) as [number, ...Buffer[]];
        const fresh = mine.map((b) => b.toString());
        return Object.assign([...fresh], { fresh, alertedBefore: before === 1 });
      } catch (err) {
        throw redisError('story claim failed', err);
      }
    },
  };
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('\t');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}
