/** BullMQ entrypoint of the "article" queue: one job reads one item's page, then queues the item. */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type ArticleJob } from '../src/contracts/jobs.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { handleArticle } from '../src/pipeline/handle-article.js';
import { timed, workerOptions } from './options.js';

/**
 * Jobs wait on hosts, not the CPU: many at once, so items of a slow or crawl-delayed host, each
 * waiting for its host's turn, leave slots for the other hosts' pages.
 */
const CONCURRENCY = 64;

export function startArticleWorker(deps: PipelineDeps, connection: Redis): Worker<ArticleJob> {
  return new Worker<ArticleJob>(
    QUEUES.article,
    timed(deps.metrics, QUEUES.article, (job: Job<ArticleJob>) => handleArticle(job.data, deps)),
    workerOptions(connection, deps.current().config.redisPrefix, CONCURRENCY),
  );
}
