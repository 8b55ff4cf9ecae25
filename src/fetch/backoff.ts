/**
 * How long a failing feed rests before the next try: doubling from one minute, capped by
 * fetch.maxBackoff. Never infinite: a feed that was down for a week is back within one cap
 * after it recovers.
 */
export const BASE_BACKOFF_MS = 60_000;

export function backoffMs(
  consecutiveFailures: number,
  maxBackoffMs: number,
  baseMs = BASE_BACKOFF_MS,
): number {
  if (consecutiveFailures <= 0) return 0;
  // 2^30 times the base is far beyond any cap; the bound only keeps the arithmetic finite.
  const exp = Math.min(consecutiveFailures - 1, 30);
  return Math.min(baseMs * 2 ** exp, maxBackoffMs);
}
