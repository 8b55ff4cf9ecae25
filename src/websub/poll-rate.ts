/**
 * Polling a feed a hub pushes: its polls go on as a safety net, `websub.pollSlowdown` times less
 * often than its schedule, while the hub is confirmed, its lease runs and it delivers. A parsed
 * poll records the hub the feed advertises (what the scheduler's review subscribes to) and, for a
 * pushed feed, that it found items the hub had not pushed: the sign of a silent hub.
 */
import type { FeedConfig } from '../config/schema.js';
import type { ParsedFeed } from '../contracts/item.js';
import { cronIntervalMs } from '../schedule/interval.js';
import type { WebsubDeps } from './deps.js';
import { isPushed } from './status.js';

/** Whether this poll of a pushed feed is skipped; one let through is recorded as the last. */
export async function pollHeld(d: WebsubDeps, feed: FeedConfig): Promise<boolean> {
  const { config } = d.current();
  if (!config.websub.callbackBase) return false;
  const sub = await d.websub.get(feed.id);
  const now = d.clock();
  if (!isPushed(sub, now, config.websub.silentAfter)) return false;
  const interval = cronIntervalMs(feed.schedule ?? config.schedule);
  // Half a tick of slack: a tick's polls are spread, so two polls are not exactly n ticks apart.
  const every = interval * config.websub.pollSlowdown - interval / 2;
  if (sub!.lastPollAt !== undefined && now - sub!.lastPollAt < every) return true;
  await d.websub.update(feed.id, { lastPollAt: now });
  return false;
}

/** Records the hub a parsed poll found, and items a pushed feed's hub did not push. */
export async function notePoll(
  d: WebsubDeps,
  feed: FeedConfig,
  parsed: ParsedFeed,
  fresh: number,
): Promise<void> {
  const { websub } = d.current().config;
  if (!websub.callbackBase || parsed.format === 'sitemap') return;
  const sub = await d.websub.get(feed.id);
  const hub = parsed.hubs?.[0];
  const topic = parsed.self ?? feed.url;
  if (hub === undefined) {
    if (sub?.wantedHub) await d.websub.update(feed.id, { wantedHub: undefined, wantedTopic: undefined });
    return;
  }
  const now = d.clock();
  const missed = fresh > 0 && sub?.state === 'active' && (sub.leaseEnd ?? 0) > now;
  if (sub?.wantedHub === hub && sub.wantedTopic === topic && !missed) return;
  await d.websub.update(feed.id, {
    wantedHub: hub,
    wantedTopic: topic,
    ...(missed ? { missedAt: now } : {}),
  });
  if (missed) d.logger.debug({ feed: feed.id, hub, fresh }, 'a poll found items the hub did not push');
}
