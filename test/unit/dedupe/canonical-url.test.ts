import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../../src/dedupe/canonical-url.js';

const SAME: [string, string, string][] = [
  [
    'drops campaign tags',
    'https://www.bbc.co.uk/news/world-europe-68123456?utm_source=rss&utm_medium=feed&utm_campaign=world',
    'https://bbc.co.uk/news/world-europe-68123456',
  ],
  [
    'drops the fragment',
    'https://www.theguardian.com/world/2024/mar/07/nato-sweden-joins#comments',
    'https://theguardian.com/world/2024/mar/07/nato-sweden-joins',
  ],
  [
    'lower-cases the host but not the path',
    'https://WWW.Reuters.COM/World/Europe/Sweden-Joins-NATO-2024-03-07/',
    'https://reuters.com/World/Europe/Sweden-Joins-NATO-2024-03-07',
  ],
  [
    'treats http and https alike',
    'http://apnews.com/article/nato-sweden-membership-0a1b2c3d',
    'https://apnews.com/article/nato-sweden-membership-0a1b2c3d',
  ],
  [
    'drops Facebook and Google click ids',
    'https://www.nytimes.com/2024/03/07/world/europe/sweden-nato.html?fbclid=IwAR3xYz&gclid=Cj0KCQiA',
    'https://nytimes.com/2024/03/07/world/europe/sweden-nato.html',
  ],
  [
    'drops Mailchimp ids',
    'https://www.politico.eu/article/sweden-nato-flag-raising/?mc_cid=8a7b6c&mc_eid=12ab34cd56',
    'https://politico.eu/article/sweden-nato-flag-raising',
  ],
  [
    'drops share referrers',
    'https://www.dw.com/en/sweden-joins-nato/a-68456789?ref=twitter&ref_src=twsrc%5Etfw',
    'https://dw.com/en/sweden-joins-nato/a-68456789',
  ],
  [
    'drops Instagram share ids',
    'https://www.lemonde.fr/en/international/article/2024/03/07/sweden_6612345_4.html?igshid=MzRlODBiNWFlZA==',
    'https://lemonde.fr/en/international/article/2024/03/07/sweden_6612345_4.html',
  ],
  [
    'folds a trailing /amp',
    'https://www.independent.co.uk/news/world/europe/sweden-nato-b2508765.html/amp',
    'https://independent.co.uk/news/world/europe/sweden-nato-b2508765.html',
  ],
  [
    'folds a trailing /amp/',
    'https://www.cnbc.com/2024/03/07/sweden-officially-joins-nato.html/amp/',
    'https://cnbc.com/2024/03/07/sweden-officially-joins-nato.html',
  ],
  [
    'folds .amp.html pages',
    'https://www.dailymail.co.uk/news/article-13166789/Sweden-joins-NATO.amp.html',
    'https://dailymail.co.uk/news/article-13166789/Sweden-joins-NATO.html',
  ],
  [
    'folds ?outputType=amp',
    'https://www.washingtonpost.com/world/2024/03/07/sweden-nato-member/?outputType=amp',
    'https://washingtonpost.com/world/2024/03/07/sweden-nato-member',
  ],
  [
    'folds an amp. host',
    'https://amp.cnn.com/cnn/2024/03/07/europe/sweden-nato-intl/index.html',
    'https://cnn.com/cnn/2024/03/07/europe/sweden-nato-intl',
  ],
  [
    'folds an m. host',
    'https://m.economictimes.com/news/international/world-news/sweden-nato/articleshow/108290123.cms',
    'https://economictimes.com/news/international/world-news/sweden-nato/articleshow/108290123.cms',
  ],
  [
    'folds a mobile. host',
    'https://mobile.reuters.com/article/idUSKBN1234',
    'https://reuters.com/article/idUSKBN1234',
  ],
  [
    'folds a leading /amp/ path segment',
    'https://www.thehindu.com/amp/news/international/sweden-nato/article67923456.ece',
    'https://thehindu.com/news/international/sweden-nato/article67923456.ece',
  ],
  [
    'sorts the remaining query parameters',
    'https://news.example.org/story?page=2&id=991',
    'https://news.example.org/story?id=991&page=2',
  ],
  [
    'keeps parameters that pick the article',
    'https://www.example.com/article.php?id=4711&utm_term=nato',
    'https://example.com/article.php?id=4711',
  ],
  ['drops a default port', 'https://www.example.com:443/a/b/', 'https://example.com/a/b'],
  ['keeps a non-default port', 'http://news.example.com:8080/a', 'https://news.example.com:8080/a'],
  ['collapses duplicate slashes', 'https://example.com//world//nato/', 'https://example.com/world/nato'],
  ['keeps the root path', 'https://www.example.com/?utm_source=x', 'https://example.com/'],
  [
    'drops ?amp=1',
    'https://www.example.com/world/nato-summit?amp=1',
    'https://example.com/world/nato-summit',
  ],
  [
    'drops Matomo and HubSpot tags',
    'https://blog.example.com/post?mtm_campaign=x&_hsenc=p2A&_hsmi=123',
    'https://blog.example.com/post',
  ],
  ['removes a trailing dot from the host', 'https://www.example.com./news/1', 'https://example.com/news/1'],
];

describe('canonicalUrl', () => {
  it.each(SAME)('%s', (_what, input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('gives the AMP page, the mobile page and the tracked link of one article the same identity', () => {
    const variants = [
      'https://www.example.com/world/2024/nato-summit',
      'http://example.com/world/2024/nato-summit/',
      'https://amp.example.com/world/2024/nato-summit/amp',
      'https://m.example.com/world/2024/nato-summit?utm_source=twitter&fbclid=abc',
      'https://www.example.com/world/2024/nato-summit?outputType=amp#top',
    ];
    expect(new Set(variants.map(canonicalUrl)).size).toBe(1);
  });

  it('keeps different articles apart', () => {
    const urls = [
      'https://example.com/world/nato-summit',
      'https://example.com/world/nato-summit-2',
      'https://example.com/article.php?id=1',
      'https://example.com/article.php?id=2',
      'https://other.example.com/world/nato-summit',
      'https://example.com/World/nato-summit',
    ];
    expect(new Set(urls.map(canonicalUrl)).size).toBe(urls.length);
  });

  it('does not strip a host down to its bare domain', () => {
    expect(canonicalUrl('https://www.com/a')).toBe('https://www.com/a');
    expect(canonicalUrl('https://m.io/a')).toBe('https://m.io/a');
  });

  it('returns something that is not an http URL as it came, trimmed', () => {
    expect(canonicalUrl('  not a url ')).toBe('not a url');
    expect(canonicalUrl('urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a')).toBe(
      'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
    );
  });
});
