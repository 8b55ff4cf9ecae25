import { describe, expect, it } from 'vitest';
import { REPLAY_SPAN_HOURS, replaySpikes } from '../../../src/signals/replay.js';
import { HOURS_PER_WEEK } from '../../../src/signals/spike.js';

const RULE = { sensitivity: 4, minCount: 5 };

describe('replaying spikes over kept hourly counts', () => {
  it('finds the start and end of a burst over weeks of two mentions an hour, and nothing where hours are unknown', () => {
    const from = 10_000;
    const to = from + 48;
    const history: (number | undefined)[] = Array.from({ length: REPLAY_SPAN_HOURS + 48 }, () => 2);
    const at = (hour: number) => hour - from + REPLAY_SPAN_HOURS;
    history[at(from + 5)] = 20;
    history[at(from + 6)] = 9;
    history[at(from + 20)] = undefined;
    history[at(from + 30) - 4 * HOURS_PER_WEEK] = 40;
    expect(replaySpikes(history, from, to, RULE)).toEqual([
      { hour: from + 5, phase: 'start', count: 20, threshold: 13 },
      { hour: from + 7, phase: 'end', count: 2, threshold: 13 },
    ]);
  });
});
