import { describe, expect, it } from 'vitest';
import { loadStoryPairs, scoreStoryPairs as score } from '../../helpers/story-pairs.js';

const pairs = loadStoryPairs();

describe('same-story decision on the labeled pairs', () => {
  it('uses a labeled set of at least 200 pairs with both labels', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    expect(pairs.filter((p) => p.label === 'same').length).toBeGreaterThanOrEqual(100);
    expect(pairs.filter((p) => p.label === 'different').length).toBeGreaterThanOrEqual(80);
  });

  it('finds copies of one story with precision and recall of at least 0.95', () => {
    const { precision, recall } = score(pairs);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('never merges two different stories on the same topic and day', () => {
    expect(score(pairs.filter((p) => p.kind === 'same topic, same day')).falseMerges).toBe(0);
  });

  it('always joins an edited version to its original', () => {
    expect(score(pairs.filter((p) => p.kind === 'updated version')).recall).toBe(1);
  });
});
