/**
 * The multi-pattern scanner over folded text: Aho–Corasick automata stored as dense transition
 * tables in typed arrays (state × char class), read one char at a time.
 *
 * A pattern that begins with a letter or digit only counts where a word begins, and the automaton
 * for those patterns knows it: besides the trie it has a "between words" state (its root) and an
 * "inside a word" state, and its failure links only lead to suffixes that begin a word. Most of a
 * text is then read in those two states and the shallow rows of the trie, laid out together at
 * the start of the table, instead of wandering deep into a table of tens of megabytes after every
 * word that looks like the start of a name. Patterns that begin with anything else ("#metoo",
 * "-19") may start anywhere; they go into a plain automaton, built only when there are such patterns.
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

  /** Where an occurrence of pattern `id` ending at `end` starts, space runs included. */
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
  // A sparse trie first (children as sibling lists), so that the dense table can be laid out
  // breadth-first: the rows the scan mostly reads (the root, "inside a word", the first levels
  // of the trie) then sit together at its start.
  const firstChild = new Int32Array(totalChars + 1).fill(-1);
  const nextSibling = new Int32Array(totalChars + 1).fill(-1);
  const label = new Int32Array(totalChars + 1);
  const ownFirst = new Int32Array(totalChars + 1).fill(-1);
  const ownNext = new Int32Array(patterns.length).fill(-1);
  let nodes = 1;
  for (const id of ids) {
    const p = patterns[id];
    let node = 0;
    for (let i = 0; i < p.length; i++) {
      const cls = classOf[p.charCodeAt(i)];
      let child = firstChild[node];
      while (child >= 0 && label[child] !== cls) child = nextSibling[child];
      if (child < 0) {
        child = nodes++;
        label[child] = cls;
        nextSibling[child] = firstChild[node];
        firstChild[node] = child;
      }
      node = child;
    }
    ownNext[id] = ownFirst[node];
    ownFirst[node] = id;
  }

  // State 0 is the root; with word starts, state 1 is "inside a word"; then the trie breadth-first.
  const inWord = isWordClass === null ? 0 : 1;
  const first = isWordClass === null ? 1 : 2;
  const states = nodes - 1 + first;
  const nodeOf = new Int32Array(states);
  let numbered = first;
  for (let s = 0; s < numbered; s = s === 0 ? first : s + 1) {
    for (let child = firstChild[nodeOf[s]]; child >= 0; child = nextSibling[child]) nodeOf[numbered++] = child;
  }

  // Row by row in that order: a state's failure state is shallower, so its row is complete when read.
  const table = new Int32Array(states * width);
  const fail = new Int32Array(states);
  if (isWordClass !== null) {
    for (let cls = 0; cls < width; cls++) if (isWordClass[cls] === 1) table[cls] = table[inWord * width + cls] = inWord;
  }
  let next = first;
  for (let s = 0; s < states; s = s === 0 ? first : s + 1) {
    const node = nodeOf[s];
    const row = s * width;
    const failRow = fail[s] * width;
    if (s !== 0) {
      table.copyWithin(row, failRow, failRow + width);
      // A run of spaces reads as one: a state just past a space stays put on the next.
      if (label[node] === SPACE) table[row + SPACE] = s;
    }
    for (let child = firstChild[node]; child >= 0; child = nextSibling[child]) {
      const t = next++;
      fail[t] = s === 0 ? inWord : table[failRow + label[child]];
      table[row + label[child]] = t;
    }
  }

  // A state reports its own patterns, then those of its failure state (numbered before it).
  const outCount = new Int32Array(states);
  const outStart = new Int32Array(states + 1);
  for (let s = 0; s < states; s++) {
    if (s >= first) {
      for (let id = ownFirst[nodeOf[s]]; id >= 0; id = ownNext[id]) outCount[s]++;
      outCount[s] += outCount[fail[s]];
    }
    outStart[s + 1] = outStart[s] + outCount[s];
  }
  const outIds = new Int32Array(outStart[states]);
  for (let s = first; s < states; s++) {
    let k = outStart[s];
    for (let id = ownFirst[nodeOf[s]]; id >= 0; id = ownNext[id]) outIds[k++] = id;
    const f = fail[s];
    outIds.copyWithin(k, outStart[f], outStart[f] + outCount[f]);
  }

  // Targets premultiplied by the width and complemented when they report, so the scan loop does
  // one load, one sign test and no multiplication per char.
  for (let i = 0; i < table.length; i++) {
    const t = table[i];
    table[i] = outCount[t] > 0 ? ~(t * width) : t * width;
  }
  return { dfa: table, outStart, outIds };
}
