import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/parse/index.js';
import { MAX_ITEMS_PER_FEED } from '../../../src/parse/normalize.js';

const URL_ = 'https://news.example.com/feed.xml';
const parse = (s: string | Buffer, contentType?: string) =>
  parseFeed(Buffer.isBuffer(s) ? s : Buffer.from(s), { url: URL_, contentType });

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n ')}
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>x &lol9;</title></item></channel></rss>`;

const XXE = `<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY remote SYSTEM "http://127.0.0.1:1/x"> ]>
<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><description>&remote;</description></item></channel></rss>`;

describe('hostile and non-feed bodies', () => {
  it.each([
    ['oops', 'not-a-feed'],
    ['', 'not-a-feed'],
    ['   \n\t ', 'not-a-feed'],
    ['{"version":"https://example.com/not-jsonfeed","items":[]}', 'not-a-feed'],
    ['[1,2,3]', 'not-a-feed'],
    ['<?xml version="1.0"?><note><to>x</to></note>', 'not-a-feed'],
    ['<rss version="2.0"><channel><item><title>a</title></item></channel>', 'parse'],
    ['<rss version="2.0"><channel><item><title>a</item></channel></rss>', 'parse'],
    ['<', 'not-a-feed'],
    ['<feed><link/></feed>', 'parse'],
    ['\u0000\u0001\u0002binary', 'not-a-feed'],
  ])('%j is the error %s, returned not thrown', async (body, code) => {
    const r = await parse(body);
    expect(!r.ok && r.error.code).toBe(code);
  });

  it('names the feeds an HTML page advertises, resolved against the page URL', async () => {
    const html = `<!DOCTYPE html><html><head><title>News</title>
      <link rel="alternate" type="application/rss+xml" title="All" href="/rss/all.xml">
      <link rel="alternate stylesheet" type="text/css" href="/x.css">
      <link rel="Alternate" type="application/atom+xml" href="https://other.example.org/atom">
      </head><body><p>hello</p></body></html>`;
    const r = await parse(html, 'text/html; charset=utf-8');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('not-a-feed');
    expect(r.error.message).toContain('https://news.example.com/rss/all.xml');
    expect(r.error.message).toContain('https://other.example.org/atom');
    expect(r.error.details.feedLinks).toEqual([
      'https://news.example.com/rss/all.xml',
      'https://other.example.org/atom',
    ]);
  });

  // An expansion would hang or exhaust memory and fail the run; the entity is refused before that.
  it('refuses a billion-laughs entity bomb as a parse error naming the entity', async () => {
    const r = await parse(BILLION_LAUGHS);
    expect(!r.ok && r.error.code).toBe('parse');
    expect(!r.ok && r.error.message).toMatch(/entity/);
  });

  it('refuses an external entity as a parse error, without reading the file it names', async () => {
    const r = await parse(XXE);
    expect(!r.ok && r.error.code).toBe('parse');
    expect(!r.ok && r.error.message).not.toContain('root:');
  });

  it('leaves Object.prototype untouched by __proto__ and constructor element names', async () => {
    const body = `<rss version="2.0"><channel><__proto__><polluted>yes</polluted></__proto__>
      <constructor><prototype><polluted>yes</polluted></prototype></constructor>
      <item><__proto__><polluted>yes</polluted></__proto__><title>t</title><guid>__proto__</guid></item></channel></rss>`;
    const r = await parse(body);
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(r.ok && r.value.items[0].key).toBe('g:__proto__');
  });

  it(`keeps at most ${MAX_ITEMS_PER_FEED} items of a 100,000-item feed`, async () => {
    const items = Array.from(
      { length: 100_000 },
      (_, i) => `<item><guid>${i}</guid><title>item ${i}</title></item>`,
    ).join('');
    const r = await parse(`<rss version="2.0"><channel><title>big</title>${items}</channel></rss>`);
    expect(r.ok && r.value.items.length).toBe(MAX_ITEMS_PER_FEED);
    expect(r.ok && r.value.items[0].key).toBe('g:0');
  });

  it('parses a description of crafted markup (many "<" and no ">") in bounded time', async () => {
    const evil = '&lt;p'.repeat(100_000);
    const started = Date.now();
    const r = await parse(
      `<rss version="2.0"><channel><item><title>t</title><description>${evil}</description></item></channel></rss>`,
    );
    expect(r.ok).toBe(true);
    // A scan that restarts at every "<" takes minutes on this input, a linear one milliseconds:
    // ten seconds tells them apart on a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps a feed whose one Atom date is garbage, dropping only that date', async () => {
    const r = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title>
      <entry><id>1</id><title>bad date</title><published>yesterday-ish</published></entry>
      <entry><id>2</id><title>good</title><updated>2026-01-02T03:04:05+01:00</updated></entry></feed>`);
    expect(r.ok && r.value.items.map((i) => i.publishedAt)).toEqual([undefined, '2026-01-02T02:04:05.000Z']);
  });
});
