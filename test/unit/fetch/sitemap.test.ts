import { describe, expect, it } from 'vitest';
import { MediawatchError, fail, ok, type Result } from '../../../src/contracts/errors.js';
import type { FeedItem, ParsedFeed } from '../../../src/contracts/item.js';
import { sitemapItems } from '../../../src/fetch/sitemap.js';

const NOW = Date.parse('2025-06-03T12:00:00Z');
const item = (url: string, publishedAt?: string): FeedItem => ({
  key: `u:${url}`,
  url,
  title: url,
  summary: '',
  content: '',
  ...(publishedAt ? { publishedAt } : {}),
});
const sitemap = (items: FeedItem[], sitemaps?: string[]): ParsedFeed => ({
  format: 'sitemap',
  encoding: 'utf-8',
  items,
  ...(sitemaps ? { sitemaps } : {}),
});

function children(docs: Record<string, Result<ParsedFeed>>) {
  const asked: string[] = [];
  const fetchChild = (url: string) => {
    asked.push(url);
    return Promise.resolve(
      docs[url] ??
        fail(
          new MediawatchError('http-status', `${url} answered HTTP 404`, { details: { url, status: 404 } }),
        ),
    );
  };
  return { asked, fetchChild };
}

describe('a sitemap poll', () => {
  it('keeps only entries published within the window (2 days by default); undated entries are not news', async () => {
    const doc = sitemap([
      item('https://n.example/new', '2025-06-03T08:00:00Z'),
      item('https://n.example/edge', '2025-06-01T12:00:00Z'),
      item('https://n.example/old', '2025-06-01T11:59:59Z'),
      item('https://n.example/undated'),
    ]);
    const r = await sitemapItems(doc, {}, NOW, children({}).fetchChild);
    expect(r.ok && r.value.feed.items.map((i) => i.url)).toEqual([
      'https://n.example/new',
      'https://n.example/edge',
    ]);
    const week = await sitemapItems(doc, { window: 7 * 86_400_000 }, NOW, children({}).fetchChild);
    expect(week.ok && week.value.feed.items).toHaveLength(3);
  });

  it('fetches at most maxSitemaps children of an index, in the order given, and skips the ones that fail', async () => {
    const { asked, fetchChild } = children({
      'https://n.example/a.xml': ok(sitemap([item('https://n.example/a1', '2025-06-03T09:00:00Z')])),
      'https://n.example/c.xml': ok(sitemap([item('https://n.example/c1', '2025-06-03T10:00:00Z')])),
    });
    const index = sitemap(
      [],
      [
        'https://n.example/a.xml',
        'https://n.example/b.xml',
        'https://n.example/c.xml',
        'https://n.example/d.xml',
      ],
    );
    const r = await sitemapItems(index, { maxSitemaps: 3 }, NOW, fetchChild);
    expect(asked).toEqual(['https://n.example/a.xml', 'https://n.example/b.xml', 'https://n.example/c.xml']);
    expect(r.ok && r.value.feed.items.map((i) => i.url)).toEqual([
      'https://n.example/a1',
      'https://n.example/c1',
    ]);
    expect(r.ok && r.value.skipped.map((e) => e.details.url)).toEqual(['https://n.example/b.xml']);
    expect(r.ok && r.value.feed.sitemaps).toBeUndefined();
  });

  it('follows an index inside the index, down to two levels, within maxSitemaps fetches in all', async () => {
    const { asked, fetchChild } = children({
      'https://n.example/2025.xml': ok(
        sitemap([], ['https://n.example/2025-06-03.xml', 'https://n.example/2025-06-02.xml']),
      ),
      'https://n.example/2025-06-03.xml': ok(
        sitemap([item('https://n.example/today', '2025-06-03T09:00:00Z')]),
      ),
      'https://n.example/2025-06-02.xml': ok(sitemap([], ['https://n.example/too-deep.xml'])),
      'https://n.example/flat.xml': ok(sitemap([item('https://n.example/flat', '2025-06-03T10:00:00Z')])),
    });
    const index = sitemap([], ['https://n.example/2025.xml', 'https://n.example/flat.xml']);
    const r = await sitemapItems(index, {}, NOW, fetchChild);
    expect(asked).toEqual([
      'https://n.example/2025.xml',
      'https://n.example/flat.xml',
      'https://n.example/2025-06-03.xml',
      'https://n.example/2025-06-02.xml',
    ]);
    expect(r.ok && r.value.feed.items.map((i) => i.url)).toEqual([
      'https://n.example/flat',
      'https://n.example/today',
    ]);
    expect(r.ok && r.value.skipped.map((e) => [e.code, e.details.url])).toEqual([
      ['not-a-feed', 'https://n.example/2025-06-02.xml'],
    ]);

    const budget = children({
      'https://n.example/2025.xml': ok(
        sitemap([], ['https://n.example/2025-06-03.xml', 'https://n.example/2025-06-02.xml']),
      ),
    });
    await sitemapItems(index, { maxSitemaps: 3 }, NOW, budget.fetchChild);
    expect(budget.asked).toHaveLength(3);
  });

  it('fetches a sitemap listed twice, or an index that lists itself, once', async () => {
    const { asked, fetchChild } = children({
      'https://n.example/loop.xml': ok(
        sitemap([], ['https://n.example/loop.xml', 'https://n.example/a.xml']),
      ),
      'https://n.example/a.xml': ok(sitemap([item('https://n.example/a1', '2025-06-03T09:00:00Z')])),
    });
    const r = await sitemapItems(
      sitemap([], ['https://n.example/loop.xml', 'https://n.example/a.xml']),
      {},
      NOW,
      fetchChild,
    );
    expect(asked).toEqual(['https://n.example/loop.xml', 'https://n.example/a.xml']);
    expect(r.ok && r.value.feed.items).toHaveLength(1);
  });

  it('fails with the first error when every child failed', async () => {
    const gone = await sitemapItems(
      sitemap([], ['https://n.example/gone.xml']),
      {},
      NOW,
      children({}).fetchChild,
    );
    expect(gone.ok || gone.error).toMatchObject({
      code: 'http-status',
      details: { url: 'https://n.example/gone.xml' },
    });
  });
});
