import { describe, expect, it } from 'vitest';
import {
  intervalAfterChange,
  intervalWhenUnchanged,
  maxAgeMs,
  medianGap,
} from '../../../src/fetch/adaptive.js';
import { importOpml } from '../../../src/fetch/opml.js';

describe('OPML import', () => {
  it('lists each http(s) feed once with a config-safe id, in document order', () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="News"><outline text="Le Monde — À la une" type="rss" xmlUrl="https://www.lemonde.fr/rss/une.xml"/>
      <outline title="Tech &amp; Science" xmlURL="http://example.com/tech.xml"/></outline>
      <outline text="Le Monde — À la une" xmlUrl="https://www.lemonde.fr/rss/other.xml"/>
      <outline text="dup" xmlUrl="https://www.lemonde.fr/rss/une.xml"/>
      <outline text="ftp" xmlUrl="ftp://example.com/x.xml"/>
      <outline xmlUrl="https://blog.example.org/feed"/>
    </body></opml>`;
    expect(importOpml(opml)).toEqual([
      { id: 'le-monde-a-la-une', url: 'https://www.lemonde.fr/rss/une.xml' },
      { id: 'tech-science', url: 'http://example.com/tech.xml' },
      { id: 'le-monde-a-la-une-2', url: 'https://www.lemonde.fr/rss/other.xml' },
      { id: 'blog-example-org', url: 'https://blog.example.org/feed' },
    ]);
  });

  it('returns nothing for a document without outlines', () => {
    expect(importOpml('not xml at all')).toEqual([]);
  });
});

describe('adaptive polling', () => {
  const bounds = { minMs: 120_000, maxMs: 3_600_000 };
  const hourly = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2026, 0, 1, 20 - i)).toISOString());

  it('polls twice per typical gap between items', () => {
    expect(medianGap(hourly)).toBe(3_600_000);
    expect(intervalAfterChange({ publishedAt: hourly, bounds })).toBe(1_800_000);
  });

  it('never polls more often than the minimum, however busy the feed', () => {
    const busy = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString());
    expect(intervalAfterChange({ publishedAt: busy, bounds })).toBe(120_000);
  });

  it('respects the feed ttl and Cache-Control max-age as a floor', () => {
    expect(intervalAfterChange({ publishedAt: hourly, ttlMinutes: 45, bounds })).toBe(2_700_000);
    expect(intervalAfterChange({ publishedAt: hourly, cacheControl: 'public, max-age=3000', bounds })).toBe(
      3_000_000,
    );
    expect(maxAgeMs('no-cache')).toBeUndefined();
  });

  it('uses the maximum when items carry no dates', () => {
    expect(intervalAfterChange({ publishedAt: [undefined, undefined], bounds })).toBe(3_600_000);
  });

  it('backs off gently while a feed stays unchanged, up to the maximum', () => {
    expect(intervalWhenUnchanged(600_000, undefined, bounds)).toBe(900_000);
    expect(intervalWhenUnchanged(3_000_000, undefined, bounds)).toBe(3_600_000);
  });
});
