/**
 * A service that cannot run safely does not start: it names the problem, exits non-zero and
 * leaves nothing behind in Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, startFeedServer } from '../../helpers/loopback.js';
import { newsroomConfig, newsroomYaml } from '../../helpers/newsroom.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startService, writeConfig } from '../../helpers/service.js';
import { externalRedis } from '../../helpers/teardown.js';

let redis: TestRedis;
let feedUrl: string;
let closeFeeds: () => Promise<void>;

beforeAll(async () => {
  redis = await startRedis();
  const feeds = await startFeedServer();
  feedUrl = feeds.url('/world.xml');
  closeFeeds = feeds.close;
});
afterAll(async () => {
  await closeFeeds();
  await redis.stop();
});

/** Starts the service, expecting it to give up: its exit code and everything it wrote. */
async function refusedStart(
  config: string,
  redisUrl: string,
): Promise<{ code: number | null; output: string }> {
  const svc = await startService({ config, redisUrl, waitHealthy: false });
  const timer = setTimeout(() => svc.kill('SIGKILL'), 20_000);
  const { code } = await svc.exited;
  clearTimeout(timer);
  return { code, output: svc.log() };
}

const hook = () => ({ url: 'http://127.0.0.1:9/hook', secret: newSecret() });

describe('a service that refuses to start', () => {
  it.skipIf(externalRedis)('refuses a Redis whose maxmemory-policy could evict queued alerts', async () => {
    const evicting = await startRedis({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    try {
      const { code, output } = await refusedStart(
        newsroomConfig([{ id: 'world', url: feedUrl }], hook()),
        evicting.url,
      );
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(output).toContain('maxmemory-policy is \\"allkeys-lru\\"');
      expect(output).toContain('noeviction');
      expect(await evicting.client().dbsize()).toBe(0);
    } finally {
      await evicting.stop();
    }
  });

  const cases: { name: string; config: () => string; redisUrl?: string; says: string[] }[] = [
    {
      name: 'a cron expression with a minute 61',
      config: () =>
        writeConfig(
          newsroomYaml([{ id: 'world', url: feedUrl }], hook()).replace(
            'schedule: "* * * * * *"',
            'schedule: "61 * * * *"',
          ),
        ),
      says: ['schedule: "61 * * * *" is not a valid cron expression'],
    },
    {
      name: 'a webhook secret too short to sign with',
      config: () =>
        newsroomConfig([{ id: 'world', url: feedUrl }], {
          url: 'http://127.0.0.1:9/hook',
          secret: 'whsec_c2hvcnQ=',
        }),
      says: ['webhooks[0].secret'],
    },
    {
      name: 'a REDIS_URL that is not a Redis URL',
      config: () => newsroomConfig([{ id: 'world', url: feedUrl }], hook()),
      redisUrl: 'http://x',
      says: ['REDIS_URL must start with redis://', 'got \\"http:\\"'],
    },
    {
      name: 'a webhook filter naming a watch that does not exist',
      config: () =>
        writeConfig(
          newsroomYaml([{ id: 'world', url: feedUrl }], hook()).replace(
            '    breakerThreshold:',
            '    watches: [macrn]\n    breakerThreshold:',
          ),
        ),
      says: ['webhooks[0].watches[0]: no watch has the id "macrn"'],
    },
  ];

  for (const c of cases) {
    it(`names ${c.name}, exits non-zero and queues no poll job`, async () => {
      const { code, output } = await refusedStart(c.config(), c.redisUrl ?? redis.url);
      expect(code).toBe(1);
      for (const words of c.says) expect(output).toContain(words);
      expect(output).not.toContain('mediawatch started');
      expect(await redis.client().keys('*')).toEqual([]);
    });
  }

  it('starts with the same config once the problem is gone (the cases above fail for their own reason)', async () => {
    const svc = await startService({
      config: newsroomConfig([{ id: 'world', url: feedUrl }], hook()),
      redisUrl: redis.url,
    });
    expect((await svc.stop()).code).toBe(0);
    await redis.client().flushall();
  });
});
