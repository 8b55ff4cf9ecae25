/** ntfy JSON publishing: a POST to the server's root with the topic in the body, optionally a Bearer token. */
import type { WebhookPayload } from '../../contracts/webhook.js';
import type { ChannelRequest } from '../send.js';
import { entryText, fit, messageOf, moreLine } from './message.js';

export interface NtfyHook {
  url: string;
  ntfy: { topic: string; token: string; priority: number; tags: string[] };
}

/** ntfy turns longer messages into attachments; kept under its 4,096-byte limit (characters ≤ bytes). */
const MAX_MESSAGE = 3_800;

export function ntfyRequest(hook: NtfyHook, payload: WebhookPayload): ChannelRequest {
  const { topic, token, priority, tags } = hook.ntfy;
  const message = messageOf(payload);
  const click = message.digest ? undefined : message.entries[0]?.url;
  const body = {
    topic,
    title: message.heading.slice(0, 250),
    message: fit('', message.entries.map(entryText), '\n\n', MAX_MESSAGE, moreLine).trimStart(),
    ...(click ? { click } : {}),
    tags,
    priority,
  };
  return {
    method: 'POST',
    url: hook.url,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    secrets: token ? [token] : [],
  };
}
