/** Worker options shared by the BullMQ entrypoints. */
import type { WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullPrefix } from '../src/adapters/queues.js';

export function workerOptions(connection: Redis, redisPrefix: string, concurrency: number): WorkerOptions {
  return {
    connection,
    prefix: bullPrefix(redisPrefix),
    concurrency,
    // A worker that dies mid-job leaves it stalled; another picks it up after the lock expires.
    lockDuration: 30_000,
    maxStalledCount: 3,
    autorun: true,
  };
}
