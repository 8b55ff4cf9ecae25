/** JSON Feed, news sitemaps and Google's news feeds, read from fixtures that follow each spec and their broken variants. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedFeed } from '../../../src/contracts/item.js';
import { parseFeed, robotsSitemaps } from '../../../src/parse/index.js';
import { unwrapGoogleLink } from '../../../src/parse/google.js';
import { isoDate } from '../../../src/parse/normalize.js';

const fixture = (name: string) => fs.readFileSync(path.join('test/fixtures/sources', name));

async function parsed(name: string, url: string, contentType?: string): Promise<ParsedFeed> {
  const r = await parseFeed(fixture(name), { url, ...(contentType ? { contentType } : {}) });
  if (!r.ok) throw r.error;
  return r.value;
}

describe('JSON Feed', () => {
  it('reads a 1.1 feed: text from content_html, summary, dates in UTC, authors, item and feed language, tags', async () => {
    const feed = await parsed(
      'jsonfeed-1.1.json',
      'https://lemonde.example.org/international/feed.json',
      'application/feed+json',
    );
    expect(feed).toMatchObject({
      format: 'jsonfeed',
      encoding: 'utf-8',
      title: 'Le Monde Example — International',
      link: 'https://lemonde.example.org/international/',
      lang: 'fr-FR',
    });
    expect(feed.items).toHaveLength(2);
    const [first, second] = feed.items;
    expect(first).toEqual({
      key: 'g:https://lemonde.example.org/international/article/2025/06/01/macron-otan_1.html',
      guid: 'https://lemonde.example.org/international/article/2025/06/01/macron-otan_1.html',
      url: 'https://lemonde.example.org/international/article/2025/06/01/macron-otan_1.html',
      title: 'Emmanuel Macron plaide pour une défense européenne',
      summary: "Le président appelle l'OTAN à agir.",
      content:
        "Le président Emmanuel Macron a appelé l'OTAN à renforcer son flanc est.\nDeuxième paragraphe.",
      publishedAt: '2025-06-01T06:30:00.000Z',
      author: 'Claire Dupont, Jean Martin',
      lang: 'fr-FR',
      keywords: ['Emmanuel Macron', 'OTAN'],
    });
    expect(second).toMatchObject({
      key: 'g:2',
      url: 'https://lemonde.example.org/international/article/2025/06/01/ukraine_2.html',
      content: 'Plain text only.\nSecond line.',
      summary: 'Plain text only.\nSecond line.',
      lang: 'en',
      author: 'La rédaction',
    });
  });

  it('reads a 1.0 feed with its single author object', async () => {
    const feed = await parsed('jsonfeed-1.0.json', 'https://wire.example.com/feed.json');
    expect(feed.items).toEqual([
      expect.objectContaining({
        key: 'g:wire-1001',
        title: 'NATO ministers meet in Brussels',
        author: 'Example Wire staff',
        publishedAt: '2025-06-01T06:00:00.000Z',
      }),
    ]);
  });

  it('reads the broken variants: HTML in titles, zone-less dates as UTC, numeric and missing ids, junk fields ignored', async () => {
    const feed = await parsed('jsonfeed-broken.json', 'https://broken.example.net/feed.json');
    expect(feed.title).toBe('Broken & Co');
    expect(feed.items).toHaveLength(3);
    const [noId, numeric, bare] = feed.items;
    expect(noId).toMatchObject({
      key: 'u:https://broken.example.net/a',
      title: "Le président & l'OTAN",
      content: 'Text écrit.',
      publishedAt: '2025-06-01T10:00:00.000Z',
    });
    expect(noId.guid).toBeUndefined();
    expect(numeric).toMatchObject({ key: 'g:42', guid: '42', publishedAt: '2025-06-01T11:15:00.000Z' });
    expect(bare.key).toMatch(/^h:[0-9a-f]{64}$/);
    expect(bare.keywords).toEqual(['ok']);
    expect(bare.author).toBeUndefined();
  });

  it('refuses JSON that is not a JSON Feed, and names broken JSON as a parse error with the URL', async () => {
    const other = await parseFeed(fixture('not-a-jsonfeed.json'), { url: 'https://api.example.com/news' });
    expect(other.ok || other.error).toMatchObject({
      code: 'not-a-feed',
      message: 'the response is JSON but not a JSON Feed',
      details: { url: 'https://api.example.com/news' },
    });
    const version = await parseFeed(Buffer.from('{"version":"https://example.com/v9","items":[]}'), {
      url: 'https://x.example/f',
    });
    expect(version.ok || version.error.message).toContain('version "https://example.com/v9"');
    const broken = await parseFeed(
      Buffer.from('{"version":"https://jsonfeed.org/version/1.1","items":[{"id":'),
      { url: 'https://x.example/f.json' },
    );
    expect(broken.ok || broken.error).toMatchObject({
      code: 'parse',
      details: { url: 'https://x.example/f.json' },
    });
  });
});

describe('news sitemaps', () => {
  it('gives one item per <url> with the news title, date, keywords, publication and language; image titles are not headlines', async () => {
    const feed = await parsed('news-sitemap.xml', 'https://news.example.com/news-sitemap.xml');
    expect(feed).toMatchObject({ format: 'sitemap', encoding: 'utf-8' });
    expect(feed.sitemaps).toBeUndefined();
    expect(feed.items).toEqual([
      {
        key: 'u:https://news.example.com/2025/06/01/world/europe/macron-nato-summit.html',
        url: 'https://news.example.com/2025/06/01/world/europe/macron-nato-summit.html',
        title: 'Macron Urges NATO Allies to Spend More on Defense',
        summary: 'Emmanuel Macron, NATO, defense budgets',
        content: '',
        publishedAt: '2025-06-01T09:00:00.000Z',
        lang: 'en',
        outlet: 'The Example Times',
        keywords: ['Emmanuel Macron', 'NATO', 'defense budgets'],
      },
      expect.objectContaining({
        title: 'Stocks Rise & Bonds Fall',
        publishedAt: '2025-06-01T00:00:00.000Z',
        summary: '',
      }),
    ]);
  });

  it('reads the broken variants: relative and padded locs, HTML in CDATA titles, zone-less dates, other prefixes; drops entries without an http(s) loc', async () => {
    const feed = await parsed('news-sitemap-broken.xml', 'https://broken.example.de/sitemap.xml');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      url: 'https://broken.example.de/2025/06/01/relative-link.html',
      title: 'Scholz & Macron treffen sich',
      publishedAt: '2025-06-01T10:00:00.000Z',
      lang: 'de',
      outlet: 'Broken Daily',
    });
    expect(feed.items[1]).toMatchObject({ url: 'https://broken.example.de/undated.html', title: 'Undated' });
    expect(feed.items[1].publishedAt).toBeUndefined();
  });

  it('reads a sitemap index as its child sitemaps, most recently modified first, undated last', async () => {
    const feed = await parsed('sitemap-index.xml', 'https://news.example.com/sitemap-index.xml');
    expect(feed.items).toEqual([]);
    expect(feed.sitemaps).toEqual([
      'https://news.example.com/sitemaps/news.xml',
      'https://news.example.com/sitemaps/2025-05.xml',
      'https://news.example.com/sitemaps/undated.xml',
    ]);
  });

  it('finds the Sitemap: lines of a robots.txt, in any case, resolved and without repeats', () => {
    expect(robotsSitemaps(fixture('robots.txt').toString(), 'https://news.example.com/robots.txt')).toEqual([
      'https://news.example.com/sitemap-index.xml',
      'https://news.example.com/news-sitemap.xml',
    ]);
  });
});

describe("Google's news feeds", () => {
  it('Google News: the <source> is the outlet; the article link cannot be unwrapped and is kept as Google gives it', async () => {
    const feed = await parsed(
      'google-news.rss',
      'https://news.google.com/rss/search?q=Macron&hl=fr-FR&gl=FR&ceid=FR:fr',
    );
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({
      title: "Macron appelle l'OTAN à l'unité - Le Monde Example",
      outlet: 'Le Monde Example',
      url: 'https://news.google.com/rss/articles/CBMiXWh0dHBzOi8vbGVtb25kZS5leGFtcGxlLm9yZy9tYWNyb27SAQA?oc=5',
      publishedAt: '2025-06-01T08:45:00.000Z',
    });
  });

  it("Google Alerts: the google.com/url redirect becomes the outlet's URL, the HTML title plain text", async () => {
    const feed = await parsed(
      'google-alerts.atom',
      'https://www.google.com/alerts/feeds/00000000000000000000/1234567890',
    );
    expect(feed.format).toBe('atom');
    expect(feed.items[0]).toMatchObject({
      url: 'https://news.example.com/2025/06/01/world/europe/macron-nato-summit.html',
      title: 'Macron urges NATO allies to spend more',
    });
  });

  it.each([
    [
      'https://www.google.com/url?rct=j&sa=t&url=https://a.example/x%3Fy%3D1&ct=ga',
      'https://a.example/x?y=1',
    ],
    ['https://google.co.uk/url?q=https://b.example/story&sa=U', 'https://b.example/story'],
    [
      'https://www.google.com/url?url=javascript:alert(1)',
      'https://www.google.com/url?url=javascript:alert(1)',
    ],
    [
      'https://www.google.com/search?url=https://c.example/',
      'https://www.google.com/search?url=https://c.example/',
    ],
    ['https://evil.example/url?url=https://c.example/', 'https://evil.example/url?url=https://c.example/'],
  ])('unwraps %s to %s, and only Google redirects to http(s) targets', (link, expected) => {
    expect(unwrapGoogleLink(link)).toBe(expected);
  });
});

describe('dates', () => {
  it.each([
    ['2025-06-01T10:00:00', '2025-06-01T10:00:00.000Z'],
    ['2025-06-01 10:00', '2025-06-01T10:00:00.000Z'],
    ['2025-06-01T10:00:00+02:00', '2025-06-01T08:00:00.000Z'],
    ['Sun, 01 Jun 2025 10:00:00 GMT', '2025-06-01T10:00:00.000Z'],
    ['2025-06-01', '2025-06-01T00:00:00.000Z'],
  ])('reads %s as %s on any machine', (text, iso) => {
    expect(isoDate(text)).toBe(iso);
  });
});
