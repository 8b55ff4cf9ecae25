import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import {
  BACKTEST_ARTICLE_CHARS,
  compileWatches,
  createBacktestStore,
  type BacktestEntry,
} from '../../../src/match/index.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);
let redis: TestRedis;
let client: Redis;
let n = 0;

const entry = (at: number, title: string, content = ''): BacktestEntry => ({
  feedId: 'wire',
  itemKey: `g:${title}`,
  url: `https://example.org/${encodeURIComponent(title)}`,
  title,
  summary: '',
  content,
  at,
});

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterAll(async () => {
  await redis.stop();
});

function freshStore(opts: { retentionMs?: number; maxItems?: number; batchSize?: number } = {}) {
  return createBacktestStore(client, {
    prefix: `bt${++n}`,
    retentionMs: opts.retentionMs ?? 7 * DAY,
    maxItems: opts.maxItems ?? 1000,
    batchSize: opts.batchSize,
  });
}

const matcher = compileWatches([
  { id: 'nato', label: 'NATO', terms: ['NATO'] },
  { id: 'putin', label: 'Putin', terms: ['Putin'], exclude: ['Putin Street'] },
]);

describe('backtesting watches against recorded items', () => {
  it('reports what would have matched since a time, per watch, with snippets', async () => {
    const store = freshStore({ batchSize: 2 });
    await store.record([entry(T0 - 3 * DAY, 'Old NATO story')]);
    await store.record([entry(T0 - DAY, 'NATO and Putin', 'Putin spoke to NATO.')]);
    await store.record([entry(T0 - DAY + 1, 'Putin Street closed')]);
    await store.record([entry(T0 - 1000, 'NATO again')]);
    await store.record([entry(T0 - 500, 'Weather')]);
    const report = await store.backtest(matcher, { sinceMs: T0 - 2 * DAY, now: T0 });
    expect(report.itemsScanned).toBe(4);
    expect(report.counts).toEqual({ nato: 2, putin: 1 });
    expect(report.hits.map((h) => h.title)).toEqual(['NATO and Putin', 'NATO again']);
    expect(report.hits[0].watches[1].matches[1].snippet).toBe('«Putin» spoke to NATO.');
  });

  it('stores a summary that repeats the content once, and still finds it in both fields', async () => {
    const store = freshStore();
    const text = 'NATO ministers met in Brussels. '.repeat(20);
    await store.record([{ ...entry(T0, 'Ministers meet', text), summary: text }]);
    const [[, fields]] = await client.xrange(`bt${n}:backtest:items`, '-', '+');
    expect(fields[1].length).toBeLessThan(1.5 * text.length);
    const scoped = compileWatches([
      { id: 'lead', label: 'Lead', query: 'summary:NATO' },
      { id: 'body', label: 'Body', query: 'content:Brussels' },
    ]);
    const report = await store.backtest(scoped, { sinceMs: 0, now: T0 });
    expect(report.counts).toEqual({ lead: 1, body: 1 });
  });

  it('restricts the report to the watches asked for, showing zero for one that matched nothing', async () => {
    const store = freshStore();
    await store.record([entry(T0, 'NATO meets')]);
    const report = await store.backtest(matcher, { sinceMs: 0, now: T0, watchIds: ['putin'] });
    expect(report.counts).toEqual({ putin: 0 });
    expect(report.hits).toEqual([]);
  });

  it('keeps the stream near its item cap', async () => {
    const store = freshStore({ maxItems: 100 });
    for (let i = 0; i < 400; i++) await store.record([entry(T0 + i, `item ${i}`)]);
    const length = await client.xlen(`bt${n}:backtest:items`);
    expect(length).toBeLessThan(400);
    expect(length).toBeGreaterThanOrEqual(100);
  });

  it("keeps a long page's text up to its cap, so the cap on items bounds the stream's memory", async () => {
    const store = freshStore();
    const page = `NATO ministers met. ${'The talks went on. '.repeat(3_000)}Putin replied.`;
    await store.record([{ ...entry(T0, 'Ministers meet'), article: page }]);
    const [[, fields]] = await client.xrange(`bt${n}:backtest:items`, '-', '+');
    const kept = JSON.parse(fields[1]) as BacktestEntry;
    expect(kept.article).toBe(page.slice(0, BACKTEST_ARTICLE_CHARS));
    const report = await store.backtest(matcher, { sinceMs: T0 - DAY, now: T0 });
    expect(report.counts).toEqual({ nato: 1 });
  });

  it('drops items older than the retention as new ones arrive', async () => {
    const store = freshStore({ retentionMs: DAY });
    for (let i = 0; i < 300; i++) await store.record([entry(T0 - 10 * DAY + i, `old NATO ${i}`)]);
    await store.record([entry(T0, 'NATO fresh')]);
    // MINID ~ trims whole stream nodes only: the last node of old items may stay with the new one.
    expect(await client.xlen(`bt${n}:backtest:items`)).toBeLessThan(150);
    const report = await store.backtest(matcher, { sinceMs: T0 - DAY, now: T0 });
    expect(report.hits.map((h) => h.title)).toEqual(['NATO fresh']);
  });

  it('records an item whose time is older than the newest one instead of failing', async () => {
    const store = freshStore();
    await store.record([entry(T0, 'NATO now')]);
    await store.record([entry(T0 - 60_000, 'NATO a minute ago')]);
    const report = await store.backtest(matcher, { sinceMs: T0 - DAY, now: T0 });
    expect(report.hits.map((h) => h.title).sort()).toEqual(['NATO a minute ago', 'NATO now']);
  });

  it('records every item of a job in one call, out-of-order times included', async () => {
    const store = freshStore();
    await store.record([
      entry(T0, 'NATO first'),
      entry(T0 - 5_000, 'NATO late clock'),
      entry(T0 + 1, 'NATO third'),
    ]);
    const report = await store.backtest(matcher, { sinceMs: T0 - DAY, now: T0 + 1 });
    expect(report.hits.map((h) => h.title).sort()).toEqual(['NATO first', 'NATO late clock', 'NATO third']);
  });

  it('skips an entry it cannot read and counts it', async () => {
    const store = freshStore();
    await client.xadd(`bt${n}:backtest:items`, `${T0}-0`, 'e', '{broken');
    await store.record([entry(T0 + 1, 'NATO ok')]);
    const report = await store.backtest(matcher, { sinceMs: 0, now: T0 + 1 });
    expect(report).toMatchObject({ unreadable: 1, itemsScanned: 1, counts: { nato: 1 } });
  });

  it('reports a Redis failure as a retryable redis error', async () => {
    const broken = createBacktestStore(client, { prefix: `bt-type-${n}`, retentionMs: DAY, maxItems: 10 });
    await client.set(`bt-type-${n}:backtest:items`, 'not a stream');
    await expect(broken.record([entry(T0, 'x')])).rejects.toMatchObject({ code: 'redis', retryable: true });
  });
});
