/** One delivery try against a real receiver: what a 410 Gone does to the endpoint's later alerts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliverJob } from '../../../src/contracts/jobs.js';
import { buildPayload } from '../../../src/deliver/payload.js';
import { handleDelivery } from '../../../src/pipeline/handle-delivery.js';
import { newSecret, startReceiver } from '../../helpers/loopback.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

const alert = (id: string): DeliverJob => ({
  kind: 'alert', webhookId: 'desk', fetchedAt: 0,
  payload: buildPayload({
    alertId: id, storyId: 'st', feed: { id: 'f', url: 'https://x.example/f' },
    item: { key: id, title: `Item ${id}`, summary: '', content: '' }, watches: [], update: false, now: 0,
  }),
});

describe('delivering to an endpoint that answers 410 Gone', () => {
  it('disables it: later alerts give up without a request, until it is revived', async () => {
    let status = 410;
    const secret = newSecret();
    const receiver = await startReceiver(secret, () => status);
    const deps = pipelineDeps(server.client(), `
redisPrefix: gone
watches: [{ id: nato, terms: [NATO] }]
webhooks:
  - id: desk
    url: ${receiver.url}
    secret: ${secret}
`);
    try {
      expect(await handleDelivery('msg_1', alert('msg_1'), deps)).toMatchObject({ kind: 'give-up', error: { message: 'webhook desk answered 410 Gone' } });
      expect(await handleDelivery('msg_2', alert('msg_2'), deps)).toMatchObject({ kind: 'give-up', error: { message: expect.stringContaining('disabled') } });
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
});
