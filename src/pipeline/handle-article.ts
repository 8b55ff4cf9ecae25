/**
 * One item whose page is to be read: read it (or give up on it, for a reason that is counted and
 * kept in the feed's health), then queue the item for matching either way. The items job's id is
 * derived from the item's feed text, so a retried article job queues its item once.
 */
import { withArticle } from '../article/index.js';
import { fromJobItem, toJobItem, type ArticleJob } from '../contracts/jobs.js';
import { contentHash } from '../dedupe/content-hash.js';
import { itemsJobId } from './handle-poll.js';
import type { PipelineDeps } from './deps.js';

export async function handleArticle(job: ArticleJob, deps: PipelineDeps): Promise<{ outcome: string }> {
  const item = fromJobItem(job.item);
  const read = await deps.articles.reader.read(item.url!);
  const outcome = read.ok ? 'read' : read.error.reason;
  deps.metrics.articles.inc({ outcome });
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
