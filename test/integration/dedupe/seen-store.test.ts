import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { createSeenStore } from '../../../src/dedupe/seen-store.js';

const DAY = 86_400_000;
let server: TestRedis;
let redis: Redis;
let n = 0;
const prefix = () => `t${++n}`;

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
afterAll(() => server.stop());

describe('seen store', () => {
  it('reports an item as new the first time and seen after that', async () => {
    const store = createSeenStore(redis, { prefix: prefix(), retentionMs: 30 * DAY });
    const now = Date.now();
    expect(await store.check('bbc', 'g:1', 'h1', now)).toBe('new');
    expect(await store.check('bbc', 'g:1', 'h1', now + 1000)).toBe('seen');
    expect(await store.check('bbc', 'g:1', 'h1', now + 2 * DAY)).toBe('seen');
  });

  it('remembers items per feed, so the same key in another feed is new there', async () => {
    const store = createSeenStore(redis, { prefix: prefix(), retentionMs: 30 * DAY });
    const now = Date.now();
    expect(await store.check('bbc', 'g:1', 'h1', now)).toBe('new');
    expect(await store.check('cnn', 'g:1', 'h1', now)).toBe('new');
  });

  it('reports an edited item as changed once, then as seen', async () => {
    const store = createSeenStore(redis, { prefix: prefix(), retentionMs: 30 * DAY });
    const now = Date.now();
    expect(await store.check('bbc', 'u:https://x.test/a', 'v1', now)).toBe('new');
    expect(await store.check('bbc', 'u:https://x.test/a', 'v2', now + DAY)).toBe('changed');
    expect(await store.check('bbc', 'u:https://x.test/a', 'v2', now + DAY + 1)).toBe('seen');
  });

  it('forgets an item that has not been seen for longer than the retention window', async () => {
    const store = createSeenStore(redis, { prefix: prefix(), retentionMs: 30 * DAY });
    const now = Date.now();
    expect(await store.check('bbc', 'g:old', 'h', now)).toBe('new');
    expect(await store.check('bbc', 'g:old', 'h', now + 32 * DAY)).toBe('new');
  });

  it('keeps an item that its feed keeps listing, counting retention from the last sighting', async () => {
    const store = createSeenStore(redis, { prefix: prefix(), retentionMs: 10 * DAY, buckets: 10 });
    const t0 = Date.now();
    expect(await store.check('bbc', 'g:evergreen', 'h', t0)).toBe('new');
    for (let d = 5; d <= 40; d += 5)
      expect(await store.check('bbc', 'g:evergreen', 'h', t0 + d * DAY)).toBe('seen');
  });

  it('lets Redis drop a hash nobody writes to on its own clock', async () => {
    const p = prefix();
    const store = createSeenStore(redis, { prefix: p, retentionMs: 300, buckets: 3 });
    expect(await store.check('bbc', 'g:short', 'h', Date.now())).toBe('new');
    expect(await redis.keys(`${p}:seen:*`)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 550));
    expect(await redis.keys(`${p}:seen:*`)).toHaveLength(0);
    expect(await store.check('bbc', 'g:short', 'h', Date.now())).toBe('new');
  });

  it('gives exactly one of many concurrent first sightings of an item the answer new', async () => {
    const store = createSeenStore(redis, { prefix: prefix(), retentionMs: DAY });
    const now = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => store.check('bbc', 'g:race', 'h', now)),
    );
    expect(answers.filter((a) => a === 'new')).toHaveLength(1);
  });

  it('peeks without marking, so items stay new until the poll marks them after queueing', async () => {
    const store = createSeenStore(redis, { prefix: prefix(), retentionMs: DAY });
    const now = Date.now();
    await store.mark('bbc', ['g:a'], ['h1'], now);
    const keys = ['g:a', 'g:b'];
    expect(await store.peek('bbc', keys, ['h2', 'h1'], now)).toEqual(['changed', 'new']);
    expect(await store.peek('bbc', keys, ['h2', 'h1'], now)).toEqual(['changed', 'new']);
    await store.mark('bbc', keys, ['h2', 'h1'], now);
    expect(await store.peek('bbc', keys, ['h2', 'h1'], now)).toEqual(['seen', 'seen']);
  });

  it('marks what a peek said: an edited item is updated in place, a new one is added', async () => {
    const p = prefix();
    const store = createSeenStore(redis, {
      prefix: p,
      retentionMs: 10 * DAY,
      buckets: 10,
      shards: 1,
      hashesPerShard: 1,
    });
    const t0 = Date.now();
    await store.mark('bbc', ['g:old'], ['v1'], t0);
    const later = t0 + 3 * DAY;
    const keys = ['g:old', 'g:new'];
    const peeked = await store.peek('bbc', keys, ['v2', 'v1'], later);
    expect(peeked).toEqual(['changed', 'new']);
    await store.mark('bbc', keys, ['v2', 'v1'], later);
    expect(await store.peek('bbc', keys, ['v2', 'v1'], later)).toEqual(['seen', 'seen']);
    const hashes = await redis.keys(`${p}:seen:*`);
    expect(hashes).toHaveLength(1);
    expect(await redis.hlen(hashes[0])).toBe(2);
  });

  it('answers items checked a few to a script call as it answers them one at a time', async () => {
    const now = Date.now();
    const sightings = async (itemsPerCall: number) => {
      const store = createSeenStore(redis, {
        prefix: prefix(),
        retentionMs: 10 * DAY,
        buckets: 10,
        itemsPerCall,
      });
      const keys = Array.from({ length: 7 }, (_, i) => `g:${i}`);
      await store.mark('bbc', keys.slice(0, 4), ['a', 'b', 'c', 'd'], now - 3 * DAY);
      const contents = ['a', 'B', 'c', 'D', 'e', 'f', 'g'];
      const peeked = await store.peek('bbc', keys, contents, now);
      await store.mark('bbc', keys, contents, now);
      return [...peeked, ...(await store.peek('bbc', keys, contents, now))];
    };
    const expected = ['seen', 'changed', 'seen', 'changed', 'new', 'new', 'new', ...Array(7).fill('seen')];
    expect(await sightings(1)).toEqual(expected);
    expect(await sightings(3)).toEqual(expected);
    expect(await sightings(250)).toEqual(expected);
  });

  it('keeps every remembered item in a compact listpack hash', async () => {
    const p = prefix();
    const store = createSeenStore(redis, { prefix: p, retentionMs: DAY, shards: 4, hashesPerShard: 1 });
    const now = Date.now();
    for (let i = 0; i < 200; i++) await store.check('bbc', `g:${i}`, 'h', now);
    const keys = await redis.keys(`${p}:seen:*`);
    expect(keys).toHaveLength(4);
    for (const k of keys) expect(await redis.object('ENCODING', k)).toBe('listpack');
  });

  it('sweeps the entries that left the window out of a hash that is still written to', async () => {
    const p = prefix();
    const store = createSeenStore(redis, {
      prefix: p,
      retentionMs: 10 * DAY,
      buckets: 10,
      shards: 1,
      hashesPerShard: 1,
      itemsPerCall: 100,
    });
    const t0 = Date.now();
    const keys = (from: number, n: number) => Array.from({ length: n }, (_, i) => `g:${from + i}`);
    await store.mark('bbc', keys(0, 100), Array(100).fill('h'), t0);
    // A write sweeps its hash one time in 32, so a thousand writes sweep it for sure.
    await store.mark('bbc', keys(100, 1000), Array(1000).fill('h'), t0 + 12 * DAY);
    const [key] = await redis.keys(`${p}:seen:*`);
    expect(await redis.hlen(key)).toBe(1000);
  });

  it('sees an item marked by a process whose clock runs a little ahead, across a bucket edge', async () => {
    const store = createSeenStore(redis, { prefix: prefix(), retentionMs: 30 * DAY });
    const midnight = Math.ceil(Date.now() / DAY) * DAY;
    await store.mark('bbc', ['g:edge'], ['h'], midnight + 1_000);
    expect(await store.peek('bbc', ['g:edge'], ['h'], midnight - 1_000)).toEqual(['seen']);
  });
});
