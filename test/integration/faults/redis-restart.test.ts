/**
 * Redis (append-only file on) restarts while items wait to be matched and alerts wait for a
 * failing receiver: after the reconnect nothing is lost, and every alert arrives once.
 */
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { bullPrefix } from '../../../src/adapters/queues.js';
import { QUEUES, type ItemsJob } from '../../../src/contracts/jobs.js';
import { newSecret, startFeedServer, waitFor } from '../../helpers/loopback.js';
import { macronFeed, newsroomConfig, startSlowReceiver } from '../../helpers/newsroom.js';
import { startService, waitForIdleQueues } from '../../helpers/service.js';
import { endToEnd, externalRedis } from '../../helpers/teardown.js';

// The items are matched on their feed text: no page is read, so they go straight to the items queue.
const FEED_TEXT_ONLY = 'fullText:\n  mode: never';

const { redis: testRedis, teardown } = endToEnd({ aof: true, ownServer: true });

/** Items waiting to be matched: the items queue carries them in slices of a poll. */
async function queuedItems(queue: Queue<ItemsJob>): Promise<number> {
  const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
  return jobs.reduce((n, j) => n + j.data.items.length, 0);
}

async function pending(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe('a Redis restart with work in the queues', () => {
  it.skipIf(externalRedis)(
    'loses no queued item or alert: all arrive once the receiver recovers',
    async () => {
      const feeds = await startFeedServer();
      const secret = newSecret();
      let receiverUp = false;
      const hook = await startSlowReceiver(secret, () => (receiverUp ? 200 : 503));
      teardown.close(feeds.close, hook.close);
      const a = macronFeed('a', 3);
      const b = macronFeed('b', 4);
      feeds.set('/a.xml', { body: a.xml });
      feeds.set('/b.xml', { body: b.xml });
      const hookSpec = { url: hook.url, secret, retry: Array(15).fill('2s'), breakerThreshold: 1_000 };
      const connection = testRedis().client();
      const items = new Queue<ItemsJob>(QUEUES.items, { connection, prefix: bullPrefix('mw') });
      const deliver = new Queue(QUEUES.deliver, { connection, prefix: bullPrefix('mw') });
      for (const q of [items, deliver]) q.on('error', () => undefined); // Redis restarts on purpose
      teardown.close(
        () => items.close(),
        () => deliver.close(),
      );

      // Alerts for feed a are raised and fail: they wait in the delayed set.
      const whole = await startService({
        config: newsroomConfig([{ id: 'a', url: feeds.url('/a.xml') }], hookSpec, FEED_TEXT_ONLY),
        redisUrl: testRedis().url,
      });
      await waitFor(() => new Set(hook.arrived.map((r) => r.id)).size === 3, 20_000, 'three failing alerts');
      expect((await whole.stop()).code).toBe(0);

      // Without a match role, feed b's items pile up in the items queue.
      const producer = await startService({
        config: newsroomConfig(
          [
            { id: 'a', url: feeds.url('/a.xml') },
            { id: 'b', url: feeds.url('/b.xml') },
          ],
          hookSpec,
          FEED_TEXT_ONLY,
        ),
        redisUrl: testRedis().url,
        args: ['--roles', 'scheduler,fetch,deliver'],
      });
      teardown.service(producer);
      await waitFor(async () => (await queuedItems(items)) === 4, 15_000, 'four queued items');
      expect(await pending(deliver)).toBe(3);

      await testRedis().restart();
      await waitFor(
        async () => (await queuedItems(items).catch(() => -1)) === 4,
        10_000,
        'items back after the restart',
      );
      expect(await pending(deliver)).toBe(3);
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${producer.port}/readyz`)).status === 200,
        15_000,
        'the producer to be ready again',
      );

      teardown.service(
        await startService({
          config: newsroomConfig(
            [
              { id: 'a', url: feeds.url('/a.xml') },
              { id: 'b', url: feeds.url('/b.xml') },
            ],
            hookSpec,
            FEED_TEXT_ONLY,
          ),
          redisUrl: testRedis().url,
          args: ['--roles', 'match'],
        }),
      );
      receiverUp = true;
      const everyUrl = [...a.items, ...b.items].map((i) => i.url).sort();
      await waitFor(() => hook.delivered().length >= everyUrl.length, 40_000, 'every alert');
      await waitForIdleQueues(testRedis().url, 15_000, 'no alert left to deliver');

      const delivered = hook.delivered();
      expect(delivered.map((r) => r.url).sort()).toEqual(everyUrl);
      expect(new Set(delivered.map((r) => r.id)).size).toBe(delivered.length);
      expect(producer.proc.exitCode).toBeNull();
    },
    90_000,
  );
});
