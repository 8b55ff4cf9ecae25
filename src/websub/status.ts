/**
 * What a subscription amounts to, for `mediawatch feeds`, the metrics and the poll rate: pushed
 * feeds are polled less often only while their hub is confirmed, its lease runs and it delivers.
 */
import type { Subscription } from './store.js';

export const PUSH_STATUSES = [
  'active',
  'pending',
  'failing',
  'denied',
  'expired',
  'silent',
  'unsubscribing',
] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

/** A request sent after the hub's last confirmation, not yet confirmed or refused. */
export const awaitingConfirmation = (s: Subscription) =>
  s.requestedAt !== undefined && s.requestedAt > (s.confirmedAt ?? 0);

/**
 * Polls found items the hub never pushed, and no push came for `silentAfterMs` before that: the
 * hub has stopped delivering (or never started). A push since clears it.
 */
export function isSilent(s: Subscription, silentAfterMs: number): boolean {
  if (s.missedAt === undefined || s.missedAt <= (s.lastPushAt ?? 0)) return false;
  const since = s.lastPushAt ?? s.activeSince ?? s.missedAt;
  return s.missedAt - since >= silentAfterMs;
}

export function pushStatus(s: Subscription, now: number, silentAfterMs: number): PushStatus {
  if (!s.hub) return s.unsubHub ? 'unsubscribing' : 'pending';
  if (s.state === 'denied') return 'denied';
  if (s.state === 'active') {
    if ((s.leaseEnd ?? 0) <= now) return 'expired';
    if (isSilent(s, silentAfterMs)) return 'silent';
    return s.failures > 0 ? 'failing' : 'active';
  }
  return s.failures > 0 ? 'failing' : 'pending';
}

/** Whether the hub's pushes stand in for most polls: confirmed, within its lease, not silent. */
export function isPushed(s: Subscription | undefined, now: number, silentAfterMs: number): boolean {
  return (
    s !== undefined &&
    s.state === 'active' &&
    (s.leaseEnd ?? 0) > now &&
    s.topic !== undefined &&
    !isSilent(s, silentAfterMs)
  );
}

/** A feed's push subscription as `mediawatch feeds` and the API's feed health show it. */
export interface PushHealth {
  status: PushStatus;
  hub?: string;
  leaseEnd?: string;
  lastPushAt?: string;
  /** Polls found items the hub had not pushed (the last time). */
  missedAt?: string;
  failures: number;
  lastError?: string;
  nextAttemptAt?: string;
}

export function pushHealth(s: Subscription, now: number, silentAfterMs: number): PushHealth {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const fields: Omit<PushHealth, 'status' | 'failures'> = {
    hub: s.hub ?? s.unsubHub ?? s.wantedHub,
    leaseEnd: s.hub ? iso(s.leaseEnd) : undefined,
    lastPushAt: iso(s.lastPushAt),
    missedAt: iso(s.missedAt),
    lastError: s.failures > 0 ? s.lastError : undefined,
    nextAttemptAt: s.failures > 0 ? iso(s.nextAttemptAt) : undefined,
  };
  const defined = Object.entries(fields).filter(([, v]) => v !== undefined);
  return { status: pushStatus(s, now, silentAfterMs), failures: s.failures, ...Object.fromEntries(defined) };
}

/** One line for `mediawatch feeds`. */
export function describePush(p: PushHealth): string {
  const parts = [`push ${p.status}`];
  if (p.hub) parts.push(`hub ${p.hub}`);
  if (p.leaseEnd) parts.push(`lease until ${p.leaseEnd}`);
  parts.push(`last push ${p.lastPushAt ?? '-'}`);
  if (p.status === 'silent') parts.push(`polls found items it did not push (${p.missedAt})`);
  if (p.failures > 0) parts.push(`failures in a row ${p.failures}  next try ${p.nextAttemptAt ?? '-'}`);
  return parts.join('  ') + (p.lastError && p.failures > 0 ? `\n  push error: ${p.lastError}` : '');
}
