/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date; capped so a typo cannot park a feed for months. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** Milliseconds to wait from `now`, or undefined when the header is missing or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  // Only IMF-fixdate and the obsolete forms Date.parse reads; a bare number-like string is not a date.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
