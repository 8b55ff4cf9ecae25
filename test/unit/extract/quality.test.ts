/**
 * Extraction quality on 60 real pages with human-marked bodies (the article-extraction benchmark's
 * metric). The floors sit a little under today's scores, so a change that makes extraction worse
 * fails here; the held-out half is the pages the rules were not tuned on.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractArticle, scoreCorpus, scorePage } from '../../../src/extract/index.js';

const DIR = path.join('test', 'fixtures', 'articles');
const truth = JSON.parse(fs.readFileSync(path.join(DIR, 'ground-truth.json'), 'utf8')) as Record<
  string,
  { url: string; articleBody: string }
>;
const isTuning = (name: string) =>
  crypto.createHash('sha256').update(`${name}.html.gz`).digest()[0] % 2 === 0;

const scored = Object.entries(truth).map(([name, t]) => {
  const body = zlib.gunzipSync(fs.readFileSync(path.join(DIR, 'html', `${name}.html.gz`)));
  const r = extractArticle(body, { url: t.url, contentType: 'text/html' });
  return { name, score: scorePage(t.articleBody, r.ok ? r.value.text : '') };
});

describe('article extraction quality on the corpus', () => {
  const halves = {
    all: scored,
    tuning: scored.filter((s) => isTuning(s.name)),
    'held-out': scored.filter((s) => !isTuning(s.name)),
  };
  const floors = {
    all: { f1: 0.96, precision: 0.95, recall: 0.97 },
    tuning: { f1: 0.97, precision: 0.96, recall: 0.98 },
    'held-out': { f1: 0.955, precision: 0.945, recall: 0.965 },
  };

  for (const [half, pages] of Object.entries(halves)) {
    it(`keeps F1, precision and recall above their floors on ${half} pages`, () => {
      const s = scoreCorpus(pages.map((p) => p.score));
      console.log(
        `${half.padEnd(8)} pages ${pages.length}  F1 ${s.f1.toFixed(4)}  precision ${s.precision.toFixed(4)}  recall ${s.recall.toFixed(4)}`,
      );
      const floor = floors[half as keyof typeof floors];
      expect(s.f1).toBeGreaterThanOrEqual(floor.f1);
      expect(s.precision).toBeGreaterThanOrEqual(floor.precision);
      expect(s.recall).toBeGreaterThanOrEqual(floor.recall);
    });
  }
});

describe('scorePage', () => {
  it.each([
    ['the same text', 'one two three four five', 'one two three four five', { tp: 1, fp: 0, fn: 0 }],
    ['nothing predicted', 'one two three four five', '', { tp: 0, fp: 0, fn: 1 }],
    [
      'extra furniture after the body',
      'one two three four',
      'one two three four five',
      { tp: 0.5, fp: 0.5, fn: 0 },
    ],
    [
      'punctuation and spacing ignored',
      'one, two; three four',
      'one two\nthree   four',
      { tp: 1, fp: 0, fn: 0 },
    ],
  ])('%s', (_name, t, p, want) => {
    expect(scorePage(t, p)).toEqual(want);
  });
});
