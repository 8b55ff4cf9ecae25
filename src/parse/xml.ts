/**
 * The one module that touches the feed library. rss-parser turns RSS 0.9x/2.0, RDF and Atom into
 * loosely typed objects (the wire type below); normalize.ts adapts them to our model.
 *
 * Hardening, because feed bodies are written by strangers:
 * - only text whose root element is rss/feed/RDF reaches the parser (sniff.ts decides), so
 *   arbitrary bytes never exercise xml2js's error paths;
 * - the DOCTYPE is removed before parsing: entity declarations (billion laughs) and external
 *   entities (XXE) are never seen; the XML parser itself never loads anything;
 * - a fresh parser per document: xml2js keeps state after an error, and a shared instance fails
 *   every later document;
 * - rss-parser builds a "snippet" of every description with regular expressions that take
 *   quadratic time on crafted markup (many "<" with no ">"); we never use it, so it is disabled;
 * - an unparsable Atom date makes rss-parser reject the whole feed, so dates are checked as the
 *   XML is read and bad ones dropped.
 */
import Parser from 'rss-parser';
// Deep import: the module object whose getSnippet rss-parser calls; see above for why it is replaced.
import rssUtils from 'rss-parser/lib/utils.js';
import { MediawatchError, fail, ok, type Result } from '../contracts/errors.js';

rssUtils.getSnippet = () => '';

/** What rss-parser hands back, as far as we read it; every field may be missing or oddly shaped. */
export interface WireItem {
  [key: string]: unknown;
  title?: unknown;
  link?: unknown;
  guid?: unknown;
  id?: unknown;
  content?: unknown;
  'content:encoded'?: unknown;
  summary?: unknown;
  pubDate?: unknown;
  isoDate?: unknown;
  date?: unknown;
  creator?: unknown;
  author?: unknown;
  language?: unknown;
  /** RSS `<source url>`: the outlet of an aggregated item (Google News). */
  source?: unknown;
}

export interface WireFeed {
  [key: string]: unknown;
  title?: unknown;
  link?: unknown;
  language?: unknown;
  ttl?: unknown;
  items?: WireItem[];
}

const DATE_TAGS = new Set(['published', 'updated', 'pubDate', 'dc:date']);

function dropBadDates(value: string, name: string): string {
  if (!DATE_TAGS.has(name)) return value;
  return Number.isNaN(Date.parse(value.trim())) ? '' : value;
}

/** Removes the document type declaration, internal subset included. */
export function stripDoctype(xml: string): string {
  const start = xml.search(/<!DOCTYPE/i);
  if (start < 0) return xml;
  const root = xml.search(/<[A-Za-z_]/);
  if (root >= 0 && root < start) return xml;
  let i = start + 9;
  const close = xml.indexOf('>', i);
  const open = xml.indexOf('[', i);
  if (open >= 0 && (close < 0 || open < close)) {
    const end = xml.indexOf(']', open);
    i = end < 0 ? xml.length : end;
  }
  const gt = xml.indexOf('>', i);
  return xml.slice(0, start) + (gt < 0 ? '' : xml.slice(gt + 1));
}

/** `<rss>` with no `<channel>`: nothing to read, and rss-parser would fail on the missing channel. */
const RSS_WITHOUT_CHANNEL = (xml: string) =>
  /<(?:\w+:)?rss[\s>/]/.test(xml) && !/<(?:\w+:)?channel[\s>/]/.test(xml);

export async function parseXml(xml: string): Promise<Result<WireFeed>> {
  if (RSS_WITHOUT_CHANNEL(xml)) return ok({ items: [] });
  try {
    const parser = new Parser({
      defaultRSS: 2,
      customFields: { item: ['source'] },
      xml2js: { valueProcessors: [dropBadDates] },
    });
    const feed = (await parser.parseString(stripDoctype(xml))) as unknown as WireFeed;
    return ok(feed);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return fail(new MediawatchError('parse', `the feed is not well-formed XML: ${message}`, { cause: err }));
  }
}
