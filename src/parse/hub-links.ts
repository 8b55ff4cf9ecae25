/**
 * WebSub discovery in a feed document: the feed-level `<link rel="hub">` (Atom, or `atom:link` in an
 * RSS channel) and `<link rel="self">`, resolved against the feed's URL. Links inside items and
 * entries are theirs, not the feed's, and are skipped. Read with htmlparser2 in XML mode, which
 * never expands entities or loads anything. The HTTP `Link` header (RFC 8288) names them too; when
 * it does, it wins over the document.
 */
import { Parser } from 'htmlparser2';
import { absoluteUrl } from './normalize.js';

export interface HubLinks {
  hubs: string[];
  self?: string;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1).toLowerCase();
const ITEM = new Set(['item', 'entry']);

/** Only a document that mentions a hub link is read a second time. */
const MENTIONS_HUB = /rel\s*=\s*["'][^"']*\bhub\b/i;

export function xmlHubLinks(xml: string, feedUrl: string): HubLinks {
  if (!MENTIONS_HUB.test(xml)) return { hubs: [] };
  const hubs: string[] = [];
  let self: string | undefined;
  let itemDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const local = localName(name);
        if (ITEM.has(local)) itemDepth++;
        if (itemDepth > 0 || local !== 'link') return;
        const rels = (attrs.rel ?? '').toLowerCase().split(/\s+/);
        const href = absoluteUrl(attrs.href, feedUrl);
        if (!href) return;
        if (rels.includes('hub') && !hubs.includes(href)) hubs.push(href);
        if (rels.includes('self')) self ??= href;
      },
      onclosetag(name) {
        if (ITEM.has(localName(name))) itemDepth = Math.max(0, itemDepth - 1);
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return { hubs, ...(self ? { self } : {}) };
}

/** JSON Feed `hubs` (`[{ type: "WebSub", url }]`) and `feed_url`. */
export function jsonHubLinks(doc: Record<string, unknown>, feedUrl: string): HubLinks {
  const list = Array.isArray(doc.hubs) ? (doc.hubs as unknown[]) : [];
  const hubs = list.flatMap((h) => {
    if (h === null || typeof h !== 'object') return [];
    const { type, url } = h as { type?: unknown; url?: unknown };
    const websub = typeof type !== 'string' || /^(websub|pubsubhubbub)$/i.test(type);
    const href = websub && typeof url === 'string' ? absoluteUrl(url, feedUrl) : undefined;
    return href ? [href] : [];
  });
  const self = typeof doc.feed_url === 'string' ? absoluteUrl(doc.feed_url, feedUrl) : undefined;
  return { hubs: [...new Set(hubs)], ...(self ? { self } : {}) };
}

export interface WebLink {
  href: string;
  rels: string[];
}

/**
 * `<url>; rel="hub", <url>; rel="self alternate"` → the links, each with its lower-cased rels.
 * Commas inside `<…>` or quoted parameters do not split links; a malformed link is skipped.
 */
export function parseLinkHeader(header: string | undefined): WebLink[] {
  const links: WebLink[] = [];
  const re = /<([^>]*)>((?:\s*;\s*[^;,"=]+(?:=(?:"[^"]*"|[^;,]*))?)*)/g;
  for (const m of (header ?? '').matchAll(re)) {
    const params = m[2];
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    if (rels.length > 0) links.push({ href: m[1].trim(), rels });
  }
  return links;
}

/** The hub and self URLs a Link header gives, resolved against the URL it came with. */
export function headerHubLinks(header: string | undefined, base: string): HubLinks {
  const links = parseLinkHeader(header);
  const resolve = (href: string) => (URL.canParse(href, base) ? new URL(href, base).href : undefined);
  const hubs = links.flatMap((l) => (l.rels.includes('hub') ? [resolve(l.href)].filter(isHttp) : []));
  const self = links
    .filter((l) => l.rels.includes('self'))
    .map((l) => resolve(l.href))
    .find(isHttp);
  return { hubs, ...(self ? { self } : {}) };
}

function isHttp(u: string | undefined): u is string {
  return u !== undefined && /^https?:/.test(u);
}
