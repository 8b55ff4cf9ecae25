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

describe('backoff from another base', () => {
  it.each([
    [1, 500],
    [2, 1_000],
    [4, 4_000],
    [5, 5_000],
  ])('after %i failures from a 500 ms base waits %i ms (capped at 5 s)', (failures, ms) => {
    expect(backoffMs(failures, 5_000, 500)).toBe(ms);
  });
});
