/** A watch's preview: the backtest engine run for the candidate and for the current version, compared. */
import type { Matcher } from '../contracts/match.js';
import type { BacktestHit, BacktestStore } from '../match/backtest-store.js';

export interface PreviewItem {
  itemId: string;
  title: string;
  url?: string;
  publishedAt?: string;
  snippets: string[];
}

export interface Preview {
  matched: PreviewItem[];
  gained: PreviewItem[];
  lost: PreviewItem[];
}

const itemId = (hit: BacktestHit) => `${hit.feedId}:${hit.itemKey}`;

function toItem(hit: BacktestHit): PreviewItem {
  const snippets = hit.watches.flatMap((w) => w.matches.map((m) => m.snippet));
  return {
    itemId: itemId(hit),
    title: hit.title,
    ...(hit.url && { url: hit.url }),
    ...(hit.publishedAt && { publishedAt: hit.publishedAt }),
    snippets: [...new Set(snippets)],
  };
}

export async function preview(
  store: BacktestStore,
  opts: { candidate: Matcher; current?: Matcher; sinceMs: number; now: number },
): Promise<Preview> {
  const range = { sinceMs: opts.sinceMs, now: opts.now };
  const [next, before] = await Promise.all([
    store.backtest(opts.candidate, range),
    opts.current ? store.backtest(opts.current, range) : undefined,
  ]);
  const matched = next.hits.map(toItem);
  const was = new Map((before?.hits ?? []).map((h) => [itemId(h), h]));
  const now = new Set(matched.map((m) => m.itemId));
  return {
    matched,
    gained: matched.filter((m) => !was.has(m.itemId)),
    lost: [...was.values()].filter((h) => !now.has(itemId(h))).map(toItem),
  };
}
