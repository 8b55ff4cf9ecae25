/**
 * The Google News search feed a `googlenews` feed polls, built from its query, language and
 * country the way news.google.com builds it: `hl` is the interface language (lang-COUNTRY),
 * `gl` the edition's country, `ceid` the edition (COUNTRY:lang).
 */
export interface GoogleNewsQuery {
  query: string;
  lang: string;
  country: string;
}

export function googleNewsUrl({ query, lang, country }: GoogleNewsQuery): string {
  const url = new URL('https://news.google.com/rss/search');
  url.searchParams.set('q', query);
  url.searchParams.set('hl', `${lang}-${country}`);
  url.searchParams.set('gl', country);
  url.searchParams.set('ceid', `${country}:${lang}`);
  return url.href;
}
