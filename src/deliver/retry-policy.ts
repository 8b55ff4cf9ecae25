/**
 * When to try a webhook again. The configured schedule gives the delay before each retry;
 * jitter spreads retries of many alerts so a recovering receiver is not hit all at once; a
 * Retry-After from the receiver wins when it asks for longer (capped, so a bad header cannot
 * park an alert for days).
 */
import { MAX_RETRY_AFTER_MS } from '../net/retry-after.js';

/** The tries a webhook's schedule allows an alert: the first, then one after each delay. */
export function triesFor(schedule: readonly number[]): number {
  return schedule.length + 1;
}

export interface RetryPolicyInput {
  /** Delays before retry 1, 2, … in ms. */
  schedule: readonly number[];
  /** How many tries have failed so far (1 after the first failure). */
  failedTries: number;
  retryAfterMs?: number;
  /** A number in [0, 1), injected so tests are deterministic. */
  random: number;
  jitter?: number;
}

/** Delay in ms before the next try, or undefined when the schedule is exhausted. */
export function nextRetryDelay({
  schedule,
  failedTries,
  retryAfterMs,
  random,
  jitter = 0.2,
}: RetryPolicyInput): number | undefined {
  const base = schedule[failedTries - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (1 - jitter + 2 * jitter * random));
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.max(jittered, asked);
}
