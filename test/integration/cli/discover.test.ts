/** `feeds check` on a site's page and `feeds add`, against a loopback site, through the built command. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mediawatch } from '../../helpers/cli.js';
import { startFeedServer } from '../../helpers/loopback.js';
import { ROOT, writeConfig } from '../../helpers/service.js';
import { Teardown } from '../../helpers/teardown.js';

const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/sources', name), 'utf8');
const teardown = new Teardown();
afterEach(() => teardown.run());

async function site() {
  const s = await startFeedServer();
  teardown.close(s.close);
  const base = s.url('');
  s.set('/', { body: fixture('site-page.html'), type: 'text/html; charset=utf-8' });
  s.set('/world.rss', { body: fs.readFileSync(path.join(ROOT, 'test/fixtures/seed/seed-feed.rss')) });
  s.set('/world.json', { body: fixture('jsonfeed-1.1.json'), type: 'application/feed+json' });
  s.set('/robots.txt', {
    body: fixture('robots.txt').replaceAll('https://news.example.com', base),
    type: 'text/plain',
  });
  s.set('/sitemap-index.xml', { body: fixture('sitemap-index.xml'), type: 'application/xml' });
  // Not in the page or robots.txt: found at a common path.
  s.set('/feed.json', { body: fixture('jsonfeed-1.0.json'), type: 'application/json' });
  return s;
}

const CONFIG = `# feeds we poll
network:
  allowPrivateAddresses: true # loopback test site
feeds:
  - id: existing # keep me
    url: https://example.org/rss
watches:
  - { id: macron, terms: ["Macron"] }
`;

describe('mediawatch feeds check on a site', () => {
  it("lists the page's feeds, robots.txt's sitemaps and common paths with their kinds and counts; a missing one with its error", async () => {
    const s = await site();
    const r = await mediawatch(['feeds', 'check', s.url('/'), '--config', writeConfig(CONFIG)]);
    expect(r.code).toBe(0);
    const lines = r.out;
    expect(lines).toContain(`${s.url('/')} is a page; it leads to:`);
    expect(lines).toMatch(
      new RegExp(`${s.url('/world.rss')}  \\(from the page\\)\\n    rss feed  items \\d+`),
    );
    expect(lines).toContain(
      `${s.url('/world.json')}  (from the page)\n    jsonfeed feed  items 2  "Le Monde Example — International"`,
    );
    expect(lines).toContain(
      `${s.url('/sitemap-index.xml')}  (from robots.txt)\n    sitemap index  sitemaps 3`,
    );
    expect(lines).toContain(
      `${s.url('/news-sitemap.xml')}  (from robots.txt)\n    http-status: ${s.url('/news-sitemap.xml')} answered HTTP 404`,
    );
    expect(lines).toContain(`${s.url('/feed.json')}  (from a common path)\n    jsonfeed feed  items 1`);
    expect(lines).not.toContain(s.url('/rss.xml'));
  });

  it('says so, and exits 1, when nothing leads to a feed', async () => {
    const s = await startFeedServer();
    teardown.close(s.close);
    s.set('/', { body: '<html><head><title>x</title></head></html>', type: 'text/html' });
    const r = await mediawatch(['feeds', 'check', s.url('/'), '--config', writeConfig(CONFIG)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'is not a feed, and neither its page, its robots.txt nor the common paths lead to one',
    );
  });
});

describe('mediawatch feeds add', () => {
  it('adds a checked feed with its detected type, keeps the comments, and refuses a page', async () => {
    const s = await site();
    const file = writeConfig(CONFIG);
    const added = await mediawatch([
      'feeds',
      'add',
      s.url('/world.json'),
      '--id',
      'lemonde',
      '--config',
      file,
    ]);
    expect(added.code).toBe(0);
    expect(added.out).toContain('added "lemonde" (jsonfeed feed  items 2)');
    const sitemap = await mediawatch(['feeds', 'add', s.url('/sitemap-index.xml'), '--config', file]);
    expect(sitemap.out).toContain('added "127-0-0-1" (sitemap index  sitemaps 3)');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# feeds we poll');
    expect(text).toContain('id: existing # keep me');
    expect(text).toContain(`- id: lemonde\n    url: ${s.url('/world.json')}\n    type: jsonfeed`);
    expect(text).toContain(`- id: 127-0-0-1\n    url: ${s.url('/sitemap-index.xml')}\n    type: sitemap`);

    const again = await mediawatch(['feeds', 'add', s.url('/world.json'), '--config', file]);
    expect(again.out).toContain('is already in');
    const page = await mediawatch(['feeds', 'add', s.url('/'), '--config', file]);
    expect(page.code).toBe(1);
    expect(page.err).toContain(
      'not-a-feed: the response is an HTML page, not a feed; it advertises these feeds',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });
});
