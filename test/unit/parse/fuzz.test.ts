/**
 * Mutated corpus feeds (truncated, bytes flipped, markup spliced in) must always come back as a
 * Result. Anything thrown, inside or outside a promise, fails the run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseFeed } from '../../../src/parse/index.js';

const DIR = path.resolve(__dirname, '../../fixtures/feeds/real');
const seeds = ['guardian.rss', 'heise.atom', 'rss-1.rss', 'encoding.rss'].map((f) =>
  fs.readFileSync(path.join(DIR, f)),
);
const SPLICES = [
  '<',
  '>',
  '&',
  ']]>',
  '<![CDATA[',
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '</channel>',
  '<item>',
  '\u0000',
  '&#xD800;',
  '<?xml version="1.0"?>',
  '<__proto__>',
];

/** Deterministic, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

it('answers 160 mutated feeds with a feed or a parse error, never a throw', async () => {
  const rand = rng(42);
  const codes = new Set<string>();
  for (let i = 0; i < 160; i++) {
    const seed = seeds[i % seeds.length];
    let body = Buffer.from(seed);
    const kind = i % 4;
    if (kind === 0) body = body.subarray(0, Math.floor(rand() * body.length));
    if (kind === 1)
      for (let k = 0; k < 20; k++) body[Math.floor(rand() * body.length)] = Math.floor(rand() * 256);
    if (kind >= 2) {
      const at = Math.floor(rand() * body.length);
      const splice = Buffer.from(SPLICES[Math.floor(rand() * SPLICES.length)]);
      body = Buffer.concat([body.subarray(0, at), splice, body.subarray(kind === 3 ? at + 50 : at)]);
    }
    const r = await parseFeed(body, { url: 'https://x.test/feed' });
    const outcome = r.ok ? 'ok' : r.error.code;
    // A feed, or one of the errors a parser can give, each with a message.
    expect(outcome).toMatch(/^(ok|parse|not-a-feed|decode)$/);
    if (!r.ok) expect(r.error.message).not.toBe('');
    codes.add(outcome);
  }
  expect(codes.has('ok')).toBe(true);
  expect(codes.has('parse')).toBe(true);
});
