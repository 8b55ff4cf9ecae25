/**
 * The multi-pattern scanner over folded text: Aho–Corasick automata stored as dense transition
 * tables in typed arrays (state × char class), read one char at a time.
 *
 * A pattern that begins with a letter or digit only counts where a word begins, and the automaton
 * for those patterns knows it: besides the trie it has a "between words" state (its root) and an
 * "inside a word" state, and its failure links only lead to suffixes that begin a word. Most of a
 * text is then read in those two states and the shallow rows of the trie, which stay in cache
 * however many patterns there are. Patterns that begin with anything else ("#metoo", "-19") may
 * start anywhere; they go into a plain automaton, built only when there are such patterns.
 *
 * Char classes keep the tables narrow: only code units that occur in some pattern get a class of
 * their own, the others are "word" or "other"; all whitespace shares the "space" class, and a run
 * of spaces in the text is read as one, so "security\n  guarantees" meets "security guarantees".
 */
import { SPACE_UNIT, WORD_UNIT } from './fold.js';

const OTHER = 0;
const SPACE = 1;
const OTHER_WORD = 2;

export interface Automaton {
  readonly patternCount: number;
  /**
   * Every occurrence in `text` of a pattern that starts a word (or of any other pattern,
   * anywhere), as flat triples [patternId, start, endExclusive, ...]; the right word boundary
   * is the caller's to check. Reuses and returns `into` when given.
   */
  scan(text: string, into?: number[]): number[];
}

/** A dense table: targets premultiplied by the class count, and complemented when the target reports patterns. */
interface Table {
  dfa: Int32Array;
  outStart: Int32Array;
  outIds: Int32Array;
  width: number;
}

/** Patterns must be folded and have single spaces between words (see foldPhrase). */
export function buildAutomaton(patterns: readonly string[]): Automaton {
  const classOf = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) classOf[c] = SPACE_UNIT[c] ? SPACE : WORD_UNIT[c] ? OTHER_WORD : OTHER;
  const isWordClass = [0, 0, 1];
  let width = 3;
  for (const p of patterns) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (classOf[c] === OTHER || classOf[c] === OTHER_WORD) {
        classOf[c] = width++;
        isWordClass.push(WORD_UNIT[c]);
      }
    }
  }
  const anchored: number[] = [];
  const floating: number[] = [];
  patterns.forEach((p, id) => (WORD_UNIT[p.charCodeAt(0)] === 1 ? anchored : floating).push(id));
  const words = buildTable(patterns, anchored, classOf, width, isWordClass);
  const ac = floating.length > 0 ? buildTable(patterns, floating, classOf, width, null) : null;
  const patternSpace = patterns.map((p) => p.includes(' '));
  const patternLength = patterns.map((p) => p.length);

  /** Where an occurrence of a floating pattern ending at `end` starts, space runs included. */
  function startOf(text: string, id: number, end: number): number {
    if (!patternSpace[id]) return end - patternLength[id];
    const p = patterns[id];
    let j = end - 1;
    for (let k = p.length - 1; k >= 0; k--) {
      if (p.charCodeAt(k) === 32) while (j >= 0 && SPACE_UNIT[text.charCodeAt(j)]) j--;
      else j--;
    }
    return j + 1;
  }

  return {
    patternCount: patterns.length,
    scan(text, into = []) {
      into.length = 0;
      scanWith(words, text, into);
      if (ac !== null) scanWith(ac, text, into);
      return into;
    },
  };

  function scanWith({ dfa, outStart, outIds }: Table, text: string, into: number[]): void {
    let s = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const v = dfa[s + classOf[text.charCodeAt(i)]];
      if (v >= 0) s = v;
      else {
        s = ~v;
        const state = (s / width) | 0;
        for (let k = outStart[state]; k < outStart[state + 1]; k++) {
          const id = outIds[k];
          into.push(id, startOf(text, id, i + 1), i + 1);
        }
      }
    }
  }
}

/**
 * The Aho–Corasick automaton of `ids`. With `isWordClass` (patterns that begin a word), state 0
 * is "between words", an extra state is "inside a word", and a failure link never leads to a
 * suffix that starts inside a word; without it, state 0 is the usual root.
 */
function buildTable(patterns: readonly string[], ids: number[], classOf: Uint16Array, width: number, isWordClass: number[] | null): Table {
  let totalChars = 0;
  for (const id of ids) totalChars += patterns[id].length;
  // Trie first (0 = no edge: the root is nobody's child), completed in place below.
  const table = new Int32Array((totalChars + 2) * width);
  const ownFirst = new Int32Array(totalChars + 2).fill(-1);
  const ownNext = new Int32Array(patterns.length).fill(-1);
  const afterSpace = new Uint8Array(totalChars + 2);
  let states = 1;
  for (const id of ids) {
    const p = patterns[id];
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const at = s * width + classOf[p.charCodeAt(i)];
      if (table[at] === 0) {
        afterSpace[states] = p.charCodeAt(i) === 32 ? 1 : 0;
        table[at] = states++;
      }
      s = table[at];
    }
    ownNext[id] = ownFirst[s];
    ownFirst[s] = id;
  }
  const inWord = isWordClass === null ? 0 : states++;
  const fail = new Int32Array(states);
  for (let cls = 0; cls < width; cls++) {
    const word = isWordClass !== null && isWordClass[cls] === 1;
    if (table[cls] !== 0) fail[table[cls]] = inWord;
    else if (word) table[cls] = inWord;
    if (isWordClass !== null) table[inWord * width + cls] = word ? inWord : 0;
  }

  // Breadth-first: a state's failure state is shallower, so its row is complete before it is read.
  const order = new Int32Array(states);
  let queued = 0;
  for (let cls = 0; cls < width; cls++) {
    const t = table[cls];
    if (t !== 0 && t !== inWord) order[queued++] = t;
  }
  for (let q = 0; q < queued; q++) {
    const s = order[q];
    const row = s * width;
    const failRow = fail[s] * width;
    for (let cls = 0; cls < width; cls++) {
      const t = table[row + cls];
      // A run of spaces reads as one: a state just past a space stays put on the next.
      if (cls === SPACE && afterSpace[s]) table[row + cls] = s;
      else if (t === 0) table[row + cls] = table[failRow + cls];
      else {
        fail[t] = table[failRow + cls];
        order[queued++] = t;
      }
    }
  }

  // States are renumbered breadth-first, so the rows the scan mostly reads (the root, "inside a
  // word", the first levels of the trie) sit together at the start of the table.
  const first = isWordClass === null ? 1 : 2;
  const renamed = new Int32Array(states);
  renamed[inWord] = inWord === 0 ? 0 : 1;
  for (let q = 0; q < queued; q++) renamed[order[q]] = q + first;
  const byNumber = new Int32Array(states);
  for (let s = 0; s < states; s++) byNumber[renamed[s]] = s;

  // A state reports its own patterns, then those of its failure state (numbered before it).
  const outCount = new Int32Array(states);
  const outStart = new Int32Array(states + 1);
  for (let r = 0; r < states; r++) {
    const s = byNumber[r];
    let own = 0;
    for (let id = ownFirst[s]; id >= 0; id = ownNext[id]) own++;
    outCount[r] = own + (r < first ? 0 : outCount[renamed[fail[s]]]);
    outStart[r + 1] = outStart[r] + outCount[r];
  }
  const outIds = new Int32Array(outStart[states]);
  for (let r = first; r < states; r++) {
    const s = byNumber[r];
    let k = outStart[r];
    for (let id = ownFirst[s]; id >= 0; id = ownNext[id]) outIds[k++] = id;
    const f = renamed[fail[s]];
    outIds.copyWithin(k, outStart[f], outStart[f] + outCount[f]);
  }

  // Targets premultiplied by the width and complemented when they report, so the scan loop does
  // one load, one sign test and no multiplication per char.
  const dfa = new Int32Array(states * width);
  for (let r = 0; r < states; r++) {
    const row = byNumber[r] * width;
    for (let cls = 0; cls < width; cls++) {
      const t = renamed[table[row + cls]];
      dfa[r * width + cls] = outCount[t] > 0 ? ~(t * width) : t * width;
    }
  }
  return { dfa, outStart, outIds, width };
}
