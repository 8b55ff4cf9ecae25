/**
 * The scheduler's review against two loopback hubs and the real callback route on a fastify
 * server: a feed that moves to another hub is unsubscribed from the old one and subscribed to the
 * new one, with a new secret, each confirmed through the callback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../../src/service/http-server.js';
import { registerWebsub, reviewSubscriptions } from '../../../src/websub/index.js';
import { waitFor } from '../../helpers/loopback.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { freePort, startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startHub } from '../../helpers/websub-hub.js';

const TOPIC = 'https://news.example.com/world.atom';
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

describe('a feed that changes hubs', () => {
  it('is unsubscribed from the old hub and subscribed to the new one', async () => {
    const [oldHub, newHub] = [await startHub(), await startHub()];
    const port = await freePort();
    const deps = pipelineDeps(
      redis.client(),
      `
websub: { callbackBase: "http://127.0.0.1:${port}" }
feeds: [{ id: world, url: "${TOPIC}" }]
watches: [{ id: w, terms: ["x"] }]
`,
    );
    const server = await startHttpServer({
      port,
      host: '127.0.0.1',
      ready: () => true,
      registry: deps.metrics.registry,
      extend: (app) => registerWebsub(app, deps),
    });
    try {
      await deps.websub.update('world', { wantedHub: oldHub.url, wantedTopic: TOPIC });
      await reviewSubscriptions(deps);
      await waitFor(() => oldHub.active(TOPIC).length === 1, 10_000, 'the subscription at the old hub');

      await deps.websub.update('world', { wantedHub: newHub.url });
      await reviewSubscriptions(deps);
      await waitFor(
        () => oldHub.active(TOPIC).length === 0 && newHub.active(TOPIC).length === 1,
        10_000,
        'the move to the new hub',
      );
      expect(oldHub.requests.map((r) => r.mode)).toEqual(['subscribe', 'unsubscribe']);
      expect(oldHub.verifications.map((v) => [v.mode, v.echoed])).toEqual([
        ['subscribe', true],
        ['unsubscribe', true],
      ]);
      expect(newHub.requests[0].secret).not.toBe(oldHub.requests[0].secret);
      await waitFor(async () => (await deps.websub.get('world'))?.state === 'active', 10_000, 'confirmed');
      const sub = await deps.websub.get('world');
      expect(sub).toMatchObject({ hub: newHub.url, topic: TOPIC, state: 'active' });
      expect(sub?.unsubHub).toBeUndefined();
    } finally {
      await server.close();
      await Promise.all([oldHub.close(), newHub.close(), deps.close()]);
    }
  });
});
