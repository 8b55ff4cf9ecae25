/**
 * Each script's codec against a real Redis: a request encoded, run, and the reply decoded gives
 * what the script's header promises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { failureScript, gateScript } from '../../../src/deliver/breaker-scripts.js';
import { seenScript, type SeenEntry, type SeenRequest } from '../../../src/dedupe/seen-script.js';
import {
  assignScript,
  claimScript,
  type AssignItem,
  type AssignRequest,
} from '../../../src/dedupe/story-scripts.js';

let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
afterAll(() => server.stop());

describe('seen script codec', () => {
  const entry = (field: string, content: string, bucket: number): SeenEntry => {
    const value = Buffer.alloc(6);
    value.write(content.padEnd(4, '.'), 'latin1');
    value.writeUInt16BE(bucket, 4);
    return { shard: 3, sub: 1, field: Buffer.from(field), value };
  };
  const request = (mode: 'check' | 'peek', items: SeenEntry[], current = 100): SeenRequest => ({
    mode,
    routeKey: 'sc:{seen-3}:h1',
    older: 30,
    current,
    keyPrefix: 'sc:{seen-',
    expireAt: Date.now() + 60_000,
    sweepEvery: 32,
    items,
  });

  it('reads one sighting per item, and only check records them', async () => {
    const items = [entry('f-a', 'AAAA', 100), entry('f-b', 'BBBB', 100)];
    expect(await seenScript.run(redis, request('peek', items))).toEqual(['new', 'new']);
    expect(await seenScript.run(redis, request('check', items.slice(0, 1)))).toEqual(['new']);
    expect(
      await seenScript.run(
        redis,
        request('peek', [entry('f-a', 'AAAA', 101), entry('f-a', 'ZZZZ', 101), items[1]], 101),
      ),
    ).toEqual(['seen', 'changed', 'new']);
    expect(await redis.hlen('sc:{seen-3}:h1')).toBe(1);
  });

  it('reads an entry older than the window as absent', async () => {
    await seenScript.run(redis, request('check', [entry('f-old', 'CCCC', 100)]));
    expect(await seenScript.run(redis, request('peek', [entry('f-old', 'CCCC', 131)], 131))).toEqual(['new']);
  });
});

describe('story script codecs', () => {
  const item = (id: string, url: string | undefined, at: number): AssignItem => ({
    record: `ss:story:{ss}:${id}`,
    url: url === undefined ? undefined : { shard: 1, field: Buffer.from(url.padEnd(6, '.').slice(0, 6)) },
    tick: Buffer.from([0, 1]),
    indexExpireAt: at + 60_000,
    recordExpireAt: at + 60_000,
    newId: Buffer.from(id, 'hex'),
    title: `title ${id}`,
    at,
    outletField: `m:feed\t${id}`,
    outletValue: `${at}\t${url ?? ''}`,
    bands: Buffer.alloc(0),
  });
  const request = (items: AssignItem[]): AssignRequest => ({
    indexPrefix: 'ss:story-index:{ss}:',
    recordPrefix: 'ss:story:{ss}:',
    minVotes: 3,
    maxAgeTicks: 64,
    sweepEvery: 32,
    items,
  });

  it('assigns in order: a copy with the same URL later in the call joins the story started before it', async () => {
    const now = Date.now();
    const out = await assignScript.run(
      redis,
      request([
        item('aaaaaaaaaaaa', 'url-1', now),
        item('bbbbbbbbbbbb', 'url-1', now),
        item('cccccccccccc', undefined, now),
      ]),
    );
    expect(out).toEqual([
      { storyId: 'aaaaaaaaaaaa', isNew: true },
      { storyId: 'aaaaaaaaaaaa', isNew: false },
      { storyId: 'cccccccccccc', isNew: true },
    ]);
    expect(await redis.hget('ss:story:{ss}:aaaaaaaaaaaa', 'title')).toBe('title aaaaaaaaaaaa');
  });

  it("claims give plain objects: the watches that are the alert's, and whether another alert came first", async () => {
    const claims = await claimScript.run(redis, {
      ttlMs: 60_000,
      claims: [
        { key: 'ss:story:{x}:claims:h', alertId: 'a1', watchIds: ['w1', 'w2'] },
        { key: 'ss:story:{x}:claims:h', alertId: 'a2', watchIds: ['w2', 'w3'] },
        { key: 'ss:story:{x}:claims:h', alertId: 'a1', watchIds: ['w1'] },
      ],
    });
    expect(claims).toEqual([
      { fresh: ['w1', 'w2'], alertedBefore: false },
      { fresh: ['w3'], alertedBefore: true },
      { fresh: ['w1'], alertedBefore: true },
    ]);
    expect(Array.isArray(claims[0])).toBe(false);
  });
});

describe('circuit breaker script codecs', () => {
  const failure = (key: string, now: number) =>
    failureScript.run(redis, { key, threshold: 2, now, baseCooldownMs: 1_000, maxCooldownMs: 4_000 });

  it('gate: clean with nothing on record, a wait until the cooldown ends once open, gone when marked', async () => {
    expect(await gateScript.run(redis, { key: 'bk:a', now: 0 })).toEqual({ pass: true, clean: true });
    expect(await failure('bk:a', 0)).toBe(false);
    expect(await gateScript.run(redis, { key: 'bk:a', now: 0 })).toEqual({ pass: true, clean: false });
    expect(await failure('bk:a', 10)).toBe(true);
    expect(await gateScript.run(redis, { key: 'bk:a', now: 20 })).toEqual({ pass: false, retryAt: 1_010 });
    await redis.hset('bk:a', 'gone', 30);
    expect(await gateScript.run(redis, { key: 'bk:a', now: 40 })).toEqual({ pass: false, gone: true });
  });
});
