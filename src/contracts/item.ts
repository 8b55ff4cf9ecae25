/** The app's own model of a feed and its items, produced by src/parse from whatever the wire said. */

export type FeedFormat = 'rss' | 'atom' | 'rdf';

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
  /** BCP 47 language tag from the item or the feed, when known. */
  lang?: string;
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
}
