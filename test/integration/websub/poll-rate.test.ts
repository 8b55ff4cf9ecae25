/**
 * The poll handler with push on, against a real Redis and a loopback feed, on a clock the test
 * moves: a poll records the hub the feed advertises; a pushed feed is polled pollSlowdown times
 * less often; a poll that finds items the hub did not push, long after its last push, marks the
 * hub silent, and a silent hub's feed is polled at its normal rate again. Signed content pushed
 * through the receive handler is queued like a poll's items.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlePoll } from '../../../src/pipeline/handle-poll.js';
import { receivePush } from '../../../src/websub/receive.js';
import { pushStatus } from '../../../src/websub/status.js';
import { startFeedServer } from '../../helpers/loopback.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const HUB = 'https://hub.example.org/';
const MINUTE = 60_000;
let redis: TestRedis;
let site: Awaited<ReturnType<typeof startFeedServer>>;

beforeAll(async () => {
  redis = await startRedis();
  site = await startFeedServer();
});
afterAll(async () => {
  await site.close();
  await redis.stop();
});

const atom = (topic: string, ids: string[]) => `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>World</title><link rel="hub" href="${HUB}"/><link rel="self" href="${topic}"/>
${ids.map((id) => `<entry><id>${id}</id><title>Story ${id}</title><link href="https://news.example.com/${id}"/></entry>`).join('')}
</feed>`;

describe('polling a pushed feed', () => {
  it('records the hub, polls 4 times less often while pushed, and at the normal rate once the hub is silent', async () => {
    const topic = site.url('/world.atom');
    site.set('/world.atom', { body: atom(topic, ['a']), type: 'application/atom+xml' });
    let now = Date.parse('2026-11-28T08:00:00Z');
    const deps = pipelineDeps(
      redis.client(),
      `
schedule: "*/5 * * * *"
fullText: { mode: never }
websub: { callbackBase: "https://mw.example.org", pollSlowdown: 4, silentAfter: 1h }
feeds: [{ id: world, url: "${topic}" }]
watches: [{ id: story, terms: ["story"] }]
`,
      () => now,
    );
    const poll = async () => (await handlePoll({ feedId: 'world', tick: String(now) }, deps)).outcome;
    try {
      expect(await poll()).toBe('parsed');
      expect(await deps.websub.get('world')).toMatchObject({ wantedHub: HUB, wantedTopic: topic });

      // Confirmed by the hub (verify.ts does this when the hub's GET comes).
      const secret = crypto.randomBytes(16).toString('hex');
      await deps.websub.update('world', {
        hub: HUB,
        topic,
        secret,
        state: 'active',
        activeSince: now,
        confirmedAt: now,
        leaseEnd: now + 10 * 86_400_000,
        renewAt: now + 8 * 86_400_000,
      });
      const outcomes: string[] = [];
      for (let tick = 1; tick <= 8; tick++) {
        now += 5 * MINUTE;
        outcomes.push(await poll());
      }
      // Every 4th tick of 5 minutes goes through (the first after the subscription, then each 20 minutes).
      expect(outcomes.map((o) => (o === 'skipped' ? '-' : 'P')).join('')).toBe('P---P---');

      // The hub pushes an item: queued like a polled one, and the push is recorded.
      const pushed = Buffer.from(atom(topic, ['a', 'b']));
      const signature = `sha1=${crypto.createHmac('sha1', secret).update(pushed).digest('hex')}`;
      const answer = await receivePush(deps, 'world', {
        body: pushed,
        signature,
        contentType: 'application/atom+xml',
      });
      expect(answer.status).toBe(202);
      // "a" was queued by the first poll; of the pushed feed only "b" is new.
      const queued = await deps.queues.items.getJobs(['waiting']);
      expect(queued.map((j) => j.data.items.map((i) => i.item.key)).sort()).toEqual([['g:a'], ['g:b']]);
      expect((await deps.websub.get('world'))?.lastPushAt).toBe(now);

      // Two hours later a poll finds an item the hub never pushed: the hub is silent.
      now += 2 * 3_600_000;
      site.set('/world.atom', { body: atom(topic, ['a', 'b', 'c']), type: 'application/atom+xml' });
      expect(await poll()).toBe('parsed');
      const silent = (await deps.websub.get('world'))!;
      expect(silent.missedAt).toBe(now);
      expect(pushStatus(silent, now, 3_600_000)).toBe('silent');
      now += 5 * MINUTE;
      expect(await poll()).not.toBe('skipped');
    } finally {
      await deps.close();
    }
  });
});
