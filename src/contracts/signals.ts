/**
 * The signal payloads, version 1: events about stories and watches rather than single mentions,
 * sent through the same signed, retried delivery as alerts. Public contracts: receivers parse them.
 */

/** One outlet that carried the story: the first item it had of it. */
export interface PickupOutletV1 {
  /** The feed's `outlet` label, else the feed URL's host. */
  outlet: string;
  feed: string;
  url: string | null;
  /** When the item was matched. */
  at: string;
}

/** A story that matched a watch reached `threshold` distinct outlets within `withinSeconds`. */
export interface PickupPayload {
  type: 'story.pickup';
  timestamp: string;
  data: {
    signalId: string;
    storyId: string;
    title: string;
    threshold: number;
    withinSeconds: number;
    /** The outlets within the window, first one first. */
    outlets: PickupOutletV1[];
    watches: { id: string; label: string }[];
  };
}

/**
 * A watch's hourly mention count far above its usual count for that hour of the week: one event
 * with phase "start" for the first such hour, one with phase "end" for the first hour back to normal.
 */
export interface SpikePayload {
  type: 'mention.spike';
  timestamp: string;
  data: {
    signalId: string;
    phase: 'start' | 'end';
    watch: { id: string; label: string };
    /** The hour this event is about (UTC). */
    hour: { start: string; end: string };
    /** The start of the spike's first hour. */
    spikeStartedAt: string;
    count: number;
    /** The same hour of the week in past weeks: median and median absolute deviation of the counts. */
    baseline: { median: number; mad: number; weeks: number };
    /** The count from which an hour starts a spike. */
    threshold: number;
  };
}

export type SignalPayload = PickupPayload | SpikePayload;
