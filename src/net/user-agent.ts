import { VERSION } from '../lib/version.js';

/** Names mediawatch, its version and where to read about it, so feed operators can tell who polls them. */
export const USER_AGENT = `mediawatch/${VERSION} (+https://github.com/mediawatch/mediawatch)`;

/** Feeds, generic XML, and HTML last: an HTML answer lets us point at the feeds a page advertises. */
export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.5, */*;q=0.3';
