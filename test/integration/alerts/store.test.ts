/** The recent-alerts store against a real Redis: bounds, delivery state, filters and pages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createAlertStore, type AlertStore } from '../../../src/alerts/store.js';
import type { AlertPayload } from '../../../src/contracts/webhook.js';
import { samplePayload } from '../../../src/deliver/payload.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
afterAll(() => server.stop());

const DAY = 86_400_000;

function storeFor(prefix: string, maxAlerts = 1_000, retentionMs = DAY, scanPerList?: number): AlertStore {
  return createAlertStore(redis, { prefix, limits: () => ({ retentionMs, maxAlerts }), scanPerList });
}

function alert(id: string, watch = 'macron'): AlertPayload {
  const p = samplePayload(id);
  return { ...p, data: { ...p.data, watches: [{ id: watch, label: watch, matches: [] }] } };
}

const ids = (page: { items: { alertId: string }[] }) => page.items.map((a) => a.alertId);

describe('the recent-alerts store', () => {
  it('records an alert once as queued: a retried items job raising it again changes nothing', async () => {
    const store = storeFor('s1');
    await store.record([{ webhookId: 'desk', payload: alert('msg_a') }], 1_000);
    await store.update(['msg_a'], { state: 'delivered', tried: true, statusCode: 200 }, 2_000);
    await store.record([{ webhookId: 'desk', payload: alert('msg_a') }], 3_000);
    const a = await store.get('msg_a');
    expect(a).toMatchObject({ webhookId: 'desk', raisedAt: 1_000 });
    expect(a?.delivery).toEqual({
      state: 'delivered',
      attempts: 1,
      updatedAt: 2_000,
      deliveredAt: 2_000,
      statusCode: 200,
    });
  });

  it('counts tries and keeps the last error and status through retries and a replay', async () => {
    const store = storeFor('s2');
    await store.record([{ webhookId: 'desk', payload: alert('msg_b') }], 0);
    const error = 'webhook desk answered HTTP 503';
    await store.update(['msg_b'], { state: 'retrying', tried: true, error, statusCode: 503 }, 10);
    await store.update(['msg_b'], { state: 'failed', tried: true, error, statusCode: 503 }, 20);
    await store.update(['msg_b'], { state: 'queued', replay: true }, 30);
    expect((await store.get('msg_b'))?.delivery).toEqual({
      state: 'queued',
      attempts: 2,
      updatedAt: 30,
      lastError: error,
      statusCode: 503,
      replays: 1,
    });
  });

  it('does not bring back a forgotten alert when its delivery settles', async () => {
    const store = storeFor('s3', 1);
    await store.record([{ webhookId: 'desk', payload: alert('msg_old') }], 0);
    await store.record([{ webhookId: 'desk', payload: alert('msg_new') }], 1);
    await store.update(['msg_old'], { state: 'delivered', tried: true, statusCode: 200 }, 2);
    expect(await store.get('msg_old')).toBeUndefined();
    expect(await redis.hlen('s3:alerts:{s3:alerts}:states')).toBe(1);
  });

  it('keeps at most maxAlerts, the newest, and none older than the retention', async () => {
    const store = storeFor('s4', 3, 1_000);
    for (let i = 0; i < 5; i++)
      await store.record([{ webhookId: 'desk', payload: alert(`msg_${i}`) }], 100 + i);
    expect(ids(await store.list({ limit: 10 }, 200))).toEqual(['msg_4', 'msg_3', 'msg_2']);
    // Past the retention, an alert is not listed, and the next write forgets it.
    expect(ids(await store.list({ limit: 10 }, 1_104))).toEqual(['msg_4']);
    await store.record([{ webhookId: 'desk', payload: alert('msg_5') }], 1_104);
    expect(await redis.zcard('s4:alerts:{s4:alerts}:index')).toBe(2);
    expect(await redis.hlen('s4:alerts:{s4:alerts}:alerts')).toBe(2);
  });

  it('forgets at most a thousand alerts per write when the cap is lowered, the rest on the next', async () => {
    let maxAlerts = 3_000;
    const store = createAlertStore(redis, {
      prefix: 's6',
      limits: () => ({ retentionMs: DAY, maxAlerts }),
    });
    for (let batch = 0; batch < 5; batch++)
      await store.record(
        Array.from({ length: 500 }, (_, i) => ({
          webhookId: 'desk',
          payload: alert(`msg_${batch}_${i}`),
        })),
        batch,
      );
    maxAlerts = 10;
    const count = () => redis.zcard('s6:alerts:{s6:alerts}:index');
    await store.record([{ webhookId: 'desk', payload: alert('msg_new_1') }], 10);
    expect(await count()).toBe(1_501);
    await store.record([{ webhookId: 'desk', payload: alert('msg_new_2') }], 11);
    expect(await count()).toBe(502);
    await store.record([{ webhookId: 'desk', payload: alert('msg_new_3') }], 12);
    expect(await count()).toBe(10);
    expect(await redis.hlen('s6:alerts:{s6:alerts}:states')).toBe(10);
    expect(ids(await store.list({ limit: 3 }, 13))).toEqual(['msg_new_3', 'msg_new_2', 'msg_new_1']);
  });

  it('pages newest first with a cursor, through alerts raised at the same moment, under filters', async () => {
    const store = storeFor('s5');
    // 450 alerts, three at each moment, on two webhooks and two watches: more than one Redis page.
    const raised = Array.from({ length: 450 }, (_, i) => ({
      id: `msg_${String(i).padStart(3, '0')}`,
      at: 1_000 + Math.floor(i / 3),
      webhookId: i % 2 === 0 ? 'desk' : 'archive',
      watch: i % 5 === 0 ? 'scholz' : 'macron',
    }));
    for (const r of raised)
      await store.record([{ webhookId: r.webhookId, payload: alert(r.id, r.watch) }], r.at);
    await store.update(['msg_010', 'msg_020'], { state: 'failed', tried: true, error: 'HTTP 400' }, 5_000);

    const walk = async (query: { webhook?: string; watch?: string; sinceMs?: number }) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ ...query, limit: 7, cursor }, 5_000);
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const newestFirst = (rs: typeof raised) =>
      [...rs].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((r) => r.id);

    expect(await walk({})).toEqual(newestFirst(raised));
    expect(await walk({ webhook: 'archive', watch: 'scholz' })).toEqual(
      newestFirst(raised.filter((r) => r.webhookId === 'archive' && r.watch === 'scholz')),
    );
    expect(await walk({ sinceMs: 1_140 })).toEqual(newestFirst(raised.filter((r) => r.at >= 1_140)));
    expect(ids(await store.list({ state: 'failed', limit: 10 }, 5_000))).toEqual(['msg_020', 'msg_010']);

    // A rare filter answers after a bounded scan (here 200 of the 450), with a cursor that goes
    // on where it stopped.
    const bounded = storeFor('s5', 1_000, DAY, 200);
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await bounded.list({ state: 'failed', limit: 10, cursor }, 5_000);
      pages.push(ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([[], [], ['msg_020', 'msg_010']]);
  });
});
