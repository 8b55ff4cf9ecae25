/** BullMQ entrypoint of the "signals" queue: one evaluation of mention spikes per closed hour. */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type SpikeHourJob } from '../src/contracts/jobs.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { handleSpikeHour } from '../src/pipeline/handle-spike-hour.js';
import { timed, workerOptions } from './options.js';

export function startSignalsWorker(deps: PipelineDeps, connection: Redis): Worker<SpikeHourJob> {
  return new Worker<SpikeHourJob>(
    QUEUES.signals,
    timed(deps.metrics, QUEUES.signals, async (job: Job<SpikeHourJob>) => ({
      events: await handleSpikeHour(job.data, deps),
    })),
    workerOptions(connection, deps.current().config.redisPrefix, 1),
  );
}
