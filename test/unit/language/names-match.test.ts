import { describe, expect, it } from 'vitest';
import { compileWatches } from '../../../src/match/index.js';

const matcher = compileWatches([
  { id: 'macron', label: 'Emmanuel Macron', names: ['Emmanuel Macron', 'Macron'] },
  { id: 'putin', label: 'Vladimir Putin', names: ['Putin'] },
  { id: 'zelensky', label: 'Volodymyr Zelensky', names: ['Volodymyr Zelensky', 'Zelensky'] },
  { id: 'nato', label: 'NATO', names: ['NATO'] },
  { id: 'guarantees', label: 'security guarantees', terms: ['security guarantee'], inflect: true },
]);

const hits = (content: string) => matcher.match({ title: '', summary: '', content });

describe('names', () => {
  it.each([
    ['Встреча с Макроном прошла в Париже.', 'macron', 'Макроном'],
    ['Зустріч Путіна і Макрона.', 'putin', 'Путіна'],
    ['Kanzler trifft Selenskyj in Kyjiw.', 'zelensky', 'Selenskyj'],
    ['Spotkanie z Zełenskim w Warszawie.', 'zelensky', 'Zełenskim'],
    ['Η ΝΑΤΟ και ο Μακρόν.', 'nato', 'ΝΑΤΟ'],
    ['Macrons Rede in Berlin.', 'macron', 'Macrons'],
    ['Ma\u00adcron spoke.', 'macron', 'Ma\u00adcron'],
  ])('%s finds %s as %s', (text, id, term) => {
    const m = hits(text).find((w) => w.id === id);
    expect(m?.matches.map((h) => h.term)).toContain(term);
  });

  it('says which name a variant stands for', () => {
    const m = hits('Путина спросили о переговорах.').find((w) => w.id === 'putin')!;
    expect(m.matches[0]).toMatchObject({ term: 'Путина', name: 'Putin' });
  });

  it('takes a word that begins like a name only when the word is one of its forms', () => {
    // "Talka" and "Talka Moravec" share the forms of "Talka"; "talks" and "Talkative" begin with
    // the prefix the presearcher looks for and are no form of it.
    const talka = compileWatches([{ id: 'talka', label: 'Talka', names: ['Talka Moravec', 'Talka'] }]);
    const text = 'Talkative talks: Talki met Talkowi, Talkę, Talka Moravecem and TALKA; Talkas left.';
    const found = talka.match({ title: '', summary: '', content: text })[0]?.matches.map((h) => h.term);
    expect(found).toEqual(['Talki', 'Talkę', 'Talka Moravecem', 'TALKA', 'Talkas']);
  });

  it.each([
    ["Conan O'Brien spoke.", "O'Brien"],
    ['The O’Brien report.', 'O’Brien'],
    ["Spotkanie z O'Brienem.", "O'Brienem"],
    ["Signed: O'BRIEN.", "O'BRIEN"],
    ["Ms O'Brien's team.", "O'Brien"],
    ['Nuala O’Brien left.', 'Nuala O’Brien'],
  ])('finds a name with an apostrophe of its own in %s', (text, term) => {
    const obrien = compileWatches([{ id: 'ob', label: "O'Brien", names: ["Nuala O'Brien", "O'Brien"] }]);
    const found = obrien.match({ title: '', summary: '', content: text })[0]?.matches.map((h) => h.term);
    expect(found).toEqual([term]);
  });

  it("keeps an elision or a possessive out of a name's word", () => {
    const found = hits("L'avis d'Emmanuel Macron et Macron's plan.").find((w) => w.id === 'macron');
    expect(found?.matches.map((h) => h.term)).toEqual(['Emmanuel Macron', 'Macron']);
  });

  it.each(['путина в разгаре', 'il bambino è nato ieri', 'a macron over the vowel'])(
    'ignores the lower-case word in %s',
    (text) => {
      expect(hits(text)).toEqual([]);
    },
  );
});

describe('inflect', () => {
  it.each(['new security guarantees for Kyiv', 'security-guarantees', 'security\u2010guarantees'])(
    '%s',
    (text) => {
      expect(hits(text).map((w) => w.id)).toEqual(['guarantees']);
    },
  );
});

describe('names and inflection in queries', () => {
  const queried = compileWatches([
    {
      id: 'q-macron',
      label: 'Macron, not his wife',
      query: 'name:"Emmanuel Macron" OR name:Macron',
      exclude: ['Brigitte Macron'],
    },
    { id: 'q-talks', label: 'Putin and peace talks', query: 'name:Putin NEAR/5 inflect:"peace talk"' },
  ]);
  const ids = (content: string) => queried.match({ title: '', summary: '', content }).map((w) => w.id);

  it.each([
    ['Эммануэль Макрон прибыл в Берлин.', ['q-macron']],
    ['Brigitte Macron a visité Lyon.', []],
    ['Путин отверг мирные переговоры, but peace talks with Putin went on.', ['q-talks']],
    ['Putin spoke; much later, after the budget, the trade figures and the weather, peace talks began.', []],
  ])('%s', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it('rejects a wildcard in name: and inflect:', () => {
    expect(() => compileWatches([{ id: 'w', label: 'w', query: 'name:Macr*' }])).toThrow(
      /name: takes no wildcard/,
    );
  });
});
