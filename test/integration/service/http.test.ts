/** The operations endpoint of a running service: health, readiness, metrics and the optional dashboard. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startService, writeConfig, type ServiceProcess } from '../../helpers/service.js';

const TOKEN = 'correct-horse-battery-staple';
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

let redis: TestRedis;
let svc: ServiceProcess;
let plain: ServiceProcess;
const url = (s: ServiceProcess, path: string) => `http://127.0.0.1:${s.port}${path}`;

beforeAll(async () => {
  redis = await startRedis();
  const watches = 'watches: [{ id: a, terms: [a] }]\n';
  [svc, plain] = await Promise.all([
    startService({
      config: writeConfig(`${watches}dashboard: { enabled: true, token: "${TOKEN}" }\n`),
      redisUrl: redis.url,
    }),
    startService({ config: writeConfig(watches), redisUrl: redis.url }),
  ]);
});
afterAll(async () => {
  await Promise.all([svc?.stop(), plain?.stop()]);
  await redis.stop();
});

describe('the HTTP endpoint', () => {
  it('answers /healthz and /readyz while Redis and the workers run', async () => {
    expect((await fetch(url(svc, '/healthz'))).status).toBe(200);
    expect((await fetch(url(svc, '/readyz'))).status).toBe(200);
    expect((await fetch(url(svc, '/nothing'))).status).toBe(404);
  });

  it('exports Prometheus metrics, queue depths among them', async () => {
    const res = await fetch(url(svc, '/metrics'));
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE mediawatch_alerts_sent_total counter/m);
    expect(text).toMatch(/^mediawatch_queue_depth\{queue="deliver",state="waiting"\} 0/m);
    expect(text).toMatch(/^# TYPE mediawatch_publish_to_alert_seconds histogram/m);
  });

  it('serves no dashboard unless the config enables it', async () => {
    expect((await fetch(url(plain, '/admin/queues'))).status).toBe(404);
  });

  it('keeps the dashboard behind its token', async () => {
    expect((await fetch(url(svc, '/admin/queues'))).status).toBe(401);
    expect(
      (await fetch(url(svc, '/admin/queues'), { headers: { authorization: basic('wrong-token-guess') } }))
        .status,
    ).toBe(401);
    const page = await fetch(url(svc, '/admin/queues'), { headers: { authorization: basic(TOKEN) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await fetch(url(svc, '/admin/queues/api/queues'), {
      headers: { authorization: basic(TOKEN) },
    });
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['deliver', 'items', 'poll']);
  });
});
