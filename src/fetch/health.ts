/** Per-feed health for `mediawatch feeds`: what the poller remembers, read back for people. */
import type { Redis } from 'ioredis';
import type { FeedConfig } from '../config/schema.js';
import { createWebsubStore } from '../websub/store.js';
import { pushHealth, type PushHealth } from '../websub/status.js';
import { decodeState, feedStateKey } from './feed-state.js';

export interface FeedHealth {
  id: string;
  url: string;
  /** ok: last poll succeeded; failing: the last one failed; never: not polled yet. */
  status: 'ok' | 'failing' | 'never';
  lastPollAt?: string;
  lastSuccessAt?: string;
  lastOutcome?: string;
  lastHttpStatus?: number;
  lastItemCount?: number;
  lastError?: { code: string; message: string; at?: string };
  /** The last article page that could not be read; its item was matched on its feed text. */
  lastArticleError?: { code: string; message: string; at?: string };
  consecutiveFailures: number;
  nextPollAt?: string;
  /** The feed's WebSub subscription, when it has one. */
  push?: PushHealth;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export async function listFeedHealth(
  redis: Redis,
  prefix: string,
  feeds: readonly Pick<FeedConfig, 'id' | 'url'>[],
  /** With these, each feed's WebSub subscription is read too (websub.silentAfter, the time now). */
  push?: { silentAfterMs: number; now: number },
): Promise<FeedHealth[]> {
  if (feeds.length === 0) return [];
  // One read per feed, not one pipeline: feed states live in different cluster slots.
  const states = await Promise.all(
    feeds.map((f) => redis.hgetall(feedStateKey(prefix, f.id)).catch(() => ({}))),
  );
  const websub = createWebsubStore(redis, { prefix });
  const subs = push ? await Promise.all(feeds.map((f) => websub.get(f.id).catch(() => undefined))) : [];
  return feeds.map((f, i) => {
    const row = health(f, states[i]);
    return push && subs[i] ? { ...row, push: pushHealth(subs[i], push.now, push.silentAfterMs) } : row;
  });
}

function health(f: Pick<FeedConfig, 'id' | 'url'>, state: Record<string, string>): FeedHealth {
  const s = decodeState(state);
  const polled = s.lastPollAt !== undefined && s.url === f.url;
  const health: FeedHealth = {
    id: f.id,
    url: f.url,
    status: !polled ? 'never' : s.consecutiveFailures > 0 ? 'failing' : 'ok',
    consecutiveFailures: polled ? s.consecutiveFailures : 0,
  };
  if (!polled) return health;
  const optional: Partial<FeedHealth> = {
    lastPollAt: iso(s.lastPollAt),
    lastSuccessAt: iso(s.lastSuccessAt),
    lastOutcome: s.lastOutcome,
    lastHttpStatus: s.lastHttpStatus,
    lastItemCount: s.lastItemCount,
    nextPollAt: iso(s.nextPollAt),
    lastError: s.lastErrorCode
      ? { code: s.lastErrorCode, message: s.lastErrorMessage ?? '', at: iso(s.lastErrorAt) }
      : undefined,
    lastArticleError: s.lastArticleErrorCode
      ? {
          code: s.lastArticleErrorCode,
          message: s.lastArticleErrorMessage ?? '',
          at: iso(s.lastArticleErrorAt),
        }
      : undefined,
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (health as unknown as Record<string, unknown>)[k] = v;
  return health;
}
