/**
 * The hub's verification of intent (WebSub §5.3): a GET to our callback with hub.mode, hub.topic
 * and hub.challenge. The challenge is echoed only for a request of ours: a subscription to that
 * topic we asked for or hold, or an unsubscribe we sent; anything else is answered 404, so nobody
 * can subscribe us to anything. A denial (hub.mode=denied) is recorded and retried later.
 */
import type { WebsubDeps } from './deps.js';
import { forgetEnding, recordFailure } from './subscribe.js';
import { awaitingConfirmation } from './status.js';
import type { Subscription } from './store.js';

export interface CallbackAnswer {
  status: number;
  body: string;
}

const NOT_OURS: CallbackAnswer = { status: 404, body: 'no such subscription\n' };

export async function verifyIntent(
  d: WebsubDeps,
  feedId: string,
  query: Record<string, string | undefined>,
): Promise<CallbackAnswer> {
  const mode = query['hub.mode'];
  const topic = query['hub.topic'];
  const sub = await d.websub.get(feedId);
  const answer =
    !sub || !topic
      ? NOT_OURS
      : mode === 'subscribe'
        ? await confirmSubscribe(d, sub, topic, query)
        : mode === 'unsubscribe'
          ? await confirmUnsubscribe(d, sub, topic, query['hub.challenge'])
          : mode === 'denied'
            ? await recordDenial(d, sub, topic, query['hub.reason'])
            : NOT_OURS;
  const outcome = answer.status !== 200 ? 'refused' : mode === 'denied' ? 'denied' : 'confirmed';
  // The mode is the caller's text: only the three the recommendation names get a label of their own.
  const label = mode === 'subscribe' || mode === 'unsubscribe' || mode === 'denied' ? mode : 'other';
  d.metrics.websubVerifications.inc({ mode: label, outcome });
  if (outcome === 'refused')
    d.logger.debug({ feed: feedId, mode, topic }, 'websub verification refused: not a request of ours');
  return answer;
}

async function confirmSubscribe(
  d: WebsubDeps,
  sub: Subscription,
  topic: string,
  query: Record<string, string | undefined>,
): Promise<CallbackAnswer> {
  const challenge = query['hub.challenge'];
  const ours = sub.topic === topic && (sub.state === 'active' || awaitingConfirmation(sub));
  if (!ours || !challenge) return NOT_OURS;
  // Only the answer to a request of ours moves the lease: a GET nobody asked for cannot make the
  // service believe in a lease the hub never granted.
  if (!awaitingConfirmation(sub)) return { status: 200, body: challenge };
  const { websub } = d.current().config;
  const now = d.clock();
  const granted = Number(query['hub.lease_seconds']);
  const leaseSeconds = Number.isInteger(granted) && granted > 0 ? granted : websub.leaseSeconds;
  await d.websub.update(sub.feedId, {
    state: 'active',
    confirmedAt: now,
    activeSince: sub.state === 'active' ? (sub.activeSince ?? now) : now,
    leaseSeconds,
    leaseEnd: now + leaseSeconds * 1000,
    renewAt: now + Math.floor(leaseSeconds * 1000 * websub.renewAt),
    failures: 0,
    nextAttemptAt: undefined,
    lastError: undefined,
    lastErrorAt: undefined,
  });
  d.logger.info({ feed: sub.feedId, hub: sub.hub, topic, leaseSeconds }, 'websub subscription confirmed');
  return { status: 200, body: challenge };
}

async function confirmUnsubscribe(
  d: WebsubDeps,
  sub: Subscription,
  topic: string,
  challenge: string | undefined,
): Promise<CallbackAnswer> {
  if (sub.unsubTopic !== topic || sub.unsubRequestedAt === undefined || !challenge) return NOT_OURS;
  await forgetEnding(d, sub);
  d.logger.info({ feed: sub.feedId, hub: sub.unsubHub, topic }, 'websub unsubscribe confirmed');
  return { status: 200, body: challenge };
}

async function recordDenial(
  d: WebsubDeps,
  sub: Subscription,
  topic: string,
  reason: string | undefined,
): Promise<CallbackAnswer> {
  if (sub.topic !== topic) return NOT_OURS;
  await d.websub.update(sub.feedId, { state: 'denied' });
  const said = reason ? `: ${reason.slice(0, 200)}` : '';
  await recordFailure(d, { ...sub, state: 'denied' }, `the hub denied the subscription${said}`);
  return { status: 200, body: 'ok\n' };
}
