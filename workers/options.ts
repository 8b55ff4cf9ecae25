/** Worker options shared by the BullMQ entrypoints. */
import type { WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullPrefix } from '../src/adapters/queues.js';

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
