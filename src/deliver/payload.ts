/**
 * Builds the public webhook payload (src/contracts/webhook.ts) from what the pipeline knows,
 * and renders it for chat incoming-webhooks (Slack, Discord) when a webhook asks for that format.
 */
import type { FeedItem } from '../contracts/item.js';
import type { WatchMatch } from '../contracts/match.js';
import type { AlertPayload, WebhookPayload } from '../contracts/webhook.js';
import { escapeSlack } from '../lib/escape-slack.js';
import { isSignal, renderSignal } from '../signals/render.js';

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
export function renderBody(payload: WebhookPayload, format: WebhookFormat): string {
  if (format === 'standard') return JSON.stringify(payload);
  if (isSignal(payload)) return renderSignal(payload, format);
  const alerts = payload.type === 'mention.digest' ? payload.data.alerts : [payload.data];
  const lines = alerts.map(chatLine);
  const heading = payload.type === 'mention.digest'
    ? `${alerts.length} mention(s) from ${payload.data.window.start} to ${payload.data.window.end}`
    : `${payload.data.update ? 'Updated story' : 'New mention'}: ${payload.data.watches.map((w) => w.label).join(', ')}`;
  if (format === 'slack') {
    return JSON.stringify({
      text: `${heading}\n${lines.map((l) => l.text).join('\n')}`.slice(0, 3000),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(heading)}*` } },
        ...lines.slice(0, 20).map((l) => ({ type: 'section', text: { type: 'mrkdwn', text: l.slack.slice(0, 2900) } })),
      ],
    });
  }
  return JSON.stringify({
    content: heading.slice(0, 2000),
    embeds: lines.slice(0, 10).map((l) => l.discord),
    allowed_mentions: { parse: [] },
  });
}

function chatLine(alert: AlertPayload['data']) {
  const { item, watches } = alert;
  const labels = watches.map((w) => w.label).join(', ');
  const snippet = watches[0]?.matches[0]?.snippet ?? '';
  const link = item.url ? `<${item.url}|${escapeSlack(item.title)}>` : escapeSlack(item.title);
  return {
    text: `${labels}: ${item.title}${item.url ? ` ${item.url}` : ''}`,
    slack: `${link}\n_${escapeSlack(labels)}_${snippet ? ` — ${escapeSlack(snippet)}` : ''}`,
    discord: {
      title: item.title.slice(0, 256),
      ...(item.url ? { url: item.url } : {}),
      description: `${labels}${snippet ? `\n${snippet}` : ''}`.slice(0, 4096),
      footer: { text: `feed ${item.feed.id}` },
    },
  };
}
