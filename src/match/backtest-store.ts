/**
 * Recent items kept in a capped Redis stream so a new or edited watch can be tried against what
 * already came in ("what would have matched this week?"). The stream is capped both by count
 * (MAXLEN) and by age (MINID); entry ids carry the item's `at` time, so reads start at `sinceMs`.
 */
import type { Redis } from 'ioredis';
import type { Matcher, WatchMatch } from '../contracts/match.js';
import { MediawatchError } from '../contracts/errors.js';
import { withoutRepeatedSummary, type StoredTexts } from '../contracts/item.js';
import { loadScript, type LuaArg } from '../adapters/lua-script.js';

export interface BacktestEntry {
  feedId: string;
  itemKey: string;
  url?: string;
  title: string;
  summary: string;
  content: string;
  /** The text of the item's page, when it was read. */
  article?: string;
  publishedAt?: string;
  lang?: string;
  /** When the item was seen (ms since epoch); also the stream id's time part. */
  at: number;
}

export interface BacktestHit {
  at: number;
  feedId: string;
  itemKey: string;
  url?: string;
  title: string;
  publishedAt?: string;
  watches: WatchMatch[];
}

export interface BacktestReport {
  sinceMs: number;
  now: number;
  itemsScanned: number;
  /** Stored entries that could not be read back (skipped, not fatal). */
  unreadable: number;
  /** Items matched per watch id; a requested watch that matched nothing shows 0. */
  counts: Record<string, number>;
  /** Matching items, oldest first. */
  hits: BacktestHit[];
}

export interface BacktestStoreOptions {
  prefix: string;
  retentionMs: number;
  maxItems: number;
  /** Entries read per XRANGE round trip. */
  batchSize?: number;
}

export interface BacktestStore {
  /** Records the items of one job in one round trip. */
  record(entries: BacktestEntry[]): Promise<void>;
  backtest(
    matcher: Matcher,
    opts: { sinceMs: number; now: number; watchIds?: string[] },
  ): Promise<BacktestReport>;
}

const recordScript = loadScript(new URL('./lua/record-items.lua', import.meta.url), {
  encode: (r: { key: string; maxItems: number; minId: number; entries: StoredTexts<BacktestEntry>[] }) => {
    const args: LuaArg[] = [r.maxItems, r.minId];
    for (const entry of r.entries) args.push(Math.max(0, Math.floor(entry.at)), JSON.stringify(entry));
    return { keys: [r.key], args };
  },
  decode: (reply) => reply as number,
});

/**
 * A page's text kept for backtesting is cut at this many characters (a long read of some 5,000
 * words), so the stream's size is bounded by `maxItems` whatever the pages hold.
 */
export const BACKTEST_ARTICLE_CHARS = 30_000;

/** What is kept of an item: a summary that repeats the content once, a long page's text cut. */
function stored(entry: BacktestEntry): StoredTexts<BacktestEntry> {
  const kept = withoutRepeatedSummary(entry);
  return kept.article !== undefined && kept.article.length > BACKTEST_ARTICLE_CHARS
    ? { ...kept, article: kept.article.slice(0, BACKTEST_ARTICLE_CHARS) }
    : kept;
}

export function createBacktestStore(redis: Redis, opts: BacktestStoreOptions): BacktestStore {
  const key = `${opts.prefix}:backtest:items`;
  const batchSize = opts.batchSize ?? 500;

  return {
    async record(entries) {
      if (entries.length === 0) return;
      const newest = Math.max(...entries.map((e) => e.at));
      const minId = Math.max(0, Math.floor(newest - opts.retentionMs));
      try {
        await recordScript.run(redis, { key, maxItems: opts.maxItems, minId, entries: entries.map(stored) });
      } catch (err) {
        throw new MediawatchError('redis', `cannot record items for backtesting: ${(err as Error).message}`, {
          retryable: true,
          cause: err,
        });
      }
    },

    async backtest(matcher, { sinceMs, now, watchIds }) {
      const wanted = watchIds === undefined ? undefined : new Set(watchIds);
      const counts: Record<string, number> = {};
      watchIds?.forEach((id) => (counts[id] = 0));
      const hits: BacktestHit[] = [];
      let itemsScanned = 0;
      let unreadable = 0;
      let from = String(Math.max(0, Math.floor(sinceMs)));
      for (;;) {
        let batch: [string, string[]][];
        try {
          batch = await redis.xrange(key, from, '+', 'COUNT', batchSize);
        } catch (err) {
          throw new MediawatchError('redis', `cannot read backtest items: ${(err as Error).message}`, {
            retryable: true,
            cause: err,
          });
        }
        for (const [, fields] of batch) {
          const entry = readEntry(fields);
          if (entry === undefined) {
            unreadable++;
            continue;
          }
          if (entry.at < sinceMs || entry.at > now) continue;
          itemsScanned++;
          const matched = matcher
            .match({
              title: entry.title,
              summary: entry.summary,
              content: entry.content,
              article: entry.article,
              url: entry.url,
              feedId: entry.feedId,
              lang: entry.lang,
            })
            .filter((m) => wanted === undefined || wanted.has(m.id));
          if (matched.length === 0) continue;
          for (const m of matched) counts[m.id] = (counts[m.id] ?? 0) + 1;
          hits.push({
            at: entry.at,
            feedId: entry.feedId,
            itemKey: entry.itemKey,
            url: entry.url,
            title: entry.title,
            publishedAt: entry.publishedAt,
            watches: matched,
          });
        }
        if (batch.length < batchSize) break;
        from = `(${batch[batch.length - 1][0]}`;
      }
      return { sinceMs, now, itemsScanned, unreadable, counts, hits };
    },
  };
}

function readEntry(fields: string[]): BacktestEntry | undefined {
  const at = fields.indexOf('e');
  if (at < 0 || at % 2 !== 0) return undefined;
  try {
    const e = JSON.parse(fields[at + 1]) as Partial<BacktestEntry>;
    if (typeof e.at !== 'number' || typeof e.feedId !== 'string' || typeof e.itemKey !== 'string')
      return undefined;
    return {
      ...e,
      title: e.title ?? '',
      summary: e.summary ?? e.content ?? '',
      content: e.content ?? '',
    } as BacktestEntry;
  } catch {
    return undefined;
  }
}
