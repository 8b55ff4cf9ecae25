/**
 * Every fixture feed through decode + parse, with the outcome its header comment states
 * (feedparser's "Header:" and "Expect:" lines for the encoding and ill-formed cases).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/contracts/errors.js';
import type { ParsedFeed } from '../../../src/contracts/item.js';
import { parseFeed } from '../../../src/parse/index.js';

const ROOT = path.resolve(__dirname, '../../fixtures/feeds');
const URL_ = 'http://example.com/feeds/main.xml';

interface Fixture {
  name: string;
  body: Buffer;
  contentType?: string;
  expect: string;
}

/** The header comment may be in UTF-16/32; reading it as text in the right width finds it. */
function headerText(body: Buffer): string {
  const zeros = body.subarray(0, 8).filter((b) => b === 0).length;
  if (zeros >= 6) return Buffer.from(body.filter((b) => b !== 0)).toString('latin1');
  if (zeros >= 3) return Buffer.from(body.filter((b) => b !== 0)).toString('latin1');
  return body.toString('latin1');
}

function load(dir: string): Fixture[] {
  return fs
    .readdirSync(path.join(ROOT, dir))
    .filter((f) => !f.startsWith('LICENSE'))
    .map((f) => {
      const body = fs.readFileSync(path.join(ROOT, dir, f));
      const head = headerText(body);
      return {
        name: `${dir}/${f}`,
        body,
        contentType: /Header:\s*Content-type:\s*(.*)/i.exec(head)?.[1]?.trim(),
        expect: /Expect:\s*(.*)/.exec(head)?.[1]?.trim() ?? '',
      };
    });
}

/**
 * What we expect where the header states no encoding, or where we differ from feedparser: a
 * decoding, or the kind of error. feedparser's "bozo" marks a document it parsed despite a flaw;
 * we accept such a document when nothing of it is lost, and reject it with a parse error otherwise.
 */
const OUTCOMES: Record<string, string> = {
  // Declared or implied encodings the header does not restate.
  'encoding/bozo_bogus_encoding.xml': 'utf-8', // an unknown declared encoding falls back to UTF-8
  'encoding/bozo_double-encoded-html.xml': 'utf-8',
  'encoding/bozo_encoding_mismatch_crash.xml': 'iso-8859-1',
  'encoding/bozo_http_i18n.xml': 'utf-8',
  'encoding/bozo_http_text_plain.xml': 'utf-8',
  'encoding/bozo_linenoise.xml': 'windows-1252',
  'encoding/demoronize-1.xml': 'utf-8',
  'encoding/demoronize-2.xml': 'utf-8',
  'encoding/demoronize-3.xml': 'utf-8',
  'encoding/double-encoded-html.xml': 'utf-8',
  'encoding/encoding_attribute_crash.xml': 'utf-8',
  'encoding/encoding_attribute_crash_2.xml': 'utf-8',
  'encoding/euc-kr-attribute.xml': 'euc-kr',
  'encoding/euc-kr-item.xml': 'euc-kr',
  'encoding/euc-kr.xml': 'euc-kr',
  'encoding/http_encoding_attribute_crash.xml': 'utf-8',
  'encoding/http_i18n.xml': 'utf-8',
  'encoding/http_text_xml_charset_2.xml': 'windows-1252',
  'encoding/http_text_xml_charset_overrides_encoding_2.xml': 'windows-1252',
  'illformed/aaa_illformed.xml': 'utf-8', // only the last end tag lacks its '>': nothing is lost
  'illformed/always_strip_doctype.xml': 'utf-8',
  'illformed/geo_georss_point_no_coords.xml': 'utf-8',
  'illformed/geo_georss_polygon_insufficient_coords.xml': 'utf-8',
  'illformed/geo_gml_point.xml': 'utf-8',
  'illformed/http_high_bit_date.xml': 'iso-8859-7',
  'illformed/undeclared_namespace.xml': 'utf-8', // the element is kept, its prefix unresolved
  // ISO-8859-8 has the same Hebrew letters as windows-1255; the text decodes the same.
  'illformed/chardet_windows1255.xml': 'iso-8859-8',
  // Documents that are not well-formed, or not XML at all, are errors naming the problem.
  'encoding/bozo_invalid-bytes-with-bom.xml': 'error parse',
  'illformed/rdf_channel_empty_textinput.xml': 'error parse',
  'illformed/rss_incomplete_cdata.xml': 'error parse',
  'illformed/rss_item_link_corrupted_ampersands.xml': 'error parse', // a bare '&' in a link
  'illformed/rss_empty_document.xml': 'error not-a-feed',
};

/** Our outcome for a case: its entry above, else the encoding its header expects. */
function expectedOutcome(f: Fixture): string {
  const stated = /encoding == '([^']+)'/.exec(f.expect)?.[1].toLowerCase();
  // feedparser reports gb2312 documents as gb18030, as we do; the rest is a matter of case.
  const outcome = OUTCOMES[f.name] ?? (stated === 'gb2312' ? 'gb18030' : stated);
  if (!outcome) throw new Error(`${f.name}: no expected outcome (header says "${f.expect}")`);
  return outcome;
}

const parse = (f: Fixture): Promise<Result<ParsedFeed>> =>
  parseFeed(f.body, { contentType: f.contentType, url: URL_ });
const noReplacementChars = (feed: ParsedFeed) => JSON.stringify(feed).includes('\uFFFD') === false;

const encodingCases = [...load('encoding'), ...load('illformed')];
const parseCase = (name: string) => parse(encodingCases.find((f) => f.name === name)!);

describe('feeds from the encoding and ill-formed corpus', () => {
  it.each(encodingCases.map((f) => [f.name, expectedOutcome(f), f] as const))(
    '%s reads as %s',
    async (_, outcome, f) => {
      const r = await parse(f);
      expect(r.ok ? r.value.encoding : `error ${r.error.code}`, r.ok ? '' : r.error.message).toBe(outcome);
      if (!r.ok) return;
      expect(noReplacementChars(r.value)).toBe(true);
      if (f.expect.includes('entries[0]')) expect(r.value.items.length).toBeGreaterThan(0);
    },
  );

  it('reads a Thai feed that declares no encoding as Thai, not as Latin-1 look-alikes', async () => {
    const r = await parseCase('illformed/chardet_tis620.xml');
    expect(r.ok && r.value.items[0].content).toMatch(/^[\u0E00-\u0E7F]+/);
  });

  it.each([
    ['encoding/double-encoded-html.xml', '…'],
    ['encoding/bozo_double-encoded-html.xml', '…'],
    ['encoding/demoronize-1.xml', 'don’t'],
    ['encoding/demoronize-2.xml', 'don’t'],
    ['encoding/demoronize-3.xml', 'don’t'],
    ['encoding/euc-kr-item.xml', '\ub144'],
    ['encoding/http_text_xml_charset_2.xml', 'This is a £“test.”'],
    ['encoding/http_text_xml_charset_overrides_encoding_2.xml', 'This is a £“test.”'],
  ])('%s yields the description "%s" as plain text', async (name, text) => {
    const r = await parseCase(name);
    expect(r.ok && r.value.items[0].content).toBe(text);
  });

  it.each([
    ['encoding/euc-kr.xml', '\ub144'],
    ['encoding/http_i18n.xml', 'Iñtërnâtiônàlizætiøn'],
    ['encoding/bozo_http_i18n.xml', 'Iñtërnâtiônàlizætiøn'],
    ['illformed/always_strip_doctype.xml', 'found'],
  ])('%s yields the feed title "%s"', async (name, title) => {
    const r = await parseCase(name);
    expect(r.ok && r.value.title).toBe(title);
  });

  it.each([
    ['illformed/chardet_koi8r.xml', 'Как пережить новогоднюю ночь'],
    ['illformed/chardet_euckr.xml', 'EUC-KR 에서 TypeKey 한글닉네임 표시하기'],
    ['illformed/chardet_eucjp.xml', 'ゲーム三昧な正月'],
    ['illformed/chardet_gb2312.xml', '不归移民漫画系列：专业工作'],
    ['illformed/chardet_shiftjis.xml', 'DrecomRSSに記事投稿が反映されない…'],
  ])('%s, with no encoding declared, is detected and decoded to "%s"', async (name, title) => {
    const r = await parseCase(name);
    expect(r.ok && r.value.items[0].title).toBe(title);
  });

  it('reads Hebrew text without a declared encoding', async () => {
    const r = await parseCase('illformed/chardet_windows1255.xml');
    expect(r.ok && r.value.items[0].content).toMatch(/^האם תדפיס נייר/);
  });

  it('keeps an escaped ampersand in a link as one ampersand', async () => {
    const body = Buffer.from(
      '<rss version="2.0"><channel><item><link>http://link/get?a=1&amp;b=2</link></item></channel></rss>',
    );
    const r = await parseFeed(body, { url: URL_ });
    expect(r.ok && r.value.items[0].url).toBe('http://link/get?a=1&b=2');
  });

  it.each(['illformed/rss_incomplete_cdata.xml', 'illformed/rdf_channel_empty_textinput.xml'])(
    '%s, which is not well-formed, is a parse error naming the problem',
    async (name) => {
      const r = await parseCase(name);
      expect(!r.ok && r.error.message).toMatch(/not well-formed XML: \w/);
    },
  );
});

describe('real feeds', () => {
  const real = load('real');
  it.each(real.filter((f) => !f.name.includes('unrecognized')).map((f) => [f.name, f] as const))(
    '%s parses into items with keys and text',
    async (_, f) => {
      const r = await parse(f);
      expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
      if (!r.ok) return;
      expect(r.value.items.length).toBeGreaterThan(0);
      for (const item of r.value.items) {
        expect(item.key).toMatch(/^(g|u|h):./);
        expect(item.title).not.toMatch(/<[a-z]|&(amp|lt|gt|quot|#\d+);/i);
        expect(item.content).not.toMatch(/<(p|div|a|br|img)\b/i);
        if (item.url) expect(item.url).toMatch(/^https?:\/\//);
        if (item.publishedAt) expect(item.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(noReplacementChars(r.value)).toBe(true);
    },
  );

  it('a document whose root is not a feed element is not a feed', async () => {
    const r = await parse(real.find((f) => f.name.includes('unrecognized'))!);
    expect(!r.ok && r.error.code).toBe('not-a-feed');
  });

  it.each([
    ['real/encoding.rss', 'Jornal de Notícias - Últimas Notícias'],
    ['real/uolNoticias.rss', 'UOL Noticias'],
  ])('%s, declared ISO-8859-1, reads as "%s"', async (name, title) => {
    const r = await parse(real.find((f) => f.name === name)!);
    expect(r.ok && r.value.encoding).toBe('iso-8859-1');
    expect(r.ok && r.value.title).toBe(title);
  });

  it('recognises RDF, Atom and RSS', async () => {
    const formats = await Promise.all(
      ['real/rss-1.rss', 'real/heise.atom', 'real/guardian.rss'].map(async (n) => {
        const r = await parse(real.find((f) => f.name === n)!);
        return r.ok ? r.value.format : r.error.code;
      }),
    );
    expect(formats).toEqual(['rdf', 'atom', 'rss']);
  });
});
