/**
 * A multi-pattern Aho–Corasick automaton over folded text, stored as one dense transition table
 * in a typed array (state × char class). Char classes keep the table narrow: only code units that
 * occur in some pattern get a class of their own; all whitespace shares the "space" class, and a
 * run of spaces in the text is read as one, so "security\n  guarantees" meets the pattern
 * "security guarantees". Word boundaries are checked by the caller, on the few raw hits.
 */
import { SPACE_UNIT } from './fold.js';

const OTHER = 0;
const SPACE = 1;

export interface Automaton {
  readonly patternCount: number;
  /**
   * Every pattern occurrence in `text`, as flat pairs [patternId, endExclusive, ...].
   * Reuses and returns `into` when given.
   */
  scan(text: string, into?: number[]): number[];
  /** Where an occurrence of `patternId` ending at `end` starts, spaces runs included. */
  startOf(text: string, patternId: number, end: number): number;
}

/** Patterns must be folded and have single spaces between words (see foldPhrase). */
export function buildAutomaton(patterns: readonly string[]): Automaton {
  const classOf = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) if (SPACE_UNIT[c]) classOf[c] = SPACE;
  let alphabet = 2;
  let totalChars = 0;
  for (const p of patterns) {
    totalChars += p.length;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (classOf[c] === OTHER) classOf[c] = alphabet++;
    }
  }
  const A = alphabet;
  // One table serves as trie (0 = no edge: the root is nobody's child), then as the full DFA,
  // then in place as the premultiplied, output-flagged table the scan reads.
  const table = new Int32Array((totalChars + 1) * A);
  const ownFirst = new Int32Array(totalChars + 1).fill(-1);
  const ownNext = new Int32Array(patterns.length).fill(-1);
  let states = 1;
  patterns.forEach((p, id) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const at = s * A + classOf[p.charCodeAt(i)];
      if (table[at] === 0) table[at] = states++;
      s = table[at];
    }
    ownNext[id] = ownFirst[s];
    ownFirst[s] = id;
  });

  const fail = new Int32Array(states);
  const order = new Int32Array(states);
  let queued = 1;
  for (let q = 0; q < queued; q++) {
    const s = order[q];
    const row = s * A;
    const failRow = fail[s] * A;
    for (let cls = 0; cls < A; cls++) {
      const t = table[row + cls];
      if (t === 0) table[row + cls] = s === 0 ? 0 : table[failRow + cls];
      else {
        fail[t] = s === 0 ? 0 : table[failRow + cls];
        order[queued++] = t;
      }
    }
  }

  // A state reports its own patterns, then those of its failure state (already laid out: BFS order).
  const outStart = new Int32Array(states + 1);
  const outCount = new Int32Array(states);
  for (let q = 0; q < states; q++) {
    const s = order[q];
    let own = 0;
    for (let id = ownFirst[s]; id >= 0; id = ownNext[id]) own++;
    outCount[s] = own + (s === 0 ? 0 : outCount[fail[s]]);
  }
  for (let s = 0; s < states; s++) outStart[s + 1] = outStart[s] + outCount[s];
  const outIds = new Int32Array(outStart[states]);
  for (let q = 0; q < states; q++) {
    const s = order[q];
    let k = outStart[s];
    for (let id = ownFirst[s]; id >= 0; id = ownNext[id]) outIds[k++] = id;
    if (s !== 0) outIds.copyWithin(k, outStart[fail[s]], outStart[fail[s]] + outCount[fail[s]]);
  }

  // Premultiply targets by A and flag states with output by storing their complement, so the
  // scan loop does one load, one sign test and no multiplication per char.
  const dfa = table.slice(0, states * A);
  for (let i = 0; i < dfa.length; i++) {
    const t = dfa[i];
    dfa[i] = outCount[t] > 0 ? ~(t * A) : t * A;
  }
  const patternSpace = patterns.map((p) => p.includes(' '));
  const patternLength = patterns.map((p) => p.length);

  return {
    patternCount: patterns.length,
    scan(text, into = []) {
      into.length = 0;
      let s = 0;
      let prevSpace = false;
      const n = text.length;
      for (let i = 0; i < n; i++) {
        const cls = classOf[text.charCodeAt(i)];
        if (cls === SPACE) {
          if (prevSpace) continue;
          prevSpace = true;
        } else prevSpace = false;
        const v = dfa[s + cls];
        if (v >= 0) s = v;
        else {
          s = ~v;
          const state = (s / A) | 0;
          for (let k = outStart[state]; k < outStart[state + 1]; k++) into.push(outIds[k], i + 1);
        }
      }
      return into;
    },
    startOf(text, patternId, end) {
      if (!patternSpace[patternId]) return end - patternLength[patternId];
      const p = patterns[patternId];
      let j = end - 1;
      for (let k = p.length - 1; k >= 0; k--) {
        if (p.charCodeAt(k) === 32) while (j >= 0 && SPACE_UNIT[text.charCodeAt(j)]) j--;
        else j--;
      }
      return j + 1;
    },
  };
}
