/**
 * Standard Webhooks signing: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, where the
 * key is the base64 part of a `whsec_` secret. With two secrets (a rotation) both signatures are
 * sent, space-separated, so receivers on either secret verify.
 */
import crypto from 'node:crypto';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export function signature(secret: string, id: string, timestampSec: number, body: string): string {
  const mac = crypto
    .createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestampSec}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

export function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestampSec: number,
  body: string,
): SignedHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': secrets.map((s) => signature(s, id, timestampSec, body)).join(' '),
  };
}

/** For receivers and tests: true when any v1 signature in the header verifies with the secret. */
export function verify(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowSec?: number,
  toleranceSec = 300,
): boolean {
  const id = headers['webhook-id'];
  const ts = Number(headers['webhook-timestamp']);
  const sigs = headers['webhook-signature'];
  if (!id || !Number.isFinite(ts) || !sigs) return false;
  if (nowSec !== undefined && Math.abs(nowSec - ts) > toleranceSec) return false;
  const expected = Buffer.from(signature(secret, id, ts, body));
  return sigs.split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === expected.length && crypto.timingSafeEqual(got, expected);
  });
}
