import { describe, expect, it } from 'vitest';
import { headerHubLinks, jsonHubLinks, parseLinkHeader, xmlHubLinks } from '../../../src/parse/hub-links.js';
import { parseFeed } from '../../../src/parse/parse-feed.js';

const FEED = 'https://news.example.com/world.xml';

describe('Link header parsing', () => {
  it.each([
    [
      'one hub and self',
      '<https://hub.example.org/>; rel="hub", <https://news.example.com/world.xml>; rel="self"',
      [
        { href: 'https://hub.example.org/', rels: ['hub'] },
        { href: 'https://news.example.com/world.xml', rels: ['self'] },
      ],
    ],
    [
      'unquoted rel, upper case',
      '<https://hub.example.org/>; REL=Hub',
      [{ href: 'https://hub.example.org/', rels: ['hub'] }],
    ],
    [
      'several rels in one link',
      '<https://news.example.com/a>; rel="self alternate"',
      [{ href: 'https://news.example.com/a', rels: ['self', 'alternate'] }],
    ],
    [
      'commas inside the URL and a quoted title',
      '<https://hub.example.org/a,b>; title="x, y"; rel="hub"',
      [{ href: 'https://hub.example.org/a,b', rels: ['hub'] }],
    ],
    ['a link without rel', '<https://news.example.com/>; type="text/html"', []],
    ['no header', undefined, []],
    ['garbage', 'not a link header', []],
  ])('%s', (_, header, links) => {
    expect(parseLinkHeader(header)).toEqual(links);
  });

  it('resolves relative links against the feed URL and keeps only http(s) hubs', () => {
    expect(
      headerHubLinks('</hub>; rel="hub", <mailto:x@example.com>; rel="hub", <world.xml>; rel="self"', FEED),
    ).toEqual({
      hubs: ['https://news.example.com/hub'],
      self: 'https://news.example.com/world.xml',
    });
  });
});

describe('hub links in the document', () => {
  it.each([
    [
      'an RSS channel with atom:link',
      `<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel><atom:link rel="hub" href="https://hub.example.org/"/>
       <atom:link rel="self" href="${FEED}"/><item><link>https://news.example.com/a</link></item></channel></rss>`,
      { hubs: ['https://hub.example.org/'], self: FEED },
    ],
    [
      'an Atom feed, links of entries ignored',
      `<feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="/world.atom"/><link rel="hub" href="https://hub.example.org/"/>
       <entry><link rel="hub" href="https://other.example.org/"/></entry></feed>`,
      { hubs: ['https://hub.example.org/'], self: 'https://news.example.com/world.atom' },
    ],
    ['no hub', `<rss><channel><atom:link rel="self" href="${FEED}"/></channel></rss>`, { hubs: [] }],
  ])('%s', (_, xml, links) => {
    expect(xmlHubLinks(xml, FEED)).toEqual(links);
  });

  it('reads JSON Feed hubs of type WebSub and feed_url', () => {
    const doc = {
      feed_url: FEED,
      hubs: [
        { type: 'WebSub', url: 'https://hub.example.org/' },
        { type: 'rssCloud', url: 'https://cloud.example.org/' },
        { url: 'https://hub2.example.org/' },
        'junk',
      ],
    };
    expect(jsonHubLinks(doc, FEED)).toEqual({
      hubs: ['https://hub.example.org/', 'https://hub2.example.org/'],
      self: FEED,
    });
  });

  it('lets the Link header win over the document, and takes the self link from the header when it gives one', async () => {
    const xml = `<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>
      <atom:link rel="hub" href="https://hub.example.org/"/><atom:link rel="self" href="${FEED}"/></channel></rss>`;
    const plain = await parseFeed(Buffer.from(xml), { url: FEED });
    expect(plain.ok && [plain.value.hubs, plain.value.self]).toEqual([['https://hub.example.org/'], FEED]);
    const linked = await parseFeed(Buffer.from(xml), {
      url: FEED,
      link: '<https://push.example.net/>; rel="hub", <https://news.example.com/canonical.xml>; rel="self"',
    });
    expect(linked.ok && [linked.value.hubs, linked.value.self]).toEqual([
      ['https://push.example.net/'],
      'https://news.example.com/canonical.xml',
    ]);
    const none = await parseFeed(Buffer.from('<rss><channel><title>t</title></channel></rss>'), {
      url: FEED,
    });
    expect(none.ok && 'hubs' in none.value).toBe(false);
  });
});
