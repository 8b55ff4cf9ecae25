/** The signal stores' scripts (lua/*.lua): arguments and replies, typed. */
import { loadScript } from '../adapters/lua-script.js';

/** A threshold a sighting may claim for a webhook. */
export interface PickupClaimRequest {
  /** Names the threshold within the story: webhook, outlet count and window. */
  name: string;
  signalId: string;
  threshold: number;
  withinMs: number;
  /** Any of these watches must have matched the story; empty: any watch. */
  watches: string[];
}

export interface PickupRequest {
  key: string;
  at: number;
  ttlMs: number;
  outlet: string;
  feedId: string;
  url?: string;
  title: string;
  watches: string[];
  claims: PickupClaimRequest[];
}

/** An outlet's first item of the story. */
export interface PickupOutlet {
  outlet: string;
  feedId: string;
  url?: string;
  at: number;
}

export interface PickupReply {
  /** The title of the story's first sighting. */
  title: string;
  /** Per claim of the request: whether it is this caller's to send. */
  claimed: boolean[];
  /** Every outlet of the story, first one first. */
  outlets: PickupOutlet[];
  /** Every watch any of its items matched. */
  watches: string[];
}

export const pickupScript = loadScript(new URL('./lua/pickup.lua', import.meta.url), {
  encode: (r: PickupRequest) => ({
    keys: [r.key],
    args: [
      r.at,
      r.ttlMs,
      r.outlet,
      r.feedId,
      r.url ?? '',
      r.title,
      r.watches.length,
      ...r.watches,
      ...r.claims.flatMap((c) => [
        c.name,
        c.signalId,
        c.threshold,
        c.withinMs,
        c.watches.length,
        ...c.watches,
      ]),
    ],
  }),
  decode: (reply): PickupReply => {
    const [claimed, entries] = reply as [number[], Buffer[]];
    const outlets: PickupOutlet[] = [];
    const watches: string[] = [];
    let title = '';
    for (let i = 0; i < entries.length; i += 2) {
      const field = entries[i].toString();
      if (field === 't:') title = entries[i + 1].toString();
      if (field.startsWith('w:')) watches.push(field.slice(2));
      if (!field.startsWith('o:')) continue;
      const [at, feedId, url] = entries[i + 1].toString().split('\t');
      outlets.push({ outlet: field.slice(2), feedId, at: Number(at), ...(url ? { url } : {}) });
    }
    outlets.sort((a, b) => a.at - b.at || (a.outlet < b.outlet ? -1 : 1));
    return { title, claimed: claimed.map((c) => c === 1), outlets, watches: watches.sort() };
  },
});

export interface CountRequest {
  key: string;
  field: string;
  mentions: number;
  ttlMs: number;
}

export const countScript = loadScript(new URL('./lua/count-mentions.lua', import.meta.url), {
  encode: (r: CountRequest) => ({ keys: [r.key], args: [r.field, r.mentions, r.ttlMs] }),
  decode: () => undefined,
});

export interface CloseHourRequest {
  openKey: string;
  ringKey: string;
  hour: number;
  slots: number;
  step: number;
  weeks: number;
  ttlMs: number;
}

export interface ClosedHour {
  count: number;
  /** Per baseline hour, latest first: its count, or undefined when it is not known. */
  past: (number | undefined)[];
}

export const closeHourScript = loadScript(new URL('./lua/close-hour.lua', import.meta.url), {
  encode: (r: CloseHourRequest) => ({
    keys: [r.openKey, r.ringKey],
    args: [r.hour, r.slots, r.step, r.weeks, r.ttlMs],
  }),
  decode: (reply): ClosedHour => {
    const [count, ...past] = reply as number[];
    return { count, past: past.map((n) => (n < 0 ? undefined : n)) };
  },
});

export interface SpikeStateRequest {
  key: string;
  webhookId: string;
  hour: number;
  /** Whether the hour starts a spike when none is on. */
  starts: boolean;
  /** Whether the hour carries on a spike that is on. */
  carriesOn: boolean;
  ttlMs: number;
}

export interface SpikeState {
  /** The hour starts or ends a spike (again, for a repeated evaluation of that hour). */
  changed: boolean;
  on: boolean;
  /** The first hour of the current or last spike; undefined before any. */
  startHour?: number;
}

export const spikeStateScript = loadScript(new URL('./lua/spike-state.lua', import.meta.url), {
  encode: (r: SpikeStateRequest) => ({
    keys: [r.key],
    args: [r.webhookId, r.hour, r.starts ? '1' : '0', r.carriesOn ? '1' : '0', r.ttlMs],
  }),
  decode: (reply): SpikeState => {
    const [changed, on, start] = reply as number[];
    return { changed: changed === 1, on: on === 1, ...(start >= 0 ? { startHour: start } : {}) };
  },
});
