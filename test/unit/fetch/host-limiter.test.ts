import { describe, expect, it } from 'vitest';
import { createHostLimiter } from '../../../src/fetch/host-limiter.js';

/**
 * With no gap the limiter sets no timer: a slot is handed out at once or on a release. By the next
 * turn of the event loop every acquire that can resolve has, so what is still waiting stays waiting.
 */
const settled = () => new Promise((r) => setImmediate(r));

describe('per-host politeness', () => {
  it('holds a second request to a busy host until the first ends, while another host goes ahead', async () => {
    const limiter = createHostLimiter({ concurrency: 1, gapMs: 0 });
    const order: string[] = [];
    const releaseA1 = await limiter.acquire('a.example');
    const a2 = limiter.acquire('a.example').then((release) => {
      order.push('a2');
      return release;
    });
    const releaseB = await limiter.acquire('b.example');
    order.push('b');
    await settled();
    expect(order).toEqual(['b']);
    releaseA1();
    (await a2)();
    releaseB();
    expect(order).toEqual(['b', 'a2']);
  });

  it('allows as many requests in flight per host as configured', async () => {
    const limiter = createHostLimiter({ concurrency: 3, gapMs: 0 });
    let started = 0;
    const all = Array.from({ length: 5 }, () => limiter.acquire('h').then((release) => (started++, release)));
    await settled();
    expect(started).toBe(3);
    (await all[0])();
    await settled();
    expect(started).toBe(4);
    for (const p of all.slice(1)) (await p)();
  });

  it('spaces request starts to one host by the configured gap', async () => {
    const limiter = createHostLimiter({ concurrency: 5, gapMs: 60 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 3 }, () =>
        limiter.acquire('h').then((release) => {
          starts.push(performance.now());
          release();
        }),
      ),
    );
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(55);
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(55);
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = createHostLimiter({ concurrency: 1, gapMs: 0 });
    const r1 = await limiter.acquire('h');
    r1();
    r1();
    const r2 = await limiter.acquire('h');
    let third = false;
    void limiter.acquire('h').then(() => (third = true));
    await settled();
    expect(third).toBe(false);
    r2();
  });

  it("tells how many requests wait for a host and about how long a new one would, by the host's gap", async () => {
    const limiter = createHostLimiter({ concurrency: 2, gapMs: 1_000 });
    const held = Array.from({ length: 5 }, () => limiter.acquire('slow.example'));
    await settled();
    expect(limiter.waiting('slow.example')).toBe(4);
    expect(limiter.backlogMs('slow.example')).toBe(2_000);
    expect([limiter.waiting('idle.example'), limiter.backlogMs('idle.example')]).toEqual([0, 0]);
    (await held[0])();
  });
});
