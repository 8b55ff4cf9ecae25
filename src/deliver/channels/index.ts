/**
 * One delivery try of a payload to a webhook in its format: a signed webhook, a chat service's
 * API, or an e-mail. Every channel returns the same SendOutcome, so retries, the circuit breaker,
 * the failed set, replay and digests treat them alike.
 */
import type { WebhookConfig } from '../../config/schema.js';
import type { WebhookPayload } from '../../contracts/webhook.js';
import type { HttpClient } from '../../net/http-client.js';
import { redactUrl } from '../redact.js';
import { sendRequest, type ChannelRequest, type SendOutcome } from '../send.js';
import { sendEmail, type Mailer } from './email.js';
import { matrixRequest } from './matrix.js';
import { ntfyRequest } from './ntfy.js';
import { teamsRequest } from './teams.js';
import { telegramRequest } from './telegram.js';
import { webhookRequest } from './webhook.js';

export interface ChannelDeps {
  http: HttpClient;
  mailer: Mailer;
}

/** `id`: the alert or digest id, the same on every try (webhook-id, Matrix txnId, Message-ID). */
export function sendPayload(
  deps: ChannelDeps,
  hook: WebhookConfig,
  id: string,
  payload: WebhookPayload,
  now: () => number,
): Promise<SendOutcome> {
  const overHttp = (req: ChannelRequest) =>
    sendRequest(
      deps.http,
      { id: hook.id, url: redactUrl(req.url, req.secrets), timeoutMs: hook.timeout },
      req,
      now,
    );
  switch (hook.format) {
    case 'email':
      return sendEmail(deps.mailer, { ...hook, email: hook.email! }, id, payload, now);
    case 'telegram':
      return overHttp(telegramRequest({ url: hook.url, telegram: hook.telegram! }, payload));
    case 'ntfy':
      return overHttp(ntfyRequest({ url: hook.url, ntfy: hook.ntfy! }, payload));
    case 'matrix':
      return overHttp(matrixRequest({ url: hook.url, matrix: hook.matrix! }, id, payload));
    case 'teams':
      return overHttp(teamsRequest(hook, payload));
    default:
      return overHttp(
        webhookRequest({ ...hook, format: hook.format }, id, payload, Math.floor(now() / 1000)),
      );
  }
}
