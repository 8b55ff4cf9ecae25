/**
 * Page → article: decode the bytes, parse them into a DOM (linkedom), read the page's metadata,
 * remove the page furniture, let Readability pick the article, and turn it into text.
 * Never throws: a page that yields no article gives an ExtractError with a kind to count.
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { fail, ok, type Result } from '../contracts/errors.js';
import { isoDate } from '../parse/normalize.js';
import { collapse, repairText } from '../parse/text.js';
import { articleParagraphs } from './blocks.js';
import { decodeHtml } from './charset.js';
import { removeFurniture } from './furniture.js';
import { readPageMeta } from './metadata.js';
import { textBlocks } from './text.js';

export interface Article {
  title: string;
  /** Paragraphs separated by a blank line. */
  text: string;
  canonicalUrl?: string;
  publishedAt?: string;
  lang?: string;
  byline?: string;
  /** The encoding the page was decoded with. */
  encoding: string;
}

/**
 * Why a page gave no article: not an HTML page (by type or content), over the size cap, too little
 * article text (a teaser, a consent page, an index page), too little text on a page that declares
 * a paywall, or a bug in extraction.
 */
export type ExtractErrorKind = 'not-html' | 'too-large' | 'too-little-text' | 'paywalled' | 'internal';

export interface ExtractError {
  kind: ExtractErrorKind;
  message: string;
  url: string;
}

export interface ExtractOptions {
  /** The page's URL (after redirects): resolves relative links and names the page in errors. */
  url: string;
  /** The HTTP Content-Type header, for the charset and to refuse what is not HTML. */
  contentType?: string;
  /** Largest page accepted, in bytes (characters for a string; default 8 MB). */
  maxBytes?: number;
}

export type ExtractResult = Result<Article, ExtractError>;

/** What a page fetch asks for: HTML first, anything else (to be refused by type) last. */
export const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** Fewer characters than this is a teaser, a paywall or a consent page, not an article. */
const MIN_TEXT_CHARS = 250;
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml', 'text/plain', '']);

export function extractArticle(html: string | Buffer, opts: ExtractOptions): ExtractResult {
  const problem = (kind: ExtractErrorKind, message: string) =>
    fail({ kind, message: `${opts.url}: ${message}`, url: opts.url });
  const mime = (opts.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!HTML_TYPES.has(mime)) return problem('not-html', `content type ${mime} is not HTML`);
  const size = typeof html === 'string' ? html.length : html.byteLength;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (size > maxBytes) return problem('too-large', `page of ${size} bytes is larger than ${maxBytes}`);
  const decoded =
    typeof html === 'string' ? { text: html, encoding: 'utf-8' } : decodeHtml(html, opts.contentType);
  if (!/<[a-z!]/i.test(decoded.text.slice(0, 4096))) return problem('not-html', 'no HTML markup in the page');
  try {
    return fromDocument(parseHTML(decoded.text).document, decoded.encoding, opts, problem);
  } catch (err) {
    return problem('internal', `extraction failed: ${(err as Error).message}`);
  }
}

function fromDocument(
  document: Document,
  encoding: string,
  opts: ExtractOptions,
  problem: (kind: ExtractErrorKind, message: string) => ExtractResult,
): ExtractResult {
  const meta = readPageMeta(document, opts.url);
  removeFurniture(document);
  const parsed = new Readability(document, { serializer: (node) => node }).parse();
  const title = collapse(repairText(parsed?.title ?? ''));
  const byline = parsed?.byline ? collapse(repairText(parsed.byline)) : '';
  const blocks = parsed?.content ? textBlocks(parsed.content) : [];
  const text = articleParagraphs(blocks, { title, byline }).join('\n\n');
  if (text.length < MIN_TEXT_CHARS) {
    const why = `only ${text.length} characters of article text`;
    return meta.paywalled
      ? problem('paywalled', `${why}; the page declares its content not free to read`)
      : problem('too-little-text', why);
  }
  const publishedAt = isoDate(parsed?.publishedTime) ?? meta.publishedAt;
  const lang = meta.lang ?? parsed?.lang ?? undefined;
  return ok({
    title,
    text,
    ...(meta.canonicalUrl ? { canonicalUrl: meta.canonicalUrl } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    ...(lang ? { lang } : {}),
    ...(byline ? { byline } : {}),
    encoding,
  });
}
