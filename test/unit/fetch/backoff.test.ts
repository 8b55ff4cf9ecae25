import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../src/fetch/backoff.js';

describe('backoff', () => {
  it.each([
    [0, 0],
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [8, 7_680_000],
    [9, 15_360_000],
    [10, 6 * 3_600_000],
    [1000, 6 * 3_600_000],
  ])('after %i consecutive failures waits %i ms (capped at 6 h)', (failures, ms) => {
    expect(backoffMs(failures, 6 * 3_600_000)).toBe(ms);
  });
});
