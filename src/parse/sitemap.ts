/**
 * Sitemaps (sitemaps.org 0.9) with the Google News extension → ParsedFeed. A `<urlset>` gives
 * one item per `<url>`: the link, and from `<news:news>` the title, publication date, keywords,
 * publication name (the outlet) and language; a plain sitemap gives the link and `<lastmod>`.
 * A `<sitemapindex>` gives no items, only its child sitemaps (newest `<lastmod>` first), which the
 * poller fetches. Sitemap items carry no article text: the feed's full-text mode fetches it.
 *
 * Read with htmlparser2 in XML mode: it never expands entity declarations or loads anything, and
 * element names are compared by local name so any namespace prefix works.
 */
import { Parser } from 'htmlparser2';
import type { FeedItem, ParsedFeed } from '../contracts/item.js';
import { MAX_ITEMS_PER_FEED, absoluteUrl, isoDate, itemKey, lang } from './normalize.js';
import { collapse, htmlToText } from './text.js';

/** Child sitemaps read from one index; a real index lists tens, an attack millions. */
const MAX_CHILD_SITEMAPS = 10_000;

interface Entry {
  loc?: string;
  lastmod?: string;
  title?: string;
  published?: string;
  keywords?: string;
  publication?: string;
  language?: string;
}

/** Which Entry field the text of an element (by local name, inside <url> or <sitemap>) fills. */
const FIELDS: Record<string, keyof Entry> = {
  loc: 'loc',
  lastmod: 'lastmod',
  title: 'title',
  publication_date: 'published',
  keywords: 'keywords',
  name: 'publication',
  language: 'language',
};

const localName = (name: string) => name.slice(name.indexOf(':') + 1).toLowerCase();

function readEntries(xml: string): { root?: string; entries: Entry[] } {
  const entries: Entry[] = [];
  let root: string | undefined;
  let entry: Entry | undefined;
  let field: keyof Entry | undefined;
  let text = '';
  // Image and video extensions have titles of their own, which are not the article's.
  let mediaDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        const local = localName(name);
        root ??= local;
        if (local === 'image' || local === 'video') mediaDepth++;
        else if (mediaDepth > 0) return;
        else if (
          (local === 'url' || local === 'sitemap') &&
          entries.length < MAX_ITEMS_PER_FEED + MAX_CHILD_SITEMAPS
        )
          entry = {};
        else if (entry && FIELDS[local]) {
          field = FIELDS[local];
          text = '';
        }
      },
      ontext(t) {
        if (field) text += t;
      },
      onclosetag(name) {
        const local = localName(name);
        if (local === 'image' || local === 'video') mediaDepth = Math.max(0, mediaDepth - 1);
        else if (mediaDepth > 0) return;
        else if (entry && field && FIELDS[local] === field) {
          entry[field] = text.trim();
          field = undefined;
        } else if (entry && (local === 'url' || local === 'sitemap')) {
          entries.push(entry);
          entry = undefined;
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return { root, entries };
}

function sitemapItem(e: Entry & { loc: string }): FeedItem {
  const keywords = (e.keywords ?? '')
    .split(',')
    .map((k) => collapse(k))
    .filter((k) => k !== '');
  const title = htmlToText(e.title ?? '');
  const item: FeedItem = { key: '', url: e.loc, title, summary: keywords.join(', '), content: '' };
  const published = isoDate(e.published) ?? isoDate(e.lastmod);
  if (published) item.publishedAt = published;
  const itemLang = lang(e.language);
  if (itemLang) item.lang = itemLang;
  const outlet = collapse(e.publication ?? '');
  if (outlet) item.outlet = outlet;
  if (keywords.length > 0) item.keywords = keywords;
  item.key = itemKey(item);
  return item;
}

const byNewest = (a: { at?: string }, b: { at?: string }) => (b.at ?? '').localeCompare(a.at ?? '');

export function parseSitemap(xml: string, encoding: string, sitemapUrl: string): ParsedFeed {
  const { root, entries } = readEntries(xml);
  const located = entries.flatMap((e) => {
    const loc = absoluteUrl(e.loc, sitemapUrl);
    return loc ? [{ ...e, loc }] : [];
  });
  if (root === 'sitemapindex') {
    const children = located
      .slice(0, MAX_CHILD_SITEMAPS)
      .map((e) => ({ url: e.loc, at: isoDate(e.lastmod) }));
    return { format: 'sitemap', encoding, items: [], sitemaps: children.sort(byNewest).map((c) => c.url) };
  }
  return { format: 'sitemap', encoding, items: located.slice(0, MAX_ITEMS_PER_FEED).map(sitemapItem) };
}

/** `Sitemap:` lines of a robots.txt, resolved against its URL. */
export function robotsSitemaps(robots: string, robotsUrl: string): string[] {
  const found: string[] = [];
  for (const line of robots.split(/\r?\n/)) {
    const m = /^\s*sitemap\s*:\s*(\S+)/i.exec(line);
    const url = m ? absoluteUrl(m[1], robotsUrl) : undefined;
    if (url && !found.includes(url)) found.push(url);
  }
  return found;
}
