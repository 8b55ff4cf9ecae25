/**
 * Redis goes away for ten seconds under a running service: the process stays up and says it is
 * not ready, producers fail fast with a log line, and everything resumes by itself.
 */
import { describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, waitFor } from '../../helpers/loopback.js';
import { macronFeed, newsroomConfig, startSlowReceiver } from '../../helpers/newsroom.js';
import { startService } from '../../helpers/service.js';
import { endToEnd, externalRedis } from '../../helpers/teardown.js';

const OUTAGE_MS = 10_000;
const { redis: testRedis, teardown } = endToEnd({ aof: true, ownServer: true });

const status = async (port: number, path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).status;

describe('a Redis outage under a running service', () => {
  it.skipIf(externalRedis)(
    'keeps the process up and unready while Redis is down, then alerts a new item by itself',
    async () => {
      const feeds = await startFeedServer();
      const secret = newSecret();
      const hook = await startSlowReceiver(secret, () => 200);
      teardown.close(feeds.close, hook.close);
      feeds.set('/world.xml', { body: macronFeed('world', 1).xml });
      const svc = await startService({
        config: newsroomConfig([{ id: 'world', url: feeds.url('/world.xml') }], { url: hook.url, secret }),
        redisUrl: testRedis().url,
      });
      teardown.service(svc);
      await waitFor(() => hook.delivered().length === 1, 15_000, 'the first alert');

      await testRedis().kill();
      const downSince = Date.now();
      await waitFor(async () => (await status(svc.port, '/readyz')) === 503, 5_000, '/readyz to say 503');
      while (Date.now() - downSince < OUTAGE_MS) {
        expect(await status(svc.port, '/healthz')).toBe(200);
        expect(await status(svc.port, '/readyz')).toBe(503);
        expect(svc.proc.exitCode).toBeNull();
        await new Promise((r) => setTimeout(r, 1_000));
      }
      expect(svc.events().some((e) => e.msg?.startsWith('could not enqueue poll jobs'))).toBe(true);

      await testRedis().start();
      const fresh = macronFeed('world', 2);
      feeds.set('/world.xml', { body: fresh.xml });
      await waitFor(async () => (await status(svc.port, '/readyz')) === 200, 15_000, '/readyz to recover');
      await waitFor(
        () => hook.delivered().some((r) => r.url === fresh.items[1].url),
        20_000,
        'the alert for the item published after the outage',
      );
      expect(svc.proc.exitCode).toBeNull();
    },
    80_000,
  );
});
