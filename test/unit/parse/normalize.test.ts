import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { htmlToText, itemKey, parseFeed } from '../../../src/parse/index.js';

describe('item identity', () => {
  it.each([
    [{ guid: 'abc', url: 'https://x.test/a', title: 't', content: 'c' }, 'g:abc'],
    [{ url: 'https://X.test/a?b=1#frag', title: 't', content: 'c' }, 'u:https://x.test/a?b=1'],
    [{ title: 't', content: 'c' }, `h:${createHash('sha256').update('t\nc').digest('hex')}`],
  ])('uses the guid, else the link without fragment, else a hash of title and content', (item, key) => {
    expect(itemKey(item)).toBe(key);
  });
});

describe('HTML to plain text', () => {
  it.each([
    ['<p>One.</p><p>Two &amp; three</p>', 'One.\nTwo & three'],
    ['a<br>b<br/>c', 'a\nb\nc'],
    ['<script>alert(1)</script><style>p{}</style>visible', 'visible'],
    ['  lots   of\t\tspace  ', 'lots of space'],
    ['caf&eacute; &#8364;5 &nbsp;ok', 'café €5 ok'],
    ['5 < 6 and 7 > 3', '5 < 6 and 7 > 3'],
    ['&lt;p&gt;escaped twice&lt;/p&gt;', 'escaped twice'],
    ['don\u0092t', 'don’t'],
    ['â€œquotedâ€\u009d', '“quoted”'],
    ['Ça va, déjà vu', 'Ça va, déjà vu'],
    ['one line, single spaces', 'one line, single spaces'],
    [' padded on both ends ', 'padded on both ends'],
    ['two  spaces', 'two spaces'],
    ['a\ttab', 'a tab'],
    ['no\u00a0break and\u2009thin', 'no break and thin'],
    ['line  \n\n  break', 'line\nbreak'],
    ['bell\u0007 and delete\u007f', 'bell and delete'],
  ])('%j reads as %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('normalizing items', () => {
  it('resolves relative links against the feed URL and gives ISO dates', async () => {
    const body = `<rss version="2.0"><channel><title>T</title><link>/</link><ttl>30</ttl><language>fr-FR</language>
      <item><title>A &amp;amp; B</title><link>../story/1?x=1&amp;y=2</link><pubDate>Tue, 06 Jan 2026 10:00:00 +0100</pubDate>
      <description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">Ana</dc:creator></item>
      <item><guid>https://news.example.com/permalink/2</guid><title>guid as link</title></item></channel></rss>`;
    const r = await parseFeed(Buffer.from(body), { url: 'https://news.example.com/feeds/main.xml' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      format: 'rss',
      encoding: 'utf-8',
      title: 'T',
      link: 'https://news.example.com/',
      lang: 'fr-FR',
      ttlMinutes: 30,
    });
    expect(r.value.items[0]).toMatchObject({
      url: 'https://news.example.com/story/1?x=1&y=2',
      title: 'A & B',
      content: 'Hello world',
      publishedAt: '2026-01-06T09:00:00.000Z',
      author: 'Ana',
      lang: 'fr-FR',
      key: 'u:https://news.example.com/story/1?x=1&y=2',
    });
    expect(r.value.items[1]).toMatchObject({
      url: 'https://news.example.com/permalink/2',
      key: 'g:https://news.example.com/permalink/2',
    });
  });

  it('prefers content:encoded for content and keeps the description as the summary', async () => {
    const body = `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>t</title>
      <description>Short.</description><content:encoded><![CDATA[<p>Long text.</p><p>More.</p>]]></content:encoded></item></channel></rss>`;
    const r = await parseFeed(Buffer.from(body), { url: 'https://x.test/' });
    expect(r.ok && r.value.items[0]).toMatchObject({ summary: 'Short.', content: 'Long text.\nMore.' });
  });

  it('ignores stray text before the XML declaration', async () => {
    const r = await parseFeed(
      Buffer.from(
        'Notice: something\n<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
      ),
      { url: 'https://x.test/' },
    );
    expect(r.ok && r.value.title).toBe('x');
  });
});
