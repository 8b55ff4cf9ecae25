/**
 * One story, one alert: copies of a story in other feeds and edits of an item do not alert again,
 * unless an edit brings a watch the story had not matched ("update": true).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { FeedItem } from '../../../src/contracts/item.js';
import type { DeliverJob } from '../../../src/contracts/jobs.js';
import { handleItems } from '../../../src/pipeline/handle-item.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const CONFIG = `
watches:
  - id: macron
    terms: ["Macron"]
  - id: nato
    terms: ["NATO"]
  - id: putin
    terms: ["Putin"]
webhooks:
  - id: newsroom
    url: https://hooks.example.org/mw
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
  - id: kremlin-desk
    url: https://hooks.example.org/kremlin
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
    watches: [putin]
logAlerts: false
`;

const LEAD =
  'President Emmanuel Macron said security guarantees for Russia must be part of any peace talks, in a television interview broadcast on Saturday as he left Washington.';
const ORIGINAL: FeedItem = {
  key: 'g:https://a.example/macron-guarantees',
  url: 'https://a.example/macron-guarantees?utm_source=rss',
  title: 'Macron says Russia needs security guarantees',
  summary: LEAD,
  content: `${LEAD} The remarks drew an angry reaction in Kyiv, where officials said the proposal rewarded aggression.`,
};

let server: TestRedis;
let redis: Redis;
let deps: ReturnType<typeof pipelineDeps>;
const item = async (feedId: string, it: FeedItem, sighting: 'new' | 'changed' = 'new') =>
  (
    await handleItems(
      {
        feedId,
        feedUrl: `https://${feedId}.example/rss`,
        fetchedAt: Date.now(),
        items: [{ item: it, sighting }],
      },
      deps,
    )
  )[0];
const deliveries = async () =>
  (await deps.queues.deliver.getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => ({
    id: j.id,
    ...(j.data as Extract<DeliverJob, { kind: 'alert' }>),
  }));

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
beforeEach(async () => {
  await redis.flushall();
  await deps?.close();
  deps = pipelineDeps(redis, CONFIG);
});
afterAll(async () => {
  await deps.close();
  await server.stop();
});

describe('one story, one alert', () => {
  it('alerts a story once per webhook, carrying its storyId and only the watches that webhook wants', async () => {
    const first = await item('wire', ORIGINAL);
    const jobs = await deliveries();
    expect(jobs.map((j) => j.webhookId)).toEqual(['newsroom']);
    expect(jobs[0].payload.data.storyId).toBe(first.storyId);
    expect(jobs[0].payload.data.watches.map((w) => w.id)).toEqual(['macron']);
    expect(jobs[0].payload.data.update).toBeUndefined();
  });

  it('does not alert again for a copy of the story in another feed, and records it', async () => {
    const first = await item('wire', ORIGINAL);
    const copy = await item('paper', {
      ...ORIGINAL,
      key: 'g:paper-1234',
      url: 'https://www.a.example/macron-guarantees/amp',
      title: 'Macron: Russia must get security guarantees',
      content: `${ORIGINAL.content} Back to top button`,
    });
    expect(copy.storyId).toBe(first.storyId);
    expect(await deliveries()).toHaveLength(1);
    const story = await deps.stories.show(first.storyId!);
    expect(story?.outlets.map((o) => o.feedId)).toEqual(['wire', 'paper']);
  });

  it('sends nothing for a headline edit', async () => {
    await item('wire', ORIGINAL);
    await item(
      'wire',
      { ...ORIGINAL, title: 'Macron: Russia needs security guarantees (updated)' },
      'changed',
    );
    expect(await deliveries()).toHaveLength(1);
  });

  it('alerts an edit that brings a new watch, for that watch only, as an update', async () => {
    const first = await item('wire', ORIGINAL);
    await item(
      'wire',
      {
        ...ORIGINAL,
        content: `${ORIGINAL.content} Vladimir Putin's spokesman welcomed the remarks; NATO allies did not.`,
      },
      'changed',
    );
    const jobs = await deliveries();
    const updates = jobs.filter((j) => j.payload.data.update);
    expect(updates.map((j) => [j.webhookId, j.payload.data.watches.map((w) => w.id).sort()])).toEqual(
      expect.arrayContaining([
        ['newsroom', ['nato', 'putin']],
        ['kremlin-desk', ['putin']],
      ]),
    );
    // The Kremlin desk hears of the story for the first time, and is told it is an edited one.
    expect(jobs.filter((j) => j.webhookId === 'kremlin-desk')).toHaveLength(1);
    expect(jobs.every((j) => j.payload.data.storyId === first.storyId)).toBe(true);
  });

  it('keeps two different stories on the same topic apart', async () => {
    const a = await item('wire', ORIGINAL);
    const b = await item('wire', {
      key: 'g:nato-ministers',
      url: 'https://a.example/nato-ministers',
      title: 'NATO ministers pledge winter aid for Ukraine at Bucharest meeting',
      summary: 'Foreign ministers of the alliance promised generators and fuel for the battered power grid.',
      content:
        'Foreign ministers of the alliance promised generators and fuel for the battered power grid as temperatures fell. The secretary general said the door stays open to new members.',
    });
    expect(b.storyId).not.toBe(a.storyId);
    expect(await deliveries()).toHaveLength(2);
  });

  it('keeps an item that mentions no watch out of the story index, so its copy that does starts the story', async () => {
    const lead = LEAD.replace('President Emmanuel Macron', 'The French president');
    const unwatched = await item('wire', {
      ...ORIGINAL,
      title: 'France says Russia needs security guarantees',
      summary: lead,
      content: lead,
    });
    expect(unwatched.storyId).toBeUndefined();
    expect(await redis.keys('*stor*')).toEqual([]);
    const copy = await item('paper', {
      ...ORIGINAL,
      key: 'g:paper-1234',
      url: 'https://paper.example/macron-guarantees',
    });
    expect(copy.storyId).toBeDefined();
    expect(await deliveries()).toHaveLength(1);
    expect((await deps.stories.show(copy.storyId!))?.outlets.map((o) => o.feedId)).toEqual(['paper']);
  });

  it('gives a retried job the same alert, so it is queued once', async () => {
    await item('wire', ORIGINAL);
    await item('wire', ORIGINAL);
    expect(await deliveries()).toHaveLength(1);
  });
});
