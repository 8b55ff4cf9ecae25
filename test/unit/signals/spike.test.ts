import { describe, expect, it } from 'vitest';
import { baselineOf, judgeHour, median } from '../../../src/signals/spike.js';

const RULE = { sensitivity: 4, minCount: 5 };

describe('the baseline of an hour', () => {
  it.each([
    [[], 0],
    [[3], 3],
    [[4, 1, 3], 3],
    [[4, 1, 3, 10], 3.5],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('uses only known weeks, and one spiky week does not move it', () => {
    expect(baselineOf([10, undefined, 12, 11, 90, 9])).toEqual({ median: 11, mad: 1, weeks: 5 });
  });
});

describe('judging an hour', () => {
  it.each([
    ['far above a steady baseline', 60, [20, 22, 18, 21, 19, 20, 23, 20], true],
    ['within the usual spread', 30, [20, 22, 18, 21, 19, 20, 23, 20], false],
    ['below the minimum count, however quiet the hour usually is', 3, [0, 0, 0, 0, 0, 0, 0, 0], false],
    ['at the minimum count over a silent hour', 5, [0, 0, 0, 0, 0, 0, 0, 0], false],
    ['well above a silent hour', 7, [0, 0, 0, 0, 0, 0, 0, 0], true],
    ['a few mentions over an hour that has one or two', 6, [1, 2, 0, 1, 1, 2, 1, 0], false],
    ['with fewer than three known weeks', 60, [20, 20, undefined, undefined], false],
    ['over a noisy baseline, by its own spread', 60, [10, 40, 15, 35, 20, 30, 25, 45], false],
  ])('an hour %s: spike %s', (_, count, past, spiking) => {
    expect(judgeHour(count, past, RULE, false).spiking).toBe(spiking);
  });

  it('carries on a spike that eases below the threshold but stays well above the usual count', () => {
    const past = [20, 22, 18, 21, 19, 20, 23, 20];
    const { threshold } = judgeHour(0, past, RULE, false);
    expect(threshold).toBe(43);
    expect(judgeHour(32, past, RULE, false).spiking).toBe(false);
    expect(judgeHour(32, past, RULE, true).spiking).toBe(true);
    expect(judgeHour(28, past, RULE, true).spiking).toBe(false);
  });

  it('takes a lower sensitivity as a lower threshold', () => {
    const past = [20, 22, 18, 21, 19, 20, 23, 20];
    expect(judgeHour(32, past, { sensitivity: 2, minCount: 5 }, false).spiking).toBe(true);
  });
});
