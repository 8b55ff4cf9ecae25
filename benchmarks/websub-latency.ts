/**
 * Publish → alert for items a WebSub hub pushes, in the real service (one process, every role):
 * a loopback hub (the tests' own, which follows the recommendation) delivers one signed entry at
 * a time, RATE a second, and the receiver times each alert from the moment the hub was asked to
 * publish it. Beside it, in the same run and the same service, the baseline the push replaces: the
 * same items published in a feed polled every second, timed from when the feed began to show them.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startFeedServer, startServer } from '../test/helpers/loopback.js';
import { stopAll } from '../test/helpers/processes.js';
import { freePort, startRedis } from '../test/helpers/redis-server.js';
import { writeConfig } from '../test/helpers/service.js';
import { waitFor } from '../test/helpers/wait.js';
import { startHub } from '../test/helpers/websub-hub.js';
import { prng } from './lib/prng.js';
import { percentile } from './lib/stats.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const RATE = 20;
const ITEMS = 200;
/** The first alerts warm the service up and are not counted. */
const WARMUP = 20;

/** Syllables of made-up words: texts of them share no shingles, so no two items join one story. */
const SYL = 'ka ve rin dos tal mor ben lu sa tor vi na gel ham pri os dre lin cor mat fel zen ro bar'.split(
  ' ',
);

export interface WebsubLatency {
  p50Ms: number;
  p99Ms: number;
  samples: number;
  /** The same items published in a feed polled every second. */
  pollP50Ms: number;
  pollP99Ms: number;
}

/** An entry of its own text, so each is a story of its own and alerts. */
function entry(kind: string, n: number): { url: string; xml: string } {
  const r = prng(n + (kind === 'push' ? 1 : 100_000));
  const word = () => Array.from({ length: 3 }, () => SYL[Math.floor(r() * SYL.length)]).join('');
  const words = (k: number) => Array.from({ length: k }, word).join(' ');
  const url = `https://news.example.com/${kind}/${n}`;
  const xml = `<entry><id>${url}</id><title>Macron ${words(8)}</title><link href="${url}"/>
<updated>2026-11-28T08:00:00Z</updated><summary>${words(60)}</summary></entry>`;
  return { url, xml };
}

const atom = (
  topic: string,
  hub: string | undefined,
  entries: string[],
) => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>World</title><id>${topic}</id><link rel="self" href="${topic}"/>
${hub ? `<link rel="hub" href="${hub}"/>` : ''}${entries.join('\n')}</feed>`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function websubLatency(): Promise<WebsubLatency> {
  const redis = await startRedis();
  const site = await startFeedServer();
  const hub = await startHub();
  const started = new Map<string, number>();
  const latencies = { push: [] as number[], poll: [] as number[] };
  const receiver = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = (JSON.parse(Buffer.concat(chunks).toString()) as { data?: { item?: { url?: string } } })
        .data?.item?.url;
      const at = url === undefined ? undefined : started.get(url);
      if (url && at !== undefined)
        latencies[url.includes('/push/') ? 'push' : 'poll'].push(performance.now() - at);
      res.writeHead(204).end();
    });
  });
  const pushed = site.url('/pushed.atom');
  const polled = site.url('/polled.atom');
  site.set('/pushed.atom', { body: atom(pushed, hub.url, []), type: 'application/atom+xml' });
  site.set('/polled.atom', { body: atom(polled, undefined, []), type: 'application/atom+xml' });
  const port = await freePort();
  const config = writeConfig(`
schedule: "* * * * * *"
logAlerts: false
network: { allowPrivateAddresses: true }
fetch: { spread: 0 }
fullText: { mode: never }
websub: { callbackBase: "http://127.0.0.1:${port}", pollSlowdown: 1000, checkEvery: 200ms }
feeds:
  - { id: pushed, url: "${pushed}" }
  - { id: polled, url: "${polled}" }
watches:
  - { id: macron, terms: ["Macron"] }
webhooks:
  - { id: bench, url: "${receiver.url}/hook", secret: "whsec_${Buffer.alloc(32, 7).toString('base64')}" }
`);
  const svc = spawn(process.execPath, [path.join(ROOT, 'dist/bin/mediawatch.js'), 'run'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      MEDIAWATCH_CONFIG: config,
      REDIS_URL: redis.url,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
  });
  try {
    await waitFor(() => hub.active(pushed).length === 1, 60_000, 'the subscription');
    const shown: string[] = [];
    for (let n = 0; n < ITEMS; n++) {
      const push = entry('push', n);
      started.set(push.url, performance.now());
      void hub.publish(pushed, atom(pushed, hub.url, [push.xml]));
      const poll = entry('poll', n);
      shown.push(poll.xml);
      started.set(poll.url, performance.now());
      site.set('/polled.atom', {
        body: atom(polled, undefined, shown.slice(-50)),
        type: 'application/atom+xml',
      });
      await sleep(1000 / RATE);
    }
    await waitFor(
      () => latencies.push.length >= ITEMS && latencies.poll.length >= ITEMS,
      60_000,
      'every alert',
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}: ${latencies.push.length} pushed and ${latencies.poll.length} polled of ${ITEMS}`,
      );
    });
  } finally {
    await stopAll([svc]);
    await Promise.all([site.close(), hub.close(), receiver.close()]);
    await redis.stop();
  }
  const [push, poll] = [latencies.push.slice(WARMUP), latencies.poll.slice(WARMUP)];
  const round = (n: number) => Number(n.toFixed(1));
  return {
    p50Ms: round(percentile(push, 50)),
    p99Ms: round(percentile(push, 99)),
    samples: push.length,
    pollP50Ms: round(percentile(poll, 50)),
    pollP99Ms: round(percentile(poll, 99)),
  };
}

/** The table line and the JSON line of the pipeline benchmark. */
export function printWebsubLatency(l: WebsubLatency): void {
  console.log(
    `publish→alert, ${RATE} items/s pushed by a WebSub hub: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms over ${l.samples} alerts` +
      ` (the same items in a feed polled every second: p50 ${l.pollP50Ms} ms, p99 ${l.pollP99Ms} ms)`,
  );
  console.log(JSON.stringify({ bench: 'pipeline', websub: true, rate: RATE, ...l }));
}
