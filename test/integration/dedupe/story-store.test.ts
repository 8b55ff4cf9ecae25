import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { createStoryStore, type StoryStore } from '../../../src/dedupe/story-store.js';

const HOUR = 3_600_000;
let server: TestRedis;
let redis: Redis;
let n = 0;
const store = (windowMs = 72 * HOUR) => createStoryStore(redis, { prefix: `s${++n}`, windowMs });
/** One claim on its own. */
const claim = async (
  s: StoryStore,
  storyId: string,
  webhookId: string,
  watchIds: string[],
  alertId: string,
) => (await s.claimAll([{ storyId, webhookId, watchIds, alertId }]))[0];

const LEAD =
  'NATO defence ministers agreed on Thursday to set up a new command centre in Poland to coordinate ' +
  'arms deliveries to Ukraine, the alliance said after a two-day meeting in Brussels. The centre in ' +
  'Rzeszow will employ about 700 staff drawn from 30 member countries and should be running by March, ' +
  'officials said. Secretary General Mark Rutte told reporters the move would make support more predictable.';

const OTHER =
  'NATO will hold its largest naval exercise in the Baltic Sea since the Cold War next month, with 40 ' +
  'ships and 9,000 sailors from 14 allies, the alliance maritime command announced on Thursday. The drill, ' +
  'named Northern Tide, starts off the Finnish coast and is meant to test mine clearing and submarine hunting.';

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
afterAll(() => server.stop());

describe('story store', () => {
  it('starts a story with the first item and names it after that item', async () => {
    const s = store();
    const a = await s.assign({
      feedId: 'reuters',
      itemKey: 'g:1',
      url: 'https://reuters.test/nato',
      title: 'NATO sets up Ukraine aid hub',
      text: LEAD,
      at: Date.now(),
    });
    expect(a.isNew).toBe(true);
    expect(a.storyId).toMatch(/^[0-9a-f]{12}$/);
    const again = await store().assign({
      feedId: 'reuters',
      itemKey: 'g:1',
      title: 'x',
      text: 'y',
      at: Date.now(),
    });
    expect(again.storyId).toBe(a.storyId);
  });

  it('joins a copy from another outlet with another headline and boilerplate to the first story', async () => {
    const s = store();
    const t = Date.now();
    const a = await s.assign({
      feedId: 'reuters',
      itemKey: 'g:1',
      url: 'https://reuters.test/nato',
      title: 'NATO sets up Ukraine aid hub in Poland',
      text: `BRUSSELS (Reuters) - ${LEAD}`,
      at: t,
    });
    const b = await s.assign({
      feedId: 'guardian',
      itemKey: 'g:xyz',
      url: 'https://guardian.test/world/nato-hub',
      title: 'Allies agree Polish command centre for Ukraine weapons',
      text: `${LEAD} Back to top button`,
      at: t + HOUR,
    });
    expect(b).toEqual({ storyId: a.storyId, isNew: false });
  });

  it("assigns a job's items in order, so a copy joins a story started earlier in the same call", async () => {
    const s = store();
    const t = Date.now();
    const [a, other, b] = await s.assignAll([
      {
        feedId: 'reuters',
        itemKey: 'g:1',
        title: 'NATO sets up Ukraine aid hub in Poland',
        text: LEAD,
        at: t,
      },
      {
        feedId: 'reuters',
        itemKey: 'g:2',
        title: 'NATO plans largest Baltic naval drill',
        text: OTHER,
        at: t,
      },
      {
        feedId: 'guardian',
        itemKey: 'g:3',
        title: 'Allies agree Polish command centre for Ukraine weapons',
        text: `${LEAD} Back to top button`,
        at: t + 1,
      },
    ]);
    expect(a.isNew && other.isNew).toBe(true);
    expect(other.storyId).not.toBe(a.storyId);
    expect(b).toEqual({ storyId: a.storyId, isNew: false });
    expect((await s.show(a.storyId))?.outlets.map((o) => o.feedId)).toEqual(['reuters', 'guardian']);
  });

  it('joins an item whose link is the same article through tracking and AMP variants', async () => {
    const s = store();
    const t = Date.now();
    const a = await s.assign({
      feedId: 'a',
      itemKey: 'g:1',
      url: 'https://www.example.test/news/story-1',
      title: 'One',
      text: 'short',
      at: t,
    });
    const b = await s.assign({
      feedId: 'b',
      itemKey: 'g:2',
      url: 'http://amp.example.test/news/story-1/amp?utm_source=rss',
      title: 'Two',
      text: 'different',
      at: t,
    });
    expect(b).toEqual({ storyId: a.storyId, isNew: false });
  });

  it('keeps two different stories on the same topic and day apart', async () => {
    const s = store();
    const t = Date.now();
    const a = await s.assign({
      feedId: 'reuters',
      itemKey: 'g:1',
      title: 'NATO sets up Ukraine aid hub',
      text: LEAD,
      at: t,
    });
    const b = await s.assign({
      feedId: 'reuters',
      itemKey: 'g:2',
      title: 'NATO plans largest Baltic naval drill',
      text: OTHER,
      at: t,
    });
    expect(b.isNew).toBe(true);
    expect(b.storyId).not.toBe(a.storyId);
  });

  it('starts a new story for a copy that arrives after the story window closed', async () => {
    const s = store(6 * HOUR);
    const t = Date.now();
    const a = await s.assign({
      feedId: 'reuters',
      itemKey: 'g:1',
      title: 'NATO sets up Ukraine aid hub',
      text: LEAD,
      at: t,
    });
    const late = await s.assign({
      feedId: 'guardian',
      itemKey: 'g:9',
      title: 'Allies agree hub',
      text: LEAD,
      at: t + 20 * HOUR,
    });
    expect(late.isNew).toBe(true);
    expect(late.storyId).not.toBe(a.storyId);
  });

  it('shows the outlets of a story with their links and times, in the order they came in', async () => {
    const s = store();
    const t = Date.now();
    const a = await s.assign({
      feedId: 'reuters',
      itemKey: 'g:1',
      url: 'https://reuters.test/nato',
      title: 'NATO sets up Ukraine aid hub',
      text: LEAD,
      at: t,
    });
    await s.assign({
      feedId: 'bbc',
      itemKey: 'g:2',
      title: 'Nato to open Ukraine arms hub',
      text: LEAD,
      at: t + 5000,
    });
    await s.assign({
      feedId: 'bbc',
      itemKey: 'g:2',
      title: 'Nato to open Ukraine arms hub',
      text: LEAD,
      at: t + 9000,
    });
    expect(await s.show(a.storyId)).toEqual({
      storyId: a.storyId,
      title: 'NATO sets up Ukraine aid hub',
      firstSeenAt: t,
      outlets: [
        { feedId: 'reuters', itemKey: 'g:1', url: 'https://reuters.test/nato', at: t },
        { feedId: 'bbc', itemKey: 'g:2', at: t + 5000 },
      ],
    });
    expect(await s.show('000000000000')).toBeNull();
    expect(await s.show('not an id')).toBeNull();
  });

  it('keeps the story index of a busy day in compact listpack hashes, named by shard number as before', async () => {
    const p = `s${++n}`;
    const s = createStoryStore(redis, { prefix: p, windowMs: 72 * HOUR, shards: 128 });
    const t = Date.now();
    for (let i = 0; i < 300; i++) {
      await s.assign({
        feedId: 'wire',
        itemKey: `g:${i}`,
        url: `https://wire.test/${i}`,
        title: `Story ${i} of the day`,
        text: `${i} ${LEAD}`,
        at: t,
      });
    }
    const keys = await redis.keys(`${p}:story-index:*`);
    expect(keys.length).toBeGreaterThan(64);
    for (const k of keys) expect(await redis.object('ENCODING', k)).toBe('listpack');
    // Plain decimal shard numbers, as earlier versions named them, so an upgrade finds its index.
    for (const k of keys) expect(Number(k.slice(k.lastIndexOf(':') + 1))).toBeLessThan(128);
    expect(
      keys.map((k) => k.slice(k.lastIndexOf(':') + 1)).filter((name) => String(Number(name)) !== name),
    ).toEqual([]);
  });

  it('sweeps index entries older than the window out of the hashes it writes', async () => {
    const p = `s${++n}`;
    const s = createStoryStore(redis, { prefix: p, windowMs: 6 * HOUR, shards: 1 });
    const t = Date.now();
    // Distinct stories: each a different run of made-up words.
    const text = (i: number) =>
      Array.from({ length: 30 }, (_, k) => `w${(i * 7919 + k * 104_729) % 100_003}`).join(' ');
    const item = (i: number, at: number) => ({
      feedId: 'wire',
      itemKey: `g:${i}`,
      title: `Story ${i}`,
      text: text(i),
      at,
    });
    for (let i = 0; i < 3; i++) await s.assign(item(i, t));
    const [key] = await redis.keys(`${p}:story-index:*`);
    const early = await redis.hlen(key);
    // A day later the early entries are out of the window; enough writes reach a sweep.
    for (let i = 100; i < 140; i++) expect((await s.assign(item(i, t + 24 * HOUR))).isNew).toBe(true);
    const late = Object.values(await redis.hgetallBuffer(key));
    const tickOf = (v: Buffer) => v.readUInt16BE(6);
    const newest = Math.max(...late.map(tickOf));
    expect(early).toBeGreaterThan(0);
    for (const v of late) expect((newest - tickOf(v) + 65_536) % 65_536).toBeLessThanOrEqual(64);
  });

  it('lets Redis drop a closed story and its index on its own clock', async () => {
    const p = `s${++n}`;
    const s = createStoryStore(redis, { prefix: p, windowMs: 300 });
    const a = await s.assign({
      feedId: 'reuters',
      itemKey: 'g:1',
      url: 'https://reuters.test/nato',
      title: 'NATO sets up Ukraine aid hub',
      text: LEAD,
      at: Date.now(),
    });
    expect(await s.show(a.storyId)).not.toBeNull();
    expect((await redis.keys(`${p}:*`)).length).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 550));
    expect(await redis.keys(`${p}:*`)).toEqual([]);
    expect(await s.show(a.storyId)).toBeNull();
  });
});

describe('watch claims', () => {
  it('gives each watch to the first alert and none to a later alert of the same story', async () => {
    const s = store();
    const first = await claim(s, 'abc123abc123', 'hook', ['w1', 'w2'], 'alert-1');
    expect(first.fresh).toEqual(['w1', 'w2']);
    expect(first.alertedBefore).toBe(false);
    const later = await claim(s, 'abc123abc123', 'hook', ['w1', 'w2', 'w3'], 'alert-2');
    expect(later.fresh).toEqual(['w3']);
    expect(later.alertedBefore).toBe(true);
  });

  it('gives a retried alert the same watches again', async () => {
    const s = store();
    await claim(s, 'abc123abc123', 'hook', ['w1'], 'alert-1');
    const first = await claim(s, 'abc123abc123', 'hook', ['w1', 'w2'], 'alert-2');
    const retry = await claim(s, 'abc123abc123', 'hook', ['w1', 'w2'], 'alert-2');
    expect(first.fresh).toEqual(['w2']);
    expect(retry.fresh).toEqual(['w2']);
    expect(retry.alertedBefore).toBe(true);
  });

  it('claims per webhook, so another webhook still gets the watch', async () => {
    const s = store();
    await claim(s, 'abc123abc123', 'hook-a', ['w1'], 'alert-1');
    expect((await claim(s, 'abc123abc123', 'hook-b', ['w1'], 'alert-2')).fresh).toEqual(['w1']);
  });

  it.each([
    { what: 'in one script call', claimsPerCall: 50 },
    { what: 'one claim a call, as on a Cluster', claimsPerCall: 1 },
  ])(
    "makes a job's claims in order, $what: of two alerts of one story the first gets the watch",
    async ({ claimsPerCall }) => {
      const s = createStoryStore(redis, { prefix: `s${++n}`, windowMs: 72 * HOUR, claimsPerCall });
      const claims = await s.claimAll([
        { storyId: 'abc123abc123', webhookId: 'hook', watchIds: ['w1', 'w2'], alertId: 'alert-1' },
        { storyId: 'def456def456', webhookId: 'hook', watchIds: ['w1'], alertId: 'alert-2' },
        { storyId: 'abc123abc123', webhookId: 'hook', watchIds: ['w2', 'w3'], alertId: 'alert-3' },
      ]);
      expect(claims.map((c) => [c.fresh, c.alertedBefore])).toEqual([
        [['w1', 'w2'], false],
        [['w1'], false],
        [['w3'], true],
      ]);
      expect(await s.claimAll([])).toEqual([]);
    },
  );

  it('hands each watch to exactly one of two racing workers', async () => {
    const s = store();
    const other = createStoryStore(server.client(), { prefix: `s${n}`, windowMs: 72 * HOUR });
    for (let round = 0; round < 25; round++) {
      const id = `feed${String(round).padStart(8, '0')}`;
      const watches = ['w1', 'w2', 'w3', 'w4'];
      const [a, b] = await Promise.all([
        claim(s, id, 'hook', watches, `a-${round}`),
        claim(other, id, 'hook', [...watches].reverse(), `b-${round}`),
      ]);
      expect([...a.fresh, ...b.fresh].sort()).toEqual(watches);
    }
  });

  it('joins racing copies of one story from two workers into a single story', async () => {
    const s = store();
    const other = createStoryStore(server.client(), { prefix: `s${n}`, windowMs: 72 * HOUR });
    const t = Date.now();
    const [a, b] = await Promise.all([
      s.assign({
        feedId: 'reuters',
        itemKey: 'g:1',
        title: 'NATO sets up Ukraine aid hub',
        text: LEAD,
        at: t,
      }),
      other.assign({
        feedId: 'bbc',
        itemKey: 'g:2',
        title: 'Nato to open Ukraine arms hub in Poland',
        text: LEAD,
        at: t,
      }),
    ]);
    expect(a.storyId).toBe(b.storyId);
    expect([a.isNew, b.isNew].sort()).toEqual([false, true]);
  });
});
