/**
 * Content distribution (WebSub §7): the hub POSTs the feed's new content to our callback, signed
 * with the subscription's secret. A delivery that is unsigned or wrongly signed is answered 2xx as
 * the recommendation asks (a forger learns nothing) and dropped; a good one goes through the same
 * parse → seen → items queue path as a poll's body. The body was capped by the route at
 * `fetch.maxBytes`, as a poll's is.
 */
import type { FeedConfig } from '../config/schema.js';
import { queueItems } from '../pipeline/handle-poll.js';
import { parseFeed } from '../parse/parse-feed.js';
import type { WebsubDeps } from './deps.js';
import { checkSignature } from './signature.js';
import type { CallbackAnswer } from './verify.js';

export interface Delivery {
  body: Buffer;
  signature?: string;
  contentType?: string;
  link?: string;
}

const ACCEPTED: CallbackAnswer = { status: 202, body: 'accepted\n' };
/** Tells the hub the subscription is gone, which ends it (§7: a 410 may end a subscription). */
const GONE: CallbackAnswer = { status: 410, body: 'no such subscription\n' };

export async function receivePush(
  d: WebsubDeps,
  feedId: string,
  delivery: Delivery,
): Promise<CallbackAnswer> {
  const feed = d.current().config.feeds.find((f) => f.id === feedId);
  const sub = await d.websub.get(feedId);
  const secrets = [sub?.secret, sub?.unsubSecret].filter((s): s is string => s !== undefined);
  if (!feed || secrets.length === 0) {
    d.metrics.websubDeliveries.inc({ outcome: 'unknown' });
    d.logger.debug({ feed: feedId }, 'websub delivery for no subscription; answered 410');
    return GONE;
  }
  const check = checkSignature(delivery.signature, delivery.body, secrets);
  if (check !== 'valid') {
    d.metrics.websubDeliveries.inc({ outcome: check === 'unsigned' ? 'unsigned' : 'bad-signature' });
    d.logger.debug(
      { feed: feedId, hub: sub?.hub, check },
      'websub delivery dropped: signature does not match',
    );
    return ACCEPTED;
  }
  return accept(d, feed, sub?.topic ?? feed.url, delivery);
}

async function accept(
  d: WebsubDeps,
  feed: FeedConfig,
  topic: string,
  delivery: Delivery,
): Promise<CallbackAnswer> {
  const parsed = await parseFeed(delivery.body, {
    contentType: delivery.contentType,
    url: topic,
    link: delivery.link,
  });
  if (!parsed.ok) {
    d.metrics.websubDeliveries.inc({ outcome: 'unparsable' });
    d.logger.warn(
      { feed: feed.id, url: topic, err: parsed.error.toJSON() },
      'websub delivery is not a feed; dropped',
    );
    return ACCEPTED;
  }
  const { fresh } = await queueItems(feed, parsed.value.items, d);
  await d.websub.update(feed.id, { lastPushAt: d.clock() });
  d.metrics.websubDeliveries.inc({ outcome: 'accepted' });
  d.logger.info({ feed: feed.id, items: parsed.value.items.length, fresh }, 'websub content received');
  return ACCEPTED;
}
