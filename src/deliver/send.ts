/**
 * One delivery try over HTTP (a signed webhook, or a chat service's API) and what the answer
 * means: delivered, retry later (network errors, timeouts, 408, 429, 5xx, honouring Retry-After
 * or the service's own retry hint), give up (other 4xx, redirects, which are not followed), or
 * endpoint gone (410: disable it).
 */
import { MediawatchError } from '../contracts/errors.js';
import type { HttpClient } from '../net/http-client.js';
import { parseRetryAfter } from '../net/retry-after.js';
import { scrub } from './redact.js';

export interface WebhookTarget {
  id: string;
  /** The URL as logs and errors may show it (secrets in it redacted). */
  url: string;
  timeoutMs: number;
}

/** What a service says in an error body: how long to wait, and why it refused. */
export interface Answer {
  retryAfterMs?: number;
  detail?: string;
}

/** One request of a channel: a webhook POST, or a call to a service's API. */
export interface ChannelRequest {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Values (tokens, keys) that must not appear in logs or errors, wherever the service echoes them. */
  secrets: string[];
  /** Reads the service's error body; by default its `description`, `error` or `message` field. */
  answer?: (body: Buffer) => Answer;
}

export type SendOutcome =
  | { kind: 'delivered'; status: number; durationMs: number }
  | { kind: 'gone'; status: 410; durationMs: number }
  | { kind: 'failed'; error: MediawatchError; durationMs: number };

/** Receivers' answers are read only this far: we need the status and an error's reason, not their page. */
const RESPONSE_CAP = 64 * 1024;

export async function sendRequest(
  http: HttpClient,
  target: WebhookTarget,
  req: ChannelRequest,
  now: () => number,
): Promise<SendOutcome> {
  const started = now();
  const res = await http.request(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    connectTimeoutMs: Math.min(target.timeoutMs, 10_000),
    totalTimeoutMs: target.timeoutMs,
    maxBytes: RESPONSE_CAP,
    maxRedirects: 0,
    decompress: false,
  });
  const durationMs = now() - started;
  if (!res.ok) return { kind: 'failed', error: scrub(res.error, req.secrets), durationMs };
  const { status, headers, body } = res.value;
  const answer = status >= 300 ? (req.answer ?? jsonAnswer)(body) : {};
  const outcome = classify(status, headers, target, now(), durationMs, answer);
  return outcome.kind === 'failed' ? { ...outcome, error: scrub(outcome.error, req.secrets) } : outcome;
}

export function classify(
  status: number,
  headers: Record<string, string>,
  target: WebhookTarget,
  now: number,
  durationMs: number,
  answer: Answer = {},
): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status, durationMs };
  if (status === 410) return { kind: 'gone', status, durationMs };
  const details = { status, url: target.url, webhook: target.id };
  if (status >= 300 && status < 400) {
    const where = headers.location ? ` to ${headers.location}` : '';
    return {
      kind: 'failed',
      durationMs,
      error: new MediawatchError(
        'delivery',
        `webhook ${target.id} answered ${status} (redirect${where}); redirects are not followed, fix the webhook URL`,
        { retryable: false, details },
      ),
    };
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  const asked = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after'], now) : undefined;
  const retryAfterMs = asked ?? (status === 429 ? answer.retryAfterMs : undefined);
  const why = answer.detail ? `: ${answer.detail}` : '';
  return {
    kind: 'failed',
    durationMs,
    error: new MediawatchError('delivery', `webhook ${target.id} answered HTTP ${status}${why}`, {
      retryable,
      details: { ...details, retryAfterMs },
    }),
  };
}

/** The reason in a JSON error body, as most services give it; nothing for other bodies. */
export function jsonAnswer(body: Buffer): Answer {
  const json = parseJson(body);
  const reason = json?.description ?? json?.error ?? json?.message;
  return typeof reason === 'string' ? { detail: reason.slice(0, 300) } : {};
}

export function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
