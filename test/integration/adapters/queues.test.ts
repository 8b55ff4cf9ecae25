/** The queues as the service opens them, on a real Redis. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_KEPT, bullPrefix, openQueues } from '../../../src/adapters/queues.js';
import { QUEUES } from '../../../src/contracts/jobs.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

let server: TestRedis;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

describe('queues', () => {
  it('keep a short tail of BullMQ events, not the 10,000 a queue nobody listens to', async () => {
    const redis = server.client();
    const queues = openQueues(redis, 'events');
    try {
      const jobs = Array.from({ length: 3 * EVENTS_KEPT }, (_, i) => ({
        name: 'poll',
        data: { feedId: `feed-${i}`, tick: 't1' },
      }));
      await queues.poll.getVersion(); // once the queue's settings are written
      await queues.poll.addBulk(jobs);
      const kept = await redis.xlen(`${bullPrefix('events')}:${QUEUES.poll}:events`);
      expect(kept).toBeGreaterThan(0);
      // Trimming is approximate (MAXLEN ~): whole stream nodes of up to 100 entries go at once.
      expect(kept).toBeLessThanOrEqual(EVENTS_KEPT + 100);
    } finally {
      await queues.close();
    }
  });
});
