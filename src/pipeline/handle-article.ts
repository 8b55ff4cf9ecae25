/**
 * One item whose page is to be read: read it (or give up on it, for a reason that is counted and
 * kept in the feed's health), then queue the item for matching either way. The items job's id is
 * derived from the item's feed text, so a retried article job queues its item once. When the
 * page's host is busy the job is put off (`retryInMs`) instead of waiting in a worker slot.
 */
import { withArticle } from '../article/index.js';
import { fromJobItem, toJobItem, type ArticleJob } from '../contracts/jobs.js';
import { contentHash } from '../dedupe/content-hash.js';
import { itemsJobId } from './handle-poll.js';
import type { PipelineDeps } from './deps.js';

export interface ArticleOutcome {
  outcome: string;
  /** Set when the job is to come back after this long, its page not read yet. */
  retryInMs?: number;
}

export async function handleArticle(job: ArticleJob, deps: PipelineDeps): Promise<ArticleOutcome> {
  const item = fromJobItem(job.item);
  const read = await deps.articles.reader.read(item.url!);
  const outcome = read.ok ? 'read' : read.error.reason;
  deps.metrics.articles.inc({ outcome });
  if (!read.ok && read.error.retryInMs !== undefined) return { outcome, retryInMs: read.error.retryInMs };
  if (!read.ok) {
    const log = {
      feed: job.feedId,
      item: item.key,
      url: item.url,
      reason: outcome,
      message: read.error.message,
    };
    deps.logger.info(log, 'article page not read; the item is matched on its feed text');
    await deps.articles.noteFailure(job.feedId, read.error, deps.clock());
  }
  const { feedId, feedUrl, fetchedAt, sighting } = job;
  const forMatch = read.ok ? withArticle(item, read.value) : item;
  await deps.queues.items.add(
    'items',
    { feedId, feedUrl, fetchedAt, items: [{ item: toJobItem(forMatch), sighting }] },
    { jobId: itemsJobId(feedId, [contentHash(item)]) },
  );
  return { outcome };
}
