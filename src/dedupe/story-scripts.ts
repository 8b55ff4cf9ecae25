/** The story store's scripts (lua/assign-stories.lua, lua/claim-watches.lua): arguments and replies, typed. */
import { loadScript, type LuaArg } from '../adapters/lua-script.js';

/** One item as the assign script takes it. */
export interface AssignItem {
  /** Its record's key, should it start a story. */
  record: string;
  /** The canonical URL's index shard and field; none for an item without a URL. */
  url?: { shard: number; field: Buffer };
  /** The current tick, 2 bytes. */
  tick: Buffer;
  indexExpireAt: number;
  recordExpireAt: number;
  /** The id of the story it would start, 6 bytes. */
  newId: Buffer;
  title: string;
  at: number;
  outletField: string;
  outletValue: string;
  /** Per band: 2-byte field, count of the shard's decimal digits (1 byte), the digits. */
  bands: Buffer;
}

export interface AssignRequest {
  indexPrefix: string;
  recordPrefix: string;
  minVotes: number;
  /** The window in ticks. */
  maxAgeTicks: number;
  sweepEvery: number;
  items: AssignItem[];
}

export interface StoryAssignment {
  storyId: string;
  /** Whether this item started the story. */
  isNew: boolean;
}

function itemArgs(i: AssignItem): LuaArg[] {
  return [
    i.url ? '1' : '0',
    i.url?.shard ?? 0,
    i.url?.field ?? '',
    i.tick,
    i.indexExpireAt,
    i.recordExpireAt,
    i.newId,
    i.title,
    i.at,
    i.outletField,
    i.outletValue,
    i.bands,
  ];
}

export const assignScript = loadScript(new URL('./lua/assign-stories.lua', import.meta.url), {
  encode: (r: AssignRequest) => ({
    keys: r.items.map((i) => i.record),
    args: [
      r.indexPrefix,
      r.recordPrefix,
      r.minVotes,
      r.maxAgeTicks,
      r.sweepEvery,
      ...r.items.flatMap(itemArgs),
    ],
  }),
  decode: (reply, r): StoryAssignment[] => {
    const out = reply as (Buffer | number)[];
    return r.items.map((_, i) => ({
      storyId: (out[2 * i] as Buffer).toString('hex'),
      isNew: out[2 * i + 1] === 1,
    }));
  },
});

export interface WatchClaimRequest {
  /** The claims hash of the story and sink. */
  key: string;
  alertId: string;
  watchIds: string[];
}

export interface WatchClaim {
  /** The watch ids that are this alert's to raise. */
  fresh: string[];
  /** Another alert for the story went to this sink before: this one is an update. */
  alertedBefore: boolean;
}

export const claimScript = loadScript(new URL('./lua/claim-watches.lua', import.meta.url), {
  encode: ({ ttlMs, claims }: { ttlMs: number; claims: WatchClaimRequest[] }) => ({
    keys: claims.map((c) => c.key),
    args: [ttlMs, ...claims.flatMap((c) => [c.alertId, c.watchIds.length, ...c.watchIds])],
  }),
  decode: (reply): WatchClaim[] =>
    (reply as [number, ...Buffer[]][]).map(([before, ...mine]) => ({
      fresh: mine.map((b) => b.toString()),
      alertedBefore: before === 1,
    })),
});
