import { describe, expect, it } from 'vitest';
import {
  LEAD_WORDS,
  cleanText,
  featureHashes,
  fingerprint,
  leadBands,
  leadSentences,
  sameStory,
  words,
} from '../../../src/dedupe/fingerprint.js';
import { hash64 } from '../../../src/dedupe/hash64.js';

const LEAD =
  'Talks to form a new Dutch government collapsed on Tuesday after the centrist NSC party walked out, saying it ' +
  'could not agree with the other three parties on how to finance public spending. The talks had been led by an ' +
  'independent mediator appointed by parliament after the election in November.';

describe('cleanText', () => {
  it.each([
    ['a wire dateline', 'THE HAGUE (Reuters) - Talks collapsed.', 'Talks collapsed.'],
    ['a dated AP dateline', 'THE HAGUE, March 7 (AP) — Talks collapsed.', 'Talks collapsed.'],
    ['a bare dateline', 'THE HAGUE — Talks collapsed.', 'Talks collapsed.'],
    ['a wire prefix', 'AP — Talks collapsed.', 'Talks collapsed.'],
  ])('removes %s from the start of the lead', (_what, text, expected) => {
    expect(cleanText('', text).trim()).toBe(expected);
  });

  it.each([
    'Back to top button',
    'Advertisement',
    'Story continues below advertisement',
    'Reporting by Anna Lindqvist; Editing by Alison Williams',
    'Copyright 2024 The Associated Press. All rights reserved.',
    'Sign up for our morning newsletter',
  ])('removes the boilerplate "%s"', (boilerplate) => {
    expect(cleanText('', `Talks collapsed. ${boilerplate}`).trim()).toBe('Talks collapsed.');
  });
});

describe('words', () => {
  it('drops possessives, stopwords and lone letters, stems plurals and folds accents', () => {
    const text = "THE HAGUE (Reuters) - Talks didn't collapse; the glass isn't 2 x 3. Ökonomen sagen: Straße";
    expect(words('Spain’s parties', text)).toEqual([
      'spain',
      'party',
      'talk',
      'didn',
      'collapse',
      'glass',
      'isn',
      '2',
      '3',
      'okonomen',
      'sagen',
      'straße',
    ]);
  });

  it(`takes ${LEAD_WORDS} words of the body, stopwords included in the count`, () => {
    const body = Array.from({ length: 2 * LEAD_WORDS }, (_, i) => (i % 2 ? 'the' : `w${i}`)).join(' ');
    const ws = words('', body);
    expect(ws).toHaveLength(LEAD_WORDS / 2);
    expect(ws.at(-1)).toBe(`w${LEAD_WORDS - 2}`);
  });
});

describe('fingerprint', () => {
  it('is the same for the same text', () => {
    expect(fingerprint('Dutch talks collapse', LEAD)).toEqual(fingerprint('Dutch talks collapse', LEAD));
  });

  it('ignores case, accents and punctuation', () => {
    const a = featureHashes('Dutch talks collapse', LEAD);
    const b = featureHashes('DUTCH TALKS COLLAPSE!', LEAD.replace(/e/g, 'é').toUpperCase());
    expect(b).toEqual(a);
  });

  it('counts each feature once, however long the title', () => {
    const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    // 600 words, 599 pairs within one copy, and the pair joining the two copies.
    expect(featureHashes(`${long} ${long}`, '')).toHaveLength(1200);
    expect(fingerprint(`${long} ${long}`, '').features).toBe(1200);
  });

  it('does not let shared boilerplate make two different stories one', () => {
    const tail =
      '\n\nBack to top button\n\nAdvertisement\n\nSign up for our newsletter\n\nShare this article';
    const a = fingerprint('Dutch talks collapse', `THE HAGUE (Reuters) - ${LEAD}${tail}`);
    const b = fingerprint(
      'Farmers party leads poll',
      `AMSTERDAM (Reuters) - The BBB party leads in five provinces, a poll showed.${tail}`,
    );
    expect(sameStory(a, b)).toBe(false);
  });

  it('still joins a copy that only adds a dateline and boilerplate', () => {
    const a = fingerprint('Dutch coalition talks collapse', LEAD);
    const b = fingerprint(
      'Netherlands faces new deadlock',
      `THE HAGUE (AP) — ${LEAD}\n\nAdvertisement\n\nBack to top button`,
    );
    expect(sameStory(a, b)).toBe(true);
  });

  it('never calls items with almost no words the same story', () => {
    expect(sameStory(fingerprint('', ''), fingerprint('', ''))).toBe(false);
  });

  it('looks only at the lead, so a long shared tail of related links does not merge stories', () => {
    const related = Array.from(
      { length: 40 },
      (_, i) => `Related story number ${i} about Dutch politics and the coalition.`,
    ).join(' ');
    const a = fingerprint('Dutch talks collapse', `${LEAD} ${related}`);
    const b = fingerprint(
      'Farmers party leads poll',
      `The BBB party is set to become the largest party in five Dutch provinces in next month's regional elections, an opinion poll published on Tuesday showed, ahead of a vote that decides the Senate. The party was founded in 2019. ${related}`,
    );
    expect(sameStory(a, b)).toBe(false);
  });
});

describe('lead sentences', () => {
  const lead =
    'Thieves broke into the city museum overnight and stole 19 Roman gold coins, police said. The museum is closed.';
  it.each([
    [
      'the first sentence of each paragraph',
      `${lead}\n\nGuards reached the coin cabinet five minutes after the alarm went off.`,
      [lead.split('. ')[0] + '.', 'Guards reached the coin cabinet five minutes after the alarm went off.'],
    ],
    [
      'skips a byline or section label too short to carry news',
      `By Markus Huber\n\nTech desk | 3 min read\n\n${lead}`,
      [lead.split('. ')[0] + '.'],
    ],
    ['nothing for a text without a sentence of news', 'Updated 11:40', []],
  ])('takes %s', (_, text, expected) => {
    expect(leadSentences(text)).toEqual(expected);
  });

  it("gives a brief and the full story's lead, placed after a local opening, shared sketch bands", () => {
    const brief = leadBands(
      'Thieves broke into the city museum overnight and stole 19 Roman gold coins, police said.',
    );
    const full = leadBands(
      `Coin dealers across Europe were asked on Wednesday to look out for the stolen coins.\n\n${lead}`,
    );
    const shared = countShared(brief, full);
    expect(shared).toBeGreaterThanOrEqual(3);
    const other = leadBands(
      'Police arrested two men in Graz over the theft of the coins and recovered eleven of them.',
    );
    expect(countShared(brief, other)).toBeLessThan(shared);
  });
});

function countShared(a: Uint32Array, b: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 2) {
    for (let j = 0; j < b.length; j += 2) if (a[i] === b[j] && a[i + 1] === b[j + 1]) n++;
  }
  return n;
}

describe('hash64', () => {
  it('is stable and spreads similar inputs', () => {
    expect(hash64('nato')).toEqual(hash64('nato'));
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const h = hash64(`item-${i}`);
      seen.add(`${h.hi}:${h.lo}`);
    }
    expect(seen.size).toBe(20_000);
  });
});
