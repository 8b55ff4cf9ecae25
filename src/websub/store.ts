/**
 * WebSub subscriptions in Redis, one hash per feed plus a set of the feeds that have one, all under
 * one hash tag. Every process reads them: the fetch role records the hub a poll discovered, the
 * HTTP endpoint answers the hub's verifications and checks deliveries against the secret, the
 * scheduler role subscribes, renews and unsubscribes. State in Redis is what lets a renewal
 * survive a restart. Writers touch disjoint fields, so plain HSETs suffice.
 */
import type { Redis } from 'ioredis';

export type SubscriptionState = 'subscribing' | 'active' | 'denied' | 'failing';

export interface Subscription {
  feedId: string;
  /** The hub and topic the last parsed poll advertised: what we want to be subscribed to. */
  wantedHub?: string;
  wantedTopic?: string;
  /** The subscription asked for or held: hub, topic, our callback, the secret deliveries are signed with. */
  hub?: string;
  topic?: string;
  callback?: string;
  secret?: string;
  state?: SubscriptionState;
  /** When the last subscribe request was sent; a hub that never confirms it is asked again. */
  requestedAt?: number;
  /** When the hub last confirmed a request; a request sent after it awaits confirmation. */
  confirmedAt?: number;
  /** When the hub confirmed the current subscription first, and the lease it granted. */
  activeSince?: number;
  leaseSeconds?: number;
  leaseEnd?: number;
  renewAt?: number;
  /** Failed subscribe requests in a row (HTTP error, refusal, denial, no confirmation) and the next try. */
  failures: number;
  nextAttemptAt?: number;
  lastError?: string;
  lastErrorAt?: number;
  lastPushAt?: number;
  /** The last poll let through while the feed was pushed (polls in between are skipped). */
  lastPollAt?: number;
  /** The last poll that found items the hub had not pushed. */
  missedAt?: number;
  /** A subscription being ended (the feed was removed, or its hub changed): until the hub confirms. */
  unsubHub?: string;
  unsubTopic?: string;
  unsubCallback?: string;
  unsubSecret?: string;
  unsubRequestedAt?: number;
  unsubFailures: number;
  unsubNextAttemptAt?: number;
  /** After this, the old subscription has lapsed by itself and is forgotten. */
  unsubUntil?: number;
}

type Fields = Omit<Subscription, 'feedId'>;

const NUMERIC = new Set<keyof Fields>([
  'requestedAt',
  'confirmedAt',
  'activeSince',
  'leaseSeconds',
  'leaseEnd',
  'renewAt',
  'failures',
  'nextAttemptAt',
  'lastErrorAt',
  'lastPushAt',
  'lastPollAt',
  'missedAt',
  'unsubRequestedAt',
  'unsubFailures',
  'unsubNextAttemptAt',
  'unsubUntil',
]);

export interface WebsubStore {
  get(feedId: string): Promise<Subscription | undefined>;
  list(): Promise<Subscription[]>;
  /** Sets the given fields; `undefined` removes one. Creates the record when needed. */
  update(feedId: string, changes: Partial<Fields>): Promise<void>;
  delete(feedId: string): Promise<void>;
  /** One process at a time acts on a feed's subscription (several schedulers may run). */
  lock(feedId: string, ms: number): Promise<boolean>;
  unlock(feedId: string): Promise<void>;
}

export function createWebsubStore(redis: Redis, opts: { prefix: string }): WebsubStore {
  const tag = `{${opts.prefix}:websub}`;
  const key = (feedId: string) => `${opts.prefix}:websub:${tag}:sub:${feedId}`;
  const index = `${opts.prefix}:websub:${tag}:feeds`;
  const lockKey = (feedId: string) => `${opts.prefix}:websub:${tag}:lock:${feedId}`;
  const get = async (feedId: string) => decode(feedId, await redis.hgetall(key(feedId)));
  return {
    get,
    async list() {
      const ids = (await redis.smembers(index)).sort();
      const all = await Promise.all(ids.map(get));
      return all.filter((s): s is Subscription => s !== undefined);
    },
    async update(feedId, changes) {
      const set: Record<string, string> = {};
      const del: string[] = [];
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined) del.push(k);
        else set[k] = String(v);
      }
      const tx = redis.multi().sadd(index, feedId);
      if (Object.keys(set).length > 0) tx.hset(key(feedId), set);
      if (del.length > 0) tx.hdel(key(feedId), ...del);
      await tx.exec();
    },
    async delete(feedId) {
      await redis.multi().del(key(feedId)).srem(index, feedId).exec();
    },
    async lock(feedId, ms) {
      return (await redis.set(lockKey(feedId), '1', 'PX', ms, 'NX')) === 'OK';
    },
    async unlock(feedId) {
      await redis.del(lockKey(feedId));
    },
  };
}

function decode(feedId: string, raw: Record<string, string>): Subscription | undefined {
  if (Object.keys(raw).length === 0) return undefined;
  const sub: Subscription = { feedId, failures: 0, unsubFailures: 0 };
  for (const [k, v] of Object.entries(raw)) {
    const field = k as keyof Fields;
    if (NUMERIC.has(field)) {
      const n = Number(v);
      if (Number.isFinite(n)) (sub as unknown as Record<string, number>)[field] = n;
    } else (sub as unknown as Record<string, string>)[field] = v;
  }
  return sub;
}
