import { describe, expect, it } from 'vitest';
import { compileWatches, formatQueryError, lintWatch, QueryError } from '../../../src/match/index.js';

function errorOf(query: string): QueryError {
  try {
    compileWatches([{ id: 'w', label: 'w', query }]);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error(`"${query}" compiled`);
}

describe('query errors point at the problem', () => {
  it.each([
    ['Putin NEAR Macron', 7, /missing its distance/],
    ['"security guarantee', 1, /never closed/],
    ['gu*', 1, /at least 3 letters/],
    ['gua*rantee', 4, /may only end a word/],
    ['Putin OR', 7, /OR needs something on its right/],
    ['(Putin OR Macron', 1, /never closed/],
    ['Putin) Macron', 6, /unexpected \)/],
    ['AND Putin', 1, /needs something on its left/],
    ['Putin NEAR/3 (talks AND summit)', 14, /right side of NEAR\/3/],
    ['a NEAR/2 b NEAR/2 c', 12, /cannot be chained/],
    ['title: Putin', 1, /nothing follows title:/],
    ['lang:', 1, /nothing follows lang:/],
    ['()', 1, /empty parentheses/],
    ['""', 1, /empty phrase/],
  ])('%j fails at column %i', (query, column, message) => {
    const e = errorOf(query);
    expect(e.column).toBe(column);
    expect(e.message).toMatch(message);
    expect(e.hint.length).toBeGreaterThan(0);
    expect(e).toMatchObject({ code: 'config', watchId: 'w', query, retryable: false });
  });

  it('prints the query with a caret under the column and the hint below', () => {
    expect(formatQueryError(errorOf('Putin NEAR Macron'))).toBe(
      [
        'watch "w": NEAR is missing its distance',
        '  Putin NEAR Macron',
        '        ^',
        'hint: write NEAR/5 (at most 5 words between the two sides)',
      ].join('\n'),
    );
  });
});

describe('query operators', () => {
  const matches = (query: string, content: string, title = '') =>
    compileWatches([{ id: 'w', label: 'w', query }]).match({ title, summary: '', content }).length === 1;

  it.each([
    ['Putin Macron', 'Putin and Macron met', true],
    ['Putin Macron', 'Putin met', false],
    ['Putin AND NOT Macron', 'Putin met', true],
    ['Putin -Macron', 'Putin met Macron', false],
    ['-Macron', 'Nobody met', true],
    ['Putin -"Putin Street"', 'Putin Street was closed', false],
    ['(Putin OR Macron) talks', 'Macron held talks', true],
    ['Putin OR Macron talks', 'Putin spoke', true],
    ['"peace deal"', 'a peace\u00a0deal', true],
    ['"peace deal"', 'a deal for peace', false],
    ['peace ONEAR/2 deal', 'a deal for peace', false],
    ['peace NEAR/2 deal', 'a deal for peace', true],
    ['("peace deal" OR truce) NEAR/3 Gaza', 'A truce in Gaza', true],
    ['case:NATO', 'Nato allies', false],
    ['case:NATO', 'NATO allies', true],
    ['content:Putin', 'Putin', true],
    ['summary:Putin', 'Putin', false],
    ['title:(Putin OR Macron)', 'Putin', false],
  ])('%j against %j is %s', (query, content, expected) => {
    expect(matches(query, content)).toBe(expected);
  });

  it('treats lower-case and/or/not as words to find', () => {
    expect(matches('rock and roll', 'rock music')).toBe(false);
    expect(matches('"rock and roll"', 'Rock and roll!')).toBe(true);
  });
});

describe('linting watches', () => {
  it.each([
    ['gua*', /short prefix/],
    ['Putin NEAR/25 talks', /NEAR\/25 spans more words/],
    ['-Putin', /NOT-only/],
    ['lang:fr', /filter-only/],
  ])('warns about %j', (query, warning) => {
    const warnings = lintWatch({ id: 'w', label: 'w', query });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(warning);
  });

  it('has nothing to say about a sound query or a terms list', () => {
    expect(
      lintWatch({
        id: 'w',
        label: 'w',
        query: '"security guarantee*" OR (guarantee* NEAR/4 (security OR Russia OR Ukraine))',
      }),
    ).toEqual([]);
    expect(lintWatch({ id: 'w', label: 'w', terms: ['NATO'] })).toEqual([]);
  });

  it('returns a query that does not compile as its one warning instead of throwing', () => {
    expect(lintWatch({ id: 'w', label: 'w', query: 'Putin OR' })[0]).toMatch(
      /OR needs something on its right\n {2}Putin OR\n/,
    );
  });
});
