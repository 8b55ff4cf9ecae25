import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/deliver/digest.js';
import { webhookRequest } from '../../../src/deliver/channels/webhook.js';
import { buildPayload, type AlertInput } from '../../../src/deliver/payload.js';
import type { WebhookPayload } from '../../../src/contracts/webhook.js';
import { parseSitemap } from '../../../src/parse/sitemap.js';

const renderBody = (payload: WebhookPayload, format: 'standard' | 'slack' | 'discord') =>
  webhookRequest(
    { url: 'https://hooks.example.org/mw', format, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    'msg_1',
    payload,
    0,
  ).body;

const INPUT: AlertInput = {
  alertId: 'msg_1',
  storyId: 'st_1',
  feed: { id: 'world', url: 'https://news.example.com/world.rss' },
  item: {
    key: 'g:1',
    url: 'https://news.example.com/a',
    title: 'Macron <and> NATO',
    summary: '',
    content: '',
    publishedAt: '2026-11-28T08:00:00.000Z',
  },
  watches: [
    {
      id: 'macron',
      label: 'Emmanuel Macron',
      matches: [{ term: 'Macron', field: 'title', start: 0, end: 6, snippet: '«Macron» <and> NATO' }],
    },
  ],
  update: false,
  now: Date.parse('2026-11-28T09:00:00Z'),
};
const ALERT = buildPayload(INPUT);

describe('webhook bodies', () => {
  it('builds the version 1 payload of the contract', () => {
    expect(ALERT).toEqual({
      type: 'mention.detected',
      timestamp: '2026-11-28T09:00:00.000Z',
      data: {
        alertId: 'msg_1',
        storyId: 'st_1',
        item: {
          id: 'g:1',
          title: 'Macron <and> NATO',
          url: 'https://news.example.com/a',
          publishedAt: '2026-11-28T08:00:00.000Z',
          lang: null,
          feed: { id: 'world', url: 'https://news.example.com/world.rss' },
        },
        watches: [
          {
            id: 'macron',
            label: 'Emmanuel Macron',
            matches: [{ term: 'Macron', field: 'title', start: 0, end: 6, snippet: '«Macron» <and> NATO' }],
          },
        ],
      },
    });
  });

  it("carries a news sitemap's publication name and keywords as the item's optional outlet and keywords", () => {
    const xml = fs.readFileSync(
      path.join(import.meta.dirname, '../../fixtures/sources/news-sitemap.xml'),
      'utf8',
    );
    const [summit] = parseSitemap(xml, 'utf-8', 'https://news.example.com/').items;
    const { item } = buildPayload({ ...INPUT, item: summit }).data;
    expect(item).toMatchObject({
      url: 'https://news.example.com/2025/06/01/world/europe/macron-nato-summit.html',
      outlet: 'The Example Times',
      keywords: ['Emmanuel Macron', 'NATO', 'defense budgets'],
    });
    const none = buildPayload({ ...INPUT, item: { ...INPUT.item, keywords: [] } }).data.item;
    expect(Object.keys(none).sort()).toEqual(['feed', 'id', 'lang', 'publishedAt', 'title', 'url']);
  });

  it('marks an alert for an edited story as an update', () => {
    const update = buildPayload({
      alertId: 'msg_2',
      storyId: 'st_1',
      feed: ALERT.data.item.feed,
      item: { key: 'g:1', title: 't', summary: '', content: '' },
      watches: [],
      update: true,
      now: 0,
    });
    expect(update.data.update).toBe(true);
    expect(update.data.item.url).toBeNull();
  });

  it('sends the contract JSON as it is for the standard format', () => {
    expect(JSON.parse(renderBody(ALERT, 'standard'))).toEqual(ALERT);
  });

  it('gives Slack a linked title, the watches and the snippet, with its escaping', () => {
    const body = JSON.parse(renderBody(ALERT, 'slack'));
    expect(body.text).toContain('Emmanuel Macron');
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain('<https://news.example.com/a|Macron &lt;and&gt; NATO>');
    expect(blocks).toContain('«Macron» &lt;and&gt; NATO');
  });

  it('gives Discord an embed with title, link and snippet, and pings nobody', () => {
    const body = JSON.parse(renderBody(ALERT, 'discord'));
    expect(body.embeds[0]).toMatchObject({ title: 'Macron <and> NATO', url: 'https://news.example.com/a' });
    expect(body.embeds[0].description).toContain('«Macron» <and> NATO');
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('puts every alert of a digest window in one body', () => {
    const digest = buildDigest('dig_1', { start: 0, end: 900_000 }, [ALERT, ALERT], 1_000_000);
    expect(digest.type).toBe('mention.digest');
    expect(digest.data.alerts).toHaveLength(2);
    expect(digest.data.window).toEqual({
      start: '1970-01-01T00:00:00.000Z',
      end: '1970-01-01T00:15:00.000Z',
    });
    expect(JSON.parse(renderBody(digest, 'slack')).blocks).toHaveLength(3);
  });
});
