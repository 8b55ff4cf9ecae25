import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/contracts/item.js';
import { buildPayload } from '../../../src/deliver/payload.js';
import { parseSitemap } from '../../../src/parse/sitemap.js';

const fixture = (name: string) =>
  fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/sources', name), 'utf8');

const payloadItem = (item: FeedItem) =>
  buildPayload({
    alertId: 'msg_1',
    storyId: 'st',
    feed: { id: 'times', url: 'https://news.example.com/news-sitemap.xml' },
    item,
    watches: [],
    update: false,
    now: 0,
  }).data.item;

describe('the alert payload item', () => {
  it("carries a news sitemap's publication name and keywords", () => {
    const [summit] = parseSitemap(fixture('news-sitemap.xml'), 'utf-8', 'https://news.example.com/').items;
    expect(payloadItem(summit)).toMatchObject({
      url: 'https://news.example.com/2025/06/01/world/europe/macron-nato-summit.html',
      outlet: 'The Example Times',
      keywords: ['Emmanuel Macron', 'NATO', 'defense budgets'],
    });
  });

  it.each([
    ['an item without outlet or keywords', {}],
    ['an item with an empty keyword list', { keywords: [] }],
  ])('keeps exactly the version 1 fields for %s', (_, extra) => {
    const item: FeedItem = { key: 'g:1', title: 'T', summary: '', content: '', ...extra };
    expect(Object.keys(payloadItem(item)).sort()).toEqual([
      'feed',
      'id',
      'lang',
      'publishedAt',
      'title',
      'url',
    ]);
  });
});
