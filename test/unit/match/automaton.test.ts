import { describe, expect, it } from 'vitest';
import { buildAutomaton } from '../../../src/match/automaton.js';

/** A small seeded generator (mulberry32): the same names every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka ve rin dos tal mor ben lu sa tor vi na gel ham pri os dre lin'.split(' ');

/** Name-like patterns, some of them two-word phrases, enough that most states are deep. */
function names(count: number): string[] {
  const rand = seeded(42);
  const word = (n: number) =>
    Array.from({ length: n }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join('');
  const out = new Set<string>();
  while (out.size < count) out.add(rand() < 0.3 ? `${word(2)} ${word(3)}` : word(3 + Math.floor(rand() * 3)));
  return [...out];
}

/** Occurrences as the automaton promises them, found the slow way: starting a word, spaces as runs. */
function expected(patterns: string[], text: string): string[] {
  const out: string[] = [];
  // Every pattern's first word has at least four letters: only those beginning a word here can occur.
  const starts = new Set([...text.matchAll(/(?<![a-z0-9])[a-z0-9]{4}/g)].map((m) => m[0]));
  patterns.forEach((p, id) => {
    if (!starts.has(p.slice(0, 4))) return;
    const re = new RegExp(`(?<![a-z0-9])(?=(${p.replace(/ /g, '[ \\n]+')}))`, 'g');
    for (const m of text.matchAll(re)) out.push(`${id}:${m.index}:${m.index + m[1].length}`);
  });
  return out.sort();
}

function reported(patterns: string[], text: string): string[] {
  const flat = buildAutomaton(patterns).scan(text);
  const out: string[] = [];
  for (let k = 0; k < flat.length; k += 3) out.push(`${flat[k]}:${flat[k + 1]}:${flat[k + 2]}`);
  return out.sort();
}

describe('the automaton with tens of thousands of patterns', () => {
  it('reports every occurrence that starts a word, deep in long names and across line breaks', () => {
    const patterns = names(30_000);
    const rand = seeded(7);
    const words: string[] = [];
    for (let i = 0; i < 800; i++) {
      const r = rand();
      const p = patterns[Math.floor(rand() * patterns.length)];
      if (r < 0.4) words.push(p.replace(' ', rand() < 0.5 ? '\n' : '  '));
      else if (r < 0.5) words.push(`x${p}`);
      else if (r < 0.6) words.push(p.slice(0, -1));
      else words.push(['the', 'talks', 'said', 'in', 'kav', 'rinmor'][Math.floor(rand() * 6)]);
    }
    const text = words.join(' ');
    const want = expected(patterns, text);
    expect(want.length).toBeGreaterThan(300);
    expect(reported(patterns, text)).toEqual(want);
  });
});
