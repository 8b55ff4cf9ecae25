/**
 * Queue names and job payloads: each job's payload is typed from its name in one union, so a
 * worker cannot be wired to the wrong queue without the compiler noticing.
 */
import { withoutRepeatedSummary, type FeedItem, type StoredTexts } from './item.js';
import type { SignalPayload } from './signals.js';
import type { AlertPayload } from './webhook.js';

export const QUEUES = {
  poll: 'poll',
  article: 'article',
  items: 'items',
  deliver: 'deliver',
  signals: 'signals',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** One poll of one feed for one scheduler tick. */
export interface PollJob {
  feedId: string;
  /** The tick this poll belongs to (ISO minute or second); part of the job id. */
  tick: string;
}

/**
 * New (or changed) items found by one poll, to be deduped across feeds and matched. A poll's
 * items travel in slices of a few dozen: one job per item would spend more on queue
 * bookkeeping than on the work.
 */
export interface ItemsJob {
  feedId: string;
  feedUrl: string;
  /** When the poll fetched them (ms since epoch), for fetch→alert latency. */
  fetchedAt: number;
  items: {
    item: JobItem;
    /** 'new' for a first sighting, 'changed' when the same item came back with other text. */
    sighting: 'new' | 'changed';
  }[];
}

/**
 * One new or changed item whose page is to be read before it is matched: one job per item, so a
 * slow or failing page holds up only its own item.
 */
export interface ArticleJob {
  feedId: string;
  feedUrl: string;
  fetchedAt: number;
  item: JobItem;
  sighting: 'new' | 'changed';
}

/**
 * An item as a job carries it: a summary that only repeats the content is left out, which nearly
 * halves such a job in Redis and on the wire.
 */
export type JobItem = StoredTexts<FeedItem>;

export const toJobItem: (item: FeedItem) => JobItem = withoutRepeatedSummary;

export function fromJobItem(item: JobItem): FeedItem {
  return { ...item, summary: item.summary ?? item.content };
}

/** One item of an ItemsJob, as a FeedItem again, with the context of its poll. */
export type ItemJob = Omit<ItemsJob, 'items'> & {
  item: FeedItem;
  sighting: ItemsJob['items'][number]['sighting'];
};

/**
 * Deliveries to one webhook: a single alert (the job id is the alert id, so enqueuing twice is a
 * no-op); the alerts one items job raised for the webhook, each its own POST, in one job (its id
 * derived from the alert ids) so a burst costs one trip through the queue, not one per alert; or a
 * digest window whose alerts are read from Redis when it is sent.
 */
export type DeliverJob =
  | {
      kind: 'alert';
      webhookId: string;
      payload: AlertPayload;
      /** When the item was fetched (ms since epoch), for fetch→alert latency. */
      fetchedAt: number;
      /** Tries already made in an 'alerts' job before this alert was handed to its own job. */
      triesBefore?: number;
      /**
       * Why its try in an 'alerts' job failed for good (refused, or no retries left): the job lands
       * in the failed set with this reason, without another request. A replay clears it.
       */
      failedFor?: string;
    }
  | {
      kind: 'alerts';
      webhookId: string;
      payloads: AlertPayload[];
      fetchedAt: number;
    }
  | {
      /** A story pickup or mention spike; the job id is the signal id. */
      kind: 'signal';
      webhookId: string;
      payload: SignalPayload;
    }
  | {
      kind: 'digest';
      webhookId: string;
      /** The Redis hash that collects the window's alerts. */
      key: string;
      window: { start: number; end: number };
    };

/** The alerts a delivery job carries (a digest's are in its window, in Redis). */
export function alertIdsOfJob(job: DeliverJob): string[] {
  if (job.kind === 'alert') return [job.payload.data.alertId];
  if (job.kind === 'alerts') return job.payloads.map((p) => p.data.alertId);
  return [];
}

/** The evaluation of one closed hour for mention spikes; the job id names the hour. */
export interface SpikeHourJob {
  /** Hours since the epoch. */
  hour: number;
}

export interface JobPayloads {
  poll: PollJob;
  article: ArticleJob;
  items: ItemsJob;
  deliver: DeliverJob;
  signals: SpikeHourJob;
}
