/**
 * A sitemap feed's items for one poll: an index's child sitemaps fetched (the most recently
 * modified first, at most `maxSitemaps` in all), an index inside the index followed in turn down to
 * MAX_SITEMAP_DEPTH levels, then only the entries published within the feed's window. A child that
 * fails is skipped and reported; the poll fails only when every child failed.
 */
import { SITEMAP_DEFAULTS, type FeedConfig } from '../config/schema.js';
import { MediawatchError, fail, ok, type Result } from '../contracts/errors.js';
import type { FeedItem, ParsedFeed } from '../contracts/item.js';

/** Levels of indexes below the feed's own: large sites split their index by year, then by day. */
export const MAX_SITEMAP_DEPTH = 2;

export interface SitemapPoll {
  feed: ParsedFeed;
  /** Child sitemaps that could not be fetched or parsed, with the URL in each error. */
  skipped: MediawatchError[];
}

export async function sitemapItems(
  parsed: ParsedFeed,
  feed: Pick<FeedConfig, 'window' | 'maxSitemaps'>,
  now: number,
  fetchChild: (url: string) => Promise<Result<ParsedFeed>>,
): Promise<Result<SitemapPoll>> {
  const budget = feed.maxSitemaps ?? SITEMAP_DEFAULTS.maxSitemaps;
  // Breadth first: the top index's newest children before the children of a nested index.
  const queue = (parsed.sitemaps ?? []).map((url) => ({ url, depth: 1 }));
  const visited = new Set(queue.map((c) => c.url));
  const skipped: MediawatchError[] = [];
  let items: FeedItem[] = parsed.items;
  let fetched = 0;
  for (let next = queue.shift(); next && fetched < budget; next = queue.shift()) {
    const { url, depth } = next;
    fetched++;
    const child = await fetchChild(url);
    if (!child.ok) skipped.push(child.error);
    else if (!child.value.sitemaps?.length) items = items.concat(child.value.items);
    else if (depth >= MAX_SITEMAP_DEPTH) skipped.push(tooDeep(url));
    else
      for (const inner of child.value.sitemaps)
        if (!visited.has(inner)) {
          visited.add(inner);
          queue.push({ url: inner, depth: depth + 1 });
        }
  }
  if (fetched > 0 && skipped.length === fetched) return fail(skipped[0]);
  const since = now - (feed.window ?? SITEMAP_DEFAULTS.windowMs);
  const recent = items.filter((i) => i.publishedAt !== undefined && Date.parse(i.publishedAt) >= since);
  const { sitemaps: _children, ...rest } = parsed;
  return ok({ feed: { ...rest, items: recent }, skipped });
}

function tooDeep(url: string): MediawatchError {
  return new MediawatchError(
    'not-a-feed',
    `${url} is a sitemap index ${MAX_SITEMAP_DEPTH} levels below the feed; deeper indexes are not followed`,
    { details: { url } },
  );
}
