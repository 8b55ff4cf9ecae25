/**
 * The signals of the match phase: an items job's sightings of stories go to their pickup records,
 * its new mentions to the hourly counts; returns the pickup events the job raises.
 */
import type { Config, WebhookConfig } from '../config/schema.js';
import type { SignalPayload } from '../contracts/signals.js';
import { pickupEvents, type StorySighting } from './pickup.js';
import { mentionCounts } from './spikes.js';
import type { SignalStore } from './store.js';

export interface SignalEvent {
  hook: WebhookConfig;
  payload: SignalPayload;
}

export interface ItemsJobMentions {
  feedId: string;
  fetchedAt: number;
  /** Every item of the job, for the job's name in the counts. */
  itemKeys: string[];
  /** The items that joined a story; only first sightings count as mentions. */
  sightings: (StorySighting & { sighting: 'new' | 'changed' })[];
}

export async function signalsOfItems(
  job: ItemsJobMentions,
  config: Config,
  store: SignalStore,
  now: number,
): Promise<SignalEvent[]> {
  const counts = mentionCounts(
    config,
    job,
    job.sightings.filter((s) => s.sighting === 'new'),
  );
  const [events] = await Promise.all([
    pickupEvents(job.sightings, config, (s) => store.pickup(s), now),
    counts.length > 0 ? store.count(counts) : undefined,
  ]);
  return events;
}
