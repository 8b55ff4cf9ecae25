/**
 * The multi-pattern scanner over folded text: Aho–Corasick automata in typed arrays, read one char
 * at a time. The shallow states have dense transition rows (state × char class); the deep ones, a
 * run of single children along a name for the most part, keep their children and failure link.
 *
 * A pattern that begins with a letter or digit only counts where a word begins, and the automaton
 * for those patterns knows it: besides the trie it has a "between words" state (its root) and an
 * "inside a word" state, and its failure links only lead to suffixes that begin a word. Most of a
 * text is then read in those two states and the shallow rows of the trie, laid out together at
 * the start of the table, instead of wandering deep into the automaton after every word that looks
 * like the start of a name. Patterns that begin with anything else ("#metoo",
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

/**
 * The first `dense` states (breadth-first: the root, "inside a word" and the shallow trie, where a
 * scan spends most of its time) have a full row in `dfa`, state × class; a target is complemented
 * when it reports patterns. The deeper states, most of them with one child, keep only their
 * children (numbered consecutively, from childStart[s] to childStart[s + 1]) and their failure
 * state: a full row each would take hundreds of megabytes at 100,000 watches.
 *
 * Once built (`encoded`), a target in `dfa` is where the scan goes next as it reads it: the start
 * of the target's row (state × width) for a dense state, dense × width + the state for a deep one.
 * The scan then adds the class to what it read, with no multiplication between one load and the
 * next.
 */
interface Table {
  dense: number;
  dfa: Int32Array;
  encoded: boolean;
  childStart: Int32Array;
  label: Uint16Array;
  fail: Int32Array;
  outStart: Int32Array;
  outIds: Int32Array;
}

/** How many table entries (4 bytes each) the dense rows may take. */
const DENSE_ENTRIES = 1 << 21;

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

  function scanWith(table: Table, text: string, into: number[]): void {
    const { dense, dfa, outStart, outIds } = table;
    const deep = dense * width;
    let at = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const cls = classOf[text.charCodeAt(i)];
      let v: number;
      if (at < deep) v = dfa[at + cls];
      else {
        const t = move(table, at - deep, cls, width);
        const next = t < dense ? t * width : deep + t;
        v = outStart[t + 1] > outStart[t] ? ~next : next;
      }
      if (v >= 0) at = v;
      else {
        at = ~v;
        const s = at < deep ? (at / width) | 0 : at - deep;
        for (let k = outStart[s]; k < outStart[s + 1]; k++) {
          const id = outIds[k];
          into.push(id, startOf(text, id, i + 1), i + 1);
        }
      }
    }
  }
}

/**
 * The state after reading class `cls` in state `from`: a child, or else the failure state's move,
 * down to a state with a dense row.
 */
function move(table: Table, from: number, cls: number, width: number): number {
  const { dense, dfa, childStart, label, fail } = table;
  let s = from;
  while (s >= dense) {
    for (let t = childStart[s]; t < childStart[s + 1]; t++) if (label[t] === cls) return t;
    // A run of spaces reads as one: a state just past a space stays put on the next.
    if (cls === SPACE && label[s] === SPACE) return s;
    s = fail[s];
  }
  const v = dfa[s * width + cls];
  const t = v < 0 ? ~v : v;
  if (!table.encoded) return t;
  return t < dense * width ? (t / width) | 0 : t - dense * width;
}

/** A node with more children than this has them looked up in a hash rather than along a list. */
const FEW_CHILDREN = 6;

/** The children of the trie's wide nodes, in an open-addressing hash of (parent, class) that grows. */
class WideChildren {
  private bits = 10;
  private slots = new Int32Array(1 << this.bits).fill(-1);
  private parents = new Int32Array(1 << this.bits);
  private size = 0;

  constructor(private readonly label: Int32Array) {}

  find(parent: number, cls: number): number {
    const mask = this.slots.length - 1;
    for (let h = this.hash(parent, cls); this.slots[h] >= 0; h = (h + 1) & mask)
      if (this.parents[h] === parent && this.label[this.slots[h]] === cls) return this.slots[h];
    return -1;
  }

  add(parent: number, child: number): void {
    if (2 * (this.size + 1) > this.slots.length) this.grow();
    this.put(parent, child);
    this.size++;
  }

  private put(parent: number, child: number): void {
    const mask = this.slots.length - 1;
    let h = this.hash(parent, this.label[child]);
    while (this.slots[h] >= 0) h = (h + 1) & mask;
    this.slots[h] = child;
    this.parents[h] = parent;
  }

  private grow(): void {
    const { slots, parents } = this;
    this.bits++;
    this.slots = new Int32Array(1 << this.bits).fill(-1);
    this.parents = new Int32Array(1 << this.bits);
    for (let h = 0; h < slots.length; h++) if (slots[h] >= 0) this.put(parents[h], slots[h]);
  }

  private hash(parent: number, cls: number): number {
    return Math.imul(parent * 64 + cls, 0x9e3779b1) >>> (32 - this.bits);
  }
}

/**
 * The Aho–Corasick automaton of `ids`. With `isWordClass` (patterns that begin a word), state 0
 * is "between words", an extra state is "inside a word", and a failure link never leads to a
 * suffix that starts inside a word; without it, state 0 is the usual root.
 */
function buildTable(
  patterns: readonly string[],
  ids: number[],
  classOf: Uint16Array,
  width: number,
  isWordClass: number[] | null,
): Table {
  let totalChars = 0;
  for (const id of ids) totalChars += patterns[id].length;
  // A sparse trie first (children as sibling lists), so that the states can be numbered
  // breadth-first: the rows the scan mostly reads (the root, "inside a word", the first levels
  // of the trie) then sit together at the start of the dense table.
  const firstChild = new Int32Array(totalChars + 1).fill(-1);
  const nextSibling = new Int32Array(totalChars + 1).fill(-1);
  const label = new Int32Array(totalChars + 1);
  const ownFirst = new Int32Array(totalChars + 1).fill(-1);
  const ownNext = new Int32Array(patterns.length).fill(-1);
  let nodes = 1;
  // Most nodes have one child or a few: those are found along the sibling list, next to the node
  // in memory since the nodes of a new pattern's tail are made one after the other. The children
  // of a node with many (the root, the first letters) are looked up in a hash of (parent, class).
  const childCount = new Int32Array(totalChars + 1);
  const wide = new WideChildren(label);
  for (const id of ids) {
    const p = patterns[id];
    let node = 0;
    for (let i = 0; i < p.length; i++) {
      const cls = classOf[p.charCodeAt(i)];
      let child: number;
      if (childCount[node] > FEW_CHILDREN) child = wide.find(node, cls);
      else for (child = firstChild[node]; child >= 0 && label[child] !== cls;) child = nextSibling[child];
      if (child < 0) {
        child = nodes++;
        label[child] = cls;
        nextSibling[child] = firstChild[node];
        firstChild[node] = child;
        const count = ++childCount[node];
        if (count === FEW_CHILDREN + 1) {
          for (let c = firstChild[node]; c >= 0; c = nextSibling[c]) wide.add(node, c);
        } else if (count > FEW_CHILDREN + 1) wide.add(node, child);
      }
      node = child;
    }
    ownNext[id] = ownFirst[node];
    ownFirst[node] = id;
  }

  // State 0 is the root; with word starts, state 1 is "inside a word"; then the trie breadth-first,
  // which numbers the children of a state consecutively.
  const inWord = isWordClass === null ? 0 : 1;
  const first = isWordClass === null ? 1 : 2;
  const states = nodes - 1 + first;
  const nodeOf = new Int32Array(states);
  const childStart = new Int32Array(states + 1);
  const stateLabel = new Uint16Array(states);
  let numbered = first;
  for (let s = 0; s < states; s = s === 0 ? first : s + 1) {
    childStart[s] = numbered;
    for (let child = firstChild[nodeOf[s]]; child >= 0; child = nextSibling[child]) {
      stateLabel[numbered] = label[child];
      nodeOf[numbered++] = child;
    }
  }
  if (inWord !== 0) childStart[inWord] = childStart[first];
  childStart[states] = states;

  // Row by row in that order: a state's failure state is shallower, so its row is complete when read.
  const dense = Math.min(states, Math.max(first, Math.floor(DENSE_ENTRIES / width)));
  const dfa = new Int32Array(dense * width);
  const fail = new Int32Array(states);
  const table: Table = {
    dense,
    dfa,
    encoded: false,
    childStart,
    label: stateLabel,
    fail,
    outStart: new Int32Array(states + 1),
    outIds: new Int32Array(0),
  };
  if (isWordClass !== null) {
    for (let cls = 0; cls < width; cls++)
      if (isWordClass[cls] === 1) dfa[cls] = dfa[inWord * width + cls] = inWord;
  }
  for (let s = 0; s < states; s = s === 0 ? first : s + 1) {
    if (s < dense) {
      const row = s * width;
      const failRow = fail[s] * width;
      if (s !== 0) {
        dfa.copyWithin(row, failRow, failRow + width);
        // A run of spaces reads as one: a state just past a space stays put on the next.
        if (stateLabel[s] === SPACE) dfa[row + SPACE] = s;
      }
      for (let t = childStart[s]; t < childStart[s + 1]; t++) {
        fail[t] = s === 0 ? inWord : dfa[failRow + stateLabel[t]];
        dfa[row + stateLabel[t]] = t;
      }
    } else {
      for (let t = childStart[s]; t < childStart[s + 1]; t++)
        fail[t] = move(table, fail[s], stateLabel[t], width);
    }
  }

  // A state reports its own patterns, then those of its failure state (numbered before it).
  const outCount = new Int32Array(states);
  const outStart = table.outStart;
  for (let s = 0; s < states; s++) {
    if (s >= first) {
      for (let id = ownFirst[nodeOf[s]]; id >= 0; id = ownNext[id]) outCount[s]++;
      outCount[s] += outCount[fail[s]];
    }
    outStart[s + 1] = outStart[s] + outCount[s];
  }
  const outIds = (table.outIds = new Int32Array(outStart[states]));
  for (let s = first; s < states; s++) {
    let k = outStart[s];
    for (let id = ownFirst[nodeOf[s]]; id >= 0; id = ownNext[id]) outIds[k++] = id;
    for (let j = outStart[fail[s]]; j < outStart[fail[s] + 1]; j++) outIds[k++] = outIds[j];
  }

  // Dense targets are complemented when they report, so the scan loop does one load and one sign
  // test per char.
  for (let i = 0; i < dfa.length; i++) {
    const t = dfa[i];
    const next = t < dense ? t * width : dense * width + t;
    dfa[i] = outCount[t] > 0 ? ~next : next;
  }
  table.encoded = true;
  return table;
}
