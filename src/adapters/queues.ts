/**
 * The BullMQ queues with their job options. The prefix is wrapped in a hash tag so every
 * key of a queue lands in one slot, as BullMQ needs on Redis Cluster.
 */
import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type JobPayloads, type QueueName } from '../contracts/jobs.js';

const DAY_S = 86_400;

export const JOB_OPTIONS: Record<QueueName, DefaultJobOptions> = {
  // A failed poll is retried by the next tick, with the feed's own backoff.
  poll: {
    attempts: 1,
    removeOnComplete: { age: 3_600, count: 2_000 },
    removeOnFail: { age: DAY_S, count: 2_000 },
  },
  // An article job holds one item; a failed page read does not fail the job (the item goes on with
  // its feed text), so retries are for Redis trouble only.
  article: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 2_000 },
    removeOnFail: { age: 7 * DAY_S },
  },
  // A completed items job holds its items' text (up to ~17 KB): 2,000 of them bound that memory at
  // high rates. One re-queued after it was removed is matched again, but raises the same alert ids,
  // so the same deliver job ids, which the kept deliver jobs turn into no new delivery.
  items: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 2_000 },
    removeOnFail: { age: 7 * DAY_S },
  },
  // Completed alerts are kept a week: their job ids are what makes a re-enqueue a no-op.
  deliver: {
    backoff: { type: 'webhook' },
    removeOnComplete: { age: 7 * DAY_S, count: 100_000 },
    removeOnFail: { age: 30 * DAY_S },
  },
  // One job per hour; kept a day so several schedulers enqueue each hour's evaluation once.
  signals: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: DAY_S },
    removeOnFail: { age: 7 * DAY_S },
  },
};

export function bullPrefix(redisPrefix: string): string {
  return `{${redisPrefix}}`;
}

export type TypedQueue<N extends QueueName> = Queue<JobPayloads[N], unknown, string>;

export interface Queues {
  poll: TypedQueue<'poll'>;
  article: TypedQueue<'article'>;
  items: TypedQueue<'items'>;
  deliver: TypedQueue<'deliver'>;
  signals: TypedQueue<'signals'>;
  close(): Promise<void>;
}

/**
 * Events BullMQ keeps a queue for QueueEvents listeners (10,000 by default, some 1 MB a queue):
 * mediawatch listens to none, so a short tail stays for someone debugging with redis-cli.
 */
export const EVENTS_KEPT = 1_000;

export function openQueues(connection: Redis, redisPrefix: string): Queues {
  const prefix = bullPrefix(redisPrefix);
  const open = <N extends QueueName>(name: N): TypedQueue<N> =>
    new Queue<JobPayloads[N], unknown, string>(QUEUES[name], {
      connection,
      prefix,
      defaultJobOptions: JOB_OPTIONS[name],
      streams: { events: { maxLen: EVENTS_KEPT } },
    });
  const queues = {
    poll: open('poll'),
    article: open('article'),
    items: open('items'),
    deliver: open('deliver'),
    signals: open('signals'),
  };
  return {
    ...queues,
    close: async () => {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}
