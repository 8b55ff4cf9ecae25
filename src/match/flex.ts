/**
 * Terms that match more than one spelling: names (every variant of src/language/names, each word
 * in its case forms, capitalised) and inflected terms (every word with the stem of the term's
 * word, in the term's language). The presearcher looks for one word's folded prefix, shared by all
 * its forms; an occurrence is then read word by word, in order and adjacent, as a phrase is.
 */
import { commonWordsOf } from '../language/common-words.js';
import { expandName } from '../language/names.js';
import { termLanguage } from '../language/detect.js';
import { stemmerFor, type Stemmer } from '../language/stem.js';
import { foldPhrase, originalEnd, originalStart, SPACE_UNIT, WORD_UNIT, type FoldedText } from './fold.js';
import type { TermNode, TextField } from './query.js';

export interface FlexWord {
  /** A word of the text, folded and as written (soft hyphens and all), belongs to the term. */
  accepts(folded: string, written: string): boolean;
  /**
   * The word has an apostrophe of its own (O'Brien), so one between two letters is inside it;
   * for other words it ends the word, leaving elisions and possessives out (d'Emmanuel, Macron's).
   */
  apostrophe?: boolean;
}

export interface FlexTerm {
  words: FlexWord[];
  /** The word the presearcher looks for. */
  anchor: number;
  /** For a name: the name, as configured, the variant stands for. */
  name?: string;
  /** For a name: the folded forms of the anchor word, so a presearch hit inside another word is let go at once. */
  anchorForms?: ReadonlySet<string>;
}

const MIN_ANCHOR = 3;
const UPPER_START = /^[\p{Lu}\p{Lt}]/u;

/** Whether a word starts with a capital (or title-case) letter; ASCII without the RegExp. */
function startsUpper(word: string): boolean {
  const c = word.charCodeAt(0);
  return c < 128 ? c >= 65 && c <= 90 : UPPER_START.test(word);
}

/**
 * A name as terms, ORed by the caller: one per prefix the presearcher looks for. Each word of each
 * term accepts the forms of that word in every variant (all variants spell a name word by word), so
 * a text that mixes two romanizations ("Wolodymyr Zelensky") still names the person.
 */
export function nameTerms(name: string, fields: TextField[] | null): TermNode[] {
  const variants = expandName(name);
  const folded = variants.map((v) => v.words.map((w) => [...new Set(w.forms.map(foldPhrase))]));
  const forms = variants[0].words.map((_, i) => new Set(folded.flatMap((f) => f[i])));
  const words: FlexWord[] = variants[0].words.map((w, i) => ({
    accepts: (f, written) => (!w.capital || startsUpper(written)) && forms[i].has(f),
    apostrophe: [...forms[i]].some((f) => f.includes("'")),
  }));
  // The anchor is the word with the longest prefix shared by its forms, as the name is written.
  const anchor = longest(folded[0].map(commonPrefix));
  const prefixes = [...new Set(folded.map((f) => commonPrefix(f[anchor])))];
  const flex: FlexTerm = { words, anchor, name, anchorForms: forms[anchor] };
  return prefixes.map((prefix, k) =>
    flexTerm(
      k === 0 ? name.trim() : variants.find((_, j) => commonPrefix(folded[j][anchor]) === prefix)!.spelling,
      prefix,
      flex,
      fields,
    ),
  );
}

/**
 * A term that matches its inflected forms, in `lang` or the language it is written in. The
 * presearcher looks for its rarest word: the longest of those that are not common words of the
 * language, else the longest.
 */
export function inflectedTerm(text: string, lang: string | undefined, fields: TextField[] | null): TermNode {
  const language = lang ?? termLanguage(text);
  const stem = memoStemmer(language);
  const lower =
    foldPhrase(text) === ''
      ? []
      : text
          .trim()
          .toLowerCase()
          .split(/[\s\-\u2010-\u2013]+/u)
          .filter((w) => w !== '');
  const stems = lower.map((w) => stem(w));
  const words: FlexWord[] = stems.map((s) => ({
    accepts: (_f, written) => stem(withoutSoftHyphens(written.toLowerCase())) === s,
  }));
  const prefixes = lower.map((w, i) => {
    const prefix = commonPrefix([foldPhrase(w), foldPhrase(stems[i])]);
    return prefix.length >= MIN_ANCHOR ? prefix : foldPhrase(w);
  });
  const common = commonWordsOf(language);
  const rare = prefixes.map((p, i) => (common?.has(lower[i]) || common?.has(stems[i]) ? '' : p));
  const anchor = rare.some((p) => p !== '') ? longest(rare) : longest(prefixes);
  return flexTerm(text.trim(), prefixes[anchor], { words, anchor }, fields);
}

/** A word as written less its soft hyphens; the RegExp only runs for a word that has one. */
function withoutSoftHyphens(word: string): string {
  return word.includes('\u00ad') ? word.replace(/\u00ad/g, '') : word;
}

/** Stems already taken, per language: a text repeats its words, and the watches theirs. */
const stemmed = new Map<string, Map<string, string>>();
const STEM_MEMO_SIZE = 100_000;

function memoStemmer(language: string): Stemmer {
  const stem: Stemmer = stemmerFor(language) ?? ((w) => w);
  let memo = stemmed.get(language);
  if (memo === undefined) stemmed.set(language, (memo = new Map<string, string>()));
  const known = memo;
  return (word) => {
    let s = known.get(word);
    if (s === undefined) {
      if (known.size >= STEM_MEMO_SIZE) known.clear();
      known.set(word, (s = stem(word)));
    }
    return s;
  };
}

function flexTerm(text: string, anchorPrefix: string, flex: FlexTerm, fields: TextField[] | null): TermNode {
  return { kind: 'term', text, folded: anchorPrefix, wildcard: false, caseText: null, fields, flex };
}

/**
 * The occurrence of `flex` whose anchor word starts at folded position `at`, as [start, end) in
 * folded coordinates, or null when the words around it do not make the term.
 */
export function readFlex(
  flex: FlexTerm,
  original: string,
  folded: FoldedText,
  at: number,
): [number, number] | null {
  const text = folded.text;
  const accepts = (k: number, start: number, end: number) =>
    start < end &&
    flex.words[k].accepts(
      text.slice(start, end),
      original.slice(originalStart(folded, start), originalEnd(folded, end)),
    );
  // Word k's extent: up to the next non-letter, or through an apostrophe when the word has one.
  const endOf = (k: number, start: number): number | undefined => {
    if (!flex.words[k].apostrophe) {
      const e = wordEnd(text, start);
      return accepts(k, start, e) ? e : undefined;
    }
    return wordEndsThroughApostrophes(text, start).find((e) => accepts(k, start, e));
  };
  const startOf = (k: number, end: number): number | undefined => {
    if (!flex.words[k].apostrophe) {
      const s = wordStart(text, end);
      return accepts(k, s, end) ? s : undefined;
    }
    return wordStartsThroughApostrophes(text, end).find((s) => accepts(k, s, end));
  };
  const end = endOf(flex.anchor, at);
  if (end === undefined) return null;
  let first = at;
  for (let k = flex.anchor - 1; k >= 0; k--) {
    let e = first;
    if (e === 0 || !SPACE_UNIT[text.charCodeAt(e - 1)]) return null;
    while (e > 0 && SPACE_UNIT[text.charCodeAt(e - 1)]) e--;
    const s = startOf(k, e);
    if (s === undefined) return null;
    first = s;
  }
  let last = end;
  for (let k = flex.anchor + 1; k < flex.words.length; k++) {
    let s = last;
    if (s >= text.length || !SPACE_UNIT[text.charCodeAt(s)]) return null;
    while (s < text.length && SPACE_UNIT[text.charCodeAt(s)]) s++;
    const e = endOf(k, s);
    if (e === undefined) return null;
    last = e;
  }
  return [first, last];
}

const APOSTROPHE = 0x27;
const isWordUnit = (text: string, i: number) => WORD_UNIT[text.charCodeAt(i)] === 1;

/** Where the word that starts at `start` ends. */
function wordEnd(text: string, start: number): number {
  let e = start;
  while (e < text.length && isWordUnit(text, e)) e++;
  return e;
}

/** Where the word that ends at `end` starts. */
function wordStart(text: string, end: number): number {
  let s = end;
  while (s > 0 && isWordUnit(text, s - 1)) s--;
  return s;
}

/**
 * Where the word that starts at `start` may end, longest first: at each apostrophe between
 * letters too (O'Brien, and O'Brien's for the caller to refuse).
 */
function wordEndsThroughApostrophes(text: string, start: number): number[] {
  const ends = [wordEnd(text, start)];
  while (text.charCodeAt(ends[0]) === APOSTROPHE && isWordUnit(text, ends[0] + 1))
    ends.unshift(wordEnd(text, ends[0] + 1));
  return ends;
}

/** Where the word that ends at `end` may start, longest first, as wordEndsThroughApostrophes reads forwards. */
function wordStartsThroughApostrophes(text: string, end: number): number[] {
  const starts = [wordStart(text, end)];
  while (starts[0] >= 2 && text.charCodeAt(starts[0] - 1) === APOSTROPHE && isWordUnit(text, starts[0] - 2))
    starts.unshift(wordStart(text, starts[0] - 1));
  return starts;
}

function commonPrefix(words: string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

function longest(prefixes: string[]): number {
  let best = 0;
  prefixes.forEach((p, i) => (p.length > prefixes[best].length ? (best = i) : undefined));
  return best;
}
