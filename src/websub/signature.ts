/**
 * `X-Hub-Signature` of a WebSub content distribution: `<algorithm>=<hex HMAC of the raw body>`,
 * keyed with the subscription's `hub.secret`. Compared in constant time.
 */
import crypto from 'node:crypto';

/** The algorithms the WebSub recommendation names; hubs choose one. */
export const SIGNATURE_ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** Hex digits each algorithm's HMAC has. */
const HEX_LENGTH: Record<SignatureAlgorithm, number> = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 };

export interface ParsedSignature {
  algorithm: SignatureAlgorithm;
  digest: Buffer;
}

/** The header's algorithm and digest; undefined for a missing or malformed header or another algorithm. */
export function parseSignature(header: string | undefined): ParsedSignature | undefined {
  const m = /^\s*([A-Za-z0-9]+)=([0-9A-Fa-f]+)\s*$/.exec(header ?? '');
  if (!m) return undefined;
  const algorithm = m[1].toLowerCase() as SignatureAlgorithm;
  if (!SIGNATURE_ALGORITHMS.includes(algorithm) || m[2].length !== HEX_LENGTH[algorithm]) return undefined;
  return { algorithm, digest: Buffer.from(m[2], 'hex') };
}

export function signBody(algorithm: SignatureAlgorithm, secret: string, body: Buffer): string {
  return `${algorithm}=${crypto.createHmac(algorithm, secret).update(body).digest('hex')}`;
}

export type SignatureCheck = 'valid' | 'unsigned' | 'invalid';

/** Whether the body was signed with one of the secrets (a hub change briefly has two). */
export function checkSignature(
  header: string | undefined,
  body: Buffer,
  secrets: readonly string[],
): SignatureCheck {
  if (header === undefined || header.trim() === '') return 'unsigned';
  const sig = parseSignature(header);
  if (!sig) return 'invalid';
  const matches = secrets.some((secret) =>
    crypto.timingSafeEqual(crypto.createHmac(sig.algorithm, secret).update(body).digest(), sig.digest),
  );
  return matches ? 'valid' : 'invalid';
}
