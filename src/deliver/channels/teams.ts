/**
 * Microsoft Teams through a Workflows webhook: a message with one Adaptive Card (1.4): the heading,
 * each alert's linked title, watches and snippet, and a button to the article of a single alert.
 * The Workflows URL carries its signature (`sig`) in the query, a secret.
 */
import type { WebhookPayload } from '../../contracts/webhook.js';
import type { ChannelRequest } from '../send.js';
import { messageOf, type Entry } from './message.js';

export interface TeamsHook {
  url: string;
}

/** Cards stay well under Teams' 28 KB message limit. */
const MAX_ENTRIES = 20;

export function teamsRequest(hook: TeamsHook, payload: WebhookPayload): ChannelRequest {
  const message = messageOf(payload);
  const shown = message.entries.slice(0, MAX_ENTRIES);
  const left = message.entries.length - shown.length;
  const single = message.digest ? null : message.entries[0]?.url;
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    msteams: { width: 'Full' },
    body: [
      { type: 'TextBlock', text: message.heading, weight: 'Bolder', size: 'Medium', wrap: true },
      ...shown.flatMap(entryBlocks),
      ...(left > 0 ? [{ type: 'TextBlock', text: `… and ${left} more`, isSubtle: true, wrap: true }] : []),
    ],
    ...(single ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the article', url: single }] } : {}),
  };
  const body = {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
  const sig = URL.canParse(hook.url) ? new URL(hook.url).searchParams.get('sig') : null;
  return {
    method: 'POST',
    url: hook.url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    secrets: sig ? [sig] : [],
  };
}

function entryBlocks(e: Entry) {
  return [
    {
      type: 'TextBlock',
      text: e.url ? `[${linkText(e.title)}](${e.url})` : e.title,
      wrap: true,
      separator: true,
    },
    {
      type: 'TextBlock',
      text: `${e.labels}${e.snippet ? ` — ${e.snippet}` : ''}`,
      isSubtle: true,
      wrap: true,
      spacing: 'Small',
    },
  ];
}

/** A title inside a markdown link's brackets: brackets of its own would end the link early. */
function linkText(text: string): string {
  return text.replace(/\[/g, '(').replace(/\]/g, ')');
}
