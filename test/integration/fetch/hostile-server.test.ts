/**
 * The poller against a loopback server that misbehaves in every way feeds do in the wild. The
 * address policy allows only 127.0.0.1, so redirects elsewhere are refused before any packet
 * leaves the machine.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig, FetchConfig } from '../../../src/config/schema.js';
import {
  checkFeed,
  createFeedHttpClient,
  createFeedPoller,
  listFeedHealth,
  type FeedPoller,
} from '../../../src/fetch/index.js';
import { createAddressPolicy } from '../../../src/net/address-policy.js';
import { USER_AGENT } from '../../../src/net/user-agent.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { waitFor } from '../../helpers/wait.js';

const FEED = fs.readFileSync(path.resolve(__dirname, '../../fixtures/feeds/real/guardian.rss'));
const ETAG = '"v1"';
const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
const LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><item><title>&lol3;</title></item></channel></rss>`;
const XXE = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>`;

const sockets = new Set<Socket>();
let connections = 0;
const hits = new Map<string, number>();
const seenHeaders = new Map<string, http.IncomingHttpHeaders>();
let base = '';

const server = http.createServer((req, res) => {
  const route = (req.url ?? '/').split('?')[0];
  const n = (hits.get(route) ?? 0) + 1;
  hits.set(route, n);
  seenHeaders.set(route, req.headers);
  const xml = (body: string | Buffer) => {
    res.setHeader('content-type', 'application/rss+xml; charset=utf-8');
    res.end(body);
  };
  switch (route) {
    case '/feed':
      if (req.headers['if-none-match'] === ETAG) return void res.writeHead(304).end();
      res.setHeader('etag', ETAG);
      return xml(FEED);
    case '/no-validators':
      return xml(FEED);
    case '/blackhole':
      return; // accepts the connection, never answers
    case '/drip': {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss version="2.0"><channel>');
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
      return;
    }
    case '/endless': {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.write(chunk)) {
          /* fill the socket buffer, then wait for drain */
        }
      };
      res.on('drain', pump);
      pump();
      return;
    }
    case '/fifty-mb':
      res.writeHead(200, {
        'content-type': 'application/rss+xml',
        'content-length': String(50 * 1024 * 1024),
      });
      res.write(Buffer.alloc(1024, 0x20));
      return;
    case '/gzip-bomb':
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      return void res.end(GZIP_BOMB);
    case '/unasked-gzip':
      // A static .xml.gz served as-is, without Content-Encoding.
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      return void res.end(zlib.gzipSync(FEED));
    case '/loop':
      return void res.writeHead(302, { location: '/loop' }).end();
    case '/to-private':
      return void res.writeHead(302, { location: 'http://10.0.0.1/feed' }).end();
    case '/to-metadata':
      return void res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    case '/to-decimal-loopback':
      return void res
        .writeHead(307, { location: `http://2130706433:${(server.address() as AddressInfo).port}/feed` })
        .end();
    case '/429':
      return void res.writeHead(429, { 'retry-after': '7200' }).end('slow down');
    case '/503-date':
      return void res
        .writeHead(503, { 'retry-after': new Date(Date.UTC(2026, 0, 10, 15)).toUTCString() })
        .end();
    case '/flaky':
      if (n === 1) return void res.writeHead(500).end('oops');
      return xml(FEED);
    case '/html':
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return void res.end(
        '<!doctype html><html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head><body>hi</body></html>',
      );
    case '/json':
      res.setHeader('content-type', 'application/json');
      return void res.end('{"items":[]}');
    case '/empty':
      return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end();
    case '/laughs':
      return xml(LAUGHS);
    case '/xxe':
      return xml(XXE);
    case '/oops':
      return xml('oops');
    default:
      res.writeHead(404).end();
  }
});
server.on('connection', (s) => {
  connections++;
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
});

let redis: TestRedis;
let client: Redis;
let now = Date.UTC(2026, 0, 10, 12);
const clock = () => now;
const config: FetchConfig = {
  connectTimeout: 500,
  totalTimeout: 1200,
  maxBytes: 2 * 1024 * 1024,
  maxRedirects: 3,
  perHostConcurrency: 8,
  perHostGap: 0,
  spread: 0,
  maxBackoff: 6 * 3_600_000,
  adaptive: { enabled: false, min: 120_000, max: 3_600_000 },
};
// The client the service fetches feeds with, connections kept alive.
const http_ = createFeedHttpClient(
  createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['127.0.0.1'] }),
  USER_AGENT,
);
let poller: FeedPoller;
/** Polls as the pipeline does: a parsed feed's state is committed once its items are queued. */
async function poll(f: FeedConfig, p: FeedPoller = poller) {
  const r = await p.poll(f);
  if (r.status === 'parsed') await r.commit();
  return r;
}
let prefix = '';
let n = 0;
const feed = (route: string, extra: Partial<FeedConfig> = {}): FeedConfig => ({
  id: `f${++n}`,
  url: `${base}${route}`,
  conditional: true,
  ...extra,
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redis = await startRedis();
  client = redis.client();
});
afterAll(async () => {
  await redis.stop();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
afterEach(async () => {
  // Every outcome, success or failure, must leave no connection open but the idle kept-alive ones,
  // which the client closes at shutdown; one it lost track of would stay open here.
  http_.close();
  await waitFor(() => sockets.size === 0, 2_000, 'every connection to close', 10);
});

const fresh = () => {
  prefix = `t${Math.random().toString(36).slice(2)}`;
  poller = createFeedPoller({ http: http_, redis: client, prefix, config, clock });
};

describe('polling a feed', () => {
  it('parses a feed, then gets 304 with the validators it saved, with a mediawatch User-Agent', async () => {
    fresh();
    const f = feed('/feed');
    const first = await poll(f);
    expect(first.status).toBe('parsed');
    expect(first.status === 'parsed' && first.feed.items.length).toBe(55);
    expect(first).toMatchObject({ httpStatus: 200, bytes: FEED.length });
    expect(seenHeaders.get('/feed')?.['user-agent']).toBe(USER_AGENT);
    expect(seenHeaders.get('/feed')?.accept).toContain('application/rss+xml');
    const second = await poll(f);
    expect(second.status).toBe('not-modified');
    expect(seenHeaders.get('/feed')?.['if-none-match']).toBe(ETAG);
  });

  it('sends no validators when the feed is configured with conditional: false', async () => {
    fresh();
    const f = feed('/feed', { conditional: false });
    await poll(f);
    const second = await poll(f);
    expect(seenHeaders.get('/feed')?.['if-none-match']).toBeUndefined();
    expect(second.status).toBe('unchanged');
  });

  it('does not parse a body identical to the last one', async () => {
    fresh();
    const f = feed('/no-validators');
    expect((await poll(f)).status).toBe('parsed');
    expect((await poll(f)).status).toBe('unchanged');
  });

  it('polls feeds on one host over one kept-alive connection, one after another', async () => {
    fresh();
    const before = connections;
    for (const route of ['/feed', '/no-validators', '/feed'])
      expect((await poll(feed(route))).status).toBe('parsed');
    expect(connections - before).toBe(1);
  });

  it('reads a gzipped body served without Content-Encoding', async () => {
    fresh();
    const r = await poll(feed('/unasked-gzip'));
    expect(r.status).toBe('parsed');
  });
});

/**
 * These servers would hold a poll forever (blackhole, drip, endless) or for minutes; a poll they end
 * within five times the total time limit was cut off by the limit, with room for a loaded machine.
 */
const CUT_OFF_BOUND_MS = 5 * config.totalTimeout;

describe('hostile servers', () => {
  it.each([
    ['/blackhole', 'timeout'],
    ['/drip', 'timeout'],
    ['/endless', 'too-large'],
    ['/fifty-mb', 'too-large'],
    ['/gzip-bomb', 'too-large'],
    ['/loop', 'too-many-redirects'],
    ['/to-private', 'blocked-address'],
    ['/to-metadata', 'blocked-address'],
    ['/html', 'not-a-feed'],
    ['/json', 'not-a-feed'],
    ['/empty', 'not-a-feed'],
    ['/oops', 'not-a-feed'],
  ])('%s fails with %s, within the time limit', async (route, code) => {
    fresh();
    const started = Date.now();
    const r = await poll(feed(route));
    expect(r.status).toBe('failed');
    expect(r.status === 'failed' && r.error.code).toBe(code);
    expect(Date.now() - started).toBeLessThan(CUT_OFF_BOUND_MS);
  });

  it('follows a redirect to an allowed address in another spelling', async () => {
    fresh();
    expect((await poll(feed('/to-decimal-loopback'))).status).toBe('parsed');
  });

  it('never sends the request a redirect to a private address points at', async () => {
    fresh();
    const r = await poll(feed('/to-metadata'));
    expect(r.status === 'failed' && r.error.message).toContain('169.254.169.254');
  });

  it('tells which feeds an HTML page advertises', async () => {
    fresh();
    const r = await poll(feed('/html'));
    expect(r.status === 'failed' && r.error.message).toContain(`${base}/atom.xml`);
  });

  it.each([
    ['/laughs', 'billion laughs'],
    ['/xxe', 'external entity'],
  ])('%s (%s) is parsed harmlessly or refused, never expanded', async (route) => {
    fresh();
    const r = await poll(feed(route));
    const text =
      r.status === 'parsed' ? JSON.stringify(r.feed) : r.status === 'failed' ? r.error.message : '';
    expect(text.length).toBeLessThan(5000);
    expect(text).not.toContain('root:');
  });
});

describe('failure, backoff and recovery', () => {
  it('on 429 waits as long as Retry-After says (seconds), and skips polls until then', async () => {
    fresh();
    const f = feed('/429');
    const r = await poll(f);
    expect(r.status === 'failed' && r.error).toMatchObject({
      code: 'http-status',
      retryable: true,
      details: { status: 429, retryAfterMs: 7_200_000 },
    });
    const skipped = await poll(f);
    expect(skipped).toEqual({ status: 'skipped', reason: 'backoff', nextPollAt: now + 7_200_000 });
    expect(hits.get('/429')).toBe(1);
  });

  it('on 503 honours a Retry-After HTTP date', async () => {
    fresh();
    const f = feed('/503-date');
    await poll(f);
    const skipped = await poll(f);
    expect(skipped.status === 'skipped' && skipped.nextPollAt).toBe(Date.UTC(2026, 0, 10, 15));
  });

  it('backs off after a 500, recovers on the next due poll, and reports health throughout', async () => {
    fresh();
    const f = feed('/flaky');
    const failed = await poll(f);
    expect(failed.status === 'failed' && failed.error.code).toBe('http-status');
    let [health] = await listFeedHealth(client, prefix, [f]);
    expect(health).toMatchObject({
      status: 'failing',
      consecutiveFailures: 1,
      lastHttpStatus: 500,
      lastError: { code: 'http-status' },
    });
    expect((await poll(f)).status).toBe('skipped');
    now += 61_000;
    expect((await poll(f)).status).toBe('parsed');
    [health] = await listFeedHealth(client, prefix, [f]);
    expect(health).toMatchObject({
      status: 'ok',
      consecutiveFailures: 0,
      lastOutcome: 'parsed',
      lastItemCount: 55,
    });
    expect(health.lastError).toBeUndefined();
  });

  it('with adaptive polling, waits an interval within the configured bounds before the next request', async () => {
    fresh();
    const f = feed('/no-validators', { adaptive: true });
    expect((await poll(f)).status).toBe('parsed');
    const skipped = await poll(f);
    expect(skipped.status === 'skipped' && skipped.reason).toBe('not-due');
    const next = skipped.status === 'skipped' ? skipped.nextPollAt - now : 0;
    expect(next).toBeGreaterThanOrEqual(config.adaptive.min);
    expect(next).toBeLessThanOrEqual(config.adaptive.max);
    now += next;
    expect((await poll(f)).status).toBe('unchanged');
  });

  it("starts afresh when a feed's URL changes in the config", async () => {
    fresh();
    const f = feed('/429');
    await poll(f);
    expect((await poll(f)).status).toBe('skipped');
    expect((await poll({ ...f, url: `${base}/no-validators` })).status).toBe('parsed');
  });

  it('reports an unreachable Redis as a retryable failure instead of throwing', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    try {
      const r = await createFeedPoller({ http: http_, redis: dead, prefix: 'x', config, clock }).poll(
        feed('/feed'),
      );
      expect(r.status === 'failed' && r.error).toMatchObject({ code: 'redis', retryable: true });
    } finally {
      dead.disconnect();
    }
  });

  it('lists a feed never polled as such', async () => {
    fresh();
    expect(await listFeedHealth(client, prefix, [{ id: 'new', url: `${base}/feed` }])).toEqual([
      { id: 'new', url: `${base}/feed`, status: 'never', consecutiveFailures: 0 },
    ]);
  });

  it('keeps its state in Redis, so a new poller after a restart still sends the saved validators', async () => {
    fresh();
    const f = feed('/feed');
    await poll(f);
    const restarted = createFeedPoller({ http: http_, redis: client, prefix, config, clock });
    expect((await poll(f, restarted)).status).toBe('not-modified');
  });
});

describe('checking a feed by URL', () => {
  it('reports encoding, format, item count and the first items', async () => {
    const r = await checkFeed(`${base}/no-validators`, { http: http_, config, clock });
    expect(r.ok && r.value).toMatchObject({
      httpStatus: 200,
      encoding: 'utf-8',
      format: 'rss',
      itemCount: 55,
      title: 'The Guardian',
    });
    expect(r.ok && r.value.firstItems.length).toBe(5);
  });

  it('explains an HTML page by the feeds it advertises', async () => {
    const r = await checkFeed(`${base}/html`, { http: http_, config, clock });
    expect(!r.ok && r.error.code).toBe('not-a-feed');
  });
});
