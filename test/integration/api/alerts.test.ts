/**
 * The recent alerts through the API of a running service (a private Redis, loopback feeds and
 * receivers): every alert listed with its delivery state, filtered and paged; a failed one
 * replayed once its receiver recovers; a signed sample alert sent to a webhook on request; the
 * count bound; and the read token's refusals.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../../src/deliver/sign.js';
import { newSecret, startFeedServer, startReceiver } from '../../helpers/loopback.js';
import { macronFeed } from '../../helpers/newsroom.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startService, writeConfig, type ServiceProcess } from '../../helpers/service.js';
import { waitFor } from '../../helpers/wait.js';

const WRITE = 'desk-token-0123456789abcdef';
const READ = 'reader-token-0123456789';

/** Two stories of their own that mention Olaf Scholz, as RSS. */
const SCHOLZ = [
  [
    'Olaf Scholz opens the new Elbe bridge in Hamburg',
    'Crowds gathered along the river as Olaf Scholz cut the ribbon on a rainy Tuesday morning.',
  ],
  [
    'Budget talks: Olaf Scholz rejects the tax proposal',
    "In a heated parliamentary session Olaf Scholz dismissed the opposition's fiscal plan outright.",
  ],
];
const scholzFeed = () =>
  '<?xml version="1.0"?><rss version="2.0"><channel><title>local</title>' +
  SCHOLZ.map(
    ([title, text], i) =>
      `<item><title>${title}</title><link>https://local.example.com/${i}.html</link>` +
      `<guid>https://local.example.com/${i}.html</guid><description>${text}</description></item>`,
  ).join('') +
  '</channel></rss>';

interface AlertView {
  alertId: string;
  webhookId: string;
  watches: { id: string }[];
  item: { title: string; url: string | null };
  state: string;
  attempts: number;
  replays: number;
  statusCode?: number;
  lastError?: string;
  deliveredAt?: string;
}
interface Body {
  items: AlertView[];
  nextCursor?: string;
  error: { code: string; message: string; path?: string };
  [key: string]: unknown;
}

let redis: TestRedis;
let svc: ServiceProcess;
let configPath: string;
let configYaml: string;
let deskAnswer = 400;
const deskSecret = newSecret();
const archiveSecret = newSecret();
const closers: (() => Promise<unknown>)[] = [];
let feeds: Awaited<ReturnType<typeof startFeedServer>>;
let desk: Awaited<ReturnType<typeof startReceiver>>;
let archive: Awaited<ReturnType<typeof startReceiver>>;

async function call(method: string, path: string, token = WRITE) {
  const res = await fetch(`http://127.0.0.1:${svc.port}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(method === 'POST' && { 'content-type': 'application/json' }),
    },
    body: method === 'POST' ? '{}' : undefined,
  });
  return { status: res.status, json: (await res.json()) as Body };
}

const list = async (query = '') => (await call('GET', `/alerts${query}`)).json.items;

beforeAll(async () => {
  redis = await startRedis();
  feeds = await startFeedServer();
  desk = await startReceiver(deskSecret, () => deskAnswer);
  archive = await startReceiver(archiveSecret, () => 200);
  closers.push(feeds.close, desk.close, archive.close);
  feeds.set('/world.xml', { body: macronFeed('world', 3).xml });
  feeds.set('/local.xml', { body: scholzFeed() });
  configYaml = `
schedule: "* * * * * *"
network:
  allowPrivateAddresses: true
api:
  tokens:
    - { name: desk, token: "${WRITE}", scope: write }
    - { name: viewer, token: "${READ}", scope: read }
feeds:
  - { id: world, url: "${feeds.url('/world.xml')}" }
  - { id: local, url: "${feeds.url('/local.xml')}" }
watches:
  - { id: macron, terms: [Macron] }
  - { id: scholz, terms: [Olaf Scholz] }
webhooks:
  - { id: desk, url: "${desk.url}", secret: "${deskSecret}", breakerThreshold: 100 }
  - { id: archive, url: "${archive.url}", secret: "${archiveSecret}", watches: [scholz] }
`;
  configPath = writeConfig(configYaml);
  svc = await startService({ config: configPath, redisUrl: redis.url });
  // Desk refuses (400: not retried) its 5 alerts; the archive takes its 2.
  await waitFor(
    async () => {
      const all = await list('?limit=200');
      return all.length === 7 && all.every((a) => a.state !== 'queued');
    },
    45_000,
    'the first polls’ alerts to settle',
  );
}, 120_000);
afterAll(async () => {
  await svc?.stop();
  await Promise.all(closers.map((c) => c()));
  await redis?.stop();
});

describe('recent alerts through the API', () => {
  it('lists every alert newest first with its delivery state, webhook, watches and item', async () => {
    const all = await list('?limit=200');
    expect(all.filter((a) => a.webhookId === 'desk').map((a) => a.state)).toEqual(Array(5).fill('failed'));
    const failed = all.find((a) => a.webhookId === 'desk')!;
    expect(failed).toMatchObject({ attempts: 1, statusCode: 400, replays: 0 });
    expect(failed.lastError).toMatch(/webhook desk answered HTTP 400/);
    const delivered = all.filter((a) => a.webhookId === 'archive');
    expect(delivered.map((a) => a.state)).toEqual(['delivered', 'delivered']);
    expect(delivered[0]).toMatchObject({ attempts: 1, statusCode: 200, watches: [{ id: 'scholz' }] });
    expect(delivered[0].item.title).toMatch(/Olaf Scholz/);
    expect(delivered[0].deliveredAt).toBeDefined();
  });

  it('filters by webhook, watch and delivery state, and pages with a cursor', async () => {
    expect((await list('?webhook=archive')).length).toBe(2);
    expect((await list('?watch=scholz')).map((a) => a.webhookId).sort()).toEqual([
      'archive',
      'archive',
      'desk',
      'desk',
    ]);
    expect((await list('?watch=macron&webhook=desk&state=failed')).length).toBe(3);
    expect((await list('?state=delivered&webhook=desk')).length).toBe(0);
    expect(
      (await list(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).length,
    ).toBe(0);
    expect((await list('?since=1h')).length).toBe(7);

    const all = (await list()).map((a) => a.alertId);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await call('GET', `/alerts?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json;
      expect(page.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.items.map((a) => a.alertId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('refuses a bad query with the field it names (400)', async () => {
    for (const [query, path] of [
      ['state=lost', 'state'],
      ['since=yesterday', 'since'],
      ['cursor=not-a-cursor', 'cursor'],
      ['limit=0', 'limit'],
      ['colour=red', 'colour'],
    ]) {
      const res = await call('GET', `/alerts?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'invalid', path });
    }
  });

  it('refuses replay and test-send to a read token (403)', async () => {
    const [one] = await list();
    expect((await call('POST', `/alerts/${one.alertId}/replay`, READ)).status).toBe(403);
    expect((await call('POST', '/webhooks/desk/test', READ)).status).toBe(403);
    expect(desk.requests.length + archive.requests.length).toBe(7);
  });

  it('replays a failed alert once its receiver recovers: delivered, signed afresh, and audited', async () => {
    expect((await call('POST', '/alerts/msg_unknown/replay')).status).toBe(404);
    const [failed] = await list('?webhook=desk&state=failed&limit=1');
    deskAnswer = 200;
    const res = await call('POST', `/alerts/${failed.alertId}/replay`);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ alertId: failed.alertId, webhookId: 'desk', replay: 'retried' });
    await waitFor(() => desk.delivered().length === 1, 15_000, 'the replayed alert at the receiver');
    const [got] = desk.delivered();
    expect(got.verified).toBe(true);
    expect(got.headers['webhook-id']).toBe(failed.alertId);
    expect((got.json as { data: { alertId: string } }).data.alertId).toBe(failed.alertId);
    const first = desk.requests.find((r) => r.headers['webhook-id'] === failed.alertId)!;
    // Signed again when sent again: a timestamp of its own, not the refused try's.
    expect(desk.requests.indexOf(got)).toBeGreaterThan(desk.requests.indexOf(first));
    expect(Number(got.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(
      Number(first.headers['webhook-timestamp']),
    );
    await waitFor(
      async () => (await list(`?webhook=desk&state=delivered`)).some((a) => a.alertId === failed.alertId),
      15_000,
      'the replayed alert to be recorded as delivered',
    );
    const after = (await list('?webhook=desk&state=delivered'))[0];
    expect(after).toMatchObject({ attempts: 2, replays: 1, statusCode: 200 });
    const history = (await call('GET', '/config/history?limit=5')).json.items as unknown as Record<
      string,
      unknown
    >[];
    expect(history[0]).toMatchObject({ who: 'desk', action: 'replay', list: 'alerts', id: failed.alertId });
  });

  it('sends a signed sample alert to a webhook on request and tells how the receiver answered', async () => {
    const res = await call('POST', '/webhooks/archive/test');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ delivered: true, statusCode: 200 });
    const sent = archive.requests.find((r) => r.headers['webhook-id'] === res.json.alertId)!;
    expect(sent.verified).toBe(true);
    const headers = Object.fromEntries(Object.entries(sent.headers).map(([k, v]) => [k, String(v)]));
    expect(verify(archiveSecret, headers, sent.body)).toBe(true);
    expect(verify(deskSecret, headers, sent.body)).toBe(false);
    expect((sent.json as { type: string }).type).toBe('mention.detected');

    deskAnswer = 503;
    const refused = await call('POST', '/webhooks/desk/test');
    expect(refused.json).toMatchObject({ delivered: false, statusCode: 503 });
    expect(refused.json.error).toMatchObject({ code: 'delivery' });
    expect((await call('POST', '/webhooks/nobody/test')).status).toBe(404);
    // A test alert is not an alert: it is not recorded.
    expect((await list('?limit=200')).length).toBe(7);
  });

  it('keeps at most alerts.maxAlerts, the newest, once the file lowers the cap', async () => {
    deskAnswer = 200;
    fs.writeFileSync(configPath, `${configYaml}alerts:\n  maxAlerts: 3\n`);
    await waitFor(
      () => svc.events().some((e) => e.msg === 'config reloaded' && e.why === 'file changed'),
      15_000,
      'the service to reload its file',
    );
    const next = macronFeed('world', 4);
    feeds.set('/world.xml', { body: next.xml });
    await waitFor(
      () =>
        desk
          .delivered()
          .some((d) => (d.json as { data: { item: { url: string } } }).data.item.url === next.items[3].url),
      45_000,
      'the new item’s alert',
    );
    const kept = await list('?limit=200');
    expect(kept.length).toBe(3);
    expect(kept[0].item.url).toBe(next.items[3].url);
  });
});
