/**
 * Story identity across outlets: the first item of a story names it, and later copies — the same
 * canonical URL, or a near-duplicate fingerprint within the story window — join it. Lookup is one Lua
 * script over a fixed set of small hashes (one for the URL and one per fingerprint band), so it costs
 * the same at a thousand or a million remembered items, and a copy joins in the same round trip.
 *
 * Each index entry carries the time it was written, in 1/64ths of the window; lookups ignore entries
 * older than the window, and writes sweep them out of the hash now and then. So one hash per shard
 * serves the whole window, and a lookup reads each band once.
 *
 * URL and band entries share the index hashes (a 6-byte URL field can never equal a 2-byte band
 * field), so each hash fills up to Redis' listpack limit. Every key the script touches, story records included, shares one hash tag so it can
 * decide and record atomically on a Redis Cluster; alert claims keep each story's own tag.
 */
import type { Redis } from 'ioredis';
import { canonicalUrl } from './canonical-url.js';
import { BANDS, LEAD_BANDS, LEAD_SENTENCES, MIN_VOTES, fingerprint, leadBands } from './fingerprint.js';
import { hash64, hashBytes, hashHex48 } from './hash64.js';
import { slices } from '../lib/slices.js';
import { redisError } from './redis-error.js';
import {
  assignScript,
  claimScript,
  type AssignItem,
  type StoryAssignment,
  type WatchClaim,
} from './story-scripts.js';

export type { StoryAssignment, WatchClaim };

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

/** Fewer distinct words than this make a fingerprint match nearly anything. */
const MIN_FEATURES = 6;
/** Index entries are stamped in ticks of window / TICKS_PER_WINDOW, as a 16-bit counter that wraps. */
const TICKS_PER_WINDOW = 64;
/** One band write in this many sweeps its hash; a band's field bytes pick which, so it is even. */
const SWEEP_EVERY = 32;
/** Shards go up to 65,536: five decimal digits. */
const MAX_SHARD_DIGITS = 5;

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

  /** The item as the assign script takes it; its record key ends in the id a story it starts gets. */
  function assignItem(item: StoryItem): AssignItem {
    const tick = Buffer.alloc(2);
    tick.writeUInt16BE(Math.floor(item.at / tickMs) % 65_536);
    const newId = hashHex48(hash64(`${item.feedId}\n${item.itemKey}`));
    const url = item.url ? hash64(canonicalUrl(item.url)) : undefined;
    return {
      record: records + newId,
      url: url && { shard: url.lo % shards, field: hashBytes(url, 6) },
      tick,
      // Expiry is absolute in the injected clock's time, so an index replayed from the past (a
      // backfill, the benchmark's simulated month) holds only what would still be in the window.
      indexExpireAt: item.at + opts.windowMs + tickMs,
      recordExpireAt: item.at + recordTtl,
      newId: Buffer.from(newId, 'hex'),
      title: item.title,
      at: item.at,
      outletField: `${MEMBER}${item.feedId}\t${item.itemKey}`,
      outletValue: `${item.at}\t${item.url ?? ''}`,
      bands: packBands(item, shards),
    };
  }

  async function assignAll(items: StoryItem[]): Promise<StoryAssignment[]> {
    if (items.length === 0) return [];
    try {
      return await assignScript.run(redis, {
        indexPrefix: index,
        recordPrefix: records,
        minVotes: MIN_VOTES,
        maxAgeTicks: TICKS_PER_WINDOW,
        sweepEvery: SWEEP_EVERY,
        items: items.map(assignItem),
      });
    } catch (err) {
      throw redisError('story assign failed', err);
    }
  }

  async function claimChunk(claims: ClaimRequest[]): Promise<WatchClaim[]> {
    try {
      return await claimScript.run(redis, {
        ttlMs: recordTtl,
        claims: claims.map((c) => ({
          key: claimsKey(c.storyId, c.webhookId),
          alertId: c.alertId,
          watchIds: c.watchIds,
        })),
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
 * story, while a join needs MIN_VOTES bands to agree on one story), then the shard in decimal digits,
 * which the script cuts out of the string with less work than it takes to format a number. The
 * fingerprint's bands come first (none when the item has too few words for it to say anything), then
 * those of its lead-sentence sketches, which let a brief join the full story.
 */
function packBands(item: StoryItem, shards: number): Buffer {
  const fp = fingerprint(item.title, item.text);
  const lead = leadBands(item.text);
  const bands = fp.features < MIN_FEATURES ? [lead] : [fp.bands, lead];
  const out = Buffer.alloc((BANDS + LEAD_SENTENCES * LEAD_BANDS) * (3 + MAX_SHARD_DIGITS));
  let at = 0;
  for (const digests of bands) {
    for (let i = 0; i < digests.length; i += 2) {
      out.writeUInt16BE(digests[i] >>> 16, at);
      const digits = writeDecimal(out, at + 3, digests[i + 1] % shards);
      out[at + 2] = digits;
      at += 3 + digits;
    }
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
