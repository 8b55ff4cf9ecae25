/**
 * A service process dies or is stopped in the middle of a webhook delivery: the alert still
 * arrives, at least once and at most twice, always with the same webhook-id; so do the alerts of a
 * batch sent in one job.
 */
import { describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, waitFor } from '../../helpers/loopback.js';
import { macronFeed, newsroomConfig, sleep, startSlowReceiver } from '../../helpers/newsroom.js';
import { startService, waitForIdleQueues } from '../../helpers/service.js';
import { endToEnd } from '../../helpers/teardown.js';

const { redis: testRedis, teardown } = endToEnd();

describe('a service process that stops mid-delivery', () => {
  it.each([
    { what: 'a lone alert', items: 1 },
    { what: 'the alerts of one batch of items, sent in one job', items: 3 },
  ])(
    'delivers $what after the process delivering it is killed, each webhook-id seen at most twice',
    async ({ items }) => {
      const feeds = await startFeedServer();
      const secret = newSecret();
      // The first request is held open until long after the process that sent it is gone.
      const hook = await startSlowReceiver(secret, async (n) => {
        if (n === 1) await sleep(10_000);
        return 200;
      });
      teardown.close(feeds.close, hook.close);
      feeds.set('/world.xml', { body: macronFeed('world', items).xml });
      const config = newsroomConfig([{ id: 'world', url: feeds.url('/world.xml') }], {
        url: hook.url,
        secret,
        timeout: '30s',
      });

      const first = await startService({ config, redisUrl: testRedis().url });
      teardown.service(first);
      await waitFor(() => hook.arrived.length >= 1, 15_000, 'the first delivery try');
      await sleep(500); // the other alerts of a batch go out beside it
      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      // The job's lock must expire before another process takes it over as stalled.
      teardown.service(await startService({ config, redisUrl: testRedis().url }));
      await waitFor(
        () => new Set(hook.delivered().map((r) => r.id)).size === items,
        75_000,
        'delivery by the second process',
      );
      await waitForIdleQueues(testRedis().url, 15_000, 'no delivery left to try');

      const perId = new Map<string, number>();
      for (const r of hook.arrived) perId.set(r.id, (perId.get(r.id) ?? 0) + 1);
      expect(perId.size).toBe(items);
      for (const seen of perId.values()) expect(seen).toBeLessThanOrEqual(2);
      expect(hook.arrived.every((r) => r.verified)).toBe(true);
    },
    100_000,
  );

  it('finishes the delivery in flight on SIGTERM and exits 0 within 10 seconds', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startSlowReceiver(secret, async () => {
      await sleep(2_000);
      return 200;
    });
    teardown.close(feeds.close, hook.close);
    feeds.set('/world.xml', { body: macronFeed('world', 1).xml });
    const svc = await startService({
      config: newsroomConfig([{ id: 'world', url: feeds.url('/world.xml') }], { url: hook.url, secret }),
      redisUrl: testRedis().url,
    });
    teardown.service(svc);
    await waitFor(() => hook.arrived.length === 1, 15_000, 'the delivery to start');

    const started = Date.now();
    const { code } = await svc.stop();
    expect(code).toBe(0);
    // The promised shutdown time: the 2-second delivery in flight leaves it 8 seconds to spare.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(hook.delivered().map((r) => r.id)).toEqual([hook.arrived[0].id]);
    expect(svc.events().some((e) => e.msg === 'alert delivered' && e.alert === hook.arrived[0].id)).toBe(
      true,
    );
  });
});
