/**
 * What kind of document a decoded body is, before any XML parser sees it: a feed (and which
 * format), an HTML page (and the feeds it advertises), JSON, or nothing.
 */
import { Parser } from 'htmlparser2';
import type { FeedFormat } from '../contracts/item.js';

export type Sniffed =
  | { kind: 'feed'; format: FeedFormat }
  | { kind: 'html'; feedLinks: string[] }
  | { kind: 'json' }
  | { kind: 'empty' }
  | { kind: 'other'; root?: string };

/** The head of a page is where alternate links live; no need to scan a whole large page. */
const HTML_SCAN_CHARS = 256 * 1024;
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
]);

/** Name of the first element, skipping the XML declaration, comments, PIs and the DOCTYPE. */
export function rootElement(text: string): string | undefined {
  let i = 0;
  const n = Math.min(text.length, 1 << 20);
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0 || lt >= n) return undefined;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (text.startsWith('<!', lt)) {
      const bracket = text.indexOf('[', lt);
      const gt = text.indexOf('>', lt);
      if (gt < 0) return undefined;
      if (bracket >= 0 && bracket < gt) {
        const close = text.indexOf(']', bracket);
        i = close < 0 ? n : text.indexOf('>', close) + 1 || n;
      } else i = gt + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 200));
      return m ? m[1] : undefined;
    }
  }
  return undefined;
}

function formatOf(root: string): FeedFormat | undefined {
  const local = root.includes(':') ? root.slice(root.indexOf(':') + 1) : root;
  if (local === 'rss') return 'rss';
  if (local === 'feed') return 'atom';
  if (local === 'RDF') return 'rdf';
  if (local === 'urlset' || local === 'sitemapindex') return 'sitemap';
  return undefined;
}

/** `<link rel="alternate" type="application/rss+xml" href>` of an HTML page, resolved. */
export function advertisedFeeds(html: string, baseUrl: string): string[] {
  const links: string[] = [];
  let base = baseUrl;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'base' && attrs.href && URL.canParse(attrs.href, baseUrl))
          base = new URL(attrs.href, baseUrl).href;
        if (name !== 'link' || !attrs.href) return;
        const rels = (attrs.rel ?? '').toLowerCase().split(/\s+/);
        const type = (attrs.type ?? '').toLowerCase().split(';')[0].trim();
        if (rels.includes('alternate') && FEED_TYPES.has(type) && URL.canParse(attrs.href, base)) {
          const href = new URL(attrs.href, base).href;
          if (!links.includes(href)) links.push(href);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html.slice(0, HTML_SCAN_CHARS));
  parser.end();
  return links;
}

export function sniff(text: string, url: string): Sniffed {
  const trimmed = text.replace(/^[\uFEFF\s]+/, '');
  if (trimmed === '') return { kind: 'empty' };
  if (trimmed[0] === '{' || trimmed[0] === '[') return { kind: 'json' };
  const root = rootElement(trimmed);
  if (root === undefined) return { kind: 'other' };
  if (root.toLowerCase() === 'html') return { kind: 'html', feedLinks: advertisedFeeds(trimmed, url) };
  const format = formatOf(root);
  return format ? { kind: 'feed', format } : { kind: 'other', root };
}
