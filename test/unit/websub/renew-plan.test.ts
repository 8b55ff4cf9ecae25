import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/websub/renew.js';
import { isPushed, pushStatus } from '../../../src/websub/status.js';
import type { Subscription } from '../../../src/websub/store.js';

const NOW = 1_000_000;
const VERIFY = 60_000;
const HUB = 'https://hub.example.org/';
const TOPIC = 'https://news.example.com/world.atom';
const CALLBACK = 'https://mw.example.org/websub/world';
const WANTED = { hub: HUB, topic: TOPIC, callback: CALLBACK };

const sub = (fields: Partial<Subscription> = {}): Subscription => ({
  feedId: 'world',
  failures: 0,
  unsubFailures: 0,
  wantedHub: HUB,
  wantedTopic: TOPIC,
  ...fields,
});
const active = (fields: Partial<Subscription> = {}) =>
  sub({
    hub: HUB,
    topic: TOPIC,
    callback: CALLBACK,
    secret: 's',
    state: 'active',
    requestedAt: NOW - 10_000,
    confirmedAt: NOW - 9_000,
    activeSince: NOW - 9_000,
    leaseEnd: NOW + 50_000,
    renewAt: NOW + 30_000,
    ...fields,
  });

describe('the review of a subscription', () => {
  it.each<[string, Subscription, typeof WANTED | undefined, string[]]>([
    ['a feed that advertises a hub and has no subscription is subscribed', sub(), WANTED, ['subscribe']],
    ['an active lease before its renewal time is left alone', active(), WANTED, []],
    ['a lease past its renewal time is renewed', active({ renewAt: NOW - 1 }), WANTED, ['subscribe']],
    ['a lease that ended is renewed', active({ leaseEnd: NOW - 1, renewAt: NOW - 1 }), WANTED, ['subscribe']],
    [
      'a renewal sent and not yet confirmed is waited for',
      active({ renewAt: NOW - 1, requestedAt: NOW - 1_000 }),
      WANTED,
      [],
    ],
    [
      'a request the hub never confirmed counts as a failure',
      sub({ hub: HUB, topic: TOPIC, callback: CALLBACK, state: 'subscribing', requestedAt: NOW - VERIFY }),
      WANTED,
      ['unconfirmed'],
    ],
    [
      'a failed subscription waits for its backoff',
      sub({
        hub: HUB,
        topic: TOPIC,
        callback: CALLBACK,
        state: 'failing',
        failures: 2,
        nextAttemptAt: NOW + 1,
      }),
      WANTED,
      [],
    ],
    [
      'a failed subscription is retried after its backoff',
      sub({ hub: HUB, topic: TOPIC, callback: CALLBACK, state: 'failing', failures: 2, nextAttemptAt: NOW }),
      WANTED,
      ['subscribe'],
    ],
    [
      'a denied subscription is retried after its backoff',
      sub({
        hub: HUB,
        topic: TOPIC,
        callback: CALLBACK,
        state: 'denied',
        failures: 1,
        nextAttemptAt: NOW - 1,
      }),
      WANTED,
      ['subscribe'],
    ],
    ['a removed feed is unsubscribed', active(), undefined, ['end']],
    [
      'a hub change ends the old subscription and subscribes to the new hub',
      active(),
      { ...WANTED, hub: 'https://push.example.net/' },
      ['end', 'subscribe'],
    ],
    ['a topic change does the same', active(), { ...WANTED, topic: `${TOPIC}?v=2` }, ['end', 'subscribe']],
    [
      'a new callbackBase does the same',
      active(),
      { ...WANTED, callback: 'https://mw2.example.org/websub/world' },
      ['end', 'subscribe'],
    ],
    [
      'an unsubscribe that failed is sent again after its backoff',
      sub({
        unsubHub: HUB,
        unsubTopic: TOPIC,
        unsubUntil: NOW + 1,
        unsubFailures: 1,
        unsubNextAttemptAt: NOW,
      }),
      undefined,
      ['retry-unsubscribe'],
    ],
    [
      'an unsubscribe past the old lease is forgotten',
      sub({ unsubHub: HUB, unsubTopic: TOPIC, unsubUntil: NOW, unsubNextAttemptAt: NOW + 5 }),
      undefined,
      ['forget-ending'],
    ],
    [
      'an unsubscribe the hub accepted but never confirmed is forgotten',
      sub({ unsubHub: HUB, unsubTopic: TOPIC, unsubUntil: NOW + 99_000, unsubRequestedAt: NOW - VERIFY }),
      undefined,
      ['forget-ending'],
    ],
    ['a record with nothing left is deleted', sub(), undefined, ['delete']],
  ])('%s', (_, subscription, wanted, kinds) => {
    expect(plan(subscription, wanted, VERIFY, NOW).map((a) => a.kind)).toEqual(kinds);
  });
});

describe('the status of a subscription', () => {
  const SILENT_AFTER = 3_600_000;
  it.each<[string, Subscription, string, boolean]>([
    ['confirmed within its lease', active(), 'active', true],
    [
      'asked for, not yet confirmed',
      sub({ hub: HUB, topic: TOPIC, callback: CALLBACK, state: 'subscribing' }),
      'pending',
      false,
    ],
    [
      'refused by the hub',
      sub({ hub: HUB, topic: TOPIC, callback: CALLBACK, state: 'failing', failures: 3 }),
      'failing',
      false,
    ],
    ['renewal failing within the lease', active({ failures: 1 }), 'failing', true],
    [
      'denied',
      sub({ hub: HUB, topic: TOPIC, callback: CALLBACK, state: 'denied', failures: 1 }),
      'denied',
      false,
    ],
    ['past its lease', active({ leaseEnd: NOW }), 'expired', false],
    [
      'polls found unpushed items an hour after the last push',
      active({ lastPushAt: NOW - 2 * SILENT_AFTER, missedAt: NOW - SILENT_AFTER }),
      'silent',
      false,
    ],
    [
      'polls found unpushed items soon after the last push',
      active({ lastPushAt: NOW - 60_000, missedAt: NOW - 1_000 }),
      'active',
      true,
    ],
    [
      'a push came after the missed items',
      active({ missedAt: NOW - 5_000, lastPushAt: NOW - 1_000 }),
      'active',
      true,
    ],
    [
      'never pushed since it was confirmed an hour before polls found items',
      active({ activeSince: NOW - 2 * SILENT_AFTER, missedAt: NOW - 1_000 }),
      'silent',
      false,
    ],
    ['being unsubscribed', sub({ unsubHub: HUB, unsubTopic: TOPIC }), 'unsubscribing', false],
  ])('%s: %s', (_, subscription, status, pushed) => {
    expect(pushStatus(subscription, NOW, SILENT_AFTER)).toBe(status);
    expect(isPushed(subscription, NOW, SILENT_AFTER)).toBe(pushed);
  });
});
