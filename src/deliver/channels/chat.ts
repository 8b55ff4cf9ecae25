/** Slack and Discord incoming-webhook bodies: title, link, watches and snippet of each alert. */
import type { WebhookPayload } from '../../contracts/webhook.js';
import { escapeSlack } from '../../lib/escape-slack.js';
import { isSignal, renderSignal } from '../../signals/render.js';
import { messageOf, type Entry } from './message.js';

export function slackBody(payload: WebhookPayload): string {
  if (isSignal(payload)) return renderSignal(payload, 'slack');
  const { heading, entries } = messageOf(payload);
  return JSON.stringify({
    text: `${heading}\n${entries.map(chatText).join('\n')}`.slice(0, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(heading)}*` } },
      ...entries
        .slice(0, 20)
        .map((e) => ({ type: 'section', text: { type: 'mrkdwn', text: slackLine(e).slice(0, 2900) } })),
    ],
  });
}

export function discordBody(payload: WebhookPayload): string {
  if (isSignal(payload)) return renderSignal(payload, 'discord');
  const { heading, entries } = messageOf(payload);
  return JSON.stringify({
    content: heading.slice(0, 2000),
    embeds: entries.slice(0, 10).map(discordEmbed),
    allowed_mentions: { parse: [] },
  });
}

function chatText(e: Entry): string {
  return `${e.labels}: ${e.title}${e.url ? ` ${e.url}` : ''}`;
}

function slackLine(e: Entry): string {
  const link = e.url ? `<${e.url}|${escapeSlack(e.title)}>` : escapeSlack(e.title);
  return `${link}\n_${escapeSlack(e.labels)}_${e.snippet ? ` — ${escapeSlack(e.snippet)}` : ''}`;
}

function discordEmbed(e: Entry) {
  return {
    title: e.title.slice(0, 256),
    ...(e.url ? { url: e.url } : {}),
    description: `${e.labels}${e.snippet ? `\n${e.snippet}` : ''}`.slice(0, 4096),
    footer: { text: `feed ${e.feed}` },
  };
}
