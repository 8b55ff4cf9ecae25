/**
 * rss-parser's loose objects → our FeedItem/ParsedFeed: plain text, absolute links, ISO dates,
 * and the item identity computed once. Every field reader is lenient: a field of an unexpected
 * shape is treated as missing, never as an error.
 */
import { createHash } from 'node:crypto';
import type { FeedFormat, FeedItem, ParsedFeed } from '../contracts/item.js';
import { detectLanguage } from '../language/detect.js';
import { unwrapGoogleLink } from './google.js';
import { collapse, htmlToText } from './text.js';
import type { WireFeed, WireItem } from './xml.js';

/**
 * Items kept per feed. Real feeds carry tens to hundreds; a feed with more is an archive dump or
 * an attack, and the newest items come first in practice.
 */
export const MAX_ITEMS_PER_FEED = 10_000;

/** A string from a field that may be a string, an xml2js node ({ _: text, $: attrs }) or junk. */
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as { _?: unknown })._ === 'string'
  )
    return (v as { _: string })._;
  return undefined;
}

function text(v: unknown): string {
  const s = str(v);
  return s === undefined ? '' : htmlToText(s);
}

/** An absolute http(s) URL, resolved against the feed URL; undefined for anything else. */
export function absoluteUrl(href: string | undefined, base: string): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  if (!URL.canParse(h, base)) return undefined;
  const u = new URL(h, base);
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
}

/** An item's link: absolute, and a Google redirect replaced by the article it points to. */
export function itemLink(href: string | undefined, base: string): string | undefined {
  const link = absoluteUrl(href, base);
  return link === undefined ? undefined : unwrapGoogleLink(link);
}

/** An ISO 8601 date-time without a zone, which JavaScript would read in the machine's local time. */
const ZONELESS_ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** A date as ISO 8601 UTC; a date-time without a zone is taken as UTC, the same on every machine. */
export function isoDate(v: unknown): string | undefined {
  const s = str(v)?.trim();
  if (!s) return undefined;
  const t = Date.parse(ZONELESS_ISO.test(s) ? `${s.replace(' ', 'T')}Z` : s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * The item's identity within its feed: the guid, else the canonical link, else a hash of what
 * it says. Stable across polls as long as the publisher keeps the guid or link.
 */
export function itemKey(item: { guid?: string; url?: string; title: string; content: string }): string {
  if (item.guid) return `g:${item.guid}`;
  if (item.url) return `u:${canonicalLink(item.url)}`;
  return `h:${createHash('sha256').update(`${item.title}\n${item.content}`).digest('hex')}`;
}

/** The link without a fragment and with the host lower-cased (URL does that), for identity only. */
function canonicalLink(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

export function lang(v: unknown): string | undefined {
  const s = str(v)?.trim();
  return s && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(s) ? s : undefined;
}

export function normalizeItem(w: WireItem, feedUrl: string, feedLang: string | undefined): FeedItem {
  const guid = collapse(str(w.guid) ?? str(w.id) ?? '') || undefined;
  const link =
    itemLink(str(w.link), feedUrl) ??
    (guid && /^https?:\/\//i.test(guid) ? itemLink(guid, feedUrl) : undefined);
  const title = text(w.title);
  const encoded = text(w['content:encoded']);
  const description = text(w.content);
  const atomSummary = text(w.summary);
  const content = encoded || description || atomSummary;
  const summary = (encoded ? description : atomSummary) || content;
  const author = collapse(str(w.creator) ?? str(w.author) ?? '') || undefined;
  const outlet = collapse(str(w.source) ?? '') || undefined;
  const item: FeedItem = {
    key: '',
    ...(guid ? { guid } : {}),
    ...(link ? { url: link } : {}),
    title,
    summary,
    content,
  };
  const published = isoDate(w.isoDate) ?? isoDate(w.pubDate) ?? isoDate(w.date);
  if (published) item.publishedAt = published;
  if (author) item.author = author;
  if (outlet) item.outlet = outlet;
  // A language the item or its feed declares wins; most feeds declare none, so it is detected.
  const itemLang =
    lang(w.language) ??
    feedLang ??
    detectLanguage(summary === content ? `${title}\n${content}` : `${title}\n${summary}\n${content}`);
  if (itemLang) item.lang = itemLang;
  item.key = itemKey(item);
  return item;
}

export function normalizeFeed(
  w: WireFeed,
  format: FeedFormat,
  encoding: string,
  feedUrl: string,
): ParsedFeed {
  const feedLang = lang(w.language);
  const wireItems = Array.isArray(w.items) ? w.items.slice(0, MAX_ITEMS_PER_FEED) : [];
  const ttl = Number(str(w.ttl));
  const feed: ParsedFeed = {
    format,
    encoding,
    items: wireItems.map((i) => normalizeItem(i ?? {}, feedUrl, feedLang)),
  };
  const title = text(w.title);
  if (title) feed.title = title;
  const link = absoluteUrl(str(w.link), feedUrl);
  if (link) feed.link = link;
  if (feedLang) feed.lang = feedLang;
  if (Number.isInteger(ttl) && ttl > 0) feed.ttlMinutes = ttl;
  return feed;
}
