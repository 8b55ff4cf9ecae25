/**
 * Story pickup: each outlet that carries a story which matched a watch is recorded in the story's
 * pickup record, and the sighting that brings a story to a webhook's threshold of distinct outlets
 * within the window claims it, once per story and threshold, and raises a `story.pickup` event.
 */
import type { Config, PickupSignalConfig, WebhookConfig } from '../config/schema.js';
import type { PickupPayload } from '../contracts/signals.js';
import { signalId } from './ids.js';
import type { PickupClaimRequest, PickupReply, PickupSighting } from './store.js';

/** An item of an items job that joined a story because it mentions watches. */
export interface StorySighting {
  storyId: string;
  feedId: string;
  feedUrl: string;
  itemKey: string;
  url?: string;
  title: string;
  watches: string[];
}

/** A threshold of one webhook's pickup signal. */
interface Threshold {
  hook: WebhookConfig;
  signal: PickupSignalConfig;
  outlets: number;
}

export interface PickupEvent {
  hook: WebhookConfig;
  payload: PickupPayload;
}

/** The outlet an item counts for: its feed's `outlet` label, else the feed URL's host. */
export function outletOf(config: Config, feedId: string, feedUrl: string): string {
  const label = config.feeds.find((f) => f.id === feedId)?.outlet;
  if (label) return label;
  return URL.canParse(feedUrl) ? new URL(feedUrl).hostname : feedId;
}

function thresholdsOf(config: Config): Threshold[] {
  return config.webhooks
    .filter((h) => h.url !== '')
    .flatMap((hook) =>
      hook.signals.flatMap((signal) =>
        signal.type === 'pickup' ? signal.outlets.map((outlets) => ({ hook, signal, outlets })) : [],
      ),
    );
}

/** Records the sightings in their stories and returns the pickup events they raise. */
export async function pickupEvents(
  sightings: StorySighting[],
  config: Config,
  record: (s: PickupSighting[]) => Promise<PickupReply[]>,
  now: number,
): Promise<PickupEvent[]> {
  const thresholds = thresholdsOf(config);
  if (thresholds.length === 0 || sightings.length === 0) return [];
  const requests = sightings.map((s) => ({
    storyId: s.storyId,
    at: now,
    outlet: outletOf(config, s.feedId, s.feedUrl),
    feedId: s.feedId,
    url: s.url,
    title: s.title,
    watches: s.watches,
    claims: thresholds.map((t) => claimOf(t, s)),
  }));
  const replies = await record(requests);
  return replies.flatMap((reply, i) =>
    thresholds.flatMap((t, k) => {
      if (!reply.claimed[k]) return [];
      const claim = requests[i].claims[k];
      return [{ hook: t.hook, payload: pickupPayload(t, claim, requests[i].storyId, reply, config, now) }];
    }),
  );
}

/** The crossing item is part of the id: a later item of the same story cannot claim the threshold again. */
function claimOf({ hook, signal, outlets }: Threshold, s: StorySighting): PickupClaimRequest {
  return {
    name: `${hook.id}:${outlets}:${signal.within}`,
    signalId: signalId('pickup', s.storyId, hook.id, outlets, signal.within, s.feedId, s.itemKey),
    threshold: outlets,
    withinMs: signal.within,
    watches: signal.watches ?? hook.watches ?? [],
  };
}

function pickupPayload(
  t: Threshold,
  claim: PickupClaimRequest,
  storyId: string,
  reply: PickupReply,
  config: Config,
  now: number,
): PickupPayload {
  const inWindow = reply.outlets.filter((o) => o.at >= now - t.signal.within && o.at <= now);
  const wanted =
    claim.watches.length > 0 ? reply.watches.filter((w) => claim.watches.includes(w)) : reply.watches;
  const labels = new Map(config.watches.map((w) => [w.id, w.label]));
  return {
    type: 'story.pickup',
    timestamp: new Date(now).toISOString(),
    data: {
      signalId: claim.signalId,
      storyId,
      title: reply.title,
      threshold: t.outlets,
      withinSeconds: t.signal.within / 1000,
      outlets: inWindow.map((o) => ({
        outlet: o.outlet,
        feed: o.feedId,
        url: o.url ?? null,
        at: new Date(o.at).toISOString(),
      })),
      watches: wanted.map((id) => ({ id, label: labels.get(id) ?? id })),
    },
  };
}
