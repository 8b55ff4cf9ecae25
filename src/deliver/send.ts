/**
 * One delivery attempt of one alert to one webhook, and what the answer means: delivered,
 * retry later (network errors, timeouts, 408, 429, 5xx, honouring Retry-After), give up (other
 * 4xx, redirects, which are not followed), or endpoint gone (410: disable it).
 */
import { MediawatchError } from '../contracts/errors.js';
import type { WebhookPayload } from '../contracts/webhook.js';
import type { HttpClient } from '../net/http-client.js';
import { parseRetryAfter } from '../net/retry-after.js';
import { renderBody, type WebhookFormat } from './payload.js';
import { signedHeaders } from './sign.js';

export interface WebhookTarget {
  id: string;
  url: string;
  secrets: readonly string[];
  format: WebhookFormat;
  timeoutMs: number;
}

export type SendOutcome =
  | { kind: 'delivered'; status: number; durationMs: number }
  | { kind: 'gone'; status: 410; durationMs: number }
  | { kind: 'failed'; error: MediawatchError; durationMs: number };

/** Receivers' answers are read only this far: we need the status, not their page. */
const RESPONSE_CAP = 64 * 1024;

/** `id` is the webhook-id: the alert id, or the digest id; the same on every try. */
export async function sendWebhook(http: HttpClient, target: WebhookTarget, id: string, payload: WebhookPayload, now: () => number): Promise<SendOutcome> {
  const body = renderBody(payload, target.format);
  const started = now();
  // A fresh timestamp and signature on every try; the id stays the same.
  const signed = signedHeaders(target.secrets, id, Math.floor(started / 1000), body);
  const res = await http.request(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed },
    body,
    connectTimeoutMs: Math.min(target.timeoutMs, 10_000),
    totalTimeoutMs: target.timeoutMs,
    maxBytes: RESPONSE_CAP,
    maxRedirects: 0,
    decompress: false,
  });
  const durationMs = now() - started;
  if (!res.ok) return { kind: 'failed', error: res.error, durationMs };
  return classify(res.value.status, res.value.headers, target, now(), durationMs);
}

export function classify(status: number, headers: Record<string, string>, target: WebhookTarget, now: number, durationMs: number): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status, durationMs };
  if (status === 410) return { kind: 'gone', status, durationMs };
  const details = { status, url: target.url, webhook: target.id };
  if (status >= 300 && status < 400) {
    const where = headers.location ? ` to ${headers.location}` : '';
    return { kind: 'failed', durationMs, error: new MediawatchError('delivery', `webhook ${target.id} answered ${status} (redirect${where}); redirects are not followed, fix the webhook URL`, { retryable: false, details }) };
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after'], now) : undefined;
  return {
    kind: 'failed',
    durationMs,
    error: new MediawatchError('delivery', `webhook ${target.id} answered HTTP ${status}`, { retryable, details: { ...details, retryAfterMs } }),
  };
}
