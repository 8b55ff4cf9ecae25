/** The p-th percentile (nearest rank) of some samples, in any order. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

/** p50 and p99 of latencies in ms, and how many there were. */
export function summarize(latenciesMs: readonly number[]): LatencySummary {
  return {
    p50Ms: percentile(latenciesMs, 50),
    p99Ms: percentile(latenciesMs, 99),
    samples: latenciesMs.length,
  };
}
