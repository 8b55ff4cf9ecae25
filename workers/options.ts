/** Worker options shared by the BullMQ entrypoints. */
import type { Job, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Metrics } from '../src/adapters/metrics.js';
import { bullPrefix } from '../src/adapters/queues.js';
import type { QueueName } from '../src/contracts/jobs.js';

export function workerOptions(connection: Redis, redisPrefix: string, concurrency: number): WorkerOptions {
  return {
    connection,
    prefix: bullPrefix(redisPrefix),
    concurrency,
    // A worker that dies mid-job leaves it stalled; another picks it up once the lock has
    // expired and a stalled check has run: checking every 5 s rather than BullMQ's 30 s brings
    // a crashed process's deliveries back in about 35 s instead of up to a minute.
    lockDuration: 30_000,
    stalledInterval: 5_000,
    maxStalledCount: 3,
    autorun: true,
  };
}

/** Wraps a processor so its duration lands in mediawatch_job_duration_seconds{queue}. */
export function timed<T, R>(
  metrics: Metrics,
  queue: QueueName,
  processor: (job: Job<T>, token?: string) => Promise<R>,
): (job: Job<T>, token?: string) => Promise<R> {
  const timer = metrics.jobDuration.labels({ queue });
  return async (job, token) => {
    const end = timer.startTimer();
    try {
      return await processor(job, token);
    } finally {
      end();
    }
  };
}
