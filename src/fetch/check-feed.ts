/**
 * `mediawatch feeds check <url>`: one unconditional fetch and parse, reported for a person; on a
 * site's page, the feeds and sitemaps it leads to (discover.ts).
 */
import type { FetchConfig } from '../config/schema.js';
import { fail, ok, type Result } from '../contracts/errors.js';
import type { FeedFormat } from '../contracts/item.js';
import type { HttpClient } from '../net/http-client.js';
import { FEED_ACCEPT } from '../net/user-agent.js';
import { parseFeed } from '../parse/parse-feed.js';
import { httpStatusError } from './poller.js';

export interface FeedCheck {
  url: string;
  finalUrl: string;
  httpStatus: number;
  contentType?: string;
  bytes: number;
  durationMs: number;
  encoding: string;
  format: FeedFormat;
  title?: string;
  itemCount: number;
  /** A sitemap index: how many child sitemaps it lists (its items are theirs). */
  sitemapCount?: number;
  firstItems: { title: string; url?: string; publishedAt?: string }[];
}

const SHOWN_ITEMS = 5;

export interface CheckDeps {
  http: HttpClient;
  config: FetchConfig;
  clock: () => number;
}

export async function checkFeed(url: string, deps: CheckDeps): Promise<Result<FeedCheck>> {
  const { config } = deps;
  const started = deps.clock();
  const r = await deps.http.request(url, {
    headers: { accept: FEED_ACCEPT },
    connectTimeoutMs: config.connectTimeout,
    totalTimeoutMs: config.totalTimeout,
    maxBytes: config.maxBytes,
    maxRedirects: config.maxRedirects,
  });
  if (!r.ok) return r;
  const res = r.value;
  if (res.status < 200 || res.status >= 300) return fail(httpStatusError(res, url, deps.clock()));
  const parsed = await parseFeed(res.body, { contentType: res.headers['content-type'], url: res.finalUrl });
  if (!parsed.ok) return parsed;
  const feed = parsed.value;
  return ok({
    url,
    finalUrl: res.finalUrl,
    httpStatus: res.status,
    ...(res.headers['content-type'] ? { contentType: res.headers['content-type'] } : {}),
    bytes: res.body.length,
    durationMs: deps.clock() - started,
    encoding: feed.encoding,
    format: feed.format,
    ...(feed.title ? { title: feed.title } : {}),
    itemCount: feed.items.length,
    ...(feed.sitemaps ? { sitemapCount: feed.sitemaps.length } : {}),
    firstItems: feed.items.slice(0, SHOWN_ITEMS).map((i) => ({
      title: i.title,
      ...(i.url ? { url: i.url } : {}),
      ...(i.publishedAt ? { publishedAt: i.publishedAt } : {}),
    })),
  });
}
