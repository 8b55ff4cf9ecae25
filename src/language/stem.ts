/**
 * Stemmers for `inflect`: a word and its inflected forms share a stem. Snowball stemmers where
 * one exists (the Orama ports); for Ukrainian (whose port leaves "гарантіями" and "гарантія"
 * apart) and Polish (none), the smallest ending-stripping rules our labeled cases call for.
 */
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as spanish } from '@orama/stemmers/spanish';

export type Stemmer = (word: string) => string;

/** Noun and adjective endings, longest first; a stem keeps at least three letters. */
const UK_ENDINGS = [
  'іями',
  'ією',
  'іям',
  'іях',
  'ія',
  'ії',
  'ію',
  'ями',
  'ами',
  'ого',
  'ому',
  'ові',
  'ях',
  'ах',
  'ою',
  'ею',
  'ом',
  'ем',
  'ів',
  'ей',
  'ам',
  'ям',
  'ий',
  'ій',
  'им',
  'ім',
  'их',
  'іх',
  'ої',
  'ою',
  'а',
  'я',
  'у',
  'ю',
  'і',
  'и',
  'е',
  'є',
  'о',
  'ь',
  'ї',
];
const PL_ENDINGS = [
  'ami',
  'ach',
  'ego',
  'emu',
  'owi',
  'iem',
  'om',
  'ów',
  'em',
  'ie',
  'ią',
  'ię',
  'ym',
  'im',
  'ą',
  'ę',
  'y',
  'i',
  'a',
  'o',
  'u',
  'e',
];

function stripEnding(endings: string[]): Stemmer {
  return (word) => {
    for (const e of endings)
      if (word.endsWith(e) && [...word].length - [...e].length >= 3) return word.slice(0, -e.length);
    return word;
  };
}

const STEMMERS: Record<string, Stemmer> = {
  en: english,
  fr: french,
  de: german,
  it: italian,
  nl: dutch,
  pt: portuguese,
  ru: russian,
  es: spanish,
  uk: stripEnding(UK_ENDINGS),
  pl: stripEnding(PL_ENDINGS),
};

export const STEMMED_LANGUAGES: readonly string[] = Object.keys(STEMMERS);

/** The stemmer of a language (ISO 639-1, region ignored), undefined when there is none. */
export function stemmerFor(lang: string): Stemmer | undefined {
  return STEMMERS[lang.toLowerCase().split('-')[0]];
}
