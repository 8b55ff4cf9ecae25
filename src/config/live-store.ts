/**
 * The live configuration: the feeds, watches and webhooks the API edits, kept in Redis as one
 * versioned document. Writes are compare-and-set (lua/live-write.lua), so two editors in two
 * processes never overwrite each other; each write is recorded in a capped audit stream and
 * announced on a channel every process listens to.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadScript } from '../adapters/lua-script.js';

/** The lists the API edits, each entry as written in the YAML file. */
export interface LiveDoc {
  feeds: Record<string, unknown>[];
  watches: Record<string, unknown>[];
  webhooks: Record<string, unknown>[];
}
export const LIVE_LISTS = ['watches', 'webhooks', 'feeds'] as const;
export type LiveList = (typeof LIVE_LISTS)[number];

export interface LiveSnapshot {
  version: string;
  doc: LiveDoc;
}

/**
 * One change: who (the token's name), when, what, and the entry before and after (secrets masked);
 * or an alert sent again (`replay`, list `alerts`).
 */
export interface AuditEntry {
  at: string;
  who: string;
  action: 'create' | 'update' | 'delete' | 'replay';
  list: LiveList | 'alerts';
  id: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export type WriteResult = { ok: true; version: string } | { ok: false; current: string };

export interface LiveConfigStore {
  read(): Promise<LiveSnapshot | undefined>;
  version(): Promise<string | undefined>;
  /** Writes `doc` if the stored version is still `expected` ('' = nothing stored yet). */
  write(expected: string, doc: LiveDoc, audit?: AuditEntry): Promise<WriteResult>;
  /** Records an action that changes no configuration. */
  note(audit: AuditEntry): Promise<void>;
  /** The newest changes first. */
  history(limit: number): Promise<(AuditEntry & { seq: string })[]>;
  /** Calls `onVersion` with each announced version, on a connection of its own. */
  subscribe(onVersion: (version: string) => void): Promise<() => Promise<void>>;
}

const writeScript = loadScript(new URL('./lua/live-write.lua', import.meta.url), {
  encode: (r: {
    keys: string[];
    expected: string;
    version: string;
    doc: string;
    auditMax: number;
    channel: string;
    audit: string;
  }) => ({
    keys: r.keys,
    args: [r.expected, r.version, r.doc, r.auditMax, r.channel, r.audit],
  }),
  decode: (reply): WriteResult => {
    const [written, version] = reply as [number, Buffer];
    return written === 1
      ? { ok: true, version: version.toString() }
      : { ok: false, current: version.toString() };
  },
});

/** A version names the content: the same document always has the same version. */
export const versionOf = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

export function liveKeys(prefix: string) {
  const tag = `{${prefix}:config}`;
  return {
    doc: `${prefix}:config:${tag}:live`,
    audit: `${prefix}:config:${tag}:audit`,
    channel: `${prefix}:config:changed`,
  };
}

export function createLiveConfigStore(
  redis: Redis,
  opts: { prefix: string; auditMaxEntries: number },
): LiveConfigStore {
  const keys = liveKeys(opts.prefix);
  return {
    async read() {
      const [version, doc] = await redis.hmget(keys.doc, 'version', 'doc');
      return version && doc ? { version, doc: JSON.parse(doc) as LiveDoc } : undefined;
    },
    async version() {
      return (await redis.hget(keys.doc, 'version')) ?? undefined;
    },
    write(expected, doc, audit) {
      return writeScript.run(redis, {
        keys: [keys.doc, keys.audit],
        expected,
        version: versionOf(doc),
        doc: JSON.stringify(doc),
        auditMax: opts.auditMaxEntries,
        channel: keys.channel,
        audit: audit ? JSON.stringify(audit) : '',
      });
    },
    async note(audit) {
      await redis.xadd(keys.audit, 'MAXLEN', '~', opts.auditMaxEntries, '*', 'e', JSON.stringify(audit));
    },
    async history(limit) {
      const entries = await redis.xrevrange(keys.audit, '+', '-', 'COUNT', limit);
      return entries.map(([seq, fields]) => ({ seq, ...(JSON.parse(fields[1]) as AuditEntry) }));
    },
    async subscribe(onVersion) {
      // Queued until connected: the subscription is made once, at start.
      const sub = redis.duplicate({ enableOfflineQueue: true });
      sub.on('error', () => undefined); // a lost subscription is covered by the periodic version check
      sub.on('message', (_channel: string, version: string) => onVersion(version));
      await sub.subscribe(keys.channel);
      return async () => {
        await sub.quit().catch(() => undefined);
        sub.disconnect();
      };
    },
  };
}
