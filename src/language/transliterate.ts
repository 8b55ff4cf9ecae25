/**
 * Spellings of one word in other scripts and under the usual romanizations. Works on lower-case
 * words in their own letters (not folded: folding would merge й and и, ї and і).
 *
 * Cyrillic → Latin follows the conventions readers of each language meet in their press: English
 * (BGN/PCGN-like, and the Ukrainian national system), German (Duden), French, Polish, Czech and
 * Serbian/Croatian Latin. Latin → Cyrillic (Russian, Ukrainian, Serbian) and Latin ↔ Greek are
 * letter and digraph tables: they give the spelling a name written phonetically gets ("Macron" →
 * "макрон", "Zelensky" → "зеленський"), not the one tradition chose for it ("Merz" → "мерз", not
 * "мерц"); a watch lists such spellings among its names.
 */

export type Script = 'latin' | 'cyrillic' | 'greek';
export type CyrillicLanguage = 'ru' | 'uk' | 'sr';
export type Romanization = 'en' | 'en-bgn' | 'uk-national' | 'de' | 'fr' | 'pl' | 'cs' | 'sr';

export const ROMANIZATIONS: readonly Romanization[] = [
  'en',
  'en-bgn',
  'uk-national',
  'de',
  'fr',
  'pl',
  'cs',
  'sr',
];

export function scriptOf(word: string): Script | null {
  if (/\p{Script=Cyrillic}/u.test(word)) return 'cyrillic';
  if (/\p{Script=Greek}/u.test(word)) return 'greek';
  if (/\p{Script=Latin}/u.test(word)) return 'latin';
  return null;
}

/** The Cyrillic language a word's letters give away, or null when they fit several. */
export function cyrillicLanguageOf(word: string): CyrillicLanguage | null {
  if (/[іїєґ]|[сцз]ьк/.test(word)) return 'uk';
  if (/[ыэёъ]/.test(word)) return 'ru';
  if (/[ђјљњћџ]/.test(word)) return 'sr';
  return null;
}

const VOWELS_CYR = 'аеёиоуыэюяіїє';
const ADJECTIVE_END = /(?<=[^аеёиоуыэюяіїє])(ий|ый|ій)$/;

/** Letters every convention spells alike; the tables below override them. */
const CYR_BASE: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  ё: 'yo',
  є: 'ye',
  і: 'i',
  ї: 'yi',
  ґ: 'g',
  ђ: 'dj',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  џ: 'dz',
};

interface Convention {
  letters: Record<string, string>;
  /** Ukrainian г and и, where the convention writes them apart from Russian. */
  ukLetters?: Record<string, string>;
  /** е, є, ю, я at the start of a word or after a vowel. */
  iotated?: Record<string, string>;
  /** The adjectival ending (-ий, -ый, -ій) of surnames, per source language; several spellings are usual. */
  adjective: { ru: string[]; uk: string[] };
}

const CONVENTIONS: Record<Romanization, Convention> = {
  en: {
    letters: {},
    ukLetters: { г: 'h', и: 'y' },
    adjective: { ru: ['y', 'iy'], uk: ['y', 'yy'] },
  },
  'en-bgn': {
    letters: {},
    ukLetters: { г: 'h', и: 'y' },
    adjective: { ru: ['iy', 'ii'], uk: ['yy', 'iy'] },
  },
  'uk-national': {
    letters: { й: 'i', ю: 'iu', я: 'ia', є: 'ie', ї: 'i' },
    ukLetters: { г: 'h', и: 'y' },
    iotated: { й: 'y', ю: 'yu', я: 'ya', є: 'ye', ї: 'yi' },
    adjective: { ru: ['ii'], uk: ['yi'] },
  },
  de: {
    letters: {
      в: 'w',
      ж: 'sch',
      з: 's',
      й: 'j',
      х: 'ch',
      ц: 'z',
      ч: 'tsch',
      ш: 'sch',
      щ: 'schtsch',
      ю: 'ju',
      я: 'ja',
      ё: 'jo',
      є: 'je',
      ї: 'ji',
    },
    ukLetters: { г: 'h', и: 'y' },
    iotated: { е: 'je' },
    adjective: { ru: ['ij', 'i'], uk: ['yj'] },
  },
  fr: {
    letters: {
      ж: 'j',
      ч: 'tch',
      ш: 'ch',
      щ: 'chtch',
      у: 'ou',
      ю: 'iou',
      я: 'ia',
      ё: 'io',
      й: 'i',
      є: 'ie',
      ї: 'ii',
    },
    ukLetters: { г: 'h', и: 'y' },
    adjective: { ru: ['i'], uk: ['y', 'i'] },
  },
  pl: {
    letters: {
      в: 'w',
      ж: 'ż',
      х: 'ch',
      ц: 'c',
      ч: 'cz',
      ш: 'sz',
      щ: 'szcz',
      й: 'j',
      ю: 'ju',
      я: 'ja',
      ё: 'jo',
      є: 'je',
      ї: 'ji',
      л: 'ł',
    },
    ukLetters: { г: 'h', и: 'y' },
    iotated: { е: 'je' },
    adjective: { ru: ['i'], uk: ['i'] },
  },
  cs: {
    letters: {
      ж: 'ž',
      х: 'ch',
      ц: 'c',
      ч: 'č',
      ш: 'š',
      щ: 'šč',
      й: 'j',
      ю: 'ju',
      я: 'ja',
      ё: 'jo',
      є: 'je',
      ї: 'ji',
    },
    ukLetters: { г: 'h', и: 'y' },
    adjective: { ru: ['ij'], uk: ['yj'] },
  },
  sr: {
    letters: {
      ж: 'ž',
      х: 'h',
      ц: 'c',
      ч: 'č',
      ш: 'š',
      щ: 'šč',
      й: 'j',
      ю: 'ju',
      я: 'ja',
      ё: 'jo',
      є: 'je',
      ї: 'ji',
      ђ: 'đ',
      ћ: 'ć',
      џ: 'dž',
    },
    ukLetters: { г: 'h', и: 'y' },
    adjective: { ru: ['i', 'ij'], uk: ['i'] },
  },
};

/** Polish writes л as l before a soft vowel or the soft sign, ł elsewhere. */
const PL_SOFT_AFTER_L = new Set(['ь', 'і', 'я', 'ю', 'є', 'ё', 'ї']);

/** Every spelling of a Cyrillic word under one convention (several only for adjectival endings). */
export function romanize(word: string, convention: Romanization, lang: CyrillicLanguage): string[] {
  const c = CONVENTIONS[convention];
  const adjective = ADJECTIVE_END.exec(word);
  const stem = adjective ? word.slice(0, adjective.index) : word;
  let out = '';
  for (let i = 0; i < stem.length; i++) {
    const ch = stem[i];
    const prev = stem[i - 1];
    const initialOrAfterVowel =
      prev === undefined || VOWELS_CYR.includes(prev) || prev === 'ь' || prev === 'ъ';
    let latin: string | undefined;
    // Ukrainian е is never iotated (є is).
    if (initialOrAfterVowel && !(lang === 'uk' && ch === 'е')) latin = c.iotated?.[ch];
    if (latin === undefined && lang === 'uk') latin = c.ukLetters?.[ch];
    if (latin === undefined && ch === 'л' && convention === 'pl') {
      const next = stem[i + 1];
      const soft = PL_SOFT_AFTER_L.has(next) || (lang !== 'uk' && (next === 'е' || next === 'и'));
      latin = soft ? 'l' : 'ł';
    }
    latin ??= c.letters[ch] ?? CYR_BASE[ch] ?? ch;
    out += latin;
  }
  // French writes a final -in as -ine, so it is not read as a nasal (Poutine, Lénine).
  if (convention === 'fr' && /[иі]н$/.test(stem)) out += 'e';
  if (!adjective) return [out];
  return c.adjective[lang === 'uk' ? 'uk' : 'ru'].map((end) => out + end);
}

type Table = [string, string][];

/** Multi-letter spellings first: the longest that fits wins. */
const LATIN_TO_CYR: Table = [
  ['shch', 'щ'],
  ['szcz', 'щ'],
  ['tsch', 'ч'],
  ['sch', 'ш'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['ts', 'ц'],
  ['tz', 'ц'],
  ['cz', 'ч'],
  ['sz', 'ш'],
  ['rz', 'ж'],
  ['ph', 'ф'],
  ['th', 'т'],
  ['ck', 'к'],
  ['dž', 'џ'],
  ['ya', 'я'],
  ['ja', 'я'],
  ['yu', 'ю'],
  ['ju', 'ю'],
  ['yo', 'ё'],
  ['jo', 'ё'],
  ['ye', 'е'],
  ['je', 'е'],
  ['ou', 'у'],
  ['a', 'а'],
  ['b', 'б'],
  ['d', 'д'],
  ['e', 'е'],
  ['f', 'ф'],
  ['g', 'г'],
  ['h', 'х'],
  ['i', 'и'],
  ['j', 'й'],
  ['k', 'к'],
  ['l', 'л'],
  ['ł', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['q', 'к'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['v', 'в'],
  ['w', 'в'],
  ['x', 'кс'],
  ['y', 'и'],
  ['z', 'з'],
  ['č', 'ч'],
  ['š', 'ш'],
  ['ž', 'ж'],
  ['ć', 'ч'],
  ['đ', 'дж'],
];
const UK_OVERRIDES: Record<string, string> = {
  h: 'г',
  g: 'г',
  i: 'і',
  ye: 'є',
  je: 'є',
  yo: 'йо',
  jo: 'йо',
  yi: 'ї',
};
const RU_OVERRIDES: Record<string, string> = {};
const SR_OVERRIDES: Record<string, string> = {
  j: 'ј',
  ja: 'ја',
  ju: 'ју',
  je: 'је',
  jo: 'јо',
  ć: 'ћ',
  đ: 'ђ',
  lj: 'љ',
  nj: 'њ',
  h: 'х',
};
const SLAVIC_ADJECTIVE = /(?<=sk|ck|zk)(?:yy|yi|yj|iy|ij|ii|y|i)$/;

/** A Latin-script word (lower case) as Russian, Ukrainian or Serbian Cyrillic would spell it. */
export function latinToCyrillic(word: string, lang: CyrillicLanguage): string {
  const plain = plainLatin(word);
  const adjective = SLAVIC_ADJECTIVE.exec(plain);
  const stem = adjective ? plain.slice(0, adjective.index) : plain;
  const overrides = lang === 'uk' ? UK_OVERRIDES : lang === 'sr' ? SR_OVERRIDES : RU_OVERRIDES;
  let out = '';
  for (let i = 0; i < stem.length;) {
    const rest = stem.slice(i);
    if (rest[0] === 'c') {
      // c is ц before a front vowel, к elsewhere (Macron, Cicero).
      out += /^c[eiy]/.test(rest) ? 'ц' : 'к';
      i++;
      continue;
    }
    if (lang === 'ru' && rest[0] === 'e' && (i === 0 || 'aeiouy'.includes(stem[i - 1]))) {
      out += 'э';
      i++;
      continue;
    }
    const special =
      Object.keys(overrides).find((k) => rest.startsWith(k) && k.length > 1) ??
      (overrides[rest[0]] ? rest[0] : undefined);
    const pair =
      special !== undefined
        ? ([special, overrides[special]] as [string, string])
        : LATIN_TO_CYR.find(([l]) => rest.startsWith(l));
    if (pair === undefined) {
      out += rest[0];
      i++;
      continue;
    }
    out += pair[1];
    i += pair[0].length;
  }
  // A final l of a Western name is soft in Russian and Ukrainian (Emmanuel → Эммануэль).
  if (lang !== 'sr') out = out.replace(/л$/, 'ль');
  if (adjective)
    out = lang === 'uk' ? out.replace(/([сцз])к$/, '$1ьк') + 'ий' : out + (lang === 'sr' ? 'и' : 'ий');
  return out;
}

const LATIN_TO_GREEK: Table = [
  ['th', 'θ'],
  ['ch', 'χ'],
  ['ph', 'φ'],
  ['ps', 'ψ'],
  ['ks', 'ξ'],
  ['ou', 'ου'],
  ['sh', 'σ'],
  ['zh', 'ζ'],
  ['ts', 'τσ'],
  ['tz', 'τζ'],
  ['mb', 'μπ'],
  ['nd', 'ντ'],
  ['ck', 'κ'],
  ['a', 'α'],
  ['b', 'μπ'],
  ['c', 'κ'],
  ['d', 'ντ'],
  ['e', 'ε'],
  ['f', 'φ'],
  ['g', 'γκ'],
  ['h', ''],
  ['i', 'ι'],
  ['j', 'τζ'],
  ['k', 'κ'],
  ['l', 'λ'],
  ['ł', 'λ'],
  ['m', 'μ'],
  ['n', 'ν'],
  ['o', 'ο'],
  ['p', 'π'],
  ['q', 'κ'],
  ['r', 'ρ'],
  ['s', 'σ'],
  ['t', 'τ'],
  ['u', 'ου'],
  ['v', 'β'],
  ['w', 'β'],
  ['x', 'ξ'],
  ['y', 'ι'],
  ['z', 'ζ'],
];

const GREEK_TO_LATIN: Table = [
  ['ου', 'ou'],
  ['αι', 'ai'],
  ['ει', 'ei'],
  ['οι', 'oi'],
  ['αυ', 'av'],
  ['ευ', 'ev'],
  ['μπ', 'b'],
  ['ντ', 'nt'],
  ['γκ', 'g'],
  ['γγ', 'ng'],
  ['τσ', 'ts'],
  ['τζ', 'tz'],
  ['α', 'a'],
  ['β', 'v'],
  ['γ', 'g'],
  ['δ', 'd'],
  ['ε', 'e'],
  ['ζ', 'z'],
  ['η', 'i'],
  ['θ', 'th'],
  ['ι', 'i'],
  ['κ', 'k'],
  ['λ', 'l'],
  ['μ', 'm'],
  ['ν', 'n'],
  ['ξ', 'x'],
  ['ο', 'o'],
  ['π', 'p'],
  ['ρ', 'r'],
  ['σ', 's'],
  ['ς', 's'],
  ['τ', 't'],
  ['υ', 'y'],
  ['φ', 'f'],
  ['χ', 'ch'],
  ['ψ', 'ps'],
  ['ω', 'o'],
];

function byTable(word: string, table: Table): string {
  let out = '';
  for (let i = 0; i < word.length;) {
    const pair = table.find(([from]) => word.startsWith(from, i));
    if (pair === undefined) {
      out += word[i];
      i++;
    } else {
      out += pair[1];
      i += pair[0].length;
    }
  }
  return out;
}

/** Greek spelling of a Latin-script word; accents are left out (matching ignores them). */
export function latinToGreek(word: string): string {
  return byTable(stripMarks(word), LATIN_TO_GREEK);
}

/** Latin spelling (ELOT 743-like) of a Greek word. */
export function greekToLatin(word: string): string {
  return byTable(stripMarks(word), GREEK_TO_LATIN);
}

/** Ukrainian spelling of a Russian word and back, for the letters the two write apart. */
export function otherCyrillic(word: string, from: 'ru' | 'uk'): string {
  if (from === 'ru') {
    return word
      .replace(/([сцз])кий$/, '$1ький')
      .replace(/и/g, 'і')
      .replace(/ы/g, 'и')
      .replace(/э/g, 'е')
      .replace(/ё/g, 'ьо')
      .replace(/іі$/, 'ий')
      .replace(/і(й)$/, 'и$1')
      .replace(/^е/, 'є');
  }
  return word
    .replace(/([сцз])ький$/, '$1кий')
    .replace(/и/g, 'ы')
    .replace(/ы(й)$/, 'и$1')
    .replace(/і/g, 'и')
    .replace(/ї/g, 'йи')
    .replace(/є/g, 'е')
    .replace(/ґ/g, 'г');
}

/** Marks dropped, except on the letters the tables spell apart (č, š, ž, ć, đ). */
function plainLatin(word: string): string {
  return word.normalize('NFC').replace(/[^čšžćđł]/g, (ch) => stripMarks(ch));
}

function stripMarks(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}
