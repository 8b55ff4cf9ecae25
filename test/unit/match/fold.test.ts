import { describe, expect, it } from 'vitest';
import { foldKeepCase, foldPhrase, foldText, originalEnd, originalStart } from '../../../src/match/fold.js';

describe('folding text for matching', () => {
  it.each([
    ['Macrón', 'macron'],
    ['ＮＡＴＯ', 'nato'],
    ['Élysée', 'elysee'],
    ['Straße', 'strasse'],
    ['İstanbul', 'istanbul'],
    ['Macron’s', "macron's"],
    ['ﬁnance', 'finance'],
    ['Ma\u0301cron', 'macron'],
    ['plain ascii TEXT', 'plain ascii text'],
  ])('folds %j to %j', (input, folded) => {
    expect(foldText(input).text).toBe(folded);
  });

  it('leads every folded position back to the character it came from', () => {
    const original = 'Ｎé ﬁx Ma\u0301cron';
    const f = foldText(original);
    expect(f.text).toBe('ne fix macron');
    const at = f.text.indexOf('macron');
    expect(original.slice(originalStart(f, at), originalEnd(f, at + 6))).toBe('Ma\u0301cron');
    const fi = f.text.indexOf('fi');
    expect(original.slice(originalStart(f, fi), originalEnd(f, fi + 3))).toBe('ﬁx');
  });

  it('keeps pure ASCII on the fast path without an offset map', () => {
    expect(foldText('Security\nGuarantees').map).toBeNull();
  });

  it('joins the words of a phrase with single spaces whatever separated them', () => {
    expect(foldPhrase('  Security \n\t guarantees\u00a0now ')).toBe('security guarantees now');
  });

  it('drops a soft hyphen inside a word', () => {
    expect(foldText('Ma\u00adcron').text).toBe('macron');
    expect(foldPhrase('Ma\u00adcron')).toBe('macron');
  });

  it.each([
    'security-guarantees',
    'security\u2010guarantees',
    'security\u2011guarantees',
    'security\u2012guarantees',
    'security\u2013guarantees',
  ])('reads the hyphen or dash of %j as a space between words', (text) => {
    expect(foldText(text).text).toBe('security guarantees');
  });

  it('keeps a hyphen that does not join two words', () => {
    expect(foldText('-19 and well- known').text).toBe('-19 and well- known');
  });

  it('keeps case but drops accents for case-sensitive terms', () => {
    expect(foldKeepCase('NATÓ  Summit')).toBe('NATO Summit');
  });
});
