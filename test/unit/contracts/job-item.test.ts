import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/contracts/item.js';
import { fromJobItem, toJobItem } from '../../../src/contracts/jobs.js';

const text = 'Ministers met in Brussels to agree on a new aid package. '.repeat(10);
const item = (summary: string, content: string): FeedItem => ({
  key: 'g:1',
  url: 'https://example.org/1',
  title: 'Aid package agreed',
  summary,
  content,
  lang: 'en',
});
/** What a worker reads back from the queue. */
const viaQueue = (it: FeedItem) => fromJobItem(JSON.parse(JSON.stringify(toJobItem(it))));

describe('items as a job carries them', () => {
  it.each([
    ['a summary that repeats the content', item(text, text)],
    ['a summary of its own', item('Aid agreed.', text)],
    ['no summary at all', item('', text)],
    ['no text at all', item('', '')],
  ])('come back unchanged with %s', (_, it) => {
    expect(viaQueue(it)).toEqual(it);
  });

  it('carry a repeated text once', () => {
    expect(JSON.stringify(toJobItem(item(text, text))).length).toBeLessThan(1.2 * text.length);
    expect(JSON.stringify(toJobItem(item('Aid agreed.', text)))).toContain('Aid agreed.');
  });
});
