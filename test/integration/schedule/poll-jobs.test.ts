import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullPrefix, openQueues, type Queues } from '../../../src/adapters/queues.js';
import { QUEUES } from '../../../src/contracts/jobs.js';
import { pollJobsForTick } from '../../../src/schedule/poll-jobs.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestRedis;
let queues: Queues;
const PREFIX = 'sched';
const tick = (s: number) => new Date(Date.UTC(2026, 10, 28, 10, 0, s));

beforeAll(async () => {
  server = await startRedis();
  queues = openQueues(server.client(), PREFIX);
});
afterAll(async () => {
  await queues.close();
  await server.stop();
});

describe('poll jobs in the queue', () => {
  it('does not poll a feed again while its last poll waits or runs, and polls it on the next tick after', async () => {
    const feeds = [{ id: 'slow' }, { id: 'other' }];
    await queues.poll.addBulk(pollJobsForTick(feeds, tick(1)));
    await queues.poll.addBulk(pollJobsForTick(feeds, tick(2)));
    expect(
      (await queues.poll.getWaiting()).map((j) => j.data).sort((a, b) => a.feedId.localeCompare(b.feedId)),
    ).toEqual([
      { feedId: 'other', tick: tick(1).toISOString() },
      { feedId: 'slow', tick: tick(1).toISOString() },
    ]);

    const done: string[] = [];
    const worker = new Worker(QUEUES.poll, async (job) => void done.push(job.id!), {
      connection: server.client(),
      prefix: bullPrefix(PREFIX),
    });
    try {
      await waitFor(() => done.length === 2, 10_000, 'the first polls');
      await queues.poll.addBulk(pollJobsForTick(feeds, tick(3)));
      await waitFor(() => done.length === 4, 10_000, 'the polls of the next tick');
    } finally {
      await worker.close();
    }
    expect(done.filter((id) => id.includes('slow'))).toHaveLength(2);
  });

  it("starts a tick's polls spread over the window, in config order, not all at once", async () => {
    const feeds = [{ id: 'first' }, { id: 'second' }, { id: 'third' }];
    const started = new Map<string, number>();
    const worker = new Worker(
      QUEUES.poll,
      async (job) => void started.set(job.data.feedId, performance.now()),
      { connection: server.client(), prefix: bullPrefix(PREFIX) },
    );
    try {
      const queuedAt = performance.now();
      await queues.poll.addBulk(pollJobsForTick(feeds, tick(10), 900));
      await waitFor(() => started.size === 3, 10_000, 'the spread polls');
      const after = feeds.map((f) => started.get(f.id)! - queuedAt);
      expect(after[1]).toBeGreaterThanOrEqual(290);
      expect(after[2]).toBeGreaterThanOrEqual(590);
      expect(after[0]).toBeLessThan(after[1]);
    } finally {
      await worker.close();
    }
  });
});
