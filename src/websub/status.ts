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

/** One line for `mediawatch feeds`. */
export function describePush(s: Subscription, now: number, silentAfterMs: number): string {
  const iso = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());
  const status = pushStatus(s, now, silentAfterMs);
  const parts = [`push ${status}`];
  if (s.hub) parts.push(`hub ${s.hub}`);
  else if (s.unsubHub) parts.push(`hub ${s.unsubHub}`);
  if (s.leaseEnd !== undefined && s.hub) parts.push(`lease until ${iso(s.leaseEnd)}`);
  parts.push(`last push ${iso(s.lastPushAt)}`);
  if (status === 'silent') parts.push(`polls found unpushed items ${iso(s.missedAt)}`);
  if (s.failures > 0)
    parts.push(`failures in a row ${s.failures}  next try ${iso(s.nextAttemptAt)}: ${s.lastError ?? ''}`);
  return parts.join('  ');
}
