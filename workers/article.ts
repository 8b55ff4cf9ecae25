/** BullMQ entrypoint of the "article" queue: one job reads one item's page, then queues the item. */
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type ArticleJob } from '../src/contracts/jobs.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { handleArticle } from '../src/pipeline/handle-article.js';
import { timed, workerOptions } from './options.js';

/**
 * Jobs wait on hosts, not the CPU: many at once. A job whose host already has a queue is delayed
 * in Redis rather than held here, so a slow or crawl-delayed host never fills the slots.
 */
const CONCURRENCY = 64;

export function startArticleWorker(deps: PipelineDeps, connection: Redis): Worker<ArticleJob> {
  return new Worker<ArticleJob>(
    QUEUES.article,
    timed(deps.metrics, QUEUES.article, async (job: Job<ArticleJob>, token?: string) => {
      const result = await handleArticle(job.data, deps);
      if (result.retryInMs === undefined) return result;
      await job.moveToDelayed(Date.now() + result.retryInMs, token);
      throw new DelayedError();
    }),
    workerOptions(connection, deps.current().config.redisPrefix, CONCURRENCY),
  );
}
