/**
 * Feed text fields → plain text for matching and display. Feeds put HTML (escaped or in CDATA)
 * in descriptions and often in titles, so every field goes through the same path: markup
 * removed, entities decoded, block boundaries kept as line breaks, whitespace collapsed, and the
 * two classic encoding accidents repaired (windows-1252 code points stored as C1 controls, and
 * UTF-8 read as Latin-1 then re-encoded).
 */
import { Parser } from 'htmlparser2';

/** Elements whose content is never text a reader sees. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'title',
  'iframe',
  'object',
  'svg',
  'math',
]);

/** Elements that end a line (and so a sentence, for the matcher's snippets). */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

/** Markup or an entity anywhere; plain strings skip the HTML parser. */
const MAYBE_HTML = /<[a-zA-Z/!?]|&[#a-zA-Z]/;

/**
 * Markup that survived one pass: the publisher escaped its HTML twice (seen in the wild, e.g.
 * Reddit's RSS). Text that merely mentions a tag rarely contains a closing tag or a <br>.
 */
const DOUBLE_ESCAPED =
  /<\/(p|div|a|span|li|ul|ol|table|td|strong|em|b|i|h[1-6])>|<(br|img|hr)\b[^<>]{0,300}>|<!--/i;

export function htmlToText(html: string): string {
  const once = stripMarkup(html);
  return collapse(repairText(DOUBLE_ESCAPED.test(once) ? stripMarkup(once) : once));
}

function stripMarkup(html: string): string {
  if (!MAYBE_HTML.test(html)) return html;
  const out: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipDepth++;
        else if (BLOCKS.has(name)) out.push('\n');
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCKS.has(name)) out.push('\n');
      },
      ontext(text) {
        if (skipDepth === 0) out.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return out.join('');
}

/** Anything collapse would change besides the ends: most feed text is one line with single spaces. */
const NEEDS_COLLAPSE = /[\u0000-\u001F\u007F\u00A0\u2000-\u200B\u202F\u205F\u3000]| {2}/;

/** Runs of spaces become one space, runs containing a line break become one line break. */
export function collapse(text: string): string {
  if (!NEEDS_COLLAPSE.test(text)) return text.trim();
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[ \t\r\f\v\u00A0\u2000-\u200B\u202F\u205F\u3000]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

/** windows-1252 meanings of 0x80-0x9F; the five undefined bytes stay as they are. */
const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];
const CP1252_BYTE = new Map<number, number>(CP1252_C1.map((cp, i) => [cp, 0x80 + i]));

/** A lead byte of UTF-8 (as Latin-1/windows-1252 text) followed by continuation bytes. */
const MOJIBAKE =
  /[\u00C2-\u00F4][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201A\u201C-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]+/g;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Undoes UTF-8 that was decoded as Latin-1/windows-1252 ("â€¦" → "…"), but only where the run
 * is exactly valid UTF-8, which ordinary accented text almost never is; then maps leftover C1
 * controls to the windows-1252 characters their writers meant.
 */
export function repairText(text: string): string {
  let out = text;
  if (/[\u00C2-\u00F4]/.test(out)) {
    out = out.replace(MOJIBAKE, (run) => {
      const bytes: number[] = [];
      for (const ch of run) {
        const cp = ch.codePointAt(0)!;
        bytes.push(cp <= 0xff ? cp : CP1252_BYTE.get(cp)!);
      }
      try {
        return strictUtf8.decode(Uint8Array.from(bytes));
      } catch {
        return run;
      }
    });
  }
  if (/[\u0080-\u009F]/.test(out))
    out = out.replace(/[\u0080-\u009F]/g, (c) => String.fromCodePoint(CP1252_C1[c.charCodeAt(0) - 0x80]));
  return out;
}
