/**
 * A watched name and the spellings it goes by: the name as written, its spellings in the other
 * scripts (Cyrillic for Russian, Ukrainian and Serbian; Greek), the usual romanizations of its
 * Cyrillic form (English, the Ukrainian national system, German, French, Polish, Czech, Serbian
 * Latin), each word with the case forms the languages that decline names give it.
 */
import { cyrillicForms, latinForms } from './inflect-name.js';
import {
  cyrillicLanguageOf,
  greekToLatin,
  latinToCyrillic,
  latinToGreek,
  otherCyrillic,
  romanize,
  ROMANIZATIONS,
  scriptOf,
  type CyrillicLanguage,
  type Script,
} from './transliterate.js';

export interface NameWord {
  /** The word and its case forms, lower case in their own letters. */
  forms: string[];
  /** Written with a capital in the name: then only a capitalised (or all-capitals) word in a text counts. */
  capital: boolean;
}

export interface NameVariant {
  /** How the variant is written, e.g. "Зеленський". */
  spelling: string;
  /** Where it comes from: "as written", a script and language ("uk"), or a romanization ("de"). */
  source: string;
  words: NameWord[];
}

interface Spelling {
  source: string;
  script: Script;
  /** The Cyrillic language, for declining. */
  lang?: CyrillicLanguage;
  words: string[];
}

const WORD_SPLIT = /[\s\-\u2010-\u2013]+/u;

/** Per-word spellings and case forms, while sharingWords runs; shared, so never mutated. */
let shared: Map<string, Map<string, unknown>> | undefined;

/**
 * Runs `fn` with each word's spellings and case forms worked out once for all the names it
 * expands: the names of many watches share first names, and a watch names "Ann Lee" and "Lee".
 */
export function sharingWords<T>(fn: () => T): T {
  const outer = shared;
  shared ??= new Map();
  try {
    return fn();
  } finally {
    shared = outer;
  }
}

/** `compute` of `word`, for the kind of work `kind` names. */
function once<T>(kind: string, word: string, compute: () => T): T {
  if (shared === undefined) return compute();
  let done = shared.get(kind);
  if (done === undefined) shared.set(kind, (done = new Map<string, unknown>()));
  let value = done.get(word) as T | undefined;
  if (value === undefined) done.set(word, (value = compute()));
  return value;
}

/** Every variant of a name, the name as written first; variants that spell alike appear once. */
export function expandName(name: string): NameVariant[] {
  const written = name
    .trim()
    .split(WORD_SPLIT)
    .filter((w) => w !== '');
  const capital = written.map((w) => /^\p{Lu}/u.test(w));
  const acronym = written.map((w) => w.length >= 2 && !/\p{Ll}/u.test(w) && /\p{Lu}/u.test(w));
  const lower = written.map((w) => w.toLowerCase());
  const byKey = new Map<string, NameVariant>();
  for (const s of spellingsOf(lower)) {
    const forms = (w: string) => once(`forms ${s.script} ${s.lang ?? ''}`, w, () => formsOf(w, s));
    const words = s.words.map((w, i) => ({ forms: acronym[i] ? [w] : forms(w), capital: capital[i] }));
    const key = s.words.join(' ');
    const same = byKey.get(key);
    if (same !== undefined) {
      // One spelling in two languages ("макрон", Russian and Ukrainian): the case forms of both.
      same.words.forEach((w, i) => (w.forms = [...new Set([...w.forms, ...words[i].forms])]));
      continue;
    }
    const spelling = s.words
      .map((w, i) => (acronym[i] ? w.toUpperCase() : capital[i] ? capitalize(w) : w))
      .join(' ');
    byKey.set(key, { spelling, source: s.source, words });
  }
  const out = [...byKey.values()];
  return out;
}

function spellingsOf(words: string[]): Spelling[] {
  const script = scriptOf(words.join(' '));
  if (script === 'cyrillic') {
    const lang = cyrillicLanguageOf(words.join(' '));
    const own: Spelling = { source: 'as written', script, lang: lang ?? undefined, words };
    const cyr =
      lang === 'uk' || lang === 'ru'
        ? [
            own,
            cyrillic(
              words.map((w) => otherCyrillic(w, lang)),
              lang === 'uk' ? 'ru' : 'uk',
            ),
          ]
        : [own];
    const latin =
      lang === 'uk' || lang === 'ru'
        ? cyr.flatMap((c) => romanizations(c.words, c.lang === 'uk' ? 'uk' : 'ru'))
        : romanizations(words, 'ru');
    return [...cyr, ...latin, ...(latin.length > 0 ? [greek(latin[0].words)] : [])];
  }
  if (script === 'greek') {
    const latin = words.map((w) => once('greek to latin', w, () => greekToLatin(w)));
    return [
      { source: 'as written', script, words },
      { source: 'latin', script: 'latin', words: latin },
      ...fromLatin(latin, false),
    ];
  }
  return [{ source: 'as written', script: 'latin', words }, ...fromLatin(words, true)];
}

/** The Cyrillic and Greek spellings of a Latin name, then the romanizations of its Cyrillic ones. */
function fromLatin(words: string[], withGreek: boolean): Spelling[] {
  const out: Spelling[] = [];
  const [ru, uk, sr] = (['ru', 'uk', 'sr'] as const).map((lang) =>
    cyrillic(
      words.map((w) => once(lang, w, () => latinToCyrillic(w, lang))),
      lang,
    ),
  );
  out.push(ru, uk, sr);
  if (withGreek) out.push(greek(words));
  out.push(...romanizations(uk.words, 'uk'), ...romanizations(ru.words, 'ru'));
  return out;
}

function cyrillic(words: string[], lang: CyrillicLanguage): Spelling {
  return { source: lang, script: 'cyrillic', lang, words };
}

function greek(latin: string[]): Spelling {
  return { source: 'el', script: 'greek', words: latin.map((w) => once('greek', w, () => latinToGreek(w))) };
}

function romanizations(words: string[], lang: 'ru' | 'uk'): Spelling[] {
  return ROMANIZATIONS.flatMap((convention) => {
    const alternatives = words.map((w) =>
      once(`${convention} ${lang}`, w, () => romanize(w, convention, lang)),
    );
    const count = Math.max(...alternatives.map((a) => a.length));
    return Array.from({ length: count }, (_, k) => ({
      source: `${convention} (from ${lang})`,
      script: 'latin' as const,
      words: alternatives.map((a) => a[Math.min(k, a.length - 1)]),
    }));
  });
}

const GREEK_RULES: [RegExp, string[]][] = [
  [/ης$/, ['η']],
  [/ος$/, ['ου', 'ο']],
  [/ας$/, ['α']],
];

function formsOf(word: string, s: Spelling): string[] {
  if (s.script === 'latin') return latinForms(word);
  if (s.script === 'cyrillic') {
    // Letters that fit both Russian and Ukrainian: the forms of both.
    return s.lang === undefined
      ? [...new Set([...cyrillicForms(word, 'ru'), ...cyrillicForms(word, 'uk')])]
      : cyrillicForms(word, s.lang);
  }
  const rule = GREEK_RULES.find(([end]) => end.test(word));
  return rule === undefined ? [word] : [word, ...rule[1].map((e) => word.replace(rule[0], e))];
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}
