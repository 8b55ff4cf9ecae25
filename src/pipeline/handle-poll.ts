/**
 * One poll job: fetch and parse the feed, keep the items not seen before (or changed), queue
 * them for matching, or first for reading their page (fullText). A failing feed is logged with its id and URL and left to its next tick.
 * A feed a WebSub hub pushes is polled less often, and each parsed poll tells WebSub what hub the
 * feed advertises and whether it found items the hub did not push.
 */
import crypto from 'node:crypto';
import type { FeedConfig, FullTextConfig } from '../config/schema.js';
import type { FeedItem } from '../contracts/item.js';
import { toJobItem, type PollJob } from '../contracts/jobs.js';
import type { PollOutcome } from '../fetch/index.js';
import { contentHash } from '../dedupe/content-hash.js';
import { slices } from '../lib/slices.js';
import { notePoll, pollHeld } from '../websub/poll-rate.js';
import type { PipelineDeps } from './deps.js';

export interface PollSummary {
  outcome: string;
  items: number;
  fresh: number;
}

export async function handlePoll(job: PollJob, deps: PipelineDeps): Promise<PollSummary> {
  const { config } = deps.current();
  const feed = config.feeds.find((f) => f.id === job.feedId);
  if (!feed) return { outcome: 'removed', items: 0, fresh: 0 };
  if (await pollHeld(deps, feed)) {
    deps.metrics.polls.inc({ outcome: 'skipped-pushed' });
    return { outcome: 'skipped', items: 0, fresh: 0 };
  }
  const outcome = await deps.poller.poll(feed);
  recordPollMetrics(deps, outcome);
  if (outcome.status === 'failed') {
    deps.metrics.fetchErrors.inc({ feed: feed.id, code: outcome.error.code });
    const log = { feed: feed.id, url: feed.url, err: outcome.error.toJSON() };
    deps.logger.warn(log, 'feed poll failed; retried on its next tick');
    return { outcome: 'failed', items: 0, fresh: 0 };
  }
  if (outcome.status !== 'parsed') return { outcome: outcome.status, items: 0, fresh: 0 };

  const { fresh } = await queueItems(feed, outcome.feed.items, deps);
  await outcome.commit();
  await notePoll(deps, feed, outcome.feed, fresh);
  deps.logger.info({ feed: feed.id, items: outcome.feed.items.length, fresh }, 'feed polled');
  return { outcome: 'parsed', items: outcome.feed.items.length, fresh };
}

/**
 * A feed's items, fetched by a poll or pushed by a hub: the ones not seen before (or changed) are
 * queued for matching, or first for reading their page (fullText), then all are marked seen.
 */
export async function queueItems(
  feed: FeedConfig,
  items: FeedItem[],
  deps: Pick<PipelineDeps, 'current' | 'clock' | 'seen' | 'queues' | 'metrics'>,
): Promise<{ fresh: number }> {
  const { config } = deps.current();
  deps.metrics.itemsFetched.inc({ feed: feed.id }, items.length);
  const now = deps.clock();
  const hashes = items.map(contentHash);
  const sightings = await deps.seen.peek(
    feed.id,
    items.map((i) => i.key),
    hashes,
  );
  const fresh = items.flatMap((item, i) => {
    const sighting = sightings[i];
    return sighting === 'seen' ? [] : [{ item, sighting, hash: hashes[i] }];
  });
  const poll = { feedId: feed.id, feedUrl: feed.url, fetchedAt: now };
  const toRead = fresh.filter(({ item }) => needsPage(item, feed, config.fullText));
  const direct = fresh.filter((f) => !toRead.includes(f));
  const jobs = slices(direct, ITEMS_PER_JOB).map((slice) => ({
    name: 'items',
    data: { ...poll, items: slice.map(({ item, sighting }) => ({ item: toJobItem(item), sighting })) },
    opts: {
      jobId: itemsJobId(
        feed.id,
        slice.map((s) => s.hash),
      ),
    },
  }));
  const reads = toRead.map(({ item, sighting, hash }) => ({
    name: 'article',
    data: { ...poll, item: toJobItem(item), sighting },
    opts: { jobId: `article.${feed.id}.${hash}` },
  }));
  // Queue first, then remember the items, then (for a poll) the feed's validators: a crash
  // anywhere in between refetches and re-queues on the next poll, and the deterministic job ids
  // make that a no-op, so nothing is lost and nothing doubles.
  if (jobs.length > 0) await deps.queues.items.addBulk(jobs);
  if (reads.length > 0) await deps.queues.article.addBulk(reads);
  await deps.seen.mark(
    feed.id,
    items.map((i) => i.key),
    hashes,
    now,
  );
  deps.metrics.itemsNew.inc({ feed: feed.id }, fresh.length);
  deps.metrics.duplicates.inc({ kind: 'seen' }, items.length - fresh.length);
  return { fresh: fresh.length };
}

/** Items per match job: enough to make queue overhead small, few enough to retry cheaply. */
export const ITEMS_PER_JOB = 25;

/**
 * Whether an item's page is read before it is matched: never, always, or (auto) when the feed gives
 * less text than `minChars` (a headline and a teaser). An item without a link has no page.
 */
export function needsPage(item: FeedItem, feed: FeedConfig, fullText: FullTextConfig): boolean {
  const mode = feed.fullText ?? fullText.mode;
  if (mode === 'never' || !item.url) return false;
  return mode === 'always' || Math.max(item.summary.length, item.content.length) < fullText.minChars;
}

/** The same items of the same feed give the same job id, so a re-queue after a crash is a no-op. */
export function itemsJobId(feedId: string, contentHashes: string[]): string {
  const digest = crypto.createHash('sha256').update(contentHashes.join(',')).digest('base64url');
  return `items.${feedId}.${digest.slice(0, 22)}`;
}

function recordPollMetrics({ metrics }: PipelineDeps, outcome: PollOutcome): void {
  // "skipped-backoff" counts polls held back by a failing feed's (or a host's Retry-After) backoff.
  metrics.polls.inc({ outcome: outcome.status === 'skipped' ? `skipped-${outcome.reason}` : outcome.status });
  if (outcome.bytes !== undefined) metrics.fetchBytes.inc(outcome.bytes);
  if (outcome.durationMs !== undefined) metrics.fetchDuration.observe(outcome.durationMs / 1000);
}
