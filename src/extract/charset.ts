/**
 * Bytes → text for web pages, in the order browsers settle a page's encoding: a byte order mark,
 * the charset of the HTTP Content-Type header, the `<meta charset>` or `<meta http-equiv>` near the
 * top of the page, then UTF-8 and detection. A label that cannot decode the bytes (broken UTF-8
 * under "utf-8", bytes above 0x7F under "us-ascii") gives way to the next candidate.
 */
import {
  decodeFirstFitting,
  fromBom,
  normalizeCharset,
  parseContentType,
  type Decoded,
} from '../parse/decode.js';

/** Browsers look for the meta charset in the first 1,024 bytes; pages in the wild put it a little later. */
const META_SCAN_BYTES = 4096;
const META_TAG = /<meta\b[^>]*>/gi;
const CONTENT_ATTR = /\bcontent\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)/i;
const CHARSET = /\bcharset\s*=\s*["']?\s*([\w.:-]+)/i;
const HTTP_EQUIV = /\bhttp-equiv\s*=\s*["']?\s*content-type/i;

/** The encoding a page declares in its first `<meta>` that names one. */
export function metaCharset(body: Buffer): string | undefined {
  const head = body.subarray(0, META_SCAN_BYTES).toString('latin1');
  for (const [tag] of head.matchAll(META_TAG)) {
    const content = CONTENT_ATTR.exec(tag);
    const own = CHARSET.exec(content ? tag.replace(content[0], '') : tag);
    const declared = own ?? (content && HTTP_EQUIV.test(tag) ? CHARSET.exec(content[1]) : null);
    const name = normalizeCharset(declared?.[1]);
    // A page that names UTF-16 in ASCII-compatible bytes is not UTF-16; browsers read it as UTF-8.
    if (name) return name.startsWith('utf-16') ? 'utf-8' : name;
  }
  return undefined;
}

export function decodeHtml(body: Buffer, contentType?: string): Decoded {
  const header = normalizeCharset(parseContentType(contentType)?.charset);
  return decodeFirstFitting(body, [fromBom(body)?.encoding, header, metaCharset(body), 'utf-8']);
}
