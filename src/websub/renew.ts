/**
 * The scheduler role's review of every subscription, every `websub.checkEvery`: subscribe to the
 * hub a feed advertises, renew a lease once `renewAt` of it has passed, retry failed requests after
 * their backoff, ask again when a hub accepted a request but never confirmed it, end the
 * subscription of a removed feed (or one whose hub, topic or callback changed, or all when push
 * is turned off). Everything it decides from is in Redis, so a restart picks up where it left off.
 */
import { callbackUrl, type WebsubDeps } from './deps.js';
import { PUSH_STATUSES, awaitingConfirmation, pushStatus } from './status.js';
import type { Subscription } from './store.js';
import {
  endSubscription,
  forgetEnding,
  recordFailure,
  subscribe,
  unsubscribe,
  type Wanted,
} from './subscribe.js';

export type ReviewAction =
  | ({ kind: 'subscribe' } & Wanted)
  | { kind: 'end' }
  | { kind: 'retry-unsubscribe' }
  | { kind: 'forget-ending' }
  | { kind: 'unconfirmed' }
  | { kind: 'delete' };

/** What to do about one subscription now; pure, so each rule is tested on its own. */
export function plan(
  sub: Subscription,
  wanted: Wanted | undefined,
  verifyWithinMs: number,
  now: number,
): ReviewAction[] {
  const actions: ReviewAction[] = [];
  if (sub.unsubHub) {
    const lapsed = (sub.unsubUntil ?? 0) <= now;
    const unconfirmed = sub.unsubRequestedAt !== undefined && sub.unsubRequestedAt + verifyWithinMs <= now;
    if (lapsed || unconfirmed) actions.push({ kind: 'forget-ending' });
    else if (sub.unsubRequestedAt === undefined && (sub.unsubNextAttemptAt ?? 0) <= now)
      actions.push({ kind: 'retry-unsubscribe' });
  }
  const held = sub.hub !== undefined && sub.topic !== undefined;
  const changed = wanted?.hub !== sub.hub || wanted?.topic !== sub.topic || wanted?.callback !== sub.callback;
  if (held && changed) {
    actions.push({ kind: 'end' });
    if (wanted) actions.push({ kind: 'subscribe', ...wanted });
    return actions;
  }
  if (!wanted) return sub.unsubHub || held ? actions : [{ kind: 'delete' }];
  if (!held) return [...actions, { kind: 'subscribe', ...wanted }];
  if (awaitingConfirmation(sub)) {
    if (sub.requestedAt! + verifyWithinMs <= now) actions.push({ kind: 'unconfirmed' });
    return actions;
  }
  if ((sub.nextAttemptAt ?? 0) > now) return actions;
  const due = sub.state !== 'active' || (sub.renewAt ?? 0) <= now || (sub.leaseEnd ?? 0) <= now;
  return due ? [...actions, { kind: 'subscribe', ...wanted }] : actions;
}

/** Reviews every subscription once; one that fails to be acted on is logged and left to the next review. */
export async function reviewSubscriptions(d: WebsubDeps): Promise<void> {
  const { config } = d.current();
  const base = config.websub.callbackBase;
  for (const sub of await d.websub.list()) {
    const feed = config.feeds.find((f) => f.id === sub.feedId);
    const wanted =
      base && feed && sub.wantedHub && sub.wantedTopic
        ? { hub: sub.wantedHub, topic: sub.wantedTopic, callback: callbackUrl(base, sub.feedId) }
        : undefined;
    const actions = plan(sub, wanted, config.websub.verifyWithin, d.clock());
    if (actions.length === 0) continue;
    // Held for longer than the two requests an action may make; released when done.
    if (!(await d.websub.lock(sub.feedId, 2 * config.websub.timeout + 5_000))) continue;
    try {
      await act(d, sub, actions);
    } catch (err) {
      d.logger.error(
        { feed: sub.feedId, err: (err as Error).message },
        'websub review failed; tried again next time',
      );
    } finally {
      await d.websub.unlock(sub.feedId).catch(() => undefined);
    }
  }
}

async function act(d: WebsubDeps, first: Subscription, actions: ReviewAction[]): Promise<void> {
  let sub = first;
  for (const action of actions) {
    switch (action.kind) {
      case 'subscribe':
        await subscribe(d, sub, action);
        break;
      case 'end':
        sub = await endSubscription(d, sub);
        break;
      case 'retry-unsubscribe':
        await unsubscribe(d, sub);
        break;
      case 'forget-ending':
        await forgetEnding(d, sub);
        break;
      case 'unconfirmed': {
        const within = d.current().config.websub.verifyWithin / 1000;
        d.metrics.websubRequests.inc({ mode: 'subscribe', outcome: 'unconfirmed' });
        await recordFailure(
          d,
          sub,
          `${sub.hub} accepted the request but did not confirm it within ${within} s`,
        );
        break;
      }
      case 'delete':
        await d.websub.delete(sub.feedId);
        break;
    }
  }
}

/** Runs the review every `websub.checkEvery` (read anew each time, so a reload applies) until stopped. */
export function startReviews(d: WebsubDeps): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = reviewSubscriptions(d)
      .catch((err: Error) =>
        d.logger.error({ err: err.message }, 'websub review failed (is Redis reachable?)'),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, d.current().config.websub.checkEvery).unref();
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Subscriptions per status, every status present (0 when none), for the gauge. */
export async function countStatuses(d: WebsubDeps): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(PUSH_STATUSES.map((s) => [s, 0]));
  const { silentAfter } = d.current().config.websub;
  const now = d.clock();
  for (const sub of await d.websub.list()) counts[pushStatus(sub, now, silentAfter)]++;
  return counts;
}
