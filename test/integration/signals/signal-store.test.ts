/**
 * The signal store's scripts against a real Redis: what each request records and what its reply
 * says, including retried and late calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import {
  createSignalStore,
  RING_SLOTS,
  type PickupSighting,
  type SignalStore,
} from '../../../src/signals/store.js';
import { HOUR_MS, HOURS_PER_WEEK } from '../../../src/signals/spike.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const T0 = Date.UTC(2026, 2, 2, 9);
const MIN = 60_000;
let server: TestRedis;
let redis: Redis;
let n = 0;
const store = (): SignalStore =>
  createSignalStore(redis, { prefix: `sig${++n}`, storyRetentionMs: 144 * HOUR_MS });

const claim = (id: string, threshold: number, watches: string[] = []) => ({
  name: `hook:${threshold}`,
  signalId: id,
  threshold,
  withinMs: 60 * MIN,
  watches,
});
const sighting = (outlet: string, at: number, more: Partial<PickupSighting> = {}): PickupSighting => ({
  storyId: 'aa11bb22cc33',
  at,
  outlet,
  feedId: `${outlet}-feed`,
  url: `https://${outlet}/story`,
  title: `Title at ${outlet}`,
  watches: ['macron'],
  claims: [claim(`sig_${outlet}`, 3)],
  ...more,
});

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
afterAll(() => server.stop());

describe('pickup records', () => {
  it('claims a threshold for the sighting that brings the story to that many outlets, and for no later one', async () => {
    const s = store();
    const replies = await s.pickup(
      ['a.test', 'b.test', 'c.test', 'd.test'].map((o, i) => sighting(o, T0 + i * MIN)),
    );
    expect(replies.map((r) => r.claimed)).toEqual([[false], [false], [true], [false]]);
    expect(replies[3].outlets.map((o) => o.outlet)).toEqual(['a.test', 'b.test', 'c.test', 'd.test']);
    expect(replies[3].outlets[0]).toEqual({
      outlet: 'a.test',
      feedId: 'a.test-feed',
      url: 'https://a.test/story',
      at: T0,
    });
    expect(replies[3].title).toBe('Title at a.test');
    expect(replies[3].watches).toEqual(['macron']);
  });

  it('answers a retried sighting with the same claim, and counts an outlet once however many items it has', async () => {
    const s = store();
    await s.pickup([sighting('a.test', T0), sighting('b.test', T0 + MIN)]);
    const [first] = await s.pickup([sighting('c.test', T0 + 2 * MIN)]);
    const [again] = await s.pickup([sighting('c.test', T0 + 3 * MIN)]);
    const [secondItem] = await s.pickup([
      sighting('a.test', T0 + 4 * MIN, { claims: [claim('sig_other', 3)] }),
    ]);
    expect([first.claimed, again.claimed, secondItem.claimed]).toEqual([[true], [true], [false]]);
    expect(secondItem.outlets.find((o) => o.outlet === 'a.test')?.at).toBe(T0);
  });

  it('counts only outlets whose first item is within the window', async () => {
    const s = store();
    await s.pickup([sighting('a.test', T0), sighting('b.test', T0 + 50 * MIN)]);
    const [late] = await s.pickup([sighting('c.test', T0 + 70 * MIN)]);
    const [fourth] = await s.pickup([sighting('d.test', T0 + 75 * MIN)]);
    expect([late.claimed, fourth.claimed]).toEqual([[false], [true]]);
  });

  it("claims only for a story that matched one of the signal's watches", async () => {
    const s = store();
    const nato = (o: string, i: number) =>
      sighting(o, T0 + i * MIN, { watches: ['nato'], claims: [claim(`sig_${o}`, 2, ['macron'])] });
    const replies = await s.pickup([nato('a.test', 0), nato('b.test', 1)]);
    expect(replies.map((r) => r.claimed)).toEqual([[false], [false]]);
    const [macron] = await s.pickup([
      sighting('c.test', T0 + 2 * MIN, { claims: [claim('sig_c', 2, ['macron'])] }),
    ]);
    expect(macron.claimed).toEqual([true]);
    expect(macron.watches).toEqual(['macron', 'nato']);
  });

  it("keeps a story's record for its retention after the last sighting", async () => {
    const s = store();
    const now = Date.now();
    await s.pickup([sighting('a.test', now)]);
    const keys = await redis.keys(`sig${n}:pickup:*`);
    expect(keys).toEqual([`sig${n}:pickup:{aa11bb22cc33}`]);
    const ttl = await redis.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(143 * HOUR_MS);
    expect(ttl).toBeLessThanOrEqual(144 * HOUR_MS);
  });
});

describe('hourly mention counts', () => {
  const H = Math.floor(T0 / HOUR_MS);

  it("sums an hour's jobs once each, and closing the hour twice gives the same count", async () => {
    const s = store();
    await s.count([
      { watch: 'nato', hour: H, job: 'j1', mentions: 3 },
      { watch: 'nato', hour: H, job: 'j2', mentions: 4 },
    ]);
    await s.count([{ watch: 'nato', hour: H, job: 'j1', mentions: 3 }]);
    expect((await s.closeHour('nato', H)).count).toBe(7);
    await s.count([{ watch: 'nato', hour: H, job: 'late', mentions: 9 }]);
    expect((await s.closeHour('nato', H)).count).toBe(7);
  });

  it('reads the same hour of past weeks as the baseline, unknown where an hour was never closed', async () => {
    const s = store();
    for (const [weeksBack, mentions] of [
      [1, 2],
      [2, 5],
      [4, 3],
    ]) {
      const hour = H - weeksBack * HOURS_PER_WEEK;
      await s.count([{ watch: 'nato', hour, job: 'j', mentions }]);
      await s.closeHour('nato', hour);
    }
    await s.closeHour('nato', H - 1);
    const closed = await s.closeHour('nato', H);
    expect(closed).toEqual({
      count: 0,
      past: [2, 5, undefined, 3, undefined, undefined, undefined, undefined],
    });
  });

  it('keeps a ring of fixed size: an hour a full ring ago reads as unknown, not as this hour', async () => {
    const s = store();
    await s.count([{ watch: 'nato', hour: H, job: 'j', mentions: 6 }]);
    await s.closeHour('nato', H);
    const later = H + RING_SLOTS;
    expect((await s.closeHour('nato', later)).count).toBe(0);
    expect(await s.history('nato', H, H + 1)).toEqual([undefined]);
    expect(await s.history('nato', later - 1, later + 1)).toEqual([undefined, 0]);
    expect(await redis.strlen(`sig${n}:mentions:{sig${n}:watch:nato}:ring`)).toBeLessThanOrEqual(
      RING_SLOTS * 4,
    );
  });

  it('caps an hour at 65,535 mentions', async () => {
    const s = store();
    await s.count([{ watch: 'nato', hour: H, job: 'j', mentions: 70_000 }]);
    expect((await s.closeHour('nato', H)).count).toBe(65_535);
  });
});

describe('spike states', () => {
  const verdict = (starts: boolean, carriesOn = starts) => ({ starts, carriesOn });

  it('reports a start and an end once, and the same change again for a repeated hour', async () => {
    const s = store();
    expect(await s.decide('nato', 'hook', 100, verdict(false))).toEqual({ changed: false, on: false });
    expect(await s.decide('nato', 'hook', 101, verdict(true))).toEqual({
      changed: true,
      on: true,
      startHour: 101,
    });
    expect(await s.decide('nato', 'hook', 101, verdict(true))).toEqual({
      changed: true,
      on: true,
      startHour: 101,
    });
    expect(await s.decide('nato', 'hook', 102, verdict(false, true))).toEqual({
      changed: false,
      on: true,
      startHour: 101,
    });
    expect(await s.decide('nato', 'hook', 103, verdict(true, false))).toEqual({
      changed: true,
      on: false,
      startHour: 101,
    });
    expect(await s.decide('nato', 'other', 103, verdict(true))).toEqual({
      changed: true,
      on: true,
      startHour: 103,
    });
  });

  it('ignores an hour older than the last one decided', async () => {
    const s = store();
    await s.decide('nato', 'hook', 200, verdict(false));
    expect(await s.decide('nato', 'hook', 199, verdict(true))).toEqual({ changed: false, on: false });
  });
});
