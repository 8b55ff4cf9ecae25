import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';

const WATCHES = [{ id: 'w', terms: ['x'] }];
const feedsOf = (feeds: unknown[]) => configSchema.safeParse({ feeds, watches: WATCHES });

describe('feed types in the config', () => {
  it('builds the Google News search URL of a googlenews feed from its query, language and country', () => {
    const r = feedsOf([
      { id: 'gn-macron', type: 'googlenews', query: '"Emmanuel Macron" when:1d', lang: 'fr', country: 'FR' },
    ]);
    expect(r.success && r.data.feeds[0].url).toBe(
      'https://news.google.com/rss/search?q=%22Emmanuel+Macron%22+when%3A1d&hl=fr-FR&gl=FR&ceid=FR%3Afr',
    );
  });

  it('keeps the url a googlenews feed gives (a mirror, a test server)', () => {
    const r = feedsOf([{ id: 'gn', type: 'googlenews', url: 'https://mirror.example/gn.rss' }]);
    expect(r.success && r.data.feeds[0].url).toBe('https://mirror.example/gn.rss');
  });

  it('makes full text "always" the default of sitemap feeds, and leaves other feeds to the fetch stage', () => {
    const r = feedsOf([
      { id: 'sm', type: 'sitemap', url: 'https://n.example/news-sitemap.xml' },
      { id: 'sm-title-only', type: 'sitemap', url: 'https://n.example/s.xml', fullText: 'never' },
      { id: 'rss', url: 'https://n.example/rss' },
    ]);
    expect(r.success && r.data.feeds.map((f) => f.fullText)).toEqual(['always', 'never', undefined]);
  });

  it.each([
    [{ id: 'a' }, ['feeds', 0, 'url'], 'a feed needs a "url"'],
    [{ id: 'a', type: 'googlenews' }, ['feeds', 0, 'query'], 'a googlenews feed needs a "query"'],
    [{ id: 'a', type: 'googlenews', query: 'x', lang: 'French' }, ['feeds', 0, 'lang'], 'a language code'],
    [{ id: 'a', type: 'podcast', url: 'https://x.example/' }, ['feeds', 0, 'type'], ''],
    [
      { id: 'a', type: 'sitemap', url: 'https://x.example/', window: 'soon' },
      ['feeds', 0, 'window'],
      'is not a duration',
    ],
  ])('names the field of a bad feed %j', (feed, path, message) => {
    const r = feedsOf([feed]);
    expect(r.success).toBe(false);
    const issue = r.error?.issues.find((i) => i.path.join('.') === path.join('.'));
    expect(issue?.message).toContain(message);
  });
});
