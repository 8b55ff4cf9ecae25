/**
 * Links of Google's news feeds. Google Alerts items link to `https://www.google.com/url?…&url=<article>`,
 * a redirect whose target is in the query: unwrapped here, so URL dedupe and canonical URLs see the
 * outlet's own address. Google News items link to `news.google.com/rss/articles/<opaque id>`, which
 * only Google can resolve: those stay as they are (their stories still join by text fingerprint),
 * and the item's `<source>` names the outlet.
 */

const GOOGLE_HOST = /^(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?$/;

/** The article URL a google.com/url redirect points to; the link itself for anything else. */
export function unwrapGoogleLink(link: string): string {
  if (!URL.canParse(link)) return link;
  const u = new URL(link);
  if (!GOOGLE_HOST.test(u.hostname) || u.pathname !== '/url') return link;
  const target = u.searchParams.get('url') ?? u.searchParams.get('q');
  if (!target || !URL.canParse(target)) return link;
  const t = new URL(target);
  return t.protocol === 'http:' || t.protocol === 'https:' ? t.href : link;
}

/** Google News links that only Google can resolve to the article. */
export function isOpaqueGoogleNewsLink(link: string): boolean {
  return URL.canParse(link) && new URL(link).hostname === 'news.google.com';
}
