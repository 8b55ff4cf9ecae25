/**
 * One poll of one feed: decide whether it is due, make a polite conditional request, classify
 * the answer, parse only what changed, and remember everything in Redis for the next poll.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { FeedConfig, FetchConfig } from '../config/schema.js';
import { MediawatchError, type Result } from '../contracts/errors.js';
import type { ParsedFeed } from '../contracts/item.js';
import { createHttpClient, type HttpClient, type HttpResponse } from '../net/http-client.js';
import type { AddressPolicy } from '../net/address-policy.js';
import { FEED_ACCEPT } from '../net/user-agent.js';
import { parseFeed } from '../parse/parse-feed.js';
import { intervalAfterChange, intervalWhenUnchanged } from './adaptive.js';
import { backoffMs } from './backoff.js';
import { readFeedState, writeFeedState, type FeedState } from './feed-state.js';
import { createHostLimiter, type HostLimiter } from './host-limiter.js';
import { sitemapItems } from './sitemap.js';
import { parseRetryAfter } from '../net/retry-after.js';

/** Numbers for metrics and logs, on every outcome that made a request. */
export interface PollStats {
  durationMs?: number;
  bytes?: number;
  httpStatus?: number;
}

export type PollOutcome = (
  | { status: 'skipped'; reason: 'backoff' | 'not-due'; nextPollAt: number }
  | { status: 'not-modified' }
  | { status: 'unchanged' }
  /**
   * The feed changed. Its new validators and body hash are saved only by `commit()`, which the
   * caller runs once the items are safely queued: a crash before that refetches the same body.
   */
  | { status: 'parsed'; feed: ParsedFeed; commit(): Promise<void> }
  | { status: 'failed'; error: MediawatchError }
) &
  PollStats;

/** The part of a pino logger the poller uses; failures are logged by the caller, which knows the job. */
export interface PollerLogger {
  debug(obj: object, msg: string): void;
}

export interface FeedPollerDeps {
  http: HttpClient;
  redis: Redis;
  prefix: string;
  config: FetchConfig;
  clock: () => number;
  logger?: PollerLogger;
  /** Shared between pollers that must be polite together; one per poller by default. */
  limiter?: HostLimiter;
}

export interface FeedPoller {
  poll(feed: FeedConfig): Promise<PollOutcome>;
}

/** 429 and 503 are "come back later", which is what Retry-After qualifies. */
const RATE_LIMITED = new Set([429, 503]);

/**
 * The client feeds are fetched with. Connections are kept alive (an idle one closes after a few
 * seconds): feeds on one host, polled one after another, then share them instead of paying a TCP
 * and TLS handshake per poll; the host limiter bounds how many there are.
 */
export function createFeedHttpClient(policy: AddressPolicy, userAgent: string): HttpClient {
  return createHttpClient({ policy, userAgent, keepAlive: true });
}

export function httpStatusError(res: HttpResponse, url: string, now: number): MediawatchError {
  const retryAfterMs = RATE_LIMITED.has(res.status)
    ? parseRetryAfter(res.headers['retry-after'], now)
    : undefined;
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
  return new MediawatchError('http-status', `${url} answered HTTP ${res.status}`, {
    retryable,
    details: { url, status: res.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
  });
}

export function createFeedPoller(deps: FeedPollerDeps): FeedPoller {
  const { config, clock, redis, prefix } = deps;
  const limiter =
    deps.limiter ?? createHostLimiter({ concurrency: config.perHostConcurrency, gapMs: config.perHostGap });
  const bounds = { minMs: config.adaptive.min, maxMs: config.adaptive.max };

  async function request(
    feed: FeedConfig,
    state: FeedState,
  ): Promise<{ res?: HttpResponse; error?: MediawatchError }> {
    const headers: Record<string, string> = { accept: FEED_ACCEPT };
    // A sitemap index that did not change may still point to sitemaps that did.
    if (feed.conditional && feed.type !== 'sitemap') {
      if (state.etag) headers['if-none-match'] = state.etag;
      if (state.lastModified) headers['if-modified-since'] = state.lastModified;
    }
    // An unparsable URL gets its own queue; the client then reports it as 'bad-url'.
    const release = await limiter.acquire(URL.canParse(feed.url) ? new URL(feed.url).host : feed.url);
    try {
      const r = await deps.http.request(feed.url, {
        headers,
        connectTimeoutMs: config.connectTimeout,
        totalTimeoutMs: config.totalTimeout,
        maxBytes: config.maxBytes,
        maxRedirects: config.maxRedirects,
      });
      return r.ok ? { res: r.value } : { error: r.error };
    } finally {
      release();
    }
  }

  async function fail(
    feed: FeedConfig,
    state: FeedState,
    error: MediawatchError,
    now: number,
    stats: PollStats,
  ): Promise<PollOutcome> {
    const failures = state.consecutiveFailures + 1;
    const retryAfter = typeof error.details.retryAfterMs === 'number' ? error.details.retryAfterMs : 0;
    const nextPollAt = now + Math.max(backoffMs(failures, config.maxBackoff), retryAfter);
    await writeFeedState(redis, prefix, feed.id, {
      url: feed.url,
      lastPollAt: now,
      lastOutcome: 'failed',
      lastErrorAt: now,
      lastErrorCode: error.code,
      lastErrorMessage: error.message,
      lastHttpStatus: stats.httpStatus,
      consecutiveFailures: failures,
      nextPollAt,
    });
    deps.logger?.debug(
      { feed: feed.id, code: error.code, failures, nextPollAt: new Date(nextPollAt).toISOString() },
      'feed poll failed; backing off',
    );
    return { status: 'failed', error, ...stats };
  }

  async function succeed(feed: FeedConfig, now: number, changes: Partial<FeedState>): Promise<void> {
    await writeFeedState(redis, prefix, feed.id, {
      url: feed.url,
      lastPollAt: now,
      lastSuccessAt: now,
      consecutiveFailures: 0,
      lastErrorCode: undefined,
      lastErrorMessage: undefined,
      ...changes,
    });
  }

  /** A child sitemap of an index: fetched like the feed (politeness, caps, address policy), never conditionally. */
  async function fetchChild(feed: FeedConfig, url: string): Promise<Result<ParsedFeed>> {
    const { res, error } = await request({ ...feed, url, conditional: false }, { consecutiveFailures: 0 });
    if (!res) return { ok: false, error: error! };
    if (res.status < 200 || res.status >= 300)
      return { ok: false, error: httpStatusError(res, url, clock()) };
    return parseFeed(res.body, { contentType: res.headers['content-type'], url: res.finalUrl });
  }

  async function parseDocument(
    feed: FeedConfig,
    res: HttpResponse,
    now: number,
  ): Promise<Result<ParsedFeed>> {
    const parsed = await parseFeed(res.body, {
      contentType: res.headers['content-type'],
      url: res.finalUrl,
      link: res.headers.link,
    });
    if (!parsed.ok || parsed.value.format !== 'sitemap') return parsed;
    const r = await sitemapItems(parsed.value, feed, now, (url) => fetchChild(feed, url));
    if (!r.ok) return r;
    for (const e of r.value.skipped)
      deps.logger?.debug({ feed: feed.id, err: e.toJSON() }, 'child sitemap skipped');
    return { ok: true, value: r.value.feed };
  }

  const adaptiveFor = (feed: FeedConfig) => feed.adaptive ?? config.adaptive.enabled;

  async function pollOnce(feed: FeedConfig): Promise<PollOutcome> {
    const stored = await readFeedState(redis, prefix, feed.id);
    const now = clock();
    // A changed URL is a new feed as far as backoff, validators and body hash go.
    const sameUrl = stored.url === undefined || stored.url === feed.url;
    const state: FeedState = sameUrl ? stored : { consecutiveFailures: 0 };
    if (state.nextPollAt !== undefined && state.nextPollAt > now) {
      return {
        status: 'skipped',
        reason: state.consecutiveFailures > 0 ? 'backoff' : 'not-due',
        nextPollAt: state.nextPollAt,
      };
    }
    const started = clock();
    const { res, error } = await request(feed, state);
    const done = clock();
    const stats: PollStats = {
      durationMs: done - started,
      ...(res ? { bytes: res.body.length, httpStatus: res.status } : {}),
    };
    if (!res) return fail(feed, state, error!, done, stats);

    const validators = feed.conditional
      ? { etag: res.headers.etag, lastModified: res.headers['last-modified'] }
      : { etag: undefined, lastModified: undefined };
    const adaptive = adaptiveFor(feed);
    const cacheControl = res.headers['cache-control'];

    if (res.status === 304) {
      const intervalMs = adaptive ? intervalWhenUnchanged(state.intervalMs, cacheControl, bounds) : undefined;
      await succeed(feed, done, {
        lastOutcome: 'not-modified',
        lastHttpStatus: 304,
        // A 304 may carry fresh validators; keep the old ones when it does not.
        ...(feed.conditional
          ? {
              etag: res.headers.etag ?? state.etag,
              lastModified: res.headers['last-modified'] ?? state.lastModified,
            }
          : {}),
        intervalMs,
        nextPollAt: intervalMs !== undefined ? done + intervalMs : undefined,
      });
      return { status: 'not-modified', ...stats };
    }
    if (res.status < 200 || res.status >= 300)
      return fail(feed, state, httpStatusError(res, feed.url, done), done, stats);

    const bodyHash = createHash('sha256').update(res.body).digest('hex');
    if (bodyHash === state.bodyHash && feed.type !== 'sitemap') {
      const intervalMs = adaptive ? intervalWhenUnchanged(state.intervalMs, cacheControl, bounds) : undefined;
      await succeed(feed, done, {
        lastOutcome: 'unchanged',
        lastHttpStatus: res.status,
        ...validators,
        intervalMs,
        nextPollAt: intervalMs !== undefined ? done + intervalMs : undefined,
      });
      return { status: 'unchanged', ...stats };
    }

    const parsed = await parseDocument(feed, res, done);
    if (!parsed.ok) return fail(feed, state, parsed.error, done, stats);
    const feedOut = parsed.value;
    const intervalMs = adaptive
      ? intervalAfterChange({
          publishedAt: feedOut.items.map((i) => i.publishedAt),
          ttlMinutes: feedOut.ttlMinutes,
          cacheControl,
          bounds,
        })
      : undefined;
    const commit = () =>
      succeed(feed, done, {
        lastOutcome: 'parsed',
        lastHttpStatus: res.status,
        lastItemCount: feedOut.items.length,
        bodyHash,
        ...validators,
        intervalMs,
        nextPollAt: intervalMs !== undefined ? done + intervalMs : undefined,
      });
    deps.logger?.debug({ feed: feed.id, items: feedOut.items.length, bytes: res.body.length }, 'feed parsed');
    return { status: 'parsed', feed: feedOut, commit, ...stats };
  }

  return {
    async poll(feed) {
      try {
        return await pollOnce(feed);
      } catch (err) {
        // Redis being down is the usual cause; the poll is retried on the next tick.
        const error =
          err instanceof MediawatchError
            ? err
            : new MediawatchError(
                'redis',
                `feed state unavailable: ${err instanceof Error ? err.message : String(err)}`,
                { retryable: true, cause: err },
              );
        return { status: 'failed', error };
      }
    },
  };
}
