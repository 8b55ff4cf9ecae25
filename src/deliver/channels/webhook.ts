/** Signed webhooks (Standard Webhooks): the contract JSON, or Slack's or Discord's body. */
import type { WebhookPayload } from '../../contracts/webhook.js';
import type { ChannelRequest } from '../send.js';
import { signedHeaders } from '../sign.js';
import { discordBody, slackBody } from './chat.js';

export interface SignedHook {
  url: string;
  format: 'standard' | 'slack' | 'discord';
  secret: string | readonly string[];
}

const BODIES = { standard: (p: WebhookPayload) => JSON.stringify(p), slack: slackBody, discord: discordBody };

/** `id` is the webhook-id (the alert or digest id, the same on every try); a fresh signature each try. */
export function webhookRequest(
  hook: SignedHook,
  id: string,
  payload: WebhookPayload,
  nowSec: number,
): ChannelRequest {
  const body = BODIES[hook.format](payload);
  const secrets = typeof hook.secret === 'string' ? [hook.secret] : hook.secret;
  const headers = { 'content-type': 'application/json', ...signedHeaders(secrets, id, nowSec, body) };
  return { method: 'POST', url: hook.url, headers, body, secrets: [] };
}
