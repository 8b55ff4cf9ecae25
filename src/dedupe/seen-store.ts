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
 */
import type { Redis } from 'ioredis';
import { hash64, hashBytes } from './hash64.js';
import { slices } from '../lib/slices.js';
import { redisError } from './redis-error.js';
import { seenScript, type SeenEntry, type Sighting } from './seen-script.js';

export type { Sighting };

export interface SeenStoreOptions {
  prefix: string;
  /** How long an item is remembered after it was last seen (config `dedupe.seenRetention`). */
  retentionMs: number;
  /** Time buckets per retention window; an entry is kept for at most one bucket longer than retention. */
  buckets?: number;
  /** Hash tags the hashes are spread over (1024 by default). */
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
  /** Marks the items seen with these contents. */
  mark(feedId: string, itemKeys: string[], contentHashes: string[], now?: number): Promise<void>;
}

/** One write in this many sweeps its hash of stale entries; a field's first byte picks which. */
const SWEEP_EVERY = 32;
/** Bucket numbers are stored modulo this (2 bytes); far more buckets than a window holds. */
const STAMP_RANGE = 65_536;

/** Where an item's sighting lives: its hash, field and entry, and the hash's expiry. */
export interface SeenLocation extends SeenEntry {
  key: string;
  /** The current bucket. */
  current: number;
  /** Buckets before the current one that are still in the window. */
  older: number;
  expireAt: number;
}

/**
 * The store's key layout on its own, so a bulk loader (the benchmark's month of history) writes
 * sightings exactly where check would have put them.
 */
export function seenLocator(
  opts: SeenStoreOptions,
): (feedId: string, itemKey: string, contentHash: string, now: number) => SeenLocation {
  const buckets = opts.buckets ?? 30;
  const shards = opts.shards ?? 1024;
  const hashesPerShard = opts.hashesPerShard ?? 32;
  if (
    !(opts.retentionMs > 0) ||
    !(buckets >= 1) ||
    buckets >= STAMP_RANGE / 2 ||
    !(shards >= 1) ||
    shards > 65_536 ||
    !(hashesPerShard >= 1)
  ) {
    throw new RangeError(
      'seen store needs retentionMs > 0, 1..32767 buckets, 1..65536 shards and hashesPerShard >= 1',
    );
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

export function createSeenStore(redis: Redis, opts: SeenStoreOptions): SeenStore {
  const locate = seenLocator(opts);
  const clock = opts.clock ?? Date.now;
  const perCall = Math.max(1, opts.itemsPerCall ?? 1);

  /** Runs the script over the items, perCall at a time, side by side; one sighting an item. */
  async function run(
    mode: 'check' | 'peek',
    feedId: string,
    itemKeys: string[],
    contentHashes: string[],
    now: number,
  ): Promise<Sighting[]> {
    const all = itemKeys.map((key, i) => locate(feedId, key, contentHashes[i], now));
    if (all.length === 0) return [];
    const { older, current, expireAt } = all[0];
    const common = {
      mode,
      older,
      current,
      keyPrefix: keyPrefix(opts.prefix),
      expireAt,
      sweepEvery: SWEEP_EVERY,
    };
    const calls = slices(all, perCall).map((items) =>
      seenScript.run(redis, { ...common, routeKey: items[0].key, items }),
    );
    return (await Promise.all(calls)).flat();
  }

  return {
    async check(feedId, itemKey, contentHash, now) {
      try {
        return (await run('check', feedId, [itemKey], [contentHash], now))[0];
      } catch (err) {
        throw redisError('seen store check failed', err);
      }
    },

    async peek(feedId, itemKeys, contentHashes, now = clock()) {
      try {
        return await run('peek', feedId, itemKeys, contentHashes, now);
      } catch (err) {
        throw redisError('seen store peek failed', err);
      }
    },

    async mark(feedId, itemKeys, contentHashes, now = clock()) {
      try {
        await run('check', feedId, itemKeys, contentHashes, now);
      } catch (err) {
        throw redisError('seen store mark failed', err);
      }
    },
  };
}
