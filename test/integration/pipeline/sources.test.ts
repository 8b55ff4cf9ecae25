/**
 * Every source type end to end, in the real service: a JSON Feed, a news sitemap behind an index,
 * a Google Alerts feed and a Google News search feed served on loopback, each item matched and
 * alerted once; a broken document fails only its own feed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, startReceiver, waitFor, type Delivery } from '../../helpers/loopback.js';
import { ROOT, startService, writeConfig } from '../../helpers/service.js';
import { endToEnd } from '../../helpers/teardown.js';

const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/sources', name), 'utf8');
/** The fixtures' day becomes today, so the sitemap's entries fall inside its 2-day window. */
const today = (text: string) => text.replaceAll('2025-06-01', new Date().toISOString().slice(0, 10));

const SUMMIT = 'https://news.example.com/2025/06/01/world/europe/macron-nato-summit.html';
const LEMONDE = 'https://lemonde.example.org/international/article/2025/06/01/macron-otan_1.html';
const GOOGLE_NEWS =
  'https://news.google.com/rss/articles/CBMiXWh0dHBzOi8vbGVtb25kZS5leGFtcGxlLm9yZy9tYWNyb27SAQA?oc=5';

const { redis: testRedis, teardown } = endToEnd();
const itemOf = (d: Delivery) =>
  (d.json as { data: { item: { url: string; feed: { id: string } } } }).data.item;
const urlOf = (d: Delivery) => itemOf(d).url;
const feedOf = (d: Delivery) => itemOf(d).feed.id;

describe('source types in the pipeline', () => {
  it('alerts once per story from a JSON Feed, a sitemap index, Google Alerts and Google News; a broken feed stops nothing', async () => {
    const site = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    teardown.close(site.close, hook.close);
    const base = site.url('');
    site.set('/world.json', { body: fixture('jsonfeed-1.1.json'), type: 'application/feed+json' });
    site.set('/sitemap-index.xml', {
      body: fixture('sitemap-index.xml').replaceAll('https://news.example.com', base),
      type: 'application/xml',
    });
    site.set('/sitemaps/news.xml', { body: today(fixture('news-sitemap.xml')), type: 'application/xml' });
    site.set('/alerts.atom', { body: today(fixture('google-alerts.atom')), type: 'application/atom+xml' });
    site.set('/gn.rss', { body: fixture('google-news.rss') });
    site.set('/broken.json', {
      body: '{"version":"https://jsonfeed.org/version/1.1","items":[',
      type: 'application/feed+json',
    });
    const config = writeConfig(`
schedule: "* * * * * *"
network:
  allowPrivateAddresses: true
feeds:
  - { id: lemonde-json, url: "${site.url('/world.json')}" }
  - { id: times-sitemap, type: sitemap, url: "${site.url('/sitemap-index.xml')}" }
  - { id: ga-macron, type: googlealerts, url: "${site.url('/alerts.atom')}" }
  - { id: gn-macron, type: googlenews, url: "${site.url('/gn.rss')}", query: Macron, lang: fr, country: FR }
  - { id: broken, url: "${site.url('/broken.json')}" }
watches:
  - { id: macron, label: Emmanuel Macron, terms: ["Macron"] }
webhooks:
  - { id: newsroom, url: "${hook.url}", secret: "${secret}", retry: [200ms] }
`);
    const svc = await startService({ config, redisUrl: testRedis().url });
    teardown.service(svc);

    const requests = (p: string) => site.hits.filter((h) => h.path === p).length;
    await waitFor(
      () =>
        hook.delivered().length >= 3 && requests('/alerts.atom') >= 1 && requests('/sitemaps/news.xml') >= 1,
      60_000,
      'alerts from every source',
    );
    await waitFor(
      () =>
        svc
          .events()
          .some((e) => e.feed === 'broken' && (e.err as { code?: string } | undefined)?.code === 'parse'),
      10_000,
      'the broken feed named',
    );
    // The sitemap's entry and the Alerts item are the same article: one alert, however many polls follow.
    const [sitemapPolls, alertsPolls] = [requests('/sitemaps/news.xml'), requests('/alerts.atom')];
    await waitFor(
      () => requests('/sitemaps/news.xml') >= sitemapPolls + 3 && requests('/alerts.atom') >= alertsPolls + 3,
      30_000,
      'three more polls',
    );
    await waitFor(
      () => svc.events().filter((e) => e.feed === 'times-sitemap' && e.msg === 'feed polled').length >= 3,
      10_000,
      'sitemap polls handled',
    );

    const delivered = hook.delivered();
    expect(delivered.every((d) => d.verified)).toBe(true);
    expect(delivered.map(urlOf).sort()).toEqual([LEMONDE, SUMMIT, GOOGLE_NEWS].sort());
    expect(feedOf(delivered.find((d) => urlOf(d) === LEMONDE)!)).toBe('lemonde-json');
    expect(['times-sitemap', 'ga-macron']).toContain(feedOf(delivered.find((d) => urlOf(d) === SUMMIT)!));
    // The index's two other sitemaps answer 404; they are skipped, the news sitemap still read.
    expect(requests('/sitemaps/2025-05.xml')).toBeGreaterThan(0);
  });
});
