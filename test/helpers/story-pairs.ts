/**
 * The labeled same-story pairs (test/fixtures/stories/pairs.jsonl) and how the shipped story store
 * decides them: each pair goes through the store's assign on a real Redis, as two outlets' items.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createStoryStore } from '../../src/dedupe/story-store.js';

export interface StoryPair {
  id: string;
  label: 'same' | 'different';
  kind: string;
  a: { title: string; text: string };
  b: { title: string; text: string };
}

export interface StoryScore {
  precision: number;
  recall: number;
  /** Pairs of different stories the store joined. */
  falseMerges: number;
  /** Ids of the pairs the store decided against their label. */
  wrong: string[];
}

/** The default story window (config `dedupe.storyWindow`). */
const WINDOW_MS = 72 * 3_600_000;
/** The second outlet runs its copy an hour after the first, well inside the window. */
const LATER_MS = 3_600_000;

export function loadStoryPairs(): StoryPair[] {
  // Read from test/helpers in the tests, and from dist/test/helpers in the compiled benchmark.
  const file = [
    path.resolve(import.meta.dirname, '..'),
    path.resolve(import.meta.dirname, '..', '..', '..', 'test'),
  ]
    .map((dir) => path.join(dir, 'fixtures', 'stories', 'pairs.jsonl'))
    .find((f) => fs.existsSync(f))!;
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as StoryPair);
}

/** Whether the story store joins b to the story a started; every pair gets its own key prefix. */
async function storeJoins(redis: Redis, prefix: string, p: StoryPair, at: number): Promise<boolean> {
  const store = createStoryStore(redis, { prefix: `${prefix}-${p.id}`, windowMs: WINDOW_MS });
  const first = await store.assign({ feedId: 'outlet-a', itemKey: `${p.id}:a`, ...p.a, at });
  const second = await store.assign({ feedId: 'outlet-b', itemKey: `${p.id}:b`, ...p.b, at: at + LATER_MS });
  return !second.isNew && second.storyId === first.storyId;
}

/** Scores the store's decisions on the pairs; `prefix` keeps runs on one Redis apart. */
export async function scoreStoryPairs(
  redis: Redis,
  pairs: StoryPair[],
  prefix = 'pairs',
): Promise<StoryScore> {
  const at = Date.now();
  let tp = 0,
    fp = 0,
    fn = 0;
  const wrong: string[] = [];
  for (const p of pairs) {
    const said = await storeJoins(redis, prefix, p, at);
    if (said && p.label === 'same') tp++;
    else if (said) fp++;
    else if (p.label === 'same') fn++;
    if (said !== (p.label === 'same')) wrong.push(p.id);
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), falseMerges: fp, wrong };
}
