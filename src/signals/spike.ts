/**
 * When an hour's mention count is a spike: far above the counts of the same hour of the week in
 * past weeks. The baseline is robust (median and median absolute deviation), so one earlier spike in
 * it does not raise the bar. Counts of independent mentions vary like a Poisson count, whose square
 * root (Anscombe's transform, 2·√(x + 3/8)) has a spread of about 1 whatever the rate: an hour must
 * be `sensitivity` such units above the median, and as far above it as `sensitivity` robust
 * deviations of the baseline itself (for news that comes in waves). A watch that is always quiet
 * does not spike on a few extra mentions, and an hour under `minCount` mentions is never a spike.
 */

export const HOUR_MS = 3_600_000;
/** The baseline hours: the same hour of the week, up to this many weeks back. */
export const BASELINE_WEEKS = 8;
export const HOURS_PER_WEEK = 168;
/** With fewer known baseline hours nothing is usual yet, so nothing is a spike. */
export const MIN_BASELINE_WEEKS = 3;
/** MAD × this estimates the standard deviation of normally spread counts. */
const MAD_TO_SD = 1.4826;

export interface SpikeRule {
  sensitivity: number;
  minCount: number;
}

export interface Baseline {
  median: number;
  mad: number;
  weeks: number;
}

export interface SpikeVerdict {
  spiking: boolean;
  baseline: Baseline;
  /** The count from which an hour starts a spike. */
  threshold: number;
}

export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function baselineOf(past: readonly (number | undefined)[]): Baseline {
  const known = past.filter((n): n is number => n !== undefined);
  const m = median(known);
  return { median: m, mad: median(known.map((n) => Math.abs(n - m))), weeks: known.length };
}

/**
 * Whether the hour is a spike. A spike in progress goes on while the count stays above the bar of
 * half the sensitivity (and half the minimum), so a spike that wavers near its threshold starts and
 * ends once.
 */
export function judgeHour(
  count: number,
  past: readonly (number | undefined)[],
  rule: SpikeRule,
  inSpike: boolean,
): SpikeVerdict {
  const baseline = baselineOf(past);
  const threshold = Math.ceil(barOf(baseline, rule.sensitivity, rule.minCount));
  const bar = inSpike ? barOf(baseline, rule.sensitivity / 2, rule.minCount / 2) : threshold;
  const spiking = baseline.weeks >= MIN_BASELINE_WEEKS && count >= bar;
  return { spiking, baseline, threshold };
}

function barOf({ median: m, mad }: Baseline, sensitivity: number, minCount: number): number {
  const poisson = (Math.sqrt(m + 3 / 8) + sensitivity / 2) ** 2 - 3 / 8;
  return Math.max(minCount, poisson, m + sensitivity * MAD_TO_SD * mad);
}
