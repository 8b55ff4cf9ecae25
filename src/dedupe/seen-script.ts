/** The seen store's script (lua/seen.lua): its arguments and reply, typed. */
import { loadScript } from '../adapters/lua-script.js';

export type Sighting = 'new' | 'seen' | 'changed';

/** One item's place in the store: its hash (shard, hash within it), field and the entry check writes. */
export interface SeenEntry {
  shard: number;
  sub: number;
  field: Buffer;
  /** The content digest (4 bytes) and the current bucket (2 bytes). */
  value: Buffer;
}

export interface SeenRequest {
  mode: 'check' | 'peek';
  /** The first item's hash: it routes the call on a Redis Cluster. */
  routeKey: string;
  /** Buckets before the current one that are still in the window. */
  older: number;
  current: number;
  /** The key prefix before the shard number. */
  keyPrefix: string;
  /** When a hash check writes to expires (ms since epoch). */
  expireAt: number;
  sweepEvery: number;
  items: SeenEntry[];
}

const SIGHTINGS: readonly Sighting[] = ['new', 'seen', 'changed'];

export const seenScript = loadScript(new URL('./lua/seen.lua', import.meta.url), {
  encode: (r: SeenRequest) => ({
    keys: [r.routeKey],
    args: [
      r.mode,
      r.older,
      r.current,
      r.keyPrefix,
      r.expireAt,
      r.sweepEvery,
      ...r.items.flatMap((e) => [e.shard, e.sub, e.field, e.value]),
    ],
  }),
  decode: (reply): Sighting[] => [...(reply as Buffer).toString('latin1')].map((c) => SIGHTINGS[Number(c)]),
});
