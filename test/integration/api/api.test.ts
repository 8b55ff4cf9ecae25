/**
 * The HTTP API of two running services sharing one Redis: tokens and scopes, the live
 * configuration's entries with ETags, validation errors, the audit log, propagation to the other
 * process within 2 s, a concurrent edit from both, and the OpenAPI document.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveConfigStore } from '../../../src/config/live-store.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startService, writeConfig, type ServiceProcess } from '../../helpers/service.js';
import { waitFor } from '../../helpers/wait.js';

const WRITE = 'desk-token-0123456789abcdef';
const READ = 'reader-token-0123456789';
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const CONFIG = `
api:
  tokens:
    - { name: desk, token: "\${MW_TEST_TOKEN}", scope: write }
    - { name: viewer, token: "${READ}", scope: read }
  maxBodyBytes: 4096
watches:
  - { id: alpha, terms: [alpha] }
  - { id: beta, terms: [beta] }
webhooks:
  - { id: hook, url: "http://127.0.0.1:9/x", secret: "${SECRET}", watches: [alpha] }
`;

let redis: TestRedis;
let a: ServiceProcess;
let b: ServiceProcess;

/** What the API answers, as far as these tests read it. */
interface Body {
  items: ({ id: string; before?: Record<string, unknown>; after?: Record<string, unknown> } & Record<
    string,
    unknown
  >)[];
  error: { code: string; message: string; path?: string };
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown }>>;
  [key: string]: unknown;
}

async function call(
  svc: ServiceProcess,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`http://127.0.0.1:${svc.port}/api/v1${path}`, {
    method,
    headers,
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Body };
}

beforeAll(async () => {
  redis = await startRedis();
  const config = writeConfig(CONFIG);
  a = await startService({ config, redisUrl: redis.url, env: { MW_TEST_TOKEN: WRITE } });
  b = await startService({ config, redisUrl: redis.url, env: { MW_TEST_TOKEN: WRITE } });
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

describe('the API', () => {
  it('refuses a request without a token or with a wrong one (401), and a write with a read token (403)', async () => {
    expect((await call(a, 'GET', '/watches')).status).toBe(401);
    const wrong = await call(a, 'GET', '/watches', { token: 'not-the-token-at-all' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('unauthorized');
    expect((await call(a, 'GET', '/watches', { token: READ })).status).toBe(200);
    const write = await call(a, 'POST', '/watches', { token: READ, body: { id: 'gamma', terms: ['gamma'] } });
    expect(write.status).toBe(403);
    expect(write.json.error.message).toMatch(/"viewer" may only read/);
    expect((await call(a, 'GET', '/whoami', { token: WRITE })).json).toEqual({
      name: 'desk',
      scope: 'write',
    });
  });

  it('lists the entries the file seeded, a webhook\'s secret only as "set"', async () => {
    const list = await call(a, 'GET', '/watches', { token: READ });
    expect(list.json.items.map((w) => w.id)).toEqual(['alpha', 'beta']);
    expect(list.headers.get('etag')).toMatch(/^".+"$/);
    const hook = await call(a, 'GET', '/webhooks/hook', { token: READ });
    expect(hook.json).toMatchObject({ id: 'hook', secret: 'set', watches: ['alpha'] });
    expect(JSON.stringify(hook.json)).not.toContain(SECRET);
  });

  it("shows a webhook's URL with its signature masked, and keeps the stored URL when it comes back masked", async () => {
    const url = 'https://prod-01.example.org/workflows/abc/invoke?api-version=1&sig=SIGsecret42';
    const created = await call(a, 'POST', '/webhooks', {
      token: WRITE,
      body: { id: 'teams', format: 'teams', url, watches: ['alpha'] },
    });
    expect(created.status).toBe(201);
    try {
      const masked = 'https://prod-01.example.org/workflows/abc/invoke?api-version=1&sig=[redacted]';
      expect(created.json.url).toBe(masked);
      const listed = await call(b, 'GET', '/webhooks', { token: READ });
      expect(listed.json.items.find((h) => h.id === 'teams')?.url).toBe(masked);

      const read = await call(a, 'GET', '/webhooks/teams', { token: READ });
      const put = await call(a, 'PUT', '/webhooks/teams', {
        token: WRITE,
        headers: { 'if-match': read.headers.get('etag')! },
        body: { ...read.json, secret: undefined, watches: ['alpha', 'beta'] },
      });
      expect(put.status).toBe(200);
      const live = await createLiveConfigStore(redis.client(), { prefix: 'mw', auditMaxEntries: 100 }).read();
      expect(live?.doc.webhooks.find((h) => h.id === 'teams')).toMatchObject({
        url,
        watches: ['alpha', 'beta'],
      });
      const history = await call(a, 'GET', '/config/history?limit=5', { token: READ });
      expect(JSON.stringify([created, listed, read, put, history].map((r) => r.json))).not.toContain(
        'SIGsecret42',
      );
    } finally {
      await call(a, 'DELETE', '/webhooks/teams', { token: WRITE });
    }
  });

  it('creates a watch (201, Location, ETag) that the other process runs within 2 s', async () => {
    const created = await call(a, 'POST', '/watches', {
      token: WRITE,
      body: { id: 'gamma', terms: ['gamma ray'] },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/watches/gamma');
    expect(created.headers.get('etag')).toMatch(/^".+"$/);
    const reloadedOnB = () =>
      b
        .events()
        .some(
          (e) => e.msg === 'config reloaded' && e.why === 'live configuration changed' && e.watches === 3,
        );
    await waitFor(reloadedOnB, 2_000, 'the other process to run the new watch');
    expect((await call(b, 'GET', '/watches/gamma', { token: READ })).json).toEqual({
      id: 'gamma',
      terms: ['gamma ray'],
    });
  });

  it('refuses a watch id that exists already (409)', async () => {
    const res = await call(a, 'POST', '/watches', { token: WRITE, body: { id: 'alpha', terms: ['other'] } });
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'conflict', path: 'id' });
  });

  it('points at the column of a bad query with a caret, as check-config does', async () => {
    const res = await call(a, 'POST', '/watches', {
      token: WRITE,
      body: { id: 'bad', query: '"open quote AND x' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid');
    expect(res.json.error.path).toBe('query');
    expect(res.json.error.message).toMatch(/watch "bad": .+\n {2}"open quote AND x\n {2}\^/);
  });

  it('refuses an unknown key with its path', async () => {
    const res = await call(a, 'POST', '/feeds', {
      token: WRITE,
      body: { id: 'f', url: 'https://example.org/a.rss', colour: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      code: 'invalid',
      path: 'colour',
      message: 'body colour: unknown key "colour"',
    });
  });

  it('refuses a body over the configured cap (413)', async () => {
    const res = await call(a, 'POST', '/watches', {
      token: WRITE,
      body: { id: 'big', terms: ['x'.repeat(5000)] },
    });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('too-large');
  });

  it('refuses to delete a watch a webhook still names (409), and deletes one no webhook names', async () => {
    const res = await call(a, 'DELETE', '/watches/alpha', { token: WRITE });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toMatch(/webhook "hook"/);
    expect((await call(a, 'DELETE', '/watches/beta', { token: WRITE })).status).toBe(204);
    expect((await call(a, 'GET', '/watches/beta', { token: READ })).status).toBe(404);
  });

  it('refuses a write with a stale If-Match (412)', async () => {
    const read = await call(a, 'GET', '/watches/gamma', { token: READ });
    const etag = read.headers.get('etag')!;
    const first = await call(a, 'PUT', '/watches/gamma', {
      token: WRITE,
      body: { id: 'gamma', terms: ['gamma', 'ray'] },
      headers: { 'if-match': etag },
    });
    expect(first.status).toBe(200);
    const stale = await call(a, 'PUT', '/watches/gamma', {
      token: WRITE,
      body: { id: 'gamma', terms: ['lost'] },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe('stale');
  });

  it('lets exactly one of two processes win a concurrent edit of the same version', async () => {
    const etag = (await call(a, 'GET', '/watches/gamma', { token: READ })).headers.get('etag')!;
    const edits = await Promise.all(
      [a, b].map((svc, i) =>
        call(svc, 'PUT', '/watches/gamma', {
          token: WRITE,
          body: { id: 'gamma', terms: [`edit ${i}`] },
          headers: { 'if-match': etag },
        }),
      ),
    );
    expect(edits.map((e) => e.status).sort()).toEqual([200, 412]);
    const winner = edits.find((e) => e.status === 200)!.json as unknown;
    expect((await call(b, 'GET', '/watches/gamma', { token: READ })).json).toEqual(winner);
  });

  it("keeps a webhook's secret when a change leaves it out, and records who changed what without the secret", async () => {
    const put = await call(a, 'PUT', '/webhooks/hook', {
      token: WRITE,
      body: { id: 'hook', url: 'http://127.0.0.1:9/y', watches: ['alpha', 'gamma'] },
    });
    expect(put.status).toBe(200);
    expect(put.json.secret).toBe('set');
    const history = await call(a, 'GET', '/config/history?limit=50', { token: READ });
    const change = history.json.items[0];
    expect(change).toMatchObject({ who: 'desk', action: 'update', list: 'webhooks', id: 'hook' });
    expect(change.before?.url).toBe('http://127.0.0.1:9/x');
    expect(change.after?.url).toBe('http://127.0.0.1:9/y');
    expect(JSON.stringify(history.json)).not.toContain(SECRET);
    expect(a.log() + b.log()).not.toContain(SECRET);
    expect(a.log() + b.log()).not.toContain(WRITE);
  });

  it('refuses to test-send to a private address the network allow-list does not allow', async () => {
    const res = await call(a, 'POST', '/webhooks/hook/test', { token: WRITE, body: {} });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ delivered: false, error: { code: 'blocked-address' } });
    expect(JSON.stringify(res.json)).not.toContain(SECRET);
  });

  it('survives a restart of every process with the changes made through the API', async () => {
    await Promise.all([a.stop(), b.stop()]);
    a = await startService({
      config: writeConfig(CONFIG),
      redisUrl: redis.url,
      env: { MW_TEST_TOKEN: WRITE },
    });
    const ids = (await call(a, 'GET', '/watches', { token: READ })).json.items.map((w) => w.id);
    expect(ids).toEqual(['alpha', 'gamma']);
    b = await startService({
      config: writeConfig(CONFIG),
      redisUrl: redis.url,
      env: { MW_TEST_TOKEN: WRITE },
    });
  }, 120_000);

  it('documents every route in its OpenAPI 3.1 document', async () => {
    const doc = (await call(a, 'GET', '/openapi.json')).json;
    expect(doc.openapi).toMatch(/^3\.1/);
    const routes = [
      '/watches',
      '/watches/{id}',
      '/webhooks',
      '/webhooks/{id}',
      '/feeds',
      '/feeds/{id}',
      '/watches/preview',
      '/feeds/health',
      '/feeds/check',
      '/stories/{id}',
      '/whoami',
      '/config/history',
      '/alerts',
      '/alerts/{id}/replay',
      '/webhooks/{id}/test',
    ];
    for (const r of routes) expect(Object.keys(doc.paths)).toContain(`/api/v1${r}`);
    expect(doc.paths['/api/v1/watches'].post.requestBody).toBeDefined();
    // The console's pages and files are not part of the API.
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
  });
});
