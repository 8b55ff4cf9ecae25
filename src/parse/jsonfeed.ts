/**
 * JSON Feed 1.0 and 1.1 (jsonfeed.org/version/1.1) → ParsedFeed, through the same text, date,
 * cap and identity rules as the XML formats. Lenient like the feed reader: a field of the wrong
 * type is treated as missing; only a document that is not a JSON Feed at all is an error.
 */
import { MediawatchError, fail, ok, type Result } from '../contracts/errors.js';
import type { FeedItem, ParsedFeed } from '../contracts/item.js';
import { MAX_ITEMS_PER_FEED, absoluteUrl, isoDate, itemKey, itemLink, lang } from './normalize.js';
import { jsonHubLinks } from './hub-links.js';
import { collapse, htmlToText } from './text.js';

const VERSION = /^https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?$/;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const string = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** 1.1 `authors` (an array), else 1.0 `author` (one object): the names, comma-separated. */
function authorOf(item: Json, feed: Json): string | undefined {
  const list = Array.isArray(item.authors)
    ? item.authors
    : isObject(item.author)
      ? [item.author]
      : Array.isArray(feed.authors)
        ? feed.authors
        : isObject(feed.author)
          ? [feed.author]
          : [];
  const names = list.flatMap((a) =>
    isObject(a) && typeof a.name === 'string' && a.name.trim() ? [collapse(a.name)] : [],
  );
  return names.length > 0 ? names.join(', ') : undefined;
}

function jsonFeedItem(raw: Json, feed: Json, feedUrl: string, feedLang: string | undefined): FeedItem {
  const id = typeof raw.id === 'number' ? String(raw.id) : collapse(string(raw.id) ?? '');
  const url = itemLink(string(raw.url), feedUrl) ?? itemLink(string(raw.external_url), feedUrl);
  const title = htmlToText(string(raw.title) ?? '');
  const html = htmlToText(string(raw.content_html) ?? '');
  const plain = htmlToText(string(raw.content_text) ?? '');
  const content = html || plain;
  const summary = htmlToText(string(raw.summary) ?? '') || content;
  const item: FeedItem = {
    key: '',
    ...(id ? { guid: id } : {}),
    ...(url ? { url } : {}),
    title,
    summary,
    content,
  };
  const published = isoDate(raw.date_published) ?? isoDate(raw.date_modified);
  if (published) item.publishedAt = published;
  const author = authorOf(raw, feed);
  if (author) item.author = author;
  const itemLang = lang(raw.language) ?? feedLang;
  if (itemLang) item.lang = itemLang;
  const tags = Array.isArray(raw.tags)
    ? raw.tags.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map(collapse)
    : [];
  if (tags.length > 0) item.keywords = tags;
  item.key = itemKey(item);
  return item;
}

/** Whether a parsed JSON value is a JSON Feed (the version URL, or the shape of one without it). */
function isJsonFeed(doc: unknown): doc is Json {
  if (!isObject(doc)) return false;
  if (typeof doc.version === 'string') return VERSION.test(doc.version);
  return Array.isArray(doc.items) && typeof doc.title === 'string';
}

export function parseJsonFeed(text: string, encoding: string, feedUrl: string): Result<ParsedFeed> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return fail(
      new MediawatchError('parse', `the JSON Feed is not valid JSON: ${message}`, {
        cause: err,
        details: { url: feedUrl },
      }),
    );
  }
  if (!isJsonFeed(doc)) {
    const version =
      isObject(doc) && typeof doc.version === 'string' ? ` (version "${doc.version.slice(0, 100)}")` : '';
    return fail(
      new MediawatchError('not-a-feed', `the response is JSON but not a JSON Feed${version}`, {
        details: { url: feedUrl },
      }),
    );
  }
  const feedLang = lang(doc.language);
  const raw = Array.isArray(doc.items) ? doc.items.slice(0, MAX_ITEMS_PER_FEED) : [];
  const feed: ParsedFeed = {
    format: 'jsonfeed',
    encoding,
    items: raw.filter(isObject).map((i) => jsonFeedItem(i, doc, feedUrl, feedLang)),
  };
  const title = htmlToText(string(doc.title) ?? '');
  if (title) feed.title = title;
  const link = absoluteUrl(string(doc.home_page_url), feedUrl);
  if (link) feed.link = link;
  if (feedLang) feed.lang = feedLang;
  const links = jsonHubLinks(doc, feedUrl);
  if (links.hubs.length > 0) Object.assign(feed, links);
  return ok(feed);
}
