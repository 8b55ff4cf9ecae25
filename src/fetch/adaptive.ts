/**
 * Adaptive polling: poll about twice per typical gap between the feed's items, never more often
 * than the feed's own `<ttl>` or Cache-Control max-age asks, within configured bounds. A feed
 * that did not change is polled a little less often each time.
 */
export interface AdaptiveBounds {
  minMs: number;
  maxMs: number;
}

/** Items considered for the publishing rhythm: the recent ones say more than an archive tail. */
const RECENT_ITEMS = 20;
const GROWTH_WHEN_UNCHANGED = 1.5;

const clamp = (v: number, b: AdaptiveBounds) => Math.min(b.maxMs, Math.max(b.minMs, v));

/** Median gap between consecutive publish times, in ms; undefined with fewer than two dates. */
export function medianGap(publishedAt: (string | undefined)[]): number | undefined {
  const times = publishedAt
    .map((d) => (d ? Date.parse(d) : NaN))
    .filter((t) => !Number.isNaN(t))
    .sort((a, b) => b - a)
    .slice(0, RECENT_ITEMS);
  if (times.length < 2) return undefined;
  const gaps = times
    .slice(1)
    .map((t, i) => times[i] - t)
    .sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}

/** `max-age` of a Cache-Control header, in ms. */
export function maxAgeMs(cacheControl: string | undefined): number | undefined {
  const m = /(?:^|,)\s*(?:s-)?max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl ?? '');
  return m ? Number(m[1]) * 1000 : undefined;
}

export function intervalAfterChange(opts: {
  publishedAt: (string | undefined)[];
  ttlMinutes?: number;
  cacheControl?: string;
  bounds: AdaptiveBounds;
}): number {
  const gap = medianGap(opts.publishedAt);
  const floor = Math.max(opts.ttlMinutes ? opts.ttlMinutes * 60_000 : 0, maxAgeMs(opts.cacheControl) ?? 0);
  const wanted = gap === undefined ? opts.bounds.maxMs : gap / 2;
  return clamp(Math.max(wanted, floor), opts.bounds);
}

export function intervalWhenUnchanged(
  previousMs: number | undefined,
  cacheControl: string | undefined,
  bounds: AdaptiveBounds,
): number {
  const grown = (previousMs ?? bounds.minMs) * GROWTH_WHEN_UNCHANGED;
  return clamp(Math.max(grown, maxAgeMs(cacheControl) ?? 0), bounds);
}
