/** BullMQ entrypoint of the "poll" queue: one job polls one feed. */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type PollJob } from '../src/contracts/jobs.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { handlePoll } from '../src/pipeline/handle-poll.js';
import { workerOptions } from './options.js';

export function startFetchWorker(deps: PipelineDeps, connection: Redis): Worker<PollJob> {
  const timer = deps.metrics.jobDuration.labels({ queue: QUEUES.poll });
  return new Worker<PollJob>(
    QUEUES.poll,
    async (job) => {
      const end = timer.startTimer();
      try {
        return await handlePoll(job.data, deps);
      } finally {
        end();
      }
    },
    // Polls wait on the network, not the CPU: many at once, politeness is per host in the poller.
    workerOptions(connection, deps.current().config.redisPrefix, 32),
  );
}
