/**
 * The whole path, as a user sees it: a feed served on loopback, the real service process, a
 * real Redis, and a webhook receiver that verifies every signature.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, startReceiver, waitFor, type Delivery } from '../../helpers/loopback.js';
import { ROOT, startService, writeConfig } from '../../helpers/service.js';
import { endToEnd } from '../../helpers/teardown.js';

const SEED_FEED = fs.readFileSync(path.join(ROOT, 'test/fixtures/seed/seed-feed.rss'), 'utf8');
const SEED_URL = 'https://news.example.com/2022/12/03/world/europe/macron-russia-security-guarantees.html';
const NATO_URL = 'https://news.example.com/2022/11/30/world/europe/nato-bucharest-ministers.html';

const WATCHES = `
watches:
  - id: macron
    label: Emmanuel Macron
    terms: ["Emmanuel Macron", "Macron"]
  - id: nato
    label: NATO
    terms: ["NATO", "North Atlantic Treaty Organization", "OTAN"]
  - id: putin
    label: Vladimir Putin
    terms: ["Vladimir Putin", "Putin"]
    exclude: ["Putin Street"]
  - id: security-guarantees
    label: Security guarantees
    terms: ["security guarantees", "security guarantee"]
`;

function config(
  feeds: { id: string; url: string }[],
  hook: { url: string; secret: string },
  extra = '',
  schedule = '* * * * * *',
): string {
  return writeConfig(`
schedule: "${schedule}"
network:
  allowPrivateAddresses: true
feeds:
${feeds.map((f) => `  - id: ${f.id}\n    url: ${f.url}`).join('\n')}
${WATCHES}
webhooks:
  - id: newsroom
    url: ${hook.url}
    secret: ${hook.secret}
    retry: [200ms, 200ms, 200ms]
${extra}
`);
}

const watchesOf = (d: Delivery) => d.json.data.watches.map((w: { id: string }) => w.id).sort();
const byUrl = (ds: Delivery[], url: string) => ds.filter((d) => d.json?.data?.item?.url === url);

const { redis: testRedis, teardown } = endToEnd();

describe('the pipeline from feed to webhook', () => {
  it('alerts the seed article with every watch it mentions, signed, and nothing on the next polls', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    teardown.close(feeds.close, hook.close);
    feeds.set('/world.xml', { body: SEED_FEED });
    const svc = await startService({
      config: config([{ id: 'world', url: feeds.url('/world.xml') }], { url: hook.url, secret }),
      redisUrl: testRedis().url,
    });
    teardown.service(svc);

    await waitFor(
      () => byUrl(hook.delivered(), NATO_URL).length > 0 && byUrl(hook.delivered(), SEED_URL).length > 0,
      30_000,
      'alerts',
    );
    await new Promise((r) => setTimeout(r, 3_000)); // three more polls

    const delivered = hook.delivered();
    expect(delivered).toHaveLength(2);
    expect(delivered.every((d) => d.verified)).toBe(true);
    expect(watchesOf(byUrl(delivered, SEED_URL)[0])).toEqual([
      'macron',
      'nato',
      'putin',
      'security-guarantees',
    ]);
    expect(watchesOf(byUrl(delivered, NATO_URL)[0])).toEqual(['nato']);
    const seed = byUrl(delivered, SEED_URL)[0].json;
    expect(seed.type).toBe('mention.detected');
    expect(seed.data.item.feed).toEqual({ id: 'world', url: feeds.url('/world.xml') });
    expect(seed.data.alertId).toBe(byUrl(delivered, SEED_URL)[0].headers['webhook-id']);
    const macron = seed.data.watches.find((w: { id: string }) => w.id === 'macron');
    expect(macron.matches[0]).toMatchObject({
      field: 'title',
      term: expect.any(String),
      snippet: expect.stringContaining('Macron'),
    });
    expect(feeds.hits.filter((h) => h.headers['if-none-match']).length).toBeGreaterThan(0);
  });

  it('delivers an alert exactly once when the receiver fails twice first, with the same webhook-id every try', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret, (n) => (n <= 2 ? 500 : 200));
    teardown.close(feeds.close, hook.close);
    feeds.set('/nato.xml', { body: SEED_FEED.replace(/<item>[\s\S]*?<\/item>\n<item>[\s\S]*?<\/item>/, '') });
    teardown.service(
      await startService({
        config: config([{ id: 'nato', url: feeds.url('/nato.xml') }], { url: hook.url, secret }),
        redisUrl: testRedis().url,
      }),
    );

    await waitFor(() => hook.delivered().length > 0, 30_000, 'delivery after two failures');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(hook.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(hook.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(hook.requests.every((r) => r.verified)).toBe(true);
  });

  it('keeps alerting from good feeds while others answer 404, time out or are not XML', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    teardown.close(feeds.close, hook.close);
    feeds.set('/good.xml', { body: SEED_FEED });
    feeds.set('/oops.xml', { body: 'oops', type: 'text/plain' });
    feeds.set('/hang.xml', { hang: true });
    const list = [
      { id: 'missing', url: feeds.url('/missing.xml') },
      { id: 'oops', url: feeds.url('/oops.xml') },
      { id: 'hang', url: feeds.url('/hang.xml') },
      { id: 'good', url: feeds.url('/good.xml') },
    ];
    const svc = await startService({
      config: config(list, { url: hook.url, secret }, 'fetch:\n  totalTimeout: 2s\n  connectTimeout: 1s'),
      redisUrl: testRedis().url,
    });
    teardown.service(svc);

    await waitFor(() => hook.delivered().length >= 2, 30_000, 'alerts from the good feed');
    // The poller's own debug line ("…; backing off") comes first: wait for the warning itself.
    const failed = 'feed poll failed; retried on its next tick';
    await waitFor(
      () => svc.events().some((e) => e.feed === 'hang' && e.msg === failed),
      10_000,
      'timeout logged',
    );
    const failures = svc.events().filter((e) => e.msg === failed);
    expect(failures.map((e) => e.feed)).toEqual(expect.arrayContaining(['missing', 'oops', 'hang']));
    expect(failures.find((e) => e.feed === 'missing')?.url).toBe(feeds.url('/missing.xml'));
    expect(svc.proc.exitCode).toBeNull();
  });

  it('sends each alert once when two worker processes share one Redis', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    teardown.close(feeds.close, hook.close);
    feeds.set('/world.xml', { body: SEED_FEED });
    const file = config([{ id: 'world', url: feeds.url('/world.xml') }], { url: hook.url, secret });
    teardown.service(
      await startService({ config: file, redisUrl: testRedis().url }),
      await startService({ config: file, redisUrl: testRedis().url }),
    );
    await waitFor(() => hook.delivered().length >= 2, 30_000, 'alerts');
    await new Promise((r) => setTimeout(r, 3_000));
    const ids = hook.delivered().map((d) => d.headers['webhook-id']);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('polls every feed once at start, without waiting for its first tick', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    teardown.close(feeds.close, hook.close);
    feeds.set('/world.xml', { body: SEED_FEED });
    const file = config(
      [{ id: 'world', url: feeds.url('/world.xml') }],
      { url: hook.url, secret },
      '',
      '0 0 1 1 *',
    ); // yearly
    teardown.service(await startService({ config: file, redisUrl: testRedis().url }));
    await waitFor(() => hook.delivered().length >= 2, 30_000, 'alerts from the first poll');
    expect(feeds.hits.filter((h) => h.path === '/world.xml')).toHaveLength(1);
  });

  it('stops within 10 seconds on SIGTERM with exit code 0', async () => {
    const feeds = await startFeedServer();
    const hook = await startReceiver(newSecret());
    teardown.close(feeds.close, hook.close);
    const svc = await startService({
      config: config([{ id: 'world', url: feeds.url('/world.xml') }], { url: hook.url, secret: newSecret() }),
      redisUrl: testRedis().url,
    });
    const started = Date.now();
    const { code } = await svc.stop();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
