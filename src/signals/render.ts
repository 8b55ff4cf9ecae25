/** Signals as chat messages (Slack, Discord): one heading and the story's outlets or the counts. */
import type { SignalPayload } from '../contracts/signals.js';
import type { WebhookPayload } from '../contracts/webhook.js';
import { escapeSlack } from '../lib/escape-slack.js';

export function isSignal(payload: WebhookPayload): payload is SignalPayload {
  return payload.type === 'story.pickup' || payload.type === 'mention.spike';
}

export function renderSignal(payload: SignalPayload, format: 'slack' | 'discord'): string {
  const { heading, lines } = describeSignal(payload);
  if (format === 'slack') {
    const text = `${heading}\n${lines.join('\n')}`;
    return JSON.stringify({
      text: text.slice(0, 3000),
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeSlack(text).slice(0, 2900) } }],
    });
  }
  return JSON.stringify({
    content: heading.slice(0, 2000),
    embeds: [{ description: lines.join('\n').slice(0, 4096) }],
    allowed_mentions: { parse: [] },
  });
}

export function describeSignal(payload: SignalPayload): { heading: string; lines: string[] } {
  if (payload.type === 'story.pickup') {
    const { data } = payload;
    const watches = data.watches.map((w) => w.label).join(', ');
    const minutes = Math.round(data.withinSeconds / 60);
    return {
      heading: `Story picked up by ${data.outlets.length} outlets in ${minutes} min (${watches}): ${data.title}`,
      lines: data.outlets.map((o) => `${o.at} ${o.outlet}${o.url ? ` ${o.url}` : ''}`),
    };
  }
  const { data } = payload;
  const what = data.phase === 'start' ? 'Mention spike' : 'Mention spike over';
  return {
    heading: `${what}: ${data.watch.label}, ${data.count} mentions from ${data.hour.start} to ${data.hour.end}`,
    lines: [
      `usual for this hour: ${data.baseline.median} (over ${data.baseline.weeks} weeks); a spike from ${data.threshold}`,
    ],
  };
}
