/**
 * Words and sentences of a folded field, computed only when a proximity operator or a snippet
 * needs them. "Mr. Putin" and "J. Smith" do not end a sentence; "3.5" does not either.
 */
import { isWordUnit, SPACE_UNIT } from './fold.js';

const TERMINATORS = /[.!?\u2026\u3002\uff01\uff1f]|\n[ \t\r]*\n/g;
const CLOSERS = new Set(['"', "'", ')', ']', '\u201d', '\u2019', '\u00bb']);
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'gen', 'gov', 'sen', 'rep', 'jr', 'sr', 'lt', 'col', 'capt', 'sgt', 'rev', 'hon',
  'vs', 'inc', 'ltd', 'co', 'corp', 'dept', 'mt', 'ft', 'jan', 'feb', 'apr', 'jun', 'jul', 'aug',
  'sep', 'sept', 'oct', 'nov', 'dec', 'approx', 'fig', 'mme', 'mlle', 'hr', 'vgl',
]);

/**
 * How many words start in [from, to], counting no further than `atMost + 1`; an apostrophe between
 * letters stays inside the word. Proximity only ever looks at the gap between two hits.
 */
export function wordStartsIn(text: string, from: number, to: number, atMost: number): number {
  let n = 0;
  const last = Math.min(to, text.length - 1);
  for (let i = from; i <= last && n <= atMost; i++) {
    if (!isWordUnit(text.charCodeAt(i))) continue;
    const prev = i > 0 ? text.charCodeAt(i - 1) : -1;
    const joined = prev === 39 && i > 1 && isWordUnit(text.charCodeAt(i - 2));
    if (prev === -1 || (!isWordUnit(prev) && !joined)) n++;
  }
  return n;
}

/** Positions just after each sentence end, ascending. */
export function sentenceEndsOf(text: string): Int32Array {
  const ends: number[] = [];
  TERMINATORS.lastIndex = 0;
  for (let m = TERMINATORS.exec(text); m !== null; m = TERMINATORS.exec(text)) {
    const i = m.index;
    if (m[0].startsWith('\n')) {
      ends.push(i + m[0].length);
      continue;
    }
    let j = i + 1;
    while (j < text.length && CLOSERS.has(text[j])) j++;
    const cjk = text.charCodeAt(i) >= 0x3000;
    if (!cjk && j < text.length && !SPACE_UNIT[text.charCodeAt(j)]) continue;
    if (text[i] === '.' && isAbbreviation(text, i)) continue;
    ends.push(j);
  }
  return Int32Array.from(ends);
}

function isAbbreviation(text: string, dot: number): boolean {
  let k = dot;
  while (k > 0 && isWordUnit(text.charCodeAt(k - 1))) k--;
  const word = text.slice(k, dot).toLowerCase();
  if (word.length === 0) return false;
  if (word.length === 1 && !/\d/.test(word)) return true;
  return ABBREVIATIONS.has(word);
}

/** Number of entries in `a` that are <= x. */
export function countAtMost(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [start, end) of the sentence around position `pos`, given the text's sentence ends. */
export function sentenceAround(sentenceEnds: Int32Array, pos: number, textLength: number): [number, number] {
  const k = countAtMost(sentenceEnds, pos);
  const start = k === 0 ? 0 : sentenceEnds[k - 1];
  const end = k < sentenceEnds.length ? sentenceEnds[k] : textLength;
  return [start, end];
}
