/** The labeled same-story pairs (test/fixtures/stories/pairs.jsonl) and how the fingerprint scores on them. */
import fs from 'node:fs';
import path from 'node:path';
import { fingerprint, sameStory } from '../../src/dedupe/fingerprint.js';

export interface StoryPair {
  id: string;
  label: 'same' | 'different';
  kind: string;
  a: { title: string; text: string };
  b: { title: string; text: string };
}

export function loadStoryPairs(): StoryPair[] {
  // Read from test/helpers in the tests, and from dist/test/helpers in the compiled benchmark.
  const file = [path.resolve(import.meta.dirname, '..'), path.resolve(import.meta.dirname, '..', '..', '..', 'test')]
    .map((dir) => path.join(dir, 'fixtures', 'stories', 'pairs.jsonl'))
    .find((f) => fs.existsSync(f))!;
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StoryPair);
}

export function scoreStoryPairs(pairs: StoryPair[]): { precision: number; recall: number; falseMerges: number } {
  let tp = 0, fp = 0, fn = 0;
  for (const p of pairs) {
    const said = sameStory(fingerprint(p.a.title, p.a.text), fingerprint(p.b.title, p.b.text));
    if (said && p.label === 'same') tp++;
    else if (said) fp++;
    else if (p.label === 'same') fn++;
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), falseMerges: fp };
}
