/**
 * Common words of a language, to warn when a name's variant is also one ("Путина" and the
 * Russian "путина", a fishing season; "Nato" and the Italian "nato"). The words are the lower-case
 * headwords of the Hunspell dictionaries (capitalised headwords are names themselves). Loaded
 * on demand: only check-config and `mediawatch names` ask.
 */
import type { NameVariant } from './names.js';

const DICTIONARIES: Record<string, { language: string; load: () => Promise<{ default: { dic: Uint8Array } }> }> = {
  en: { language: 'English', load: () => import('dictionary-en') },
  de: { language: 'German', load: () => import('dictionary-de') },
  fr: { language: 'French', load: () => import('dictionary-fr') },
  it: { language: 'Italian', load: () => import('dictionary-it') },
  es: { language: 'Spanish', load: () => import('dictionary-es') },
  pl: { language: 'Polish', load: () => import('dictionary-pl') },
  ru: { language: 'Russian', load: () => import('dictionary-ru') },
  uk: { language: 'Ukrainian', load: () => import('dictionary-uk') },
};

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
      const { dic } = (await load()).default;
      const words = new Set<string>();
      for (const line of new TextDecoder().decode(dic).split('\n')) {
        const word = line.split('/', 1)[0].trim();
        if (/^\p{Ll}/u.test(word)) words.add(word);
      }
      out.set(language, words);
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
