/**
 * All watches compile into one automaton (the presearcher): one pass over each folded field finds
 * every term of every watch, and only the watches with a term present (plus the few whose query
 * can hold without any term, e.g. NOT-only) have their query evaluated.
 */
import type { Matcher, MatchField, MatchHit, MatchInput, WatchMatch, WatchSpec } from '../contracts/match.js';
import { buildAutomaton } from './automaton.js';
import { foldKeepCase, foldPhrase, foldText, originalEnd, originalStart, WORD_UNIT, type FoldedText } from './fold.js';
import { allTerms, parseQuery, presearchTerms, TEXT_FIELDS, type QueryNode, type TermNode } from './query.js';
import { QueryError } from './query-error.js';
import { countAtMost, sentenceAround, sentenceEndsOf, wordStartsOf } from './sentences.js';
import { buildSnippet } from './snippet.js';

const FIELDS: readonly MatchField[] = ['title', 'summary', 'content', 'url', 'feed'];
const URL_FIELD = 3;
const FEED_FIELD = 4;

interface CompiledWatch {
  id: string;
  label: string;
  root: QueryNode;
  excludePatterns: number[];
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
}

interface FieldText {
  original: string;
  folded: FoldedText;
  /** Computed on first use: words for proximity, sentence ends for proximity and snippets. */
  wordStarts?: Int32Array;
  sentenceEnds?: Int32Array;
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
  const termPattern = new Map<TermNode, number>();
  const patternWatches: number[][] = [];
  const alwaysEvaluate: number[] = [];

  const compiled: CompiledWatch[] = watches.map((spec, w) => {
    const root = rootOf(spec);
    const excludePatterns = (spec.exclude ?? []).map((phrase) => {
      const folded = foldPhrase(phrase);
      if (!/[\p{L}\p{N}]/u.test(folded)) {
        throw new QueryError(spec.id, phrase, 1, 'this exclude phrase has no letters or digits', 'remove it or write the words it should exclude');
      }
      return patternOf(folded);
    });
    for (const t of allTerms(root)) termPattern.set(t, patternOf(t.folded));
    const required = presearchTerms(root);
    if (required === null) alwaysEvaluate.push(w);
    for (const t of required ?? []) {
      const list = (patternWatches[termPattern.get(t)!] ??= []);
      if (list[list.length - 1] !== w) list.push(w);
    }
    return { id: spec.id, label: spec.label, root, excludePatterns };
  });

  // Only the presearch terms go into the automaton; the others (the "the" of "Kovalenko NEAR/5
  // the", exclude phrases) are looked for by a RegExp, and only in items where a watch needs them.
  const scannedPatterns = patterns.flatMap((_, pid) => (patternWatches[pid] === undefined ? [] : [pid]));
  const automaton = buildAutomaton(scannedPatterns.map((pid) => patterns[pid]));
  const isScanned = new Uint8Array(patterns.length);
  scannedPatterns.forEach((pid) => (isScanned[pid] = 1));
  const lookups: (RegExp | undefined)[] = [];
  const lookupOf = (pid: number) => (lookups[pid] ??= new RegExp(escapeRegExp(patterns[pid]).replace(/ /g, '[\\s\\u00ad\\u200b]+'), 'g'));
  const startsWord = patterns.map((p) => WORD_UNIT[p.charCodeAt(0)] === 1);
  const endsWord = patterns.map((p) => WORD_UNIT[p.charCodeAt(p.length - 1)] === 1);

  // Every pattern a watch's query may ask about: its terms and its exclude phrases.
  const watchPatterns = compiled.map((w) => [...new Set([...allTerms(w.root).map((t) => termPattern.get(t)!), ...w.excludePatterns])]);
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
      const folded = foldText(original);
      fields[f] = { original, folded };
      automaton.scan(folded.text, raw);
      for (let k = 0; k < raw.length; k += 2) {
        const pid = scannedPatterns[raw[k]];
        if (patternStamp[pid] === gen) continue;
        patternStamp[pid] = gen;
        patternWatches[pid]?.forEach(mark);
      }
    }
    alwaysEvaluate.forEach(mark);
    if (candidates.length === 0) return [];
    candidates.sort((a, b) => a - b);

    // Occurrences are built (and word boundaries checked) only for patterns the candidates use:
    // a watch like "Kovalenko NEAR/5 the" must not cost an object per "the" in items without Kovalenko.
    const wanted = -gen;
    const lookedUp: number[] = [];
    for (const w of candidates) {
      for (const pid of watchPatterns[w]) {
        if (patternStamp[pid] === wanted) continue;
        patternStamp[pid] = wanted;
        if (!isScanned[pid]) lookedUp.push(pid);
      }
    }
    const found = new Map<number, RawOcc[]>();
    for (let f = 0; f < TEXT_FIELDS.length; f++) {
      const field = fields[f];
      if (field === undefined) continue;
      const text = field.folded.text;
      const add = (pid: number, start: number, end: number) => {
        if (startsWord[pid] && start > 0 && WORD_UNIT[text.charCodeAt(start - 1)] === 1) return;
        const rightOpen = endsWord[pid] && end < text.length && WORD_UNIT[text.charCodeAt(end)] === 1;
        let list = found.get(pid);
        if (list === undefined) found.set(pid, (list = []));
        list.push({ field: f, start, end, rightOpen });
      };
      const raw = rawByField[f];
      for (let k = 0; k < raw.length; k += 2) {
        const pid = scannedPatterns[raw[k]];
        if (patternStamp[pid] !== wanted) continue;
        const end = raw[k + 1];
        add(pid, automaton.startOf(text, raw[k], end), end);
      }
      for (const pid of lookedUp) {
        const re = lookupOf(pid);
        re.lastIndex = 0;
        for (let m = re.exec(text); m !== null; m = re.exec(text)) {
          add(pid, m.index, m.index + m[0].length);
          re.lastIndex = m.index + 1;
        }
      }
    }

    const evaluation = new Evaluation(input, fields, found, termPattern);
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function rootOf(spec: WatchSpec): QueryNode {
  const terms: QueryNode[] = (spec.terms ?? []).map((term) => {
    const folded = foldPhrase(term);
    if (!/[\p{L}\p{N}]/u.test(folded)) {
      throw new QueryError(spec.id, term, 1, 'this term has no letters or digits', 'remove it or write the words to watch for');
    }
    return { kind: 'term', text: term, folded, wildcard: false, caseText: null, fields: null };
  });
  if (spec.query !== undefined) terms.push(parseQuery(spec.id, spec.query));
  if (terms.length === 0) {
    throw new QueryError(spec.id, '', 1, 'the watch has neither terms nor a query', 'add terms: [...] or query: ...');
  }
  return terms.length === 1 ? terms[0] : { kind: 'or', children: terms };
}

/** One item against the candidate watches; caches per-field work shared by several watches. */
class Evaluation {
  private excludes: number[] = [];
  private urlFolded: FoldedText | undefined;

  constructor(
    private readonly input: MatchInput,
    private readonly fields: (FieldText | undefined)[],
    private readonly found: Map<number, RawOcc[]>,
    private readonly termPattern: Map<TermNode, number>,
  ) {}

  run(watch: CompiledWatch): Occ[] | null {
    this.excludes = watch.excludePatterns;
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
        return id !== undefined && id.toLowerCase() === n.text ? [{ field: FEED_FIELD, start: 0, end: id.length, term: n.text }] : null;
      }
      case 'lang': {
        // An item whose language is unknown does not pass a lang: filter (and so passes -lang:).
        const lang = this.input.lang?.toLowerCase();
        return lang !== undefined && (lang === n.text || lang.startsWith(n.text + '-')) ? [] : null;
      }
    }
  }

  private termOccs(t: TermNode): Occ[] {
    const raw = this.found.get(this.termPattern.get(t)!);
    if (raw === undefined) return [];
    const out: Occ[] = [];
    for (const o of raw) {
      if (t.fields !== null && !t.fields.includes(TEXT_FIELDS[o.field])) continue;
      const field = this.fields[o.field]!;
      let end = o.end;
      if (t.wildcard) {
        const text = field.folded.text;
        while (end < text.length && WORD_UNIT[text.charCodeAt(end)] === 1) end++;
      } else if (o.rightOpen) continue;
      if (t.caseText !== null) {
        const written = foldKeepCase(field.original.slice(originalStart(field.folded, o.start), originalEnd(field.folded, end)));
        if (t.wildcard ? !written.startsWith(t.caseText) : written !== t.caseText) continue;
      }
      if (this.excluded(o.field, o.start, end)) continue;
      out.push({ field: o.field, start: o.start, end, term: t.text });
    }
    return out;
  }

  private excluded(field: number, start: number, end: number): boolean {
    for (const pid of this.excludes) {
      for (const x of this.found.get(pid) ?? []) {
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
        const { wordStarts, sentenceEnds } = this.layout(l.field);
        if (countAtMost(sentenceEnds, first.start) !== countAtMost(sentenceEnds, second.end - 1)) continue;
        const between = countAtMost(wordStarts, second.start) - countAtMost(wordStarts, first.end - 1) - 1;
        if (between > distance) continue;
        kept.add(l).add(r);
      }
    }
    return kept.size > 0 ? [...kept] : null;
  }

  private layout(field: number): { wordStarts: Int32Array; sentenceEnds: Int32Array } {
    const f = this.fields[field]!;
    f.wordStarts ??= wordStartsOf(f.folded.text);
    return { wordStarts: f.wordStarts, sentenceEnds: this.sentenceEnds(field) };
  }

  private sentenceEnds(field: number): Int32Array {
    const f = this.fields[field]!;
    return (f.sentenceEnds ??= sentenceEndsOf(f.folded.text));
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
      return { term: o.term, field, start, end, snippet: buildSnippet(original, 0, original.length, start, end) };
    }
    const [s, e] = sentenceAround(this.sentenceEnds(o.field), o.start, folded.text.length);
    const snippet = buildSnippet(original, originalStart(folded, s), originalStart(folded, e), start, end);
    return { term: o.term, field, start, end, snippet };
  }
}
