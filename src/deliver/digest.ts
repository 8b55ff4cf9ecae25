/**
 * Batching alerts for a webhook: with `digest: 15m` its alerts collect in a Redis list per window
 * and go out as one POST when the window closes; with `maxPerHour`, alerts past the cap in an hour
 * collect the same way and go out as one POST at the end of that hour. Nothing is dropped, and a
 * storm (a feed whose guids change on every poll) costs the channel one message.
 */
import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AlertPayload, DigestPayload } from '../contracts/webhook.js';

export interface DigestWindow {
  /** Window start and end, ms since epoch. */
  start: number;
  end: number;
  /** The list that holds the window's alerts, and the id of the one delivery job that sends it. */
  key: string;
  jobId: string;
}

export type Route =
  { kind: 'now' } | { kind: 'digest'; window: DigestWindow; reason: 'digest' | 'rate-limit' };

const HOUR = 3_600_000;

function digestWindow(prefix: string, webhookId: string, now: number, span: number): DigestWindow {
  const start = Math.floor(now / span) * span;
  const tag = `${webhookId}.${span}.${start}`;
  return {
    start,
    end: start + span,
    // One hash tag per webhook, so the list and the rate counter share a slot on a cluster.
    key: `${prefix}:digest:{${webhookId}}:${span}:${start}`,
    jobId: `dig_${crypto.createHash('sha256').update(tag).digest('base64url').slice(0, 27)}`,
  };
}

export interface DigestStoreOptions {
  /** The key prefix, fixed when the store is built: a reloaded config does not move the keys. */
  prefix: string;
}

/** The digest windows and hourly rate counters of the webhooks, in Redis. */
export interface DigestStore {
  /** Where an alert for this webhook goes now: straight out, or into a digest window. */
  route(hook: { id: string; digest?: number; maxPerHour?: number }, now: number): Promise<Route>;
  /** Adds an alert to its window (once: a retried job does not add it twice). */
  add(window: DigestWindow, payload: AlertPayload): Promise<void>;
  /** The window's alerts, oldest first. */
  read(key: string): Promise<AlertPayload[]>;
  /** Forgets a window once its digest went out. */
  clear(key: string): Promise<void>;
}

export function createDigestStore(redis: Redis, { prefix }: DigestStoreOptions): DigestStore {
  return {
    async route(hook, now) {
      if (hook.digest) {
        return { kind: 'digest', window: digestWindow(prefix, hook.id, now, hook.digest), reason: 'digest' };
      }
      if (!hook.maxPerHour) return { kind: 'now' };
      const hour = Math.floor(now / HOUR);
      const counter = `${prefix}:rate:{${hook.id}}:${hour}`;
      const replies = await redis
        .multi()
        .incr(counter)
        .pexpire(counter, 2 * HOUR)
        .exec();
      const [[, count]] = replies as [[null, number], unknown];
      if (count <= hook.maxPerHour) return { kind: 'now' };
      return { kind: 'digest', window: digestWindow(prefix, hook.id, now, HOUR), reason: 'rate-limit' };
    },

    async add(window, payload) {
      // A hash keyed by alert id: adding the same alert again is a no-op. Kept past the window so a
      // delivery that is retried for hours still finds it.
      const { key } = window;
      await redis
        .multi()
        .hset(key, payload.data.alertId, JSON.stringify(payload))
        .pexpire(key, 7 * 24 * HOUR)
        .exec();
    },

    async read(key) {
      const entries = await redis.hvals(key);
      return entries
        .map((e) => JSON.parse(e) as AlertPayload)
        .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    },

    async clear(key) {
      await redis.del(key);
    },
  };
}

export function buildDigest(
  jobId: string,
  window: { start: number; end: number },
  alerts: AlertPayload[],
  now: number,
): DigestPayload {
  return {
    type: 'mention.digest',
    timestamp: new Date(now).toISOString(),
    data: {
      digestId: jobId,
      window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
      alerts: alerts.map((a) => a.data),
    },
  };
}
