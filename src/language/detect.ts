/**
 * Language detection with ELD (n-gram scores, fast on the few dozen words of a headline): the
 * language of an item whose feed declares none, and the language a watch term is written in.
 */
import { eld } from 'eld/small';
import { STEMMED_LANGUAGES } from './stem.js';

/** Enough of an item to tell its language; the rest would only cost time. */
const SAMPLE_CHARS = 600;

/** ISO 639-1 code of the text's language, or undefined when the detector is not confident. */
export function detectLanguage(text: string): string | undefined {
  const result = eld.detect(text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text);
  return result.language !== '' && result.isReliable() ? result.language : undefined;
}

/** A detector that only chooses among the languages `inflect` has a stemmer for; made on first use. */
let termDetector: typeof eld | undefined;

/**
 * The language of a watch term (a few words): letters only one language uses decide first, then
 * the detector; Cyrillic defaults to Russian and Latin to English when it cannot tell.
 */
export function termLanguage(term: string): string {
  const t = term.toLowerCase();
  if (/[іїєґ]/.test(t)) return 'uk';
  if (/[ąćęłńśźż]/.test(t)) return 'pl';
  if (/[äöüß]/.test(t)) return 'de';
  const cyrillic = /\p{Script=Cyrillic}/u.test(t);
  if (termDetector === undefined) {
    termDetector = eld.newInstance();
    termDetector.setLanguageSubset([...STEMMED_LANGUAGES]);
  }
  const detected = termDetector.detect(t).language;
  if (cyrillic) return detected === 'uk' ? 'uk' : 'ru';
  return detected !== '' && STEMMED_LANGUAGES.includes(detected) ? detected : 'en';
}
