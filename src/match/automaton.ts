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
  readonly stateCount: number;
  /**
   * Every pattern occurrence in `text`, as flat pairs [patternId, endExclusive, ...].
   * Reuses and returns `into` when given.
   */
  scan(text: string, into?: number[]): number[];
  /** Where an occurrence of `patternId` ending at `end` starts, spaces runs included. */
  startOf(text: string, patternId: number, end: number): number;
  /** Bytes held in typed arrays, for the benchmark's memory figure. */
  readonly byteSize: number;
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
  const maxStates = totalChars + 1;
  // goto[] first holds trie edges (-1 = none), then the full DFA after the BFS below.
  const delta = new Int32Array(maxStates * A).fill(-1);
  const terminal: number[][] = [];
  let states = 1;
  patterns.forEach((p, id) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const cls = classOf[p.charCodeAt(i)];
      let t = delta[s * A + cls];
      if (t < 0) {
        t = states++;
        delta[s * A + cls] = t;
      }
      s = t;
    }
    (terminal[s] ??= []).push(id);
  });

  const fail = new Int32Array(states);
  const outLists: number[][] = new Array(states);
  const order: number[] = [0];
  outLists[0] = [];
  for (let cls = 0; cls < A; cls++) {
    const t = delta[cls];
    if (t < 0) delta[cls] = 0;
    else {
      fail[t] = 0;
      order.push(t);
    }
  }
  for (let q = 1; q < order.length; q++) {
    const s = order[q];
    const own = terminal[s] ?? [];
    const inherited = outLists[fail[s]];
    outLists[s] = inherited.length === 0 ? own : own.length === 0 ? inherited : [...own, ...inherited];
    for (let cls = 0; cls < A; cls++) {
      const t = delta[s * A + cls];
      if (t < 0) delta[s * A + cls] = delta[fail[s] * A + cls];
      else {
        fail[t] = delta[fail[s] * A + cls];
        order.push(t);
      }
    }
  }

  const outStart = new Int32Array(states + 1);
  let outTotal = 0;
  for (let s = 0; s < states; s++) {
    outStart[s] = outTotal;
    outTotal += outLists[s].length;
  }
  outStart[states] = outTotal;
  const outIds = new Int32Array(outTotal);
  for (let s = 0; s < states; s++) outIds.set(outLists[s], outStart[s]);

  // Premultiply targets by A and flag states with output by storing their complement, so the
  // scan loop does one load, one sign test and no multiplication per char.
  const table = new Int32Array(states * A);
  for (let s = 0; s < states; s++) {
    for (let cls = 0; cls < A; cls++) {
      const t = delta[s * A + cls];
      table[s * A + cls] = outStart[t + 1] > outStart[t] ? ~(t * A) : t * A;
    }
  }
  const patternSpace = patterns.map((p) => p.includes(' '));
  const patternLength = patterns.map((p) => p.length);

  return {
    patternCount: patterns.length,
    stateCount: states,
    byteSize: table.byteLength + classOf.byteLength + outStart.byteLength + outIds.byteLength,
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
        const v = table[s + cls];
        if (v >= 0) s = v;
        else {
          s = ~v;
          const state = s / A;
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
