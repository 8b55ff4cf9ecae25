/**
 * What a page says about itself, read before extraction changes the DOM: canonical URL, language,
 * the published time where Readability does not find one (`<time itemprop=datePublished>`, other
 * common meta names), and whether it declares a paywall.
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { absoluteUrl, isoDate } from '../parse/normalize.js';

export interface PageMeta {
  canonicalUrl?: string;
  lang?: string;
  publishedAt?: string;
  /** The page's structured data says its content is not free to read (schema.org isAccessibleForFree). */
  paywalled: boolean;
}

const NOT_FREE = /"isAccessibleForFree"\s*:\s*"?false"?/i;

const PUBLISHED_META = [
  'article:published_time',
  'og:article:published_time',
  'datepublished',
  'parsely-pub-date',
  'sailthru.date',
  'dc.date.issued',
  'dc.date',
  'dcterms.created',
  'pubdate',
  'publish-date',
  'date',
];

function metaContents(document: Document): Map<string, string> {
  const found = new Map<string, string>();
  for (const meta of document.querySelectorAll('meta[content]')) {
    const key = (
      meta.getAttribute('property') ??
      meta.getAttribute('name') ??
      meta.getAttribute('itemprop') ??
      ''
    )
      .trim()
      .toLowerCase();
    const content = meta.getAttribute('content')?.trim();
    if (key && content && !found.has(key)) found.set(key, content);
  }
  return found;
}

/** "en_US" (og:locale) → "en-US". */
function languageTag(value: string | null | undefined): string | undefined {
  const tag = value?.trim().replace(/_/g, '-');
  return tag && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(tag) ? tag : undefined;
}

export function readPageMeta(document: Document, url: string): PageMeta {
  const metas = metaContents(document);
  const base =
    absoluteUrl(document.querySelector('base[href]')?.getAttribute('href') ?? undefined, url) ?? url;
  const canonicalUrl =
    absoluteUrl(
      document.querySelector('link[rel~="canonical"][href]')?.getAttribute('href') ?? undefined,
      base,
    ) ?? absoluteUrl(metas.get('og:url'), base);
  const lang =
    languageTag(document.documentElement?.getAttribute('lang')) ??
    languageTag(metas.get('content-language')) ??
    languageTag(metas.get('og:locale'));
  const timeElement = document.querySelector(
    'time[itemprop~="datePublished"], [itemprop~="datePublished"][datetime]',
  );
  const published = [...PUBLISHED_META.map((k) => metas.get(k)), timeElement?.getAttribute('datetime')]
    .map((v) => isoDate(v))
    .find(Boolean);
  const paywalled = [...document.querySelectorAll('script[type="application/ld+json"]')].some((s) =>
    NOT_FREE.test(s.textContent ?? ''),
  );
  return {
    paywalled,
    ...(canonicalUrl ? { canonicalUrl } : {}),
    ...(lang ? { lang } : {}),
    ...(published ? { publishedAt: published } : {}),
  };
}
