/** A real scheduler on a real Redis whose event loop is blocked across a tick. */
import { Writable } from 'node:stream';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/logger.js';
import { bullPrefix } from '../../../src/adapters/queues.js';
import { QUEUES } from '../../../src/contracts/jobs.js';
import { pollJobId, tickOf } from '../../../src/schedule/poll-jobs.js';
import { startScheduler } from '../../../workers/scheduler.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

const PREFIX = 'missed';
const CONFIG = `
redisPrefix: ${PREFIX}
schedule: "* * * * * *"
fetch: { spread: 0s }
watches: [{ id: nato, terms: [NATO] }]
webhooks: []
feeds:
  - { id: a, url: "http://127.0.0.1:9/a.xml" }
  - { id: b, url: "http://127.0.0.1:9/b.xml" }
`;

function busyWaitUntil(epochMs: number): void {
  while (Date.now() < epochMs) {
    // Holds the event loop, as a long GC or a big config reload does.
  }
}

describe('a scheduler tick that fires more than a second late', () => {
  it("still polls that tick's feeds, under the tick's own job ids, and counts and logs the late tick", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk))), done()),
    });
    const base = pipelineDeps(server.client(), CONFIG);
    const deps = { ...base, logger: createLogger('warn', sink) };
    const polled: { id: string; tick: string }[] = [];
    const worker = new Worker(
      QUEUES.poll,
      async (job) => void polled.push({ id: job.id!, tick: job.data.tick }),
      {
        connection: server.client(),
        prefix: bullPrefix(PREFIX),
      },
    );
    const scheduler = startScheduler(deps);
    try {
      // Right after a per-second tick's polls are done, so no earlier poll is still pending.
      const bothDone = () =>
        polled.some(
          (p) => p.tick.slice(17, 19) !== '00' && polled.filter((q) => q.tick === p.tick).length === 2,
        );
      await waitFor(bothDone, 10_000, 'a per-second tick polled', 5);
      const blockedAt = Date.now();
      const missed = new Date(Math.floor(blockedAt / 1000) * 1000 + 1000);
      busyWaitUntil(missed.getTime() + 2_500);

      const ids = ['a', 'b'].map((f) => pollJobId(f, tickOf(missed)));
      await waitFor(
        () => ids.every((id) => polled.some((p) => p.id === id)),
        10_000,
        `the polls of the missed tick ${tickOf(missed)}`,
      );
      const late = (await deps.metrics.ticksMissed.get()).values.find((v) => v.labels.reason === 'late');
      expect(late?.value).toBeGreaterThanOrEqual(1);
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 40, tick: tickOf(missed), schedule: '* * * * * *' }),
      );
      expect(new Set(polled.map((p) => p.id)).size).toBe(polled.length);
    } finally {
      await scheduler.stop();
      await worker.close();
      await base.close();
    }
  });
});
