/**
 * Full text: a feed that carries only headlines and teasers, the articles on loopback pages. The
 * stage handlers run against a real Redis and real HTTP; every item alerts exactly once, on what
 * could be read, and a page that cannot be read never loses its item.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createArticles } from '../../../src/article/index.js';
import type { ArticleJob } from '../../../src/contracts/jobs.js';
import type { AlertPayload } from '../../../src/contracts/webhook.js';
import { createFeedHttpClient, createHostLimiter, listFeedHealth } from '../../../src/fetch/index.js';
import { createAddressPolicy } from '../../../src/net/address-policy.js';
import { handleArticle } from '../../../src/pipeline/handle-article.js';
import { handleItems } from '../../../src/pipeline/handle-item.js';
import { handlePoll } from '../../../src/pipeline/handle-poll.js';
import type { PipelineDeps } from '../../../src/pipeline/deps.js';
import { articlePage } from '../../helpers/article-page.js';
import { startServer } from '../../helpers/loopback.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { ROOT } from '../../helpers/service.js';
import { startArticleWorker } from '../../../workers/article.js';

const SEED_TEXT = fs.readFileSync(path.join(ROOT, 'test/fixtures/seed/seed-article.txt'), 'utf8');
const SEED_PAGE = articlePage(SEED_TEXT, {
  canonical: 'https://news.example.com/2022/12/03/macron-guarantees.html',
});
const TEASER = 'Security guarantees for Russia are an essential part of any peace talks, Macron says.';

/** Headlines and teasers of different stories, each naming Macron. */
const DISTINCT = [
  [
    'Macron opens a wind farm off Saint-Nazaire',
    'The turbines will power a city the size of Nantes, the operator said.',
  ],
  [
    'Macron names a new culture minister',
    'The former museum director replaces a minister who resigned over a budget dispute.',
  ],
  [
    'Macron visits flooded villages in the Pas-de-Calais',
    'Residents asked for faster insurance payments after a second week of rain.',
  ],
  [
    'Farmers block roads before meeting Macron',
    'Tractors slowed traffic around Lyon as unions demanded lower diesel taxes.',
  ],
  [
    'Macron backs a bid to host the 2030 Winter Games',
    'Alpine resorts say snow-making costs must be shared with the state.',
  ],
  [
    'Teachers strike as Macron defends school reform',
    'Unions said a third of primary schools were closed on Tuesday.',
  ],
  [
    'Macron and Scholz discuss a joint fighter jet',
    'Industrial partners have argued for months over the share of work.',
  ],
] as const;

type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Pages and robots.txt on loopback, each request recorded with its time. */
async function startSite() {
  const routes = new Map<string, Answer>();
  const hits: { path: string; at: number; ua?: string }[] = [];
  const server = await startServer((req, res) => {
    hits.push({ path: req.url ?? '/', at: performance.now(), ua: req.headers['user-agent'] });
    const answer = routes.get(req.url ?? '/');
    if (answer) answer(req, res);
    else res.writeHead(404).end('not found');
  });
  const html =
    (body: string | Buffer, type = 'text/html; charset=utf-8'): Answer =>
    (_, res) =>
      void res.writeHead(200, { 'content-type': type }).end(body);
  return { ...server, routes, hits, html, pathsHit: () => hits.map((h) => h.path) };
}

/** A feed of headline-and-teaser items, one per page path. */
function teaserFeed(base: string, items: { path: string; title: string; teaser?: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Teasers</title><link>${base}/</link>
${items.map((i) => `<item><title>${i.title}</title><link>${base}${i.path}</link><guid>${base}${i.path}</guid><description>${i.teaser ?? TEASER}</description></item>`).join('\n')}
</channel></rss>`;
}

const CONFIG = (feedUrl: string, extra = '') => `
fetch:
  perHostGap: 0ms
fullText:
  timeout: 2s
${extra}
feeds:
  - id: teasers
    url: ${feedUrl}
watches:
  - id: macron
    terms: ["Macron"]
  - id: nato
    terms: ["NATO"]
  - id: putin
    terms: ["Putin", "Путин"]
webhooks:
  - id: newsroom
    url: https://hooks.example.org/mw
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
logAlerts: false
`;

let server: TestRedis;
let redis: Redis;
let site: Awaited<ReturnType<typeof startSite>>;
let deps: ReturnType<typeof pipelineDeps> | undefined;

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
beforeEach(async () => {
  await redis.flushall();
  await deps?.close();
  await site?.close();
  site = await startSite();
});
afterAll(async () => {
  await deps?.close();
  await site?.close();
  await server.stop();
});

/** Serves a teaser feed for these pages and polls it once; the article jobs are left queued. */
async function pollTeasers(
  pages: { path: string; title?: string; teaser?: string }[],
  extra = '',
): Promise<void> {
  const items = pages.map((p) => ({ ...p, title: p.title ?? `Macron speaks (${p.path})` }));
  site.routes.set('/feed.xml', site.html(teaserFeed(site.url, items), 'application/rss+xml'));
  deps = pipelineDeps(redis, CONFIG(`${site.url}/feed.xml`, extra));
  const feed = deps.current().config.feeds[0];
  expect((await handlePoll({ feedId: feed.id, tick: 't1' }, deps)).fresh).toBe(pages.length);
}

/** Runs an article job as the worker would, again after a while when its host was busy. */
async function readArticle(job: ArticleJob, d: PipelineDeps): Promise<string> {
  for (;;) {
    const { outcome, retryInMs } = await handleArticle(job, d);
    if (retryInMs === undefined) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs the queued article jobs side by side, then the items jobs; returns the alerts raised. */
async function drain(d = deps!): Promise<{ outcomes: Record<string, string>; alerts: AlertPayload[] }> {
  const jobs = await d.queues.article.getJobs(['waiting']);
  const outcomes: Record<string, string> = {};
  await Promise.all(
    jobs.map(async (j) => (outcomes[new URL(j.data.item.url!).pathname] = await readArticle(j.data, d))),
  );
  for (const j of await d.queues.items.getJobs(['waiting'])) await handleItems(j.data, d);
  const deliveries = (await d.queues.deliver.getJobs(['waiting', 'delayed', 'prioritized'])).map(
    (j) => j.data,
  );
  const alerts = deliveries.flatMap((x) =>
    x.kind === 'alerts' ? x.payloads : x.kind === 'alert' ? [x.payload] : [],
  );
  return { outcomes, alerts };
}

const fieldsOf = (a: AlertPayload, watch: string) =>
  a.data.watches.find((w) => w.id === watch)?.matches.map((m) => m.field);

describe('full text: teaser-only feeds', () => {
  it('reads the page of a teaser and alerts the watches only the article mentions, once, with field "article"', async () => {
    site.routes.set('/robots.txt', site.html('User-agent: *\nAllow: /\n', 'text/plain'));
    site.routes.set('/seed.html', site.html(SEED_PAGE));
    await pollTeasers([
      { path: '/seed.html', title: 'Security guarantees for Russia are essential, Macron says' },
    ]);

    const { outcomes, alerts } = await drain();
    expect(outcomes).toEqual({ '/seed.html': 'read' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0].data.watches.map((w) => w.id).sort()).toEqual(['macron', 'nato', 'putin']);
    expect(fieldsOf(alerts[0], 'nato')).toEqual(expect.arrayContaining(['article']));
    expect(new Set(fieldsOf(alerts[0], 'putin'))).toEqual(new Set(['article']));
    expect(site.pathsHit().filter((p) => p === '/seed.html')).toHaveLength(1);
    expect(site.hits.every((h) => h.ua?.startsWith('mediawatch'))).toBe(true);

    // The next poll brings the same item: its page is not read again, and nothing alerts.
    site.routes.set(
      '/feed.xml',
      site.html(
        teaserFeed(site.url, [
          { path: '/seed.html', title: 'Security guarantees for Russia are essential, Macron says' },
        ]) + ' ',
        'application/rss+xml',
      ),
    );
    expect((await handlePoll({ feedId: 'teasers', tick: 't2' }, deps!)).fresh).toBe(0);
    expect(await deps!.queues.article.count()).toBe(1);
  });

  it('never requests a page robots.txt disallows, reads robots.txt once, and alerts on the feed text', async () => {
    site.routes.set(
      '/robots.txt',
      site.html(
        'User-agent: *\nAllow: /\n\nUser-agent: mediawatch\nDisallow: /private/\nAllow: /private/open/\n',
        'text/plain',
      ),
    );
    site.routes.set('/private/seed.html', site.html(SEED_PAGE));
    site.routes.set('/private/open/seed.html', site.html(SEED_PAGE));
    await pollTeasers([{ path: '/private/seed.html' }, { path: '/private/open/seed.html' }]);

    const { outcomes, alerts } = await drain();
    expect(outcomes).toEqual({ '/private/seed.html': 'robots', '/private/open/seed.html': 'read' });
    expect(site.pathsHit()).not.toContain('/private/seed.html');
    expect(site.pathsHit().filter((p) => p === '/robots.txt')).toHaveLength(1);
    expect(await redis.ttl('mw:robots:' + site.url)).toBeGreaterThan(86_000);
    const byPath = (p: string) => alerts.filter((a) => a.data.item.url === site.url + p);
    // The unread teaser is a brief of the page's story: one story, each watch alerted once.
    const watches = alerts.flatMap((a) => a.data.watches.map((w) => w.id));
    expect(watches).toContain('macron');
    expect(new Set(watches).size).toBe(watches.length);
    expect(new Set(alerts.map((a) => a.data.storyId)).size).toBe(1);
    expect(byPath('/private/seed.html').length + byPath('/private/open/seed.html').length).toBe(
      alerts.length,
    );
    const [health] = await listFeedHealth(redis, 'mw', deps!.current().config.feeds);
    expect(health.lastArticleError?.code).toBe('robots');
    expect(health.lastArticleError?.message).toContain('/private/seed.html');
    expect(await deps!.metrics.registry.getSingleMetricAsString('mediawatch_article_reads_total')).toContain(
      'outcome="robots"} 1',
    );
  });

  it('spaces the page requests to a host by its Crawl-delay', async () => {
    site.routes.set('/robots.txt', site.html('User-agent: *\nCrawl-delay: 1\n', 'text/plain'));
    const pages = ['/a.html', '/b.html', '/c.html'].map((p) => ({ path: p }));
    for (const p of pages) site.routes.set(p.path, site.html(SEED_PAGE));
    await pollTeasers(pages);

    const { outcomes, alerts } = await drain();
    expect(Object.values(outcomes)).toEqual(['read', 'read', 'read']);
    // Three links, one canonical page: one story, one alert.
    expect(alerts).toHaveLength(1);
    const starts = site.hits.filter((h) => h.path.endsWith('.html')).map((h) => h.at);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(990);
  });

  it('matches an item on its feed text when its page fails, for every kind of failure, each alerting once', async () => {
    site.routes.set('/robots.txt', (_, res) => void res.writeHead(404).end());
    site.routes.set('/500.html', (_, res) => void res.writeHead(500).end('oops'));
    site.routes.set('/hang.html', () => undefined);
    site.routes.set('/huge.html', (_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const more = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent >= 50) res.end();
        else
          res.once('drain', () => {
            sent++;
            more();
          });
      };
      res.on('error', () => undefined);
      more();
    });
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));
    site.routes.set(
      '/bomb.html',
      (_, res) =>
        void res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb),
    );
    site.routes.set('/image.html', site.html(Buffer.from('GIF89a....'), 'image/gif'));
    site.routes.set(
      '/consent.html',
      site.html(
        '<!doctype html><html><body><div class="consent"><h1>We value your privacy</h1><p>We and our partners use cookies. <button>Accept all</button> <button>Manage</button></p></div></body></html>',
      ),
    );
    const paths = [
      '/404.html',
      '/500.html',
      '/hang.html',
      '/huge.html',
      '/bomb.html',
      '/image.html',
      '/consent.html',
    ];
    // Seven different stories, so that each item alerts on its own.
    await pollTeasers(paths.map((p, i) => ({ path: p, title: DISTINCT[i][0], teaser: DISTINCT[i][1] })));

    const { outcomes, alerts } = await drain();
    expect(outcomes).toEqual({
      '/404.html': 'http-status',
      '/500.html': 'http-status',
      '/hang.html': 'timeout',
      '/huge.html': 'too-large',
      '/bomb.html': 'too-large',
      '/image.html': 'not-html',
      '/consent.html': 'too-little-text',
    });
    expect(alerts.map((a) => new URL(a.data.item.url!).pathname).sort()).toEqual([...paths].sort());
    expect(alerts.every((a) => a.data.watches.map((w) => w.id).join() === 'macron')).toBe(true);
  });

  it('reads a windows-1251 page whose charset only its <meta> declares', async () => {
    const text =
      'Путин и НАТО\n\n' +
      Array.from(
        { length: 8 },
        (_, i) =>
          `Президент Путин заявил в интервью номер ${i + 1}, что расширение альянса угрожает безопасности страны, и повторил свои требования о гарантиях.`,
      ).join('\n\n');
    const iconv = (await import('iconv-lite')).default;
    site.routes.set(
      '/ru.html',
      site.html(
        iconv.encode(articlePage(text, { charset: 'windows-1251', lang: 'ru' }), 'win1251'),
        'text/html',
      ),
    );
    await pollTeasers([{ path: '/ru.html', title: 'Macron and the Kremlin' }]);

    const { outcomes, alerts } = await drain();
    expect(outcomes).toEqual({ '/ru.html': 'read' });
    expect(alerts).toHaveLength(1);
    const putin = alerts[0].data.watches.find((w) => w.id === 'putin');
    expect(putin?.matches[0].field).toBe('article');
    expect(putin?.matches[0].snippet).toContain('Путин');
  });

  it('refuses a page that redirects to a private address, on the redirect hop, and alerts on the feed text', async () => {
    site.routes.set('/robots.txt', (_, res) => void res.writeHead(404).end());
    site.routes.set(
      '/moved.html',
      (_, res) => void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    );
    await pollTeasers([{ path: '/moved.html' }]);
    // The feed host is allowed by name; the redirect's private address is not.
    const policy = createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['127.0.0.1'] });
    const http = createFeedHttpClient(policy, 'mediawatch-test');
    const limiter = createHostLimiter({ concurrency: 2, gapMs: 0 });
    const strict = {
      ...deps!,
      articles: createArticles({
        redis,
        http,
        limiter,
        config: () => deps!.current().config,
        clock: Date.now,
      }),
    };
    try {
      const { outcomes, alerts } = await drain(strict);
      expect(outcomes).toEqual({ '/moved.html': 'blocked-address' });
      expect(alerts).toHaveLength(1);
    } finally {
      http.close();
    }
  });

  it("keeps other hosts' pages moving while one host hangs", async () => {
    site.routes.set('/robots.txt', (_, res) => void res.writeHead(404).end());
    site.routes.set('/hang.html', () => undefined);
    site.routes.set('/seed.html', site.html(SEED_PAGE));
    const other = site.url.replace('127.0.0.1', 'localhost');
    // The same server under two host names: the limiter and robots.txt see two hosts.
    const second = `<item><title>Macron two</title><link>${other}/seed.html</link><guid>${other}/seed.html</guid><description>${TEASER}</description></item>`;
    const feed = teaserFeed(site.url, [{ path: '/hang.html', title: 'Macron one' }]).replace(
      '</channel>',
      `${second}</channel>`,
    );
    site.routes.set('/feed.xml', site.html(feed, 'application/rss+xml'));
    deps = pipelineDeps(redis, CONFIG(`${site.url}/feed.xml`));
    await handlePoll({ feedId: 'teasers', tick: 't1' }, deps);
    const jobs = await deps.queues.article.getJobs(['waiting']);
    expect(jobs).toHaveLength(2);
    const done: string[] = [];
    await Promise.all(
      jobs.map(async (j) => {
        await handleArticle(j.data, deps!);
        done.push(new URL(j.data.item.url!).pathname);
      }),
    );
    expect(done).toEqual(['/seed.html', '/hang.html']);
  });

  it("reads another host's page at once while 70 pages of a hanging host are put off, not holding the worker's slots", async () => {
    const hanging: http.ServerResponse[] = [];
    site.routes.set('/robots.txt', (_, res) => void res.writeHead(404).end());
    site.routes.set('/seed.html', site.html(SEED_PAGE));
    const slow = Array.from({ length: 70 }, (_, i) => `/hang-${i}.html`);
    for (const p of slow) site.routes.set(p, (_, res) => void hanging.push(res));
    const other = site.url.replace('127.0.0.1', 'localhost');
    const last = `<item><title>Macron two</title><link>${other}/seed.html</link><guid>${other}/seed.html</guid><description>${TEASER}</description></item>`;
    const feed = teaserFeed(
      site.url,
      slow.map((p) => ({ path: p, title: `Macron (${p})` })),
    ).replace('</channel>', `${last}</channel>`);
    site.routes.set('/feed.xml', site.html(feed, 'application/rss+xml'));
    deps = pipelineDeps(redis, CONFIG(`${site.url}/feed.xml`).replace('timeout: 2s', 'timeout: 60s'));
    await handlePoll({ feedId: 'teasers', tick: 't1' }, deps);
    const worker = startArticleWorker(deps, server.client());
    try {
      await vi.waitFor(async () => expect(await deps!.queues.items.count()).toBe(1), {
        timeout: 20_000,
        interval: 50,
      });
      const [job] = await deps.queues.items.getJobs(['waiting']);
      expect(job.data.items[0].item.url).toBe(`${other}/seed.html`);
      expect(hanging.length).toBeLessThanOrEqual(2);
      expect(await deps.queues.article.getDelayedCount()).toBeGreaterThan(60);
    } finally {
      await worker.close(true);
      for (const res of hanging) res.writeHead(503).end();
    }
  });
});
