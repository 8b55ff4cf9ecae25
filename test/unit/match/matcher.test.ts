import { describe, expect, it } from 'vitest';
import type { MatchInput, WatchSpec } from '../../../src/contracts/match.js';
import { compileWatches } from '../../../src/match/index.js';

const item = (content: string, extra: Partial<MatchInput> = {}): MatchInput => ({
  title: '',
  summary: '',
  content,
  ...extra,
});
const watch = (id: string, rest: Partial<WatchSpec>): WatchSpec => ({ id, label: id.toUpperCase(), ...rest });

describe('matching watches against an item', () => {
  it('reports hits with offsets into the original text, not the folded one', () => {
    const m = compileWatches([watch('macron', { terms: ['Macron'] })]);
    const content = 'ＮＡＴＯ chief and Président Macrón met.';
    const [hit] = m.match(item(content))[0].matches;
    expect(content.slice(hit.start, hit.end)).toBe('Macrón');
    expect(hit).toMatchObject({ term: 'Macron', field: 'content' });
  });

  it('marks the matched words in the sentence around the hit', () => {
    const m = compileWatches([watch('sg', { terms: ['security guarantees'] })]);
    const [hit] = m.match(item('Talks began. Kyiv wants security\nguarantees first! Then more.'))[0].matches;
    expect(hit.snippet).toBe('Kyiv wants «security guarantees» first!');
  });

  it('does not end the snippet sentence at "Mr." or an initial', () => {
    const m = compileWatches([watch('putin', { terms: ['Putin'] })]);
    const [hit] = m.match(item('It rained. Mr. Putin met J. Smith today. Later.'))[0].matches;
    expect(hit.snippet).toBe('Mr. «Putin» met J. Smith today.');
  });

  it('cuts a very long sentence around the hit', () => {
    const m = compileWatches([watch('putin', { terms: ['Putin'] })]);
    const filler = 'word '.repeat(100);
    const [hit] = m.match(item(`${filler}Putin ${filler}end.`))[0].matches;
    expect(hit.snippet.length).toBeLessThanOrEqual(240);
    expect(hit.snippet).toMatch(/^….*«Putin».*…$/);
  });

  it('ignores only the occurrence that lies inside an exclude phrase', () => {
    const m = compileWatches([watch('putin', { terms: ['Putin'], exclude: ['Putin Street'] })]);
    expect(m.match(item('Traffic on Putin Street.'))).toEqual([]);
    const both = m.match(item('Traffic on Putin Street. Putin spoke later.'));
    expect(both[0].matches.map((h) => h.start)).toEqual([25]);
    expect(m.match(item('Traffic on Putin\n  Street.'))).toEqual([]);
  });

  it('reports one hit when a short term lies inside a longer one of the same watch', () => {
    const m = compileWatches([watch('macron', { terms: ['Emmanuel Macron', 'Macron'] })]);
    const hits = m.match(item('Emmanuel Macron spoke. Macron left.'))[0].matches;
    expect(hits.map((h) => h.term)).toEqual(['Emmanuel Macron', 'Macron']);
  });

  it('returns matching watches in config order, each labelled', () => {
    const m = compileWatches([watch('b', { terms: ['beta'] }), watch('a', { terms: ['alpha'] })]);
    expect(m.match(item('alpha and beta')).map((w) => [w.id, w.label])).toEqual([
      ['b', 'B'],
      ['a', 'A'],
    ]);
    expect(m.watchCount).toBe(2);
  });

  it('matches in the title and summary too, and says which field', () => {
    const m = compileWatches([watch('nato', { terms: ['NATO'] })]);
    const [w] = m.match({ title: 'NATO meets', summary: 'About NATO.', content: '' });
    expect(w.matches.map((h) => [h.field, h.start])).toEqual([
      ['title', 0],
      ['summary', 6],
    ]);
  });

  it('finds a summary that repeats the content in both fields, for any field scope', () => {
    const text = 'Macron spoke of NATO.';
    const m = compileWatches([
      watch('any', { terms: ['NATO'] }),
      watch('body', { query: 'content:Macron' }),
      watch('lead', { query: 'summary:NATO' }),
    ]);
    const found = m.match({ title: '', summary: text, content: text });
    expect(found.map((w) => [w.id, w.matches.map((h) => [h.field, h.start])])).toEqual([
      [
        'any',
        [
          ['summary', 16],
          ['content', 16],
        ],
      ],
      ['body', [['content', 0]]],
      ['lead', [['summary', 16]]],
    ]);
  });

  it('keeps a wildcard hit to the whole word it matched', () => {
    const m = compileWatches([watch('g', { query: 'guarantee*' })]);
    const content = 'No guarantees given.';
    const [hit] = m.match(item(content))[0].matches;
    expect(content.slice(hit.start, hit.end)).toBe('guarantees');
    expect(hit.term).toBe('guarantee*');
  });

  it('matches a watch with both terms and a query when either holds', () => {
    const m = compileWatches([watch('x', { terms: ['Macron'], query: 'Elysee NEAR/2 palace' })]);
    expect(m.match(item('The Élysée palace said.'))).toHaveLength(1);
    expect(m.match(item('Macron said.'))).toHaveLength(1);
    expect(m.match(item('The palace said.'))).toHaveLength(0);
  });

  it('matches a url: scope against the item link and reports it as a url hit', () => {
    const m = compileWatches([watch('r', { query: 'url:reuters.com' })]);
    const [w] = m.match(item('text', { url: 'https://www.Reuters.com/world/x' }));
    expect(w.matches[0]).toMatchObject({
      field: 'url',
      start: 12,
      end: 23,
      snippet: 'https://www.«Reuters.com»/world/x',
    });
    expect(m.match(item('text'))).toEqual([]);
  });

  it('does not let proximity reach across a sentence end', () => {
    const m = compileWatches([watch('n', { query: 'Macron NEAR/5 Putin' })]);
    expect(m.match(item('Macron spoke. Putin left.'))).toEqual([]);
    expect(m.match(item('Macron and Mr. Putin met.'))).toHaveLength(1);
  });

  it('counts the words between the two sides of NEAR', () => {
    const m0 = compileWatches([watch('n', { query: 'alpha NEAR/0 beta' })]);
    const m1 = compileWatches([watch('n', { query: 'alpha NEAR/1 beta' })]);
    expect(m0.match(item('beta alpha'))).toHaveLength(1);
    expect(m0.match(item('alpha x beta'))).toHaveLength(0);
    expect(m1.match(item("alpha Ukraine's beta"))).toHaveLength(1);
  });

  it('rejects a term with nothing to match', () => {
    expect(() => compileWatches([watch('x', { terms: ['!!!'] })])).toThrow(/no letters/);
  });

  it('finds a word term only where a word begins, and a term that begins with a symbol anywhere', () => {
    const m = compileWatches([watch('op', { terms: ['op'] }), watch('metoo', { terms: ['#MeToo'] })]);
    expect(m.match(item('A co-op opened.')).map((w) => w.id)).toEqual(['op']);
    expect(m.match(item('The shop stopped.'))).toEqual([]);
    expect(m.match(item('Marches (#MeToo) grew.')).map((w) => w.id)).toEqual(['metoo']);
  });

  it('finds a phrase that begins inside another one being read', () => {
    const m = compileWatches([
      watch('pm', { terms: ['prime minister'] }),
      watch('md', { terms: ['minister of defence'] }),
    ]);
    const found = m.match(item('The prime minister of defence spoke.'));
    expect(found.map((w) => [w.id, w.matches[0].start])).toEqual([
      ['pm', 4],
      ['md', 10],
    ]);
  });

  it('finds the far side of NEAR and a NOT operand across line breaks and double spaces', () => {
    const near = compileWatches([watch('n', { query: 'Putin NEAR/3 "peace talks"' })]);
    const [hit] = near
      .match(item('Putin wants peace\n  talks.'))[0]
      .matches.filter((h) => h.term === 'peace talks');
    expect(hit.snippet).toBe('Putin wants «peace talks».');
    const not = compileWatches([watch('x', { query: 'Putin -"state  media"' })]);
    expect(not.match(item('Putin said on state\nmedia.'))).toEqual([]);
    expect(not.match(item('Putin said on state TV.'))).toHaveLength(1);
  });

  it('starts the snippet after a blank line, even one of three line breaks', () => {
    const m = compileWatches([watch('putin', { terms: ['Putin'] })]);
    expect(m.match(item('Moscow\n\nPutin spoke'))[0].matches[0].snippet).toBe('«Putin» spoke');
    expect(m.match(item('Moscow\n \n\nPutin spoke'))[0].matches[0].snippet).toBe('«Putin» spoke');
    expect(m.match(item('Moscow\n Putin spoke'))[0].matches[0].snippet).toBe('Moscow «Putin» spoke');
  });

  it('gives every hit in a field without sentence ends the whole field as its sentence', () => {
    const m = compileWatches([watch('putin', { terms: ['Putin'] })]);
    const title = 'Putin, Putin and again Putin';
    const [w] = m.match({ title, summary: '', content: '' });
    expect(w.matches.map((h) => h.snippet)).toEqual([
      '«Putin», Putin and again Putin',
      'Putin, «Putin» and again Putin',
      'Putin, Putin and again «Putin»',
    ]);
  });
});
