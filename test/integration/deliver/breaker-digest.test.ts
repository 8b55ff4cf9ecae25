/** The delivery state kept in Redis: circuit breakers and digest windows, against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createCircuitBreaker } from '../../../src/deliver/circuit-breaker.js';
import { createDigestStore } from '../../../src/deliver/digest.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { samplePayload } from '../../../src/deliver/payload.js';

let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
afterAll(() => server.stop());

describe('circuit breaker', () => {
  it('lets deliveries through until the threshold of consecutive failures, then pauses the endpoint', async () => {
    const breaker = createCircuitBreaker(redis, { prefix: 't1', baseCooldownMs: 1_000 });
    expect(await breaker.gate('a', 0)).toEqual({ pass: true, clean: true });
    expect(await breaker.failure('a', 3, 0)).toBe(false);
    expect(await breaker.failure('a', 3, 0)).toBe(false);
    expect(await breaker.failure('a', 3, 10)).toBe(true);
    expect(await breaker.gate('a', 500)).toEqual({ pass: false, retryAt: 1_010 });
  });

  it('lets one probe through after the cooldown and doubles the cooldown when it fails', async () => {
    const breaker = createCircuitBreaker(redis, { prefix: 't2', baseCooldownMs: 1_000 });
    for (let i = 0; i < 2; i++) await breaker.failure('a', 2, 0);
    expect(await breaker.gate('a', 1_000)).toEqual({ pass: true, clean: false });
    expect((await breaker.gate('a', 1_001)).pass).toBe(false); // the probe is out
    expect(await breaker.failure('a', 2, 1_100)).toBe(true);
    expect(await breaker.gate('a', 2_000)).toEqual({ pass: false, retryAt: 3_100 });
  });

  it('closes the circuit on a success, and keeps endpoints apart', async () => {
    const breaker = createCircuitBreaker(redis, { prefix: 't3', baseCooldownMs: 1_000 });
    for (let i = 0; i < 2; i++) await breaker.failure('a', 2, 0);
    expect(await breaker.gate('b', 10)).toEqual({ pass: true, clean: true });
    await breaker.success('a');
    expect(await breaker.gate('a', 10)).toEqual({ pass: true, clean: true });
  });

  it('gives up on an endpoint marked gone, through successes of tries in flight, until it is revived', async () => {
    const breaker = createCircuitBreaker(redis, { prefix: 't8' });
    await breaker.failure('a', 5, 0);
    await breaker.markGone('a', 10);
    expect(await breaker.gate('a', 20)).toEqual({ pass: false, gone: true });
    await breaker.success('a');
    expect(await breaker.gate('a', 30)).toEqual({ pass: false, gone: true });
    await breaker.revive('a');
    expect(await breaker.gate('a', 40)).toEqual({ pass: true, clean: true });
  });
});

describe('digest windows and hourly caps', () => {
  const payload = samplePayload;

  it('sends alerts straight out up to maxPerHour, then collects the rest of the hour in one digest', async () => {
    const hook = { id: 'capped', maxPerHour: 2 };
    const now = Date.parse('2026-11-28T10:20:00Z');
    const routes = [];
    for (let i = 0; i < 4; i++)
      routes.push(await createDigestStore(redis, { prefix: 't4' }).route(hook, now));
    expect(routes.map((r) => r.kind)).toEqual(['now', 'now', 'digest', 'digest']);
    const last = routes[3];
    expect(last.kind === 'digest' && new Date(last.window.end).toISOString()).toBe(
      '2026-11-28T11:00:00.000Z',
    );
  });

  it('routes every alert of a digest webhook into the window it falls in', async () => {
    const r = await createDigestStore(redis, { prefix: 't5' }).route(
      { id: 'dig', digest: 900_000 },
      Date.parse('2026-11-28T10:20:00Z'),
    );
    expect(
      r.kind === 'digest' && [new Date(r.window.start).toISOString(), new Date(r.window.end).toISOString()],
    ).toEqual(['2026-11-28T10:15:00.000Z', '2026-11-28T10:30:00.000Z']);
  });

  it('keeps each alert once in its window, even when a retried job adds it again', async () => {
    const digests = createDigestStore(redis, { prefix: 't6' });
    const r = await digests.route({ id: 'dig', digest: 900_000 }, 0);
    if (r.kind !== 'digest') throw new Error('expected a digest route');
    await digests.add(r.window, payload('msg_a'));
    await digests.add(r.window, payload('msg_b'));
    await digests.add(r.window, payload('msg_a'));
    expect((await digests.read(r.window.key)).map((p) => p.data.alertId).sort()).toEqual(['msg_a', 'msg_b']);
  });
});

describe('circuit breaker under concurrency', () => {
  it('does not stretch the cooldown for failures of tries that were in flight when it opened', async () => {
    const breaker = createCircuitBreaker(redis, { prefix: 't7', baseCooldownMs: 1_000 });
    for (let i = 0; i < 2; i++) await breaker.failure('a', 2, 0);
    expect(await breaker.failure('a', 2, 5)).toBe(false);
    expect(await breaker.failure('a', 2, 6)).toBe(false);
    expect(await breaker.gate('a', 500)).toEqual({ pass: false, retryAt: 1_000 });
  });
});
