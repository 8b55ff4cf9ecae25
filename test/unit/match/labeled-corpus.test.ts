import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { WatchSpec } from '../../../src/contracts/match.js';
import { compileWatches } from '../../../src/match/index.js';

const here = new URL('../../fixtures/match/', import.meta.url);

interface Labeled {
  id: string;
  text: string;
  expect: string[];
  query?: string;
  title?: string;
  url?: string;
  feedId?: string;
  lang?: string;
}

function loadCases(file: string): Labeled[] {
  return fs
    .readFileSync(new URL(file, here), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Labeled);
}

function loadWatches(file: string): WatchSpec[] {
  const doc = parse(fs.readFileSync(new URL(file, here), 'utf8')) as {
    watches: Array<Omit<WatchSpec, 'label'> & { label?: string }>;
  };
  return doc.watches.map((w) => ({ ...w, label: w.label ?? w.id }));
}

describe('the shared labeled mentions', () => {
  const matcher = compileWatches(loadWatches('watches.yaml'));
  it.each(loadCases('labeled.jsonl'))('$id finds exactly $expect in "$text"', (c) => {
    const found = matcher.match({ title: '', summary: '', content: c.text }).map((m) => m.id);
    expect(found.sort()).toEqual([...c.expect].sort());
  });
});

describe('labeled query-language cases', () => {
  const watches = loadWatches('query-watches.yaml');
  const matcher = compileWatches(watches);
  it.each(loadCases('query-labeled.jsonl'))('$id finds exactly $expect', (c) => {
    const found = matcher
      .match({
        title: c.title ?? '',
        summary: '',
        content: c.text,
        url: c.url,
        feedId: c.feedId,
        lang: c.lang,
      })
      .map((m) => m.id);
    expect(found.sort()).toEqual([...c.expect].sort());
  });
});
