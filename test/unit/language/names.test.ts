import { describe, expect, it } from 'vitest';
import { expandName } from '../../../src/language/names.js';
import { latinToCyrillic, romanize } from '../../../src/language/transliterate.js';

const spellings = (name: string) => expandName(name).map((v) => v.spelling);
const forms = (name: string) => expandName(name).flatMap((v) => v.words.flatMap((w) => w.forms));

describe('the variants of a name', () => {
  it('spell a Latin name in Cyrillic and Greek, and its Cyrillic form under the usual romanizations', () => {
    expect(spellings('Zelensky')).toEqual(
      expect.arrayContaining([
        'Zelensky',
        'Зеленский',
        'Зеленський',
        'Ζελενσκι',
        'Zelenskyy',
        'Zelenskiy',
        'Zelenskyi',
        'Selenskyj',
        'Zełenski',
        'Zelenski',
        'Zelenskyj',
      ]),
    );
  });

  it('spell a Cyrillic name in Latin scripts, and in the other Cyrillic language', () => {
    expect(spellings('Зеленський')).toEqual(
      expect.arrayContaining(['Зеленский', 'Zelensky', 'Selenskyj', 'Zełenski']),
    );
    expect(spellings('Путин')).toEqual(expect.arrayContaining(['Putin', 'Poutine']));
  });

  it('spell a Greek name in Latin and Cyrillic', () => {
    expect(spellings('Μητσοτάκης')).toEqual(expect.arrayContaining(['Mitsotakis', 'Мицотакис']));
  });

  it.each([
    [
      'Macron',
      [
        'макрона',
        'макрону',
        'макроном',
        'макроне',
        'макронові',
        'macrona',
        'macronem',
        'macronie',
        'macronowi',
        'macronovi',
        'macrons',
      ],
    ],
    ['Putin', ['путина', 'путиным', 'путіна', 'путіним', 'putina', 'putinem', 'putinovi', 'putins']],
    [
      'Zelensky',
      [
        'зеленского',
        'зеленским',
        'зеленського',
        'зеленським',
        'zelenskiego',
        'zelenskim',
        'zelenského',
        'zełenskiego',
      ],
    ],
    ['Tusk', ['tuska', 'tuskiem', 'tusku', 'туска', 'туском']],
  ])('decline %s', (name, expected) => {
    expect(forms(name)).toEqual(expect.arrayContaining(expected));
  });

  it('leave an acronym undeclined', () => {
    expect(expandName('NATO').map((v) => [v.spelling, v.words[0].forms])).toEqual([
      ['NATO', ['nato']],
      ['НАТО', ['нато']],
      ['ΝΑΤΟ', ['νατο']],
    ]);
  });

  it('keep which words are capitalised, so that only a capitalised word in a text counts', () => {
    expect(expandName('Ursula von der Leyen')[0].words.map((w) => w.capital)).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });
});

describe('transliteration', () => {
  it.each([
    ['macron', 'ru', 'макрон'],
    ['putin', 'uk', 'путін'],
    ['emmanuel', 'ru', 'эммануэль'],
    ['zelensky', 'uk', 'зеленський'],
    ['sikorski', 'ru', 'сикорский'],
  ] as const)('spells %s in %s Cyrillic as %s', (latin, lang, cyrillic) => {
    expect(latinToCyrillic(latin, lang)).toBe(cyrillic);
  });

  it.each([
    ['en', ['zelensky', 'zelenskyy']],
    ['uk-national', ['zelenskyi']],
    ['de', ['selenskyj']],
    ['pl', ['zełenski']],
    ['cs', ['zelenskyj']],
  ] as const)('romanizes Зеленський under %s', (convention, expected) => {
    expect(romanize('зеленський', convention, 'uk')).toEqual(expected);
  });
});
