/**
 * Signals as their receivers get them: a story pickup and a mention spike raised by the real match
 * phase and hour evaluation, then sent by handleDelivery over real HTTP to a signed webhook (the
 * signature verified, the payload in the shape docs/signals.md shows) and to an ntfy stand-in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliverJob } from '../../../src/contracts/jobs.js';
import { handleDelivery } from '../../../src/pipeline/handle-delivery.js';
import { handleItems } from '../../../src/pipeline/handle-item.js';
import { handleSpikeHour } from '../../../src/pipeline/handle-spike-hour.js';
import { HOUR_MS, HOURS_PER_WEEK } from '../../../src/signals/spike.js';
import { newSecret, startReceiver, startServer } from '../../helpers/loopback.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { ROOT } from '../../helpers/service.js';

const OUTLETS = ['lemonde', 'figaro', 'bbc'];
const SECRET = newSecret();
const LEAD =
  'President Emmanuel Macron said security guarantees for Ukraine must be agreed before any ceasefire, in a television interview broadcast on Saturday.';
// Counts are kept by the hour of the injected clock: the simulated clock starts at the next hour.
const H0 = Math.floor(Date.now() / HOUR_MS) + 1;

let server: TestRedis;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let ntfy: { url: string; close(): Promise<void>; seen: { path: string; json: any }[] };
let deps: ReturnType<typeof pipelineDeps>;
let now = H0 * HOUR_MS;

const config = () => `
feeds:
${OUTLETS.map((o) => `  - id: ${o}\n    url: https://www.${o}.example/rss`).join('\n')}
watches:
  - { id: macron, label: Emmanuel Macron, terms: ["Macron"] }
  - { id: nato, terms: ["NATO"] }
webhooks:
  - id: desk
    url: ${receiver.url}
    secret: ${SECRET}
    signals:
      - { type: pickup, watches: [macron], outlets: 3, within: 1h }
      - { type: spike, watches: [nato], sensitivity: 4, minCount: 5 }
  - id: phone
    format: ntfy
    url: ${ntfy.url}
    ntfy: { topic: newsroom }
    watches: [macron]
    signals:
      - { type: pickup, outlets: 3, within: 1h }
logAlerts: false
`;

/** The signal jobs waiting in the deliver queue, by webhook. */
async function signalJobs(): Promise<{ id: string; data: DeliverJob & { kind: 'signal' } }[]> {
  const jobs = await deps.queues.deliver.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs
    .filter((j) => j.data.kind === 'signal')
    .map((j) => ({ id: j.id!, data: j.data as DeliverJob & { kind: 'signal' } }));
}

/** The type of every field, nested: what a receiver's parser relies on, without the values. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shapeOf(v[0])];
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, shapeOf(x)]),
    );
  return v === null ? 'null' : typeof v;
}

/** The example payload docs/signals.md shows for a signal type. */
function documented(type: string): unknown {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'signals.md'), 'utf8');
  const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(
    (m) => JSON.parse(m[1]) as { type: string },
  );
  const example = examples.find((e) => e.type === type);
  if (!example) throw new Error(`docs/signals.md shows no ${type} payload`);
  return example;
}

beforeAll(async () => {
  server = await startRedis();
  receiver = await startReceiver(SECRET);
  const seen: { path: string; json: any }[] = [];
  const api = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ path: req.url!, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"n1"}');
    });
  });
  ntfy = { ...api, seen };
});
beforeEach(async () => {
  const redis = server.client();
  await redis.flushall();
  await deps?.close();
  receiver.requests.length = 0;
  ntfy.seen.length = 0;
  deps = pipelineDeps(redis, config(), () => now);
});
afterAll(async () => {
  await deps?.close();
  await receiver.close();
  await ntfy.close();
  await server.stop();
});

describe('a story pickup, delivered', () => {
  it('reaches the signed webhook as docs/signals.md shows it, and ntfy as a message listing the outlets', async () => {
    for (const [i, feedId] of OUTLETS.entries()) {
      now = H0 * HOUR_MS + i * 10 * 60_000;
      const item = {
        key: `${feedId}:1`,
        url: `https://www.${feedId}.example/macron`,
        title: 'Macron says security guarantees come first',
        summary: LEAD,
        content: LEAD,
      };
      const feedUrl = `https://www.${feedId}.example/rss`;
      await handleItems({ feedId, feedUrl, fetchedAt: now, items: [{ item, sighting: 'new' }] }, deps);
    }
    const jobs = await signalJobs();
    expect(jobs.map((j) => j.data.webhookId).sort()).toEqual(['desk', 'phone']);
    for (const job of jobs)
      expect(await handleDelivery(job.id, job.data, deps)).toEqual({ kind: 'delivered' });

    expect(receiver.requests).toHaveLength(1);
    const [signed] = receiver.requests;
    expect(signed.verified).toBe(true);
    expect(signed.headers['webhook-id']).toBe(signed.json.data.signalId);
    expect(shapeOf(signed.json)).toEqual(shapeOf(documented('story.pickup')));
    expect(signed.json).toMatchObject({
      type: 'story.pickup',
      timestamp: new Date(now).toISOString(),
      data: {
        signalId: expect.stringMatching(/^sig_/),
        title: 'Macron says security guarantees come first',
        threshold: 3,
        withinSeconds: 3600,
        outlets: OUTLETS.map((o, i) => ({
          outlet: `www.${o}.example`,
          feed: o,
          url: `https://www.${o}.example/macron`,
          at: new Date(H0 * HOUR_MS + i * 10 * 60_000).toISOString(),
        })),
        watches: [{ id: 'macron', label: 'Emmanuel Macron' }],
      },
    });

    expect(ntfy.seen).toHaveLength(1);
    const [message] = ntfy.seen;
    expect(message.path).toBe('/');
    expect(message.json).toMatchObject({
      topic: 'newsroom',
      title:
        'Story picked up by 3 outlets in 60 min (Emmanuel Macron): Macron says security guarantees come first',
    });
    for (const o of OUTLETS) expect(message.json.message).toContain(`www.${o}.example`);
  });
});

describe('a mention spike, delivered', () => {
  it('reaches the signed webhook as docs/signals.md shows it', async () => {
    const hour = async (h: number, mentions: number) => {
      await deps.signals.count([{ watch: 'nato', hour: h, job: `job-${h}`, mentions }]);
      now = (h + 1) * HOUR_MS + 30_000;
      await handleSpikeHour({ hour: h }, deps);
    };
    for (let week = 4; week >= 1; week--) await hour(H0 - week * HOURS_PER_WEEK, 2);
    await hour(H0, 14);
    const jobs = await signalJobs();
    expect(jobs).toHaveLength(1);
    expect(await handleDelivery(jobs[0].id, jobs[0].data, deps)).toEqual({ kind: 'delivered' });

    expect(receiver.requests).toHaveLength(1);
    const [signed] = receiver.requests;
    expect(signed.verified).toBe(true);
    expect(signed.headers['webhook-id']).toBe(signed.json.data.signalId);
    expect(shapeOf(signed.json)).toEqual(shapeOf(documented('mention.spike')));
    expect(signed.json).toMatchObject({
      type: 'mention.spike',
      data: {
        phase: 'start',
        watch: { id: 'nato', label: 'nato' },
        hour: {
          start: new Date(H0 * HOUR_MS).toISOString(),
          end: new Date((H0 + 1) * HOUR_MS).toISOString(),
        },
        spikeStartedAt: new Date(H0 * HOUR_MS).toISOString(),
        count: 14,
        baseline: { median: 2, mad: 0, weeks: 4 },
      },
    });
    expect(ntfy.seen).toHaveLength(0);
  });
});
