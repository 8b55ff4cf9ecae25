/**
 * Delivery tries against a real receiver: a 410 Gone and its log line, an items job's alerts sent
 * in one job, and each try's outcome in the recent alerts.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/logger.js';
import type { DeliverJob } from '../../../src/contracts/jobs.js';
import { samplePayload as payload } from '../../../src/deliver/payload.js';
import { BATCH_PARALLEL, handleDelivery } from '../../../src/pipeline/handle-delivery.js';
import { newSecret, startReceiver } from '../../helpers/loopback.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

const alert = (id: string): DeliverJob => ({
  kind: 'alert',
  webhookId: 'desk',
  fetchedAt: 0,
  payload: payload(id),
});
const IDS = ['msg_a', 'msg_b', 'msg_c', 'msg_d', 'msg_e', 'msg_f'];
const batch: DeliverJob = { kind: 'alerts', webhookId: 'desk', fetchedAt: 0, payloads: IDS.map(payload) };
const config = (prefix: string, url: string, secret: string) => `
redisPrefix: ${prefix}
watches: [{ id: nato, terms: [NATO] }]
webhooks:
  - id: desk
    url: ${url}
    secret: ${secret}
    retry: [2m, 10m]
`;

describe('delivering to an endpoint that answers 410 Gone', () => {
  it('disables it: later alerts give up without a request, until it is revived', async () => {
    let status = 410;
    const secret = newSecret();
    const receiver = await startReceiver(secret, () => status);
    const deps = pipelineDeps(
      server.client(),
      `
redisPrefix: gone
watches: [{ id: nato, terms: [NATO] }]
webhooks:
  - id: desk
    url: ${receiver.url}
    secret: ${secret}
`,
    );
    try {
      expect(await handleDelivery('msg_1', alert('msg_1'), deps)).toMatchObject({
        kind: 'give-up',
        error: { message: 'webhook desk answered 410 Gone' },
      });
      expect(await handleDelivery('msg_2', alert('msg_2'), deps)).toMatchObject({
        kind: 'give-up',
        error: { message: expect.stringContaining('disabled') },
      });
      expect(receiver.requests).toHaveLength(1);

      status = 204;
      await deps.breaker.revive('desk');
      expect(await handleDelivery('msg_2', alert('msg_2'), deps)).toEqual({ kind: 'delivered' });
      expect(receiver.requests.map((r) => r.json.data.alertId)).toEqual(['msg_1', 'msg_2']);
    } finally {
      await deps.close();
      await receiver.close();
    }
  });

  it("logs the disabled endpoint's URL with its signature masked", async () => {
    const secret = newSecret();
    const receiver = await startReceiver(secret, () => 410);
    const lines: string[] = [];
    const logged = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const url = `${receiver.url}/workflows/abc/invoke?api-version=1&sig=SIGsecret42`;
    const deps = {
      ...pipelineDeps(server.client(), config('gone-log', url, secret)),
      logger: createLogger('info', logged),
    };
    try {
      expect((await handleDelivery('msg_1', alert('msg_1'), deps)).kind).toBe('give-up');
      const records = lines.join('').split('\n').filter(Boolean);
      const disabled = records.map((l) => JSON.parse(l)).find((l) => /WEBHOOK DISABLED/.test(l.msg));
      expect(disabled).toMatchObject({
        webhook: 'desk',
        url: `${receiver.url}/workflows/abc/invoke?api-version=1&sig=[redacted]`,
      });
      expect(lines.join('')).not.toContain('SIGsecret42');
    } finally {
      await deps.close();
      await receiver.close();
    }
  });
});

/** A receiver answering `answer(n)` to the n-th request and the pipeline set up to deliver to it. */
async function withEndpoint(
  prefix: string,
  answer: (n: number) => number,
  test: (
    receiver: Awaited<ReturnType<typeof startReceiver>>,
    deps: ReturnType<typeof pipelineDeps>,
  ) => Promise<void>,
): Promise<void> {
  const secret = newSecret();
  const receiver = await startReceiver(secret, answer);
  const deps = pipelineDeps(server.client(), config(prefix, receiver.url, secret));
  try {
    await test(receiver, deps);
  } finally {
    await deps.close();
    await receiver.close();
  }
}

describe('delivering the alerts of one items job in one job', () => {
  it('sends each alert as its own signed POST and queues nothing more', () =>
    withEndpoint(
      'batch-ok',
      () => 204,
      async (receiver, deps) => {
        expect(await handleDelivery('alerts.1', batch, deps)).toEqual({ kind: 'delivered' });
        expect(receiver.requests.map((r) => r.json.data.alertId).sort()).toEqual(IDS);
        expect(
          receiver.requests.every((r) => r.verified && r.headers['webhook-id'] === r.json.data.alertId),
        ).toBe(true);
        expect(await deps.queues.deliver.count()).toBe(0);
      },
    ));

  it('stops at a failed try and hands the failed and untried alerts to jobs of their own', () =>
    withEndpoint(
      'batch-fail',
      (n) => (n === 1 ? 503 : 204),
      async (receiver, deps) => {
        expect(await handleDelivery('alerts.2', batch, deps)).toEqual({ kind: 'delivered' });
        // The tries already in flight finish; no new one starts after the failure.
        expect(receiver.requests).toHaveLength(BATCH_PARALLEL);
        const delivered = receiver.requests.filter((r) => r.status === 204).map((r) => r.json.data.alertId);
        const failed = receiver.requests.find((r) => r.status === 503)!.json.data.alertId;
        const jobs = await deps.queues.deliver.getJobs(['waiting', 'delayed']);
        expect(jobs.map((j) => j.id).sort()).toEqual(IDS.filter((id) => !delivered.includes(id)));
        const retried = jobs.find((j) => j.id === failed)!;
        // Its first try was made: the webhook's schedule goes on with the first delay and one try fewer.
        expect(retried.data).toMatchObject({ kind: 'alert', triesBefore: 1 });
        expect([retried.delay, retried.opts.attempts]).toEqual([120_000, 2]);
        for (const untried of jobs.filter((j) => j.id !== failed)) {
          expect(untried.data).not.toHaveProperty('triesBefore');
          expect([untried.delay, untried.opts.attempts]).toEqual([0, 3]);
        }
      },
    ));

  it('sends nothing while the endpoint has failures on record: every alert goes the single-alert way', () =>
    withEndpoint(
      'batch-held',
      () => 204,
      async (receiver, deps) => {
        await deps.breaker.failure('desk', 5, Date.now());
        expect(await handleDelivery('alerts.3', batch, deps)).toEqual({ kind: 'delivered' });
        expect(receiver.requests).toHaveLength(0);
        expect((await deps.queues.deliver.getJobs(['waiting'])).map((j) => j.id).sort()).toEqual(IDS);
      },
    ));

  it.each([
    ['refused with 410', 410, 'webhook desk answered 410 Gone'],
    ['refused with 400', 400, 'HTTP 400'],
  ])('sends an alert %s to the failed set without another request', (_, status, reason) =>
    withEndpoint(
      `batch-${status}`,
      (n) => (n === 1 ? status : 204),
      async (receiver, deps) => {
        await handleDelivery('alerts.4', batch, deps);
        const refused = receiver.requests.find((r) => r.status === status)!.json.data.alertId;
        const job = (await deps.queues.deliver.getJob(refused))!;
        expect([job.data, job.opts.attempts, job.delay]).toEqual([
          expect.objectContaining({ triesBefore: 1, failedFor: expect.stringContaining(reason) }),
          1,
          0,
        ]);
        const sent = receiver.requests.length;
        expect(await handleDelivery(refused, job.data, deps)).toMatchObject({
          kind: 'give-up',
          error: { message: expect.stringContaining(reason) },
        });
        expect(receiver.requests).toHaveLength(sent);
      },
    ),
  );

  it('sends an alert that failed in a batch to the failed set when its webhook allows no retries', async () => {
    const secret = newSecret();
    const receiver = await startReceiver(secret, (n) => (n === 1 ? 503 : 204));
    const deps = pipelineDeps(
      server.client(),
      config('batch-noretry', receiver.url, secret).replace('retry: [2m, 10m]', 'retry: []'),
    );
    try {
      await handleDelivery('alerts.5', batch, deps);
      const failed = receiver.requests.find((r) => r.status === 503)!.json.data.alertId;
      const job = (await deps.queues.deliver.getJob(failed))!;
      expect([job.data, job.opts.attempts]).toEqual([
        expect.objectContaining({ failedFor: expect.stringContaining('503') }),
        1,
      ]);
    } finally {
      await deps.close();
      await receiver.close();
    }
  });
});

describe('the delivery state of the recent alerts', () => {
  const states = async (deps: ReturnType<typeof pipelineDeps>, ids: string[]) =>
    Promise.all(ids.map(async (id) => (await deps.alerts.get(id))?.delivery));
  const record = (deps: ReturnType<typeof pipelineDeps>, ids: string[]) =>
    deps.alerts.record(
      ids.map((id) => ({ webhookId: 'desk', payload: payload(id) })),
      Date.now(),
    );

  it('is retrying after a failed try with tries left, failed when none are left, delivered once one goes through', () =>
    withEndpoint(
      'state-retry',
      (n) => (n === 4 ? 200 : 503),
      async (_receiver, deps) => {
        await record(deps, ['msg_r', 'msg_s']);
        // The schedule [2m, 10m] allows three tries.
        await handleDelivery('msg_r', alert('msg_r'), deps, 0);
        expect((await states(deps, ['msg_r']))[0]).toMatchObject({
          state: 'retrying',
          attempts: 1,
          statusCode: 503,
          lastError: 'webhook desk answered HTTP 503',
        });
        await handleDelivery('msg_r', alert('msg_r'), deps, 2);
        expect((await states(deps, ['msg_r']))[0]).toMatchObject({ state: 'failed', attempts: 2 });
        await handleDelivery('msg_s', alert('msg_s'), deps, 2);
        await handleDelivery('msg_r', alert('msg_r'), deps, 0);
        const [r] = await states(deps, ['msg_r']);
        expect(r).toMatchObject({ state: 'delivered', attempts: 3, statusCode: 200 });
        expect(r?.deliveredAt).toBeGreaterThan(0);
      },
    ));

  it('is dead when the endpoint answers 410, and for the alerts (alone or in a digest) that find it disabled', () =>
    withEndpoint(
      'state-gone',
      () => 410,
      async (receiver, deps) => {
        await record(deps, ['msg_g', 'msg_h', 'msg_i']);
        await handleDelivery('msg_g', alert('msg_g'), deps);
        await handleDelivery('msg_h', alert('msg_h'), deps);
        const route = await deps.digests.route({ id: 'desk', digest: 60_000 }, Date.now());
        if (route.kind !== 'digest') throw new Error('a webhook with digest routes to a window');
        await deps.digests.add(route.window, payload('msg_i'));
        const { key, start, end } = route.window;
        await handleDelivery(
          'dig_1',
          { kind: 'digest', webhookId: 'desk', key, window: { start, end } },
          deps,
        );
        expect(receiver.requests).toHaveLength(1);
        const [g, h, i] = await states(deps, ['msg_g', 'msg_h', 'msg_i']);
        expect(g).toMatchObject({ state: 'dead', attempts: 1, statusCode: 410 });
        expect(h).toMatchObject({ state: 'dead', attempts: 0 });
        expect(h?.lastError).toMatch(/disabled/);
        expect(i).toMatchObject({ state: 'dead', attempts: 0 });
      },
    ));

  it('is delivered for every alert of a digest that went through', () =>
    withEndpoint(
      'state-digest',
      () => 204,
      async (receiver, deps) => {
        await record(deps, ['msg_x', 'msg_y']);
        const route = await deps.digests.route({ id: 'desk', digest: 60_000 }, Date.now());
        if (route.kind !== 'digest') throw new Error('a webhook with digest routes to a window');
        for (const id of ['msg_x', 'msg_y']) await deps.digests.add(route.window, payload(id));
        const { key, start, end } = route.window;
        await handleDelivery(
          'dig_2',
          { kind: 'digest', webhookId: 'desk', key, window: { start, end } },
          deps,
        );
        expect(receiver.requests).toHaveLength(1);
        const delivered = await states(deps, ['msg_x', 'msg_y']);
        expect(delivered.map((d) => [d?.state, d?.attempts])).toEqual([
          ['delivered', 1],
          ['delivered', 1],
        ]);
      },
    ));

  it('settles each alert of a batch on its own: delivered, retrying, or still queued when not tried', () =>
    withEndpoint(
      'state-batch',
      (n) => (n === 1 ? 503 : 204),
      async (receiver, deps) => {
        await record(deps, IDS);
        await handleDelivery('alerts.6', batch, deps);
        const byId = Object.fromEntries((await states(deps, IDS)).map((d, i) => [IDS[i], d?.state]));
        const answered = new Map(receiver.requests.map((r) => [r.json.data.alertId as string, r.status]));
        for (const id of IDS) {
          const expected = !answered.has(id) ? 'queued' : answered.get(id) === 204 ? 'delivered' : 'retrying';
          expect(byId[id], id).toBe(expected);
        }
      },
    ));
});
