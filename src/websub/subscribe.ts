/**
 * Subscribe and unsubscribe requests (WebSub §5.1): a form POST to the hub, which answers 202 and
 * confirms later with a GET to our callback (verify.ts), possibly before it answers. So the
 * request is recorded in Redis before it is sent. A refused or failed request is retried with
 * backoff by the scheduler's review (renew.ts).
 */
import crypto from 'node:crypto';
import { backoffMs } from '../fetch/backoff.js';
import type { WebsubDeps } from './deps.js';
import type { Subscription } from './store.js';

/** A subscription as the config and the feed want it now. */
export interface Wanted {
  hub: string;
  topic: string;
  callback: string;
}

/** The hub's answer body quoted in an error, at most this many characters. */
const QUOTED = 200;

interface HubRequest {
  mode: 'subscribe' | 'unsubscribe';
  hub: string;
  topic: string;
  callback: string;
  secret?: string;
}

/** Sends one request; undefined when the hub accepted it (2xx), else why not. */
async function requestHub(d: WebsubDeps, req: HubRequest): Promise<string | undefined> {
  const { websub, fetch } = d.current().config;
  const form = new URLSearchParams({
    'hub.mode': req.mode,
    'hub.topic': req.topic,
    'hub.callback': req.callback,
    ...(req.mode === 'subscribe'
      ? { 'hub.secret': req.secret ?? '', 'hub.lease_seconds': String(websub.leaseSeconds) }
      : {}),
  });
  const r = await d.webhookHttp.request(req.hub, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    connectTimeoutMs: Math.min(fetch.connectTimeout, websub.timeout),
    totalTimeoutMs: websub.timeout,
    maxBytes: 64 * 1024,
    maxRedirects: 0,
  });
  if (!r.ok) return `${r.error.code}: ${r.error.message}`;
  if (r.value.status >= 200 && r.value.status < 300) return undefined;
  const said = r.value.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, QUOTED);
  return `${req.hub} answered HTTP ${r.value.status}${said ? `: ${said}` : ''}`;
}

/** A secret per subscription: what the hub signs deliveries with. */
const newSecret = () => crypto.randomBytes(24).toString('base64url');

/** When to try again after `failures` failures in a row. */
export function retryAt(d: WebsubDeps, failures: number, now: number): number {
  const { retryMin, retryMax } = d.current().config.websub;
  return now + backoffMs(failures, retryMax, retryMin);
}

/**
 * Asks the hub for a subscription to the topic (or its renewal): the same hub and topic keep
 * their secret, a new one gets a new secret. The state stays 'active' during a renewal.
 */
export async function subscribe(d: WebsubDeps, sub: Subscription, want: Wanted): Promise<void> {
  const { hub, topic, callback } = want;
  const same =
    sub.hub === hub && sub.topic === topic && sub.callback === callback && sub.secret !== undefined;
  const secret = same ? sub.secret! : newSecret();
  const now = d.clock();
  await d.websub.update(sub.feedId, {
    hub,
    topic,
    callback,
    secret,
    requestedAt: now,
    ...(same && sub.state === 'active' ? {} : { state: 'subscribing' as const, activeSince: undefined }),
  });
  const error = await requestHub(d, { mode: 'subscribe', hub, topic, callback, secret });
  d.metrics.websubRequests.inc({ mode: 'subscribe', outcome: error ? 'failed' : 'accepted' });
  if (error === undefined) {
    d.logger.debug({ feed: sub.feedId, hub, topic }, 'websub subscription requested');
    return;
  }
  await recordFailure(d, { ...sub, hub, state: same ? sub.state : 'subscribing' }, error);
}

/** A failed, refused or unconfirmed request: counted, logged once, tried again after a backoff. */
export async function recordFailure(d: WebsubDeps, sub: Subscription, error: string): Promise<void> {
  const now = d.clock();
  const failures = sub.failures + 1;
  const nextAttemptAt = retryAt(d, failures, now);
  await d.websub.update(sub.feedId, {
    failures,
    nextAttemptAt,
    lastError: error,
    lastErrorAt: now,
    requestedAt: undefined,
    // A renewal that fails leaves the subscription active until its lease ends.
    ...(sub.state === 'active' || sub.state === 'denied' ? {} : { state: 'failing' as const }),
  });
  d.logger.warn(
    { feed: sub.feedId, hub: sub.hub, failures, nextAttemptAt: new Date(nextAttemptAt).toISOString(), error },
    'websub subscription failed; polling goes on, tried again later',
  );
}

/**
 * Ends the subscription a feed holds (the feed was removed, its hub, topic or callback changed, or
 * push was turned off): it moves to the fields of an ending subscription, whose unsubscribe request
 * is sent now and retried until the old lease would have lapsed anyway.
 */
export async function endSubscription(d: WebsubDeps, sub: Subscription): Promise<Subscription> {
  const now = d.clock();
  const held = sub.state === 'active' || (sub.state === 'subscribing' && sub.requestedAt !== undefined);
  const ending: Partial<Subscription> = held
    ? {
        unsubHub: sub.hub,
        unsubTopic: sub.topic,
        unsubCallback: sub.callback,
        unsubSecret: sub.secret,
        unsubRequestedAt: undefined,
        unsubFailures: 0,
        unsubNextAttemptAt: undefined,
        unsubUntil: Math.max(sub.leaseEnd ?? 0, now + d.current().config.websub.verifyWithin),
      }
    : {};
  const cleared: Partial<Subscription> = {
    hub: undefined,
    topic: undefined,
    callback: undefined,
    secret: undefined,
    state: undefined,
    requestedAt: undefined,
    confirmedAt: undefined,
    activeSince: undefined,
    leaseSeconds: undefined,
    leaseEnd: undefined,
    renewAt: undefined,
    failures: 0,
    nextAttemptAt: undefined,
    lastError: undefined,
    lastErrorAt: undefined,
    missedAt: undefined,
  };
  await d.websub.update(sub.feedId, { ...cleared, ...ending });
  const next: Subscription = { ...sub, ...cleared, ...ending };
  if (held) await unsubscribe(d, next);
  return next;
}

/** Sends (or sends again) the unsubscribe request of the ending subscription. */
export async function unsubscribe(d: WebsubDeps, sub: Subscription): Promise<void> {
  if (!sub.unsubHub || !sub.unsubTopic || !sub.unsubCallback) return;
  const now = d.clock();
  await d.websub.update(sub.feedId, { unsubRequestedAt: now });
  const error = await requestHub(d, {
    mode: 'unsubscribe',
    hub: sub.unsubHub,
    topic: sub.unsubTopic,
    callback: sub.unsubCallback,
  });
  d.metrics.websubRequests.inc({ mode: 'unsubscribe', outcome: error ? 'failed' : 'accepted' });
  if (error === undefined) {
    d.logger.info(
      { feed: sub.feedId, hub: sub.unsubHub, topic: sub.unsubTopic },
      'websub unsubscribe requested',
    );
    return;
  }
  const failures = sub.unsubFailures + 1;
  const unsubNextAttemptAt = retryAt(d, failures, now);
  await d.websub.update(sub.feedId, {
    unsubRequestedAt: undefined,
    unsubFailures: failures,
    unsubNextAttemptAt,
  });
  d.logger.warn(
    { feed: sub.feedId, hub: sub.unsubHub, failures, error },
    'websub unsubscribe failed; tried again until the lease lapses',
  );
}

/** Forgets the ending subscription; the whole record once nothing else is left in it. */
export async function forgetEnding(d: WebsubDeps, sub: Subscription): Promise<void> {
  if (!sub.hub && !sub.wantedHub) return d.websub.delete(sub.feedId);
  await d.websub.update(sub.feedId, {
    unsubHub: undefined,
    unsubTopic: undefined,
    unsubCallback: undefined,
    unsubSecret: undefined,
    unsubRequestedAt: undefined,
    unsubFailures: undefined,
    unsubNextAttemptAt: undefined,
    unsubUntil: undefined,
  });
}
