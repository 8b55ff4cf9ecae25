/**
 * Reading an item's page: robots.txt first, then one polite request (the host limiter that paces
 * feeds, widened by a Crawl-delay) through the feed client, so the address policy, the redirect
 * limit and the byte cap hold on every hop; then the article is extracted. Never throws: a page
 * that cannot be read is a reason to count, and the item goes on with its feed text.
 */
import type { FullTextConfig } from '../config/schema.js';
import { fail, ok, type Result } from '../contracts/errors.js';
import { PAGE_ACCEPT, extractArticle, type Article } from '../extract/index.js';
import type { HostLimiter } from '../fetch/host-limiter.js';
import type { HttpClient } from '../net/http-client.js';
import type { RobotsStore } from './robots.js';

export interface PageFailure {
  /** robots, http-status, a fetch error code (timeout, too-large, blocked-address…), an extraction error kind, or busy. */
  reason: string;
  message: string;
  /**
   * Set when the page's host already has enough requests waiting for their turn (reason busy):
   * come back after this long. A job that waits for a slow host holds a worker slot the other
   * hosts' pages need.
   */
  retryInMs?: number;
}

export interface ArticleReaderDeps {
  http: HttpClient;
  limiter: HostLimiter;
  robots: RobotsStore;
  config: () => FullTextConfig;
  connectTimeoutMs: number;
  maxRedirects: number;
}

export interface ArticleReader {
  read(url: string): Promise<Result<Article, PageFailure>>;
}

/** Requests queued for one host that keep it busy: more would only wait. */
const BUSY_WAITING = 4;
const MIN_DEFER_MS = 1_000;
const MAX_DEFER_MS = 30_000;

export function createArticleReader(deps: ArticleReaderDeps): ArticleReader {
  return {
    async read(url) {
      const config = deps.config();
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
        return fail({ reason: 'bad-url', message: `${url} is not an http(s) URL` });
      const verdict = config.robots ? await deps.robots.check(url) : { allowed: true };
      if (!verdict.allowed) return fail({ reason: 'robots', message: `robots.txt disallows ${url}` });
      const host = new URL(url).host;
      // No await between the check and the acquire: jobs running side by side see each other's place.
      if (deps.limiter.waiting(host) >= BUSY_WAITING) {
        const retryInMs = Math.min(Math.max(deps.limiter.backlogMs(host), MIN_DEFER_MS), MAX_DEFER_MS);
        return fail({ reason: 'busy', message: `${host} has requests waiting`, retryInMs });
      }
      const release = await deps.limiter.acquire(host, verdict.crawlDelayMs);
      let res;
      try {
        res = await deps.http.request(url, {
          headers: { accept: PAGE_ACCEPT },
          connectTimeoutMs: Math.min(deps.connectTimeoutMs, config.timeout),
          totalTimeoutMs: config.timeout,
          maxBytes: config.maxBytes,
          maxRedirects: deps.maxRedirects,
        });
      } finally {
        release();
      }
      if (!res.ok) return fail({ reason: res.error.code, message: res.error.message });
      const { status, headers, body, finalUrl } = res.value;
      if (status < 200 || status >= 300)
        return fail({ reason: 'http-status', message: `${url} answered HTTP ${status}` });
      const article = extractArticle(body, {
        url: finalUrl,
        contentType: headers['content-type'],
        maxBytes: config.maxBytes,
      });
      return article.ok
        ? ok(article.value)
        : fail({ reason: article.error.kind, message: article.error.message });
    },
  };
}
