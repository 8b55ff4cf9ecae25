/**
 * All watches compile into one automaton (the presearcher): one pass over each folded field finds
 * the rare terms of every watch, and only the watches with such a term present (plus the few whose
 * query can hold without any term, e.g. NOT-only) have their query evaluated. Their other terms
 * are searched for when, and only if, the evaluation gets to them.
 */
import type { Matcher, MatchField, MatchHit, MatchInput, WatchMatch, WatchSpec } from '../contracts/match.js';
import { sharingWords } from '../language/names.js';
import { buildAutomaton } from './automaton.js';
import {
  foldKeepCase,
  foldPhrase,
  foldText,
  originalEnd,
  originalStart,
  SPACE_UNIT,
  WORD_UNIT,
  type FoldedText,
} from './fold.js';
import { inflectedTerm, nameTerms, readFlex } from './flex.js';
import { allTerms, parseQuery, presearchTerms, TEXT_FIELDS, type QueryNode, type TermNode } from './query.js';
import { QueryError } from './query-error.js';
import { Sentences, wordStartsIn } from './sentences.js';
import { buildSnippet } from './snippet.js';

/** The exclude patterns of a watch that has none: one array for all of them. */
const NONE: readonly number[] = [];

const FIELDS: readonly MatchField[] = ['title', 'summary', 'content', 'article', 'url', 'feed'];
const URL_FIELD = 4;
const FEED_FIELD = 5;

interface CompiledWatch {
  id: string;
  label: string;
  root: QueryNode;
  excludePatterns: readonly number[];
  /** The query's terms, and beside each its pattern: a few per watch, found by a linear search. */
  terms: TermNode[];
  termPatterns: number[];
}

/** A raw automaton hit that passed the left word boundary, in folded coordinates. */
interface RawOcc {
  field: number;
  start: number;
  end: number;
  /** The text goes on with a word char: fine for a wildcard, not for a whole word. */
  rightOpen: boolean;
}

/** An occurrence that counts for a query term. */
interface Occ {
  field: number;
  start: number;
  end: number;
  term: string;
  name?: string;
}

interface FieldText {
  original: string;
  folded: FoldedText;
  /** Made on first use, for proximity and snippets. */
  sentences?: Sentences;
}

export function compileWatches(watches: WatchSpec[]): Matcher {
  const patterns: string[] = [];
  const patternIndex = new Map<string, number>();
  const patternOf = (folded: string) => {
    let id = patternIndex.get(folded);
    if (id === undefined) {
      id = patterns.length;
      patterns.push(folded);
      patternIndex.set(folded, id);
    }
    return id;
  };
  /** For a pattern only names look for: the words a hit must be to make a watch a candidate. */
  const patternForms: (ReadonlySet<string> | null | undefined)[] = [];
  /** (pattern, watch) for the presearch terms, and (watch, pattern) for every pattern a watch uses. */
  const presearchPairs: number[] = [];
  const usePairs: number[] = [];
  const alwaysEvaluate: number[] = [];

  const compiled: CompiledWatch[] = sharingWords(() =>
    watches.map((spec, w) => {
      const root = rootOf(spec);
      const excludePatterns =
        spec.exclude === undefined || spec.exclude.length === 0
          ? NONE
          : spec.exclude.map((phrase) => {
              const folded = foldPhrase(phrase);
              if (!/[\p{L}\p{N}]/u.test(folded)) {
                throw new QueryError(
                  spec.id,
                  phrase,
                  1,
                  'this exclude phrase has no letters or digits',
                  'remove it or write the words it should exclude',
                );
              }
              return patternOf(folded);
            });
      // Kept for every watch: copied to their exact length (an array grown by push has room for more).
      const terms = allTerms(root).slice();
      const termPatterns = terms.map((t) => {
        const pid = patternOf(t.folded);
        patternForms[pid] = anchorFormsOf(t, patternForms[pid]);
        return pid;
      });
      const required = presearchTerms(root);
      if (required === null) alwaysEvaluate.push(w);
      const registered: number[] = [];
      for (const t of required ?? []) {
        const pid = termPatterns[terms.indexOf(t)];
        if (registered.includes(pid)) continue;
        registered.push(pid);
        presearchPairs.push(pid, w);
      }
      const used: number[] = [];
      for (const pid of termPatterns) if (!used.includes(pid)) used.push(pid);
      for (const pid of excludePatterns) if (!used.includes(pid)) used.push(pid);
      for (const pid of used) usePairs.push(w, pid);
      return { id: spec.id, label: spec.label, root, excludePatterns, terms, termPatterns };
    }),
  );

  // The presearch terms and the exclude phrases (rare by nature: they mostly extend a term) go into
  // the automaton. The other terms (the "the" of "Kovalenko NEAR/5 the", NOT operands) would make
  // the scan report every common word, so they are searched for only when an evaluation asks.
  const watchesOf = groupPairs(presearchPairs, patterns.length);
  const isExclude = new Uint8Array(patterns.length);
  for (const w of compiled) for (const pid of w.excludePatterns) isExclude[pid] = 1;
  const scannedPatterns = Int32Array.from(patterns.keys()).filter(
    (pid) => watchesOf.start[pid + 1] > watchesOf.start[pid] || isExclude[pid] === 1,
  );
  const automaton = buildAutomaton(Array.from(scannedPatterns, (pid) => patterns[pid]));
  const isScanned = new Uint8Array(patterns.length);
  scannedPatterns.forEach((pid) => (isScanned[pid] = 1));
  // Split on first use: only the patterns left out of the automaton are searched for word by word.
  const patternWords: string[][] = [];
  const startsWord = Uint8Array.from(patterns, (p) => WORD_UNIT[p.charCodeAt(0)]);
  const endsWord = Uint8Array.from(patterns, (p) => WORD_UNIT[p.charCodeAt(p.length - 1)]);
  const patternEndings = endingsAfter(patterns, patternForms);
  // The closures below keep this scope alive: drop what only compiling needs.
  patternIndex.clear();
  presearchPairs.length = 0;

  // Every pattern a watch's query may ask about: its terms and its exclude phrases.
  const patternsOf = groupPairs(usePairs, compiled.length);
  usePairs.length = 0;
  const watchStamp = new Int32Array(compiled.length);
  const patternStamp = new Int32Array(patterns.length);
  let generation = 0;
  const rawByField: number[][] = TEXT_FIELDS.map(() => []);

  function match(input: MatchInput): WatchMatch[] {
    const gen = ++generation;
    const fields: (FieldText | undefined)[] = [];
    const candidates: number[] = [];
    const mark = (w: number) => {
      if (watchStamp[w] !== gen) {
        watchStamp[w] = gen;
        candidates.push(w);
      }
    };
    for (let f = 0; f < TEXT_FIELDS.length; f++) {
      const original = input[TEXT_FIELDS[f]] ?? '';
      const raw = rawByField[f];
      raw.length = 0;
      if (original === '') continue;
      const previous = fields[f - 1];
      if (previous?.original === original) {
        // A feed without a separate summary repeats its content there: fold and scan it once.
        fields[f] = previous;
        for (const x of rawByField[f - 1]) raw.push(x);
        continue;
      }
      const folded = foldText(original);
      fields[f] = { original, folded };
      automaton.scan(folded.text, raw);
      for (let k = 0; k < raw.length; k += 3) {
        const pid = scannedPatterns[raw[k]];
        if (patternStamp[pid] === gen) continue;
        const forms = patternForms[pid];
        if (forms && !isAnchorForm(folded.text, raw[k + 1], raw[k + 2], forms, patternEndings[pid]!))
          continue;
        patternStamp[pid] = gen;
        for (let k = watchesOf.start[pid]; k < watchesOf.start[pid + 1]; k++) mark(watchesOf.items[k]);
      }
    }
    alwaysEvaluate.forEach(mark);
    if (candidates.length === 0) return [];
    candidates.sort((a, b) => a - b);

    // Occurrences are built (and word boundaries checked) only for patterns the candidates use.
    const wanted = -gen;
    for (const w of candidates) {
      for (let k = patternsOf.start[w]; k < patternsOf.start[w + 1]; k++)
        patternStamp[patternsOf.items[k]] = wanted;
    }
    const found = new Map<number, RawOcc[]>();
    const add = (into: RawOcc[], pid: number, f: number, text: string, start: number, end: number) => {
      if (startsWord[pid] === 1 && start > 0 && WORD_UNIT[text.charCodeAt(start - 1)] === 1) return;
      const rightOpen = endsWord[pid] === 1 && end < text.length && WORD_UNIT[text.charCodeAt(end)] === 1;
      into.push({ field: f, start, end, rightOpen });
    };
    for (let f = 0; f < TEXT_FIELDS.length; f++) {
      const field = fields[f];
      if (field === undefined) continue;
      const text = field.folded.text;
      const raw = rawByField[f];
      for (let k = 0; k < raw.length; k += 3) {
        const pid = scannedPatterns[raw[k]];
        if (patternStamp[pid] !== wanted) continue;
        let list = found.get(pid);
        if (list === undefined) found.set(pid, (list = []));
        add(list, pid, f, text, raw[k + 1], raw[k + 2]);
      }
    }
    const occurrencesOf = (pid: number): RawOcc[] | undefined => {
      if (isScanned[pid]) return found.get(pid);
      let list = found.get(pid);
      if (list !== undefined) return list.length > 0 ? list : undefined;
      found.set(pid, (list = []));
      for (let f = 0; f < TEXT_FIELDS.length; f++) {
        const field = fields[f];
        if (field === undefined) continue;
        const text = field.folded.text;
        findPhrase(text, (patternWords[pid] ??= patterns[pid].split(' ')), (start, end) =>
          add(list, pid, f, text, start, end),
        );
      }
      return list.length > 0 ? list : undefined;
    };

    const evaluation = new Evaluation(input, fields, occurrencesOf);
    const out: WatchMatch[] = [];
    for (const w of candidates) {
      const watch = compiled[w];
      const occs = evaluation.run(watch);
      if (occs !== null) out.push({ id: watch.id, label: watch.label, matches: evaluation.hits(occs) });
    }
    return out;
  }

  return { watchCount: compiled.length, match };
}

/** Lists of numbers (the watches of each pattern, the patterns of each watch) in two typed arrays. */
interface FlatLists {
  /** The list of `i` is items[start[i]] up to items[start[i + 1]]. */
  start: Int32Array;
  items: Int32Array;
}

/** Flat pairs [key, item, key, item, …] as lists by key (keys below `count`), items in their order. */
function groupPairs(pairs: readonly number[], count: number): FlatLists {
  const start = new Int32Array(count + 1);
  for (let k = 0; k < pairs.length; k += 2) start[pairs[k] + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const next = start.slice(0, count);
  const items = new Int32Array(start[count]);
  for (let k = 0; k < pairs.length; k += 2) items[next[pairs[k]]++] = pairs[k + 1];
  return { start, items };
}

/**
 * For each pattern that only names look for, what may follow it to the end of the word so that the
 * word is one of its anchor forms: the endings of declension ("", "a", "owi"…), which many names
 * share, so one set serves them all.
 */
function endingsAfter(
  patterns: readonly string[],
  forms: readonly (ReadonlySet<string> | null | undefined)[],
): (ReadonlySet<string> | undefined)[] {
  const shared = new Map<string, ReadonlySet<string>>();
  // A name's prefixes share its set of forms: sorted once, the forms that begin with a prefix are
  // one run of it.
  const sorted = new Map<ReadonlySet<string>, string[]>();
  return patterns.map((prefix, pid) => {
    const all = forms[pid];
    if (!all) return undefined;
    let list = sorted.get(all);
    if (list === undefined) sorted.set(all, (list = [...all].sort()));
    const endings: string[] = [];
    for (let k = firstNotBefore(list, prefix); k < list.length && list[k].startsWith(prefix); k++)
      endings.push(list[k].slice(prefix.length));
    const key = endings.join('\n');
    let set = shared.get(key);
    if (set === undefined) shared.set(key, (set = new Set(endings)));
    return set;
  });
}

/** The index of the first string of sorted `list` that does not sort before `s`. */
function firstNotBefore(list: readonly string[], s: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether the word that starts at `start` in `text`, where a hit of a name's anchor prefix ends at
 * `end`, is one of the anchor's `forms`. A word that goes past the prefix is one exactly when the
 * rest of it is one of the `endings`, a lookup of a short string in a small set.
 */
const APOSTROPHE = 0x27;

function isAnchorForm(
  text: string,
  start: number,
  end: number,
  forms: ReadonlySet<string>,
  endings: ReadonlySet<string>,
): boolean {
  let wordEnd = start;
  for (;;) {
    while (wordEnd < text.length && WORD_UNIT[text.charCodeAt(wordEnd)] === 1) wordEnd++;
    // An apostrophe inside the hit belongs to the name (O'Brien); one after it does not (Macron's).
    if (wordEnd < end - 1 && text.charCodeAt(wordEnd) === APOSTROPHE) wordEnd++;
    else break;
  }
  if (wordEnd < end) return forms.has(text.slice(start, wordEnd));
  return endings.has(text.slice(end, wordEnd));
}

/** The anchor forms a pattern's hits must be, merged over its terms; null when a term takes any hit. */
function anchorFormsOf(
  t: TermNode,
  sofar: ReadonlySet<string> | null | undefined,
): ReadonlySet<string> | null {
  const forms = t.flex?.anchorForms;
  if (forms === undefined || sofar === null) return null;
  if (sofar === undefined || sofar === forms) return forms;
  // A watch that names "Ann Lee" and "Lee" gives the pattern of "lee" the same forms twice.
  for (const form of forms) if (!sofar.has(form)) return new Set([...sofar, ...forms]);
  return sofar;
}

/**
 * Calls `found` for every start (overlapping ones too) where the words occur in `text` separated
 * by runs of spaces, as the automaton would see them.
 */
function findPhrase(text: string, words: string[], found: (start: number, end: number) => void): void {
  const first = words[0];
  for (let at = text.indexOf(first); at >= 0; at = text.indexOf(first, at + 1)) {
    let j = at + first.length;
    let whole = true;
    for (let k = 1; k < words.length && whole; k++) {
      if (!SPACE_UNIT[text.charCodeAt(j)]) whole = false;
      else {
        while (SPACE_UNIT[text.charCodeAt(j)]) j++;
        whole = text.startsWith(words[k], j);
        j += words[k].length;
      }
    }
    if (whole) found(at, j);
  }
}

function rootOf(spec: WatchSpec): QueryNode {
  const words = (term: string, what: string) => {
    const folded = foldPhrase(term);
    if (!/[\p{L}\p{N}]/u.test(folded)) {
      throw new QueryError(
        spec.id,
        term,
        1,
        `this ${what} has no letters or digits`,
        `remove it or write the words to watch for`,
      );
    }
    return folded;
  };
  const inflectLang = typeof spec.inflect === 'string' ? spec.inflect : undefined;
  const terms: QueryNode[] = [];
  for (const name of spec.names ?? []) {
    words(name, 'name');
    terms.push(...nameTerms(name, null));
  }
  for (const term of spec.terms ?? []) {
    const folded = words(term, 'term');
    terms.push(
      spec.inflect
        ? inflectedTerm(term, inflectLang, null)
        : { kind: 'term', text: term, folded, wildcard: false, caseText: null, fields: null },
    );
  }
  if (spec.query !== undefined) terms.push(parseQuery(spec.id, spec.query, { inflect: spec.inflect }));
  if (terms.length === 0) {
    throw new QueryError(
      spec.id,
      '',
      1,
      'the watch has neither names, terms nor a query',
      'add names: [...], terms: [...] or query: ...',
    );
  }
  // The tree lives as long as the watch: the list is copied to its exact length.
  return terms.length === 1 ? terms[0] : { kind: 'or', children: terms.slice() };
}

/** One item against the candidate watches; caches per-field work shared by several watches. */
class Evaluation {
  private watch: CompiledWatch | undefined;
  private urlFolded: FoldedText | undefined;

  constructor(
    private readonly input: MatchInput,
    private readonly fields: (FieldText | undefined)[],
    private readonly occurrencesOf: (pid: number) => RawOcc[] | undefined,
  ) {}

  run(watch: CompiledWatch): Occ[] | null {
    this.watch = watch;
    return this.eval(watch.root);
  }

  private eval(n: QueryNode): Occ[] | null {
    switch (n.kind) {
      case 'term': {
        const occs = this.termOccs(n);
        return occs.length > 0 ? occs : null;
      }
      case 'and': {
        const all: Occ[] = [];
        for (const c of n.children) {
          const r = this.eval(c);
          if (r === null) return null;
          all.push(...r);
        }
        return all;
      }
      case 'or': {
        let all: Occ[] | null = null;
        for (const c of n.children) {
          const r = this.eval(c);
          if (r !== null) (all ??= []).push(...r);
        }
        return all;
      }
      case 'not':
        return this.eval(n.child) === null ? [] : null;
      case 'near':
        return this.near(n.left, n.right, n.distance, n.ordered);
      case 'url': {
        if (this.input.url === undefined) return null;
        this.urlFolded ??= foldText(this.input.url);
        const at = this.urlFolded.text.indexOf(n.folded);
        return at < 0 ? null : [{ field: URL_FIELD, start: at, end: at + n.folded.length, term: n.text }];
      }
      case 'feed': {
        const id = this.input.feedId;
        return id !== undefined && id.toLowerCase() === n.text
          ? [{ field: FEED_FIELD, start: 0, end: id.length, term: n.text }]
          : null;
      }
      case 'lang': {
        // An item whose language is unknown does not pass a lang: filter (and so passes -lang:).
        const lang = this.input.lang?.toLowerCase();
        return lang !== undefined && (lang === n.text || lang.startsWith(n.text + '-')) ? [] : null;
      }
    }
  }

  private termOccs(t: TermNode): Occ[] {
    const { terms, termPatterns } = this.watch!;
    const raw = this.occurrencesOf(termPatterns[terms.indexOf(t)]);
    if (raw === undefined) return [];
    const out: Occ[] = [];
    for (const o of raw) {
      if (t.fields !== null && !t.fields.includes(TEXT_FIELDS[o.field])) continue;
      const field = this.fields[o.field]!;
      if (t.flex !== undefined) {
        const span = readFlex(t.flex, field.original, field.folded, o.start);
        if (span === null || this.excluded(o.field, span[0], span[1])) continue;
        const found =
          t.flex.name === undefined
            ? t.text
            : field.original.slice(originalStart(field.folded, span[0]), originalEnd(field.folded, span[1]));
        out.push({
          field: o.field,
          start: span[0],
          end: span[1],
          term: found,
          ...(t.flex.name !== undefined ? { name: t.flex.name } : {}),
        });
        continue;
      }
      let end = o.end;
      if (t.wildcard) {
        const text = field.folded.text;
        while (end < text.length && WORD_UNIT[text.charCodeAt(end)] === 1) end++;
      } else if (o.rightOpen) continue;
      if (t.caseText !== null) {
        const written = foldKeepCase(
          field.original.slice(originalStart(field.folded, o.start), originalEnd(field.folded, end)),
        );
        if (t.wildcard ? !written.startsWith(t.caseText) : written !== t.caseText) continue;
      }
      if (this.excluded(o.field, o.start, end)) continue;
      out.push({ field: o.field, start: o.start, end, term: t.text });
    }
    return out;
  }

  private excluded(field: number, start: number, end: number): boolean {
    for (const pid of this.watch!.excludePatterns) {
      for (const x of this.occurrencesOf(pid) ?? []) {
        if (x.field === field && !x.rightOpen && x.start <= start && end <= x.end) return true;
      }
    }
    return false;
  }

  private operandOccs(n: QueryNode): Occ[] {
    if (n.kind === 'term') return this.termOccs(n);
    if (n.kind === 'or') return n.children.flatMap((c) => this.operandOccs(c));
    return [];
  }

  private near(left: QueryNode, right: QueryNode, distance: number, ordered: boolean): Occ[] | null {
    const ls = this.operandOccs(left);
    if (ls.length === 0) return null;
    const rs = this.operandOccs(right);
    const kept = new Set<Occ>();
    for (const l of ls) {
      for (const r of rs) {
        if (l.field !== r.field) continue;
        const [first, second] = l.start <= r.start ? [l, r] : [r, l];
        if (ordered && first !== l) continue;
        if (second.start < first.end) continue;
        // Words are counted first: that stops after distance + 2 of them, where the sentence test
        // would read the whole span between two far occurrences.
        const between =
          wordStartsIn(this.fields[l.field]!.folded.text, first.end, second.start, distance + 1) - 1;
        if (between > distance) continue;
        if (!this.sentences(l.field).same(first.start, second.end - 1)) continue;
        kept.add(l).add(r);
      }
    }
    return kept.size > 0 ? [...kept] : null;
  }

  private sentences(field: number): Sentences {
    const f = this.fields[field]!;
    return (f.sentences ??= new Sentences(f.folded.text));
  }

  /** Hits in field order, a hit inside another one dropped, with offsets into the original text. */
  hits(occs: Occ[]): MatchHit[] {
    const sorted = [...occs].sort((a, b) => a.field - b.field || a.start - b.start || b.end - a.end);
    const out: MatchHit[] = [];
    let last: Occ | undefined;
    for (const o of sorted) {
      if (last !== undefined && last.field === o.field && o.end <= last.end) continue;
      last = o;
      out.push(this.hit(o));
    }
    return out;
  }

  private hit(o: Occ): MatchHit {
    const field = FIELDS[o.field];
    if (o.field === FEED_FIELD) {
      const id = this.input.feedId!;
      return { term: o.term, field, start: 0, end: id.length, snippet: `«${id}»` };
    }
    const original = o.field === URL_FIELD ? this.input.url! : this.fields[o.field]!.original;
    const folded = o.field === URL_FIELD ? this.urlFolded! : this.fields[o.field]!.folded;
    const start = originalStart(folded, o.start);
    const end = originalEnd(folded, o.end);
    if (o.field === URL_FIELD) {
      return {
        term: o.term,
        field,
        start,
        end,
        snippet: buildSnippet(original, 0, original.length, start, end),
      };
    }
    const [s, e] = this.sentences(o.field).around(o.start);
    const snippet = buildSnippet(original, originalStart(folded, s), originalStart(folded, e), start, end);
    return { term: o.term, ...(o.name !== undefined ? { name: o.name } : {}), field, start, end, snippet };
  }
}
