/**
 * What signals keep in Redis: per story, the outlets that carried it and the pickup thresholds it
 * claimed; per watch, the open hour's mention count, a ring of closed hourly counts a few weeks long
 * (4 bytes an hour, so its memory per watch is fixed) and the spike state per webhook. All keys of a
 * story share its hash tag, all keys of a watch share the watch's, so every script touches one slot.
 */
import type { Redis } from 'ioredis';
import { redisError } from '../dedupe/redis-error.js';
import { BASELINE_WEEKS, HOUR_MS, HOURS_PER_WEEK } from './spike.js';
import {
  closeHourScript,
  countScript,
  pickupScript,
  spikeStateScript,
  type ClosedHour,
  type PickupClaimRequest,
  type PickupReply,
  type SpikeState,
} from './scripts.js';

export type { ClosedHour, PickupClaimRequest, PickupReply, SpikeState };

/** Hours in the ring: the baseline weeks and the current one, so no baseline hour shares a slot. */
export const RING_SLOTS = (BASELINE_WEEKS + 1) * HOURS_PER_WEEK;
/** An hour's open count outlives the hour by this much, for a close that comes late. */
const OPEN_GRACE_MS = 6 * HOUR_MS;

export interface PickupSighting {
  storyId: string;
  at: number;
  outlet: string;
  feedId: string;
  url?: string;
  title: string;
  watches: string[];
  claims: PickupClaimRequest[];
}

export interface MentionCount {
  watch: string;
  hour: number;
  /** Names the items job, so a retried job counts once. */
  job: string;
  mentions: number;
}

export interface SignalStore {
  /** Records each sighting in its story and claims the thresholds it reached; one call per story. */
  pickup(sightings: PickupSighting[]): Promise<PickupReply[]>;
  count(counts: MentionCount[]): Promise<void>;
  /** Closes a watch's hour (once) and returns its count and its baseline hours. */
  closeHour(watch: string, hour: number): Promise<ClosedHour>;
  /**
   * Records whether the hour is a spike for the webhook, by the verdict that fits the state it
   * finds (starting one, or carrying one on); says when that starts or ends a spike.
   */
  decide(
    watch: string,
    webhookId: string,
    hour: number,
    verdict: { starts: boolean; carriesOn: boolean },
  ): Promise<SpikeState>;
  /** Closed hourly counts of a watch in [from, to), oldest first; undefined for an hour not known. */
  history(watch: string, from: number, to: number): Promise<(number | undefined)[]>;
}

/** A story's pickup record outlives the window in which copies can join it (and so the story's own record). */
export function storyRetention(storyWindowMs: number): number {
  return 2 * storyWindowMs;
}

export interface SignalStoreOptions {
  prefix: string;
  /** How long a story's pickup record is kept after its last sighting: longer than copies can join. */
  storyRetentionMs: number;
}

export function createSignalStore(redis: Redis, opts: SignalStoreOptions): SignalStore {
  const { prefix } = opts;
  const watchTag = (watch: string) => `{${prefix}:watch:${watch}}`;
  const ringKey = (watch: string) => `${prefix}:mentions:${watchTag(watch)}:ring`;
  const openKey = (watch: string, hour: number) => `${prefix}:mentions:${watchTag(watch)}:${hour}`;
  // Time to live, not expiry times: hours replayed from the past (tests, the benchmark's year) are kept.
  const ringTtl = RING_SLOTS * HOUR_MS;
  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw redisError(what, err);
    }
  };

  return {
    pickup: (sightings) =>
      call('pickup record failed', () =>
        Promise.all(
          sightings.map((s) =>
            pickupScript.run(redis, {
              key: `${prefix}:pickup:{${s.storyId}}`,
              at: s.at,
              ttlMs: opts.storyRetentionMs,
              outlet: s.outlet,
              feedId: s.feedId,
              url: s.url,
              title: s.title,
              watches: s.watches,
              claims: s.claims,
            }),
          ),
        ),
      ),

    count: (counts) =>
      call('mention count failed', async () => {
        await Promise.all(
          counts.map((c) =>
            countScript.run(redis, {
              key: openKey(c.watch, c.hour),
              field: c.job,
              mentions: c.mentions,
              ttlMs: HOUR_MS + OPEN_GRACE_MS,
            }),
          ),
        );
      }),

    closeHour: (watch, hour) =>
      call('closing an hour of mentions failed', () =>
        closeHourScript.run(redis, {
          openKey: openKey(watch, hour),
          ringKey: ringKey(watch),
          hour,
          slots: RING_SLOTS,
          step: HOURS_PER_WEEK,
          weeks: BASELINE_WEEKS,
          ttlMs: ringTtl,
        }),
      ),

    decide: (watch, webhookId, hour, verdict) =>
      call('spike state failed', () =>
        spikeStateScript.run(redis, {
          key: `${prefix}:spike:${watchTag(watch)}`,
          webhookId,
          hour,
          ...verdict,
          ttlMs: ringTtl,
        }),
      ),

    history: (watch, from, to) =>
      call('reading mention history failed', async () => {
        const ring = (await redis.getBuffer(ringKey(watch))) ?? Buffer.alloc(0);
        const out: (number | undefined)[] = [];
        for (let h = Math.max(from, to - RING_SLOTS + 1); h < to; h++) out.push(slotCount(ring, h));
        return [...new Array<undefined>(Math.max(0, to - from - out.length)).fill(undefined), ...out];
      }),
  };
}

/** A ring slot's count when it is stamped with its hour (see lua/close-hour.lua). */
function slotCount(ring: Buffer, hour: number): number | undefined {
  const at = (hour % RING_SLOTS) * 4;
  if (at + 4 > ring.length) return undefined;
  const v = ring.readUInt32BE(at);
  return v >>> 16 === hour % 65_536 ? v & 0xffff : undefined;
}
