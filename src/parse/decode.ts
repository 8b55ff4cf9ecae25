/**
 * Bytes → text for feeds, following the rules of RFC 3023 as feedparser applies them:
 * - text/xml and text/*+xml: the charset parameter, else us-ascii (the XML declaration does not count);
 * - application/xml and application/*+xml: the charset parameter, else the BOM, else the XML
 *   declaration, else utf-8;
 * - anything else (or no header): the charset parameter, else BOM, declaration, utf-8.
 * When the chosen encoding cannot decode the bytes (non-ASCII bytes under us-ascii, broken
 * UTF-8), the document is decoded with the next plausible candidate: BOM, byte pattern of the
 * opening "<?xml", declaration, utf-8, chardet's guess, and finally windows-1252, which maps
 * every byte. The chosen name is reported as feedparser would (e.g. "us-ascii" for pure ASCII
 * under text/xml, "gb18030" for gb2312).
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';

export interface Decoded {
  text: string;
  /** Lower-case name of the encoding that decoded the body, e.g. "utf-8", "us-ascii", "gb18030". */
  encoding: string;
}

/** Enough of the body for chardet to be sure, without scanning a whole large feed. */
const DETECT_SAMPLE_BYTES = 64 * 1024;
const PROLOG_SCAN_BYTES = 1024;

/** Names feeds use for encodings, mapped to the names iconv-lite and our callers use. */
const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  utf16: 'utf-16',
  utf_16: 'utf-16',
  utf32: 'utf-32',
  utf_32: 'utf-32',
  ascii: 'us-ascii',
  'us-ascii': 'us-ascii',
  'ansi_x3.4-1968': 'us-ascii',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  iso8859_1: 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  // GB2312 documents routinely use GBK/GB18030 characters; the superset decodes both.
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  'gb_2312-80': 'gb18030',
  sjis: 'shift_jis',
  'shift-jis': 'shift_jis',
  'x-sjis': 'shift_jis',
  'x-euc-jp': 'euc-jp',
  cp1252: 'windows-1252',
  'tis-620': 'tis-620',
};

export function normalizeCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const name = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .trim()
    .toLowerCase();
  if (name === '') return undefined;
  const mapped = ALIASES[name] ?? name;
  return iconv.encodingExists(mapped) ? mapped : undefined;
}

export interface ContentType {
  mime: string;
  charset?: string;
}

/** Media type and charset; tolerant of quotes and spaces around "=", ignoring malformed parameters. */
export function parseContentType(header: string | undefined): ContentType | undefined {
  if (!header) return undefined;
  const [type, ...params] = header.split(';');
  const mime = type.trim().toLowerCase();
  let charset: string | undefined;
  for (const p of params) {
    const m = /^\s*charset\s*=\s*(.*)$/i.exec(p);
    if (m)
      charset =
        m[1]
          .trim()
          .replace(/^["']|["']$/g, '')
          .trim() || undefined;
  }
  return { mime, charset };
}

type MimeClass = 'text-xml' | 'application-xml' | 'other';

function classifyMime(mime: string | undefined): MimeClass {
  if (!mime) return 'other';
  const [top, sub = ''] = mime.split('/');
  const xmlish =
    sub === 'xml' || sub.endsWith('+xml') || sub === 'xml-external-parsed-entity' || sub === 'xml-dtd';
  if (top === 'text' && xmlish) return 'text-xml';
  if (top === 'application' && xmlish) return 'application-xml';
  return 'other';
}

export function fromBom(b: Buffer): { encoding: string; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff)
    return { encoding: 'utf-32be', length: 4 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00)
    return { encoding: 'utf-32le', length: 4 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return undefined;
}

/** The byte pattern of "<" or "<?" in UTF-16/32 without a BOM (XML 1.0, appendix F). */
function fromLayout(b: Buffer): string | undefined {
  if (b.length < 4) return undefined;
  const [a, c, d, e] = [b[0], b[1], b[2], b[3]];
  if (a === 0 && c === 0 && d === 0 && e === 0x3c) return 'utf-32be';
  if (a === 0x3c && c === 0 && d === 0 && e === 0) return 'utf-32le';
  if (a === 0 && c === 0x3c && d === 0 && e === 0x3f) return 'utf-16be';
  if (a === 0x3c && c === 0 && d === 0x3f && e === 0) return 'utf-16le';
  return undefined;
}

/** The encoding named in the XML declaration, read in the byte width the layout suggests. */
function fromProlog(b: Buffer, layout: string | undefined): string | undefined {
  const head = b.subarray(
    0,
    PROLOG_SCAN_BYTES * (layout?.startsWith('utf-32') ? 4 : layout?.startsWith('utf-16') ? 2 : 1),
  );
  const ascii = layout ? iconv.decode(head, layout) : head.toString('latin1');
  const m = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(ascii.replace(/^\uFEFF/, ''));
  if (!m) return undefined;
  const declared = normalizeCharset(m[1]);
  // "utf-16" without a byte order means whatever order the bytes are in.
  if ((declared === 'utf-16' || declared === 'utf-32') && layout?.startsWith(declared)) return layout;
  if (declared === 'utf-16' || declared === 'utf-32') return `${declared}be`;
  return declared;
}

/** chardet's names of the single-byte charsets of Latin-script languages. */
const LATIN_SINGLE_BYTE = /^(ISO-8859-(1|2|9|15)|windows-125[02478])$/;

/**
 * chardet's guess, unless it is a Latin single-byte charset for bytes that do not look like a
 * Latin script: accented letters sit among ASCII letters, so mostly long runs of bytes above 0x7F
 * are another script (Thai, Hebrew, Greek…), and chardet's best such candidate is taken instead.
 */
function detect(b: Buffer): string | undefined {
  const sample = b.subarray(0, DETECT_SAMPLE_BYTES);
  const [best, ...rest] = chardet.analyse(sample);
  if (!best) return undefined;
  const other =
    LATIN_SINGLE_BYTE.test(best.name) && !looksLatin(sample)
      ? rest.find((c) => !LATIN_SINGLE_BYTE.test(c.name) && c.name !== 'UTF-8')
      : undefined;
  const name = (other ?? best).name;
  // chardet names Thai windows-874 either way; without its additions (0x80-0x9F) it is TIS-620.
  return name === 'windows-874' && !sample.some((byte) => byte >= 0x80 && byte <= 0x9f)
    ? 'tis-620'
    : normalizeCharset(name);
}

/** Whether most bytes above 0x7F come alone or in pairs between ASCII bytes, as accents do. */
function looksLatin(b: Buffer): boolean {
  let high = 0;
  let inLongRuns = 0;
  let run = 0;
  const endRun = () => {
    if (run >= 3) inLongRuns += run;
    run = 0;
  };
  for (const byte of b) {
    if (byte < 0x80) endRun();
    else {
      high++;
      run++;
    }
  }
  endRun();
  return inLongRuns * 2 <= high;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The text when `encoding` decodes the bytes without loss, else undefined. */
function tryDecode(b: Buffer, encoding: string): string | undefined {
  switch (encoding) {
    case 'utf-8':
      try {
        return strictUtf8.decode(b);
      } catch {
        return undefined;
      }
    case 'us-ascii':
      for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return undefined;
      return b.toString('latin1');
    // Byte for byte; the C1 range (0x80-0x9F) becomes its windows-1252 meaning when text is
    // normalized, which is what browsers do for both labels and what feeds mean by them.
    case 'iso-8859-1':
    case 'windows-1252':
      return b.toString('latin1');
    default: {
      const bom = fromBom(b);
      const body = bom && encoding.startsWith(bom.encoding.slice(0, 6)) ? b.subarray(bom.length) : b;
      const text = iconv.decode(body, encoding, { stripBOM: true });
      return text.includes('\uFFFD') ? undefined : text;
    }
  }
}

export function decodeBody(body: Buffer, contentType?: string): Decoded {
  const ct = parseContentType(contentType);
  const mimeClass = classifyMime(ct?.mime);
  const headerCharset = normalizeCharset(ct?.charset);
  const bom = fromBom(body);
  const layout = bom ? undefined : fromLayout(body);
  const prolog = fromProlog(bom ? body.subarray(bom.length) : body, bom?.encoding ?? layout);

  const announced: (string | undefined)[] =
    headerCharset !== undefined
      ? [headerCharset]
      : mimeClass === 'text-xml'
        ? ['us-ascii']
        : [bom?.encoding, layout, prolog];
  const fallbacks = [bom?.encoding, layout, prolog, 'utf-8'];
  return decodeFirstFitting(body, [...announced, ...fallbacks]);
}

/**
 * Decodes with the first candidate encoding that fits the bytes without loss; failing all, under
 * the BOM's encoding, chardet's guess, and finally windows-1252. Shared by feeds and HTML pages,
 * which differ only in the candidates and their order.
 */
export function decodeFirstFitting(body: Buffer, candidates: (string | undefined)[]): Decoded {
  const bom = fromBom(body);
  const tried = new Set<string>();
  const attempt = (name: string | undefined): Decoded | undefined => {
    if (name === undefined || tried.has(name)) return undefined;
    tried.add(name);
    const text = tryDecode(body, name);
    return text === undefined ? undefined : { text: text.replace(/^\uFEFF/, ''), encoding: name };
  };
  for (const name of candidates) {
    const decoded = attempt(name);
    if (decoded) return decoded;
  }
  // A BOM is the strongest signal there is: a few bad bytes under it are damage, not a hint
  // that the whole document is in another encoding.
  if (bom) return { text: iconv.decode(body.subarray(bom.length), bom.encoding), encoding: bom.encoding };
  const detected = attempt(detect(body));
  if (detected) return detected;
  // Nothing fits exactly; windows-1252 maps every byte, so no text is lost, only possibly misread.
  return { text: body.toString('latin1'), encoding: 'windows-1252' };
}
