/**
 * Signals on a simulated clock, through the real match phase and hour evaluation: a story picked up
 * by outlets one by one, and weeks of quiet mentions followed by a burst. Asserts exactly which
 * signal jobs reach the deliver queue, and that retried or raced work adds none.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { FeedItem } from '../../../src/contracts/item.js';
import type { DeliverJob } from '../../../src/contracts/jobs.js';
import type { PickupPayload, SpikePayload } from '../../../src/contracts/signals.js';
import { handleItems } from '../../../src/pipeline/handle-item.js';
import { handleSpikeHour } from '../../../src/pipeline/handle-spike-hour.js';
import { HOUR_MS, HOURS_PER_WEEK } from '../../../src/signals/spike.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const OUTLETS = ['lemonde', 'figaro', 'liberation', 'bbc', 'guardian', 'spiegel'];
const CONFIG = `
feeds:
${OUTLETS.map((o) => `  - id: ${o}\n    url: https://www.${o}.example/rss`).join('\n')}
  - id: lemonde-intl
    url: https://www.lemonde.example/international/rss
  - id: afp-fr
    url: https://wire.example/fr/rss
    outlet: AFP
  - id: afp-en
    url: https://wire2.example/en/rss
    outlet: AFP
watches:
  - id: macron
    label: Emmanuel Macron
    terms: ["Macron"]
  - id: nato
    terms: ["NATO"]
webhooks:
  - id: newsroom
    url: https://hooks.example.org/mw
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
    signals:
      - {type: pickup, watches: [macron], outlets: [3, 5], within: 1h}
      - {type: spike, watches: [nato], sensitivity: 4, minCount: 5}
logAlerts: false
`;

const LEAD =
  'President Emmanuel Macron said security guarantees for Ukraine must be agreed before any ceasefire, in a television interview broadcast on Saturday as he left Washington after talks.';
const STORY: FeedItem = {
  key: 'g:1',
  title: 'Macron says security guarantees come first',
  summary: LEAD,
  content: `${LEAD} Officials in Kyiv welcomed the remarks.`,
};
// The story index expires in the injected clock's time, so the simulated clock starts at the next hour.
const T0 = (Math.floor(Date.now() / HOUR_MS) + 1) * HOUR_MS;
const MIN = 60_000;

let server: TestRedis;
let redis: Redis;
let now = T0;
let deps: ReturnType<typeof pipelineDeps>;

const feedUrl = (feedId: string) => deps.current().config.feeds.find((f) => f.id === feedId)!.url;
const carry = (feedId: string, item: FeedItem = STORY) =>
  handleItems(
    {
      feedId,
      feedUrl: feedUrl(feedId),
      fetchedAt: now,
      items: [{ item: { ...item, key: `${feedId}:${item.key}` }, sighting: 'new' }],
    },
    deps,
  );
const signalJobs = async () =>
  (await deps.queues.deliver.getJobs(['waiting', 'delayed', 'prioritized']))
    .filter((j) => j.data.kind === 'signal')
    .map((j) => ({ id: j.id!, ...(j.data as Extract<DeliverJob, { kind: 'signal' }>) }))
    .sort((a, b) => a.payload.timestamp.localeCompare(b.payload.timestamp) || a.id.localeCompare(b.id));

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
beforeEach(async () => {
  await redis.flushall();
  await deps?.close();
  now = T0;
  deps = pipelineDeps(redis, CONFIG, () => now);
});
afterAll(async () => {
  await deps.close();
  await server.stop();
});

describe('story pickup', () => {
  it('fires once when the third and once when the fifth outlet carries the story, with the outlets and times', async () => {
    const fired: number[] = [];
    for (const [i, feed] of OUTLETS.entries()) {
      now = T0 + i * 5 * MIN;
      await carry(feed);
      fired.push((await signalJobs()).length);
    }
    expect(fired).toEqual([0, 0, 1, 1, 2, 2]);
    const jobs = await signalJobs();
    const payloads = jobs.map((j) => j.payload as PickupPayload);
    expect(jobs.map((j) => [j.webhookId, j.id === j.payload.data.signalId])).toEqual([
      ['newsroom', true],
      ['newsroom', true],
    ]);
    expect(payloads.map((p) => [p.type, p.data.threshold, p.data.outlets.length])).toEqual([
      ['story.pickup', 3, 3],
      ['story.pickup', 5, 5],
    ]);
    expect(payloads[0].data.outlets).toEqual([
      { outlet: 'www.lemonde.example', feed: 'lemonde', url: null, at: new Date(T0).toISOString() },
      { outlet: 'www.figaro.example', feed: 'figaro', url: null, at: new Date(T0 + 5 * MIN).toISOString() },
      {
        outlet: 'www.liberation.example',
        feed: 'liberation',
        url: null,
        at: new Date(T0 + 10 * MIN).toISOString(),
      },
    ]);
    expect(payloads[0].data).toMatchObject({
      title: STORY.title,
      withinSeconds: 3600,
      watches: [{ id: 'macron', label: 'Emmanuel Macron' }],
    });
    expect(payloads[0].timestamp).toBe(new Date(T0 + 10 * MIN).toISOString());
  });

  it('counts feeds of one host, or with one outlet label, as one outlet', async () => {
    for (const feed of ['lemonde', 'lemonde-intl', 'afp-fr', 'afp-en']) {
      now += MIN;
      await carry(feed);
    }
    expect(await signalJobs()).toEqual([]);
    await carry('bbc');
    expect(
      (await signalJobs()).map((j) => (j.payload as PickupPayload).data.outlets.map((o) => o.outlet)),
    ).toEqual([['www.lemonde.example', 'AFP', 'www.bbc.example']]);
  });

  it('does not fire for outlets spread wider than the window', async () => {
    for (const [i, feed] of OUTLETS.slice(0, 3).entries()) {
      now = T0 + i * 40 * MIN;
      await carry(feed);
    }
    expect(await signalJobs()).toEqual([]);
  });

  it('sends one signal when the crossing job is retried and when two workers carry the next outlets at once', async () => {
    await carry('lemonde');
    await carry('figaro');
    now += MIN;
    await carry('liberation');
    await carry('liberation');
    await Promise.all([carry('bbc'), carry('guardian'), carry('spiegel')]);
    const thresholds = (await signalJobs()).map((j) => (j.payload as PickupPayload).data.threshold).sort();
    expect(thresholds).toEqual([3, 5]);
  });

  it('does not fire for a story that mentions no watch of the signal', async () => {
    const nato: FeedItem = {
      ...STORY,
      title: 'NATO ministers meet in Brussels',
      summary:
        'NATO defence ministers met in Brussels to discuss air defence and ammunition stocks for the coming winter months.',
      content:
        'NATO defence ministers met in Brussels to discuss air defence and ammunition stocks for the coming winter months. No decisions were announced.',
    };
    for (const feed of OUTLETS) await carry(feed, nato);
    expect(await signalJobs()).toEqual([]);
  });
});

describe('mention spikes', () => {
  const H0 = Math.floor(T0 / HOUR_MS);
  let serial = 0;
  /** An items job in the hour with n new items that mention NATO, each its own story. */
  const mentions = async (hour: number, n: number) => {
    now = hour * HOUR_MS + 10 * MIN;
    const items = Array.from({ length: n }, () => {
      const k = ++serial;
      const text = `Report number ${k}: NATO officials discussed topic ${k} with partners ${k * 7} and ${k * 13} in meeting ${k * 31}.`;
      return {
        item: { key: `nato:${k}`, title: `NATO report ${k}`, summary: text, content: text },
        sighting: 'new' as const,
      };
    });
    if (n > 0) await handleItems({ feedId: 'bbc', feedUrl: feedUrl('bbc'), fetchedAt: now, items }, deps);
  };
  const evaluate = async (hour: number) => {
    now = (hour + 1) * HOUR_MS + 30_000;
    await handleSpikeHour({ hour }, deps);
  };
  const spikes = async () =>
    (await signalJobs())
      .map((j) => j.payload as SpikePayload)
      .map((p) => [
        p.data.phase,
        (Date.parse(p.data.hour.start) / HOUR_MS - H0) % HOURS_PER_WEEK,
        p.data.count,
      ]);

  it('fires a start for a burst over quiet weeks and an end when it is over, and nothing for a few mentions at night', async () => {
    for (let week = 4; week >= 1; week--) {
      for (let h = 0; h < 4; h++) {
        const hour = H0 - week * HOURS_PER_WEEK + h;
        await mentions(hour, 2);
        await evaluate(hour);
      }
      await evaluate(H0 - week * HOURS_PER_WEEK + 14);
    }
    for (const [h, n] of [
      [0, 14],
      [1, 9],
      [2, 2],
      [3, 2],
    ]) {
      await mentions(H0 + h, n);
      await evaluate(H0 + h);
    }
    await mentions(H0 + 14, 3);
    await evaluate(H0 + 14);
    expect(await spikes()).toEqual([
      ['start', 0, 14],
      ['end', 2, 2],
    ]);
    const [start, end] = (await signalJobs()).map((j) => j.payload as SpikePayload);
    expect(start.data).toMatchObject({
      watch: { id: 'nato', label: 'nato' },
      baseline: { median: 2, mad: 0, weeks: 4 },
      threshold: 13,
    });
    expect(end.data.spikeStartedAt).toBe(start.data.hour.start);
  });

  it('counts a retried items job once and evaluates an hour once however often it is run', async () => {
    for (let week = 3; week >= 1; week--) {
      await mentions(H0 - week * HOURS_PER_WEEK, 1);
      await evaluate(H0 - week * HOURS_PER_WEEK);
    }
    now = H0 * HOUR_MS + 5 * MIN;
    const text = (k: number) => `NATO burst item ${k} about air defence deliveries number ${k} and ${k * 3}.`;
    const job = {
      feedId: 'bbc',
      feedUrl: feedUrl('bbc'),
      fetchedAt: now,
      items: Array.from({ length: 12 }, (_, i) => i + 1).map((k) => ({
        item: { key: `b:${k}`, title: `NATO burst ${k}`, summary: text(k), content: text(k) },
        sighting: 'new' as const,
      })),
    };
    await handleItems(job, deps);
    now += 20 * MIN;
    await handleItems(job, deps);
    await Promise.all([evaluate(H0), evaluate(H0)]);
    await evaluate(H0);
    expect(await spikes()).toEqual([['start', 0, 12]]);
  });
});
