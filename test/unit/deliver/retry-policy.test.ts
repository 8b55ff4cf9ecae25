import { describe, expect, it } from 'vitest';
import { nextRetryDelay } from '../../../src/deliver/retry-policy.js';
import { MAX_RETRY_AFTER_MS } from '../../../src/net/retry-after.js';
import { MediawatchError } from '../../../src/contracts/errors.js';
import type { DeliverJob } from '../../../src/contracts/jobs.js';
import { retryDelay } from '../../../src/pipeline/handle-delivery.js';

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
    expect(nextRetryDelay({ schedule: SCHEDULE, failedTries: 1, random: 0.5, retryAfterMs: 60_000 })).toBe(
      60_000,
    );
    expect(nextRetryDelay({ schedule: SCHEDULE, failedTries: 2, random: 0.5, retryAfterMs: 60_000 })).toBe(
      300_000,
    );
  });

  it('caps a Retry-After at 24 hours', () => {
    expect(
      nextRetryDelay({
        schedule: SCHEDULE,
        failedTries: 1,
        random: 0.5,
        retryAfterMs: 10 * MAX_RETRY_AFTER_MS,
      }),
    ).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('retry delay of a delivery job', () => {
  const hooks = [{ id: 'desk', retry: SCHEDULE }] as unknown as Parameters<typeof retryDelay>[3];
  const alert = (triesBefore?: number): DeliverJob => ({
    kind: 'alert',
    webhookId: 'desk',
    fetchedAt: 0,
    payload: {} as never,
    ...(triesBefore ? { triesBefore } : {}),
  });
  const limited = new MediawatchError('delivery', 'webhook desk answered HTTP 429', {
    retryable: true,
    details: { retryAfterMs: 60_000 },
  });

  it.each([
    { what: 'an alert after its first failed try', job: alert(), made: 1, err: undefined, want: 5_000 },
    {
      what: 'an alert handed over after a failed try in an alerts job, after its own first',
      job: alert(1),
      made: 1,
      err: undefined,
      want: 300_000,
    },
    {
      what: 'a handed-over alert whose schedule is spent',
      job: alert(1),
      made: 3,
      err: undefined,
      want: undefined,
    },
    {
      what: 'an alert whose receiver asked to wait longer',
      job: alert(),
      made: 1,
      err: limited,
      want: 60_000,
    },
    {
      what: 'a webhook no longer configured',
      job: { ...alert(), webhookId: 'gone' },
      made: 1,
      err: undefined,
      want: 5_000,
    },
  ])('for $what', ({ job, made, err, want }) => {
    expect(retryDelay(job, made, err, hooks, 0.5)).toBe(want);
  });
});
