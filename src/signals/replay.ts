/**
 * What spike signals would have fired over past hours, from the closed hourly counts the service
 * kept (`mediawatch signals --since 7d`): each hour judged as the evaluation judges it, a spike
 * state carried from hour to hour, starting with none.
 */
import { BASELINE_WEEKS, HOURS_PER_WEEK, judgeHour, type SpikeRule } from './spike.js';

export interface ReplayedChange {
  hour: number;
  phase: 'start' | 'end';
  count: number;
  threshold: number;
}

/** The history reaches back the baseline weeks before `from`: `history[i]` is hour `from - span + i`. */
export function replaySpikes(
  history: readonly (number | undefined)[],
  from: number,
  to: number,
  rule: SpikeRule,
): ReplayedChange[] {
  const span = BASELINE_WEEKS * HOURS_PER_WEEK;
  const at = (hour: number) => history[hour - from + span];
  const changes: ReplayedChange[] = [];
  let on = false;
  for (let hour = from; hour < to; hour++) {
    const count = at(hour);
    if (count === undefined) continue;
    const past = Array.from({ length: BASELINE_WEEKS }, (_, k) => at(hour - (k + 1) * HOURS_PER_WEEK));
    const verdict = judgeHour(count, past, rule, on);
    if (verdict.spiking !== on)
      changes.push({ hour, phase: verdict.spiking ? 'start' : 'end', count, threshold: verdict.threshold });
    on = verdict.spiking;
  }
  return changes;
}

export const REPLAY_SPAN_HOURS = BASELINE_WEEKS * HOURS_PER_WEEK;
