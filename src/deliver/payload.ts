/**
 * Builds the public webhook payload (src/contracts/webhook.ts) from what the pipeline knows; the
 * channels (src/deliver/channels/) render it for each format.
 */
import type { FeedItem } from '../contracts/item.js';
import type { WatchMatch } from '../contracts/match.js';
import type { AlertPayload } from '../contracts/webhook.js';

export interface AlertInput {
  alertId: string;
  storyId: string;
  feed: { id: string; url: string };
  item: FeedItem;
  watches: WatchMatch[];
  update: boolean;
  now: number;
}

export function buildPayload(input: AlertInput): AlertPayload {
  const { item, feed, watches } = input;
  return {
    type: 'mention.detected',
    timestamp: new Date(input.now).toISOString(),
    data: {
      alertId: input.alertId,
      storyId: input.storyId,
      ...(input.update ? { update: true as const } : {}),
      item: {
        id: item.key,
        title: item.title,
        url: item.url ?? null,
        publishedAt: item.publishedAt ?? null,
        lang: item.lang ?? null,
        feed: { id: feed.id, url: feed.url },
        ...(item.outlet ? { outlet: item.outlet } : {}),
        ...(item.keywords?.length ? { keywords: item.keywords } : {}),
      },
      watches: watches.map((w) => ({ id: w.id, label: w.label, matches: w.matches })),
    },
  };
}

/**
 * A sample alert, plainly marked as one: what a webhook's test-send delivers, and what tests use
 * when they need a payload with a given id.
 */
export function samplePayload(alertId: string, now = 0): AlertPayload {
  return buildPayload({
    alertId,
    storyId: 'sample',
    feed: { id: 'sample', url: 'https://example.org/mediawatch-sample.xml' },
    item: {
      key: alertId,
      title: 'Sample alert from mediawatch: this webhook receives alerts',
      summary: '',
      content: '',
    },
    watches: [],
    update: false,
    now,
  });
}
