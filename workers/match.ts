/** BullMQ entrypoint of the "items" queue: dedupe across feeds, match, raise alerts. */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type ItemJob } from '../src/contracts/jobs.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { handleItem } from '../src/pipeline/handle-item.js';
import { workerOptions } from './options.js';

export function startMatchWorker(deps: PipelineDeps, connection: Redis): Worker<ItemJob> {
  const timer = deps.metrics.jobDuration.labels({ queue: QUEUES.items });
  return new Worker<ItemJob>(
    QUEUES.items,
    async (job) => {
      const end = timer.startTimer();
      try {
        return await handleItem(job.data, deps);
      } finally {
        end();
      }
    },
    workerOptions(connection, deps.current().config.redisPrefix, 16),
  );
}
