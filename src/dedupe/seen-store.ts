/**
 * Which items a feed has shown us before. Each remembered item is one ~16-byte entry (a 6-byte digest
 * of feed + item key, a 4-byte digest of its content) in a small hash that Redis keeps as a compact
 * listpack. Hashes are split by time bucket, so retention is a whole-key expiry rather than a TTL per
 * item, and by shard, so each hash stays under Redis' listpack size limit (128 entries by default).
 * All buckets of one shard share a hash tag, so one Lua script can check the whole window on a
 * Redis Cluster. On a single Redis one script call checks many items (a whole poll), which saves a
 * round trip and a script call per item.
 *
 * Retention counts from the last sighting: an item that stays in its feed is moved into the current
 * bucket each time it is seen, so it never comes back as new while the feed still lists it.
 */
import type { Redis } from 'ioredis';
import { hash64, hashBytes } from './hash64.js';
import { luaScript, type LuaArg, type LuaScript } from '../adapters/lua-script.js';
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
  /**
   * Items one script call handles. Keep the default of 1 on a Redis Cluster, where the items'
   * shards live on different nodes; on a single Redis, a few dozen (a call of new items blocks
   * Redis for about 60 µs an item while it searches their older buckets).
   */
  itemsPerCall?: number;
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

// KEYS: the first item's current bucket, which routes the call on a Redis Cluster. The other keys
// are built here, in the script: a single Redis has no slots to respect, and on a Cluster the
// caller sends one item a call, whose older buckets share its hash tag. Sending ~30 key names an
// item cost more than the lookups.
// ARGV: older buckets to look in, the current bucket, the key prefix before the shard; for CHECK
// the current bucket's expiry; then per item its shard, field and content digest, and for CHECK
// '1' when the caller knows the item is in no older bucket (a peek just said "new").
// Returns one character an item: 0 new, 1 seen, 2 changed.
const KEY = `
local older, cur, prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local function key(shard, age) return prefix .. shard .. '}:' .. string.format('%d', cur - age) end
local function said(old, content)
  if not old then return '0' end
  if old == content then return '1' end
  return '2'
end
`;

const CHECK = luaScript(`${KEY}
local out = {}
for i = 5, #ARGV, 4 do
  local shard, field, content = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local current = key(shard, 0)
  local old = redis.call('HGET', current, field)
  if old ~= content then
    if not old and ARGV[i + 3] ~= '1' then
      for age = 1, older do
        local k = key(shard, age)
        old = redis.call('HGET', k, field)
        if old then
          redis.call('HDEL', k, field)
          break
        end
      end
    end
    redis.call('HSET', current, field, content)
    redis.call('PEXPIREAT', current, ARGV[4])
  end
  out[#out + 1] = said(old, content)
end
return table.concat(out)
`);

const PEEK = luaScript(`${KEY}
local out = {}
for i = 4, #ARGV, 3 do
  local shard, field = ARGV[i], ARGV[i + 1]
  local old
  for age = 0, older do
    old = redis.call('HGET', key(shard, age), field)
    if old then break end
  end
  out[#out + 1] = said(old, ARGV[i + 2])
end
return table.concat(out)
`);

const SIGHTINGS: readonly Sighting[] = ['new', 'seen', 'changed'];

/** Where an item's sighting lives: its shard's current bucket, field, content and expiry. */
export interface SeenLocation {
  key: string;
  shard: number;
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
    const shard = (id.lo & 0xffff) % shards;
    const current = Math.floor(now / width);
    return {
      key: `${keyPrefix(opts.prefix)}${shard}}:${current}`,
      shard,
      current,
      older: buckets,
      field: hashBytes(id, 6),
      content: hashBytes(hash64(contentHash), 4),
      // Absolute in the injected clock's time, like the window check, so both agree on what is kept.
      expireAt: (current + 1) * width + opts.retentionMs,
    };
  };
}

const keyPrefix = (prefix: string) => `${prefix}:seen:{seen-`;

export function createSeenStore(redis: Redis, opts: SeenStoreOptions): SeenStore {
  const locate = seenLocator(opts);
  const clock = opts.clock ?? Date.now;
  const perCall = Math.max(1, opts.itemsPerCall ?? 1);

  /** Runs a script over the items, perCall at a time, side by side; one sighting an item. */
  async function run(
    script: LuaScript, feedId: string, itemKeys: string[], contentHashes: string[], now: number,
    head: (first: SeenLocation) => LuaArg[], extra: (i: number) => LuaArg[],
  ): Promise<Sighting[]> {
    const calls: Promise<Sighting[]>[] = [];
    for (let from = 0; from < itemKeys.length; from += perCall) {
      const at = itemKeys.slice(from, from + perCall).map((key, k) => locate(feedId, key, contentHashes[from + k], now));
      const args: LuaArg[] = [at[0].older, at[0].current, keyPrefix(opts.prefix), ...head(at[0])];
      at.forEach((a, k) => args.push(a.shard, a.field, a.content, ...extra(from + k)));
      calls.push(script.run(redis, [at[0].key], args).then((said) => [...(said as Buffer).toString('latin1')].map((c) => SIGHTINGS[Number(c)])));
    }
    return (await Promise.all(calls)).flat();
  }

  const checkAll = (feedId: string, itemKeys: string[], contentHashes: string[], now: number, peeked?: Sighting[]) =>
    run(CHECK, feedId, itemKeys, contentHashes, now, (first) => [first.expireAt], (i) => [peeked?.[i] === 'new' ? '1' : '0']);

  return {
    async check(feedId, itemKey, contentHash, now) {
      try {
        return (await checkAll(feedId, [itemKey], [contentHash], now))[0];
      } catch (err) {
        throw redisError('seen store check failed', err);
      }
    },

    async peek(feedId, itemKeys, contentHashes, now = clock()) {
      try {
        return await run(PEEK, feedId, itemKeys, contentHashes, now, () => [], () => []);
      } catch (err) {
        throw redisError('seen store peek failed', err);
      }
    },

    async mark(feedId, itemKeys, contentHashes, now = clock(), peeked) {
      try {
        await checkAll(feedId, itemKeys, contentHashes, now, peeked);
      } catch (err) {
        throw redisError('seen store mark failed', err);
      }
    },
  };
}
