import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectLanguage, termLanguage } from '../../../src/language/detect.js';
import { compileWatches, matchJsonLines } from '../../../src/match/index.js';
import { normalizeItem } from '../../../src/parse/normalize.js';

const FEED = 'https://news.example.com/feed.xml';

describe('the language of an item', () => {
  it.each([
    ['Le président a reçu les syndicats à l’Élysée mercredi soir.', 'fr'],
    ['Der Kanzler sprach am Dienstag mit dem Präsidenten über die Verteidigung.', 'de'],
    ['Президент провёл совещание с членами правительства.', 'ru'],
    ['Президент провів нараду з членами уряду.', 'uk'],
    ['Premier spotkał się z prezydentem w Warszawie.', 'pl'],
    ['The prime minister met the president in London on Tuesday.', 'en'],
  ])('is detected from its text: %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('is left unknown when the text says too little', () => {
    expect(detectLanguage('')).toBeUndefined();
  });

  it('is detected when neither the item nor its feed declares one', () => {
    const item = normalizeItem(
      {
        title: 'Le gouvernement présente son budget',
        content: 'Les députés en débattront la semaine prochaine.',
      },
      FEED,
      undefined,
    );
    expect(item.lang).toBe('fr');
  });

  it('is the declared one when the feed declares it', () => {
    const item = normalizeItem(
      { title: 'Le gouvernement présente son budget', content: 'Les députés en débattront.' },
      FEED,
      'en-GB',
    );
    expect(item.lang).toBe('en-GB');
  });

  it('is detected for a match --jsonl line without one, so lang: filters work there too', async () => {
    const matcher = compileWatches([{ id: 'fr', label: 'French Macron', query: 'Macron AND lang:fr' }]);
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    await matchJsonLines(
      matcher,
      Readable.from([
        '{"id":1,"text":"Macron a reçu les syndicats à l’Élysée mercredi soir."}\n{"id":2,"text":"Macron met the unions in Paris on Wednesday evening."}\n',
      ]),
      output,
    );
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { watches: string[] });
    expect(lines.map((l) => l.watches)).toEqual([['fr'], []]);
  });
});

describe('the language of a watch term', () => {
  it.each([
    ['security guarantee', 'en'],
    ['garantie de sécurité', 'fr'],
    ['Sicherheitsgarantie', 'de'],
    ['гарантия безопасности', 'ru'],
    ['гарантія безпеки', 'uk'],
    ['gwarancja bezpieczeństwa', 'pl'],
  ])('%s is %s', (term, lang) => {
    expect(termLanguage(term)).toBe(lang);
  });
});
