import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, sameStory } from '../../../src/dedupe/fingerprint.js';

interface Pair {
  id: string;
  label: 'same' | 'different';
  kind: string;
  a: { title: string; text: string };
  b: { title: string; text: string };
}

const pairs: Pair[] = fs
  .readFileSync(path.join(import.meta.dirname, '../../fixtures/stories/pairs.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Pair);

function score(subset: Pair[]) {
  let tp = 0, fp = 0, fn = 0;
  for (const p of subset) {
    const said = sameStory(fingerprint(p.a.title, p.a.text), fingerprint(p.b.title, p.b.text));
    if (said && p.label === 'same') tp++;
    else if (said) fp++;
    else if (p.label === 'same') fn++;
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), falseMerges: fp };
}

describe('same-story decision on the labeled pairs', () => {
  it('uses a labeled set of at least 200 pairs with both labels', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    expect(pairs.filter((p) => p.label === 'same').length).toBeGreaterThanOrEqual(100);
    expect(pairs.filter((p) => p.label === 'different').length).toBeGreaterThanOrEqual(80);
  });

  it('finds copies of one story with precision and recall of at least 0.95', () => {
    const { precision, recall } = score(pairs);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('never merges two different stories on the same topic and day', () => {
    expect(score(pairs.filter((p) => p.kind === 'same topic, same day')).falseMerges).toBe(0);
  });

  it('always joins an edited version to its original', () => {
    expect(score(pairs.filter((p) => p.kind === 'updated version')).recall).toBe(1);
  });
});
