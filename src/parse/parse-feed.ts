/**
 * Bytes of a feed → ParsedFeed: decode, recognise (RSS, Atom, RDF, JSON Feed, sitemap), parse,
 * normalize. Never throws; every failure is a MediawatchError ('not-a-feed' for pages, other JSON
 * and empty bodies, 'parse' for broken XML or JSON).
 */
import { MediawatchError, fail, ok, type Result } from '../contracts/errors.js';
import type { ParsedFeed } from '../contracts/item.js';
import { decodeBody } from './decode.js';
import { headerHubLinks, xmlHubLinks, type HubLinks } from './hub-links.js';
import { parseJsonFeed } from './jsonfeed.js';
import { normalizeFeed } from './normalize.js';
import { parseSitemap } from './sitemap.js';
import { advertisedFeeds, sniff } from './sniff.js';
import { parseXml } from './xml.js';

export interface FeedMeta {
  /** The Content-Type header the body was served with. */
  contentType?: string;
  /** The feed's URL (after redirects): the base for relative links. */
  url: string;
  /** The Link header it came with: WebSub hub and self links. */
  link?: string;
}

function notAFeed(message: string, url: string, feedLinks: string[] = []): MediawatchError {
  const advertised = feedLinks.length > 0 ? `; it advertises these feeds: ${feedLinks.join(', ')}` : '';
  return new MediawatchError('not-a-feed', `${message}${advertised}`, {
    details: { url, ...(feedLinks.length > 0 ? { feedLinks } : {}) },
  });
}

export async function parseFeed(body: Buffer, meta: FeedMeta): Promise<Result<ParsedFeed>> {
  const parsed = await parseDocument(body, meta);
  return parsed.ok ? ok(withHubLinks(parsed.value, headerHubLinks(meta.link, meta.url))) : parsed;
}

/** The header's hub links, when it names a hub, else the document's; absent when neither does. */
function withHubLinks(feed: ParsedFeed, header: HubLinks): ParsedFeed {
  const { hubs: bodyHubs, self: bodySelf, ...rest } = feed;
  const links = header.hubs.length > 0 ? header : { hubs: bodyHubs ?? [], self: header.self ?? bodySelf };
  if (links.hubs.length === 0) return rest;
  return { ...rest, hubs: links.hubs, ...(links.self ? { self: links.self } : {}) };
}

async function parseDocument(body: Buffer, meta: FeedMeta): Promise<Result<ParsedFeed>> {
  try {
    const decoded = decodeBody(body, meta.contentType);
    const kind = sniff(decoded.text, meta.url);
    switch (kind.kind) {
      case 'empty':
        return fail(notAFeed('the response body is empty', meta.url));
      case 'json':
        return parseJsonFeed(decoded.text, decoded.encoding, meta.url);
      case 'html':
        return fail(notAFeed('the response is an HTML page, not a feed', meta.url, kind.feedLinks));
      case 'other':
        return fail(
          notAFeed(
            kind.root
              ? `the document's root element is <${kind.root}>, not rss, feed, rdf:RDF, urlset or sitemapindex`
              : 'the response is not XML',
            meta.url,
            advertisedFeeds(decoded.text, meta.url),
          ),
        );
      case 'feed': {
        if (kind.format === 'sitemap') return ok(parseSitemap(decoded.text, decoded.encoding, meta.url));
        // Stray text before the document (a server-side warning, a blank line) is not the feed.
        const start = decoded.text.indexOf('<');
        const wire = await parseXml(start > 0 ? decoded.text.slice(start) : decoded.text);
        if (!wire.ok)
          return fail(
            new MediawatchError('parse', wire.error.message, {
              cause: wire.error.cause,
              details: { url: meta.url, encoding: decoded.encoding },
            }),
          );
        const feed = normalizeFeed(wire.value, kind.format, decoded.encoding, meta.url);
        const links = xmlHubLinks(decoded.text, meta.url);
        return ok(links.hubs.length > 0 ? { ...feed, ...links } : feed);
      }
    }
  } catch (err) {
    return fail(
      new MediawatchError(
        'internal',
        `parsing ${meta.url} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err, details: { url: meta.url } },
      ),
    );
  }
}
