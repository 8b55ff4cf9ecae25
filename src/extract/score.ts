/**
 * How close an extracted body is to the body a person marked, as the article-extraction benchmark
 * measures it: tokens are runs of word characters (letters, digits, underscore: Unicode `\w`),
 * shingles are 4 consecutive tokens, and per page the true/false positives and misses are multiset
 * overlaps of shingles, normalised by their sum. Precision is averaged over pages that predicted
 * something, recall over pages that have a body, and F1 is taken of the two averages.
 */
const SHINGLE_TOKENS = 4;
const WORD = /[\p{L}\p{N}_]+/gu;

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
}

export interface CorpusScore {
  f1: number;
  precision: number;
  recall: number;
  pages: number;
}

function shingles(text: string): Map<string, number> {
  const tokens = text.match(WORD) ?? [];
  const counts = new Map<string, number>();
  // Texts shorter than a shingle count as one shingle of what they have, as the benchmark does.
  const n = Math.max(1, tokens.length - SHINGLE_TOKENS + 1);
  if (tokens.length === 0) return counts;
  for (let i = 0; i < n; i++) {
    const key = tokens.slice(i, i + SHINGLE_TOKENS).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function scorePage(truth: string, predicted: string): PageScore {
  const want = shingles(truth);
  const got = shingles(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, g] of got) {
    const w = want.get(key) ?? 0;
    tp += Math.min(g, w);
    fp += Math.max(0, g - w);
  }
  for (const [key, w] of want) fn += Math.max(0, w - (got.get(key) ?? 0));
  const sum = tp + fp + fn;
  return sum === 0 ? { tp, fp, fn } : { tp: tp / sum, fp: fp / sum, fn: fn / sum };
}

export function scoreCorpus(pages: PageScore[]): CorpusScore {
  const withPrediction = pages.filter((p) => p.tp + p.fp > 0);
  const withTruth = pages.filter((p) => p.tp + p.fn > 0);
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const precision = mean(withPrediction.map((p) => p.tp / (p.tp + p.fp)));
  const recall = mean(withTruth.map((p) => p.tp / (p.tp + p.fn)));
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { f1, precision, recall, pages: pages.length };
}
