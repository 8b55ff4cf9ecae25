export {
  createFeedHttpClient,
  createFeedPoller,
  type FeedPoller,
  type FeedPollerDeps,
  type PollOutcome,
  type PollStats,
  type PollerLogger,
} from './poller.js';
export { listFeedHealth, type FeedHealth } from './health.js';
export { checkFeed, type FeedCheck } from './check-feed.js';
export { discoverFeeds, type Candidate } from './discover.js';
export { importOpml, type ImportedFeed } from './opml.js';
export { createHostLimiter, type HostLimiter } from './host-limiter.js';
export { backoffMs } from './backoff.js';
