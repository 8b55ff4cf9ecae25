/**
 * The case forms a surname or first name takes in the languages that decline names: Russian and
 * Ukrainian (Cyrillic), Polish, Czech, Slovak and Croatian (Latin), and the German genitive -s.
 * Written for names, not common nouns: rules by the word's ending, the forms a newspaper prints.
 * Words are lower case in their own letters; acronyms (NATO) are not declined.
 */
import type { CyrillicLanguage } from './transliterate.js';

interface Rule {
  /** The ending the rule applies to; it is replaced by each of `endings`. */
  ending: RegExp;
  endings: string[];
}

const RU: Rule[] = [
  { ending: /(?<=[сцз]к)(ий|ой)$/, endings: ['ого', 'ому', 'им', 'ом'] },
  { ending: /(?<=[^аеёиоуыэюя])(ий|ый|ой)$/, endings: ['ого', 'ому', 'ым', 'им', 'ом'] },
  { ending: /ь$/, endings: ['я', 'ю', 'ем', 'е', 'ём'] },
  { ending: /й$/, endings: ['я', 'ю', 'ем', 'е'] },
  { ending: /а$/, endings: ['ы', 'и', 'е', 'у', 'ой', 'ою'] },
  { ending: /я$/, endings: ['и', 'е', 'ю', 'ей', 'ею'] },
  // Surnames in -ин, -ын, -ов, -ев take -ым in the instrumental and -е in the prepositional.
  { ending: /(?<=(?:ин|ын|ов|ев|ёв))$/, endings: ['а', 'у', 'ым', 'е'] },
  { ending: /(?<=[бвгджзклмнпрстфхцчшщ])$/, endings: ['а', 'у', 'ом', 'ем', 'е'] },
];

const UK: Rule[] = [
  { ending: /(?<=[^аеєиіїоуюя])(ий|ій)$/, endings: ['ого', 'ому', 'им', 'ім', 'ього', 'ьому'] },
  { ending: /ь$/, endings: ['я', 'ю', 'ем', 'еві', 'і'] },
  { ending: /й$/, endings: ['я', 'ю', 'єм', 'єві', 'ї'] },
  { ending: /а$/, endings: ['и', 'і', 'у', 'ою', 'о'] },
  { ending: /я$/, endings: ['і', 'ю', 'ею'] },
  { ending: /о$/, endings: ['а', 'у', 'ові', 'ом'] },
  { ending: /(?<=(?:ін|ин|ов|ев|їн))$/, endings: ['а', 'у', 'ові', 'им', 'і', 'е'] },
  { ending: /(?<=[бвгґджзклмнпрстфхцчшщ])$/, endings: ['а', 'у', 'ові', 'ом', 'ем', 'і', 'е'] },
];

/** Polish, Czech/Slovak, Croatian/Serbian Latin and the German genitive, on Latin spellings. */
const LATIN: Rule[] = [
  // Adjectival surnames: Zełenski, Sikorski (pl), Zelenskyj (cs), and their romanized kin.
  {
    ending: /(?<=[sc]k)(?:yy|yi|yj|iy|ij|ii|y|i|ý)$/,
    endings: ['iego', 'iemu', 'im', 'ich', 'ého', 'ému', 'ým', 'ém', 'og', 'om'],
  },
  { ending: /a$/, endings: ['y', 'i', 'ie', 'ę', 'ą', 'e', 'u', 'ou', 'om'] },
  // After k and g Polish writes -iem and -u (Tuskiem, o Tusku).
  { ending: /(?<=[kg])$/, endings: ['a', 'owi', 'iem', 'u', 'ovi', 'em', 'e', 'om'] },
  { ending: /(?<=[bcdfhjlłmnprstvwxz])$/, endings: ['a', 'owi', 'em', 'ie', 'u', 'ovi', 'e', 'om'] },
];

function apply(word: string, rules: Rule[]): string[] {
  const rule = rules.find((r) => r.ending.test(word));
  if (rule === undefined) return [word];
  return [word, ...rule.endings.map((e) => word.replace(rule.ending, e))];
}

/** The word and its case forms, for a word in Cyrillic of the given language. */
export function cyrillicForms(word: string, lang: CyrillicLanguage): string[] {
  return apply(word, lang === 'uk' ? UK : RU);
}

/** The word and its case forms in the Latin-script languages that decline names. */
export function latinForms(word: string): string[] {
  const forms = apply(word, LATIN);
  // The German genitive: Macrons, Selenskyjs (a name ending in a sibilant takes none).
  if (!/[sxzß]$/.test(word)) forms.push(word + 's');
  return forms;
}
