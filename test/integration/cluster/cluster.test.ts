/**
 * The service on a three-master Redis Cluster (REDIS_URL=redis+cluster://…): the seed feed
 * still becomes one signed alert per story, so no script or transaction crosses slots.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, startReceiver, waitFor } from '../../helpers/loopback.js';
import { newsroomConfig } from '../../helpers/newsroom.js';
import { startRedisCluster, type TestCluster } from '../../helpers/redis-cluster.js';
import { ROOT, startService } from '../../helpers/service.js';
import { externalRedis, Teardown } from '../../helpers/teardown.js';

const SEED_FEED = fs.readFileSync(path.join(ROOT, 'test/fixtures/seed/seed-feed.rss'), 'utf8');
const SEED_URL = 'https://news.example.com/2022/12/03/world/europe/macron-russia-security-guarantees.html';

let cluster: TestCluster | undefined;
const teardown = new Teardown();

beforeAll(async () => {
  if (!externalRedis) cluster = await startRedisCluster();
});
afterAll(async () => {
  await teardown.run();
  await cluster?.stop();
});

describe('mediawatch on a Redis Cluster', () => {
  it.skipIf(externalRedis)(
    'alerts the seed article once, signed, with two worker processes on a three-master cluster',
    async () => {
      const feeds = await startFeedServer();
      const secret = newSecret();
      const hook = await startReceiver(secret);
      teardown.close(feeds.close, hook.close);
      feeds.set('/world.xml', { body: SEED_FEED });
      const config = newsroomConfig([{ id: 'world', url: feeds.url('/world.xml') }], {
        url: hook.url,
        secret,
      });
      teardown.service(
        await startService({ config, redisUrl: cluster!.url }),
        await startService({ config, redisUrl: cluster!.url, args: ['--roles', 'match,deliver'] }),
      );

      await waitFor(
        () => hook.delivered().some((d) => d.json?.data?.item?.url === SEED_URL),
        20_000,
        'the seed alert',
      );
      // Three more polls of the unchanged feed, answered 304, which must not alert again.
      const polls = () => feeds.hits.filter((h) => h.path === '/world.xml').length;
      const before = polls();
      await waitFor(() => polls() >= before + 3, 20_000, 'three more polls');
      const delivered = hook.delivered();
      expect(delivered.map((d) => d.json.data.item.url)).toEqual([SEED_URL]);
      expect(delivered[0].verified).toBe(true);
      for (const svc of teardown.services) {
        expect(svc.events().filter((e) => e.level >= 50)).toEqual([]);
        expect(svc.log()).not.toContain('CROSSSLOT');
      }
    },
    60_000,
  );
});
