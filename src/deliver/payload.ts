/**
 * Builds the public webhook payload (src/contracts/webhook.ts) from what the pipeline knows,
 * and renders it for chat incoming-webhooks (Slack, Discord) when a webhook asks for that format.
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
        feed: { id: feed.id, url: feed.url },
      },
      watches: watches.map((w) => ({ id: w.id, label: w.label, matches: w.matches })),
    },
  };
}

export type WebhookFormat = 'standard' | 'slack' | 'discord';

/** The request body for a webhook's format. Chat formats carry title, link, watches and a snippet. */
export function renderBody(payload: AlertPayload, format: WebhookFormat): string {
  if (format === 'standard') return JSON.stringify(payload);
  const { item, watches, update } = payload.data;
  const labels = watches.map((w) => w.label).join(', ');
  const snippet = watches[0]?.matches[0]?.snippet ?? '';
  const heading = `${update ? 'Updated story' : 'New mention'}: ${labels}`;
  if (format === 'slack') {
    const link = item.url ? `<${item.url}|${escapeSlack(item.title)}>` : escapeSlack(item.title);
    return JSON.stringify({
      text: `${heading} — ${item.title}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(heading)}*\n${link}` } },
        ...(snippet ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(snippet) }] }] : []),
      ],
    });
  }
  return JSON.stringify({
    content: heading,
    embeds: [{ title: item.title.slice(0, 256), ...(item.url ? { url: item.url } : {}), description: snippet.slice(0, 4096), footer: { text: `feed ${item.feed.id}` } }],
    allowed_mentions: { parse: [] },
  });
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
