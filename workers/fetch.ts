/** BullMQ entrypoint of the "poll" queue: one job polls one feed. */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type PollJob } from '../src/contracts/jobs.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { handlePoll } from '../src/pipeline/handle-poll.js';
import { timed, workerOptions } from './options.js';

export function startFetchWorker(deps: PipelineDeps, connection: Redis): Worker<PollJob> {
  return new Worker<PollJob>(
    QUEUES.poll,
    timed(deps.metrics, QUEUES.poll, (job: Job<PollJob>) => handlePoll(job.data, deps)),
    // Polls wait on the network, not the CPU: many at once, politeness is per host in the poller.
    workerOptions(connection, deps.current().config.redisPrefix, 32),
  );
}
