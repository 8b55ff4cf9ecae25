/**
 * What a site offers to poll: the URL itself when it is a feed; else the feeds its page
 * advertises (`<link rel=alternate>`), the sitemaps its robots.txt lists, and the feeds and
 * sitemaps found at the paths sites commonly use. Each candidate is fetched and parsed once, in
 * turn (one host, one request at a time).
 */
import type { Result } from '../contracts/errors.js';
import { robotsSitemaps } from '../parse/sitemap.js';
import { checkFeed, type CheckDeps, type FeedCheck } from './check-feed.js';

export type FoundVia = 'the URL itself' | 'the page' | 'robots.txt' | 'a common path';

export interface Candidate {
  url: string;
  via: FoundVia;
  check: Result<FeedCheck>;
}

/** Where sites commonly put feeds and news sitemaps; only the ones that answer with one are listed. */
export const COMMON_PATHS = [
  '/feed',
  '/rss',
  '/rss.xml',
  '/feed.xml',
  '/atom.xml',
  '/index.xml',
  '/feed.json',
  '/sitemap.xml',
  '/news-sitemap.xml',
  '/sitemap_news.xml',
];

async function robotsTxt(siteUrl: string, deps: CheckDeps): Promise<string[]> {
  const robotsUrl = new URL('/robots.txt', siteUrl).href;
  const r = await deps.http.request(robotsUrl, {
    connectTimeoutMs: deps.config.connectTimeout,
    totalTimeoutMs: deps.config.totalTimeout,
    maxBytes: Math.min(deps.config.maxBytes, 512 * 1024),
    maxRedirects: deps.config.maxRedirects,
  });
  if (!r.ok || r.value.status !== 200) return [];
  return robotsSitemaps(r.value.body.toString('utf8'), r.value.finalUrl);
}

export async function discoverFeeds(url: string, deps: CheckDeps): Promise<Candidate[]> {
  const first = await checkFeed(url, deps);
  if (first.ok || first.error.code !== 'not-a-feed') return [{ url, via: 'the URL itself', check: first }];
  const advertised = Array.isArray(first.error.details.feedLinks)
    ? (first.error.details.feedLinks as string[])
    : [];
  const named: { url: string; via: FoundVia }[] = [
    ...advertised.map((u) => ({ url: u, via: 'the page' as const })),
    ...(await robotsTxt(url, deps)).map((u) => ({ url: u, via: 'robots.txt' as const })),
  ];
  const found: Candidate[] = [];
  const tried = new Set<string>([url]);
  // Where each listed feed ended up after redirects: /feed and /rss often lead to the same one.
  const listed = new Set<string>();
  for (const c of named) {
    if (tried.has(c.url)) continue;
    tried.add(c.url);
    const check = await checkFeed(c.url, deps);
    if (check.ok) listed.add(check.value.finalUrl);
    found.push({ ...c, check });
  }
  for (const path of COMMON_PATHS) {
    const candidate = new URL(path, url).href;
    if (tried.has(candidate)) continue;
    tried.add(candidate);
    const check = await checkFeed(candidate, deps);
    // A missing common path is expected; only the ones that are feeds are worth listing.
    if (check.ok && !listed.has(check.value.finalUrl)) {
      listed.add(check.value.finalUrl);
      found.push({ url: candidate, via: 'a common path', check });
    }
  }
  return found;
}
