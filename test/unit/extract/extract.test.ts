import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/index.js';
import { decodeHtml, metaCharset } from '../../../src/extract/charset.js';

const STORY = [
  'The city council voted on Tuesday to expand the tram network to the northern districts, ending a debate that lasted three years.',
  'Supporters said the new line would cut commuting times by a third for the forty thousand people who live beyond the ring road.',
  'Opponents argued that the money would be better spent on buses, which can change their routes as the city grows and shifts.',
  'Construction is due to start next spring, and the first trams should run before the end of the following year, officials said.',
];

function page(opts: { head?: string; body?: string; lang?: string } = {}): string {
  const paragraphs = STORY.map((p) => `<p>${p}</p>`).join('\n');
  return `<!doctype html><html${opts.lang ? ` lang="${opts.lang}"` : ''}><head><title>Council backs northern tram extension - City News</title>${opts.head ?? ''}</head>
<body><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
<article><h1>Council backs northern tram extension</h1>${opts.body ?? ''}${paragraphs}</article>
<aside role="complementary"><h2>Most read</h2><ul><li><a href="/a">Another story about something else entirely</a></li></ul></aside>
<footer>Copyright 2026 City News. All rights reserved.</footer></body></html>`;
}

const URL_ = 'https://news.example/politics/tram';

describe('extractArticle', () => {
  it('returns the story text without navigation, complementary boxes or the footer', () => {
    const r = extractArticle(page(), { url: URL_, contentType: 'text/html; charset=utf-8' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text.split('\n\n')).toEqual(STORY);
    expect(r.value.title).toBe('Council backs northern tram extension');
  });

  it('leaves out datelines, photo credits, share links and the headline repeated in the article', () => {
    const furniture =
      '<p>By Jane Doe</p><p>Published 12 March 2026</p><figure><img src="t.jpg"><figcaption>Photo: Jane Doe</figcaption></figure><p><a href="/share">Share this story on every network</a></p><div class="share-bar"><a href="/x">Post</a></div>';
    const r = extractArticle(page({ body: furniture }), { url: URL_ });
    expect(r.ok && r.value.text.split('\n\n')).toEqual(STORY);
  });

  it.each([
    [
      '<link rel="canonical" href="/politics/tram-extension">',
      'https://news.example/politics/tram-extension',
    ],
    ['<meta property="og:url" content="https://news.example/t/1">', 'https://news.example/t/1'],
    ['<link rel="canonical" href="javascript:alert(1)">', undefined],
  ])('reads the canonical URL from %s', (head, canonicalUrl) => {
    const r = extractArticle(page({ head }), { url: URL_ });
    expect(r.ok && r.value.canonicalUrl).toBe(canonicalUrl ?? (r.ok ? undefined : false));
  });

  it.each([
    [
      'JSON-LD',
      '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Council backs northern tram extension","datePublished":"2026-03-12T08:30:00+01:00","author":{"@type":"Person","name":"Jane Doe"}}</script>',
      '2026-03-12T07:30:00.000Z',
    ],
    [
      'article:published_time',
      '<meta property="article:published_time" content="2026-03-12T09:00:00Z">',
      '2026-03-12T09:00:00.000Z',
    ],
  ])('reads the published time from %s as ISO 8601', (_name, head, publishedAt) => {
    const r = extractArticle(page({ head }), { url: URL_ });
    expect(r.ok && r.value.publishedAt).toBe(publishedAt);
  });

  it('reads the language of <html lang> and the byline', () => {
    const head = '<meta name="author" content="Jane Doe">';
    const r = extractArticle(page({ head, lang: 'en-GB' }), { url: URL_ });
    expect(r.ok && { lang: r.value.lang, byline: r.value.byline }).toEqual({
      lang: 'en-GB',
      byline: 'Jane Doe',
    });
  });

  it.each([
    [
      'a consent page',
      '<!doctype html><html><body><div class="consent"><p>We value your privacy. Accept cookies?</p><button>Accept</button></div></body></html>',
      'text/html',
      'too-little-text',
    ],
    [
      'a teaser behind a paywall',
      '<!doctype html><html><body><article><p>The council voted on Tuesday.</p><p>Subscribe to read more.</p></article></body></html>',
      'text/html',
      'too-little-text',
    ],
    [
      'a page that declares a paywall',
      '<html><head><script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script></head><body><article><p>The council voted on Tuesday.</p></article></body></html>',
      'text/html',
      'paywalled',
    ],
    ['a PDF', '%PDF-1.7 ...', 'application/pdf', 'not-html'],
    ['JSON', '{"a":1}', 'application/json', 'not-html'],
    ['text that is not markup', 'just some words', 'text/html', 'not-html'],
    ['an empty body', '', undefined, 'not-html'],
  ])('gives a typed error, not an exception, for %s', (_name, html, contentType, kind) => {
    const r = extractArticle(html, { url: URL_, contentType });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe(kind);
      expect(r.error.message).toContain(URL_);
    }
  });

  it('refuses a page over the size cap with "too-large"', () => {
    const r = extractArticle(page(), { url: URL_, maxBytes: 100 });
    expect(!r.ok && r.error.kind).toBe('too-large');
  });
});

describe('page charset', () => {
  const text = 'Grüße aus Köln, Straßenbahn';
  const html = (meta: string) => `<html><head>${meta}</head><body><p>${text}</p></body></html>`;

  it.each([
    [
      'the Content-Type header',
      iconv.encode(html(''), 'iso-8859-15'),
      'text/html; charset=iso-8859-15',
      'iso-8859-15',
    ],
    [
      '<meta charset>',
      iconv.encode(html('<meta charset="windows-1252">'), 'windows-1252'),
      'text/html',
      'windows-1252',
    ],
    [
      '<meta http-equiv>',
      iconv.encode(
        html('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">'),
        'iso-8859-2',
      ),
      undefined,
      'iso-8859-2',
    ],
    [
      'a BOM over the header',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html(''))]),
      'text/html; charset=windows-1252',
      'utf-8',
    ],
    ['UTF-8 when nothing is declared', Buffer.from(html('')), undefined, 'utf-8'],
    [
      'UTF-8 bytes under a wrong "us-ascii" label',
      Buffer.from(html('<meta charset="us-ascii">')),
      undefined,
      'utf-8',
    ],
  ])('comes from %s', (_name, bytes, contentType, encoding) => {
    const decoded = decodeHtml(bytes, contentType);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text).toContain(text);
  });

  it('reads a meta charset only from a charset attribute or an http-equiv Content-Type', () => {
    expect(
      metaCharset(
        Buffer.from('<meta name="description" content="charset=koi8-r is old"><meta charset=utf-8>'),
      ),
    ).toBe('utf-8');
    expect(metaCharset(Buffer.from('<meta charset="utf-16">'))).toBe('utf-8');
    expect(metaCharset(Buffer.from('<p>no meta</p>'))).toBeUndefined();
  });

  it('decodes a windows-1251 page announced by its meta tag into the article text', () => {
    const story = STORY.map((p) => `<p>${p} Москва.</p>`).join('');
    const bytes = iconv.encode(
      `<html><head><meta charset="windows-1251"><title>Новости</title></head><body><article>${story}</article></body></html>`,
      'windows-1251',
    );
    const r = extractArticle(bytes, { url: URL_, contentType: 'text/html' });
    expect(r.ok && r.value.encoding).toBe('windows-1251');
    expect(r.ok && r.value.text).toContain('Москва.');
  });
});
