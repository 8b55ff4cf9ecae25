/**
 * The benchmarks `npm run bench` knows: each is benchmarks/<name>.ts, and its results are saved in
 * benchmarks/results/<name>.jsonl.
 */
export const BENCHES = ['fetch', 'match', 'pipeline', 'stories', 'extract', 'signals', 'soak'] as const;
