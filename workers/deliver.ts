/**
 * BullMQ entrypoint of the "deliver" queue. Maps a delivery result to BullMQ: a retryable failure
 * is rethrown (the backoff strategy below picks the delay from the webhook's schedule and any
 * Retry-After), a final one becomes UnrecoverableError (the job lands in the failed set, where
 * `mediawatch alerts replay` finds it), and an open circuit delays the job without using a try.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type DeliverJob } from '../src/contracts/jobs.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { handleDelivery, retryDelay } from '../src/pipeline/handle-delivery.js';
import { timed, workerOptions } from './options.js';

export function startDeliverWorker(deps: PipelineDeps, connection: Redis): Worker<DeliverJob> {
  const options = workerOptions(connection, deps.current().config.redisPrefix, 16);
  return new Worker<DeliverJob>(
    QUEUES.deliver,
    timed(deps.metrics, QUEUES.deliver, async (job: Job<DeliverJob>, token?: string) => {
      const result = await handleDelivery(job.id!, job.data, deps, job.attemptsMade);
      if (result.kind === 'delivered') return 'delivered';
      if (result.kind === 'wait') {
        await job.moveToDelayed(result.until, token);
        throw new DelayedError();
      }
      if (result.kind === 'give-up') throw new UnrecoverableError(result.error.message);
      throw result.error;
    }),
    {
      ...options,
      settings: {
        backoffStrategy: (attemptsMade, _type, err, job) =>
          retryDelay(
            job?.data as DeliverJob | undefined,
            attemptsMade,
            err,
            deps.current().config.webhooks,
            deps.random(),
          ) ?? -1,
      },
    },
  );
}
