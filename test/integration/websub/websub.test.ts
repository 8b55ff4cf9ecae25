/**
 * WebSub push end to end: the real service, a loopback hub that follows the recommendation, a
 * feed server and a webhook receiver. Subscription on discovery, verification of intent, signed
 * delivery → alert, forged and unsigned deliveries dropped, unsolicited verifications refused,
 * leases renewed (also after they ran out while the service was down), a hub that is down
 * retried with backoff while polling carries on, and an unsubscribe when the feed is removed.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mediawatch } from '../../helpers/cli.js';
import { newSecret, startFeedServer, startReceiver, waitFor, type Delivery } from '../../helpers/loopback.js';
import { freePort } from '../../helpers/redis-server.js';
import { startService, writeConfig } from '../../helpers/service.js';
import { endToEnd } from '../../helpers/teardown.js';
import { startHub, type HubOptions } from '../../helpers/websub-hub.js';

const { redis: testRedis, teardown } = endToEnd();

interface Entry {
  id: string;
  title: string;
}

function atom(topic: string, hub: string, entries: Entry[]): string {
  const items = entries
    .map(
      (e) => `<entry><id>${e.id}</id><title>${e.title}</title><link href="https://news.example.com/${e.id}"/>
      <updated>2026-11-28T08:00:00Z</updated><summary>${e.title}. More on this story as it develops.</summary></entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>World</title><id>${topic}</id>
<link rel="self" href="${topic}"/><link rel="hub" href="${hub}"/>
${items}</feed>`;
}

const titleOf = (d: Delivery) => (d.json as { data: { item: { title: string } } }).data.item.title;

/** A feed that advertises `hub`, a receiver, and the service with push on; `extra` adds config. */
async function setup(hubOptions: HubOptions = {}, extra = '') {
  const site = await startFeedServer();
  const hub = await startHub(hubOptions);
  const secret = newSecret();
  const hook = await startReceiver(secret);
  teardown.close(site.close, hub.close, hook.close);
  const topic = site.url('/world.atom');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  site.set('/world.atom', {
    body: atom(topic, hub.url, [{ id: 'brussels', title: 'Budget talks resume in Brussels' }]),
    type: 'application/atom+xml',
  });
  const yaml = (feeds: string) => `
schedule: "* * * * * *"
network: { allowPrivateAddresses: true }
fetch: { spread: 0, maxBytes: 65536 }
websub:
  callbackBase: "${base}"
  checkEvery: 100ms
  retryMin: 300ms
  retryMax: 5s
  pollSlowdown: 1000
${extra}
feeds:
${feeds}
watches:
  - { id: macron, label: Emmanuel Macron, terms: ["Macron"] }
webhooks:
  - { id: newsroom, url: "${hook.url}", secret: "${secret}", retry: [200ms] }
`;
  const feedLine = `  - { id: world, url: "${topic}" }`;
  const config = writeConfig(yaml(feedLine));
  const svc = await startService({ config, redisUrl: testRedis().url, port });
  teardown.service(svc);
  const metrics = async () => (await fetch(`${base}/metrics`)).text();
  const removeFeed = () => fs.writeFileSync(config, yaml('  []'));
  return { site, hub, hook, topic, base, svc, config, metrics, removeFeed };
}

describe('WebSub push', () => {
  it('subscribes to the advertised hub, alerts on a signed push, drops forged and unsigned ones, refuses unsolicited verifications, unsubscribes a removed feed', async () => {
    const { hub, hook, topic, base, metrics, removeFeed } = await setup({ algorithm: 'sha512' });
    await waitFor(() => hub.active(topic).length === 1, 30_000, 'a confirmed subscription at the hub');
    const [request] = hub.requests;
    expect(request).toMatchObject({
      mode: 'subscribe',
      topic,
      callback: `${base}/websub/world`,
      leaseSeconds: 604_800,
    });
    expect(request.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(hub.verifications[0]).toMatchObject({ mode: 'subscribe', echoed: true });

    const push = (id: string, title: string) => atom(topic, hub.url, [{ id, title }]);
    expect(
      await hub.forge(topic, push('forged', 'Macron resigns, says forged post'), 'not the secret'),
    ).toEqual([202]);
    expect(await hub.forge(topic, push('unsigned', 'Macron unsigned rumour'), undefined)).toEqual([202]);
    expect(await hub.publish(topic, push('pushed', 'Macron arrives at the summit'))).toEqual([202]);
    await waitFor(() => hook.delivered().length >= 1, 30_000, 'the alert of the pushed item');
    // The forged deliveries were answered after they were dropped, before the good one was sent.
    expect(hook.delivered().map(titleOf)).toEqual(['Macron arrives at the summit']);
    expect(hook.delivered()[0].verified).toBe(true);
    const text = await metrics();
    expect(text).toContain('mediawatch_websub_deliveries_total{outcome="bad-signature"} 1');
    expect(text).toContain('mediawatch_websub_deliveries_total{outcome="unsigned"} 1');
    expect(text).toContain('mediawatch_websub_deliveries_total{outcome="accepted"} 1');
    expect(text).toContain('mediawatch_websub_subscriptions{status="active"} 1');

    const verify = (feed: string, params: Record<string, string>) =>
      fetch(`${base}/websub/${feed}?${new URLSearchParams({ 'hub.challenge': 'c4a11e', ...params })}`);
    const refused = [
      await verify('world', { 'hub.mode': 'subscribe', 'hub.topic': 'https://elsewhere.example.org/feed' }),
      await verify('world', { 'hub.mode': 'unsubscribe', 'hub.topic': topic }),
      await verify('nothing', { 'hub.mode': 'subscribe', 'hub.topic': topic }),
      await verify('world', { 'hub.mode': 'subscribe' }),
      await verify('World%2F..', { 'hub.mode': 'subscribe', 'hub.topic': topic }),
    ];
    expect(refused.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(await Promise.all(refused.map((r) => r.text()))).not.toContain('c4a11e');

    // A body larger than fetch.maxBytes is refused, as a polled feed's would be.
    const huge = await fetch(`${base}/websub/world`, {
      method: 'POST',
      headers: { 'content-type': 'application/atom+xml' },
      body: 'x'.repeat(70_000),
    });
    expect(huge.status).toBe(413);

    removeFeed();
    await waitFor(
      () => hub.requests.some((r) => r.mode === 'unsubscribe' && r.topic === topic),
      30_000,
      'an unsubscribe request',
    );
    await waitFor(() => hub.active(topic).length === 0, 10_000, 'the subscription ended at the hub');
    expect(hub.verifications.at(-1)).toMatchObject({ mode: 'unsubscribe', echoed: true });
    await waitFor(
      async () => (await testRedis().client().keys('mw:websub:*:sub:*')).length === 0,
      10_000,
      'the subscription record gone',
    );
  });

  it('renews a lease before it ends, and one that ran out while the service was down', async () => {
    const { hub, hook, topic } = await setup({ leaseSeconds: 2 });
    await waitFor(() => hub.active(topic).length === 1, 30_000, 'a confirmed subscription');
    const first = hub.requests[0].at;
    await waitFor(
      () => hub.requests.filter((r) => r.mode === 'subscribe').length >= 3,
      15_000,
      'two renewals of the 2 s lease',
    );
    const renewals = hub.requests.filter((r) => r.mode === 'subscribe').slice(1);
    // Renewed at 80 % of the lease (1.6 s), so never after the 2 s lease had ended.
    expect(renewals[0].at - first).toBeGreaterThanOrEqual(1_500);
    expect(hub.active(topic)).toHaveLength(1);
    expect(new Set(hub.requests.map((r) => r.secret)).size).toBe(1);

    // As if the service had been down past the lease: the hub forgot it, Redis says it has ended.
    hub.expire(topic);
    const redis = testRedis().client();
    const [key] = await redis.keys('mw:websub:*:sub:world');
    await redis.hset(key, { leaseEnd: '1', renewAt: '1' });
    await waitFor(() => hub.active(topic).length === 1, 10_000, 'the subscription renewed');
    await hub.publish(
      topic,
      atom(topic, hub.url, [{ id: 'later', title: 'Macron speaks after the renewal' }]),
    );
    await waitFor(() => hook.delivered().length === 1, 30_000, 'an alert after the renewal');
  });

  it('retries a hub that is down with growing delays while polling finds the items, and says so', async () => {
    const { hub, hook, site, topic, metrics, config, base } = await setup();
    hub.setDown(true);
    await waitFor(() => hub.requests.length >= 4, 30_000, 'four subscribe attempts');
    const gaps = hub.requests.slice(0, 4).map((r, i, all) => (i === 0 ? 0 : r.at - all[i - 1].at));
    // retryMin 300ms, doubling: each retry waits at least its backoff.
    expect(gaps[1]).toBeGreaterThanOrEqual(300);
    expect(gaps[2]).toBeGreaterThanOrEqual(600);
    expect(gaps[3]).toBeGreaterThanOrEqual(1_200);
    expect(await metrics()).toContain('mediawatch_websub_subscriptions{status="failing"} 1');
    const failed = /websub_requests_total\{mode="subscribe",outcome="failed"\} (\d+)/.exec(await metrics());
    expect(Number(failed?.[1])).toBeGreaterThanOrEqual(4);

    site.set('/world.atom', {
      body: atom(topic, hub.url, [{ id: 'polled', title: 'Macron meets the press' }]),
      type: 'application/atom+xml',
    });
    await waitFor(() => hook.delivered().length === 1, 30_000, 'the polled item alerted');
    expect(titleOf(hook.delivered()[0])).toBe('Macron meets the press');

    const env = { MEDIAWATCH_CONFIG: config, REDIS_URL: testRedis().url };
    const feeds = await mediawatch(['feeds'], { env });
    expect(feeds.code).toBe(0);
    expect(feeds.out).toContain(`push failing  hub ${hub.url}`);
    expect(feeds.out).toContain('answered HTTP 503: hub is down for maintenance');

    hub.setDown(false);
    await waitFor(() => hub.active(topic).length === 1, 30_000, 'the subscription once the hub is back');
    expect(hub.active(topic)[0].callback).toBe(`${base}/websub/world`);
    expect((await mediawatch(['feeds'], { env })).out).toContain(`push active  hub ${hub.url}`);
  });
});
