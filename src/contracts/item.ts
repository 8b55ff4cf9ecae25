/** The app's own model of a feed and its items, produced by src/parse from whatever the wire said. */

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'jsonfeed' | 'sitemap';

export interface FeedItem {
  /**
   * Identity of the item within its feed, computed once at parse time:
   * `g:<guid>`, else `u:<canonical link>`, else `h:<sha256 of title + content>`.
   */
  key: string;
  guid?: string;
  /** The item's link, absolute. */
  url?: string;
  /** Plain text: HTML removed, entities decoded, whitespace collapsed. */
  title: string;
  summary: string;
  content: string;
  /** ISO-8601, when the feed gave a parsable date. */
  publishedAt?: string;
  author?: string;
  /**
   * BCP 47 language tag from the item or the feed; when neither declares one, the language
   * detected from the text (ISO 639-1), if the detector is confident.
   */
  lang?: string;
  /** The text of the item's page, when mediawatch read it (fullText). */
  article?: string;
  /** The page's canonical URL, when it names one: what stories are joined by. */
  canonicalUrl?: string;
  /** The publishing outlet when the feed is an aggregator's (Google News `<source>`, a news sitemap's publication). */
  outlet?: string;
  /** Subject keywords or tags the publisher gave (news sitemap keywords, JSON Feed tags). */
  keywords?: string[];
}

/**
 * Item texts as they are stored (in a job, in the backtest stream): a summary that only repeats the
 * content, as a feed that gives one text has it, is left out and read back as the content.
 */
export type StoredTexts<T extends { summary: string; content: string }> = Omit<T, 'summary'> & {
  summary?: string;
};

export function withoutRepeatedSummary<T extends { summary: string; content: string }>(
  item: T,
): StoredTexts<T> {
  if (item.summary !== item.content) return item;
  const { summary: _repeated, ...rest } = item;
  return rest;
}

export interface ParsedFeed {
  format: FeedFormat;
  /** The charset the body was decoded with (lower-case WHATWG label, e.g. "utf-8", "windows-1252"). */
  encoding: string;
  title?: string;
  link?: string;
  lang?: string;
  /** `<ttl>` in minutes, when the feed gives one. */
  ttlMinutes?: number;
  items: FeedItem[];
  /** A sitemap index: the child sitemaps it lists (newest first when dated), to be fetched in turn. */
  sitemaps?: string[];
  /** WebSub hubs the feed advertises (HTTP Link header, else the document), and its topic URL (`rel="self"`). */
  hubs?: string[];
  self?: string;
}
