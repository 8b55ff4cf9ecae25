/**
 * The recent alerts: every alert raised for a webhook, its payload, and its delivery state as the
 * deliver stage settles each try. Kept in Redis for `alerts.retention` and at most
 * `alerts.maxAlerts` of them (lua/record-alerts.lua forgets the oldest on each write); read
 * newest first, filtered, a page at a time, by the API and the console.
 *
 * The deliver queue's jobs are no substitute: an 'alerts' job carries several alerts, a digest
 * keeps its alerts elsewhere, and a job does not know which of its alerts went through.
 */
import type { Redis } from 'ioredis';
import { loadScript } from '../adapters/lua-script.js';
import type { Config } from '../config/schema.js';
import type { AlertPayload } from '../contracts/webhook.js';

/**
 * queued: raised, waiting to be sent (or for its digest window, or the webhook's circuit);
 * delivered: the receiver accepted it; retrying: a try failed and the webhook's schedule has
 * another; failed: refused for good (an answer that is not retried, or the schedule spent);
 * dead: the webhook is gone (it answered 410, or is no longer configured). Failed and dead alerts
 * wait in the failed set for a replay.
 */
export const DELIVERY_STATES = ['queued', 'delivered', 'retrying', 'failed', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface Delivery {
  state: DeliveryState;
  /** Tries made, over all replays. */
  attempts: number;
  /** Times in ms since the epoch. */
  updatedAt: number;
  deliveredAt?: number;
  lastError?: string;
  /** The receiver's HTTP status on the last try that got an answer. */
  statusCode?: number;
  replays?: number;
}

export interface AlertRecord {
  alertId: string;
  webhookId: string;
  raisedAt: number;
  payload: AlertPayload;
  delivery: Delivery;
}

/** What one try, or a decision without a try, made of an alert. */
export type StateChange =
  | { state: 'delivered'; tried: true; statusCode: number }
  | { state: 'retrying' | 'failed' | 'dead'; tried: boolean; error: string; statusCode?: number }
  | { state: 'queued'; replay: true };

export interface AlertQuery {
  watch?: string;
  webhook?: string;
  state?: DeliveryState;
  sinceMs?: number;
  /** Where the previous page ended (its `nextCursor`). */
  cursor?: string;
  limit: number;
}

export interface AlertPage {
  items: AlertRecord[];
  /** Set when older alerts match too. */
  nextCursor?: string;
}

export interface AlertStore {
  /** Records alerts raised now as queued; one recorded before is left as it is. */
  record(alerts: { webhookId: string; payload: AlertPayload }[], now: number): Promise<void>;
  /** Sets the delivery state of the alerts still on record. */
  update(alertIds: string[], change: StateChange, now: number): Promise<void>;
  get(alertId: string): Promise<AlertRecord | undefined>;
  /** Newest first, within the retention. */
  list(query: AlertQuery, now: number): Promise<AlertPage>;
}

export interface AlertStoreOptions {
  /** Fixed when the store is built: a reloaded config does not move the keys. */
  prefix: string;
  /** Read on every write and list, so a reload applies at once. */
  limits(): { retentionMs: number; maxAlerts: number };
  /**
   * Alerts a list request looks at, at most: a rare filter over many alerts answers with the
   * matches found so far and a cursor, instead of reading them all at once.
   */
  scanPerList?: number;
}

export const alertLimits = (config: Config) => ({
  retentionMs: config.alerts.retention,
  maxAlerts: config.alerts.maxAlerts,
});

/** A cursor: the raise time and id of the last alert of a page. */
export const CURSOR = /^(\d{1,15})\.([\w-]{1,200})$/;

/** Alert ids read from the index per round trip while listing. */
const PAGE = 200;
const SCAN_PER_LIST = 5_000;
/**
 * Alerts forgotten per write, at most: after a long quiet spell or a lowered cap the rest go on
 * the next writes, so no single write holds Redis up for long.
 */
const FORGET_PER_WRITE = 1_000;

function alertKeys(prefix: string) {
  const tag = `{${prefix}:alerts}`;
  return {
    index: `${prefix}:alerts:${tag}:index`,
    alerts: `${prefix}:alerts:${tag}:alerts`,
    states: `${prefix}:alerts:${tag}:states`,
  };
}

type Keys = ReturnType<typeof alertKeys>;

const recordScript = loadScript(new URL('./lua/record-alerts.lua', import.meta.url), {
  encode: (r: {
    keys: Keys;
    oldest: number;
    max: number;
    state: Delivery;
    alerts: { id: string; at: number; json: string }[];
  }) => ({
    keys: [r.keys.index, r.keys.alerts, r.keys.states],
    args: [
      r.oldest,
      r.max,
      FORGET_PER_WRITE,
      JSON.stringify(r.state),
      ...r.alerts.flatMap((a) => [a.id, a.at, a.json]),
    ],
  }),
  decode: (reply) => reply as [number, number],
});

interface Patch {
  set: Partial<Delivery>;
  incr: (keyof Delivery)[];
}

const stateScript = loadScript(new URL('./lua/alert-state.lua', import.meta.url), {
  encode: (r: { key: string; patch: Patch; ids: string[] }) => ({
    keys: [r.key],
    args: [JSON.stringify(r.patch), ...r.ids],
  }),
  decode: (reply) => reply as number,
});

/** The fields a change sets and counts up. */
function patchOf(change: StateChange, now: number): Patch {
  if (change.state === 'queued') return { set: { state: 'queued', updatedAt: now }, incr: ['replays'] };
  const incr: Patch['incr'] = change.tried ? ['attempts'] : [];
  const status = change.statusCode !== undefined ? { statusCode: change.statusCode } : {};
  if (change.state === 'delivered')
    return { set: { state: 'delivered', updatedAt: now, deliveredAt: now, ...status }, incr };
  return { set: { state: change.state, updatedAt: now, lastError: change.error, ...status }, incr };
}

export function createAlertStore(redis: Redis, opts: AlertStoreOptions): AlertStore {
  const keys = alertKeys(opts.prefix);
  const read = (ids: string[]) =>
    Promise.all([redis.hmget(keys.alerts, ...ids), redis.hmget(keys.states, ...ids)]);
  return {
    async record(alerts, now) {
      if (alerts.length === 0) return;
      const { retentionMs, maxAlerts } = opts.limits();
      await recordScript.run(redis, {
        keys,
        oldest: now - retentionMs,
        max: maxAlerts,
        state: { state: 'queued', attempts: 0, updatedAt: now },
        alerts: alerts.map(({ webhookId, payload }) => ({
          id: payload.data.alertId,
          at: now,
          json: JSON.stringify({ webhookId, raisedAt: now, payload }),
        })),
      });
    },

    async update(alertIds, change, now) {
      if (alertIds.length === 0) return;
      await stateScript.run(redis, { key: keys.states, patch: patchOf(change, now), ids: alertIds });
    },

    async get(alertId) {
      const [[alert], [state]] = await read([alertId]);
      return recordOf(alertId, alert, state);
    },

    async list(query, now) {
      const after = query.cursor === undefined ? undefined : parseCursor(query.cursor);
      const min = Math.max(query.sinceMs ?? 0, now - opts.limits().retentionMs);
      const max = after ? after.at : '+inf';
      const items: AlertRecord[] = [];
      const scanLimit = opts.scanPerList ?? SCAN_PER_LIST;
      for (let offset = 0; ; offset += PAGE) {
        const page = await redis.zrevrangebyscore(keys.index, max, min, 'WITHSCORES', 'LIMIT', offset, PAGE);
        const ids = unseen(page, after);
        if (ids.length > 0) {
          const [alerts, states] = await read(ids);
          ids.forEach((id, k) => {
            const rec = recordOf(id, alerts[k], states[k]);
            if (rec && wanted(rec, query)) items.push(rec);
          });
        }
        if (items.length > query.limit) {
          const last = items[query.limit - 1];
          return { items: items.slice(0, query.limit), nextCursor: `${last.raisedAt}.${last.alertId}` };
        }
        if (page.length < 2 * PAGE) return { items };
        // Scanned enough for one answer: the next page goes on after the last alert looked at.
        if (offset + PAGE >= scanLimit) return { items, nextCursor: `${page.at(-1)}.${page.at(-2)}` };
      }
    },
  };
}

function parseCursor(cursor: string): { at: number; id: string } {
  const m = CURSOR.exec(cursor);
  if (!m) throw new TypeError(`not an alerts cursor: ${cursor}`);
  return { at: Number(m[1]), id: m[2] };
}

/**
 * The ids of a WITHSCORES page not shown before the cursor. Alerts raised at the same moment come
 * in reverse byte order of their ids, so those at the cursor's time with an id not below its own
 * were on the earlier pages.
 */
function unseen(page: string[], after: { at: number; id: string } | undefined): string[] {
  const ids: string[] = [];
  for (let i = 0; i < page.length; i += 2) {
    const [id, at] = [page[i], Number(page[i + 1])];
    if (!after || at < after.at || id < after.id) ids.push(id);
  }
  return ids;
}

function recordOf(alertId: string, alert: string | null, state: string | null): AlertRecord | undefined {
  if (alert === null || state === null) return undefined; // forgotten between two reads
  const { webhookId, raisedAt, payload } = JSON.parse(alert) as Omit<AlertRecord, 'alertId' | 'delivery'>;
  return { alertId, webhookId, raisedAt, payload, delivery: JSON.parse(state) as Delivery };
}

function wanted(rec: AlertRecord, q: AlertQuery): boolean {
  if (q.webhook !== undefined && rec.webhookId !== q.webhook) return false;
  if (q.state !== undefined && rec.delivery.state !== q.state) return false;
  return q.watch === undefined || rec.payload.data.watches.some((w) => w.id === q.watch);
}
