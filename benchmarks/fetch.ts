/**
 * Polling throughput and parse throughput.
 *
 * fetch: 2,000 feeds on a loopback server (in a child process, so its CPU is not counted), 90%
 * answering 304 to the validators saved by a first round, 10% returning a changed body; state in
 * a private redis-server. Reports feeds checked per second and this process's CPU ms per feed,
 * with the service's client (connections kept alive) and, as the baseline, a fresh connection per
 * poll. Every feed is on the same host, so per-host politeness is lifted to measure the poller itself.
 *
 * parse: decode + parse + normalize over the real-feed corpus, beside plain rss-parser
 * parseString on the same bytes (measured before our parser module is loaded, because that
 * module switches off rss-parser's snippet builder for the whole process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FetchConfig } from '../src/config/schema.js';
import { startRedis } from '../test/helpers/redis-server.js';

const FEEDS = 2_000;
const CONCURRENCY = 64;
const PARSE_ROUNDS = 20;

/** Found from the source tree or from dist/benchmarks alike. */
function corpusDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'test', 'fixtures', 'feeds', 'real');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('test/fixtures/feeds/real not found');
}

const SERVER = `
const http = require('node:http');
const items = Array.from({ length: 20 }, (_, i) => '<item><guid>g' + i + '</guid><title>Item ' + i + ' about the news</title><link>https://example.com/' + i + '</link><description>&lt;p&gt;Some text for item ' + i + '.&lt;/p&gt;</description><pubDate>Tue, 06 Jan 2026 10:' + String(i).padStart(2, '0') + ':00 GMT</pubDate></item>').join('');
let version = 0;
const server = http.createServer((req, res) => {
  const id = Number(req.url.split('/').pop());
  const changing = id % 10 === 0;
  const etag = '"f' + id + '"';
  if (!changing && req.headers['if-none-match'] === etag) { res.writeHead(304); return res.end(); }
  if (!changing) res.setHeader('etag', etag);
  res.setHeader('content-type', 'application/rss+xml; charset=utf-8');
  res.end('<rss version="2.0"><channel><title>Feed ' + id + ' v' + (changing ? ++version : 0) + '</title>' + items + '</channel></rss>');
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

function startServer(): Promise<{ port: number; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.stdout.once('data', (d: Buffer) => resolve({ port: Number(d.toString().trim()), proc }));
  });
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

function timeParse(files: Buffer[], parse: (b: Buffer) => Promise<unknown>): Promise<number> {
  return (async () => {
    const bytes = files.reduce((n, b) => n + b.length, 0);
    for (const b of files) await parse(b); // warm-up
    const started = performance.now();
    for (let r = 0; r < PARSE_ROUNDS; r++) for (const b of files) await parse(b);
    return (bytes * PARSE_ROUNDS) / 1e6 / ((performance.now() - started) / 1000);
  })();
}

async function benchParse(): Promise<{ mbps: number; rssParserMbps: number }> {
  const dir = corpusDir();
  const files = fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('LICENSE'))
    .map((f) => fs.readFileSync(path.join(dir, f)));
  const { default: RssParser } = await import('rss-parser');
  const rssParserMbps = await timeParse(files, (b) =>
    new RssParser().parseString(b.toString('utf8')).catch(() => undefined),
  );
  const { parseFeed } = await import('../src/parse/parse-feed.js');
  const mbps = await timeParse(files, (b) => parseFeed(b, { url: 'https://example.com/feed' }));
  return { mbps, rssParserMbps };
}

interface FetchResult {
  feedsPerSec: number;
  cpuMsPerFeed: number;
  outcomes: Record<string, number>;
}

async function benchFetch(keptAlive: boolean): Promise<FetchResult> {
  const { createFeedHttpClient, createFeedPoller } = await import('../src/fetch/poller.js');
  const { createAddressPolicy } = await import('../src/net/address-policy.js');
  const { createHttpClient } = await import('../src/net/http-client.js');
  const redis = await startRedis();
  const { port, proc } = await startServer();
  const policy = createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['127.0.0.1'] });
  const http = keptAlive
    ? createFeedHttpClient(policy, 'mediawatch-bench')
    : createHttpClient({ policy, userAgent: 'mediawatch-bench' });
  try {
    const config: FetchConfig = {
      connectTimeout: 5_000,
      totalTimeout: 10_000,
      maxBytes: 1024 * 1024,
      maxRedirects: 3,
      perHostConcurrency: CONCURRENCY,
      perHostGap: 0,
      spread: 0,
      maxBackoff: 3_600_000,
      adaptive: { enabled: false, min: 120_000, max: 3_600_000 },
    };
    const poller = createFeedPoller({
      http,
      redis: redis.client(),
      prefix: 'bench',
      config,
      clock: Date.now,
    });
    const feeds = Array.from({ length: FEEDS }, (_, i) => ({
      id: `f${i}`,
      url: `http://127.0.0.1:${port}/feed/${i}`,
      conditional: true,
    }));
    await pool(feeds, CONCURRENCY, async (f) => {
      const o = await poller.poll(f);
      if (o.status === 'parsed') await o.commit(); // saves validators
    });
    const outcomes: Record<string, number> = {};
    const cpu = process.cpuUsage();
    const started = performance.now();
    await pool(feeds, CONCURRENCY, async (f) => {
      const o = await poller.poll(f);
      outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { feedsPerSec: FEEDS / seconds, cpuMsPerFeed: (used.user + used.system) / 1000 / FEEDS, outcomes };
  } finally {
    http.close();
    proc.kill();
    await redis.stop();
  }
}

export async function run(): Promise<void> {
  const parse = await benchParse();
  const fetch = await benchFetch(true);
  const fresh = await benchFetch(false);
  console.log('benchmark  result');
  console.log(
    `fetch      ${FEEDS} feeds (90% 304): ${fetch.feedsPerSec.toFixed(0)} feeds/s, ${fetch.cpuMsPerFeed.toFixed(2)} CPU ms/feed, outcomes ${JSON.stringify(fetch.outcomes)}`,
  );
  console.log(
    `           a fresh connection per poll: ${fresh.feedsPerSec.toFixed(0)} feeds/s, ${fresh.cpuMsPerFeed.toFixed(2)} CPU ms/feed`,
  );
  console.log(
    `parse      decode+parse+normalize ${parse.mbps.toFixed(1)} MB/s; rss-parser parseString alone ${parse.rssParserMbps.toFixed(1)} MB/s`,
  );
  console.log(
    JSON.stringify({
      bench: 'fetch',
      feeds: FEEDS,
      feedsPerSec: Math.round(fetch.feedsPerSec),
      cpuMsPerFeed: Number(fetch.cpuMsPerFeed.toFixed(3)),
      freshConnectionFeedsPerSec: Math.round(fresh.feedsPerSec),
      freshConnectionCpuMsPerFeed: Number(fresh.cpuMsPerFeed.toFixed(3)),
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'parse',
      mbps: Number(parse.mbps.toFixed(2)),
      rssParserMbps: Number(parse.rssParserMbps.toFixed(2)),
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
