/**
 * What every human-read channel says about a payload: a heading and one entry per alert, and the
 * plain-text and HTML forms of it that Telegram, ntfy, Matrix and e-mail build on.
 */
import type { AlertPayload, WebhookPayload } from '../../contracts/webhook.js';
import { describeSignal, isSignal } from '../../signals/render.js';

export interface Entry {
  title: string;
  url: string | null;
  /** The watches' labels, comma-separated. */
  labels: string;
  /** The first match's sentence, the matched words in « », or ''. */
  snippet: string;
  feed: string;
}

export interface Message {
  heading: string;
  entries: Entry[];
  /** A digest window (several alerts), not a single alert. */
  digest: boolean;
}

export function messageOf(payload: WebhookPayload): Message {
  if (isSignal(payload)) {
    // A signal has no items of its own: each line (an outlet, the counts) is an entry's title.
    const { heading, lines } = describeSignal(payload);
    return {
      heading,
      entries: lines.map((title) => ({ title, url: null, labels: '', snippet: '', feed: '' })),
      digest: false,
    };
  }
  if (payload.type === 'mention.digest') {
    const { alerts, window } = payload.data;
    const heading = `${alerts.length} mention(s) from ${window.start} to ${window.end}`;
    return { heading, entries: alerts.map(entryOf), digest: true };
  }
  const { data } = payload;
  const heading = `${data.update ? 'Updated story' : 'New mention'}: ${data.watches.map((w) => w.label).join(', ')}`;
  return { heading, entries: [entryOf(data)], digest: false };
}

function entryOf(alert: AlertPayload['data']): Entry {
  const { item, watches } = alert;
  return {
    title: item.title,
    url: item.url,
    labels: watches.map((w) => w.label).join(', '),
    snippet: watches[0]?.matches[0]?.snippet ?? '',
    feed: item.feed.id,
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The heading and as many blocks as fit in `max` characters, joined by `separator`; the blocks
 * left out are counted in a last line, so a long digest is cut, never refused by the service.
 */
export function fit(
  heading: string,
  blocks: string[],
  separator: string,
  max: number,
  more: (n: number) => string,
): string {
  let text = heading;
  for (let i = 0; i < blocks.length; i++) {
    const rest = blocks.length - i - 1;
    const next = `${text}${separator}${blocks[i]}`;
    const tail = rest > 0 ? `${separator}${more(rest)}` : '';
    if (next.length + tail.length > max) return `${text}${separator}${more(blocks.length - i)}`.slice(0, max);
    text = next;
  }
  return text;
}

/** An entry as plain text: title, link, watches and snippet on lines of their own. */
export function entryText(e: Entry): string {
  return [e.title, e.url, `${e.labels}${e.snippet ? ` — ${e.snippet}` : ''}`].filter(Boolean).join('\n');
}

/** An entry as HTML for clients that render a subset of it (Matrix, e-mail). */
export function entryHtml(e: Entry): string {
  const title = e.url ? `<a href="${escapeHtml(e.url)}">${escapeHtml(e.title)}</a>` : escapeHtml(e.title);
  const snippet = e.snippet ? ` — ${escapeHtml(e.snippet)}` : '';
  return `<b>${title}</b><br><i>${escapeHtml(e.labels)}</i>${snippet}`;
}

export const moreLine = (n: number): string => `… and ${n} more`;
