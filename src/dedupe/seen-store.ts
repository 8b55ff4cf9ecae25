/**
 * Which items a feed has shown us before. Each remembered item is one ~16-byte entry in a small hash
 * that Redis keeps as a compact listpack: a 6-byte digest of feed + item key as the field, and as the
 * value a 4-byte digest of its content and the time bucket it was last seen in (2 bytes). One read
 * answers for an item, however long the retention: entries from before the window read as absent.
 * Writes sweep stale entries out of their hash now and then, and a hash nobody writes to expires.
 *
 * Retention counts from the last sighting: an item that stays in its feed is restamped in each new
 * bucket it is seen in, so it never comes back as new while the feed still lists it.
 *
 * Hashes are grouped under hash tags (shards), so one Lua script can serve an item on a Redis
 * Cluster; on a single Redis one script call checks many items (a whole poll), which saves a round
 * trip and a script call per item.
 *
 * Releases before this layout kept one hash per shard and bucket, so a new item cost a read per
 * bucket. A store that finds such keys when it starts (see `legacyUntil`) also looks an item up
 * there, until everything the old layout held has aged out of the retention window.
 */
import type { Redis } from 'ioredis';
import { hash64, hashBytes } from './hash64.js';
import { anyKeyMatches } from '../adapters/redis.js';
import { luaScript, type LuaArg, type LuaScript } from '../adapters/lua-script.js';
import { slices } from '../lib/slices.js';
import { redisError } from './redis-error.js';

export type Sighting = 'new' | 'seen' | 'changed';

export interface SeenStoreOptions {
  prefix: string;
  /** How long an item is remembered after it was last seen (config `dedupe.seenRetention`). */
  retentionMs: number;
  /** Time buckets per retention window; an entry is kept for at most one bucket longer than retention. */
  buckets?: number;
  /** Hash tags the hashes are spread over (1024 by default, as the old layout had). */
  shards?: number;
  /**
   * Hashes per shard. Size shards × hashesPerShard so items remembered / hashes stays under Redis'
   * `hash-max-listpack-entries` (128 by default); the default 32 suits ~3,000,000 remembered items
   * (100,000 new items a day for 30 days).
   */
  hashesPerShard?: number;
  /**
   * Items one script call handles. Keep the default of 1 on a Redis Cluster, where the items'
   * shards live on different nodes; on a single Redis, a few dozen.
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
   * the items it found new a search of the old layout.
   */
  mark(feedId: string, itemKeys: string[], contentHashes: string[], now?: number, peeked?: Sighting[]): Promise<void>;
}

/** One write in this many sweeps its hash of stale entries; a field's first byte picks which. */
const SWEEP_EVERY = 32;
/** Bucket numbers are stored modulo this (2 bytes); far more buckets than a window holds. */
const STAMP_RANGE = 65_536;

// KEYS: the first item's hash, which routes the call on a Redis Cluster. The other keys are built
// here, in the script: on a single Redis there are no slots to respect, and on a Cluster the caller
// sends one item a call, whose keys share its shard's hash tag.
// ARGV: buckets before the current one that are still in the window, the current bucket, the key
// prefix before the shard, the newest bucket the old layout may hold (-1: none); for CHECK the
// hash's expiry; then per item its shard, hash within the shard, field and entry (content digest and
// current bucket), and for CHECK '1' when the caller knows the item is not in the old layout (a peek
// just said "new").
// Returns one character an item: 0 new, 1 seen, 2 changed.
const COMMON = `
local older, cur, prefix, legacyNewest = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local function hashKey(shard, sub) return prefix .. shard .. '}:h' .. sub end
-- The content digest of a live entry, nil for a missing or stale one. An entry one bucket ahead is
-- live: another process, its clock a little ahead, wrote it just after a bucket began.
local function contentOf(v)
  if not v then return nil end
  local hi, lo = string.byte(v, 5, 6)
  local age = (cur - hi * 256 - lo) % ${STAMP_RANGE}
  if age > older and age ~= ${STAMP_RANGE} - 1 then return nil end
  return string.sub(v, 1, 4)
end
-- The old layout: one hash per shard and bucket, holding content digests.
local function legacy(shard, field)
  if legacyNewest < 0 then return nil end
  for age = math.max(0, cur - legacyNewest), older do
    local v = redis.call('HGET', prefix .. shard .. '}:' .. string.format('%d', cur - age), field)
    if v then return v end
  end
  return nil
end
local function said(old, content)
  if not old then return '0' end
  if old == content then return '1' end
  return '2'
end
`;

const CHECK = luaScript(`${COMMON}
local function sweep(key)
  local all, stale = redis.call('HGETALL', key), {}
  for i = 1, #all, 2 do
    if not contentOf(all[i + 1]) then stale[#stale + 1] = all[i] end
  end
  if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
end
local out = {}
for i = 6, #ARGV, 5 do
  local shard, field, fresh = ARGV[i], ARGV[i + 2], ARGV[i + 3]
  local key = hashKey(shard, ARGV[i + 1])
  local v = redis.call('HGET', key, field)
  local old = contentOf(v)
  if not old and ARGV[i + 4] ~= '1' then old = legacy(shard, field) end
  -- Written when new, changed, or last seen in an earlier bucket: retention counts from here.
  if v ~= fresh then
    redis.call('HSET', key, field, fresh)
    redis.call('PEXPIREAT', key, ARGV[5])
    if string.byte(field, 1) % ${SWEEP_EVERY} == 0 then sweep(key) end
  end
  out[#out + 1] = said(old, string.sub(fresh, 1, 4))
end
return table.concat(out)
`);

const PEEK = luaScript(`${COMMON}
local out = {}
for i = 5, #ARGV, 4 do
  local shard, field = ARGV[i], ARGV[i + 2]
  local old = contentOf(redis.call('HGET', hashKey(shard, ARGV[i + 1]), field)) or legacy(shard, field)
  out[#out + 1] = said(old, string.sub(ARGV[i + 3], 1, 4))
end
return table.concat(out)
`);

const SIGHTINGS: readonly Sighting[] = ['new', 'seen', 'changed'];

/** Where an item's sighting lives: its hash, field and entry, and the hash's expiry. */
export interface SeenLocation {
  key: string;
  shard: number;
  /** The hash within the shard. */
  sub: number;
  /** The current bucket. */
  current: number;
  /** Buckets before the current one that are still in the window. */
  older: number;
  field: Buffer;
  /** The entry check writes: the content digest (4 bytes) and the current bucket (2). */
  value: Buffer;
  expireAt: number;
}

/**
 * The store's key layout on its own, so a bulk loader (the benchmark's month of history) writes
 * sightings exactly where check would have put them.
 */
export function seenLocator(opts: SeenStoreOptions): (feedId: string, itemKey: string, contentHash: string, now: number) => SeenLocation {
  const buckets = opts.buckets ?? 30;
  const shards = opts.shards ?? 1024;
  const hashesPerShard = opts.hashesPerShard ?? 32;
  if (!(opts.retentionMs > 0) || !(buckets >= 1) || buckets >= STAMP_RANGE / 2 || !(shards >= 1) || shards > 65_536 || !(hashesPerShard >= 1)) {
    throw new RangeError('seen store needs retentionMs > 0, 1..32767 buckets, 1..65536 shards and hashesPerShard >= 1');
  }
  const width = Math.ceil(opts.retentionMs / buckets);
  return (feedId, itemKey, contentHash, now) => {
    const id = hash64(`${feedId}\n${itemKey}`);
    const shard = (id.lo & 0xffff) % shards;
    const sub = id.hi % hashesPerShard;
    const current = Math.floor(now / width);
    const value = Buffer.alloc(6);
    hashBytes(hash64(contentHash), 4).copy(value);
    value.writeUInt16BE(current % STAMP_RANGE, 4);
    return {
      key: `${keyPrefix(opts.prefix)}${shard}}:h${sub}`,
      shard,
      sub,
      current,
      older: buckets,
      field: hashBytes(id, 6),
      value,
      // Absolute in the injected clock's time, like the window check, so both agree on what is kept.
      expireAt: (current + 1) * width + opts.retentionMs,
    };
  };
}

const keyPrefix = (prefix: string) => `${prefix}:seen:{seen-`;

/**
 * The newest bucket the old layout may hold entries in, or -1. Decided once per Redis, by the first
 * store that starts there: the current bucket when it finds old-layout keys (their processes were
 * replaced just now), else none. Kept in one small key, so later starts agree without a scan.
 */
async function legacyUntil(redis: Redis, prefix: string, currentBucket: number): Promise<number> {
  const key = `${prefix}:seen-layout`;
  let decided = await redis.get(key);
  if (decided === null) {
    // The configured prefix holds no glob characters (the config schema allows none).
    const found = await anyKeyMatches(redis, `${keyPrefix(prefix)}*}:[0-9]*`);
    await redis.set(key, found ? `old-until:${currentBucket}` : 'new', 'NX');
    decided = await redis.get(key);
  }
  return decided?.startsWith('old-until:') ? Number(decided.slice('old-until:'.length)) : -1;
}

export function createSeenStore(redis: Redis, opts: SeenStoreOptions): SeenStore {
  const locate = seenLocator(opts);
  const clock = opts.clock ?? Date.now;
  const perCall = Math.max(1, opts.itemsPerCall ?? 1);
  let legacy: Promise<number> | undefined;
  const legacyNewest = (currentBucket: number) => {
    legacy ??= legacyUntil(redis, opts.prefix, currentBucket).catch((err: unknown) => {
      legacy = undefined; // asked again on the next call
      throw err;
    });
    return legacy;
  };

  /** Runs a script over the items, perCall at a time, side by side; one sighting an item. */
  async function run(
    script: LuaScript, feedId: string, itemKeys: string[], contentHashes: string[], now: number,
    head: (first: SeenLocation) => LuaArg[], extra: (i: number) => LuaArg[],
  ): Promise<Sighting[]> {
    const all = itemKeys.map((key, i) => locate(feedId, key, contentHashes[i], now));
    if (all.length === 0) return [];
    const newest = await legacyNewest(all[0].current);
    const calls = slices(all, perCall).map(async (at, call) => {
      const args: LuaArg[] = [at[0].older, at[0].current, keyPrefix(opts.prefix), newest, ...head(at[0])];
      at.forEach((a, k) => args.push(a.shard, a.sub, a.field, a.value, ...extra(call * perCall + k)));
      const said = (await script.run(redis, [at[0].key], args)) as Buffer;
      return [...said.toString('latin1')].map((c) => SIGHTINGS[Number(c)]);
    });
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
