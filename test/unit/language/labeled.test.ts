import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { WatchSpec } from '../../../src/contracts/match.js';
import { detectLanguage } from '../../../src/language/detect.js';
import { compileWatches } from '../../../src/match/index.js';

const here = new URL('../../fixtures/language/', import.meta.url);

interface Labeled {
  id: string;
  kind: 'name' | 'romanization' | 'trap' | 'topic' | 'nolang' | 'hyphen' | 'limit';
  text: string;
  expect: string[];
  /** A case the matcher is known to get wrong, and why: counted in the figures, not asserted. */
  known?: string;
}

const cases: Labeled[] = fs
  .readFileSync(new URL('labeled.jsonl', here), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Labeled);
const doc = parse(fs.readFileSync(new URL('watches.yaml', here), 'utf8')) as { watches: WatchSpec[] };
const matcher = compileWatches(doc.watches);

/** No case declares a language: every item is matched with the detected one, as from a feed that declares none. */
function found(c: Labeled): string[] {
  return matcher
    .match({ title: '', summary: '', content: c.text, lang: detectLanguage(c.text) })
    .map((m) => m.id)
    .sort();
}

const tally = new Map<string, { tp: number; fp: number; fn: number }>();
function count(kind: string, expected: string[], got: string[]): void {
  for (const k of [kind, 'all']) {
    const t = tally.get(k) ?? { tp: 0, fp: 0, fn: 0 };
    t.tp += got.filter((g) => expected.includes(g)).length;
    t.fp += got.filter((g) => !expected.includes(g)).length;
    t.fn += expected.filter((e) => !got.includes(e)).length;
    tally.set(k, t);
  }
}

describe('the multilingual labeled cases', () => {
  it('hold at least 200 cases, names in 8+ languages and 3+ scripts among them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const scripts = new Set(
      cases.flatMap((c) =>
        ['Latin', 'Cyrillic', 'Greek'].filter((s) => new RegExp(`\\p{Script=${s}}`, 'u').test(c.text)),
      ),
    );
    expect(scripts.size).toBe(3);
  });

  it.each(cases.filter((c) => c.known === undefined))('$id finds exactly $expect in "$text"', (c) => {
    const got = found(c);
    count(c.kind, c.expect, got);
    expect(got).toEqual([...c.expect].sort());
  });

  it.each(cases.filter((c) => c.known !== undefined))('$id (known miss: $known) is counted', (c) => {
    count(c.kind, c.expect, found(c));
  });

  it('never matches a lower-case common word (precision 1.000 on the traps)', () => {
    for (const c of cases.filter((x) => x.kind === 'trap')) expect(found(c)).toEqual([]);
  });

  afterAll(() => {
    const rows = [...tally].map(([kind, { tp, fp, fn }]) => {
      const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
      const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
      return `  ${kind.padEnd(13)} precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  (tp ${tp}, fp ${fp}, fn ${fn})`;
    });
    console.log(`multilingual labeled cases (${cases.length}):\n${rows.join('\n')}`);
  });
});
