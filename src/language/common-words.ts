/**
 * Common words of a language, to warn when a name's variant is also one ("Путина" and the
 * Russian "путина", a fishing season; "Nato" and the Italian "nato"), and to tell which word of
 * an inflected phrase is rarest. The words are the lower-case headwords of the Hunspell
 * dictionaries (capitalised headwords are names themselves). Loaded on demand: check-config and
 * `mediawatch names` ask for all of them, a watch with `inflect` for its language's.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { NameVariant } from './names.js';

interface Dictionary {
  language: string;
  /** The package, for a synchronous read of its word list. */
  module: string;
  load: () => Promise<{ default: { dic: Uint8Array } }>;
}

const DICTIONARIES: Record<string, Dictionary> = {
  en: { language: 'English', module: 'dictionary-en', load: () => import('dictionary-en') },
  de: { language: 'German', module: 'dictionary-de', load: () => import('dictionary-de') },
  fr: { language: 'French', module: 'dictionary-fr', load: () => import('dictionary-fr') },
  it: { language: 'Italian', module: 'dictionary-it', load: () => import('dictionary-it') },
  es: { language: 'Spanish', module: 'dictionary-es', load: () => import('dictionary-es') },
  pl: { language: 'Polish', module: 'dictionary-pl', load: () => import('dictionary-pl') },
  ru: { language: 'Russian', module: 'dictionary-ru', load: () => import('dictionary-ru') },
  uk: { language: 'Ukrainian', module: 'dictionary-uk', load: () => import('dictionary-uk') },
};

function headwords(dic: Uint8Array): Set<string> {
  const words = new Set<string>();
  for (const line of new TextDecoder().decode(dic).split('\n')) {
    const word = line.split('/', 1)[0].trim();
    if (/^\p{Ll}/u.test(word)) words.add(word);
  }
  return words;
}

const byLanguage = new Map<string, ReadonlySet<string> | undefined>();

/**
 * The common words of a language (ISO 639-1, region ignored), read on first use; undefined for a
 * language without a dictionary.
 */
export function commonWordsOf(lang: string): ReadonlySet<string> | undefined {
  const code = lang.toLowerCase().split('-')[0];
  if (!byLanguage.has(code)) {
    const dictionary = DICTIONARIES[code] as Dictionary | undefined;
    const index = dictionary && createRequire(import.meta.url).resolve(dictionary.module);
    byLanguage.set(
      code,
      index === undefined ? undefined : headwords(readFileSync(new URL('index.dic', pathToFileURL(index)))),
    );
  }
  return byLanguage.get(code);
}

export interface Collision {
  /** The variant's form that is also a common word, as the name's variant writes it. */
  form: string;
  language: string;
}

let loaded: Promise<Map<string, Set<string>>> | undefined;

async function commonWords(): Promise<Map<string, Set<string>>> {
  loaded ??= (async () => {
    const out = new Map<string, Set<string>>();
    for (const { language, load } of Object.values(DICTIONARIES)) {
      out.set(language, headwords((await load()).default.dic));
    }
    return out;
  })();
  return loaded;
}

/** Forms of the variants that are common lower-case words of a language, each once per language. */
export async function commonWordCollisions(variants: NameVariant[]): Promise<Collision[]> {
  const dictionaries = await commonWords();
  const out: Collision[] = [];
  const seen = new Set<string>();
  for (const v of variants) {
    for (const w of v.words) {
      for (const form of w.forms) {
        for (const [language, words] of dictionaries) {
          const key = `${form}\n${language}`;
          if (!words.has(form) || seen.has(key)) continue;
          seen.add(key);
          out.push({ form, language });
        }
      }
    }
  }
  return out;
}
