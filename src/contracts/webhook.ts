/**
 * The webhook payload, version 1. This is a public contract: receivers parse it. It is built
 * from internal types in src/deliver/payload.ts and is never the internal item type itself.
 * Version 1 grows only by optional fields, which receivers of version 1 ignore.
 */
import type { MatchHit } from './match.js';
import type { SignalPayload } from './signals.js';

export interface AlertItemV1 {
  id: string;
  title: string;
  url: string | null;
  publishedAt: string | null;
  /** The item's language: declared by the item or its feed, else detected; null when unknown. */
  lang: string | null;
  feed: { id: string; url: string };
  /** The publishing outlet when the feed names one per item (news sitemap publication, Google News source). */
  outlet?: string;
  /** The publisher's subject keywords (news sitemap keywords, JSON Feed tags). */
  keywords?: string[];
}

export interface AlertWatchV1 {
  id: string;
  label: string;
  matches: MatchHit[];
}

export interface AlertPayload {
  type: 'mention.detected';
  timestamp: string;
  data: {
    alertId: string;
    storyId: string;
    /** True when the alert is for a watch that an edited version of a known story newly matched. */
    update?: true;
    item: AlertItemV1;
    watches: AlertWatchV1[];
  };
}

/**
 * Several alerts in one POST: sent for webhooks with `digest`, and for alerts past a webhook's
 * `maxPerHour`. Each entry is the `data` of the alert it replaces.
 */
export interface DigestPayload {
  type: 'mention.digest';
  timestamp: string;
  data: {
    digestId: string;
    window: { start: string; end: string };
    alerts: AlertPayload['data'][];
  };
}

export type WebhookPayload = AlertPayload | DigestPayload | SignalPayload;
