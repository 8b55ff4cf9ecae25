/**
 * Soak: the whole service (one process, every role) under steady load for a long while, with
 * retentions short enough that every store wraps several times: seen items, story window,
 * backtest entries and recent alerts expire within minutes, and the poll and items queues keep
 * their last 2,000 completed jobs. A loopback feed server publishes new items every second (a share of them
 * mention a watch) and a loopback receiver counts the webhooks.
 *
 * It samples the service's RSS and live heap (from its /metrics) and Redis used_memory, prints them
 * every minute, and fits a line through the second half of the run (the first warms up). Goal:
 * each slope under FLAT_PCT of its mean per 10 minutes, no failed job, and every alert delivered
 * exactly once (by webhook-id and by item). Completed deliver jobs are kept a week (their ids
 * make a re-enqueue a no-op), so they do not wrap in a soak: at the end they are removed to measure
 * their bytes each, and Redis is judged without them.
 *
 * `npm run bench -- soak --minutes 5` (or SOAK_MINUTES=5); 20 minutes by default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { bullPrefix, openQueues, type Queues } from '../src/adapters/queues.js';
import { QUEUES } from '../src/contracts/jobs.js';
import { newSecret, startFeedServer, startReceiver } from '../test/helpers/loopback.js';
import { freePort, startRedis } from '../test/helpers/redis-server.js';
import { waitFor } from '../test/helpers/wait.js';
import { prng } from './lib/prng.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PREFIX = 'soak';
const FEEDS = 10;
/** New items per feed per second; each feed is polled every second. */
const ITEMS_PER_SECOND = 2;
/** Items a feed body carries: 30 s of items, so none scrolls off before a poll sees it. */
const FEED_WINDOW = 60;
/** Every MENTION_EVERY-th item mentions a watch. */
const MENTION_EVERY = 5;
const WATCHES = 50;
const SAMPLE_MS = 5_000;
/** A table line a minute. */
const LINE_MS = 60_000;
const FLAT_PCT = 1;
/** Short retentions, so every store wraps many times in a soak; all well above FEED_WINDOW's 30 s. */
const RETENTION = '2m';

interface Sample {
  t: number;
  rss: number;
  heap: number;
  redis: number;
  keptDeliver: number;
}

const WORDS =
  'council budget energy prices court ruling strike harbour election turnout bridge repairs school report rail timetable'.split(
    ' ',
  );
const names = Array.from(
  { length: WATCHES },
  (_, i) => `Soakperson${String.fromCharCode(97 + (i % 26))}${i}`,
);

function minutes(): number {
  const flag = process.argv.indexOf('--minutes');
  const raw = flag >= 0 ? process.argv[flag + 1] : (process.env.SOAK_MINUTES ?? '20');
  const m = Number(raw);
  if (!(m > 0))
    throw new Error(`soak: --minutes / SOAK_MINUTES must be a positive number of minutes, got "${raw}"`);
  return m;
}

/** One RSS item, unlike every other one (its words carry random numbers), so none joins a story. */
function item(feed: number, n: number, mention: string | undefined): { url: string; xml: string } {
  const r = prng(feed * 1_000_003 + n);
  const text = Array.from(
    { length: 40 },
    () => `${WORDS[Math.floor(r() * WORDS.length)]}${Math.floor(r() * 1e7)}`,
  ).join(' ');
  const url = `https://soak.example.com/f${feed}/${n}`;
  const title = `${mention ?? 'Town'} ${WORDS[n % WORDS.length]} ${Math.floor(r() * 1e9)}`;
  const date = new Date().toUTCString();
  return {
    url,
    xml: `<item><title>${title}</title><link>${url}</link><guid>${url}</guid><pubDate>${date}</pubDate><description>${text}${mention ? ` ${mention} said.` : ''}</description></item>`,
  };
}

const rss = (items: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>soak</title><link>https://soak.example.com</link><description>soak</description>${items.join('')}</channel></rss>`;

function writeConfig(feedUrl: (p: string) => string, hookUrl: string, secret: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-soak-')), 'mediawatch.yaml');
  fs.writeFileSync(
    file,
    `
schedule: "* * * * * *"
redisPrefix: ${PREFIX}
logAlerts: false
network: { allowPrivateAddresses: true }
fetch: { perHostConcurrency: 16, perHostGap: 0 }
dedupe: { seenRetention: ${RETENTION}, storyWindow: ${RETENTION} }
backtest: { retention: ${RETENTION}, maxItems: 1000 }
alerts: { retention: ${RETENTION}, maxAlerts: 1000 }
feeds:
${Array.from({ length: FEEDS }, (_, f) => `  - { id: f${f}, url: "${feedUrl(`/f${f}.xml`)}" }`).join('\n')}
watches:
${names.map((n, i) => `  - { id: w${i}, terms: ["${n}"] }`).join('\n')}
webhooks:
  - { id: soak, url: "${hookUrl}", secret: "${secret}", retry: [1s, 2s, 5s] }
`,
  );
  return file;
}

/** The service as deployed, all roles in one process, its /metrics on `port`. */
function service(config: string, redisUrl: string, port: number): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'dist/bin/mediawatch.js'), 'run'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      MEDIAWATCH_CONFIG: config,
      REDIS_URL: redisUrl,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
  });
}

async function processMemory(port: number): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rss: gauge('process_resident_memory_bytes'),
    heap: gauge('mediawatch_heap_after_full_gc_bytes'),
  };
}

/** Completed deliver jobs kept so far. */
function keptDeliver(redis: Redis): Promise<number> {
  return redis.zcard(`${bullPrefix(PREFIX)}:${QUEUES.deliver}:completed`);
}

/** Redis bytes a kept deliver job holds (hash, index entry, key): what removing them all frees. */
async function bytesPerKeptDeliver(redis: Redis, queues: Queues): Promise<number> {
  const kept = await keptDeliver(redis);
  const before = await redisUsed(redis);
  while ((await queues.deliver.clean(0, 10_000, 'completed')).length > 0);
  return kept === 0 ? 0 : (before - (await redisUsed(redis))) / kept;
}

async function redisUsed(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
}

/** The keys holding the most memory, for a reader to see what grows. */
async function largestKeys(redis: Redis, n: number): Promise<{ key: string; bytes: number }[]> {
  const sizes: { key: string; bytes: number }[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) sizes.push({ key, bytes: Number(await redis.memory('USAGE', key)) });
  } while (cursor !== '0');
  return sizes.sort((a, b) => b.bytes - a.bytes).slice(0, n);
}

/** Least-squares slope of `y` over time, as a share of its mean per 10 minutes (in %). */
function slopePctPer10Min(points: { t: number; y: number }[]): number {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const cov = points.reduce((s, p) => s + (p.t - mt) * (p.y - my), 0);
  const vt = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return vt === 0 || my === 0 ? 0 : ((cov / vt) * 600_000 * 100) / my;
}

/** The lowest value of each FLOOR_MS window. */
async function pendingJobs(queues: Queues): Promise<number> {
  const counts = await Promise.all(
    [queues.poll, queues.items, queues.deliver].map((q) =>
      q.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    ),
  );
  return counts.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0);
}

async function failedJobs(queues: Queues): Promise<Record<string, number>> {
  const entries = await Promise.all(
    (['poll', 'items', 'deliver'] as const).map(
      async (q) => [q, (await queues[q].getJobCounts('failed')).failed] as const,
    ),
  );
  return Object.fromEntries(entries);
}

const mb = (b: number) => (b / 1_048_576).toFixed(1);

export async function run(): Promise<void> {
  const runMs = minutes() * 60_000;
  const redisServer = await startRedis();
  const redis = redisServer.client();
  const queues = openQueues(redis, PREFIX);
  const feeds = await startFeedServer();
  const secret = newSecret();
  const receiver = await startReceiver(secret);
  const bodies: string[][] = Array.from({ length: FEEDS }, () => []);
  const expected = new Set<string>();
  let published = 0;
  const publish = () => {
    for (let f = 0; f < FEEDS; f++) {
      for (let k = 0; k < ITEMS_PER_SECOND; k++) {
        const n = published++;
        const mention = n % MENTION_EVERY === 0 ? names[(n / MENTION_EVERY) % WATCHES] : undefined;
        const it = item(f, n, mention);
        if (mention) expected.add(it.url);
        bodies[f] = [it.xml, ...bodies[f]].slice(0, FEED_WINDOW);
      }
      feeds.set(`/f${f}.xml`, { body: rss(bodies[f]) });
    }
  };
  publish();
  const port = await freePort();
  const proc = service(writeConfig(feeds.url, receiver.url, secret), redisServer.url, port);
  const samples: Sample[] = [];
  const publisher = setInterval(publish, 1000);
  try {
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200,
      30_000,
      'the service ready',
    );
    const start = Date.now();
    console.log(
      `soak: ${minutes()} min, ${FEEDS} feeds polled every second, ${FEEDS * ITEMS_PER_SECOND} new items/s, 1 in ${MENTION_EVERY} alerted; retentions ${RETENTION}`,
    );
    console.log(' min   RSS MB  heap MB  Redis MB  kept deliver jobs  alerts delivered');
    while (Date.now() - start < runMs) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      const [mem, used, kept] = await Promise.all([
        processMemory(port),
        redisUsed(redis),
        keptDeliver(redis),
      ]);
      samples.push({ t: Date.now() - start, rss: mem.rss, heap: mem.heap, redis: used, keptDeliver: kept });
      if (samples.length % Math.round(LINE_MS / SAMPLE_MS) === 0) {
        const cells = [
          [((Date.now() - start) / 60_000).toFixed(0), 4],
          [mb(mem.rss), 8],
          [mb(mem.heap), 7],
          [mb(used), 8],
          [kept, 17],
          [receiver.requests.length, 16],
        ] as const;
        console.log(cells.map(([v, w]) => String(v).padStart(w)).join('  '));
      }
    }
    clearInterval(publisher);
    await waitFor(
      () => new Set(receiver.requests.map((r) => r.json?.data?.item?.url)).size >= expected.size,
      120_000,
      'every alert delivered',
    ).catch((e: Error) => console.error(e.message));
    await waitFor(async () => (await pendingJobs(queues)) === 0, 60_000, 'every queue drained').catch(
      (e: Error) => console.error(e.message),
    );

    const byId = new Map<string, number>();
    const byItem = new Map<string, number>();
    for (const r of receiver.requests) {
      byId.set(String(r.headers['webhook-id']), (byId.get(String(r.headers['webhook-id'])) ?? 0) + 1);
      byItem.set(r.json?.data?.item?.url, (byItem.get(r.json?.data?.item?.url) ?? 0) + 1);
    }
    const duplicates =
      [...byId.values()].filter((c) => c > 1).length + [...byItem.values()].filter((c) => c > 1).length;
    const missing = [...expected].filter((u) => !byItem.has(u)).length;
    const unverified = receiver.requests.filter((r) => !r.verified).length;
    const failed = await failedJobs(queues);
    const failedTotal = Object.values(failed).reduce((a, b) => a + b, 0);
    const largest = await largestKeys(redis, 6);
    const perKept = await bytesPerKeptDeliver(redis, queues);

    const tail = samples.slice(Math.floor(samples.length / 2));
    const slope = (pick: (s: Sample) => number) =>
      slopePctPer10Min(tail.map((s) => ({ t: s.t, y: pick(s) })));
    const mean = (pick: (s: Sample) => number) => tail.reduce((a, s) => a + pick(s), 0) / tail.length;
    const slopes = {
      rss: slope((s) => s.rss),
      heap: slope((s) => s.heap),
      redis: slope((s) => s.redis),
      redisWithoutKeptDeliver: slope((s) => s.redis - s.keptDeliver * perKept),
    };
    const flat = Object.entries(slopes)
      .filter(([k]) => k !== 'redis')
      .every(([, v]) => v < FLAT_PCT);
    const ok = flat && missing === 0 && duplicates === 0 && failedTotal === 0 && unverified === 0;

    console.log(`slope over the second half, % of the mean per 10 min (flat: < ${FLAT_PCT} %):`);
    console.log(
      `  RSS ${slopes.rss.toFixed(2)} % (mean ${mb(mean((s) => s.rss))} MB), heap after a full GC ${slopes.heap.toFixed(2)} % (mean ${mb(mean((s) => s.heap))} MB)`,
    );
    console.log(
      `  Redis ${slopes.redis.toFixed(2)} % (mean ${mb(mean((s) => s.redis))} MB); without the kept deliver jobs (${Math.round(perKept)} bytes each) ${slopes.redisWithoutKeptDeliver.toFixed(2)} %`,
    );
    console.log(`largest Redis keys: ${largest.map((k) => `${k.key} ${mb(k.bytes)} MB`).join(', ')}`);
    console.log(
      `items ${published}, alerts expected ${expected.size}, webhooks received ${receiver.requests.length}, missing ${missing}, duplicates ${duplicates}, unverified ${unverified}, failed jobs ${JSON.stringify(failed)}`,
    );
    console.log(`verdict: ${ok ? 'flat, nothing lost, nothing twice' : 'GOAL MISSED'}`);
    const round = (v: number) => Number(v.toFixed(2));
    console.log(
      JSON.stringify({
        bench: 'soak',
        minutes: minutes(),
        items: published,
        alertsExpected: expected.size,
        webhooks: receiver.requests.length,
        missing,
        duplicates,
        failedJobs: failedTotal,
        rssMB: Number(mb(mean((s) => s.rss))),
        heapMB: Number(mb(mean((s) => s.heap))),
        redisMB: Number(mb(mean((s) => s.redis))),
        rssSlopePct: round(slopes.rss),
        heapSlopePct: round(slopes.heap),
        redisSlopePct: round(slopes.redis),
        redisWithoutKeptDeliverSlopePct: round(slopes.redisWithoutKeptDeliver),
        keptDeliverJobs: samples.at(-1)?.keptDeliver ?? 0,
        bytesPerKeptDeliver: Math.round(perKept),
        flatPctPer10Min: FLAT_PCT,
        ok,
      }),
    );
    if (!ok) process.exitCode = 1;
  } finally {
    clearInterval(publisher);
    await new Promise<void>((r) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return r();
      proc.once('exit', () => r());
      proc.kill('SIGTERM');
    });
    await queues.close();
    await feeds.close();
    await receiver.close();
    await redisServer.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
