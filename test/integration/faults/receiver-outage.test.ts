/**
 * A webhook receiver that is down for longer than the whole retry schedule: the circuit
 * breaker holds the alerts back instead of using up their tries, and when the receiver returns
 * every alert arrives, none twice.
 */
import { describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, waitFor } from '../../helpers/loopback.js';
import { macronFeed, newsroomConfig, sleep, startSlowReceiver } from '../../helpers/newsroom.js';
import { startService, waitForIdleQueues } from '../../helpers/service.js';
import { endToEnd } from '../../helpers/teardown.js';

const { redis: testRedis, teardown } = endToEnd();

describe('a receiver that is down for longer than the retry schedule', () => {
  it('delivers every alert once it is back, none twice, because the circuit opened', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    let receiverUp = false;
    const hook = await startSlowReceiver(secret, () => (receiverUp ? 200 : 503));
    teardown.close(feeds.close, hook.close);
    const feed = macronFeed('world', 3);
    feeds.set('/world.xml', { body: feed.xml });
    // Four tries 200 ms apart: without the breaker, all would be used up within a second.
    const svc = await startService({
      config: newsroomConfig([{ id: 'world', url: feeds.url('/world.xml') }], {
        url: hook.url,
        secret,
        retry: ['200ms', '200ms', '200ms'],
        breakerThreshold: 3,
      }),
      redisUrl: testRedis().url,
    });
    teardown.service(svc);
    await waitFor(
      () => svc.events().some((e) => e.msg?.startsWith('webhook circuit opened')),
      20_000,
      'the circuit to open',
    );
    // The receiver stays down three seconds more: long enough to use up every try, had the circuit not opened.
    await sleep(3_000);
    receiverUp = true;

    // The first probe goes out when the cooldown (30 s) is over.
    await waitFor(() => hook.delivered().length >= 3, 75_000, 'every alert after the receiver came back');
    await waitForIdleQueues(testRedis().url, 15_000, 'no alert left to deliver');
    const delivered = hook.delivered();
    expect(delivered.map((r) => r.url).sort()).toEqual(feed.items.map((i) => i.url).sort());
    expect(new Set(delivered.map((r) => r.id)).size).toBe(3);
    expect(hook.arrived.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(3);
    expect(svc.events().filter((e) => e.msg === 'alert delivery failed; not retryable')).toEqual([]);
  }, 100_000);
});
