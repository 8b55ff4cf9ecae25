import { describe, expect, it } from 'vitest';
import { nextRetryDelay } from '../../../src/deliver/retry-policy.js';
import { MAX_RETRY_AFTER_MS } from '../../../src/net/retry-after.js';

const SCHEDULE = [5_000, 300_000, 1_800_000];

describe('retry policy', () => {
  it.each([
    [1, 0.5, 5_000],
    [2, 0.5, 300_000],
    [3, 0.5, 1_800_000],
    [1, 0, 4_000],
    [1, 0.999999, 6_000],
  ])('after %i failed tries with random %f waits %i ms', (failedTries, random, expected) => {
    expect(nextRetryDelay({ schedule: SCHEDULE, failedTries, random })).toBe(expected);
  });

  it('gives up when the schedule is exhausted', () => {
    expect(nextRetryDelay({ schedule: SCHEDULE, failedTries: 4, random: 0.5 })).toBeUndefined();
  });

  it('waits as long as Retry-After asks when that is longer than the schedule', () => {
    expect(nextRetryDelay({ schedule: SCHEDULE, failedTries: 1, random: 0.5, retryAfterMs: 60_000 })).toBe(60_000);
    expect(nextRetryDelay({ schedule: SCHEDULE, failedTries: 2, random: 0.5, retryAfterMs: 60_000 })).toBe(300_000);
  });

  it('caps a Retry-After at 24 hours', () => {
    expect(nextRetryDelay({ schedule: SCHEDULE, failedTries: 1, random: 0.5, retryAfterMs: 10 * MAX_RETRY_AFTER_MS })).toBe(MAX_RETRY_AFTER_MS);
  });
});
