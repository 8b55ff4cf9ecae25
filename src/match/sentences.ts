/**
 * Words and sentences of a folded field, computed only when a proximity operator or a snippet
 * needs them. "Mr. Putin" and "J. Smith" do not end a sentence; "3.5" does not either.
 */
import { isWordUnit, SPACE_UNIT } from './fold.js';

const TERMINATORS = /[.!?\u2026\u3002\uff01\uff1f]|\n[ \t\r]*\n/g;
const CLOSERS = new Set(['"', "'", ')', ']', '\u201d', '\u2019', '\u00bb']);
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'gen',
  'gov',
  'sen',
  'rep',
  'jr',
  'sr',
  'lt',
  'col',
  'capt',
  'sgt',
  'rev',
  'hon',
  'vs',
  'inc',
  'ltd',
  'co',
  'corp',
  'dept',
  'mt',
  'ft',
  'jan',
  'feb',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'approx',
  'fig',
  'mme',
  'mlle',
  'hr',
  'vgl',
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

/**
 * The sentences of one field, as sentenceEndsOf splits them. A few hits per item only need the
 * sentences around them, so those are found by looking around the hit; once that has read as
 * much text as the field holds, the field is split once and looked up from then on.
 */
export class Sentences {
  private ends: Int32Array | undefined;
  private read = 0;

  constructor(private readonly text: string) {}

  /** [start, end) of the sentence around position `pos`. */
  around(pos: number): [number, number] {
    const ends = this.split();
    if (ends !== undefined) {
      const k = countAtMost(ends, pos);
      return [k === 0 ? 0 : ends[k - 1], k < ends.length ? ends[k] : this.text.length];
    }
    let start = pos;
    while (start > 0 && !endsAt(this.text, start)) start--;
    let end = pos + 1;
    while (end < this.text.length && !endsAt(this.text, end)) end++;
    this.read += end - start;
    return [start, end];
  }

  /** Whether positions a <= b lie in the same sentence. */
  same(a: number, b: number): boolean {
    const ends = this.split();
    if (ends !== undefined) return countAtMost(ends, a) === countAtMost(ends, b);
    this.read += b - a;
    for (let e = a + 1; e <= b; e++) if (endsAt(this.text, e)) return false;
    return true;
  }

  private split(): Int32Array | undefined {
    if (this.ends === undefined && this.read > this.text.length) this.ends = sentenceEndsOf(this.text);
    return this.ends;
  }
}

/** Code units that may come just before a sentence end: terminators, closers and the newline. */
const MAY_END = new Uint8Array(65536);
for (const ch of '.!?\u2026\u3002\uff01\uff1f\n') MAY_END[ch.charCodeAt(0)] = 1;
for (const ch of CLOSERS) MAY_END[ch.charCodeAt(0)] = 1;
const TERMINATOR = /[.!?\u2026\u3002\uff01\uff1f]/;

/** Whether sentenceEndsOf(text) lists `e` (0 < e <= text.length), decided from the text around e. */
function endsAt(text: string, e: number): boolean {
  const before = text.charCodeAt(e - 1);
  if (MAY_END[before] !== 1) return false;
  if (before === 10) {
    // Blank lines pair newlines from the start of a run of newlines and blanks: the 2nd, 4th, … ends one.
    let newlines = 0;
    for (let k = e - 1; k >= 0; k--) {
      const c = text.charCodeAt(k);
      if (c === 10) newlines++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
    }
    return newlines % 2 === 0;
  }
  if (e < text.length && CLOSERS.has(text[e])) return false;
  let t = e - 1;
  while (t >= 0 && CLOSERS.has(text[t])) t--;
  if (t < 0 || !TERMINATOR.test(text[t])) return false;
  const cjk = text.charCodeAt(t) >= 0x3000;
  if (!cjk && e < text.length && !SPACE_UNIT[text.charCodeAt(e)]) return false;
  return !(text[t] === '.' && isAbbreviation(text, t));
}

/** Number of entries in `a` that are <= x. */
function countAtMost(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
