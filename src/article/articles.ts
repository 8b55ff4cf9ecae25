/**
 * What the article stage needs, built once by the composition root: the reader (robots, the
 * shared host limiter, the feed client) and where a page that could not be read is noted.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { writeFeedState } from '../fetch/feed-state.js';
import type { HostLimiter } from '../fetch/host-limiter.js';
import type { HttpClient } from '../net/http-client.js';
import { createArticleReader, type ArticleReader, type PageFailure } from './read.js';
import { createRobotsStore } from './robots.js';

export interface Articles {
  reader: ArticleReader;
  /** Keeps the reason in the feed's health (`mediawatch feeds`). */
  noteFailure(feedId: string, failure: PageFailure, at: number): Promise<void>;
}

export interface ArticlesDeps {
  redis: Redis;
  http: HttpClient;
  /** The limiter feeds are polled through: pages and feeds of a host share its pace. */
  limiter: HostLimiter;
  config: () => Readonly<Config>;
  clock: () => number;
}

export function createArticles({ redis, http, limiter, config, clock }: ArticlesDeps): Articles {
  const prefix = config().redisPrefix;
  const robots = createRobotsStore({
    redis,
    prefix,
    http,
    now: clock,
    timeoutMs: () => config().fullText.timeout,
    acquire: (host) => limiter.acquire(host),
  });
  const { fetch } = config();
  const reader = createArticleReader({
    http,
    limiter,
    robots,
    config: () => config().fullText,
    connectTimeoutMs: fetch.connectTimeout,
    maxRedirects: fetch.maxRedirects,
  });
  return {
    reader,
    noteFailure: (feedId, failure, at) =>
      writeFeedState(redis, prefix, feedId, {
        lastArticleErrorAt: at,
        lastArticleErrorCode: failure.reason,
        lastArticleErrorMessage: failure.message,
      }),
  };
}
