/**
 * The whole pipeline on this machine: a private redis-server, a loopback feed server and webhook
 * receiver, and the real service as child processes (`mediawatch run --roles …`), as deployed.
 *
 * - throughput: items per second from the first feed fetch to the last item matched (and every
 *   alert delivered), with 1 and 3 worker processes, and the CPU time the service and Redis spent
 *   per item meanwhile, once the service is warm; beside it the BullMQ ceiling, no-op jobs through
 *   the same queue, prefix and options in as many processes (warmed up too), so our stages' cost
 *   shows. A tenth of the items mention a watch; a run where every item does shows the
 *   worst case, since only such items are fingerprinted, joined to stories and alerted; and a run
 *   where every item's page is read first (fullText: always) shows what reading articles costs;
 * - latency: fetch→delivery p50/p99 with 200 new items a second, every one alerted: from 20 feeds
 *   (the scheduler spreads their polls over each second) and, for comparison, as one burst a second,
 *   and from 20 feeds with every item's page read first;
 * - story pickup: from the start of the items job that matched the last outlet's item to the
 *   `story.pickup` signal at the receiver;
 * - memory: Redis bytes per queued alert (the deliver queue's share of INFO used_memory);
 * - push: publish→alert p50/p99 for items a WebSub hub pushes, beside the same items polled (websub-latency.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullPrefix, JOB_OPTIONS } from '../src/adapters/queues.js';
import { QUEUES } from '../src/contracts/jobs.js';
import { ITEMS_PER_JOB } from '../src/pipeline/handle-poll.js';
import { startServer as listen } from '../test/helpers/loopback.js';
import { stopAll } from '../test/helpers/processes.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { waitFor } from '../test/helpers/wait.js';
import { summarize } from './lib/stats.js';
import { prng } from './lib/prng.js';
import { printWebsubLatency, websubLatency } from './websub-latency.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FEEDS = 60;
const ITEMS_PER_FEED = 250;
/** Items per feed that warm the service up before throughput is timed. */
const WARMUP_ITEMS = 100;
const WATCHES = 200;
/** Share of items that mention a watched name. */
const MATCH_RATE = 0.1;
/**
 * Every feed and page is on one loopback host: with the default politeness (2 requests at once,
 * 500 ms apart) the bench would measure the host limiter, so the limiter lets through as many
 * requests at once as the article worker runs jobs, with no gap.
 */
const PER_HOST_CONCURRENCY = 64;
interface Run {
  workers: number;
  /** Share of items that mention a watch. */
  matchRate: number;
  /** Every item's page is read before it is matched (fullText: always). */
  pages?: boolean;
}
/**
 * The throughput runs. Reading a page costs far more than matching an item, so the run with pages
 * has a fifth of the items per feed, and a fifth of the warm-up.
 */
const RUNS: Run[] = [
  { workers: 1, matchRate: MATCH_RATE },
  { workers: 3, matchRate: MATCH_RATE },
  { workers: 3, matchRate: 1 },
  { workers: 3, matchRate: MATCH_RATE, pages: true },
];
const PAGES_SHARE = 5;
/** What the result lines of runs with pages carry: the mode and the politeness setting they ran with. */
const PAGES_FIELDS = { fullText: 'always', perHostConcurrency: PER_HOST_CONCURRENCY, perHostGapMs: 0 };
const STEADY_RATE = 200;
/**
 * The rate of the latency run that reads every item's page: one worker process reads fewer than
 * STEADY_RATE pages a second, so at that rate the run would time a growing backlog, not a page read.
 */
const PAGES_RATE = 50;
/** Feeds sharing the steady rate: polled every second, the scheduler spreads their polls over it. */
const STEADY_FEEDS = 20;
const STEADY_SECONDS = 12;
const MEMORY_ALERTS = 5_000;
const PREFIX = 'mw';

const VOCAB =
  'the minister said on talks with council budget energy prices workers court police protest summit trade vote city report market rates growth crisis plan'.split(
    ' ',
  );
const SYL = 'ka ve rin dos tal mor ben lu sa tor vi na gel ham pri os dre lin cor mat fel zen ro bar'.split(
  ' ',
);
const word = (r: () => number) => VOCAB[Math.floor(r() * VOCAB.length)];
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const names = Array.from({ length: WATCHES }, (_, i) => {
  const r = prng(1_000 + i);
  return (
    cap(Array.from({ length: 3 }, () => SYL[Math.floor(r() * SYL.length)]).join('')) +
    cap(SYL[i % SYL.length]) +
    i
  );
});

interface Item {
  url: string;
  xml: string;
}

/** One RSS item; distinct enough from every other that no two join one story. */
function makeItem(
  feed: string,
  n: number,
  mention: string | undefined,
  base = 'https://bench.example.com',
): Item {
  const r = prng(n * 7_919 + feed.length * 104_729 + [...feed].reduce((h, c) => h * 31 + c.charCodeAt(0), 0));
  const text = Array.from({ length: 60 }, () => `${word(r)}${Math.floor(r() * 1e6)}`).join(' ');
  const url = `${base}/${feed}/${n}`;
  const title = `${mention ?? 'Local'} ${word(r)} ${Math.floor(r() * 1e9)}`;
  return {
    url,
    xml: `<item><title>${title}</title><link>${url}</link><guid>${url}</guid><description>${text}${mention ? ` ${mention} said.` : ''}</description></item>`,
  };
}

/** The article page behind an item's link: its text three times over, in page markup around it. */
function makePage(item: Item): string {
  const text = /<description>([^<]*)<\/description>/.exec(item.xml)?.[1] ?? '';
  const title = /<title>([^<]*)<\/title>/.exec(item.xml)?.[1] ?? '';
  const paragraphs = [text, text.split(' ').reverse().join(' '), text].map((p) => `<p>${p}</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><header><nav><a href="/">Home</a></nav></header><main><article><h1>${title}</h1>\n${paragraphs}</article></main><footer>© bench</footer></body></html>`;
}

const rss = (items: Item[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>b</title><link>https://bench.example.com</link><description>b</description>${items.map((i) => i.xml).join('')}</channel></rss>`;

/**
 * CPU seconds the processes have used so far, from /proc (Linux, 100 ticks a second); undefined
 * elsewhere. Summed over the service and Redis, per item, it says how far the cores can carry.
 */
function cpuSeconds(pids: (number | undefined)[]): number | undefined {
  try {
    return pids.reduce<number>((sum, pid) => {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) / 100;
    }, 0);
  } catch {
    return undefined;
  }
}

/** A private redis-server for one part of the run, and the client the benchmark reads it with. */
async function startRedisServer(): Promise<TestRedis & { redis: Redis }> {
  const server = await startRedis();
  return Object.assign(server, { redis: server.client() });
}

/** Polls often: waits here end timed phases, so a coarse poll would add to the measured time. */
const waitUntil = (fn: () => Promise<boolean>, ms: number, what: string) => waitFor(fn, ms, what, 20);

interface ConfigOptions {
  /** Every feed's full-text mode: `never` except in the runs that read article pages. */
  fullText?: 'never' | 'always';
  /** Each feed its own outlet label (`o<n>`): all feeds share the one loopback host. */
  outlets?: boolean;
  /** The webhook's `signals:` list, in YAML flow style. */
  signals?: string;
}

function writeConfig(feedUrls: string[], hookUrl: string, options: ConfigOptions = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-bench-config-'));
  const file = path.join(dir, 'mediawatch.yaml');
  const feed = (u: string, i: number) =>
    `  - id: f${i}\n    url: ${u}${options.outlets ? `\n    outlet: o${i}` : ''}`;
  fs.writeFileSync(
    file,
    `
schedule: "* * * * * *"
redisPrefix: ${PREFIX}
logAlerts: false
network:
  allowPrivateAddresses: true
fetch:
  perHostConcurrency: ${PER_HOST_CONCURRENCY}
  perHostGap: 0
fullText:
  mode: ${options.fullText ?? 'never'}
feeds:
${feedUrls.map(feed).join('\n')}
watches:
${names.map((n, i) => `  - id: w${i}\n    label: ${n}\n    terms: ["${n}"]`).join('\n')}
webhooks:
  - id: bench
    url: ${hookUrl}
    secret: whsec_${Buffer.alloc(32, 7).toString('base64')}
    retry: [1s, 1s, 1s]
    breakerThreshold: 1000${options.signals ? `\n    signals: ${options.signals}` : ''}
`,
  );
  return file;
}

function service(config: string, redisUrl: string, roles: string): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'dist/bin/mediawatch.js'), 'run', '--roles', roles], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      MEDIAWATCH_CONFIG: config,
      REDIS_URL: redisUrl,
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
  });
}

/** Waits until the workers have registered with BullMQ, so the clock starts on real work. */
async function workersReady(redis: Redis, queue: string, n: number): Promise<void> {
  const q = new Queue(queue, { connection: redis, prefix: bullPrefix(PREFIX) });
  await waitUntil(async () => (await q.getWorkersCount()) >= n, 30_000, `${n} workers on ${queue}`);
  await q.close();
}

interface Throughput {
  itemsPerSec: number;
  deliveredPerSec: number;
  cpuUsPerItem?: number;
  redisCpuUsPerItem?: number;
  items: number;
  alerts: number;
  seconds: number;
}

/** A set of feeds the server switches to: feed bodies and article pages by path, and the alerts due. */
interface FeedSet {
  bodies: Map<string, string>;
  pages: Map<string, string>;
  alerted: number;
}

/** One feed body per path and, with `pageBase`, a page behind every item's link. */
function feedSet(name: string, itemsPerFeed: number, matchRate: number, pageBase?: string): FeedSet {
  const bodies = new Map<string, string>();
  const pages = new Map<string, string>();
  let alerted = 0;
  for (let f = 0; f < FEEDS; f++) {
    const items: Item[] = [];
    const r = prng(f + 1);
    for (let n = 0; n < itemsPerFeed; n++) {
      const mention = r() < matchRate ? names[Math.floor(r() * WATCHES)] : undefined;
      if (mention) alerted++;
      const item = makeItem(`${name}f${f}`, n, mention, pageBase);
      if (pageBase) pages.set(new URL(item.url).pathname, makePage(item));
      items.push(item);
    }
    bodies.set(`/f${f}.xml`, rss(items));
  }
  return { bodies, pages, alerted };
}

/**
 * The service runs warm, as it does after its first minutes: every feed is first served with
 * WARMUP_ITEMS items, and once those are matched and delivered the feeds switch to ITEMS_PER_FEED
 * new ones, which the next tick's polls fetch. The clock and the CPU count start at that first fetch.
 * With pages, every item's page is read before it is matched, a fifth as many items.
 */
async function throughput({ workers, matchRate, pages = false }: Run): Promise<Throughput> {
  const rs = await startRedisServer();
  const perFeed = pages ? ITEMS_PER_FEED / PAGES_SHARE : ITEMS_PER_FEED;
  let served: FeedSet | undefined;
  let firstFetch = 0;
  let cpuAtFirstFetch: number | undefined;
  let redisCpuAtFirstFetch: number | undefined;
  let delivered = 0;
  const feedServer = await listen((req, res) => {
    const url = req.url ?? '';
    const page = served?.pages.get(url);
    if (page !== undefined)
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    if (served === timed && !firstFetch) {
      firstFetch = performance.now();
      cpuAtFirstFetch = cpuSeconds([rs.pid(), ...procs.map((p) => p.pid)]);
      redisCpuAtFirstFetch = cpuSeconds([rs.pid()]);
    }
    const body = served?.bodies.get(url);
    if (!body) return void res.writeHead(404).end();
    const etag = served === warm ? '"warm"' : '"timed"';
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
  });
  const pageBase = pages ? `${feedServer.url}/p` : undefined;
  const name = `${workers}${pages ? 'p' : ''}`;
  const warm = feedSet(`w${name}`, WARMUP_ITEMS / (pages ? PAGES_SHARE : 1), matchRate, pageBase);
  const timed = feedSet(`t${name}`, perFeed, matchRate, pageBase);
  served = warm;
  const receiver = await listen((req, res) => {
    req.resume().on('end', () => {
      delivered++;
      res.writeHead(204).end();
    });
  });
  const config = writeConfig(
    [...warm.bodies.keys()].map((p) => feedServer.url + p),
    `${receiver.url}/hook`,
    { fullText: pages ? 'always' : 'never' },
  );
  const roles = pages ? 'fetch,article,match,deliver' : 'fetch,match,deliver';
  const procs = Array.from({ length: workers }, () => service(config, rs.url, roles));
  const warmItems = FEEDS * (WARMUP_ITEMS / (pages ? PAGES_SHARE : 1));
  const total = FEEDS * perFeed;
  // The match phase records every item it matched in the backtest stream, one entry an item.
  const matched = async (n: number) => (await rs.redis.xlen(`${PREFIX}:backtest:items`)) >= n;
  try {
    await workersReady(rs.redis, QUEUES.items, workers);
    if (pages) await workersReady(rs.redis, QUEUES.article, workers);
    procs.push(service(config, rs.url, 'scheduler'));
    await waitUntil(() => matched(warmItems), 300_000, 'every warm-up item matched');
    await waitUntil(async () => delivered >= warm.alerted, 60_000, 'every warm-up alert delivered');
    served = timed;
    await waitUntil(() => matched(warmItems + total), 300_000, 'every item matched');
    const matchedAt = performance.now();
    const cpuAtMatched = cpuSeconds([rs.pid(), ...procs.map((p) => p.pid)]);
    const redisCpuAtMatched = cpuSeconds([rs.pid()]);
    await waitUntil(async () => delivered >= warm.alerted + timed.alerted, 60_000, 'every alert delivered');
    const deliveredAt = performance.now();
    const seconds = (matchedAt - firstFetch) / 1000;
    const perItem = (from?: number, to?: number) =>
      from === undefined || to === undefined ? undefined : ((to - from) * 1e6) / total;
    return {
      itemsPerSec: total / seconds,
      deliveredPerSec: total / ((deliveredAt - firstFetch) / 1000),
      cpuUsPerItem: perItem(cpuAtFirstFetch, cpuAtMatched),
      redisCpuUsPerItem: perItem(redisCpuAtFirstFetch, redisCpuAtMatched),
      items: total,
      alerts: timed.alerted,
      seconds,
    };
  } finally {
    await stopAll(procs);
    await feedServer.close();
    await receiver.close();
    await rs.stop();
  }
}

/** The match worker's concurrency (workers/match.ts). */
const MATCH_CONCURRENCY = 8;

/**
 * No-op jobs of the same size through the same queue, prefix and options, in `workers` processes
 * whose workers take their options from the service's own (workers/options.ts).
 */
async function ceiling(workers: number, jobs: number, payloadBytes: number): Promise<number> {
  const rs = await startRedisServer();
  const options = pathToFileURL(path.join(ROOT, 'dist/workers/options.js')).href;
  const script = `
    import { Worker } from 'bullmq';
    import { Redis } from 'ioredis';
    import { workerOptions } from ${JSON.stringify(options)};
    const connection = new Redis(process.env.URL, { maxRetriesPerRequest: null });
    const w = new Worker(${JSON.stringify(QUEUES.items)}, async () => 'ok', workerOptions(connection, ${JSON.stringify(PREFIX)}, ${MATCH_CONCURRENCY}));
    process.on('SIGTERM', async () => { await w.close(); connection.disconnect(); });
  `;
  const procs = Array.from({ length: workers }, () =>
    spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, URL: rs.url },
    }),
  );
  const queue = new Queue(QUEUES.items, {
    connection: rs.redis,
    prefix: bullPrefix(PREFIX),
    defaultJobOptions: JOB_OPTIONS.items,
  });
  try {
    await workersReady(rs.redis, QUEUES.items, workers);
    const pad = 'x'.repeat(payloadBytes);
    // Warmed up first, like the pipeline: these jobs are not timed.
    const warmup = Math.ceil(jobs / 3);
    const run = async (from: number, count: number) => {
      for (let i = from; i < from + count; i += 500) {
        await queue.addBulk(
          Array.from({ length: Math.min(500, from + count - i) }, (_, k) => ({
            name: 'item',
            data: { pad, n: i + k },
            opts: { jobId: `c.${i + k}` },
          })),
        );
      }
      // Drained rather than counted: completed jobs are trimmed to the queue's retention.
      const pending = async () =>
        Object.values(await queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed')).reduce(
          (a, b) => a + b,
          0,
        );
      await waitUntil(async () => (await pending()) === 0, 120_000, 'no-op jobs');
    };
    await run(0, warmup);
    const start = performance.now();
    await run(warmup, jobs);
    return jobs / ((performance.now() - start) / 1000);
  } finally {
    await queue.close();
    await stopAll(procs);
    await rs.stop();
  }
}

/**
 * `rate` new items a second, every one alerted, from `feeds` feeds polled every second: with
 * many feeds the scheduler spreads their polls over the second, so items arrive steadily; with one
 * feed they arrive as one burst a second, which the last of them waits behind. With `pages`, every
 * item links to a loopback article page that is read before matching (fullText: always).
 */
async function latency(
  workers: number,
  feeds: number,
  pages = false,
  rate = STEADY_RATE,
): Promise<{ p50Ms: number; p99Ms: number; samples: number }> {
  const rs = await startRedisServer();
  const fetchedAt = new Map<string, number>();
  const latencies: number[] = [];
  const perFeed = rate / feeds;
  let start = 0;
  const published: Item[][] = Array.from({ length: feeds }, () => []);
  const pageOf = new Map<string, string>();
  const feedServer = await listen((req, res) => {
    const page = pageOf.get(req.url ?? '');
    if (page !== undefined)
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    if (req.url === '/robots.txt') return void res.writeHead(404).end();
    const now = performance.now();
    start ||= now;
    const f = Number(/^\/s(\d+)\.xml$/.exec(req.url ?? '')?.[1]);
    const all = published[f];
    if (!all) return void res.writeHead(404).end();
    const due = Math.min(perFeed * STEADY_SECONDS, Math.floor(((now - start) / 1000) * perFeed));
    while (all.length < due) {
      const item = makeItem(
        `steady${f}`,
        all.length,
        names[(all.length * feeds + f) % WATCHES],
        pages ? `${feedServer.url}/p` : undefined,
      );
      if (pages) pageOf.set(new URL(item.url).pathname, makePage(item));
      all.push(item);
    }
    const window = all.slice(-perFeed * 2);
    for (const i of window) if (!fetchedAt.has(i.url)) fetchedAt.set(i.url, now);
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(window));
  });
  const receiver = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        const url = JSON.parse(Buffer.concat(chunks).toString()).data?.item?.url as string;
        const at = fetchedAt.get(url);
        if (at !== undefined) latencies.push(performance.now() - at);
        res.writeHead(204).end();
      });
  });
  const config = writeConfig(
    published.map((_, f) => `${feedServer.url}/s${f}.xml`),
    `${receiver.url}/hook`,
    { fullText: pages ? 'always' : 'never' },
  );
  const procs = Array.from({ length: workers }, () =>
    service(config, rs.url, pages ? 'fetch,article,match,deliver' : 'fetch,match,deliver'),
  );
  try {
    await workersReady(rs.redis, QUEUES.items, workers);
    if (pages) await workersReady(rs.redis, QUEUES.article, workers);
    procs.push(service(config, rs.url, 'scheduler'));
    await waitUntil(
      async () => latencies.length >= rate * STEADY_SECONDS - rate,
      (STEADY_SECONDS + 30) * 1000,
      'steady deliveries',
    );
    return summarize(latencies.slice(rate)); // the first second warms up
  } finally {
    await stopAll(procs);
    await feedServer.close();
    await receiver.close();
    await rs.stop();
  }
}

/** Outlets that carry each story in the pickup run: the webhook's pickup signal fires at the last. */
const PICKUP_OUTLETS = 5;
const PICKUP_STORIES = 40;
/** A new story this often; each outlet carries it this long after the one before. */
const STORY_EVERY_MS = 300;
const OUTLET_LAG_MS = 250;

/** Story `s` as outlet `o` carries it: the same title and text at every outlet, its own link. */
function storyItem(s: number, o: number): Item {
  const { url, xml } = makeItem('story', s, names[s % WATCHES]);
  const own = `https://outlet${o}.example.com/story/${s}`;
  return { url: own, xml: xml.replaceAll(url, own) };
}

/**
 * Story pickup through the running service: PICKUP_OUTLETS feeds, each its own outlet, carry the
 * same stories one after another, and the webhook has a pickup signal at PICKUP_OUTLETS outlets.
 * Timed from the start of the items job that matched the last outlet's item (the signal's
 * `timestamp`, the match phase's clock) to the signal's arrival at the receiver.
 */
async function pickupLatency(): Promise<{ p50Ms: number; p99Ms: number; samples: number }> {
  const rs = await startRedisServer();
  const latencies: number[] = [];
  const stories = new Set<string>();
  let start = 0;
  const feedServer = await listen((req, res) => {
    const now = performance.now();
    start ||= now;
    const o = Number(/^\/o(\d+)\.xml$/.exec(req.url ?? '')?.[1]);
    if (!(o < PICKUP_OUTLETS)) return void res.writeHead(404).end();
    const due = Math.floor((now - start - o * OUTLET_LAG_MS) / STORY_EVERY_MS) + 1;
    const carried = Array.from({ length: Math.max(0, Math.min(PICKUP_STORIES, due)) }, (_, s) =>
      storyItem(s, o),
    );
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(carried.slice(-20)));
  });
  const receiver = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        const at = Date.now();
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          type: string;
          timestamp: string;
          data: { storyId?: string };
        };
        if (body.type === 'story.pickup') {
          latencies.push(at - Date.parse(body.timestamp));
          stories.add(String(body.data.storyId));
        }
        res.writeHead(204).end();
      });
  });
  const config = writeConfig(
    Array.from({ length: PICKUP_OUTLETS }, (_, o) => `${feedServer.url}/o${o}.xml`),
    `${receiver.url}/hook`,
    { outlets: true, signals: `[{type: pickup, outlets: ${PICKUP_OUTLETS}, within: 1h}]` },
  );
  const procs = [service(config, rs.url, 'fetch,match,deliver')];
  try {
    await workersReady(rs.redis, QUEUES.items, 1);
    procs.push(service(config, rs.url, 'scheduler'));
    await waitUntil(
      async () => latencies.length >= PICKUP_STORIES,
      PICKUP_STORIES * STORY_EVERY_MS + 30_000,
      `a pickup signal for each of ${PICKUP_STORIES} stories`,
    );
    if (stories.size !== PICKUP_STORIES)
      throw new Error(`${latencies.length} pickup signals for ${stories.size} stories, not one each`);
    return summarize(latencies);
  } finally {
    await stopAll(procs);
    await feedServer.close();
    await receiver.close();
    await rs.stop();
  }
}

/** The deliver queue's share of used_memory with MEMORY_ALERTS alerts waiting (no deliver role). */
async function bytesPerAlert(): Promise<number> {
  const rs = await startRedisServer();
  const items = Array.from({ length: MEMORY_ALERTS }, (_, n) => makeItem('mem', n, names[n % WATCHES]));
  const feedServer = await listen(
    (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)),
  );
  const config = writeConfig([`${feedServer.url}/mem.xml`], 'http://127.0.0.1:9/hook');
  const procs = [service(config, rs.url, 'scheduler,fetch,match')];
  const deliver = new Queue(QUEUES.deliver, { connection: rs.redis, prefix: bullPrefix(PREFIX) });
  const matched = new Queue(QUEUES.items, { connection: rs.redis, prefix: bullPrefix(PREFIX) });
  const used = async () => Number(/used_memory:(\d+)/.exec(await rs.redis.info('memory'))![1]);
  // A job carries one alert, or the alerts one items job raised.
  const queuedAlerts = async () =>
    (await deliver.getWaiting()).reduce(
      (n, j) => n + (j.data.kind === 'alerts' ? j.data.payloads.length : 1),
      0,
    );
  try {
    await waitUntil(
      async () =>
        (await matched.getJobCounts('completed')).completed >= Math.ceil(MEMORY_ALERTS / ITEMS_PER_JOB),
      120_000,
      'matched items',
    );
    await stopAll(procs);
    const queued = await queuedAlerts();
    if (queued !== MEMORY_ALERTS) throw new Error(`expected ${MEMORY_ALERTS} queued alerts, found ${queued}`);
    const withAlerts = await used();
    await deliver.obliterate({ force: true });
    return (withAlerts - (await used())) / MEMORY_ALERTS;
  } finally {
    await deliver.close();
    await matched.close();
    await stopAll(procs);
    await feedServer.close();
    await rs.stop();
  }
}

export async function run(): Promise<void> {
  // `npm run bench -- pipeline --websub-only`: the push latency alone, minutes instead of the whole run.
  if (process.argv.includes('--websub-only')) return printWebsubLatency(await websubLatency());
  const rows: Record<string, number | string>[] = [];
  const payloadBytes = Buffer.byteLength(rss([makeItem('size', 1, names[0])])) * 2;
  const ceilings = new Map<number, number>();
  for (const r of RUNS) {
    const { workers, matchRate } = r;
    const t = await throughput(r);
    if (!ceilings.has(workers)) ceilings.set(workers, await ceiling(workers, t.items, payloadBytes));
    rows.push({
      workers,
      matchRate,
      ...(r.pages ? PAGES_FIELDS : {}),
      itemsPerSec: Math.round(t.itemsPerSec),
      deliveredPerSec: Math.round(t.deliveredPerSec),
      ceilingJobsPerSec: Math.round(ceilings.get(workers)!),
      ...(t.cpuUsPerItem === undefined ? {} : { cpuUsPerItem: Math.round(t.cpuUsPerItem) }),
      ...(t.redisCpuUsPerItem === undefined ? {} : { redisCpuUsPerItem: Math.round(t.redisCpuUsPerItem) }),
      items: t.items,
      alerts: t.alerts,
    });
  }
  const lat = await latency(1, STEADY_FEEDS);
  const burst = await latency(1, 1);
  const withPages = await latency(1, STEADY_FEEDS, true, PAGES_RATE);
  const pickup = await pickupLatency();
  const mem = await bytesPerAlert();
  const pushed = await websubLatency();

  console.log(
    `pipeline: ${FEEDS} feeds × ${ITEMS_PER_FEED} distinct items, ${WATCHES} watches; ${os.cpus().length} CPUs`,
  );
  console.log(
    'workers  items alerted  pages read  items/s fetched→matched  items/s →all delivered  BullMQ no-op ceiling jobs/s  CPU µs/item: service + Redis  of it Redis',
  );
  for (const r of rows) {
    const cells = [
      [r.workers, 7],
      [`${Number(r.matchRate) * 100}%`, 13],
      [r.fullText === 'always' ? 'every item' : 'none', 10],
      [r.itemsPerSec, 22],
      [r.deliveredPerSec, 21],
      [r.ceilingJobsPerSec, 27],
      [r.cpuUsPerItem ?? 'n/a', 29],
      [r.redisCpuUsPerItem ?? 'n/a', 11],
    ] as const;
    console.log(cells.map(([v, w]) => String(v).padStart(w)).join('  '));
  }
  console.log(`fetch→delivery at ${STEADY_RATE} items/s, 1 worker process, every item alerted:`);
  console.log(
    `  ${STEADY_FEEDS} feeds polled every second, spread:   p50 ${lat.p50Ms.toFixed(1)} ms, p99 ${lat.p99Ms.toFixed(1)} ms over ${lat.samples} alerts`,
  );
  console.log(
    `  1 feed, ${STEADY_RATE} new items a poll (a burst): p50 ${burst.p50Ms.toFixed(1)} ms, p99 ${burst.p99Ms.toFixed(1)} ms over ${burst.samples} alerts`,
  );
  console.log(
    `  ${STEADY_FEEDS} feeds at ${PAGES_RATE} items/s, every item's page read first (fullText: always): p50 ${withPages.p50Ms.toFixed(1)} ms, p99 ${withPages.p99Ms.toFixed(1)} ms over ${withPages.samples} alerts`,
  );
  console.log(
    `story pickup at ${PICKUP_OUTLETS} outlets, from the last outlet's item matched to the signal delivered: p50 ${pickup.p50Ms} ms, p99 ${pickup.p99Ms} ms over ${pickup.samples} stories`,
  );
  console.log(`Redis memory per queued alert: ${Math.round(mem)} bytes (${MEMORY_ALERTS} alerts waiting)`);
  printWebsubLatency(pushed);
  for (const r of rows) {
    console.log(JSON.stringify({ bench: 'pipeline', ...r }));
  }
  for (const [feeds, l] of [
    [STEADY_FEEDS, lat],
    [1, burst],
  ] as const) {
    console.log(
      JSON.stringify({
        bench: 'pipeline',
        workers: 1,
        rate: STEADY_RATE,
        feeds,
        p50Ms: Number(l.p50Ms.toFixed(1)),
        p99Ms: Number(l.p99Ms.toFixed(1)),
        samples: l.samples,
      }),
    );
  }
  const pagesLine = {
    bench: 'pipeline',
    workers: 1,
    rate: PAGES_RATE,
    feeds: STEADY_FEEDS,
    ...PAGES_FIELDS,
  };
  console.log(
    JSON.stringify({
      ...pagesLine,
      p50Ms: Number(withPages.p50Ms.toFixed(1)),
      p99Ms: Number(withPages.p99Ms.toFixed(1)),
      samples: withPages.samples,
    }),
  );
  console.log(JSON.stringify({ bench: 'pipeline', signal: 'pickup', ...pickup }));
  console.log(
    JSON.stringify({ bench: 'pipeline', redisBytesPerAlert: Math.round(mem), alerts: MEMORY_ALERTS }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
