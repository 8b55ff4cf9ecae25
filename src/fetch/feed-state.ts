/**
 * What the poller remembers per feed, in one Redis hash per feed so it survives restarts and is
 * shared by every worker process.
 */
import type { Redis } from 'ioredis';

export interface FeedState {
  /** The URL these validators belong to; a changed URL starts afresh. */
  url?: string;
  etag?: string;
  lastModified?: string;
  /** sha256 of the last body that parsed. */
  bodyHash?: string;
  lastPollAt?: number;
  lastSuccessAt?: number;
  lastErrorAt?: number;
  lastErrorCode?: string;
  lastErrorMessage?: string;
  lastHttpStatus?: number;
  lastOutcome?: string;
  lastItemCount?: number;
  consecutiveFailures: number;
  /** Earliest time of the next real request (backoff, Retry-After or adaptive interval). */
  nextPollAt?: number;
  /** The adaptive interval last chosen, in ms. */
  intervalMs?: number;
  /** The last article page of this feed that could not be read (fullText): when, why, and its message. */
  lastArticleErrorAt?: number;
  lastArticleErrorCode?: string;
  lastArticleErrorMessage?: string;
}

const NUMERIC = new Set<keyof FeedState>([
  'lastPollAt',
  'lastSuccessAt',
  'lastErrorAt',
  'lastHttpStatus',
  'lastItemCount',
  'consecutiveFailures',
  'nextPollAt',
  'intervalMs',
  'lastArticleErrorAt',
]);

export const feedStateKey = (prefix: string, feedId: string) => `${prefix}:feed-state:${feedId}`;

export function decodeState(raw: Record<string, string>): FeedState {
  const state: FeedState = { consecutiveFailures: 0 };
  for (const [k, v] of Object.entries(raw)) {
    const key = k as keyof FeedState;
    if (NUMERIC.has(key)) {
      const n = Number(v);
      if (Number.isFinite(n)) (state as unknown as Record<string, number>)[key] = n;
    } else (state as unknown as Record<string, string>)[key] = v;
  }
  return state;
}

export async function readFeedState(redis: Redis, prefix: string, feedId: string): Promise<FeedState> {
  return decodeState(await redis.hgetall(feedStateKey(prefix, feedId)));
}

/** Sets the given fields; `undefined` removes a field, so stale validators do not linger. */
export async function writeFeedState(
  redis: Redis,
  prefix: string,
  feedId: string,
  changes: Partial<FeedState>,
): Promise<void> {
  const key = feedStateKey(prefix, feedId);
  const set: Record<string, string> = {};
  const del: string[] = [];
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) del.push(k);
    else set[k] = String(v);
  }
  const tx = redis.multi();
  if (Object.keys(set).length > 0) tx.hset(key, set);
  if (del.length > 0) tx.hdel(key, ...del);
  await tx.exec();
}
