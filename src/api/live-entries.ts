/**
 * Changes to the live configuration's lists: read, check the caller's ETag, apply, validate the
 * whole configuration the way a file is validated, then compare-and-set; a write that lost a race
 * with another process reads again and re-checks, so a stale ETag is always a 412.
 */
import type { LoadedConfig, ConfigIssue } from '../config/load.js';
import {
  versionOf,
  type AuditEntry,
  type LiveConfigStore,
  type LiveDoc,
  type LiveList,
} from '../config/live-store.js';
import type { Result } from '../contracts/errors.js';
import { redactUrl } from '../deliver/redact.js';
import { ApiError, invalid } from './errors.js';

type Entry = Record<string, unknown>;

export interface LiveEntriesDeps {
  store: LiveConfigStore;
  /** The whole configuration this document would make (with the file's other sections), checked. */
  validate(doc: LiveDoc): Result<LoadedConfig, ConfigIssue[]>;
  /** Applies a written version in this process before the response goes out. */
  applied(version: string): Promise<void>;
  clock: () => number;
}

export type Change =
  { action: 'create'; entry: Entry } | { action: 'update'; entry: Entry } | { action: 'delete' };

const SINGULAR: Record<LiveList, string> = { watches: 'watch', webhooks: 'webhook', feeds: 'feed' };
const MAX_RACES = 10;

/** An entry's ETag: its version hash. */
export const etagOf = (entry: unknown): string => `"${versionOf(entry)}"`;

/** Whether an If-Match header names the entry's current version (`*` names any). */
export function matches(ifMatch: string | undefined, entry: Entry | undefined): boolean {
  if (ifMatch === undefined) return true;
  if (entry === undefined) return false;
  if (ifMatch.trim() === '*') return true;
  return ifMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etagOf(entry));
}

export async function readDoc(store: LiveConfigStore) {
  const snap = await store.read();
  if (!snap)
    throw new ApiError(
      503,
      'unavailable',
      'the live configuration is not in Redis yet; is the service starting?',
    );
  return snap;
}

/** Applies one change to the entry `id` of `list`; returns the entry as stored (undefined when deleted). */
export async function changeEntry(
  deps: LiveEntriesDeps,
  req: { list: LiveList; id: string; change: Change; ifMatch?: string; who: string },
): Promise<Entry | undefined> {
  for (let race = 0; race < MAX_RACES; race++) {
    const snap = await readDoc(deps.store);
    const entries = snap.doc[req.list];
    const index = entries.findIndex((e) => e.id === req.id);
    const before = index >= 0 ? entries[index] : undefined;
    const after = applyChange(req.list, req.id, before, req.change);
    if (req.change.action !== 'create' && !matches(req.ifMatch, before)) {
      throw new ApiError(
        412,
        'stale',
        `the ${SINGULAR[req.list]} "${req.id}" changed since you read it; read it again and reapply your change`,
      );
    }
    const doc: LiveDoc = { ...snap.doc, [req.list]: nextList(entries, index, after) };
    if (req.change.action === 'delete') refuseInUse(req.list, req.id, doc);
    const checked = deps.validate(doc);
    if (!checked.ok) throw invalid(checked.error, [req.list, index >= 0 ? index : entries.length]);
    const audit: AuditEntry = {
      at: new Date(deps.clock()).toISOString(),
      who: req.who,
      action: req.change.action,
      list: req.list,
      id: req.id,
      ...(before && { before: maskSecrets(req.list, before) }),
      ...(after && { after: maskSecrets(req.list, after) }),
    };
    const written = await deps.store.write(snap.version, doc, audit);
    if (written.ok) {
      await deps.applied(written.version);
      return after;
    }
  }
  throw new ApiError(503, 'unavailable', 'the live configuration kept changing under this write; try again');
}

function applyChange(
  list: LiveList,
  id: string,
  before: Entry | undefined,
  change: Change,
): Entry | undefined {
  const what = `${SINGULAR[list]} "${id}"`;
  if (change.action === 'create') {
    if (before)
      throw new ApiError(
        409,
        'conflict',
        `a ${what} already exists; choose another id or PUT to change it`,
        'id',
      );
    return change.entry;
  }
  if (!before) throw new ApiError(404, 'not-found', `no ${what}`);
  if (change.action === 'delete') return undefined;
  if (change.entry.id !== undefined && change.entry.id !== id) {
    throw new ApiError(
      400,
      'invalid',
      `id: the body names ${JSON.stringify(change.entry.id)} but the URL names "${id}"; ids cannot be renamed`,
      'id',
    );
  }
  const entry: Entry = { ...change.entry, id };
  if (list !== 'webhooks') return entry;
  // A webhook's secret is write-only: a change that leaves it out keeps the stored one.
  if (entry.secret === undefined && before.secret !== undefined) entry.secret = before.secret;
  // Its URL is read back with its credentials masked: sent back so, it keeps the stored one.
  if (typeof before.url === 'string' && entry.url === redactUrl(before.url)) entry.url = before.url;
  return entry;
}

function nextList(entries: Entry[], index: number, after: Entry | undefined): Entry[] {
  if (index < 0) return after ? [...entries, after] : entries;
  return after ? entries.map((e, i) => (i === index ? after : e)) : entries.filter((_, i) => i !== index);
}

/** A watch a webhook names cannot go: the webhook would silently watch nothing of it. */
function refuseInUse(list: LiveList, id: string, doc: LiveDoc): void {
  if (list !== 'watches') return;
  const users = doc.webhooks
    .filter((h) => Array.isArray(h.watches) && (h.watches as unknown[]).includes(id))
    .map((h) => String(h.id));
  if (users.length === 0) return;
  const names = users.map((u) => `"${u}"`).join(', ');
  throw new ApiError(
    409,
    'in-use',
    `the watch "${id}" is named by the webhook${users.length > 1 ? 's' : ''} ${names}; remove it there first`,
    'id',
  );
}

/**
 * An entry as the API and the audit log show it: a webhook's secret only as set or unset, its URL
 * with its credentials masked.
 */
export function maskSecrets(list: LiveList, entry: Entry): Entry {
  if (list !== 'webhooks') return entry;
  const s = entry.secret;
  const set = typeof s === 'string' ? s !== '' : Array.isArray(s) && s.length > 0;
  const url = typeof entry.url === 'string' ? { url: redactUrl(entry.url) } : {};
  return { ...entry, ...url, secret: set ? 'set' : 'unset' };
}
