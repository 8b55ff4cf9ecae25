/**
 * A sitemap feed's items for one poll: an index's child sitemaps fetched (the most recently
 * modified first, at most `maxSitemaps`, one level deep), then only the entries published within
 * the feed's window. A child that fails is skipped and reported; the poll fails only when every
 * child failed.
 */
import { SITEMAP_DEFAULTS, type FeedConfig } from '../config/schema.js';
import { MediawatchError, fail, ok, type Result } from '../contracts/errors.js';
import type { ParsedFeed } from '../contracts/item.js';

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
  const children = (parsed.sitemaps ?? []).slice(0, feed.maxSitemaps ?? SITEMAP_DEFAULTS.maxSitemaps);
  const skipped: MediawatchError[] = [];
  let items = parsed.items;
  for (const url of children) {
    const child = await fetchChild(url);
    if (!child.ok) skipped.push(child.error);
    else if (child.value.sitemaps?.length)
      skipped.push(
        new MediawatchError(
          'not-a-feed',
          `${url} is a sitemap index inside a sitemap index; only one level is followed`,
          { details: { url } },
        ),
      );
    else items = items.concat(child.value.items);
  }
  if (children.length > 0 && skipped.length === children.length) return fail(skipped[0]);
  const since = now - (feed.window ?? SITEMAP_DEFAULTS.windowMs);
  const recent = items.filter((i) => i.publishedAt !== undefined && Date.parse(i.publishedAt) >= since);
  const { sitemaps: _children, ...rest } = parsed;
  return ok({ feed: { ...rest, items: recent }, skipped });
}
