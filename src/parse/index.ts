export { parseFeed, type FeedMeta } from './parse-feed.js';
export { robotsSitemaps } from './sitemap.js';
export { itemKey, MAX_ITEMS_PER_FEED } from './normalize.js';
export { decodeBody, type Decoded } from './decode.js';
export { htmlToText } from './text.js';
