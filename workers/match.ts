/** BullMQ entrypoint of the "items" queue: dedupe across feeds, match, raise alerts. */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type ItemsJob } from '../src/contracts/jobs.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { handleItems } from '../src/pipeline/handle-item.js';
import { timed, workerOptions } from './options.js';

export function startMatchWorker(deps: PipelineDeps, connection: Redis): Worker<ItemsJob> {
  return new Worker<ItemsJob>(
    QUEUES.items,
    timed(deps.metrics, QUEUES.items, async (job: Job<ItemsJob>) => {
      // Only counts go back to Redis as the job's result: it is kept with the job.
      const done = await handleItems(job.data, deps);
      return { items: done.length, alerts: done.reduce((n, d) => n + d.alerts.length, 0) };
    }),
    workerOptions(connection, deps.current().config.redisPrefix, 8),
  );
}
