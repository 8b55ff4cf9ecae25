import { describe, expect, it } from 'vitest';
import { exponentialBackoff, MAX_RETRY_AFTER_MS, nextRetryDelay, parseRetryAfter } from '../../../src/deliver/retry-policy.js';

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

  it('grows exponentially with jitter and stops at the cap', () => {
    expect(exponentialBackoff(1, 1_000, 60_000, 0)).toBe(500);
    expect(exponentialBackoff(3, 1_000, 60_000, 1)).toBe(4_000);
    expect(exponentialBackoff(30, 1_000, 60_000, 1)).toBe(60_000);
  });
});

describe('Retry-After header', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Sat, 28 Nov 2026 12:01:00 GMT', 60_000],
    ['Sat, 28 Nov 2026 11:00:00 GMT', 0],
    ['999999999', MAX_RETRY_AFTER_MS],
    ['soon', undefined],
    [undefined, undefined],
  ])('%s means %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
