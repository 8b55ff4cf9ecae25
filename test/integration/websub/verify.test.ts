/**
 * The verification handler against a real Redis, on a fixed clock: what it confirms, with which
 * lease; what it refuses; how a denial is recorded.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyIntent } from '../../../src/websub/verify.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const NOW = Date.parse('2026-11-28T08:00:00Z');
const HUB = 'https://hub.example.org/';
const TOPIC = 'https://news.example.com/world.atom';
const CALLBACK = 'https://mw.example.org/websub/world';
let redis: TestRedis;
let deps: ReturnType<typeof pipelineDeps>;

beforeAll(async () => {
  redis = await startRedis();
});
beforeEach(async () => {
  await deps?.close();
  await redis.client().flushall();
  deps = pipelineDeps(
    redis.client(),
    `
websub: { callbackBase: "https://mw.example.org", retryMin: 30s, renewAt: 0.8 }
feeds: [{ id: world, url: "${TOPIC}" }]
watches: [{ id: w, terms: ["x"] }]
`,
    () => NOW,
  );
});
afterAll(async () => {
  await deps?.close();
  await redis.stop();
});

const asked = () =>
  deps.websub.update('world', {
    wantedHub: HUB,
    wantedTopic: TOPIC,
    hub: HUB,
    topic: TOPIC,
    callback: CALLBACK,
    secret: 's3cret',
    state: 'subscribing',
    requestedAt: NOW - 1_000,
  });

describe('verification of intent', () => {
  it('confirms a subscription it asked for, with the lease the hub granted, renewed at 80 %', async () => {
    await asked();
    const answer = await verifyIntent(deps, 'world', {
      'hub.mode': 'subscribe',
      'hub.topic': TOPIC,
      'hub.challenge': 'a1b2c3',
      'hub.lease_seconds': '1000',
    });
    expect(answer).toEqual({ status: 200, body: 'a1b2c3' });
    expect(await deps.websub.get('world')).toMatchObject({
      state: 'active',
      leaseSeconds: 1000,
      leaseEnd: NOW + 1_000_000,
      renewAt: NOW + 800_000,
      activeSince: NOW,
      confirmedAt: NOW,
    });
    // Asked again with nothing pending: the challenge is echoed, the lease stays as granted.
    const again = await verifyIntent(deps, 'world', {
      'hub.mode': 'subscribe',
      'hub.topic': TOPIC,
      'hub.challenge': 'd4e5',
      'hub.lease_seconds': '999999',
    });
    expect(again).toEqual({ status: 200, body: 'd4e5' });
    expect((await deps.websub.get('world'))?.leaseEnd).toBe(NOW + 1_000_000);
  });

  it('refuses a subscription to another topic, one it never asked for, and an unsubscribe it did not send', async () => {
    const challenge = { 'hub.challenge': 'x' };
    expect(
      (await verifyIntent(deps, 'world', { 'hub.mode': 'subscribe', 'hub.topic': TOPIC, ...challenge }))
        .status,
    ).toBe(404);
    await asked();
    for (const query of [
      { 'hub.mode': 'subscribe', 'hub.topic': `${TOPIC}?other`, ...challenge },
      { 'hub.mode': 'unsubscribe', 'hub.topic': TOPIC, ...challenge },
      { 'hub.mode': 'subscribe', 'hub.topic': TOPIC },
      { 'hub.mode': 'publish', 'hub.topic': TOPIC, ...challenge },
    ])
      expect((await verifyIntent(deps, 'world', query)).status).toBe(404);
    expect((await deps.websub.get('world'))?.state).toBe('subscribing');
  });

  it('records a denial with the hub reason and tries again after the backoff', async () => {
    await asked();
    const denied = { 'hub.mode': 'denied', 'hub.reason': 'topic not allowed here' };
    expect((await verifyIntent(deps, 'world', { ...denied, 'hub.topic': `${TOPIC}?other` })).status).toBe(
      404,
    );
    expect((await verifyIntent(deps, 'world', { ...denied, 'hub.topic': TOPIC })).status).toBe(200);
    expect(await deps.websub.get('world')).toMatchObject({
      state: 'denied',
      failures: 1,
      nextAttemptAt: NOW + 30_000,
      lastError: 'the hub denied the subscription: topic not allowed here',
    });
  });

  it('confirms an unsubscribe it sent and then forgets the feed', async () => {
    await deps.websub.update('world', {
      unsubHub: HUB,
      unsubTopic: TOPIC,
      unsubCallback: CALLBACK,
      unsubRequestedAt: NOW - 100,
      unsubUntil: NOW + 60_000,
    });
    const answer = await verifyIntent(deps, 'world', {
      'hub.mode': 'unsubscribe',
      'hub.topic': TOPIC,
      'hub.challenge': 'bye',
    });
    expect(answer).toEqual({ status: 200, body: 'bye' });
    expect(await deps.websub.get('world')).toBeUndefined();
    expect(await deps.websub.list()).toEqual([]);
  });
});
