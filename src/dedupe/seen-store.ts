/**
 * Which items a feed has shown us before. Each remembered item is one ~16-byte entry (a 6-byte digest
 * of feed + item key, a 4-byte digest of its content) in a small hash that Redis keeps as a compact
 * listpack. Hashes are split by time bucket, so retention is a whole-key expiry rather than a TTL per
 * item, and by shard, so each hash stays under Redis' listpack size limit (128 entries by default).
 * All buckets of one shard share a hash tag, so one Lua script can check the whole window on a
 * Redis Cluster.
 *
 * Retention counts from the last sighting: an item that stays in its feed is moved into the current
 * bucket each time it is seen, so it never comes back as new while the feed still lists it.
 */
import type { Redis } from 'ioredis';
import { hash64, hashBytes } from './hash64.js';
import { luaScript } from './lua-script.js';
import { redisError } from './redis-error.js';

export type Sighting = 'new' | 'seen' | 'changed';

export interface SeenStoreOptions {
  prefix: string;
  /** How long an item is remembered after it was last seen (config `dedupe.seenRetention`). */
  retentionMs: number;
  /** Time buckets per retention window; an entry is kept for at most one bucket longer than retention. */
  buckets?: number;
  /**
   * Hashes per bucket. Size it so items-per-bucket / shards stays under Redis'
   * `hash-max-listpack-entries` (128 by default); the default suits ~100,000 new items a bucket.
   */
  shards?: number;
  /** The time used when a caller does not pass one (ms since epoch). */
  clock?: () => number;
}

export interface SeenStore {
  /** Marks the item seen and says whether it was new, seen with the same content, or changed. */
  check(feedId: string, itemKey: string, contentHash: string, now: number): Promise<Sighting>;
  /**
   * What check would say for each item, without marking anything: a poll can queue the new items
   * first and mark them after, so a crash in between re-finds them on the next poll.
   */
  peek(feedId: string, itemKeys: string[], contentHashes: string[], now?: number): Promise<Sighting[]>;
  /**
   * Marks the items seen with these contents. `peeked`, what peek said of them just before, spares
   * the items it found new a search of the older buckets.
   */
  mark(feedId: string, itemKeys: string[], contentHashes: string[], now?: number, peeked?: Sighting[]): Promise<void>;
}

// KEYS: the shard's current bucket. The older buckets' keys are built here, in the script: they
// share its hash tag, so they live on its cluster node, and sending ~30 key names on every call
// cost more than the lookups. ARGV: field, content digest, how many older buckets to look in, the
// prefix of the shard's bucket keys, the current bucket number; for CHECK also the current bucket's
// expiry and '1' when the caller knows the item is in no older bucket (a peek just said "new").
const OLDER = `
local function older(i) return ARGV[4] .. string.format('%d', tonumber(ARGV[5]) - i) end
`;

const CHECK = luaScript(`${OLDER}
local field, content = ARGV[1], ARGV[2]
local old = redis.call('HGET', KEYS[1], field)
if old == content then return 1 end
if not old and ARGV[7] ~= '1' then
  for i = 1, tonumber(ARGV[3]) do
    local key = older(i)
    old = redis.call('HGET', key, field)
    if old then
      redis.call('HDEL', key, field)
      break
    end
  end
end
redis.call('HSET', KEYS[1], field, content)
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
if not old then return 0 end
if old == content then return 1 end
return 2
`);

const PEEK = luaScript(`${OLDER}
local field = ARGV[1]
local old = redis.call('HGET', KEYS[1], field)
for i = 1, tonumber(ARGV[3]) do
  if old then break end
  old = redis.call('HGET', older(i), field)
end
if not old then return 0 end
if old == ARGV[2] then return 1 end
return 2
`);

const SIGHTINGS: readonly Sighting[] = ['new', 'seen', 'changed'];

/** Where an item's sighting lives: its shard's current bucket (and how to name the older ones), field, content and expiry. */
export interface SeenLocation {
  key: string;
  /** The shard's bucket keys are this prefix and the bucket number. */
  bucketPrefix: string;
  current: number;
  /** Older buckets that can still hold the item. */
  older: number;
  field: Buffer;
  content: Buffer;
  expireAt: number;
}

/**
 * The store's key layout on its own, so a bulk loader (the benchmark's month of history) writes
 * first sightings exactly where check would have put them.
 */
export function seenLocator(opts: SeenStoreOptions): (feedId: string, itemKey: string, contentHash: string, now: number) => SeenLocation {
  const buckets = opts.buckets ?? 30;
  const shards = opts.shards ?? 1024;
  if (!(opts.retentionMs > 0) || !(buckets >= 1) || !(shards >= 1) || shards > 65_536) {
    throw new RangeError('seen store needs retentionMs > 0, buckets >= 1 and 1..65536 shards');
  }
  const width = Math.ceil(opts.retentionMs / buckets);
  return (feedId, itemKey, contentHash, now) => {
    const id = hash64(`${feedId}\n${itemKey}`);
    const bucketPrefix = `${opts.prefix}:seen:{seen-${(id.lo & 0xffff) % shards}}:`;
    const current = Math.floor(now / width);
    return {
      key: bucketPrefix + current,
      bucketPrefix,
      current,
      older: buckets,
      field: hashBytes(id, 6),
      content: hashBytes(hash64(contentHash), 4),
      // Absolute in the injected clock's time, like the window check, so both agree on what is kept.
      expireAt: (current + 1) * width + opts.retentionMs,
    };
  };
}

export function createSeenStore(redis: Redis, opts: SeenStoreOptions): SeenStore {
  const locate = seenLocator(opts);
  const clock = opts.clock ?? Date.now;
  const args = (at: SeenLocation) => [at.field, at.content, at.older, at.bucketPrefix, at.current];

  async function checkOne(feedId: string, itemKey: string, contentHash: string, now: number, known?: Sighting): Promise<Sighting> {
    const at = locate(feedId, itemKey, contentHash, now);
    return SIGHTINGS[(await CHECK.run(redis, [at.key], [...args(at), at.expireAt, known === 'new' ? '1' : '0'])) as number];
  }

  return {
    async check(feedId, itemKey, contentHash, now) {
      try {
        return await checkOne(feedId, itemKey, contentHash, now);
      } catch (err) {
        throw redisError('seen store check failed', err);
      }
    },

    async peek(feedId, itemKeys, contentHashes, now = clock()) {
      try {
        return await Promise.all(itemKeys.map(async (key, i) => {
          const at = locate(feedId, key, contentHashes[i], now);
          return SIGHTINGS[(await PEEK.run(redis, [at.key], args(at))) as number];
        }));
      } catch (err) {
        throw redisError('seen store peek failed', err);
      }
    },

    async mark(feedId, itemKeys, contentHashes, now = clock(), peeked) {
      try {
        await Promise.all(itemKeys.map((key, i) => checkOne(feedId, key, contentHashes[i], now, peeked?.[i])));
      } catch (err) {
        throw redisError('seen store mark failed', err);
      }
    },
  };
}
