/**
 * Story identity across outlets: the first item of a story names it, and later copies — the same
 * canonical URL, or a near-duplicate fingerprint within the story window — join it. Lookup is one Lua
 * script over a fixed set of small hashes (per time bucket: one for the URL, one per fingerprint
 * band), so it costs the same at a thousand or a million remembered items.
 *
 * The index keys share one hash tag so the script can decide and record atomically on a Redis
 * Cluster; each story's record and alert claims share that story's own tag.
 */
import type { Redis } from 'ioredis';
import { canonicalUrl } from './canonical-url.js';
import { BANDS, MIN_VOTES, fingerprint } from './fingerprint.js';
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
  /** Hashes per bucket and band; keep new stories per bucket × bands / shards under 128. */
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

// KEYS: [URL keys per bucket], then per band its keys per bucket; current bucket first in each group.
// ARGV: buckets, hasUrl, bands, minVotes, expiry (ms since epoch), newId, urlField, band fields...
const ASSIGN = luaScript(`
local nb, hasUrl, nbands = tonumber(ARGV[1]), ARGV[2] == '1', tonumber(ARGV[3])
local minVotes, expireAt, newId, urlField = tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[7]
local found
local k = 1
if hasUrl then
  for i = 1, nb do
    local v = redis.call('HGET', KEYS[i], urlField)
    if v then found = v break end
  end
  k = nb + 1
end
if not found and nbands > 0 then
  local votes, best, bestVotes = {}, nil, 0
  for b = 0, nbands - 1 do
    for i = 0, nb - 1 do
      local v = redis.call('HGET', KEYS[k + b * nb + i], ARGV[8 + b])
      if v then
        local n = (votes[v] or 0) + 1
        votes[v] = n
        if n > bestVotes then best, bestVotes = v, n end
        break
      end
    end
  end
  if bestVotes >= minVotes then found = best end
end
local id = found or newId
if hasUrl then
  redis.call('HSET', KEYS[1], urlField, id)
  redis.call('PEXPIREAT', KEYS[1], expireAt)
end
if not found then
  for b = 0, nbands - 1 do
    local key = KEYS[k + b * nb]
    redis.call('HSET', key, ARGV[8 + b], id)
    redis.call('PEXPIREAT', key, expireAt)
  end
end
if found then return {id, 0} end
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
  const index = `${opts.prefix}:story-index:{${opts.prefix}:stories}`;
  const storyKey = (id: string) => `${opts.prefix}:story:{${id}}`;

  /** One key per bucket of the window for the entry's shard, current bucket first. */
  function windowKeys(kind: string, shard: number, current: number): string[] {
    const keys: string[] = [];
    for (let b = current; b >= current - buckets; b--) keys.push(`${index}:${kind}:${b}:${shard}`);
    return keys;
  }

  /**
   * A 64-bit digest as its Redis field and shard (other bits). Band fields are 4 bytes: a false hit
   * needs a 32-bit collision within one small hash and, to matter, MIN_VOTES - 1 more of them.
   */
  function entry(hi: number, lo: number, bytes: number): { field: Buffer; shard: number } {
    return { field: hashBytes({ hi, lo }, bytes), shard: (lo & 0xffff) % shards };
  }

  return {
    async assign(item) {
      const current = Math.floor(item.at / width);
      // Expiry is absolute in the injected clock's time, so an index replayed from the past (a
      // backfill, the benchmark's simulated month) holds only what would still be in the window.
      const expireAt = (current + 1) * width + opts.windowMs;
      const keys: string[] = [];
      let urlField: Buffer | string = '';
      if (item.url) {
        const u = entry(...hiLo(hash64(canonicalUrl(item.url))), 6);
        urlField = u.field;
        keys.push(...windowKeys('u', u.shard, current));
      }
      const fp = fingerprint(item.title, item.text);
      const bandFields: Buffer[] = [];
      if (fp.features >= MIN_FEATURES) {
        fp.bands.forEach((hex) => {
          const e = entry(parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8), 16), 4);
          bandFields.push(e.field);
          keys.push(...windowKeys('b', e.shard, current));
        });
      }
      const newId = Buffer.from(hashHex48(hash64(`${item.feedId}\n${item.itemKey}`)), 'hex');
      let storyId: string;
      let isNew: boolean;
      try {
        const [id, created] = (await ASSIGN.run(redis, keys, [
          buckets + 1, item.url ? '1' : '0', bandFields.length, MIN_VOTES, expireAt, newId, urlField, ...bandFields,
        ])) as [Buffer, number];
        storyId = id.toString('hex');
        isNew = created === 1;
        const key = storyKey(storyId);
        const tx = redis.multi();
        if (isNew) tx.hsetnx(key, 'title', item.title).hsetnx(key, 'first', String(item.at));
        tx.hsetnx(key, `${MEMBER}${item.feedId}\t${item.itemKey}`, `${item.at}\t${item.url ?? ''}`);
        tx.pexpireat(key, item.at + recordTtl);
        await tx.exec();
      } catch (err) {
        throw redisError('story assign failed', err);
      }
      return { storyId, isNew };
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
      const key = `${storyKey(storyId)}:claims:${webhookId}`;
      try {
        const [before, ...mine] = (await CLAIM.run(redis, [key], [alertId, recordTtl, ...watchIds])) as [number, ...Buffer[]];
        const fresh = mine.map((b) => b.toString());
        return Object.assign([...fresh], { fresh, alertedBefore: before === 1 });
      } catch (err) {
        throw redisError('story claim failed', err);
      }
    },
  };
}

function hiLo(h: { hi: number; lo: number }): [number, number] {
  return [h.hi, h.lo];
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('\t');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}
